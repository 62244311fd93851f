"""SVG drawings of ``LAB INSPECT`` replies, one function per encoding.

Each function takes the reply (a dict, see docs/lab-command.md) and returns
one standalone ``<svg>`` document: no scripts, no external fonts or styles,
so it can be inlined in HTML, saved as a file, or shown by Jupyter. The
drawings follow the TUI's views: the colours mean the same thing there and
here — **headers** purple, **data** blue, **back-lengths** yellow, the end
marker red, what a lookup visited green.

Sizes are in pixels of a 12px monospaced font (a character is about 7.2px
wide); long structures wrap into rows, and windowed replies say what is
outside the window instead of drawing it.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace"
CHAR_W = 7.2
MAX_WIDTH = 980  # where rows wrap (a notebook's output area); the docs pass a narrower one
_max_width: ContextVar[int] = ContextVar("max_width", default=MAX_WIDTH)

# (fill, stroke) per kind of cell — the TUI's styles, as colours.
COLORS = {
    "hdr": ("#efe1f7", "#8e44ad"),
    "data": ("#dcf1f8", "#1b7a94"),
    "back": ("#fdf3cf", "#a67c00"),
    "eof": ("#f9d9dc", "#c0392b"),
    "node": ("#eef2f7", "#4a5a70"),
    "path": ("#d8f3dc", "#2d6a4f"),
    "moved": ("#f2f2f2", "#b0b0b0"),
    "value": ("#fff7e6", "#b36b00"),
    "robj": ("#e8eaf6", "#3949ab"),
}
INK = "#1f2430"
DIM = "#6b7280"


def text_width(s: str, size: float = 12) -> float:
    return len(s) * CHAR_W * size / 12


def short(value, limit: int = 14) -> str:
    if isinstance(value, bytes):
        text = repr(value)[1:]
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hexbytes(data: bytes | None, limit: int = 6) -> str:
    if not data:
        return ""
    shown = " ".join(f"{b:02x}" for b in data[:limit])
    return shown + (" …" if len(data) > limit else "")


@dataclass
class Canvas:
    """Collects SVG elements and grows to fit them."""

    width: float = 0
    height: float = 0
    parts: list[str] = field(default_factory=list)

    def _fit(self, x: float, y: float) -> None:
        self.width = max(self.width, x)
        self.height = max(self.height, y)

    def rect(self, x, y, w, h, kind="node", rx=3, dashed=False, title: str | None = None):
        fill, stroke = COLORS[kind]
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        tip = f"<title>{escape(title)}</title>" if title else ""
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.2"{dash}>{tip}</rect>'
        )
        self._fit(x + w, y + h)

    def text(self, x, y, s, size=12, anchor="start", color=INK, weight="normal", italic=False):
        style = ' font-style="italic"' if italic else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{color}" font-weight="{weight}"{style}>{escape(str(s))}</text>'
        )
        width = text_width(str(s), size)
        right = x + (width if anchor == "start" else width / 2 if anchor == "middle" else 0)
        self._fit(right, y + 4)

    def line(self, x1, y1, x2, y2, color=DIM, arrow=False, dashed=False, width=1.2):
        marker = ' marker-end="url(#arrow)"' if arrow else ""
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
            f'stroke-width="{width}"{marker}{dash}/>'
        )
        self._fit(max(x1, x2), max(y1, y2))

    def svg(self, label: str = "") -> str:
        w, h = int(self.width + 12), int(self.height + 12)
        aria = f" aria-label={quoteattr(label)}" if label else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
            f'viewBox="0 0 {w} {h}" font-family="{FONT}" role="img"{aria}>'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{DIM}"/></marker></defs>'
            f'<rect width="{w}" height="{h}" fill="#ffffff"/>' + "".join(self.parts) + "</svg>"
        )


# -- listpack ------------------------------------------------------------------------------------


@dataclass
class Segment:
    kind: str  # hdr | data | back | eof
    label: str
    raw: bytes | None

    @property
    def width(self) -> float:
        return max(text_width(self.label, 11), text_width(hexbytes(self.raw), 11), 14) + 12


@dataclass
class Unit:
    """What wraps as one piece: the header, one entry (its segments), the end."""

    title: str
    subtitle: str
    segments: list[Segment]
    offset: int | None = None
    highlight: bool = False

    @property
    def width(self) -> float:
        inner = sum(s.width for s in self.segments)
        return max(inner, text_width(self.title, 11) + 8, text_width(self.subtitle, 11) + 8)


ENC_SHORT = {
    "LP_ENCODING_7BIT_UINT": "7bit uint",
    "LP_ENCODING_6BIT_STR": "6bit str",
    "LP_ENCODING_13BIT_INT": "13bit int",
    "LP_ENCODING_12BIT_STR": "12bit str",
    "LP_ENCODING_16BIT_INT": "16bit int",
    "LP_ENCODING_24BIT_INT": "24bit int",
    "LP_ENCODING_32BIT_INT": "32bit int",
    "LP_ENCODING_64BIT_INT": "64bit int",
    "LP_ENCODING_32BIT_STR": "32bit str",
}


def _slice(raw: bytes | None, start: int, n: int) -> bytes | None:
    if raw is None or start + n > len(raw) or n <= 0:
        return None
    return raw[start : start + n]


def listpack_units(layout: dict, highlight_index: int | None = None) -> list[Unit]:
    raw = layout.get("raw") if isinstance(layout.get("raw"), bytes) else None
    units = [
        Unit(
            "header",
            f"{layout.get('length', '?')} entries",
            [
                Segment("hdr", f"total {layout.get('total_bytes', '?')}", _slice(raw, 0, 4)),
                Segment("hdr", f"count {layout.get('num_elements', '?')}", _slice(raw, 4, 2)),
            ],
            0,
        )
    ]
    entries = layout.get("entries") or []
    if entries and entries[0].get("index", 0) > 0:
        units.append(Unit("…", f"{entries[0]['index']} before", [], None))
    for e in entries:
        off, hl, dl = e.get("offset", 0), e.get("header_len", 1), e.get("data_len", 0)
        segs = [Segment("hdr", ENC_SHORT.get(e.get("encoding", ""), "enc"), _slice(raw, off, hl))]
        if dl:
            segs.append(Segment("data", f"{dl} B", _slice(raw, off + hl, dl)))
        segs.append(
            Segment(
                "back", f"back {e.get('backlen')}", _slice(raw, off + hl + dl, e["backlen_size"])
            )
        )
        role = f" {e['role']}" if e.get("role") else ""
        units.append(
            Unit(
                f"#{e.get('index')}{role}",
                short(e.get("value"), 18),
                segs,
                off,
                e.get("index") == highlight_index,
            )
        )
    length = int(layout.get("length") or 0)
    last = entries[-1]["index"] if entries else -1
    if last + 1 < length:
        units.append(Unit("…", f"{length - last - 1} more", [], None))
    else:
        total = layout.get("total_bytes")
        units.append(
            Unit(
                "end",
                "",
                [Segment("eof", "EOF", _slice(raw, total - 1, 1) if total else None)],
                (total - 1) if total else None,
            )  # fmt: skip
        )
    return units


def draw_listpack(c: Canvas, layout: dict, x0: float, y0: float, highlight=None) -> float:
    """Draw the byte strip at (x0, y0); returns the y below it."""
    x, y = x0, y0
    row_h = 86
    for unit in listpack_units(layout, highlight):
        w = max(unit.width, 26)
        if x + w > _max_width.get() and x > x0:
            x, y = x0, y + row_h
        if not unit.segments:  # an ellipsis between windows
            c.text(x + w / 2, y + 42, unit.title, 14, "middle", DIM)
            c.text(x + w / 2, y + 58, unit.subtitle, 10, "middle", DIM)
            x += w + 8
            continue
        color = COLORS["path"][1] if unit.highlight else INK
        c.text(x + 2, y + 11, unit.title, 11, color=color, weight="bold")
        c.text(x + 2, y + 24, unit.subtitle, 11, color=color)
        sx = x
        for seg in unit.segments:
            sw = seg.width if len(unit.segments) > 1 else w
            c.rect(sx, y + 30, sw, 34, "path" if unit.highlight else seg.kind, rx=2)
            c.text(sx + sw / 2, y + 44, seg.label, 10, "middle")
            c.text(sx + sw / 2, y + 58, hexbytes(seg.raw), 10, "middle", DIM)
            sx += sw
        if unit.offset is not None:
            c.text(x + 1, y + 76, f"@{unit.offset}", 9, color=DIM)
        x += max(w, sx - x) + 6
    return y + row_h


def listpack_svg(data: dict) -> str:
    c = Canvas()
    layout = data.get("layout") or {}
    y = _title(c, data)
    path = layout.get("path") or {}
    target = path.get("index") if isinstance(path, dict) else None
    y = draw_listpack(c, layout, 6, y, target)
    c.text(6, y + 4, _legend_listpack(layout, data), 10, color=DIM)
    return c.svg(f"listpack of {data.get('key')}")


def _legend_listpack(layout: dict, data: dict) -> str:
    kind = {"hash": "field, value pairs", "zset": "member, score pairs"}.get(
        str(data.get("type")), "entries"
    )
    return (
        f"{layout.get('total_bytes', '?')} bytes · {kind} · each entry = encoding+length header,"
        " data, back-length (read right to left to walk backwards)"
    )


def _title(c: Canvas, data: dict, y: float = 16) -> float:
    key = short(data.get("key"), 40)
    head = f"{key}  {data.get('type')} · {data.get('encoding')}"
    c.text(6, y, head, 13, weight="bold")
    meta = [f"length {data.get('length', '?')}", f"memory {data.get('memory', '?')} B"]
    ttl = data.get("ttl_ms", -1)
    meta.append("no TTL" if ttl in (-1, None) else f"TTL {ttl} ms")
    if data.get("expired"):
        meta.append("expired, not yet removed")
    c.text(6, y + 16, " · ".join(meta), 11, color=DIM)
    return y + 26


# -- intset --------------------------------------------------------------------------------------


def intset_svg(data: dict) -> str:
    c = Canvas()
    layout = data.get("layout") or {}
    y = _title(c, data)
    raw = layout.get("raw") if isinstance(layout.get("raw"), bytes) else None
    width = int(layout.get("width") or 2)
    start = int(layout.get("window_start") or 0)
    found = (layout.get("path") or {}).get("position")
    cells = [
        ("hdr", "encoding", f"{width} (INT{width * 8})", _slice(raw, 0, 4)),
        ("hdr", "length", str(layout.get("length")), _slice(raw, 4, 4)),
    ]
    if start:
        cells.append(("gap", "…", f"{start} before", None))
    for i, v in enumerate(layout.get("values") or []):
        kind = "path" if found == start + i else "data"
        cells.append((kind, f"[{start + i}]", str(v), _slice(raw, 8 + (start + i) * width, width)))
    shown = start + len(layout.get("values") or [])
    if shown < int(layout.get("length") or 0):
        cells.append(("gap", "…", f"{int(layout['length']) - shown} more", None))
    x = 6
    y += 14
    for kind, top, mid, rawpart in cells:
        w = max(text_width(mid, 11), text_width(hexbytes(rawpart, 8), 10), 28) + 12
        if x + w > _max_width.get():
            x, y = 6, y + 70
        if kind == "gap":
            c.text(x + w / 2, y + 26, top, 14, "middle", DIM)
            c.text(x + w / 2, y + 42, mid, 10, "middle", DIM)
        else:
            c.text(x + w / 2, y, top, 10, "middle", DIM)
            c.rect(x, y + 6, w, 40, kind, rx=2)
            c.text(x + w / 2, y + 22, mid, 11, "middle", weight="bold")
            c.text(x + w / 2, y + 38, hexbytes(rawpart, 8), 10, "middle", DIM)
        x += w
    c.text(
        6,
        y + 64,
        f"{layout.get('blob_len', '?')} bytes = 8-byte header + {layout.get('length')} × "
        f"{width} · sorted, little-endian; one wider value upgrades every slot",
        10,
        color=DIM,
    )
    return c.svg(f"intset of {data.get('key')}")


# -- quicklist -----------------------------------------------------------------------------------


def quicklist_svg(data: dict) -> str:
    c = Canvas()
    layout = data.get("layout") or {}
    y = _title(c, data)
    c.text(
        6,
        y + 4,
        f"{layout.get('node_count')} nodes · fill {layout.get('fill')} · compress depth "
        f"{layout.get('compress_depth')}",
        11,
        color=DIM,
    )
    y += 18
    x = 6
    box_w, box_h = 150, 140
    nodes = layout.get("nodes") or []
    if nodes and nodes[0].get("index", 0) > 0:
        c.text(x + 14, y + box_h / 2, "…", 16, "middle", DIM)
        x += 34
    for n, node in enumerate(nodes):
        if x + box_w > _max_width.get() and x > 6:
            x, y = 6, y + box_h + 22
        kind = "moved" if node.get("compressed") else "node"
        c.rect(x, y, box_w, box_h, kind, rx=5)
        end = " (head)" if node.get("index") == 0 else ""
        if node.get("index") == int(layout.get("node_count") or 0) - 1:
            end += " (tail)"
        c.text(x + 6, y + 15, f"node {node.get('index')}{end}", 11, weight="bold")
        c.text(x + 6, y + 30, f"{node.get('count')} entries, {node.get('sz')} B", 10)
        if node.get("compressed"):
            c.text(x + 6, y + 45, f"LZF {node.get('compressed_size')} B", 10, color="#a67c00")
            c.text(x + 6, y + 62, "compressed: not", 10, color=DIM, italic=True)
            c.text(x + 6, y + 75, "opened to look", 10, color=DIM, italic=True)
        elif node.get("container") == "PLAIN":
            c.text(x + 6, y + 45, "PLAIN (one big element)", 10)
            c.text(x + 6, y + 62, short(node.get("value_preview"), 18), 10, color=DIM)
        else:
            c.text(x + 6, y + 45, "listpack:", 10, color=DIM)
            entries = node.get("entries") or []
            for i, e in enumerate(entries[:4]):
                c.rect(x + 6, y + 51 + i * 17, box_w - 12, 15, "data", rx=2)
                c.text(x + 10, y + 62 + i * 17, short(e.get("value"), 18), 10)
            if len(entries) > 4 or node.get("count", 0) > len(entries):
                c.text(x + 6, y + box_h - 6, f"+{node.get('count', 0) - min(4, len(entries))} more", 9, color=DIM)  # fmt: skip
        if n + 1 < len(nodes) and x + 2 * box_w + 30 <= _max_width.get():
            c.line(x + box_w, y + box_h / 2 - 6, x + box_w + 28, y + box_h / 2 - 6, arrow=True)
            c.line(x + box_w + 28, y + box_h / 2 + 6, x + box_w, y + box_h / 2 + 6, arrow=True)
        x += box_w + 30
    if nodes and nodes[-1].get("index", 0) + 1 < int(layout.get("node_count") or 0):
        c.text(x + 4, y + box_h / 2, "…", 16, "middle", DIM)
    c.text(6, y + box_h + 18, "a doubly linked list of listpacks: next → and ← prev", 10, color=DIM)
    return c.svg(f"quicklist of {data.get('key')}")


# -- skiplist ------------------------------------------------------------------------------------


def skiplist_svg(data: dict) -> str:
    c = Canvas()
    layout = data.get("layout") or {}
    y = _title(c, data)
    nodes = layout.get("nodes") or []
    header = layout.get("header") or []
    levels = max([len(header)] + [n.get("height", 1) for n in nodes] + [1])
    start = int(layout.get("window_start") or 0)
    path = layout.get("path") if isinstance(layout.get("path"), dict) else None
    visited = set()
    if path:
        for step in path.get("path") or []:
            visited.update(r for r, *_ in step.get("visited") or [])
    col_w, cell_h, gap = 92, 22, 4
    top = y + 16
    base = top + levels * (cell_h + gap)
    columns: list[tuple[int, str, list[dict], str]] = []
    if start == 0:
        columns.append((0, "header", header, ""))
    for node in nodes:
        score = short(node.get("score"), 10)
        columns.append((node["rank"], short(node.get("ele"), 11), node.get("levels") or [], score))
    x_of = {}
    x = 6
    if start:
        c.text(x + 20, base - cell_h / 2, "…", 16, "middle", DIM)
        c.text(x + 20, base + 16, f"ranks 1..{start}", 9, "middle", DIM)
        x += 60
    for rank, *_ in columns:
        x_of[rank] = x
        x += col_w
    right_edge = x + 10
    for rank, name, lvls, score in columns:
        cx = x_of[rank]
        hl = rank in visited or (path and path.get("rank") == rank)
        for lv in lvls:
            i = lv["level"]
            cy = base - (i + 1) * (cell_h + gap)
            kind = "path" if hl else ("hdr" if rank == 0 else "node")
            c.rect(cx, cy, 26, cell_h, kind, rx=2)
            c.text(cx + 13, cy + 15, f"L{i}", 9, "middle", DIM)
            fwd, span = lv.get("forward_rank"), lv.get("span")
            ay = cy + cell_h / 2
            if fwd is None:
                c.text(cx + 30, ay + 4, "NULL", 9, color=DIM)
            elif fwd in x_of:
                c.line(cx + 26, ay, x_of[fwd], ay, arrow=True)
                c.text(cx + 32, ay - 3, str(span), 9, color="#1b7a94")
            else:
                c.line(cx + 26, ay, right_edge, ay, arrow=True, dashed=True)
                c.text(cx + 32, ay - 3, f"{span} → r{fwd}", 9, color="#1b7a94")
        label_color = COLORS["path"][1] if hl else INK
        c.text(cx, base + 12, name, 11, color=label_color, weight="bold")
        if rank:
            c.text(cx, base + 25, f"score {score}", 9, color=DIM)
            c.text(cx, base + 37, f"rank {rank}", 9, color=DIM)
    y = base + 54
    length = int(layout.get("length") or 0)
    last = nodes[-1]["rank"] if nodes else 0
    if last < length:
        c.text(right_edge + 8, base - cell_h / 2, f"… {length - last} more", 11, color=DIM)
    c.text(
        6,
        y,
        f"{length} nodes, highest level {layout.get('level')} · numbers on the links are spans "
        "(how many ranks a link skips): adding them on the way down gives ZRANK",
        10,
        color=DIM,
    )
    if path:
        y += 18
        steps = []
        for step in path.get("path") or []:
            names = [("head" if r == 0 else short(e, 8)) for r, e, _ in step.get("visited") or []]
            steps.append(f"L{step['level']}: " + " → ".join(names))
        found = "found" if path.get("found") else "not found"
        c.text(6, y, f"search for {short(path.get('member'), 20)} ({found}, rank {path.get('rank')}):", 11, weight="bold")  # fmt: skip
        for s in steps:
            y += 15
            c.text(14, y, short(s, 130), 10, color=COLORS["path"][1])
    return c.svg(f"skiplist of {data.get('key')}")


# -- hashtable -----------------------------------------------------------------------------------


def hashtable_svg(data: dict) -> str:
    c = Canvas()
    layout = data.get("layout") or {}
    y = _title(c, data)
    sizes = layout.get("table_size") or [0, 0]
    used = layout.get("used") or [0, 0]
    rehashidx = layout.get("rehashidx", -1)
    status = f"rehashing, rehashidx = {rehashidx}" if layout.get("rehashing") else "not rehashing"
    c.text(6, y + 4, f"load factor {layout.get('load_factor')} · {status}", 11, color=DIM)
    y += 22
    buckets = layout.get("buckets") or []
    tables = [t for t in (0, 1) if sizes[t]]
    col_x = {0: 20, 1: 20 + _max_width.get() / 2} if len(tables) == 2 else {0: 20, 1: 20}
    path = layout.get("path") if isinstance(layout.get("path"), dict) else {}
    bottom = y
    for t in tables:
        x0, ty = col_x[t], y
        c.text(x0, ty + 10, f"ht[{t}]: size {sizes[t]}, used {used[t]}", 11, weight="bold")
        ty += 18
        rows = [b for b in buckets if b.get("table") == t]
        for b in rows:
            idx = b.get("index")
            moved = t == 0 and layout.get("rehashing") and idx < rehashidx
            c.rect(x0, ty, 46, 20, "moved" if moved else "hdr", rx=2)
            c.text(x0 + 23, ty + 14, str(idx), 10, "middle")
            if t == 0 and idx == rehashidx:
                c.text(x0 - 2, ty + 14, "▶", 11, "end", "#c0392b")
            cx = x0 + 46
            chain = b.get("chain") or []
            if not chain:
                c.text(cx + 8, ty + 14, "moved" if moved else "NULL", 9, color=DIM)
            for pos, item in enumerate(chain[:4]):
                label = (
                    f"{short(item[0], 10)}={short(item[1], 8)}"
                    if isinstance(item, list)
                    else short(item, 14)
                )
                w = text_width(label, 10) + 12
                c.line(cx, ty + 10, cx + 14, ty + 10, arrow=True)
                hit = path.get("found") and path.get("table") == t and path.get("bucket") == idx
                kind = "path" if hit and path.get("chain_position") == pos else "data"
                c.rect(cx + 14, ty + 1, w, 18, kind, rx=2)
                c.text(cx + 20, ty + 14, label, 10)
                cx += 14 + w
            if len(chain) > 4:
                c.text(cx + 6, ty + 14, f"+{len(chain) - 4}", 9, color=DIM)
            ty += 24
        total = sizes[t]
        shown = len(rows)
        if shown < total:
            c.text(x0, ty + 10, f"… {total - shown} more buckets (WINDOW pages through them)", 10, color=DIM)  # fmt: skip
            ty += 16
        bottom = max(bottom, ty)
    c.text(
        6,
        bottom + 14,
        "a bucket holds a chain of entries; while rehashing, buckets below rehashidx have "
        "moved to ht[1]",
        10,
        color=DIM,
    )
    return c.svg(f"hashtable of {data.get('key')}")


# -- strings -------------------------------------------------------------------------------------


def string_svg(data: dict) -> str:
    c = Canvas()
    layout = data.get("layout") or {}
    y = _title(c, data) + 10
    enc = layout.get("encoding") or data.get("encoding")
    robj = [("type", "4 bits"), ("encoding", "4 bits"), ("lru", "24 bits"), ("refcount", "4 B")]
    x = 6
    c.text(x, y + 2, "robj (16 bytes)", 10, color=DIM)
    for name, size in robj:
        w = 66
        c.rect(x, y + 8, w, 36, "robj", rx=2)
        c.text(x + w / 2, y + 22, name, 10, "middle")
        c.text(x + w / 2, y + 36, size, 9, "middle", DIM)
        x += w
    ptr_w = 110
    c.rect(x, y + 8, ptr_w, 36, "robj" if enc != "int" else "data", rx=2)
    if enc == "int":
        c.text(x + ptr_w / 2, y + 22, "ptr = the integer", 10, "middle")
        c.text(x + ptr_w / 2, y + 36, str(layout.get("integer")), 11, "middle", weight="bold")
        note = (
            "a shared integer (0..9999): one object for every key that holds it"
            if layout.get("shared")
            else "int: the value lives in the pointer field itself, no string allocated"
        )
        c.text(6, y + 64, note, 10, color=DIM)
        return c.svg(f"string {data.get('key')}")
    c.text(x + ptr_w / 2, y + 22, "ptr", 10, "middle")
    c.text(x + ptr_w / 2, y + 36, "8 B", 9, "middle", DIM)
    x += ptr_w
    n = int(layout.get("bytes") or 0)
    preview = str(layout.get("value_preview") or "")
    sds_cells = [
        ("hdr", "len", "", layout.get("sds_header")),
        ("data", short(preview, 24) + ("…" if layout.get("truncated") else ""), f"{n} B", None),
        ("eof", "\\0", "1 B", None),
    ]
    if enc == "embstr":
        sx, sy = x, y + 8
        c.text(sx, y + 2, "sds right after it (one allocation)", 10, color=DIM)
    else:
        sx, sy = 6 + 66 * 2, y + 76
        c.line(x - ptr_w / 2, y + 44, x - ptr_w / 2, sy - 2, arrow=True)
        c.text(sx, sy - 6, "sds (a second allocation)", 10, color=DIM)
    for kind, top, sub, hdr in sds_cells:
        label = f"sdshdr ({hdr} B)" if kind == "hdr" else top
        sub = sub if kind != "hdr" else "len alloc flags"
        w = max(text_width(label, 10), text_width(sub, 9), 20) + 14
        c.rect(sx, sy, w, 36, kind, rx=2)
        c.text(sx + w / 2, sy + 14, label, 10, "middle")
        c.text(sx + w / 2, sy + 28, sub, 9, "middle", DIM)
        sx += w
    why = {
        "embstr": "embstr: up to 44 bytes, object and string in one 64-byte allocation",
        "raw": "raw: longer than 44 bytes (or modified): the object points to its own sds",
    }.get(str(enc), str(enc))
    c.text(6, sy + 56, why, 10, color=DIM)
    return c.svg(f"string {data.get('key')}")


# -- dispatch ------------------------------------------------------------------------------------


def generic_svg(data: dict) -> str:
    c = Canvas()
    y = _title(c, data)
    layout = data.get("layout") or {}
    note = layout.get("not_visible") or "no drawing for this encoding yet"
    c.text(6, y + 14, short(note, 130), 11, color=DIM, italic=True)
    return c.svg(f"{data.get('key')}")


SVG_VIEWS = {
    "listpack": listpack_svg,
    "intset": intset_svg,
    "quicklist": quicklist_svg,
    "skiplist": skiplist_svg,
    "hashtable": hashtable_svg,
    "int": string_svg,
    "embstr": string_svg,
    "raw": string_svg,
}


def render_svg(data: dict | None, max_width: int | None = None) -> str:
    """The SVG document for one ``LAB INSPECT`` reply (None: the key does not exist).

    ``max_width`` (pixels) is where long strips wrap into rows.
    """
    if max_width is not None:
        token = _max_width.set(max_width)
        try:
            return render_svg(data)
        finally:
            _max_width.reset(token)
    if not data:
        c = Canvas()
        c.text(6, 16, "no such key", 12, color=DIM, italic=True)
        return c.svg("no such key")
    layout = data.get("layout") or {}
    if layout.get("not_visible") and not (
        layout.get("entries") or layout.get("values") or layout.get("nodes") or "bytes" in layout
    ):
        return generic_svg(data)
    return SVG_VIEWS.get(str(data.get("encoding")), generic_svg)(data)

"""A listpack as a strip of bytes: header, entries boxed, EOF.

Each entry is one box: its index and offset on top, then its bytes in hex —
the encoding header, the data, the back-length, each in its own colour —
the printable characters under them, and the decoded value with the
encoding's name. Entries that are new or changed since the previous look
are boxed in the highlight colour; with ``PATH`` the member's entry is green.
"""

from __future__ import annotations

from rich.text import Text

from .base import (
    BACKLEN,
    CHANGED,
    DATA,
    EOF_STYLE,
    HEADER,
    META,
    PATH,
    Block,
    LayoutView,
    hexbytes,
    kv,
    pack,
    printable,
    short,
)

MAX_DATA_BYTES = 12  # bytes of a long string shown before "…"


def _entry_bytes(raw: bytes | None, entry: dict) -> bytes | None:
    if not raw:
        return None
    start, size = entry["offset"], entry["size"]
    if start + size > len(raw):
        return None
    return raw[start : start + size]


def _entry_block(entry: dict, raw: bytes | None, style: str) -> Block:
    hlen, dlen = entry["header_len"], entry["data_len"]
    data = _entry_bytes(raw, entry)
    hexline, charline = Text(), Text()
    if data is not None:
        parts = [
            (data[:hlen], HEADER),
            (data[hlen : hlen + dlen], DATA),
            (data[hlen + dlen :], BACKLEN),
        ]
        for i, (chunk, chunk_style) in enumerate(parts):
            if not chunk:
                continue
            shown = chunk[:MAX_DATA_BYTES] if chunk_style == DATA else chunk
            if hexline:
                hexline.append(" ")
                charline.append(" ")
            h = hexbytes(shown) + ("…" if len(shown) < len(chunk) else "")
            hexline.append(h, style=chunk_style)
            chars = "".join(printable(b) + "  " for b in shown)[: len(h)]
            if i != 1:
                chars = ("hdr" if i == 0 else "back").ljust(len(h))[: len(h)]
            charline.append(chars.ljust(len(h)), style=META if i != 1 else chunk_style)
    name = entry["encoding"].replace("LP_ENCODING_", "")
    role = entry.get("role")
    top = Text(f"#{entry['index']} @{entry['offset']}", style="bold")
    if role:
        top.append(f" {role}", style=META)
    value = Text(
        short(entry["value"], 20), style="bold green" if isinstance(entry["value"], int) else "bold"
    )
    legend = Text(name, style=META)
    lines = [top, hexline, charline, value, legend] if data is not None else [top, value, legend]
    return Block(lines, border=style)


def _header_block(layout: dict, raw: bytes | None) -> Block:
    lines = [Text("header", style="bold")]
    if raw and len(raw) >= 6:
        lines.append(Text(hexbytes(raw[:4]) + " " + hexbytes(raw[4:6]), style=HEADER))
    lines.append(Text(f"total_bytes {layout.get('total_bytes')}", style=META))
    num = layout.get("num_elements")
    lines.append(Text(f"num_elements {num}" + (" (unknown)" if num == 65535 else ""), style=META))
    return Block(lines, border="magenta")


def _eof_block() -> Block:
    return Block([Text("EOF"), Text("ff", style=EOF_STYLE)], border="red")


def _key_of(entry: dict):
    return (entry.get("index"), entry.get("value"), entry.get("offset"))


def draw_listpack(layout: dict, previous: dict | None, width: int, path_index=None) -> Text:
    raw = layout.get("raw") if isinstance(layout.get("raw"), bytes | bytearray) else None
    before = {_key_of(e) for e in (previous or {}).get("entries", [])} if previous else None
    blocks = []
    start = layout.get("window_start", 0)
    if start == 0:
        blocks.append(_header_block(layout, raw))
    for entry in layout.get("entries", []):
        style = "blue"
        if before is not None and _key_of(entry) not in before:
            style = CHANGED.split(" on ")[-1]
        if path_index is not None and entry["index"] in path_index:
            style = PATH.split(" on ")[-1]
        blocks.append(_entry_block(entry, raw, style))
    shown_to = start + len(layout.get("entries", []))
    total = layout.get("length", shown_to)
    if shown_to >= total and not layout.get("raw_truncated"):
        blocks.append(_eof_block())
    text = pack(blocks, width)
    if shown_to < total or start:
        text.append(f"entries {start}..{shown_to - 1} of {total} (WINDOW pages)\n", style=META)
    if layout.get("raw_truncated"):
        text.append("raw bytes truncated at 8192\n", style=META)
    return text


def path_entries(layout: dict) -> set[int] | None:
    """Entry indexes a PATH answer points at (hash field + value, zset member + score)."""
    path = layout.get("path")
    if not isinstance(path, dict):
        return None
    index = path.get("index")
    if index is None or index == -1 or path.get("found") == 0:
        return set()
    return {index, index + 1}


def summary(layout: dict, previous: dict | None) -> Text:
    changed = set()
    if previous:
        changed = {k for k in ("total_bytes", "num_elements") if previous.get(k) != layout.get(k)}
    pairs = [
        ("total_bytes", layout.get("total_bytes")),
        ("num_elements", layout.get("num_elements")),
    ]
    for name in ("fields", "members"):
        if name in layout:
            pairs.append((name, layout[name]))
    return kv(pairs, changed)


def path_text(layout: dict) -> Text | None:
    path = layout.get("path")
    if not isinstance(path, dict):
        return None
    out = Text("PATH ", style="bold")
    out.append(str(path.get("member")), style=PATH)
    if path.get("index") in (None, -1) or path.get("found") == 0:
        out.append("  not found", style="bold red")
    else:
        out.append(f"  at entry {path.get('index')}")
        if "offset" in path:
            out.append(f" (offset {path['offset']})")
        if "rank" in path:
            out.append(f", rank {path['rank']}")
    if "steps" in path:
        out.append(f"  — a lookup walked {path['steps']} pairs (listpacks are scanned, O(N))")
    return out


class ListpackView(LayoutView):
    """A hash or sorted set in a listpack: the byte strip."""

    def draw(self, data: dict, previous: dict | None, width: int) -> Text:
        layout = data.get("layout", data)
        prev = (previous or {}).get("layout") if previous else None
        out = summary(layout, prev)
        out.append("\n")
        p = path_text(layout)
        if p is not None:
            out.append_text(p)
            out.append("\n")
        if data.get("type") == "zset" and layout.get("entries"):
            first = layout.get("window_start", 0) * 2
            for entry in layout["entries"]:
                entry.setdefault("role", "member" if (entry["index"] - first) % 2 == 0 else "score")
        out.append_text(draw_listpack(layout, prev, width, path_entries(layout)))
        legend = Text("bytes: ")
        legend.append("header ", style=HEADER)
        legend.append("data ", style=DATA)
        legend.append("back-length", style=BACKLEN)
        legend.append("   (the back-length lets Redis walk the listpack from the end)", style=META)
        out.append_text(legend)
        return out

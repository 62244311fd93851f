"""The same views as :mod:`lab.render.svg`, in monospaced text.

What ``print(lab.inspect(key))`` shows in a terminal, and what IPython shows
as the plain-text repr. Plain ASCII box drawing, no colours, so it can go
into a log or a test's expected output as it is.
"""

from __future__ import annotations

from .svg import hexbytes, listpack_units, short


def header(data: dict) -> str:
    ttl = data.get("ttl_ms", -1)
    parts = [f"length {data.get('length', '?')}", f"memory {data.get('memory', '?')} B"]
    parts.append("no TTL" if ttl in (-1, None) else f"TTL {ttl} ms")
    if data.get("expired"):
        parts.append("expired, not yet removed")
    if "lfu_freq" in data:
        parts.append(f"LFU freq {data['lfu_freq']}")
    elif "idle_seconds" in data:
        parts.append(f"idle {data['idle_seconds']} s")
    line = f"{data.get('key')}  {data.get('type')} · {data.get('encoding')}  " + " · ".join(parts)
    if data.get("source") == "fallback":
        line += "\n(no LAB command on this server: drawn from OBJECT, MEMORY USAGE and DUMP)"
    return line


def boxes(cells: list[tuple[str, str]], width: int = 100) -> list[str]:
    """Cells side by side as ``| top |`` over ``| bottom |`` rows, wrapped at ``width``."""
    out: list[str] = []
    top, bottom = "", ""
    for a, b in cells:
        w = max(len(a), len(b))
        piece_a, piece_b = f"| {a:<{w}} ", f"| {b:<{w}} "
        if top and len(top) + len(piece_a) + 1 > width:
            out += [top + "|", bottom + "|", ""]
            top, bottom = "", ""
        top += piece_a
        bottom += piece_b
    if top:
        out += [top + "|", bottom + "|"]
    return out


def listpack_text(layout: dict) -> list[str]:
    cells = []
    for unit in listpack_units(layout):
        if not unit.segments:
            cells.append((unit.title, unit.subtitle))
            continue
        for i, seg in enumerate(unit.segments):
            title = f"{unit.title} {unit.subtitle}: " if i == 0 else ""
            cells.append((title + seg.label, hexbytes(seg.raw, 4) or seg.label))
    return boxes(cells) + [f"{layout.get('total_bytes')} bytes: header, entries, EOF (ff)"]


def intset_text(layout: dict) -> list[str]:
    start = int(layout.get("window_start") or 0)
    cells = [("encoding", f"INT{int(layout.get('width') or 0) * 8}"), ("length", str(layout.get("length")))]  # fmt: skip
    if start:
        cells.append(("…", f"{start} before"))
    cells += [(f"[{start + i}]", str(v)) for i, v in enumerate(layout.get("values") or [])]
    shown = start + len(layout.get("values") or [])
    if shown < int(layout.get("length") or 0):
        cells.append(("…", f"{int(layout['length']) - shown} more"))
    return boxes(cells) + [f"{layout.get('blob_len')} bytes, {layout.get('width')} per value"]


def quicklist_text(layout: dict) -> list[str]:
    out = [f"{layout.get('node_count')} nodes, fill {layout.get('fill')}, compress depth {layout.get('compress_depth')}"]  # fmt: skip
    for node in layout.get("nodes") or []:
        what = (
            f"LZF {node.get('compressed_size')} B"
            if node.get("compressed")
            else node.get("container")
        )
        values = ", ".join(short(e.get("value"), 10) for e in (node.get("entries") or [])[:5])
        more = " …" if node.get("count", 0) > 5 else ""
        out.append(
            f"<-> [node {node.get('index')}: {node.get('count')} entries, {node.get('sz')} B, {what}] {values}{more}"
        )
    return out


def skiplist_text(layout: dict) -> list[str]:
    nodes = layout.get("nodes") or []
    columns = []
    if not layout.get("window_start"):
        columns.append((0, "head", layout.get("header") or []))
    columns += [(n["rank"], short(n.get("ele"), 8), n.get("levels") or []) for n in nodes]
    levels = max([len(levels) for _, _, levels in columns] + [1])
    col = 12
    out = []
    for level in range(levels - 1, -1, -1):
        row = f"L{level:<2} "
        for _rank, _name, lvls in columns:
            lv = next((x for x in lvls if x["level"] == level), None)
            if lv is None:
                cell = "-" * col if row.rstrip().endswith(">") or row.endswith("-") else " " * col
                row += cell
            else:
                fwd = lv.get("forward_rank")
                cell = "[o]" + ("" if fwd is None else f"-{lv.get('span')}->")
                row += f"{cell:<{col}}"
        out.append(row.rstrip())
    out.append("    " + "".join(f"{name:<{col}}" for _, name, _ in columns))
    out.append("    " + "".join(f"{('r' + str(r)) if r else '':<{col}}" for r, _, _ in columns))
    out.append(f"{layout.get('length')} nodes, level {layout.get('level')}; numbers are spans")
    path = layout.get("path")
    if isinstance(path, dict):
        out.append(f"search for {path.get('member')}: rank {path.get('rank')}")
        for step in path.get("path") or []:
            names = ["head" if r == 0 else str(e) for r, e, _ in step.get("visited") or []]
            out.append(f"  L{step['level']}: " + " -> ".join(names))
    return out


def hashtable_text(layout: dict) -> list[str]:
    sizes = layout.get("table_size") or [0, 0]
    used = layout.get("used") or [0, 0]
    out = [
        f"ht[0] size {sizes[0]} used {used[0]} · ht[1] size {sizes[1]} used {used[1]}"
        f" · rehashidx {layout.get('rehashidx')}"
    ]
    for b in layout.get("buckets") or []:
        chain = " -> ".join(
            f"{short(i[0], 10)}={short(i[1], 8)}" if isinstance(i, list) else short(i, 14)
            for i in b.get("chain") or []
        )
        out.append(f"ht[{b.get('table')}][{b.get('index'):>4}] {chain or '.'}")
    return out


def string_text(layout: dict) -> list[str]:
    enc = layout.get("encoding")
    if enc == "int":
        shared = " (shared object)" if layout.get("shared") else ""
        return [f"robj[type|enc|lru|refcount|ptr={layout.get('integer')}]{shared}"]
    sds = f"sdshdr({layout.get('sds_header')} B)|{short(layout.get('value_preview'), 30)}|\\0"
    if enc == "embstr":
        return [f"robj[type|enc|lru|refcount|ptr]{sds}   (one allocation)"]
    return [f"robj[type|enc|lru|refcount|ptr] -> {sds}   (two allocations)"]


TEXT_VIEWS = {
    "listpack": listpack_text,
    "intset": intset_text,
    "quicklist": quicklist_text,
    "skiplist": skiplist_text,
    "hashtable": hashtable_text,
    "int": string_text,
    "embstr": string_text,
    "raw": string_text,
}


def render_text(data: dict | None) -> str:
    if not data:
        return "(no such key)"
    layout = data.get("layout") or {}
    view = TEXT_VIEWS.get(str(data.get("encoding")))
    if view is None or (layout.get("not_visible") and not (
        layout.get("entries") or layout.get("values") or layout.get("nodes")
    )):  # fmt: skip
        body = [str(layout.get("not_visible") or "no drawing for this encoding")]
    else:
        body = view(layout)
    return "\n".join([header(data), *body])

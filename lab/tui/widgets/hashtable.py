"""A hashtable (dict): power-of-two tables of buckets with chains, rehashed in steps.

Shows both tables' sizes and fill, the load factor that triggers a resize,
``rehashidx`` (buckets of table 0 below it have already moved to table 1),
and the window of buckets with their chains. Big hashes and sets, and the
keyspace itself, live in these.
"""

from __future__ import annotations

from rich.text import Text

from .base import CHANGED, META, PATH, LayoutView, kv, short


def draw_hashtable(data: dict, previous: dict | None, width: int) -> Text:
    layout = data.get("layout", data)
    prev = (previous or {}).get("layout") or {}
    keys = ("table_size", "used", "rehashidx", "load_factor")
    changed = {k for k in keys if prev and prev.get(k) != layout.get(k)}
    out = kv([(k, layout.get(k)) for k in keys], changed)
    for name in ("fields", "members"):
        if name in layout:
            out.append(f"  {name} ", style=META)
            out.append(str(layout[name]), style="bold")
    out.append("\n")
    sizes = layout.get("table_size") or [0, 0]
    if layout.get("rehashing"):
        out.append(
            f"rehashing: table 0 ({sizes[0]} buckets) → table 1 ({sizes[1]} buckets); "
            f"buckets below {layout.get('rehashidx')} have moved. Every command on this "
            "dict moves one more bucket.\n",
            style=CHANGED,
        )
    else:
        out.append(
            "not rehashing: a table doubles when used reaches its size (load factor 1)\n",
            style=META,
        )
    path = layout.get("path") if isinstance(layout.get("path"), dict) else None
    if path:
        line = Text("PATH ", style="bold")
        line.append(str(path.get("member")), style=PATH)
        if path.get("found"):
            line.append(
                f"  table {path.get('table')} bucket {path.get('bucket')}, "
                f"position {path.get('chain_position')} in the chain (O(1) on average)"
            )
        else:
            line.append("  not found", style="bold red")
        out.append_text(line)
        out.append("\n")
    rehashidx = layout.get("rehashidx", -1)
    buckets = layout.get("buckets")
    if buckets is None:
        return out
    for bucket in buckets:
        table, index = bucket.get("table"), bucket.get("index")
        row = Text(f"t{table}[{index:>4}] ", style="bold blue")
        moved = table == 0 and rehashidx is not None and rehashidx >= 0 and index < rehashidx
        chain = bucket.get("chain") or []
        if moved:
            row.append("(moved to table 1)", style=META)
        elif not chain:
            row.append("∅", style=META)
        for i, item in enumerate(chain):
            if i:
                row.append(" → ", style="blue")
            if isinstance(item, list) and len(item) == 2:
                label = f"{short(item[0], 14)}={short(item[1], 10)}"
                name = item[0]
            else:
                label, name = short(item, 16), item
            hit = (
                path
                and path.get("found")
                and path.get("table") == table
                and path.get("bucket") == index
                and str(name) == str(path.get("member"))
            )
            row.append(label, style=PATH if hit else "")
        out.append_text(row)
        out.append("\n")
    start = layout.get("window_start", 0)
    total = sum(sizes)
    if start or start + len(buckets) < total:
        out.append(
            f"buckets {start}..{start + len(buckets) - 1} of {total} (WINDOW pages)\n", style=META
        )
    out.append(
        "bucket positions come from the hash function: they differ between servers\n", style=META
    )
    return out


class HashtableView(LayoutView):
    def draw(self, data: dict, previous: dict | None, width: int) -> Text:
        return draw_hashtable(data, previous, width)

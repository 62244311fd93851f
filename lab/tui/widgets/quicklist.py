"""A quicklist: a doubly linked chain of listpack nodes.

Each node is a box — its index, how many elements, its listpack's bytes,
PACKED or PLAIN, LZF-compressed or not — linked to its neighbours with
``⇄``. Below the chain, the first uncompressed node in the window is drawn
as a listpack byte strip. ``list-max-listpack-size`` (``fill``) decides how
big a node may grow, ``list-compress-depth`` how many nodes at each end stay
uncompressed.
"""

from __future__ import annotations

from rich.text import Text

from .base import META, Block, LayoutView, kv, pack, short
from .listpack import draw_listpack

NODE_ENTRIES = 24  # entries of a node drawn as bytes


def _fill_text(fill) -> str:
    if isinstance(fill, int) and fill < 0:
        return f"{fill} (each node at most {2 ** (-fill + 1)} KB)"
    return f"{fill} (each node at most {fill} entries)"


def draw_quicklist(data: dict, previous: dict | None, width: int) -> Text:
    layout = data.get("layout", data)
    prev = (previous or {}).get("layout") or {}
    changed = {k for k in ("length", "node_count") if prev and prev.get(k) != layout.get(k)}
    pairs = [("length", layout.get("length")), ("node_count", layout.get("node_count"))]
    if "fill" in layout:
        pairs.append(("fill", _fill_text(layout.get("fill"))))
    if "compress_depth" in layout:
        pairs.append(("compress_depth", layout.get("compress_depth")))
    out = kv(pairs, changed)
    out.append("\n")
    before = {n.get("index"): n for n in prev.get("nodes", [])} if prev else {}
    blocks = []
    nodes = layout.get("nodes", [])
    for node in nodes:
        lines = [Text(f"node {node.get('index')}", style="bold")]
        lines.append(Text(f"count {node.get('count')}"))
        lines.append(Text(f"sz {node.get('sz')} B"))
        container = node.get("container", "PACKED")
        lines.append(Text(container, style="cyan" if container == "PACKED" else "magenta"))
        if node.get("compressed"):
            lines.append(Text(f"LZF {node.get('compressed_size')} B", style="bold red"))
        else:
            lines.append(Text("raw", style="green"))
        if container == "PLAIN" and "value_preview" in node:
            lines.append(Text(short(node["value_preview"], 12), style=META))
        old = before.get(node.get("index"))
        border = "blue"
        if prev and (
            old is None or old.get("count") != node.get("count") or old.get("sz") != node.get("sz")
        ):
            border = "yellow"
        blocks.append(Block(lines, border=border))
    out.append_text(pack(blocks, width, gap="⇄"))
    start = layout.get("window_start", 0)
    total = layout.get("node_count", len(nodes))
    if start or start + len(nodes) < total:
        out.append(
            f"nodes {start}..{start + len(nodes) - 1} of {total} (WINDOW pages)\n", style=META
        )
    path = layout.get("path") if isinstance(layout.get("path"), dict) else None
    if path:
        where = path.get("index")
        out.append(
            f"PATH {path.get('element')}: "
            + (f"first at index {where} (LPOS walks the list, O(N))" if where != -1 else "absent")
            + "\n",
            style="bold",
        )
    for node in nodes:
        if node.get("entries"):
            out.append(f"node {node.get('index')}'s listpack:\n", style="bold")
            prev_node = before.get(node.get("index"))
            strip = dict(node)
            strip.update(
                entries=node["entries"][:NODE_ENTRIES],
                total_bytes=node.get("sz"),
                num_elements=node.get("count"),
                length=node.get("count"),
            )
            out.append_text(draw_listpack(strip, prev_node if prev else None, width))
            break
    return out


class QuicklistView(LayoutView):
    def draw(self, data: dict, previous: dict | None, width: int) -> Text:
        return draw_quicklist(data, previous, width)

"""An intset: a sorted array of integers of one width, and its upgrades.

Drawn as its 8-byte header (encoding, length) and one box per value with
its little-endian bytes. The width is the point: one value outside the
current range (an INT16 set meeting 40000) rewrites every value wider.
"""

from __future__ import annotations

from rich.text import Text

from .base import CHANGED, DATA, HEADER, META, PATH, Block, LayoutView, hexbytes, kv, pack

RANGES = {2: "−32768..32767", 4: "−2³¹..2³¹−1", 8: "−2⁶³..2⁶³−1"}


def draw_intset(data: dict, previous: dict | None, width: int) -> Text:
    layout = data.get("layout", data)
    prev = (previous or {}).get("layout") or {}
    w = layout.get("width", 2)
    changed = {k for k in ("encoding", "width", "length") if prev and prev.get(k) != layout.get(k)}
    out = kv(
        [
            ("encoding", layout.get("encoding")),
            ("width", f"{w} bytes"),
            ("length", layout.get("length")),
            ("blob_len", layout.get("blob_len")),
        ],
        changed,
    )
    out.append(f"\nevery value is {w} bytes wide: range {RANGES.get(w, '?')}", style=META)
    if "width" in changed:
        out.append(f"\nupgraded from {prev.get('width')} to {w} bytes per value", style=CHANGED)
    out.append("\n")
    raw = layout.get("raw") if isinstance(layout.get("raw"), bytes | bytearray) else None
    path = layout.get("path") if isinstance(layout.get("path"), dict) else None
    if path:
        line = Text("PATH ", style="bold")
        line.append(str(path.get("member")), style=PATH)
        if path.get("found"):
            line.append(f"  found at position {path.get('position')} (binary search, O(log N))")
        else:
            line.append(
                f"  not found; it would be inserted at position {path.get('position')}",
                style="bold red",
            )
        out.append_text(line)
        out.append("\n")
    blocks = []
    start = layout.get("window_start", 0)
    if start == 0:
        lines = [Text("header", style="bold")]
        if raw and len(raw) >= 8:
            lines.append(Text(hexbytes(raw[:4]) + " " + hexbytes(raw[4:8]), style=HEADER))
        lines.append(Text(f"enc {w}  len {layout.get('length')}", style=META))
        blocks.append(Block(lines, border="magenta"))
    old_values = set(prev.get("values", [])) if prev else None
    for i, value in enumerate(layout.get("values", [])):
        pos = start + i
        lines = [Text(f"[{pos}]", style=META)]
        at = 8 + pos * w
        if raw and at + w <= len(raw):
            lines.append(Text(hexbytes(raw[at : at + w]), style=DATA))
        lines.append(Text(str(value), style="bold"))
        border = "blue"
        if old_values is not None and value not in old_values:
            border = "yellow"
        if path and path.get("found") and path.get("position") == pos:
            border = "dark_green"
        blocks.append(Block(lines, border=border))
    out.append_text(pack(blocks, width))
    shown = start + len(layout.get("values", []))
    total = layout.get("length", shown)
    if start or shown < total:
        out.append(f"values {start}..{shown - 1} of {total} (WINDOW pages)\n", style=META)
    return out


class IntsetView(LayoutView):
    def draw(self, data: dict, previous: dict | None, width: int) -> Text:
        return draw_intset(data, previous, width)

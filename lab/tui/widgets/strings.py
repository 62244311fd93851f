"""A string's three encodings: ``int``, ``embstr``, ``raw``.

``int``: the robj's pointer field holds the number itself (0..9999 are
shared objects, no allocation at all). ``embstr``: robj and sds in one
allocation (strings up to 44 bytes fit a 64-byte jemalloc class).
``raw``: the robj points at a separate sds allocation.
"""

from __future__ import annotations

from rich.text import Text

from .base import CHANGED, DATA, HEADER, META, LayoutView, kv


def draw_string(data: dict, previous: dict | None, width: int) -> Text:
    layout = data.get("layout", data)
    enc = layout.get("encoding") or data.get("encoding")
    prev = (previous or {}).get("layout") or {}
    changed = {k for k in ("encoding", "bytes") if prev and prev.get(k) != layout.get(k)}
    out = kv(
        [
            ("encoding", enc),
            ("bytes", layout.get("bytes")),
            ("sds_header", layout.get("sds_header", "?")),
        ],
        changed,
    )
    out.append("\n")
    robj = Text("┌ robj 16 B ─────────────┐", style="blue")
    if enc == "int":
        out.append_text(robj)
        out.append(
            f"\n│ type string, enc int   │\n│ ptr = {layout.get('integer')!s:<16} │\n", style="blue"
        )
        out.append("└────────────────────────┘\n", style="blue")
        if layout.get("shared"):
            out.append(
                "a shared integer (0..9999): every key holding it points at one object\n",
                style="green",
            )
        else:
            out.append("the number lives in the pointer field: no string allocation\n", style=META)
        return out
    preview = str(layout.get("value_preview", ""))
    shown = preview[:32] + ("…" if len(preview) > 32 or layout.get("truncated") else "")
    sds = Text()
    sds.append(f"[sdshdr {layout.get('sds_header', '?')} B]", style=HEADER)
    sds.append(f"[{shown}]", style=DATA)
    sds.append("[\\0]", style=META)
    if enc == "embstr":
        out.append("one allocation: ", style=META)
        out.append("[robj 16 B]", style="blue")
        out.append_text(sds)
        out.append(
            "\nembstr: up to 44 bytes, robj and sds share one 64-byte block; "
            "any change makes it raw\n",
            style=META,
        )
    else:
        out.append("[robj 16 B] ──ptr──▶ ", style="blue")
        out.append_text(sds)
        out.append(
            "\nraw: the sds is its own allocation (longer strings, or changed by APPEND/SETRANGE)\n",
            style=META,
        )
    if "encoding" in changed:
        out.append(f"was {prev.get('encoding')}, now {enc}\n", style=CHANGED)
    return out


class StringView(LayoutView):
    def draw(self, data: dict, previous: dict | None, width: int) -> Text:
        return draw_string(data, previous, width)

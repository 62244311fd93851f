"""A skiplist as towers: one column per node, one row per level.

Each node is a tower as tall as its random height; at each level a link
runs to the next node that is at least that tall, labelled with its
*span* (how many rank steps it skips — the sum of spans on a search path is
the rank ``ZRANK`` answers). The header (rank 0) has every level. Big sets
are windowed (``WINDOW start count`` in ranks); links leaving the window say
where they land. With ``PATH member`` the cells ``zslGetRank`` visits are
green: the search starts at the top level of the header, runs right while
the next node is smaller, and drops one level when it would overshoot.
"""

from __future__ import annotations

from rich.text import Text

from .base import CHANGED, META, PATH, LayoutView, kv, short

GAP = 3


def draw_skiplist(data: dict, previous: dict | None, width: int) -> Text:
    layout = data.get("layout", data)
    prev = (previous or {}).get("layout") or {}
    nodes = layout.get("nodes", [])
    level = max(layout.get("level", 1), 1)
    changed = {k for k in ("length", "level") if prev and prev.get(k) != layout.get(k)}
    start = layout.get("window_start", 0)
    total = layout.get("length", len(nodes))
    out = kv(
        [
            ("length", total),
            ("level", level),
            ("window", f"ranks {start + 1}..{start + len(nodes)}" if nodes else "empty"),
        ],
        changed,
    )
    out.append("\n")
    path = layout.get("path") if isinstance(layout.get("path"), dict) else None
    visited: set[tuple[int, int]] = set()
    if path:
        for step in path.get("path") or []:
            for item in step.get("visited") or []:
                visited.add((step.get("level"), item[0]))
        line = Text("PATH ", style="bold")
        line.append(str(path.get("member")), style=PATH)
        if path.get("found"):
            line.append(
                f"  rank {path.get('rank')} (ZRANK {int(path.get('rank')) - 1}), score {path.get('score')}"
            )
        else:
            line.append("  not found", style="bold red")
        line.append(f"  — {len(visited)} cells visited, O(log N)", style=META)
        out.append_text(line)
        out.append("\n")

    # Columns: the header, then the window's nodes.
    # Past the first window the header's links point before it: not drawn.
    head_levels = layout.get("header", []) if start == 0 else []
    columns: list[dict] = [
        {"rank": 0, "label": "HEAD" if start == 0 else "…", "score": "", "levels": head_levels}
    ]
    for node in nodes:
        columns.append(
            {
                "rank": node["rank"],
                "label": short(node.get("ele"), 10),
                "score": _score(node.get("score")),
                "levels": node.get("levels", []),
                "height": node.get("height", len(node.get("levels", []))),
                "backward": node.get("backward_rank"),
            }
        )
    x = 0
    position: dict[int, int] = {}
    for col in columns:
        col["x"] = x
        position[col["rank"]] = x
        col["w"] = max(len(col["label"]), len(col["score"]), 4)
        x += col["w"] + GAP
    end = x
    old_ranks = {n.get("ele"): n.get("rank") for n in prev.get("nodes", [])} if prev else None

    for lvl in range(level - 1, -1, -1):
        cells = [(" ", "")] * (end + 8)
        for col in columns:
            links = {entry.get("level"): entry for entry in col["levels"]}
            if lvl not in links:
                continue
            link = links[lvl]
            cx = col["x"]
            mark_style = PATH if (lvl, col["rank"]) in visited else "bold blue"
            cells[cx] = ("■", mark_style)
            fwd = link.get("forward_rank")
            span = link.get("span")
            if fwd is not None and fwd in position:
                stop = position[fwd] - 1
                tail = ">"
            else:
                stop = end - 1
                tail = "∅" if fwd is None else f"→{fwd}"
            for i in range(cx + 1, stop):
                cells[i] = ("─", "blue")
            if fwd is None:
                cells[min(stop, len(cells) - 1)] = ("∅", META)
            else:
                for j, ch in enumerate(tail):
                    if stop + j < len(cells):
                        cells[stop + j] = (ch, "blue")
            label = str(span) if span is not None and fwd is not None else ""
            mid = cx + 1 + max(0, (stop - cx - 1 - len(label)) // 2)
            if label and stop - cx - 1 > len(label):
                for j, ch in enumerate(label):
                    cells[mid + j] = (ch, "bold yellow")
        row = Text(f"L{lvl:<2} ", style=META)
        # One span per run of equally styled cells (not one per cell: a
        # window of a big set has thousands of cells to render per refresh).
        run, run_style = [], cells[0][1] if cells else ""
        for ch, style in cells:
            if style != run_style:
                row.append("".join(run), style=run_style or None)
                run, run_style = [], style
            run.append(ch)
        if run:
            row.append("".join(run), style=run_style or None)
        row.rstrip()
        out.append_text(row)
        out.append("\n")
    for name in ("label", "score", "rank"):
        row = Text("    ")
        for col in columns:
            value = str(col["rank"]) if name == "rank" else col[name]
            style = "bold" if name == "label" else META
            if (
                name == "label"
                and old_ranks is not None
                and col["rank"]
                and col["label"] not in {short(k, 10) for k in old_ranks}
            ):
                style = CHANGED
            if path and path.get("found") and col["rank"] == path.get("rank") and name == "label":
                style = PATH
            row.append(value.ljust(col["w"] + GAP), style=style)
        out.append_text(row)
        out.append("\n")
    out.append(
        "    spans (yellow) add up to the rank; ■ a level of a node; ∅ end of a level\n", style=META
    )
    if start or start + len(nodes) < total:
        out.append(
            f"    ranks {start + 1}..{start + len(nodes)} of {total} (WINDOW pages)\n", style=META
        )
    d = layout.get("dict")
    if isinstance(d, dict):
        out.append("    and a dict member → score: ", style=META)
        out.append(f"table_size {d.get('table_size')} used {d.get('used')}\n", style=META)
    return out


def _score(score) -> str:
    if score is None:
        return ""
    if isinstance(score, float) and score.is_integer():
        return str(int(score))
    return str(score)


class SkiplistView(LayoutView):
    DEFAULT_CSS = """
    SkiplistView { width: auto; }
    """
    WRAP = False

    def draw(self, data: dict, previous: dict | None, width: int) -> Text:
        text = draw_skiplist(data, previous, width)
        text.no_wrap = True
        text.overflow = "ignore"
        return text

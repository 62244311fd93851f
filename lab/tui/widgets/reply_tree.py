"""A reply as a tree: aggregates (arrays, maps, sets, pushes) fold open.

RESP3 types are kept (:mod:`lab.repl.resp`): each node says what the server
sent — ``(integer) 3``, ``(double) 1.5``, ``(map) 2 pairs`` — so a learner
sees the difference between a status ``OK`` and a bulk ``"OK"``. Scalars are
drawn as one line without a tree.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static, Tree

from lab.repl.format import repr_bytes
from lab.repl.resp import BigNumber, Double, Error, Map, Push, Set, Status, Verbatim

MAX_CHILDREN = 200


def scalar_text(value) -> Text:
    if value is None:
        return Text("(nil)", style="dim")
    if isinstance(value, Error):
        return Text("(error) " + value.text, style="bold red")
    if isinstance(value, bool):
        return Text(f"(boolean) {'true' if value else 'false'}", style="green")
    if isinstance(value, int):
        return Text(f"(integer) {value}", style="green")
    if isinstance(value, Double):
        return Text(f"(double) {value.decode()}", style="green")
    if isinstance(value, BigNumber):
        return Text(f"(big number) {value.decode()}", style="green")
    if isinstance(value, Status):
        return Text(value.decode("utf-8", "replace"), style="bold")
    if isinstance(value, Verbatim):
        return Text(value.decode("utf-8", "replace"))
    if isinstance(value, bytes):
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and all(c.isprintable() for c in text):
            return Text('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"', style="yellow")
        return Text(repr_bytes(value).decode("ascii"), style="yellow")  # redis-cli's escapes
    return Text(str(value))


def aggregate_label(value) -> str:
    if isinstance(value, Map):
        return f"(map) {len(value)} pairs"
    if isinstance(value, Set):
        return f"(set) {len(value)} members"
    if isinstance(value, Push):
        return f"(push) {len(value)} items"
    return f"(array) {len(value)} items" if value else "(empty array)"


def is_aggregate(value) -> bool:
    return isinstance(value, list)


def _fill(node, value) -> None:
    items = list(value)
    for i, item in enumerate(items[:MAX_CHILDREN]):
        if isinstance(value, Map):
            k, v = item
            label = Text(f"{i + 1}# ", style="dim")
            label.append_text(scalar_text(k) if not is_aggregate(k) else Text(aggregate_label(k)))
            label.append(" => ", style="dim")
            if is_aggregate(v):
                label.append(aggregate_label(v), style="cyan")
                _fill(node.add(label, expand=len(v) <= 20), v)
            else:
                label.append_text(scalar_text(v))
                node.add_leaf(label)
            continue
        mark = "~" if isinstance(value, Set) else ")"
        label = Text(f"{i + 1}{mark} ", style="dim")
        if is_aggregate(item):
            label.append(aggregate_label(item), style="cyan")
            _fill(node.add(label, expand=len(item) <= 20), item)
        else:
            label.append_text(scalar_text(item))
            node.add_leaf(label)
    if len(items) > MAX_CHILDREN:
        node.add_leaf(Text(f"… {len(items) - MAX_CHILDREN} more", style="dim"))


class ReplyTree(Tree):
    """An aggregate reply, folded open (big parts start closed)."""

    DEFAULT_CSS = """
    ReplyTree { height: auto; max-height: 24; padding: 0; background: transparent; }
    """

    def __init__(self, reply, **kwargs) -> None:
        super().__init__(Text(aggregate_label(reply), style="cyan"), **kwargs)
        self.show_root = True
        self.guide_depth = 3
        _fill(self.root, reply)
        self.root.expand()


def reply_widget(reply):
    """A tree for aggregates, one line for scalars."""
    if is_aggregate(reply) and reply:
        return ReplyTree(reply, classes="reply")
    if is_aggregate(reply):
        return Static(Text(aggregate_label(reply), style="dim"), classes="reply")
    text = scalar_text(reply)
    return Static(text, classes="reply error" if isinstance(reply, Error) else "reply")

"""What every inspector widget shares: the data it draws, and byte blocks.

An inspector widget is a :class:`LayoutView`: it holds one ``LAB INSPECT``
reply (``data``, a dict in the shape of docs/lab-command.md) and the reply
before it (``previous``), and draws them as Rich text from a pure function,
so snapshot tests can feed fixed dicts without a server. What changed
between the two replies is drawn in the ``changed`` style.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

# Styles shared by the byte strips (header, data, back-length) and highlights.
HEADER = "bold magenta"
DATA = "cyan"
BACKLEN = "yellow"
META = "dim"
CHANGED = "bold black on yellow"
PATH = "bold white on dark_green"
EOF_STYLE = "bold red"


def printable(b: int) -> str:
    return chr(b) if 32 <= b < 127 else "·"


def hexbytes(data: bytes) -> str:
    return " ".join(f"{b:02x}" for b in data)


def short(value, limit: int = 16) -> str:
    text = (
        value if isinstance(value, str) else repr(value) if isinstance(value, bytes) else str(value)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Block:
    """A boxed column of equally wide lines, for packing side by side."""

    def __init__(self, lines: list[Text], border: str = "blue") -> None:
        width = max((cell_len(line.plain) for line in lines), default=0)
        self.width = width + 2
        top = Text("┌" + "─" * width + "┐", style=border)
        bottom = Text("└" + "─" * width + "┘", style=border)
        self.lines = [top]
        for line in lines:
            row = Text("│", style=border)
            row.append_text(line)
            row.append(" " * (width - cell_len(line.plain)))
            row.append("│", style=border)
            self.lines.append(row)
        self.lines.append(bottom)


def pack(blocks: list[Block], width: int, gap: str = "", gap_line: int = 2) -> Text:
    """Lay blocks left to right, wrapping into rows no wider than ``width``.

    ``gap`` goes between blocks on line ``gap_line`` (a link arrow), spaces elsewhere.
    """
    out = Text()
    row: list[Block] = []
    used = 0
    rows: list[list[Block]] = []
    for block in blocks:
        if row and used + block.width + len(gap) > width:
            rows.append(row)
            row, used = [], 0
        row.append(block)
        used += block.width + len(gap)
    if row:
        rows.append(row)
    for r in rows:
        height = max(len(b.lines) for b in r)
        for i in range(height):
            for j, block in enumerate(r):
                if j:
                    out.append(gap if i == gap_line else " " * len(gap), style="bold blue")
                out.append_text(block.lines[i] if i < len(block.lines) else Text(" " * block.width))
            out.append("\n")
    return out


def kv(pairs: list[tuple[str, object]], changed: set[str] | None = None) -> Text:
    """``name value · name value`` on one line; changed names highlighted."""
    out = Text()
    for i, (name, value) in enumerate(pairs):
        if i:
            out.append("  ")
        out.append(f"{name} ", style=META)
        out.append(str(value), style=CHANGED if changed and name in changed else "bold")
    return out


class LayoutView(Static):
    """Base of the inspector widgets: ``data`` in, Rich text out."""

    DEFAULT_CSS = """
    LayoutView { height: auto; padding: 0 1; }
    """

    data: reactive[dict | None] = reactive(None, layout=True)

    def __init__(self, data: dict | None = None, previous: dict | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.previous = previous
        self._drawn: tuple | None = None  # (data, previous, width) -> Text, the last drawing
        self._drawn_text: Text | None = None
        self.set_reactive(LayoutView.data, data)

    def show(self, data: dict | None, previous: dict | None = None) -> None:
        """Draw new data; a full layout pass only when the drawing changes size.

        Textual asks a widget to render more than once per refresh (to measure,
        then to paint) and a layout pass restyles the whole screen: the drawing
        is memoised, and a new window of the same skiplist (same height) only
        repaints this widget.
        """
        before = self._drawn_text
        self.previous = previous
        self.set_reactive(LayoutView.data, data)
        after = self._text()
        same_size = (
            before is not None
            and after is not None
            and len(before.split()) == len(after.split())
            and before.cell_len == after.cell_len
        )
        self.refresh(layout=not same_size)

    def _text(self) -> Text | None:
        if not self.data:
            return None
        width = max(40, (self.size.width or 100) - 2)
        key = (id(self.data), id(self.previous), width)
        if self._drawn != key:
            self._drawn_text = self.draw(self.data, self.previous, width)
            self._drawn = key
        return self._drawn_text

    def render(self) -> Text:
        text = self._text()
        return text if text is not None else Text("nothing to show", style=META)

    def draw(self, data: dict, previous: dict | None, width: int) -> Text:  # pragma: no cover
        raise NotImplementedError

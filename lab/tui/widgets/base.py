"""What every inspector widget shares: the data it draws, and byte blocks.

An inspector widget is a :class:`LayoutView`: it holds one ``LAB INSPECT``
reply (``data``, a dict in the shape of docs/lab-command.md) and the reply
before it (``previous``), and draws them as Rich text from a pure function,
so snapshot tests can feed fixed dicts without a server. What changed
between the two replies is drawn in the ``changed`` style.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

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


class LayoutView(Widget):
    """Base of the inspector widgets: ``data`` in, Rich text out, drawn line by line.

    Textual's line API: the drawing is rendered once into strips (``render_line``
    hands them out), and the widget reports its own size from them, so a new
    window of a big skiplist costs one drawing and a repaint of this widget. A
    ``Static`` would convert the text to Textual's content, measure it, and
    restyle the whole screen in a layout pass on every refresh; with a
    million-member set that cost the UI about 55 ms per refresh
    (benchmarks/tui_responsiveness.py), now it costs a few.
    """

    DEFAULT_CSS = """
    LayoutView { height: auto; padding: 0 1; }
    """

    # Views whose lines must fit the width (byte strips packed in rows) wrap;
    # the skiplist does not (it scrolls sideways).
    WRAP = True

    def __init__(self, data: dict | None = None, previous: dict | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data = data
        self.previous = previous
        # The drawing of (data, previous), and its strips, for the width they
        # were made at; show() forgets both.
        self._drawn_width: int | None = None
        self._drawn_text: Text | None = None
        self._strips_width: int | None = None
        self._strips: list[Strip] | None = None

    def show(self, data: dict | None, previous: dict | None = None) -> None:
        """Draw new data; a layout pass only when the drawing changes size."""
        before = self._extent()
        self.data, self.previous = data, previous
        self._drawn_text = self._strips = None
        self.refresh(layout=self._extent() != before)

    # -- drawing --

    def _content_width(self) -> int:
        return self.size.width or 100

    def _text(self, content_width: int) -> Text:
        if not self.data:
            return Text("nothing to show", style=META)
        width = max(40, content_width - 2)  # what packed drawings may use
        if self._drawn_text is None or self._drawn_width != width:
            self._drawn_text = self.draw(self.data, self.previous, width)
            self._drawn_width = width
            self._strips = None
        return self._drawn_text

    def _lines(self, content_width: int | None = None) -> list[Strip]:
        """The drawing as strips (not yet in the widget's own colours)."""
        content_width = self._content_width() if content_width is None else content_width
        text = self._text(content_width)
        if self._strips is None or (self.WRAP and self._strips_width != content_width):
            console = self.app.console
            if self.WRAP:
                options = console.options.update(width=max(1, content_width), overflow="fold")
            else:
                widest = max((cell_len(line) for line in text.plain.split("\n")), default=1)
                options = console.options.update(
                    width=max(1, widest), no_wrap=True, overflow="ignore"
                )
            lines = console.render_lines(text, options, pad=False, new_lines=False)
            self._strips = [Strip(line) for line in lines]
            self._strips_width = content_width
        return self._strips

    def _extent(self) -> tuple[int, int]:
        lines = self._lines()
        return max((s.cell_length for s in lines), default=0), len(lines)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((s.cell_length for s in self._lines()), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        fill = Style(bgcolor=style.bgcolor)
        lines = self._lines()
        if y >= len(lines):
            return Strip.blank(width, fill)
        return lines[y].apply_style(style).crop_extend(0, width, fill)

    def draw(self, data: dict, previous: dict | None, width: int) -> Text:  # pragma: no cover
        raise NotImplementedError

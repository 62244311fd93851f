"""KeyTable: the Explorer's page of keys, drawn with Textual's line API.

Textual's ``DataTable`` measures every cell of every new row through Rich
(markup parsing, emoji replacement) and re-renders cells on each refresh:
for a page of 200 keys that cost the UI about 70 ms per page with a big
keyspace (benchmarks/tui_responsiveness.py). A page here is plain strings:
column widths come from string lengths, each row becomes one strip once,
and a refresh hands out the visible strips, re-styling only the cursor row.

Keys: up/down, page up/down, home/end move the cursor; Enter (or a click)
selects the row; a click on the header asks to sort by that column.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

GAP = 2
MAX_WIDTH = 60  # a column never grows wider than this (long keys are cut with …)


def _fit(text: str, width: int) -> str:
    """``text`` padded or cut (with …) to exactly ``width`` cells."""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


class KeyTable(ScrollView, can_focus=True):
    """Rows of strings under a fixed header; one row is the cursor."""

    DEFAULT_CSS = """
    KeyTable { height: 1fr; background: $surface; }
    KeyTable > .keytable--header { text-style: bold; background: $panel; color: $text; }
    KeyTable > .keytable--odd { background: $surface-lighten-1; }
    KeyTable > .keytable--cursor { background: $accent 40%; text-style: bold; }
    KeyTable:focus > .keytable--cursor { background: $accent; color: $text; }
    """
    COMPONENT_CLASSES = {
        "keytable--header",
        "keytable--odd",
        "keytable--cursor",
    }
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    class RowSelected(Message):
        """Enter or a click on a row: ``key`` is that row's key."""

        def __init__(self, table: KeyTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> KeyTable:
            return self.table

    class HeaderSelected(Message):
        """A click on a column heading."""

        def __init__(self, table: KeyTable, column_index: int) -> None:
            super().__init__()
            self.table = table
            self.column_index = column_index

        @property
        def control(self) -> KeyTable:
            return self.table

    cursor_row: reactive[int] = reactive(0, repaint=False)

    def __init__(self, columns: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.rows: list[tuple[str, ...]] = []
        self.keys: list[str] = []
        self.widths = [cell_len(c) for c in self.columns]
        self._plain: list[str] = []  # each row's text, padded to the column widths
        self._header = ""
        self._styles: dict[str, Style] = {}

    # -- data --

    def set_rows(self, rows: list[tuple[str, ...]], keys: list[str]) -> None:
        """Show these rows (a new page, or the same page sorted another way)."""
        self.rows, self.keys = rows, keys
        widths = [cell_len(c) for c in self.columns]
        for row in rows:
            for i, cell in enumerate(row):
                n = len(cell) if cell.isascii() else cell_len(cell)
                if n > widths[i]:
                    widths[i] = n
        self.widths = [min(w, MAX_WIDTH) for w in widths]
        gap = " " * GAP
        self._header = gap.join(_fit(c, w) for c, w in zip(self.columns, self.widths, strict=True))
        self._plain = [
            gap.join(_fit(c, w) for c, w in zip(row, self.widths, strict=True)) for row in rows
        ]
        self.virtual_size = Size(cell_len(self._header), len(rows) + 1)
        self.cursor_row = min(self.cursor_row, max(0, len(rows) - 1))
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    # -- drawing --

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are looked up once per paint, not once per line.
        base = self.rich_style
        self._styles = {
            name: base + self.get_component_rich_style(f"keytable--{name}")
            for name in ("header", "odd", "cursor")
        }
        self._styles["even"] = base
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        styles = self._styles
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:  # the header stays put when the rows scroll
            text, style = self._header, styles["header"]
        else:
            index = scroll_y + y - 1
            if index >= len(self._plain):
                return Strip.blank(width, styles["even"])
            text = self._plain[index]
            if index == self.cursor_row:
                style = styles["cursor"]
            else:
                style = styles["odd" if index % 2 else "even"]
        return Strip([Segment(text, style)]).crop_extend(scroll_x, scroll_x + width, style)

    # -- moving --

    def watch_cursor_row(self, old: int, new: int) -> None:
        _, scroll_y = self.scroll_offset
        for row in (old, new):
            self.refresh(Region(0, row - scroll_y + 1, self.size.width, 1))
        self._keep_visible()

    def _keep_visible(self) -> None:
        _, scroll_y = self.scroll_offset
        body = max(1, self.size.height - 1)
        if self.cursor_row < scroll_y:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= scroll_y + body:
            self.scroll_to(y=self.cursor_row - body + 1, animate=False)

    def action_move(self, delta: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(len(self.rows) - 1, self.cursor_row + delta))

    def action_page(self, delta: int) -> None:
        self.action_move(delta * max(1, self.size.height - 2))

    def action_jump(self, row: int) -> None:
        if self.rows:
            self.cursor_row = row % len(self.rows)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self, self.keys[self.cursor_row]))

    def on_click(self, event: Click) -> None:
        scroll_x, scroll_y = self.scroll_offset
        if event.y == 0:
            x = event.x + scroll_x
            edge = 0
            for i, w in enumerate(self.widths):
                edge += w + GAP
                if x < edge:
                    self.post_message(self.HeaderSelected(self, i))
                    return
            return
        index = scroll_y + event.y - 1
        if 0 <= index < len(self.rows):
            self.cursor_row = index
            self.action_select()

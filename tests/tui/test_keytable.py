"""The Explorer's KeyTable: cursor keys, selection, header clicks, long keys."""

from __future__ import annotations

from textual.app import App, ComposeResult

from lab.tui.widgets.keytable import KeyTable, _fit

from .helpers import wait_for

COLUMNS = ["key", "type", "size (B)"]


class TableApp(App):
    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[str] = []
        self.headers: list[int] = []

    def compose(self) -> ComposeResult:
        yield KeyTable(COLUMNS, id="keys")

    def on_mount(self) -> None:
        table = self.query_one(KeyTable)
        table.set_rows(self.rows, [r[0] for r in self.rows])
        table.focus()

    def on_key_table_row_selected(self, event: KeyTable.RowSelected) -> None:
        self.selected.append(event.key)

    def on_key_table_header_selected(self, event: KeyTable.HeaderSelected) -> None:
        self.headers.append(event.column_index)


def _rows(n: int) -> list[tuple[str, ...]]:
    return [(f"key:{i:03d}", "string", str(56 + i)) for i in range(n)]


def _screen(app: App) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def test_fit_pads_and_cuts():
    assert _fit("abc", 5) == "abc  "
    assert _fit("abcdefgh", 5) == "abcd…"
    assert _fit("ключключ", 5) == "ключ…"
    assert _fit("日本語テキスト", 6) == "日本… "  # wide characters: 2 cells each


async def test_cursor_moves_and_enter_selects():
    app = TableApp(_rows(100))
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(KeyTable)
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: app.selected, what="row selected")
        assert app.selected == ["key:002"]
        # Page down moves by a screen and the cursor row stays on screen.
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        row = table.cursor_row
        assert row > 10
        assert any(line.startswith(f"key:{row:03d}") for line in _screen(app))
        assert _screen(app)[0].startswith("key ")  # the header stays on top
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: len(app.selected) == 2)
        assert app.selected[-1] == "key:099"
        await pilot.press("home", "up", "enter")  # up at the top stays at the top
        await wait_for(pilot, lambda: len(app.selected) == 3)
        assert app.selected[-1] == "key:000"


async def test_clicks_select_rows_and_headers():
    app = TableApp(_rows(5))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.click(KeyTable, offset=(1, 3))  # the third row (line 0 is the header)
        await wait_for(pilot, lambda: app.selected, what="clicked row")
        assert app.selected == ["key:002"]
        # "key" is 7 cells wide plus a gap of 2: x=10 is in the "type" heading.
        await pilot.click(KeyTable, offset=(10, 0))
        await wait_for(pilot, lambda: app.headers, what="header click")
        assert app.headers == [1]


async def test_long_keys_are_cut_and_new_rows_replace_old():
    long_key = "session:" + "x" * 200
    app = TableApp([(long_key, "string", "300")])
    async with app.run_test(size=(100, 8)) as pilot:
        await pilot.pause()
        line = _screen(app)[1]
        assert line.startswith("session:xxx") and "…" in line and "string" in line
        table = app.query_one(KeyTable)
        table.set_rows([("a", "hash", "64")], ["a"])
        await pilot.pause()
        assert _screen(app)[1].split() == ["a", "hash", "64"]
        assert table.row_count == 1

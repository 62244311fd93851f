"""Snapshot tests of each inspector widget, fed fixed LAB INSPECT replies (no server)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from lab.tui.widgets.inspector import KeyInspector

from .helpers import (
    HASHTABLE,
    INTSET,
    LISTPACK_HASH,
    QUICKLIST,
    SKIPLIST,
    STRING_EMBSTR,
    STRING_INT,
    STRING_RAW,
)


class InspectorApp(App):
    """A KeyInspector showing one fixed reply (and, optionally, the one before)."""

    def __init__(self, data: dict, previous: dict | None = None) -> None:
        super().__init__()
        self.data = data
        self.previous = previous

    def compose(self) -> ComposeResult:
        yield KeyInspector()

    def on_mount(self) -> None:
        inspector = self.query_one(KeyInspector)
        inspector.show(self.data, self.previous)


CASES = {
    "listpack": LISTPACK_HASH,
    "intset": INTSET,
    "quicklist": QUICKLIST,
    "skiplist": SKIPLIST,
    "hashtable": HASHTABLE,
    "string-embstr": STRING_EMBSTR,
    "string-int": STRING_INT,
    "string-raw": STRING_RAW,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_inspector_widget(snap_compare, name):
    assert snap_compare(InspectorApp(CASES[name]), terminal_size=(110, 32))


def test_listpack_change_highlighted(snap_compare):
    """A new entry (HSET added 'age') is boxed in the highlight colour."""
    before = {**LISTPACK_HASH, "layout": {**LISTPACK_HASH["layout"]}}
    before["layout"]["entries"] = LISTPACK_HASH["layout"]["entries"][:2]
    assert snap_compare(InspectorApp(LISTPACK_HASH, before), terminal_size=(110, 32))


def test_view_chosen_by_encoding():
    from lab.tui.widgets.inspector import view_for
    from lab.tui.widgets.skiplist import SkiplistView

    assert view_for(SKIPLIST) is SkiplistView
    assert view_for({"encoding": "stream", "layout": {}}).__name__ == "GenericView"

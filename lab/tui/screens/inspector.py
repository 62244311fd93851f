"""The Inspector screen: one key, full size, with window paging and PATH lookups."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from ..widgets.inspector import KeyInspector
from .console import new_events


class InspectorScreen(Screen):
    BINDINGS = [
        Binding("ctrl+n", "page(1)", "Next window", priority=True),
        Binding("ctrl+b", "page(-1)", "Prev window", priority=True),
        Binding("ctrl+r", "reload", "Reload"),
        Binding("ctrl+k", "focus_key", "Key"),
        Binding("ctrl+f", "focus_path", "PATH"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="inspector-bar"):
            yield Input(placeholder="key to inspect (Enter)", id="inspect-key")
            yield Input(placeholder="PATH member: where does it live? (Enter)", id="inspect-path")
        yield KeyInspector(id="inspector")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#inspect-key", Input).focus()
        self.watch(self.app, "command_count", lambda _: self.action_reload(), init=False)
        self.watch(self.app, "event_count", self._events, init=False)
        self._seen_id = max((int(e.get("id", 0)) for e in self.app.events), default=0)
        self._take_pending()

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._take_pending)

    def _take_pending(self) -> None:
        """Open the key another screen asked for (``app.open_key``)."""
        if self.app.pending_key is not None and self.query(KeyInspector):
            key, self.app.pending_key = self.app.pending_key, None
            self.open_key(key)

    def open_key(self, key: str) -> None:
        self.query_one("#inspect-key", Input).value = key
        self.query_one("#inspect-path", Input).value = ""
        inspector = self.query_one(KeyInspector)
        inspector.path = None
        inspector.key = key
        inspector.focus()

    @on(Input.Submitted, "#inspect-key")
    def _key(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.open_key(event.value.strip())

    @on(Input.Submitted, "#inspect-path")
    def _path(self, event: Input.Submitted) -> None:
        self.query_one(KeyInspector).path = event.value or None

    def _events(self, _count: int) -> None:
        inspector = self.query_one(KeyInspector)
        for event in new_events(self.app.events, self._seen_id):
            inspector.note_event(event)
            self._seen_id = max(self._seen_id, int(event.get("id", 0)))

    def action_page(self, delta: int) -> None:
        self.query_one(KeyInspector).page(delta)

    def action_reload(self) -> None:
        self.query_one(KeyInspector).reload()

    def action_focus_key(self) -> None:
        self.query_one("#inspect-key", Input).focus()

    def action_focus_path(self) -> None:
        self.query_one("#inspect-path", Input).focus()

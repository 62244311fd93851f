"""The Events screen: the LAB event feed as a live, filterable log.

Events arrive on ``__lab__:events`` (the app subscribes once, see
:mod:`lab.tui.app`); this screen draws them, newest at the bottom, and
filters by a word (type, key, anything in the event). ``p`` pauses.
"""

from __future__ import annotations

import json
import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, RichLog, Static

from lab.client import NO_EVENTS

STYLES = {
    "encoding-conversion": "bold magenta",
    "expire": "yellow",
    "evict": "bold red",
    "eviction": "bold red",
    "rehash-start": "cyan",
    "rehash-finish": "cyan",
    "clock": "green",
}
SKIP = {"id", "type", "time_ms"}


def event_line(event: dict) -> Text:
    ms = int(event.get("time_ms", 0) or 0)
    stamp = time.strftime("%H:%M:%S", time.localtime(ms / 1000)) + f".{ms % 1000:03d}"
    kind = str(event.get("type", "?"))
    out = Text(f"{event.get('id', ''):>6} {stamp} ", style="dim")
    out.append(f"{kind:<20}", style=STYLES.get(kind, "bold"))
    rest = {k: v for k, v in event.items() if k not in SKIP}
    if "key" in rest:
        out.append(f" {rest.pop('key')}", style="bold")
    if kind == "encoding-conversion":
        out.append(f" {rest.pop('from', '?')} → {rest.pop('to', '?')}", style="magenta")
    for k, v in rest.items():
        out.append(f" {k}=", style="dim")
        out.append(v if isinstance(v, str) else json.dumps(v, default=str))
    return out


class EventsScreen(Screen):
    BINDINGS = [
        Binding("ctrl+f", "focus_filter", "Filter"),
        Binding("f9", "pause", "Pause/resume"),
        Binding("ctrl+l", "clear", "Clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.paused = False
        self.filter = ""
        self.shown_id = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: a type, a key, any word (Enter)", id="event-filter")
        yield RichLog(id="event-log", max_lines=5000, wrap=False)
        yield Static("", id="events-status")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "event_count", self._more, init=False)
        self._redraw()
        self.query_one(RichLog).focus()

    def _matches(self, event: dict) -> bool:
        if not self.filter:
            return True
        return self.filter.lower() in json.dumps(event, default=str).lower()

    def _redraw(self) -> None:
        log = self.query_one(RichLog)
        log.clear()
        self.shown_id = 0
        lab = self.app.lab
        if lab is not None and not lab.has_lab:
            log.write(Text(NO_EVENTS, style="italic yellow"))
        self._more(0)

    def _more(self, _count: int) -> None:
        if self.paused:
            return
        log = self.query_one(RichLog)
        shown = 0
        for event in self.app.events:
            ident = int(event.get("id", 0) or 0)
            if ident <= self.shown_id:
                continue
            self.shown_id = ident
            if self._matches(event):
                log.write(event_line(event))
                shown += 1
        state = "paused" if self.paused else "live"
        self.query_one("#events-status", Static).update(
            f"{len(self.app.events)} events received · {state} · filter: {self.filter or '(none)'}"
        )

    @on(Input.Submitted, "#event-filter")
    def _filter(self, event: Input.Submitted) -> None:
        self.filter = event.value.strip()
        self._redraw()

    def action_pause(self) -> None:
        self.paused = not self.paused
        if not self.paused:
            self._more(0)
        else:
            self.query_one("#events-status", Static).update("paused (F9 resumes)")

    def action_clear(self) -> None:
        self.query_one(RichLog).clear()

    def action_focus_filter(self) -> None:
        self.query_one("#event-filter", Input).focus()

"""The redis-lab TUI: an App whose modes are the lab's screens.

Start-up: the app opens on a small "starting" screen, spawns the embedded
server (or attaches to ``--url``), connects in a worker thread, then
installs the screens as *modes* (F1..F8 switch between them, each keeps its
own state). Every network call runs in a worker; the UI thread only draws.

App-wide state that screens watch (``self.watch(self.app, ...)``):

* ``event_count`` — LAB events received on ``__lab__:events`` (kept in
  ``events``, newest last);
* ``command_count`` — commands the learner ran (``last_command``), so
  inspectors refresh after each one.

On exit — quit, Ctrl-C in the terminal, an exception — the clients close and
the embedded server is stopped (see :class:`lab.client.EmbeddedServer`).
"""

from __future__ import annotations

import gc
import time
from collections import deque
from collections.abc import Iterable

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static
from textual.worker import get_current_worker

from lab.client import EmbeddedServer, LabClient, LabError, parse_url

SCREENS_BY_KEY = [
    ("f2", "console", "Console"),
    ("f3", "explorer", "Explorer"),
    ("f4", "inspector", "Inspector"),
    ("f5", "events", "Events"),
    ("f6", "dashboard", "Dashboard"),
    ("f7", "eviction", "Eviction"),
    ("f8", "home", "Lessons"),
]


def _freeze_gc() -> None:
    """Move the objects alive now (widgets, styles, screens) out of the collector's way.

    A full collection of a TUI's heap took 40-70 ms, long enough to show as a
    stutter during a refresh (benchmarks/tui_responsiveness.py). Objects that
    live as long as the app need not be scanned again; called after each
    screen is first built, so new garbage is still collected as usual.
    """
    gc.freeze()


def _sweep_gc() -> None:
    """Once a minute, collect what was frozen and has since become garbage.

    Widgets alive at a freeze and removed later (footer keys recomposed,
    transcript entries cleared) are reference cycles the collector no longer
    scans; without this sweep they would never be freed. One full pass a
    minute costs what each refresh used to risk.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class StartScreen(Screen):
    """Shown while the server starts and the first connection is made."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Starting the lab server…", id="start-message")
        yield LoadingIndicator()
        yield Footer()


class RedisLabApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "redis-lab"
    SUB_TITLE = "starting…"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        *[Binding(key, f"go('{mode}')", label) for key, mode, label in SCREENS_BY_KEY],
        Binding("ctrl+t", "toggle_dark", "Theme", show=False),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    event_count: reactive[int] = reactive(0)
    command_count: reactive[int] = reactive(0)

    def __init__(
        self,
        url: str | None = None,
        server_args: Iterable[str] = (),
        initial: str = "console",
        watch_events: bool = True,
        port: int = 0,
    ) -> None:
        super().__init__()
        self.url = url
        self.server_args = list(server_args)
        self.port = port
        self.initial = initial
        self.watch_events = watch_events
        self.embedded: EmbeddedServer | None = None
        self.lab: LabClient | None = None
        self.events: deque[dict] = deque(maxlen=5000)
        self.last_command: list[str] = []
        self.connect_error: str | None = None
        self._last_event_id = 0
        self.pending_key: str | None = None

    def get_default_screen(self) -> Screen:
        return StartScreen()

    # -- start-up --

    def on_mount(self) -> None:
        self.set_interval(60, _sweep_gc)
        if self.url is None:
            # Spawned here, on the main thread: the child's death signal is tied
            # to the thread that forked it (PR_SET_PDEATHSIG), and workers end.
            self.embedded = EmbeddedServer(self.server_args, port=self.port)
            try:
                self.embedded.spawn()
            except OSError as exc:
                self._fail(f"could not start the lab server: {exc}")
                return
        self._connect()

    @work(thread=True, exclusive=True, group="connect")
    def _connect(self) -> None:
        try:
            if self.embedded is not None:
                self.embedded.wait_ready()
                address = self.embedded.address
            else:
                address = parse_url(self.url or "")
            lab = LabClient(address, name="redis-lab:tui").connect()
        except (OSError, RuntimeError, LabError, ValueError) as exc:
            self.call_from_thread(self._fail, str(exc))
            return
        self.call_from_thread(self._connected, lab)

    def _fail(self, message: str) -> None:
        self.connect_error = message
        self.sub_title = "not connected"
        try:
            self.screen.query_one("#start-message", Static).update(
                f"[b red]Could not connect[/]\n{message}\n\nctrl+q quits."
            )
            self.screen.query("LoadingIndicator").remove()
        except Exception:
            pass
        self.notify(message, title="redis-lab", severity="error", timeout=30)

    def _connected(self, lab: LabClient) -> None:
        from .screens import MODES

        self.lab = lab
        where = "embedded " if self.embedded is not None else ""
        self.sub_title = f"{where}{lab.description}" + ("" if lab.has_lab else " · no LAB")
        for name, screen in MODES.items():
            self.add_mode(name, screen)
        self.switch_mode(self.initial)
        if self.watch_events and lab.has_lab:
            self._event_stream()

    def switch_mode(self, mode: str):
        """Switch screens; once the screen is built, freeze what is alive (see _freeze_gc)."""
        done = super().switch_mode(mode)
        self.call_after_refresh(_freeze_gc)
        return done

    @property
    def connected(self) -> bool:
        return self.lab is not None

    # -- events --

    @work(thread=True, exclusive=True, group="events")
    def _event_stream(self) -> None:
        """Subscribe to ``__lab__:events``; backfill recent ones with LAB EVENTS."""
        worker = get_current_worker()
        assert self.lab is not None
        try:
            sub = self.lab.clone("redis-lab:events")
            sub.subscribe_events()
            backlog = self.lab.events(0, 500).get("events") or []
        except (OSError, LabError) as exc:
            self.call_from_thread(self.notify, f"events: {exc}", severity="warning")
            return
        self.call_from_thread(self._add_events, backlog)
        try:
            while not worker.is_cancelled:
                event = sub.read_event(0.3)
                if event is None:
                    continue
                # Deliver what arrives within 50 ms as one batch: a fill that
                # evicts thousands of keys must not cost the UI one hop (and
                # one redraw of every watching screen) per event.
                batch = [event]
                deadline = time.monotonic() + 0.05
                while len(batch) < 2000 and time.monotonic() < deadline:
                    more = sub.read_event(0.01)
                    if more is None:
                        break
                    batch.append(more)
                self.call_from_thread(self._add_events, batch)
        except (OSError, ConnectionError):
            pass
        finally:
            sub.close()

    def _add_events(self, batch: list[dict]) -> None:
        added = 0
        for event in batch:
            ident = int(event.get("id", 0) or 0)
            if ident and ident <= self._last_event_id:
                continue
            self._last_event_id = max(self._last_event_id, ident)
            self.events.append(event)
            added += 1
        if added:
            self.event_count += added

    def command_ran(self, args: list[str]) -> None:
        """Called by the console (and the lesson screen) after each command."""
        self.last_command = list(args)
        self.command_count += 1

    # -- actions --

    def action_go(self, mode: str) -> None:
        if not self.connected:
            self.bell()
            return
        self.switch_mode(mode)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def open_key(self, key: str) -> None:
        """Show a key in the Inspector screen (from the explorer, the palette ...)."""
        if not self.connected:
            return
        # The mode's screen is created or resumed after this returns: it picks
        # the key up in on_screen_resume.
        self.pending_key = key
        self.switch_mode("inspector")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.connected:
            for key, mode, label in SCREENS_BY_KEY:
                yield SystemCommand(
                    f"Go to {label}",
                    f"switch to the {label} screen ({key})",
                    lambda m=mode: self.switch_mode(m),
                )
        yield SystemCommand(
            "Toggle light/dark", "switch between the light and dark themes", self.action_toggle_dark
        )
        yield SystemCommand("Help", "the keys of every screen", self.action_help)
        if self.lab is not None and self.lab.has_lab:
            for title, args in (
                ("Clock: freeze", ("FREEZE",)),
                ("Clock: resume", ("RESUME",)),
                ("Clock: advance 1 second", ("ADVANCE", 1000)),
                ("Clock: advance 1 minute", ("ADVANCE", 60000)),
            ):
                yield SystemCommand(
                    title, "LAB CLOCK " + " ".join(map(str, args)), lambda a=args: self._clock(*a)
                )

    @work(thread=True)
    def _clock(self, action: str, ms: int | None = None) -> None:
        assert self.lab is not None
        reply = self.lab.clock(action, ms)
        self.call_from_thread(
            self.notify, f"clock: {reply.get('now_ms')} ms, frozen {reply.get('frozen')}"
        )

    # -- shutdown --

    def shutdown(self) -> None:
        """Close connections and stop the embedded server (idempotent)."""
        for worker in list(self.workers):
            worker.cancel()
        if self.lab is not None:
            self.lab.close()
        if self.embedded is not None:
            self.embedded.stop()

    def on_unmount(self) -> None:
        self.shutdown()


def run(
    url: str | None = None, server_args: Iterable[str] = (), initial: str = "home", port: int = 0
) -> int:
    app = RedisLabApp(url=url, server_args=server_args, initial=initial, port=port)
    try:
        app.run()
    finally:
        app.shutdown()
    return 1 if app.connect_error else 0

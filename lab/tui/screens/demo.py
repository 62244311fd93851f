"""The Demo screen: a classroom demo on the TUI, next to the live inspector.

Left, the narration of the current step (Markdown) and the session so far
(commands and replies, as the console shows them); right, the inspector
pointed at the key the step changed, and below it the memory, keyspace or
event summary the step asks for. Space or Enter runs the next step; the
steps come from :mod:`lab.demos` and run in a worker thread through
:class:`lab.demos.DemoRunner`, on the app's connection.

``redis-lab demo NAME --tui`` opens it through :class:`DemoApp`, a
:class:`~lab.tui.app.RedisLabApp` that pushes this screen once connected, so
the other screens (F2..F8) stay one key away during a demo.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, RichLog, Static

from lab.demos import Demo, DemoRunner, StepResult

from .. import app as app_module
from ..app import RedisLabApp
from ..widgets.inspector import KeyInspector


def summary_text(result: StepResult) -> Text:
    out = Text()
    if result.memory is not None:
        m = result.memory
        out.append(
            f"used {m.get('used_memory')} / maxmemory {m.get('maxmemory')} · "
            f"{m.get('maxmemory_policy')} · evicted {m.get('evicted_keys')}\n",
            style="bold",
        )
        pool = m.get("pool") or []
        if pool:
            out.append("pool, best first: ", style="dim")
            for entry in pool[:6]:
                score = entry.get("freq", entry.get("idle_ms", ""))
                out.append(f"{entry.get('key')} ({score})  ")
            out.append("\n")
    if result.keyspace is not None:
        ks = result.keyspace
        cycle = ks.get("expire_cycle") or {}
        out.append(
            f"keys {ks.get('keys')} · with TTL {ks.get('expires')} · expired_keys "
            f"{cycle.get('expired_keys', '?')} · active expire "
            f"{'on' if cycle.get('active_expire_enabled') else 'off'}\n",
            style="bold",
        )
    if result.event_counts:
        counts = ", ".join(f"{n} × {kind}" for kind, n in result.event_counts.items())
        out.append(f"events during the step: {counts}", style="magenta")
    return out


class DemoScreen(Screen):
    DEFAULT_CSS = """
    DemoScreen #demo-left { width: 1fr; }
    DemoScreen #demo-right { width: 1fr; }
    DemoScreen #demo-step { height: auto; padding: 0 1; background: $boost; }
    DemoScreen #demo-prose { height: auto; max-height: 12; }
    DemoScreen #demo-log { height: 1fr; border-top: solid $primary; }
    DemoScreen #demo-summary { height: auto; padding: 0 1; border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("space", "next", "Next step", priority=True),
        Binding("enter", "next", "Next step", show=False, priority=True),
    ]

    #: steps run so far
    shown: reactive[int] = reactive(0)

    def __init__(self, demo: Demo, auto: float | None = None) -> None:
        super().__init__()
        self.demo = demo
        self.auto = auto
        self.runner: DemoRunner | None = None
        self.running = False
        self.results: list[StepResult] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="demo-left"):
                yield Static(id="demo-step")
                yield Markdown(id="demo-prose")
                yield RichLog(id="demo-log", wrap=True, markup=False, highlight=False)
            with Vertical(id="demo-right"):
                yield KeyInspector(id="demo-inspector")
                yield Static(id="demo-summary")
        yield Footer()

    def on_mount(self) -> None:
        lab = getattr(self.app, "lab", None)
        self.runner = DemoRunner(self.demo, lab)
        self.sub_title = self.demo.title
        self._announce()
        if self.auto is not None:
            self.set_interval(max(self.auto, 0.05), self.action_next)

    @property
    def done(self) -> bool:
        return self.runner is not None and self.runner.done and not self.running

    def _announce(self) -> None:
        """Show the next step's title and prose (before it runs)."""
        assert self.runner is not None
        total = len(self.demo.steps)
        title = self.query_one("#demo-step", Static)
        prose = self.query_one("#demo-prose", Markdown)
        if self.runner.done:
            title.update(Text(f"{self.demo.title}: the end", style="bold green"))
            prose.update("All steps ran. F2..F8 open the lab's other screens; ctrl+q quits.")
            return
        step = self.demo.steps[self.runner.position]
        title.update(
            Text(f"{self.runner.position + 1}/{total} · {step.title}   (space: run it)", "bold")
        )
        prose.update(step.prose)

    def action_next(self) -> None:
        if self.running or self.runner is None or self.runner.done:
            return
        self.running = True
        self._run_step()

    @work(thread=True, exclusive=True, group="demo")
    def _run_step(self) -> None:
        assert self.runner is not None
        try:
            result = self.runner.step()
        except Exception as exc:  # a network error or a failed command: say it, keep going
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, result)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#demo-log", RichLog).write(Text(message, style="bold red"))

    def _show(self, result: StepResult) -> None:
        log = self.query_one("#demo-log", RichLog)
        log.write(Text(f"── {result.step.title}", style="bold cyan"))
        if result.action_note:
            log.write(Text(f"▶ {result.action_note}", style="italic cyan"))
        for command, reply in result.transcript:
            log.write(Text(f"> {command}", style="bold"))
            log.write(Text(reply))
        if result.step.inspect:
            inspector = self.query_one(KeyInspector)
            key = result.step.inspect[0]
            if inspector.key == key:
                inspector.reload()
            else:
                inspector.key = key
        self.query_one("#demo-summary", Static).update(summary_text(result))
        self.results.append(result)
        self.running = False
        self.shown += 1
        if hasattr(self.app, "command_ran") and result.transcript:
            self.app.command_ran(result.transcript[-1][0].split())
        self._announce()


class DemoApp(RedisLabApp):
    """The lab's TUI, opening on a demo."""

    # CSS_PATH is relative to the file of the class that sets it: point at the app's.
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, demo: Demo, url: str | None = None, auto: float | None = None, **kw):
        server_args = [] if url else list(demo.server_args)
        super().__init__(url=url, server_args=server_args, **kw)
        self.demo = demo
        self.auto = auto
        self.demo_screen: DemoScreen | None = None

    def _connected(self, lab) -> None:
        super()._connected(lab)
        self.demo_screen = DemoScreen(self.demo, auto=self.auto)
        self.push_screen(self.demo_screen)


def run_demo_tui(name: str, url: str | None = None, auto: float | None = None) -> int:
    from lab.demos import get

    app = DemoApp(get(name), url=url, auto=auto)
    try:
        app.run()
    finally:
        app.shutdown()
    return 1 if app.connect_error else 0

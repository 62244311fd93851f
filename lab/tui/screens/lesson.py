"""A lesson, step by step, on :class:`lab.tutor.LessonRunner`.

Left: the step's text (Markdown), its ```redis examples (ctrl+r runs the next
one), the check status after every command, the hints. Bottom: a command
line like the console's. Right: an inspector on the key the step checks.
The runner does the talking (two connections of its own); this screen only
draws, and calls it from worker threads.
"""

from __future__ import annotations

import queue
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Markdown, Static
from textual.worker import get_current_worker

from ..widgets.inspector import KeyInspector
from ..widgets.reply_tree import scalar_text
from .console import CommandInput, new_events

ICONS = {"pass": ("✓", "green"), "fail": ("✗", "red"), "skip": ("–", "yellow")}


def step_markdown(lesson, index: int) -> str:
    step = lesson.steps[index]
    text = f"## {index + 1}/{len(lesson.steps)} · {step.title}\n\n{step.prose}\n"
    return text


class LessonScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Lessons"),
        Binding("ctrl+n", "step(1)", "Next step"),
        Binding("ctrl+b", "step(-1)", "Prev step"),
        Binding("ctrl+r", "example", "Run example"),
        Binding("f9", "hint", "Hint"),
        Binding("f10", "check", "Check"),
    ]

    def __init__(self, lesson, store=None) -> None:
        super().__init__()
        self.lesson = lesson
        self.store = store
        self.runner = None
        self.index = 0
        self.example_cursor = 0
        self._jobs: queue.Queue[Callable[[], None]] = queue.Queue()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lesson-body"):
            with Vertical(id="lesson-left"):
                with VerticalScroll(id="lesson-text"):
                    yield Markdown("", id="lesson-markdown")
                yield Static("", id="lesson-checks")
                yield Static("", id="lesson-hints")
                yield VerticalScroll(id="lesson-transcript")
                yield CommandInput(id="lesson-command")
            yield KeyInspector(id="lesson-inspector")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.lesson.title
        self.query_one(CommandInput).focus()
        # LAB events reach the key pane too: a conversion gets its banner
        # (old and new encodings, the threshold) as in the Inspector.
        self._seen_id = max((int(e.get("id", 0)) for e in self.app.events), default=0)
        self.watch(self.app, "event_count", self._events, init=False)
        self._start()

    def _events(self, _count: int) -> None:
        inspector = self.query_one(KeyInspector)
        for event in new_events(self.app.events, self._seen_id):
            inspector.note_event(event)
            self._seen_id = max(self._seen_id, int(event.get("id", 0)))

    def _url(self) -> str:
        a = self.app.lab.address
        auth = ""
        if a.password is not None:
            auth = f"{a.username or ''}:{a.password}@"
        return f"redis://{auth}{a.host}:{a.port}/{a.db}"

    @work(thread=True, exclusive=True, group="lesson")
    def _start(self) -> None:
        from lab.tutor import LessonRunner, Link

        try:
            self.runner = LessonRunner(self.lesson, Link.connect(self._url()), progress=self.store)
            notes = self.runner.prepare()
            self.runner.begin(0)
        except Exception as exc:  # show whatever went wrong; the app goes on
            self.app.call_from_thread(self.notify, f"lesson: {exc}", severity="error")
            return
        self.app.call_from_thread(self._show_step, notes)
        self.app.call_from_thread(self._serve)

    def _show_step(self, notes: list[str] | None = None) -> None:
        step = self.lesson.steps[self.index]
        self.example_cursor = 0
        text = step_markdown(self.lesson, self.index)
        if notes:
            text += "\n> " + "\n> ".join(notes) + "\n"
        self.query_one("#lesson-markdown", Markdown).update(text)
        self.query_one("#lesson-hints", Static).update(
            Text(f"{len(step.hints)} hint(s): F9 shows the next" if step.hints else "", style="dim")
        )
        self.query_one("#lesson-checks", Static).update(
            Text("F10 checks · ctrl+r runs the next example · ctrl+n next step", style="dim")
            if step.checks
            else Text("nothing to check in this step: ctrl+n moves on", style="dim")
        )
        keys = [k for c in step.checks for k in c.keys()]
        self.query_one(KeyInspector).key = (
            self.runner.key(keys[0]) if keys and self.runner else None
        )

    # -- commands --

    # -- the runner's work, in order --
    # Everything the runner does (commands, checks, moving between steps) goes
    # through one queue served by one worker thread: commands typed quickly
    # run in the order they were typed, and the runner's connections are
    # never used by two threads at once.

    def _submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    @work(thread=True, exclusive=True, group="lesson-run")
    def _serve(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                job = self._jobs.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                job()
            except Exception as exc:  # a lost connection ...: say so, keep serving
                self.app.call_from_thread(self.notify, f"lesson: {exc}", severity="error")

    @on(Input.Submitted, "#lesson-command")
    def _typed(self, event: Input.Submitted) -> None:
        # CommandInput has already cleared itself (and remembered the line):
        # clearing it here would drop what was typed after Enter.
        line = event.value.strip()
        if line and self.runner is not None:
            self._execute(line)

    def _execute(self, line: str) -> None:
        def job() -> None:
            outcome = self.runner.execute(line)
            report = self.runner.check() if self.runner.step.checks else None
            self.app.call_from_thread(self._executed, outcome, report)

        self._submit(job)

    def _executed(self, outcome, report) -> None:
        box = self.query_one("#lesson-transcript", VerticalScroll)
        line = Text("› " + outcome.line, style="bold")
        box.mount(Static(line))
        box.mount(
            Static(
                scalar_text(outcome.reply)
                if not isinstance(outcome.reply, list)
                else Text(str(outcome.reply)[:400])
            )
        )
        if outcome.note:
            box.mount(Static(Text(outcome.note, style="italic yellow")))
        box.scroll_end(animate=False)
        if report is not None:
            self._report(report)
        self.query_one(KeyInspector).reload()
        self.app.command_ran(outcome.args)

    def _report(self, report) -> None:
        text = Text()
        for result in report.results:
            icon, style = ICONS.get(result.status, ("?", ""))
            text.append(f"{icon} ", style=f"bold {style}")
            text.append(result.message() if result.failed else result.check.describe())
            text.append("\n")
        if report.passed:
            text.append("Step passed — ctrl+n for the next one", style="bold green")
        self.query_one("#lesson-checks", Static).update(text)

    def action_check(self) -> None:
        if self.runner is not None:
            self._check()

    def _check(self) -> None:
        self._submit(lambda: self.app.call_from_thread(self._report, self.runner.check()))

    def action_example(self) -> None:
        step = self.lesson.steps[self.index]
        lines = [
            line
            for block in step.examples
            for line in block
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if not lines or self.runner is None:
            self.notify("no example to run in this step")
            return
        line = lines[self.example_cursor % len(lines)]
        self.example_cursor += 1
        self._execute(line)

    def action_hint(self) -> None:
        if self.runner is None:
            return
        hint = self.runner.next_hint()
        widget = self.query_one("#lesson-hints", Static)
        if hint is None:
            widget.update(Text("no more hints", style="dim"))
        else:
            widget.update(Text(f"Hint {self.runner.hints_shown}: {hint}", style="italic cyan"))

    def action_step(self, delta: int) -> None:
        if self.runner is None:
            return
        index = self.index + delta
        if index >= len(self.lesson.steps):
            self._finish()
            return
        if 0 <= index:
            self._begin(index)

    def _begin(self, index: int) -> None:
        def job() -> None:
            self.runner.begin(index)
            self.index = index
            self.app.call_from_thread(self._show_step)

        self._submit(job)

    def _finish(self) -> None:
        def job() -> None:
            self.runner.finish()
            self.app.call_from_thread(self.notify, f"{self.lesson.title}: finished")
            self.app.call_from_thread(self.app.pop_screen)

        self._submit(job)

    def on_unmount(self) -> None:
        if self.runner is not None:
            self.runner.link.close()

"""The console: type commands, see typed replies, watch the key change beside them.

Its own connection (``redis-lab:console``, RESP3) is the learner's: SELECT,
MULTI and CLIENT settings stay on it. The command line is highlighted and
completed from the server's ``COMMAND DOCS``; replies are trees; a command
listed in ``dangerous.yaml`` first shows why, and the safer way. The right
pane is a :class:`KeyInspector` that follows the last key a command named
(the grammar knows which words are keys).
"""

from __future__ import annotations

import queue

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from lab.client import LabClient
from lab.repl import dangerous
from lab.repl.grammar import CommandTable, analyze, offline_table
from lab.repl.resp import Error
from lab.repl.split import split_args

from ..widgets.command_input import CommandSuggester, RedisHighlighter, completions
from ..widgets.inspector import KeyInspector
from ..widgets.reply_tree import reply_widget

# Commands that would take the console's connection away from it.
STREAMING = {
    "SUBSCRIBE": "the Events screen (F5) follows __lab__:events; for other channels use redis-lab cli",
    "PSUBSCRIBE": "use redis-lab cli for Pub/Sub sessions",
    "SSUBSCRIBE": "use redis-lab cli for Pub/Sub sessions",
    "MONITOR": "use redis-lab cli, or the Dashboard (F6) for counters",
    "SYNC": "a replication stream is not a reply",
    "PSYNC": "a replication stream is not a reply",
}
MAX_TRANSCRIPT = 200  # command blocks kept on screen


def toolbar(table: CommandTable | None, line: str, keys: list[str]) -> str:
    from lab.repl.completer import toolbar_text

    text = toolbar_text(table, line)
    options = completions(table, line, keys)[:8]
    if options and line.strip():
        text += "   ⇥ " + " ".join(options)
    return text


class CommandInput(Input):
    """The command line: Tab accepts the suggestion, ↑/↓ walk the history."""

    BINDINGS = [
        Binding("tab", "complete", "Complete", show=False),
        Binding("up", "history(-1)", "Previous", show=False),
        Binding("down", "history(1)", "Next", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        self.redis_highlighter = RedisHighlighter()
        self.redis_suggester = CommandSuggester()
        super().__init__(
            placeholder="type a Redis command — Tab completes, ↑ history, F1 help",
            highlighter=self.redis_highlighter,
            suggester=self.redis_suggester,
            **kwargs,
        )
        self.history: list[str] = []
        self.history_index = 0

    def set_table(self, table: CommandTable | None) -> None:
        self.redis_highlighter.set_table(table)
        self.redis_suggester.table = table
        self.refresh()

    async def action_submit(self) -> None:
        """Enter: hand the line over and clear the input at once.

        Clearing here, not in the screen's handler, matters when keys arrive
        faster than messages are handled (a paste, tmux send-keys): whatever is
        typed after Enter belongs to the next command, not to this one.
        """
        line = self.value
        self.value = ""
        self.post_message(self.Submitted(self, line))

    def _on_paste(self, event: events.Paste) -> None:
        """A pasted block of several lines runs as several commands, in order.

        Textual's Input keeps only a paste's first line; a teacher pasting a
        block of commands (or a terminal delivering fast typing as a paste)
        expects each line to run.
        """
        lines = event.text.splitlines()
        if len(lines) <= 1:
            super()._on_paste(event)
            return
        event.stop()
        self.insert_text_at_cursor(lines[0])
        first = self.value
        self.value = ""
        for line in [first, *lines[1:]]:
            if line.strip():
                self.post_message(self.Submitted(self, line))

    def action_complete(self) -> None:
        if self._suggestion and len(self._suggestion) > len(self.value):
            self.value = self._suggestion + " "
            self.cursor_position = len(self.value)

    def action_history(self, delta: int) -> None:
        if not self.history:
            return
        self.history_index = max(0, min(len(self.history), self.history_index + delta))
        self.value = (
            self.history[self.history_index] if self.history_index < len(self.history) else ""
        )
        self.cursor_position = len(self.value)

    def remember(self, line: str) -> None:
        if not self.history or self.history[-1] != line:
            self.history.append(line)
        self.history_index = len(self.history)


class ConsoleScreen(Screen):
    BINDINGS = [
        Binding("ctrl+l", "clear", "Clear"),
        Binding("ctrl+o", "focus_inspector", "Inspector pane"),
        Binding("escape", "focus_input", "Command line", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.conn: LabClient | None = None
        self.table: CommandTable | None = offline_table()
        self.known_keys: list[str] = []
        self.pending: queue.Queue = queue.Queue()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="console-body"):
            with Vertical(id="console-left"):
                yield VerticalScroll(id="transcript")
                yield Static("", id="hint")
                yield CommandInput(id="command")
            yield KeyInspector(id="console-inspector")
        yield Footer()

    def on_mount(self) -> None:
        cmd = self.query_one(CommandInput)
        cmd.set_table(self.table)
        cmd.redis_suggester.keys = lambda: self.known_keys
        cmd.focus()
        self._connect()
        self._runner()
        self.watch(self.app, "event_count", self._events_arrived, init=False)
        self._seen_id = max((int(e.get("id", 0)) for e in self.app.events), default=0)
        self.query_one("#transcript").mount(
            Static(
                Text.from_markup(
                    "[b]redis-lab console[/b] — try [b magenta]SET[/] greeting hello, "
                    "[b magenta]HSET[/] user:1 name Ada, [b magenta]ZADD[/] board 10 ada, "
                    "[b magenta]LAB INSPECT[/] greeting"
                ),
                classes="banner",
            )
        )

    @work(thread=True, exclusive=True, group="console-connect")
    def _connect(self) -> None:
        self.conn = self.app.lab.clone("redis-lab:console")
        try:
            table = CommandTable.from_server(self.conn.conn)
        except (LookupError, OSError):
            table = None
        if table is not None:
            self.app.call_from_thread(self._set_table, table)

    def _set_table(self, table: CommandTable) -> None:
        self.table = table
        self.query_one(CommandInput).set_table(table)

    # -- typing --

    @on(Input.Changed, "#command")
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#hint", Static).update(
            Text(toolbar(self.table, event.value, self.known_keys), style="dim")
        )

    @on(Input.Submitted, "#command")
    def _submitted(self, event: Input.Submitted) -> None:
        line = event.value.strip()
        cmd = self.query_one(CommandInput)
        if not line:
            return
        cmd.remember(line)
        self.submit(line)

    def submit(self, line: str) -> None:
        """Run one line as if typed (tests and the lesson screen call this too)."""
        raw = split_args(line)
        if raw is None:
            self._echo(line, Error(b"Invalid argument(s): unbalanced quotes"))
            return
        args = [a.decode("utf-8", "surrogateescape") for a in raw]
        head = args[0].upper()
        if head in ("CLEAR",):
            self.action_clear()
            return
        if head in STREAMING:
            self._echo(line, Error(f"not in the console: {STREAMING[head]}".encode()))
            return
        danger = dangerous.check(args)
        if danger is not None and danger.confirm:

            def decided(run: bool | None) -> None:
                if run:
                    self._run(line, args)
                else:
                    self._note(f"{danger.name} not sent. Safer: {danger.instead}", "warning")

            self.app.push_screen(_danger_screen(danger, line), decided)
            return
        if danger is not None:
            self._note(f"{danger.name}: {danger.reason}  Safer: {danger.instead}", "warning")
        self._run(line, args)

    def _run(self, line: str, args: list[str]) -> None:
        self.pending.put((line, args))

    @work(thread=True, exclusive=True, group="console-run")
    def _runner(self) -> None:
        """One thread sends the queued commands, in the order they were typed."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                line, args = self.pending.get(timeout=0.2)
            except queue.Empty:
                continue
            if self.conn is None:
                self.conn = self.app.lab.clone("redis-lab:console")
            try:
                reply = self.conn.execute(*[a.encode("utf-8", "surrogateescape") for a in args])
            except (OSError, ConnectionError) as exc:
                reply = Error(f"connection: {exc}".encode())
                self.conn.close()
            self.app.call_from_thread(self._done, line, args, reply)

    def _done(self, line: str, args: list[str], reply) -> None:
        self._echo(line, reply)
        key = self._key_of(args)
        if key is not None and not isinstance(reply, Error):
            if key not in self.known_keys:
                self.known_keys.append(key)
            inspector = self.query_one(KeyInspector)
            if inspector.key == key:
                inspector.reload()
            else:
                inspector.key = key
        elif key is None:
            self.query_one(KeyInspector).reload()
        self.app.command_ran(args)

    def _key_of(self, args: list[str]) -> str | None:
        if len(args) >= 3 and args[0].upper() == "LAB" and args[1].upper() == "INSPECT":
            return args[2]
        analysis = analyze(self.table, args)
        for word, info in zip(args, analysis.roles, strict=False):
            if info.role == "key":
                return word
        return None

    # -- the transcript --

    def _echo(self, line: str, reply) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        echo = Text("› ", style="bold blue")
        body = Text(line)
        self.query_one(CommandInput).redis_highlighter.highlight(body)
        echo.append_text(body)
        block = Vertical(Static(echo, classes="echo"), reply_widget(reply), classes="entry")
        transcript.mount(block)
        entries = transcript.query(".entry")
        if len(entries) > MAX_TRANSCRIPT:
            entries.first().remove()
        transcript.scroll_end(animate=False)

    def _note(self, message: str, kind: str) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.mount(Static(Text("⚠ " + message), classes=f"note {kind}"))
        transcript.scroll_end(animate=False)

    def _events_arrived(self, count: int) -> None:
        inspector = self.query_one(KeyInspector)
        for event in new_events(self.app.events, self._seen_id):
            inspector.note_event(event)
            self._seen_id = max(self._seen_id, int(event.get("id", 0)))

    # -- actions --

    def action_clear(self) -> None:
        self.query_one("#transcript").remove_children()

    def action_focus_inspector(self) -> None:
        self.query_one(KeyInspector).focus()

    def action_focus_input(self) -> None:
        self.query_one(CommandInput).focus()

    def on_unmount(self) -> None:
        if self.conn is not None:
            self.conn.close()


def new_events(events, seen_id: int) -> list[dict]:
    """Events newer than ``seen_id`` (the deque is oldest first)."""
    out = []
    for event in reversed(events):
        if int(event.get("id", 0)) <= seen_id:
            break
        out.append(event)
    return out[::-1]


def _danger_screen(danger, line):
    from .confirm import DangerScreen

    return DangerScreen(danger, line)

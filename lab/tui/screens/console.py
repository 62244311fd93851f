"""The console: type commands, see typed replies, watch the key change beside them.

Its own connection (``redis-lab:console``, RESP3) is the learner's: SELECT,
MULTI and CLIENT settings stay on it. The command line is highlighted and
completed from the server's ``COMMAND DOCS``; replies are trees; a command
listed in ``dangerous.yaml`` first shows why, and the safer way. The right
pane is a :class:`KeyInspector` that follows the last key a command named
(the grammar knows which words are keys).

Commands run one at a time, in the order they were typed, on one thread. A
blocking command (BLPOP & co.) would hold that queue for as long as it waits,
so it is sent on a connection of its own (``redis-lab:console-blocking``, in
the console's database) and waits there: its entry says it is blocked, later
commands run (an LPUSH typed next wakes it), and its reply fills the entry
when it comes. Esc or Ctrl-C cancels it with ``CLIENT UNBLOCK`` from the
lab's other connection. Inside MULTI it is only queued, so it stays on the
console's connection.
"""

from __future__ import annotations

import queue
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from lab.client import LabClient, LabError, client_fields
from lab.repl import dangerous
from lab.repl.grammar import CommandTable, analyze, offline_table
from lab.repl.resp import NEED_MORE, Error, Push
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

# Commands that may wait for another client (blocking.c's, and WAIT).
BLOCKING = {
    "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP",
    "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT", "WAITAOF",
}  # fmt: skip
BLOCKED_NOTE = "(blocking… other commands still run; Esc or Ctrl-C cancels)"


def is_blocking(args: list[str]) -> bool:
    """Would this command wait for another client? (XREAD only with BLOCK.)"""
    head = args[0].upper() if args else ""
    if head in BLOCKING:
        return True
    if head in ("XREAD", "XREADGROUP"):
        for word in args[1:]:
            if word.upper() == "STREAMS":
                break
            if word.upper() == "BLOCK":
                return True
    return False


@dataclass(eq=False)
class Blocked:
    """A blocking command waiting on its own connection."""

    line: str
    args: list[str]
    conn: LabClient
    client_id: int
    entry: Vertical | None = None
    waiting: Static | None = None
    cancelled: bool = False


def toolbar(table: CommandTable | None, line: str, keys: list[str]) -> str:
    from lab.repl.completer import toolbar_text

    text = toolbar_text(table, line)
    options = completions(table, line, keys)[:8]
    if options and line.strip():
        text += "   ⇥ " + " ".join(options)
    return text


CLEAR = object()  # in the command queue: clear the transcript here


class ClearRequest(Message):
    """ctrl+l, queued in typing order (see ConsoleScreen.action_clear)."""


class CommandInput(Input):
    """The command line: Tab accepts the suggestion, ↑/↓ walk the history.

    Every key is handled in the order it was typed, however fast keys come.
    Textual runs a focused widget's key bindings (Enter, Backspace, Tab, ↑ ...)
    only after the key has bubbled up to the App, one message queue per
    ancestor, while the characters typed after it go straight to this widget:
    in a burst (tmux send-keys, a fast typist) the characters were inserted
    before the Enter was acted on, and several lines merged into one. So this
    widget runs its own bindings as soon as it receives the key.
    """

    BINDINGS = [
        Binding("tab", "complete", "Complete", show=False),
        Binding("up", "history(-1)", "Previous", show=False),
        Binding("down", "history(1)", "Next", show=False),
        Binding("ctrl+c", "interrupt", "Cancel", show=False),
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

    async def _on_key(self, event: events.Key) -> None:
        """Run the binding for ``event`` now, in typing order.

        Textual runs a binding only after the key has bubbled up to the App,
        behind the keys of the same terminal read: Enter would submit after
        the next line was typed, ctrl+l would clear lines typed after it.
        So this widget's own bindings, then its ancestors' (the screen's,
        the app's), run here, as the key arrives.
        """
        if event.is_printable:
            return  # Input._on_key inserts it
        node = self
        while node is not None:
            for binding in node._bindings.key_to_bindings.get(event.key, ()):
                if binding.priority:
                    continue  # the App ran priority bindings before forwarding the key
                if await self.app.run_action(binding.action, node):
                    event.stop()
                    event.prevent_default()
                    return
            node = node.parent

    async def action_submit(self) -> None:
        """Enter: hand the line over, remember it, and clear the input at once."""
        line = self.value
        self.value = ""
        if line.strip():
            self.remember(line.strip())
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
                self.remember(line.strip())
                self.post_message(self.Submitted(self, line))

    def _suggested(self) -> str | None:
        """The completion of the current line, computed now (not the async suggestion)."""
        if not self.cursor_at_end:
            return None
        suggestion = self.redis_suggester.suggest(self.value)
        if suggestion and len(suggestion) > len(self.value):
            return suggestion
        return None

    def action_complete(self) -> None:
        suggestion = self._suggested()
        if suggestion:
            self.value = suggestion + " "
            self.cursor_position = len(self.value)

    def action_cursor_right(self, select: bool = False) -> None:
        suggestion = None if select or not self.selection.is_empty else self._suggested()
        if suggestion:
            self.value = suggestion
            self.cursor_position = len(self.value)
        else:
            super().action_cursor_right(select)

    def action_interrupt(self) -> None:
        """Ctrl-C: cancel a blocked command; else copy a selection; else drop the line."""
        cancel = getattr(self.screen, "cancel_blocking", None)
        if cancel is not None and cancel():
            return
        if not self.selection.is_empty:
            self.action_copy()
            return
        self.value = ""
        self.history_index = len(self.history)

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
        Binding("escape", "cancel_blocking", "Cancel blocked command"),
        Binding("escape", "focus_input", "Command line", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.conn: LabClient | None = None
        self.table: CommandTable | None = offline_table()
        self.known_keys: list[str] = []
        self.pending: queue.Queue = queue.Queue()
        self.conn_id: int | None = None  # the console connection's CLIENT ID
        self.blocked: list[Blocked] = []

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
        conn = self.app.lab.clone("redis-lab:console")
        self.conn_id = self._client_id(conn)
        self.conn = conn
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
        if line:  # CommandInput.action_submit remembered it already
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
            self.pending.put(CLEAR)
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
                item = self.pending.get(timeout=0.2)
            except queue.Empty:
                continue
            if item is CLEAR:  # after the replies of everything typed before it
                self.app.call_from_thread(self._clear_now)
                continue
            line, args = item
            try:
                conn = self._console_conn()
            except (OSError, ConnectionError, LabError) as exc:
                self._reply_from_thread(line, args, Error(f"connection: {exc}".encode()))
                continue
            if is_blocking(args) and self._run_aside(worker, line, args):
                continue
            try:
                reply = conn.execute(*[a.encode("utf-8", "surrogateescape") for a in args])
            except (OSError, ConnectionError) as exc:
                reply = Error(f"connection: {exc}".encode())
                conn.close()
            self._reply_from_thread(line, args, reply)

    def _console_conn(self) -> LabClient:
        """The console's connection (runner thread only), reconnected if it was lost."""
        if self.conn is None:
            conn = self.app.lab.clone("redis-lab:console")
            self.conn_id = self._client_id(conn)
            self.conn = conn
        elif self.conn.conn is None:  # lost: a fresh connection has a new id
            self.conn.connect()
            self.conn_id = self._client_id(self.conn)
        return self.conn

    @staticmethod
    def _client_id(conn: LabClient) -> int | None:
        try:
            return conn.client_id()
        except (LabError, ValueError, TypeError):
            return None

    def _reply_from_thread(self, line: str, args: list[str], reply) -> None:
        try:
            self.app.call_from_thread(self._done, line, args, reply)
        except RuntimeError:  # the app is closing
            pass

    # -- blocking commands --

    def _client_line(self, client_id: int | None) -> dict[str, str] | None:
        """``CLIENT LIST ID`` of one connection, asked on the lab's own connection."""
        if client_id is None:
            return None
        try:
            reply = self.app.lab.call("CLIENT", "LIST", "ID", str(client_id))
        except (LabError, OSError, ConnectionError):
            return None
        text = reply.decode() if isinstance(reply, bytes) else str(reply)
        return client_fields(text.strip()) if text.strip() else None

    def _run_aside(self, worker, line: str, args: list[str]) -> bool:
        """Send a blocking command on a connection of its own (runner thread).

        Returns False when it should run on the console's connection after
        all (inside MULTI it is queued, not blocked). Waits until the command
        has either replied or is blocked on the server, so commands typed
        after it run after it, as typed; then a worker waits for its reply.
        """
        state = self._client_line(self.conn_id)
        if state is not None and "x" in state.get("flags", ""):
            return False  # in MULTI: QUEUED, and EXEC runs it without blocking
        try:
            side = self.app.lab.clone("redis-lab:console-blocking")
            if state is not None and state.get("db", "0") != str(side.address.db):
                side.execute("SELECT", state["db"])
            if state is not None and state.get("resp") == "2":
                side.execute("HELLO", "2")
            side_id = side.client_id()
            assert side.conn is not None
            side.conn.send(*[a.encode("utf-8", "surrogateescape") for a in args])
        except (OSError, ConnectionError, LabError, ValueError) as exc:
            self._reply_from_thread(line, args, Error(f"connection: {exc}".encode()))
            return True
        while not worker.is_cancelled:
            try:
                reply = side.conn.read(timeout=0.05)
            except (OSError, ConnectionError) as exc:
                reply = Error(f"connection: {exc}".encode())
            if reply is not NEED_MORE and not isinstance(reply, Push):
                side.close()  # answered at once (data was there, or an error)
                self._reply_from_thread(line, args, reply)
                return True
            fields = self._client_line(side_id)
            if fields is None or "b" in fields.get("flags", ""):
                break  # blocked on the server (or we cannot tell): stop holding the queue
        else:
            side.close()
            return True
        blocked = Blocked(line, args, side, side_id)
        try:
            self.app.call_from_thread(self._show_blocked, blocked)
        except RuntimeError:
            side.close()
        return True

    def _show_blocked(self, blocked: Blocked) -> None:
        blocked.waiting = Static(
            Text(BLOCKED_NOTE, style="italic yellow"), classes="reply blocking"
        )
        blocked.entry = self._echo(blocked.line, None, blocked.waiting)
        self.blocked.append(blocked)
        self.refresh_bindings()
        self.run_worker(
            partial(self._wait_blocked, blocked),
            thread=True,
            group="console-blocked",
            name=f"blocked {blocked.line}",
        )

    def _wait_blocked(self, blocked: Blocked) -> None:
        """A worker: wait for the blocked command's reply on its own connection."""
        worker = get_current_worker()
        conn = blocked.conn.conn
        try:
            while not worker.is_cancelled and conn is not None:
                try:
                    reply = conn.read(timeout=0.2)
                except (OSError, ConnectionError) as exc:
                    reply = Error(f"connection: {exc}".encode())
                if reply is NEED_MORE or isinstance(reply, Push):
                    continue
                try:
                    self.app.call_from_thread(self._unblocked, blocked, reply)
                except RuntimeError:  # the app is closing
                    pass
                return
        finally:
            blocked.conn.close()

    def _unblocked(self, blocked: Blocked, reply) -> None:
        if blocked in self.blocked:
            self.blocked.remove(blocked)
        self.refresh_bindings()
        entry, waiting = blocked.entry, blocked.waiting
        if entry is not None and waiting is not None and entry.is_attached:
            entry.mount(reply_widget(reply), after=waiting)
            waiting.remove()
            if blocked.cancelled:
                self._note(
                    f"{blocked.line}: cancelled (CLIENT UNBLOCK {blocked.client_id})", "info"
                )
            elif self.query("#transcript .entry").last() is not entry:
                self._note(f"{blocked.line} returned: its reply is above", "info")
        else:  # scrolled out of the transcript: show it again
            self._echo(blocked.line, reply)
        self._after(blocked.args, reply)

    def cancel_blocking(self) -> bool:
        """Unblock the console's blocked commands (Esc, Ctrl-C); False if none."""
        waiting = [b for b in self.blocked if not b.cancelled]
        if not waiting:
            return False
        for blocked in waiting:
            blocked.cancelled = True
            if blocked.waiting is not None:
                blocked.waiting.update(Text("(cancelling…)", style="italic yellow"))
        self._unblock([b.client_id for b in waiting])
        return True

    @work(thread=True, group="console-unblock")
    def _unblock(self, ids: list[int]) -> None:
        for client_id in ids:
            try:
                self.app.lab.call("CLIENT", "UNBLOCK", str(client_id))
            except (LabError, OSError, ConnectionError):
                pass  # it replied meanwhile, or the server is gone

    # -- replies --

    def _done(self, line: str, args: list[str], reply) -> None:
        self._echo(line, reply)
        self._after(args, reply)

    def _after(self, args: list[str], reply) -> None:
        """Follow the command's key in the inspector; count it."""
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

    def _echo(self, line: str, reply, shown: Widget | None = None) -> Vertical:
        """Add a command and its reply (or ``shown`` in its place) to the transcript."""
        transcript = self.query_one("#transcript", VerticalScroll)
        echo = Text("› ", style="bold blue")
        body = Text(line)
        self.query_one(CommandInput).redis_highlighter.highlight(body)
        echo.append_text(body)
        if shown is None:
            shown = reply_widget(reply)
        block = Vertical(Static(echo, classes="echo"), shown, classes="entry")
        transcript.mount(block)
        entries = transcript.query(".entry")
        if len(entries) > MAX_TRANSCRIPT:
            entries.first().remove()
        transcript.scroll_end(animate=False)
        return block

    def _note(self, message: str, kind: str) -> None:
        transcript = self.query_one("#transcript", VerticalScroll)
        mark = "⚠ " if kind == "warning" else "↳ "
        transcript.mount(Static(Text(mark + message), classes=f"note {kind}"))
        transcript.scroll_end(animate=False)

    def _events_arrived(self, count: int) -> None:
        inspector = self.query_one(KeyInspector)
        for event in new_events(self.app.events, self._seen_id):
            inspector.note_event(event)
            self._seen_id = max(self._seen_id, int(event.get("id", 0)))

    # -- actions --

    def action_clear(self) -> None:
        # Through the command line's message queue, then the command queue:
        # behind the lines typed before ctrl+l, ahead of those typed after.
        self.query_one(CommandInput).post_message(ClearRequest())

    @on(ClearRequest)
    def _clear_request(self, event: ClearRequest) -> None:
        event.stop()
        self.pending.put(CLEAR)

    def _clear_now(self) -> None:
        self.query_one("#transcript").remove_children()

    def action_focus_inspector(self) -> None:
        self.query_one(KeyInspector).focus()

    def action_focus_input(self) -> None:
        self.query_one(CommandInput).focus()

    def action_cancel_blocking(self) -> None:
        self.cancel_blocking()
        self.query_one(CommandInput).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_blocking":
            return any(not b.cancelled for b in self.blocked)
        return True

    def on_unmount(self) -> None:
        if self.conn is not None:
            self.conn.close()
        # Blocked commands' workers are cancelled with the screen and close their connections.


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

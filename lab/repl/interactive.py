"""The interactive prompt (prompt-toolkit), its local commands and modes.

A loop around :class:`~lab.repl.session.Session`: read a line with
completion, highlighting and the syntax toolbar, then handle what redis-cli
handles locally (``quit``, ``clear``, ``connect``, ``help``, a leading repeat
count) plus our additions (``PEEK``, ``| shell``, dangerous-command
warnings, a pager for long replies) and send the rest.

Ctrl-C while a command waits (``BLPOP k 0``, ``SUBSCRIBE``, ``MONITOR``)
arrives as KeyboardInterrupt in the blocking ``recv``. The connection is then
out of step with its replies, so it is dropped and a new one is opened with
the same AUTH, HELLO and SELECT; the learner is back at the prompt.
"""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from . import dangerous, grammar, peek
from . import help as helptext
from .completer import KeyCache, RedisCompleter, toolbar_text
from .lexer import RedisLexer
from .resp import Connection, Error
from .session import Session
from .split import scan_words, split_args


def history_path() -> Path:
    override = os.environ.get("REDIS_LAB_HISTORY")
    if override:
        return Path(override)
    try:
        import platformdirs

        base = Path(platformdirs.user_state_dir("redis-lab"))
    except ImportError:  # pragma: no cover
        base = Path.home() / ".local" / "state" / "redis-lab"
    return base / "cli_history"


def side_connection(session: Session) -> Connection:
    """A second connection with the session's credentials and database."""
    opts = session.opts
    conn = Connection(opts.host, opts.port, opts.socket, timeout=2.0).connect()
    if opts.password is not None:
        args = ["AUTH", opts.user, opts.password] if opts.user else ["AUTH", opts.password]
        conn.execute(*args)
    if session.db:
        conn.execute("SELECT", str(session.db))
    return conn


def split_pipe(line: str) -> tuple[str, str | None]:
    """``KEYS * | sort`` → (``KEYS *``, ``sort``): the first unquoted ``|`` word."""
    for word in scan_words(line):
        if not word.quote and line[word.start : word.end].startswith("|") and word.start > 0:
            return line[: word.start].rstrip(), line[word.start + 1 :].strip()
    return line, None


class Repl:
    def __init__(self, session: Session, input=None, output=None) -> None:
        self.session = session
        self.opts = session.opts
        session.interactive_errors = True
        self.table: grammar.CommandTable | None = None
        self.keys = KeyCache(lambda: side_connection(session))
        self._pt_input = input
        self._pt_output = output
        self.prompt_session = None

    # -- setup ---------------------------------------------------------------

    def load_table(self) -> None:
        table = None
        if self.session.conn is not None:
            try:
                table = grammar.CommandTable.from_server(self.session.conn)
            except (LookupError, OSError, ConnectionError):
                table = None
        self.table = table or grammar.offline_table()
        self.session.table = self.table
        self.completer.table = self.table
        self.lexer_class.default_table = self.table

    def build(self):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, InMemoryHistory
        from prompt_toolkit.lexers import PygmentsLexer
        from prompt_toolkit.styles import Style, merge_styles, style_from_pygments_cls
        from pygments.styles import get_style_by_name

        self.completer = RedisCompleter(
            None, self.keys, newbie=self.opts.newbie, db=lambda: self.session.db
        )
        self.lexer_class = type("SessionRedisLexer", (RedisLexer,), {"default_table": None})
        try:
            path = history_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            history = FileHistory(str(path))
        except OSError:
            history = InMemoryHistory()
        style = merge_styles(
            [
                style_from_pygments_cls(get_style_by_name("monokai")),
                Style.from_dict({"bottom-toolbar": "bg:#222222 #aaaaaa noreverse"}),
            ]
        )
        self.prompt_session = PromptSession(
            history=history,
            completer=self.completer,
            lexer=PygmentsLexer(self.lexer_class),
            bottom_toolbar=self._toolbar,
            complete_while_typing=True,
            style=style,
            input=self._pt_input,
            output=self._pt_output,
            enable_history_search=False,
        )

    def _toolbar(self):
        text = self.prompt_session.default_buffer.document.text_before_cursor
        return " " + toolbar_text(self.table, text)

    # -- loop ----------------------------------------------------------------

    def run(self) -> int:
        self.build()
        self.session.connect()
        self.load_table()
        while True:
            try:
                line = self.prompt_session.prompt(self.session.prompt())
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            try:
                if not self.handle(line):
                    break
            except KeyboardInterrupt:
                self.interrupted()
        self.session.close()
        return 0

    def interrupted(self) -> None:
        """Ctrl-C during a command: drop the connection, open a fresh one."""
        was_multi = self.session.in_multi
        self.session.close()
        self.session.err.write("\n(interrupted)\n")
        if was_multi:
            self.session.err.write("(the MULTI in progress was discarded)\n")
        self.session.err.flush()
        self.session.connect()

    def handle(self, line: str) -> bool:
        line = line.strip()
        if not line:
            return True
        command_part, shell = split_pipe(line)
        args = split_args(command_part)
        if args is None:
            self.session.write(b"Invalid argument(s)\n")
            return True
        if not args:
            return True
        words = [a.decode("utf-8", "replace") for a in args]
        name = words[0].lower()
        if name in ("quit", "exit"):
            return False
        if name == "clear":
            self.session.write(b"\x1b[H\x1b[2J")
            return True
        if name == "connect":
            return self.reconnect(words[1:])
        if name in ("help", "?"):
            self.show(helptext.render_help(words[1:], self.table), shell)
            return True
        if name == "peek":
            self.peek(args[1:], shell)
            return True
        repeat = 1
        if len(args) > 1 and words[0].isdigit():
            repeat = int(words[0])
            if repeat <= 0:
                self.session.write(b"Invalid redis-cli repeat command option value.\n")
                return True
            args, words = args[1:], words[1:]
        if self.opts.warnings and not self.confirm(words):
            return True
        streaming = words[0].lower() in ("subscribe", "psubscribe", "ssubscribe", "monitor")
        if shell is None and streaming:
            self.session.run_command(args, repeat, self.opts.interval)
        else:
            self.show_command(args, repeat, shell)
        self.keys.invalidate()
        return True

    def confirm(self, words: list[str]) -> bool:
        danger = dangerous.check(words, newbie=self.opts.newbie)
        if danger is None:
            return True
        self.session.err.write(danger.message() + "\n")
        self.session.err.flush()
        if not danger.confirm:
            return True
        try:
            answer = self.prompt_session.prompt(
                "Run it anyway? [y/N] ", completer=None, lexer=None, bottom_toolbar=None
            )
        except (KeyboardInterrupt, EOFError):
            return False
        return answer.strip().lower() in ("y", "yes")

    def reconnect(self, words: list[str]) -> bool:
        if not words:
            self.session.write(b"Usage: CONNECT host [port]\n")
            return True
        self.opts.host = words[0]
        self.opts.socket = None
        if len(words) > 1:
            self.opts.port = int(words[1])
        self.session.db = 0
        if self.session.connect():
            self.keys = KeyCache(lambda: side_connection(self.session))
            self.completer.key_cache = self.keys
            self.load_table()
        return True

    def peek(self, args: list[bytes], shell: str | None) -> None:
        if len(args) != 1:
            self.session.write(b"Usage: PEEK key\n")
            return
        try:
            conn = side_connection(self.session)
        except OSError as exc:
            self.session.err.write(f"PEEK: cannot connect: {exc}\n")
            return
        try:
            lab = not isinstance(conn.execute("LAB", "HELP"), Error)
            self.show(peek.peek(conn, args[0], lab_server=lab), shell)
        finally:
            conn.close()

    # -- output: pager and shell pipes ------------------------------------------

    def show_command(self, args: list[bytes], repeat: int, shell: str | None) -> None:
        buffer = io.BytesIO()
        real_out = self.session.out
        self.session.out = buffer
        try:
            if shell is not None:
                saved = self.session.output
                self.session.output = "raw"  # a pipe gets what redis-cli prints to a pipe
                try:
                    self.session.run_command(args, repeat, self.opts.interval)
                finally:
                    self.session.output = saved
            else:
                self.session.run_command(args, repeat, self.opts.interval)
        finally:
            self.session.out = real_out
        self.show(buffer.getvalue(), shell)

    def show(self, data: bytes, shell: str | None = None) -> None:
        if shell is not None:
            sys.stdout.flush()
            try:
                subprocess.run(shell, shell=True, input=data, check=False)
            except OSError as exc:
                self.session.err.write(f"pipe failed: {exc}\n")
            return
        if self.needs_pager(data):
            pager = os.environ.get("REDIS_LAB_PAGER") or os.environ.get("PAGER") or "less -FRX"
            try:
                subprocess.run(shlex.split(pager), input=data, check=False)
                return
            except OSError:
                pass
        self.session.write(data)

    def needs_pager(self, data: bytes) -> bool:
        if os.environ.get("REDIS_LAB_PAGER", None) == "" or not self.opts.pager:
            return False
        out = self.session.out
        try:
            if not out.isatty():
                return False
        except (AttributeError, ValueError):
            return False
        rows = shutil.get_terminal_size((80, 24)).lines
        return data.count(b"\n") > rows - 2


def run_interactive(session: Session) -> int:
    return Repl(session).run()

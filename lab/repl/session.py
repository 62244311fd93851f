"""One client session: the connection, its state, and running commands.

The same :class:`Session` serves a one-shot command (``redis-lab cli GET k``),
commands piped on stdin and the interactive prompt, so all three print the
same bytes for the same reply. The session remembers what redis-cli's prompt
shows (selected db, ``MULTI`` in progress, protocol) by watching the commands
that change them, and reconnects (re-running AUTH/HELLO/SELECT) when a
connection is lost or abandoned after Ctrl-C.
"""

from __future__ import annotations

import sys
import time

from . import format as fmt
from .options import Options
from .resp import NEED_MORE, Connection, Error, Push, Status


class NotConnected(ConnectionError):
    """No connection and reconnecting failed (the message is already printed)."""


SUBSCRIBE_COMMANDS = (b"subscribe", b"psubscribe", b"ssubscribe")


class Session:
    def __init__(self, opts: Options, out=None, err=None, output: str = fmt.STANDARD) -> None:
        self.opts = opts
        self.out = out or sys.stdout.buffer
        self.err = err or sys.stderr
        self.output = output
        self.conn: Connection | None = None
        self.db = opts.db
        self.resp = opts.resp
        self.in_multi = False
        self.last_error = False

    # -- connection ------------------------------------------------------------

    @property
    def address(self) -> str:
        return self.opts.socket or f"{self.opts.host}:{self.opts.port}"

    def connect(self, quiet: bool = False) -> bool:
        """Connect and authenticate; prints redis-cli's message on failure."""
        self.close()
        conn = Connection(self.opts.host, self.opts.port, self.opts.socket, timeout=5.0)
        try:
            conn.connect()
        except OSError as exc:
            if not quiet:
                reason = exc.strerror or str(exc)
                self.err.write(f"Could not connect to Redis at {self.address}: {reason}\n")
                self.err.flush()
            return False
        conn.on_push = self._print_push
        self.conn = conn
        self.in_multi = False
        try:
            self._handshake()
        except (OSError, ConnectionError) as exc:
            if not quiet:
                self.err.write(f"Could not connect to Redis at {self.address}: {exc}\n")
            self.close()
            return False
        return True

    def _handshake(self) -> None:
        conn = self.conn
        assert conn is not None
        opts = self.opts
        if opts.password is not None:
            args = ["AUTH", opts.user, opts.password] if opts.user else ["AUTH", opts.password]
            reply = conn.execute(*args)
            if isinstance(reply, Error):
                self.err.write(f"AUTH failed: {reply.text}\n")
                self.err.flush()
        if self.db:
            reply = conn.execute("SELECT", str(self.db))
            if isinstance(reply, Error):
                self.err.write(f"SELECT {self.db} failed: {reply.text}\n")
                self.db = 0
        if self.resp == 3:
            reply = conn.execute("HELLO", "3")
            if isinstance(reply, Error):
                self.err.write(f"Failed switching to RESP3: {reply.text}\n")
                self.resp = 2
            else:
                conn.protocol = 3
        self.err.flush()

    def ensure_connected(self) -> bool:
        return self.conn is not None or self.connect()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def prompt(self) -> str:
        """``127.0.0.1:6379[2](TX)> `` as redis-cli 7 shows it."""
        if self.conn is None:
            return "not connected> "
        where = f"redis {self.opts.socket}" if self.opts.socket else self.address
        db = f"[{self.db}]" if self.db else ""
        tx = "(TX)" if self.in_multi else ""
        return f"{where}{db}{tx}> "

    # -- output ------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.out.flush()

    def render(self, reply, args: list[bytes] | None = None, mode: str | None = None) -> bytes:
        mode = mode or self.output
        words = [a.decode("utf-8", "replace") for a in args or []]
        if args is not None and fmt.forces_raw(words):
            # Reports (INFO, MEMORY DOCTOR...) print as they are, in every mode.
            return fmt.format_raw(reply, self.opts.raw_delimiter.encode())
        if mode == fmt.RAW:
            return fmt.format_raw(reply, self.opts.raw_delimiter.encode()) + (
                self.opts.cmd_delimiter.encode()
            )
        return fmt.format_reply(reply, mode)

    def _print_push(self, push: Push) -> None:
        """Out-of-band pushes (client tracking invalidations) before a reply."""
        self.write(self.render(push))

    # -- commands --------------------------------------------------------------

    def call(self, args: list[bytes]):
        """Send one command and return its reply, updating the session state.

        Raises ConnectionError / OSError when the connection is lost; the
        caller decides whether that is fatal (one-shot) or not (the prompt).
        """
        if not self.ensure_connected():
            raise NotConnected("not connected")
        assert self.conn is not None
        self.conn.send(*args)
        try:
            reply = self.conn.read_reply()
        except KeyboardInterrupt:
            # The reply may still come; the connection is out of step: drop it.
            self.close()
            raise
        self.track_state(args, reply)
        return reply

    def track_state(self, args: list[bytes], reply) -> None:
        name = args[0].lower() if args else b""
        ok = isinstance(reply, Status) and reply == b"OK"
        self.last_error = isinstance(reply, Error)
        if name == b"select" and ok and len(args) == 2:
            self.db = int(args[1])
        elif name == b"multi" and ok:
            self.in_multi = True
        elif name in (b"exec", b"discard"):
            self.in_multi = False
        elif name == b"hello" and len(args) > 1 and not isinstance(reply, Error):
            if args[1] in (b"2", b"3"):
                self.resp = int(args[1])
                if self.conn is not None:
                    self.conn.protocol = self.resp
        elif name == b"reset" and isinstance(reply, Status):
            self.db, self.in_multi, self.resp = 0, False, 2

    def run_command(self, args: list[bytes], repeat: int = 1, interval: float = 0.0) -> bool:
        """Run (and repeat) one command, printing each reply; False on a lost connection."""
        count = 0
        while repeat < 0 or count < repeat:
            if count and interval:
                time.sleep(interval)
            count += 1
            name = args[0].lower() if args else b""
            try:
                if name in SUBSCRIBE_COMMANDS:
                    self.start_subscribe(args)
                    return True
                reply = self.call(args)
            except NotConnected:
                return False
            except (ConnectionError, OSError) as exc:
                if self._closed_on_purpose(args):
                    return True
                self.err.write(f"Error: {exc}\n")
                self.err.flush()
                self.close()
                return False
            self.emit(args, reply)
            if isinstance(reply, Error) and self.opts.exit_on_error:
                return True
            if name == b"monitor" and not isinstance(reply, Error):
                self.stream_messages(args)
                return True
        return True

    def emit(self, args: list[bytes], reply) -> None:
        """Print a reply, or with ``-e`` an error on stderr (as redis-cli does)."""
        if isinstance(reply, Error) and self.opts.exit_on_error and not self.interactive_errors:
            self.err.write(reply.text + "\n")
            self.err.flush()
            return
        self.write(self.render(reply, args))

    #: The prompt and piped stdin print errors like any reply even with ``-e``.
    interactive_errors = False

    def _closed_on_purpose(self, args: list[bytes]) -> bool:
        return bool(args) and args[0].lower() in (b"shutdown", b"quit")

    def start_subscribe(self, args: list[bytes]) -> None:
        """SUBSCRIBE and friends: the confirmations and messages all stream."""
        if not self.ensure_connected():
            raise NotConnected("not connected")
        assert self.conn is not None
        self.conn.send(*args)
        if self.output != fmt.RAW:
            self.write(b"Reading messages... (press Ctrl-C to quit)\n")
        self.stream_messages(args)

    def stream_messages(self, args: list[bytes]) -> None:
        """SUBSCRIBE / MONITOR: print what arrives until the connection ends.

        Ctrl-C (KeyboardInterrupt) is left to the caller, which drops this
        connection and reconnects.
        """
        assert self.conn is not None
        while self.conn is not None:
            reply = self.conn.read(timeout=0.5)
            if reply is NEED_MORE:
                continue
            self.write(self.render(reply, args))

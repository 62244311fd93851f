"""The interactive REPL in a real pseudo-terminal: Ctrl-C, streaming modes, warnings.

The REPL runs as a child process on a pty (as a learner's terminal would run
it); the test types into it and sends ``\\x03`` (Ctrl-C) the way a terminal
does, then reads the screen bytes.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.redis

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")


class PtyRepl:
    def __init__(self, *args: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - child
            os.chdir(ROOT)
            os.environ["TERM"] = "xterm"
            code = "import sys; from lab.repl import main; sys.exit(main(sys.argv[1:]))"
            os.execv(sys.executable, [sys.executable, "-c", code, *args])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.screen = b""
        self.pending = b""

    def read(self, seconds: float = 0.5) -> bytes:
        end = time.monotonic() + seconds
        got = b""
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                if b"\x1b[6n" in chunk:  # answer cursor position requests like a terminal
                    os.write(self.fd, b"\x1b[1;1R")
                got += chunk
        self.screen += got
        return ANSI.sub(b"", got)

    def wait_for(self, needle: bytes, seconds: float = 8.0) -> bytes:
        """Wait until ``needle`` appears; returns what was seen up to it."""
        end = time.monotonic() + seconds
        while True:
            at = self.pending.find(needle)
            if at >= 0:
                seen = self.pending[: at + len(needle)]
                self.pending = self.pending[at + len(needle) :]
                return seen
            if time.monotonic() > end:
                raise AssertionError(f"{needle!r} not seen; got {self.pending[-800:]!r}")
            self.pending += self.read(0.2)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def close(self) -> int:
        try:
            self.type("\x04")
            self.read(0.5)
        except OSError:
            pass
        for _ in range(50):
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.1)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        os.close(self.fd)
        return -9


@pytest.fixture
def repl(real_redis):
    session = PtyRepl("-p", str(real_redis.port))
    session.wait_for(f"127.0.0.1:{real_redis.port}>".encode())
    yield session
    session.close()


def test_prompt_shows_db_and_multi(repl, real_redis):
    port = real_redis.port
    repl.type("select 5\r")
    repl.wait_for(f"127.0.0.1:{port}[5]>".encode())
    repl.type("multi\r")
    repl.wait_for(f"127.0.0.1:{port}[5](TX)>".encode())
    repl.type("exec\r")
    repl.wait_for(b"(empty array)")


def test_ctrl_c_cancels_a_blocking_command(repl, real_redis):
    repl.type("select 2\r")
    repl.wait_for(b"[2]>")
    repl.type("blpop never:filled 0\r")
    time.sleep(0.8)
    repl.type("\x03")
    repl.wait_for(b"(interrupted)")
    # Back at the prompt, on a fresh connection that kept the database.
    repl.type("client info\r")
    repl.wait_for(b"db=2")
    repl.wait_for(b"cmd=client|info")
    assert real_redis.client().lpush("never:filled", "x") == 1
    # The abandoned BLPOP must not have taken the element.
    time.sleep(0.2)
    assert real_redis.client().llen("never:filled") == 1
    real_redis.client().delete("never:filled")


def test_ctrl_c_leaves_monitor(repl, real_redis):
    repl.type("monitor\r")
    repl.wait_for(b"Warning: MONITOR")
    repl.wait_for(b"OK")
    real_redis.client().set("watched", "1")
    repl.wait_for(b'"watched" "1"')
    repl.type("\x03")
    repl.wait_for(b"(interrupted)")
    repl.type("ping\r")
    repl.wait_for(b"PONG")


def test_ctrl_c_leaves_subscribe(repl, real_redis):
    repl.type("subscribe room\r")
    repl.wait_for(b"Reading messages")
    time.sleep(0.3)
    real_redis.client().publish("room", "hi there")
    repl.wait_for(b'"hi there"')
    repl.type("\x03")
    repl.wait_for(b"(interrupted)")
    repl.type("echo back\r")
    repl.wait_for(b'"back"')


def test_dangerous_command_warns_and_can_be_declined(repl, real_redis):
    real_redis.client().set("keep:me", "1")
    repl.type("flushall\r")
    repl.wait_for(b"Safer:")
    repl.wait_for(b"Run it anyway? [y/N]")
    repl.type("n\r")
    repl.type("exists keep:me\r")
    repl.wait_for(b"(integer) 1")


def test_toolbar_and_completion_in_a_terminal(repl):
    repl.type("zrange")
    repl.wait_for(b"[WITHSCORES]")  # the toolbar's syntax line
    repl.wait_for(b"since 1.2.0")
    repl.type(" k 0 1 WITHSC\t")
    repl.wait_for(b"WITHSCORES")
    repl.type("\x03")  # abandon the line


def test_pipe_to_shell_and_peek(repl, real_redis):
    client = real_redis.client()
    client.delete("peeked")
    client.rpush("peeked", "a", "b", "c")
    repl.type("lrange peeked 0 -1 | tr a-z A-Z\r")
    repl.wait_for(b"A\nB\nC".replace(b"\n", b"\r\n").replace(b"\r", b""))
    repl.type("peek peeked\r")
    seen = repl.wait_for(b"length: 3 elements")
    assert b"encoding: listpack" in seen or b"encoding: quicklist" in seen
    repl.type("help get\r")
    repl.wait_for(b"summary:")


def test_history_search_with_ctrl_r(repl):
    repl.type("echo remember-me\r")
    repl.wait_for(b'"remember-me"')
    repl.type("ping\r")
    repl.wait_for(b"PONG")
    repl.type("\x12remember")  # Ctrl-R, then the search text
    repl.wait_for(b"reverse-i-search")
    repl.type("\r")
    repl.type("\r")
    repl.wait_for(b'"remember-me"')

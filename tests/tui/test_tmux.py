"""Start ``redis-lab`` in a real terminal (tmux), type commands, read the screen."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from lab.repl.resp import Connection

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timeout(60),
]

ROOT = Path(__file__).resolve().parents[2]


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def _screen(session: str) -> str:
    return _tmux("capture-pane", "-t", session, "-p")


def _wait_screen(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if text in screen:
            return screen
        time.sleep(0.2)
    size = _tmux("display", "-p", "-t", session, "#{window_width}x#{window_height}").strip()
    raise AssertionError(f"{text!r} never appeared; the screen ({size}) was:\n{screen}")


def test_redis_lab_in_tmux(tmp_path):
    session = f"redis-lab-test-{uuid.uuid4().hex[:8]}"
    marker = tmp_path / "exit-code"
    redis_lab = [sys.executable, "-c", "import sys; from lab.cli import main; sys.exit(main())"]
    command = (
        "unset COLUMNS LINES; " + " ".join(f"'{a}'" for a in redis_lab) + f"; echo $? > {marker}"
    )
    # Without COLUMNS/LINES: set in the test process (pytest-xdist workers have
    # them), they would make the app draw 80x24 inside the 150x60 window.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONPATH=str(ROOT), TERM="xterm-256color")
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "150", "-y", "60", command],
        check=True, env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        # A newcomer lands on Home, the lesson paths; F2 opens the console.
        _wait_screen(session, "Learn Redis from the inside")
        _tmux("send-keys", "-t", session, "F2")
        _wait_screen(session, "redis-lab console")
        _wait_screen(session, "embedded redis-lab")
        time.sleep(0.5)
        for line in ("SET greeting hello", "HSET user:1 name Ada", "OBJECT ENCODING user:1"):
            _tmux("send-keys", "-t", session, line, "Enter")
            time.sleep(0.4)
        screen = _wait_screen(session, '"listpack"')
        assert "› SET greeting hello" in screen
        assert "OK" in screen
        assert "(integer) 1" in screen
        # The inspector pane follows the key: the listpack's bytes are drawn.
        assert "user:1  hash" in screen
        assert "total_bytes" in screen
        assert "6BIT_STR" in screen

        # A burst: several lines in ONE send-keys call, no delays. Each Enter
        # submits exactly the line typed before it; a BLPOP does not hold the
        # console, and the LPUSH typed after it wakes it.
        port = int(re.search(r"at 127\.0\.0\.1:(\d+)", screen).group(1))
        _tmux("send-keys", "-t", session, "C-l")
        # 60 rows: the whole burst, with the woken BLPOP's note, fits on screen.
        burst = [
            "SET burst:a 1", "SET burst:b 2", "INCR burst:a", "BLPOP burst:q 0",
            "RPUSH burst:l x y z", "LPUSH burst:q woken", "MGET burst:a burst:b",
        ]  # fmt: skip
        keys = [k for line in burst for k in (line, "Enter")]
        _tmux("send-keys", "-t", session, *keys)
        screen = _wait_screen(session, '2) "2"')  # MGET's reply, the last one
        screen = _wait_screen(session, '2) "woken"')  # BLPOP's, when LPUSH woke it
        echoed = [line.strip()[2:] for line in screen.splitlines() if line.strip().startswith("›")]
        echoed = [line.split("▏")[0].strip() for line in echoed]
        size = _tmux("display", "-p", "-t", session, "#{window_width}x#{window_height}")
        assert echoed == burst, f"({size.strip()})\n{screen}"
        conn = Connection("127.0.0.1", port).connect()
        try:
            assert conn.execute("MGET", "burst:a", "burst:b") == [b"2", b"2"]
            assert conn.execute("LRANGE", "burst:l", 0, -1) == [b"x", b"y", b"z"]
            assert conn.execute("EXISTS", "burst:q") == 0  # BLPOP took it
        finally:
            conn.close()

        _tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not marker.exists():
            time.sleep(0.2)
        assert marker.exists(), "redis-lab did not exit on ctrl+q"
        assert marker.read_text().strip() == "0"
    finally:
        _tmux("kill-session", "-t", session)

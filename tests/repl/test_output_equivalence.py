"""Our output equals real redis-cli's, byte for byte, against the same real server.

Every reply shape redis-cli 7.0 can print: status, bulk (with escapes), nil,
integers, errors, empty and nested arrays, and under RESP3 maps, sets,
doubles, booleans, verbatim strings and pushes; in the terminal format
(``--no-raw``, and a real pty), the pipe format (raw) and ``--csv``.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, run_cli, run_ours

pytestmark = pytest.mark.redis

SETUP = [
    ["FLUSHALL"],
    ["SET", "str", "hello"],
    ["SET", "bin", 'a"b\\c\n\t\x01\x7fé'],
    ["RPUSH", "list", "a", "b c", "3", ""],
    ["HSET", "hash", "f1", "v1", "f2", "2"],
    ["SADD", "set", "1", "2", "3"],
    ["ZADD", "zset", "1.5", "a", "2", "b", "-3", "c"],
    ["RPUSH", "long", *[f"item{i}" for i in range(12)]],
    *[["XADD", "stream", f"{i}-1", "field", f"value{i}"] for i in range(1, 12)],
]

COMMANDS = [
    ["PING"],
    ["GET", "str"],
    ["GET", "bin"],
    ["GET", "missing"],
    ["INCRBY", "counter:x", "0"],
    ["STRLEN", "str"],
    ["LRANGE", "list", "0", "-1"],
    ["LRANGE", "long", "0", "-1"],
    ["LRANGE", "missing", "0", "-1"],
    ["HGETALL", "hash"],
    ["HGETALL", "missing"],
    ["SMEMBERS", "set"],
    ["SMEMBERS", "missing"],
    ["ZRANGE", "zset", "0", "-1", "WITHSCORES"],
    ["ZSCORE", "zset", "a"],
    ["ZSCORE", "zset", "missing"],
    ["XRANGE", "stream", "-", "+"],
    ["XINFO", "STREAM", "stream"],
    ["TYPE", "hash"],
    ["OBJECT", "ENCODING", "zset"],
    ["CONFIG", "GET", "maxmemory*"],
    ["COMMAND", "DOCS", "SET"],
    ["COMMAND", "INFO", "GET"],
    ["NOSUCHCOMMAND", "x"],
    ["INCR", "list"],
    ["GET"],
    ["ECHO", "multi\nline"],
    ["DEBUG", "PROTOCOL", "true"],
    ["DEBUG", "PROTOCOL", "false"],
    ["DEBUG", "PROTOCOL", "null"],
    ["DEBUG", "PROTOCOL", "double"],
    ["DEBUG", "PROTOCOL", "map"],
    ["DEBUG", "PROTOCOL", "set"],
    ["DEBUG", "PROTOCOL", "verbatim"],
    ["DEBUG", "PROTOCOL", "array"],
    ["MEMORY", "DOCTOR"],
    ["LATENCY", "DOCTOR"],
    ["SSCAN", "set", "0"],
    ["EVAL", "return {1, 'two', {3, false}, redis.error_reply('bad')}", "0"],
    ["EVAL", "return redis.status_reply('FINE')", "0"],
]

MODES = [["--no-raw"], ["--raw"], [], ["--csv"]]


@pytest.fixture(scope="module")
def loaded(real_redis, redis_cli):
    port = str(real_redis.port)
    for command in SETUP:
        code, _, err = run_cli(redis_cli, ["-p", port, *command])
        assert code == 0, err
    return port


def _ids(value):
    return " ".join(value)[:40]


@pytest.mark.parametrize("resp", ["-2", "-3"])
@pytest.mark.parametrize("mode", MODES, ids=lambda m: m[0] if m else "pipe")
@pytest.mark.parametrize("command", COMMANDS, ids=_ids)
def test_one_shot_output_matches_redis_cli(loaded, redis_cli, command, mode, resp):
    argv = ["-p", loaded, resp, *mode, *command]
    theirs = run_cli(redis_cli, argv)
    ours = run_ours(argv)
    assert ours[1] == theirs[1]
    assert ours[0] == theirs[0]


@pytest.mark.parametrize("mode", [["--no-raw"], []], ids=["no-raw", "pipe"])
def test_piped_session_matches_redis_cli(loaded, redis_cli, mode):
    script = (
        b'SET piped 1\nINCR piped\nGET piped\n\n   \nNOSUCH\n"unbalanced\n3 INCR piped\n'
        b"SELECT 3\nSET k v\nGET k\nSET n 0\nMULTI\nINCR n\nLRANGE nothing 0 -1\nEXEC\nquit\nGET after-quit\n"
    )
    theirs = run_cli(redis_cli, ["-p", loaded, *mode], stdin=script)
    ours = run_ours(["-p", loaded, *mode], stdin=script)
    assert ours[1] == theirs[1]
    assert ours[0] == theirs[0] == 0


def test_flags_match_redis_cli(loaded, redis_cli):
    cases = [
        (["-x", "SET", "from-stdin"], b"line1\nline2"),
        (["GET", "from-stdin"], b""),
        (["-r", "3", "INCR", "repeated"], b""),
        (["-r", "2", "-i", "0.05", "--no-raw", "LRANGE", "list", "0", "1"], b""),
        (["-n", "4", "SET", "in-db-4", "x"], b""),
        (["-n", "4", "--no-raw", "GET", "in-db-4"], b""),
        (["-u", f"redis://127.0.0.1:{loaded}/4", "GET", "in-db-4"], b""),
        (["-e", "GET", "str"], b""),
        (["-e", "NOSUCH"], b""),
        (["-e", "--no-raw", "NOSUCH"], b""),
        (["-d", ",", "LRANGE", "list", "0", "-1"], b""),
        (["--no-auth-warning", "-a", "wrong", "PING"], b""),
    ]
    for extra, stdin in cases:
        argv = ["-p", loaded, *extra]
        run_cli(redis_cli, ["-p", loaded, "DEL", "repeated"])
        theirs = run_cli(redis_cli, argv, stdin=stdin)
        run_cli(redis_cli, ["-p", loaded, "DEL", "repeated"])
        ours = run_ours(argv, stdin=stdin)
        assert (ours[0], ours[1]) == (theirs[0], theirs[1]), extra
        assert ours[2].strip() == theirs[2].strip(), extra


def test_connection_refused_exit_code(redis_cli):
    from tests.support import free_port

    port = str(free_port())
    theirs = run_cli(redis_cli, ["-p", port, "PING"])
    ours = run_ours(["-p", port, "PING"])
    assert ours[0] == theirs[0] == 1
    assert ours[2].strip() == theirs[2].strip()


def _streamed(argv: list[str], publish, seconds: float = 1.5) -> bytes:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        time.sleep(0.7)
        publish()
        time.sleep(seconds)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    return out


OURS = [sys.executable, "-c", "import sys; from lab.repl import main; sys.exit(main(sys.argv[1:]))"]


@pytest.mark.parametrize("resp", ["-2", "-3"])
@pytest.mark.parametrize("mode", [["--no-raw"], []], ids=["no-raw", "pipe"])
def test_subscribe_stream_matches_redis_cli(real_redis, redis_cli, resp, mode):
    """Pub/Sub messages (pushes under RESP3) print the same way."""
    client = real_redis.client()
    channel = f"news{resp}{len(mode)}"

    def publish():
        client.publish(channel, "hello")
        client.publish(channel, "a\nb")

    args = ["-p", str(real_redis.port), resp, *mode, "SUBSCRIBE", channel]
    theirs = _streamed([redis_cli, *args], publish)
    ours = _streamed([*OURS, *args], publish)
    assert b"hello" in theirs
    assert ours == theirs


def _in_pty(argv: list[str], timeout: float = 10.0) -> bytes:
    """stdout of a process whose stdout is a terminal (redis-cli's tty mode)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - child
        os.chdir(ROOT)
        os.execvp(argv[0], argv)
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    return out


@pytest.mark.parametrize(
    "command",
    [
        ["LRANGE", "long", "0", "-1"],
        ["GET", "bin"],
        ["HGETALL", "hash"],
        ["NOSUCH"],
        ["GET", "nope"],
    ],
    ids=_ids,
)
def test_tty_output_matches_redis_cli(loaded, redis_cli, command):
    """With a terminal as stdout (no flags), both pick the terminal format."""
    args = ["-p", loaded, "-3", *command]
    assert _in_pty([*OURS, *args]) == _in_pty([redis_cli, *args])

"""Tool modes (--bigkeys, --memkeys, --scan, --latency, --stat), HELP, PEEK, warnings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lab.repl import dangerous, peek
from lab.repl.help import render_help
from lab.repl.resp import Connection

from .conftest import ROOT, run_cli, run_ours


@pytest.fixture
def filled(real_redis):
    client = real_redis.client()
    client.flushall()
    client.rpush("list", "a", "b", "c")
    client.hset("hash", mapping={"f": "v", "g": "w"})
    client.sadd("set", "x", "y")
    client.zadd("zset", {"m": 1.0})
    client.set("string", "hello world")
    client.xadd("stream", {"a": "1"})
    client.mset({f"plain:{i}": i for i in range(15)})
    yield str(real_redis.port)
    client.flushall()


@pytest.mark.redis
@pytest.mark.parametrize(
    "tool", [["--bigkeys"], ["--memkeys"], ["--scan", "--pattern", "plain:1*"]]
)
def test_key_scans_match_redis_cli(filled, redis_cli, tool):
    argv = ["-p", filled, *tool]
    ours = run_ours(argv)
    theirs = run_cli(redis_cli, argv)
    assert ours[:2] == theirs[:2]


@pytest.mark.redis
def test_latency_raw_line(filled):
    code, out, _ = run_ours(["-p", filled, "--latency", "-i", "0.3"])
    fields = out.decode().split()
    assert code == 0 and len(fields) == 4
    assert int(fields[3]) > 5  # samples


@pytest.mark.redis
def test_stat_prints_rolling_lines(filled):
    code = "import sys; from lab.repl import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "-p", filled, "--stat", "-i", "0.2"],
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        out, _ = proc.communicate(timeout=1.5)
    except subprocess.TimeoutExpired:
        proc.terminate()
        out, _ = proc.communicate()
    lines = out.decode().splitlines()
    assert lines[1].startswith("keys       mem      clients")
    assert len(lines) >= 4
    assert lines[2].split()[0] == "21"  # keys


def test_help_from_the_table(docs_table):
    text = render_help(["SET"], docs_table).decode()
    assert "SET key value" in text and "group: string" in text and "since: 1.0.0" in text
    assert "complexity: O(1)" in text
    group = render_help(["@list"], docs_table).decode()
    assert "LPUSH key element" in group and "BLPOP" in group and "SADD" not in group
    container = render_help(["client"], docs_table).decode()
    assert "subcommands:" in container and "KILL" in container
    assert b"not a command" in render_help(["NOPE"], docs_table)
    assert b"help @<group>" in render_help([], docs_table)


@pytest.mark.redis
def test_peek_each_type(filled):
    conn = Connection(port=int(filled)).connect()
    try:
        lst = peek.peek(conn, b"list").decode()
        assert "type: list" in lst and "length: 3 elements" in lst and '1) "a"' in lst
        assert "memory:" in lst and "MEMORY USAGE" in lst and "ttl: no expiry" in lst
        hsh = peek.peek(conn, b"hash").decode()
        assert "encoding: listpack" in hsh and "length: 2 fields" in hsh
        conn.execute("EXPIRE", "string", "100")
        text = peek.peek(conn, b"string").decode()
        assert 'value: "hello world"' in text
        assert "ttl: 100.0 s" in text or "ttl: 99" in text
        assert "encoding: embstr" in text
        assert "length: 1 members" in peek.peek(conn, b"zset").decode()
        assert b"no such key" in peek.peek(conn, b"missing")
    finally:
        conn.close()


def test_dangerous_data_file():
    entries = dangerous.load()
    names = {d.name for d in entries}
    assert {"KEYS", "FLUSHALL", "DEBUG SLEEP", "SHUTDOWN"} <= names
    keys = dangerous.check(["keys", "*"])
    assert keys is not None and "SCAN" in keys.instead and not keys.confirm
    assert dangerous.check(["debug", "sleep", "1"]).confirm
    assert dangerous.check(["debug", "object", "k"]) is None
    assert dangerous.check(["GET", "k"]) is None
    # Warnings only worth it for big keys show in --newbie mode only.
    assert dangerous.check(["DEL", "k"]) is None
    assert dangerous.check(["DEL", "k"], newbie=True) is not None

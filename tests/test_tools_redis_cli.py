"""Real Redis tools against our server: ``redis-cli`` and ``redis-benchmark``.

redis-cli prints each reply in its own human format, so the same commands must
print the same text against our server and against real Redis 7.0 (RESP2 and,
with ``-3``, RESP3). redis-benchmark must run its SET/GET/INCR tests against
ours without errors (its speed is not asserted: benchmarks/ measures that).
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.support import REDIS_BENCHMARK, REDIS_CLI

pytestmark = pytest.mark.skipif(REDIS_CLI is None, reason="redis-cli is not installed")

CLI_COMMANDS = [
    ["PING"], ["SET", "cli:k", "hello world"], ["GET", "cli:k"], ["GET", "cli:missing"],
    ["INCR", "cli:n"], ["INCRBYFLOAT", "cli:f", "10.5"], ["MSET", "cli:a", "1", "cli:b", "2"],
    ["MGET", "cli:a", "cli:missing", "cli:b"], ["APPEND", "cli:k", "!"], ["STRLEN", "cli:k"],
    ["TYPE", "cli:k"], ["EXISTS", "cli:k", "cli:a"], ["OBJECT", "ENCODING", "cli:n"],
    ["GETRANGE", "cli:k", "0", "4"], ["INCR", "cli:k"], ["NOSUCHCOMMAND"], ["GET"],
    ["SET", "cli:bin", "a\x01b\xff"], ["GET", "cli:bin"], ["ECHO", "multi\nline"],
    ["LCS", "cli:k", "cli:k", "IDX", "WITHMATCHLEN"], ["CONFIG", "GET", "maxmemory"],
    ["HELLO", "3"], ["DBSIZE"], ["TTL", "cli:k"], ["EXPIRE", "cli:k", "1000"],
    ["PERSIST", "cli:k"], ["DEBUG", "PROTOCOL", "map"], ["DEBUG", "PROTOCOL", "double"],
    ["DEBUG", "PROTOCOL", "set"], ["DEBUG", "PROTOCOL", "verbatim"], ["DEL", "cli:k", "cli:n"],
]  # fmt: skip


def _cli(port: int, *args: str, resp3: bool = False, stdin: str | None = None) -> str:
    argv = [REDIS_CLI, "-p", str(port)] + (["-3"] if resp3 else []) + list(args)
    out = subprocess.run(argv, capture_output=True, timeout=20, input=stdin, text=True)
    return out.stdout + out.stderr


@pytest.mark.parametrize("resp3", [False, True], ids=["resp2", "resp3"])
def test_redis_cli_same_output(lab_server, real_server, resp3):
    for srv in (lab_server, real_server):
        srv.client().flushall()
    for cmd in CLI_COMMANDS:
        ours = _cli(lab_server.port, *cmd, resp3=resp3)
        real = _cli(real_server.port, *cmd, resp3=resp3)
        if cmd[0] == "HELLO":  # the client id differs
            ours, real = (re.sub(r"id \d+", "id N", x) for x in (ours, real))
        assert ours == real, cmd


@pytest.mark.parametrize("fmt", [[], ["--no-raw"], ["--raw"], ["--csv"]])
def test_redis_cli_formats_via_stdin(lab_server, real_server, fmt):
    script = "SET x 1\nINCR x\nMGET x y\nGET y\nPING hi\nKEYS x*\n"
    outs = []
    for srv in (lab_server, real_server):
        srv.client().flushall()
        outs.append(_cli(srv.port, *fmt, stdin=script))
    assert outs[0] == outs[1]


def test_redis_cli_scan_and_info(lab_server):
    c = lab_server.client()
    c.flushall()
    c.mset({f"scan:{i}": i for i in range(30)})
    out = _cli(lab_server.port, "--scan", "--pattern", "scan:1*")
    assert sorted(out.split()) == sorted(f"scan:{i}" for i in range(30) if str(i).startswith("1"))
    info = _cli(lab_server.port, "INFO", "keyspace")
    assert re.search(r"db0:keys=30,expires=0,avg_ttl=0", info)


@pytest.mark.skipif(REDIS_BENCHMARK is None, reason="redis-benchmark is not installed")
def test_redis_benchmark_runs(lab_server):
    out = subprocess.run(
        [REDIS_BENCHMARK, "-p", str(lab_server.port), "-t", "set,get,incr", "-n", "20000", "-q"],
        capture_output=True,
        timeout=120,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout.replace("\r", "\n")
    for test in ("SET", "GET", "INCR"):
        assert re.search(rf"^{test}: [\d.]+ requests per second", text, re.M), text
    assert "ERR" not in text and "error" not in text.lower()
    assert lab_server.client().ping()

"""SLOWLOG and LATENCY: reply shapes and errors against real Redis, recording in ours.

Durations differ between the two servers (ours is Python), so entries are
compared field by field where they must agree: ids, arguments (trimmed as
Redis trims them), client name; times and durations only by type.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def slow(pair):
    """Both servers logging every command, with an empty log; defaults restored."""
    for c in (pair.ours, pair.real):
        c.config_set("slowlog-log-slower-than", 0)
        c.config_set("slowlog-max-len", 128)
        c.execute_command("SLOWLOG", "RESET")
    yield pair
    for c in (pair.ours, pair.real):
        c.config_set("slowlog-log-slower-than", 10000)
        c.config_set("slowlog-max-len", 128)
        c.execute_command("SLOWLOG", "RESET")


def entries(client, count=10):
    return client.execute_command("SLOWLOG", "GET", count)


def shape(entry):
    eid, when, duration, args, addr, name = entry
    assert isinstance(eid, int) and isinstance(when, int) and isinstance(duration, int)
    assert duration >= 0 and when > 1_600_000_000
    assert addr.startswith(b"127.0.0.1:")
    return args, name


def test_entry_shape_and_arguments(slow):
    pair = slow
    for c in (pair.ours, pair.real):
        c.execute_command("SLOWLOG", "RESET")
        c.execute_command("SET", "a", "b")
    ours, real = entries(pair.ours, 1), entries(pair.real, 1)
    assert len(ours) == len(real) == 1
    assert shape(ours[0]) == shape(real[0]) == ([b"SET", b"a", b"b"], b"")


def test_trimming_of_arguments(slow):
    pair = slow
    args = ["RPUSH", "list"] + [f"e{i}" for i in range(40)]
    long = ["SET", "k", "x" * 300]
    for c in (pair.ours, pair.real):
        c.execute_command("SLOWLOG", "RESET")
        c.execute_command(*args)
        c.execute_command(*long)
        c.execute_command("CLIENT", "SETNAME", "teacher")
        c.execute_command("GET", "k")
    ours, real = entries(pair.ours, 4), entries(pair.real, 4)
    assert [shape(e) for e in ours] == [shape(e) for e in real]
    rpush_args = shape(ours[3])[0]
    assert len(rpush_args) == 32 and rpush_args[-1] == b"... (11 more arguments)"
    assert shape(ours[2])[0][2] == b"x" * 128 + b"... (172 more bytes)"
    assert shape(ours[0])[1] == b"teacher"


def test_ids_len_max_len_and_reset(slow):
    pair = slow
    for c in (pair.ours, pair.real):
        c.execute_command("SLOWLOG", "RESET")
        c.config_set("slowlog-max-len", 3)
        for _i in range(6):
            c.execute_command("PING")
    pair.same("SLOWLOG", "LEN")
    ours, real = entries(pair.ours, -1), entries(pair.real, -1)
    assert [e[0] - ours[-1][0] for e in ours] == [e[0] - real[-1][0] for e in real]
    assert ours[0][0] > ours[1][0] > ours[2][0]  # newest first
    pair.same("SLOWLOG", "RESET")
    for c in (pair.ours, pair.real):
        c.config_set("slowlog-log-slower-than", -1)
        c.execute_command("PING")
    pair.same("SLOWLOG", "LEN")


@pytest.mark.parametrize(
    "args",
    [("GET", "-2"), ("GET", "x"), ("GET", "0"), ("GET", "1", "2"), ("LEN", "x"),
     ("RESET", "x"), ("HELP",), ("NOSUCH",)],
)  # fmt: skip
def test_slowlog_errors_and_help(slow, args):
    slow.same("SLOWLOG", *args)


def test_redacted_auth(slow):
    pair = slow
    for c in (pair.ours, pair.real):
        c.execute_command("SLOWLOG", "RESET")
        try:
            c.execute_command("AUTH", "secret")
        except Exception:
            pass
    ours, real = entries(pair.ours, 1), entries(pair.real, 1)
    assert shape(ours[0])[0] == shape(real[0])[0]


# -- LATENCY ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("LATEST",), ("HISTORY", "nosuch"), ("GRAPH", "nosuch"), ("RESET", "nosuch"),
     ("HELP",), ("NOSUCH",), ("HISTOGRAM", "nosuchcommand"), ("LATEST", "x")],
)  # fmt: skip
def test_latency_replies_without_samples(pair, args):
    for c in (pair.ours, pair.real):
        c.execute_command("LATENCY", "RESET")
    pair.same("LATENCY", *args)


def test_latency_histogram_shape(pair):
    for c in (pair.ours, pair.real):
        c.execute_command("CONFIG", "RESETSTAT")
        for _ in range(5):
            c.execute_command("SET", "k", "v")
        c.execute_command("CONFIG", "GET", "maxmemory")

    def norm(reply):
        out = {}
        items = (
            reply.items() if isinstance(reply, dict) else zip(reply[::2], reply[1::2], strict=False)
        )
        for cmd, data in items:
            d = data if isinstance(data, dict) else dict(zip(data[::2], data[1::2], strict=False))
            hist = d[b"histogram_usec"]
            hist = (
                hist if isinstance(hist, dict) else dict(zip(hist[::2], hist[1::2], strict=False))
            )
            assert all(isinstance(k, int) and isinstance(v, int) for k, v in hist.items())
            assert max(hist.values()) == d[b"calls"]  # cumulative counts end at calls
            out[cmd] = d[b"calls"]
        return out

    ours = norm(pair.ours.execute_command("LATENCY", "HISTOGRAM", "set", "config|get"))
    real = norm(pair.real.execute_command("LATENCY", "HISTOGRAM", "set", "config|get"))
    assert ours == real == {b"set": 5, b"config|get": 1}
    ours = norm(pair.ours.execute_command("LATENCY", "HISTOGRAM", "config"))
    real = norm(pair.real.execute_command("LATENCY", "HISTOGRAM", "config"))
    assert ours == real


def test_latency_monitor_records_slow_commands(lab_server):
    c = lab_server.client()
    c.execute_command("LATENCY", "RESET")
    c.config_set("latency-monitor-threshold", 5)
    try:
        c.execute_command("DEBUG", "SLEEP", "0.02")
        latest = c.execute_command("LATENCY", "LATEST")
        assert len(latest) == 1
        event, when, ms, worst = latest[0]
        assert event == b"command" and ms >= 20 and worst >= ms and when > 0
        history = c.execute_command("LATENCY", "HISTORY", "command")
        assert history and history[-1][1] == ms
        graph = c.execute_command("LATENCY", "GRAPH", "command")
        assert graph.startswith(b"command - high") and b"\n" + b"-" * 80 + b"\n" in graph
        assert b"command" in c.execute_command("LATENCY", "DOCTOR")
        assert c.execute_command("LATENCY", "RESET", "command", "nosuch") == 1
        assert c.execute_command("LATENCY", "LATEST") == []
    finally:
        c.config_set("latency-monitor-threshold", 0)
        c.close()

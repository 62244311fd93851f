"""Blocking list commands over real connections, against our server and real Redis.

Every test runs once per server (``server`` is ours or a real redis-server)
with raw sockets, so the exact reply bytes are checked (``*-1`` versus
``$-1`` matters here). Ordering is made deterministic by waiting until the
server reports each client blocked (``INFO clients``) before the next one
blocks. Timeouts against real Redis use 0.1 s with generous bounds; against
ours the clock is frozen and advanced with ``LAB CLOCK``.
"""

from __future__ import annotations

import time

import pytest

from tests.rawconn import Conn, encode, parse  # noqa: F401
from tests.support import REDIS_SERVER


@pytest.fixture(params=["ours", "real"])
def server(request):
    if request.param == "real" and REDIS_SERVER is None:
        pytest.skip("no redis-server")
    return request.getfixturevalue("lab_server" if request.param == "ours" else "real_server")


@pytest.fixture
def conns(server):
    opened: list[Conn] = []

    def make() -> Conn:
        c = Conn(server.port)
        opened.append(c)
        return c

    admin = make()
    admin.call("FLUSHALL")
    yield make
    for c in opened:
        c.close()
    # leave nobody blocked for the next test
    a = Conn(server.port)
    try:
        wait_blocked(a, 0)
    finally:
        a.close()


def blocked_clients(admin: Conn) -> int:
    info = admin.call("INFO", "clients").decode()
    for line in info.splitlines():
        if line.startswith("blocked_clients:"):
            return int(line.split(":")[1])
    raise AssertionError(info)


def wait_blocked(admin: Conn, n: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while blocked_clients(admin) != n:
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {n} blocked clients, got {blocked_clients(admin)}")
        time.sleep(0.01)


def is_ours(server) -> bool:
    return server.kind == "lab server"


# -- order of service ----------------------------------------------------------------------


def test_waiters_are_served_in_the_order_they_blocked(conns):
    admin, a, b, c = conns(), conns(), conns(), conns()
    for i, cl in enumerate((a, b, c), 1):
        cl.send("BLPOP", "k", 0)
        wait_blocked(admin, i)
    assert admin.call("RPUSH", "k", "1", "2") == 2
    assert a.reply() == [b"k", b"1"]
    assert b.reply() == [b"k", b"2"]
    assert c.nothing_pending()
    assert admin.call("EXISTS", "k") == 0
    wait_blocked(admin, 1)
    assert admin.call("LPUSH", "k", "3") == 1
    assert c.reply() == [b"k", b"3"]
    wait_blocked(admin, 0)


def test_first_waiter_wins_across_keys(conns):
    admin, a, b = conns(), conns(), conns()
    a.send("BRPOP", "k1", "k2", 0)
    wait_blocked(admin, 1)
    b.send("BRPOP", "k2", 0)
    wait_blocked(admin, 2)
    admin.call("RPUSH", "k2", "x", "y")
    assert a.reply() == [b"k2", b"y"]
    assert b.reply() == [b"k2", b"x"]
    # a left the queue of k1 too
    admin.call("RPUSH", "k1", "z")
    assert admin.call("LRANGE", "k1", 0, -1) == [b"z"]


def test_blmove_chain_resolves_in_one_push(conns):
    admin, a, b, c = conns(), conns(), conns(), conns()
    a.send("BLMOVE", "a", "b", "LEFT", "RIGHT", 0)
    wait_blocked(admin, 1)
    b.send("BRPOPLPUSH", "b", "c", 0)
    wait_blocked(admin, 2)
    c.send("BLPOP", "c", 0)
    wait_blocked(admin, 3)
    assert admin.call("RPUSH", "a", "v") == 1
    assert a.reply() == b"v"
    assert b.reply() == b"v"
    assert c.reply() == [b"c", b"v"]
    assert admin.call("EXISTS", "a", "b", "c") == 0


def test_blmove_into_its_own_key_then_next_waiter(conns):
    """serveClientsBlockedOnListKey: the first waiter pushes back, the next one pops."""
    admin, a, b = conns(), conns(), conns()
    a.send("BLMOVE", "k", "k", "RIGHT", "LEFT", 0)
    wait_blocked(admin, 1)
    b.send("BLPOP", "k", 0)
    wait_blocked(admin, 2)
    admin.call("RPUSH", "k", "v")
    assert a.reply() == b"v"
    assert b.reply() == [b"k", b"v"]
    assert admin.call("EXISTS", "k") == 0


def test_blmove_to_a_wrong_type_destination(conns):
    admin, a = conns(), conns()
    a.send("BLMOVE", "src", "dst", "LEFT", "LEFT", 0)
    wait_blocked(admin, 1)
    admin.call("SET", "dst", "string")
    admin.call("RPUSH", "src", "v")
    assert a.reply() == "-WRONGTYPE Operation against a key holding the wrong kind of value"
    assert admin.call("LRANGE", "src", 0, -1) == [b"v"]
    wait_blocked(admin, 0)


def test_blmpop_served_with_count(conns):
    admin, a = conns(), conns()
    a.send("BLMPOP", 0, 2, "k1", "k2", "RIGHT", "COUNT", 2)
    wait_blocked(admin, 1)
    admin.call("RPUSH", "k2", "a", "b", "c")
    assert a.reply() == [b"k2", [b"c", b"b"]]
    assert admin.call("LRANGE", "k2", 0, -1) == [b"a"]


def test_wrong_type_is_immediate(conns):
    admin = conns()
    admin.call("SET", "s", "x")
    assert admin.call("BLPOP", "s", 0).startswith("-WRONGTYPE")
    assert admin.call("BLMOVE", "s", "d", "LEFT", "LEFT", 0).startswith("-WRONGTYPE")
    assert admin.call("BLMPOP", 0, 1, "s", "LEFT").startswith("-WRONGTYPE")
    admin.call("RPUSH", "l", "v")
    assert admin.call("BLPOP", "l", "s", 0) == [b"l", b"v"]  # served before reaching s
    assert blocked_clients(admin) == 0


def test_a_non_list_key_does_not_wake_a_waiter(conns):
    admin, a = conns(), conns()
    a.send("BLPOP", "k", 0)
    wait_blocked(admin, 1)
    admin.call("SET", "k", "x")
    admin.call("DEL", "k")
    assert a.nothing_pending()
    admin.call("RPUSH", "other", "v")
    admin.call("RENAME", "other", "k")  # a key created by RENAME wakes it
    assert a.reply() == [b"k", b"v"]


def test_a_key_named_twice_queues_the_client_once(conns):
    admin, a, b = conns(), conns(), conns()
    a.send("BLPOP", "k", "k", 0)
    wait_blocked(admin, 1)
    b.send("BLPOP", "k", 0)
    wait_blocked(admin, 2)
    admin.call("RPUSH", "k", "1", "2", "3")
    assert a.reply() == [b"k", b"1"]
    assert b.reply() == [b"k", b"2"]
    assert admin.call("LRANGE", "k", 0, -1) == [b"3"]


def test_databases_are_separate_and_moves_wake_waiters(conns):
    admin, a, b = conns(), conns(), conns()
    a.call("SELECT", 1)
    a.send("BLPOP", "k", 0)
    wait_blocked(admin, 1)
    admin.call("RPUSH", "k", "db0")
    assert a.nothing_pending()
    admin.call("SELECT", 1)
    admin.call("RPUSH", "src", "v")
    admin.call("RPOPLPUSH", "src", "k")
    assert a.reply() == [b"k", b"v"]
    b.send("BRPOP", "k", 0)  # db 0 still holds "db0"
    assert b.reply() == [b"k", b"db0"]


# -- timeouts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cmd", "resp3"),
    [
        (("BLPOP", "k", "0.1"), False),
        (("BRPOPLPUSH", "k", "d", "0.1"), False),
        (("BLMOVE", "k", "d", "LEFT", "LEFT", "0.1"), False),
        (("BLMPOP", "0.1", 1, "k", "LEFT"), False),
        (("BLMOVE", "k", "d", "LEFT", "LEFT", "0.1"), True),
    ],
)
def test_timeout_replies_null_array(conns, cmd, resp3):
    a = conns()
    if resp3:
        a.call("HELLO", 3)
    start = time.monotonic()
    a.send(*cmd)
    assert a.reply(timeout=5) == ("NULL" if resp3 else "NULL_ARRAY")
    assert time.monotonic() - start >= 0.09


def test_timeout_follows_the_lab_clock(server, conns):
    if not is_ours(server):
        pytest.skip("LAB CLOCK is ours")
    admin, a = conns(), conns()
    admin.call("LAB", "CLOCK", "FREEZE")
    try:
        a.send("BLPOP", "k", 30)
        wait_blocked(admin, 1)
        assert a.nothing_pending(0.3)  # frozen: no time passes
        admin.call("LAB", "CLOCK", "ADVANCE", 29_000)
        assert a.nothing_pending(0.3)
        admin.call("LAB", "CLOCK", "ADVANCE", 2_000)
        assert a.reply(timeout=5) == "NULL_ARRAY"
        wait_blocked(admin, 0)
    finally:
        admin.call("LAB", "CLOCK", "RESUME")


def test_zero_timeout_blocks_until_data(conns):
    admin, a = conns(), conns()
    a.send("BLPOP", "k", "0")
    wait_blocked(admin, 1)
    assert a.nothing_pending(0.3)
    admin.call("LPUSH", "k", "v")
    assert a.reply() == [b"k", b"v"]


# -- CLIENT UNBLOCK, disconnects, flags ---------------------------------------------------------


def test_client_unblock_timeout_and_error(conns):
    admin, a = conns(), conns()
    aid = a.call("CLIENT", "ID")
    assert admin.call("CLIENT", "UNBLOCK", aid) == 0  # not blocked
    a.send("BLPOP", "k", 0)
    wait_blocked(admin, 1)
    flags = [ln for ln in admin.call("CLIENT", "LIST").decode().splitlines() if f"id={aid} " in ln]
    assert " flags=b " in flags[0]
    assert admin.call("CLIENT", "UNBLOCK", aid, "TIMEOUT") == 1
    assert a.reply() == "NULL_ARRAY"
    a.send("BRPOPLPUSH", "k", "d", 0)
    wait_blocked(admin, 1)
    assert admin.call("CLIENT", "UNBLOCK", aid, "ERROR") == 1
    assert a.reply() == "-UNBLOCKED client unblocked via CLIENT UNBLOCK"
    assert admin.call("CLIENT", "UNBLOCK", aid, "FOO").startswith("-ERR CLIENT UNBLOCK reason")
    wait_blocked(admin, 0)
    admin.call("RPUSH", "k", "v")  # nobody waits any more
    assert admin.call("LLEN", "k") == 1


def test_pipeline_after_a_blocking_command_resumes(conns):
    admin, a = conns(), conns()
    a.send_raw(
        encode("BLPOP", "k", 0)
        + encode("PING")
        + encode("RPUSH", "k2", "x")
        + encode("GET", "nokey")
    )
    wait_blocked(admin, 1)
    assert a.nothing_pending()
    assert admin.call("EXISTS", "k2") == 0  # the pipeline waits behind BLPOP
    admin.call("RPUSH", "k", "v")
    assert a.reply() == [b"k", b"v"]
    assert a.reply() == "+PONG"
    assert a.reply() == 1
    assert a.reply() == "NULL_BULK"


def test_pipeline_of_two_blocking_commands(conns):
    admin, a = conns(), conns()
    a.send_raw(encode("BLPOP", "k", 0) + encode("BLPOP", "k", 0) + encode("PING"))
    wait_blocked(admin, 1)
    admin.call("RPUSH", "k", "1")
    assert a.reply() == [b"k", b"1"]
    wait_blocked(admin, 1)  # blocked again on the second BLPOP
    admin.call("RPUSH", "k", "2")
    assert a.reply() == [b"k", b"2"]
    assert a.reply() == "+PONG"


def test_disconnected_waiter_is_forgotten(conns):
    admin, a, b = conns(), conns(), conns()
    a.send("BLPOP", "k", 0)
    wait_blocked(admin, 1)
    b.send("BLPOP", "k", 0)
    wait_blocked(admin, 2)
    a.close()
    wait_blocked(admin, 1)
    admin.call("RPUSH", "k", "v")
    assert b.reply() == [b"k", b"v"]
    assert admin.call("EXISTS", "k") == 0
    wait_blocked(admin, 0)


def test_blocking_command_errors(conns):
    admin = conns()
    assert admin.call("BLPOP", "k", "abc") == "-ERR timeout is not a float or out of range"
    assert admin.call("BLPOP", "k", "-1") == "-ERR timeout is negative"
    assert admin.call("BLPOP", "k", "inf") == "-ERR timeout is negative"
    assert admin.call("BLMPOP", "x", 0, "k", "LEFT") == "-ERR numkeys should be greater than 0"
    assert admin.call("BLMOVE", "a", "b", "UP", "LEFT", "x") == "-ERR syntax error"
    assert blocked_clients(admin) == 0

"""Transactions (MULTI/EXEC/DISCARD/WATCH) against our server and real Redis 7.0.

Most tests are *scenarios*: a function that drives one or more raw
connections and returns a transcript of every reply, decoded exactly (``*-1``
and ``$-1`` and RESP3 ``_`` stay distinct). Each scenario runs once against
our server and once against a real redis-server, in RESP2 and in RESP3, and
the transcripts must be equal. Two connections make WATCH races deterministic:
one client watches, the other writes, the first EXECs. A few tests use the
``pair`` fixture (redis-py) to check what a client library sees.
"""

from __future__ import annotations

import time

import pytest
import redis

from tests.rawconn import Conn


class Side:
    """Connections to one server, all speaking one protocol version."""

    def __init__(self, server, proto: int) -> None:
        self.server = server
        self.proto = proto
        self.opened: list[Conn] = []

    def conn(self) -> Conn:
        c = Conn(self.server.port, self.proto)
        self.opened.append(c)
        return c

    def close(self) -> None:
        for c in self.opened:
            c.close()


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def both(request, lab_server, real_server):
    """Run a scenario on our server and real Redis; assert equal transcripts; return it."""
    proto = request.param

    def run(scenario):
        out = []
        for srv in (lab_server, real_server):
            side = Side(srv, proto)
            try:
                admin = side.conn()
                admin.call("FLUSHALL")
                out.append(scenario(side))
            finally:
                side.close()
        assert out[0] == out[1], f"ours={out[0]!r}\nreal={out[1]!r}"
        return out[0]

    run.proto = proto
    return run


def client_fields(line: bytes, *names: str) -> dict[str, str]:
    fields = dict(kv.split("=", 1) for kv in line.decode().strip().split(" "))
    return {n: fields[n] for n in names}


def info_of(admin: Conn, name: str, *fields: str) -> dict[str, str]:
    """Fields of the CLIENT LIST line of the client named ``name``."""
    for line in admin.call("CLIENT", "LIST").split(b"\n"):
        if b" name=%s " % name.encode() in line:
            return client_fields(line, *fields)
    raise AssertionError(f"no client named {name}")


# -- MULTI / EXEC / DISCARD -------------------------------------------------------------------


def test_exec_runs_the_queue_in_order(both):
    def scenario(s):
        a = s.conn()
        return a.pipeline(
            ("MULTI",),
            ("SET", "k", "1"),
            ("INCR", "k"),
            ("GET", "k"),
            ("RPUSH", "l", "a", "b"),
            ("LRANGE", "l", 0, -1),
            ("HSET", "h", "f", "v"),
            ("HGETALL", "h"),
            ("EXEC",),
            ("GET", "k"),
        )

    t = both(scenario)
    assert t[8][:3] == ["+OK", 2, b"2"]


def test_empty_transaction_and_misuse(both):
    def scenario(s):
        a = s.conn()
        return a.pipeline(
            ("EXEC",),
            ("DISCARD",),
            ("MULTI",),
            ("EXEC",),
            ("MULTI",),
            ("MULTI",),  # nested: an error, but the transaction goes on
            ("SET", "k", "v"),
            ("EXEC",),
            ("MULTI",),
            ("SET", "k", "w"),
            ("DISCARD",),
            ("GET", "k"),
            ("EXEC",),
            ("UNWATCH",),
        )

    t = both(scenario)
    assert t[0] == "-ERR EXEC without MULTI"
    assert t[5] == "-ERR MULTI calls can not be nested"


@pytest.mark.parametrize(
    "bad",
    [
        ("NOSUCHCOMMAND", "x"),
        ("GET",),
        ("SET", "k"),
        ("CONFIG", "NOSUCH"),
        ("OBJECT", "NOSUCH", "k"),
        ("SHUTDOWN",),  # no_multi: "Command not allowed inside a transaction"
    ],
    ids=["unknown", "arity-get", "arity-set", "unknown-sub", "unknown-sub2", "no-multi"],
)
def test_a_rejected_command_aborts_exec(both, bad):
    def scenario(s):
        a = s.conn()
        return a.pipeline(
            ("SET", "k", "before"),
            ("MULTI",),
            ("SET", "k", "inside"),
            bad,
            ("SET", "x", "1"),
            ("EXEC",),
            ("GET", "k"),
            ("EXISTS", "x"),
            ("EXEC",),  # the transaction is over
        )

    t = both(scenario)
    assert t[5] == "-EXECABORT Transaction discarded because of previous errors."
    assert t[6] == b"before"


def test_quit_inside_multi_closes_without_running(both):
    def scenario(s):
        admin, a = s.conn(), s.conn()
        out = a.pipeline(("MULTI",), ("SET", "k", "1"), ("QUIT",))
        try:
            a.reply(1)
            out.append("still open")
        except ConnectionError:
            out.append("closed")
        out.append(admin.call("EXISTS", "k"))
        return out

    assert both(scenario)[-2:] == ["closed", 0]


def test_watch_inside_multi_is_an_error_that_does_not_abort(both):
    def scenario(s):
        a = s.conn()
        return a.pipeline(
            ("MULTI",),
            ("WATCH", "k"),
            ("SET", "k", "1"),
            ("EXEC",),
        )

    t = both(scenario)
    assert t[1] == "-ERR WATCH inside MULTI is not allowed"


def test_errors_inside_exec_do_not_stop_the_rest(both):
    def scenario(s):
        a = s.conn()
        return a.pipeline(
            ("SET", "s", "text"),
            ("LPUSH", "l", "x"),
            ("MULTI",),
            ("INCR", "s"),  # not an integer
            ("LPUSH", "s", "x"),  # WRONGTYPE
            ("SET", "k", "v", "NX", "XX"),  # syntax error seen only when it runs
            ("GET", "l"),  # WRONGTYPE
            ("SET", "after", "1"),
            ("INCRBYFLOAT", "f", "1.5"),
            ("EXEC",),
            ("GET", "after"),
            ("INFO", "errorstats"),
        )

    t = both(scenario)
    assert t[9][1] == "-WRONGTYPE Operation against a key holding the wrong kind of value"


def test_select_and_discard_inside(both):
    def scenario(s):
        a = s.conn()
        return a.pipeline(
            ("MULTI",),
            ("SELECT", 2),
            ("SET", "k", "in2"),
            ("EXEC",),
            ("GET", "k"),  # the connection stays in db 2
            ("SELECT", 0),
            ("EXISTS", "k"),
        )

    both(scenario)


def test_blocking_commands_inside_multi_answer_as_timed_out(both):
    def scenario(s):
        a = s.conn()
        return a.pipeline(
            ("SET", "str", "x"),
            ("MULTI",),
            ("BLPOP", "l", 0),
            ("BRPOP", "l", "l2", 0),
            ("BRPOPLPUSH", "l", "m", 0),
            ("BLMOVE", "l", "m", "LEFT", "RIGHT", 0),
            ("BLMPOP", 0, 1, "l", "LEFT"),
            ("BZPOPMIN", "z", 0),
            ("BZPOPMAX", "z", 0),
            ("BZMPOP", 0, 1, "z", "MIN"),
            ("BLPOP", "str", 0),  # the type check still comes first
            ("RPUSH", "l", "a"),
            ("BLPOP", "l", 0),  # data: served as usual
            ("EXEC",),
            ("BLPOP", "l", 0.01),  # blocking again outside MULTI
        )

    t = both(scenario)
    nulls = t[13][:8]
    if both.proto == 2:
        assert nulls[2:4] == ["NULL_BULK", "NULL_BULK"]
        assert nulls[0] == "NULL_ARRAY"
    else:
        assert set(nulls) == {"NULL"}


def test_blocked_clients_are_served_after_the_whole_exec(both):
    def scenario(s):
        admin, a, b = s.conn(), s.conn(), s.conn()
        b.send("BLPOP", "k", 0)
        _wait_blocked(admin, 1)
        out = a.pipeline(("MULTI",), ("LPUSH", "k", "x"), ("LPOP", "k"), ("EXEC",))
        out.append(b.nothing_pending(0.1))
        out += a.pipeline(("MULTI",), ("LPUSH", "k", "y", "z"), ("LLEN", "k"), ("EXEC",))
        out.append(b.reply())
        out.append(admin.call("LRANGE", "k", 0, -1))
        return out

    t = both(scenario)
    assert t[4] is True


def _wait_blocked(admin: Conn, n: int) -> None:
    deadline = time.monotonic() + 5
    while True:
        info = admin.call("INFO", "clients").decode()
        if f"blocked_clients:{n}\r" in info:
            return
        assert time.monotonic() < deadline, info
        time.sleep(0.01)


# -- CLIENT LIST, MONITOR, INFO -----------------------------------------------------------------


def test_client_list_multi_fields(both):
    fields = ("flags", "multi", "multi-mem", "cmd")

    def scenario(s):
        admin, a = s.conn(), s.conn()
        a.call("CLIENT", "SETNAME", "tx")
        out = [info_of(admin, "tx", *fields)]
        a.call("MULTI")
        out.append(info_of(admin, "tx", *fields))
        a.pipeline(("SET", "k", "v"), ("GET", "k"))
        out.append(info_of(admin, "tx", *fields))
        r = a.pipeline(("CLIENT", "INFO"), ("EXEC",))
        out.append(r[0])
        out.append(client_fields(r[1][2], *fields))  # CLIENT INFO as EXEC runs it
        out.append(info_of(admin, "tx", *fields))
        # dirty (d) and its effect on queueing: nothing more is kept
        a.call("WATCH", "k")
        admin.call("SET", "k", "changed")
        out.append(info_of(admin, "tx", *fields))
        a.pipeline(("MULTI",), ("SET", "x", "1"))
        out.append(info_of(admin, "tx", *fields))
        out.append(a.call("EXEC"))
        out.append(info_of(admin, "tx", *fields))
        # a rejected command: what was queued before stays counted
        a.pipeline(("MULTI",), ("SET", "x", "1"), ("NOSUCH",), ("SET", "y", "2"))
        out.append(info_of(admin, "tx", *fields))
        out.append(a.call("DISCARD"))
        out.append(info_of(admin, "tx", *fields))
        return out

    t = both(scenario)
    assert t[1]["flags"] == "x" and t[1]["multi"] == "0"
    assert t[2]["multi"] == "2"
    assert t[6]["flags"] == "d"


def test_monitor_sees_the_commands_as_exec_runs_them(both):
    def scenario(s):
        m, a = s.conn(), s.conn()
        m.call("MONITOR")
        a.pipeline(
            ("MULTI",),
            ("SET", "k", "v"),
            ("NOSUCH",),
            ("INCR", "k"),
            ("EXEC",),
            ("MULTI",),
            ("SET", "k", "1"),
            ("INCR", "k"),
            ("EXEC",),
            ("EXEC",),
            ("PING",),
        )
        lines = []
        while True:
            line = m.reply()
            cmd = line.split("] ", 1)[1]
            lines.append(cmd)
            if cmd == '"PING"':
                return lines

    t = both(scenario)
    assert t[:4] == ['"MULTI"', '"EXEC"', '"MULTI"', '"SET" "k" "1"']


def test_commandstats_and_errorstats(both):
    def scenario(s):
        a = s.conn()
        a.call("CONFIG", "RESETSTAT")
        a.pipeline(
            ("MULTI",),
            ("SET", "k", "v"),
            ("GET", "k"),
            ("LPUSH", "k", "x"),
            ("EXEC",),
            ("MULTI",),
            ("GET",),
            ("EXEC",),
            ("EXEC",),
            ("DISCARD",),
        )
        stats = a.call("INFO", "commandstats").decode().split("\r\n")
        out = []
        for line in stats:
            if line.startswith("cmdstat_"):
                name, rest = line.split(":", 1)
                kv = dict(p.split("=") for p in rest.split(","))
                out.append((name, kv["calls"], kv["rejected_calls"], kv["failed_calls"]))
        out.append(a.call("INFO", "errorstats"))
        return sorted(out[:-1]) + out[-1:]

    both(scenario)


# -- WATCH ----------------------------------------------------------------------------------------


DUMP_OF_1 = b"\x00\xc0\x01\n\x00&x\xe7\xb6\xd1\x01\x11\xfc"  # DUMP of the string "1"

WRITES = [
    # (setup, command from the other client)
    ((), ("SET", "k", "1")),
    ((("SET", "k", "1"),), ("SET", "k", "1")),  # same value: still a modification
    ((("SET", "k", "1"),), ("DEL", "k")),
    ((), ("DEL", "k")),  # nothing deleted: not a modification
    ((("SET", "k", "1"),), ("UNLINK", "k")),
    ((("SET", "k", "1"),), ("EXPIRE", "k", 100)),
    ((), ("EXPIRE", "k", 100)),
    ((("SET", "k", "1", "EX", 100),), ("PERSIST", "k")),
    ((("SET", "k", "1"),), ("PERSIST", "k")),
    ((("SET", "k", "1"),), ("EXPIRE", "k", -1)),
    ((("SET", "k", "1"),), ("GETDEL", "k")),
    ((("SET", "k", "1"),), ("GETEX", "k", "EX", 100)),
    ((("SET", "k", "1"),), ("GETEX", "k")),
    ((("SET", "k", "1"),), ("GET", "k")),
    ((("SET", "k", "1"),), ("SET", "k", "2", "NX")),
    ((("SET", "k", "1"),), ("SETNX", "k", "2")),
    ((("SET", "k", "1"),), ("APPEND", "k", "x")),
    ((("SET", "k", "1"),), ("INCR", "k")),
    ((("SET", "k", "1"),), ("INCRBYFLOAT", "k", "1.5")),
    ((("SET", "k", "1"),), ("SETRANGE", "k", 0, "x")),
    ((("SET", "k", "1"),), ("SETRANGE", "k", 0, "")),
    ((), ("MSET", "j", "1", "k", "2")),
    ((("SET", "k", "1"),), ("MSETNX", "k", "1", "j", "2")),
    ((("SET", "k", "1"),), ("RENAME", "k", "j")),
    ((("SET", "j", "1"),), ("RENAME", "j", "k")),
    ((("SET", "j", "1"),), ("RENAMENX", "j", "k")),
    ((("SET", "k", "1"),), ("MOVE", "k", 1)),
    ((("SET", "j", "1"),), ("COPY", "j", "k")),
    ((("SET", "k", "1"),), ("COPY", "k", "j")),
    ((), ("LPUSH", "k", "a")),
    ((("RPUSH", "k", "a", "b"),), ("LPOP", "k")),
    ((("RPUSH", "k", "a"),), ("RPOP", "k")),
    ((("RPUSH", "k", "a", "b"),), ("LSET", "k", 0, "z")),
    ((("RPUSH", "k", "a", "b"),), ("LREM", "k", 0, "zz")),
    ((("RPUSH", "k", "a", "b"),), ("LREM", "k", 0, "a")),
    ((("RPUSH", "k", "a", "b"),), ("LTRIM", "k", 0, -1)),
    ((("RPUSH", "k", "a", "b"),), ("LTRIM", "k", 0, 0)),
    ((("RPUSH", "k", "a", "b"),), ("LINSERT", "k", "BEFORE", "a", "x")),
    ((("RPUSH", "k", "a", "b"),), ("LINSERT", "k", "BEFORE", "zz", "x")),
    ((("RPUSH", "j", "a"),), ("LMOVE", "j", "k", "LEFT", "LEFT")),
    ((("RPUSH", "k", "a"),), ("RPOPLPUSH", "k", "j")),
    ((), ("HSET", "k", "f", "v")),
    ((("HSET", "k", "f", "v"),), ("HSET", "k", "f", "v")),
    ((("HSET", "k", "f", "v"),), ("HSETNX", "k", "f", "w")),
    ((("HSET", "k", "f", "v"),), ("HDEL", "k", "nope")),
    ((("HSET", "k", "f", "v"),), ("HDEL", "k", "f")),
    ((("HSET", "k", "f", "1"),), ("HINCRBY", "k", "f", 1)),
    ((("HSET", "k", "f", "1"),), ("HINCRBYFLOAT", "k", "f", 1)),
    ((), ("SADD", "k", "a")),
    ((("SADD", "k", "a"),), ("SADD", "k", "a")),
    ((("SADD", "k", "a", "b"),), ("SREM", "k", "zz")),
    ((("SADD", "k", "a", "b"),), ("SREM", "k", "a")),
    ((("SADD", "k", "a"),), ("SPOP", "k")),
    ((("SADD", "j", "a"),), ("SMOVE", "j", "k", "a")),
    ((("SADD", "j", "a"), ("SADD", "i", "b")), ("SUNIONSTORE", "k", "j", "i")),
    ((("SADD", "k", "a"),), ("SINTERSTORE", "k", "nope", "j")),
    ((), ("SDIFFSTORE", "k", "nope", "j")),
    ((), ("ZADD", "k", 1, "a")),
    ((("ZADD", "k", 1, "a"),), ("ZADD", "k", 1, "a")),
    ((("ZADD", "k", 1, "a"),), ("ZADD", "k", 2, "a")),
    ((("ZADD", "k", 1, "a"),), ("ZINCRBY", "k", 1, "a")),
    ((("ZADD", "k", 1, "a"),), ("ZREM", "k", "zz")),
    ((("ZADD", "k", 1, "a", 2, "b"),), ("ZREM", "k", "a")),
    ((("ZADD", "k", 1, "a", 2, "b"),), ("ZREMRANGEBYSCORE", "k", 5, 6)),
    ((("ZADD", "k", 1, "a", 2, "b"),), ("ZREMRANGEBYRANK", "k", 0, 0)),
    ((("ZADD", "k", 1, "a", 2, "b"),), ("ZPOPMIN", "k")),
    ((("ZADD", "j", 1, "a"),), ("ZUNIONSTORE", "k", 1, "j")),
    ((("ZADD", "j", 1, "a"),), ("ZRANGESTORE", "k", "j", 0, -1)),
    ((("SET", "k", "1"),), ("FLUSHDB",)),
    ((), ("FLUSHDB",)),  # the watched key did not exist: untouched
    ((("SET", "k", "1"),), ("FLUSHALL",)),
    ((("SELECT", 1), ("SET", "k", "1"), ("SELECT", 0)), ("FLUSHALL",)),
    ((("SET", "k", "1"),), ("SWAPDB", 0, 1)),
    ((), ("SWAPDB", 0, 1)),
    ((("SELECT", 1), ("SET", "k", "1"), ("SELECT", 0)), ("SWAPDB", 1, 0)),
    ((("SELECT", 1), ("SET", "k", "1"), ("SELECT", 0)), ("SWAPDB", 1, 2)),
    ((("SELECT", 1), ("SET", "k", "1"), ("SELECT", 0)), ("MOVE", "k", 0)),
    ((("SET", "j", "1"),), ("SET", "j", "2")),  # another key
    ((), ("SETEX", "k", 100, "v")),
    ((), ("PSETEX", "k", 100000, "v")),
    ((("SET", "k", "1"),), ("SET", "k", "2", "GET")),
    ((("SET", "k", "1"),), ("SET", "k", "2", "XX", "KEEPTTL")),
    ((), ("SET", "k", "2", "XX")),
    ((("SET", "k", "1"),), ("GETSET", "k", "2")),
    ((("SET", "k", "1"),), ("DECR", "k")),
    ((("SET", "k", "1"),), ("INCRBY", "k", 0)),
    ((("SET", "k", "1"),), ("DECRBY", "k", 5)),
    ((("SET", "k", "a"),), ("INCR", "k")),  # an error changes nothing
    ((("SET", "k", "1"),), ("LPUSH", "k", "x")),  # WRONGTYPE
    ((("SET", "k", "1"),), ("PEXPIRE", "k", 100000)),
    ((("SET", "k", "1"),), ("EXPIREAT", "k", 4000000000)),
    ((("SET", "k", "1"),), ("PEXPIREAT", "k", 1)),
    ((("SET", "k", "1", "EX", 100),), ("EXPIRE", "k", 200, "LT")),
    ((("SET", "k", "1", "EX", 100),), ("EXPIRE", "k", 200, "GT")),
    ((("SET", "k", "1"),), ("DEL", "nope", "k")),
    ((("SET", "j", "1"),), ("COPY", "j", "k", "DB", 0, "REPLACE")),
    ((("SET", "k", "1"),), ("COPY", "k", "k", "DB", 1)),
    ((("SET", "k", "1"),), ("RENAME", "k", "k")),
    ((("SET", "k", "1"), ("SET", "j", "2")), ("RENAMENX", "j", "k")),
    ((), ("RPUSHX", "k", "a")),
    ((("RPUSH", "k", "a"),), ("RPUSHX", "k", "a")),
    ((("RPUSH", "k", "a"),), ("LPUSHX", "k", "a")),
    ((("RPUSH", "k", "a", "b"),), ("LMPOP", 1, "k", "RIGHT", "COUNT", 5)),
    ((("RPUSH", "k", "a", "b"),), ("LMOVE", "k", "k", "LEFT", "RIGHT")),
    ((("RPUSH", "k", "a"),), ("BLPOP", "k", 0)),
    ((("RPUSH", "j", "a"),), ("BLMOVE", "j", "k", "LEFT", "LEFT", 0)),
    ((("RPUSH", "k", "a"),), ("LSET", "k", 5, "z")),
    ((("RPUSH", "k", "a"),), ("LRANGE", "k", 0, -1)),
    ((), ("HMSET", "k", "f", "v")),
    ((("HSET", "k", "f", "v"),), ("HSETNX", "k", "g", "w")),
    ((("HSET", "k", "f", "v"),), ("HGETALL", "k")),
    ((("SADD", "k", "a"),), ("SPOP", "k", 5)),
    ((("SADD", "k", "a"),), ("SPOP", "k", 0)),
    ((("SADD", "k", "a"),), ("SMOVE", "k", "k", "a")),
    ((("SADD", "k", "a"),), ("SMOVE", "k", "j", "zz")),
    ((("SADD", "k", "a"),), ("SRANDMEMBER", "k")),
    ((("ZADD", "k", 1, "a"),), ("ZADD", "k", "NX", 5, "a")),
    ((("ZADD", "k", 1, "a"),), ("ZADD", "k", "XX", "CH", 5, "a")),
    ((("ZADD", "k", 1, "a"),), ("ZADD", "k", "INCR", 0, "a")),
    ((("ZADD", "k", 1, "a"),), ("ZPOPMAX", "k", 0)),
    ((("ZADD", "k", 1, "a"),), ("ZMPOP", 1, "k", "MAX")),
    ((("ZADD", "k", 1, "a"),), ("BZPOPMIN", "k", 0)),
    ((("ZADD", "k", 1, "a"),), ("ZREMRANGEBYLEX", "k", "[z", "+")),
    ((("ZADD", "k", 1, "a"),), ("ZREMRANGEBYLEX", "k", "-", "+")),
    ((("ZADD", "j", 1, "a"),), ("ZINTERSTORE", "k", 2, "j", "nope")),
    ((("ZADD", "j", 1, "a"),), ("ZDIFFSTORE", "k", 1, "j")),
    ((), ("ZUNIONSTORE", "k", 1, "nope")),
    ((), ("RESTORE", "k", 0, DUMP_OF_1)),
    ((("SET", "k", "2"),), ("RESTORE", "k", 0, DUMP_OF_1, "REPLACE")),
    ((("SET", "k", "2"),), ("RESTORE", "k", 0, DUMP_OF_1)),  # BUSYKEY
]


@pytest.mark.parametrize(
    "setup,other", WRITES, ids=[" ".join(map(str, o)) + f"#{i}" for i, (_, o) in enumerate(WRITES)]
)
def test_watched_key_touched_by_another_client(both, setup, other):
    # the admin connection runs setup; SELECT there only moves the admin
    def scenario(s):
        admin = s.conn()
        for cmd in setup:
            admin.call(*cmd)
        a, b = s.conn(), s.conn()
        out = [a.call("WATCH", "k")]
        out.append(b.call(*other))
        out += a.pipeline(("MULTI",), ("SET", "done", "1"), ("EXEC",))
        if other[0] in ("SWAPDB", "MOVE"):
            for db in range(3):
                admin.call("SELECT", db)
                out.append(admin.call("KEYS", "*"))
        return out

    both(scenario)


def test_watch_in_another_db_and_several_keys(both):
    def scenario(s):
        admin, a = s.conn(), s.conn()
        out = []
        out += a.pipeline(("SELECT", 1), ("WATCH", "k"), ("SELECT", 0))
        out.append(admin.call("SET", "k", "db0"))  # not the watched db
        out += a.pipeline(("MULTI",), ("SET", "r1", "1"), ("EXEC",))
        out += a.pipeline(("WATCH", "x", "y", "z", "y"), ("WATCH", "w"))
        out.append(admin.call("SET", "w", "1"))  # the last of two WATCH calls
        out += a.pipeline(("MULTI",), ("SET", "r2", "1"), ("EXEC",))
        return out

    both(scenario)


def test_own_writes_and_unwatch(both):
    def scenario(s):
        admin, a = s.conn(), s.conn()
        out = []
        # touching a watched key yourself fails your own transaction
        out += a.pipeline(("WATCH", "k"), ("SET", "k", "1"), ("MULTI",), ("GET", "k"), ("EXEC",))
        # UNWATCH forgets the touch
        out += a.pipeline(("WATCH", "k"), ("SET", "k", "2"), ("UNWATCH",))
        out += a.pipeline(("MULTI",), ("GET", "k"), ("EXEC",))
        # EXEC unwatches: a later write does not fail the next transaction
        out += a.pipeline(("WATCH", "k"), ("MULTI",), ("GET", "k"), ("EXEC",))
        out.append(admin.call("SET", "k", "3"))
        out += a.pipeline(("MULTI",), ("GET", "k"), ("EXEC",))
        # a failed EXEC unwatches too
        out += a.pipeline(("WATCH", "k"))
        out.append(admin.call("SET", "k", "4"))
        out += a.pipeline(("MULTI",), ("GET", "k"), ("EXEC",))
        out += a.pipeline(("MULTI",), ("GET", "k"), ("EXEC",))
        # DISCARD unwatches
        out += a.pipeline(("WATCH", "k"), ("MULTI",), ("DISCARD",))
        out.append(admin.call("SET", "k", "5"))
        out += a.pipeline(("MULTI",), ("GET", "k"), ("EXEC",))
        # EXECABORT unwatches
        out += a.pipeline(("WATCH", "k"), ("MULTI",), ("NOSUCH",), ("EXEC",))
        out.append(admin.call("SET", "k", "6"))
        out += a.pipeline(("MULTI",), ("GET", "k"), ("EXEC",))
        # a dirty client stays dirty through later WATCHes
        out += a.pipeline(("WATCH", "k"), ("SET", "k", "7"), ("WATCH", "other"))
        out += a.pipeline(("MULTI",), ("GET", "k"), ("EXEC",))
        # the transaction's own writes do not fail it
        out += a.pipeline(("WATCH", "k"), ("MULTI",), ("SET", "k", "8"), ("EXEC",))
        return out

    both(scenario)


def test_reset_discards_and_unwatches(both):
    def scenario(s):
        admin, a = s.conn(), s.conn()
        out = a.pipeline(("WATCH", "k"), ("MULTI",), ("SET", "x", "1"), ("RESET",))
        out.append(admin.call("SET", "k", "1"))
        if s.proto == 3:
            a.call("HELLO", 3)
        out += a.pipeline(("EXISTS", "x"), ("EXEC",), ("MULTI",), ("GET", "k"), ("EXEC",))
        return out

    both(scenario)


def test_disconnect_while_watching_and_queueing(both):
    def scenario(s):
        admin, a = s.conn(), s.conn()
        a.pipeline(("WATCH", "k", "j"), ("MULTI",), ("SET", "x", "1"))
        a.close()
        time.sleep(0.05)
        out = [admin.call("SET", "k", "1"), admin.call("EXISTS", "x")]
        c = s.conn()
        out += c.pipeline(("WATCH", "j"), ("MULTI",), ("SET", "y", "1"), ("EXEC",))
        return out

    both(scenario)


# -- expiry -----------------------------------------------------------------------------------------


def test_watched_key_expiring_before_exec_fails_it(both):
    def scenario(s):
        admin, a = s.conn(), s.conn()
        out = [admin.call("DEBUG", "SET-ACTIVE-EXPIRE", 0)]
        try:
            out.append(admin.call("SET", "k", "v", "PX", 60))
            out.append(a.call("WATCH", "k"))
            time.sleep(0.12)  # nobody reads k: only EXEC notices it expired
            out += a.pipeline(("MULTI",), ("SET", "done", "1"), ("EXEC",))
            # with active expiry the key is deleted by the cron: a touch too
            admin.call("DEBUG", "SET-ACTIVE-EXPIRE", 1)
            out.append(admin.call("SET", "k", "v", "PX", 60))
            out.append(a.call("WATCH", "k"))
            time.sleep(0.3)
            out.append(admin.call("DBSIZE"))
            out += a.pipeline(("MULTI",), ("SET", "done", "2"), ("EXEC",))
        finally:
            admin.call("DEBUG", "SET-ACTIVE-EXPIRE", 1)
        return out

    t = both(scenario)
    assert t[5] == "NULL_ARRAY" if both.proto == 2 else t[5] == "NULL"


@pytest.mark.parametrize(
    "between",
    [
        (),
        (("DEL", "k"),),
        (("GET", "k"),),
        (("EXISTS", "k"),),
        (("SET", "k", "new"),),
        (("FLUSHDB",),),
        (("SWAPDB", 0, 1),),
        (("SET", "other", "1"),),
    ],
    ids=["nothing", "del", "get", "exists", "set", "flushdb", "swapdb", "other"],
)
def test_key_already_expired_when_watched(both, between):
    """An expired key is logically absent: deleting it later is no change, writing it is."""

    def scenario(s):
        admin, a = s.conn(), s.conn()
        admin.call("DEBUG", "SET-ACTIVE-EXPIRE", 0)
        try:
            out = [admin.call("SET", "k", "v", "PX", 10)]
            time.sleep(0.05)
            out.append(a.call("WATCH", "k"))
            out += [a.call(*cmd) for cmd in between]
            out += a.pipeline(("MULTI",), ("SET", "done", "1"), ("EXEC",))
        finally:
            admin.call("DEBUG", "SET-ACTIVE-EXPIRE", 1)
        return out

    both(scenario)


def test_swapdb_brings_in_an_expired_key(both):
    def scenario(s):
        admin, a = s.conn(), s.conn()
        admin.call("DEBUG", "SET-ACTIVE-EXPIRE", 0)
        try:
            admin.pipeline(("SELECT", 1), ("SET", "k", "v", "PX", 10), ("SELECT", 0))
            time.sleep(0.05)
            out = [a.call("WATCH", "k"), admin.call("SWAPDB", 0, 1)]
            out += a.pipeline(("MULTI",), ("SET", "done", "1"), ("EXEC",))
        finally:
            admin.call("DEBUG", "SET-ACTIVE-EXPIRE", 1)
        return out

    both(scenario)


# -- pauses ----------------------------------------------------------------------------------------


def test_client_pause_write_holds_an_exec_with_writes(both):
    def scenario(s):
        admin, a = s.conn(), s.conn()
        out = a.pipeline(("MULTI",), ("GET", "k"))
        out.append(admin.call("CLIENT", "PAUSE", 400, "WRITE"))
        out.append(a.call("EXEC"))  # read-only: runs
        out.append(admin.call("CLIENT", "UNPAUSE"))
        out += a.pipeline(("MULTI",), ("SET", "k", "1"))
        out.append(admin.call("CLIENT", "PAUSE", 300, "WRITE"))
        a.send("EXEC")
        out.append(a.nothing_pending(0.1))  # a queued write: held until the pause ends
        out.append(a.reply())
        admin.call("CLIENT", "UNPAUSE")
        return out

    t = both(scenario)
    assert t[-2] is True


# -- what redis-py sees ------------------------------------------------------------------------------


def _pipeline_run(client, fn):
    try:
        return ("ok", fn(client))
    except redis.RedisError as e:
        return ("err", type(e).__name__, str(e))


def test_redis_py_transaction_pipeline(pair):
    def run(r):
        p = r.pipeline(transaction=True)
        p.set("k", "1").incr("k").lpush("k", "x").get("k")
        res = p.execute(raise_on_error=False)
        return [str(x) if isinstance(x, Exception) else x for x in res]

    a = _pipeline_run(pair.ours, run)
    b = _pipeline_run(pair.real, run)
    assert a == b


def test_redis_py_watch_error(pair):
    def run(r):
        other = redis.Redis(connection_pool=r.connection_pool)
        with r.pipeline() as p:
            p.watch("k")
            p.get("k")
            other.set("k", "changed")
            p.multi()
            p.set("k", "mine")
            try:
                p.execute()
            except redis.WatchError as e:
                return ("watch-error", str(e), r.get("k"))
        return ("ran", r.get("k"))

    assert _pipeline_run(pair.ours, run) == _pipeline_run(pair.real, run)


def test_redis_py_execabort(pair):
    def run(r):
        p = r.pipeline(transaction=True)
        p.set("k", "1")
        p.execute_command("NOSUCHCOMMAND")
        return p.execute()

    a = _pipeline_run(pair.ours, run)
    b = _pipeline_run(pair.real, run)
    assert a == b
    pair.same("EXISTS", "k")

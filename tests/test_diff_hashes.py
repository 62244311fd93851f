"""Differential tests for the hash command group: ours vs real Redis 7.0.

Every call runs on both servers (RESP2 and RESP3) through
:class:`tests.conftest.Pair`. Unordered replies (HKEYS, HVALS, a hashtable's
HGETALL) are sorted before comparing; random replies (HRANDFIELD) are
compared by shape: lengths, uniqueness, membership, pair structure.
``OBJECT ENCODING`` is compared at the listpack/hashtable thresholds.
"""

from __future__ import annotations

import socket
import types
from contextlib import contextmanager

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from server.server import Server


def srt(v):
    """Sort unordered replies (lists, sets) for comparison."""
    if isinstance(v, (list, set, tuple)):
        return sorted(v, key=repr)
    return v


def scan_all(client, cmd, key, **opts):
    extra = []
    for k, v in opts.items():
        extra += [k, v]
    cursor = 0
    seen = []
    rounds = 0
    while True:
        reply = client.execute_command(cmd, key, cursor, *extra)
        cursor, items = int(reply[0]), reply[1]
        seen.append(items)
        rounds += 1
        if cursor == 0:
            return seen, rounds


@contextmanager
def config(pair, name, value):
    old_ours = pair.ours.config_get(name)[name]
    old_real = pair.real.config_get(name)[name]
    pair.same("CONFIG", "SET", name, value)
    try:
        yield
    finally:
        pair.ours.config_set(name, old_ours)
        pair.real.config_set(name, old_real)


def fill(pair, key, n, value=b"v", prefix="f"):
    for client in (pair.ours, pair.real):
        pipe = client.pipeline(transaction=False)
        for i in range(0, n, 100):
            args = []
            for j in range(i, min(n, i + 100)):
                args += [f"{prefix}{j}", value]
            pipe.execute_command("HSET", key, *args)
        pipe.execute()


# -- basic commands -------------------------------------------------------------------------


def test_hset_hget_basics(pair):
    s = pair.same
    s("HSET", "h", "a", "1")
    s("HSET", "h", "a", "2", "b", "3", "c", "x")
    s("HGET", "h", "a")
    s("HGET", "h", "nope")
    s("HGET", "nokey", "a")
    s("HMSET", "h", "d", "4", "e", "")
    s("HMSET", "h", "d")
    s("HSET", "h", "d")
    s("HSET", "h", "d", "1", "e")
    s("HSET", "h")
    s("HLEN", "h")
    s("HLEN", "nokey")
    s("HEXISTS", "h", "a")
    s("HEXISTS", "h", "zz")
    s("HEXISTS", "nokey", "a")
    s("HSTRLEN", "h", "a")
    s("HSTRLEN", "h", "c")
    s("HSTRLEN", "h", "e")
    s("HSTRLEN", "h", "zz")
    s("HSTRLEN", "nokey", "a")
    s("HMGET", "h", "a", "zz", "c")
    s("HMGET", "nokey", "a", "b")
    s("HGETALL", "h")
    s("HGETALL", "nokey")
    s("HKEYS", "h")
    s("HKEYS", "nokey")
    s("HVALS", "h")
    s("HVALS", "nokey")
    pair.encoding("h")


def test_integer_like_values_round_trip(pair):
    s = pair.same
    vals = ["0", "-0", "007", "+5", "127", "128", "-4096", "-4097", "4095", "32767", "32768",
            "8388607", "8388608", "2147483647", "2147483648", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "1.5", " 1"]  # fmt: skip
    for i, v in enumerate(vals):
        s("HSET", "h", v, v)
        s("HSET", "h", f"k{i}", v)
    for i, v in enumerate(vals):
        s("HGET", "h", v)
        s("HGET", "h", f"k{i}")
        s("HSTRLEN", "h", v)
        s("HEXISTS", "h", v)
    s("HGETALL", "h")
    pair.encoding("h")


def test_wrongtype(pair):
    s = pair.same
    s("SET", "str", "x")
    for args in (
        ("HSET", "str", "a", "1"), ("HMSET", "str", "a", "1"), ("HSETNX", "str", "a", "1"),
        ("HGET", "str", "a"), ("HMGET", "str", "a"), ("HLEN", "str"), ("HSTRLEN", "str", "a"),
        ("HEXISTS", "str", "a"), ("HKEYS", "str"), ("HVALS", "str"), ("HGETALL", "str"),
        ("HDEL", "str", "a"), ("HINCRBY", "str", "a", "1"), ("HINCRBYFLOAT", "str", "a", "1"),
        ("HRANDFIELD", "str"), ("HRANDFIELD", "str", "2"), ("HRANDFIELD", "str", "-2", "WITHVALUES"),
        ("HSCAN", "str", "0"), ("HSCAN", "str", "0", "COUNT", "0"),
    ):  # fmt: skip
        s(*args)


def test_hdel_deletes_empty_hash(pair):
    s = pair.same
    s("HSET", "h", "a", "1", "b", "2", "c", "3")
    s("HDEL", "h", "a", "a", "zz")
    s("HDEL", "nokey", "a")
    s("HDEL", "h", "b", "c", "d")
    s("EXISTS", "h")
    s("HDEL", "h")
    fill(pair, "big", 600)
    pair.encoding("big")
    for i in range(0, 600, 7):
        s("HDEL", "big", f"f{i}", f"f{i + 1}", f"f{i + 2}")
    s("HLEN", "big")
    pair.encoding("big")
    s("HGETALL", "big")


def test_hsetnx(pair):
    s = pair.same
    s("HSETNX", "h", "a", "1")
    s("HSETNX", "h", "a", "2")
    s("HGET", "h", "a")
    s("HSETNX", "h", "a", "x" * 100)  # existing field: no conversion
    pair.encoding("h")
    s("HSETNX", "h", "b", "x" * 65)
    pair.encoding("h")
    s("HSETNX", "h")


def test_copy_keeps_encoding(pair):
    s = pair.same
    s("HSET", "small", "a", "1", "b", "2")
    fill(pair, "big", 600)
    for src in ("small", "big"):
        s("COPY", src, src + ":copy")
        pair.encoding(src + ":copy")
        s("HGETALL", src + ":copy")
        s("HSET", src + ":copy", "a", "changed")
        s("HGET", src, "a")


# -- HINCRBY / HINCRBYFLOAT ------------------------------------------------------------------


def test_hincrby(pair):
    s = pair.same
    s("HINCRBY", "h", "n", "5")
    s("HINCRBY", "h", "n", "-10")
    s("HINCRBY", "h", "n", "abc")
    s("HINCRBY", "h", "n", "1.5")
    s("HINCRBY", "h", "n", "9223372036854775808")
    s("HSET", "h", "s", "hello", "big", "9223372036854775807", "small", "-9223372036854775808")
    s("HINCRBY", "h", "s", "1")
    s("HINCRBY", "h", "big", "1")
    s("HINCRBY", "h", "big", "0")
    s("HINCRBY", "h", "small", "-1")
    s("HINCRBY", "h", "small", "1")
    s("HSET", "h", "sp", " 1", "pl", "+1", "lead", "01")
    s("HINCRBY", "h", "sp", "1")
    s("HINCRBY", "h", "pl", "1")
    s("HINCRBY", "h", "lead", "1")
    s("HINCRBY", "nokey", "f", "x")
    s("EXISTS", "nokey")
    s("HGETALL", "h")


@pytest.mark.parametrize(
    "start,incr",
    [
        ("10.50", "0.1"), ("0", "0.1"), ("1", "1e-17"), ("3.0e3", "1.5"), ("-5", "5"),
        ("5.0e3", "2.0e2"), ("1", "-0.3333333333333333"), ("0.1", "0.2"),
        ("1e300", "1e300"), ("123456789012345678", "1"), ("17179869184", "1.5"),
        ("1", "1.7976931348623157e308"), ("-1", "-1.1"), ("0x10", "1"),
    ],
)  # fmt: skip
def test_hincrbyfloat_precision(pair, start, incr):
    s = pair.same
    s("HSET", "h", "f", start)
    s("HINCRBYFLOAT", "h", "f", incr)
    s("HGET", "h", "f")
    s("HINCRBYFLOAT", "h", "f", incr)
    s("HINCRBYFLOAT", "h", "new", incr)


def test_hincrbyfloat_errors(pair):
    s = pair.same
    s("HSET", "h", "s", "abc", "inf", "inf", "sp", " 1", "big", "1.7976931348623157e308")
    for incr in ("abc", "", "inf", "-inf", "nan", "1e5000", " 1", "1 ", "0x1p3"):
        s("HINCRBYFLOAT", "h", "f", incr)
    s("HINCRBYFLOAT", "h", "s", "1")
    s("HINCRBYFLOAT", "h", "inf", "1")
    s("HINCRBYFLOAT", "h", "sp", "1")
    s("HINCRBYFLOAT", "h", "big", "1.7976931348623157e308")
    s("HINCRBYFLOAT", "nokey", "f", "x")
    s("EXISTS", "nokey")
    s("HGETALL", "h")


# -- encodings at the thresholds -------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 511, 512, 513, 600])
def test_entries_threshold(pair, n):
    fill(pair, "h", n)
    pair.encoding("h")
    pair.same("HLEN", "h")
    pair.same("HGETALL", "h")
    pair.same("HKEYS", "h", normalize=srt)
    pair.same("HVALS", "h", normalize=srt)


def test_entries_threshold_one_by_one(pair):
    fill(pair, "h", 512)
    pair.encoding("h")
    pair.same("HSET", "h", "f0", "again")  # update: still listpack
    pair.encoding("h")
    pair.same("HSETNX", "h", "new", "1")
    pair.encoding("h")
    pair.same("HDEL", "h", "new", "f1", "f2")
    pair.encoding("h")  # never back to listpack


@pytest.mark.parametrize("length", [63, 64, 65, 300])
@pytest.mark.parametrize("where", ["field", "value"])
def test_value_threshold(pair, length, where):
    s = pair.same
    s("HSET", "h", "a", "1")
    big = "x" * length
    if where == "field":
        s("HSET", "h", big, "1")
    else:
        s("HSET", "h", "b", big)
    pair.encoding("h")
    s("HGETALL", "h")


@pytest.mark.parametrize("cmd", ["HINCRBY", "HINCRBYFLOAT"])
def test_incr_long_field_converts(pair, cmd):
    s = pair.same
    s("HSET", "h", "a", "1")
    s(cmd, "h", "y" * 64, "1")
    pair.encoding("h")
    s(cmd, "h", "y" * 65, "1")
    pair.encoding("h")
    s(cmd, "h2", "z" * 65, "2")
    pair.encoding("h2")


def test_hincrbyfloat_long_result_converts(pair):
    s = pair.same
    s("HSET", "h", "f", "1")
    s("HINCRBYFLOAT", "h", "f", "0.00000000000000001")
    pair.encoding("h")
    s("HSET", "h", "g", "1e60")
    s("HINCRBYFLOAT", "h", "g", "1")  # 61 characters
    pair.encoding("h")
    s("HSET", "h", "k", "1e70")
    s("HINCRBYFLOAT", "h", "k", "1")  # 71 characters: hashtable
    pair.encoding("h")
    s("HGET", "h", "k")


def test_config_thresholds(pair):
    s = pair.same
    with (
        config(pair, "hash-max-listpack-entries", "4"),
        config(pair, "hash-max-listpack-value", "8"),
    ):
        s("HSET", "a", "1", "1", "2", "2", "3", "3", "4", "4")
        pair.encoding("a")
        s("HSET", "a", "5", "5")
        pair.encoding("a")
        s("HSET", "b", "f", "12345678")
        pair.encoding("b")
        s("HSET", "b", "g", "123456789")
        pair.encoding("b")
        s("HSET", "c", "f", "1")
    with config(pair, "hash-max-listpack-entries", "0"):
        s("HSET", "d", "f", "1")
        pair.encoding("d")


# -- HRANDFIELD -------------------------------------------------------------------------------


def test_hrandfield_errors_and_empty(pair):
    s = pair.same
    s("HSET", "h", "a", "1", "b", "2")
    s("HRANDFIELD", "nokey")
    for args in (
        ("nokey", "3"), ("nokey", "-3"), ("nokey", "0"), ("nokey", "3", "WITHVALUES"),
        ("h", "0"), ("h", "0", "WITHVALUES"), ("h", "x"), ("h", "1", "foo"), ("nokey", "1", "foo"),
        ("h", "1", "WITHVALUES", "x"), ("h", "-9223372036854775808"), ("h", "9223372036854775808"),
        ("h", "-4611686018427387904", "WITHVALUES"), ("h", "4611686018427387904", "WITHVALUES"),
        ("nokey", "-4611686018427387903", "WITHVALUES"), ("h", "1.5"), ("nokey", "x"),
    ):  # fmt: skip
        s("HRANDFIELD", *args)


def _pairs(reply, protocol, withvalues):
    """HRANDFIELD's reply as a list of (field, value) or fields."""
    if not withvalues:
        return [bytes(x) for x in reply]
    if protocol == 3:
        assert all(isinstance(p, list) and len(p) == 2 for p in reply), reply
        return [(p[0], p[1]) for p in reply]
    assert len(reply) % 2 == 0
    return list(zip(reply[0::2], reply[1::2], strict=True))


@pytest.mark.parametrize("size", [5, 100, 700])
@pytest.mark.parametrize("count", [1, 2, 4, 5, 10, 40, 99, 150, 1000, -1, -3, -10, -2000])
@pytest.mark.parametrize("withvalues", [False, True])
def test_hrandfield_shapes(pair, size, count, withvalues):
    fill(pair, "h", size, value=b"val")
    pair.encoding("h")
    whole = {f"f{i}".encode(): b"val" for i in range(size)}
    args = ["HRANDFIELD", "h", str(count)] + (["WITHVALUES"] if withvalues else [])
    a, b = pair.both(*args)
    assert a[0] == b[0] == "ok", (a, b)
    ours, real = _pairs(a[1], pair.protocol, withvalues), _pairs(b[1], pair.protocol, withvalues)
    expected_len = abs(count) if count < 0 else min(count, size)
    assert len(ours) == len(real) == expected_len
    fields = [p[0] if withvalues else p for p in ours]
    assert set(fields) <= set(whole)
    if withvalues:
        assert all(whole[f] == v for f, v in ours)
    if count > 0:
        assert len(set(fields)) == len(fields)
    if count >= size:
        assert set(fields) == set(whole)


def test_hrandfield_single(pair):
    fill(pair, "h", 3)
    a, b = pair.both("HRANDFIELD", "h")
    assert a[1] in (b"f0", b"f1", b"f2") and b[1] in (b"f0", b"f1", b"f2")
    fill(pair, "big", 600)
    a, b = pair.both("HRANDFIELD", "big")
    assert a[1].startswith(b"f") and b[1].startswith(b"f")


def test_hrandfield_covers_all_fields(ours):
    """Every field turns up eventually (listpack and hashtable), roughly uniformly."""
    for n in (10, 600):
        ours.delete("h")
        ours.hset("h", mapping={f"f{i}": i for i in range(n)})
        picks = ours.execute_command("HRANDFIELD", "h", str(-40 * n))
        counts: dict[bytes, int] = {}
        for p in picks:
            counts[p] = counts.get(p, 0) + 1
        assert len(counts) == n
        assert min(counts.values()) > 5  # expected 40 each


def test_hrandfield_refuses_absurd_counts(ours):
    ours.hset("h", "a", "1")
    with pytest.raises(Exception, match="too large"):
        ours.execute_command("HRANDFIELD", "h", "-9223372036854775807")
    assert ours.ping()


# -- HSCAN ---------------------------------------------------------------------------------------


def test_hscan_small_is_one_call(pair):
    s = pair.same
    s("HSET", "h", "a", "1", "b", "2", "aa", "3", "12", "34")
    s("HSCAN", "h", "0")
    s("HSCAN", "h", "123")
    s("HSCAN", "h", "0", "MATCH", "a*")
    s("HSCAN", "h", "0", "MATCH", "1*", "COUNT", "1")
    s("HSCAN", "h", "0", "COUNT", "1")
    for bad in (("COUNT", "0"), ("COUNT", "-1"), ("COUNT", "x"), ("MATCH",), ("TYPE", "string"),
                ("FOO", "1")):  # fmt: skip
        s("HSCAN", "h", "0", *bad)
    s("HSCAN", "nokey", "0")
    s("HSCAN", "nokey", "0", "FOO")
    s("HSCAN", "h", "x")
    s("HSCAN", "h", "-1")
    s("HSCAN", "h", "18446744073709551616")


@pytest.mark.parametrize("count", [None, 1, 5, 1000])
def test_hscan_hashtable_complete(pair, count):
    fill(pair, "h", 700, value=b"x")
    opts = {} if count is None else {"COUNT": count}
    for client in (pair.ours, pair.real):
        pages, rounds = scan_all(client, "HSCAN", "h", **opts)
        seen = {}
        for page in pages:
            if isinstance(page, dict):
                seen.update(page)
            else:
                seen.update(zip(page[0::2], page[1::2], strict=True))
        assert set(seen) == {f"f{i}".encode() for i in range(700)}
        if count == 1000:
            assert rounds == 1
        elif count in (None, 1):
            assert rounds > 10
    ours_pages, _ = scan_all(pair.ours, "HSCAN", "h", MATCH="f1*", COUNT=50)
    got = set()
    for page in ours_pages:
        got |= set(page) if isinstance(page, dict) else set(page[0::2])
    assert got == {f"f{i}".encode() for i in range(700) if str(i).startswith("1")}


def test_hscan_during_rehash_returns_everything(ours):
    ours.hset("h", mapping={f"f{i}": i for i in range(1000)})
    for i in range(950):
        ours.hdel("h", f"f{i}")  # shrinks: a rehash to a small table is under way
    ours.hset("h", mapping={f"g{i}": i for i in range(100)})
    cursor, seen = 0, set()
    while True:
        cursor, page = ours.hscan("h", cursor, count=3)
        seen |= set(page)
        if cursor == 0:
            break
    assert seen == {f"f{i}".encode() for i in range(950, 1000)} | {
        f"g{i}".encode() for i in range(100)
    }


# -- RESP3 reply types on the wire ---------------------------------------------------------------


def _read_resp(f):
    line = f.readline()
    t, rest = line[:1].decode(), line[1:-2]
    if t in "$=!":
        n = int(rest)
        return (t, None) if n < 0 else (t, f.read(n + 2)[:-2])
    if t in "*~>":
        n = int(rest)
        return (t, None) if n < 0 else (t, [_read_resp(f) for _ in range(n)])
    if t in "%|":
        return (t, [(_read_resp(f), _read_resp(f)) for _ in range(int(rest))])
    return (t, rest)


def resp3_replies(port, commands):
    """Each command's RESP3 reply as (type char, payload) trees, read off a raw socket."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        f = sock.makefile("rb")

        def call(args):
            data = b"*%d\r\n" % len(args)
            for a in args:
                a = a.encode() if isinstance(a, str) else a
                data += b"$%d\r\n%s\r\n" % (len(a), a)
            sock.sendall(data)
            return _read_resp(f)

        call(["HELLO", "3"])
        return [call(list(cmd)) for cmd in commands]


def shape(reply):
    """The reply's types and lengths, without the (random) contents."""
    t, payload = reply
    if isinstance(payload, list):
        return (t, [shape(x) if not isinstance(x, tuple) or len(x) != 2 or isinstance(x[0], str)
                    else (shape(x[0]), shape(x[1])) for x in payload])  # fmt: skip
    return (t, None if t in "$" and payload is not None else payload)


def test_resp3_wire_types(lab_server, real_server):
    setup = [("FLUSHALL",), ("HSET", "h", "a", "1", "b", "2", "c", "3"),
             ("HSET", "big", *[x for i in range(600) for x in (f"f{i}", "v")])]  # fmt: skip
    cmds = [
        ("HGETALL", "nokey"), ("HKEYS", "nokey"), ("HVALS", "nokey"), ("HRANDFIELD", "nokey"),
        ("HRANDFIELD", "nokey", "2"), ("HRANDFIELD", "nokey", "2", "WITHVALUES"),
        ("HRANDFIELD", "h", "2"), ("HRANDFIELD", "h", "-5", "WITHVALUES"), ("HRANDFIELD", "h", "0"),
        ("HRANDFIELD", "h", "5", "WITHVALUES"), ("HRANDFIELD", "h", "1", "WITHVALUES"),
        ("HRANDFIELD", "big", "-3", "WITHVALUES"), ("HRANDFIELD", "big", "3", "WITHVALUES"),
        ("HRANDFIELD", "big", "300", "WITHVALUES"), ("HRANDFIELD", "big", "700"),
        ("HSCAN", "nokey", "0"), ("HSCAN", "h", "0"), ("HMGET", "nokey", "a"), ("HGET", "nokey", "a"),
        ("HGETALL", "h"), ("HINCRBYFLOAT", "h", "a", "1.5"), ("HSTRLEN", "h", "a"),
    ]  # fmt: skip
    ours = resp3_replies(lab_server.port, setup + cmds)[len(setup) :]
    real = resp3_replies(real_server.port, setup + cmds)[len(setup) :]
    for cmd, a, b in zip(cmds, ours, real, strict=True):
        assert shape(a) == shape(b), cmd


# -- in-process checks: events, memory model, inspector ---------------------------------------------------


def _client(server):
    return types.SimpleNamespace(server=server, db=server.dbs[0], resp=2)


def _run(c, *args):
    argv = [a if isinstance(a, bytes) else str(a).encode() for a in args]
    cmd = c.server.commands[argv[0].lower()]
    return cmd.proc(c, argv)


def test_conversion_events_and_memory():
    srv = Server()
    c = _client(srv)
    _run(c, "HSET", "h", "a", "1")
    h = c.db.dict.find(b"h").value
    assert h.encoding == "listpack"
    # robj 16 + listpack of 11 bytes in a 16-byte class (MEMORY USAGE 64 in Redis 7.0)
    assert h.memory_usage() == 32
    _run(c, "HSET", "h", "b", "x" * 65)
    ev = [e for e in srv.events if e["type"] == "encoding-conversion"]
    assert ev and ev[-1]["key"] == b"h" and ev[-1]["from"] == "listpack"
    assert ev[-1]["to"] == "hashtable" and "hash-max-listpack-value (64)" in ev[-1]["reason"]
    assert h.encoding == "hashtable" and len(h.dict.table0) == 4
    args = ["HSET", "big"]
    for i in range(513):
        args += [f"f{i}", "v"]
    _run(c, *args)
    ev = [e for e in srv.events if e["type"] == "encoding-conversion"]
    assert ev[-1]["key"] == b"big" and "hash-max-listpack-entries (512)" in ev[-1]["reason"]
    big = c.db.dict.find(b"big").value
    assert len(big.dict.table0) == 1024  # presized from 513, as DEBUG HTSTATS-KEY shows in Redis
    layout = big.inspect(start=0, count=8)
    assert layout["table_size"][0] == 1024 and len(layout["buckets"]) == 8
    lp_layout = c.db.dict.find(b"h").value.copy()
    assert lp_layout.encoding == "hashtable"


def test_shrinks_after_deletes():
    srv = Server()
    c = _client(srv)
    args = ["HSET", "h"]
    for i in range(600):
        args += [f"f{i}", "v"]
    _run(c, *args)
    for i in range(590):
        _run(c, "HDEL", "h", f"f{i}")
    d = c.db.dict.find(b"h").value.dict
    assert len(d) == 10
    assert d.slots() < 1024 + 1024  # resized: a smaller table exists or rehashing towards one
    while d.is_rehashing():
        d.rehash(100)
    # The shrink began at 102 fields (a 128-slot table), as in Redis; whether a
    # second shrink (to 16) also ran depends on how fast the first one's
    # incremental rehash finished, which depends on the per-process hash seed.
    assert len(d.table0) in (16, 128)


def test_listpack_inspect_pairs():
    srv = Server()
    c = _client(srv)
    _run(c, "HSET", "h", "name", "ada", "n", "12")
    out = c.db.dict.find(b"h").value.inspect(start=0, count=10)
    roles = [e["role"] for e in out["entries"]]
    assert roles == ["field", "value", "field", "value"]
    assert out["entries"][3]["value"] == 12 and out["fields"] == 2
    assert out["total_bytes"] == len(out["raw"])


# -- property-based: a random command sequence against both servers --------------------------------------


FIELDS = st.sampled_from(["a", "b", "c", "1", "2", "-3", "x" * 70, "f"])
VALUES = st.sampled_from(["1", "0", "-5", "v", "", "3.5", "y" * 70, "9223372036854775807"])


def test_hash_state_machine(pair):
    class HashMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            pair.ours.flushall()
            pair.real.flushall()

        @rule(
            key=st.sampled_from(["h", "g"]),
            pairs=st.lists(st.tuples(FIELDS, VALUES), min_size=1, max_size=4),
        )
        def hset(self, key, pairs):
            args = [x for p in pairs for x in p]
            pair.same("HSET", key, *args)
            pair.encoding(key)

        @rule(key=st.sampled_from(["h", "g"]), field=FIELDS, value=VALUES)
        def hsetnx(self, key, field, value):
            pair.same("HSETNX", key, field, value)

        @rule(key=st.sampled_from(["h", "g"]), fields=st.lists(FIELDS, min_size=1, max_size=3))
        def hdel(self, key, fields):
            pair.same("HDEL", key, *fields)
            pair.same("EXISTS", key)

        @rule(
            key=st.sampled_from(["h", "g"]),
            field=FIELDS,
            incr=st.sampled_from(["1", "-2", "x", "100"]),
        )
        def hincrby(self, key, field, incr):
            pair.same("HINCRBY", key, field, incr)

        @rule(
            key=st.sampled_from(["h", "g"]),
            field=FIELDS,
            incr=st.sampled_from(["0.1", "-2.5", "1e3", "x"]),
        )
        def hincrbyfloat(self, key, field, incr):
            pair.same("HINCRBYFLOAT", key, field, incr)

        @rule(key=st.sampled_from(["h", "g", "s"]), field=FIELDS)
        def reads(self, key, field):
            pair.same("HGET", key, field)
            pair.same("HEXISTS", key, field)
            pair.same("HSTRLEN", key, field)
            pair.same("HLEN", key)
            pair.same("HMGET", key, field, "b")
            pair.same("HGETALL", key)
            pair.same("HKEYS", key, normalize=srt)
            pair.same("HVALS", key, normalize=srt)

        @rule(key=st.sampled_from(["h", "g"]), count=st.integers(-5, 5))
        def hrandfield(self, key, count):
            a, b = pair.both("HRANDFIELD", key, count)
            assert a[0] == b[0]
            assert len(a[1]) == len(b[1])

        @rule()
        def set_a_string(self):
            pair.same("SET", "s", "x")
            pair.same("HSET", "s", "a", "1")

    run_state_machine_as_test(
        HashMachine, settings=settings(max_examples=25, stateful_step_count=25, deadline=None)
    )

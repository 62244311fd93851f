"""Differential tests for the sorted set group: ours vs real Redis 7.0.

Every call goes through :class:`tests.conftest.Pair` (RESP2 and RESP3),
comparing replies or exact error texts; after writes we compare ``OBJECT
ENCODING`` too (listpack / skiplist), and bodies that depend on the encoding
run once per encoding. Random replies (ZRANDMEMBER, ZSCAN order of a
skiplist) are compared by shape and content, not order. A hypothesis state
machine drives both servers with random sorted-set commands.
"""

from __future__ import annotations

import os
import socket
import time

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

BIG = 140  # members that force a skiplist (> zset-max-listpack-entries 128)


def enc(pair, key):
    v = pair.same("OBJECT", "ENCODING", key)
    return v.decode() if isinstance(v, bytes) else v


def fill(pair, key, n, prefix="m", score=lambda i: i):
    args = []
    for i in range(n):
        args += [score(i), f"{prefix}{i}"]
    pair.same("ZADD", key, *args)


@pytest.fixture(params=["listpack", "skiplist"])
def encoding(request):
    return request.param


def make(pair, key, pairs, encoding):
    """ZADD the (score, member) pairs, plus a long member to force a skiplist."""
    args = [x for p in pairs for x in p]
    pair.same("ZADD", key, *args)
    if encoding == "skiplist":
        pair.same("ZADD", key, "-1000", "L" * 70)
        pair.same("ZREM", key, "L" * 70)
    assert enc(pair, key) == encoding


def port_of(client):
    return client.connection_pool.connection_kwargs["port"]


def raw(port, *args, resp=2):
    """Send one command on a fresh socket and return the raw reply bytes."""

    def bulk(a):
        b = a if isinstance(a, bytes) else str(a).encode()
        return b"$%d\r\n%s\r\n" % (len(b), b)

    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        if resp == 3:
            s.sendall(b"*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n")
            _drain(s)
        s.sendall(b"*%d\r\n" % len(args) + b"".join(bulk(a) for a in args))
        return _drain(s)


def _drain(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk
        if _reply_end(data, 0) is not None:
            return data


def _reply_end(buf, i):
    """Where the RESP reply starting at i ends, or None if incomplete."""
    eol = buf.find(b"\r\n", i)
    if eol < 0:
        return None
    kind, head = buf[i : i + 1], buf[i + 1 : eol]
    if kind in (b"$", b"=", b"!"):
        n = int(head)
        if n < 0:
            return eol + 2
        end = eol + 2 + n + 2
        return end if len(buf) >= end else None
    if kind in (b"*", b"~", b">", b"%"):
        n = int(head)
        if kind == b"%":
            n *= 2
        j = eol + 2
        for _ in range(max(n, 0)):
            j = _reply_end(buf, j)
            if j is None:
                return None
        return j
    return eol + 2


def same_raw(pair, *args):
    for resp in (2, 3):
        a = raw(port_of(pair.ours), *args, resp=resp)
        b = raw(port_of(pair.real), *args, resp=resp)
        assert a == b, f"{args!r} RESP{resp}: ours={a!r} real={b!r}"


# -- ZADD -----------------------------------------------------------------------------


def test_zadd_basic_and_options(pair):
    s = pair.same
    s("ZADD", "z", "1", "a", "2", "b")
    s("ZADD", "z", "1", "a", "3", "c")
    s("ZADD", "z", "CH", "5", "a", "3", "c", "9", "d")
    s("ZADD", "z", "NX", "100", "a", "100", "new")
    s("ZADD", "z", "XX", "100", "a", "100", "nope")
    s("ZADD", "z", "XX", "CH", "101", "a", "100", "nope")
    s("ZADD", "z", "GT", "CH", "50", "a", "200", "b")
    s("ZADD", "z", "LT", "CH", "50", "a", "0", "b")
    s("ZADD", "z", "XX", "GT", "1000", "a")
    s("ZADD", "z", "INCR", "5", "a")
    s("ZADD", "z", "NX", "INCR", "5", "a")
    s("ZADD", "z", "XX", "INCR", "5", "zz")
    s("ZADD", "z", "GT", "INCR", "-5", "a")
    s("ZADD", "z", "LT", "INCR", "-5", "a")
    s("ZADD", "z", "nx", "ch", "incr", "1", "fresh")
    s("ZRANGE", "z", "0", "-1", "WITHSCORES")
    s("ZADD", "missing", "XX", "1", "a")
    s("ZADD", "missing", "XX", "INCR", "1", "a")
    s("EXISTS", "missing")
    enc(pair, "z")


@pytest.mark.parametrize(
    "args",
    [
        ["ZADD", "z"],
        ["ZADD", "z", "1"],
        ["ZADD", "z", "NX"],
        ["ZADD", "z", "1", "a", "2"],
        ["ZADD", "z", "NX", "XX", "1", "a"],
        ["ZADD", "z", "GT", "LT", "1", "a"],
        ["ZADD", "z", "GT", "NX", "1", "a"],
        ["ZADD", "z", "LT", "NX", "1", "a"],
        ["ZADD", "z", "INCR", "1", "a", "2", "b"],
        ["ZADD", "z", "x", "a"],
        ["ZADD", "z", "1", "a", "nan", "b"],
        ["ZADD", "z", "1e400", "a"],
        ["ZADD", "z", "1e-400", "a"],
        ["ZADD", "z", " 1", "a"],
        ["ZADD", "z", "1 ", "a"],
        ["ZADD", "z", "", "a"],
        ["ZADD", "z", "0x1p-2000", "a"],
        ["ZADD", "z", "0x1p5000", "a"],
        ["ZADD", "z", "-0x1p5000", "a"],
        ["ZCOUNT", "z", "0x1p5000", "-0x1p5000"],
        ["ZADD", "z", "1\x00", "a"],
        ["ZCOUNT", "z", "1\x00x", "2"],
        ["ZINTERSTORE", "z", "1", "k", "WEIGHTS", "nan"],
        ["ZADD", "z", "FOO", "1", "a"],
        ["ZINCRBY", "z", "x", "a"],
        ["ZINCRBY", "z", "nx", "a"],
        ["ZINCRBY", "z", "incr", "a"],
    ],
)
def test_zadd_errors(pair, args):
    pair.same(*args)
    pair.same("EXISTS", "z")


@pytest.mark.parametrize(
    "score",
    [
        "0", "-0", "+0", "1", "-1", "1.5", "0.1", "-0.1", "1e17", "-1e17", "inf", "-inf",
        "+inf", "Infinity", "-infinity", "0x10", "0x1p3", "-0x1.8p1", "4611686018427387903",
        "4611686018427387904", "4611686018427387905", "9223372036854775807", "1e308",
        "4e-320", "123456789012345678", "3.0", "1E3", ".5", "5.", "1e-5", "4503599627370496",
        "-4503599627370495", "17179869184",
    ],
)  # fmt: skip
def test_scores_parse_and_format(pair, score):
    s = pair.same
    s("ZADD", "z", score, "m")
    s("ZSCORE", "z", "m")
    s("ZRANGE", "z", "0", "-1", "WITHSCORES")
    s("ZSCAN", "z", "0")
    s("ZINCRBY", "z", "0", "m")
    same_raw(pair, "ZSCORE", "z", "m")
    same_raw(pair, "ZRANGE", "z", "0", "-1", "WITHSCORES")
    same_raw(pair, "ZSCAN", "z", "0")
    same_raw(pair, "DUMP", "z")


def test_score_formats_raw(pair):
    pair.same("ZADD", "z", "0.1", "a", "1.5", "b", "1e17", "c", "inf", "d", "-inf", "e")
    pair.same("ZADD", "z", "2.5e-310", "f", "123.456", "g", "-0", "h")
    for cmd in (
        ("ZRANGE", "z", "0", "-1", "WITHSCORES"),
        ("ZINCRBY", "z", "0.2", "a"),
        ("ZMSCORE", "z", "a", "b", "nope"),
        ("ZADD", "z", "INCR", "0.3", "b"),
        ("ZPOPMIN", "z"),
        ("ZPOPMAX", "z", "2"),
        ("ZUNION", "1", "z", "WITHSCORES"),
        ("ZSCAN", "z", "0"),
    ):
        same_raw(pair, *cmd)


def test_listpack_bytes_after_edits(pair):
    """Inserts, score moves, deletes and pops leave the bytes Redis would DUMP."""
    s = pair.same
    s("ZADD", "z", "3", "c", "1", "a", "2", "b", "2", "aa", "-5", "123", "0.25", "-7")
    s("ZINCRBY", "z", "10", "a")
    s("ZADD", "z", "XX", "GT", "100", "b", "0", "c")
    s("ZREM", "z", "aa")
    s("ZPOPMIN", "z")
    s("ZADD", "z", "1e20", "big", "-1e-20", "tiny", "7", "x" * 64)
    s("ZREMRANGEBYSCORE", "z", "(0", "1")
    same_raw(pair, "DUMP", "z")
    s("ZRANGESTORE", "d", "z", "0", "-1")
    same_raw(pair, "DUMP", "d")
    s("ZUNIONSTORE", "u", "1", "z", "WEIGHTS", "0.5")
    same_raw(pair, "DUMP", "u")


def test_incr_nan_and_inf(pair):
    s = pair.same
    s("ZADD", "z", "inf", "a")
    s("ZINCRBY", "z", "-inf", "a")
    s("ZADD", "z", "INCR", "-inf", "a")
    s("ZINCRBY", "z", "inf", "a")
    s("ZINCRBY", "z", "1", "a")
    s("ZSCORE", "z", "a")
    s("ZINCRBY", "z", "1.5", "new")
    s("ZINCRBY", "z", "-1.5", "new")
    s("ZRANGE", "z", "0", "-1", "WITHSCORES")


def test_negative_zero(pair):
    s = pair.same
    s("ZADD", "z", "-0", "a")
    s("ZSCORE", "z", "a")
    fill(pair, "big", BIG)
    s("ZADD", "big", "-0", "a")
    s("ZSCORE", "big", "a")
    same_raw(pair, "ZSCORE", "big", "a")
    s("ZINCRBY", "big", "-0", "a")


# -- encodings -------------------------------------------------------------------------


def test_encoding_entries_threshold(pair):
    fill(pair, "z", 128)
    assert enc(pair, "z") == "listpack"
    pair.same("ZADD", "z", "128", "m128")
    assert enc(pair, "z") == "skiplist"
    pair.same("ZREMRANGEBYRANK", "z", "0", "-3")
    assert enc(pair, "z") == "skiplist"  # never back on its own
    fill(pair, "y", 129)
    enc(pair, "y")
    pair.same("ZADD", "z2", *[x for i in range(130) for x in (i, "same")])
    enc(pair, "z2")


def test_encoding_value_threshold(pair):
    pair.same("ZADD", "a", "1", "x" * 64)
    assert enc(pair, "a") == "listpack"
    pair.same("ZADD", "a", "1", "y" * 65)
    assert enc(pair, "a") == "skiplist"
    pair.same("ZADD", "b", "1", "x" * 65)
    assert enc(pair, "b") == "skiplist"
    pair.same("ZADD", "c", "1", "short", "2", "x" * 65)
    enc(pair, "c")
    pair.same("ZINCRBY", "d", "1", "x" * 65)
    enc(pair, "d")
    pair.same("ZRANGE", "c", "0", "-1", "WITHSCORES")


def test_encoding_config_changes(pair):
    for client in (pair.ours, pair.real):
        client.config_set("zset-max-listpack-entries", 4)
        client.config_set("zset-max-listpack-value", 8)
    try:
        fill(pair, "z", 4)
        enc(pair, "z")
        pair.same("ZADD", "z", "9", "x")
        enc(pair, "z")
        pair.same("ZADD", "v", "1", "123456789")
        enc(pair, "v")
        fill(pair, "src", 6)
        pair.same("ZRANGESTORE", "d1", "src", "0", "3")
        enc(pair, "d1")
        pair.same("ZRANGESTORE", "d2", "src", "0", "4")
        enc(pair, "d2")
        pair.same("ZUNIONSTORE", "d3", "1", "src")
        enc(pair, "d3")
        pair.same("ZINTERSTORE", "d4", "2", "src", "z", "WEIGHTS", "1", "2")
        enc(pair, "d4")
        for client in (pair.ours, pair.real):
            client.config_set("zset-max-listpack-entries", 0)
        pair.same("ZADD", "zero", "1", "a")
        enc(pair, "zero")
        pair.same("ZRANGESTORE", "d5", "src", "-inf", "+inf", "BYSCORE")
        enc(pair, "d5")
        pair.same("ZRANGESTORE", "d6", "src", "0", "1")
        enc(pair, "d6")
        pair.same("ZDIFFSTORE", "d7", "1", "src")
        enc(pair, "d7")
    finally:
        for client in (pair.ours, pair.real):
            client.config_set("zset-max-listpack-entries", 128)
            client.config_set("zset-max-listpack-value", 64)


def test_store_results_encoding(pair):
    fill(pair, "big", BIG)
    fill(pair, "small", 10)
    pair.same("ZUNIONSTORE", "u", "2", "big", "small")
    enc(pair, "u")
    pair.same("ZINTERSTORE", "i", "2", "big", "small")
    enc(pair, "i")
    pair.same("ZDIFFSTORE", "d", "2", "big", "small")
    enc(pair, "d")
    pair.same("ZRANGESTORE", "r", "big", "0", "127")
    enc(pair, "r")
    pair.same("ZRANGESTORE", "r", "big", "0", "128")
    enc(pair, "r")
    pair.same("ZRANGESTORE", "r", "big", "10", "(20", "BYSCORE")
    enc(pair, "r")
    pair.same("ZADD", "long", "1", "x" * 70, "2", "b")
    pair.same("ZINTERSTORE", "i2", "1", "long", "WEIGHTS", "2")
    enc(pair, "i2")
    pair.same("ZDIFFSTORE", "d2", "2", "long", "small")
    enc(pair, "d2")
    pair.same("ZRANGE", "d2", "0", "-1", "WITHSCORES")


# -- reads ------------------------------------------------------------------------------------


def test_reads(pair, encoding):
    s = pair.same
    make(pair, "z", [(1, "a"), (2, "b"), (2, "c"), (3, "d"), (-1.5, "e"), ("inf", "f")], encoding)
    for m in ("a", "c", "f", "zz"):
        s("ZSCORE", "z", m)
        s("ZRANK", "z", m)
        s("ZREVRANK", "z", m)
    s("ZMSCORE", "z", "a", "zz", "e")
    s("ZMSCORE", "nokey", "a", "b")
    s("ZCARD", "z")
    s("ZCARD", "nokey")
    s("ZSCORE", "nokey", "a")
    s("ZRANK", "nokey", "a")
    for lo, hi in [("-inf", "+inf"), ("1", "2"), ("(1", "2"), ("1", "(2"), ("(2", "(2"), ("2", "2"),
                   ("3", "1"), ("", ""), (" 1", "3"), ("(", "5"), ("-1e999", "1e999"),
                   ("0x1", "0x2"), ("inf", "inf"), ("(inf", "inf")]:  # fmt: skip
        s("ZCOUNT", "z", lo, hi)
    for lo, hi in [
        ("a", "b"),
        ("1 ", "2"),
        ("nan", "1"),
        ("1", "(nan"),
        ("((1", "2"),
        ("abc", "1"),
    ]:
        s("ZCOUNT", "z", lo, hi)
        s("ZCOUNT", "nokey", lo, hi)


def test_lex(pair, encoding):
    s = pair.same
    make(pair, "z", [(0, m) for m in ("a", "b", "c", "d", "e", "ab", "1", "10", "2")], encoding)
    ranges = [("-", "+"), ("[a", "[c"), ("(a", "(c"), ("[b", "+"), ("-", "(b"), ("+", "-"),
              ("[c", "[a"), ("(a", "(a"), ("[a", "[a"), ("[1", "[2"), ("[", "+"), ("(", "(")]  # fmt: skip
    for lo, hi in ranges:
        s("ZLEXCOUNT", "z", lo, hi)
        s("ZRANGEBYLEX", "z", lo, hi)
        s("ZREVRANGEBYLEX", "z", hi, lo)
        s("ZRANGEBYLEX", "z", lo, hi, "LIMIT", "1", "2")
        s("ZREVRANGEBYLEX", "z", hi, lo, "LIMIT", "1", "-1")
        s("ZRANGE", "z", lo, hi, "BYLEX", "LIMIT", "0", "3")
        s("ZRANGE", "z", hi, lo, "BYLEX", "REV")
    for lo, hi in [("a", "+"), ("-", "b"), ("+a", "+"), ("-a", "+"), ("", "+")]:
        s("ZLEXCOUNT", "z", lo, hi)
        s("ZRANGEBYLEX", "z", lo, hi)
        s("ZREMRANGEBYLEX", "z", lo, hi)
    s("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES")
    s("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")
    s("ZLEXCOUNT", "nokey", "-", "+")
    s("ZRANGEBYLEX", "nokey", "-", "+")


RANK_RANGES = [("0", "-1"), ("0", "0"), ("1", "3"), ("-3", "-1"), ("-100", "100"), ("5", "2"),
               ("10", "20"), ("-1", "-1"), ("3", "-4"), ("0", "-100")]  # fmt: skip


def test_zrange_by_rank(pair, encoding):
    s = pair.same
    make(pair, "z", [(i % 4, f"m{i}") for i in range(9)], encoding)
    for a, b in RANK_RANGES:
        s("ZRANGE", "z", a, b)
        s("ZRANGE", "z", a, b, "WITHSCORES")
        s("ZRANGE", "z", a, b, "REV", "WITHSCORES")
        s("ZREVRANGE", "z", a, b, "WITHSCORES")
        s("ZREVRANGE", "z", a, b)
    s("ZRANGE", "nokey", "0", "-1")
    s("ZRANGE", "z", "a", "1")
    s("ZRANGE", "z", "0", "1", "LIMIT", "0", "1")
    s("ZRANGE", "z", "0", "1", "LIMIT", "0", "-1")
    s("ZRANGE", "z", "0", "1", "LIMIT", "0")
    s("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX")
    s("ZRANGE", "z", "0", "1", "REV", "REV")
    s("ZRANGE", "z", "0", "1", "FOO")
    s("ZREVRANGE", "z", "0", "1", "REV")
    s("ZREVRANGE", "z", "0", "1", "BYSCORE")
    s("ZRANGE", "z", "0", "1", "WITHSCORES", "WITHSCORES")


SCORE_RANGES = [("-inf", "+inf"), ("0", "2"), ("(0", "2"), ("0", "(2"), ("(1", "(1"), ("1", "1"),
                ("5", "0"), ("-inf", "-inf"), ("2.5", "+inf"), ("", "1")]  # fmt: skip


def test_zrange_by_score(pair, encoding):
    s = pair.same
    make(pair, "z", [(i % 4, f"m{i}") for i in range(9)] + [("inf", "top")], encoding)
    for lo, hi in SCORE_RANGES:
        s("ZRANGEBYSCORE", "z", lo, hi)
        s("ZRANGEBYSCORE", "z", lo, hi, "WITHSCORES")
        s("ZREVRANGEBYSCORE", "z", hi, lo, "WITHSCORES")
        s("ZRANGE", "z", lo, hi, "BYSCORE", "WITHSCORES")
        s("ZRANGE", "z", hi, lo, "BYSCORE", "REV")
        for off, cnt in [
            ("0", "2"),
            ("2", "3"),
            ("1", "-1"),
            ("-1", "2"),
            ("20", "1"),
            ("0", "0"),
            ("9", "5"),
        ]:
            s("ZRANGEBYSCORE", "z", lo, hi, "LIMIT", off, cnt)
            s("ZREVRANGEBYSCORE", "z", hi, lo, "WITHSCORES", "LIMIT", off, cnt)
            s("ZRANGE", "z", lo, hi, "BYSCORE", "LIMIT", off, cnt)
    s("ZRANGEBYSCORE", "z", "a", "1")
    s("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "a", "1")
    s("ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "1")
    s("ZRANGEBYSCORE", "nokey", "0", "1")


def test_zrangestore(pair, encoding):
    s = pair.same
    make(pair, "src", [(i, f"m{i}") for i in range(10)], encoding)
    s("ZRANGESTORE", "dst", "src", "2", "5")
    s("ZRANGE", "dst", "0", "-1", "WITHSCORES")
    enc(pair, "dst")
    s("ZRANGESTORE", "dst", "src", "5", "(8", "BYSCORE", "REV")
    s("ZRANGESTORE", "dst", "src", "(8", "5", "BYSCORE", "REV")
    s("ZRANGE", "dst", "0", "-1", "WITHSCORES")
    s("ZRANGESTORE", "dst", "src", "[m2", "[m5", "BYLEX", "LIMIT", "1", "2")
    s("ZRANGE", "dst", "0", "-1", "WITHSCORES")
    s("ZRANGESTORE", "dst", "src", "0", "-1", "WITHSCORES")
    s("ZRANGESTORE", "dst", "src", "0", "1", "LIMIT", "0", "1")
    s("SET", "str", "x")
    s("ZRANGESTORE", "str", "src", "0", "1")
    s("TYPE", "str")
    s("ZRANGESTORE", "dst", "src", "5", "2")
    s("EXISTS", "dst")
    s("ZRANGESTORE", "dst", "src", "0", "1")
    s("ZRANGESTORE", "dst", "nokey", "0", "1")
    s("EXISTS", "dst")
    s("ZRANGESTORE", "dst", "str", "0", "1")
    s("EXPIRE", "src", "100")
    s("ZRANGESTORE", "src", "src", "0", "2")
    s("TTL", "src")


# -- removal ---------------------------------------------------------------------------------------


def test_zrem_and_ranges(pair, encoding):
    s = pair.same
    make(pair, "z", [(i, f"m{i}") for i in range(12)], encoding)
    s("ZREM", "z", "m0", "nope", "m1", "m1")
    s("ZREMRANGEBYRANK", "z", "0", "0")
    s("ZREMRANGEBYRANK", "z", "-2", "-1")
    s("ZREMRANGEBYRANK", "z", "5", "2")
    s("ZREMRANGEBYRANK", "z", "a", "2")
    s("ZREMRANGEBYSCORE", "z", "(3", "5")
    s("ZREMRANGEBYSCORE", "z", "a", "5")
    s("ZREMRANGEBYSCORE", "z", "100", "200")
    s("ZRANGE", "z", "0", "-1", "WITHSCORES")
    s("ZREMRANGEBYLEX", "z", "[m7", "[m8")
    s("ZREMRANGEBYLEX", "z", "x", "[m8")
    s("ZRANGE", "z", "0", "-1", "WITHSCORES")
    enc(pair, "z")
    s("ZREMRANGEBYRANK", "z", "0", "-1")
    s("EXISTS", "z")
    for cmd in ("ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX"):
        s(cmd, "nokey", "0", "1")
    make(pair, "y", [(1, "a"), (2, "b")], encoding)
    s("ZREM", "y", "a", "b", "c")
    s("EXISTS", "y")
    make(pair, "w", [(1, "a"), (2, "b")], encoding)
    s("ZREMRANGEBYSCORE", "w", "-inf", "+inf")
    s("EXISTS", "w")
    make(pair, "v", [(0, "a"), (0, "b")], encoding)
    s("ZREMRANGEBYLEX", "v", "-", "+")
    s("EXISTS", "v")


# -- set operations ------------------------------------------------------------------------------------


def _setop_data(pair, encoding):
    make(pair, "a", [(1, "x"), (2, "y"), (3, "z"), ("inf", "i")], encoding)
    make(pair, "b", [(10, "y"), (20, "z"), (30, "w"), ("-inf", "i")], encoding)
    pair.same("SADD", "s", "x", "w", "q")
    pair.same("SADD", "ints", "1", "2", "3")
    pair.same("ZADD", "c", "5", "1", "6", "2")


def test_union_inter_diff(pair, encoding):
    s = pair.same
    _setop_data(pair, encoding)
    for op in ("ZUNION", "ZINTER"):
        for keys in (["a"], ["a", "b"], ["b", "a", "s"], ["a", "nokey"], ["a", "a"], ["ints", "c"]):
            base = [op, str(len(keys)), *keys]
            s(*base)
            s(*base, "WITHSCORES")
            s(*base, "WEIGHTS", *["2"] * len(keys), "WITHSCORES")
            s(*base, "WEIGHTS", *["-1.5"] * len(keys), "AGGREGATE", "MIN", "WITHSCORES")
            s(*base, "AGGREGATE", "MAX", "WITHSCORES")
            s(*base, "AGGREGATE", "sum", "WITHSCORES", "WEIGHTS", *["0"] * len(keys))
            s(*base, "WEIGHTS", *["inf"] * len(keys), "WITHSCORES")
    for keys in (
        ["a"],
        ["a", "b"],
        ["a", "s"],
        ["a", "a"],
        ["nokey", "a"],
        ["a", "nokey"],
        ["ints", "c"],
    ):
        s("ZDIFF", str(len(keys)), *keys, "WITHSCORES")
        s("ZDIFF", str(len(keys)), *keys)


@pytest.mark.parametrize(
    "args",
    [
        ["ZUNION", "0", "a"],
        ["ZUNION", "-1", "a"],
        ["ZUNION", "x", "a"],
        ["ZUNION", "3", "a", "b"],
        ["ZUNION", "2", "a", "b", "WEIGHTS", "1"],
        ["ZUNION", "2", "a", "b", "WEIGHTS", "1", "x"],
        ["ZUNION", "1", "a", "AGGREGATE", "AVG"],
        ["ZUNION", "1", "a", "AGGREGATE"],
        ["ZUNION", "1", "a", "FOO"],
        ["ZUNION", "1", "a", "WITHSCORES", "WITHSCORES"],
        ["ZUNION", "1", "str"],
        ["ZUNION", "2", "str", "a", "FOO"],
        ["ZINTER", "0", "a"],
        ["ZDIFF", "0", "a"],
        ["ZDIFF", "1", "a", "WEIGHTS", "1"],
        ["ZDIFF", "1", "a", "AGGREGATE", "MIN"],
        ["ZUNIONSTORE", "d", "0", "a"],
        ["ZUNIONSTORE", "d", "1", "a", "WITHSCORES"],
        ["ZINTERSTORE", "d", "2", "a"],
        ["ZDIFFSTORE", "d", "0", "a"],
        ["ZINTERCARD", "0", "a"],
        ["ZINTERCARD", "1", "a", "LIMIT"],
        ["ZINTERCARD", "1", "a", "LIMIT", "-1"],
        ["ZINTERCARD", "1", "a", "LIMIT", "x"],
        ["ZINTERCARD", "1", "a", "WITHSCORES"],
        ["ZINTERCARD", "1", "a", "WEIGHTS", "1"],
        ["ZINTERCARD", "2", "a"],
    ],
)
def test_setop_errors(pair, args):
    pair.same("ZADD", "a", "1", "x")
    pair.same("SET", "str", "v")
    pair.same(*args)


def test_store_ops(pair, encoding):
    s = pair.same
    _setop_data(pair, encoding)
    s("ZUNIONSTORE", "d", "3", "a", "b", "s", "WEIGHTS", "1", "2", "3", "AGGREGATE", "MAX")
    s("ZRANGE", "d", "0", "-1", "WITHSCORES")
    enc(pair, "d")
    s("ZINTERSTORE", "d", "2", "a", "b")
    s("ZRANGE", "d", "0", "-1", "WITHSCORES")
    s("ZDIFFSTORE", "d", "2", "a", "b")
    s("ZRANGE", "d", "0", "-1", "WITHSCORES")
    s("ZINTERSTORE", "d", "2", "a", "nokey")
    s("EXISTS", "d")
    s("SET", "str", "x")
    s("EXPIRE", "str", "100")
    s("ZUNIONSTORE", "str", "1", "a")
    s("TTL", "str")
    s("TYPE", "str")
    s("ZUNIONSTORE", "a", "2", "a", "b")
    s("ZRANGE", "a", "0", "-1", "WITHSCORES")


def test_zintercard(pair, encoding):
    s = pair.same
    _setop_data(pair, encoding)
    for keys in (["a"], ["a", "b"], ["a", "b", "s"], ["a", "nokey"], ["a", "a"]):
        s("ZINTERCARD", str(len(keys)), *keys)
        for lim in ("0", "1", "2", "100"):
            s("ZINTERCARD", str(len(keys)), *keys, "LIMIT", lim)


# -- pops ----------------------------------------------------------------------------------------------


def test_zpop(pair, encoding):
    s = pair.same
    make(pair, "z", [(i, f"m{i}") for i in range(8)], encoding)
    s("ZPOPMIN", "z")
    s("ZPOPMAX", "z")
    s("ZPOPMIN", "z", "2")
    s("ZPOPMAX", "z", "1")
    s("ZPOPMIN", "z", "0")
    s("ZPOPMIN", "z", "-1")
    s("ZPOPMIN", "z", "x")
    s("ZPOPMIN", "z", "1", "2")
    s("ZPOPMAX", "z", "100")
    s("EXISTS", "z")
    s("ZPOPMIN", "nokey")
    s("ZPOPMIN", "nokey", "3")
    s("ZPOPMIN", "nokey", "0")
    s("SET", "str", "v")
    s("ZPOPMIN", "str")


def test_zmpop(pair, encoding):
    s = pair.same
    make(pair, "z", [(i, f"m{i}") for i in range(6)], encoding)
    s("ZMPOP", "2", "nokey", "z", "MIN")
    s("ZMPOP", "1", "z", "MAX", "COUNT", "2")
    s("ZMPOP", "1", "z", "max", "count", "100")
    s("ZMPOP", "1", "z", "MIN")
    s("ZMPOP", "2", "nokey", "nokey2", "MIN")
    for bad in (["0", "z", "MIN"], ["-1", "z", "MIN"], ["x", "z", "MIN"], ["2", "z", "MIN"],
                ["1", "z", "MIDDLE"], ["1", "z", "MIN", "COUNT"], ["1", "z", "MIN", "COUNT", "0"],
                ["1", "z", "MIN", "COUNT", "x"], ["1", "z", "MIN", "COUNT", "1", "COUNT", "1"],
                ["1", "z", "MIN", "FOO"], ["5", "z", "MIN"]):  # fmt: skip
        s("ZMPOP", *bad)
    s("SET", "str", "v")
    s("ZADD", "z", "1", "a")
    s("ZMPOP", "2", "str", "z", "MIN")
    s("ZMPOP", "2", "nokey", "str", "MIN")


# -- blocking pops ---------------------------------------------------------------------------------------------


def _send(port, *args, resp=2):
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    if resp == 3:
        s.sendall(b"*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n")
        _drain(s)
    enc_args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
    s.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in enc_args))
    return s


def _silent(s, wait=0.1):
    s.settimeout(wait)
    try:
        return s.recv(100) == b""
    except TimeoutError:
        return True


def _blocked_then(pair, block_args, trigger=None, resp=2):
    """Block a client on both servers, run trigger on both, return both raw replies."""
    out = []
    for client in (pair.ours, pair.real):
        s = _send(port_of(client), *block_args, resp=resp)
        try:
            assert _silent(s), block_args
            if trigger:
                for args in trigger:
                    client.execute_command(*args)
            s.settimeout(3)
            out.append(_drain(s))
        finally:
            s.close()
    return out


def test_bzpop_immediate(pair):
    s = pair.same
    s("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f")
    same_raw(pair, "BZPOPMIN", "nokey", "z", "0")
    same_raw(pair, "BZPOPMAX", "z", "0")
    same_raw(pair, "BZMPOP", "0", "2", "nokey", "z", "MAX", "COUNT", "1")
    s("EXISTS", "z")
    s("SET", "str", "v")
    for args in (["BZPOPMIN", "str", "0"], ["BZPOPMIN", "z", "-1"], ["BZPOPMIN", "z", "x"],
                 ["BZPOPMIN", "z", "inf"], ["BZMPOP", "x", "1", "z", "MIN"],
                 ["BZMPOP", "0", "0", "z", "MIN"], ["BZMPOP", "0", "1", "z", "MIN", "COUNT", "0"],
                 ["BZMPOP", "-1", "1", "z", "MIN"], ["BZMPOP", "0", "1", "z", "FOO"],
                 ["BZPOPMIN", "z"]):  # fmt: skip
        s(*args)


def test_bzpop_blocks_then_served(pair):
    resp = pair.protocol
    ours, real = _blocked_then(
        pair, ["BZPOPMIN", "k1", "k2", "0"], [["ZADD", "k2", "5", "x", "6", "y"]], resp
    )
    assert ours == real
    ours, real = _blocked_then(
        pair,
        ["BZMPOP", "0", "2", "k3", "k4", "MAX", "COUNT", "3"],
        [["ZADD", "k4", "1", "a", "2", "b"]],
        resp,
    )
    assert ours == real
    pair.same("EXISTS", "k4")
    ours, real = _blocked_then(
        pair, ["BZPOPMAX", "k5", "0"], [["ZUNIONSTORE", "k5", "1", "k2"]], resp
    )
    assert ours == real


def test_bzpop_timeout(pair):
    resp = pair.protocol
    ours, real = _blocked_then(pair, ["BZPOPMIN", "nokey", "0.2"], None, resp)
    assert ours == real
    ours, real = _blocked_then(pair, ["BZMPOP", "0.2", "1", "nokey", "MIN"], None, resp)
    assert ours == real


def test_bzpop_fifo(pair):
    for client in (pair.ours, pair.real):
        port = port_of(client)
        first = _send(port, "BZPOPMIN", "q", "0")
        assert _silent(first)
        second = _send(port, "BZPOPMIN", "q", "0")
        assert _silent(second)
        client.zadd("q", {"a": 1})
        first.settimeout(3)
        assert _drain(first) == b"*3\r\n$1\r\nq\r\n$1\r\na\r\n$1\r\n1\r\n"
        assert _silent(second)
        client.zadd("q", {"b": 2, "c": 3})
        second.settimeout(3)
        assert _drain(second) == b"*3\r\n$1\r\nq\r\n$1\r\nb\r\n$1\r\n2\r\n"
        first.close()
        second.close()
        assert client.zrange("q", 0, -1) == [b"c"]


# -- ZRANDMEMBER ------------------------------------------------------------------------------------------


def _pairs(reply, protocol, withscores):
    if not withscores:
        return list(reply)
    if protocol == 3:
        return [tuple(p) for p in reply]
    return list(zip(reply[::2], reply[1::2], strict=True))


@pytest.mark.parametrize("size", [5, 50, BIG])
def test_zrandmember(pair, size):
    fill(pair, "z", size, score=lambda i: i / 2)
    content = {m: float(sc) for m, sc in pair.ours.zrange("z", 0, -1, withscores=True)}
    for count in (1, 2, 3, size // 3, size // 2, size - 1, size, size + 5, -1, -3, -size * 2):
        for ws in (False, True):
            args = ["ZRANDMEMBER", "z", str(count)] + (["WITHSCORES"] if ws else [])
            ours = pair.ours.execute_command(*args)
            real = pair.real.execute_command(*args)
            po, pr = _pairs(ours, pair.protocol, ws), _pairs(real, pair.protocol, ws)
            assert len(po) == len(pr), args
            if count > 0:
                assert len(set(po)) == len(po)
            for item in po:
                m = item[0] if ws else item
                assert m in content
                if ws:
                    assert float(item[1]) == content[m]
            if count >= size:  # the whole set, in zuiNext order: same order as Redis
                assert po == pr
    assert pair.ours.execute_command("ZRANDMEMBER", "z") in content
    pair.same("ZRANDMEMBER", "nokey")
    pair.same("ZRANDMEMBER", "nokey", "5")
    pair.same("ZRANDMEMBER", "nokey", "5", "WITHSCORES")
    pair.same("ZRANDMEMBER", "z", "0")
    pair.same("ZRANDMEMBER", "z", "0", "WITHSCORES")


@pytest.mark.parametrize(
    "args",
    [
        ["x"], ["1", "WITHSCORE"], ["1", "WITHSCORES", "x"], ["-9223372036854775808"],
        ["9223372036854775808"], ["4611686018427387904", "WITHSCORES"],
        ["-4611686018427387904", "WITHSCORES"], ["9223372036854775807"],
    ],
)  # fmt: skip
def test_zrandmember_errors(pair, args):
    pair.same("ZADD", "z", "1", "a", "2", "b")
    pair.same("ZRANDMEMBER", "z", *args)


# -- ZSCAN ----------------------------------------------------------------------------------------------------


def test_zscan_listpack(pair):
    s = pair.same
    s("ZADD", "z", "1", "a", "2.5", "b", "3", "c", "1e17", "d", "-inf", "e")
    s("ZSCAN", "z", "0")
    s("ZSCAN", "z", "0", "COUNT", "1")
    s("ZSCAN", "z", "0", "MATCH", "[ab]")
    s("ZSCAN", "z", "0", "MATCH", "*", "COUNT", "100")
    s("ZSCAN", "z", "0", "COUNT", "0")
    s("ZSCAN", "z", "0", "COUNT", "x")
    s("ZSCAN", "z", "0", "TYPE", "zset")
    s("ZSCAN", "z", "0", "MATCH")
    s("ZSCAN", "z", "x")
    s("ZSCAN", "z", "-1")
    s("ZSCAN", "nokey", "0", "COUNT", "0")
    s("SET", "str", "v")
    s("ZSCAN", "str", "0", "COUNT", "0")


def _full_scan(client, key, *opts):
    cursor = "0"
    seen = {}
    while True:
        cursor, flat = client.execute_command("ZSCAN", key, cursor, *opts)
        if flat and isinstance(flat[0], tuple):  # redis-py pairs ZSCAN replies up
            items = flat
        else:
            items = list(zip(flat[::2], flat[1::2], strict=True))
        for m, sc in items:
            assert m not in seen or seen[m] == sc
            seen[m] = sc
        cursor = cursor if isinstance(cursor, bytes | str) else str(cursor)
        if cursor in (b"0", "0", 0):
            return seen


def test_zscan_skiplist_complete(pair):
    fill(pair, "z", 300, score=lambda i: i / 4)
    for opts in ((), ("COUNT", "7"), ("MATCH", "m1*"), ("MATCH", "m1*", "COUNT", "3")):
        assert _full_scan(pair.ours, "z", *opts) == _full_scan(pair.real, "z", *opts)


# -- WRONGTYPE and arity -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["ZADD", "str", "1", "a"], ["ZINCRBY", "str", "1", "a"], ["ZCARD", "str"],
        ["ZSCORE", "str", "a"], ["ZMSCORE", "str", "a"], ["ZRANK", "str", "a"],
        ["ZREVRANK", "str", "a"], ["ZREM", "str", "a"], ["ZRANGE", "str", "0", "1"],
        ["ZRANGEBYSCORE", "str", "0", "1"], ["ZRANGEBYLEX", "str", "-", "+"],
        ["ZCOUNT", "str", "0", "1"], ["ZLEXCOUNT", "str", "-", "+"],
        ["ZREMRANGEBYRANK", "str", "0", "1"], ["ZREMRANGEBYSCORE", "str", "0", "1"],
        ["ZREMRANGEBYLEX", "str", "-", "+"], ["ZRANDMEMBER", "str"], ["ZRANDMEMBER", "str", "2"],
        ["ZSCAN", "str", "0"], ["ZPOPMAX", "str"], ["ZUNION", "1", "str"],
        ["ZINTERCARD", "1", "str"], ["ZDIFF", "2", "str", "str"],
        ["ZRANGESTORE", "d", "str", "0", "1"], ["ZCOUNT", "str", "x", "1"],
        ["ZADD", "str", "x", "a"], ["ZADD"], ["ZCARD"], ["ZSCORE", "k"], ["ZRANGE", "k", "0"],
        ["ZPOPMIN"], ["ZMPOP", "1"], ["ZUNIONSTORE", "d", "1"], ["ZINTERCARD", "1"],
    ],
)  # fmt: skip
def test_wrongtype_and_arity(pair, args):
    pair.same("SET", "str", "v")
    pair.same(*args)


# -- O(log N) on the skiplist ----------------------------------------------------------------------------------


def test_big_skiplist_ranks(pair):
    fill(pair, "z", 2000, score=lambda i: i // 3)
    s = pair.same
    for m in ("m0", "m999", "m1998", "nope"):
        s("ZRANK", "z", m)
        s("ZREVRANK", "z", m)
    s("ZRANGE", "z", "1500", "1505", "WITHSCORES")
    s("ZRANGE", "z", "1500", "1505", "REV", "WITHSCORES")
    s("ZCOUNT", "z", "100", "(200")
    s("ZRANGEBYSCORE", "z", "300", "+inf", "LIMIT", "5", "3")
    s("ZREMRANGEBYRANK", "z", "100", "1800")
    s("ZCARD", "z")
    s("ZRANGE", "z", "95", "105", "WITHSCORES")
    enc(pair, "z")


def _as_dict(reply):
    if isinstance(reply, dict):
        return reply
    return dict(zip(reply[::2], reply[1::2], strict=True))


def test_conversion_events(ours):
    last = _as_dict(ours.execute_command("LAB", "EVENTS", "COUNT", "1000"))[b"last_id"]
    ours.zadd("z", {f"m{i}": i for i in range(129)})
    ours.zadd("y", {"a": 1})
    ours.zadd("y", {"b" * 70: 2})
    events = _as_dict(ours.execute_command("LAB", "EVENTS", "SINCE", last, "COUNT", "1000"))
    convs = [_as_dict(e) for e in events[b"events"]]
    convs = [e for e in convs if e[b"type"] == b"encoding-conversion"]
    assert [(e[b"key"], e[b"from"], e[b"to"]) for e in convs] == [
        (b"z", b"listpack", b"skiplist"),
        (b"y", b"listpack", b"skiplist"),
    ]
    assert b"entries" in convs[0][b"reason"] and b"value" in convs[1][b"reason"]


def test_inspect_layouts(ours):
    ours.zadd("small", {"a": 1, "b": 2.5, "c": 3})
    lay = _as_dict(ours.execute_command("LAB", "INSPECT", "small", "PATH", "b"))
    text = repr(lay)
    assert b"listpack" in text.encode() or "listpack" in text
    ours.zadd("big", {f"m{i:03d}": i for i in range(300)})
    lay = _as_dict(
        ours.execute_command("LAB", "INSPECT", "big", "WINDOW", "100", "5", "PATH", "m150")
    )
    assert "skiplist" in repr(lay)
    assert "m150" in repr(lay)


def test_object_unit_behaviour():
    """The value object on its own: encodings, conversions and the listpack bytes."""
    from server.encodings.skiplist import ZRangeSpec
    from server.types.zset import ZSetObject, double2ll, score_entry

    assert double2ll(-0.0) == 0 and double2ll(2.0**62) == 2**62 and double2ll(2.0**63) is None
    assert score_entry(0.5) == b"0.5" and score_entry(1e17) == 10**17
    z = ZSetObject()
    notes = []
    for i in range(5):
        z.add(float(i), b"m%d" % i, 4, 64, notify=lambda *a: notes.append(a))
    assert z.encoding == "skiplist" and notes and notes[0][:2] == ("listpack", "skiplist")
    z.zsl.check()
    assert z.rank(b"m3") == 3 and z.rank(b"m3", reverse=True) == 1
    assert [m for m, _ in z.range_by_score(ZRangeSpec(1, 3, True, False))] == [b"m2", b"m3"]
    dup = z.copy()
    z.convert_to_listpack()
    assert z.encoding == "listpack" and list(z.items()) == list(dup.items())
    assert z.memory_usage() > 16 and dup.memory_usage() > z.memory_usage()
    assert z.inspect()["members"] == 5 and dup.inspect(path=b"m2")["path"]["found"] == 1


# -- hypothesis: random command sequences, every reply compared ----------------------------------------------------

MEMBERS = st.sampled_from(["a", "b", "c", "d", "e", "10", "2", "-1", "x" * 70])
SCORES = st.sampled_from(["0", "1", "-1", "2.5", "0.1", "inf", "-inf", "1e17", "-0", "3", "7"])
KEYS = st.sampled_from(["k1", "k2"])
BOUNDS = st.sampled_from(["-inf", "+inf", "0", "(1", "2.5", "(3", "-1"])
LEX = st.sampled_from(["-", "+", "[a", "(b", "[c", "(10", "[2"])
INTS = st.integers(min_value=-4, max_value=6).map(str)


class ZSetMachine(RuleBasedStateMachine):
    pair = None  # set by the test

    @initialize()
    def reset(self):
        self.pair.ours.flushall()
        self.pair.real.flushall()

    def same(self, *args):
        self.pair.same(*args)

    @rule(k=KEYS, pairs=st.lists(st.tuples(SCORES, MEMBERS), min_size=1, max_size=4),
          opts=st.lists(st.sampled_from(["NX", "XX", "GT", "LT", "CH"]), max_size=2, unique=True))  # fmt: skip
    def zadd(self, k, pairs, opts):
        self.same("ZADD", k, *opts, *[x for p in pairs for x in p])
        self.same("OBJECT", "ENCODING", k)

    @rule(k=KEYS, n=st.sampled_from([60, 130]), step=st.sampled_from(["1", "0.5", "0"]))
    def grow(self, k, n, step):
        args = [x for i in range(n) for x in (str(i * float(step)), f"g{i}")]
        self.same("ZADD", k, *args)
        self.same("OBJECT", "ENCODING", k)

    @rule(k=KEYS, inc=SCORES, m=MEMBERS)
    def zincrby(self, k, inc, m):
        self.same("ZINCRBY", k, inc, m)

    @rule(k=KEYS, ms=st.lists(MEMBERS, min_size=1, max_size=3))
    def zrem(self, k, ms):
        self.same("ZREM", k, *ms)

    @rule(k=KEYS, a=INTS, b=INTS, rev=st.booleans())
    def zrange_rank(self, k, a, b, rev):
        self.same("ZRANGE", k, a, b, *(["REV"] if rev else []), "WITHSCORES")

    @rule(k=KEYS, lo=BOUNDS, hi=BOUNDS, rev=st.booleans(), lim=st.none() | st.tuples(INTS, INTS))
    def zrange_score(self, k, lo, hi, rev, lim):
        extra = ["LIMIT", *lim] if lim else []
        self.same("ZRANGE", k, lo, hi, "BYSCORE", *(["REV"] if rev else []), "WITHSCORES", *extra)
        self.same("ZCOUNT", k, lo, hi)

    # Lex ranges only mean something when every score is equal (otherwise the
    # answer depends on the skiplist's random towers): they get their own key.
    @rule(ms=st.lists(MEMBERS, min_size=1, max_size=4))
    def zadd_lex(self, ms):
        self.same("ZADD", "lex", *[x for m in ms for x in ("0", m)])

    @rule(lo=LEX, hi=LEX, rev=st.booleans(), lim=st.none() | st.tuples(INTS, INTS))
    def zrange_lex(self, lo, hi, rev, lim):
        extra = ["LIMIT", *lim] if lim else []
        self.same("ZRANGE", "lex", lo, hi, "BYLEX", *(["REV"] if rev else []), *extra)
        self.same("ZLEXCOUNT", "lex", lo, hi)

    @rule(lo=LEX, hi=LEX)
    def zremrangebylex(self, lo, hi):
        self.same("ZREMRANGEBYLEX", "lex", lo, hi)

    @rule(k=KEYS, m=MEMBERS)
    def reads(self, k, m):
        self.same("ZSCORE", k, m)
        self.same("ZRANK", k, m)
        self.same("ZREVRANK", k, m)
        self.same("ZCARD", k)

    @rule(k=KEYS, cmd=st.sampled_from(["ZPOPMIN", "ZPOPMAX"]), n=st.none() | INTS)
    def pop(self, k, cmd, n):
        self.same(cmd, k, *([n] if n is not None else []))

    @rule(k=KEYS, a=INTS, b=INTS)
    def remrange(self, k, a, b):
        self.same("ZREMRANGEBYRANK", k, a, b)

    @rule(k=KEYS, lo=BOUNDS, hi=BOUNDS)
    def remrangescore(self, k, lo, hi):
        self.same("ZREMRANGEBYSCORE", k, lo, hi)

    @rule(
        op=st.sampled_from(["ZUNION", "ZINTER", "ZDIFF"]),
        agg=st.sampled_from(["SUM", "MIN", "MAX"]),
    )
    def setop(self, op, agg):
        extra = [] if op == "ZDIFF" else ["AGGREGATE", agg, "WEIGHTS", "2", "-1"]
        self.same(op, "2", "k1", "k2", *extra, "WITHSCORES")

    @rule(op=st.sampled_from(["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"]), dst=KEYS)
    def store(self, op, dst):
        self.same(op, dst, "2", "k1", "k2")
        self.same("OBJECT", "ENCODING", dst)

    @rule(dst=KEYS, src=KEYS, a=INTS, b=INTS)
    def rangestore(self, dst, src, a, b):
        self.same("ZRANGESTORE", dst, src, a, b)

    @rule(k=KEYS, ms=st.lists(MEMBERS, min_size=1, max_size=3))
    def zmscore(self, k, ms):
        self.same("ZMSCORE", k, *ms)

    @rule(lim=st.sampled_from(["0", "1", "3"]))
    def zintercard(self, lim):
        self.same("ZINTERCARD", "2", "k1", "k2", "LIMIT", lim)

    @rule(k=KEYS, ws=st.booleans())
    def zrandmember_all(self, k, ws):
        # Asking for more than the set holds returns all of it in a fixed order.
        self.same("ZRANDMEMBER", k, "1000", *(["WITHSCORES"] if ws else []))

    @rule(k=KEYS)
    def zscan_small(self, k):
        if self.pair.ours.object("encoding", k) == b"listpack":
            self.same("ZSCAN", k, "0")

    @rule(k=KEYS)
    def mpop(self, k):
        self.same("ZMPOP", "2", k, "k2", "MAX", "COUNT", "2")


def test_state_machine(pair):
    ZSetMachine.pair = pair
    ZSetMachine.TestCase.settings = settings(
        max_examples=int(os.environ.get("ZSET_EXAMPLES", 25 if pair.protocol == 2 else 10)),
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    start = time.monotonic()
    ZSetMachine.TestCase().runTest()
    assert time.monotonic() - start < 120

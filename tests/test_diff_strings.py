"""Differential tests for the string command group: ours vs real Redis 7.0.

Every call goes through :class:`tests.conftest.Pair`, which runs it on both
servers (RESP2 and RESP3) and compares replies or exact error texts. After
writes we also compare ``OBJECT ENCODING`` (int / embstr / raw).
"""

from __future__ import annotations

import pytest


def enc(pair, key):
    return pair.same("OBJECT", "ENCODING", key)


# -- GET / SET and encodings ---------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0", "1", "-1", "9999", "10000", "-0", "007", " 5", "5 ", "+5",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "12345678901234567890", "1e3", "0x10", "", "a", "x" * 44, "x" * 45,
        "1" * 20, "1" * 21, "3.14",
    ],
)  # fmt: skip
def test_set_get_encoding(pair, value):
    pair.same("SET", "k", value)
    pair.same("GET", "k")
    enc(pair, "k")
    pair.same("STRLEN", "k")


def test_set_options(pair):
    s = pair.same
    s("SET", "k", "v", "NX")
    s("SET", "k", "v2", "NX")
    s("SET", "k", "v3", "XX")
    s("SET", "missing", "v", "XX")
    s("GET", "k")
    s("SET", "k", "v4", "GET")
    s("SET", "k", "v5", "NX", "GET")
    s("SET", "fresh", "v", "NX", "GET")
    s("SET", "nokey", "v", "XX", "GET")
    s("SET", "k", "v", "EX", "100")
    s("TTL", "k")
    s("SET", "k", "v", "PX", "100000")
    s("SET", "k", "v", "KEEPTTL")
    assert 0 < pair.ours.ttl("k") <= 100
    s("SET", "k", "v")
    s("TTL", "k")
    s("SET", "k", "v", "EXAT", "99999999999")
    s("TTL", "k")
    s("SET", "k", "v", "PXAT", "99999999999000")
    s("EXPIRETIME", "k")
    s("PEXPIRETIME", "k")
    s("SET", "k", "v", "ex", "10", "get")
    s("SET", "k", "v", "EXAT", "1")  # in the past: deleted
    s("EXISTS", "k")
    s("SET", "k", "v", "PXAT", "1")
    s("EXISTS", "k")


@pytest.mark.parametrize(
    "args",
    [
        ("NX", "XX"), ("EX", "10", "PX", "100"), ("EX", "10", "KEEPTTL"),
        ("KEEPTTL", "PX", "1"), ("EX",), ("PX",), ("EX", "0"), ("PX", "0"),
        ("EX", "-1"), ("PX", "-5"), ("EX", "abc"), ("EX", "1.5"), ("EXAT", "0"),
        ("PXAT", "-1"), ("EX", "9223372036854775807"), ("PX", "9223372036854775807"),
        ("EX", "92233720368547758"), ("EXAT", "9223372036854775807"), ("FOO",),
        ("EX", "10", "EX", "10"), ("NX", "NX"), ("GET", "GET"), ("EXAT", "10", "PXAT", "10"),
        ("KEEPTTL", "KEEPTTL"), ("XX", "XX", "KEEPTTL"), ("ex", "5", "nx", "get"),
    ],
)  # fmt: skip
def test_set_option_combinations(pair, args):
    pair.same("SET", "k", "old")
    pair.same("SET", "k", "v", *args)
    pair.same("GET", "k")
    pair.same("SET", "newkey", "v", *args)
    pair.same("EXISTS", "newkey")


def test_set_arity(pair):
    pair.same("SET", "k")
    pair.same("SET")
    pair.same("GET")
    pair.same("GET", "a", "b")


def test_setnx_setex_psetex(pair):
    s = pair.same
    s("SETNX", "k", "1")
    s("SETNX", "k", "2")
    s("GET", "k")
    s("SETEX", "k", "100", "v")
    s("TTL", "k")
    s("SETEX", "k", "0", "v")
    s("SETEX", "k", "-1", "v")
    s("SETEX", "k", "abc", "v")
    s("SETEX", "k", "9223372036854775807", "v")
    s("PSETEX", "k", "100000", "v")
    s("PSETEX", "k", "0", "v")
    s("PSETEX", "k", "-3", "v")
    s("PSETEX", "k", "x", "v")
    s("SETEX", "k", "10")
    s("SETNX", "k")
    enc(pair, "k")


def test_getex(pair):
    s = pair.same
    s("GETEX", "missing")
    s("SET", "k", "12")
    s("GETEX", "k")
    s("TTL", "k")
    s("GETEX", "k", "EX", "100")
    s("TTL", "k")
    s("GETEX", "k", "PERSIST")
    s("TTL", "k")
    s("GETEX", "k", "PX", "100000")
    s("GETEX", "k", "EXAT", "99999999999")
    s("TTL", "k")
    s("GETEX", "k", "PXAT", "99999999999000")
    s("PEXPIRETIME", "k")
    for bad in (
        ("EX",), ("EX", "0"), ("EX", "-1"), ("EX", "x"), ("PX", "0"), ("EX", "1", "PX", "1"),
        ("PERSIST", "EX", "1"), ("EX", "1", "PERSIST"), ("FOO",), ("PERSIST", "PERSIST"),
        ("EX", "9223372036854775807"), ("PXAT", "0"), ("KEEPTTL",), ("NX",),
    ):  # fmt: skip
        s("GETEX", "k", *bad)
    s("GETEX", "missing", "FOO")
    s("GETEX", "missing", "EX", "0")
    s("GETEX", "k", "EXAT", "1")
    s("EXISTS", "k")
    s("GETEX")


def test_getdel_getset(pair):
    s = pair.same
    s("GETDEL", "missing")
    s("SET", "k", "v")
    s("GETDEL", "k")
    s("EXISTS", "k")
    s("GETSET", "k", "1")
    s("GETSET", "k", "2")
    enc(pair, "k")
    s("SET", "k", "v", "EX", "100")
    s("GETSET", "k", "w")
    s("TTL", "k")
    s("GETDEL", "a", "b")
    s("GETSET", "k")


def test_mget_mset_msetnx(pair):
    s = pair.same
    s("MSET", "a", "1", "b", "2", "c", "x" * 50)
    s("MGET", "a", "b", "c", "missing", "a")
    enc(pair, "a")
    enc(pair, "c")
    s("MSET", "a")
    s("MSET", "a", "1", "b")
    s("MSET")
    s("MSETNX", "a", "9", "z", "9")
    s("MGET", "a", "z")
    s("MSETNX", "y", "1", "z", "2")
    s("MSETNX", "y", "1", "y", "2")
    s("MSETNX", "q", "1", "q", "2")
    s("GET", "q")
    s("MSETNX", "q")
    s("MSETNX", "q", "1", "r")
    s("MGET")
    s("MSET", "a", "1", "a", "2")
    s("GET", "a")


def test_append_strlen(pair):
    s = pair.same
    s("APPEND", "k", "hello")
    enc(pair, "k")
    s("APPEND", "k", " world")
    enc(pair, "k")
    s("GET", "k")
    s("STRLEN", "k")
    s("STRLEN", "missing")
    s("SET", "n", "12")
    enc(pair, "n")
    s("APPEND", "n", "34")
    enc(pair, "n")
    s("GET", "n")
    s("APPEND", "e", "")
    s("EXISTS", "e")
    s("STRLEN", "e")
    enc(pair, "e")
    s("SET", "i", "100")
    s("STRLEN", "i")
    s("APPEND", "k")
    s("STRLEN")


def test_incr_decr(pair):
    s = pair.same
    s("INCR", "n")
    enc(pair, "n")
    s("INCRBY", "n", "41")
    s("DECR", "n")
    s("DECRBY", "n", "100")
    s("GET", "n")
    enc(pair, "n")
    s("SET", "n", "9223372036854775806")
    s("INCR", "n")
    s("INCR", "n")
    s("SET", "n", "-9223372036854775807")
    s("DECR", "n")
    s("DECR", "n")
    s("INCRBY", "n", "-1")
    s("SET", "n", "5")
    s("DECRBY", "n", "-9223372036854775808")
    s("INCRBY", "n", "9223372036854775808")
    s("INCRBY", "n", "abc")
    s("INCRBY", "n", "1.5")
    s("INCRBY", "n", "")
    s("INCRBY", "n", " 1")
    s("INCRBY", "n", "+1")
    s("INCRBY", "n", "-0")
    s("INCRBY", "n", "01")
    for v in ("abc", "", " 5", "5 ", "1.0", "12345678901234567890", "007", "-0", "+3", "0x1"):
        s("SET", "v", v)
        s("INCR", "v")
        s("DECR", "v")
        s("GET", "v")
        enc(pair, "v")
    s("SET", "big", "9223372036854775807")
    enc(pair, "big")
    s("INCR", "big")
    s("INCR", "a", "b")
    s("DECRBY", "a")


def test_incr_on_raw_and_embstr(pair):
    s = pair.same
    s("SET", "n", "10")
    s("APPEND", "n", "0")  # raw, still a number
    enc(pair, "n")
    s("INCR", "n")
    enc(pair, "n")
    s("GET", "n")
    s("SETRANGE", "m", "0", "123")
    enc(pair, "m")
    s("INCRBY", "m", "7")
    enc(pair, "m")
    s("SET", "big", "1" * 19)
    enc(pair, "big")
    s("INCR", "big")
    enc(pair, "big")


@pytest.mark.parametrize(
    "start,incr",
    [
        ("10.50", "0.1"), ("5.0e3", "2.0e2"), ("0", "3.0e3"), ("1", "1e308"), ("1e308", "1e308"),
        ("1", "inf"), ("1", "-inf"), ("1", "nan"), ("1", "+inf"), ("inf", "1"), ("1", "abc"),
        ("1", ""), ("1", " 1"), ("1", "1 "), ("abc", "1"), ("3", "-3"), ("0.1", "0.2"),
        ("1", "0x10"), ("10", "-0.0"), ("17179869184", "1.5"), ("1.5", "1.0000000000000001"),
        ("9223372036854775807", "1"), ("1", "1e-20"), ("1", "5e-324"), ("-0", "0"), ("1", "1.23e4"),
        ("3.0e3", "1"), ("1", "100000000000000000000000000000"), ("0", "1.7976931348623157e308"),
        ("1", "1e309"), ("1", "-1e309"), ("0.1", "0"), ("1", "1.0"), ("1", "."), ("1", "1e"),
        ("1", "1_000"), ("1", "infinity"), ("1", "-nan"),
    ],
)  # fmt: skip
def test_incrbyfloat(pair, start, incr):
    pair.same("SET", "f", start)
    pair.same("INCRBYFLOAT", "f", incr)
    pair.same("GET", "f")
    enc(pair, "f")
    pair.same("INCRBYFLOAT", "missing", incr)
    pair.same("GET", "missing")


def test_incrbyfloat_sequence(pair):
    for step in ("0.1", "0.1", "0.1", "-0.3", "1e-5", "123456789.123456789", "-1e10"):
        pair.same("INCRBYFLOAT", "f", step)
    pair.same("INCRBYFLOAT", "f")


def test_getrange_substr(pair):
    s = pair.same
    s("SET", "k", "This is a string")
    for a, b in [
        (0, 3), (-3, -1), (0, -1), (10, 100), (5, 3), (-100, 2), (-100, -100), (100, 200),
        (0, 0), (-1, -1), (15, 15), (16, 16), (-16, -16), (-17, -17), (3, -100),
    ]:  # fmt: skip
        s("GETRANGE", "k", str(a), str(b))
        s("SUBSTR", "k", str(a), str(b))
    s("GETRANGE", "missing", "0", "-1")
    s("GETRANGE", "k", "a", "1")
    s("GETRANGE", "k", "0", "9223372036854775808")
    s("GETRANGE", "k", "0")
    s("SET", "n", "12345")
    s("GETRANGE", "n", "1", "2")
    s("GETRANGE", "n", "-2", "-1")
    s("SET", "e", "")
    s("GETRANGE", "e", "0", "-1")
    s("GETRANGE", "e", "0", "0")


def test_string_size_limit(pair):
    # checkStringLength uses proto-max-bulk-len (at least 1mb): use the smallest, so the
    # boundary costs 1 MB and not 512 MB.
    for c in (pair.ours, pair.real):
        c.config_set("proto-max-bulk-len", "1mb")
    try:
        s = pair.same
        s("SETRANGE", "k", "1048575", "x")
        s("STRLEN", "k")
        s("SETRANGE", "k", "1048576", "x")
        s("SETRANGE", "k", "1048570", "1234567")
        s("APPEND", "k", "y")
        s("DEL", "k")
        s("SET", "k", "a" * 1000)
        s("SETRANGE", "k", "1048000", "x" * 577)
        s("SETRANGE", "k", "1048000", "x" * 576)
        s("APPEND", "k", "z")
        s("DEL", "k")
    finally:
        for c in (pair.ours, pair.real):
            c.config_set("proto-max-bulk-len", "512mb")


def test_setrange(pair):
    s = pair.same
    s("SETRANGE", "k", "5", "abc")
    s("GET", "k")
    enc(pair, "k")
    s("SETRANGE", "k", "0", "X")
    s("GET", "k")
    s("SETRANGE", "k", "0", "")
    s("SETRANGE", "missing", "10", "")
    s("EXISTS", "missing")
    s("SETRANGE", "missing", "0", "")
    s("SETRANGE", "k", "-1", "x")
    s("SETRANGE", "k", "abc", "x")
    s("SETRANGE", "k", "536870912", "x")
    s("SETRANGE", "k", "536870912", "")
    s("SETRANGE", "missing", "536870912", "x")
    s("SETRANGE", "k", "9223372036854775807", "x")
    s("SET", "n", "1234")
    enc(pair, "n")
    s("SETRANGE", "n", "1", "0")
    enc(pair, "n")
    s("GET", "n")
    s("SETRANGE", "n", "1", "")
    enc(pair, "n")
    s("SETRANGE", "k", "1")
    s("DEL", "k")


@pytest.mark.parametrize(
    "a,b",
    [
        ("ohmytext", "mynewtext"), ("", ""), ("abc", ""), ("abc", "abc"), ("abcd", "xyz"),
        ("ABCBDAB", "BDCABA"), ("rediscover", "disco-redis"), ("aaaa", "aa"),
        ("thisisalongerstringwithpatterns", "anotherstringwithsomepatternsinside"),
    ],
)  # fmt: skip
def test_lcs(pair, a, b):
    s = pair.same
    s("MSET", "a", a, "b", b)
    s("LCS", "a", "b")
    s("LCS", "a", "b", "LEN")
    s("LCS", "a", "b", "IDX")
    s("LCS", "a", "b", "IDX", "MINMATCHLEN", "2")
    s("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")
    s("LCS", "a", "b", "IDX", "WITHMATCHLEN")
    s("LCS", "b", "a", "idx", "withmatchlen", "minmatchlen", "0")
    s("LCS", "a", "missing")
    s("LCS", "missing", "missing2", "IDX")


def test_lcs_errors(pair):
    s = pair.same
    s("MSET", "a", "ohmytext", "b", "mynewtext")
    s("LCS", "a", "b", "LEN", "IDX")
    s("LCS", "a", "b", "FOO")
    s("LCS", "a", "b", "MINMATCHLEN")
    s("LCS", "a", "b", "MINMATCHLEN", "x")
    s("LCS", "a", "b", "MINMATCHLEN", "-1")
    s("LCS", "a", "b", "LEN", "MINMATCHLEN", "3")
    s("LCS", "a")


def _make_containers(pair):
    pair.same("RPUSH", "l", "x")
    pair.same("SADD", "s", "x")
    pair.same("HSET", "h", "f", "v")
    pair.same("ZADD", "z", "1", "x")


@pytest.mark.parametrize("key", ["l", "s", "h", "z"])
def test_wrongtype(pair, key):
    _make_containers(pair)
    s = pair.same
    for args in (
        ("GET", key), ("APPEND", key, "x"), ("INCR", key), ("DECRBY", key, "2"),
        ("INCRBYFLOAT", key, "1"), ("STRLEN", key), ("GETRANGE", key, "0", "1"),
        ("SUBSTR", key, "0", "1"), ("SETRANGE", key, "0", "x"), ("GETSET", key, "x"),
        ("GETDEL", key), ("GETEX", key), ("GETEX", key, "EX", "0"), ("LCS", key, key),
        ("LCS", "missing", key), ("SET", key, "v", "GET"), ("MGET", key, "missing"),
        ("SETRANGE", key, "0", ""), ("SET", key, "v", "NX", "GET"), ("SETNX", key, "v"),
        ("MSETNX", key, "v"), ("TYPE", key), ("OBJECT", "ENCODING", key), ("EXISTS", key),
        ("STRLEN", key), ("TTL", key),
    ):  # fmt: skip
        s(*args)
    s("SET", key, "v", "XX")  # SET overwrites whatever type was there
    s("TYPE", key)
    s("GET", key)


def test_generic_commands_on_containers(pair):
    _make_containers(pair)
    s = pair.same
    s("RENAME", "l", "l2")
    s("TYPE", "l2")
    s("COPY", "s", "s2")
    s("TYPE", "s2")
    s("SMEMBERS", "s2")
    s("EXPIRE", "h", "100")
    s("TTL", "h")
    s("MOVE", "z", "1")
    s("EXISTS", "z")
    s("SCAN", "0", "TYPE", "list", normalize=lambda r: sorted(r[1]))
    s("SCAN", "0", "TYPE", "hash", normalize=lambda r: sorted(r[1]))
    s("SCAN", "0", "TYPE", "string", normalize=lambda r: sorted(r[1]))
    s("KEYS", "*", normalize=sorted)
    s("DEL", "l2", "s2", "h", "s")
    s("DBSIZE")

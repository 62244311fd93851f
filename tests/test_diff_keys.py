"""Differential tests for the generic key commands: ours vs real Redis 7.0.

DEL/UNLINK/EXISTS/TYPE/RENAME/RENAMENX/KEYS/SCAN/RANDOMKEY/TOUCH/COPY/MOVE/
SWAPDB/FLUSHDB/FLUSHALL/DBSIZE/OBJECT and the expire family, with their
error texts. Both servers are shared by the session, so tests that leave
other databases dirty flush them (the pair fixture only flushes through
FLUSHALL, which covers every db).
"""

from __future__ import annotations

import pytest


def test_del_unlink_exists(pair):
    s = pair.same
    s("MSET", "a", "1", "b", "2", "c", "3")
    s("EXISTS", "a", "a", "a", "missing", "b")
    s("DEL", "a", "a", "missing")
    s("UNLINK", "b", "c", "b")
    s("EXISTS", "a", "b", "c")
    s("DEL")
    s("EXISTS")
    s("DBSIZE")
    s("DBSIZE", "x")


def test_type(pair):
    s = pair.same
    s("SET", "s", "1")
    s("TYPE", "s")
    s("TYPE", "missing")
    s("TYPE")
    s("TYPE", "a", "b")


def test_rename(pair):
    s = pair.same
    s("SET", "a", "1", "EX", "100")
    s("RENAME", "a", "b")
    s("TTL", "b")
    s("EXISTS", "a")
    s("RENAME", "b", "b")
    s("RENAME", "missing", "x")
    s("RENAME", "missing", "missing")
    s("SET", "c", "3")
    s("RENAME", "b", "c")  # overwrites, keeps b's TTL
    s("TTL", "c")
    s("GET", "c")
    s("RENAMENX", "c", "c")
    s("RENAMENX", "missing", "x")
    s("SET", "d", "4")
    s("RENAMENX", "c", "d")
    s("RENAMENX", "c", "e")
    s("MGET", "c", "d", "e")
    s("RENAME", "a")
    s("RENAMENX", "a", "b", "c")


@pytest.mark.parametrize(
    "pattern",
    [
        "*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "*o", "x*", "", "hello",
        "h\\*llo", "[", "*[", "h[", "\\", "[a-", "*a*b*", "??", "hall*", "h[!e]llo", "*\\",
        "[]]", "[z-a]*", "[^]]*", "a[\\]", "*[a-c]*", "[!]", "\\a*", "*a" * 30 + "b",
    ],
)  # fmt: skip
def test_keys(pair, pattern):
    pair.same("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "heeeello", "5")
    pair.same("MSET", "h*llo", "6", "ab", "7", "a", "8", "b\\", "9")
    pair.same("KEYS", pattern, normalize=sorted)


def test_scan_basic(pair):
    s = pair.same
    s("SCAN", "0")  # empty db
    for i in range(20):
        s("SET", f"key:{i}", str(i))
    s("SET", "other", "x")
    full = lambda r: sorted(r[1]) if isinstance(r, (list, tuple)) else r  # noqa: E731
    s("SCAN", "0", "COUNT", "1000", normalize=full)
    s("SCAN", "0", "MATCH", "key:1*", "COUNT", "1000", normalize=full)
    s("SCAN", "0", "TYPE", "string", "COUNT", "1000", normalize=full)
    s("SCAN", "0", "TYPE", "list", "COUNT", "1000", normalize=full)
    s("SCAN", "0", "TYPE", "nosuchtype", "COUNT", "1000", normalize=full)
    for bad in (
        ("abc",), ("-1",), ("",), ("0", "COUNT", "0"), ("0", "COUNT", "-1"), ("0", "COUNT", "x"),
        ("0", "COUNT"), ("0", "MATCH"), ("0", "FOO", "bar"), ("0", "TYPE"),
        ("18446744073709551616",), ("1.5",), (" 1",),
    ):  # fmt: skip
        s("SCAN", *bad, normalize=lambda r: "a reply")
    s("SCAN")


def test_scan_large_cursor(pair):
    # Cursors are unsigned 64-bit: the biggest one parses, visits one bucket and ends.
    pair.same("SET", "a", "1")
    pair.same("SCAN", "18446744073709551615", normalize=lambda r: r[0])
    pair.same("SCAN", "-1", normalize=lambda r: r[0])


def test_randomkey_touch_dbsize(pair):
    s = pair.same
    s("RANDOMKEY")
    s("SET", "only", "1")
    s("RANDOMKEY")
    s("TOUCH", "only", "only", "missing")
    s("TOUCH")
    s("DBSIZE")


def test_copy(pair):
    s = pair.same
    s("SET", "src", "123", "EX", "100")
    s("COPY", "src", "dst")
    s("GET", "dst")
    s("TTL", "dst")
    s("OBJECT", "ENCODING", "dst")
    s("COPY", "src", "dst")
    s("COPY", "src", "dst", "REPLACE")
    s("COPY", "src", "src")
    s("COPY", "src", "src", "DB", "0")
    s("COPY", "missing", "x")
    s("COPY", "src", "dst", "DB", "1")
    s("COPY", "src", "dst", "DB", "1")
    s("COPY", "src", "dst", "DB", "99")
    s("COPY", "src", "dst", "DB", "-1")
    s("COPY", "src", "dst", "DB", "x")
    s("COPY", "src", "dst", "DB")
    s("COPY", "src", "dst", "FOO")
    s("COPY", "src", "dst", "REPLACE", "REPLACE")
    s("COPY", "src")
    s("SELECT", "1")
    # redis-py may use a pool: check through another db explicitly
    pair.ours.execute_command("SELECT", "0")
    pair.real.execute_command("SELECT", "0")


def test_copy_other_db_visible(pair, lab_server, real_server):
    pair.same("SET", "src", "x" * 50)
    pair.same("COPY", "src", "d", "DB", "3")
    for srv in (lab_server, real_server):
        c = srv.client(db=3)
        assert c.get("d") == b"x" * 50
        assert c.object("encoding", "d") == b"raw"
        c.close()


def test_move(pair, lab_server, real_server):
    s = pair.same
    s("SET", "k", "v", "EX", "100")
    s("MOVE", "k", "2")
    s("EXISTS", "k")
    s("MOVE", "k", "2")
    s("SET", "k", "v2")
    s("MOVE", "k", "2")  # exists in target: 0
    s("MOVE", "k", "0")
    s("MOVE", "k", "99")
    s("MOVE", "k", "-1")
    s("MOVE", "k", "x")
    s("MOVE", "missing", "2")
    s("MOVE", "k", "2147483648")
    s("MOVE", "k", "9223372036854775807")
    s("MOVE", "k", "9223372036854775808")
    s("COPY", "k", "x", "DB", "2147483648")
    s("COPY", "k", "x", "DB", "99999999999999999999")
    s("MOVE", "k")
    for srv in (lab_server, real_server):
        c = srv.client(db=2)
        assert c.get("k") == b"v"
        assert 0 < c.ttl("k") <= 100
        c.close()


def test_swapdb(pair, lab_server, real_server):
    s = pair.same
    s("SET", "in0", "zero")
    s("SWAPDB", "0", "5")
    s("EXISTS", "in0")
    s("SWAPDB", "0", "0")
    s("SWAPDB", "0", "99")
    s("SWAPDB", "-1", "0")
    s("SWAPDB", "a", "0")
    s("SWAPDB", "0", "b")
    s("SWAPDB", "2147483648", "0")
    s("SWAPDB", "0", "-2147483649")
    s("SWAPDB", "0")
    for srv in (lab_server, real_server):
        other = srv.client(db=5)
        assert other.get("in0") == b"zero"
        srv.client().execute_command("SWAPDB", "5", "0")
        assert other.get("in0") is None
        other.close()
    s("GET", "in0")


def test_flush(pair):
    s = pair.same
    s("SET", "a", "1")
    s("FLUSHDB", "ASYNC")
    s("DBSIZE")
    s("SET", "a", "1")
    s("FLUSHDB", "SYNC")
    s("FLUSHDB", "sync")
    s("FLUSHDB", "FOO")
    s("FLUSHDB", "SYNC", "ASYNC")
    s("FLUSHALL", "ASYNC")
    s("FLUSHALL", "SYNC")
    s("FLUSHALL", "bar")
    s("FLUSHALL", "ASYNC", "x")
    s("FLUSHDB")
    s("FLUSHALL")


def test_object(pair):
    s = pair.same
    s("SET", "i", "123")
    s("SET", "e", "abc")
    s("SET", "r", "a" * 100)
    for sub in ("ENCODING", "REFCOUNT"):
        for k in ("i", "e", "r", "missing"):
            s("OBJECT", sub, k)
    s("OBJECT", "IDLETIME", "missing")
    s("OBJECT", "IDLETIME", "e", normalize=lambda v: v <= 2)
    s("OBJECT", "FREQ", "e")  # error: not an LFU policy
    s("OBJECT", "FREQ", "missing")
    s("OBJECT", "FOO", "e")
    s("OBJECT", "ENCODING")
    s("OBJECT", "ENCODING", "a", "b")
    s("OBJECT")
    s("SET", "big", "10001")
    s("OBJECT", "REFCOUNT", "big")
    s("SET", "small", "9999")
    s("OBJECT", "REFCOUNT", "small")
    help_ours, help_real = (
        pair.ours.execute_command("OBJECT", "HELP"),
        pair.real.execute_command("OBJECT", "HELP"),
    )

    # The explanations are in our own words; the subcommand lines must match.
    def signatures(lines):
        return [line for line in lines if not line.startswith(b" ")]

    assert signatures(help_ours) == signatures(help_real)
    s("OBJECT", "HELP", "x")


def _with_lfu(pair, fn):
    for c in (pair.ours, pair.real):
        c.config_set("maxmemory-policy", "allkeys-lfu")
    try:
        fn()
    finally:
        for c in (pair.ours, pair.real):
            c.config_set("maxmemory-policy", "noeviction")


def test_object_idletime_with_lfu(pair):
    def body():
        pair.same("SET", "k", "v")
        pair.same("OBJECT", "IDLETIME", "k")
        pair.same("OBJECT", "FREQ", "missing")

    _with_lfu(pair, body)


def test_object_freq_with_lfu(pair):
    def body():
        pair.same("SET", "k", "v")
        pair.same("OBJECT", "FREQ", "k")

    _with_lfu(pair, body)


EXPIRE_CMDS = [("EXPIRE", "100"), ("PEXPIRE", "100000"), ("EXPIREAT", None), ("PEXPIREAT", None)]


def _when(cmd, base):
    import time

    now = int(time.time())
    if cmd == "EXPIREAT":
        return str(now + base)
    if cmd == "PEXPIREAT":
        return str((now + base) * 1000)
    return str(base if cmd == "EXPIRE" else base * 1000)


def _ttl_bucket(v):
    return v if v < 0 else v // 10


@pytest.mark.parametrize("cmd", ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"])
def test_expire_flags(pair, cmd):
    s = pair.same
    s(cmd, "missing", _when(cmd, 100))
    s("SET", "k", "v")
    s(cmd, "k", _when(cmd, 100), "XX")  # no ttl: XX fails
    s(cmd, "k", _when(cmd, 100), "GT")  # no ttl = infinite: GT fails
    s(cmd, "k", _when(cmd, 100), "LT")  # LT succeeds
    s("TTL", "k", normalize=_ttl_bucket)
    s(cmd, "k", _when(cmd, 200), "NX")
    s(cmd, "k", _when(cmd, 200), "XX")
    s(cmd, "k", _when(cmd, 100), "GT")
    s(cmd, "k", _when(cmd, 300), "GT")
    s(cmd, "k", _when(cmd, 400), "LT")
    s(cmd, "k", _when(cmd, 50), "lt")
    s("TTL", "k", normalize=_ttl_bucket)
    s(cmd, "k", _when(cmd, 50), "NX", "XX")
    s(cmd, "k", _when(cmd, 50), "GT", "LT")
    s(cmd, "k", _when(cmd, 50), "NX", "GT")
    s(cmd, "k", _when(cmd, 50), "NX", "LT")
    s(cmd, "k", _when(cmd, 60), "XX", "GT")
    s(cmd, "k", _when(cmd, 50), "FOO")
    s(cmd, "k", _when(cmd, 70), "GT", "GT")
    s(cmd, "k", _when(cmd, 40), "XX", "XX", "LT")
    s(cmd, "k", "abc")
    s(cmd, "k", "1.5")
    s(cmd, "k", "")
    s(cmd, "k")
    s(cmd, "k", "9223372036854775807")
    s(cmd, "k", "-9223372036854775808")
    s(cmd, "k", "9223372036854775")
    s(cmd, "k", "92233720368547758")
    s(cmd, "k", "9223372036854776")
    s("PERSIST", "k")
    s(cmd, "k", _when(cmd, 100), "GT")
    s(cmd, "k", "-1")  # past: deletes
    s("EXISTS", "k")
    s("SET", "k", "v")
    s(cmd, "k", "0")
    s("EXISTS", "k")


def test_ttl_family(pair):
    s = pair.same
    for c in ("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST"):
        s(c, "missing")
        s(c)
        s(c, "a", "b")
    s("SET", "k", "v")
    for c in ("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST"):
        s(c, "k")
    s("EXPIREAT", "k", "99999999999")
    s("EXPIRETIME", "k")
    s("PEXPIRETIME", "k")
    s("PEXPIREAT", "k", "99999999999123")
    s("EXPIRETIME", "k")
    s("PEXPIRETIME", "k")
    s("PERSIST", "k")
    s("PERSIST", "k")
    s("TTL", "k")
    s("SET", "k", "v", "PX", "1400")
    s("TTL", "k")  # rounds to the nearest second
    s("SET", "k", "v", "PX", "100000")
    s("PTTL", "k", normalize=lambda v: 99000 < v <= 100000)


def test_expire_overflow_messages(pair):
    s = pair.same
    s("SET", "k", "v")
    s("EXPIRE", "k", "9223372036854775807")
    s("PEXPIRE", "k", "9223372036854775807")
    s("EXPIREAT", "k", "9223372036854775807")
    s("PEXPIREAT", "k", "9223372036854775807")
    s("EXPIRE", "k", "-9223372036854775808")
    s("PEXPIRE", "k", "-9223372036854775808")
    s("SET", "k", "v", "EX", "9223372036854775")
    s("SET", "k", "v", "PX", "9223372036854775807")
    s("SET", "k", "v", "PXAT", "9223372036854775807")
    s("TTL", "k", normalize=lambda v: v > 0)


def _multi_db_session(srv):
    from tests.test_protocol import Raw

    with Raw(srv.port) as c:
        out = [c.call("FLUSHALL")]
        for db in ("0", "1", "7"):
            out.append(c.call("SELECT", db))
            out.append(c.call("MSET", f"in{db}", db, "shared", db))
            out.append(c.call("SET", f"ttl{db}", "x", "EX", "1000"))
        out.append(c.call("SELECT", "1"))
        out.append(c.call("FLUSHDB"))
        out.append(c.call("DBSIZE"))
        out.append(c.call("SELECT", "7"))
        out.append(c.call("GET", "shared"))
        out.append(c.call("SWAPDB", "7", "0"))
        out.append(c.call("GET", "shared"))  # the connection stays on db 7: now db 0's data
        out.append(c.call("EXISTS", "in0", "in7"))
        out.append(c.call("TTL", "ttl0") != b":-2\r\n")
        out.append(c.call("MOVE", "in0", "1"))
        out.append(c.call("SELECT", "1"))
        out.append(c.call("GET", "in0"))
        keyspace = c.call("INFO", "keyspace").split(b"\r\n", 1)[1]
        out.append(b"\n".join(line.split(b",avg_ttl")[0] for line in keyspace.split(b"\r\n")))
        out.append(c.call("FLUSHALL"))
    return out


def test_databases_are_separate(lab_server, real_server):
    assert _multi_db_session(lab_server) == _multi_db_session(real_server)


LAZY_EXPIRY_PROBES = [
    ("GET", "e"), ("EXISTS", "e"), ("TTL", "e"), ("TYPE", "e"), ("STRLEN", "e"),
    ("APPEND", "e", "x"), ("INCR", "e"), ("SETNX", "e", "1"), ("SET", "e", "v", "NX"),
    ("SET", "e", "v", "XX"), ("GETDEL", "e"), ("GETEX", "e"), ("MGET", "e", "e"),
    ("DEL", "e"), ("RENAME", "e", "f"), ("COPY", "e", "f"), ("OBJECT", "ENCODING", "e"),
    ("EXPIRE", "e", "100"), ("PERSIST", "e"), ("TOUCH", "e"), ("SETRANGE", "e", "1", "x"),
    ("GETRANGE", "e", "0", "-1"), ("LCS", "e", "e"), ("KEYS", "*"), ("DBSIZE",), ("RANDOMKEY",),
    ("SCAN", "0"), ("MSETNX", "e", "1"), ("GETSET", "e", "1"), ("INCRBYFLOAT", "e", "1"),
    ("MOVE", "e", "1"), ("RENAMENX", "f", "e"),
]  # fmt: skip


@pytest.mark.parametrize("probe", LAZY_EXPIRY_PROBES, ids=lambda p: " ".join(p))
def test_lazy_expiry_stats(pair, probe):
    """Each command meets a key whose time has passed (active expiry is off on both):
    same reply, and the same expired_keys / keyspace_hits / keyspace_misses."""
    import time

    for c in (pair.ours, pair.real):
        c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    try:
        pair.same("SET", "e", "12", "PX", "1")
        if probe[0] != "RANDOMKEY":  # with e alone, RANDOMKEY must meet it (not by chance)
            pair.same("SET", "f", "other")
        time.sleep(0.05)  # both keys' time has surely passed
        pair.same("CONFIG", "RESETSTAT")
        pair.same(*probe, normalize=lambda r: r if probe[0] != "SCAN" else sorted(r[1]))
        fields = ("expired_keys", "keyspace_hits", "keyspace_misses")
        ours, real = pair.ours.info("stats"), pair.real.info("stats")
        assert {f: ours[f] for f in fields} == {f: real[f] for f in fields}
        pair.same("DBSIZE")
    finally:
        for c in (pair.ours, pair.real):
            c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")


TOUCH_PROBES = [
    ("GET", "{k}"), ("EXISTS", "{k}"), ("TYPE", "{k}"), ("TTL", "{k}"), ("PTTL", "{k}"),
    ("EXPIRETIME", "{k}"), ("STRLEN", "{k}"), ("GETRANGE", "{k}", "0", "1"),
    ("OBJECT", "ENCODING", "{k}"), ("OBJECT", "REFCOUNT", "{k}"), ("TOUCH", "{k}"),
    ("EXPIRE", "{k}", "1000"), ("PERSIST", "{k}"), ("APPEND", "{k}", "x"),
    ("SETRANGE", "{k}", "0", "z"), ("MGET", "{k}", "nokey"), ("GETEX", "{k}"),
    ("LCS", "{k}", "nokey"), ("COPY", "{k}", "{k}:copy"), ("DEBUG", "OBJECT", "{k}"),
    ("SET", "{k}", "v", "NX"), ("SETNX", "{k}", "v"), ("MSETNX", "{k}", "v"),
    ("INCRBY", "{k}", "0"), ("RENAMENX", "{k}", "{k}"),
]  # fmt: skip


def _touch_setup(c) -> None:
    c.execute_command("FLUSHALL")
    for i, _ in enumerate(TOUCH_PROBES):
        c.set(f"t{i}", "12345678901234567890123456789012345678901234567890")
        c.set(f"n{i}", "10001")  # an int, for INCRBY


def _touch_classification(c) -> list[str]:
    for i, probe in enumerate(TOUCH_PROBES):
        key = f"n{i}" if probe[0] == "INCRBY" else f"t{i}"
        c.execute_command(*[a.format(k=key) for a in probe])
    out = []
    for i, probe in enumerate(TOUCH_PROBES):
        key = f"n{i}" if probe[0] == "INCRBY" else f"t{i}"
        idle = c.object("idletime", key)
        out.append(f"{probe[0]} {'touched' if idle < 2 else 'untouched'}")
    return out


def test_which_commands_touch_the_lru(lab_server, real_server):
    import time

    ours, real = lab_server.client(), real_server.client()
    try:
        _touch_setup(ours)
        _touch_setup(real)
        time.sleep(2.2)  # the LRU clock has a 1 s resolution: idle is now >= 2
        assert _touch_classification(ours) == _touch_classification(real)
    finally:
        ours.flushall()
        real.flushall()

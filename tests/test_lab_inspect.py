"""LAB INSPECT, LAB KEYSPACE and LAB EVENTS: the reply shapes docs/lab-command.md promises.

Read with RESP3 (maps arrive as dicts); one test checks the RESP2 flattening.
Encodings whose commands do not exist yet in our server are skipped.
"""

from __future__ import annotations

import time

import pytest
import redis

TOP_FIELDS = {
    "key",
    "db",
    "type",
    "encoding",
    "ttl_ms",
    "expire_at_ms",
    "expired",
    "memory",
    "length",
    "layout",
}


@pytest.fixture
def r3(lab_server):
    c = lab_server.client(protocol=3)
    c.flushall()
    yield c
    c.close()


def lab(c, *args):
    return c.execute_command("LAB", *args)


def inspect(c, key, *opts):
    return lab(c, "INSPECT", key, *opts)


def needs(c, *commands):
    missing = []
    for name in commands:
        try:
            c.execute_command(name)
        except redis.ResponseError as e:
            if "unknown command" in str(e):
                missing.append(name)
    if missing:
        pytest.skip(f"our server does not implement {', '.join(missing)} yet")


def k(d: dict, name: str):
    """Map keys arrive as bytes or str depending on the client's decoding."""
    return d[name] if name in d else d[name.encode()]


def s(v):
    return v.decode() if isinstance(v, bytes) else v


# -- strings -----------------------------------------------------------------------------------


def test_missing_key_is_nil(r3):
    assert inspect(r3, "nosuchkey") is None


@pytest.mark.parametrize(
    "value,encoding,header",
    [(b"12345", "int", 0), (b"hello", "embstr", 3), (b"x" * 100, "raw", 3), (b"y" * 300, "raw", 5)],
)
def test_string_shape(r3, value, encoding, header):
    r3.set("s", value)
    out = inspect(r3, "s")
    assert {s(x) for x in out} >= TOP_FIELDS | {"lru", "idle_seconds"}
    assert s(k(out, "type")) == "string"
    assert s(k(out, "encoding")) == encoding
    assert k(out, "ttl_ms") == -1
    assert k(out, "length") == len(value)
    assert k(out, "memory") == r3.memory_usage("s")
    layout = k(out, "layout")
    assert s(k(layout, "encoding")) == encoding
    assert k(layout, "sds_header") == header
    assert k(layout, "bytes") == len(value)
    assert k(layout, "value_preview") == value[:64]


def test_ttl_and_no_side_effects(r3):
    r3.set("t", "v", px=50_000)
    before = r3.object("idletime", "t")
    out = inspect(r3, "t")
    assert 49_000 < k(out, "ttl_ms") <= 50_000
    assert k(out, "expired") == 0
    assert r3.object("idletime", "t") == before
    stats = r3.info("stats")
    inspect(r3, "t")
    assert r3.info("stats")["keyspace_hits"] == stats["keyspace_hits"]


def test_expired_key_is_shown_not_deleted(r3):
    lab(r3, "CLOCK", "FREEZE")
    try:
        r3.set("gone", "v", px=10)
        lab(r3, "CLOCK", "ADVANCE", 100)
        r3.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", 0)
        out = inspect(r3, "gone")
        assert out is not None and k(out, "expired") == 1 and k(out, "ttl_ms") == 0
    finally:
        r3.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", 1)
        lab(r3, "CLOCK", "RESUME")


def test_lfu_fields_under_lfu_policy(r3):
    old = r3.config_get("maxmemory-policy")["maxmemory-policy"]
    r3.config_set("maxmemory-policy", "allkeys-lfu")
    try:
        r3.set("f", "v")
        out = inspect(r3, "f")
        fields = {s(x) for x in out}
        assert {"lfu_freq", "lfu_minutes"} <= fields and "idle_seconds" not in fields
        assert k(out, "lfu_freq") == r3.object("freq", "f")
    finally:
        r3.config_set("maxmemory-policy", old)


def test_resp2_flattens(lab_server):
    c = lab_server.client(protocol=2)
    c.flushall()
    c.set("s", "hello")
    out = c.execute_command("LAB", "INSPECT", "s")
    assert isinstance(out, list) and len(out) % 2 == 0
    assert dict(zip(out[::2], out[1::2], strict=True))[b"type"] == b"string"
    c.close()


def test_option_errors(r3):
    r3.set("s", "v")
    for opts, msg in [
        (("WINDOW", 1), "syntax error"),
        (("WINDOW", "a", 2), "not an integer"),
        (("WINDOW", -1, 2), "must be >= 0"),
        (("PATH",), "syntax error"),
        (("BOGUS",), "syntax error"),
    ]:
        with pytest.raises(redis.ResponseError, match=msg):
            inspect(r3, "s", *opts)


# -- collections --------------------------------------------------------------------------------


def test_hash_listpack_layout(r3):
    needs(r3, "HSET")
    r3.hset("h", mapping={"f": "v", "n": "12"})
    out = inspect(r3, "h", "PATH", "n")
    lay = k(out, "layout")
    assert s(k(out, "encoding")) == "listpack"
    assert k(out, "length") == 2
    entries = k(lay, "entries")
    assert len(entries) == 4
    assert k(entries[0], "offset") == 6
    assert k(lay, "total_bytes") == len(k(lay, "raw"))
    assert k(lay, "raw") == r3.dump("h")[2 : 2 + k(lay, "total_bytes")]


def test_set_intset_layout_windowed(r3):
    needs(r3, "SADD")
    r3.sadd("s", *range(400))
    lay = k(inspect(r3, "s", "WINDOW", 100, 5), "layout")
    assert k(lay, "values") == [100, 101, 102, 103, 104]
    assert k(lay, "width") == 2 and k(lay, "length") == 400


def test_big_hashtable_answers_fast(r3):
    needs(r3, "SADD")
    for i in range(0, 20000, 1000):
        r3.sadd("big", *[f"m{j}" for j in range(i, i + 1000)])
    t = time.perf_counter()
    out = inspect(r3, "big", "WINDOW", 5000, 10)
    assert time.perf_counter() - t < 2.0
    lay = k(out, "layout")
    assert s(k(out, "encoding")) == "hashtable"
    assert len(k(lay, "buckets")) == 10
    assert sum(k(lay, "used")) == 20000
    t = time.perf_counter()
    path = k(k(inspect(r3, "big", "PATH", "m12345"), "layout"), "path")
    assert time.perf_counter() - t < 2.0
    assert k(path, "found") == 1
    bucket = k(path, "bucket")
    if k(path, "table") == 0:
        chain = k(k(k(inspect(r3, "big", "WINDOW", bucket, 1), "layout"), "buckets")[0], "chain")
        assert chain[k(path, "chain_position")] == b"m12345"


def test_zset_skiplist_path(r3):
    needs(r3, "ZADD")
    r3.zadd("z", {f"m{i}": i for i in range(300)})
    out = inspect(r3, "z", "WINDOW", 10, 3, "PATH", "m42")
    lay = k(out, "layout")
    assert s(k(out, "encoding")) == "skiplist"
    assert [k(n, "rank") for n in k(lay, "nodes")] == [11, 12, 13]
    path = k(lay, "path")
    assert k(path, "rank") == 43


def test_list_quicklist_layout(r3):
    needs(r3, "RPUSH")
    r3.rpush("l", *[f"element {i}" for i in range(2000)])
    out = inspect(r3, "l", "WINDOW", 0, 2)
    lay = k(out, "layout")
    assert s(k(out, "encoding")) == "quicklist"
    assert k(lay, "length") == 2000 and k(lay, "node_count") > 1
    nodes = k(lay, "nodes")
    assert [k(n, "index") for n in nodes] == [0, 1]
    first = nodes[0]
    assert s(k(first, "container")) == "PACKED" and k(first, "compressed") == 0
    # entries are windowed too: at most 256 per node, with a flag when cut
    shown = len(k(first, "entries"))
    assert shown == min(k(first, "count"), 256)
    assert k(first, "entries_truncated") == (1 if k(first, "count") > 256 else 0)
    assert k(first, "raw")[:4] == k(first, "sz").to_bytes(4, "little")


# -- LAB KEYSPACE -------------------------------------------------------------------------------


def test_keyspace_shape(r3):
    for i in range(10):
        r3.set(f"k{i}", i)
    r3.set("ttl", "v", ex=100)
    out = lab(r3, "KEYSPACE")
    assert k(out, "db") == 0
    assert k(out, "keys") == 11 and k(out, "expires") == 1
    d = k(out, "dict")
    assert sum(k(d, "used")) == 11
    assert max(k(d, "table_size")) >= 11
    assert k(d, "rehashidx") == -1 or k(d, "rehashing") == 1
    assert sum(k(k(out, "expires_dict"), "used")) == 1
    cycle = k(out, "expire_cycle")
    assert {s(x) for x in cycle} >= {"expired_keys", "expired_stale_perc", "hz"}
    other = lab(r3, "KEYSPACE", 3)
    assert k(other, "db") == 3 and k(other, "keys") == 0
    with pytest.raises(redis.ResponseError, match="DB index is out of range"):
        lab(r3, "KEYSPACE", 99)


# -- LAB EVENTS ----------------------------------------------------------------------------------


def test_events_poll(r3):
    start = k(lab(r3, "EVENTS", "COUNT", 1), "newest_id")
    lab(r3, "CLOCK", "FREEZE")
    try:
        r3.set("e", "v", px=5)
        lab(r3, "CLOCK", "ADVANCE", 10)
        assert r3.get("e") is None  # lazy expiry -> an "expire" event
    finally:
        lab(r3, "CLOCK", "RESUME")
    out = lab(r3, "EVENTS", "SINCE", start)
    events = k(out, "events")
    types = [s(k(e, "type")) for e in events]
    assert "clock" in types and "expire" in types
    ids = [k(e, "id") for e in events]
    assert ids == sorted(ids) and ids[0] > start
    for e in events:
        assert {s(x) for x in e} >= {"id", "type", "time_ms"}
    expire = next(e for e in events if s(k(e, "type")) == "expire")
    assert k(expire, "key") == b"e" and s(k(expire, "how")) == "lazy"
    assert k(out, "last_id") == ids[-1]
    # Nothing new: an empty list, and the same last_id to poll with.
    again = lab(r3, "EVENTS", "SINCE", k(out, "last_id"))
    assert k(again, "events") == [] and k(again, "last_id") == k(out, "last_id")
    one = lab(r3, "EVENTS", "SINCE", start, "COUNT", 1)
    assert len(k(one, "events")) == 1


def test_events_from_restore_conversion(r3, real_server):
    real = real_server.client()
    real.flushall()
    real.sadd("s", *range(600))  # a hashtable set of integers: loads as... a hashtable
    real.config_set("set-max-intset-entries", 1000)
    try:
        real.sadd("small", *range(600))  # an intset of 600: above our limit of 512
        payload = real.dump("small")
    finally:
        real.config_set("set-max-intset-entries", 512)
        real.close()
    needs(r3, "SADD")
    start = k(lab(r3, "EVENTS", "COUNT", 1), "newest_id")
    r3.restore("x", 0, payload)
    assert s(r3.object("encoding", "x")) == "hashtable"
    events = k(lab(r3, "EVENTS", "SINCE", start), "events")
    conv = [e for e in events if s(k(e, "type")) == "encoding-conversion"]
    assert conv and s(k(conv[0], "to")) == "hashtable"


def test_help_lists_members(r3):
    lines = [s(x) for x in lab(r3, "HELP")]
    text = "\n".join(lines)
    for name in ("CLOCK", "INSPECT", "KEYSPACE", "EVENTS"):
        assert name in text

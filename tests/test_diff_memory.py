"""MEMORY, maxmemory, OBJECT FREQ/IDLETIME and INFO memory against real Redis.

Replies and errors must be the same; modelled figures (used_memory per kind
of object) must be within a band of real Redis's (the measured table is in
benchmarks/results/memory_compare.md: most kinds are exact).
"""

from __future__ import annotations

import time

import pytest

BAND = 0.15


@pytest.fixture
def restore(pair):
    yield pair
    for c in (pair.ours, pair.real):
        c.config_set("maxmemory", 0)
        c.config_set("maxmemory-policy", "noeviction")


def both(pair, *args):
    pair.ours.execute_command(*args)
    pair.real.execute_command(*args)


def test_memory_help_and_simple_subcommands(pair):
    pair.same("MEMORY", "HELP")
    pair.same("MEMORY", "PURGE")
    pair.same("MEMORY", "NOSUCH")
    pair.same("MEMORY", "STATS", "extra")
    pair.same("MEMORY", "DOCTOR", "extra")
    assert isinstance(pair.ours.execute_command("MEMORY", "DOCTOR"), (bytes, str))
    text = pair.ours.execute_command("MEMORY", "MALLOC-STATS")
    assert b"not applicable" in text.lower()


def _keys(reply):
    if isinstance(reply, dict):
        return list(reply)
    return reply[::2]


def test_memory_stats_fields(pair):
    both(pair, "SET", "k", "v")
    both(pair, "EXPIRE", "k", 100)
    ours = pair.ours.execute_command("MEMORY", "STATS")
    real = pair.real.execute_command("MEMORY", "STATS")
    assert _keys(ours) == _keys(real)
    db0 = ours[b"db.0"] if isinstance(ours, dict) else ours[ours.index(b"db.0") + 1]
    real_db0 = real[b"db.0"] if isinstance(real, dict) else real[real.index(b"db.0") + 1]
    assert _keys(db0) == _keys(real_db0)
    assert db0 == real_db0  # per-key overhead: the same formula as getMemoryOverheadData


INFO_MEMORY_FIELDS = [
    "used_memory", "used_memory_human", "used_memory_peak", "used_memory_overhead",
    "used_memory_startup", "used_memory_dataset", "used_memory_dataset_perc", "maxmemory",
    "maxmemory_human", "maxmemory_policy", "mem_not_counted_for_evict", "mem_clients_normal",
    "mem_clients_slaves", "mem_fragmentation_ratio", "mem_allocator",
]  # fmt: skip


def test_info_memory_and_stats_fields(pair):
    ours = pair.ours.info("memory")
    real = pair.real.info("memory")
    for f in INFO_MEMORY_FIELDS:
        assert f in ours and f in real, f
    assert ours["maxmemory_policy"] == real["maxmemory_policy"]
    stats = pair.ours.info("stats")
    for f in ("evicted_keys", "total_eviction_exceeded_time", "current_eviction_exceeded_time"):
        assert f in stats and f in pair.real.info("stats")


def test_maxmemory_human_and_policy_follow_config_set(restore):
    pair = restore
    both(pair, "CONFIG", "SET", "maxmemory", "100mb")
    both(pair, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
    for f in ("maxmemory", "maxmemory_human", "maxmemory_policy"):
        assert pair.ours.info("memory")[f] == pair.real.info("memory")[f]


@pytest.mark.parametrize("value", ["1gb", "100mb", "1024", "0", "-1", "abc", "1.5gb", "10xb"])
def test_config_set_maxmemory_values(restore, value):
    restore.same("CONFIG", "SET", "maxmemory", value)
    restore.same("CONFIG", "GET", "maxmemory")


@pytest.mark.parametrize(
    "policy",
    ["noeviction", "allkeys-lru", "volatile-lru", "allkeys-lfu", "volatile-lfu",
     "allkeys-random", "volatile-random", "volatile-ttl", "lru", "ALLKEYS-LRU", ""],
)  # fmt: skip
def test_config_set_policy(restore, policy):
    restore.same("CONFIG", "SET", "maxmemory-policy", policy)
    restore.same("CONFIG", "GET", "maxmemory-policy")


@pytest.mark.parametrize(
    "name,value",
    [("maxmemory-samples", "0"), ("maxmemory-samples", "10"), ("maxmemory-samples", "x"),
     ("maxmemory-eviction-tenacity", "101"), ("maxmemory-eviction-tenacity", "20"),
     ("lfu-log-factor", "-1"), ("lfu-decay-time", "abc")],
)  # fmt: skip
def test_config_set_eviction_tunables(pair, name, value):
    old_ours = pair.ours.config_get(name)[name]
    old_real = pair.real.config_get(name)[name]
    try:
        pair.same("CONFIG", "SET", name, value)
        pair.same("CONFIG", "GET", name)
    finally:
        pair.ours.config_set(name, old_ours)
        pair.real.config_set(name, old_real)


def test_object_freq_and_idletime_policy_errors(restore):
    pair = restore
    both(pair, "SET", "k", "v")
    pair.same("OBJECT", "FREQ", "k")  # LRU policy: the error
    pair.same("OBJECT", "FREQ", "nosuchkey")
    both(pair, "CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")
    both(pair, "SET", "fresh", "v")
    pair.same("OBJECT", "FREQ", "fresh")  # LFU_INIT_VAL, not touched by OBJECT
    pair.same("OBJECT", "IDLETIME", "fresh")  # LFU policy: the error


def test_oom_error_under_noeviction(restore):
    pair = restore
    both(pair, "SET", "keep", "old")
    both(pair, "CONFIG", "SET", "maxmemory", "1")
    pair.same("SET", "keep", "new")
    pair.same("LPUSH", "l", "a")
    pair.same("GET", "keep")  # reads are not denyoom
    pair.same("EXISTS", "l")
    both(pair, "CONFIG", "SET", "maxmemory", "0")
    pair.same("GET", "keep")


def test_oom_when_volatile_policy_has_nothing_to_evict(restore):
    pair = restore
    both(pair, "SET", "persistent", "v")
    both(pair, "CONFIG", "SET", "maxmemory-policy", "volatile-lru")
    both(pair, "CONFIG", "SET", "maxmemory", "1")
    pair.same("SET", "another", "v")
    both(pair, "CONFIG", "SET", "maxmemory", "0")
    pair.same("EXISTS", "persistent", "another")


# -- used_memory per kind of object, ours next to real Redis ----------------------------------


def _used(srv) -> int:
    time.sleep(0.25)
    c = srv.client()
    info = c.info("memory")
    c.close()
    return info["used_memory"] - info["mem_clients_normal"]


def _grow(srv, n, fill) -> float:
    c = srv.client()
    c.flushall()
    c.close()
    before = _used(srv)
    c = srv.client()
    p = c.pipeline(transaction=False)
    for i in range(n):
        fill(p, i)
        if i % 200 == 199:
            p.execute()
    p.execute()
    c.close()
    return _used(srv) - before


KINDS = {
    "strings": (5000, lambda p, i: p.set(f"str:{i:06d}", f"value:{i:06d}")),
    "raw strings": (3000, lambda p, i: p.set(f"raw:{i:06d}", "r" * 100)),
    "small hashes": (2000, lambda p, i: p.hset(f"h:{i}", mapping={f"f{j}": j for j in range(8)})),
    "big hash": (
        1,
        lambda p, i: [
            p.hset("hb", mapping={f"f{j}": f"v{j}" for j in range(k, k + 500)})
            for k in range(0, 5000, 500)
        ],
    ),  # noqa: E501
    "intsets": (2000, lambda p, i: p.sadd(f"s:{i}", *range(10))),
    "big set": (
        1,
        lambda p, i: [
            p.sadd("sb", *(f"m{j}" for j in range(k, k + 500))) for k in range(0, 5000, 500)
        ],
    ),  # noqa: E501
    "small zsets": (2000, lambda p, i: p.zadd(f"z:{i}", {f"m{j}": j for j in range(8)})),
    "big zset": (
        1,
        lambda p, i: [
            p.zadd("zb", {f"m{j}": j for j in range(k, k + 500)}) for k in range(0, 5000, 500)
        ],
    ),  # noqa: E501
    "lists": (2000, lambda p, i: p.rpush(f"l:{i}", *(f"item{j}" for j in range(8)))),
    "big list": (
        1,
        lambda p, i: [
            p.rpush("lb", *(f"item{j}" for j in range(k, k + 500))) for k in range(0, 20000, 500)
        ],
    ),  # noqa: E501
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_used_memory_per_kind_within_band(lab_server, real_server, kind):
    n, fill = KINDS[kind]
    ours = _grow(lab_server, n, fill)
    real = _grow(real_server, n, fill)
    assert abs(ours - real) <= BAND * real, (kind, ours, real)


def test_adding_and_deleting_returns_used_memory(lab_server):
    c = lab_server.client(protocol=3)
    c.flushall()
    c.set("warm", "up")  # the first key allocates the dict's first table
    c.delete("warm")
    start = c.execute_command("LAB", "MEMORY")[b"parts"][b"keys"]
    p = c.pipeline(transaction=False)
    for i in range(200):  # collections stay under memory.EXACT_BELOW: measured exactly
        p.set(f"s{i}", "x" * (i % 60))
        p.hset(f"h{i % 7}", f"f{i}", i)
        p.rpush(f"l{i % 5}", f"e{i}")
        p.zadd("z", {f"m{i}": i})
        p.sadd(f"st{i % 3}", i, f"x{i}")
    p.execute()
    grown = c.execute_command("LAB", "MEMORY", "RECOUNT")
    assert grown[b"parts"][b"keys"] == grown[b"recount_keys"] > start
    c.flushall()
    assert c.execute_command("LAB", "MEMORY")[b"parts"][b"keys"] == start == 0
    c.close()

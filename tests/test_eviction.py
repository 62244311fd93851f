"""maxmemory and the eight policies (server/evict.py), with the lab's frozen clock.

A private server (its maxmemory and policy change in every test) runs with
its clock frozen; keys are aged with ``LAB CLOCK ADVANCE`` instead of
sleeping. Each test fills some keys, lowers maxmemory to just under what is
in use, and looks at which keys eviction chose.
"""

from __future__ import annotations

import time

import pytest
import redis

from tests.support import start_lab_server

OOM = "OOM command not allowed when used memory > 'maxmemory'."


@pytest.fixture(scope="module")
def server():
    srv = start_lab_server()
    yield srv
    srv.stop()


@pytest.fixture
def r(server):
    c = server.client(protocol=3)
    c.config_set("maxmemory", 0)
    c.config_set("maxmemory-policy", "noeviction")
    c.config_set("maxmemory-samples", 5)
    c.flushall()
    c.config_resetstat()
    c.execute_command("LAB", "CLOCK", "FREEZE")
    yield c
    c.config_set("maxmemory", 0)
    c.config_set("maxmemory-policy", "noeviction")
    c.execute_command("LAB", "CLOCK", "RESUME")
    c.close()


def advance(r, ms: int) -> None:
    r.execute_command("LAB", "CLOCK", "ADVANCE", ms)


def used(r) -> int:
    return r.info("memory")["used_memory"]


def fill(r, prefix: str, n: int, ex: int | None = None, size: int = 20) -> None:
    p = r.pipeline(transaction=False)
    for i in range(n):
        p.set(f"{prefix}:{i}", "v" * size, ex=ex)
    p.execute()


def squeeze(r, policy: str, margin: int) -> None:
    """maxmemory = what is used now minus margin, under policy.

    Waits for a cron tick first: client buffers (a pipeline's query buffer)
    are refreshed by the cron and must not move between here and the write.
    """
    time.sleep(0.15)
    r.config_set("maxmemory-policy", policy)
    r.config_set("maxmemory", used(r) - margin)


def trigger(r, key: str = "trigger") -> int:
    """One write at the limit; wait for eviction to finish; lift the limit; evicted keys.

    An eviction run that hits its time limit goes on from the event loop
    (evictionTimeProc), so the test waits for it. Lifting maxmemory before
    counting keeps the counting itself from evicting.
    """
    r.set(key, "x")
    for _ in range(100):
        m = r.execute_command("LAB", "MEMORY")
        if not m[b"eviction_running"]:
            break
        time.sleep(0.02)
    r.config_set("maxmemory", 0)
    return r.info("stats")["evicted_keys"]


def alive(r, prefix: str, n: int) -> int:
    p = r.pipeline(transaction=False)
    for i in range(n):
        p.exists(f"{prefix}:{i}")
    return sum(p.execute())


def test_noeviction_refuses_writes_and_changes_nothing(r):
    fill(r, "k", 100)
    r.set("keep", "old")
    squeeze(r, "noeviction", 1000)
    with pytest.raises(redis.ResponseError, match="command not allowed when used memory"):
        r.set("keep", "new")
    with pytest.raises(redis.ResponseError, match="used memory"):
        r.rpush("list", "a")
    assert r.get("keep") == b"old"  # reads still work
    assert r.dbsize() == 101
    assert r.delete("k:1") == 1  # DEL is not denyoom: it frees memory
    info = r.info()
    assert info["evicted_keys"] == 0
    assert info["errorstat_OOM"]["count"] == 2
    assert info["current_eviction_exceeded_time"] >= 0


def test_allkeys_lru_evicts_idle_keys(r):
    fill(r, "old", 300)
    advance(r, 60_000)
    fill(r, "new", 300)
    advance(r, 1000)
    for i in range(300):  # the new keys are also the recently read ones
        r.get(f"new:{i}")
    squeeze(r, "allkeys-lru", 15_000)
    evicted = trigger(r)
    assert evicted > 50
    old_gone = 300 - alive(r, "old", 300)
    assert old_gone >= 0.9 * evicted  # idle keys go first, with high probability
    m = r.execute_command("LAB", "MEMORY")
    assert m[b"maxmemory_policy"] == b"allkeys-lru"
    assert m[b"evicted_keys"] == evicted
    assert len(m[b"pool"]) <= 16
    assert all(b"idle_ms" in e for e in m[b"pool"] + m[b"last_sampled"])
    events = r.execute_command("LAB", "EVENTS", "COUNT", 1000)[b"events"]
    ev = [e for e in events if e[b"type"] == b"evict" and e[b"policy"] == b"allkeys-lru"]
    assert ev and ev[0][b"policy"] == b"allkeys-lru" and b"idle_ms" in ev[0]
    assert sum(e[b"idle_ms"] >= 60_000 for e in ev) >= 0.9 * len(ev)


def test_volatile_policies_never_touch_keys_without_ttl(r):
    fill(r, "persistent", 200)
    fill(r, "volatile", 200, ex=1000)
    advance(r, 5000)
    for policy in ("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"):
        squeeze(r, policy, 3000)
        trigger(r, f"trigger:{policy}")
        assert alive(r, "persistent", 200) == 200, policy
    assert alive(r, "volatile", 200) < 200
    # once no key has a TTL, a volatile policy has nothing to evict: OOM
    r.delete(*[f"volatile:{i}" for i in range(200)])
    squeeze(r, "volatile-lru", 1000)
    with pytest.raises(redis.ResponseError, match="used memory"):
        r.set("more", "x")
    assert alive(r, "persistent", 200) == 200


def test_volatile_ttl_evicts_the_soonest_expiring(r):
    fill(r, "soon", 200, ex=100)
    fill(r, "late", 200, ex=100_000)
    squeeze(r, "volatile-ttl", 5000)
    evicted = trigger(r)
    assert evicted > 10
    assert 200 - alive(r, "soon", 200) >= 0.9 * evicted
    ev = [
        e
        for e in r.execute_command("LAB", "EVENTS", "COUNT", 1000)[b"events"]
        if e[b"type"] == b"evict" and e[b"policy"] == b"volatile-ttl"
    ]
    assert ev and all(b"ttl_ms" in e for e in ev)


def test_lfu_keeps_frequently_used_keys(r):
    r.config_set("maxmemory-policy", "allkeys-lfu")
    fill(r, "hot", 100)
    fill(r, "cold", 300)
    for _ in range(20):
        p = r.pipeline(transaction=False)
        for i in range(100):
            p.get(f"hot:{i}")
        p.execute()
    assert r.object("freq", "hot:1") > 5
    assert r.object("freq", "cold:1") == 5  # LFU_INIT_VAL
    squeeze(r, "allkeys-lfu", 15_000)
    assert trigger(r) > 50
    assert alive(r, "hot", 100) >= 95
    ev = [
        e
        for e in r.execute_command("LAB", "EVENTS", "COUNT", 1000)[b"events"]
        if e[b"type"] == b"evict" and e[b"policy"] == b"allkeys-lfu"
    ]
    assert ev and all(b"freq" in e for e in ev)


def test_lfu_counter_decays_with_the_clock(r):
    r.config_set("maxmemory-policy", "allkeys-lfu")
    r.set("k", "v")
    assert r.object("freq", "k") == 5
    advance(r, 3 * 60_000)  # lfu-decay-time 1: one point per minute
    assert r.object("freq", "k") == 2
    advance(r, 10 * 60_000)
    assert r.object("freq", "k") == 0


def test_idletime_follows_the_clock(r):
    r.set("k", "v")
    advance(r, 5000)
    assert r.object("idletime", "k") == 5
    r.get("k")
    assert r.object("idletime", "k") == 0


def test_random_policies(r):
    fill(r, "a", 200)
    fill(r, "v", 200, ex=1000)
    squeeze(r, "allkeys-random", 5000)
    assert trigger(r) > 10
    before_persistent = alive(r, "a", 200)
    squeeze(r, "volatile-random", 5000)
    trigger(r, "trigger2")
    assert alive(r, "a", 200) == before_persistent


def test_a_write_too_big_to_fit_is_refused(r):
    fill(r, "k", 50)
    r.config_set("maxmemory-policy", "allkeys-lru")
    r.config_set("maxmemory", used(r) + 10_000)
    with pytest.raises(redis.ResponseError, match="used memory"):
        r.set("huge", "x" * 200_000)  # its arguments alone exceed the limit
    assert r.exists("huge") == 0
    r.config_set("maxmemory", 0)
    assert r.set("after", "ok")


def test_maxmemory_samples_and_tenacity_apply_at_run_time(r):
    r.config_set("maxmemory-samples", 10)
    r.config_set("maxmemory-eviction-tenacity", 100)
    fill(r, "k", 300)
    squeeze(r, "allkeys-random", 10_000)
    r.set("trigger", "x")
    m = r.execute_command("LAB", "MEMORY")
    assert m[b"maxmemory_samples"] == 10
    assert m[b"used_memory"] <= m[b"maxmemory"]  # no time limit: all done in one run
    r.config_set("maxmemory-eviction-tenacity", 10)

"""Our server only: expiry with the controllable clock, and SCAN's guarantee.

Real Redis has no ``LAB CLOCK``, so these tests drive a private server of ours
(started per module, so freezing its clock cannot disturb other tests) and
check behaviour Redis documents: lazy expiry on access counts ``expired_keys``,
active expiry removes keys nobody touches, and SCAN returns every key present
during the whole iteration, even while the table is rehashing.
"""

from __future__ import annotations

import random
import time

import pytest
import redis

from tests.support import start_lab_server


@pytest.fixture(scope="module")
def srv():
    s = start_lab_server()
    yield s
    s.stop()


@pytest.fixture
def r(srv):
    c = srv.client()
    c.execute_command("LAB", "CLOCK", "RESUME")
    c.flushall()
    c.config_resetstat()
    yield c
    c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")
    c.config_set("hz", "10")
    c.config_set("activerehashing", "yes")
    c.execute_command("LAB", "CLOCK", "RESUME")
    c.close()


def stats(c):
    return c.info("stats")


def test_clock_reply_and_errors(r):
    got = r.execute_command("LAB", "CLOCK", "FREEZE")
    assert set(got) >= {b"now_ms", b"frozen"} or set(got) >= {"now_ms", "frozen"}
    before = r.execute_command("LAB", "CLOCK", "GET")
    r.execute_command("LAB", "CLOCK", "ADVANCE", "5000")
    after = r.execute_command("LAB", "CLOCK", "GET")
    as_map = lambda v: dict(zip(v[::2], v[1::2], strict=True)) if isinstance(v, list) else v  # noqa: E731
    assert as_map(after)[b"now_ms"] - as_map(before)[b"now_ms"] == 5000
    for bad in (("ADVANCE",), ("ADVANCE", "x"), ("ADVANCE", "-1"), ("FOO",)):
        with pytest.raises(redis.ResponseError):
            r.execute_command("LAB", "CLOCK", *bad)


def test_lazy_expiry_counts(r):
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("a", "1", ex=10)
    r.set("b", "2", px=10500)
    r.set("keep", "3", ex=1000)
    assert r.ttl("a") == 10
    r.execute_command("LAB", "CLOCK", "ADVANCE", "9999")
    assert r.get("a") == b"1"
    assert r.pttl("a") == 1
    r.execute_command("LAB", "CLOCK", "ADVANCE", "1")
    # Redis expires a key when now > when: at the exact millisecond it still lives.
    assert r.pttl("a") == 0
    assert r.get("a") == b"1"
    r.execute_command("LAB", "CLOCK", "ADVANCE", "1")
    assert r.dbsize() == 3  # nobody touched them yet, active expiry is off
    assert r.get("a") is None
    assert stats(r)["expired_keys"] == 1
    assert r.pttl("b") == 499
    assert r.ttl("b") == 0  # (499 + 500) // 1000
    r.execute_command("LAB", "CLOCK", "ADVANCE", "500")
    assert r.exists("b") == 0
    assert stats(r)["expired_keys"] == 2
    assert r.ttl("keep") == 989  # 989499 ms left
    assert r.dbsize() == 1


def test_active_expiry(r):
    r.config_set("hz", "100")
    r.execute_command("LAB", "CLOCK", "FREEZE")
    with r.pipeline(transaction=False) as p:
        for i in range(500):
            p.set(f"vol:{i}", "x", ex=100)
        for i in range(50):
            p.set(f"stay:{i}", "x")
        p.execute()
    r.execute_command("LAB", "CLOCK", "ADVANCE", "101000")
    deadline = time.monotonic() + 15
    while r.dbsize() > 50 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert r.dbsize() == 50
    info = stats(r)
    assert info["expired_keys"] == 500
    assert "expired_stale_perc" in info
    assert "expire_cycle_cpu_milliseconds" in info
    assert "expired_time_cap_reached_count" in info


def test_active_expiry_disabled_by_debug(r):
    r.config_set("hz", "100")
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("v", "1", ex=1)
    r.execute_command("LAB", "CLOCK", "ADVANCE", "2000")
    time.sleep(0.3)  # ~30 cron ticks at hz 100
    assert r.dbsize() == 1
    assert r.exists("v") == 0
    assert r.dbsize() == 0


def test_expire_in_the_past_deletes_and_counts_nothing_expired(r):
    r.set("k", "v")
    assert r.expire("k", -5) is True
    assert r.exists("k") == 0
    # A key deleted by EXPIRE with a past time is a DEL, not an expiration.
    assert stats(r)["expired_keys"] == 0


def test_ttl_moves_with_the_clock(r):
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("k", "v", ex=3600)
    r.execute_command("LAB", "CLOCK", "ADVANCE", str(1800 * 1000))
    assert r.ttl("k") == 1800
    assert r.pttl("k") == 1800 * 1000
    t = r.execute_command("EXPIRETIME", "k")
    r.execute_command("LAB", "CLOCK", "ADVANCE", "1000")
    assert r.execute_command("EXPIRETIME", "k") == t
    assert r.ttl("k") == 1799
    r.persist("k")
    r.execute_command("LAB", "CLOCK", "ADVANCE", str(7200 * 1000))
    assert r.get("k") == b"v"


def test_object_idletime_with_clock(r):
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("k", "v")
    r.execute_command("LAB", "CLOCK", "ADVANCE", "65000")
    assert 64 <= r.object("idletime", "k") <= 66
    r.get("k")
    assert r.object("idletime", "k") == 0


def _scan_all(r, present_always, churn):
    """SCAN with COUNT 100, mutating the keyspace between calls."""
    seen = set()
    cursor = 0
    calls = 0
    rng = random.Random(7)
    while True:
        cursor, keys = r.scan(cursor, count=100)
        seen.update(keys)
        calls += 1
        churn(rng, calls)
        if cursor == 0:
            break
    missing = present_always - seen
    assert not missing, f"{len(missing)} keys never returned, e.g. {sorted(missing)[:5]}"
    return calls


def _rehashing(r) -> bool:
    """LAB KEYSPACE's view of db 0's main dict (a map; flat pairs under RESP2)."""
    reply = r.execute_command("LAB", "KEYSPACE")
    ks = dict(zip(reply[::2], reply[1::2], strict=True))
    d = ks[b"dict"]
    d = dict(zip(d[::2], d[1::2], strict=True))
    return d[b"rehashing"] == 1


def test_scan_complete_during_rehash(r):
    r.config_set("activerehashing", "no")  # keep the rehash in progress while we scan
    with r.pipeline(transaction=False) as p:
        for i in range(10_000):
            p.set(f"k:{i}", "1")
        p.execute()
    assert r.dbsize() == 10_000
    assert _rehashing(r), "the scan should start while the main dict is rehashing"
    stable = {f"k:{i}".encode() for i in range(0, 10_000, 2)}
    next_new = [0]

    def churn(rng, calls):
        with r.pipeline(transaction=False) as p:
            for _ in range(20):  # inserts trigger rehash steps and, later, another growth
                p.set(f"new:{next_new[0]}", "1")
                next_new[0] += 1
            for _ in range(10):
                p.delete(f"k:{rng.randrange(1, 10_000, 2)}")
            p.execute()

    seen_rehashing = []

    def churn_and_record(rng, calls):
        seen_rehashing.append(_rehashing(r))
        churn(rng, calls)

    calls = _scan_all(r, stable, churn_and_record)
    assert calls > 10
    assert sum(seen_rehashing) >= 5  # several SCAN calls ran mid-rehash


def test_scan_complete_while_growing_and_shrinking(r):
    with r.pipeline(transaction=False) as p:
        for i in range(3000):
            p.set(f"s:{i}", "1")
        p.execute()
    stable = {f"s:{i}".encode() for i in range(0, 3000, 3)}
    doomed = [f"s:{i}" for i in range(3000) if i % 3]

    def churn(rng, calls):
        # first half: grow a lot; then delete most keys so the table shrinks
        with r.pipeline(transaction=False) as p:
            if calls < 10:
                for j in range(400):
                    p.set(f"g:{calls}:{j}", "1")
            else:
                for j in range(400):
                    if doomed:
                        p.delete(doomed.pop())
                    p.delete(f"g:{calls % 10}:{j}")
            p.execute()

    _scan_all(r, stable, churn)


def test_scan_match_type_count_ours(r):
    r.mset({f"m:{i}": i for i in range(100)})
    found = set()
    for key in r.scan_iter(match="m:1*", count=7):
        found.add(key)
    assert found == {f"m:{i}".encode() for i in range(100) if str(i).startswith("1")}
    assert set(r.scan_iter(_type="string")) == {f"m:{i}".encode() for i in range(100)}
    assert list(r.scan_iter(_type="hash")) == []


def _expired_but_present(r):
    """Two keys whose time has passed but that nobody has touched yet."""
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("dead1", "x", px=100)
    r.set("dead2", "12", px=100)
    r.set("alive", "y")
    r.execute_command("LAB", "CLOCK", "ADVANCE", "101")
    assert r.dbsize() == 3  # DBSIZE counts keys not yet reclaimed, as Redis does


def test_keys_skips_logically_expired(r):
    _expired_but_present(r)
    assert r.keys("*") == [b"alive"]
    assert r.keys("dead*") == []


def test_scan_skips_and_reclaims_expired(r):
    _expired_but_present(r)
    seen = set(r.scan_iter(count=100))
    assert seen == {b"alive"}
    assert r.dbsize() == 1
    assert stats(r)["expired_keys"] == 2


def test_randomkey_never_returns_expired(r):
    _expired_but_present(r)
    for _ in range(10):
        assert r.randomkey() == b"alive"


@pytest.mark.parametrize(
    "args,expected",
    [
        (("TTL", "dead1"), -2), (("PTTL", "dead1"), -2), (("EXPIRETIME", "dead1"), -2),
        (("TYPE", "dead1"), b"none"), (("EXISTS", "dead1", "dead2", "alive"), 1),
        (("STRLEN", "dead1"), 0), (("GETRANGE", "dead1", "0", "-1"), b""),
        (("APPEND", "dead1", "new"), 3), (("INCR", "dead2"), 1), (("SETNX", "dead1", "v"), 1),
        (("MGET", "dead1", "alive"), [None, b"y"]), (("GETDEL", "dead1"), None),
        (("PERSIST", "dead1"), 0), (("EXPIRE", "dead1", "100"), 0), (("TOUCH", "dead1"), 0),
        (("OBJECT", "ENCODING", "dead1"), None), (("DEL", "dead1", "dead2"), 0),
        (("MSETNX", "dead1", "a", "dead2", "b"), 1), (("SET", "dead1", "v", "NX"), True),
        (("LCS", "dead1", "alive"), b""),
    ],
)  # fmt: skip
def test_commands_see_expired_as_missing(r, args, expected):
    _expired_but_present(r)
    assert r.execute_command(*args) == expected


def test_rename_copy_move_of_expired(r):
    _expired_but_present(r)
    with pytest.raises(Exception, match="no such key"):
        r.rename("dead1", "x")
    assert r.execute_command("COPY", "dead2", "x") == 0
    assert r.execute_command("MOVE", "dead2", "1") == 0
    assert r.execute_command("RENAMENX", "alive", "dead1") == 1  # target expired: free
    assert r.get("dead1") == b"y"


def test_overwrite_clears_ttl_and_keepttl(r):
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("k", "v", ex=100)
    r.set("k", "w", keepttl=True)
    assert r.ttl("k") == 100
    r.append("k", "x")  # APPEND keeps the TTL
    r.incr("n")
    r.expire("n", 50)
    r.incr("n")  # INCR keeps the TTL
    assert r.ttl("n") == 50
    r.execute_command("SETRANGE", "k", "0", "z")
    assert r.ttl("k") == 100
    r.getset("k", "new")  # GETSET clears it
    assert r.ttl("k") == -1
    r.set("k", "v", ex=100)
    r.set("k", "v2")
    assert r.ttl("k") == -1
    r.set("f", "1.5", ex=100)
    r.incrbyfloat("f", 1)
    assert r.ttl("f") == 100


def test_info_keyspace_counts_expires(r):
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("a", "1", ex=100)
    r.set("b", "1")
    ks = r.info("keyspace")["db0"]
    assert ks["keys"] == 2 and ks["expires"] == 1
    # avg_ttl is an estimate the active expire cycle updates from its samples
    r.config_set("hz", "100")
    deadline = time.monotonic() + 10
    while r.info("keyspace")["db0"]["avg_ttl"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert 0 < r.info("keyspace")["db0"]["avg_ttl"] <= 100_000


def test_randomkey_when_every_key_is_expired(r):
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    r.execute_command("LAB", "CLOCK", "FREEZE")
    for i in range(5):
        r.set(f"gone:{i}", "x", px=10)
    r.execute_command("LAB", "CLOCK", "ADVANCE", "11")
    assert r.randomkey() is None
    assert r.dbsize() == 0


def test_swapdb_keeps_ttls(r, srv):
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("t", "v", ex=500)
    r.execute_command("SWAPDB", "0", "3")
    c3 = srv.client(db=3)
    assert c3.ttl("t") == 500
    r.execute_command("LAB", "CLOCK", "ADVANCE", "501000")
    assert c3.get("t") is None
    c3.close()


def test_no_expiry_while_writes_are_paused(r):
    r.config_set("hz", "100")
    r.execute_command("LAB", "CLOCK", "FREEZE")
    r.set("p", "v", px=10)
    r.execute_command("CLIENT", "PAUSE", "100000", "WRITE")
    try:
        r.execute_command("LAB", "CLOCK", "ADVANCE", "11")
        time.sleep(0.2)  # ~20 cron ticks: active expiry must stay off
        assert r.get("p") is None  # reads see it gone...
        assert r.dbsize() == 1  # ...but nothing is deleted during the pause
        assert stats(r)["expired_keys"] == 0
    finally:
        r.execute_command("CLIENT", "UNPAUSE")
    assert r.get("p") is None
    assert r.dbsize() == 0
    assert stats(r)["expired_keys"] == 1

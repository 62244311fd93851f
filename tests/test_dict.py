"""The keyspace hashtable (dict.c): growth, incremental rehash, shrinking, and
SCAN's guarantee under inserts, deletes and resizes."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from server.encodings.dict import DICT_HT_INITIAL_SIZE, Dict


def full_scan(d: Dict, between=None) -> list[bytes]:
    seen: list[bytes] = []
    cursor = 0
    while True:
        cursor = d.scan(cursor, lambda e: seen.append(e.key))
        if between is not None:
            between()
        if cursor == 0:
            return seen


def test_grows_in_powers_of_two_and_rehashes_incrementally():
    d = Dict()
    events = []
    d.on_event = lambda kind, **info: events.append((kind, info))
    for i in range(4):
        d.add(b"k%d" % i, i)
    assert d.slots() == DICT_HT_INITIAL_SIZE and not d.is_rehashing()
    d.add(b"k4", 4)  # used >= size: a table of 8 is allocated, rehash starts
    assert d.is_rehashing()
    assert events[0][0] == "rehash-start" and events[0][1]["to_size"] == 8
    for _ in range(20):
        d.find(b"k0")  # each lookup moves a bucket
    assert not d.is_rehashing()
    assert events[-1][0] == "rehash-finish"
    assert sorted(d.keys()) == sorted(b"k%d" % i for i in range(5))


def test_lookup_finds_keys_in_both_tables_while_rehashing():
    d = Dict()
    for i in range(1000):
        d.add(b"%d" % i, i)
        for j in range(0, i + 1, 97):
            assert d.get(b"%d" % j) == j


def test_shrinks_when_under_ten_percent_full():
    d = Dict()
    for i in range(1024):
        d.add(b"%d" % i, i)
    while d.is_rehashing():
        d.rehash(100)
    for i in range(1000):
        d.delete(b"%d" % i)
    assert d.needs_resize()
    assert d.resize()
    while d.is_rehashing():
        d.rehash(100)
    assert d.slots() == 32 and len(d) == 24


def test_scan_returns_every_element_present_throughout():
    d = Dict()
    for i in range(500):
        d.add(b"%d" % i, i)
    rng = random.Random(1)
    stable = {b"%d" % i for i in range(0, 500, 2)}
    counter = [500]

    def churn():
        # insert new keys (forcing growth and rehash) and delete odd ones, for a while
        if counter[0] < 3000:
            for _ in range(20):
                d.add(b"n%d" % counter[0], 0)
                counter[0] += 1
        k = b"%d" % rng.randrange(1, 500, 2)
        d.delete(k)

    seen = full_scan(d, churn)
    assert stable <= set(seen)


@settings(max_examples=50, deadline=None)
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(["add", "del", "scanstep"]), st.integers(0, 300)), max_size=400
    )
)
def test_scan_guarantee_property(ops):
    d = Dict()
    for i in range(100):
        d.add(b"s%d" % i, i)  # never deleted: must all be seen
    present = set()
    cursor = 0
    seen = set()
    for op, n in ops:
        key = b"x%d" % n
        if op == "add" and key not in present:
            d.add(key, n)
            present.add(key)
        elif op == "del" and key in present:
            d.delete(key)
            present.discard(key)
        else:
            cursor = d.scan(cursor, lambda e: seen.add(e.key))
            if cursor == 0:
                break
    while True:
        cursor = d.scan(cursor, lambda e: seen.add(e.key))
        if cursor == 0:
            break
    assert {b"s%d" % i for i in range(100)} <= seen


def test_random_entry_and_some_entries():
    d = Dict()
    for i in range(200):
        d.add(b"%d" % i, i)
    rng = random.Random(7)
    picks = {d.random_entry(rng).key for _ in range(2000)}
    assert len(picks) > 150
    some = d.some_entries(10, rng)
    assert 0 < len(some) <= 10 and len({e.key for e in some}) == len(some)

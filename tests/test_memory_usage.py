"""MEMORY USAGE against real Redis's, per encoding.

Strings, listpacks and intsets are modelled exactly (same size classes,
same headers), so they must be equal. Hashtables, skiplists and big
quicklists depend on things that differ between any two runs (random
skiplist levels, which elements the 5 samples hit, allocator details), so
they must agree within a band: BAND below (a generous 30%; the measured
gaps are in the table of the report and docs/lab-command.md).
"""

from __future__ import annotations

import pytest

BAND = 0.30


def needs(pair, *commands):
    import redis

    missing = []
    for name in commands:
        try:
            pair.ours.execute_command(name)
        except redis.ResponseError as e:
            if "unknown command" in str(e):
                missing.append(name)
    if missing:
        pytest.skip(f"our server does not implement {', '.join(missing)} yet")


def both(pair, *args):
    pair.ours.execute_command(*args)
    pair.real.execute_command(*args)


def usage(pair, key, *opts):
    return (
        pair.ours.execute_command("MEMORY", "USAGE", key, *opts),
        pair.real.execute_command("MEMORY", "USAGE", key, *opts),
    )


def within(ours, real, band=BAND):
    return abs(ours - real) <= band * real


@pytest.mark.parametrize(
    "value",
    [b"1", b"9999", b"10000", b"-5", b"123456789012", b"", b"a", b"hello", b"x" * 44, b"x" * 45]
    + [b"y" * n for n in (100, 255, 256, 1000, 5000, 70000)],
    ids=lambda v: f"{v[:6]!r}/{len(v)}",
)
def test_strings_exact(pair, value):
    both(pair, "SET", "some:key", value)
    ours, real = usage(pair, "some:key")
    assert ours == real


def test_key_length_counts(pair):
    for key in ("k", "k" * 30, "k" * 40, "k" * 300):
        both(pair, "SET", key, "v")
        ours, real = usage(pair, key)
        assert ours == real, key


def test_missing_key_and_errors(pair):
    pair.same("MEMORY", "USAGE", "nosuchkey")
    both(pair, "SET", "k", "v")
    pair.same("MEMORY", "USAGE", "k", "SAMPLES", "0")
    pair.same("MEMORY", "USAGE", "k", "SAMPLES", "-1")
    pair.same("MEMORY", "USAGE", "k", "SAMPLES", "x")
    pair.same("MEMORY", "USAGE", "k", "SAMPLES")
    pair.same("MEMORY", "USAGE", "k", "BOGUS", "1")
    pair.same("MEMORY", "USAGE")


def test_hash_listpack_exact(pair):
    needs(pair, "HSET")
    both(pair, "HSET", "h", "f", "v", "n", 12, "long", "x" * 60)
    assert pair.encoding("h") in (b"listpack", "listpack")
    ours, real = usage(pair, "h")
    assert ours == real


def test_set_intset_exact(pair):
    needs(pair, "SADD")
    both(pair, "SADD", "s", *range(100))
    both(pair, "SADD", "s64", 1, 1 << 40)
    for key in ("s", "s64"):
        ours, real = usage(pair, key)
        assert ours == real, key


def test_zset_listpack_exact(pair):
    needs(pair, "ZADD")
    both(pair, "ZADD", "z", 1, "a", 2.5, "b", -3, "c")
    ours, real = usage(pair, "z")
    assert ours == real


@pytest.mark.parametrize("count", [1, 10, 1000, 20000])
def test_list_quicklist(pair, count):
    needs(pair, "RPUSH")
    for i in range(0, count, 1000):
        both(pair, "RPUSH", "l", *[f"element:{j}" for j in range(i, min(count, i + 1000))])
    ours, real = usage(pair, "l")
    assert within(ours, real), (ours, real)
    ours, real = usage(pair, "l", "SAMPLES", 0)
    assert within(ours, real, 0.05), (ours, real)


@pytest.mark.parametrize("count", [600, 5000])
def test_hash_hashtable(pair, count):
    needs(pair, "HSET")
    for i in range(0, count, 500):
        both(
            pair, "HSET", "h", *[x for j in range(i, i + 500) for x in (f"field:{j}", f"value:{j}")]
        )
    ours, real = usage(pair, "h")
    assert within(ours, real), (ours, real)


@pytest.mark.parametrize("count", [4, 1000])
def test_set_hashtable(pair, count):
    needs(pair, "SADD")
    both(pair, "SADD", "s", *[f"member:{j}" for j in range(count)])
    ours, real = usage(pair, "s")
    assert within(ours, real), (ours, real)


@pytest.mark.parametrize("count", [200, 5000])
def test_zset_skiplist(pair, count):
    needs(pair, "ZADD")
    for i in range(0, count, 500):
        both(pair, "ZADD", "z", *[x for j in range(i, min(count, i + 500)) for x in (j, f"m:{j}")])
    ours, real = usage(pair, "z", "SAMPLES", 0)
    assert within(ours, real), (ours, real)

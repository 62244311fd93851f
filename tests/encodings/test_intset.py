"""Intset: golden bytes per width, upgrades, validation, and real Redis."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.encodings.intset import (
    INTSET_ENC_INT16,
    INTSET_ENC_INT32,
    INTSET_ENC_INT64,
    Intset,
    validate,
)
from tests.encodings.rdb_payload import RDB_TYPE_SET_INTSET, parse


def golden(enc: int, values: list[int]) -> bytes:
    return (
        enc.to_bytes(4, "little")
        + len(values).to_bytes(4, "little")
        + b"".join(v.to_bytes(enc, "little", signed=True) for v in values)
    )


def test_empty():
    s = Intset()
    assert s.to_bytes() == b"\x02\x00\x00\x00\x00\x00\x00\x00"
    assert len(s) == 0 and list(s) == []
    with pytest.raises(ValueError):
        validate(s.to_bytes())  # Redis never loads an empty intset
    validate(s.to_bytes(), allow_empty=True)


@pytest.mark.parametrize(
    "values,enc",
    [
        ([5, 1, -3], INTSET_ENC_INT16),
        ([-32768, 32767, 0], INTSET_ENC_INT16),
        ([32768], INTSET_ENC_INT32),
        ([-32769, 1], INTSET_ENC_INT32),
        ([2**31 - 1, -(2**31)], INTSET_ENC_INT32),
        ([2**31], INTSET_ENC_INT64),
        ([-(2**31) - 1, 7], INTSET_ENC_INT64),
        ([2**63 - 1, -(2**63), 0], INTSET_ENC_INT64),
    ],
)
def test_widths_golden(values, enc):
    s = Intset(values)
    assert s.encoding == enc
    assert s.to_bytes() == golden(enc, sorted(values))
    validate(s.to_bytes())
    assert Intset.from_bytes(s.to_bytes()).to_bytes() == s.to_bytes()


def test_golden_example_bytes():
    # SADD s 5 1 -3 in Redis 7.0 dumps exactly this intset.
    assert Intset([5, 1, -3]).to_bytes() == bytes.fromhex("02000000 03000000 fdff 0100 0500")


def test_upgrade_prepends_negative_and_appends_positive():
    s = Intset([1, 2, 3])
    assert s.add(-100000)  # wider and negative: goes first
    assert s.encoding == INTSET_ENC_INT32 and list(s) == [-100000, 1, 2, 3]
    assert s.add(2**40)  # wider and positive: goes last
    assert s.encoding == INTSET_ENC_INT64 and list(s) == [-100000, 1, 2, 3, 2**40]
    # never downgrades
    assert s.remove(2**40) and s.remove(-100000)
    assert s.encoding == INTSET_ENC_INT64 and list(s) == [1, 2, 3]
    assert s.to_bytes() == golden(INTSET_ENC_INT64, [1, 2, 3])


def test_add_remove_find_get():
    s = Intset()
    assert s.add(10) and s.add(5) and s.add(7) and not s.add(7)
    assert list(s) == [5, 7, 10] and len(s) == 3
    assert s.find(7) and not s.find(8) and not s.find(2**40) and not s.find(2**70)
    assert 7 in s and "7" not in s
    assert s.get(0) == 5 and s.get(-1) == 10 and s.min() == 5 and s.max() == 10
    assert s.search(6) == (False, 1) and s.search(11) == (False, 3) and s.search(1) == (False, 0)
    assert not s.remove(6) and not s.remove(2**40)
    assert s.remove(5) and list(s) == [7, 10]
    with pytest.raises(IndexError):
        s.get(5)
    with pytest.raises(OverflowError):
        s.add(2**63)


def test_random_is_a_member_and_deterministic():
    s = Intset(range(0, 100, 3))
    r1 = [s.random(random.Random(7)) for _ in range(5)]
    r2 = [s.random(random.Random(7)) for _ in range(5)]
    assert r1 == r2 and all(v in s for v in r1)


def test_validate_rejects():
    good = Intset([1, 2, 3]).to_bytes()
    cases = [
        good[:7],  # shorter than the header
        good[:-1],  # length mismatch
        good + b"\x00\x00",
        (3).to_bytes(4, "little") + good[4:],  # bad encoding
        golden(INTSET_ENC_INT16, [1, 3, 2]),  # unsorted
        golden(INTSET_ENC_INT16, [1, 2, 2]),  # duplicate
    ]
    for bad in cases:
        with pytest.raises(ValueError):
            validate(bad)
    validate(golden(INTSET_ENC_INT16, [1, 3, 2]), deep=False)


def test_validate_fuzz_only_value_errors():
    rnd = random.Random(99)
    good = Intset([-5, 0, 3, 70000]).to_bytes()
    for _ in range(2000):
        data = bytearray(good)
        if rnd.random() < 0.5:
            data = data[: rnd.randrange(len(data) + 1)]
        else:
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        try:
            validate(bytes(data))
        except ValueError:
            continue
        s = Intset.from_bytes(bytes(data))
        assert list(s) == sorted(set(s))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.one_of(
                st.integers(-40, 40),
                st.integers(-(2**31) - 5, 2**31 + 5),
                st.integers(-(2**63), 2**63 - 1),
            ),
        ),
        max_size=60,
    )
)
def test_intset_matches_sorted_set_model(ops):
    s = Intset()
    model: set[int] = set()
    for add, v in ops:
        if add:
            assert s.add(v) == (v not in model)
            model.add(v)
        else:
            assert s.remove(v) == (v in model)
            model.discard(v)
        assert list(s) == sorted(model)
    if model:
        validate(s.to_bytes())
    for v in model:
        assert s.find(v)


@pytest.mark.redis
@pytest.mark.parametrize(
    "members",
    [
        [5, 1, -3],
        [1, 2, 70000, -70000],
        [2**40, 1, -1],
        list(range(-300, 300, 7)),
    ],
)
def test_intset_bytes_match_redis(real_redis, members):
    r = real_redis
    r.delete("s")
    s = Intset()
    for m in members:  # one SADD per member: same upgrade sequence
        r.sadd("s", m)
        s.add(m)
    r.srem("s", members[0])
    s.remove(members[0])
    p = parse(r.dump("s"))
    assert p.rdb_type == RDB_TYPE_SET_INTSET
    assert p.blobs[0].value == s.to_bytes()
    assert r.object("encoding", "s") == b"intset"

"""Quicklist: fill and compression rules, model tests, and node bytes vs Redis."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.encodings import lzf
from server.encodings.listpack import Listpack
from server.encodings.quicklist import (
    QUICKLIST_HEAD,
    QUICKLIST_NODE_CONTAINER_PACKED,
    QUICKLIST_NODE_CONTAINER_PLAIN,
    QUICKLIST_TAIL,
    Quicklist,
)
from tests.encodings.rdb_payload import RDB_TYPE_LIST_QUICKLIST_2, parse


def test_push_pop_index_basics():
    ql = Quicklist()
    assert ql.pop() is None and len(ql) == 0 and ql.nodes() == []
    ql.push_tail(b"b")
    ql.push_head("a")
    ql.push_tail(3)
    assert list(ql) == [b"a", b"b", b"3"] and list(reversed(ql)) == [b"3", b"b", b"a"]
    assert ql.index(0) == b"a" and ql.index(-1) == b"3" and ql[1] == b"b"
    with pytest.raises(IndexError):
        ql.index(3)
    assert ql.pop(QUICKLIST_TAIL) == b"3" and ql.pop(QUICKLIST_HEAD) == b"a"
    assert ql.pop_head() == b"b" and ql.pop_tail() is None
    assert ql.len == 0 and ql.head is None and ql.tail is None
    ql.check()


def test_fill_positive_counts_entries():
    ql = Quicklist(fill=3, values=[str(i) for i in range(10)])
    assert [n.count for n in ql.nodes()] == [3, 3, 3, 1]
    ql.check()


def test_fill_positive_obeys_size_safety_limit():
    ql = Quicklist(fill=100, values=[b"x" * 1000] * 20)
    counts = [n.count for n in ql.nodes()]
    assert max(counts) < 9 and sum(counts) == 20
    assert all(n.sz <= 8192 for n in ql.nodes())


@pytest.mark.parametrize("fill,limit", [(-1, 4096), (-2, 8192), (-3, 16384), (-5, 65536)])
def test_fill_negative_is_a_byte_limit(fill, limit):
    ql = Quicklist(fill=fill, values=[b"y" * 50] * 3000)
    assert all(n.sz <= limit for n in ql.nodes())
    # and nodes are nearly full: the estimate (+8 bytes) leaves little slack
    assert all(n.sz > limit - 120 for n in ql.nodes()[:-1])


def test_fill_is_clamped():
    assert Quicklist(fill=-100).fill == -5 and Quicklist(fill=10**6).fill == 32767


def test_compression_keeps_depth_raw_at_both_ends():
    ql = Quicklist(fill=4, compress=2, values=[b"value-%d-padding-padding" % i for i in range(60)])
    infos = ql.nodes()
    assert len(infos) == 15
    assert [i.compressed for i in infos[:2]] == [False, False]
    assert [i.compressed for i in infos[-2:]] == [False, False]
    assert all(i.compressed for i in infos[2:-2])
    for i in infos[2:-2]:
        assert i.compressed_size is not None and i.compressed_size + 8 < i.sz
    assert list(ql) == [b"value-%d-padding-padding" % i for i in range(60)]
    ql.check()


def test_small_nodes_are_not_compressed():
    ql = Quicklist(fill=2, compress=1, values=[b"a", b"b"] * 10)
    assert not any(n.compressed for n in ql.nodes())  # each listpack < 48 bytes


def test_plain_nodes_for_large_elements():
    ql = Quicklist(fill=-2, packed_threshold=100)
    ql.push_tail(b"small")
    ql.push_tail(b"L" * 150)
    ql.push_tail(b"small2")
    ql.push_head(b"H" * 100)
    kinds = [n.container for n in ql.nodes()]
    assert kinds == ["PLAIN", "PACKED", "PLAIN", "PACKED"]
    assert list(ql) == [b"H" * 100, b"small", b"L" * 150, b"small2"]
    ql.insert_after(1, b"M" * 120)  # splits nothing: at the node's tail
    ql.replace(2, b"tiny")  # plain -> packed element
    assert list(ql) == [b"H" * 100, b"small", b"tiny", b"L" * 150, b"small2"]
    assert ql.pop_head() == b"H" * 100
    ql.check()


def test_insert_split_and_merge():
    ql = Quicklist(fill=4, values=[str(i) for i in range(12)])
    ql.insert_after(5, b"new")  # node [4,5,6,7] is full: split at 5
    assert list(ql)[:8] == [b"0", b"1", b"2", b"3", b"4", b"5", b"new", b"6"]
    ql.check()
    ql.delete_range(1, 9)
    assert list(ql) == [b"0", b"9", b"10", b"11"]
    ql.check()


def test_insert_at_pivot():
    ql = Quicklist(fill=2, values=[b"a", b"b", b"c", b"b"])
    assert ql.insert_at_pivot(b"b", b"X", after=False)
    assert ql.insert_at_pivot("c", 1, after=True)
    assert not ql.insert_at_pivot(b"zzz", b"Y", after=True)
    assert list(ql) == [b"a", b"X", b"b", b"c", b"1", b"b"]
    ql.check()


def test_rdb_style_append():
    ql = Quicklist()
    ql.append_listpack(Listpack([b"a", 1]).to_bytes())
    ql.append_plain(b"big")
    assert list(ql) == [b"a", b"1", b"big"] and ql.len == 2 and ql.count == 3
    ql.check()


# --- model-based property test --------------------------------------------------------------

values = st.one_of(
    st.sampled_from([b"a", b"1", b"-7", b"300", b"x" * 70, b"y" * 200]),
    st.binary(max_size=40),
)
ops = st.lists(
    st.tuples(
        st.sampled_from(
            ["rpush", "lpush", "lpop", "rpop", "ins_b", "ins_a", "set", "del", "trim", "rem"]
        ),
        st.integers(-30, 30),
        st.integers(0, 8),
        values,
    ),
    max_size=60,
)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([-1, -2, 1, 2, 3, 5]),
    st.sampled_from([0, 1, 2]),
    st.sampled_from([1 << 30, 100]),
    ops,
)
def test_quicklist_matches_list_model(fill, depth, threshold, operations):
    ql = Quicklist(fill=fill, compress=depth, packed_threshold=threshold)
    model: list[bytes] = []
    for op, idx, n, v in operations:
        if op == "rpush":
            ql.push_tail(v)
            model.append(v)
        elif op == "lpush":
            ql.push_head(v)
            model.insert(0, v)
        elif op == "lpop":
            assert ql.pop_head() == (model.pop(0) if model else None)
        elif op == "rpop":
            assert ql.pop_tail() == (model.pop() if model else None)
        elif not model:
            continue
        elif op == "ins_b":
            i = idx % len(model)
            ql.insert_before(idx if -len(model) <= idx < len(model) else i, v)
            model.insert(i, v)
        elif op == "ins_a":
            i = idx % len(model)
            ql.insert_after(i, v)
            model.insert(i + 1, v)
        elif op == "set":
            i = idx % len(model)
            ql.replace(-len(model) + i if idx < 0 else i, v)
            model[i] = v
        elif op == "del":
            i = idx % len(model)
            ql.delete_index(i)
            del model[i]
        elif op == "trim":
            i = idx % len(model)
            ql.delete_range(i, n)
            del model[i : i + n]
        elif op == "rem":
            target = model[idx % len(model)]
            count = n - 4
            expect = lrem_model(model, target, count)
            assert ql.remove(target, count) == len(model) - len(expect)
            model = expect
        assert len(ql) == len(model)
        ql.check()
    assert list(ql) == model
    assert list(reversed(ql)) == model[::-1]
    for i in range(-len(model), len(model)):
        assert ql.index(i) == model[i]
    if depth:
        infos = ql.nodes()
        for node in infos[:depth] + infos[-depth:]:
            assert not node.compressed


# --- node bytes and compression against real Redis ------------------------------------------


def assert_same_as_redis(client, key: str, ql: Quicklist) -> None:
    payload = client.dump(key)
    if ql.count == 0:
        assert payload is None
        return
    p = parse(payload)
    assert p.rdb_type == RDB_TYPE_LIST_QUICKLIST_2
    nodes = list(ql.iter_nodes())
    assert len(p.blobs) == len(nodes), [n.count for n in nodes]
    for blob, container, node in zip(p.blobs, p.containers, nodes, strict=True):
        want_container = (
            QUICKLIST_NODE_CONTAINER_PLAIN if node.is_plain else QUICKLIST_NODE_CONTAINER_PACKED
        )
        assert container == want_container
        raw = node.raw_bytes()
        assert blob.value == raw
        if node.is_compressed:
            # rdbSaveLzfBlob writes the node's own LZF bytes
            assert blob.compressed == node.lzf_bytes()
        else:
            # a raw node goes through rdbSaveRawString's own LZF attempt
            expect = lzf.compress(raw, len(raw) - 4) if len(raw) > 20 else None
            assert blob.compressed == expect


def lrem_model(model: list[bytes], target: bytes, count: int) -> list[bytes]:
    positions = [i for i, v in enumerate(model) if v == target]
    if count > 0:
        positions = positions[:count]
    elif count < 0:
        positions = positions[count:]
    drop = set(positions)
    return [v for i, v in enumerate(model) if i not in drop]


def run_differential(client, key, fill, depth, seed, steps=150):
    client.config_set("list-max-listpack-size", fill)
    client.config_set("list-compress-depth", depth)
    client.delete(key)
    ql = Quicklist(fill=fill, compress=depth)
    model: list[bytes] = []
    rnd = random.Random(seed)

    def value() -> bytes:
        k = rnd.randrange(5)
        if k == 0:
            return str(rnd.randrange(-5000, 5000)).encode()
        if k == 1:
            return b"v%d" % rnd.randrange(100)
        if k == 2:
            return b"abc" * rnd.randrange(1, 60)
        return bytes(rnd.choice(b"abcdef") for _ in range(rnd.randrange(1, 120)))

    for step in range(steps):
        op = rnd.choice(
            ["rpush"] * 4 + ["lpush"] * 3 + ["lpop", "rpop", "lins", "lset", "trim", "lrem"]
        )
        v = value()
        if op == "rpush":
            client.rpush(key, v)
            ql.push_tail(v)
            model.append(v)
        elif op == "lpush":
            client.lpush(key, v)
            ql.push_head(v)
            model.insert(0, v)
        elif not model:
            continue
        elif op == "lpop":
            assert client.lpop(key) == ql.pop_head() == model.pop(0)
        elif op == "rpop":
            assert client.rpop(key) == ql.pop_tail() == model.pop()
        elif op == "lins":
            pivot = model[rnd.randrange(len(model))]
            j = model.index(pivot)  # LINSERT uses the first match from the head
            kind = rnd.randrange(4)
            if kind == 0:
                client.linsert(key, "BEFORE", pivot, v)
                ql.insert_before(j, v)
                model.insert(j, v)
            elif kind == 1:
                client.linsert(key, "AFTER", pivot, v)
                ql.insert_after(j, v)
                model.insert(j + 1, v)
            else:
                where = "AFTER" if kind == 3 else "BEFORE"
                client.linsert(key, where, pivot, v)
                assert ql.insert_at_pivot(pivot, v, after=kind == 3)
                model.insert(j + (kind == 3), v)
        elif op == "lset":
            i = rnd.randrange(-len(model), len(model))
            client.lset(key, i, v)
            ql.replace(i, v)
            model[i] = v
        elif op == "trim":
            n = len(model)
            start = rnd.randrange(0, max(1, n // 4))
            end = n - 1 - rnd.randrange(0, max(1, n // 4))
            client.ltrim(key, start, end)
            # ltrimCommand: quicklistDelRange(0, ltrim); quicklistDelRange(-rtrim, rtrim)
            ltrim, rtrim = start, n - end - 1
            ql.delete_range(0, ltrim)
            ql.delete_range(-rtrim, rtrim)
            model = model[start : end + 1]
        elif op == "lrem":
            target = model[rnd.randrange(len(model))]
            count = rnd.choice([-2, -1, 0, 1, 2])
            assert client.lrem(key, count, target) == ql.remove(target, count)
            model = lrem_model(model, target, count)
        assert list(ql) == model
        if step % 5 == 0 or step == steps - 1:
            assert_same_as_redis(client, key, ql)
    assert client.lrange(key, 0, -1) == model


@pytest.mark.redis
@pytest.mark.parametrize(
    "fill,depth",
    [(-2, 0), (-1, 1), (-1, 2), (4, 0), (4, 1), (1, 1), (7, 3), (128, 1)],
)
def test_operations_match_redis_nodes(real_redis, fill, depth):
    run_differential(real_redis, "ql", fill, depth, seed=fill * 100 + depth, steps=400)


@pytest.mark.redis
def test_push_only_lists_match_redis(real_redis):
    r = real_redis
    for fill, depth in [(-2, 1), (-1, 2), (5, 1), (128, 0)]:
        r.config_set("list-max-listpack-size", fill)
        r.config_set("list-compress-depth", depth)
        r.delete("pl")
        ql = Quicklist(fill=fill, compress=depth)
        rnd = random.Random(fill)
        for i in range(1500):
            v = b"element-%d-xxxxxxxxxxxx" % i if i % 3 else str(i).encode()
            if rnd.random() < 0.5:
                r.rpush("pl", v)
                ql.push_tail(v)
            else:
                r.lpush("pl", v)
                ql.push_head(v)
        assert_same_as_redis(r, "pl", ql)


@pytest.mark.redis
def test_plain_nodes_match_redis(real_redis):
    r = real_redis
    r.execute_command("DEBUG", "QUICKLIST-PACKED-THRESHOLD", 100)
    try:
        r.config_set("list-max-listpack-size", -2)
        r.config_set("list-compress-depth", 1)
        r.delete("pn")
        ql = Quicklist(fill=-2, compress=1, packed_threshold=100)
        seq = [b"a" * 10, b"B" * 150, b"c" * 20, b"D" * 300, b"e" * 5, b"F" * 101, b"g"]
        for v in seq:
            r.rpush("pn", v)
            ql.push_tail(v)
        r.lpush("pn", b"H" * 200)
        ql.push_head(b"H" * 200)
        r.linsert("pn", "AFTER", b"c" * 20, b"I" * 120)
        ql.insert_after(3, b"I" * 120)
        r.lset("pn", 2, b"small")
        ql.replace(2, b"small")
        assert r.lrange("pn", 0, -1) == list(ql)
        assert_same_as_redis(r, "pn", ql)
    finally:
        r.execute_command("DEBUG", "QUICKLIST-PACKED-THRESHOLD", 0)

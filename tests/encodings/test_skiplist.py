"""Skiplist: ranks, spans, ranges and the inspector views, against a sorted model."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.encodings.skiplist import (
    MAXSTRING,
    MINSTRING,
    ZSKIPLIST_MAXLEVEL,
    ZLexRangeSpec,
    ZRangeSpec,
    ZSkiplist,
    parse_lex_range,
    parse_range,
)


def build(pairs, seed=1):
    zsl = ZSkiplist(random.Random(seed))
    for ele, score in pairs:
        zsl.insert(score, ele)
    zsl.check()
    return zsl


def test_empty():
    zsl = ZSkiplist(random.Random(0))
    assert len(zsl) == 0 and zsl.level == 1 and zsl.tail is None
    assert list(zsl) == [] and zsl.get_by_rank(1) is None and zsl.get_rank(1, b"a") == 0
    assert zsl.first_in_range(ZRangeSpec(0, 10)) is None
    assert zsl.towers()["nodes"] == []
    zsl.check()


def test_order_ties_by_member_bytes():
    zsl = build([(b"b", 1.0), (b"a", 1.0), (b"ab", 1.0), (b"\xff", 0.5), (b"", 1.0), (b"z", -1)])
    assert [e for e, _ in zsl] == [b"z", b"\xff", b"", b"a", b"ab", b"b"]
    assert [e for e, _ in reversed(zsl)] == [b"b", b"ab", b"a", b"", b"\xff", b"z"]
    assert zsl.get_rank(1.0, b"ab") == 5 and zsl.get_rank(1.0, b"c") == 0
    assert zsl.get_by_rank(1).ele == b"z" and zsl.get_by_rank(6).ele == b"b"
    assert zsl.get_by_rank(0) is None and zsl.get_by_rank(7) is None


def test_random_level_distribution_and_determinism():
    a = ZSkiplist(random.Random(42))
    b = ZSkiplist(random.Random(42))
    la = [a.random_level() for _ in range(20000)]
    assert la == [b.random_level() for _ in range(20000)]
    assert all(1 <= x <= ZSKIPLIST_MAXLEVEL for x in la)
    ones = la.count(1) / len(la)
    assert 0.72 < ones < 0.78  # P(level 1) = 1 - 0.25
    assert 1.28 < sum(la) / len(la) < 1.38  # mean 1/(1-P) = 1.33


def test_forced_levels_and_towers():
    zsl = ZSkiplist(random.Random(0))
    for ele, score, level in [(b"x", 1, 1), (b"a", 2, 3), (b"b", 3, 1), (b"c", 4, 4), (b"d", 5, 1)]:
        zsl.insert(score, ele, level=level)
    zsl.check()
    t = zsl.towers(1, 10)
    assert t["length"] == 5 and t["level"] == 4
    assert [lv["forward_rank"] for lv in t["header"]] == [1, 2, 2, 4]
    assert [lv["span"] for lv in t["header"]] == [1, 2, 2, 4]
    a = t["nodes"][1]
    assert (a["rank"], a["ele"], a["height"], a["backward_rank"]) == (2, b"a", 3, 1)
    assert [lv["forward_rank"] for lv in a["levels"]] == [3, 4, 4]
    c = t["nodes"][3]
    assert [lv["forward_rank"] for lv in c["levels"]] == [5, None, None, None]
    assert [lv["span"] for lv in c["levels"]] == [1, 1, 1, 1]  # 1 node after c
    window = zsl.towers(4, 1)["nodes"]
    assert [n["ele"] for n in window] == [b"c"]
    path = zsl.search_path(5, b"d")
    assert path["rank"] == 5
    assert [lvl["level"] for lvl in path["path"]] == [3, 2, 1, 0]
    assert [r for r, _, _ in path["path"][0]["visited"]] == [0, 4]
    assert path["path"][-1]["visited"][-1][:2] == (5, b"d")
    assert zsl.search_path(2.5, b"q")["rank"] == 0


def test_update_score_in_place_keeps_node():
    zsl = build([(b"a", 1), (b"b", 2), (b"c", 3)])
    node = zsl.get_by_rank(2)
    same = zsl.update_score(2, b"b", 2.5)  # still between a and c: in place
    assert same is node and same.score == 2.5
    moved = zsl.update_score(2.5, b"b", 10)
    assert moved is not node and [e for e, _ in zsl] == [b"a", b"c", b"b"]
    zsl.check()
    with pytest.raises(KeyError):
        zsl.update_score(99, b"b", 1)


def test_score_ranges():
    zsl = build([(b"m%d" % i, float(i)) for i in range(20)])
    assert zsl.first_in_range(ZRangeSpec(3, 7)).ele == b"m3"
    assert zsl.first_in_range(ZRangeSpec(3, 7, minex=True)).ele == b"m4"
    assert zsl.last_in_range(ZRangeSpec(3, 7)).ele == b"m7"
    assert zsl.last_in_range(ZRangeSpec(3, 7, maxex=True)).ele == b"m6"
    assert zsl.first_in_range(ZRangeSpec(7.5, 7.9)) is None
    assert zsl.first_in_range(ZRangeSpec(5, 5, minex=True)) is None
    assert zsl.first_in_range(ZRangeSpec(9, 3)) is None
    assert zsl.first_in_range(ZRangeSpec(float("-inf"), float("inf"))).ele == b"m0"
    assert zsl.delete_range_by_score(ZRangeSpec(3, 6, maxex=True)) == [b"m3", b"m4", b"m5"]
    assert zsl.delete_range_by_rank(1, 2) == [b"m0", b"m1"]
    assert len(zsl) == 15 and zsl.get_by_rank(1).ele == b"m2"
    zsl.check()


def test_lex_ranges():
    zsl = build([(m, 0.0) for m in [b"a", b"b", b"c", b"d", b"e", b"f"]])
    r = parse_lex_range(b"[b", b"(e")
    assert (r.min, r.minex, r.max, r.maxex) == (b"b", False, b"e", True)
    assert zsl.first_in_lex_range(r).ele == b"b" and zsl.last_in_lex_range(r).ele == b"d"
    all_ = parse_lex_range(b"-", b"+")
    assert all_.min is MINSTRING and all_.max is MAXSTRING
    assert zsl.first_in_lex_range(all_).ele == b"a" and zsl.last_in_lex_range(all_).ele == b"f"
    assert zsl.first_in_lex_range(parse_lex_range(b"+", b"-")) is None
    assert zsl.first_in_lex_range(parse_lex_range(b"(f", b"+")) is None
    assert zsl.first_in_lex_range(parse_lex_range(b"[c", b"(c")) is None
    for bad in [(b"a", b"[b"), (b"[a", b"b"), (b"", b"+"), (b"-x", b"+"), (b"++", b"+")]:
        with pytest.raises(ValueError, match="not valid string range item"):
            parse_lex_range(*bad)
    assert zsl.delete_range_by_lex(parse_lex_range(b"(a", b"[c")) == [b"b", b"c"]
    assert [e for e, _ in zsl] == [b"a", b"d", b"e", b"f"]
    zsl.check()


def test_parse_range():
    assert parse_range(b"(1", b"5") == ZRangeSpec(1.0, 5.0, True, False)
    assert parse_range(b"-inf", b"+inf") == ZRangeSpec(float("-inf"), float("inf"))
    for bad in [(b"x", b"1"), (b"1", b"nan"), (b"(", b"1"), (b" 1", b"2"), (b"1_0", b"2")]:
        with pytest.raises(ValueError, match="not a float"):
            parse_range(*bad)


def test_rank_queries_do_not_walk_the_bottom_level():
    # The lookup path of a rank query on 20000 nodes stands on a few dozen
    # nodes, not thousands: spans let it skip ahead on the upper levels.
    zsl = build([(b"%06d" % i, float(i)) for i in range(20000)], seed=9)
    path = zsl.search_path(15000.0, b"015000")
    assert path["rank"] == 15001
    assert sum(len(level["visited"]) for level in path["path"]) < 120
    assert zsl.get_rank(15000.0, b"015000") == 15001
    assert zsl.get_by_rank(15001).ele == b"015000"
    assert zsl.delete_range_by_rank(15001, 15001) == [b"015000"]
    assert zsl.get_by_rank(15001).ele == b"015001"


# --- model-based property test with invariants after every step -------------------------------

members = st.binary(min_size=0, max_size=3)
scores = st.sampled_from([0.0, 1.0, 1.5, -2.0, 3.0, float("inf"), float("-inf")]) | st.integers(
    -5, 5
).map(float)
ops = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "del", "upd", "drs", "drl", "drr"]), members, scores, scores
    ),
    max_size=60,
)


@settings(max_examples=100, deadline=None)
@given(ops, st.integers(0, 2**32))
def test_skiplist_matches_sorted_model(operations, seed):
    zsl = ZSkiplist(random.Random(seed))
    model: dict[bytes, float] = {}
    for op, ele, s1, s2 in operations:
        if op == "add":
            if ele in model:
                continue
            zsl.insert(s1, ele)
            model[ele] = s1
        elif op == "del":
            assert zsl.delete(model.get(ele, s1), ele) == (ele in model)
            model.pop(ele, None)
        elif op == "upd" and ele in model:
            zsl.update_score(model[ele], ele, s1)
            model[ele] = s1
        elif op == "drs":
            lo, hi = min(s1, s2), max(s1, s2)
            r = ZRangeSpec(lo, hi, minex=s1 < 0, maxex=s2 > 2)
            gone = zsl.delete_range_by_score(r)
            expect = [
                e
                for e, s in sorted(model.items(), key=lambda kv: (kv[1], kv[0]))
                if r.gte_min(s) and r.lte_max(s)
            ]
            assert gone == expect
            for e in gone:
                del model[e]
        elif op == "drl":
            r = ZLexRangeSpec(ele, MAXSTRING, minex=bool(len(ele) % 2), maxex=True)
            if len(set(model.values())) <= 1:  # lex ranges need equal scores
                gone = zsl.delete_range_by_lex(r)
                assert gone == sorted(e for e in model if r.gte_min(e))
                for e in gone:
                    del model[e]
        elif op == "drr" and model:
            a = int(abs(s1) if s1 not in (float("inf"), float("-inf")) else 1) % len(model) + 1
            b = a + int(abs(s2) if s2 not in (float("inf"), float("-inf")) else 0) % 3
            ordered = [e for e, _ in sorted(model.items(), key=lambda kv: (kv[1], kv[0]))]
            assert zsl.delete_range_by_rank(a, b) == ordered[a - 1 : b]
            for e in ordered[a - 1 : b]:
                del model[e]
        zsl.check()
    ordered = sorted(model.items(), key=lambda kv: (kv[1], kv[0]))
    assert list(zsl) == [(e, s) for e, s in ordered]
    for rank, (e, s) in enumerate(ordered, 1):
        assert zsl.get_rank(s, e) == rank
        assert zsl.get_by_rank(rank).ele == e
        assert zsl.search_path(s, e)["rank"] == rank
    if ordered:
        t = zsl.towers(1, len(ordered))
        assert [n["ele"] for n in t["nodes"]] == [e for e, _ in ordered]
        for n in t["nodes"]:
            for lv in n["levels"]:
                if lv["forward_rank"] is not None:
                    assert lv["forward_rank"] == n["rank"] + lv["span"]

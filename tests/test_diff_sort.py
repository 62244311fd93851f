"""SORT and SORT_RO against real Redis: numeric and ALPHA orders, LIMIT, BY and
GET patterns (with '->' hash fields and '#'), STORE, errors, and the
destructive listpack-to-skiplist conversion of sorted sets."""

from __future__ import annotations


def _setup(pair):
    pair.same("RPUSH", "nums", "3", "1", "10", "2", "2.5", "-1")
    pair.same("RPUSH", "words", "pear", "apple", "fig", "banana")
    pair.same("SADD", "ids", "1", "2", "3", "4")
    pair.same("ZADD", "z", "3", "c", "1", "a", "2", "b")
    for i, (name, age) in enumerate([("ada", "36"), ("bob", "25"), ("cy", "52"), ("di", "25")], 1):
        pair.same("SET", f"weight_{i}", str(10 - i))
        pair.same("HSET", f"user:{i}", "name", name, "age", age)


def test_numeric_alpha_limit_desc(pair):
    _setup(pair)
    pair.same("SORT", "nums")
    pair.same("SORT", "nums", "DESC")
    pair.same("SORT", "nums", "LIMIT", "1", "3")
    pair.same("SORT", "nums", "LIMIT", "-5", "2")
    pair.same("SORT", "nums", "LIMIT", "10", "2")
    pair.same("SORT", "nums", "LIMIT", "0", "-1")
    pair.same("SORT", "words", "ALPHA")
    pair.same("SORT", "words", "ALPHA", "DESC", "LIMIT", "0", "2")
    pair.same("SORT", "words")  # not numbers
    pair.same("SORT", "ids")
    pair.same("SORT_RO", "nums", "DESC")
    pair.same("SORT", "nosuchkey")


def test_by_and_get_patterns(pair):
    _setup(pair)
    pair.same("SORT", "ids", "BY", "weight_*")
    pair.same("SORT", "ids", "BY", "user:*->age", "GET", "user:*->name")
    pair.same("SORT", "ids", "BY", "user:*->name", "ALPHA", "GET", "#", "GET", "user:*->age")
    pair.same("SORT", "ids", "BY", "missing_*", "GET", "weight_*")
    pair.same("SORT", "ids", "GET", "user:*->nofield", "GET", "nokey_*")
    pair.same("SORT", "nums", "BY", "nosort")  # no '*': the list's own order
    pair.same("SORT", "nums", "BY", "nosort", "DESC", "LIMIT", "1", "2")
    pair.same("SORT", "z", "BY", "nosort")
    pair.same("SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "5")
    pair.same("SORT", "ids", "BY", "nosort", normalize=sorted)  # set order is hash order


def test_store(pair):
    _setup(pair)
    pair.same("SORT", "nums", "STORE", "out")
    pair.same("LRANGE", "out", "0", "-1")
    pair.same("OBJECT", "ENCODING", "out")
    pair.same("SORT", "ids", "BY", "nosort", "STORE", "out2")  # becomes ALPHA for sets
    pair.same("LRANGE", "out2", "0", "-1")
    pair.same("SORT", "ids", "GET", "user:*->name", "GET", "nokey_*", "STORE", "out3")
    pair.same("LRANGE", "out3", "0", "-1")
    pair.same("SORT", "nosuchkey", "STORE", "out")  # empty result deletes the destination
    pair.same("EXISTS", "out")


def test_sort_converts_a_listpack_zset(pair):
    _setup(pair)
    pair.same("OBJECT", "ENCODING", "z")
    pair.same("SORT", "z", "ALPHA")
    pair.same("OBJECT", "ENCODING", "z")


def test_errors(pair):
    _setup(pair)
    pair.same("SET", "str", "x")
    pair.same("SORT", "str")
    pair.same("SORT", "nums", "LIMIT", "a", "1")
    pair.same("SORT", "nums", "LIMIT", "1")
    pair.same("SORT", "nums", "FOO")
    pair.same("SORT_RO", "nums", "STORE", "x")
    pair.same("RPUSH", "bad", "1", "x1", "2")
    pair.same("SORT", "bad")
    pair.same("SORT", "ids", "BY", "user:*->name")  # names are not numbers
    pair.same("SORT")


def test_pattern_lookups_count_as_keyspace_reads(pair):
    _setup(pair)
    pair.same("CONFIG", "RESETSTAT")
    pair.same("SORT", "ids", "BY", "weight_*", "GET", "nokey_*")

    def hits_misses(info):
        return {k: v for k, v in info.items() if k in ("keyspace_hits", "keyspace_misses")}

    a = hits_misses(pair.ours.info("stats"))
    b = hits_misses(pair.real.info("stats"))
    assert a == b

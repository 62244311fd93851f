"""List commands, differentially: our server and real Redis 7.0 give the same replies.

Replies and exact error texts are compared for every list command, under
RESP2 and RESP3 (the ``pair`` fixture), plus ``OBJECT ENCODING`` (always
``quicklist`` in 7.0) and the ``DUMP`` payload, which carries every
quicklist node's listpack bytes -- or its LZF bytes when the node is
compressed -- so node splits, merges and compression are compared byte for
byte. A hypothesis state machine then drives random list commands against
both servers with small node sizes and compression on.

Blocking behaviour over several connections is in ``tests/test_blocking.py``.
"""

from __future__ import annotations

import contextlib

import pytest
import redis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from tests.support import REDIS_SERVER

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="no redis-server")


@contextlib.contextmanager
def list_config(pair, fill=None, depth=None):
    """CONFIG SET list-max-listpack-size / list-compress-depth on both servers, then restore."""
    saved = []
    for name, value in (("list-max-listpack-size", fill), ("list-compress-depth", depth)):
        if value is None:
            continue
        for c in (pair.ours, pair.real):
            old = c.config_get(name)[name]
            saved.append((c, name, old))
            c.config_set(name, value)
    try:
        yield
    finally:
        for c, name, old in saved:
            c.config_set(name, old)


def same_list(pair, key):
    """Contents, encoding and DUMP bytes agree."""
    pair.same("LRANGE", key, 0, -1)
    if pair.same("EXISTS", key):
        assert pair.encoding(key) in ("quicklist", b"quicklist")
        pair.same("DUMP", key)
        pair.same("MEMORY", "USAGE", key, "SAMPLES", 0)


# -- pushes ----------------------------------------------------------------------------------


def test_push_and_pushx(pair):
    pair.same("LPUSH", "l", "a", "b", "c")
    pair.same("RPUSH", "l", "1", "-2", "3.5", "")
    pair.same("LPUSHX", "l", "x", "y")
    pair.same("RPUSHX", "l", "z")
    pair.same("LPUSHX", "nokey", "x")
    pair.same("RPUSHX", "nokey", "x")
    pair.same("EXISTS", "nokey")
    same_list(pair, "l")
    pair.same("SET", "s", "v")
    for cmd in ("LPUSH", "RPUSH", "LPUSHX", "RPUSHX"):
        pair.same(cmd, "s", "x")
    pair.same("LPUSH", "l")  # arity


def test_llen_lindex(pair):
    pair.same("RPUSH", "l", "a", "b", "c", "12345", "-7")
    pair.same("LLEN", "l")
    pair.same("LLEN", "nokey")
    for i in (0, 1, 4, 5, -1, -5, -6, 100, -100):
        pair.same("LINDEX", "l", i)
    pair.same("LINDEX", "l", "x")
    pair.same("LINDEX", "nokey", "x")  # looked up before the index is parsed
    pair.same("LINDEX", "nokey", 0)
    pair.same("SET", "s", "v")
    pair.same("LLEN", "s")
    pair.same("LINDEX", "s", 0)


def test_lrange(pair):
    pair.same("RPUSH", "l", *[str(i) for i in range(10)])
    for start, stop in [(0, -1), (0, 0), (2, 5), (-3, -1), (-100, 100), (5, 2), (10, 20),
                        (-1, -3), (0, -11), (9, 9), (-10, 0)]:  # fmt: skip
        pair.same("LRANGE", "l", start, stop)
    pair.same("LRANGE", "nokey", 0, -1)
    pair.same("LRANGE", "nokey", "x", 1)
    pair.same("LRANGE", "l", 0, "x")
    pair.same("SET", "s", "v")
    pair.same("LRANGE", "s", 0, -1)


def test_lset(pair):
    pair.same("RPUSH", "l", "a", "b", "c")
    pair.same("LSET", "l", 0, "A")
    pair.same("LSET", "l", -1, "C")
    pair.same("LSET", "l", 1, "12345")
    pair.same("LSET", "l", 3, "x")
    pair.same("LSET", "l", -4, "x")
    pair.same("LSET", "l", "x", "x")
    pair.same("LSET", "nokey", 0, "x")
    pair.same("LSET", "nokey", "x", "x")
    pair.same("SET", "s", "v")
    pair.same("LSET", "s", 0, "x")
    same_list(pair, "l")


def test_linsert(pair):
    pair.same("RPUSH", "l", "a", "b", "c", "b")
    pair.same("LINSERT", "l", "BEFORE", "b", "x")
    pair.same("LINSERT", "l", "after", "b", "y")
    pair.same("LINSERT", "l", "AFTER", "c", "z")
    pair.same("LINSERT", "l", "BEFORE", "nope", "z")
    pair.same("LINSERT", "l", "MIDDLE", "a", "z")
    pair.same("LINSERT", "nokey", "BEFORE", "a", "z")
    pair.same("LINSERT", "nokey", "MIDDLE", "a", "z")
    pair.same("SET", "s", "v")
    pair.same("LINSERT", "s", "BEFORE", "a", "z")
    same_list(pair, "l")


def test_lrem(pair):
    pair.same("RPUSH", "l", "a", "b", "a", "c", "a", "b", "a")
    pair.same("LREM", "l", 2, "a")
    pair.same("LREM", "l", -1, "a")
    pair.same("LREM", "l", 0, "b")
    pair.same("LREM", "l", 0, "zz")
    same_list(pair, "l")
    pair.same("LREM", "l", 0, "a")
    pair.same("LREM", "l", 0, "c")
    pair.same("EXISTS", "l")  # emptied lists are deleted
    pair.same("LREM", "l", "x", "a")
    pair.same("LREM", "nokey", 1, "a")
    pair.same("SET", "s", "v")
    pair.same("LREM", "s", 1, "a")


def test_ltrim(pair):
    for start, stop in [(0, -1), (1, -2), (2, 2), (-3, -1), (5, 2), (0, 100), (-100, 1),
                        (100, 200), (0, -100)]:  # fmt: skip
        pair.same("DEL", "l")
        pair.same("RPUSH", "l", *[str(i) for i in range(8)])
        pair.same("LTRIM", "l", start, stop)
        same_list(pair, "l")
    pair.same("LTRIM", "nokey", 0, 1)
    pair.same("LTRIM", "nokey", "x", 1)
    pair.same("LTRIM", "l", 0, "x")
    pair.same("SET", "s", "v")
    pair.same("LTRIM", "s", 0, 1)


# -- pops ----------------------------------------------------------------------------------


def test_pop_with_and_without_count(pair):
    pair.same("RPUSH", "l", *"abcdefgh")
    pair.same("LPOP", "l")
    pair.same("RPOP", "l")
    pair.same("LPOP", "l", 2)
    pair.same("RPOP", "l", 2)
    pair.same("LPOP", "l", 0)
    pair.same("RPOP", "l", 100)
    pair.same("EXISTS", "l")
    for cmd in ("LPOP", "RPOP"):
        pair.same(cmd, "nokey")
        pair.same(cmd, "nokey", 0)  # null array, not an empty one
        pair.same(cmd, "nokey", 3)
        pair.same(cmd, "nokey", -1)
        pair.same(cmd, "nokey", "x")
        pair.same(cmd, "nokey", 1, 2)
    pair.same("SET", "s", "v")
    pair.same("LPOP", "s")
    pair.same("RPOP", "s", 1)


def test_lmpop(pair):
    pair.same("RPUSH", "l2", "a", "b", "c")
    pair.same("RPUSH", "l3", "x")
    pair.same("LMPOP", 3, "l1", "l2", "l3", "LEFT")
    pair.same("LMPOP", 3, "l1", "l2", "l3", "RIGHT", "COUNT", 5)
    pair.same("LMPOP", 3, "l1", "l2", "l3", "left", "count", 1)
    pair.same("LMPOP", 3, "l1", "l2", "l3", "LEFT")
    pair.same("EXISTS", "l2", "l3")
    for args in [(0, "l", "LEFT"), (-1, "l", "LEFT"), ("x", "l", "LEFT"), (2, "l", "LEFT"),
                 (1, "l", "MIDDLE"), (1, "l", "LEFT", "COUNT", 0), (1, "l", "LEFT", "COUNT", -2),
                 (1, "l", "LEFT", "COUNT", "x"), (1, "l", "LEFT", "COUNT", 1, "COUNT", 2),
                 (1, "l", "LEFT", "COUNT"), (1, "l", "LEFT", "foo"),
                 ("9223372036854775808", "l", "LEFT")]:  # fmt: skip
        pair.same("LMPOP", *args)
    pair.same("SET", "s", "v")
    pair.same("RPUSH", "l", "a")
    pair.same("LMPOP", 2, "nokey", "s", "LEFT")
    pair.same("LMPOP", 2, "l", "s", "LEFT")  # l is served before s is reached


def test_lpos(pair):
    pair.same("RPUSH", "l", *"abcabcabc", "a")
    for opts in [(), ("RANK", 1), ("RANK", 2), ("RANK", -1), ("RANK", -3), ("RANK", 5),
                 ("COUNT", 0), ("COUNT", 2), ("COUNT", 10), ("RANK", -2, "COUNT", 2),
                 ("MAXLEN", 1), ("MAXLEN", 2), ("MAXLEN", 4, "COUNT", 0),
                 ("RANK", -1, "MAXLEN", 3, "COUNT", 0), ("RANK", 2, "COUNT", 0, "MAXLEN", 7),
                 ("RANK", "-9223372036854775808"), ("RANK", "-9223372036854775808", "COUNT", 2),
                 ("RANK", "9223372036854775807")]:  # fmt: skip
        pair.same("LPOS", "l", "a", *opts)
        pair.same("LPOS", "l", "z", *opts)
    for opts in [("RANK", 0), ("RANK", "x"), ("COUNT", -1), ("COUNT", "x"), ("MAXLEN", -1),
                 ("MAXLEN", "x"), ("FOO",), ("COUNT",), ("rank", 1, "bar", 2)]:  # fmt: skip
        pair.same("LPOS", "l", "a", *opts)
    pair.same("LPOS", "nokey", "a")
    pair.same("LPOS", "nokey", "a", "COUNT", 0)
    pair.same("LPOS", "nokey", "a", "RANK", 0)
    pair.same("SET", "s", "v")
    pair.same("LPOS", "s", "a")


def test_lmove_and_rpoplpush(pair):
    pair.same("RPUSH", "src", "a", "b", "c", "d")
    for wf in ("LEFT", "RIGHT"):
        for wt in ("LEFT", "RIGHT"):
            pair.same("LMOVE", "src", "dst", wf, wt)
    pair.same("LMOVE", "dst", "dst", "LEFT", "RIGHT")  # rotation
    pair.same("RPOPLPUSH", "dst", "dst")
    pair.same("RPOPLPUSH", "src", "dst")
    pair.same("EXISTS", "src")
    same_list(pair, "dst")
    pair.same("LMOVE", "nokey", "dst", "LEFT", "LEFT")
    pair.same("RPOPLPUSH", "nokey", "dst")
    pair.same("LMOVE", "dst", "x", "UP", "LEFT")
    pair.same("SET", "s", "v")
    pair.same("LMOVE", "s", "dst", "LEFT", "LEFT")
    pair.same("LMOVE", "dst", "s", "LEFT", "LEFT")
    pair.same("RPOPLPUSH", "dst", "s")
    pair.same("LMOVE", "nokey", "s", "LEFT", "LEFT")  # missing source first: nil
    pair.same("RPUSH", "one", "x")
    pair.same("LMOVE", "one", "one", "LEFT", "LEFT")
    same_list(pair, "one")


def test_blocking_commands_with_data_do_not_block(pair):
    pair.same("RPUSH", "l", "a", "b", "c", "d", "e")
    pair.same("BLPOP", "nokey", "l", 0)
    pair.same("BRPOP", "nokey", "l", "0.5")
    pair.same("BLMPOP", 0, 2, "nokey", "l", "LEFT", "COUNT", 2)
    pair.same("BLMOVE", "l", "d", "LEFT", "RIGHT", 0)
    pair.same("BRPOPLPUSH", "d", "l", 0)
    same_list(pair, "l")
    pair.same("SET", "s", "v")
    pair.same("BLPOP", "s", 0)
    pair.same("BLMOVE", "l", "s", "LEFT", "RIGHT", 0)
    pair.same("BLMPOP", 0, 1, "s", "LEFT")


@pytest.mark.parametrize(
    "args",
    [
        ("BLPOP", "k", "abc"), ("BLPOP", "k", "-1"), ("BLPOP", "k", "nan"), ("BLPOP", "k", "inf"),
        ("BLPOP", "k", "-inf"), ("BLPOP", "k", "1e16"), ("BRPOP", "k", ""),
        ("BLMOVE", "a", "b", "LEFT", "LEFT", "x"), ("BLMOVE", "a", "b", "UP", "LEFT", "x"),
        ("BRPOPLPUSH", "a", "b", "-0.5"), ("BLMPOP", "x", 1, "k", "LEFT"),
        ("BLMPOP", 0, 0, "k", "LEFT"), ("BLMPOP", -1, 1, "k", "MIDDLE"),
        ("BLMPOP", 0, 1, "k", "LEFT", "COUNT", 0), ("BLMPOP", 0, 2, "k", "LEFT"),
    ],
)  # fmt: skip
def test_blocking_argument_errors(pair, args):
    pair.same(*args)


def test_short_timeouts_expire(pair):
    pair.same("BLPOP", "k", "0.01")
    pair.same("BRPOPLPUSH", "k", "d", "0.01")
    pair.same("BLMOVE", "k", "d", "RIGHT", "LEFT", "0.001")
    pair.same("BLMPOP", "0.01", 2, "k", "k2", "RIGHT")


# -- quicklist layout: fill and compression ---------------------------------------------------


@pytest.mark.parametrize("fill", [1, 2, 4, 5, -1, -2])
def test_node_boundaries(pair, fill):
    with list_config(pair, fill=fill):
        for i in range(12):
            pair.same("RPUSH", "l", f"value-{i}")
            same_list(pair, "l")
        pair.same("LPUSH", "l", "x" * 300, "y" * 5000)
        same_list(pair, "l")
        pair.same("LINSERT", "l", "BEFORE", "value-5", "ins")
        pair.same("LINSERT", "l", "AFTER", "value-3", "ins2")
        same_list(pair, "l")
        pair.same("LSET", "l", 4, "z" * 200)
        pair.same("LREM", "l", 0, "value-7")
        same_list(pair, "l")
        pair.same("LTRIM", "l", 1, -2)
        pair.same("LPOP", "l", 3)
        pair.same("RPOP", "l", 2)
        same_list(pair, "l")


def test_options_are_taken_when_the_list_is_created(pair):
    pair.same("RPUSH", "old", "a")
    with list_config(pair, fill=2):
        pair.same("RPUSH", "old", "b", "c", "d", "e")
        pair.same("RPUSH", "new", "b", "c", "d", "e")
        same_list(pair, "old")
        same_list(pair, "new")


@pytest.mark.parametrize("depth", [1, 2])
def test_compressed_nodes(pair, depth):
    with list_config(pair, fill=4, depth=depth):
        values = [f"element-number-{i:04d}-" + "abc" * 8 for i in range(40)]
        pair.same("RPUSH", "l", *values)
        same_list(pair, "l")
        pair.same("LRANGE", "l", 10, 30)
        pair.same("LINDEX", "l", 17)
        pair.same("LPOS", "l", values[25])
        pair.same("LPOS", "l", values[3], "RANK", -1)
        same_list(pair, "l")
        pair.same("LINSERT", "l", "AFTER", values[20], "inserted")
        pair.same("LSET", "l", 22, "replaced")
        pair.same("LREM", "l", 1, values[30])
        same_list(pair, "l")
        pair.same("LTRIM", "l", 3, -4)
        pair.same("LPOP", "l", 5)
        pair.same("RPOP", "l", 5)
        same_list(pair, "l")
        pair.same("LMOVE", "l", "l2", "LEFT", "RIGHT")
        pair.same("COPY", "l", "l3")
        same_list(pair, "l3")


def test_plain_values_and_integers(pair):
    pair.same("RPUSH", "l", "0", "-1", "127", "128", "-4096", "4095", "65536", "-2147483649",
              "9223372036854775807", "-9223372036854775808", "9223372036854775808", "007",
              "1.5", "x" * 64, "y" * 4096, "z" * 70000)  # fmt: skip
    same_list(pair, "l")
    pair.same("LRANGE", "l", 0, -1)


# -- a random walk over the list commands --------------------------------------------------------

KEYS = st.sampled_from(["l1", "l2", "l3", "s"])
ELEMENTS = st.one_of(
    st.sampled_from(["a", "b", "c", "", "1", "-1", "100", "x" * 40, "y" * 300]),
    st.integers(-300, 300).map(str),
)
INDEXES = st.one_of(st.integers(-12, 12), st.sampled_from(["x", "9223372036854775807"]))
WHERE = st.sampled_from(["LEFT", "RIGHT", "left", "UP"])


class ListMachine(RuleBasedStateMachine):
    ours: redis.Redis
    real: redis.Redis

    @initialize()
    def start(self):
        self.ours.flushall()
        self.real.flushall()
        self.ours.set("s", "string")
        self.real.set("s", "string")

    def same(self, *args):
        def call(c):
            try:
                return ("ok", c.execute_command(*args))
            except redis.ResponseError as e:
                return ("err", str(e))

        a, b = call(self.ours), call(self.real)
        assert a == b, f"{args!r}: ours={a!r} real={b!r}"

    def check(self, key):
        self.same("LRANGE", key, 0, -1)
        self.same("DUMP", key)

    @rule(cmd=st.sampled_from(["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]), key=KEYS,
          values=st.lists(ELEMENTS, min_size=1, max_size=6))  # fmt: skip
    def push(self, cmd, key, values):
        self.same(cmd, key, *values)
        self.check(key)

    @rule(cmd=st.sampled_from(["LPOP", "RPOP"]), key=KEYS,
          count=st.one_of(st.none(), st.integers(-1, 8)))  # fmt: skip
    def pop(self, cmd, key, count):
        self.same(cmd, key, *([] if count is None else [count]))
        self.check(key)

    @rule(key=KEYS, start=INDEXES, stop=INDEXES)
    def lrange_ltrim(self, key, start, stop):
        self.same("LRANGE", key, start, stop)
        self.same("LTRIM", key, start, stop)
        self.check(key)

    @rule(key=KEYS, index=INDEXES, value=ELEMENTS)
    def lindex_lset(self, key, index, value):
        self.same("LINDEX", key, index)
        self.same("LSET", key, index, value)
        self.check(key)

    @rule(key=KEYS, where=st.sampled_from(["BEFORE", "AFTER", "after", "NEAR"]),
          pivot=ELEMENTS, value=ELEMENTS)  # fmt: skip
    def linsert(self, key, where, pivot, value):
        self.same("LINSERT", key, where, pivot, value)
        self.check(key)

    @rule(key=KEYS, count=st.integers(-3, 3), value=ELEMENTS)
    def lrem(self, key, count, value):
        self.same("LREM", key, count, value)
        self.check(key)

    @rule(key=KEYS, value=ELEMENTS,
          opts=st.lists(st.tuples(st.sampled_from(["RANK", "COUNT", "MAXLEN"]),
                                  st.integers(-3, 4)), max_size=3))  # fmt: skip
    def lpos(self, key, value, opts):
        self.same("LPOS", key, value, *[x for opt in opts for x in opt])
        self.check(key)

    @rule(src=KEYS, dst=KEYS, wf=WHERE, wt=WHERE, blocking=st.booleans())
    def lmove(self, src, dst, wf, wt, blocking):
        if blocking:
            self.same("BLMOVE", src, dst, wf, wt, "0.001")
        else:
            self.same("LMOVE", src, dst, wf, wt)
        self.check(src)
        self.check(dst)

    @rule(keys=st.lists(KEYS, min_size=1, max_size=3), where=WHERE,
          count=st.one_of(st.none(), st.integers(0, 5)), blocking=st.booleans())  # fmt: skip
    def lmpop(self, keys, where, count, blocking):
        tail = [where] + ([] if count is None else ["COUNT", count])
        if blocking:
            self.same("BLMPOP", "0.001", len(keys), *keys, *tail)
        else:
            self.same("LMPOP", len(keys), *keys, *tail)
        for k in keys:
            self.check(k)

    @rule(key=KEYS)
    def llen(self, key):
        self.same("LLEN", key)
        self.same("TYPE", key)
        self.same("OBJECT", "ENCODING", key)


@pytest.mark.parametrize(("fill", "depth"), [(3, 1), (-2, 0)])
def test_state_machine(lab_server, real_server, fill, depth):
    ours, real = lab_server.client(), real_server.client()
    saved = [(c, n, c.config_get(n)[n]) for c in (ours, real)
             for n in ("list-max-listpack-size", "list-compress-depth")]  # fmt: skip
    for c in (ours, real):
        c.config_set("list-max-listpack-size", fill)
        c.config_set("list-compress-depth", depth)
    ListMachine.ours, ListMachine.real = ours, real
    try:
        run_state_machine_as_test(
            ListMachine,
            settings=settings(
                max_examples=40,
                stateful_step_count=25,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    finally:
        for c, n, v in saved:
            c.config_set(n, v)
        ours.close()
        real.close()


# -- our own view of the quicklist ------------------------------------------------------------


def test_lab_inspect_shows_the_nodes(lab_server):
    c = lab_server.client(protocol=3)
    c.flushall()
    old = {n: c.config_get(n)[n] for n in ("list-max-listpack-size", "list-compress-depth")}
    try:
        c.config_set("list-max-listpack-size", 3)
        c.config_set("list-compress-depth", 1)
        values = [f"element-{i:03d}-" + "q" * 40 for i in range(9)]
        c.rpush("l", *values)
        info = c.execute_command("LAB", "INSPECT", "l")
        layout = info[b"layout"] if b"layout" in info else info["layout"]
        get = lambda d, k: d[k.encode()] if k.encode() in d else d[k]  # noqa: E731
        assert get(layout, "encoding") in (b"quicklist", "quicklist")
        assert get(layout, "length") == 9
        assert get(layout, "fill") == 3
        assert get(layout, "compress_depth") == 1
        nodes = get(layout, "nodes")
        assert [get(n, "count") for n in nodes] == [3, 3, 3]
        assert [get(n, "compressed") for n in nodes] == [0, 1, 0]
        head = nodes[0]
        entries = get(head, "entries")
        assert [get(e, "value") for e in entries] == [v.encode() for v in values[:3]]
        assert get(entries[0], "offset") == 6  # right after the listpack header
        raw = get(head, "raw")
        assert len(raw) == get(head, "sz") and raw[-1] == 0xFF
        assert get(nodes[1], "compressed_size") < get(nodes[1], "sz")
        assert "entries" not in nodes[1] and b"entries" not in nodes[1]
    finally:
        for n, v in old.items():
            c.config_set(n, v)
        c.close()

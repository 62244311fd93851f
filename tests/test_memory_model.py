"""The memory model's running total (server/memory.py), in process.

used_memory is kept incrementally: each write moves it by the difference
its keys made. These tests drive commands of every type through the real
command path and check that the running total always equals a measurement
from scratch (``memory.recount``), and that adding then deleting returns it
to where it started.
"""

from __future__ import annotations

import pytest

from server import memory
from server.net.client import Client
from server.server import Server


class Harness:
    def __init__(self) -> None:
        self.server = Server()
        self.client = Client(self.server, None, self.server.new_client_id())
        self.server.link_client(self.client)

    def run(self, *args) -> None:
        c = self.client
        argv = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        self.server.execute(c, argv)
        reply = b"".join(c.out)
        c.out = []
        assert not reply.startswith(b"-"), (args, reply)

    def keys_bytes(self) -> int:
        memory.sync(self.server)
        return memory.keys_bytes(self.server)

    def check(self) -> None:
        assert self.keys_bytes() == memory.recount(self.server)


@pytest.fixture
def h():
    return Harness()


def test_jemalloc_table_matches_the_size_classes():
    for n in range(0, 20000, 7):
        assert memory.jemalloc_size(n) == memory._jemalloc_size_slow(n)


def test_strings_add_overwrite_delete(h):
    start = h.keys_bytes()
    h.run("SET", "a", "x" * 10)
    h.check()
    h.run("SET", "a", "y" * 100)  # embstr -> raw
    h.check()
    h.run("APPEND", "a", "z" * 50)  # in place, bytearray
    h.check()
    h.run("SET", "n", "9998")
    h.run("INCR", "n")
    h.run("INCR", "n")  # crosses the shared-integer range: 0 -> 16 bytes
    h.check()
    h.run("INCRBYFLOAT", "f", "1.5")
    h.run("SETRANGE", "r", "100", "hello")
    h.run("MSET", "m1", "1", "m2", "two")
    h.check()
    h.run("DEL", "a", "n", "f", "r", "m1", "m2")
    assert h.keys_bytes() == start


@pytest.mark.parametrize("n", [5, 200], ids=["small", "converted"])
def test_containers_follow_every_write(h, n):
    start = h.keys_bytes()
    for i in range(n):
        h.run("HSET", "h", f"f{i}", f"v{i}")
        h.run("SADD", "s", i)
        h.run("SADD", "t", f"m{i}")
        h.run("ZADD", "z", i, f"m{i}")
        h.run("RPUSH", "l", f"item{i}")
    h.check()
    h.run("HDEL", "h", "f1", "f2")
    h.run("HINCRBY", "h", "counter", 5)
    h.run("SREM", "s", 1, 2)
    h.run("SPOP", "t")
    h.run("ZINCRBY", "z", 3, "m0")
    h.run("ZREM", "z", "m1")
    h.run("LPOP", "l")
    h.run("LSET", "l", 0, "changed" * 10)
    h.run("LTRIM", "l", 0, n // 2)
    h.check()
    h.run("SINTERSTORE", "dst", "s", "s")
    h.run("ZUNIONSTORE", "zdst", 1, "z")
    h.run("RENAME", "h", "h2")
    h.run("COPY", "z", "zc")
    h.run("MOVE", "t", 3)
    h.run("SWAPDB", 0, 3)
    h.run("SWAPDB", 0, 3)
    h.run("EXPIRE", "l", 100)
    h.check()
    h.run("DEL", "h2", "s", "z", "l", "dst", "zdst", "zc")
    h.run("SELECT", 3)
    h.run("DEL", "t")
    assert h.keys_bytes() == start


def test_flush_and_restore(h):
    for i in range(50):
        h.run("SET", f"k{i}", i)
        h.run("RPUSH", f"l{i}", "a", "b")
    h.run("FLUSHDB")
    assert h.keys_bytes() == 0
    h.run("HSET", "h", "f", "v")
    h.check()
    h.run("FLUSHALL")
    assert h.keys_bytes() == 0


def test_big_collections_are_estimated_close_to_exact(h):
    for i in range(0, 3000, 100):
        h.run("HSET", "big", *[x for j in range(i, i + 100) for x in (f"f{j}", f"value:{j}")])
    h.run("HSET", "big", "long", "x" * 300)
    running = h.keys_bytes()
    exact = memory.recount(h.server)
    assert abs(running - exact) <= 0.02 * exact
    h.run("DEL", "big")
    assert h.keys_bytes() == 0


def test_summary_parts_add_up(h):
    for i in range(100):
        h.run("SET", f"key:{i}", "v" * 20)
    h.run("EXPIRE", "key:1", 100)
    m = memory.memory_summary(h.server)
    assert m["used_memory"] == (
        m["startup"] + m["keys_bytes"] + m["tables"] + m["clients_normal"] + m["argv"]
    )
    assert m["overhead"] + m["dataset"] == m["used_memory"]
    assert m["keys"] == 100
    assert m["dbs"][0][0] == 0


def test_lab_memory_recount_agrees(h):
    from server import introspect

    for i in range(30):
        h.run("ZADD", "z", i, f"m{i}")
        h.run("SET", f"s{i}", "x" * i)
    rep = introspect.memory_report(h.server, recount=True)
    assert rep["parts"]["keys"] == rep["recount_keys"]
    assert rep["maxmemory_policy"] == "noeviction"
    assert rep["pool"] == [] and rep["pool_size"] == 16

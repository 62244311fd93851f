"""The server's data makes no reference cycles, so its cyclic collector never stalls it.

server/server.py freezes what survives each cron tick (a full scan of a big
keyspace stopped the server for over a second); that is only safe if nothing
long-lived ever becomes *cyclic* garbage, which would then never be freed.
This runs a workload on a server process whose SIGUSR1 handler unfreezes
everything and runs a full collection that keeps what it finds
(``gc.DEBUG_SAVEALL``), and asserts that it found nothing.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
import redis

from .support import ROOT, free_port

PROBE = """
import gc, signal, sys, collections
def report(*_):
    gc.unfreeze()
    gc.set_debug(gc.DEBUG_SAVEALL)
    found = gc.collect()
    kinds = collections.Counter(type(o).__module__ + "." + type(o).__qualname__ for o in gc.garbage)
    print("GARBAGE", found, dict(kinds.most_common(10)), flush=True)
    gc.garbage.clear()
    gc.set_debug(0)
signal.signal(signal.SIGUSR1, report)
from server.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def probed():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", PROBE, "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--loglevel", "warning", "--enable-debug-command", "yes"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.05)

    def garbage() -> str:
        client.ping()  # the server is between commands when the signal lands
        proc.send_signal(signal.SIGUSR1)
        while not (line := proc.stdout.readline()).startswith("GARBAGE"):  # skip the log
            assert line, "the server exited"
        return line.strip()

    try:
        yield port, client, garbage
    finally:
        client.close()
        proc.kill()
        proc.wait()


def test_no_cyclic_garbage_from_data_or_clients(probed):
    port, c, garbage = probed
    assert garbage() == "GARBAGE 0 {}"
    for i in range(12):
        c.zadd(f"z{i}", {f"m{j}": j for j in range(300)})  # skiplists
        c.rpush(f"l{i}", *[f"v{j}" * 20 for j in range(2000)])  # quicklists of many nodes
        c.hset(f"h{i}", mapping={f"f{j}": j for j in range(600)})
        c.sadd(f"s{i}", *[f"x{j}" for j in range(600)])
    c.zrem("z0", *[f"m{j}" for j in range(0, 300, 2)])
    c.zpopmin("z1", 50)
    c.zunionstore("zu", ["z2", "z3"])
    c.zrangestore("zr", "z4", 0, 99)
    c.ltrim("l0", 100, 1500)
    c.lpop("l1", 500)
    c.linsert("l2", "BEFORE", "v5" * 20, "new")
    c.lmove("l3", "l4", "LEFT", "RIGHT")
    c.sort("l5", alpha=True, store="sorted")
    c.restore("z5copy", 0, c.dump("z5"))
    c.restore("l6copy", 0, c.dump("l6"))
    c.copy("z6", "z6copy")
    c.rename("z7", "z8")  # overwrites z8
    c.set("z9", "a string now")
    c.set("l7", "so is this")
    c.delete("z10", "l8", "h0", "s0")
    c.unlink("z11", "l9")
    c.pexpire("l10", 1)
    c.pexpire("zu", 1)
    time.sleep(0.3)  # the active expire cycle takes them
    c.config_set("maxmemory", "2mb")
    c.config_set("maxmemory-policy", "allkeys-lru")
    for i in range(50):
        c.set(f"fill:{i}", "x" * 50_000)  # evicts lists and sets
    c.config_set("maxmemory", "0")
    assert garbage() == "GARBAGE 0 {}"
    c.flushall()
    assert garbage() == "GARBAGE 0 {}"

    # Clients: connect and leave, subscribe, transactions, blocking, kill.
    for _ in range(20):
        other = redis.Redis(port=port)
        other.ping()
        other.close()
    # Clients that live across several cron ticks (so they were frozen) and then go.
    lingering = [redis.Redis(port=port) for _ in range(5)]
    for i, other in enumerate(lingering):
        other.set(f"linger:{i}", i)
    idle_sub = c.pubsub()
    idle_sub.subscribe("quiet")
    idle_sub.get_message(timeout=1)
    in_multi = redis.Connection(port=port)
    in_multi.send_command("MULTI")
    assert in_multi.read_response() == b"OK"
    in_multi.send_command("SET", "queued", 1)
    assert in_multi.read_response() == b"QUEUED"
    time.sleep(0.5)  # hz 10: five ticks
    for other in lingering:
        other.close()
    idle_sub.close()
    in_multi.disconnect()  # leaves with its transaction still queued
    p = c.pubsub()
    p.subscribe("ch")
    p.psubscribe("p*")
    p.get_message(timeout=1)
    p.close()
    with c.pipeline(transaction=True) as pipe:
        pipe.watch("w")
        pipe.multi()
        pipe.set("w", 1).incr("w")
        pipe.execute()
    c.blpop(["nothing"], 0.05)
    blocked = redis.Redis(port=port, client_name="blocked")
    blocked.client_setname("blocked")
    c.zadd("zb", {"a": 1})
    blocked.bzpopmin("zb", 1)
    c.execute_command("CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal")
    c = redis.Redis(port=port)
    assert garbage() == "GARBAGE 0 {}"
    c.close()

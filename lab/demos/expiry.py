"""Demo ``expiry``: a thousand keys with TTLs, lazy and active expiry side by side.

The clock is frozen, so nothing expires until the presenter moves it. With
the active cycle switched off (``DEBUG SET-ACTIVE-EXPIRE 0``) expired keys
stay in memory until something reads them (lazy expiry); switched back on,
the cycle samples keys with a TTL ten times a second and removes them.
"""

from __future__ import annotations

import random
import time

from .model import Demo, DemoStep

KEYS = 1000


def _setup(client) -> None:
    client.call("FLUSHALL")
    client.call("LAB", "CLOCK", "FREEZE")
    client.execute("DEBUG", "SET-ACTIVE-EXPIRE", "0")


def _ttls() -> list[int]:
    """The TTL of each key, in seconds (the same every run)."""
    rng = random.Random(42)
    return [rng.randint(1, 60) for _ in range(KEYS)]


#: a key whose TTL has passed after 30 seconds: the one the inspector shows stale
STALE_KEY = f"session:{next(i for i, ttl in enumerate(_ttls()) if ttl < 30)}"


def _fill(client) -> str:
    commands = [("SET", f"session:{i}", "v", "EX", ttl) for i, ttl in enumerate(_ttls())]
    for start in range(0, KEYS, 200):
        client.pipeline(commands[start : start + 200])
    return f"SET session:0..{KEYS - 1} with TTLs of 1 to 60 seconds (a pipeline)"


def _dbsize(client) -> int:
    return int(client.call("DBSIZE"))


def _alive_after(seconds: int) -> int:
    return sum(ttl > seconds for ttl in _ttls())


def _reads(client) -> str:
    rng = random.Random(7)
    client.pipeline([("GET", f"session:{rng.randrange(KEYS)}") for _ in range(200)])
    return "GET 200 random session keys (reads remove the expired keys they touch)"


def _active(client) -> str:
    client.execute("DEBUG", "SET-ACTIVE-EXPIRE", "1")
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline and _dbsize(client) > _alive_after(30) + 25:
        time.sleep(0.1)
    return "DEBUG SET-ACTIVE-EXPIRE 1, then a moment of real time (the cycle runs 10× a second)"


def _wait_empty(client) -> str:
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline and _dbsize(client) > 0:
        time.sleep(0.1)
    return "a moment of real time for the active cycle"


def _expect_full(client) -> None:
    assert _dbsize(client) == KEYS
    assert int(client.clock()["frozen"]) == 1


def _expect_stale(client) -> None:
    assert _dbsize(client) == KEYS
    assert (client.inspect(STALE_KEY) or {}).get("expired") == 1


def _expect_fewer(client) -> None:
    n = _dbsize(client)
    assert _alive_after(30) <= n < KEYS, n


def _expect_active(client) -> None:
    n = _dbsize(client)
    assert n <= _alive_after(30) + 25, n


def _expect_empty(client) -> None:
    assert _dbsize(client) == 0


DEMO = Demo(
    name="expiry",
    title="Lazy and active expiry",
    summary="a thousand keys with TTLs, the clock advanced, lazy and active expiry side by side",
    server_args=["--enable-debug-command", "local"],
    setup=_setup,
    steps=[
        DemoStep(
            "A thousand sessions, time frozen",
            "The server's clock is frozen (`LAB CLOCK FREEZE`) and the active expire cycle "
            "is off. Every key gets a TTL between 1 and 60 seconds.",
            ["DBSIZE", "TTL session:0", "LAB CLOCK GET"],
            action=_fill,
            keyspace=True,
            expect=_expect_full,
        ),
        DemoStep(
            "Thirty seconds later, nothing has gone",
            "About half the keys are past their TTL, but `DBSIZE` still counts them: they "
            "are **stale**. Nothing has looked at them yet.",
            ["LAB CLOCK ADVANCE 30000", "DBSIZE"],
            inspect=[STALE_KEY],
            keyspace=True,
            expect=_expect_stale,
        ),
        DemoStep(
            "Lazy expiry: reading removes",
            "Every command that touches a key checks its deadline first. Reading 200 "
            "random keys deletes the expired ones among them — and only those.",
            ["DBSIZE"],
            action=_reads,
            events=("expire",),
            expect=_expect_fewer,
        ),
        DemoStep(
            "Active expiry: the cycle sweeps",
            "Ten times a second, the cycle samples 20 keys with a TTL, deletes the expired "
            "ones, and repeats while more than a quarter of the sample was expired.",
            ["DBSIZE"],
            action=_active,
            events=("expire",),
            keyspace=True,
            expect=_expect_active,
        ),
        DemoStep(
            "A minute later, all gone",
            "Past the longest TTL the cycle empties the database without anyone reading.",
            ["LAB CLOCK ADVANCE 40000"],
            action=None,
            expect=None,
        ),
        DemoStep(
            "…after a few cycles",
            "The count drops to zero. `expired_keys` in `INFO stats` counts both kinds.",
            ["DBSIZE", "LAB CLOCK RESUME"],
            action=_wait_empty,
            keyspace=True,
            expect=_expect_empty,
        ),
    ],
)

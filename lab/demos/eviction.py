"""Demo ``eviction``: maxmemory reached under allkeys-lru, then allkeys-lfu.

Keys are written while the (frozen) clock moves forward a second per batch,
so their idle times differ. With a small ``maxmemory`` every write past it
evicts: under ``allkeys-lru`` the sampled keys with the longest idle time,
under ``allkeys-lfu`` the least frequently used. ``LAB MEMORY`` shows the
eviction pool (the best candidates found so far) and the evicted count.
"""

from __future__ import annotations

from .model import Demo, DemoStep

MAXMEMORY = 1200 * 1024
VALUE = "x" * 100


def _setup(client) -> None:
    client.call("FLUSHALL")
    client.call("CONFIG", "SET", "maxmemory", "0")
    client.call("LAB", "CLOCK", "FREEZE")


def _fill(client, prefix: str, count: int, batch: int = 100) -> int:
    for start in range(0, count, batch):
        client.pipeline([("SET", f"{prefix}:{i}", VALUE) for i in range(start, start + batch)])
        client.call("LAB", "CLOCK", "ADVANCE", 1000)
    return count


def _evicted(client) -> int:
    return int(client.info("stats").get("evicted_keys", 0))


def _lru_fill(client) -> str:
    _fill(client, "page", 3000)
    return "SET page:0..2999 (100 bytes each), the clock advancing 1 s per 100 keys"


def _hot_reads(client) -> str:
    for _ in range(30):
        client.pipeline([("GET", f"page:{i}") for i in range(2900, 2950)])
    return "GET page:2900..2949, 30 times each"


def _lfu_fill(client) -> str:
    _fill(client, "more", 1500)
    return "SET more:0..1499, the clock advancing 1 s per 100 keys"


def _expect_evicting(client) -> None:
    assert _evicted(client) > 0
    memory = client.memory()
    assert memory["used_memory"] <= memory["maxmemory"] + 4096, memory["used_memory"]
    # Sampling approximates LRU: the oldest batch is mostly, not surely all, gone.
    oldest_kept = int(client.call("EXISTS", *[f"page:{i}" for i in range(100)]))
    assert oldest_kept < 30, f"{oldest_kept} of the 100 oldest pages survived an LRU fill"


def _expect_hot_survive(client) -> None:
    kept = sum(int(client.call("EXISTS", f"page:{i}")) for i in range(2900, 2950))
    assert kept >= 45, kept
    assert client.memory()["maxmemory_policy"] == "allkeys-lfu"


DEMO = Demo(
    name="eviction",
    title="Eviction: allkeys-lru, then allkeys-lfu",
    summary="maxmemory reached under allkeys-lru, then allkeys-lfu, the pool on screen",
    setup=_setup,
    steps=[
        DemoStep(
            "A budget of 1.2 MB, and an LRU policy",
            "`maxmemory` caps the dataset; `allkeys-lru` says what to do at the cap: evict "
            "the keys idle the longest — as far as 5 random samples can tell.",
            [
                f"CONFIG SET maxmemory {MAXMEMORY}",
                "CONFIG SET maxmemory-policy allkeys-lru",
                "CONFIG GET maxmemory-samples",
            ],  # fmt: skip
            memory=True,
            expect=lambda c: None,
        ),
        DemoStep(
            "Fill past the cap",
            "Each write past the cap evicts. The pool holds the best candidates found so "
            "far, idlest first: old pages, not necessarily the oldest.",
            ["DBSIZE", "EXISTS page:0 page:2999"],
            action=_lru_fill,
            memory=True,
            events=("evict",),
            expect=_expect_evicting,
        ),
        DemoStep(
            "Switch to LFU",
            "Under `allkeys-lfu` each key keeps a small *logarithmic* counter of its "
            "accesses, which drops by one for every `lfu-decay-time` minutes without one.",
            ["CONFIG SET maxmemory-policy allkeys-lfu", "CONFIG GET lfu-*"],
            memory=True,
            expect=lambda c: None,
        ),
        DemoStep(
            "Make some keys popular",
            "Fifty pages are read thirty times each. Their counters climb slowly: the more "
            "a counter has, the less likely one more access moves it.",
            ["OBJECT FREQ page:2900", "OBJECT FREQ page:2999"],
            action=_hot_reads,
            inspect=["page:2900"],
            expect=lambda c: None,
        ),
        DemoStep(
            "Fill again: the popular keys stay",
            "1500 new keys push out 1500 old ones — the rarely read ones. The fifty popular "
            "pages survive although they are older than everything new.",
            ["DBSIZE", "EXISTS page:2900 page:2901 page:2902", "EXISTS more:0 more:1499"],
            action=_lfu_fill,
            memory=True,
            events=("evict",),
            expect=_expect_hot_survive,
        ),
    ],
)

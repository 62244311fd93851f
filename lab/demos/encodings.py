"""Demo ``encodings``: four types cross the thresholds of their compact encodings.

Every step changes one key and shows it in the inspector before and after:
a hash leaves its listpack for a hashtable when one value grows past
``hash-max-listpack-value``; an intset widens from 16 to 32 bits, then
becomes a hashtable when a non-integer joins; a sorted set turns from a
listpack into a skiplist past ``zset-max-listpack-entries``; a list grows
from one quicklist node to many.
"""

from __future__ import annotations

from .model import Demo, DemoStep


def encoding(client, key: str) -> str:
    return str(client.call("OBJECT", "ENCODING", key))


def _expect(key: str, wanted: str):
    def check(client) -> None:
        got = encoding(client, key)
        assert got == wanted, f"{key}: encoding {got}, expected {wanted}"

    return check


def _fill_zset(client) -> str:
    args: list = ["ZADD", "board"]
    for i in range(5, 200):
        args += [i * 10, f"player{i}"]
    client.call(*args)
    return "ZADD board with 195 more members (200 in all, over zset-max-listpack-entries 128)"


def _fill_list(client) -> str:
    client.call("RPUSH", "queue", *[f"job-{i}" for i in range(3, 3000)])
    return "RPUSH queue with 2997 more jobs"


def _list_nodes(client) -> None:
    layout = (client.inspect("queue") or {}).get("layout") or {}
    assert int(layout.get("node_count") or 0) > 1, layout.get("node_count")


DEMO = Demo(
    name="encodings",
    title="One type, two encodings",
    summary="a hash, a set, a sorted set and a list crossing their thresholds",
    steps=[
        DemoStep(
            "A small hash is a listpack",
            "Three fields: Redis keeps them as **one byte array**, field, value, field, "
            "value… Look at the strip: each entry has an encoding byte, its data and a "
            "back-length.",
            [
                "DEL user:1 ids board queue",
                "HSET user:1 name Ada born 1815 lang en",
                "OBJECT ENCODING user:1",
                "CONFIG GET hash-max-listpack-value",
            ],  # fmt: skip
            inspect=["user:1"],
            expect=_expect("user:1", "listpack"),
        ),
        DemoStep(
            "One long value: now it is a hashtable",
            "A value longer than `hash-max-listpack-value` (64 bytes) converts the whole "
            "hash. Walking a listpack of long strings would no longer be cheap.",
            ["HSET user:1 bio " + "a-rather-long-biography-" * 3, "OBJECT ENCODING user:1"],
            inspect=["user:1"],
            expect=_expect("user:1", "hashtable"),
        ),
        DemoStep(
            "A set of small integers: an intset",
            "Sorted 16-bit integers, searched by bisection. 8 bytes of header, 2 per member.",
            ["SADD ids 5 1 3 2", "OBJECT ENCODING ids", "MEMORY USAGE ids"],
            inspect=["ids"],
            expect=_expect("ids", "intset"),
        ),
        DemoStep(
            "One big number widens every slot",
            "70000 does not fit in 16 bits: the intset is rewritten at 32 bits per member.",
            ["SADD ids 70000", "MEMORY USAGE ids"],
            inspect=["ids"],
            expect=_expect("ids", "intset"),
        ),
        DemoStep(
            "One word, and the intset is gone",
            "A member that is not an integer cannot live in an intset: hashtable.",
            ["SADD ids hello", "OBJECT ENCODING ids"],
            inspect=["ids"],
            expect=_expect("ids", "hashtable"),
        ),
        DemoStep(
            "A small sorted set: member, score pairs in a listpack",
            "Kept in score order, so `ZRANGE` just reads the strip from the start.",
            [
                "ZADD board 0 player0 10 player1 20 player2 30 player3 40 player4",
                "OBJECT ENCODING board",
            ],  # fmt: skip
            inspect=["board"],
            expect=_expect("board", "listpack"),
        ),
        DemoStep(
            "Past 128 members: a skiplist",
            "Towers of forward links with spans; `ZRANK` sums the spans on the way down.",
            ["OBJECT ENCODING board", "ZRANK board player150"],
            action=_fill_zset,
            inspect=["board"],
            expect=_expect("board", "skiplist"),
        ),
        DemoStep(
            "A list is a chain of listpacks",
            "Three elements fit in one quicklist node…",
            ["RPUSH queue job-0 job-1 job-2", "OBJECT ENCODING queue"],
            inspect=["queue"],
            expect=_expect("queue", "quicklist"),
        ),
        DemoStep(
            "…and three thousand need several nodes",
            "Each node holds up to 8 KB of entries (`list-max-listpack-size -2`).",
            ["LLEN queue", "LINDEX queue -1"],
            action=_fill_list,
            inspect=["queue"],
            expect=_list_nodes,
        ),
    ],
)

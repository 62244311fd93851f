"""Shared helpers for the TUI tests: waiting on a Pilot, fixed LAB INSPECT data."""

from __future__ import annotations

import asyncio
import time


async def wait_for(pilot, condition, timeout: float = 15.0, what: str = "condition"):
    """Let the app run until ``condition()`` is true (workers are threads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # not there yet (a widget not mounted ...)
            value = None
        if value:
            return value
        await pilot.pause(0.05)
        await asyncio.sleep(0)
    raise AssertionError(f"timed out waiting for {what}")


async def console_screen(pilot, app):
    """Wait for the app to start and its console to be connected and focused."""
    await wait_for(pilot, lambda: app.lab is not None and app.screen.id != "_default", what="start")
    console = await wait_for(
        pilot, lambda: type(app.screen).__name__ == "ConsoleScreen" and app.screen, what="console"
    )
    await wait_for(pilot, lambda: console.conn is not None, what="console connection")
    await wait_for(pilot, lambda: console.query_one("#command").has_focus, what="focus")
    return console


def _entry(index, offset, encoding, hlen, dlen, value, role=None):
    size = hlen + dlen
    out = {
        "index": index, "offset": offset, "encoding": encoding, "header_len": hlen,
        "data_len": dlen, "value": value, "backlen": size, "backlen_size": 1, "size": size + 1,
    }  # fmt: skip
    if role:
        out["role"] = role
    return out


def base(key, type_, encoding, length, memory, layout):
    return {
        "key": key, "db": 0, "type": type_, "encoding": encoding, "ttl_ms": -1,
        "expire_at_ms": -1, "expired": 0, "lru": 1000, "idle_seconds": 3,
        "memory": memory, "length": length, "layout": layout,
    }  # fmt: skip


LISTPACK_HASH = base(
    "user:1", "hash", "listpack", 2, 80,
    {
        "total_bytes": 25, "num_elements": 4, "length": 4, "header_size": 6, "window_start": 0,
        "entries": [
            _entry(0, 6, "LP_ENCODING_6BIT_STR", 1, 4, "name", "field"),
            _entry(1, 12, "LP_ENCODING_6BIT_STR", 1, 3, "Ada", "value"),
            _entry(2, 17, "LP_ENCODING_6BIT_STR", 1, 3, "age", "field"),
            _entry(3, 22, "LP_ENCODING_7BIT_UINT", 1, 0, 36, "value"),
        ],
        "raw": bytes.fromhex("190000000400846e616d6505834164610483616765042401ff"),
        "raw_truncated": 0, "fields": 2,
        "path": {"member": "age", "found": 1, "index": 2, "offset": 17},
    },
)  # fmt: skip

INTSET = base(
    "ids", "set", "intset", 3, 64,
    {
        "encoding": "INTSET_ENC_INT32", "width": 4, "length": 3, "blob_len": 20,
        "window_start": 0, "values": [1, 2, 70000],
        "raw": bytes.fromhex("0400000003000000" "01000000" "02000000" "70110100"),
        "raw_truncated": 0, "members": 3,
        "path": {"member": "2", "found": 1, "position": 1},
    },
)  # fmt: skip

QUICKLIST = base(
    "jobs", "list", "quicklist", 12, 400,
    {
        "type": "list", "encoding": "quicklist", "length": 12, "node_count": 3, "fill": 5,
        "compress_depth": 1, "window_start": 0,
        "nodes": [
            {"index": 0, "count": 5, "sz": 27, "container": "PACKED", "compressed": 0,
             "compressed_size": None, "recompress": 0,
             "entries": [_entry(i, 6 + 4 * i, "LP_ENCODING_6BIT_STR", 1, 2, f"e{i}") for i in range(5)],
             "raw": bytes.fromhex("1b0000000500" + "".join(f"8265{0x30 + i:02x}03" for i in range(5)) + "ff"),
             "raw_truncated": 0},
            {"index": 1, "count": 5, "sz": 27, "container": "PACKED", "compressed": 1,
             "compressed_size": 21, "recompress": 0},
            {"index": 2, "count": 2, "sz": 17, "container": "PACKED", "compressed": 0,
             "compressed_size": None, "recompress": 0},
        ],
    },
)  # fmt: skip


def _node(rank, ele, score, levels):
    return {
        "rank": rank, "ele": ele, "score": score, "height": len(levels),
        "backward_rank": rank - 1 if rank > 1 else None,
        "levels": [{"level": i, "forward_rank": f, "span": s} for i, (f, s) in enumerate(levels)],
    }  # fmt: skip


SKIPLIST = base(
    "board", "zset", "skiplist", 5, 900,
    {
        "length": 5, "level": 3, "window_start": 0,
        "header": [{"level": 0, "forward_rank": 1, "span": 1},
                   {"level": 1, "forward_rank": 2, "span": 2},
                   {"level": 2, "forward_rank": 4, "span": 4}],
        "nodes": [
            _node(1, "a", 1.0, [(2, 1)]),
            _node(2, "b", 2.0, [(3, 1), (4, 2)]),
            _node(3, "c", 3.0, [(4, 1)]),
            _node(4, "d", 4.5, [(5, 1), (None, None), (None, None)]),
            _node(5, "e", 5.0, [(None, None)]),
        ],
        "dict": {"table_size": [8, 0], "used": [5, 0], "rehashidx": -1, "rehashing": 0},
        "members": 5,
        "path": {"member": "c", "found": 1, "score": 3.0, "rank": 3,
                 "path": [{"level": 2, "visited": [[0, None, None]]},
                          {"level": 1, "visited": [[0, None, None], [2, "b", 2.0]]},
                          {"level": 0, "visited": [[2, "b", 2.0], [3, "c", 3.0]]}]},
    },
)  # fmt: skip

HASHTABLE = base(
    "tags", "set", "hashtable", 6, 500,
    {
        "table_size": [4, 8], "used": [2, 4], "rehashidx": 2, "rehashing": 1,
        "load_factor": 0.5, "pauserehash": 0, "window_start": 0,
        "buckets": [
            {"table": 0, "index": 0, "chain": []},
            {"table": 0, "index": 1, "chain": []},
            {"table": 0, "index": 2, "chain": ["red", "blue"]},
            {"table": 0, "index": 3, "chain": []},
            {"table": 1, "index": 0, "chain": ["green"]},
            {"table": 1, "index": 1, "chain": ["x", "y"]},
            {"table": 1, "index": 5, "chain": ["z"]},
        ],
        "members": 6,
        "path": {"member": "blue", "found": 1, "table": 0, "bucket": 2, "chain_position": 1},
    },
)  # fmt: skip

STRING_EMBSTR = base(
    "greeting", "string", "embstr", 5, 64,
    {"encoding": "embstr", "sds_header": 3, "bytes": 5, "value_preview": "hello", "truncated": 0},
)  # fmt: skip
STRING_INT = base(
    "n", "string", "int", 2, 16,
    {"encoding": "int", "sds_header": 0, "bytes": 2, "integer": 42, "shared": 1},
)  # fmt: skip
STRING_RAW = base(
    "blob", "string", "raw", 100, 160,
    {"encoding": "raw", "sds_header": 3, "bytes": 100, "value_preview": "x" * 64, "truncated": 1},
)  # fmt: skip

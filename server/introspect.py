"""What ``LAB INSPECT``, ``LAB KEYSPACE`` and ``LAB EVENTS`` answer (DESIGN: the LAB family).

The lab (TUI, notebooks, lessons) sees the server only through RESP, so
everything it draws -- listpack bytes, quicklist nodes, skiplist towers,
hashtable buckets -- comes from these replies. They are plain data: nested
``dict``/``list`` built here, turned into RESP3 maps (flat arrays under
RESP2) by :func:`to_reply`. Their shapes are documented in
``docs/lab-command.md``; change the two together.

**Windows.** A layout never lists a whole big structure: ``WINDOW start
count`` picks which entries, nodes, buckets or ranks to show (default the
first 32), and each layout says how many there are in total, so a view can
page. Every layout here is O(count) or O(log N + count) -- a million-member
set answers as fast as a small one.

**No side effects.** Inspecting a key does not touch its LRU clock, count a
keyspace hit or expire it (a key past its TTL is shown with ``expired`` 1),
so watching a key does not change what you are watching.

Value objects may provide their own ``inspect(**window)``; it is used when
present, and the builders below (one per encoding) serve the others and are
there for the value objects to reuse.
"""

from __future__ import annotations

import dataclasses
from itertools import islice
from typing import TYPE_CHECKING, Any

from .encodings import intset as intset_mod
from .encodings.listpack import Listpack
from .keyspace import type_name
from .memory import key_usage, sds_header
from .protocol.replies import Map

if TYPE_CHECKING:
    from .encodings.dict import Dict
    from .keyspace import Database
    from .server import Server

DEFAULT_WINDOW = 32
MAX_WINDOW = 10_000
PREVIEW_BYTES = 64
RAW_BYTES_LIMIT = 8192  # listpack / intset bytes shown in full up to this size
LFU_POLICIES = ("allkeys-lfu", "volatile-lfu")


# -- reply conversion -----------------------------------------------------------------


def to_reply(v: Any) -> Any:
    """Nested dicts -> Map, tuples/lists -> arrays, bools -> 0/1, dataclasses -> Map."""
    t = type(v)
    if t is dict:
        return Map((k, to_reply(x)) for k, x in v.items())
    if t is Map:
        return Map((k, to_reply(x)) for k, x in v)
    if t is list or t is tuple:
        return [to_reply(x) for x in v]
    if t is bool:
        return int(v)
    if t is bytearray or t is memoryview:
        return bytes(v)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return to_reply(dataclasses.asdict(v))
    if v is None or t in (bytes, int, str, float):
        return v
    return str(v)


# -- windows ---------------------------------------------------------------------------


def clamp_window(start: int, count: int) -> tuple[int, int]:
    return max(0, start), max(0, min(count, MAX_WINDOW))


def string_layout(value: object) -> dict:
    """An ``OBJ_STRING``: which of the three encodings and the sds around the bytes."""
    from .commands.strings import string_encoding

    enc = string_encoding(value)
    if type(value) is int:
        data = b"%d" % value
        return {
            "encoding": enc,
            "sds_header": 0,
            "bytes": len(data),
            "value_preview": data,
            "integer": value,
            "shared": int(0 <= value < 10000),
        }
    n = len(value)  # type: ignore[arg-type]
    hdr = 3 if enc == "embstr" else max(3, sds_header(n))
    return {
        "encoding": enc,
        "sds_header": hdr,
        "bytes": n,
        "value_preview": bytes(value[:PREVIEW_BYTES]),  # type: ignore[index]
        "truncated": int(n > PREVIEW_BYTES),
    }


def listpack_layout(
    lp: Listpack, start: int = 0, count: int = DEFAULT_WINDOW, path: bytes | None = None
) -> dict:
    """Header, a window of entries with offsets/encodings/back-lengths, and the raw bytes."""
    entries = []
    for info in islice(lp.entries(), start, start + count):
        entries.append(
            {
                "index": info.index,
                "offset": info.offset,
                "encoding": info.encoding,
                "header_len": info.header_len,
                "data_len": info.data_len,
                "value": info.value if isinstance(info.value, int) else bytes(info.value),
                "backlen": info.backlen,
                "backlen_size": info.backlen_size,
                "size": info.size,
            }
        )
    total = len(lp.buf)
    out = {
        "total_bytes": total,
        "num_elements": lp.header_count,
        "length": len(lp),
        "header_size": 6,
        "window_start": start,
        "entries": entries,
        "raw": bytes(lp.buf[:RAW_BYTES_LIMIT]),
        "raw_truncated": int(total > RAW_BYTES_LIMIT),
    }
    if path is not None:
        out["path"] = {"member": path, "index": lp.find(path)}
    return out


def intset_layout(
    iset, start: int = 0, count: int = DEFAULT_WINDOW, path: bytes | None = None
) -> dict:
    n = len(iset)
    width = iset.encoding
    out: dict[str, Any] = {
        "encoding": intset_mod.ENCODING_NAMES[width],
        "width": width,
        "length": n,
        "blob_len": iset.blob_len(),
        "window_start": start,
        "values": [iset.get(i) for i in range(start, min(n, start + count))],
        "raw": bytes(iset.buf[:RAW_BYTES_LIMIT]),
        "raw_truncated": int(len(iset.buf) > RAW_BYTES_LIMIT),
    }
    if path is not None:
        from .encodings.listpack import string_to_int64

        v = string_to_int64(path)
        found, pos = iset.search(v) if v is not None else (False, -1)
        out["path"] = {"member": path, "found": int(found), "position": pos}
    return out


def dict_geometry(d: Dict) -> dict:
    """Both tables' sizes and fill, and where an incremental rehash stands."""
    s0, s1 = len(d.table0), len(d.table1)
    return {
        "table_size": [s0, s1],
        "used": [d.used0, d.used1],
        "rehashidx": d.rehashidx,
        "rehashing": int(d.rehashidx != -1),
        "load_factor": round(d.used0 / s0, 3) if s0 else 0.0,
        "pauserehash": d.pauserehash,
    }


def hashtable_layout(
    d: Dict,
    start: int = 0,
    count: int = DEFAULT_WINDOW,
    path: bytes | None = None,
    values: bool = False,
) -> dict:
    """Geometry plus a window of table-0 buckets (then table 1) with their chains."""
    buckets = []
    for table, t in ((0, d.table0), (1, d.table1)):
        if not t:
            continue
        lo = start if table == 0 else max(0, start - len(d.table0))
        hi = min(len(t), lo + count - len(buckets))
        for idx in range(lo, hi):
            chain = []
            e = t[idx]
            while e is not None:
                chain.append([e.key, _preview(e.value)] if values else e.key)
                e = e.next
            buckets.append({"table": table, "index": idx, "chain": chain})
        if len(buckets) >= count:
            break
    out = dict_geometry(d)
    out["window_start"] = start
    out["buckets"] = buckets
    if path is not None:
        out["path"] = _dict_path(d, path)
    return out


def _dict_path(d: Dict, key: bytes) -> dict:
    """Where a lookup of ``key`` goes: its bucket in each table, then the chain.

    The bucket is the key's hash masked by the table size, as ``dictFind``
    computes it (our hash function is Python's SipHash of the bytes).
    """
    h = hash(bytes(key))
    for table, t in ((0, d.table0), (1, d.table1)):
        if not t:
            continue
        idx = h & (len(t) - 1)
        pos = 0
        e = t[idx]
        while e is not None:
            if e.key == key:
                return {
                    "member": key,
                    "found": 1,
                    "table": table,
                    "bucket": idx,
                    "chain_position": pos,
                }
            e = e.next
            pos += 1
    return {"member": key, "found": 0}


def skiplist_layout(
    zsl, d: Dict, start: int = 0, count: int = DEFAULT_WINDOW, path: bytes | None = None
) -> dict:
    towers = zsl.towers(start + 1, count)
    out = {
        "length": towers["length"],
        "level": towers["level"],
        "window_start": start,
        "header": towers["header"],
        "nodes": towers["nodes"],
        "dict": dict_geometry(d),
    }
    if path is not None:
        e = d.find(path)
        out["path"] = (
            {"member": path, "found": 0}
            if e is None
            else dict(zsl.search_path(e.value, path), member=path, found=1, score=e.value)
        )
    return out


def _preview(v: object) -> object:
    if isinstance(v, (bytes, bytearray)):
        return bytes(v[:PREVIEW_BYTES])
    return v


def builtin_layout(value: object, start: int, count: int, path: bytes | None) -> dict:
    """The layout of a value whose object has no ``inspect`` of its own."""
    t = type(value)
    if t is bytes or t is bytearray or t is int:
        return string_layout(value)
    enc = getattr(value, "encoding", None)
    if enc == "quicklist":  # ListObject.inspect draws the nodes; this is the bare minimum
        ql = value.ql  # type: ignore[attr-defined]
        return {"encoding": "quicklist", "length": ql.count, "node_count": ql.len}
    if enc == "listpack":
        return listpack_layout(value.lp, start, count, path)  # type: ignore[attr-defined]
    if enc == "intset":
        return intset_layout(value.intset, start, count, path)  # type: ignore[attr-defined]
    if enc == "hashtable":
        is_hash = getattr(value, "TYPE_NAME", "") == "hash"
        return hashtable_layout(value.dict, start, count, path, values=is_hash)  # type: ignore[attr-defined]
    if enc == "skiplist":
        return skiplist_layout(value.zsl, value.dict, start, count, path)  # type: ignore[attr-defined]
    return {"encoding": str(enc)}


def value_layout(
    value: object, start: int = 0, count: int = DEFAULT_WINDOW, path: bytes | None = None
) -> dict:
    fn = getattr(value, "inspect", None)
    if fn is not None:
        window: dict[str, Any] = {"start": start, "count": count}
        if path is not None:
            window["path"] = path
        try:
            return fn(**window)
        except TypeError:
            pass  # an inspect() with other parameters: use ours
    return builtin_layout(value, start, count, path)


# -- LAB INSPECT ---------------------------------------------------------------------------


def inspect_key(
    server: Server,
    db: Database,
    key: bytes,
    start: int = 0,
    count: int = DEFAULT_WINDOW,
    path: bytes | None = None,
) -> dict | None:
    e = db.dict.find(key)
    if e is None:
        return None
    value = e.value
    now = server.clock.ms()
    expire = db.get_expire(key)
    start, count = clamp_window(start, count)
    out: dict[str, Any] = {
        "key": key,
        "db": db.id,
        "type": type_name(value),
        "encoding": _encoding(value),
        "ttl_ms": -1 if expire == -1 else max(0, expire - now),
        "expire_at_ms": expire,
        "expired": int(expire != -1 and now > expire),
    }
    if server.config.maxmemory_policy in LFU_POLICIES:
        out["lfu_freq"] = e.lru & 0xFF
        out["lfu_minutes"] = e.lru >> 8
    else:
        out["lru"] = e.lru
        out["idle_seconds"] = server.estimate_idle_ms(e.lru) // 1000
    out["memory"] = key_usage(key, value)
    out["length"] = _length(value)
    out["layout"] = value_layout(value, start, count, path)
    return out


def _encoding(value: object) -> str:
    from .commands.keys import encoding_name

    return encoding_name(value)


def _length(value: object) -> int:
    t = type(value)
    if t is int:
        return len(b"%d" % value)
    return len(value)  # type: ignore[arg-type]


# -- LAB KEYSPACE ----------------------------------------------------------------------------


def keyspace(server: Server, db: Database) -> dict:
    st = server.stats
    cfg = server.config
    return {
        "db": db.id,
        "keys": len(db.dict),
        "expires": len(db.expires),
        "avg_ttl": db.avg_ttl,
        "dict": dict_geometry(db.dict),
        "expires_dict": dict_geometry(db.expires),
        "expires_cursor": db.expires_cursor,
        "expire_cycle": {
            "active_expire_enabled": int(server.active_expire_enabled),
            "hz": cfg.hz,
            "active_expire_effort": cfg.active_expire_effort,
            "expired_keys": st.expired_keys,
            "expired_stale_perc": round(st.expired_stale_perc * 100, 2),
            "expired_time_cap_reached_count": st.expired_time_cap_reached_count,
            "expire_cycle_cpu_milliseconds": st.expire_cycle_time_used // 1000,
            "next_db": server.expire_db % len(server.dbs),
        },
    }


# -- LAB EVENTS ------------------------------------------------------------------------------


def events_since(server: Server, since: int = 0, count: int = 100) -> dict:
    """Events with id > since, oldest first, at most ``count``.

    ``first_id`` is the oldest id still buffered: if it is above ``since + 1``
    the poller missed some (the buffer keeps the last 1024); ``last_id`` is
    what to pass as SINCE next time; ``newest_id`` the latest event's id (a
    view that only wants what happens from now on starts with it).
    """
    evs = server.events
    first_id = evs[0]["id"] if evs else server.event_seq + 1
    out = []
    for ev in evs:
        if ev["id"] > since:
            out.append(_event_map(ev))
            if len(out) >= count:
                break
    return {
        "last_id": out[-1]["id"] if out else server.event_seq,
        "first_id": first_id,
        "newest_id": server.event_seq,
        "missed": int(bool(evs) and first_id > since + 1),
        "events": out,
    }


def _event_map(ev: dict) -> dict:
    out = {"id": ev["id"], "type": ev["type"], "time_ms": ev["time_ms"]}
    for k, v in ev.items():
        if k not in out:
            out[k] = v
    return out


def memory_report(server: Server, recount: bool = False) -> dict:
    """``LAB MEMORY``: the memory model's totals, maxmemory, and the eviction state."""
    from .evict import EVPOOL_SIZE, LRU_CLOCK_RESOLUTION
    from .memory import memory_summary
    from .memory import recount as full_recount

    m = memory_summary(server)
    cfg = server.config
    ev = server.evictor
    out = {
        "used_memory": m["used_memory"],
        "parts": {
            "startup": m["startup"],
            "keys": m["keys_bytes"],
            "tables": m["tables"],
            "clients": m["clients_normal"],
            "argv": m["argv"],
        },
        "dataset": m["dataset"],
        "overhead": m["overhead"],
        "keys": m["keys"],
        "maxmemory": cfg.maxmemory,
        "maxmemory_policy": cfg.maxmemory_policy,
        "maxmemory_samples": cfg.maxmemory_samples,
        "maxmemory_eviction_tenacity": cfg.maxmemory_eviction_tenacity,
        "over_by": max(0, m["used_memory"] - cfg.maxmemory) if cfg.maxmemory else 0,
        "lru_clock": server.lruclock,
        "lru_clock_resolution_ms": LRU_CLOCK_RESOLUTION,
        "lfu_log_factor": cfg.lfu_log_factor,
        "lfu_decay_time": cfg.lfu_decay_time,
        "evicted_keys": server.stats.evicted_keys,
        "eviction_cycles": ev.cycles,
        "eviction_running": ev.running,
        "total_eviction_exceeded_time": ev.total_exceeded_ms(),
        "current_eviction_exceeded_time": ev.current_exceeded_ms(),
        "pool_size": EVPOOL_SIZE,
        "pool": ev.pool_report(),
        "last_sampled": ev.sampled_report(),
        "model": m["model"],
    }
    if recount:
        out["recount_keys"] = full_recount(server)
    return out

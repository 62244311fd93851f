"""The memory model: what Redis would allocate for our data (DESIGN principle 4).

Redis counts memory with ``zmalloc``: every allocation rounded up to the
allocator's size class (jemalloc: 8, 16, 32, 48, 64, 80, 96, 112, 128, 160,
...). ``used_memory`` is the sum. We do not measure Python's heap — a Python
``bytes`` object costs 33 bytes more than its contents, which says nothing
about Redis — we add up what Redis would have allocated for the same data:

    string key "user:1" -> "alice"   (embstr value, no TTL)
      dictEntry        24 -> 24      key, value, next pointers
      key sds          3 + 6 + 1 = 10 -> 16     (sdshdr8 + bytes + NUL)
      robj + embstr    16 + 3 + 5 + 1 = 25 -> 32
      bucket pointer   8 per table slot, shared by the dict

This first version models strings and the keyspace dicts; the data-types
and memory issues extend it to every encoding and make it incremental.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .server import Server

# jemalloc's small size classes (bytes), then 4 KiB pages for larger allocations.
_SMALL = [8, 16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
          640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144,
          7168, 8192, 10240, 12288, 14336]  # fmt: skip

DICT_ENTRY = 24  # sizeof(dictEntry)
ROBJ = 16  # sizeof(robj)
DICT_STRUCT = 56  # sizeof(dict) in 7.0
STARTUP_BYTES = 862_000  # used_memory of an empty Redis 7.0 right after start


def jemalloc_size(n: int) -> int:
    """The size class an allocation of n bytes really takes."""
    if n <= 0:
        return 0
    if n <= 14336:
        lo, hi = 0, len(_SMALL) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if _SMALL[mid] >= n:
                hi = mid
            else:
                lo = mid + 1
        return _SMALL[lo]
    # Large classes: 4 size classes per doubling.
    size = 16384
    while size < n:
        step = size // 4
        for _ in range(4):
            size += step
            if size >= n:
                return size
    return size


def sds_header(n: int) -> int:
    """sdsReqType: the header size for a string of length n."""
    if n < 1 << 5:
        return 1  # sdshdr5 (only used for keys; values get at least sdshdr8)
    if n < 1 << 8:
        return 3
    if n < 1 << 16:
        return 5
    if n < 1 << 32:
        return 9
    return 17


def key_bytes(key: bytes) -> int:
    """A key's sds (keys use sdshdr5 when short, as sdsdup keeps the smallest type)."""
    n = len(key)
    return jemalloc_size(sds_header(n) + n + 1)


def string_value_bytes(value: object) -> int:
    t = type(value)
    if t is int:
        return 0 if 0 <= value < 10000 else ROBJ  # type: ignore[operator]
    n = len(value)  # type: ignore[arg-type]
    if t is bytes and n <= 44:
        return jemalloc_size(ROBJ + 3 + n + 1)  # embstr: robj and sdshdr8 in one block
    hdr = max(3, sds_header(n))
    return ROBJ + jemalloc_size(hdr + n + 1)


def value_bytes(value: object) -> int:
    t = type(value)
    if t is bytes or t is int or t is bytearray:
        return string_value_bytes(value)
    fn = getattr(value, "memory_usage", None)
    return fn() if fn is not None else ROBJ


def dict_table_bytes(d) -> int:
    return 8 * d.slots()


def entry_bytes(key: bytes, value: object) -> int:
    return DICT_ENTRY + key_bytes(key) + value_bytes(value)


def memory_summary(server: Server, sample_limit: int = 20000) -> dict:
    """used_memory and its parts; sampled (like MEMORY USAGE) for big keyspaces."""
    dataset = 0
    overhead = STARTUP_BYTES
    for db in server.dbs:
        overhead += dict_table_bytes(db.dict) + dict_table_bytes(db.expires)
        overhead += len(db.expires) * DICT_ENTRY
        n = len(db.dict)
        if not n:
            continue
        if n <= sample_limit:
            dataset += sum(entry_bytes(e.key, e.value) for e in db.dict.entries())
        else:
            sample = db.dict.some_entries(1000, server.rng) or list(db.dict.entries())[:1000]
            avg = sum(entry_bytes(e.key, e.value) for e in sample) / len(sample)
            dataset += int(avg * n)
    clients = sum(16 * 1024 + c.reader.pending() + c.output_pending() for c in server.clients.values())
    overhead += clients
    used = dataset + overhead
    return {
        "used_memory": used,
        "overhead": overhead,
        "startup": STARTUP_BYTES,
        "dataset": dataset,
        "dataset_perc": dataset * 100 / (used - STARTUP_BYTES) if used > STARTUP_BYTES else 0.0,
        "clients_normal": clients,
        "model": "strings+dicts (sampled above %d keys)" % sample_limit,
    }


def human_bytes(n: int) -> str:
    """bytesToHuman."""
    d = float(n)
    if n < 1024:
        return "%dB" % n
    for unit in "KMGTPE":
        d /= 1024
        if d < 1024 or unit == "E":
            return "%.2f%s" % (d, unit)
    return "%dB" % n

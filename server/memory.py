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

Every encoding has a helper here (``listpack_alloc``, ``intset_alloc``,
``quicklist_alloc``, ``hashtable_alloc``, ``skiplist_alloc``) so the value
objects' ``memory_usage()`` and ``MEMORY USAGE`` share one set of numbers.
:func:`object_compute_size` is Redis's ``objectComputeSize``: for big
collections it averages the first ``samples`` elements (5 by default, all
with ``SAMPLES 0``) and multiplies by the count, exactly as Redis estimates,
so its answer is comparable with real Redis's ``MEMORY USAGE``. The sizes
of the C structs it adds (64-bit Redis 7.0)::

    robj 16   dictEntry 24   dict 56   quicklist 40   quicklistNode 40
    zset 16   zskiplist 32   zskiplistNode 24 + 16 per level
    skiplist header: a 32-level node (536 -> 640)
    quicklistLZF 8 + compressed bytes (a compressed node's allocation)

``MEMORY USAGE`` counts struct sizes as Redis's ``objectComputeSize`` does
(``sizeof(dictEntry)`` is 24 there, although jemalloc serves it from the
32-byte class that ``used_memory`` sees).
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


QUICKLIST_STRUCT = 40  # sizeof(quicklist): head, tail, count, len, fill/compress/bookmarks bits
QUICKLIST_NODE = 40  # sizeof(quicklistNode): prev, next, entry, sz, 32 bits of fields, padding
ZSET_STRUCT = 16  # sizeof(zset): dict*, zsl*
ZSKIPLIST_STRUCT = 32  # sizeof(zskiplist): header, tail, length, level
ZSKIPLIST_NODE = 24  # sizeof(zskiplistNode) without levels: ele, score, backward
ZSKIPLIST_LEVEL = 16  # forward pointer + span
ZSKIPLIST_MAXLEVEL = 32
QUICKLIST_LZF_HEADER = 8  # quicklistLZF: a size_t sz in front of the compressed bytes (7.0)
OBJ_COMPUTE_SIZE_DEF_SAMPLES = 5


def sds_alloc(n: int) -> int:
    """``sdsZmallocSize`` of an sds made by ``sdsnewlen`` for n bytes (sdshdr5 if short)."""
    hdr = 3 if n == 0 else sds_header(n)
    return jemalloc_size(hdr + n + 1)


def listpack_alloc(lp) -> int:
    """``zmalloc_size`` of a listpack: its total bytes in their size class."""
    return jemalloc_size(len(lp.buf))


def intset_alloc(iset) -> int:
    return jemalloc_size(len(iset.buf))


def quicklist_node_alloc(node) -> int:
    """One node: the struct plus its listpack (or quicklistLZF when compressed)."""
    if node.is_compressed:
        return QUICKLIST_NODE + jemalloc_size(QUICKLIST_LZF_HEADER + len(node.entry))
    return QUICKLIST_NODE + jemalloc_size(node.sz)


def _average_times(total: int, samples: int, count: int) -> float:
    return total / samples * count if samples else 0.0


def quicklist_alloc(ql, samples: int = OBJ_COMPUTE_SIZE_DEF_SAMPLES) -> int:
    """A list's quicklist: struct + the average of the first nodes times the node count."""
    size = QUICKLIST_STRUCT
    elesize = n = 0
    for node in ql.iter_nodes():
        elesize += quicklist_node_alloc(node)
        n += 1
        if n >= samples:
            break
    return int(size + _average_times(elesize, n, ql.len))


def hashtable_alloc(
    d, samples: int = OBJ_COMPUTE_SIZE_DEF_SAMPLES, with_values: bool = False
) -> int:
    """A set's or hash's dict: struct, bucket arrays, and sampled entries + sds.

    ``with_values`` counts each entry's value as an sds too (hash fields).
    """
    size = DICT_STRUCT + 8 * d.slots()
    elesize = n = 0
    if samples > 0:
        for e in d.entries():
            elesize += DICT_ENTRY + sds_alloc(len(e.key))
            if with_values:
                v = e.value
                elesize += sds_alloc(len(v) if type(v) is not int else len(b"%d" % v))
            n += 1
            if n >= samples:
                break
    return int(size + _average_times(elesize, n, len(d)))


def skiplist_node_alloc(level: int) -> int:
    return jemalloc_size(ZSKIPLIST_NODE + ZSKIPLIST_LEVEL * level)


def skiplist_alloc(zsl, d, samples: int = OBJ_COMPUTE_SIZE_DEF_SAMPLES) -> int:
    """A big sorted set: zset + zskiplist + dict structs, header node, sampled nodes."""
    size = ZSET_STRUCT + ZSKIPLIST_STRUCT + DICT_STRUCT + 8 * d.slots()
    size += skiplist_node_alloc(ZSKIPLIST_MAXLEVEL)
    elesize = n = 0
    x = zsl.header.level[0].forward
    while x is not None and n < samples:
        elesize += sds_alloc(len(x.ele)) + DICT_ENTRY + skiplist_node_alloc(len(x.level))
        n += 1
        x = x.level[0].forward
    return int(size + _average_times(elesize, n, len(d)))


def object_compute_size(value: object, samples: int = OBJ_COMPUTE_SIZE_DEF_SAMPLES) -> int:
    """``objectComputeSize``: the value's bytes (robj included), sampled like Redis."""
    t = type(value)
    if t is int:
        return ROBJ  # the robj itself (the integer lives in its pointer)
    if t is bytes or t is bytearray:
        n = len(value)  # type: ignore[arg-type]
        if t is bytes and n <= 44:
            return jemalloc_size(ROBJ + 3 + n + 1)
        return ROBJ + jemalloc_size(max(3, sds_header(n)) + n + 1)
    enc = getattr(value, "encoding", None)
    try:
        if enc == "quicklist":
            return ROBJ + quicklist_alloc(value.ql, samples)  # type: ignore[attr-defined]
        if enc == "listpack":
            return ROBJ + listpack_alloc(value.lp)  # type: ignore[attr-defined]
        if enc == "intset":
            return ROBJ + intset_alloc(value.intset)  # type: ignore[attr-defined]
        if enc == "hashtable":
            with_values = getattr(value, "TYPE_NAME", "") == "hash"
            return ROBJ + hashtable_alloc(value.dict, samples, with_values)  # type: ignore[attr-defined]
        if enc == "skiplist":
            return ROBJ + skiplist_alloc(value.zsl, value.dict, samples)  # type: ignore[attr-defined]
    except AttributeError:
        pass
    fn = getattr(value, "memory_usage", None)
    return fn() if fn is not None else ROBJ


def key_usage(key: bytes, value: object, samples: int = OBJ_COMPUTE_SIZE_DEF_SAMPLES) -> int:
    """``MEMORY USAGE``: the value, the key's sds and its dictEntry."""
    return object_compute_size(value, samples) + key_bytes(key) + DICT_ENTRY


def value_bytes(value: object) -> int:
    t = type(value)
    if t is bytes or t is int or t is bytearray:
        return string_value_bytes(value)
    fn = getattr(value, "memory_usage", None)
    if fn is not None:
        return fn()
    return object_compute_size(value, 1 << 62)


def dict_table_bytes(d) -> int:
    return 8 * d.slots()


def entry_bytes(key: bytes, value: object) -> int:
    # dictEntry is 24 bytes, which jemalloc serves from its 32-byte class.
    return jemalloc_size(DICT_ENTRY) + key_bytes(key) + value_bytes(value)


def memory_summary(server: Server, sample_limit: int = 20000) -> dict:
    """used_memory and its parts; sampled (like MEMORY USAGE) for big keyspaces."""
    dataset = 0
    overhead = STARTUP_BYTES
    for db in server.dbs:
        overhead += dict_table_bytes(db.dict) + dict_table_bytes(db.expires)
        overhead += len(db.expires) * jemalloc_size(DICT_ENTRY)
        n = len(db.dict)
        if not n:
            continue
        if n <= sample_limit:
            dataset += sum(entry_bytes(e.key, e.value) for e in db.dict.entries())
        else:
            sample = db.dict.some_entries(1000, server.rng) or list(db.dict.entries())[:1000]
            avg = sum(entry_bytes(e.key, e.value) for e in sample) / len(sample)
            dataset += int(avg * n)
    clients = sum(
        16 * 1024 + c.reader.pending() + c.output_pending() for c in server.clients.values()
    )
    overhead += clients
    used = dataset + overhead
    return {
        "used_memory": used,
        "overhead": overhead,
        "startup": STARTUP_BYTES,
        "dataset": dataset,
        "dataset_perc": dataset * 100 / (used - STARTUP_BYTES) if used > STARTUP_BYTES else 0.0,
        "clients_normal": clients,
        "model": f"every encoding (sampled above {sample_limit} keys)",
    }


def human_bytes(n: int) -> str:
    """bytesToHuman."""
    d = float(n)
    if n < 1024:
        return f"{n}B"
    for unit in "KMGTPE":
        d /= 1024
        if d < 1024 or unit == "E":
            return f"{d:.2f}{unit}"
    return f"{n}B"

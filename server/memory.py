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

**used_memory is a running total.** Redis knows ``used_memory`` at every
instant because ``zmalloc`` adds and subtracts each allocation. We keep the
same kind of counter at the level of keys (see "Incremental accounting"
below): each key's modelled bytes are remembered when it is written, and the
total moves by the difference, so ``INFO memory`` and the eviction check
before every command cost O(databases), never O(keys).
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
STARTUP_BYTES = 876_120  # used_memory_startup of Redis 7.0.15 (x86-64, jemalloc 5.3)


def _jemalloc_size_slow(n: int) -> int:
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


# Every small size class answered by one list index: jemalloc_size sits under
# the accounting of every write.
_JE_TABLE = [_jemalloc_size_slow(n) for n in range(14337)]


def jemalloc_size(n: int) -> int:
    """The size class an allocation of n bytes really takes."""
    if 0 <= n <= 14336:
        return _JE_TABLE[n]
    return _jemalloc_size_slow(n)


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


# -- Incremental accounting (used_memory) -------------------------------------------------
#
# What one key costs in used_memory (``entry_alloc``) is what zmalloc would
# have counted for it: the dictEntry (24 bytes, served from jemalloc's
# 32-byte class), the key's sds and the value with every allocation rounded up
# to its size class. This differs from MEMORY USAGE, which adds struct sizes
# without rounding (``sizeof(dictEntry)`` = 24) and samples big collections.
#
# Each keyspace entry remembers the bytes last counted for it
# (``KeyEntry.mem``) and each database their sum (``Database.mem``).
# ``Database.add``, ``set_key`` and ``delete`` account on the spot; values
# changed in place are reported through ``Server.signal_modified`` (Redis's
# ``signalModifiedKey``, which every write calls for WATCH) and :func:`sync`
# re-measures just those keys and moves the totals by the difference. Strings, listpacks and intsets measure in O(1) (their
# byte length is the answer). Big hashtables, skiplists and quicklists would
# cost O(n) to measure exactly, so they are measured exactly once and then
# estimated as fixed part + elements x the average element, re-measured
# exactly whenever the element count has doubled or halved since: amortised
# O(1) per write, and exact for anything that stays the same shape.

DICT_ENTRY_ALLOC = 32  # jemalloc_size(sizeof(dictEntry))
EXPIRE_ENTRY_ALLOC = 32  # an expires dictEntry (the key sds is shared with the main dict)
ROBJ_ALLOC = 16
_KEY_ALLOC = [jemalloc_size(sds_header(n) + n + 1) for n in range(4096)]
_EMBSTR_ALLOC = [jemalloc_size(ROBJ + 3 + n + 1) for n in range(45)]
EXACT_BELOW = 256  # collections smaller than this are always measured exactly


def string_alloc(value: object, shared_ints: bool = True) -> int:
    """A string value's allocations: robj + sds (embstr: one block); shared ints cost 0."""
    t = type(value)
    if t is bytes:
        n = len(value)  # type: ignore[arg-type]
        if n <= 44:
            return _EMBSTR_ALLOC[n]
        return ROBJ_ALLOC + jemalloc_size(max(3, sds_header(n)) + n + 1)
    if t is int:
        return 0 if shared_ints and 0 <= value < 10000 else ROBJ_ALLOC  # type: ignore[operator]
    # bytearray: a raw sds grown by APPEND/SETRANGE (sdsMakeRoomFor doubles up to 1 MB)
    n = len(value)  # type: ignore[arg-type]
    return ROBJ_ALLOC + jemalloc_size(max(3, sds_header(n)) + n + 1)


def _hashtable_parts(d, with_values: bool) -> tuple[int, int]:
    """(fixed bytes, bytes of all entries) of a dict-encoded set or hash, exactly."""
    fixed = jemalloc_size(DICT_STRUCT) + jemalloc_size(8 * d.slots())
    elems = 0
    for e in d.entries():
        elems += DICT_ENTRY_ALLOC + sds_alloc(len(e.key))
        if with_values:
            v = e.value
            elems += sds_alloc(len(v) if type(v) is not int else len(b"%d" % v))
    return fixed, elems


def _skiplist_parts(zsl, d) -> tuple[int, int]:
    fixed = jemalloc_size(ZSET_STRUCT) + jemalloc_size(ZSKIPLIST_STRUCT)
    fixed += jemalloc_size(DICT_STRUCT) + jemalloc_size(8 * d.slots())
    fixed += skiplist_node_alloc(ZSKIPLIST_MAXLEVEL)
    elems = 0
    x = zsl.header.level[0].forward
    while x is not None:
        elems += sds_alloc(len(x.ele)) + DICT_ENTRY_ALLOC + skiplist_node_alloc(len(x.level))
        x = x.level[0].forward
    return fixed, elems


def _quicklist_parts(ql) -> tuple[int, int]:
    fixed = jemalloc_size(QUICKLIST_STRUCT)
    elems = 0
    for node in ql.iter_nodes():
        elems += jemalloc_size(QUICKLIST_NODE) + (quicklist_node_alloc(node) - QUICKLIST_NODE)
    return fixed, elems


def _big_fixed(value, enc: str) -> int:
    """The part of a big collection that is O(1) to know (structs and bucket arrays)."""
    if enc == "hashtable":
        return jemalloc_size(DICT_STRUCT) + jemalloc_size(8 * value.dict.slots())
    if enc == "skiplist":
        return (
            jemalloc_size(ZSET_STRUCT)
            + jemalloc_size(ZSKIPLIST_STRUCT)
            + jemalloc_size(DICT_STRUCT)
            + jemalloc_size(8 * value.dict.slots())
            + skiplist_node_alloc(ZSKIPLIST_MAXLEVEL)
        )
    return jemalloc_size(QUICKLIST_STRUCT)


def _big_exact(value, enc: str) -> tuple[int, int]:
    if enc == "hashtable":
        return _hashtable_parts(value.dict, value.TYPE_NAME == "hash")
    if enc == "skiplist":
        return _skiplist_parts(value.zsl, value.dict)
    return _quicklist_parts(value.ql)


def _big_count(value, enc: str) -> int:
    """What the average is per: elements, or nodes for a quicklist."""
    if enc == "quicklist":
        return value.ql.len
    return len(value.dict)


def value_alloc(value: object, avg: dict | None = None, key: bytes = b"") -> int:
    """A value's allocations (robj included) as used_memory counts them.

    ``avg`` (a database's per-key cache of big collections' element averages)
    makes big collections amortised O(1); without it they are measured exactly.
    """
    t = type(value)
    if t is bytes or t is int or t is bytearray:
        return string_alloc(value)
    enc = getattr(value, "encoding", None)
    if enc == "listpack":
        lp = getattr(value, "lp", None)
        if lp is None:  # a listpack-encoded list (7.2+) keeps it inside its quicklist
            enc = "quicklist"
        else:
            return ROBJ_ALLOC + jemalloc_size(len(lp.buf))
    if enc == "intset":
        return ROBJ_ALLOC + jemalloc_size(len(value.intset.buf))  # type: ignore[attr-defined]
    if enc in ("hashtable", "skiplist", "quicklist"):
        n = _big_count(value, enc)
        if avg is not None and n >= EXACT_BELOW:
            cached = avg.get(key)
            if cached is not None and cached[0] is value and cached[2] // 2 <= n <= cached[2] * 2:
                return ROBJ_ALLOC + _big_fixed(value, enc) + int(cached[1] * n)
        fixed, elems = _big_exact(value, enc)
        if avg is not None:
            if n >= EXACT_BELOW:
                avg[key] = (value, elems / n, n)
            elif avg:
                avg.pop(key, None)
        return ROBJ_ALLOC + fixed + elems
    fn = getattr(value, "memory_usage", None)  # a type this model does not know yet
    return fn() if fn is not None else ROBJ_ALLOC


def entry_alloc(key: bytes, value: object, avg: dict | None = None) -> int:
    """One key of a database in used_memory: dictEntry + key sds + value."""
    n = len(key)
    t = type(value)
    if t is bytes:  # the common case, inlined
        vn = len(value)  # type: ignore[arg-type]
        if vn <= 44:
            return (
                DICT_ENTRY_ALLOC
                + (_KEY_ALLOC[n] if n < 4096 else key_bytes(key))
                + _EMBSTR_ALLOC[vn]
            )
    kb = _KEY_ALLOC[n] if n < 4096 else key_bytes(key)
    return DICT_ENTRY_ALLOC + kb + value_alloc(value, avg, key)


def sync(server: Server) -> None:
    """Re-measure the keys changed in place since the last sync; move the totals.

    Keys written through ``Database.add/set_key/delete`` are accounted there
    and then; this handles the rest (HSET on an existing hash, INCR, APPEND,
    LPUSH...), which report themselves through ``signal_modified`` into
    their database's ``mem_dirty`` set. Run by whoever reads used_memory
    (INFO, the eviction check before each command when maxmemory is set) and
    by the cron, so a burst of writes to one key costs one re-measure.
    """
    for db in server.dbs:
        if db.mem_dirty:
            sync_db(db)


def sync_db(db) -> None:
    dirty = db.mem_dirty
    db.mem_dirty = set()
    find = db.dict.find
    avg = db.avg
    total = 0
    for key in dirty:
        e = find(key)
        if e is None:
            continue  # deleted since: delete() already subtracted it
        new = entry_alloc(key, e.value, avg)
        d = new - e.mem
        if d:
            e.mem = new
            total += d
    db.mem += total


def active_dbs(server: Server) -> list:
    """The databases holding a hashtable (the others cost nothing but their startup share)."""
    if server.mem_dbs_stale:
        server.mem_dbs_stale = False
        server.mem_dbs = [
            db for db in server.dbs if db.dict.table0 or db.expires.table0 or db.mem or db.mem_dirty
        ]
    return server.mem_dbs


def keys_bytes(server: Server) -> int:
    """The keys' part of used_memory: every database's running total."""
    sync(server)
    return sum(db.mem for db in server.dbs)


def recount(server: Server) -> int:
    """The whole keyspace measured from scratch (O(keys)): a check on the running total."""
    return sum(entry_alloc(e.key, e.value) for db in server.dbs for e in db.dict.entries())


# Client buffers (networking.c getClientMemoryUsage): the client struct, the
# reply buffer (PROTO_REPLY_CHUNK_BYTES), the query buffer while it holds
# bytes (PROTO_IOBUF_LEN in an sdshdr16: the 20480 class) and the reply list.
CLIENT_STRUCT = 768  # zmalloc_size(client) in 7.0 on x86-64
PROTO_REPLY_CHUNK_BYTES = 16 * 1024
PROTO_IOBUF_LEN = 16 * 1024
QUERYBUF_ALLOC = jemalloc_size(5 + PROTO_IOBUF_LEN + 1)


def client_buffers(c) -> tuple[int, int, int, int]:
    """(qbuf, qbuf-free, omem, tot-mem) of one client, as CLIENT LIST shows them.

    The query buffer is an sds of PROTO_IOBUF_LEN while the client has a
    request in it (and while it runs one: ``argv_mem`` is then set), freed
    when idle; ``omem`` is the reply bytes not yet written to the socket.
    """
    qbuf = c.reader.buffered()
    argv_mem = c.argv_mem
    if qbuf or argv_mem:
        qalloc = jemalloc_size(5 + max(qbuf, PROTO_IOBUF_LEN) + 1)
        qfree = qalloc - 6 - qbuf
    else:
        qalloc = qfree = 0
    omem = c.output_pending()
    ms = getattr(c, "mstate", None)
    multi_mem = ms.argv_len_sums if ms is not None else 0
    tot = CLIENT_STRUCT + PROTO_REPLY_CHUNK_BYTES + qalloc + omem + argv_mem + multi_mem
    return qbuf, qfree, omem, tot


def clients_memory(server: Server) -> int:
    """mem_clients_normal: refreshed by the cron (clientsCron), like Redis's per-type totals."""
    return sum(client_buffers(c)[3] for c in server.clients.values())


def tables_overhead(db) -> int:
    """A database's hashtable buckets and expires entries (Redis counts them as overhead).

    A bucket array of 2**n pointers is a power of two bytes, which is its own
    jemalloc size class: no rounding to do.
    """
    d = db.dict
    x = db.expires
    slots = len(d.table0) + len(d.table1) + len(x.table0) + len(x.table1)
    return 8 * slots + EXPIRE_ENTRY_ALLOC * x.used


def used_memory(server: Server) -> int:
    """used_memory: the running totals, O(databases in use).

    Read before every command when maxmemory is set, so it walks only the
    databases that hold tables and re-measures only keys changed in place.
    """
    total = STARTUP_BYTES + server.mem_clients + server.mem_current_argv
    for db in active_dbs(server):
        if db.mem_dirty:
            sync_db(db)
        d = db.dict
        x = db.expires
        total += (
            db.mem
            + 8 * (len(d.table0) + len(d.table1) + len(x.table0) + len(x.table1))
            + EXPIRE_ENTRY_ALLOC * x.used
        )
    return total


def memory_summary(server: Server) -> dict:
    """used_memory and its parts, with Redis's split of overhead and dataset.

    ``getMemoryOverheadData`` counts as overhead: the startup memory, client
    buffers, and per database ``keys x (sizeof(dictEntry) + sizeof(robj))``
    plus the bucket arrays and expires entries; the dataset is the rest.
    """
    used = used_memory(server)
    overhead = STARTUP_BYTES + server.mem_clients + server.mem_current_argv
    dbs = []
    keys = 0
    for db in server.dbs:
        n = len(db.dict)
        if not n:
            continue
        keys += n
        main = n * (DICT_ENTRY + ROBJ) + 8 * db.dict.slots()
        expires = len(db.expires) * DICT_ENTRY + 8 * db.expires.slots()
        overhead += main + expires
        dbs.append((db.id, main, expires))
    dataset = max(0, used - overhead)
    net = used - STARTUP_BYTES if used > STARTUP_BYTES else 1
    return {
        "used_memory": used,
        "overhead": overhead,
        "startup": STARTUP_BYTES,
        "dataset": dataset,
        "dataset_perc": dataset * 100 / net,
        "keys_bytes": keys_bytes(server),
        "tables": sum(tables_overhead(db) for db in server.dbs),
        "clients_normal": server.mem_clients,
        "argv": server.mem_current_argv,
        "dbs": dbs,
        "keys": keys,
        "bytes_per_key": net // keys if keys else 0,
        "model": "incremental: per-key allocations re-measured on write",
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

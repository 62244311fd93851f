"""MEMORY USAGE (object.c ``memoryCommand``): what one key costs, by Redis's model.

``MEMORY USAGE key [SAMPLES count]`` adds up the value (object header,
strings, listpacks, quicklist nodes, dict tables and entries, skiplist
nodes), the key's sds and its dictEntry, as :func:`server.memory.key_usage`
models them. Big collections are *estimated* the way Redis estimates them:
the first ``count`` elements (5 by default; ``SAMPLES 0`` means all) are
measured and the average is multiplied by the size -- so the answer is
comparable with a real Redis's, including its sampling error.

Like Redis, the key is looked up without expiring it or touching its LRU:
asking what a key costs does not change it.

``MEMORY STATS`` reports the model's used_memory split as Redis splits it
(startup, clients, per-database hashtable overhead, dataset), ``MEMORY
DOCTOR`` gives our own advice from those figures, ``MEMORY MALLOC-STATS``
says why there are no allocator statistics, and ``MEMORY PURGE`` asks glibc
to return free pages (``malloc_trim``), the nearest thing to jemalloc's purge.
"""

from __future__ import annotations

from .. import errors
from ..errors import CommandError
from ..memory import OBJ_COMPUTE_SIZE_DEF_SAMPLES, human_bytes, key_usage, memory_summary
from ..numbers import string2ll
from ..protocol.replies import OK, Map, Status, Verbatim
from .registry import command


@command("memory|usage")
def memory_usage(c, argv):
    samples = OBJ_COMPUTE_SIZE_DEF_SAMPLES
    j = 3
    while j < len(argv):
        if argv[j].lower() == b"samples" and j + 1 < len(argv):
            v = string2ll(argv[j + 1])
            if v is None:
                raise CommandError(errors.NOT_INTEGER)
            if v < 0:
                raise CommandError(errors.SYNTAX)
            samples = v if v else 1 << 62
            j += 2
        else:
            raise CommandError(errors.SYNTAX)
    e = c.db.dict.find(argv[2])
    if e is None:
        return None
    return key_usage(e.key, e.value, samples)


# -- MEMORY STATS, DOCTOR, MALLOC-STATS, PURGE, HELP ---------------------------------------


@command("memory|stats")
def memory_stats(c, argv):
    """MEMORY STATS: getMemoryOverheadData's figures under Redis's field names.

    The allocator's own figures (allocated, active, resident) are the model's
    used_memory; the RSS ratios compare the model with this Python process's
    real resident size, which says more about Python than about Redis.
    """
    server = c.server
    m = memory_summary(server)
    used = m["used_memory"]
    peak = max(server.memory_peak, used)
    server.memory_peak = peak
    rss = _rss_bytes()
    out: list = [
        (b"peak.allocated", peak),
        (b"total.allocated", used),
        (b"startup.allocated", m["startup"]),
        (b"replication.backlog", 0),
        (b"clients.slaves", 0),
        (b"clients.normal", m["clients_normal"]),
        (b"cluster.links", 0),
        (b"aof.buffer", 0),
        (b"lua.caches", 0),
        (b"functions.caches", 0),
    ]
    for dbid, main, expires in m["dbs"]:
        out.append(
            (
                b"db.%d" % dbid,
                Map(
                    [
                        (b"overhead.hashtable.main", main),
                        (b"overhead.hashtable.expires", expires),
                        (b"overhead.hashtable.slot-to-keys", 0),
                    ]
                ),
            )
        )
    out += [
        (b"overhead.total", m["overhead"]),
        (b"keys.count", m["keys"]),
        (b"keys.bytes-per-key", m["bytes_per_key"]),
        (b"dataset.bytes", m["dataset"]),
        (b"dataset.percentage", float(m["dataset_perc"])),
        (b"peak.percentage", float(used * 100 / peak if peak else 100.0)),
        (b"allocator.allocated", used),
        (b"allocator.active", used),
        (b"allocator.resident", used),
        (b"allocator-fragmentation.ratio", 1.0),
        (b"allocator-fragmentation.bytes", 0),
        (b"allocator-rss.ratio", 1.0),
        (b"allocator-rss.bytes", 0),
        (b"rss-overhead.ratio", 1.0),
        (b"rss-overhead.bytes", 0),
        (b"fragmentation", float(rss / used if used else 0.0)),
        (b"fragmentation.bytes", rss - used),
    ]
    return Map(out)


def _rss_bytes() -> int:
    from ..info import _rss_bytes as rss

    return rss()


@command("memory|doctor")
def memory_doctor(c, argv):
    """MEMORY DOCTOR: advice from the model's figures, in our own words."""
    return Verbatim(doctor_report(c.server))


def doctor_report(server) -> str:
    m = memory_summary(server)
    used = m["used_memory"]
    cfg = server.config
    if used - m["startup"] < 5 * 1024 * 1024 and not cfg.maxmemory:
        return (
            "This server holds almost no data yet (less than 5 MB above its startup "
            "memory), so there is nothing to diagnose. Load some keys and ask again.\n"
        )
    notes = []
    peak = max(server.memory_peak, used)
    if peak > used * 1.5:
        notes.append(
            f"Peak memory: the server once used {human_bytes(peak)}, now "
            f"{human_bytes(used)}. A real Redis does not always give freed memory back to "
            "the system, so its RSS may still look like the peak (MEMORY PURGE can help)."
        )
    if m["keys"] and m["bytes_per_key"] < 100:
        notes.append(
            f"Small keys: {m['bytes_per_key']} bytes per key on average. The per-key "
            "overhead (dictEntry, key string, object header) is a large share: grouping "
            "small values into hashes (listpack encoded) saves memory."
        )
    if m["clients_normal"] > 0.2 * max(1, used - m["startup"]):
        notes.append(
            f"Client buffers: {human_bytes(m['clients_normal'])} is held by connections "
            "(query and reply buffers). Look at CLIENT LIST's qbuf/omem for slow readers."
        )
    if cfg.maxmemory:
        ratio = used / cfg.maxmemory
        if cfg.maxmemory_policy == "noeviction" and ratio > 0.9:
            notes.append(
                f"Near the limit: {ratio:.0%} of maxmemory with maxmemory-policy noeviction: "
                "writes will soon get OOM errors. Raise maxmemory or choose an eviction policy."
            )
        if server.stats.evicted_keys:
            notes.append(
                f"Eviction: {server.stats.evicted_keys} keys were evicted "
                f"({cfg.maxmemory_policy}). If they were still needed, maxmemory is too small "
                "for the working set."
            )
    if not notes:
        return "Nothing unusual: the memory model shows no problem worth reporting.\n"
    return "Memory report:\n\n" + "\n\n".join(f"* {n}" for n in notes) + "\n"


@command("memory|malloc-stats")
def memory_malloc_stats(c, argv):
    return (
        b"Not applicable: the reference server models jemalloc's size classes, it does not "
        b"use jemalloc. See INFO memory and MEMORY STATS for the modelled figures."
    )


@command("memory|purge")
def memory_purge(c, argv):
    """MEMORY PURGE: ask glibc to hand free heap pages back (malloc_trim), then OK."""
    try:
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("c")
        if name:
            ctypes.CDLL(name).malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to purge, and Redis answers OK anyway
    return OK


_HELP = [
    "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
    "HELP",
    "    Prints this help.",
]


@command("memory|help")
def memory_help(c, argv):
    return [Status(line) for line in _HELP]

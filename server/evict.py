"""maxmemory and eviction: approximated LRU, LFU, TTL and random (evict.c).

When ``maxmemory`` is set, every command first calls :func:`perform_evictions`
(``performEvictions``), as ``processCommand`` does. If ``used_memory`` (minus
what is not counted for eviction) is above the limit, keys are deleted
according to ``maxmemory-policy`` until enough was freed; if nothing may be
deleted (``noeviction``, or a ``volatile-*`` policy with no key that has a
TTL), commands flagged ``denyoom`` get the OOM error and change nothing.

**Why an approximation.** A true LRU would keep every key in a linked list
ordered by access: two pointers per key and a list update on every read.
Redis keeps instead a 24-bit clock value in each object (``robj.lru``, here
``Entry.lru``) and, when it must evict, *samples*: it looks at
``maxmemory-samples`` random keys (``dictGetSomeKeys``) of every database
and files them into a small **eviction pool** of ``EVPOOL_SIZE`` = 16
candidates sorted by score (idle time, inverse frequency or nearness of the
expire time); the best candidate, at the right end of the pool, is evicted.
The pool survives between evictions, so good candidates found earlier are
not forgotten. With 5 samples the result is close to a true LRU; with 10 it
is very close, at more CPU per eviction (benchmarks/lru_approximation.py).

**The LRU clock.** ``LRU_CLOCK()`` is the server time in seconds
(``LRU_CLOCK_RESOLUTION`` = 1000 ms) modulo 2**24 (``LRU_CLOCK_MAX``), cached
by the cron. An object's idle time is the clock minus its field (wrapping
once every 194 days).

**LFU.** Under an LFU policy the same 24 bits hold two fields::

        16 bits                8 bits
    +----------------+--------+
    | last decr time | LOG_C  |     ldt: minutes (mod 2**16), LOG_C: counter
    +----------------+--------+

The counter is *logarithmic*: each access increments it only with
probability ``1 / ((counter - LFU_INIT_VAL) * lfu-log-factor + 1)``, so 255
means "about a million hits" at the default factor of 10. It *decays*: one
point per ``lfu-decay-time`` minutes since ``ldt`` (LFUDecrAndReturn). New
keys start at ``LFU_INIT_VAL`` = 5 so that they are not evicted before they
had a chance to be read.

**Time limits.** One eviction run may not take longer than
``maxmemory-eviction-tenacity`` allows (0..10: 0..500 us linearly, then +15%
per step, 100: no limit; scaled by ``PYTHON_SLOWDOWN`` here); when the time
is up with memory still above the limit, the command goes on and eviction
continues from the event loop (``evictionTimeProc``), counted in
``current_eviction_exceeded_time``.

Every eviction is a ``LAB EVENTS`` event of type ``evict`` (key, db, policy
and the idle time, frequency or TTL that chose it), and ``LAB MEMORY`` shows
the pool, the last sampled keys and the counters.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .memory import EXPIRE_ENTRY_ALLOC, sync, used_memory

if TYPE_CHECKING:
    from .server import Server

EVPOOL_SIZE = 16
LFU_INIT_VAL = 5
LRU_BITS = 24
LRU_CLOCK_MAX = (1 << LRU_BITS) - 1
LRU_CLOCK_RESOLUTION = 1000  # ms
ULLONG_MAX = (1 << 64) - 1
# Evicting one key here costs some 20 times what it costs a C Redis, so the
# tenacity time limits are scaled by this factor: the same setting allows
# about the same number of evictions per run as in Redis.
PYTHON_SLOWDOWN = 20

EVICT_OK, EVICT_RUNNING, EVICT_FAIL = 0, 1, 2

# policy name -> (what the score is, whether every key may go)
POLICIES: dict[str, tuple[str, bool]] = {
    "volatile-lru": ("lru", False),
    "volatile-lfu": ("lfu", False),
    "volatile-random": ("random", False),
    "volatile-ttl": ("ttl", False),
    "allkeys-lru": ("lru", True),
    "allkeys-lfu": ("lfu", True),
    "allkeys-random": ("random", True),
    "noeviction": ("none", False),
}


# -- LFU (evict.c) -------------------------------------------------------------------------


def lfu_time_in_minutes(server: Server) -> int:
    """LFUGetTimeInMinutes: the server time in minutes, 16 bits."""
    return (server.clock.ms() // 60000) & 0xFFFF


def lfu_time_elapsed(server: Server, ldt: int) -> int:
    """LFUTimeElapsed: minutes since ldt, once around the 16-bit wrap."""
    now = lfu_time_in_minutes(server)
    if now >= ldt:
        return now - ldt
    return 65535 - ldt + now


def lfu_log_incr(server: Server, counter: int) -> int:
    """LFULogIncr: +1 with probability 1 / ((counter - LFU_INIT_VAL) * factor + 1)."""
    if counter == 255:
        return 255
    r = server.rng.random()
    baseval = counter - LFU_INIT_VAL
    if baseval < 0:
        baseval = 0
    p = 1.0 / (baseval * server.config.lfu_log_factor + 1)
    if r < p:
        counter += 1
    return counter


def lfu_decr_and_return(server: Server, lru: int) -> int:
    """LFUDecrAndReturn: the counter after the decay owed since ldt (not stored)."""
    ldt = lru >> 8
    counter = lru & 255
    decay = server.config.lfu_decay_time
    periods = lfu_time_elapsed(server, ldt) // decay if decay else 0
    if periods:
        counter = 0 if periods > counter else counter - periods
    return counter


def lfu_update(server: Server, lru: int) -> int:
    """updateLFU: decay, then a logarithmic increment, stamped with the current minute."""
    counter = lfu_log_incr(server, lfu_decr_and_return(server, lru))
    return (lfu_time_in_minutes(server) << 8) | counter


def estimate_idle_ms(lruclock: int, lru: int) -> int:
    """estimateObjectIdleTime."""
    if lruclock >= lru:
        return (lruclock - lru) * LRU_CLOCK_RESOLUTION
    return (lruclock + (LRU_CLOCK_MAX - lru)) * LRU_CLOCK_RESOLUTION


def eviction_time_limit_us(tenacity: int) -> float:
    """evictionTimeLimitUs: 0..500 us linearly up to 10, then +15% per step; 100: none."""
    if tenacity <= 10:
        return 50.0 * tenacity
    if tenacity < 100:
        return 500.0 * pow(1.15, tenacity - 10.0)
    return float("inf")


# -- the eviction pool ---------------------------------------------------------------------


class PoolEntry:
    """evictionPoolEntry: a candidate key, its score ("idle") and database."""

    __slots__ = ("key", "idle", "dbid")

    def __init__(self, key: bytes, idle: int, dbid: int) -> None:
        self.key = key
        self.idle = idle
        self.dbid = dbid


class Evictor:
    """The eviction state of one server: pool, counters, the time proc."""

    def __init__(self, server: Server) -> None:
        self.server = server
        # EvictionPoolLRU: EVPOOL_SIZE slots, ascending score, None = empty.
        self.pool: list[PoolEntry | None] = [None] * EVPOOL_SIZE
        self.next_db = 0  # the random policies visit the databases in turn
        self.last_sampled: list[dict[str, Any]] = []
        self.running = False  # isEvictionProcRunning
        self.exceeded_since: float = 0.0  # stat_last_eviction_exceeded_time (monotonic s)
        self.total_exceeded_us = 0  # stat_total_eviction_exceeded_time
        self.last_result = EVICT_OK
        self.cycles = 0

    # -- metrics -----------------------------------------------------------------------------

    def current_exceeded_ms(self) -> int:
        if not self.exceeded_since:
            return 0
        return int((time.monotonic() - self.exceeded_since) * 1000)

    def total_exceeded_ms(self) -> int:
        return (self.total_exceeded_us + self.current_exceeded_ms() * 1000) // 1000

    def _update_metrics(self, result: int) -> None:
        if result in (EVICT_RUNNING, EVICT_FAIL):
            if not self.exceeded_since:
                self.exceeded_since = time.monotonic()
        elif self.exceeded_since:
            self.total_exceeded_us += int((time.monotonic() - self.exceeded_since) * 1_000_000)
            self.exceeded_since = 0.0
        self.last_result = result

    def reset_stats(self) -> None:
        self.total_exceeded_us = 0
        if self.exceeded_since:
            self.exceeded_since = time.monotonic()

    # -- sampling ----------------------------------------------------------------------------

    def _score(self, kind: str, db, key: bytes, sample_value: object) -> int:
        server = self.server
        if kind == "ttl":
            return ULLONG_MAX - int(sample_value)  # type: ignore[call-overload]
        e = db.dict.find(key)
        if e is None:  # cannot happen: expires keys are in the main dict
            return 0
        if kind == "lru":
            return estimate_idle_ms(server.lruclock, e.lru)
        return 255 - lfu_decr_and_return(server, e.lru)

    def populate(self, db, sampledict, kind: str) -> None:
        """evictionPoolPopulate: sample the dict, file better candidates into the pool."""
        server = self.server
        pool = self.pool
        for de in sampledict.some_entries(server.config.maxmemory_samples, server.rng):
            key = de.key
            idle = self._score(kind, db, key, de.value)
            sampled = self.last_sampled
            sampled.append({"key": key, "db": db.id, "score": idle})
            if len(sampled) > 128:
                del sampled[:64]
            k = 0
            while k < EVPOOL_SIZE and pool[k] is not None and pool[k].idle < idle:  # type: ignore[union-attr]
                k += 1
            if k == 0 and pool[EVPOOL_SIZE - 1] is not None:
                continue  # worse than every candidate of a full pool
            if k < EVPOOL_SIZE and pool[k] is None:
                pass  # an empty slot: insert here
            elif pool[EVPOOL_SIZE - 1] is None:
                pool.insert(k, None)  # free space on the right: shift right from k
                pool.pop()
            else:
                k -= 1  # full: shift left, dropping the worst (leftmost) candidate
                pool.pop(0)
                pool.insert(k, None)
            pool[k] = PoolEntry(key, idle, db.id)

    # -- performEvictions --------------------------------------------------------------------

    def to_free(self) -> int:
        """getMaxmemoryState: bytes above maxmemory (0 when under)."""
        server = self.server
        maxmemory = server.config.maxmemory
        if not maxmemory:
            return 0
        used = used_memory(server) - self.not_counted()
        return used - maxmemory if used > maxmemory else 0

    def not_counted(self) -> int:
        """freeMemoryGetNotCountedMemory: replica output buffers and the AOF buffer (none yet)."""
        return 0

    def perform(self) -> int:
        """performEvictions: EVICT_OK, EVICT_RUNNING (time is up) or EVICT_FAIL."""
        server = self.server
        if server.pause_type is not None and server.paused_for_writes():
            return EVICT_OK  # isSafeToPerformEvictions: no evictions while clients are paused
        tofree = self.to_free()
        if not tofree:
            self._update_metrics(EVICT_OK)
            return EVICT_OK
        policy = server.config.maxmemory_policy
        kind, allkeys = POLICIES.get(policy, ("none", False))
        if kind == "none":
            self._update_metrics(EVICT_FAIL)
            return EVICT_FAIL
        self.cycles += 1
        self.last_sampled = []
        limit_us = PYTHON_SLOWDOWN * eviction_time_limit_us(
            server.config.maxmemory_eviction_tenacity
        )
        start = time.perf_counter()
        freed = keys_freed = 0
        result = EVICT_OK
        dbs = server.dbs
        while freed < tofree:
            best = None  # (db, key, score)
            if kind in ("lru", "lfu", "ttl"):
                while best is None:
                    total = 0
                    for db in dbs:
                        d = db.dict if allkeys else db.expires
                        if len(d):
                            self.populate(db, d, kind)
                            total += len(d)
                    if not total:
                        break
                    pool = self.pool
                    for k in range(EVPOOL_SIZE - 1, -1, -1):
                        pe = pool[k]
                        if pe is None:
                            continue
                        pool[k] = None
                        db = dbs[pe.dbid]
                        d = db.dict if allkeys else db.expires
                        if d.find(pe.key) is not None:
                            best = (db, pe.key, pe.idle)
                            break
                        # a ghost: the key went away since it was sampled
            else:
                for _ in range(len(dbs)):
                    self.next_db += 1
                    db = dbs[self.next_db % len(dbs)]
                    d = db.dict if allkeys else db.expires
                    if len(d):
                        e = d.random_entry(server.rng)
                        best = (db, e.key, 0)  # type: ignore[union-attr]
                        break
            if best is None:
                result = EVICT_FAIL  # cant_free: nothing (more) may be evicted
                break
            db, key, score = best
            freed += self._evict(db, key, kind, policy, score)
            keys_freed += 1
            if keys_freed % 16 == 0 and (time.perf_counter() - start) * 1e6 > limit_us:
                if self.to_free():
                    self._schedule()
                    result = EVICT_RUNNING
                break
        elapsed_ms = int((time.perf_counter() - start) * 1000)
        server.latency.add_sample_if_needed("eviction-cycle", elapsed_ms)
        if result == EVICT_OK and self.running:
            result = EVICT_RUNNING
        self._update_metrics(result)
        return result

    def _evict(self, db, key: bytes, kind: str, policy: str, score: int) -> int:
        """Delete one chosen key; return the bytes it freed in the model."""
        server = self.server
        if db.mem_dirty:
            sync(server)
        e = db.dict.find(key)
        freed = e.mem if e is not None else 0  # type: ignore[attr-defined]
        if db.expires.used and db.expires.find(key) is not None:
            freed += EXPIRE_ENTRY_ALLOC
        t = time.perf_counter()
        db.delete(key)
        server.latency.add_sample_if_needed("eviction-del", int((time.perf_counter() - t) * 1000))
        server.stats.evicted_keys += 1
        server.notify_keyspace("evicted", key, db.id)
        if server.events_wanted:
            info: dict[str, Any] = {"key": key, "db": db.id, "policy": policy, "bytes": freed}
            if kind == "lru":
                info["idle_ms"] = score
            elif kind == "lfu":
                info["freq"] = 255 - score
            elif kind == "ttl":
                info["ttl_ms"] = max(0, (ULLONG_MAX - score) - server.clock.ms())
            server.emit("evict", **info)
        return freed

    # -- evictionTimeProc --------------------------------------------------------------------

    def start(self) -> None:
        """startEvictionTimeProc: evict from the event loop, without waiting for a command."""
        self._schedule()

    def _schedule(self) -> None:
        if self.running:
            return
        self.running = True
        self._call_soon()

    def _call_soon(self) -> None:
        import asyncio

        try:
            asyncio.get_running_loop().call_soon(self._time_proc)
        except RuntimeError:
            pass  # no loop (unit tests): the cron hook continues the work

    def _time_proc(self) -> None:
        """evictionTimeProc: keep evicting from the event loop until under the limit."""
        self.running = False
        if self.perform() == EVICT_RUNNING:
            self.running = True
            self._call_soon()

    def cron(self, now_ms: int) -> None:
        if self.running and self.server.config.maxmemory:
            self._time_proc()

    # -- processCommand's check ----------------------------------------------------------------

    def out_of_memory(self, c, cmd, argv: list[bytes]) -> bool:
        """The maxmemory directive of processCommand: True when cmd must get OOM.

        The arguments of the command being run are client memory (argv
        strings plus their pointers), so a single write bigger than what
        eviction can free is refused with OOM instead of being stored.
        """
        server = self.server
        argv_mem = sum(map(len, argv)) + 8 * len(argv)
        if (
            not self.exceeded_since
            and not self.running
            and used_memory(server) + argv_mem <= server.maxmemory
        ):
            return False  # the common case: under the limit, nothing to do
        server.mem_current_argv = argv_mem
        try:
            out = self.perform() == EVICT_FAIL
        finally:
            server.mem_current_argv = 0
        return out and cmd.denyoom

    # -- LAB MEMORY ------------------------------------------------------------------------------

    def pool_report(self) -> list[dict[str, Any]]:
        kind = POLICIES.get(self.server.config.maxmemory_policy, ("none", False))[0]
        out = []
        for k in range(EVPOOL_SIZE - 1, -1, -1):  # best candidate first
            pe = self.pool[k]
            if pe is not None:
                out.append(_scored({"key": pe.key, "db": pe.dbid}, kind, pe.idle, self.server))
        return out

    def sampled_report(self) -> list[dict[str, Any]]:
        kind = POLICIES.get(self.server.config.maxmemory_policy, ("none", False))[0]
        return [
            _scored({"key": s["key"], "db": s["db"]}, kind, s["score"], self.server)
            for s in self.last_sampled[-64:]
        ]


def _scored(d: dict[str, Any], kind: str, score: int, server: Server) -> dict[str, Any]:
    if kind == "lru":
        d["idle_ms"] = score
    elif kind == "lfu":
        d["freq"] = 255 - score
    elif kind == "ttl":
        d["ttl_ms"] = max(0, (ULLONG_MAX - score) - server.clock.ms())
    else:
        d["score"] = score
    return d

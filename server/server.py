"""The server: databases, clients, the command loop and the cron (server.c).

:class:`Server` owns everything a running Redis owns — configuration, the
clock, the databases, the connected clients, statistics — and implements the
two functions every request goes through:

- :meth:`Server.execute` is ``processCommand``: find the command, check arity,
  authentication and pauses, then run it.
- :meth:`Server.call` is ``call``: run the handler, time it, count it, feed
  MONITOR clients, and write the reply.

The cron (:meth:`Server.cron`, ``serverCron``) runs ``hz`` times a second:
active expiry, incremental rehashing, client timeouts and the instantaneous
metrics. Networking lives in :mod:`server.net.listener`; this module never
touches a socket.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections import deque
from time import perf_counter_ns
from typing import TYPE_CHECKING, Any

from . import errors
from . import memory as memory_model
from . import multi as tx
from .clock import Clock
from .commands.registry import Command, build_table
from .config import Config
from .errors import CommandError
from .evict import LFU_INIT_VAL, Evictor, lfu_decr_and_return, lfu_time_in_minutes, lfu_update
from .keyspace import Database
from .latency import LatencyMonitor
from .protocol.replies import OK, ErrorReply
from .protocol.replies import write as write_reply
from .slowlog import Slowlog
from .stats import LatencyHistogram, Stats

if TYPE_CHECKING:
    from .net.client import Client

REDIS_VERSION = "7.0.15"  # the Redis whose behaviour we match; clients read it from INFO/HELLO
LAB_VERSION = "0.1.0"

LRU_BITS = 24
LRU_CLOCK_MAX = (1 << LRU_BITS) - 1
LRU_CLOCK_RESOLUTION = 1000  # ms

NEVER = 1 << 62  # a duration no command reaches: "threshold off"

NO_REPLY = object()  # a handler that wrote (or deferred) its reply itself

_LOG_LEVELS = {"debug": 0, "verbose": 1, "notice": 2, "warning": 3, "nothing": 4}


class Server:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.clock = Clock()
        self.rng = random.Random()
        self.stats = Stats()
        self.start_ms = self.clock.ms()
        self.start_monotonic = time.monotonic()
        # The memory model's running totals (server/memory.py; each Database
        # keeps its keys' total): client buffers (refreshed by the cron) and
        # the arguments of the command being checked against maxmemory.
        self.mem_clients = 0
        self.mem_current_argv = 0
        self.mem_dbs: list[Database] = []  # the databases holding hashtables
        self.mem_dbs_stale = False
        self.dbs = [Database(self, i) for i in range(self.config.databases)]
        for db in self.dbs:  # the keyspace tables report their rehashing on LAB EVENTS
            db.dict.on_event = db.expires.on_event = self.emit
        self.commands: dict[bytes, Command] = build_table()
        # Dispatch also by the upper-case name clients usually send, to skip a
        # lower() on the common path; other spellings fall back to lower().
        self.dispatch: dict[bytes, Command] = dict(self.commands)
        self.dispatch.update({name.upper(): cmd for name, cmd in self.commands.items()})
        self.clients: dict[int, Client] = {}
        self.next_client_id = 1
        self.current_client: Client | None = None
        self.monitors: list[Client] = []
        self.channels: dict[bytes, dict[Client, None]] = {}  # Pub/Sub (server/pubsub.py)
        self.patterns: dict[bytes, dict[Client, None]] = {}
        self.shard_channels: dict[bytes, dict[Client, None]] = {}
        self.pause_end_ms = 0
        self.pause_type: str | None = None  # "write" | "all"
        self.paused_clients: list[Client] = []
        self.events: deque[dict[str, Any]] = deque(maxlen=1024)
        self.events_wanted = True
        self.event_seq = 0
        self.lastsave = int(time.time())
        self.shutdown_asap = False
        self.listener: Any = None  # set by server.net.listener
        self.cronloops = 0
        self.rehash_db = 0
        self.expire_db = 0
        self.expire_timelimit_exit = False
        self.stat_expired_stale_perc = 0.0
        self.blocked_clients = 0
        self.active_expire_enabled = True  # DEBUG SET-ACTIVE-EXPIRE
        # An LFU maxmemory-policy keeps a counter in the LRU field (evict.c).
        self.lfu = "lfu" in self.config.maxmemory_policy
        self.lfu_init = LFU_INIT_VAL
        self.config.on_change("maxmemory-policy", self._set_policy)
        # maxmemory (server/evict.py): read before every command, so a field.
        self.maxmemory = self.config.maxmemory
        self.config.on_change("maxmemory", self._set_maxmemory)
        self.evictor = Evictor(self)
        # SLOWLOG and LATENCY: call() compares each duration with slow_ns,
        # the smaller of the two thresholds (NEVER when both are off).
        self.slowlog = Slowlog()
        self.latency = LatencyMonitor(self)
        self.slow_ns = NEVER
        self._set_slow_thresholds()
        for name in ("slowlog-log-slower-than", "latency-monitor-threshold", "slowlog-max-len"):
            self.config.on_change(name, self._set_slow_thresholds)
        self.config.on_change("proto-max-bulk-len", self._set_max_bulk)
        self.dirty = 0  # changes since the last save (rdb_changes_since_last_save)
        self.memory_peak = 0
        self.run_id = "%040x" % self.rng.getrandbits(160)
        self.replid = "%040x" % self.rng.getrandbits(160)
        self.latency_histograms: dict[str, LatencyHistogram] = {}
        self.latency_tracking = bool(self.config.latency_tracking)
        self.config.on_change("latency-tracking", self._set_latency_tracking)
        # Blocking operations (BLPOP & co., server/blocking.py): clients waiting
        # per (db id, key), and keys that received data since the last command.
        self.blocking_keys: dict[tuple[int, bytes], list[Client]] = {}
        self.ready_keys: list[tuple[int, bytes]] = []
        # WATCH (server/multi.py): (db id, key) -> the clients' WatchedKey records.
        self.watched_keys: dict[tuple[int, bytes], list[tx.WatchedKey]] = {}
        self.in_exec = False  # EXEC is running its queue (blocked clients wait for its end)
        # Functions called with the clock's ms on every cron tick (blocked-client
        # timeouts, ...), registered by the modules that need them.
        self.cron_hooks: list[Any] = [self.evictor.cron]
        self._update_lru_clock()

    # -- logging ------------------------------------------------------------------

    def log(self, level: str, msg: str) -> None:
        if _LOG_LEVELS[level] < _LOG_LEVELS.get(self.config.loglevel, 2):
            return
        mark = {"debug": ".", "verbose": "-", "notice": "*", "warning": "#"}[level]
        stamp = time.strftime("%d %b %Y %H:%M:%S", time.localtime())
        line = f"{self.pid}:M {stamp}.{int(time.time() * 1000) % 1000:03d} {mark} {msg}\n"
        logfile = self.config.logfile
        if logfile:
            with open(logfile, "a") as f:
                f.write(line)
        else:
            sys.stdout.write(line)
            sys.stdout.flush()

    def log_warning(self, msg: str) -> None:
        self.log("warning", msg)

    def log_verbose(self, msg: str) -> None:
        self.log("verbose", msg)

    @property
    def pid(self) -> int:
        import os

        return os.getpid()

    # -- LRU clock (evict.c) --------------------------------------------------------

    def _update_lru_clock(self) -> None:
        now = (self.clock.ms() // LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX
        if now != getattr(self, "lruclock", None):
            self.lruclock = now
        self.lfu_init = (lfu_time_in_minutes(self) << 8) | LFU_INIT_VAL

    def lru_new(self) -> int:
        """The LRU/LFU field of a new object (createObject).

        LRU_CLOCK() reads the value the cron caches each tick (resolution is one
        second), and so do we: every key created in the same second shares one
        int object instead of each holding its own 32-byte copy. Under an LFU
        policy: this minute, counter LFU_INIT_VAL (also cached by the cron).
        """
        return self.lfu_init if self.lfu else self.lruclock

    def lru_touch(self, old: int) -> int:
        """What a lookup stores in the object's LRU field (lookupKey: updateLFU or LRU_CLOCK)."""
        if self.lfu:
            return lfu_update(self, old)
        return self.lruclock

    def lru_overwrite(self, old: int) -> int:
        """dbSetValue keeps the LFU field of the old value, but not its LRU time."""
        return old if self.lfu else self.lruclock

    def estimate_idle_ms(self, lru: int) -> int:
        """estimateObjectIdleTime."""
        now = self.lruclock
        if now >= lru:
            return (now - lru) * LRU_CLOCK_RESOLUTION
        return (now + (LRU_CLOCK_MAX - lru)) * LRU_CLOCK_RESOLUTION

    def shared_integers_allowed(self) -> bool:
        """Shared 0..9999 integers are off under LRU/LFU maxmemory (each needs its own LRU)."""
        cfg = self.config
        return not (
            cfg.maxmemory and ("lru" in cfg.maxmemory_policy or "lfu" in cfg.maxmemory_policy)
        )

    def lfu_counter(self, lru: int) -> int:
        """LFUDecrAndReturn: the counter after the decay owed since its last decrement."""
        return lfu_decr_and_return(self, lru)

    def total_commands_processed(self) -> int:
        """Summed from the per-command counters instead of counted per call."""
        return sum(c.calls for top in self.commands.values() for c in top.all_commands())

    def _set_max_bulk(self, old: object, new: object) -> None:
        for c in self.clients.values():
            c.reader.max_bulk_len = int(new)  # type: ignore[arg-type]
            c.reader.rewind()  # frames split ahead were checked against the old limit

    def _set_policy(self, old: object, new: object) -> None:
        self.lfu = "lfu" in str(new)
        self._update_lru_clock()

    def _set_maxmemory(self, old: object, new: object) -> None:
        """updateMaxmemory: below what is in use, eviction starts at once (evictionTimeProc)."""
        self.maxmemory = int(new)  # type: ignore[call-overload]
        used = memory_model.used_memory(self)
        if self.maxmemory and self.maxmemory < used:
            self.log_warning(
                "WARNING: the new maxmemory value set via CONFIG SET (%d) is smaller than the "
                "current memory usage (%d). This will result in key eviction and/or the "
                "inability to accept new write commands depending on the maxmemory-policy."
                % (self.maxmemory, used)
            )
            self.evictor.start()

    def _set_slow_thresholds(self, old: object = None, new: object = None) -> None:
        cfg = self.config
        slow = cfg.slowlog_log_slower_than
        lat = cfg.latency_monitor_threshold
        self.slow_ns = min(
            slow * 1000 if slow >= 0 else NEVER,
            lat * 1_000_000 if lat > 0 else NEVER,
        )
        self.slowlog.trim(cfg.slowlog_max_len)

    def _set_latency_tracking(self, old: object, new: object) -> None:
        self.latency_tracking = bool(new)

    def reset_stats(self) -> None:
        """CONFIG RESETSTAT."""
        self.stats.reset()
        self.evictor.reset_stats()
        self.latency_histograms.clear()
        for top in self.commands.values():
            for cmd in top.all_commands():
                cmd.calls = cmd.usec = cmd.rejected_calls = cmd.failed_calls = 0
                cmd.histogram = None

    # -- hooks later issues fill in ---------------------------------------------------

    def notify_keyspace(self, event: str, key: bytes, dbid: int) -> None:
        """notifyKeyspaceEvent: needs Pub/Sub, which is not built yet."""

    def signal_modified(self, db: Database, key: bytes, accounted: bool = False) -> None:
        """signalModifiedKey: every write calls it after changing a key.

        The memory model re-measures the key at its next sync (memory.sync)
        unless the caller already ``accounted`` for it (Database.set_key and
        delete do). WATCH and client tracking will hook in here too.
        """
        if not accounted:
            db.mem_dirty.add(key)
        if self.watched_keys:
            tx.touch_watched_key(self, db, key)

    def signal_key_as_ready(self, db: Database, key: bytes) -> None:
        """signalKeyAsReady: a push/add on a key some client is blocked on."""
        k = (db.id, key)
        if k in self.blocking_keys and k not in self.ready_keys:
            self.ready_keys.append(k)

    def emit(self, kind: str, **info: Any) -> None:
        """Record an internal event for ``LAB EVENTS`` (conversions, expiry, rehash...)."""
        self.event_seq += 1
        info["type"] = kind
        info["id"] = self.event_seq
        info["time_ms"] = self.clock.ms()
        self.events.append(info)
        if self.channels:
            from .pubsub import publish_lab_event

            publish_lab_event(self, info)

    # -- authentication -------------------------------------------------------------

    def auth_required(self) -> bool:
        return bool(self.config.requirepass)

    def check_password(self, username: bytes, password: bytes) -> bool:
        if username != b"default":
            return False
        required = self.config.requirepass
        if not required:
            return True  # the default user has nopass
        return password == required.encode("utf-8", "surrogateescape")

    # -- clients --------------------------------------------------------------------

    def link_client(self, client: Client) -> None:
        self.clients[client.id] = client
        self.stats.total_connections_received += 1

    def new_client_id(self) -> int:
        cid = self.next_client_id
        self.next_client_id += 1
        return cid

    def unlink_client(self, client: Client) -> None:
        self.clients.pop(client.id, None)
        if client.subscribed:
            from .pubsub import forget_client

            forget_client(self, client)
        if client.monitor and client in self.monitors:
            self.monitors.remove(client)
        if client in self.paused_clients:
            self.paused_clients.remove(client)
        if client.blocked:
            from .blocking import on_disconnect

            on_disconnect(client)
        if client.mstate is not None or client.watched:
            tx.forget_client(client)

    def in_client_loop(self, client: Client) -> bool:
        return self.current_client is client

    def client_info_line(self, c: Client) -> str:
        from .commands.client_cmd import client_info_string

        return client_info_string(self, c)

    # -- pause (CLIENT PAUSE) -------------------------------------------------------

    def paused_for_writes(self) -> bool:
        if self.pause_type is None:
            return False
        if self.clock.ms() >= self.pause_end_ms:
            self.unpause()
            return False
        return True

    def unpause(self) -> None:
        self.pause_type = None
        self.pause_end_ms = 0
        waiting, self.paused_clients = self.paused_clients, []
        for c in waiting:
            c.paused = False
            if not c.closed:
                c.process_input()

    # -- the command loop -----------------------------------------------------------

    def execute(self, c: Client, argv: list[bytes]) -> None:
        """processCommand: look up, check arity, auth and pauses, then call()."""
        cmd = self.dispatch.get(argv[0]) or self.commands.get(argv[0].lower())
        if cmd is None:
            self.reject(c, None, errors.unknown_command(argv))
        else:
            if cmd.subcommands and len(argv) >= 2:
                sub = cmd.subcommands.get(argv[1].lower())
                if sub is None:
                    self.reject(c, None, errors.unknown_subcommand(argv[0], argv[1]))
                    if c.reply_skip or c.reply_skip_next:
                        c.after_command()
                    return
                cmd = sub
            a = cmd.arity
            if (len(argv) != a) if a > 0 else (len(argv) < -a):
                self.reject(c, cmd, errors.wrong_arity(cmd.fullname))
            elif cmd.protected is not None and not self.config.allows(
                cmd.protected, c.local or c.unix
            ):
                self.reject(c, cmd, errors.protected_not_allowed(cmd.protected))
            elif not c.authenticated and not cmd.no_auth:
                self.reject(c, cmd, CommandError(errors.NOAUTH))
            elif self.maxmemory and self.evictor.out_of_memory(c, cmd, argv):
                # performEvictions could not get under maxmemory: refuse writes
                self.reject(c, cmd, CommandError(errors.OOM))
            elif c.subscribed and c.resp == 2 and not cmd.pubsub_ok:
                self.reject(c, cmd, errors.pubsub_context(cmd.fullname))
            elif c.monitor and cmd.touches_keyspace:
                # MONITOR makes a client replica-like (CLIENT_SLAVE) in Redis.
                self.reject(c, cmd, errors.err("Replica can't interact with the keyspace"))
            elif (
                self.pause_type is not None
                and (self.pause_type == "all" or cmd.may_pause or tx.exec_is_write(c, cmd))
                and self.paused_for_writes()
            ):
                c.pending_argv = argv
                c.paused = True
                self.paused_clients.append(c)
                return
            elif c.mstate is None:
                c.last_cmd = cmd
                self.call(c, cmd, argv)
            else:
                tx.queue_or_run(self, c, cmd, argv)  # inside MULTI: queue it
        if c.reply_skip or c.reply_skip_next:
            c.after_command()

    def reject(self, c: Client, cmd: Command | None, e: CommandError) -> None:
        """rejectCommand: reply an error for a command that did not run."""
        if cmd is not None:
            cmd.rejected_calls += 1
        if c.mstate is not None:
            tx.flag_transaction(c)  # EXEC will answer EXECABORT
        msg = e.message
        self.stats.count_error(_error_code(msg))
        c.add_reply(ErrorReply(msg))

    def call(self, c: Client, cmd: Command, argv: list[bytes]) -> None:
        """call(): run the handler, time it, count it, feed MONITOR."""
        self.current_client = c
        c.cmd = cmd  # (c.last_cmd is set by execute: inside EXEC, CLIENT LIST says exec)
        start = perf_counter_ns()
        try:
            reply = cmd.proc(c, argv)
        except CommandError as e:
            reply = ErrorReply(e.message)
            self.stats.count_error(_error_code(e.message))
            cmd.failed_calls += 1
        except Exception as e:  # a bug of ours: say so, log it, keep serving
            reply = self.internal_error(cmd, e)
        duration_ns = perf_counter_ns() - start
        cmd.calls += 1
        cmd.usec += duration_ns // 1000
        if duration_ns >= self.slow_ns:
            self.record_slow(c, cmd, argv, duration_ns)
        if self.latency_tracking:
            hist = cmd.histogram
            if hist is None:
                hist = cmd.histogram = self.latency_histograms[cmd.fullname] = LatencyHistogram()
            # LatencyHistogram.record, inlined: this runs for every command.
            b = duration_ns.bit_length()
            key = ((b << 8) | (duration_ns >> (b - 7))) if b > 7 else duration_ns
            buckets = hist.buckets
            buckets[key] = buckets.get(key, 0) + 1
            hist.count += 1
        if reply is not NO_REPLY and not c.mute:
            if type(reply) is bytes:
                c.out.append(b"$%d\r\n%s\r\n" % (len(reply), reply))
            elif reply is OK:
                c.out.append(b"+OK\r\n")
            elif type(reply) is int:
                c.out.append(b":%d\r\n" % reply)
            else:
                write_reply(c.out, reply, c.resp)
        if self.monitors and not (cmd.skip_monitor or cmd.admin):
            self.feed_monitors(c, argv)
        self.current_client = None
        if self.ready_keys and not self.in_exec:
            from .blocking import handle_clients_blocked_on_keys

            handle_clients_blocked_on_keys(self)

    def record_slow(self, c: Client, cmd: Command, argv: list[bytes], duration_ns: int) -> None:
        """A command above a threshold: the slow log and the latency monitor (call())."""
        if c.blocked:
            return  # Redis logs a blocked command when it is unblocked
        cfg = self.config
        us = duration_ns // 1000
        slow = cfg.slowlog_log_slower_than
        if slow >= 0 and us >= slow and not cmd.skip_slowlog:
            self.slowlog.push(c, _redacted(argv), us, cfg.slowlog_max_len, self.clock.seconds())
        event = "fast-command" if "fast" in cmd.spec.flags else "command"
        self.latency.add_sample_if_needed(event, us // 1000)

    def internal_error(self, cmd: Command, e: Exception) -> ErrorReply:
        """A handler raised something other than CommandError: a bug in this server.

        Redis would crash on an assertion; a teaching server should not lose the
        learner's data for our mistake. The client gets an error naming the
        command, the log gets the traceback, and tests (which compare every
        reply with real Redis) fail loudly.
        """
        import traceback

        self.log_warning(
            "internal error in '%s': %s" % (cmd.fullname, "".join(traceback.format_exception(e)))
        )
        cmd.failed_calls += 1
        self.stats.count_error("ERR")
        self.stats.unexpected_error_replies += 1
        return ErrorReply(
            "ERR internal error in '%s': %s: %s" % (cmd.fullname, type(e).__name__, e)
        )

    def feed_monitors(self, c: Client, argv: list[bytes]) -> None:
        """replicationFeedMonitors: '+<time> [<db> <addr>] "arg" "arg"'."""
        us = self.clock.us()
        where = f"unix:{c.laddr.rsplit(':', 1)[0]}" if c.unix else c.addr
        parts = [repr_arg(a) for a in _redacted(argv)]
        line = b"+%d.%06d [%d %s] %s\r\n" % (
            us // 1_000_000,
            us % 1_000_000,
            c.db.id,
            where.encode(),
            b" ".join(parts),
        )
        for m in list(self.monitors):
            m.add_raw(line)

    # -- cron -----------------------------------------------------------------------

    def cron(self) -> None:
        """serverCron, run hz times per second."""
        from .expire import active_expire_cycle

        self.cronloops += 1
        self._update_lru_clock()
        now = self.clock.ms()
        if self.pause_type is not None and now >= self.pause_end_ms:
            self.unpause()
        self.stats.total_commands_processed = self.total_commands_processed()
        self.stats.sample(now)
        self.clients_cron(now)
        self.mem_clients = memory_model.clients_memory(self)
        for hook in self.cron_hooks:
            hook(now)
        # databasesCron
        if self.active_expire_enabled and not self.paused_for_writes():
            t = perf_counter_ns()
            active_expire_cycle(self, slow=True)
            self.latency.add_sample_if_needed("expire-cycle", (perf_counter_ns() - t) // 1_000_000)
        self.resize_and_rehash()
        _gc_cron()
        self.mem_dbs_stale = True  # re-list the databases in use (after FLUSHALL, SWAPDB...)
        used = memory_model.used_memory(self)  # syncs keys the cron expired
        if used > self.memory_peak:
            self.memory_peak = used

    def clients_cron(self, now_ms: int) -> None:
        timeout = self.config.timeout
        if not timeout:
            return
        limit = timeout * 1000
        for c in list(self.clients.values()):
            if c.blocked or c.monitor or c.paused:
                continue
            if now_ms - c.last_interaction > limit:
                self.log_verbose("Closing idle client")
                c.close()

    def resize_and_rehash(self) -> None:
        """tryResizeHashTables + incrementallyRehash (1 ms of work per call)."""
        for db in self.dbs:
            for d in (db.dict, db.expires):
                if d.needs_resize():
                    d.resize()
        if not self.config.activerehashing:
            return
        for _ in range(len(self.dbs)):
            db = self.dbs[self.rehash_db]
            for d in (db.dict, db.expires):
                if d.is_rehashing():
                    moved = d.rehash_for(0.001, time.perf_counter)
                    if d.is_rehashing():
                        self.emit(
                            "rehash-step",
                            dict=d.name,
                            buckets_moved=moved,
                            rehashidx=d.rehashidx,
                            from_size=len(d.table0),
                            to_size=len(d.table1),
                        )
                    return
            self.rehash_db = (self.rehash_db + 1) % len(self.dbs)


def _gc_cron() -> None:
    """Keep Python's cyclic collector from stopping the server.

    Redis frees memory as it goes and never pauses to look for garbage. A
    Python process does the same through reference counting, except for
    reference cycles, which the cyclic collector finds by scanning objects;
    a full scan of a keyspace of a million keys took 1.1-1.4 s, during
    which no client was served (a PING under redis-benchmark load waited that
    long whenever the keyspace had grown by a quarter). The server's data
    makes no cycles (the doubly linked skiplist and quicklist chains unlink
    themselves when freed; tests/test_gc_cycles.py), so each cron tick
    collects the young generations (what was allocated since the last tick,
    where any transient cycle is) and freezes the survivors: the collector
    never scans the long-lived keyspace again.
    """
    gc.collect(1)
    gc.freeze()


def _error_code(msg: str) -> str:
    space = msg.find(" ", 0, 32)
    return msg[:space] if space > 0 else "ERR"


def _redacted(argv: list[bytes]) -> list[bytes]:
    name = argv[0].lower()
    if name == b"auth":
        return [argv[0]] + [b"(redacted)"] * (len(argv) - 1)
    if name == b"hello":
        out = list(argv)
        for i in range(2, len(out) - 2):
            if out[i].lower() == b"auth":
                out[i + 1] = out[i + 2] = b"(redacted)"
        return out
    return argv


def repr_arg(s: bytes) -> bytes:
    """sdscatrepr: a quoted, escaped representation of an argument."""
    out = bytearray(b'"')
    for ch in s:
        if ch == 92 or ch == 34:
            out += b"\\" + bytes((ch,))
        elif ch == 10:
            out += b"\\n"
        elif ch == 13:
            out += b"\\r"
        elif ch == 9:
            out += b"\\t"
        elif ch == 7:
            out += b"\\a"
        elif ch == 8:
            out += b"\\b"
        elif 32 <= ch < 127:
            out.append(ch)
        else:
            out += b"\\x%02x" % ch
    out += b'"'
    return bytes(out)

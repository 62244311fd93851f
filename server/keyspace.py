"""Databases: the keyspace dict, the expires dict, and lazy expiry (db.c, expire.c).

Each database is two :class:`~server.encodings.dict.Dict` hashtables, as in
Redis: ``dict`` maps key → value and ``expires`` maps the keys that have a
TTL → their absolute expire time in milliseconds. A key with no TTL costs
nothing in ``expires``.

**Values.** A string value is held as it is: ``bytes`` (Redis's ``embstr``
when at most 44 bytes, else ``raw``), ``bytearray`` (a ``raw`` string that was
modified in place by APPEND or SETRANGE, like an sds with free space), or
``int`` (the ``int`` encoding). Other types are objects with a ``TYPE_NAME``.

**Lazy expiry.** A key past its expire time stays in memory until someone
touches it (``expire_if_needed`` on every lookup) or the active expire cycle
(:mod:`server.expire`) samples it. Either way it is deleted, counted in
``expired_keys`` and reported as a ``LAB EVENTS`` event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .encodings.dict import Dict, Entry
from .memory import _EMBSTR_ALLOC, _KEY_ALLOC, DICT_ENTRY_ALLOC, entry_alloc

if TYPE_CHECKING:
    from .server import Server

STRING_TYPES = (bytes, bytearray, int)


class KeyEntry(Entry):
    """A keyspace dictEntry, with the bytes the memory model last counted for it.

    Keeping ``mem`` on the entry (8 bytes) rather than in a side table means a
    write can move used_memory by the difference without a second lookup.
    """

    __slots__ = ("mem",)

    def __init__(self, key: bytes, value: object, next: Entry | None, lru: int = 0) -> None:
        self.key = key
        self.value = value
        self.next = next
        self.lru = lru
        self.mem = 0


class KeyDict(Dict):
    """The main keyspace dict: a Dict whose entries are :class:`KeyEntry`.

    When its first table is allocated it tells the server, whose memory model
    only walks the databases that hold tables (``Server.mem_dbs``).
    """

    __slots__ = ("server",)

    def add(self, key: bytes, value: object, lru: int = 0) -> Entry:
        """dictAdd (as :meth:`Dict.add`, creating a KeyEntry)."""
        if self.rehashidx != -1:
            if self.pauserehash == 0:
                self.rehash(1)
        else:
            if not self.table0:
                self.server.mem_dbs_stale = True
            self._expand_if_needed()
        if self.rehashidx != -1:
            t = self.table1
            self.used1 += 1
        else:
            t = self.table0
            self.used0 += 1
        self.used += 1
        idx = hash(key) & (len(t) - 1)
        e = KeyEntry(key, value, t[idx], lru)
        t[idx] = e
        return e


def type_name(value: object) -> str:
    t = type(value)
    if t is bytes or t is int or t is bytearray:
        return "string"
    return value.TYPE_NAME  # type: ignore[attr-defined]


class Database:
    __slots__ = (
        "id", "dict", "expires", "server", "avg_ttl", "expires_cursor", "mem", "avg", "mem_dirty",
    )  # fmt: skip

    def __init__(self, server: Server, dbid: int) -> None:
        self.id = dbid
        self.server = server
        self.dict = KeyDict(f"db{dbid}")
        self.dict.server = server
        self.expires = Dict(f"db{dbid}.expires")
        self.avg_ttl = 0
        self.expires_cursor = 0
        # The memory model's running account (server/memory.py): the sum of
        # the entries' ``mem``, big collections' element averages, and the
        # keys changed in place since the last memory.sync.
        self.mem = 0
        self.avg: dict[bytes, tuple] = {}
        self.mem_dirty: set[bytes] = set()

    def __len__(self) -> int:
        return len(self.dict)

    # -- expiry -----------------------------------------------------------------

    def get_expire(self, key: bytes) -> int:
        """Absolute expire time in ms, or -1 when the key has none."""
        if not self.expires.used:
            return -1
        e = self.expires.find(key)
        return -1 if e is None else e.value  # type: ignore[return-value]

    def set_expire(self, key: bytes, when_ms: int) -> None:
        e = self.expires.find(key)
        if e is None:
            self.expires.add(key, when_ms)
        else:
            e.value = when_ms

    def remove_expire(self, key: bytes) -> bool:
        if not self.expires.used:
            return False
        return self.expires.delete(key) is not None

    def is_expired(self, key: bytes) -> bool:
        if not self.expires.used:
            return False
        e = self.expires.find(key)
        return e is not None and self.server.clock.ms() > e.value  # type: ignore[operator]

    def expire_if_needed(self, key: bytes) -> bool:
        """expireIfNeeded: delete the key if its time has passed; True if it had."""
        if not self.expires.used:
            return False
        e = self.expires.find(key)
        if e is None or self.server.clock.ms() <= e.value:  # type: ignore[operator]
            return False
        if self.server.paused_for_writes():
            return True  # like Redis: report it gone, but do not delete during a pause
        self.delete_expired(key, "lazy")
        return True

    def delete_expired(self, key: bytes, how: str) -> None:
        """deleteExpiredKeyAndPropagate."""
        self.delete(key)
        server = self.server
        server.stats.expired_keys += 1
        server.notify_keyspace("expired", key, self.id)
        if server.events_wanted:
            server.emit("expire", key=key, db=self.id, how=how)

    # -- lookups ----------------------------------------------------------------

    def lookup_read(self, key: bytes) -> object:
        """lookupKeyRead: the value, or None; counts hits/misses, touches the LRU."""
        e = self.dict.find(key)
        server = self.server
        if e is not None and (not self.expires.used or not self.expire_if_needed(key)):
            e.lru = server.lru_touch(e.lru) if server.lfu else server.lruclock
            server.stats.keyspace_hits += 1
            return e.value
        server.stats.keyspace_misses += 1
        return None

    def lookup_write(self, key: bytes) -> object:
        """lookupKeyWrite: the value, or None (expired keys are deleted); no stats."""
        e = self.dict.find(key)
        if e is not None and (not self.expires.used or not self.expire_if_needed(key)):
            server = self.server
            e.lru = server.lru_touch(e.lru) if server.lfu else server.lruclock
            return e.value
        return None

    def lookup_entry(self, key: bytes, touch: bool = False, stats: bool = False) -> Entry | None:
        """The live entry (expired keys removed); optional LRU touch and hit/miss stats."""
        e = self.dict.find(key)
        if e is not None and self.expires.used and self.expire_if_needed(key):
            e = None
        if e is not None:
            if touch:
                e.lru = self.server.lru_touch(e.lru)
            if stats:
                self.server.stats.keyspace_hits += 1
        elif stats:
            self.server.stats.keyspace_misses += 1
        return e

    def exists(self, key: bytes) -> bool:
        return self.lookup_entry(key) is not None

    # -- writes -----------------------------------------------------------------

    def add(self, key: bytes, value: object) -> Entry:
        """dbAdd: the key must not exist; wakes clients blocked on it (signalKeyAsReady)."""
        server = self.server
        e = self.dict.add(key, value, server.lru_new())
        e.mem = n = entry_alloc(key, value, self.avg)  # type: ignore[attr-defined]
        self.mem += n
        if server.blocking_keys:
            server.signal_key_as_ready(self, key)
        return e

    def set_key(self, key: bytes, value: object, keepttl: bool = False) -> None:
        """setKey: add or overwrite; the TTL is removed unless keepttl."""
        server = self.server
        e = self.dict.find(key)
        # entry_alloc, with the common case (short key, embstr value) inlined
        if type(value) is bytes and len(value) <= 44 and len(key) < 4096:
            n = DICT_ENTRY_ALLOC + _KEY_ALLOC[len(key)] + _EMBSTR_ALLOC[len(value)]
        else:
            n = entry_alloc(key, value, self.avg)
        if e is None:
            e = self.dict.add(key, value, server.lru_new())
        else:
            n -= e.mem
            e.value = value
            e.lru = server.lru_overwrite(e.lru)
            if not keepttl and self.expires.used:
                self.expires.delete(key)
        e.mem += n  # type: ignore[attr-defined]
        self.mem += n
        server.signal_modified(self, key, True)
        if self.server.blocking_keys:
            self.server.signal_key_as_ready(self, key)  # RESTORE REPLACE of a list, ...

    def overwrite(self, entry: Entry, value: object) -> None:
        entry.value = value

    def delete(self, key: bytes) -> bool:
        """dbDelete: remove the key and its expire."""
        e = self.dict.delete(key)
        if e is None:
            return False
        if self.expires.used:
            self.expires.delete(key)
        self.mem -= e.mem  # type: ignore[attr-defined]
        if self.avg:
            self.avg.pop(key, None)
        self.server.signal_modified(self, key, True)
        return True

    def flush(self) -> int:
        n = len(self.dict)
        self.dict.clear()
        self.expires.clear()
        self.mem = 0
        self.avg.clear()
        self.mem_dirty.clear()
        self.avg_ttl = 0
        self.expires_cursor = 0
        return n

    def random_key(self) -> bytes | None:
        """dbRandomKey: a random live key (expired picks are deleted and retried)."""
        maxtries = 100
        allvolatile = len(self.dict) == len(self.expires)
        while True:
            e = self.dict.random_entry(self.server.rng)
            if e is None:
                return None
            key = e.key
            if self.expires.used and self.expires.find(key) is not None:
                if allvolatile and maxtries == 0:
                    return key  # replicas can loop forever here; Redis gives up too
                maxtries -= 1
                if self.expire_if_needed(key):
                    continue
            return key

"""dict.c: Redis's hashtable, with incremental rehashing and the reverse-binary cursor.

Every key of a database lives in one of these, and so do the expire times,
the members of big sets and the fields of big hashes.

    Dict
     table0  [ e0 | -- | e2 | e3 ]            size 4 = 2**2, mask 3
               |          |    `-> Entry(key, value) -> Entry -> None   (a chain)
     table1  [ .. 8 buckets .. ]              only while rehashing
     rehashidx = 2                            buckets < 2 of table0 are already moved

**Why two tables.** When the table fills up (``used >= size``) Redis does not
stop to move every entry into a bigger table: it allocates the new table and
moves one bucket per lookup, insert or delete (``_dictRehashStep``) plus up to
a millisecond of buckets from the server cron (``dictRehashMilliseconds``),
so no single command pays for the whole resize. While both tables exist,
lookups check both and inserts go to the new one.

**Why the odd SCAN cursor.** ``SCAN`` walks buckets in *reverse-binary* order:
the cursor's bits are incremented from the high end. Growing or shrinking the
table maps a bucket to buckets whose low bits are the same, so a cursor keeps
its meaning across a resize, and every key present for the whole scan is
returned at least once (perhaps twice). See :meth:`Dict.scan`.

**Hash function.** Redis uses SipHash-1-2 with a random seed; we use Python's
``hash`` of ``bytes``, which is SipHash-1-3 with a random seed per process and
is cached on the key object: the same role (uniform, unpredictable to
clients) at C speed. Bucket positions therefore differ from a real Redis run,
as they differ between two Redis runs.

Sizes follow dict.c: the first table has ``DICT_HT_INITIAL_SIZE`` = 4
buckets; a table grows to the next power of two above ``used`` when
``used >= size`` (or ``used/size > dict_force_resize_ratio`` = 5 while resizing
is disallowed because a child process exists), and shrinks (``resize``) when
the cron sees it under ``HASHTABLE_MIN_FILL`` = 10% full.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

DICT_HT_INITIAL_SIZE = 4
DICT_FORCE_RESIZE_RATIO = 5
HASHTABLE_MIN_FILL = 10  # percent, server.h
LONG_MASK = (1 << 64) - 1


class Entry:
    """dictEntry: a key, its value, the next entry of the bucket's chain.

    ``lru`` is the 24-bit LRU clock or LFU field that Redis keeps in the value's
    ``robj`` header; we keep it here so a string value can stay a plain
    ``bytes`` object (saving a wrapper per key).
    """

    __slots__ = ("key", "value", "next", "lru")

    def __init__(self, key: bytes, value: object, next: Entry | None, lru: int = 0) -> None:
        self.key = key
        self.value = value
        self.next = next
        self.lru = lru


def _rev(v: int) -> int:
    """Reverse the 64 bits of v (dict.c ``rev``)."""
    return int(f"{v:064b}"[::-1], 2)


def _next_size(size: int) -> int:
    n = DICT_HT_INITIAL_SIZE
    while n < size:
        n *= 2
    return n


class Dict:
    __slots__ = (
        "table0",
        "table1",
        "used0",
        "used1",
        "used",
        "rehashidx",
        "pauserehash",
        "can_resize",
        "on_event",
        "name",
    )

    def __init__(self, name: str = "dict") -> None:
        self.table0: list[Entry | None] = []
        self.table1: list[Entry | None] = []
        self.used0 = 0
        self.used1 = 0
        self.used = 0  # used0 + used1, kept as a field: len() of a Dict is on hot paths
        self.rehashidx = -1
        self.pauserehash = 0
        self.can_resize = True
        # Called as on_event(kind, **info) for rehash start/finish; the server
        # publishes these on LAB EVENTS. None when nobody listens.
        self.on_event: Callable[..., None] | None = None
        self.name = name

    # -- size -----------------------------------------------------------------

    def __len__(self) -> int:
        return self.used

    def slots(self) -> int:
        return len(self.table0) + len(self.table1)

    def is_rehashing(self) -> bool:
        return self.rehashidx != -1

    # -- lookup ---------------------------------------------------------------

    def find(self, key: bytes) -> Entry | None:
        if not self.used:
            return None
        if self.rehashidx != -1 and self.pauserehash == 0:
            self.rehash(1)
        h = hash(key)
        t = self.table0
        if t:
            e = t[h & (len(t) - 1)]
            while e is not None:
                if e.key == key:
                    return e
                e = e.next
        t = self.table1
        if t:
            e = t[h & (len(t) - 1)]
            while e is not None:
                if e.key == key:
                    return e
                e = e.next
        return None

    def get(self, key: bytes, default: object = None) -> object:
        e = self.find(key)
        return default if e is None else e.value

    def __contains__(self, key: bytes) -> bool:
        return self.find(key) is not None

    # -- insert / delete ------------------------------------------------------

    def add(self, key: bytes, value: object, lru: int = 0) -> Entry:
        """dictAdd for a key known to be absent; returns the new entry."""
        if self.rehashidx != -1:
            if self.pauserehash == 0:
                self.rehash(1)
        else:
            self._expand_if_needed()
        if self.rehashidx != -1:
            t = self.table1
            self.used1 += 1
        else:
            t = self.table0
            self.used0 += 1
        self.used += 1
        idx = hash(key) & (len(t) - 1)
        e = Entry(key, value, t[idx], lru)
        t[idx] = e
        return e

    def set(self, key: bytes, value: object) -> Entry:
        """dictReplace: overwrite the value if present, else add."""
        e = self.find(key)
        if e is not None:
            e.value = value
            return e
        return self.add(key, value)

    def delete(self, key: bytes) -> Entry | None:
        """dictGenericDelete: unlink and return the entry, or None."""
        if not self.used:
            return None
        if self.rehashidx != -1 and self.pauserehash == 0:
            self.rehash(1)
        h = hash(key)
        for which in (0, 1):
            t = self.table0 if which == 0 else self.table1
            if not t:
                continue
            idx = h & (len(t) - 1)
            prev = None
            e = t[idx]
            while e is not None:
                if e.key == key:
                    if prev is None:
                        t[idx] = e.next
                    else:
                        prev.next = e.next
                    if which == 0:
                        self.used0 -= 1
                    else:
                        self.used1 -= 1
                    self.used -= 1
                    e.next = None
                    return e
                prev = e
                e = e.next
            if self.rehashidx == -1:
                break
        return None

    def clear(self) -> None:
        self.table0 = []
        self.table1 = []
        self.used0 = self.used1 = self.used = 0
        self.rehashidx = -1

    # -- resizing -------------------------------------------------------------

    def _expand_if_needed(self) -> None:
        size = len(self.table0)
        if size == 0:
            self.expand(DICT_HT_INITIAL_SIZE)
        elif self.used0 >= size and (
            self.can_resize or self.used0 // size > DICT_FORCE_RESIZE_RATIO
        ):
            self.expand(self.used0 + 1)

    def expand(self, size: int) -> bool:
        """dictExpand: start moving to a table of the next power of two >= size."""
        if self.rehashidx != -1 or self.used0 > size:
            return False
        realsize = _next_size(size)
        if realsize == len(self.table0):
            return False
        if not self.table0:
            self.table0 = [None] * realsize
            return True
        self.table1 = [None] * realsize
        self.rehashidx = 0
        if self.on_event is not None:
            self.on_event(
                "rehash-start",
                dict=self.name,
                from_size=len(self.table0),
                to_size=realsize,
                used=self.used0,
            )
        return True

    def needs_resize(self) -> bool:
        """htNeedsResize (server.c): big table under 10% full."""
        size = self.slots()
        used = len(self)
        return size > DICT_HT_INITIAL_SIZE and used * 100 // size < HASHTABLE_MIN_FILL

    def resize(self) -> bool:
        """dictResize: shrink (or grow) to the smallest table holding every entry."""
        if not self.can_resize or self.rehashidx != -1:
            return False
        return self.expand(max(self.used0, DICT_HT_INITIAL_SIZE))

    def rehash(self, n: int) -> bool:
        """dictRehash: move n buckets (visiting at most n*10 empty ones).

        Returns True while there is more to move.
        """
        if self.rehashidx == -1:
            return False
        empty_visits = n * 10
        t0 = self.table0
        t1 = self.table1
        mask1 = len(t1) - 1
        idx = self.rehashidx
        size0 = len(t0)
        while n and self.used0:
            n -= 1
            while t0[idx] is None:
                idx += 1
                empty_visits -= 1
                if empty_visits == 0:
                    self.rehashidx = idx
                    return True
            e = t0[idx]
            moved = 0
            while e is not None:
                nxt = e.next
                j = hash(e.key) & mask1
                e.next = t1[j]
                t1[j] = e
                moved += 1
                e = nxt
            self.used0 -= moved
            self.used1 += moved
            t0[idx] = None
            idx += 1
            if idx >= size0:
                break
        self.rehashidx = idx
        if self.used0 == 0:
            self.table0 = t1
            self.used0 = self.used1
            self.table1 = []
            self.used1 = 0
            self.rehashidx = -1
            if self.on_event is not None:
                self.on_event("rehash-finish", dict=self.name, size=len(t1), used=self.used0)
            return False
        return True

    def rehash_for(self, seconds: float, clock: Callable[[], float]) -> int:
        """dictRehashMilliseconds: 100 buckets at a time until the time is up."""
        if self.pauserehash > 0:
            return 0
        start = clock()
        rehashes = 0
        while self.rehash(100):
            rehashes += 100
            if clock() - start > seconds:
                break
        return rehashes

    # -- iteration ------------------------------------------------------------

    def entries(self) -> Iterator[Entry]:
        """Every entry, table 0 then table 1 (a safe copy: the dict may change)."""
        out = []
        for t in (self.table0, self.table1):
            for e in t:
                while e is not None:
                    out.append(e)
                    e = e.next
        return iter(out)

    def keys(self) -> list[bytes]:
        return [e.key for e in self.entries()]

    def bucket(self, table: int, idx: int) -> list[Entry]:
        t = self.table0 if table == 0 else self.table1
        out = []
        e = t[idx] if idx < len(t) else None
        while e is not None:
            out.append(e)
            e = e.next
        return out

    def random_entry(self, rng: random.Random = random._inst) -> Entry | None:  # type: ignore[attr-defined]
        """dictGetRandomKey: a random non-empty bucket, then a random chain element."""
        if len(self) == 0:
            return None
        if self.rehashidx != -1 and self.pauserehash == 0:
            self.rehash(1)
        if self.rehashidx != -1:
            s0 = len(self.table0)
            span = s0 + len(self.table1) - self.rehashidx
            while True:
                h = self.rehashidx + rng.randrange(span)
                e = self.table1[h - s0] if h >= s0 else self.table0[h]
                if e is not None:
                    break
        else:
            t = self.table0
            m = len(t) - 1
            while True:
                e = t[rng.getrandbits(64) & m]
                if e is not None:
                    break
        chain = []
        while e is not None:
            chain.append(e)
            e = e.next
        return chain[rng.randrange(len(chain))]

    def some_entries(self, count: int, rng: random.Random = random._inst) -> list[Entry]:  # type: ignore[attr-defined]
        """dictGetSomeKeys: up to count entries from random consecutive buckets.

        Faster than count calls of random_entry and what eviction and the
        active expire cycle sample with; results may repeat nothing but are
        not uniformly distributed.
        """
        size = len(self)
        if count > size:
            count = size
        if count == 0:
            return []
        maxsteps = count * 10
        for _ in range(count):
            if self.rehashidx != -1 and self.pauserehash == 0:
                self.rehash(1)
            else:
                break
        tables = 2 if self.rehashidx != -1 else 1
        maxsizemask = len(self.table0) - 1
        if tables > 1 and len(self.table1) - 1 > maxsizemask:
            maxsizemask = len(self.table1) - 1
        i = rng.getrandbits(64) & maxsizemask
        emptylen = 0
        out: list[Entry] = []
        while len(out) < count and maxsteps:
            maxsteps -= 1
            for j in range(tables):
                t = self.table0 if j == 0 else self.table1
                if tables == 2 and j == 0 and i < self.rehashidx:
                    if i >= len(self.table1):
                        i = self.rehashidx
                    else:
                        continue
                if i >= len(t):
                    continue
                e = t[i]
                if e is None:
                    emptylen += 1
                    if emptylen >= 5 and emptylen > count:
                        i = rng.getrandbits(64) & maxsizemask
                        emptylen = 0
                else:
                    emptylen = 0
                    while e is not None:
                        out.append(e)
                        e = e.next
                        if len(out) == count:
                            return out
            i = (i + 1) & maxsizemask
        return out

    def scan(self, cursor: int, fn: Callable[[Entry], None]) -> int:
        """dictScan: visit the bucket(s) at cursor, return the next cursor (0 = done)."""
        if len(self) == 0:
            return 0
        self.pauserehash += 1
        try:
            v = cursor
            if self.rehashidx == -1:
                t0 = self.table0
                m0 = len(t0) - 1
                e = t0[v & m0]
                while e is not None:
                    nxt = e.next
                    fn(e)
                    e = nxt
                v |= ~m0 & LONG_MASK
                v = _rev((_rev(v) + 1) & LONG_MASK)
            else:
                t0, t1 = self.table0, self.table1
                if len(t0) > len(t1):
                    t0, t1 = t1, t0
                m0 = len(t0) - 1
                m1 = len(t1) - 1
                e = t0[v & m0]
                while e is not None:
                    nxt = e.next
                    fn(e)
                    e = nxt
                while True:
                    e = t1[v & m1]
                    while e is not None:
                        nxt = e.next
                        fn(e)
                        e = nxt
                    v |= ~m1 & LONG_MASK
                    v = _rev((_rev(v) + 1) & LONG_MASK)
                    if not v & (m0 ^ m1):
                        break
            return v
        finally:
            self.pauserehash -= 1

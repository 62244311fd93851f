"""The hash value object (t_hash.c): a listpack while small, then a hashtable.

Redis 7.0 keeps a hash in one of two structures:

    listpack   field, value, field, value, ...   one allocation, searched
               linearly: a few hundred entries fit in a few cache lines, and
               there is no pointer, dictEntry or sds header per field.
    hashtable  a :class:`~server.encodings.dict.Dict` of field -> value
               (both sds strings in Redis, ``bytes`` here): O(1) lookups,
               about 40-60 bytes of overhead per field.

A hash starts as a listpack and becomes a hashtable, never back, when

- it would hold more than ``hash-max-listpack-entries`` fields (512 by
  default; checked after each insert, ``hashTypeSet``), or
- a field or value longer than ``hash-max-listpack-value`` bytes (64) is
  written (checked before the insert, ``hashTypeTryConversion``).

The conversion (``hashTypeConvertListpack``) presizes the dict to the number
of fields, so it does not rehash while filling. The callers pass a
``notify(from, to, reason)`` function so the command layer can publish the
conversion on ``LAB EVENTS``.

Costs: every listpack operation walks the entries (O(N), N <= 512); hashtable
lookups are O(1) plus one incremental rehash step while a resize is under
way. Deleting from a hashtable shrinks it when it falls under 10% full
(``htNeedsResize`` -> ``dictResize``), as Redis does after every HDEL.

Values in a listpack that read as canonical 64-bit integers are stored as
integers (``lpStringToInt64``); they come back as the same characters.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable, Iterator
from typing import Any

from ..encodings.dict import Dict, Entry
from ..encodings.listpack import (
    LP_ENCODING_16BIT_INT,
    LP_ENCODING_24BIT_INT,
    LP_ENCODING_32BIT_INT,
    LP_ENCODING_32BIT_STR,
    LP_ENCODING_64BIT_INT,
    LP_HDR_SIZE,
    Listpack,
    backlen_size,
    string_to_int64,
    value_to_bytes,
)
from ..memory import ROBJ, hashtable_alloc, listpack_alloc

Notify = Callable[[str, str, str], None]

# dict.c: how many entries dictGetFairRandomKey samples to pick one from.
GETFAIR_NUM_ENTRIES = 15


def fair_random_entry(d: Dict, rng: _random.Random) -> Entry:
    """``dictGetFairRandomKey``: pick among a few sampled entries.

    ``dictGetRandomKey`` favours entries in short chains (a random bucket,
    then a random chain element); sampling ``GETFAIR_NUM_ENTRIES`` entries
    with ``dictGetSomeKeys`` and choosing one of them evens that out.
    """
    entries = d.some_entries(GETFAIR_NUM_ENTRIES, rng)
    if not entries:
        e = d.random_entry(rng)
        assert e is not None
        return e
    return entries[rng.randrange(len(entries))]


_INT_WIDTHS = {
    LP_ENCODING_16BIT_INT: 2,
    LP_ENCODING_24BIT_INT: 3,
    LP_ENCODING_32BIT_INT: 4,
    LP_ENCODING_64BIT_INT: 8,
}


def lp_find_field(buf: bytearray, field: bytes) -> tuple[int, int] | None:
    """``lpFind(lp, field, skip=1)``: (entry index, offset) of a field, or None.

    Walks the bytes directly, looking at fields only (every other entry) and
    decoding an entry only when it could match: a string field is compared
    with string entries of the same length, an integer-looking field with
    integer entries. This is the hot path of every listpack hash command, so
    it reads the header bytes inline instead of going through ``Listpack``.
    """
    sval = string_to_int64(field)
    flen = len(field)
    end = len(buf) - 1  # the LP_EOF byte
    p = LP_HDR_SIZE
    idx = 0
    while p < end:
        b = buf[p]
        if b < 0x80:  # 7-bit uint
            hdr, dlen = 1, 0
            if sval is not None and b == sval and not idx & 1:
                return idx, p
        elif b < 0xC0:  # 6-bit string
            hdr, dlen = 1, b & 0x3F
            if sval is None and dlen == flen and not idx & 1 and buf[p + 1 : p + 1 + dlen] == field:
                return idx, p
        elif b < 0xE0:  # 13-bit int
            hdr, dlen = 2, 0
            if sval is not None and not idx & 1:
                u = ((b & 0x1F) << 8) | buf[p + 1]
                if (u - 8192 if u >= 4096 else u) == sval:
                    return idx, p
        elif b < 0xF0:  # 12-bit string
            hdr, dlen = 2, ((b & 0x0F) << 8) | buf[p + 1]
            if sval is None and dlen == flen and not idx & 1 and buf[p + 2 : p + 2 + dlen] == field:
                return idx, p
        elif b == LP_ENCODING_32BIT_STR:
            hdr, dlen = 5, int.from_bytes(buf[p + 1 : p + 5], "little")
            if sval is None and dlen == flen and not idx & 1 and buf[p + 5 : p + 5 + dlen] == field:
                return idx, p
        else:
            w = _INT_WIDTHS[b]
            hdr, dlen = 1 + w, 0
            if sval is not None and not idx & 1:
                if int.from_bytes(buf[p + 1 : p + 1 + w], "little", signed=True) == sval:
                    return idx, p
        n = hdr + dlen
        p += n + backlen_size(n)
        idx += 1
    return None


class HashObject:
    TYPE_NAME = "hash"
    __slots__ = ("encoding", "lp", "dict")

    def __init__(self) -> None:
        self.encoding = "listpack"
        self.lp: Listpack = Listpack()
        self.dict: Dict | None = None

    # -- listpack helpers -----------------------------------------------------------

    def _lp_find(self, field: bytes) -> tuple[int, int] | None:
        """(entry index, byte offset) of ``field`` in the listpack, or None."""
        return lp_find_field(self.lp.buf, field)

    # -- size -----------------------------------------------------------------------

    def __len__(self) -> int:
        if self.encoding == "listpack":
            return len(self.lp) // 2
        return len(self.dict)  # type: ignore[arg-type]

    # -- reads ------------------------------------------------------------------------

    def get(self, field: bytes) -> bytes | None:
        """``hashTypeGetValue``: the value as bytes, or None."""
        if self.encoding == "listpack":
            found = self._lp_find(field)
            if found is None:
                return None
            lp = self.lp
            p = lp.next(found[1])
            assert p is not None
            return value_to_bytes(lp.value_at(p))
        e = self.dict.find(field)  # type: ignore[union-attr]
        return None if e is None else e.value  # type: ignore[return-value]

    def exists(self, field: bytes) -> bool:
        if self.encoding == "listpack":
            return self._lp_find(field) is not None
        return self.dict.find(field) is not None  # type: ignore[union-attr]

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        """(field, value) pairs in the structure's order (listpack order / dict order)."""
        if self.encoding == "listpack":
            it = self.lp.iter_bytes()
            for f in it:
                yield f, next(it)
        else:
            for e in self.dict.entries():  # type: ignore[union-attr]
                yield e.key, e.value  # type: ignore[misc]

    def fields(self) -> Iterator[bytes]:
        for f, _ in self.items():
            yield f

    def values(self) -> Iterator[bytes]:
        for _, v in self.items():
            yield v

    # -- writes -----------------------------------------------------------------------

    def set(
        self,
        field: bytes,
        value: bytes,
        max_entries: int,
        max_value: int,
        notify: Notify | None = None,
    ) -> bool:
        """``hashTypeSet``: insert or overwrite; True when the field is new.

        A field or value longer than ``max_value`` converts first (this
        matters for HINCRBY*, whose arguments skip ``try_conversion``); more
        than ``max_entries`` fields converts after the insert.
        """
        if self.encoding == "listpack":
            if len(field) > max_value or len(value) > max_value:
                self.to_hashtable(notify, f"hash-max-listpack-value ({max_value}) exceeded")
        if self.encoding == "listpack":
            lp = self.lp
            found = self._lp_find(field)
            if found is not None:
                lp.replace(found[0] + 1, value)
            else:
                lp.append(field)
                lp.append(value)
            # Checked on updates too, so a lowered limit applies at the next write.
            if len(lp) // 2 > max_entries:
                self.to_hashtable(notify, f"hash-max-listpack-entries ({max_entries}) exceeded")
            return found is None
        d = self.dict
        assert d is not None
        e = d.find(field)
        if e is not None:
            e.value = value
            return False
        d.add(field, value)
        return True

    def try_conversion(self, args: list[bytes], max_value: int, notify: Notify | None) -> None:
        """``hashTypeTryConversion``: convert before adding an over-long field or value."""
        if self.encoding != "listpack":
            return
        total = 0
        for a in args:
            if len(a) > max_value:
                self.to_hashtable(notify, f"hash-max-listpack-value ({max_value}) exceeded")
                return
            total += len(a)
        if not self.lp.safe_to_add(total):
            self.to_hashtable(notify, "the listpack would grow past 1GB (lpSafeToAdd)")

    def delete(self, field: bytes) -> bool:
        """``hashTypeDelete``; a hashtable shrinks when under 10% full."""
        if self.encoding == "listpack":
            found = self._lp_find(field)
            if found is None:
                return False
            self.lp.delete_range(found[0], 2)
            return True
        d = self.dict
        assert d is not None
        if d.delete(field) is None:
            return False
        if d.needs_resize():
            d.resize()
        return True

    def to_hashtable(self, notify: Notify | None = None, reason: str = "") -> None:
        """``hashTypeConvertListpack``: every pair into a dict presized to fit them."""
        if self.encoding != "listpack":
            return
        d = Dict("hash")
        d.expand(len(self))
        for f, v in self.items():
            d.add(f, v)
        self.dict = d
        self.lp = Listpack()
        self.encoding = "hashtable"
        if notify is not None:
            notify("listpack", "hashtable", reason)

    def copy(self) -> HashObject:
        """``hashTypeDup``."""
        out = HashObject()
        if self.encoding == "listpack":
            out.lp = self.lp.copy()
        else:
            d = Dict("hash")
            d.expand(len(self))
            for f, v in self.items():
                d.add(f, v)
            out.dict = d
            out.encoding = "hashtable"
        return out

    # -- random fields (HRANDFIELD) ----------------------------------------------------

    def random_pair(self, rng: _random.Random) -> tuple[bytes, bytes]:
        """``hashTypeRandomElement``: ``lpRandomPair`` or ``dictGetFairRandomKey``."""
        if self.encoding == "listpack":
            r = rng.randrange(len(self))
            lp = self.lp
            p = lp.seek(2 * r)
            assert p is not None
            q = lp.next(p)
            assert q is not None
            return value_to_bytes(lp.value_at(p)), value_to_bytes(lp.value_at(q))
        e = fair_random_entry(self.dict, rng)  # type: ignore[arg-type]
        return e.key, e.value  # type: ignore[return-value]

    def lp_random_pairs(self, count: int, rng: _random.Random) -> list[tuple[bytes, bytes]]:
        """``lpRandomPairs``: ``count`` pairs with repetition, in pick order.

        Redis sorts the picks by position to walk the listpack once, then
        puts each result back in the slot it was picked for.
        """
        n = len(self)
        picks = [rng.randrange(n) for _ in range(count)]
        wanted = set(picks)
        found: dict[int, tuple[bytes, bytes]] = {}
        for i, pair in enumerate(self.items()):
            if i in wanted:
                found[i] = pair
        return [found[i] for i in picks]

    def lp_random_pairs_unique(self, count: int, rng: _random.Random) -> list[tuple[bytes, bytes]]:
        """``lpRandomPairsUnique``: selection sampling in one walk (listpack order)."""
        total = len(self)
        count = min(count, total)
        out: list[tuple[bytes, bytes]] = []
        remaining = count
        for index, pair in enumerate(self.items()):
            if len(out) >= count:
                break
            if rng.random() <= remaining / (total - index):
                out.append(pair)
                remaining -= 1
        return out

    # -- model and inspector ------------------------------------------------------------

    def memory_usage(self, samples: int = 0) -> int:
        """Bytes Redis allocates for the value (robj included); exact unless sampling."""
        if self.encoding == "listpack":
            return ROBJ + listpack_alloc(self.lp)
        d = self.dict
        assert d is not None
        return ROBJ + hashtable_alloc(d, samples or max(1, len(d)), with_values=True)

    def inspect(self, start: int = 0, count: int = 32, path: bytes | None = None) -> dict[str, Any]:
        """``LAB INSPECT``: the window counts *fields* (a listpack holds two entries each)."""
        from .. import introspect

        if self.encoding == "listpack":
            out = introspect.listpack_layout(self.lp, 2 * start, 2 * count, None)
            for entry in out["entries"]:
                entry["role"] = "field" if entry["index"] % 2 == 0 else "value"
            out["fields"] = len(self)
            if path is not None:
                found = self._lp_find(path)
                out["path"] = {
                    "member": path,
                    "found": int(found is not None),
                    "index": -1 if found is None else found[0],
                    "offset": -1 if found is None else found[1],
                }
            return out
        out = introspect.hashtable_layout(self.dict, start, count, path, values=True)  # type: ignore[arg-type]
        out["fields"] = len(self)
        return out

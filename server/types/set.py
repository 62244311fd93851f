"""The set value object (t_set.c): an intset while it can be, then a hashtable.

Redis 7.0 keeps a set in one of two structures (7.2 added a third, listpack):

    intset     a sorted array of integers, all the same width (int16, int32
               or int64), searched by bisection: 2-8 bytes per member and no
               pointers at all. See :mod:`server.encodings.intset`.
    hashtable  a :class:`~server.encodings.dict.Dict` of member -> None
               (the dict's values are unused): O(1) membership for any
               string, about 32+ bytes per member.

A set is created as an intset when its first member is an integer
(``setTypeCreate``: ``string2ll`` rules, so "12" is one but "012", "+1" and
"1.0" are not), and becomes a hashtable, never back, when

- a member is added that is not an integer, or
- it would hold more than ``set-max-intset-entries`` members (512).

The conversion (``setTypeConvert``) presizes the dict to the intset's
length. The callers pass a ``notify(from, to, reason)`` function so the
command layer can publish the conversion on ``LAB EVENTS``.

Intset membership is O(log N) and insertion O(N) (the tail moves), cheap at
512 members; hashtable operations are O(1) plus an incremental rehash step
while a resize is under way. Removing from a hashtable shrinks it when it
falls under 10% full (``htNeedsResize`` -> ``dictResize``).
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable, Iterator
from typing import Any

from ..encodings.dict import Dict
from ..encodings.intset import Intset
from ..encodings.listpack import string_to_int64
from ..memory import ROBJ, hashtable_alloc, intset_alloc
from .hash import fair_random_entry

Notify = Callable[[str, str, str], None]


def dict_add_raw(d: Dict, key: bytes) -> bool:
    """``dictAddRaw``: one rehash step, the grow check, then add the key if absent.

    SADD costs exactly one incremental rehash step per member in Redis (a
    lookup followed by an add would take two), which decides how far a
    resize has got -- visible in the table sizes and so in MEMORY USAGE.
    """
    if d.rehashidx != -1 and d.pauserehash == 0:
        d.rehash(1)
    if d.rehashidx == -1:
        d._expand_if_needed()  # _dictKeyIndex grows the table before searching it
    d.pauserehash += 1  # the search and the insert below take no further steps
    try:
        if d.find(key) is not None:
            return False
        d.add(key, None)
        return True
    finally:
        d.pauserehash -= 1


class SetObject:
    TYPE_NAME = "set"
    __slots__ = ("encoding", "intset", "dict")

    def __init__(self, encoding: str = "intset") -> None:
        self.encoding = encoding
        self.intset: Intset = Intset()
        self.dict: Dict | None = Dict("set") if encoding == "hashtable" else None

    @classmethod
    def for_member(cls, member: bytes) -> SetObject:
        """``setTypeCreate``: an intset if the first member is an integer."""
        return cls("intset" if string_to_int64(member) is not None else "hashtable")

    # -- size and membership -------------------------------------------------------------

    def __len__(self) -> int:
        if self.encoding == "intset":
            return len(self.intset)
        return len(self.dict)  # type: ignore[arg-type]

    def contains(self, member: bytes) -> bool:
        """``setTypeIsMember``."""
        if self.encoding == "intset":
            v = string_to_int64(member)
            return v is not None and self.intset.find(v)
        return self.dict.find(member) is not None  # type: ignore[union-attr]

    def contains_int(self, v: int) -> bool:
        """Membership of an integer member (intset-to-intset is a bisection)."""
        if self.encoding == "intset":
            return self.intset.find(v)
        return self.dict.find(b"%d" % v) is not None  # type: ignore[union-attr]

    # -- iteration ---------------------------------------------------------------------------

    def raw_members(self) -> Iterator[int | bytes]:
        """``setTypeNext``: ints for an intset, bytes for a hashtable."""
        if self.encoding == "intset":
            return iter(self.intset)
        return iter(self.dict.keys())  # type: ignore[union-attr]

    def members(self) -> Iterator[bytes]:
        """Every member as bytes, in the structure's order (sorted for an intset)."""
        if self.encoding == "intset":
            return (b"%d" % v for v in self.intset)
        return iter(self.dict.keys())  # type: ignore[union-attr]

    # -- writes --------------------------------------------------------------------------------

    def add(self, member: bytes, max_intset_entries: int, notify: Notify | None = None) -> bool:
        """``setTypeAdd``: True when the member is new."""
        if self.encoding == "intset":
            v = string_to_int64(member)
            if v is None:
                self.to_hashtable(notify, "non-integer member added")
                self.dict.add(member, None)  # type: ignore[union-attr]
                return True
            if not self.intset.add(v):
                return False
            if len(self.intset) > max_intset_entries:
                self.to_hashtable(notify, f"set-max-intset-entries ({max_intset_entries}) exceeded")
            return True
        d = self.dict
        assert d is not None
        return dict_add_raw(d, member)

    def remove(self, member: bytes) -> bool:
        """``setTypeRemove``; a hashtable shrinks when under 10% full."""
        if self.encoding == "intset":
            v = string_to_int64(member)
            return v is not None and self.intset.remove(v)
        d = self.dict
        assert d is not None
        if d.delete(member) is None:
            return False
        if d.needs_resize():
            d.resize()
        return True

    def to_hashtable(self, notify: Notify | None = None, reason: str = "") -> None:
        """``setTypeConvert``: every integer as a string member of a presized dict."""
        if self.encoding != "intset":
            return
        d = Dict("set")
        d.expand(len(self.intset))
        for v in self.intset:
            d.add(b"%d" % v, None)
        self.dict = d
        self.intset = Intset()
        self.encoding = "hashtable"
        if notify is not None:
            notify("intset", "hashtable", reason)

    def copy(self) -> SetObject:
        """``setTypeDup``."""
        if self.encoding == "intset":
            out = SetObject("intset")
            out.intset = Intset.from_bytes(self.intset.to_bytes(), deep=False)
            return out
        out = SetObject("hashtable")
        d = out.dict
        assert d is not None
        d.expand(len(self))
        for m in self.members():
            d.add(m, None)
        return out

    # -- random members (SPOP, SRANDMEMBER) ----------------------------------------------------

    def random_member(self, rng: _random.Random) -> int | bytes:
        """``setTypeRandomElement``: ``intsetRandom`` or ``dictGetFairRandomKey``."""
        if self.encoding == "intset":
            return self.intset.random(rng)
        return fair_random_entry(self.dict, rng).key  # type: ignore[arg-type]

    # -- model and inspector ---------------------------------------------------------------------

    def memory_usage(self, samples: int = 0) -> int:
        """Bytes Redis allocates for the value (robj included); exact unless sampling."""
        if self.encoding == "intset":
            return ROBJ + intset_alloc(self.intset)
        d = self.dict
        assert d is not None
        return ROBJ + hashtable_alloc(d, samples or max(1, len(d)), with_values=False)

    def inspect(self, start: int = 0, count: int = 32, path: bytes | None = None) -> dict[str, Any]:
        from .. import introspect

        if self.encoding == "intset":
            out = introspect.intset_layout(self.intset, start, count, path)
        else:
            out = introspect.hashtable_layout(self.dict, start, count, path, values=False)  # type: ignore[arg-type]
        out["members"] = len(self)
        return out

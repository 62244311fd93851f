"""The sorted set value object (t_zset.c): a listpack while small, then skiplist + dict.

Redis 7.0 keeps a sorted set in one of two structures:

    listpack  member, score, member, score, ... in one allocation, sorted by
              score and then by member bytes. A score that is a whole number
              in [-2**62, 2**62] is written as a listpack integer
              (``double2ll``), any other as its ``d2string`` text ("0.5",
              "inf", "1.0000000000000001e+20"), exactly as ``zzlInsertAt``
              does, so the bytes are the ones Redis would ``DUMP``.
              Everything is a linear walk: fine for 128 pairs.
    skiplist  a :class:`~server.encodings.skiplist.ZSkiplist` ordered by
              (score, member), with spans for O(log N) ranks, plus a
              :class:`~server.encodings.dict.Dict` member -> score for O(1)
              ZSCORE. Both hold the same member strings.

**When it converts.** A new key starts as a listpack unless
``zset-max-listpack-entries`` is 0 or its first member is longer than
``zset-max-listpack-value``. An insert that would make it longer than the
entries limit, or that brings a member longer than the value limit, converts
it first (``zsetConvert``) -- and it never converts back on its own. Only the
``*STORE`` commands build a result as a skiplist and shrink it to a listpack
when it fits (``zsetConvertToListpackIfNeeded``).

**Who calls what.** Commands (:mod:`server.commands.zsets`) do argument
parsing and replies; everything that depends on the encoding lives here, in
the order t_zset.c has it: listpack helpers (``zzl*``), conversions, then
the common API (``zset*``) every command uses.

**Caching.** Decoding a listpack on every read would cost a walk of up to
256 entries per command, so the listpack's (member, score) pairs are cached
in a Python list after the first read and dropped on every write. The bytes
stay the truth: the cache is rebuilt from them.
"""

from __future__ import annotations

import math
import random as _random
from collections.abc import Callable, Iterator
from typing import Any

from ..encodings.dict import Dict
from ..encodings.listpack import LISTPACK_MAX_SAFETY_SIZE, Listpack, value_to_bytes
from ..encodings.skiplist import (
    ZLexRangeSpec,
    ZRangeSpec,
    ZSkiplist,
    ZSkiplistNode,
)
from ..memory import ROBJ, listpack_alloc, skiplist_alloc

#: util.c ``double2ll``: integral doubles within +-LLONG_MAX/2 become integers.
_D2LL_LIMIT = float((2**63 - 1) // 2)  # == 2**62 once converted to a double, as in C

Notify = Callable[[str, str, str], None]


def double2ll(d: float) -> int | None:
    """``double2ll``: the long long a double holds exactly, if it is in range."""
    if d < -_D2LL_LIMIT or d > _D2LL_LIMIT or d != d:
        return None
    ll = int(d)
    return ll if ll == d else None


def d2string(d: float) -> bytes:
    """util.c ``d2string``: what a non-integer score looks like inside a listpack."""
    if math.isnan(d):
        return b"nan"
    if math.isinf(d):
        return b"inf" if d > 0 else b"-inf"
    if d == 0:
        return b"-0" if math.copysign(1.0, d) < 0 else b"0"
    if -4503599627370495.0 < d < 4503599627370496.0 and d == float(int(d)):
        return b"%d" % int(d)
    return b"%.17g" % d


def score_entry(score: float) -> int | bytes:
    """The listpack entry ``zzlInsertAt`` writes for a score."""
    ll = double2ll(score)
    return ll if ll is not None else d2string(score)


def lp_score(v: int | bytes) -> float:
    """``zzlGetScore``: an integer entry, or strtod of the text.

    The text is what ``d2string`` wrote ("0.5", "inf", "1.0000000000000001e+20"):
    Python's ``float`` reads those exactly as strtod does.
    """
    return float(v)


class ZSetObject:
    """A sorted set: ``lp`` (listpack) or ``zsl`` + ``dict`` (skiplist)."""

    TYPE_NAME = "zset"
    __slots__ = ("encoding", "lp", "zsl", "dict", "_pairs")

    def __init__(self, encoding: str = "listpack") -> None:
        self.encoding = encoding
        self.lp: Listpack | None = Listpack() if encoding == "listpack" else None
        self.zsl: ZSkiplist | None = ZSkiplist() if encoding == "skiplist" else None
        self.dict: Dict | None = Dict("zset") if encoding == "skiplist" else None
        self._pairs: list[tuple[bytes, float]] | None = None

    @classmethod
    def create(
        cls, size_hint: int, value_len_hint: int, max_entries: int, max_value: int
    ) -> ZSetObject:
        """``zsetTypeCreate``: a listpack if the hints fit, else a presized skiplist."""
        if size_hint <= max_entries and value_len_hint <= max_value and max_entries > 0:
            return cls("listpack")
        z = cls("skiplist")
        if size_hint > 0:
            z.dict.expand(size_hint)  # type: ignore[union-attr]
        return z

    # -- listpack helpers (zzl*) -------------------------------------------------------

    def _lp_pairs(self) -> list[tuple[bytes, float]]:
        """Every (member, score) of the listpack, in order (cached until a write)."""
        pairs = self._pairs
        if pairs is None:
            lp = self.lp
            assert lp is not None
            vals = list(lp)
            pairs = [
                (value_to_bytes(vals[i]), lp_score(vals[i + 1])) for i in range(0, len(vals), 2)
            ]
            self._pairs = pairs
        return pairs

    def _lp_raw(self) -> list[bytes]:
        """The listpack's entries as strings (what ZSCAN of a listpack returns)."""
        return [value_to_bytes(v) for v in self.lp]  # type: ignore[union-attr]

    def _lp_find(self, member: bytes) -> int:
        """``zzlFind``: the pair index of member, or -1."""
        for i, (m, _) in enumerate(self._lp_pairs()):
            if m == member:
                return i
        return -1

    def _lp_insert(self, member: bytes, score: float) -> None:
        """``zzlInsert``: before the first pair that sorts after (score, member)."""
        pairs = self._lp_pairs()
        pos = len(pairs)
        for i, (m, s) in enumerate(pairs):
            if s > score or (s == score and m > member):
                pos = i
                break
        lp = self.lp
        assert lp is not None
        lp.insert(2 * pos, member)
        lp.insert(2 * pos + 1, score_entry(score))
        pairs.insert(pos, (member, lp_score(score_entry(score))))

    def _lp_delete(self, index: int) -> None:
        """``zzlDelete``: remove pair ``index``."""
        self.lp.delete_range(2 * index, 2)  # type: ignore[union-attr]
        if self._pairs is not None:
            del self._pairs[index]

    # -- conversions -------------------------------------------------------------------

    def convert_to_skiplist(self) -> None:
        """``zsetConvert(..., OBJ_ENCODING_SKIPLIST)``."""
        if self.encoding == "skiplist":
            return
        pairs = self._lp_pairs() if self.lp else []
        zsl = ZSkiplist()
        d = Dict("zset")
        for m, s in pairs:
            zsl.insert(s, m)
            d.add(m, s)
        self.zsl, self.dict = zsl, d
        self.lp = None
        self._pairs = None
        self.encoding = "skiplist"

    def convert_to_listpack(self) -> None:
        """``zsetConvert(..., OBJ_ENCODING_LISTPACK)``: append in order (``zzlInsertAt``)."""
        if self.encoding == "listpack":
            return
        lp = Listpack()
        for m, s in self.zsl:  # type: ignore[union-attr]
            lp.append(m)
            lp.append(score_entry(s))
        self.lp = lp
        self.zsl = None
        self.dict = None
        self._pairs = None
        self.encoding = "listpack"

    def maybe_to_listpack(
        self, maxelelen: int, totelelen: int, max_entries: int, max_value: int
    ) -> bool:
        """``zsetConvertToListpackIfNeeded`` (the *STORE commands); True if converted."""
        if self.encoding == "listpack":
            return False
        if (
            len(self) <= max_entries
            and maxelelen <= max_value
            and totelelen <= LISTPACK_MAX_SAFETY_SIZE
        ):
            self.convert_to_listpack()
            return True
        return False

    # -- common API (zset*) ---------------------------------------------------------------

    def __len__(self) -> int:
        if self.encoding == "listpack":
            lp = self.lp
            return len(lp) // 2  # type: ignore[arg-type]
        return self.zsl.length  # type: ignore[union-attr]

    def score(self, member: bytes) -> float | None:
        """``zsetScore``."""
        if self.encoding == "listpack":
            for m, s in self._lp_pairs():
                if m == member:
                    return s
            return None
        e = self.dict.find(member)  # type: ignore[union-attr]
        return None if e is None else e.value  # type: ignore[return-value]

    def add(
        self,
        score: float,
        member: bytes,
        max_entries: int,
        max_value: int,
        *,
        incr: bool = False,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
        notify: Notify | None = None,
    ) -> tuple[str, float | None]:
        """``zsetAdd``: returns (outcome, newscore).

        outcome is "nan" (the result would be NaN: nothing changed), "added",
        "updated", "same" (present, score unchanged) or "nop" (NX/XX/GT/LT
        said no).
        """
        if math.isnan(score):
            return "nan", None
        if self.encoding == "listpack":
            idx = self._lp_find(member)
            if idx >= 0:
                if nx:
                    return "nop", None
                cur = self._lp_pairs()[idx][1]
                if incr:
                    score += cur
                    if math.isnan(score):
                        return "nan", None
                if (lt and score >= cur) or (gt and score <= cur):
                    return "nop", None
                if score != cur:
                    self._lp_delete(idx)
                    self._lp_insert(member, score)
                    return "updated", score
                return "same", score
            if xx:
                return "nop", None
            lp = self.lp
            assert lp is not None
            if len(lp) // 2 + 1 > max_entries:
                reason = f"more than zset-max-listpack-entries ({max_entries}) members"
            elif len(member) > max_value:
                reason = f"member of {len(member)} bytes > zset-max-listpack-value ({max_value})"
            elif not lp.safe_to_add(len(member)):
                reason = "listpack would exceed 1GB"
            else:
                self._lp_insert(member, score)
                return "added", score
            self.convert_to_skiplist()
            if notify is not None:
                notify("listpack", "skiplist", reason)
        d = self.dict
        zsl = self.zsl
        assert d is not None and zsl is not None
        e = d.find(member)
        if e is not None:
            if nx:
                return "nop", None
            cur = e.value
            if incr:
                score += cur  # type: ignore[operator]
                if math.isnan(score):
                    return "nan", None
            if (lt and score >= cur) or (gt and score <= cur):  # type: ignore[operator]
                return "nop", None
            if score != cur:
                zsl.update_score(cur, member, score)  # type: ignore[arg-type]
                e.value = score
                return "updated", score
            return "same", score
        if xx:
            return "nop", None
        zsl.insert(score, member)
        d.add(member, score)
        return "added", score

    def delete(self, member: bytes) -> bool:
        """``zsetDel`` (the dict shrinks when it falls under 10% full)."""
        if self.encoding == "listpack":
            idx = self._lp_find(member)
            if idx < 0:
                return False
            self._lp_delete(idx)
            return True
        d = self.dict
        e = d.delete(member)  # type: ignore[union-attr]
        if e is None:
            return False
        self.zsl.delete(e.value, member)  # type: ignore[union-attr, arg-type]
        self._maybe_shrink()
        return True

    def _maybe_shrink(self) -> None:
        d = self.dict
        if d is not None and d.needs_resize():
            d.resize()

    def rank(self, member: bytes, reverse: bool = False) -> int | None:
        """``zsetRank``: 0-based, from the top when reverse; None if absent."""
        n = len(self)
        if self.encoding == "listpack":
            for i, (m, _) in enumerate(self._lp_pairs()):
                if m == member:
                    return n - 1 - i if reverse else i
            return None
        e = self.dict.find(member)  # type: ignore[union-attr]
        if e is None:
            return None
        r = self.zsl.get_rank(e.value, member)  # type: ignore[union-attr, arg-type]
        return n - r if reverse else r - 1

    # -- iteration and ranges -------------------------------------------------------------

    def items(self) -> Iterator[tuple[bytes, float]]:
        """(member, score) from the lowest score."""
        if self.encoding == "listpack":
            return iter(list(self._lp_pairs()))
        return iter(self.zsl)  # type: ignore[arg-type]

    def items_reversed(self) -> Iterator[tuple[bytes, float]]:
        """From the highest score: the order ``zuiNext`` walks a sorted set in."""
        if self.encoding == "listpack":
            return reversed(list(self._lp_pairs()))
        return reversed(self.zsl)  # type: ignore[arg-type]

    def range_by_rank(self, start: int, end: int, reverse: bool) -> list[tuple[bytes, float]]:
        """Ranks start..end (0-based, inclusive, already sanitized)."""
        n = end - start + 1
        if self.encoding == "listpack":
            pairs = self._lp_pairs()
            if reverse:
                hi = len(pairs) - start
                return pairs[hi - n : hi][::-1]
            return pairs[start : start + n]
        zsl = self.zsl
        assert zsl is not None
        llen = zsl.length
        if reverse:
            ln = zsl.tail if start == 0 else zsl.get_by_rank(llen - start)
        else:
            ln = zsl.header.level[0].forward if start == 0 else zsl.get_by_rank(start + 1)
        out = []
        while n and ln is not None:
            out.append((ln.ele, ln.score))
            ln = ln.backward if reverse else ln.level[0].forward
            n -= 1
        return out  # type: ignore[return-value]

    def _walk_range(self, first, in_range, offset: int, limit: int, reverse: bool):
        out = []
        if self.encoding == "listpack":
            pairs = self._lp_pairs()
            i = first
            step = -1 if reverse else 1
            if i is None:
                return out
            i += step * offset
            while 0 <= i < len(pairs) and limit != 0:
                m, s = pairs[i]
                if not in_range(m, s):
                    break
                out.append((m, s))
                limit -= 1
                i += step
            return out
        ln: ZSkiplistNode | None = first
        while ln is not None and offset:
            ln = ln.backward if reverse else ln.level[0].forward
            offset -= 1
        while ln is not None and limit != 0:
            if not in_range(ln.ele, ln.score):
                break
            out.append((ln.ele, ln.score))
            limit -= 1
            ln = ln.backward if reverse else ln.level[0].forward
        return out

    def _lp_first_last(self, ok_min, ok_max, reverse: bool) -> int | None:
        """zzlFirstInRange / zzlLastInRange as an index (None when empty)."""
        pairs = self._lp_pairs()
        if reverse:
            for i in range(len(pairs) - 1, -1, -1):
                if ok_max(*pairs[i]):
                    return i if ok_min(*pairs[i]) else None
            return None
        for i, p in enumerate(pairs):
            if ok_min(*p):
                return i if ok_max(*p) else None
        return None

    def range_by_score(
        self, r: ZRangeSpec, offset: int = 0, limit: int = -1, reverse: bool = False
    ) -> list[tuple[bytes, float]]:
        """``genericZrangebyscoreCommand``: LIMIT offset/count walks, then checks the far end."""
        if offset > 0 and offset >= len(self):
            return []
        if offset < 0:
            return []  # a negative offset finds nothing (the C loop would not move)
        if self.encoding == "listpack":
            pairs = self._lp_pairs()
            if not _range_possible(r) or not pairs:
                return []
            if not r.gte_min(pairs[-1][1]) or not r.lte_max(pairs[0][1]):  # zzlIsInRange
                return []
            first = self._lp_first_last(
                lambda m, s: r.gte_min(s), lambda m, s: r.lte_max(s), reverse
            )
        else:
            zsl = self.zsl
            first = zsl.last_in_range(r) if reverse else zsl.first_in_range(r)  # type: ignore[union-attr]
        if reverse:
            return self._walk_range(first, lambda m, s: r.gte_min(s), offset, limit, True)
        return self._walk_range(first, lambda m, s: r.lte_max(s), offset, limit, False)

    def range_by_lex(
        self, r: ZLexRangeSpec, offset: int = 0, limit: int = -1, reverse: bool = False
    ) -> list[tuple[bytes, float]]:
        """``genericZrangebylexCommand`` (no early exit for a large offset)."""
        if offset < 0:
            return []
        if self.encoding == "listpack":
            pairs = self._lp_pairs()
            if not _lex_range_possible(r) or not pairs:
                return []
            if not r.gte_min(pairs[-1][0]) or not r.lte_max(pairs[0][0]):  # zzlIsInLexRange
                return []
            first = self._lp_first_last(
                lambda m, s: r.gte_min(m), lambda m, s: r.lte_max(m), reverse
            )
        else:
            zsl = self.zsl
            first = zsl.last_in_lex_range(r) if reverse else zsl.first_in_lex_range(r)  # type: ignore[union-attr]
        if reverse:
            return self._walk_range(first, lambda m, s: r.gte_min(m), offset, limit, True)
        return self._walk_range(first, lambda m, s: r.lte_max(m), offset, limit, False)

    def count_in_range(self, r: ZRangeSpec) -> int:
        """ZCOUNT: a walk on a listpack, two rank lookups on a skiplist."""
        if self.encoding == "listpack":
            return len(self.range_by_score(r))
        zsl = self.zsl
        assert zsl is not None
        zn = zsl.first_in_range(r)
        if zn is None:
            return 0
        count = zsl.length - (zsl.get_rank(zn.score, zn.ele) - 1)  # type: ignore[arg-type]
        zn = zsl.last_in_range(r)
        if zn is not None:
            count -= zsl.length - zsl.get_rank(zn.score, zn.ele)  # type: ignore[arg-type]
        return count

    def count_in_lex_range(self, r: ZLexRangeSpec) -> int:
        if self.encoding == "listpack":
            return len(self.range_by_lex(r))
        zsl = self.zsl
        assert zsl is not None
        zn = zsl.first_in_lex_range(r)
        if zn is None:
            return 0
        count = zsl.length - (zsl.get_rank(zn.score, zn.ele) - 1)  # type: ignore[arg-type]
        zn = zsl.last_in_lex_range(r)
        if zn is not None:
            count -= zsl.length - zsl.get_rank(zn.score, zn.ele)  # type: ignore[arg-type]
        return count

    # -- range deletion ---------------------------------------------------------------------

    def delete_range_by_rank(self, start: int, end: int) -> int:
        """0-based inclusive ranks, already sanitized."""
        if self.encoding == "listpack":
            n = end - start + 1
            self.lp.delete_range(2 * start, 2 * n)  # type: ignore[union-attr]
            self._pairs = None
            return n
        removed = self.zsl.delete_range_by_rank(start + 1, end + 1)  # type: ignore[union-attr]
        return self._drop_from_dict(removed)

    def delete_range_by_score(self, r: ZRangeSpec) -> int:
        if self.encoding == "listpack":
            doomed = self.range_by_score(r)
            return self._lp_delete_run(doomed)
        return self._drop_from_dict(self.zsl.delete_range_by_score(r))  # type: ignore[union-attr]

    def delete_range_by_lex(self, r: ZLexRangeSpec) -> int:
        if self.encoding == "listpack":
            return self._lp_delete_run(self.range_by_lex(r))
        return self._drop_from_dict(self.zsl.delete_range_by_lex(r))  # type: ignore[union-attr]

    def _lp_delete_run(self, doomed: list[tuple[bytes, float]]) -> int:
        if not doomed:
            return 0
        first = self._lp_find(doomed[0][0])
        self.lp.delete_range(2 * first, 2 * len(doomed))  # type: ignore[union-attr]
        self._pairs = None
        return len(doomed)

    def _drop_from_dict(self, removed: list[bytes]) -> int:
        d = self.dict
        assert d is not None
        for m in removed:
            d.delete(m)
        self._maybe_shrink()
        return len(removed)

    # -- pops and random members ------------------------------------------------------------

    def pop(self, maximum: bool) -> tuple[bytes, float]:
        """Remove and return the lowest (or highest) pair; the set must not be empty."""
        if self.encoding == "listpack":
            pairs = self._lp_pairs()
            idx = len(pairs) - 1 if maximum else 0
            m, s = pairs[idx]
            self._lp_delete(idx)
            return m, s
        zsl = self.zsl
        assert zsl is not None
        node = zsl.tail if maximum else zsl.header.level[0].forward
        assert node is not None
        m, s = node.ele, node.score
        self.delete(m)  # type: ignore[arg-type]
        return m, s  # type: ignore[return-value]

    def random_pair(self, rng: _random.Random) -> tuple[bytes, float]:
        """``zsetTypeRandomElement``: ``lpRandomPair`` or ``dictGetFairRandomKey``."""
        if self.encoding == "listpack":
            pairs = self._lp_pairs()
            return pairs[rng.randrange(len(pairs))]
        from .hash import fair_random_entry

        e = fair_random_entry(self.dict, rng)  # type: ignore[arg-type]
        return e.key, e.value  # type: ignore[return-value]

    def random_pairs_unique(self, count: int, rng: _random.Random) -> list[tuple[bytes, float]]:
        """``lpRandomPairsUnique``: count distinct pairs, in listpack order."""
        pairs = self._lp_pairs()
        out = []
        remaining = count
        available = len(pairs)
        for p in pairs:
            if remaining == 0:
                break
            if rng.random() * available < remaining:
                out.append(p)
                remaining -= 1
            available -= 1
        return out

    # -- SCAN -----------------------------------------------------------------------------------

    def scan(self, cursor: int, count: int) -> tuple[int, list[bytes]]:
        """``scanGenericCommand`` for a zset: flat member, score, member, score ...

        A listpack is returned whole with cursor 0 (COUNT is a hint Redis
        ignores for small encodings), its scores as the listpack holds them;
        a skiplist's dict is walked with the reverse-binary cursor and its
        scores are printed by ``ld2string`` (%.17g).
        """
        if self.encoding == "listpack":
            return 0, self._lp_raw()
        d = self.dict
        assert d is not None
        found: list[bytes] = []

        def collect(e) -> None:
            found.append(e.key)
            found.append(_ld2string_auto(e.value))

        maxiterations = count * 10
        while True:
            cursor = d.scan(cursor, collect)
            if not cursor or maxiterations <= 0 or len(found) >= count:
                break
            maxiterations -= 1
        return cursor, found

    # -- value-object interface -----------------------------------------------------------------

    def copy(self) -> ZSetObject:
        """``zsetDup``: same encoding; a skiplist copy is rebuilt tail first."""
        if self.encoding == "listpack":
            out = ZSetObject("listpack")
            out.lp = self.lp.copy()  # type: ignore[union-attr]
            return out
        out = ZSetObject("skiplist")
        out.dict.expand(len(self))  # type: ignore[union-attr]
        for m, s in reversed(self.zsl):  # type: ignore[arg-type]
            out.zsl.insert(s, m)  # type: ignore[union-attr]
            out.dict.add(m, s)  # type: ignore[union-attr]
        return out

    def memory_usage(self, samples: int = 0) -> int:
        """Bytes Redis allocates for the value (robj included); exact unless sampling."""
        if self.encoding == "listpack":
            return ROBJ + listpack_alloc(self.lp)
        return ROBJ + skiplist_alloc(self.zsl, self.dict, samples or max(1, len(self)))

    def inspect(self, start: int = 0, count: int = 32, path: bytes | None = None) -> dict[str, Any]:
        """``LAB INSPECT``: listpack entries and bytes, or skiplist towers and a search path."""
        from .. import introspect

        if self.encoding == "listpack":
            # Entries are member, score pairs: a window of pairs is 2x entries.
            out = introspect.listpack_layout(self.lp, 2 * start, 2 * count, None)  # type: ignore[arg-type]
            if path is not None:
                idx = self._lp_find(path)
                out["path"] = {
                    "member": path,
                    "index": 2 * idx if idx >= 0 else None,
                    "rank": idx if idx >= 0 else None,
                    "steps": (idx + 1 if idx >= 0 else len(self)),
                }
        else:
            out = introspect.skiplist_layout(self.zsl, self.dict, start, count, path)  # type: ignore[arg-type]
        out["members"] = len(self)
        return out


def _range_possible(r: ZRangeSpec) -> bool:
    return not (r.min > r.max or (r.min == r.max and (r.minex or r.maxex)))


def _lex_range_possible(r: ZLexRangeSpec) -> bool:
    from ..encodings.skiplist import cmp_lex

    c = cmp_lex(r.min, r.max)
    return not (c > 0 or (c == 0 and (r.minex or r.maxex)))


def _ld2string_auto(d: float) -> bytes:
    """``ld2string(LD_STR_AUTO)``: %.17Lg of the (exact) long double."""
    if math.isinf(d):
        return b"inf" if d > 0 else b"-inf"
    return b"%.17g" % d

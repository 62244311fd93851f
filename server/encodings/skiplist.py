"""Skiplist: the ordered half of a big sorted set (``zskiplist``, t_zset.c).

Above ``zset-max-listpack-entries`` (128) or ``zset-max-listpack-value``
(64 bytes) a sorted set becomes a *skiplist plus a dict*: the dict maps
member -> score for O(1) ZSCORE, the skiplist keeps (score, member) pairs
ordered for ranges and ranks. Both point at the same member strings.

Why a skiplist and not a balanced tree: simpler to write and to reason
about, ranges are a linked-list walk, and with spans (below) rank queries
are as cheap as in an order-statistics tree. Expected O(log N) for search,
insert, delete and rank.

    level 3  HDR ----------------------------------------------> c ------> NULL
    level 2  HDR ---------------> a -------------------------> c ------> NULL
    level 1  HDR -----> x ------> a ------> b -------------> c -> d --> NULL
               span:  1       1        1           1    1
    backward:  x <- a <- b <- c <- d      (level 0 only, for reverse walks)

Each node has 1..32 levels (``ZSKIPLIST_MAXLEVEL``); a new node gets level
k with probability 0.25**(k-1) * 0.75 (``zslRandomLevel``, ``ZSKIPLIST_P``
0.25: an average of 1.33 pointers per node). Every forward pointer carries a
*span*: how many bottom-level steps it jumps. Summing spans along a search
path gives the rank, which is how ZRANK, ZRANGE by index and
ZREMRANGEBYRANK are O(log N) without walking the bottom level.

Order: by score, then by member bytes (``sdscmp``: memcmp, shorter first on
a tie -- exactly Python's ``bytes`` comparison). Ranks are 1-based inside
the skiplist (``zslGetRank``), as in C; commands subtract one.

The random source is injectable (a ``random.Random``) so tests and lessons
can replay the same towers.
"""

from __future__ import annotations

import math
import random as _random
from collections.abc import Iterator
from dataclasses import dataclass

ZSKIPLIST_MAXLEVEL = 32
ZSKIPLIST_P = 0.25


class _LexSentinel:
    """``shared.minstring`` / ``shared.maxstring`` for '-' and '+'."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


MINSTRING = _LexSentinel("MINSTRING")
MAXSTRING = _LexSentinel("MAXSTRING")
LexBound = bytes | _LexSentinel


@dataclass(frozen=True)
class ZRangeSpec:
    """``zrangespec``: a score interval, each end open (ex) or closed."""

    min: float
    max: float
    minex: bool = False
    maxex: bool = False

    def gte_min(self, v: float) -> bool:  # zslValueGteMin
        return v > self.min if self.minex else v >= self.min

    def lte_max(self, v: float) -> bool:  # zslValueLteMax
        return v < self.max if self.maxex else v <= self.max


def cmp_lex(a: LexBound, b: LexBound) -> int:
    """``sdscmplex``: compare with the '-'/'+' sentinels."""
    if a is b:
        return 0
    if a is MINSTRING or b is MAXSTRING:
        return -1
    if a is MAXSTRING or b is MINSTRING:
        return 1
    assert isinstance(a, bytes) and isinstance(b, bytes)
    return (a > b) - (a < b)


@dataclass(frozen=True)
class ZLexRangeSpec:
    """``zlexrangespec``: a member interval for ZRANGEBYLEX and friends."""

    min: LexBound
    max: LexBound
    minex: bool = False
    maxex: bool = False

    def gte_min(self, v: bytes) -> bool:  # zslLexValueGteMin
        c = cmp_lex(v, self.min)
        return c > 0 if self.minex else c >= 0

    def lte_max(self, v: bytes) -> bool:  # zslLexValueLteMax
        c = cmp_lex(v, self.max)
        return c < 0 if self.maxex else c <= 0


def _parse_lex_item(item: bytes) -> tuple[LexBound, bool]:
    if item[:1] == b"+" and len(item) == 1:
        return MAXSTRING, True
    if item[:1] == b"-" and len(item) == 1:
        return MINSTRING, True
    if item[:1] == b"(":
        return bytes(item[1:]), True
    if item[:1] == b"[":
        return bytes(item[1:]), False
    raise ValueError("min or max not valid string range item")


def parse_lex_range(min_: bytes, max_: bytes) -> ZLexRangeSpec:
    """``zslParseLexRange``: '-', '+', '(member' or '[member' at each end."""
    lo, loex = _parse_lex_item(min_)
    hi, hiex = _parse_lex_item(max_)
    return ZLexRangeSpec(lo, hi, loex, hiex)


def _parse_score(item: bytes) -> float:
    s = item.decode("ascii", "strict")
    if not s or s != s.strip() or "_" in s:
        raise ValueError("min or max is not a float")
    v = float(s)
    if math.isnan(v):
        raise ValueError("min or max is not a float")
    return v


def parse_range(min_: bytes, max_: bytes) -> ZRangeSpec:
    """``zslParseRange``: scores, optionally prefixed by '(' for exclusive."""
    try:
        minex = min_[:1] == b"("
        maxex = max_[:1] == b"("
        lo = _parse_score(min_[1:] if minex else min_)
        hi = _parse_score(max_[1:] if maxex else max_)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("min or max is not a float") from None
    return ZRangeSpec(lo, hi, minex, maxex)


class ZSkiplistLevel:
    __slots__ = ("forward", "span")

    def __init__(self) -> None:
        self.forward: ZSkiplistNode | None = None
        self.span = 0


class ZSkiplistNode:
    __slots__ = ("ele", "score", "backward", "level")

    def __init__(self, level: int, score: float, ele: bytes | None) -> None:
        self.ele = ele
        self.score = score
        self.backward: ZSkiplistNode | None = None
        self.level = [ZSkiplistLevel() for _ in range(level)]

    def __repr__(self) -> str:
        return f"<node {self.ele!r} {self.score} L{len(self.level)}>"


def _before(node: ZSkiplistNode, score: float, ele: bytes) -> bool:
    """Does ``node`` sort strictly before (score, ele)?"""
    return node.score < score or (node.score == score and node.ele < ele)  # type: ignore[operator]


class ZSkiplist:
    """``zskiplist``: header, tail, length and current level."""

    def __init__(self, rng: _random.Random | None = None) -> None:
        self.rng = rng if rng is not None else _random.Random()
        self.header = ZSkiplistNode(ZSKIPLIST_MAXLEVEL, 0.0, None)
        self.tail: ZSkiplistNode | None = None
        self.length = 0
        self.level = 1

    def __len__(self) -> int:
        return self.length

    def __del__(self) -> None:
        """``zslFree``: unlink the backward pointers so reference counting frees the nodes.

        Forward and backward links make every pair of neighbours a reference
        cycle, which only Python's cyclic collector could free; its full
        passes over a big keyspace stop the server for a second or more
        (server/server.py ``_gc_cron``). Without the backward links the chain
        is a plain list that goes the moment the set does, as in Redis.
        """
        x = self.tail
        while x is not None:
            x.backward, x = None, x.backward

    def random_level(self) -> int:
        """``zslRandomLevel``: 1 + number of successes at probability P."""
        level = 1
        while self.rng.random() < ZSKIPLIST_P:
            level += 1
        return min(level, ZSKIPLIST_MAXLEVEL)

    # -- insert / delete ---------------------------------------------------------

    def insert(self, score: float, ele: bytes, level: int | None = None) -> ZSkiplistNode:
        """``zslInsert``: add a (score, ele) that is not already present.

        ``level`` forces the tower height (lessons and tests); otherwise it
        is drawn with ``random_level``.
        """
        if math.isnan(score):
            raise ValueError("score is NaN")
        update: list[ZSkiplistNode] = [self.header] * ZSKIPLIST_MAXLEVEL
        rank = [0] * ZSKIPLIST_MAXLEVEL
        x = self.header
        for i in range(self.level - 1, -1, -1):
            rank[i] = 0 if i == self.level - 1 else rank[i + 1]
            while (f := x.level[i].forward) is not None and _before(f, score, ele):
                rank[i] += x.level[i].span
                x = f
            update[i] = x
        lvl = self.random_level() if level is None else max(1, min(level, ZSKIPLIST_MAXLEVEL))
        if lvl > self.level:
            for i in range(self.level, lvl):
                rank[i] = 0
                update[i] = self.header
                update[i].level[i].span = self.length
            self.level = lvl
        x = ZSkiplistNode(lvl, score, ele)
        for i in range(lvl):
            x.level[i].forward = update[i].level[i].forward
            update[i].level[i].forward = x
            x.level[i].span = update[i].level[i].span - (rank[0] - rank[i])
            update[i].level[i].span = (rank[0] - rank[i]) + 1
        for i in range(lvl, self.level):
            update[i].level[i].span += 1
        x.backward = None if update[0] is self.header else update[0]
        if x.level[0].forward is not None:
            x.level[0].forward.backward = x
        else:
            self.tail = x
        self.length += 1
        return x

    def _delete_node(self, x: ZSkiplistNode, update: list[ZSkiplistNode]) -> None:
        """``zslDeleteNode``: unlink ``x`` given its predecessors per level."""
        for i in range(self.level):
            if update[i].level[i].forward is x:
                update[i].level[i].span += x.level[i].span - 1
                update[i].level[i].forward = x.level[i].forward
            else:
                update[i].level[i].span -= 1
        if x.level[0].forward is not None:
            x.level[0].forward.backward = x.backward
        else:
            self.tail = x.backward
        while self.level > 1 and self.header.level[self.level - 1].forward is None:
            self.level -= 1
        self.length -= 1

    def _find_update(self, score: float, ele: bytes) -> list[ZSkiplistNode]:
        update: list[ZSkiplistNode] = [self.header] * ZSKIPLIST_MAXLEVEL
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and _before(f, score, ele):
                x = f
            update[i] = x
        return update

    def delete(self, score: float, ele: bytes) -> bool:
        """``zslDelete``: remove the node with exactly (score, ele)."""
        update = self._find_update(score, ele)
        x = update[0].level[0].forward
        if x is not None and x.score == score and x.ele == ele:
            self._delete_node(x, update)
            return True
        return False

    def update_score(self, curscore: float, ele: bytes, newscore: float) -> ZSkiplistNode:
        """``zslUpdateScore``: move ``ele`` from ``curscore`` to ``newscore``.

        If the node would stay between the same neighbours it is updated in
        place (no unlink, no new tower) -- the common ZINCRBY case.
        """
        update = self._find_update(curscore, ele)
        x = update[0].level[0].forward
        if x is None or x.score != curscore or x.ele != ele:
            raise KeyError(ele)
        if (x.backward is None or x.backward.score < newscore) and (
            x.level[0].forward is None or x.level[0].forward.score > newscore
        ):
            x.score = newscore
            return x
        self._delete_node(x, update)
        return self.insert(newscore, ele)

    # -- rank ------------------------------------------------------------------------

    def get_rank(self, score: float, ele: bytes) -> int:
        """``zslGetRank``: 1-based rank of (score, ele), 0 if absent."""
        rank = 0
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and (
                f.score < score or (f.score == score and f.ele <= ele)  # type: ignore[operator]
            ):
                rank += x.level[i].span
                x = f
            if x.ele is not None and x.score == score and x.ele == ele:
                return rank
        return 0

    def get_by_rank(self, rank: int) -> ZSkiplistNode | None:
        """``zslGetElementByRank``: the node at 1-based ``rank``."""
        traversed = 0
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and traversed + x.level[i].span <= rank:
                traversed += x.level[i].span
                x = f
            if traversed == rank:
                return x if x is not self.header else None
        return None

    # -- score ranges ------------------------------------------------------------------

    def is_in_range(self, r: ZRangeSpec) -> bool:
        """``zslIsInRange``: could any element fall in ``r``?"""
        if r.min > r.max or (r.min == r.max and (r.minex or r.maxex)):
            return False
        if self.tail is None or not r.gte_min(self.tail.score):
            return False
        first = self.header.level[0].forward
        return first is not None and r.lte_max(first.score)

    def first_in_range(self, r: ZRangeSpec) -> ZSkiplistNode | None:
        """``zslFirstInRange``."""
        if not self.is_in_range(r):
            return None
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and not r.gte_min(f.score):
                x = f
        x = x.level[0].forward  # type: ignore[assignment]
        if x is None or not r.lte_max(x.score):
            return None
        return x

    def last_in_range(self, r: ZRangeSpec) -> ZSkiplistNode | None:
        """``zslLastInRange``."""
        if not self.is_in_range(r):
            return None
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and r.lte_max(f.score):
                x = f
        if x is self.header or not r.gte_min(x.score):
            return None
        return x

    def delete_range_by_score(self, r: ZRangeSpec) -> list[bytes]:
        """``zslDeleteRangeByScore``: remove and return the members in ``r``."""
        update: list[ZSkiplistNode] = [self.header] * ZSKIPLIST_MAXLEVEL
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and not r.gte_min(f.score):
                x = f
            update[i] = x
        removed: list[bytes] = []
        node = x.level[0].forward
        while node is not None and r.lte_max(node.score):
            nxt = node.level[0].forward
            self._delete_node(node, update)
            removed.append(node.ele)  # type: ignore[arg-type]
            node = nxt
        return removed

    # -- lex ranges ----------------------------------------------------------------------

    def is_in_lex_range(self, r: ZLexRangeSpec) -> bool:
        """``zslIsInLexRange``."""
        c = cmp_lex(r.min, r.max)
        if c > 0 or (c == 0 and (r.minex or r.maxex)):
            return False
        if self.tail is None or not r.gte_min(self.tail.ele):  # type: ignore[arg-type]
            return False
        first = self.header.level[0].forward
        return first is not None and r.lte_max(first.ele)  # type: ignore[arg-type]

    def first_in_lex_range(self, r: ZLexRangeSpec) -> ZSkiplistNode | None:
        """``zslFirstInLexRange``."""
        if not self.is_in_lex_range(r):
            return None
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and not r.gte_min(f.ele):  # type: ignore[arg-type]
                x = f
        x = x.level[0].forward  # type: ignore[assignment]
        if x is None or not r.lte_max(x.ele):  # type: ignore[arg-type]
            return None
        return x

    def last_in_lex_range(self, r: ZLexRangeSpec) -> ZSkiplistNode | None:
        """``zslLastInLexRange``."""
        if not self.is_in_lex_range(r):
            return None
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and r.lte_max(f.ele):  # type: ignore[arg-type]
                x = f
        if x is self.header or not r.gte_min(x.ele):  # type: ignore[arg-type]
            return None
        return x

    def delete_range_by_lex(self, r: ZLexRangeSpec) -> list[bytes]:
        """``zslDeleteRangeByLex``: remove and return the members in ``r``."""
        update: list[ZSkiplistNode] = [self.header] * ZSKIPLIST_MAXLEVEL
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and not r.gte_min(f.ele):  # type: ignore[arg-type]
                x = f
            update[i] = x
        removed: list[bytes] = []
        node = x.level[0].forward
        while node is not None and r.lte_max(node.ele):  # type: ignore[arg-type]
            nxt = node.level[0].forward
            self._delete_node(node, update)
            removed.append(node.ele)  # type: ignore[arg-type]
            node = nxt
        return removed

    def delete_range_by_rank(self, start: int, end: int) -> list[bytes]:
        """``zslDeleteRangeByRank``: remove 1-based ranks start..end inclusive."""
        update: list[ZSkiplistNode] = [self.header] * ZSKIPLIST_MAXLEVEL
        traversed = 0
        x = self.header
        for i in range(self.level - 1, -1, -1):
            while (f := x.level[i].forward) is not None and traversed + x.level[i].span < start:
                traversed += x.level[i].span
                x = f
            update[i] = x
        traversed += 1
        removed: list[bytes] = []
        node = x.level[0].forward
        while node is not None and traversed <= end:
            nxt = node.level[0].forward
            self._delete_node(node, update)
            removed.append(node.ele)  # type: ignore[arg-type]
            traversed += 1
            node = nxt
        return removed

    # -- iteration -------------------------------------------------------------------------

    def __iter__(self) -> Iterator[tuple[bytes, float]]:
        x = self.header.level[0].forward
        while x is not None:
            yield x.ele, x.score  # type: ignore[misc]
            x = x.level[0].forward

    def __reversed__(self) -> Iterator[tuple[bytes, float]]:
        x = self.tail
        while x is not None:
            yield x.ele, x.score  # type: ignore[misc]
            x = x.backward

    def iter_from_rank(self, rank: int, reverse: bool = False) -> Iterator[ZSkiplistNode]:
        """Nodes from 1-based ``rank`` onwards (O(log N) to start)."""
        x = self.get_by_rank(rank)
        while x is not None:
            yield x
            x = x.backward if reverse else x.level[0].forward

    # -- inspector ---------------------------------------------------------------------------

    def towers(self, start_rank: int = 1, count: int = 16) -> dict:
        """A window of towers for the lab: levels, forward ranks and spans.

        Returns ``{"length", "level", "header": [...], "nodes": [...]}``
        where each level is ``{"level": i, "forward_rank": r | None,
        "span": s}`` and each node carries its 1-based ``rank``, ``ele``,
        ``score`` and ``backward_rank``. A forward rank is the node's rank
        plus the span, so the window never walks outside itself.
        """

        def levels(node: ZSkiplistNode, rank: int, height: int) -> list[dict]:
            out = []
            for i in range(height):
                lv = node.level[i]
                out.append(
                    {
                        "level": i,
                        "forward_rank": rank + lv.span if lv.forward is not None else None,
                        "span": lv.span,
                    }
                )
            return out

        nodes = []
        if count > 0 and 1 <= start_rank <= self.length:
            rank = start_rank
            for node in self.iter_from_rank(start_rank):
                nodes.append(
                    {
                        "rank": rank,
                        "ele": node.ele,
                        "score": node.score,
                        "height": len(node.level),
                        "backward_rank": rank - 1 if node.backward is not None else None,
                        "levels": levels(node, rank, len(node.level)),
                    }
                )
                rank += 1
                if len(nodes) >= count:
                    break
        return {
            "length": self.length,
            "level": self.level,
            "header": levels(self.header, 0, self.level),
            "nodes": nodes,
        }

    def search_path(self, score: float, ele: bytes) -> dict:
        """The nodes a lookup of (score, ele) visits, level by level.

        Follows ``zslGetRank``: on each level, from the node reached on the
        level above, step forward while the next node sorts at or before the
        target. ``path`` lists per level the (rank, ele, score) of every node
        stood on (rank 0 / ele None is the header); ``rank`` is the result.
        """
        path = []
        rank = 0
        x = self.header
        found = 0
        for i in range(self.level - 1, -1, -1):
            visited = [(rank, x.ele, x.score if x.ele is not None else None)]
            while (f := x.level[i].forward) is not None and (
                f.score < score or (f.score == score and f.ele <= ele)  # type: ignore[operator]
            ):
                rank += x.level[i].span
                x = f
                visited.append((rank, x.ele, x.score))
            path.append({"level": i, "visited": visited})
            if x.ele is not None and x.score == score and x.ele == ele:
                found = rank
                break
        return {"rank": found, "path": path}

    def check(self) -> None:
        """Assert every invariant: order, spans, backward links, tail, level."""
        # Bottom level: order, backward links, ranks.
        ranks: dict[int, int] = {id(self.header): 0}
        prev = None
        x = self.header.level[0].forward
        r = 0
        while x is not None:
            r += 1
            ranks[id(x)] = r
            assert x.backward is prev, "backward link"
            if prev is not None:
                assert (prev.score, prev.ele) < (x.score, x.ele), "order"
            assert 1 <= len(x.level) <= ZSKIPLIST_MAXLEVEL
            prev = x
            x = x.level[0].forward
        assert r == self.length, "length"
        assert self.tail is prev, "tail"
        assert 1 <= self.level <= ZSKIPLIST_MAXLEVEL
        if self.length:
            assert self.level == 1 or self.header.level[self.level - 1].forward is not None
        for i in range(self.level):
            x = self.header
            while x is not None:
                f = x.level[i].forward
                if f is not None:
                    assert len(f.level) > i
                    assert x.level[i].span == ranks[id(f)] - ranks[id(x)], "span"
                else:
                    assert x.level[i].span == self.length - ranks[id(x)], "tail span"
                x = f
        for i in range(self.level, ZSKIPLIST_MAXLEVEL):
            assert self.header.level[i].forward is None

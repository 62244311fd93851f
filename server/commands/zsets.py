"""Sorted set commands (t_zset.c): ZADD, ZRANGE in all its forms, ZUNION & co., ZPOP...

The value object and everything that depends on its encoding live in
:mod:`server.types.zset`; this module parses arguments, checks types and
shapes replies, following t_zset.c function by function:

    zaddGenericCommand            ZADD, ZINCRBY
    zremrangeGenericCommand       ZREMRANGEBYRANK / BYSCORE / BYLEX
    zunionInterDiffGenericCommand ZUNION(STORE), ZINTER(STORE), ZDIFF(STORE), ZINTERCARD
    zrangeGenericCommand          ZRANGE, ZRANGESTORE, ZREVRANGE, Z[REV]RANGEBY{SCORE,LEX}
    genericZpopCommand            ZPOPMIN, ZPOPMAX, ZMPOP (and the blocking ones)
    blockingGenericZpopCommand    BZPOPMIN, BZPOPMAX, BZMPOP: pop now, or queue the
                                  client on its keys (:mod:`server.blocking`), which
                                  calls :func:`serve_blocked_zset_client` when a
                                  ZADD, ZUNIONSTORE... creates one of them

**Scores.** A score argument is read with ``getDoubleFromObject``: C
``strtod`` over the whole string (so "inf", "-inf", "+inf" and hex floats
like "0x1p3" are numbers), no leading space, no NaN, and no overflow to
infinity or underflow to zero. Range bounds are read with
``zslParseRange``'s laxer plain ``strtod`` ("" is 0, " 1" is 1, "1e999" is
inf). Scores are replied as doubles: RESP3 ``,1.5``; RESP2 bulk strings
printed with %.17g (so 0.1 is "0.10000000000000001"), as Redis 7.0's
``addReplyDouble`` does.

**Reply shapes.** WITHSCORES replies are flat (member, score, member,
score) under RESP2 and nested ([member, score], ...) under RESP3.
"""

from __future__ import annotations

import math

from .. import blocking, errors
from ..encodings.skiplist import ZLexRangeSpec, ZRangeSpec, parse_lex_range
from ..errors import CommandError, err
from ..glob import compile_key_matcher
from ..numbers import string2d
from ..protocol.replies import NULL_ARRAY
from ..server import NO_REPLY
from ..types.zset import ZSetObject
from .args import get_long as parse_long
from .args import get_range_long as parse_range_long
from .keys import parse_scan_cursor, scan_options
from .registry import command

LONG_MAX = (1 << 63) - 1
ZRANDMEMBER_SUB_STRATEGY_MUL = 3
MAX_RANDOM_REPLY = 1 << 22  # ours: Redis would try to build the reply until memory runs out


# -- argument parsing ----------------------------------------------------------------------


_C_SPACE = b" \t\n\v\f\r"


def _overflowed(text: bytes, v: float) -> bool:
    """Would C's strtod have set ERANGE with a huge or zero result?"""
    low = text.lower().lstrip(b"+-")
    if math.isinf(v):
        return not low.startswith(b"inf")
    if v == 0.0:
        if low.startswith(b"0x"):
            mant = low[2:].split(b"p")[0]
            return any(ch in b"123456789abcdef" for ch in mant)
        mant = low.split(b"e")[0]
        return any(ch in b"123456789" for ch in mant)
    return False


def _strtod(text: bytes) -> float | None:
    """numbers.string2d, with a hex float too big for a double read as +-inf like strtod."""
    try:
        return string2d(text)
    except OverflowError:  # float.fromhex("0x1p5000")
        return float("-inf") if text[:1] == b"-" else float("inf")


def parse_score(arg: bytes, message: str = errors.NOT_FLOAT) -> float:
    """``getDoubleFromObjectOrReply``: strtod over the whole string, no NaN, no ERANGE."""
    v = _strtod(arg)
    if v is None or _overflowed(arg, v):
        raise CommandError(message)
    return v


def _range_item(item: bytes) -> tuple[float, bool] | None:
    """One end of ``zslParseRange``: '(' for exclusive, then plain strtod."""
    ex = item[:1] == b"("
    text = item[1:] if ex else item
    text = text.split(b"\0", 1)[0]  # a C string ends at the first NUL
    stripped = text.lstrip(_C_SPACE)
    if not stripped:
        # strtod converts nothing: fine only if the string was empty ("" is 0).
        return (0.0, ex) if not text else None
    v = _strtod(stripped)
    if v is None:
        return None
    return v, ex


def parse_range(min_: bytes, max_: bytes) -> ZRangeSpec:
    """``zslParseRange``."""
    lo = _range_item(min_)
    hi = _range_item(max_)
    if lo is None or hi is None:
        raise CommandError(errors.ZRANGE_NOT_FLOAT)
    return ZRangeSpec(lo[0], hi[0], lo[1], hi[1])


def parse_lex(min_: bytes, max_: bytes) -> ZLexRangeSpec:
    """``zslParseLexRange``."""
    try:
        return parse_lex_range(min_, max_)
    except ValueError:
        raise CommandError(errors.ZRANGE_LEX_INVALID) from None


# -- lookups and helpers ---------------------------------------------------------------------


def _check_zset(v) -> ZSetObject | None:
    if v is not None and type(v) is not ZSetObject:
        raise CommandError(errors.WRONGTYPE)
    return v


def lookup_read(c, key: bytes) -> ZSetObject | None:
    return _check_zset(c.db.lookup_read(key))


def lookup_write(c, key: bytes) -> ZSetObject | None:
    return _check_zset(c.db.lookup_write(key))


def _limits(c) -> tuple[int, int]:
    cfg = c.server.config
    return cfg.zset_max_listpack_entries, cfg.zset_max_listpack_value


def _notifier(c, key: bytes):
    server = c.server

    def notify(frm: str, to: str, reason: str) -> None:
        if server.events_wanted:
            server.emit(
                "encoding-conversion",
                key=key,
                db=c.db.id,
                value_type="zset",
                **{"from": frm, "to": to, "reason": reason},
            )

    return notify


def _with_scores(c, pairs, withscores: bool) -> list:
    """A range reply: members, or flat (RESP2) / nested (RESP3) member-score pairs."""
    if not withscores:
        return [m for m, _ in pairs]
    if c.resp > 2:
        return [[m, s] for m, s in pairs]
    out: list = []
    for m, s in pairs:
        out.append(m)
        out.append(s)
    return out


def _store(c, dstkey: bytes, zobj: ZSetObject | None) -> int:
    """setKey the result, or delete the destination when it is empty."""
    db = c.db
    if zobj is not None and len(zobj):
        existed = db.lookup_write(dstkey) is not None
        db.set_key(dstkey, zobj)
        if not existed:
            c.server.signal_key_as_ready(db, dstkey)
        c.server.dirty += 1
        return len(zobj)
    if db.delete(dstkey):
        c.server.notify_keyspace("del", dstkey, db.id)
        c.server.dirty += 1
    return 0


# -- ZADD, ZINCRBY ---------------------------------------------------------------------------


def zadd_generic(c, argv, incr: bool):
    """zaddGenericCommand: ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ..."""
    key = argv[1]
    nx = xx = gt = lt = ch = False
    scoreidx = 2
    while scoreidx < len(argv):
        opt = argv[scoreidx].lower()
        if opt == b"nx":
            nx = True
        elif opt == b"xx":
            xx = True
        elif opt == b"ch":
            ch = True
        elif opt == b"incr":
            incr = True
        elif opt == b"gt":
            gt = True
        elif opt == b"lt":
            lt = True
        else:
            break
        scoreidx += 1
    elements = len(argv) - scoreidx
    if elements % 2 or not elements:
        raise CommandError(errors.SYNTAX)
    elements //= 2
    if nx and xx:
        raise CommandError(errors.ZADD_XX_NX)
    if (gt and nx) or (lt and nx) or (gt and lt):
        raise CommandError(errors.ZADD_GT_LT_NX)
    if incr and elements > 1:
        raise CommandError(errors.ZADD_INCR_PAIRS)
    scores = [parse_score(argv[scoreidx + 2 * j]) for j in range(elements)]

    db = c.db
    zobj = lookup_write(c, key)
    added = updated = processed = 0
    score: float | None = None
    if zobj is None:
        if xx:
            return None if incr else 0
        max_entries, max_value = _limits(c)
        first = argv[scoreidx + 1]
        zobj = ZSetObject("skiplist" if max_entries == 0 or max_value < len(first) else "listpack")
        db.add(key, zobj)
        c.server.signal_key_as_ready(db, key)
    max_entries, max_value = _limits(c)
    notify = _notifier(c, key)
    failed = False
    for j in range(elements):
        outcome, newscore = zobj.add(
            scores[j], argv[scoreidx + 1 + 2 * j], max_entries, max_value,
            incr=incr, nx=nx, xx=xx, gt=gt, lt=lt, notify=notify,
        )  # fmt: skip
        if outcome == "nan":
            failed = True
            break
        if outcome == "added":
            added += 1
        elif outcome == "updated":
            updated += 1
        if outcome != "nop":
            processed += 1
        score = newscore
    if added or updated:
        c.server.signal_modified(db, key)
        c.server.notify_keyspace("zincr" if incr else "zadd", key, db.id)
    if failed:
        raise CommandError(errors.ZADD_NAN)
    c.server.dirty += added + updated
    if incr:
        return score if processed else None
    return added + updated if ch else added


@command("zadd")
def zadd(c, argv):
    return zadd_generic(c, argv, False)


@command("zincrby")
def zincrby(c, argv):
    return zadd_generic(c, argv, True)


# -- ZREM, ZREMRANGEBY* ------------------------------------------------------------------------


def _deleted_key_if_empty(c, key: bytes, zobj: ZSetObject) -> bool:
    if len(zobj) == 0:
        c.db.delete(key)
        c.server.notify_keyspace("del", key, c.db.id)
        return True
    return False


@command("zrem")
def zrem(c, argv):
    key = argv[1]
    zobj = lookup_write(c, key)
    if zobj is None:
        return 0
    deleted = 0
    for member in argv[2:]:
        if zobj.delete(member):
            deleted += 1
        if len(zobj) == 0:
            c.db.delete(key)
            break
    if deleted:
        c.server.notify_keyspace("zrem", key, c.db.id)
        c.server.signal_modified(c.db, key)
        c.server.dirty += deleted
    return deleted


def _zremrange(c, argv, rangetype: str):
    key = argv[1]
    if rangetype == "rank":
        start = parse_long(argv[2])
        end = parse_long(argv[3])
    elif rangetype == "score":
        spec = parse_range(argv[2], argv[3])
    else:
        lexspec = parse_lex(argv[2], argv[3])
    zobj = lookup_write(c, key)
    if zobj is None:
        return 0
    if rangetype == "rank":
        llen = len(zobj)
        if start < 0:
            start += llen
        if end < 0:
            end += llen
        if start < 0:
            start = 0
        if start > end or start >= llen:
            return 0
        if end >= llen:
            end = llen - 1
        deleted = zobj.delete_range_by_rank(start, end)
    elif rangetype == "score":
        deleted = zobj.delete_range_by_score(spec)
    else:
        deleted = zobj.delete_range_by_lex(lexspec)
    if deleted:
        c.server.signal_modified(c.db, key)
        c.server.notify_keyspace("zremrangeby" + rangetype, key, c.db.id)
    _deleted_key_if_empty(c, key, zobj)
    c.server.dirty += deleted
    return deleted


@command("zremrangebyrank")
def zremrangebyrank(c, argv):
    return _zremrange(c, argv, "rank")


@command("zremrangebyscore")
def zremrangebyscore(c, argv):
    return _zremrange(c, argv, "score")


@command("zremrangebylex")
def zremrangebylex(c, argv):
    return _zremrange(c, argv, "lex")


# -- ZUNION, ZINTER, ZDIFF (+STORE), ZINTERCARD ----------------------------------------------------


class _Source:
    """``zsetopsrc``: a sorted set or a plain set (every member scores 1.0), or nothing."""

    __slots__ = ("obj", "weight")

    def __init__(self, obj) -> None:
        self.obj = obj
        self.weight = 1.0

    def __len__(self) -> int:
        return 0 if self.obj is None else len(self.obj)

    def items(self):
        """``zuiNext`` order: sorted sets from the highest score, sets as stored."""
        obj = self.obj
        if obj is None:
            return iter(())
        if type(obj) is ZSetObject:
            return obj.items_reversed()
        return ((m, 1.0) for m in obj.members())

    def find(self, member: bytes) -> float | None:
        obj = self.obj
        if obj is None:
            return None
        if type(obj) is ZSetObject:
            return obj.score(member)
        return 1.0 if obj.contains(member) else None


def _aggregate(target: float, val: float, how: str) -> float:
    """zunionInterAggregate (inf + -inf is 0, not NaN)."""
    if how == "sum":
        r = target + val
        return 0.0 if r != r else r
    if how == "min":
        return val if val < target else target
    return val if val > target else target


def _setop(
    c, argv, dstkey: bytes | None, numkeys_idx: int, op: str, cardinality_only: bool = False
):
    setnum = parse_long(argv[numkeys_idx])
    if setnum < 1:
        raise err(f"at least 1 input key is needed for '{c.cmd.fullname}' command")
    if setnum > len(argv) - (numkeys_idx + 1):
        raise CommandError(errors.SYNTAX)
    db = c.db
    srcs = []
    j = numkeys_idx + 1
    for _ in range(setnum):
        obj = db.lookup_read(argv[j])
        if obj is not None and getattr(obj, "TYPE_NAME", None) not in ("zset", "set"):
            raise CommandError(errors.WRONGTYPE)
        srcs.append(_Source(obj))
        j += 1
    aggregate = "sum"
    withscores = False
    limit = 0
    remaining = len(argv) - j
    while remaining:
        opt = argv[j].lower()
        if op != "diff" and not cardinality_only and remaining >= setnum + 1 and opt == b"weights":
            j += 1
            remaining -= 1
            for s in srcs:
                s.weight = parse_score(argv[j], errors.WEIGHT_NOT_FLOAT)
                j += 1
                remaining -= 1
        elif op != "diff" and not cardinality_only and remaining >= 2 and opt == b"aggregate":
            how = argv[j + 1].lower()
            if how not in (b"sum", b"min", b"max"):
                raise CommandError(errors.SYNTAX)
            aggregate = how.decode()
            j += 2
            remaining -= 2
        elif remaining >= 1 and dstkey is None and not cardinality_only and opt == b"withscores":
            withscores = True
            j += 1
            remaining -= 1
        elif cardinality_only and remaining >= 2 and opt == b"limit":
            limit = parse_range_long(argv[j + 1], 0, LONG_MAX, errors.LIMIT_NEGATIVE)
            j += 2
            remaining -= 2
        else:
            raise CommandError(errors.SYNTAX)

    if op != "diff":
        srcs.sort(key=len)  # smallest first (a stable sort, like glibc's qsort)

    result: dict[bytes, float] = {}
    cardinality = 0
    if op == "inter":
        first = srcs[0]
        if len(first):
            for member, s0 in first.items():
                score = first.weight * s0
                if score != score:
                    score = 0.0
                ok = True
                for other in srcs[1:]:
                    if other.obj is first.obj:
                        score = _aggregate(score, s0 * other.weight, aggregate)
                        continue
                    value = other.find(member)
                    if value is None:
                        ok = False
                        break
                    score = _aggregate(score, value * other.weight, aggregate)
                if not ok:
                    continue
                if cardinality_only:
                    cardinality += 1
                    if limit and cardinality >= limit:
                        break
                else:
                    result[member] = score
    elif op == "union":
        for src in srcs:
            for member, s in src.items():
                score = src.weight * s
                if score != score:
                    score = 0.0
                if member in result:
                    result[member] = _aggregate(result[member], score, aggregate)
                else:
                    result[member] = score
    else:
        first = srcs[0]
        if len(first) and not any(o.obj is first.obj for o in srcs[1:]):
            for member, s in first.items():
                if all(o.find(member) is None for o in srcs[1:]):
                    result[member] = s

    if cardinality_only:
        return cardinality
    ordered = sorted(((s, m) for m, s in result.items()))
    if dstkey is not None:
        zobj = None
        if ordered:
            zobj = ZSetObject("skiplist")
            zobj.dict.expand(len(ordered))  # type: ignore[union-attr]
            for s, m in ordered:
                zobj.zsl.insert(s, m)  # type: ignore[union-attr]
                zobj.dict.add(m, s)  # type: ignore[union-attr]
            maxelelen = max(len(m) for _, m in ordered)
            totelelen = sum(len(m) for _, m in ordered)
            zobj.maybe_to_listpack(maxelelen, totelelen, *_limits(c))
        return _store(c, dstkey, zobj)
    return _with_scores(c, [(m, s) for s, m in ordered], withscores)


@command("zunionstore")
def zunionstore(c, argv):
    return _setop(c, argv, argv[1], 2, "union")


@command("zinterstore")
def zinterstore(c, argv):
    return _setop(c, argv, argv[1], 2, "inter")


@command("zdiffstore")
def zdiffstore(c, argv):
    return _setop(c, argv, argv[1], 2, "diff")


@command("zunion")
def zunion(c, argv):
    return _setop(c, argv, None, 1, "union")


@command("zinter")
def zinter(c, argv):
    return _setop(c, argv, None, 1, "inter")


@command("zdiff")
def zdiff(c, argv):
    return _setop(c, argv, None, 1, "diff")


@command("zintercard")
def zintercard(c, argv):
    return _setop(c, argv, None, 1, "inter", cardinality_only=True)


# -- ZRANGE and friends --------------------------------------------------------------------------


def zrange_generic(
    c, argv, argc_start: int, store: bool, rangetype: str | None, direction: str | None
):
    """zrangeGenericCommand: <src> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT o c]."""
    key = argv[argc_start]
    minidx, maxidx = argc_start + 1, argc_start + 2
    withscores = False
    offset, limit = 0, -1
    j = argc_start + 3
    while j < len(argv):
        leftargs = len(argv) - j - 1
        opt = argv[j].lower()
        if not store and opt == b"withscores":
            withscores = True
        elif opt == b"limit" and leftargs >= 2:
            offset = parse_long(argv[j + 1])
            limit = parse_long(argv[j + 2])
            j += 2
        elif direction is None and opt == b"rev":
            direction = "rev"
        elif rangetype is None and opt == b"bylex":
            rangetype = "lex"
        elif rangetype is None and opt == b"byscore":
            rangetype = "score"
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    reverse = direction == "rev"
    rangetype = rangetype or "rank"
    if limit != -1 and rangetype == "rank":
        raise CommandError(errors.ZRANGE_LIMIT_NEEDS_BY)
    if withscores and rangetype == "lex":
        raise CommandError(errors.ZRANGE_WITHSCORES_BYLEX)
    if reverse and rangetype != "rank":
        minidx, maxidx = maxidx, minidx
    if rangetype == "rank":
        start = parse_long(argv[minidx])
        end = parse_long(argv[maxidx])
    elif rangetype == "score":
        spec = parse_range(argv[minidx], argv[maxidx])
    else:
        lexspec = parse_lex(argv[minidx], argv[maxidx])

    zobj = lookup_read(c, key)
    if zobj is None:
        return _store(c, argv[1], None) if store else []

    size_hint = 0
    if rangetype == "rank":
        llen = len(zobj)
        if start < 0:
            start += llen
        if end < 0:
            end += llen
        if start < 0:
            start = 0
        if start > end or start >= llen:
            pairs = []
        else:
            if end >= llen:
                end = llen - 1
            pairs = zobj.range_by_rank(start, end, reverse)
            size_hint = len(pairs)
    elif rangetype == "score":
        pairs = zobj.range_by_score(spec, offset, limit, reverse)
    else:
        pairs = zobj.range_by_lex(lexspec, offset, limit, reverse)

    if store:
        max_entries, max_value = _limits(c)
        dst = ZSetObject.create(size_hint, 0, max_entries, max_value)
        for m, s in pairs:
            dst.add(s, m, max_entries, max_value)
        return _store(c, argv[1], dst)
    return _with_scores(c, pairs, withscores)


@command("zrange")
def zrange(c, argv):
    return zrange_generic(c, argv, 1, False, None, None)


@command("zrangestore")
def zrangestore(c, argv):
    return zrange_generic(c, argv, 2, True, None, None)


@command("zrevrange")
def zrevrange(c, argv):
    return zrange_generic(c, argv, 1, False, "rank", "rev")


@command("zrangebyscore")
def zrangebyscore(c, argv):
    return zrange_generic(c, argv, 1, False, "score", "fwd")


@command("zrevrangebyscore")
def zrevrangebyscore(c, argv):
    return zrange_generic(c, argv, 1, False, "score", "rev")


@command("zrangebylex")
def zrangebylex(c, argv):
    return zrange_generic(c, argv, 1, False, "lex", "fwd")


@command("zrevrangebylex")
def zrevrangebylex(c, argv):
    return zrange_generic(c, argv, 1, False, "lex", "rev")


# -- ZCARD, ZSCORE, ZMSCORE, ZRANK, ZCOUNT, ZLEXCOUNT -----------------------------------------------


@command("zcard")
def zcard(c, argv):
    zobj = lookup_read(c, argv[1])
    return 0 if zobj is None else len(zobj)


@command("zscore")
def zscore(c, argv):
    zobj = lookup_read(c, argv[1])
    return None if zobj is None else zobj.score(argv[2])


@command("zmscore")
def zmscore(c, argv):
    zobj = lookup_read(c, argv[1])
    return [None if zobj is None else zobj.score(m) for m in argv[2:]]


def _zrank(c, argv, reverse: bool):
    zobj = lookup_read(c, argv[1])
    return None if zobj is None else zobj.rank(argv[2], reverse)


@command("zrank")
def zrank(c, argv):
    return _zrank(c, argv, False)


@command("zrevrank")
def zrevrank(c, argv):
    return _zrank(c, argv, True)


@command("zcount")
def zcount(c, argv):
    spec = parse_range(argv[2], argv[3])
    zobj = lookup_read(c, argv[1])
    return 0 if zobj is None else zobj.count_in_range(spec)


@command("zlexcount")
def zlexcount(c, argv):
    spec = parse_lex(argv[2], argv[3])
    zobj = lookup_read(c, argv[1])
    return 0 if zobj is None else zobj.count_in_lex_range(spec)


# -- ZSCAN -------------------------------------------------------------------------------------------


@command("zscan")
def zscan(c, argv):
    """ZSCAN key cursor [MATCH pattern] [COUNT count]."""
    cursor = parse_scan_cursor(argv[2])
    zobj = lookup_read(c, argv[1])
    if zobj is None:
        return [b"0", []]
    count, pattern, _ = scan_options(argv, 3, False)
    cursor, flat = zobj.scan(cursor, count)
    if pattern is not None:
        match = compile_key_matcher(pattern)
        kept: list[bytes] = []
        for i in range(0, len(flat), 2):
            if match(flat[i]):
                kept.append(flat[i])
                kept.append(flat[i + 1])
        flat = kept
    return [b"%d" % cursor, flat]


# -- ZPOPMIN, ZPOPMAX, ZMPOP ---------------------------------------------------------------------------


def zpop_generic(
    c, keys, maximum: bool, emitkey: bool, count: int, nested: bool, nil_when_empty: bool
):
    """genericZpopCommand: pop from the first non-empty key; count -1 is a plain single pop."""
    db = c.db
    zobj = None
    key = None
    for k in keys:
        zobj = lookup_write(c, k)
        if zobj is not None:
            key = k
            break
    if zobj is None:
        return NULL_ARRAY if nil_when_empty else []
    if count == 0:
        return []
    if count == -1:
        count = 1
    rangelen = min(count, len(zobj))
    popped = []
    for _ in range(rangelen):
        popped.append(zobj.pop(maximum))
        c.server.dirty += 1
    c.server.notify_keyspace("zpopmax" if maximum else "zpopmin", key, db.id)
    c.server.signal_modified(db, key)
    _deleted_key_if_empty(c, key, zobj)
    if nested:
        body: list = [[m, s] for m, s in popped]
    else:
        body = []
        for m, s in popped:
            body.append(m)
            body.append(s)
    if not emitkey:
        return body
    if nested:
        return [key, body]
    return [key, *body]


def _zpop_minmax(c, argv, maximum: bool):
    if len(argv) > 3:
        raise CommandError(errors.SYNTAX)
    count = -1
    if len(argv) == 3:
        count = parse_range_long(argv[2], 0, LONG_MAX, errors.MUST_BE_POSITIVE)
    nested = c.resp > 2 and count != -1
    return zpop_generic(c, [argv[1]], maximum, False, count, nested, False)


@command("zpopmin")
def zpopmin(c, argv):
    return _zpop_minmax(c, argv, False)


@command("zpopmax")
def zpopmax(c, argv):
    return _zpop_minmax(c, argv, True)


def parse_zmpop(argv, numkeys_idx: int):
    """zmpopGenericCommand's parsing: (keys, maximum, count)."""
    numkeys = parse_range_long(argv[numkeys_idx], 1, LONG_MAX, errors.NUMKEYS_NOT_POSITIVE)
    where_idx = numkeys_idx + numkeys + 1
    if where_idx >= len(argv):
        raise CommandError(errors.SYNTAX)
    where = argv[where_idx].lower()
    if where not in (b"min", b"max"):
        raise CommandError(errors.SYNTAX)
    count = -1
    j = where_idx + 1
    while j < len(argv):
        moreargs = len(argv) - 1 - j
        if count == -1 and argv[j].lower() == b"count" and moreargs:
            j += 1
            count = parse_range_long(argv[j], 1, LONG_MAX, errors.COUNT_NOT_POSITIVE)
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    if count == -1:
        count = 1
    return argv[numkeys_idx + 1 : where_idx], where == b"max", count


@command("zmpop")
def zmpop(c, argv):
    """ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]."""
    keys, maximum, count = parse_zmpop(argv, 1)
    return zpop_generic(c, keys, maximum, True, count, True, True)


# -- BZPOPMIN, BZPOPMAX, BZMPOP (server/blocking.py does the waiting) --------------------------


def blocking_zpop(c, keys, maximum: bool, timeout_arg: bytes, count: int, nested: bool):
    """blockingGenericZpopCommand: pop now if any key has members, else block on them all.

    The timeout is parsed first; a key holding another type answers
    WRONGTYPE even if a later key has data. A client that may not block
    (``deny_blocking``: MULTI, scripts) gets the timeout reply at once.
    """
    timeout = blocking.parse_timeout(c, timeout_arg)
    for key in keys:
        zobj = lookup_write(c, key)
        if zobj is None or len(zobj) == 0:
            continue
        return zpop_generic(c, [key], maximum, True, count, nested, nested)
    if getattr(c, "deny_blocking", False):
        return NULL_ARRAY
    blocking.block_for_keys(
        c, list(keys), timeout, kind="zset", wherefrom=int(maximum), count=count
    )
    return NO_REPLY


def serve_blocked_zset_client(receiver, key: bytes, zobj: ZSetObject, state) -> bool:
    """serveClientsBlockedOnSortedSetKey: pop for one waiter; True when the key is gone.

    BZPOPMIN/BZPOPMAX block with count -1 and get a flat [key, member,
    score]; BZMPOP blocks with its COUNT and gets [key, [[member, score], ...]].
    """
    nested = state.count != -1
    reply = zpop_generic(receiver, [key], bool(state.wherefrom), True, state.count, nested, nested)
    receiver.add_reply(reply)
    return len(zobj) == 0


blocking.SERVE["zset"] = serve_blocked_zset_client


@command("bzpopmin")
def bzpopmin(c, argv):
    """BZPOPMIN key [key ...] timeout."""
    return blocking_zpop(c, argv[1:-1], False, argv[-1], -1, False)


@command("bzpopmax")
def bzpopmax(c, argv):
    """BZPOPMAX key [key ...] timeout."""
    return blocking_zpop(c, argv[1:-1], True, argv[-1], -1, False)


@command("bzmpop")
def bzmpop(c, argv):
    """BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]."""
    keys, maximum, count = parse_zmpop(argv, 2)
    return blocking_zpop(c, keys, maximum, argv[1], count, True)


# -- ZRANDMEMBER -----------------------------------------------------------------------------------------


def _check_reply_size(n: int) -> None:
    if n > MAX_RANDOM_REPLY:
        raise CommandError(errors.RANDOM_REPLY_TOO_LARGE % MAX_RANDOM_REPLY)


@command("zrandmember")
def zrandmember(c, argv):
    """ZRANDMEMBER key [count [WITHSCORES]] (zrandmemberCommand)."""
    rng = c.server.rng
    if len(argv) >= 3:
        n = parse_range_long(argv[2], -LONG_MAX, LONG_MAX)
        withscores = False
        if len(argv) > 4 or (len(argv) == 4 and argv[3].lower() != b"withscores"):
            raise CommandError(errors.SYNTAX)
        if len(argv) == 4:
            withscores = True
            if n < -(LONG_MAX // 2) or n > LONG_MAX // 2:
                raise CommandError(errors.VALUE_OUT_OF_RANGE)
        return _zrandmember_count(c, argv[1], n, withscores, rng)
    zobj = lookup_read(c, argv[1])
    if zobj is None:
        return None
    return zobj.random_pair(rng)[0]


def _zrandmember_count(c, key: bytes, n: int, withscores: bool, rng):
    """zrandmemberWithCountCommand: its four cases, chosen as Redis chooses them."""
    zobj = lookup_read(c, key)
    if zobj is None or n == 0:
        return []
    size = len(zobj)
    uniq = n >= 0
    count = n if uniq else -n
    # CASE 1: negative count (repeats allowed) or a single member.
    if not uniq or count == 1:
        _check_reply_size(count)
        if zobj.encoding == "skiplist":
            picks = [zobj.random_pair(rng) for _ in range(count)]
        else:
            pairs = list(zobj.items())
            picks = [pairs[rng.randrange(size)] for _ in range(count)]
        return _with_scores(c, picks, withscores)
    # CASE 2: asking for at least the whole set: all of it, in zuiNext order.
    if count >= size:
        return _with_scores(c, list(zobj.items_reversed()), withscores)
    # CASE 3: most of the set: copy it and remove random members.
    if count * ZRANDMEMBER_SUB_STRATEGY_MUL > size:
        pairs = list(zobj.items_reversed())
        keep = sorted(rng.sample(range(size), count))
        return _with_scores(c, [pairs[i] for i in keep], withscores)
    # CASE 4: a few members of a big set.
    if zobj.encoding == "listpack":
        return _with_scores(c, zobj.random_pairs_unique(count, rng), withscores)
    seen: set[bytes] = set()
    picks = []
    while len(picks) < count:
        m, s = zobj.random_pair(rng)
        if m in seen:
            continue
        seen.add(m)
        picks.append((m, s))
    return _with_scores(c, picks, withscores)

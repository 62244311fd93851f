"""Set commands (t_set.c): SADD, SINTER, SPOP, SRANDMEMBER, SSCAN...

The structure and its intset -> hashtable conversion live in
:mod:`server.types.set`; this module reads ``set-max-intset-entries``,
publishes conversions on ``LAB EVENTS`` and shapes the replies:

- SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count reply with a set
  (RESP3 ``~``); SRANDMEMBER with a count with an array, because a negative
  count may repeat members.
- SINTERSTORE, SUNIONSTORE and SDIFFSTORE build their result the way Redis
  does -- an empty intset that members are added to -- so the destination
  gets the encoding Redis would give it (intset when every member is an
  integer and there are at most 512 of them). An empty result deletes the
  destination.
- SSCAN answers an intset in one call with cursor 0; a hashtable is walked
  with the dict's reverse-binary cursor.
"""

from __future__ import annotations

from .. import errors
from ..encodings.dict import Dict
from ..errors import CommandError
from ..glob import compile_key_matcher
from ..numbers import LLONG_MAX
from ..protocol.replies import Set
from ..types.hash import fair_random_entry
from ..types.set import SetObject
from .args import get_positive_long as _get_positive_long
from .args import get_range_long as _get_long_range
from .hashes import check_reply_size, parse_random_count
from .keys import parse_scan_cursor, scan_options
from .registry import command

SPOP_MOVE_STRATEGY_MUL = 5
SRANDMEMBER_SUB_STRATEGY_MUL = 3


# -- lookups and conversions --------------------------------------------------------------


def _check(v: object) -> SetObject | None:
    if v is None:
        return None
    if type(v) is not SetObject:
        raise CommandError(errors.WRONGTYPE)
    return v


def _read(c, key: bytes) -> SetObject | None:
    return _check(c.db.lookup_read(key))


def _write(c, key: bytes) -> SetObject | None:
    return _check(c.db.lookup_write(key))


def _notifier(c, key: bytes | None):
    server = c.server
    if key is None or not server.events_wanted:
        return None
    dbid = c.db.id

    def notify(frm: str, to: str, reason: str) -> None:
        server.emit(
            "encoding-conversion",
            key=key,
            db=dbid,
            value_type="set",
            **{"from": frm, "to": to, "reason": reason},
        )

    return notify


def _max_intset(c) -> int:
    return c.server.config.set_max_intset_entries


def _as_bytes(m: int | bytes) -> bytes:
    return b"%d" % m if type(m) is int else m  # type: ignore[return-value]


# -- SADD, SREM, SMOVE ---------------------------------------------------------------------------


@command("sadd")
def sadd(c, argv):
    """SADD key member [member ...]: how many members were new."""
    key = argv[1]
    db = c.db
    s = _write(c, key)
    if s is None:
        s = SetObject.for_member(argv[2])
        db.add(key, s)
    limit = _max_intset(c)
    notify = _notifier(c, key)
    added = 0
    for m in argv[2:]:
        if s.add(m, limit, notify):
            added += 1
    if added:
        c.server.signal_modified(db, key)
        c.server.notify_keyspace("sadd", key, db.id)
    c.server.dirty += added
    return added


@command("srem")
def srem(c, argv):
    """SREM key member [member ...]: the key goes with its last member."""
    key = argv[1]
    s = _write(c, key)
    if s is None:
        return 0
    deleted = 0
    removed = False
    for m in argv[2:]:
        if s.remove(m):
            deleted += 1
            if len(s) == 0:
                c.db.delete(key)
                removed = True
                break
    if deleted:
        c.server.signal_modified(c.db, key)
        c.server.notify_keyspace("srem", key, c.db.id)
        if removed:
            c.server.notify_keyspace("del", key, c.db.id)
        c.server.dirty += deleted
    return deleted


@command("smove")
def smove(c, argv):
    """SMOVE source destination member."""
    src_key, dst_key, member = argv[1], argv[2], argv[3]
    db = c.db
    src = db.lookup_write(src_key)
    dst = db.lookup_write(dst_key)
    if src is None:
        return 0
    _check(src)
    _check(dst)
    assert type(src) is SetObject
    if src is dst:
        return int(src.contains(member))
    if not src.remove(member):
        return 0
    c.server.notify_keyspace("srem", src_key, db.id)
    if len(src) == 0:
        db.delete(src_key)
        c.server.notify_keyspace("del", src_key, db.id)
    if dst is None:
        dst = SetObject.for_member(member)
        db.add(dst_key, dst)
    c.server.signal_modified(db, src_key)
    c.server.signal_modified(db, dst_key)
    c.server.dirty += 1
    if dst.add(member, _max_intset(c), _notifier(c, dst_key)):  # type: ignore[union-attr]
        c.server.dirty += 1
        c.server.notify_keyspace("sadd", dst_key, db.id)
    return 1


# -- SISMEMBER, SMISMEMBER, SCARD ------------------------------------------------------------------


@command("sismember")
def sismember(c, argv):
    s = _read(c, argv[1])
    return int(s is not None and s.contains(argv[2]))


@command("smismember")
def smismember(c, argv):
    """SMISMEMBER key member [member ...]: a missing key is an empty set."""
    s = _read(c, argv[1])
    if s is None:
        return [0] * (len(argv) - 2)
    return [int(s.contains(m)) for m in argv[2:]]


@command("scard")
def scard(c, argv):
    s = _read(c, argv[1])
    return 0 if s is None else len(s)


# -- SPOP -----------------------------------------------------------------------------------------------


def _pop_one(s: SetObject, rng) -> bytes:
    m = s.random_member(rng)
    if type(m) is int:
        s.intset.remove(m)
        return b"%d" % m
    s.remove(m)  # type: ignore[arg-type]
    return m  # type: ignore[return-value]


@command("spop")
def spop(c, argv):
    """SPOP key [count]."""
    if len(argv) == 3:
        return _spop_count(c, argv)
    if len(argv) > 3:
        raise CommandError(errors.SYNTAX)
    key = argv[1]
    s = _write(c, key)
    if s is None:
        return None
    m = _pop_one(s, c.server.rng)
    c.server.notify_keyspace("spop", key, c.db.id)
    if len(s) == 0:
        c.db.delete(key)
        c.server.notify_keyspace("del", key, c.db.id)
    c.server.signal_modified(c.db, key)
    c.server.dirty += 1
    return m


def _spop_count(c, argv):
    """spopWithCountCommand: three strategies by how much of the set goes."""
    count = _get_positive_long(argv[2])
    key = argv[1]
    db = c.db
    s = _write(c, key)
    if s is None or count == 0:
        return Set()
    size = len(s)
    server = c.server
    server.notify_keyspace("spop", key, db.id)
    server.dirty += count
    rng = server.rng
    # CASE 1: everything goes: reply with the whole set and delete it.
    if count >= size:
        out = Set(s.members())
        db.delete(key)
        server.notify_keyspace("del", key, db.id)
        server.signal_modified(db, key)
        server.dirty += 1
        return out
    remaining = size - count
    if remaining * SPOP_MOVE_STRATEGY_MUL > count:
        # CASE 2: a small part goes: pop random members one by one.
        out = Set(_pop_one(s, rng) for _ in range(count))
    else:
        # CASE 3: most goes: move the few that stay into a new set (created
        # as setTypeCreate would, so the key may become an intset again) and
        # reply with what is left in the old one.
        newset: SetObject | None = None
        limit = _max_intset(c)
        notify = _notifier(c, key)
        for _ in range(remaining):
            m = _as_bytes(s.random_member(rng))
            if newset is None:
                newset = SetObject.for_member(m)
            newset.add(m, limit, notify)
            s.remove(m)
        out = Set(s.members())
        e = db.lookup_entry(key)
        assert e is not None and newset is not None
        db.overwrite(e, newset)
    server.signal_modified(db, key)
    server.dirty += 1
    return out


# -- SRANDMEMBER -------------------------------------------------------------------------------------------


@command("srandmember")
def srandmember(c, argv):
    """SRANDMEMBER key [count]."""
    if len(argv) == 3:
        return _srandmember_count(c, argv)
    if len(argv) > 3:
        raise CommandError(errors.SYNTAX)
    s = _read(c, argv[1])
    if s is None:
        return None
    return _as_bytes(s.random_member(c.server.rng))


def _srandmember_count(c, argv):
    """srandmemberWithCountCommand: four cases by sign and size of the count."""
    count = parse_random_count(argv[2])
    s = _read(c, argv[1])
    if s is None:
        return []
    uniq = count >= 0
    count = abs(count)
    if count == 0:
        return []
    size = len(s)
    rng = c.server.rng
    # CASE 1: negative count (repeats allowed) or one member: independent picks.
    if not uniq or count == 1:
        check_reply_size(count)
        return [_as_bytes(s.random_member(rng)) for _ in range(count)]
    # CASE 2: as many or more than there are: the whole set.
    if count >= size:
        return list(s.members())
    # CASE 3: most of the set: copy it, then remove random members.
    if count * SRANDMEMBER_SUB_STRATEGY_MUL > size:
        d = Dict("srandmember")
        for m in s.members():
            d.add(m, None)
        while size > count:
            d.delete(fair_random_entry(d, rng).key)
            size -= 1
        return d.keys()
    # CASE 4: few of many: pick until enough distinct members were seen.
    seen: dict[bytes, None] = {}
    while len(seen) < count:
        seen[_as_bytes(s.random_member(rng))] = None
    return list(seen)


# -- SINTER, SINTERCARD, SINTERSTORE, SMEMBERS ------------------------------------------------------------------


def _lookup_sets(c, keys: list[bytes], write: bool) -> list[SetObject | None]:
    """Every key's set (None when missing); WRONGTYPE if any key holds another type."""
    lookup = c.db.lookup_write if write else c.db.lookup_read
    return [_check(lookup(k)) for k in keys]


def _store_result(c, dstkey: bytes, dst: SetObject, event: str) -> int:
    """Store a non-empty result (setKey: the old TTL goes) or delete the destination."""
    db = c.db
    server = c.server
    n = len(dst)
    if n > 0:
        db.set_key(dstkey, dst)
        server.notify_keyspace(event, dstkey, db.id)
        server.dirty += 1
        return n
    if db.delete(dstkey):
        server.dirty += 1
        server.notify_keyspace("del", dstkey, db.id)
    return 0


def _sinter_generic(c, keys: list[bytes], dstkey: bytes | None, cardinality_only=False, limit=0):
    """sinterGenericCommand: walk the smallest set, keep what every other set has."""
    sets = _lookup_sets(c, keys, write=dstkey is not None)
    if any(s is None for s in sets):
        if dstkey is not None:
            db = c.db
            if db.delete(dstkey):
                c.server.notify_keyspace("del", dstkey, db.id)
                c.server.dirty += 1
            return 0
        return 0 if cardinality_only else Set()
    ordered: list[SetObject] = sorted(sets, key=len)  # type: ignore[arg-type]
    first, others = ordered[0], ordered[1:]
    others = [s for s in others if s is not first]
    result: list[bytes] = []
    cardinality = 0
    for m in first.raw_members():
        if type(m) is int:
            ok = all(s.contains_int(m) for s in others)  # type: ignore[arg-type]
        else:
            ok = all(s.contains(m) for s in others)  # type: ignore[arg-type]
        if not ok:
            continue
        if cardinality_only:
            cardinality += 1
            if limit and cardinality >= limit:
                break
        else:
            result.append(_as_bytes(m))
    if cardinality_only:
        return cardinality
    if dstkey is None:
        return Set(result)
    dst = SetObject("intset")
    max_entries = _max_intset(c)
    notify = _notifier(c, dstkey)
    for m in result:
        dst.add(m, max_entries, notify)
    return _store_result(c, dstkey, dst, "sinterstore")


@command("sinter")
def sinter(c, argv):
    return _sinter_generic(c, argv[1:], None)


@command("smembers")
def smembers(c, argv):
    return _sinter_generic(c, argv[1:2], None)


@command("sinterstore")
def sinterstore(c, argv):
    return _sinter_generic(c, argv[2:], argv[1])


@command("sintercard")
def sintercard(c, argv):
    """SINTERCARD numkeys key [key ...] [LIMIT limit]."""
    numkeys = _get_long_range(argv[1], 1, LLONG_MAX, errors.NUMKEYS_NOT_POSITIVE)
    if numkeys > len(argv) - 2:
        raise CommandError(errors.NUMKEYS_TOO_MANY)
    limit = 0
    j = 2 + numkeys
    while j < len(argv):
        if argv[j].lower() == b"limit" and j + 1 < len(argv):
            j += 1
            limit = _get_positive_long(argv[j], errors.LIMIT_NEGATIVE)
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    return _sinter_generic(c, argv[2 : 2 + numkeys], None, cardinality_only=True, limit=limit)


# -- SUNION, SDIFF and their STORE forms -------------------------------------------------------------------------


def _sunion_diff_generic(c, keys: list[bytes], dstkey: bytes | None, op: str):
    """sunionDiffGenericCommand: the result is built in a set that starts as an intset."""
    sets = _lookup_sets(c, keys, write=dstkey is not None)
    first = sets[0]
    sameset = first is not None and any(s is first for s in sets[1:])
    max_entries = _max_intset(c)
    notify = _notifier(c, dstkey)
    dst = SetObject("intset")
    if op == "union":
        for s in sets:
            if s is not None:
                for m in s.members():
                    dst.add(m, max_entries, notify)
    elif first is not None and not sameset:
        # Two algorithms; Redis picks by estimated work. Algorithm 2 adds the
        # first set and removes the others, so a non-integer member that is
        # added and then removed still leaves a hashtable behind.
        present = [s for s in sets if s is not None]
        algo_one_work = len(first) * len(present) // 2
        algo_two_work = sum(len(s) for s in present)
        if algo_one_work <= algo_two_work:
            others = sorted((s for s in sets[1:] if s is not None), key=len, reverse=True)
            for m in first.members():
                if not any(s.contains(m) for s in others):
                    dst.add(m, max_entries, notify)
        else:
            for j, s in enumerate(sets):
                if s is None:
                    continue
                for m in s.members():
                    if j == 0:
                        dst.add(m, max_entries, notify)
                    else:
                        dst.remove(m)
                if len(dst) == 0:
                    break
    if dstkey is None:
        return Set(dst.members())
    return _store_result(c, dstkey, dst, "sunionstore" if op == "union" else "sdiffstore")


@command("sunion")
def sunion(c, argv):
    return _sunion_diff_generic(c, argv[1:], None, "union")


@command("sunionstore")
def sunionstore(c, argv):
    return _sunion_diff_generic(c, argv[2:], argv[1], "union")


@command("sdiff")
def sdiff(c, argv):
    return _sunion_diff_generic(c, argv[1:], None, "diff")


@command("sdiffstore")
def sdiffstore(c, argv):
    return _sunion_diff_generic(c, argv[2:], argv[1], "diff")


# -- SSCAN ----------------------------------------------------------------------------------------------------------


@command("sscan")
def sscan(c, argv):
    """SSCAN key cursor [MATCH pattern] [COUNT count] (scanGenericCommand)."""
    cursor = parse_scan_cursor(argv[2])
    s = _read(c, argv[1])
    if s is None:
        return [b"0", []]
    count, pattern, _ = scan_options(argv, 3, False)
    found: list[bytes] = []
    if s.encoding == "hashtable":
        d = s.dict
        assert d is not None
        maxiterations = count * 10
        while True:
            cursor = d.scan(cursor, lambda e: found.append(e.key))
            if not cursor or maxiterations == 0:
                break
            maxiterations -= 1
            if len(found) >= count:
                break
    else:
        found = list(s.members())
        cursor = 0
    if pattern is not None:
        match = compile_key_matcher(pattern)
        found = [m for m in found if match(m)]
    return [b"%d" % cursor, found]

"""List commands (t_list.c): pushes, pops, ranges, LPOS, moves and the blocking family.

Every list is a :class:`~server.types.list.ListObject` (a quicklist, the only
list encoding in Redis 7.0). The rules shared by all commands:

- A list is created by the first push (``pushGenericCommand``,
  ``lmoveHandlePush``) with the node options of *that moment's* config, and
  deleted by whatever removes its last element -- Redis never keeps an
  empty list in the keyspace, which is why BLPOP can treat "no key" as
  "no data".
- Arguments are parsed before the key is looked up, in Redis's order, so the
  same bad command gets the same error (``LINDEX nokey x`` replies nil
  because LINDEX looks the key up first; ``LRANGE nokey x 1`` fails because
  LRANGE parses first).
- Creating a key wakes clients blocked on it (:mod:`server.blocking`).

Generic helpers carry the logic shared by command variants, as in t_list.c:
``push_generic`` (LPUSH RPUSH LPUSHX RPUSHX), ``pop_generic`` (LPOP RPOP),
``lmove_generic`` (LMOVE RPOPLPUSH and the non-blocking path of BLMOVE),
``mpop_generic`` (LMPOP BLMPOP) and ``blocking_pop_generic`` (BLPOP BRPOP BLMPOP).
"""

from __future__ import annotations

from .. import blocking, errors
from ..errors import CommandError
from ..protocol.replies import NULL_ARRAY, OK, ErrorReply
from ..server import NO_REPLY
from ..types.list import LIST_HEAD, LIST_TAIL, ListObject
from .args import get_long as _long
from .args import get_positive_long as _positive_long
from .args import get_range_long as _range_long
from .registry import command

LONG_MAX = (1 << 63) - 1
LONG_MIN = -(1 << 63)


# -- argument parsing --------------------------------------------------------------


def _where(arg: bytes) -> int:
    """``getListPositionFromObjectOrReply``: LEFT or RIGHT."""
    a = arg.lower()
    if a == b"left":
        return LIST_HEAD
    if a == b"right":
        return LIST_TAIL
    raise CommandError(errors.SYNTAX)


# -- lookups ---------------------------------------------------------------------------


def _check_list(value: object) -> ListObject:
    if type(value) is not ListObject:
        raise CommandError(errors.WRONGTYPE)
    return value  # type: ignore[return-value]


def _read(c, key: bytes) -> ListObject | None:
    """``lookupKeyRead`` + ``checkType``."""
    v = c.db.lookup_read(key)
    return None if v is None else _check_list(v)


def _write(c, key: bytes) -> ListObject | None:
    """``lookupKeyWrite`` + ``checkType``."""
    v = c.db.lookup_write(key)
    return None if v is None else _check_list(v)


def _create(c, db, key: bytes) -> ListObject:
    """``createQuicklistObject`` + ``quicklistSetOptions`` + ``dbAdd`` (which wakes waiters)."""
    lst = ListObject.create(c.server.config)
    db.add(key, lst)
    c.server.signal_key_as_ready(db, key)
    return lst


def _elements_removed(c, db, key: bytes, lst: ListObject, count: int = 1) -> bool:
    """``listElementsRemoved``: delete the key once its list is empty; True if deleted."""
    server = c.server
    deleted = len(lst) == 0
    if deleted:
        db.delete(key)
        server.notify_keyspace("del", key, db.id)
    server.signal_modified(db, key)
    server.dirty += count
    return deleted


def _push(c, db, key: bytes, lst: ListObject, value: bytes, where: int) -> None:
    ql = lst.ql
    nodes = ql.len
    lst.push(value, where)
    server = c.server
    if ql.len != nodes and server.events_wanted:
        server.emit(
            "quicklist-node-added",
            key=key,
            db=db.id,
            where="head" if where == LIST_HEAD else "tail",
            nodes=ql.len,
            fill=ql.fill,
        )


# -- pushes ------------------------------------------------------------------------------


def push_generic(c, argv: list[bytes], where: int, xx: bool) -> int:
    """``pushGenericCommand``: LPUSH/RPUSH, and with ``xx`` LPUSHX/RPUSHX."""
    db = c.db
    key = argv[1]
    lst = _write(c, key)
    if lst is None:
        if xx:
            return 0
        lst = _create(c, db, key)
    for value in argv[2:]:
        _push(c, db, key, lst, value, where)
        c.server.dirty += 1
    c.server.signal_modified(db, key)
    c.server.notify_keyspace("lpush" if where == LIST_HEAD else "rpush", key, db.id)
    return len(lst)


@command("lpush")
def lpush(c, argv):
    """LPUSH key element [element ...]: each element goes to the head in turn."""
    return push_generic(c, argv, LIST_HEAD, False)


@command("rpush")
def rpush(c, argv):
    return push_generic(c, argv, LIST_TAIL, False)


@command("lpushx")
def lpushx(c, argv):
    return push_generic(c, argv, LIST_HEAD, True)


@command("rpushx")
def rpushx(c, argv):
    return push_generic(c, argv, LIST_TAIL, True)


@command("linsert")
def linsert(c, argv):
    """LINSERT key BEFORE|AFTER pivot element: -1 without the pivot, 0 without the key."""
    where = argv[2].lower()
    if where == b"after":
        after = True
    elif where == b"before":
        after = False
    else:
        raise CommandError(errors.SYNTAX)
    lst = _write(c, argv[1])
    if lst is None:
        return 0
    if not lst.insert_at_pivot(argv[3], argv[4], after):
        return -1
    c.server.signal_modified(c.db, argv[1])
    c.server.notify_keyspace("linsert", argv[1], c.db.id)
    c.server.dirty += 1
    return len(lst)


# -- reads -------------------------------------------------------------------------------


@command("llen")
def llen(c, argv):
    lst = _read(c, argv[1])
    return 0 if lst is None else len(lst)


@command("lindex")
def lindex(c, argv):
    """LINDEX key index: the key is looked up before the index is parsed."""
    lst = _read(c, argv[1])
    if lst is None:
        return None
    return lst.index(_long(argv[2]))


@command("lrange")
def lrange(c, argv):
    start = _long(argv[2])
    end = _long(argv[3])
    lst = _read(c, argv[1])
    if lst is None:
        return []
    return lst.range(start, end)


@command("lpos")
def lpos(c, argv):
    """LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]."""
    rank, count, maxlen = 1, -1, 0
    j = 3
    n = len(argv)
    while j < n:
        opt = argv[j].lower()
        more = j + 1 < n
        if opt == b"rank" and more:
            j += 1
            rank = _long(argv[j])  # 7.0 takes any long (7.2 refuses LONG_MIN)
            if rank == 0:
                raise CommandError(errors.LPOS_RANK_ZERO)
        elif opt == b"count" and more:
            j += 1
            count = _positive_long(argv[j], errors.LPOS_COUNT_NEGATIVE)
        elif opt == b"maxlen" and more:
            j += 1
            maxlen = _positive_long(argv[j], errors.LPOS_MAXLEN_NEGATIVE)
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    lst = _read(c, argv[1])
    if lst is None:
        return [] if count != -1 else None
    if rank == LONG_MIN:
        # -rank overflows in C and stays negative, so "matches >= rank" always
        # holds and "matches - rank + 1 >= count" never does: Redis 7.0 then
        # answers as RANK -1 with an unlimited COUNT.
        found = lst.position(argv[2], -1, 1 if count == -1 else 0, maxlen)
    else:
        found = lst.position(argv[2], rank, 1 if count == -1 else count, maxlen)
    if count != -1:
        return found
    return found[0] if found else None


# -- writes in place -----------------------------------------------------------------------


@command("lset")
def lset(c, argv):
    """LSET key index element: ``no such key`` before the index is parsed."""
    lst = _write(c, argv[1])
    if lst is None:
        raise CommandError(errors.NOKEY)
    index = _long(argv[2])
    if not lst.replace(index, argv[3]):
        raise CommandError(errors.OUTOFRANGE)
    c.server.signal_modified(c.db, argv[1])
    c.server.notify_keyspace("lset", argv[1], c.db.id)
    c.server.dirty += 1
    return OK


@command("ltrim")
def ltrim(c, argv):
    """LTRIM key start stop: two ``quicklistDelRange`` calls, head side then tail side."""
    start = _long(argv[2])
    end = _long(argv[3])
    db = c.db
    key = argv[1]
    lst = _write(c, key)
    if lst is None:
        return OK
    llen = len(lst)
    if start < 0:
        start += llen
    if end < 0:
        end += llen
    if start < 0:
        start = 0
    if start > end or start >= llen:
        ltrim_n, rtrim_n = llen, 0
    else:
        if end >= llen:
            end = llen - 1
        ltrim_n, rtrim_n = start, llen - end - 1
    lst.delete_range(0, ltrim_n)
    lst.delete_range(-rtrim_n, rtrim_n)
    c.server.notify_keyspace("ltrim", key, db.id)
    if len(lst) == 0:
        db.delete(key)
        c.server.notify_keyspace("del", key, db.id)
    c.server.signal_modified(db, key)
    c.server.dirty += ltrim_n + rtrim_n
    return OK


@command("lrem")
def lrem(c, argv):
    """LREM key count element: count > 0 from the head, < 0 from the tail, 0 all."""
    toremove = _long(argv[2])
    db = c.db
    key = argv[1]
    lst = _write(c, key)
    if lst is None:
        return 0
    removed = lst.remove(argv[3], toremove)
    if removed:
        c.server.signal_modified(db, key)
        c.server.notify_keyspace("lrem", key, db.id)
    if len(lst) == 0:
        db.delete(key)
        c.server.notify_keyspace("del", key, db.id)
    c.server.dirty += removed
    return removed


# -- pops ----------------------------------------------------------------------------------


def pop_range(c, db, key: bytes, lst: ListObject, where: int, count: int) -> list[bytes]:
    """The range part of ``popGenericCommand`` / ``listPopRangeAndReplyWithKey``.

    The reply is read first (tail-first for RPOP), then the elements go in one
    ``quicklistDelRange`` -- not one pop at a time -- as Redis does, which
    decides the node layout left behind.
    """
    llen = len(lst)
    rangelen = min(count, llen)
    if where == LIST_HEAD:
        out = lst.range(0, rangelen - 1)
        lst.delete_range(0, rangelen)
    else:
        out = lst.range(-rangelen, -1, reverse=True)
        lst.delete_range(-rangelen, rangelen)
    c.server.notify_keyspace("lpop" if where == LIST_HEAD else "rpop", key, db.id)
    _elements_removed(c, db, key, lst, rangelen)
    return out


def pop_generic(c, argv: list[bytes], where: int):
    """``popGenericCommand``: LPOP/RPOP key [count]."""
    if len(argv) > 3:
        raise errors.wrong_arity(argv[0].decode("utf-8", "surrogateescape").lower())
    hascount = len(argv) == 3
    count = _positive_long(argv[2]) if hascount else 0
    db = c.db
    key = argv[1]
    lst = _write(c, key)
    if lst is None:
        return NULL_ARRAY if hascount else None
    if hascount and count == 0:
        return []
    if not hascount:
        value = lst.pop(where)
        c.server.notify_keyspace("lpop" if where == LIST_HEAD else "rpop", key, db.id)
        _elements_removed(c, db, key, lst)
        return value
    return pop_range(c, db, key, lst, where, count)


@command("lpop")
def lpop(c, argv):
    return pop_generic(c, argv, LIST_HEAD)


@command("rpop")
def rpop(c, argv):
    return pop_generic(c, argv, LIST_TAIL)


def mpop_generic(c, keys: list[bytes], where: int, count: int):
    """``mpopGenericCommand``: the first non-empty list gives up to ``count`` elements."""
    db = c.db
    for key in keys:
        lst = _write(c, key)
        if lst is None:
            continue
        return [key, pop_range(c, db, key, lst, where, count)]
    return NULL_ARRAY


def parse_mpop(argv: list[bytes], numkeys_idx: int) -> tuple[list[bytes], int, int]:
    """``lmpopGenericCommand``'s parsing: numkeys, the keys, LEFT|RIGHT, [COUNT n]."""
    numkeys = _range_long(argv[numkeys_idx], 1, LONG_MAX, errors.NUMKEYS_NOT_POSITIVE)
    where_idx = numkeys_idx + numkeys + 1
    if where_idx >= len(argv):
        raise CommandError(errors.SYNTAX)
    where = _where(argv[where_idx])
    count = -1
    j = where_idx + 1
    while j < len(argv):
        if count == -1 and argv[j].lower() == b"count" and j + 1 < len(argv):
            j += 1
            count = _range_long(argv[j], 1, LONG_MAX, errors.COUNT_NOT_POSITIVE)
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    if count == -1:
        count = 1
    return argv[numkeys_idx + 1 : where_idx], where, count


@command("lmpop")
def lmpop(c, argv):
    """LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]."""
    keys, where, count = parse_mpop(argv, 1)
    return mpop_generic(c, keys, where, count)


# -- moves ---------------------------------------------------------------------------------


def lmove_handle_push(c, db, dstkey: bytes, dst: ListObject | None, value: bytes, where: int):
    """``lmoveHandlePush``: create the destination if needed, push, reply the element."""
    if dst is None:
        dst = _create(c, db, dstkey)
    c.server.signal_modified(db, dstkey)
    _push(c, db, dstkey, dst, value, where)
    c.server.notify_keyspace("lpush" if where == LIST_HEAD else "rpush", dstkey, db.id)
    return value


def lmove_generic(c, src: bytes, dstkey: bytes, wherefrom: int, whereto: int):
    """``lmoveGenericCommand``: pop from ``src``, push to ``dstkey`` (which may be ``src``)."""
    db = c.db
    lst = _write(c, src)
    if lst is None:
        return None
    if len(lst) == 0:
        return None  # only after loading very old RDB files, as Redis notes
    dst = _write(c, dstkey)
    value = lst.pop(wherefrom)
    assert value is not None
    lmove_handle_push(c, db, dstkey, dst, value, whereto)
    c.server.notify_keyspace("lpop" if wherefrom == LIST_HEAD else "rpop", src, db.id)
    if len(lst) == 0:
        db.delete(src)
        c.server.notify_keyspace("del", src, db.id)
    c.server.signal_modified(db, src)
    c.server.dirty += 1
    return value


@command("lmove")
def lmove(c, argv):
    """LMOVE source destination LEFT|RIGHT LEFT|RIGHT."""
    wherefrom = _where(argv[3])
    whereto = _where(argv[4])
    return lmove_generic(c, argv[1], argv[2], wherefrom, whereto)


@command("rpoplpush")
def rpoplpush(c, argv):
    return lmove_generic(c, argv[1], argv[2], LIST_TAIL, LIST_HEAD)


# -- blocking variants -------------------------------------------------------------------


def blocking_pop_generic(c, keys: list[bytes], where: int, timeout_arg: bytes, count: int = -1):
    """``blockingPopGenericCommand``: pop now if any key has data, else block.

    Keys are tried in order; a key of another type fails the command with
    WRONGTYPE when it is reached (an earlier non-empty list is served first).
    ``count`` -1 is BLPOP/BRPOP ([key, element]); >= 1 is BLMPOP ([key, [elements]]).
    """
    timeout = blocking.parse_timeout(c, timeout_arg)
    db = c.db
    for key in keys:
        lst = _write(c, key)
        if lst is None or len(lst) == 0:
            continue
        if count != -1:
            return [key, pop_range(c, db, key, lst, where, count)]
        value = lst.pop(where)
        c.server.notify_keyspace("lpop" if where == LIST_HEAD else "rpop", key, db.id)
        _elements_removed(c, db, key, lst)
        return [key, value]
    blocking.block_for_keys(c, keys, timeout, "list", wherefrom=where, count=count)
    return NO_REPLY


@command("blpop")
def blpop(c, argv):
    """BLPOP key [key ...] timeout."""
    return blocking_pop_generic(c, argv[1:-1], LIST_HEAD, argv[-1])


@command("brpop")
def brpop(c, argv):
    return blocking_pop_generic(c, argv[1:-1], LIST_TAIL, argv[-1])


@command("blmpop")
def blmpop(c, argv):
    """BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: options first, then timeout."""
    keys, where, count = parse_mpop(argv, 2)
    return blocking_pop_generic(c, keys, where, argv[1], count)


def blmove_generic(c, src: bytes, dst: bytes, wherefrom: int, whereto: int, timeout_arg: bytes):
    """``blmoveGenericCommand``: LMOVE if ``src`` has data, else block on ``src`` alone."""
    timeout = blocking.parse_timeout(c, timeout_arg)
    lst = _write(c, src)
    if lst is None:
        blocking.block_for_keys(
            c, [src], timeout, "list", wherefrom=wherefrom, whereto=whereto, target=dst
        )
        return NO_REPLY
    return lmove_generic(c, src, dst, wherefrom, whereto)


@command("blmove")
def blmove(c, argv):
    """BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout."""
    wherefrom = _where(argv[3])
    whereto = _where(argv[4])
    return blmove_generic(c, argv[1], argv[2], wherefrom, whereto, argv[5])


@command("brpoplpush")
def brpoplpush(c, argv):
    return blmove_generic(c, argv[1], argv[2], LIST_TAIL, LIST_HEAD, argv[3])


def serve_blocked_list_client(receiver, key: bytes, lst: ListObject, st) -> bool:
    """``serveClientBlockedOnList``: give one waiter its element(s); True if the key went away.

    A BLMOVE whose destination now holds another type gets WRONGTYPE and
    nothing is popped (the next waiter is served instead).
    """
    server = receiver.server
    db = server.dbs[st.dbid]
    if st.target is None:
        if st.count != -1:
            reply = [key, pop_range(receiver, db, key, lst, st.wherefrom, st.count)]
            receiver.add_reply(reply)
            return len(lst) == 0
        value = lst.pop(st.wherefrom)
        receiver.add_reply([key, value])
        server.notify_keyspace("lpop" if st.wherefrom == LIST_HEAD else "rpop", key, db.id)
    else:
        dst = db.lookup_write(st.target)
        if dst is not None and type(dst) is not ListObject:
            server.stats.count_error("WRONGTYPE")
            receiver.add_reply(ErrorReply(errors.WRONGTYPE))
            return False
        value = lst.pop(st.wherefrom)
        assert value is not None
        lmove_handle_push(receiver, db, st.target, dst, value, st.whereto)  # type: ignore[arg-type]
        receiver.add_reply(value)
        server.notify_keyspace("lpop" if st.wherefrom == LIST_HEAD else "rpop", key, db.id)
    return _elements_removed(receiver, db, key, lst)


blocking.SERVE["list"] = serve_blocked_list_client

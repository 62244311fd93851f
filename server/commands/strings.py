"""String commands (t_string.c), with Redis's int / embstr / raw choice.

A string value is stored as one of three Python types, mirroring Redis's
three encodings of ``OBJ_STRING``:

    int        ``SET k 123``: a string that reads as a 64-bit integer of at most
               20 characters is kept as a number (OBJ_ENCODING_INT) — 8 bytes
               instead of a string, and INCR works on it in place.
    bytes      up to 44 bytes: ``embstr`` (object header and sds in one
               allocation); longer: ``raw``.
    bytearray  ``raw`` made mutable by APPEND or SETRANGE, like an sds string
               with spare room, so repeated APPENDs are amortised O(1).

``try_encoding`` is Redis's ``tryObjectEncoding``: every command that stores
a client's argument as a value (SET, MSET, GETSET, APPEND on a new key...)
passes it through, so ``OBJECT ENCODING`` answers as Redis would.
"""

from __future__ import annotations

from .. import errors, longdouble
from ..errors import CommandError
from ..numbers import LLONG_MAX, LLONG_MIN, string2ll
from ..protocol.replies import OK, Map
from .args import get_long as parse_ll
from .registry import command

OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44
OBJ_SHARED_INTEGERS = 10000


_INT_START = frozenset(b"-0123456789")


def try_encoding(value: bytes) -> bytes | int:
    """tryObjectEncoding: integers of at most 20 chars become ints."""
    if len(value) <= 20 and value and value[0] in _INT_START:
        n = string2ll(value)
        if n is not None:
            return n
    return value


def string_encoding(value: object) -> str:
    t = type(value)
    if t is int:
        return "int"
    if t is bytearray:
        return "raw"
    return "embstr" if len(value) <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT else "raw"  # type: ignore[arg-type]


def as_bytes(value: object) -> bytes:
    t = type(value)
    if t is bytes:
        return value  # type: ignore[return-value]
    if t is int:
        return b"%d" % value
    return bytes(value)  # type: ignore[arg-type]


def is_string(value: object) -> bool:
    t = type(value)
    return t is bytes or t is int or t is bytearray


def check_string(value: object) -> None:
    if not is_string(value):
        raise CommandError(errors.WRONGTYPE)


def check_string_length(c, size: int, append: int) -> None:
    """checkStringLength: the result may not exceed proto-max-bulk-len."""
    if size + append > c.server.config.proto_max_bulk_len:
        raise CommandError(errors.STRING_TOO_LONG)


# -- option parsing shared by SET and GETEX ---------------------------------------

COMMAND_SET, COMMAND_GET = 0, 1
_EXPIRE_OPTS = {
    b"ex": ("ex", 1000),
    b"px": ("px", 1),
    b"exat": ("exat", 1000),
    b"pxat": ("pxat", 1),
}


def parse_extended_args(argv: list[bytes], start: int, kind: int):
    """parseExtendedStringArgumentsOrReply: (flags, expire_arg, unit_ms)."""
    flags: set[str] = set()
    expire = None
    unit = 1
    j = start
    n = len(argv)
    while j < n:
        opt = argv[j].lower()
        has_next = j + 1 < n
        if opt == b"nx" and "xx" not in flags and kind == COMMAND_SET:
            flags.add("nx")
        elif opt == b"xx" and "nx" not in flags and kind == COMMAND_SET:
            flags.add("xx")
        elif opt == b"get" and kind == COMMAND_SET:
            flags.add("get")
        elif (
            opt == b"keepttl"
            and not flags & {"persist", "ex", "exat", "px", "pxat"}
            and kind == COMMAND_SET
        ):
            flags.add("keepttl")
        elif (
            opt == b"persist"
            and kind == COMMAND_GET
            and not flags & {"ex", "exat", "px", "pxat", "keepttl"}
        ):
            flags.add("persist")
        elif opt in _EXPIRE_OPTS and has_next:
            name, mult = _EXPIRE_OPTS[opt]
            others = {"keepttl", "persist", "ex", "exat", "px", "pxat"} - {name}
            if flags & others:
                raise CommandError(errors.SYNTAX)
            flags.add(name)
            expire = argv[j + 1]
            unit = mult
            j += 1
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    return flags, expire, unit


def expire_ms_or_error(c, expire: bytes, flags: set[str], unit: int, cmdname: str) -> int:
    """getExpireMillisecondsOrReply: the absolute expire time in ms."""
    ms = string2ll(expire)
    if ms is None:
        raise CommandError(errors.NOT_INTEGER)
    if ms <= 0 or (unit == 1000 and ms > LLONG_MAX // 1000):
        raise errors.invalid_expire(cmdname)
    ms *= unit
    if "ex" in flags or "px" in flags:
        ms += c.server.clock.ms()
    if ms <= 0 or ms > LLONG_MAX:
        raise errors.invalid_expire(cmdname)
    return ms


def _get_string(c, key: bytes):
    """getGenericCommand's lookup: the value or None, WRONGTYPE for other types."""
    v = c.db.lookup_read(key)
    if v is None:
        return None
    check_string(v)
    return v


def set_generic(c, flags, key, value, expire, unit, cmdname, ok_reply=OK, abort_reply=None):
    """setGenericCommand, shared by SET, SETNX, SETEX and PSETEX."""
    when = None
    if expire is not None:
        when = expire_ms_or_error(c, expire, flags, unit, cmdname)
    old = None
    if "get" in flags:
        old = _get_string(c, key)
    db = c.db
    found = db.lookup_write(key) is not None
    if ("nx" in flags and found) or ("xx" in flags and not found):
        if "get" in flags:
            return as_bytes(old) if old is not None else None
        return abort_reply
    db.set_key(key, try_encoding(value), keepttl="keepttl" in flags)
    c.server.dirty += 1
    if when is not None:
        db.set_expire(key, when)
    if "get" in flags:
        return as_bytes(old) if old is not None else None
    return ok_reply


# -- commands -----------------------------------------------------------------------


@command("get")
def get(c, argv):
    v = c.db.lookup_read(argv[1])
    if v is None:
        return None
    t = type(v)
    if t is bytes:
        return v
    if t is int:
        return b"%d" % v
    if t is bytearray:
        return bytes(v)
    raise CommandError(errors.WRONGTYPE)


@command("set")
def set_(c, argv):
    """SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL]."""
    if len(argv) == 3 and not c.db.expires.used:
        # The common case, without options: nothing can have expired, so the
        # lookupKeyWrite of setGenericCommand has no effect to reproduce.
        c.db.set_key(argv[1], try_encoding(argv[2]))
        c.server.dirty += 1
        return OK
    flags, expire, unit = parse_extended_args(argv, 3, COMMAND_SET)
    return set_generic(c, flags, argv[1], argv[2], expire, unit, "set")


@command("setnx")
def setnx(c, argv):
    return set_generic(c, {"nx"}, argv[1], argv[2], None, 1, "setnx", 1, 0)


@command("setex")
def setex(c, argv):
    return set_generic(c, {"ex"}, argv[1], argv[3], argv[2], 1000, "setex")


@command("psetex")
def psetex(c, argv):
    return set_generic(c, {"px"}, argv[1], argv[3], argv[2], 1, "psetex")


@command("getex")
def getex(c, argv):
    """GETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST]."""
    flags, expire, unit = parse_extended_args(argv, 2, COMMAND_GET)
    db = c.db
    v = db.lookup_read(argv[1])
    if v is None:
        return None
    check_string(v)
    # Redis validates the expire time only once the key is known to exist.
    when = None
    if expire is not None:
        when = expire_ms_or_error(c, expire, flags, unit, "getex")
    reply = as_bytes(v)
    key = argv[1]
    if when is not None and ("exat" in flags or "pxat" in flags) and when <= c.server.clock.ms():
        db.delete(key)
        c.server.dirty += 1
    elif when is not None:
        db.set_expire(key, when)
        c.server.signal_modified(db, key)
        c.server.dirty += 1
    elif "persist" in flags:
        if db.remove_expire(key):
            c.server.signal_modified(db, key)
            c.server.dirty += 1
    return reply


@command("getdel")
def getdel(c, argv):
    v = _get_string(c, argv[1])
    if v is None:
        return None
    c.db.delete(argv[1])
    c.server.dirty += 1
    return as_bytes(v)


@command("getset")
def getset(c, argv):
    old = _get_string(c, argv[1])
    c.db.set_key(argv[1], try_encoding(argv[2]))
    c.server.dirty += 1
    return as_bytes(old) if old is not None else None


@command("mget")
def mget(c, argv):
    out = []
    db = c.db
    for key in argv[1:]:
        v = db.lookup_read(key)
        out.append(as_bytes(v) if v is not None and is_string(v) else None)
    return out


def _mset_generic(c, argv, nx: bool):
    if len(argv) % 2 == 0:
        raise errors.wrong_arity(argv[0].decode("utf-8", "surrogateescape").lower())
    db = c.db
    if nx:
        for j in range(1, len(argv), 2):
            if db.lookup_write(argv[j]) is not None:
                return 0
    for j in range(1, len(argv), 2):
        db.set_key(argv[j], try_encoding(argv[j + 1]))
    c.server.dirty += (len(argv) - 1) // 2
    return 1 if nx else OK


@command("mset")
def mset(c, argv):
    return _mset_generic(c, argv, False)


@command("msetnx")
def msetnx(c, argv):
    return _mset_generic(c, argv, True)


@command("strlen")
def strlen(c, argv):
    v = c.db.lookup_read(argv[1])
    if v is None:
        return 0
    check_string(v)
    if type(v) is int:
        return len(b"%d" % v)
    return len(v)  # type: ignore[arg-type]


@command("append")
def append(c, argv):
    db = c.db
    key = argv[1]
    e = db.lookup_entry(key, touch=True)
    if e is None:
        db.add(key, try_encoding(argv[2]))
        c.server.signal_modified(db, key)
        c.server.dirty += 1
        return len(argv[2])
    check_string(e.value)
    cur = e.value
    add = argv[2]
    cur_len = len(b"%d" % cur) if type(cur) is int else len(cur)  # type: ignore[arg-type]
    check_string_length(c, cur_len, len(add))
    if type(cur) is not bytearray:  # dbUnshareStringValue: a private raw copy
        cur = bytearray(as_bytes(cur))
        e.value = cur
    cur += add
    c.server.signal_modified(db, key)
    c.server.dirty += 1
    return len(cur)


def _incr_decr(c, key: bytes, incr: int):
    """incrDecrCommand."""
    db = c.db
    e = db.dict.find(key)
    if e is not None and db.expires.used and db.expire_if_needed(key):
        e = None
    if e is None:
        value = 0
    else:
        v = e.value
        t = type(v)
        if t is int:
            value = v
        elif t is bytes or t is bytearray:
            value = string2ll(bytes(v))
            if value is None:
                raise CommandError(errors.NOT_INTEGER)
        else:
            raise CommandError(errors.WRONGTYPE)
    if (incr < 0 and value < 0 and incr < LLONG_MIN - value) or (
        incr > 0 and value > 0 and incr > LLONG_MAX - value
    ):
        raise CommandError(errors.OVERFLOW)
    value += incr
    if e is None:
        db.add(key, value)
    else:
        e.value = value
        server = db.server
        e.lru = server.lru_touch(e.lru) if server.lfu else server.lruclock
    c.server.signal_modified(db, key)
    c.server.dirty += 1
    return value


@command("incr")
def incr(c, argv):
    return _incr_decr(c, argv[1], 1)


@command("decr")
def decr(c, argv):
    return _incr_decr(c, argv[1], -1)


@command("incrby")
def incrby(c, argv):
    return _incr_decr(c, argv[1], parse_ll(argv[2]))


@command("decrby")
def decrby(c, argv):
    n = parse_ll(argv[2])
    if n == LLONG_MIN:
        raise CommandError("ERR decrement would overflow")
    return _incr_decr(c, argv[1], -n)


@command("incrbyfloat")
def incrbyfloat(c, argv):
    """INCRBYFLOAT key increment, computed in x87 long double like Redis."""
    db = c.db
    key = argv[1]
    e = db.lookup_entry(key, touch=True)
    if e is None:
        value = longdouble.from_int(0)
    else:
        check_string(e.value)
        v = e.value
        value = longdouble.from_int(v) if type(v) is int else longdouble.parse(bytes(v))  # type: ignore[arg-type]
        if value is None:
            raise CommandError(errors.NOT_FLOAT)
    incr = longdouble.parse(argv[2])
    if incr is None:
        raise CommandError(errors.NOT_FLOAT)
    result = value + incr
    if not result.is_finite:
        raise CommandError(errors.INCR_NAN_OR_INF)
    text = result.format_human()
    if e is None:
        db.add(key, text)
    else:
        e.value = text
    c.server.signal_modified(db, key)
    c.server.dirty += 1
    return text


@command("getrange", "substr")
def getrange(c, argv):
    start = parse_ll(argv[2])
    end = parse_ll(argv[3])
    v = c.db.lookup_read(argv[1])
    if v is None:
        return b""
    check_string(v)
    s = as_bytes(v)
    n = len(s)
    if start < 0 and end < 0 and start > end:
        return b""
    if start < 0:
        start += n
    if end < 0:
        end += n
    start = max(start, 0)
    end = max(end, 0)
    if end >= n:
        end = n - 1
    if start > end or n == 0:
        return b""
    return s[start : end + 1]


@command("setrange")
def setrange(c, argv):
    offset = parse_ll(argv[2])
    if offset < 0:
        raise CommandError(errors.OFFSET_OUT_OF_RANGE)
    value = argv[3]
    db = c.db
    key = argv[1]
    e = db.lookup_entry(key, touch=True)
    if e is None:
        if not value:
            return 0
        check_string_length(c, offset, len(value))
        buf = bytearray(offset + len(value))
        buf[offset:] = value
        db.add(key, buf)
    else:
        check_string(e.value)
        cur = e.value
        cur_len = len(b"%d" % cur) if type(cur) is int else len(cur)  # type: ignore[arg-type]
        if not value:
            return cur_len
        check_string_length(c, offset, len(value))
        if type(cur) is not bytearray:
            cur = bytearray(as_bytes(cur))
            e.value = cur
        if len(cur) < offset + len(value):
            cur.extend(bytes(offset + len(value) - len(cur)))
        cur[offset : offset + len(value)] = value
        buf = cur
    c.server.signal_modified(db, key)
    c.server.dirty += 1
    return len(buf)


@command("lcs")
def lcs(c, argv):
    """LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (t_string.c lcsCommand)."""
    db = c.db
    oa = db.lookup_read(argv[1])
    ob = db.lookup_read(argv[2])
    if (oa is not None and not is_string(oa)) or (ob is not None and not is_string(ob)):
        raise CommandError("ERR The specified keys must contain string values")
    a = as_bytes(oa) if oa is not None else b""
    b = as_bytes(ob) if ob is not None else b""
    getlen = getidx = withmatchlen = False
    minmatchlen = 0
    j = 3
    while j < len(argv):
        opt = argv[j].lower()
        more = len(argv) - 1 - j
        if opt == b"idx":
            getidx = True
        elif opt == b"len":
            getlen = True
        elif opt == b"withmatchlen":
            withmatchlen = True
        elif opt == b"minmatchlen" and more:
            minmatchlen = max(0, parse_ll(argv[j + 1]))
            j += 1
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    if getidx and getlen:
        raise CommandError("ERR If you want both the length and indexes, please just use IDX.")
    alen, blen = len(a), len(b)
    if (alen + 1) * (blen + 1) * 4 > c.server.config.proto_max_bulk_len:
        raise CommandError(
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
        )
    # dp[i][j] = LCS length of a[:i] and b[:j]
    dp = [[0] * (blen + 1)]
    for i in range(1, alen + 1):
        prev = dp[i - 1]
        row = [0] * (blen + 1)
        ai = a[i - 1]
        for jj in range(1, blen + 1):
            if ai == b[jj - 1]:
                row[jj] = prev[jj - 1] + 1
            else:
                x, y = prev[jj], row[jj - 1]
                row[jj] = x if x > y else y
        dp.append(row)
    idx = dp[alen][blen]
    computelcs = getidx or not getlen
    result = bytearray(idx)
    matches = []
    arange_start, arange_end, brange_start, brange_end = alen, 0, 0, 0
    i, jj = alen, blen
    while computelcs and i > 0 and jj > 0:
        emit_range = False
        if a[i - 1] == b[jj - 1]:
            result[idx - 1] = a[i - 1]
            if arange_start == alen:
                arange_start = arange_end = i - 1
                brange_start = brange_end = jj - 1
            elif arange_start == i and brange_start == jj:
                arange_start -= 1
                brange_start -= 1
            else:
                emit_range = True
            if arange_start == 0 or brange_start == 0:
                emit_range = True
            idx -= 1
            i -= 1
            jj -= 1
        else:
            if dp[i - 1][jj] > dp[i][jj - 1]:
                i -= 1
            else:
                jj -= 1
            if arange_start != alen:
                emit_range = True
        match_len = arange_end - arange_start + 1
        if emit_range:
            if minmatchlen == 0 or match_len >= minmatchlen:
                m = [[arange_start, arange_end], [brange_start, brange_end]]
                if withmatchlen:
                    m.append(match_len)
                matches.append(m)
            arange_start = alen
    if getidx:
        return Map([("matches", matches), ("len", dp[alen][blen])])
    if getlen:
        return dp[alen][blen]
    return bytes(result)

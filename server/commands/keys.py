"""Generic keyspace commands (db.c, expire.c): DEL, EXISTS, SCAN, EXPIRE, OBJECT..."""

from __future__ import annotations

from .. import errors
from ..errors import CommandError, err
from ..glob import compile_key_matcher
from ..keyspace import type_name
from ..multi import touch_all_watched_keys_in_db
from ..numbers import LLONG_MAX, LLONG_MIN, string2ll
from ..protocol.replies import OK, Status
from .registry import command
from .strings import string_encoding

OBJ_SHARED_INTEGERS = 10000
OBJ_SHARED_REFCOUNT = 2147483647


def encoding_name(value: object) -> str:
    t = type(value)
    if t is bytes or t is int or t is bytearray:
        return string_encoding(value)
    return value.encoding  # type: ignore[attr-defined]


def copy_value(value: object) -> object:
    """dupStringObject and friends: an independent copy of a value."""
    t = type(value)
    if t is bytes or t is int:
        return value
    if t is bytearray:
        return bytearray(value)  # type: ignore[arg-type]
    return value.copy()  # type: ignore[attr-defined]


INT_RANGE_ERROR = "ERR value is out of range, value must between -2147483648 and 2147483647"


def parse_db_index(arg: bytes, message: str | None = None) -> int:
    """getIntFromObjectOrReply: a custom message replaces both of its errors."""
    v = string2ll(arg)
    if v is None:
        raise CommandError(message or errors.NOT_INTEGER)
    if not -(1 << 31) <= v < (1 << 31):
        raise CommandError(message or INT_RANGE_ERROR)
    return v


def _db(c, dbid: int):
    if dbid < 0 or dbid >= len(c.server.dbs):
        raise CommandError(errors.DB_OUT_OF_RANGE)
    return c.server.dbs[dbid]


# -- DEL, UNLINK, EXISTS, TYPE, TOUCH -----------------------------------------------


@command("del", "unlink")
def del_(c, argv):
    db = c.db
    n = 0
    for key in argv[1:]:
        db.expire_if_needed(key)
        if db.delete(key):
            c.server.notify_keyspace("del", key, db.id)
            c.server.dirty += 1
            n += 1
    return n


@command("exists")
def exists(c, argv):
    db = c.db
    return sum(1 for key in argv[1:] if db.lookup_entry(key, stats=True) is not None)


@command("type")
def type_(c, argv):
    e = c.db.lookup_entry(argv[1], stats=True)
    return Status("none" if e is None else type_name(e.value))


@command("touch")
def touch(c, argv):
    db = c.db
    return sum(1 for key in argv[1:] if db.lookup_entry(key, touch=True, stats=True) is not None)


@command("dbsize")
def dbsize(c, argv):
    return len(c.db.dict)


# -- RENAME, MOVE, COPY, SWAPDB -------------------------------------------------------


def _rename(c, argv, nx: bool):
    db = c.db
    src, dst = argv[1], argv[2]
    e = db.lookup_entry(src, touch=True)
    if e is None:
        raise CommandError(errors.NOKEY)
    if src == dst:
        return 0 if nx else OK
    expire = db.get_expire(src)
    if db.lookup_entry(dst) is not None:
        if nx:
            return 0
        db.delete(dst)
    value, lru = e.value, e.lru
    db.delete(src)
    ne = db.add(dst, value)
    ne.lru = lru
    if expire != -1:
        db.set_expire(dst, expire)
    c.server.signal_modified(db, dst)
    c.server.dirty += 1
    return 1 if nx else OK


@command("rename")
def rename(c, argv):
    return _rename(c, argv, False)


@command("renamenx")
def renamenx(c, argv):
    return _rename(c, argv, True)


@command("move")
def move(c, argv):
    src = c.db
    dbid = parse_db_index(argv[2])
    if dbid < 0 or dbid >= len(c.server.dbs):
        raise CommandError(errors.DB_OUT_OF_RANGE)
    dst = c.server.dbs[dbid]
    if dst is src:
        raise CommandError(errors.SAMEOBJECT)
    key = argv[1]
    e = src.lookup_entry(key, touch=True)
    if e is None:
        return 0
    expire = src.get_expire(key)
    if dst.lookup_entry(key) is not None:
        return 0
    ne = dst.add(key, e.value)
    ne.lru = e.lru
    if expire != -1:
        dst.set_expire(key, expire)
    src.delete(key)
    c.server.signal_modified(dst, key)
    c.server.dirty += 1
    return 1


@command("copy")
def copy(c, argv):
    """COPY source destination [DB destination-db] [REPLACE]."""
    src = dst = c.db
    replace = False
    j = 3
    while j < len(argv):
        opt = argv[j].lower()
        if opt == b"replace":
            replace = True
        elif opt == b"db" and j < len(argv) - 1:
            dst = _db(c, parse_db_index(argv[j + 1]))
            j += 1
        else:
            raise CommandError(errors.SYNTAX)
        j += 1
    key, newkey = argv[1], argv[2]
    if src is dst and key == newkey:
        raise CommandError(errors.SAMEOBJECT)
    value = src.lookup_read(key)
    if value is None:
        return 0
    expire = src.get_expire(key)
    if dst.lookup_entry(newkey) is not None:
        if not replace:
            return 0
        dst.delete(newkey)
    dst.add(newkey, copy_value(value))
    if expire != -1:
        dst.set_expire(newkey, expire)
    c.server.signal_modified(dst, newkey)
    c.server.dirty += 1
    return 1


@command("swapdb")
def swapdb(c, argv):
    id1 = parse_db_index(argv[1], "ERR invalid first DB index")
    id2 = parse_db_index(argv[2], "ERR invalid second DB index")
    dbs = c.server.dbs
    if not (0 <= id1 < len(dbs) and 0 <= id2 < len(dbs)):
        raise CommandError(errors.DB_OUT_OF_RANGE)
    if id1 != id2:
        a, b = dbs[id1], dbs[id2]
        if c.server.watched_keys:  # dbSwapDatabases: watchers see their key replaced
            touch_all_watched_keys_in_db(c.server, a, b)
            touch_all_watched_keys_in_db(c.server, b, a)
        # Clients keep their selected db *number*: the contents move.
        a.dict, b.dict = b.dict, a.dict
        a.expires, b.expires = b.expires, a.expires
        a.avg_ttl, b.avg_ttl = b.avg_ttl, a.avg_ttl
        a.expires_cursor, b.expires_cursor = b.expires_cursor, a.expires_cursor
        a.mem, b.mem = b.mem, a.mem  # the memory model's account moves with the keys
        a.avg, b.avg = b.avg, a.avg
        a.mem_dirty, b.mem_dirty = b.mem_dirty, a.mem_dirty
        c.server.mem_dbs_stale = True
        a.dict.name, b.dict.name = f"db{a.id}", f"db{b.id}"
        a.expires.name, b.expires.name = f"db{a.id}.expires", f"db{b.id}.expires"
        c.server.dirty += 1
    return OK


# -- FLUSHDB, FLUSHALL ------------------------------------------------------------------


def _flush_flags(argv) -> None:
    if len(argv) == 2:
        if argv[1].lower() not in (b"async", b"sync"):
            raise CommandError(errors.SYNTAX)
    elif len(argv) > 2:
        raise CommandError(errors.SYNTAX)


@command("flushdb")
def flushdb(c, argv):
    _flush_flags(argv)
    if c.server.watched_keys:  # signalFlushedDb: watched keys that existed are touched
        touch_all_watched_keys_in_db(c.server, c.db, None)
    c.server.dirty += c.db.flush()
    return OK


@command("flushall")
def flushall(c, argv):
    _flush_flags(argv)
    for db in c.server.dbs:
        if c.server.watched_keys:
            touch_all_watched_keys_in_db(c.server, db, None)
        c.server.dirty += db.flush()
    c.server.dirty += 1
    return OK


# -- KEYS, SCAN, RANDOMKEY ----------------------------------------------------------------


@command("keys")
def keys(c, argv):
    pattern = argv[1]
    db = c.db
    match = None if pattern == b"*" else compile_key_matcher(pattern)
    now = c.server.clock.ms()
    expires = db.expires
    out = []
    for e in db.dict.entries():
        k = e.key
        if match is not None and not match(k):
            continue
        if len(expires):
            x = expires.find(k)
            if x is not None and now > x.value:
                continue  # keysCommand skips expired keys without deleting them
        out.append(k)
    return out


def parse_scan_cursor(arg: bytes) -> int:
    """parseScanCursorOrReply: strtoul semantics (sign allowed, wraps; no spaces)."""
    s = arg
    if s[:1].isspace():
        raise err("invalid cursor")
    neg = False
    body = s
    if body[:1] in (b"+", b"-"):
        neg = body[:1] == b"-"
        body = body[1:]
    if body == b"":
        if s == b"":
            return 0
        raise err("invalid cursor")
    if not body.isdigit():
        raise err("invalid cursor")
    v = int(body)
    if v >= 1 << 64:
        raise err("invalid cursor")
    return (-v) & ((1 << 64) - 1) if neg else v


def scan_options(argv: list[bytes], start: int, allow_type: bool):
    count = 10
    pattern = None
    typename = None
    i = start
    while i < len(argv):
        more = len(argv) - i
        opt = argv[i].lower()
        if opt == b"count" and more >= 2:
            v = string2ll(argv[i + 1])
            if v is None:
                raise CommandError(errors.NOT_INTEGER)
            if v < 1:
                raise CommandError(errors.SYNTAX)
            count = v
            i += 2
        elif opt == b"match" and more >= 2:
            pattern = None if argv[i + 1] == b"*" else argv[i + 1]
            i += 2
        elif opt == b"type" and allow_type and more >= 2:
            typename = argv[i + 1].decode("utf-8", "surrogateescape")
            i += 2
        else:
            raise CommandError(errors.SYNTAX)
    return count, pattern, typename


@command("scan")
def scan(c, argv):
    """SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] (scanGenericCommand)."""
    cursor = parse_scan_cursor(argv[1])
    count, pattern, typename = scan_options(argv, 2, True)
    db = c.db
    found: list[bytes] = []
    collect = found.append
    maxiterations = count * 10
    d = db.dict
    while True:
        cursor = d.scan(cursor, lambda e: collect(e.key))
        maxiterations -= 1
        if not cursor or maxiterations <= 0 or len(found) >= count:
            break
    match = compile_key_matcher(pattern) if pattern is not None else None
    out = []
    for k in found:
        if match is not None and not match(k):
            continue
        if typename is not None:
            e = db.lookup_entry(k, stats=True)
            tname = "none" if e is None else type_name(e.value)
            if tname.lower() != typename.lower():
                continue
        if db.expire_if_needed(k):
            continue
        out.append(k)
    return [b"%d" % cursor, out]


@command("randomkey")
def randomkey(c, argv):
    return c.db.random_key()


# -- EXPIRE family, TTL, PERSIST -----------------------------------------------------------


def _expire_generic(c, argv, basetime: int, unit: int):
    key, param = argv[1], argv[2]
    nx = xx = gt = lt = False
    for opt in argv[3:]:
        o = opt.lower()
        if o == b"nx":
            nx = True
        elif o == b"xx":
            xx = True
        elif o == b"gt":
            gt = True
        elif o == b"lt":
            lt = True
        else:
            raise err("Unsupported option %s" % opt.decode("utf-8", "surrogateescape"))
    if nx and (xx or gt or lt):
        raise err("NX and XX, GT or LT options at the same time are not compatible")
    if gt and lt:
        raise err("GT and LT options at the same time are not compatible")
    when = string2ll(param)
    if when is None:
        raise CommandError(errors.NOT_INTEGER)
    cmdname = c.cmd.fullname
    if unit == 1000:
        if when > LLONG_MAX // 1000 or when < -(-LLONG_MIN // 1000):
            raise errors.invalid_expire(cmdname)
        when *= 1000
    if when > LLONG_MAX - basetime:
        raise errors.invalid_expire(cmdname)
    when += basetime
    db = c.db
    if db.lookup_entry(key, touch=True) is None:
        return 0
    if nx or xx or gt or lt:
        current = db.get_expire(key)
        if nx and current != -1:
            return 0
        if xx and current == -1:
            return 0
        if gt and (when <= current or current == -1):
            return 0
        if lt and current != -1 and when >= current:
            return 0
    server = c.server
    if when <= server.clock.ms():  # checkAlreadyExpired
        db.delete(key)
        server.notify_keyspace("del", key, db.id)
    else:
        db.set_expire(key, when)
        server.signal_modified(db, key)
        server.notify_keyspace("expire", key, db.id)
    server.dirty += 1
    return 1


@command("expire")
def expire(c, argv):
    return _expire_generic(c, argv, c.server.clock.ms(), 1000)


@command("pexpire")
def pexpire(c, argv):
    return _expire_generic(c, argv, c.server.clock.ms(), 1)


@command("expireat")
def expireat(c, argv):
    return _expire_generic(c, argv, 0, 1000)


@command("pexpireat")
def pexpireat(c, argv):
    return _expire_generic(c, argv, 0, 1)


def _ttl_generic(c, argv, output_ms: bool, output_abs: bool):
    db = c.db
    key = argv[1]
    if db.lookup_entry(key, stats=True) is None:
        return -2
    expire = db.get_expire(key)
    if expire == -1:
        return -1
    ttl = expire if output_abs else expire - c.server.clock.ms()
    if ttl < 0:
        ttl = 0
    return ttl if output_ms else (ttl + 500) // 1000


@command("ttl")
def ttl(c, argv):
    return _ttl_generic(c, argv, False, False)


@command("pttl")
def pttl(c, argv):
    return _ttl_generic(c, argv, True, False)


@command("expiretime")
def expiretime(c, argv):
    return _ttl_generic(c, argv, False, True)


@command("pexpiretime")
def pexpiretime(c, argv):
    return _ttl_generic(c, argv, True, True)


@command("persist")
def persist(c, argv):
    db = c.db
    if db.lookup_entry(argv[1], touch=True) is None:
        return 0
    if db.remove_expire(argv[1]):
        c.server.signal_modified(db, argv[1])
        c.server.notify_keyspace("persist", argv[1], db.id)
        c.server.dirty += 1
        return 1
    return 0


# -- OBJECT ------------------------------------------------------------------------------

_OBJECT_HELP = [
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    The internal representation of the key's value: int, embstr, raw, listpack,",
    "    quicklist, intset, hashtable or skiplist.",
    "FREQ <key>",
    "    The logarithmic access frequency counter (only under an LFU maxmemory-policy).",
    "IDLETIME <key>",
    "    Seconds since the key was last read or written (not under an LFU policy).",
    "REFCOUNT <key>",
    "    How many references the value has (shared integers report 2147483647).",
    "HELP",
    "    Print this help.",
]

LFU_POLICIES = ("allkeys-lfu", "volatile-lfu")


@command("object|help")
def object_help(c, argv):
    return [Status(line) for line in _OBJECT_HELP]


def _object_entry(c, key):
    return c.db.lookup_entry(key, stats=True)


@command("object|encoding")
def object_encoding(c, argv):
    e = _object_entry(c, argv[2])
    return None if e is None else encoding_name(e.value).encode()


def refcount_of(server, v) -> int:
    """The refcount Redis would show: shared 0..9999 integers report OBJ_SHARED_REFCOUNT."""
    if type(v) is int and 0 <= v < OBJ_SHARED_INTEGERS and server.shared_integers_allowed():
        return OBJ_SHARED_REFCOUNT
    return 1


@command("object|refcount")
def object_refcount(c, argv):
    e = _object_entry(c, argv[2])
    if e is None:
        return None
    return refcount_of(c.server, e.value)


@command("object|idletime")
def object_idletime(c, argv):
    e = _object_entry(c, argv[2])
    if e is None:
        return None
    if c.server.config.maxmemory_policy in LFU_POLICIES:
        raise err(
            "An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
            "switching between policies at runtime LRU and LFU data will take some time to adjust."
        )
    return c.server.estimate_idle_ms(e.lru) // 1000


@command("object|freq")
def object_freq(c, argv):
    e = _object_entry(c, argv[2])
    if e is None:
        return None
    if c.server.config.maxmemory_policy not in LFU_POLICIES:
        raise err(
            "An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
            "that when switching between policies at runtime LRU and LFU data will take some "
            "time to adjust."
        )
    return c.server.lfu_counter(e.lru)

"""Hash commands (t_hash.c): HSET, HGET, HINCRBYFLOAT, HRANDFIELD, HSCAN...

The structure and its listpack -> hashtable conversion live in
:mod:`server.types.hash`; this module reads the thresholds from the config,
publishes conversions on ``LAB EVENTS`` and shapes the replies:

- HGETALL is a map (RESP3 ``%``; a flat field, value array under RESP2);
  HKEYS, HVALS and HMGET are arrays.
- HRANDFIELD with a count is an array; WITHVALUES gives [field, value]
  pairs under RESP3 and a flat array under RESP2.
- HSCAN answers a listpack hash in one call with cursor 0 (there is no
  stable position in a listpack to resume from); a hashtable is walked with
  the dict's reverse-binary cursor, COUNT counting fields.
"""

from __future__ import annotations

from .. import errors, longdouble
from ..encodings.dict import Dict
from ..errors import CommandError
from ..glob import compile_key_matcher
from ..numbers import LLONG_MAX, LLONG_MIN, string2ll
from ..protocol.replies import OK, Map
from ..types.hash import HashObject, fair_random_entry
from .keys import parse_scan_cursor, scan_options
from .registry import command

# HRANDFIELD tuning (t_hash.c).
HRANDFIELD_SUB_STRATEGY_MUL = 3
HRANDFIELD_RANDOM_SAMPLE_LIMIT = 1000
LONG_MAX = LLONG_MAX
# Redis would try to build any reply it is asked for; we refuse past this many elements.
MAX_RANDOM_REPLY = 1 << 22


# -- lookups and conversions --------------------------------------------------------------


def _check(v: object) -> HashObject | None:
    if v is None:
        return None
    if type(v) is not HashObject:
        raise CommandError(errors.WRONGTYPE)
    return v


def _read(c, key: bytes) -> HashObject | None:
    return _check(c.db.lookup_read(key))


def _write(c, key: bytes) -> HashObject | None:
    return _check(c.db.lookup_write(key))


def _lookup_or_create(c, key: bytes) -> HashObject:
    """``hashTypeLookupWriteOrCreate``: a new empty hash is added to the db at once.

    No caller can fail after creating one (a missing field counts as 0, and
    0 plus a valid increment cannot overflow), so no empty hash is left behind.
    """
    h = _write(c, key)
    if h is None:
        h = HashObject()
        c.db.add(key, h)
    return h


def _notifier(c, key: bytes):
    server = c.server
    if not server.events_wanted:
        return None
    dbid = c.db.id

    def notify(frm: str, to: str, reason: str) -> None:
        server.emit(
            "encoding-conversion",
            key=key,
            db=dbid,
            value_type="hash",
            **{"from": frm, "to": to, "reason": reason},
        )

    return notify


def _limits(c) -> tuple[int, int]:
    cfg = c.server.config
    return cfg.hash_max_listpack_entries, cfg.hash_max_listpack_value


def _modified(c, key: bytes, dirty: int) -> None:
    c.server.signal_modified(c.db, key)
    c.server.dirty += dirty


# -- HSET, HMSET, HSETNX ----------------------------------------------------------------------


def _hset_generic(c, argv):
    if len(argv) % 2 == 1:
        raise errors.wrong_arity(argv[0].decode("utf-8", "surrogateescape").lower())
    key = argv[1]
    h = _lookup_or_create(c, key)
    max_entries, max_value = _limits(c)
    notify = _notifier(c, key)
    h.try_conversion(argv[2:], max_value, notify)
    created = 0
    for j in range(2, len(argv), 2):
        if h.set(argv[j], argv[j + 1], max_entries, max_value, notify):
            created += 1
    c.server.notify_keyspace("hset", key, c.db.id)
    _modified(c, key, (len(argv) - 2) // 2)
    return created


@command("hset")
def hset(c, argv):
    """HSET key field value [field value ...]: how many fields were new."""
    return _hset_generic(c, argv)


@command("hmset")
def hmset(c, argv):
    """HMSET key field value [field value ...]: HSET's old name, replying OK."""
    _hset_generic(c, argv)
    return OK


@command("hsetnx")
def hsetnx(c, argv):
    """HSETNX key field value: set only a new field (the length check comes after the lookup)."""
    key, field, value = argv[1], argv[2], argv[3]
    h = _lookup_or_create(c, key)
    if h.exists(field):
        return 0
    max_entries, max_value = _limits(c)
    notify = _notifier(c, key)
    h.try_conversion([field, value], max_value, notify)
    h.set(field, value, max_entries, max_value, notify)
    c.server.notify_keyspace("hset", key, c.db.id)
    _modified(c, key, 1)
    return 1


# -- HINCRBY, HINCRBYFLOAT ----------------------------------------------------------------------


@command("hincrby")
def hincrby(c, argv):
    """HINCRBY key field increment, with INCRBY's overflow check."""
    incr = string2ll(argv[3])
    if incr is None:
        raise CommandError(errors.NOT_INTEGER)
    key, field = argv[1], argv[2]
    h = _lookup_or_create(c, key)
    cur = h.get(field)
    if cur is None:
        value = 0
    else:
        value = string2ll(cur)
        if value is None:
            raise CommandError(errors.HASH_NOT_INTEGER)
    if (incr < 0 and value < 0 and incr < LLONG_MIN - value) or (
        incr > 0 and value > 0 and incr > LLONG_MAX - value
    ):
        raise CommandError(errors.OVERFLOW)
    value += incr
    max_entries, max_value = _limits(c)
    h.set(field, b"%d" % value, max_entries, max_value, _notifier(c, key))
    c.server.notify_keyspace("hincrby", key, c.db.id)
    _modified(c, key, 1)
    return value


@command("hincrbyfloat")
def hincrbyfloat(c, argv):
    """HINCRBYFLOAT key field increment, in x87 long double like INCRBYFLOAT."""
    incr = longdouble.parse(argv[3])
    if incr is None:
        raise CommandError(errors.NOT_FLOAT)
    if not incr.is_finite:
        raise CommandError(errors.VALUE_NAN_OR_INF)
    key, field = argv[1], argv[2]
    h = _lookup_or_create(c, key)
    cur = h.get(field)
    if cur is None:
        value = longdouble.from_int(0)
    else:
        iv = string2ll(cur)
        value = longdouble.from_int(iv) if iv is not None else longdouble.parse(cur)
        if value is None:
            raise CommandError(errors.HASH_NOT_FLOAT)
    result = value + incr
    if not result.is_finite:
        raise CommandError(errors.INCR_NAN_OR_INF)
    text = result.format_human()
    max_entries, max_value = _limits(c)
    h.set(field, text, max_entries, max_value, _notifier(c, key))
    c.server.notify_keyspace("hincrbyfloat", key, c.db.id)
    _modified(c, key, 1)
    return text


# -- reads ------------------------------------------------------------------------------------------


@command("hget")
def hget(c, argv):
    h = _read(c, argv[1])
    return None if h is None else h.get(argv[2])


@command("hmget")
def hmget(c, argv):
    """HMGET key field [field ...]: a missing key is an empty hash (all nils)."""
    h = _read(c, argv[1])
    if h is None:
        return [None] * (len(argv) - 2)
    return [h.get(f) for f in argv[2:]]


@command("hlen")
def hlen(c, argv):
    h = _read(c, argv[1])
    return 0 if h is None else len(h)


@command("hstrlen")
def hstrlen(c, argv):
    h = _read(c, argv[1])
    if h is None:
        return 0
    v = h.get(argv[2])
    return 0 if v is None else len(v)


@command("hexists")
def hexists(c, argv):
    h = _read(c, argv[1])
    return int(h is not None and h.exists(argv[2]))


@command("hkeys")
def hkeys(c, argv):
    h = _read(c, argv[1])
    return [] if h is None else list(h.fields())


@command("hvals")
def hvals(c, argv):
    h = _read(c, argv[1])
    return [] if h is None else list(h.values())


@command("hgetall")
def hgetall(c, argv):
    h = _read(c, argv[1])
    return Map() if h is None else Map(h.items())


# -- HDEL ----------------------------------------------------------------------------------------------


@command("hdel")
def hdel(c, argv):
    """HDEL key field [field ...]: the key goes with its last field."""
    key = argv[1]
    h = _write(c, key)
    if h is None:
        return 0
    deleted = 0
    removed = False
    for field in argv[2:]:
        if h.delete(field):
            deleted += 1
            if len(h) == 0:
                c.db.delete(key)
                removed = True
                break
    if deleted:
        c.server.notify_keyspace("hdel", key, c.db.id)
        if removed:
            c.server.notify_keyspace("del", key, c.db.id)
        _modified(c, key, deleted)
    return deleted


# -- HRANDFIELD ------------------------------------------------------------------------------------------


def parse_random_count(arg: bytes) -> int:
    """getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX), shared with SRANDMEMBER."""
    v = string2ll(arg)
    if v is None:
        raise CommandError(errors.NOT_INTEGER)
    if v < -LONG_MAX:
        raise errors.value_out_of_range(-LONG_MAX, LONG_MAX)
    return v


def check_reply_size(n: int) -> None:
    if n > MAX_RANDOM_REPLY:
        raise CommandError(errors.RANDOM_REPLY_TOO_LARGE % MAX_RANDOM_REPLY)


@command("hrandfield")
def hrandfield(c, argv):
    """HRANDFIELD key [count [WITHVALUES]] (hrandfieldCommand)."""
    if len(argv) >= 3:
        count = parse_random_count(argv[2])
        if len(argv) > 4 or (len(argv) == 4 and argv[3].lower() != b"withvalues"):
            raise CommandError(errors.SYNTAX)
        withvalues = len(argv) == 4
        if withvalues and (count < -(LONG_MAX // 2) or count > LONG_MAX // 2):
            raise CommandError(errors.VALUE_OUT_OF_RANGE)
        return _hrandfield_count(c, argv[1], count, withvalues)
    h = _read(c, argv[1])
    if h is None:
        return None
    return h.random_pair(c.server.rng)[0]


def _pairs_reply(c, pairs, withvalues: bool) -> list:
    if not withvalues:
        return [f for f, _ in pairs]
    if c.resp > 2:
        return [[f, v] for f, v in pairs]
    out = []
    for f, v in pairs:
        out.append(f)
        out.append(v)
    return out


def _hrandfield_count(c, key: bytes, count: int, withvalues: bool):
    """hrandfieldWithCountCommand: which algorithm depends on count and size."""
    h = _read(c, key)
    if h is None:
        return []
    size = len(h)
    uniq = count >= 0
    count = abs(count)
    if count == 0:
        return []
    rng = c.server.rng
    # CASE 1: a negative count (repeats allowed), or a single field: count independent picks.
    if not uniq or count == 1:
        check_reply_size(count)
        if h.encoding == "hashtable":
            pairs = [h.random_pair(rng) for _ in range(count)]
        else:
            pairs = []
            while count:
                batch = min(count, HRANDFIELD_RANDOM_SAMPLE_LIMIT)
                count -= batch
                pairs.extend(h.lp_random_pairs(batch, rng))
        return _pairs_reply(c, pairs, withvalues)
    # CASE 2: as many or more than there are: the whole hash.
    if count >= size:
        return _pairs_reply(c, list(h.items()), withvalues)
    # CASE 2.5: a listpack samples unique pairs in one walk.
    if h.encoding == "listpack":
        return _pairs_reply(c, h.lp_random_pairs_unique(count, rng), withvalues)
    # CASE 3: most of the hash is wanted: copy it and remove random fields.
    if count * HRANDFIELD_SUB_STRATEGY_MUL > size:
        d = Dict("hrandfield")
        d.expand(size)
        for f, v in h.items():
            d.add(f, v)
        while size > count:
            d.delete(fair_random_entry(d, rng).key)
            size -= 1
        return _pairs_reply(c, [(e.key, e.value) for e in d.entries()], withvalues)
    # CASE 4: few of many: pick at random until enough distinct fields were seen.
    seen: set[bytes] = set()
    pairs = []
    while len(pairs) < count:
        f, v = h.random_pair(rng)
        if f in seen:
            continue
        seen.add(f)
        pairs.append((f, v))
    return _pairs_reply(c, pairs, withvalues)


# -- HSCAN ---------------------------------------------------------------------------------------------------


@command("hscan")
def hscan(c, argv):
    """HSCAN key cursor [MATCH pattern] [COUNT count] (scanGenericCommand)."""
    cursor = parse_scan_cursor(argv[2])
    h = _read(c, argv[1])
    if h is None:
        return [b"0", []]
    count, pattern, _ = scan_options(argv, 3, False)
    found: list[bytes] = []
    if h.encoding == "hashtable":
        d = h.dict
        assert d is not None
        count *= 2  # a field and its value per entry
        maxiterations = count * 10

        def collect(e) -> None:
            found.append(e.key)
            found.append(e.value)

        while True:
            cursor = d.scan(cursor, collect)
            if not cursor or maxiterations == 0:
                break
            maxiterations -= 1
            if len(found) >= count:
                break
    else:
        for f, v in h.items():
            found.append(f)
            found.append(v)
        cursor = 0
    if pattern is not None:
        match = compile_key_matcher(pattern)
        kept = []
        for i in range(0, len(found), 2):
            if match(found[i]):
                kept.append(found[i])
                kept.append(found[i + 1])
        found = kept
    return [b"%d" % cursor, found]

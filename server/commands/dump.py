"""DUMP and RESTORE (cluster.c): a value out as bytes, and back in.

``DUMP key`` answers the value serialized exactly as it would sit in an RDB
file, followed by the RDB version and a CRC64 (see
:mod:`server.persistence.rdb`). Because the bytes are Redis's own format --
real listpacks, intsets, quicklist nodes -- a payload from this server
restores into a real Redis and the other way round, and the lab can show
the bytes of a key even when talking to a real server.

``RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]`` checks
in Redis's order, so the same mistake gets the same error:

1. options (IDLETIME and FREQ exclude each other: the second is a syntax error);
2. the key must not exist, unless REPLACE (``BUSYKEY``);
3. the TTL must be an integer >= 0;
4. the footer: RDB version not newer than ours, and the CRC64 matches;
5. the body must decode completely and validate ("Bad data format").

Only then is anything changed, so a bad payload never leaves half a key
behind. A TTL already in the past (ABSTTL) deletes the old key under
REPLACE and creates nothing, as Redis does.
"""

from __future__ import annotations

from .. import errors
from ..errors import CommandError, err
from ..keyspace import type_name
from ..persistence import rdb
from ..protocol.replies import OK
from .args import get_long as _ll
from .registry import command

# Error texts of restoreCommand (cluster.c), kept beside the only command that sends them.
INVALID_TTL = "Invalid TTL value, must be >= 0"
INVALID_IDLETIME = "Invalid IDLETIME value, must be >= 0"
INVALID_FREQ = "Invalid FREQ value, must be >= 0 and <= 255"
BAD_PAYLOAD = "DUMP payload version or checksum are wrong"
BAD_DATA = "Bad data format"

LFU_POLICIES = ("allkeys-lfu", "volatile-lfu")


@command("dump")
def dump(c, argv):
    """DUMP key: the serialized value, or nil."""
    value = c.db.lookup_read(argv[1])
    if value is None:
        return None
    return rdb.dump_payload(value, compression=c.server.config.rdbcompression)


@command("restore")
def restore(c, argv):
    """RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]."""
    server = c.server
    replace = absttl = False
    lru_idle = -1
    lfu_freq = -1
    j = 4
    while j < len(argv):
        opt = argv[j].lower()
        additional = len(argv) - j - 1
        if opt == b"replace":
            replace = True
        elif opt == b"absttl":
            absttl = True
        elif opt == b"idletime" and additional >= 1 and lfu_freq == -1:
            lru_idle = _ll(argv[j + 1])
            if lru_idle < 0:
                raise err(INVALID_IDLETIME)
            j += 1
        elif opt == b"freq" and additional >= 1 and lru_idle == -1:
            lfu_freq = _ll(argv[j + 1])
            if not 0 <= lfu_freq <= 255:
                raise err(INVALID_FREQ)
            j += 1
        else:
            raise CommandError(errors.SYNTAX)
        j += 1

    db = c.db
    key = argv[1]
    if not replace and db.lookup_write(key) is not None:
        raise CommandError(errors.BUSYKEY)
    ttl = _ll(argv[2])
    if ttl < 0:
        raise err(INVALID_TTL)
    payload = bytes(argv[3])
    if not rdb.verify_payload(payload):
        raise err(BAD_PAYLOAD)
    notes: list = []
    try:
        value = rdb.load_payload(payload, server.config, notes)
    except rdb.RdbError as e:
        if server.events_wanted:
            server.emit("restore-rejected", key=key, db=db.id, reason=str(e))
        raise err(BAD_DATA) from None

    deleted = db.delete(key) if replace else False
    if ttl and not absttl:
        ttl += server.clock.ms()
    if ttl and ttl <= server.clock.ms():  # checkAlreadyExpired
        if deleted:
            server.notify_keyspace("del", key, db.id)
            server.dirty += 1
        return OK

    entry = db.add(key, value)
    if ttl:
        db.set_expire(key, ttl)
    _set_lru_or_lfu(server, entry, lfu_freq, lru_idle)
    server.signal_modified(db, key)
    server.signal_key_as_ready(db, key)
    server.notify_keyspace("restore", key, db.id)
    server.dirty += 1
    if server.events_wanted:
        for before, after, why in notes:
            server.emit(
                "encoding-conversion",
                key=key,
                db=db.id,
                value_type=type_name(value),
                **{"from": before, "to": after},
                reason=f"RESTORE: {why}",
            )
    return OK


def _set_lru_or_lfu(server, entry, lfu_freq: int, lru_idle: int) -> None:
    """``objectSetLRUOrLFU``: FREQ under an LFU policy, IDLETIME otherwise."""
    from ..server import LRU_CLOCK_MAX

    if server.config.maxmemory_policy in LFU_POLICIES:
        if lfu_freq >= 0:
            minutes = (server.clock.ms() // 60000) & 0xFFFF  # LFUGetTimeInMinutes
            entry.lru = (minutes << 8) | lfu_freq
    elif lru_idle >= 0:
        lru_abs = server.lruclock - lru_idle  # seconds == LRU clock units (1000 ms)
        if lru_abs < 0:
            lru_abs += LRU_CLOCK_MAX
        entry.lru = lru_abs & LRU_CLOCK_MAX

"""LAB: the lab's introspection family (our own; Redis has no such command).

Members: ``LAB CLOCK`` (the server's controllable clock, :mod:`server.clock`),
``LAB INSPECT`` (a key's encoding and layout), ``LAB KEYSPACE`` (a database's
dict geometry and expiry statistics), ``LAB EVENTS`` (a poll API over the
server's internal events) and ``LAB MEMORY`` (the memory model and the
eviction pool); the reply builders live in :mod:`server.introspect`. Replies
are maps (flattened under RESP2), documented in ``docs/lab-command.md``.

Who may run it is set by ``enable-lab-command`` (``no`` | ``yes`` | ``local``,
default ``local``: loopback and unix-socket clients only), like
``enable-debug-command`` in Redis 7.0.
"""

from __future__ import annotations

from .. import errors, introspect
from ..errors import CommandError, err
from ..numbers import string2ll
from ..protocol.replies import Map, Status
from .args import get_long as _int_arg
from .metadata import CommandSpec
from .registry import command, extension


def _spec(
    name: str, arity: int, flags: tuple[str, ...], summary: str, syntax_args=()
) -> CommandSpec:
    container = "lab" if name != "lab" else None
    fullname = f"lab|{name}" if container else "lab"
    return CommandSpec(
        name=name,
        fullname=fullname,
        container=container,
        arity=arity,
        flags=frozenset(flags),
        first_key=0,
        last_key=0,
        step=0,
        acl_categories=("slow",),
        tips=(),
        key_specs=(),
        group="server",
        since="7.0.15",
        complexity="O(1)",
        doc_flags=(),
        deprecated_since=None,
        replaced_by=None,
        history=(),
        arguments=tuple(syntax_args),
        summary=summary,
        subcommands={},
        flag_order=flags,
    )


_LAB = _spec(
    "lab", -2, (), "Introspection commands of redis-lab: the clock, and (soon) the internals."
)
_LAB.subcommands = {
    "clock": _spec(
        "clock",
        -2,
        ("loading", "stale", "fast"),
        "Read, freeze, resume or advance the server's clock, so expiry can be taught without waiting.",
        [
            {
                "name": "action",
                "type": "oneof",
                "flags": ["optional"],
                "arguments": [
                    {"name": "get", "type": "pure-token", "token": "GET"},
                    {"name": "freeze", "type": "pure-token", "token": "FREEZE"},
                    {"name": "resume", "type": "pure-token", "token": "RESUME"},
                    {
                        "name": "advance",
                        "type": "block",
                        "arguments": [
                            {"name": "advance", "type": "pure-token", "token": "ADVANCE"},
                            {"name": "milliseconds", "type": "integer"},
                        ],
                    },
                ],
            }
        ],
    ),
    "inspect": _spec(
        "inspect",
        -3,
        ("loading", "stale"),
        "Show a key's type, encoding, TTL, LRU/LFU, modelled memory and the bytes and nodes of its encoding.",
        [
            {"name": "key", "type": "key", "key_spec_index": 0},
            {
                "name": "window",
                "type": "block",
                "token": "WINDOW",
                "flags": ["optional"],
                "arguments": [
                    {"name": "start", "type": "integer"},
                    {"name": "count", "type": "integer"},
                ],
            },
            {"name": "member", "type": "string", "token": "PATH", "flags": ["optional"]},
        ],
    ),
    "keyspace": _spec(
        "keyspace",
        -2,
        ("loading", "stale"),
        "Show a database's hashtable geometry, rehash progress, expires and active-expiry statistics.",
        [{"name": "db", "type": "integer", "flags": ["optional"]}],
    ),
    "events": _spec(
        "events",
        -2,
        ("loading", "stale"),
        "Poll the server's internal events (conversions, rehashing, expiry...) newer than an id.",
        [
            {"name": "id", "type": "integer", "token": "SINCE", "flags": ["optional"]},
            {"name": "count", "type": "integer", "token": "COUNT", "flags": ["optional"]},
        ],
    ),
    "memory": _spec(
        "memory",
        -2,
        ("loading", "stale"),
        "Show the memory model's totals, maxmemory and policy, the LRU clock and the eviction pool.",
        [{"name": "recount", "type": "pure-token", "token": "RECOUNT", "flags": ["optional"]}],
    ),
    "help": _spec("help", 2, ("loading", "stale"), "Show the LAB subcommands."),
}
extension(_LAB)


def _clock_reply(server):
    clock = server.clock
    return Map(
        [
            ("now_ms", clock.ms()),
            ("frozen", int(clock.frozen)),
            ("offset_ms", clock.offset_ms),
            ("lru_clock", server.lruclock),
        ]
    )


@command("lab|clock")
def lab_clock(c, argv):
    """LAB CLOCK [GET | FREEZE | RESUME | ADVANCE ms]."""
    server = c.server
    clock = server.clock
    action = argv[2].lower() if len(argv) > 2 else b"get"
    if action == b"get" and len(argv) <= 3:
        pass
    elif action == b"freeze" and len(argv) == 3:
        clock.freeze()
    elif action == b"resume" and len(argv) == 3:
        clock.resume()
    elif action == b"advance" and len(argv) == 4:
        ms = string2ll(argv[3])
        if ms is None:
            raise CommandError(errors.NOT_INTEGER)
        if ms < 0:
            raise err("the clock only moves forward: ADVANCE needs milliseconds >= 0")
        clock.advance(ms)
    else:
        raise CommandError(errors.SYNTAX)
    server._update_lru_clock()
    if action != b"get":
        server.emit("clock", action=action.decode(), now_ms=clock.ms())
    return _clock_reply(server)


@command("lab|inspect")
def lab_inspect(c, argv):
    """LAB INSPECT key [WINDOW start count] [PATH member]."""
    start, count, path = 0, introspect.DEFAULT_WINDOW, None
    j = 3
    while j < len(argv):
        opt = argv[j].lower()
        if opt == b"window" and j + 2 < len(argv):
            start, count = _int_arg(argv[j + 1]), _int_arg(argv[j + 2])
            if start < 0 or count < 0:
                raise err("WINDOW start and count must be >= 0")
            j += 3
        elif opt == b"path" and j + 1 < len(argv):
            path = bytes(argv[j + 1])
            j += 2
        else:
            raise CommandError(errors.SYNTAX)
    out = introspect.inspect_key(c.server, c.db, argv[2], start, count, path)
    return None if out is None else introspect.to_reply(out)


@command("lab|keyspace")
def lab_keyspace(c, argv):
    """LAB KEYSPACE [db]: the current database unless one is named."""
    if len(argv) > 3:
        raise CommandError(errors.SYNTAX)
    db = c.db
    if len(argv) == 3:
        dbid = _int_arg(argv[2])
        if not 0 <= dbid < len(c.server.dbs):
            raise CommandError(errors.DB_OUT_OF_RANGE)
        db = c.server.dbs[dbid]
    return introspect.to_reply(introspect.keyspace(c.server, db))


@command("lab|events")
def lab_events(c, argv):
    """LAB EVENTS [SINCE id] [COUNT n]: events newer than id (a poll API)."""
    since, count = 0, 100
    j = 2
    while j < len(argv):
        opt = argv[j].lower()
        if opt == b"since" and j + 1 < len(argv):
            since = _int_arg(argv[j + 1])
        elif opt == b"count" and j + 1 < len(argv):
            count = _int_arg(argv[j + 1])
            if count <= 0:
                raise err("COUNT must be > 0")
        else:
            raise CommandError(errors.SYNTAX)
        j += 2
    return introspect.to_reply(introspect.events_since(c.server, since, count))


@command("lab|memory")
def lab_memory(c, argv):
    """LAB MEMORY [RECOUNT]: RECOUNT also measures every key from scratch (O(keys))."""
    recount = False
    if len(argv) == 3 and argv[2].lower() == b"recount":
        recount = True
    elif len(argv) > 2:
        raise CommandError(errors.SYNTAX)
    return introspect.to_reply(introspect.memory_report(c.server, recount))


_HELP = [
    "LAB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CLOCK [GET]",
    "    The server clock: now_ms, frozen (0/1), offset_ms from the wall clock, lru_clock.",
    "CLOCK FREEZE",
    "    Stop time: TTLs stop counting down, nothing expires by itself.",
    "CLOCK RESUME",
    "    Let time run again from where it stands.",
    "CLOCK ADVANCE <milliseconds>",
    "    Jump forward: keys whose time has come expire (lazily, or in the next active cycle).",
    "INSPECT <key> [WINDOW <start> <count>] [PATH <member>]",
    "    Type, encoding, TTL, LRU/LFU, modelled memory, and the layout of the encoding:",
    "    listpack entries and bytes, intset values, quicklist nodes, hashtable buckets,",
    "    skiplist towers. WINDOW pages through big structures (default: the first 32);",
    "    PATH shows where a member lives (skiplist search path, bucket, index).",
    "KEYSPACE [<db>]",
    "    A database's dict and expires geometry (sizes, used, rehashidx), keys, expires,",
    "    avg_ttl and the active expire cycle's statistics.",
    "EVENTS [SINCE <id>] [COUNT <n>]",
    "    Internal events (encoding conversions, rehashing, expiry, restores...) with an id",
    "    greater than SINCE, oldest first; poll again with SINCE set to the reply's last_id.",
    "MEMORY [RECOUNT]",
    "    The memory model: used_memory and its parts, maxmemory, policy, samples, the LRU",
    "    clock, the eviction pool (best candidate first), the keys sampled last and the",
    "    eviction counters. RECOUNT adds recount_keys, every key measured again (O(keys)).",
    "HELP",
    "    Print this help.",
]


@command("lab|help")
def lab_help(c, argv):
    return [Status(line) for line in _HELP]

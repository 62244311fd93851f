"""LAB: the lab's introspection family (our own; Redis has no such command).

``LAB CLOCK`` is its first member: the server's controllable clock
(see :mod:`server.clock`). Later issues add ``LAB INSPECT``, ``LAB KEYSPACE``,
``LAB MEMORY`` and ``LAB EVENTS``. Replies are maps (flattened under RESP2),
documented in ``docs/lab-command.md``.

Who may run it is set by ``enable-lab-command`` (``no`` | ``yes`` | ``local``,
default ``local``: loopback and unix-socket clients only), like
``enable-debug-command`` in Redis 7.0.
"""

from __future__ import annotations

from .. import errors
from ..errors import CommandError, err
from ..numbers import string2ll
from ..protocol.replies import Map, Status
from .metadata import CommandSpec
from .registry import command, extension

LAB_NOT_ALLOWED = (
    "ERR LAB command not allowed. If the enable-lab-command option is set to \"local\", "
    "you can run it from a local connection, otherwise you need to set this option in the "
    "configuration file, and then restart the server."
)


def _spec(name: str, arity: int, flags: tuple[str, ...], summary: str, syntax_args=()) -> CommandSpec:
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


_LAB = _spec("lab", -2, (), "Introspection commands of redis-lab: the clock, and (soon) the internals.")
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
    "help": _spec("help", 2, ("loading", "stale"), "Show the LAB subcommands."),
}
extension(_LAB)


def _check_allowed(c) -> None:
    if not c.server.config.allows("enable-lab-command", c.local or c.unix):
        raise CommandError(LAB_NOT_ALLOWED)


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
    _check_allowed(c)
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
    "HELP",
    "    Print this help.",
]


@command("lab|help")
def lab_help(c, argv):
    _check_allowed(c)
    return [Status(line) for line in _HELP]

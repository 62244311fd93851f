"""Server commands: COMMAND, CONFIG, INFO, TIME, LASTSAVE, DEBUG, SHUTDOWN, MONITOR."""

from __future__ import annotations

import asyncio
import time

from .. import errors
from ..config import ConfigError
from ..errors import CommandError, err
from ..glob import compile_glob
from ..numbers import string2ll
from ..protocol.replies import OK, Map, Set, Status
from ..server import NO_REPLY
from .getkeys import InvalidSpec, keys_from_specs, set_key_flags
from .registry import Command, command

# -- COMMAND -------------------------------------------------------------------------------

_SET_FIELDS = {"flags", "doc_flags"}


def _typed(obj, key: str | None = None):
    """Turn stored metadata into reply values with Redis's RESP3 types."""
    if isinstance(obj, dict):
        return Map([(k, _typed(v, k)) for k, v in obj.items()])
    if isinstance(obj, list | tuple):
        if key in _SET_FIELDS:
            return Set([Status(x) if isinstance(x, str) else _typed(x) for x in obj])
        return [_typed(x) for x in obj]
    return obj


def command_info_reply(cmd: Command):
    spec = cmd.spec
    subs = [command_info_reply(s) for s in cmd.subcommands.values()]
    return [
        spec.fullname,
        spec.arity,
        Set([Status(f) for f in spec.flag_order]),
        spec.first_key,
        spec.last_key,
        spec.step,
        Set([Status("@" + c) for c in spec.acl_categories]),
        Set(list(spec.tips)),
        Set([_typed(ks) for ks in spec.key_specs]),
        subs if subs else Set(),
    ]


def command_docs_reply(cmd: Command):
    spec = cmd.spec
    docs = [("summary", spec.summary), ("since", spec.since), ("group", spec.group)]
    if spec.complexity:
        docs.append(("complexity", spec.complexity))
    if spec.doc_flags:
        docs.append(("doc_flags", Set([Status(f) for f in spec.doc_flags])))
    if spec.deprecated_since:
        docs.append(("deprecated_since", spec.deprecated_since))
    if spec.replaced_by:
        docs.append(("replaced_by", spec.replaced_by))
    if spec.history:
        docs.append(("history", Set([[v, note] for v, note in spec.history])))
    if spec.arguments:
        docs.append(("arguments", [_typed(a) for a in spec.arguments]))
    if cmd.subcommands:
        docs.append(
            (
                "subcommands",
                Map([(s.fullname, command_docs_reply(s)) for s in cmd.subcommands.values()]),
            )
        )
    return Map(docs)


def _lookup_fullname(server, name: bytes) -> Command | None:
    """lookupCommandBySds: 'get' or 'config|get'."""
    parts = name.lower().split(b"|")
    cmd = server.commands.get(parts[0])
    if cmd is None or len(parts) == 1:
        return cmd if len(parts) == 1 else None
    if len(parts) > 2:
        return None
    return cmd.subcommands.get(parts[1])


@command("command")
def command_(c, argv):
    return [command_info_reply(cmd) for cmd in c.server.commands.values()]


@command("command|count")
def command_count(c, argv):
    return len(c.server.commands)


@command("command|info")
def command_info(c, argv):
    server = c.server
    if len(argv) == 2:
        return [command_info_reply(cmd) for cmd in server.commands.values()]
    out = []
    for name in argv[2:]:
        cmd = _lookup_fullname(server, name)
        out.append(command_info_reply(cmd) if cmd is not None else None)
    return out


@command("command|docs")
def command_docs(c, argv):
    server = c.server
    pairs = []
    if len(argv) == 2:
        for cmd in server.commands.values():
            pairs.append((cmd.fullname, command_docs_reply(cmd)))
    else:
        for name in argv[2:]:
            cmd = _lookup_fullname(server, name)
            if cmd is not None:
                pairs.append((cmd.fullname, command_docs_reply(cmd)))
    return Map(pairs)


@command("command|list")
def command_list(c, argv):
    server = c.server
    # commandListWithoutFilter: every command, containers (CLIENT, CONFIG...) included,
    # each followed by its subcommands.
    everything = [x for cmd in server.commands.values() for x in cmd.all_commands()]
    if len(argv) == 2:
        return [x.fullname for x in everything]
    if len(argv) != 5 or argv[2].lower() != b"filterby":
        raise CommandError(errors.SYNTAX)
    kind = argv[3].lower()
    value = argv[4]
    text = value.decode("utf-8", "surrogateescape")
    if kind == b"module":
        return []
    if kind == b"aclcat":
        return [x.fullname for x in everything if text.lower() in x.spec.acl_categories]
    if kind == b"pattern":
        match = compile_glob(value, nocase=True)
        return [x.fullname for x in everything if match(x.fullname.encode())]
    raise CommandError(errors.SYNTAX)


def _getkeys(c, argv, with_flags: bool):
    cmd = c.server.commands.get(argv[2].lower())
    target = argv[2:]
    if cmd is not None and cmd.subcommands and len(target) >= 2:
        cmd = cmd.subcommands.get(target[1].lower()) or (cmd if cmd.proc else None)
    if cmd is None:
        raise err("Invalid command specified")
    spec = cmd.spec
    if not spec.key_specs:
        raise err("The command has no key arguments")
    if not cmd.arity_ok(len(target)):
        raise err("Invalid number of arguments specified for command")
    try:
        found = keys_from_specs(spec, target)
    except InvalidSpec:
        if "no_mandatory_keys" in spec.flags:
            return []
        raise err("Invalid arguments specified for command") from None
    if not found and "no_mandatory_keys" not in spec.flags:
        raise err("Invalid arguments specified for command")
    if spec.fullname == "set":
        found = [(pos, set_key_flags(target)) for pos, _ in found]
    if with_flags:
        return [[target[pos], Set([Status(f) for f in flags])] for pos, flags in found]
    return [target[pos] for pos, _ in found]


@command("command|getkeys")
def command_getkeys(c, argv):
    return _getkeys(c, argv, False)


@command("command|getkeysandflags")
def command_getkeysandflags(c, argv):
    return _getkeys(c, argv, True)


_COMMAND_HELP = [
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Every command, as COMMAND INFO describes it.",
    "COUNT",
    "    How many commands the server has.",
    "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
    "    Command names, optionally filtered.",
    "INFO [<command-name> ...]",
    "    Arity, flags, key specs and subcommands of the named commands, or all.",
    "DOCS [<command-name> ...]",
    "    Documentation (summary, syntax tree, history) of the named commands, or all.",
    "GETKEYS <full-command>",
    "    The keys a full command line would touch.",
    "GETKEYSANDFLAGS <full-command>",
    "    The same, with each key's access flags.",
    "HELP",
    "    Print this help.",
]


@command("command|help")
def command_help(c, argv):
    return [Status(line) for line in _COMMAND_HELP]


# -- CONFIG ------------------------------------------------------------------------------


@command("config|get")
def config_get(c, argv):
    patterns = [a.decode("utf-8", "surrogateescape") for a in argv[2:]]
    return Map([(k, v) for k, v in c.server.config.get(patterns)])


@command("config|set")
def config_set(c, argv):
    if len(argv) % 2 != 0:
        raise errors.wrong_arity("config|set")
    pairs = [
        (argv[i].decode("utf-8", "surrogateescape"), argv[i + 1].decode("utf-8", "surrogateescape"))
        for i in range(2, len(argv), 2)
    ]
    try:
        c.server.config.set(pairs, local=c.local or c.unix)
    except ConfigError as e:
        raise CommandError(str(e)) from None
    return OK


@command("config|resetstat")
def config_resetstat(c, argv):
    c.server.reset_stats()
    return OK


@command("config|rewrite")
def config_rewrite(c, argv):
    try:
        c.server.config.rewrite()
    except ConfigError as e:
        raise CommandError(str(e)) from None
    except OSError as e:
        raise err(f"Rewriting config file: {e.strerror}") from None
    return OK


_CONFIG_HELP = [
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern> [<pattern> ...]",
    "    Parameters whose names match the glob patterns, with their values.",
    "SET <directive> <value> [<directive> <value> ...]",
    "    Change parameters at run time; all of them or none.",
    "RESETSTAT",
    "    Zero the statistics INFO reports.",
    "REWRITE",
    "    Write the running configuration back to the config file.",
    "HELP",
    "    Print this help.",
]


@command("config|help")
def config_help(c, argv):
    return [Status(line) for line in _CONFIG_HELP]


# -- INFO, TIME, LASTSAVE ----------------------------------------------------------------


@command("info")
def info(c, argv):
    from ..info import info_text
    from ..protocol.replies import Verbatim

    sections = [a.decode("utf-8", "surrogateescape").lower() for a in argv[1:]]
    # addReplyVerbatim: a verbatim "txt" string under RESP3, a bulk string under RESP2
    return Verbatim(info_text(c.server, sections).encode())


@command("time")
def time_(c, argv):
    us = c.server.clock.us()
    return [b"%d" % (us // 1_000_000), b"%d" % (us % 1_000_000)]


@command("lastsave")
def lastsave(c, argv):
    return c.server.lastsave


# -- MONITOR, SHUTDOWN --------------------------------------------------------------------


@command("monitor")
def monitor(c, argv):
    if c.monitor:
        return NO_REPLY
    c.monitor = True
    c.server.monitors.append(c)
    return OK


@command("shutdown")
def shutdown(c, argv):
    """SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]."""
    opts = {a.lower() for a in argv[1:]}
    if not opts <= {b"nosave", b"save", b"now", b"force", b"abort"} or (
        b"nosave" in opts and b"save" in opts
    ):
        raise CommandError(errors.SYNTAX)
    if b"abort" in opts:
        if len(opts) > 1:
            raise CommandError(errors.SYNTAX)
        raise err("No shutdown in progress.")
    server = c.server
    server.log_warning("User requested shutdown...")
    server.log_warning("Redis is now ready to exit, bye bye...")
    server.shutdown_asap = True
    if server.listener is not None:
        server.listener.stop()
    return NO_REPLY


# -- DEBUG --------------------------------------------------------------------------------

_DEBUG_HELP = [
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ERROR <string>",
    "    Reply with an error built from <string>.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "OBJECT <key>",
    "    Low-level facts about the key's value (encoding, serialized length, LRU).",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Turn the active expire cycle off or on (lazy expiry always runs).",
    "SLEEP <seconds>",
    "    Block the whole server for <seconds> (fractions allowed).",
    "PROTOCOL <type>",
    "    Reply with a value of a RESP type: string, integer, double, bignum, null,",
    "    array, set, map, attrib, push, verbatim, true, false.",
    "HELP",
    "    Print this help.",
]


@command("debug")
def debug(c, argv):
    # Not allowed by enable-debug-command: refused before it gets here (Server.execute).
    server = c.server
    sub = argv[1].lower()
    if sub == b"help" and len(argv) == 2:
        return [Status(line) for line in _DEBUG_HELP]
    if sub == b"sleep" and len(argv) == 3:
        from ..numbers import string2d

        secs = string2d(argv[2]) or 0.0
        time.sleep(max(0.0, secs))
        return OK
    if sub == b"set-active-expire" and len(argv) == 3:
        v = string2ll(argv[2])
        server.active_expire_enabled = bool(v)
        return OK
    if sub == b"log" and len(argv) == 3:
        server.log_warning("DEBUG LOG: " + argv[2].decode("utf-8", "surrogateescape"))
        return OK
    if sub == b"error" and len(argv) == 3:
        from ..protocol.replies import ErrorReply

        return ErrorReply(argv[2].decode("utf-8", "surrogateescape"))
    if sub == b"object" and len(argv) == 3:
        from .keys import encoding_name, refcount_of

        e = c.db.lookup_entry(argv[2])
        if e is None:
            raise CommandError(errors.NOKEY)
        enc = encoding_name(e.value)
        from ..persistence.rdb import serialize

        # rdbSavedObjectLen: the object's RDB body, without the type byte.
        serlen = len(serialize(e.value, bool(server.config.rdbcompression))) - 1
        idle = server.estimate_idle_ms(e.lru) // 1000
        return Status(
            "Value at:0x%x refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d"
            % (id(e.value), refcount_of(server, e.value), enc, serlen, e.lru, idle)
        )
    if sub == b"protocol" and len(argv) == 3:
        return _debug_protocol(argv[2].lower(), c.resp)
    raise errors.subcommand_syntax("debug", argv[1])


def _debug_protocol(kind: bytes, resp: int):
    from ..protocol.replies import BigNumber, ErrorReply, Push, Raw, Verbatim, encode

    if kind == b"attrib":
        # An attribute (RESP3 only) is not a reply: the real reply follows it.
        follow = b"Some real reply following the attribute"
        if resp < 3:
            return follow
        attr = b"|1\r\n" + encode(b"key-popularity", 3) + encode([b"key:123", 90], 3)
        return Raw(attr + encode(follow, 3))
    if kind == b"push":
        if resp < 3:
            return ErrorReply("ERR RESP2 is not supported by this command")
        # A push is out of band: a normal reply follows for clients that skip it.
        push = encode(Push([b"server-cpu-usage", 42]), 3)
        return Raw(push + encode(b"Some real reply following the push reply", 3))

    table = {
        b"string": lambda: b"Hello World",
        b"integer": lambda: 12345,
        b"double": lambda: 3.141,
        b"bignum": lambda: BigNumber(1234567999999999999999999999999999999),
        b"null": lambda: None,
        b"array": lambda: [0, 1, 2],
        b"set": lambda: Set([0, 1, 2]),
        b"map": lambda: Map([(0, False), (1, True), (2, False)]),
        b"attrib": lambda: b"Some real reply following the attribute",
        b"push": lambda: Push([b"server-cpu-usage", 42]),
        b"verbatim": lambda: Verbatim(b"This is a verbatim\nstring"),
        b"true": lambda: True,
        b"false": lambda: False,
    }
    fn = table.get(kind)
    if fn is None:
        raise err(
            "Wrong protocol type name. Please use one of the following: string|integer|double|"
            "bignum|null|array|set|map|attrib|push|verbatim|true|false"
        )
    return fn()


__all__ = ["asyncio"]

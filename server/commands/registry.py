"""The runtime command table: metadata from ``commands.json`` plus our handlers.

Metadata (arity, flags, key specs, docs) lives in one data file, generated
from what Redis 7.0 declares plus our own summaries (:mod:`.metadata`). Each
command family module registers its handlers here with :func:`command`;
:func:`build_table` joins the two. A command is in the table — and so in
``COMMAND``, ``COMMAND COUNT`` and dispatch — only when we implement it, so a
client never sees a command we would answer with an error.

Handlers are ``fn(client, argv) -> reply`` (see :mod:`server.protocol.replies`).
Arity and flags are checked in one place, the dispatcher, before a handler runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .metadata import CommandSpec, load_table

Handler = Callable[..., Any]
_HANDLERS: dict[str, Handler] = {}
_EXTENSIONS: dict[str, CommandSpec] = {}  # our own commands (LAB), not in Redis's table


def extension(spec: CommandSpec) -> None:
    """Add metadata for a command Redis does not have (the LAB family)."""
    _EXTENSIONS[spec.fullname] = spec


def command(*fullnames: str) -> Callable[[Handler], Handler]:
    """Register a handler for one or more commands ("get", "config|get")."""

    def deco(fn: Handler) -> Handler:
        for name in fullnames:
            if name in _HANDLERS:
                raise RuntimeError(f"two handlers for {name}")
            _HANDLERS[name] = fn
        return fn

    return deco


# Protected commands and the option that allows them (our LAB as Redis's DEBUG).
PROTECTED_BY = {
    "debug": "enable-debug-command",
    "module": "enable-module-command",
    "lab": "enable-lab-command",
}


class Command:
    """A command as the dispatcher sees it, with its run-time statistics."""

    __slots__ = (
        "spec",
        "name",
        "fullname",
        "proc",
        "arity",
        "subcommands",
        "is_write",
        "denyoom",
        "no_auth",
        "skip_monitor",
        "skip_slowlog",
        "admin",
        "protected",
        "pubsub_ok",
        "may_pause",
        "touches_keyspace",
        "calls",
        "usec",
        "rejected_calls",
        "failed_calls",
        "histogram",
    )

    def __init__(self, spec: CommandSpec, proc: Handler | None) -> None:
        self.spec = spec
        self.name = spec.name
        self.fullname = spec.fullname
        self.proc = proc
        self.arity = spec.arity
        self.subcommands: dict[bytes, Command] = {}
        flags = spec.flags
        self.is_write = "write" in flags
        self.denyoom = "denyoom" in flags
        self.no_auth = "no_auth" in flags
        self.skip_monitor = "skip_monitor" in flags
        self.skip_slowlog = "skip_slowlog" in flags
        self.admin = "admin" in flags
        # CMD_PROTECTED: processCommand rejects it unless its option allows the client.
        self.protected = PROTECTED_BY.get(spec.fullname.split("|", 1)[0])
        self.pubsub_ok = spec.fullname in (
            "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
            "psubscribe", "punsubscribe", "quit", "reset",
        )  # fmt: skip
        # CLIENT PAUSE WRITE holds write commands and those that may write
        # (EVAL, PUBLISH on replicas...), as Redis 7.0 does.
        self.may_pause = self.is_write or "may_replicate" in flags
        self.touches_keyspace = self.may_pause or "readonly" in flags
        self.calls = 0
        self.usec = 0
        self.rejected_calls = 0
        self.failed_calls = 0
        self.histogram = None  # LatencyHistogram, created on first call

    def arity_ok(self, argc: int) -> bool:
        a = self.arity
        return argc == a if a > 0 else argc >= -a

    def all_commands(self) -> list[Command]:
        return [self, *self.subcommands.values()]


def build_table() -> dict[bytes, Command]:
    """Join metadata and handlers; import every family module first."""
    from . import _families  # noqa: F401  (registers handlers)

    table: dict[bytes, Command] = {}
    specs = dict(load_table())
    specs.update(_EXTENSIONS)
    for name, spec in specs.items():
        subs = {}
        for subname, subspec in spec.subcommands.items():
            proc = _HANDLERS.get(subspec.fullname)
            if proc is not None:
                subs[subname.encode()] = Command(subspec, proc)
        proc = _HANDLERS.get(spec.fullname)
        if proc is None and not subs:
            continue
        cmd = Command(spec, proc)
        cmd.subcommands = subs
        table[name.encode()] = cmd
    unknown = set(_HANDLERS) - {c.fullname for t in table.values() for c in t.all_commands()}
    if unknown:
        raise RuntimeError(f"handlers without metadata: {sorted(unknown)}")
    return table

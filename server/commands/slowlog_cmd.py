"""SLOWLOG GET [count] | LEN | RESET | HELP (slowlog.c ``slowlogCommand``).

The log itself is :mod:`server.slowlog`; ``call()`` feeds it. ``GET`` returns
the newest entries first (10 by default, -1 for all), each an array of id,
Unix time, duration in microseconds, the (trimmed) arguments, the client's
address and its name.
"""

from __future__ import annotations

from .. import errors
from ..numbers import string2ll
from ..protocol.replies import OK, Status
from .registry import command

COUNT_RANGE = "count should be greater than or equal to -1"


@command("slowlog|get")
def slowlog_get(c, argv):
    slowlog = c.server.slowlog
    count = 10
    if len(argv) == 3:
        v = string2ll(argv[2])
        if v is None or v < -1:
            raise errors.err(COUNT_RANGE)
        count = len(slowlog) if v == -1 else v
    elif len(argv) > 3:
        raise errors.subcommand_syntax("slowlog", argv[1])
    return slowlog.get(count)


@command("slowlog|len")
def slowlog_len(c, argv):
    return len(c.server.slowlog)


@command("slowlog|reset")
def slowlog_reset(c, argv):
    c.server.slowlog.reset()
    return OK


_HELP = [
    "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
    "HELP",
    "    Prints this help.",
]


@command("slowlog|help")
def slowlog_help(c, argv):
    return [Status(line) for line in _HELP]

"""The slow log: commands that took longer than ``slowlog-log-slower-than`` (slowlog.c).

After every command, ``call()`` compares its duration (in microseconds, the
time the handler ran, not counting network I/O) with
``slowlog-log-slower-than``: 0 logs everything, -1 nothing. The log keeps
the newest ``slowlog-max-len`` entries, newest first, each with a unique id,
the Unix time (the server clock's: ``LAB CLOCK`` moves it too), the
duration, the arguments (AUTH and HELLO passwords redacted), and the
client's address and name.

Arguments are trimmed as Redis trims them, so that a slow ``MSET`` of a
million values does not copy them all: at most ``SLOWLOG_ENTRY_MAX_ARGC`` =
32 arguments (the last one says ``... (N more arguments)``) and at most
``SLOWLOG_ENTRY_MAX_STRING`` = 128 bytes of each (``... (N more bytes)``).
Commands flagged ``skip_slowlog`` (AUTH, HELLO, EXEC...) are never logged,
because their arguments may hold secrets or were logged one by one.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

SLOWLOG_ENTRY_MAX_ARGC = 32
SLOWLOG_ENTRY_MAX_STRING = 128


@dataclass(slots=True)
class SlowlogEntry:
    id: int
    time: int  # Unix seconds
    duration: int  # microseconds
    argv: list[bytes]
    peerid: str
    cname: bytes

    def reply(self) -> list:
        return [self.id, self.time, self.duration, self.argv, self.peerid.encode(), self.cname]


def trim_argv(argv: list[bytes]) -> list[bytes]:
    """slowlogCreateEntry's trimming of the argument vector."""
    argc = len(argv)
    slargc = min(argc, SLOWLOG_ENTRY_MAX_ARGC)
    out = []
    for j in range(slargc):
        if slargc != argc and j == slargc - 1:
            out.append(b"... (%d more arguments)" % (argc - slargc + 1))
        else:
            a = argv[j]
            if len(a) > SLOWLOG_ENTRY_MAX_STRING:
                a = bytes(a[:SLOWLOG_ENTRY_MAX_STRING]) + b"... (%d more bytes)" % (
                    len(a) - SLOWLOG_ENTRY_MAX_STRING
                )
            out.append(bytes(a))
    return out


class Slowlog:
    def __init__(self) -> None:
        self.entries: deque[SlowlogEntry] = deque()  # newest first
        self.next_id = 0

    def push(self, c, argv: list[bytes], duration_us: int, max_len: int, now_s: int) -> None:
        """slowlogPushEntryIfNeeded (the threshold was checked by the caller)."""
        peer = f"unix:{c.laddr.rsplit(':', 1)[0]}" if c.unix else c.addr
        self.entries.appendleft(
            SlowlogEntry(self.next_id, now_s, duration_us, trim_argv(argv), peer, bytes(c.name))
        )
        self.next_id += 1
        self.trim(max_len)

    def trim(self, max_len: int) -> None:
        while len(self.entries) > max_len:
            self.entries.pop()

    def get(self, count: int) -> list[list]:
        return [e.reply() for _, e in zip(range(count), self.entries, strict=False)]

    def reset(self) -> None:
        self.entries.clear()

    def __len__(self) -> int:
        return len(self.entries)

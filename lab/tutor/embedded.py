"""The lab's own server as a child process, for ``redis-lab learn`` without ``--url``.

This is :class:`lab.client.EmbeddedServer` — the same child process the TUI
and notebooks start (free loopback port, no persistence, a throwaway working
directory, stopped with no orphan) — with DEBUG allowed for local clients and
a ``url`` for the tutor. The tutor reaches the reference server only through a
process and a socket, never an import: lessons must run the same against a
real Redis.
"""

from __future__ import annotations

from ..client import EmbeddedServer as _EmbeddedServer


class EmbeddedServer(_EmbeddedServer):
    def __init__(self, *extra: str) -> None:
        super().__init__(["--enable-debug-command", "local", *extra])

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

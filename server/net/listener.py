"""The network layer: asyncio listeners on TCP and a unix socket (networking.c, anet.c).

One :class:`ClientProtocol` per connection forwards bytes to its
:class:`~server.net.client.Client`. Only this module touches asyncio:

- **Accepting** applies ``maxclients`` (``-ERR max number of clients reached``)
  and ``protected-mode`` (``-DENIED ...`` for non-loopback peers while the
  default user has no password), then closes, as Redis does.
- **Backpressure.** When a client stops reading its replies, the transport's
  buffer passes its high-water mark and asyncio calls ``pause_writing``; we
  then stop reading that client's requests until its buffer drains, so a slow
  reader cannot make the server buffer without bound.
- **The cron** is a timer firing ``hz`` times a second.

uvloop is used when installed (it is a dependency on Linux and macOS): same
semantics, a faster event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from typing import TYPE_CHECKING

from .. import errors
from .client import Client

if TYPE_CHECKING:
    from ..server import Server

TCP_BACKLOG_MIN = 511  # Redis's default tcp-backlog


class ClientProtocol(asyncio.Protocol):
    __slots__ = ("server", "client")

    def __init__(self, server: Server) -> None:
        self.server = server
        self.client: Client | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        server = self.server
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if len(server.clients) >= server.config.maxclients:
            transport.write(b"-" + errors.MAX_CLIENTS.encode() + b"\r\n")
            transport.close()
            server.stats.rejected_connections += 1
            return
        c = Client(server, transport, server.new_client_id())
        if (
            server.config.protected_mode
            and not server.config.requirepass
            and not c.unix
            and not c.local
        ):
            transport.write(b"-" + errors.PROTECTED_MODE.encode() + b"\r\n")
            transport.close()
            server.stats.rejected_connections += 1
            return
        self.client = c
        server.link_client(c)
        transport.set_write_buffer_limits(high=1024 * 1024)

    def data_received(self, data: bytes) -> None:
        c = self.client
        if c is not None and not c.closed:
            c.feed(data)

    def connection_lost(self, exc: Exception | None) -> None:
        c = self.client
        if c is not None and not c.closed:
            c.closed = True
            self.server.unlink_client(c)

    def pause_writing(self) -> None:
        c = self.client
        if c is not None and c.transport is not None and not c.closed:
            c.write_blocked = True
            c.transport.pause_reading()

    def resume_writing(self) -> None:
        c = self.client
        if c is not None and c.transport is not None and not c.closed:
            c.write_blocked = False
            c.transport.resume_reading()
            c.process_input()  # requests already received wait in the query buffer


class Listener:
    """Owns the listening sockets and the cron timer of one server."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.servers: list[asyncio.AbstractServer] = []
        self.tcp_servers: list[asyncio.AbstractServer] = []
        self.cron_handle: asyncio.TimerHandle | None = None
        self.stopped: asyncio.Future[None] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        server.listener = self

    def _bind_sockets(
        self, binds: list[str], port: int, exclusive: bool = False
    ) -> list[socket.socket]:
        """Bind and listen on every address (listenToPort); OSError if a required one fails.

        A leading '-' marks an address as optional, as in redis.conf; '*' is every
        IPv4 address and '::*' every IPv6 one.

        Listeners carry SO_REUSEPORT so that CONFIG SET bind/port can open the
        new sockets while the old ones (which asyncio closes asynchronously)
        still hold the port. So that a second server cannot share the port by
        accident, ``exclusive`` (used at start-up) first binds each address
        without it, which fails with "address in use" as Redis would.
        """
        backlog = max(self.server.config.tcp_backlog, TCP_BACKLOG_MIN)
        socks: list[socket.socket] = []
        try:
            for raw in binds or ["*"]:
                optional = raw.startswith("-")
                addr = raw.lstrip("-")
                host = {"*": "0.0.0.0", "::*": "::"}.get(addr, addr)
                family = socket.AF_INET6 if ":" in host else socket.AF_INET
                sock = socket.socket(family, socket.SOCK_STREAM)
                try:
                    if exclusive:
                        with socket.socket(family, socket.SOCK_STREAM) as probe:
                            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                            if family == socket.AF_INET6:
                                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                            probe.bind((host, port))
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    if hasattr(socket, "SO_REUSEPORT"):
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                    if family == socket.AF_INET6:
                        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                    sock.bind((host, port))
                    sock.listen(backlog)
                    sock.setblocking(False)
                except OSError:
                    sock.close()
                    if optional or family == socket.AF_INET6 and addr == "::*":
                        continue
                    raise
                socks.append(sock)
        except OSError:
            for sock in socks:
                sock.close()
            raise
        return socks

    async def _serve_sockets(self, socks: list[socket.socket]) -> None:
        assert self.loop is not None
        for sock in socks:
            srv = await self.loop.create_server(lambda: ClientProtocol(self.server), sock=sock)
            self.tcp_servers.append(srv)
            self.servers.append(srv)

    def _rebind(self, binds: list[str], port: int, message: str) -> None:
        """CONFIG SET bind/port (changeBindAddr / changeListenPort).

        The new listeners are opened first; only when all of them are open are
        the old ones closed. On failure nothing changes, and the error makes
        CONFIG SET roll the value back.
        """
        from ..config import ConfigError

        try:
            socks = self._bind_sockets(binds, port) if port else []
        except OSError as e:
            raise ConfigError(message) from e
        for srv in self.tcp_servers:
            srv.close()
            self.servers.remove(srv)
        self.tcp_servers = []
        assert self.loop is not None
        self.loop.create_task(self._serve_sockets(socks))

    async def start(self) -> None:
        server = self.server
        cfg = server.config
        self.loop = asyncio.get_running_loop()
        self.stopped = self.loop.create_future()
        backlog = max(cfg.tcp_backlog, TCP_BACKLOG_MIN)
        if cfg.port:
            try:
                socks = self._bind_sockets(list(cfg.bind), cfg.port, exclusive=True)
            except OSError as e:
                raise SystemExit(
                    f"Warning: Could not create server TCP listening socket "
                    f"{' '.join(cfg.bind)}:{cfg.port}: {e.strerror}"
                ) from e
            await self._serve_sockets(socks)
        cfg.on_change(
            "bind",
            lambda old, new: self._rebind(
                list(new), cfg.port, "Failed to bind to specified addresses."
            ),
        )
        cfg.on_change(
            "port",
            lambda old, new: self._rebind(
                list(cfg.bind), int(new), "Unable to listen on this port"
            ),
        )
        if cfg.unixsocket:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(cfg.unixsocket)
            srv = await self.loop.create_unix_server(
                lambda: ClientProtocol(server), path=cfg.unixsocket, backlog=backlog
            )
            os.chmod(cfg.unixsocket, cfg.unixsocketperm or 0o700)
            self.servers.append(srv)
        self._schedule_cron()

    def _schedule_cron(self) -> None:
        assert self.loop is not None
        hz = max(1, min(500, self.server.config.hz))
        self.cron_handle = self.loop.call_later(1 / hz, self._cron)

    def _cron(self) -> None:
        try:
            self.server.cron()
        except Exception as e:  # a bug in the cron must not kill the server
            self.server.log_warning(f"cron error: {e!r}")
        if self.server.shutdown_asap:
            self.stop()
            return
        self._schedule_cron()

    def stop(self) -> None:
        if self.cron_handle is not None:
            self.cron_handle.cancel()
        for srv in self.servers:
            srv.close()
        for c in list(self.server.clients.values()):
            c.flush()
            c.close()
        if self.server.config.unixsocket:
            with contextlib.suppress(OSError):
                os.unlink(self.server.config.unixsocket)
        if self.stopped is not None and not self.stopped.done():
            self.stopped.set_result(None)

    async def serve_forever(self) -> None:
        await self.start()
        assert self.stopped is not None and self.loop is not None
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                self.loop.add_signal_handler(sig, self._signal_shutdown, sig)
        await self.stopped

    def _signal_shutdown(self, sig: int) -> None:
        name = "SIGINT" if sig == signal.SIGINT else "SIGTERM"
        self.server.log_warning(f"Received {name} scheduling shutdown...")
        self.server.log_warning("Redis is now ready to exit, bye bye...")
        self.stop()


def run(server: Server) -> None:
    """Run the server until SHUTDOWN or a signal."""
    try:
        import uvloop  # type: ignore[import-not-found]

        runner = uvloop.run
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
        runner = asyncio.run
    runner(Listener(server).serve_forever())

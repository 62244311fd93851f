"""Client: the state of one connection (server.h ``struct client``).

A client owns its request reader, its pending output, its selected database,
protocol version, name, flags and statistics. The transport (asyncio) is the
only I/O it touches; the server calls :meth:`Client.process_input` whenever
bytes arrive and the client runs every complete request in order, writing the
replies of a whole read in one ``transport.write`` (pipelining costs one
syscall, not one per command).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..protocol import replies
from ..protocol.reader import ProtocolError, RequestReader

if TYPE_CHECKING:
    from ..commands.registry import Command
    from ..keyspace import Database
    from ..server import Server


class Client:
    __slots__ = (
        "server",
        "id",
        "transport",
        "addr",
        "laddr",
        "fd",
        "unix",
        "name",
        "ctime",
        "last_interaction",
        "db",
        "resp",
        "authenticated",
        "user",
        "reader",
        "out",
        "out_bytes",
        "cmd",
        "last_cmd",
        "reply_off",
        "reply_skip",
        "reply_skip_next",
        "mute",
        "close_after_reply",
        "closed",
        "monitor",
        "no_evict",
        "pending_argv",
        "paused",
        "reading_paused",
        "write_blocked",
        "blocked",
        "is_lab_poller",
        "local",
        "argv_mem",
        "channels",
        "patterns",
        "shard_channels",
        "subscribed",
        "mstate",
        "watched",
        "dirty_cas",
        "deny_blocking",
    )

    def __init__(self, server: Server, transport: asyncio.Transport | None, cid: int) -> None:
        self.server = server
        self.id = cid
        self.transport = transport
        self.unix = False
        self.addr = "?:0"
        self.laddr = "?:0"
        self.fd = -1
        self.local = True
        if transport is not None:
            sock = transport.get_extra_info("socket")
            peer = transport.get_extra_info("peername")
            here = transport.get_extra_info("sockname")
            if sock is not None:
                self.fd = sock.fileno()
            if isinstance(peer, tuple):
                self.addr = _fmt_addr(peer)
                self.laddr = _fmt_addr(here)
                self.local = peer[0] in ("127.0.0.1", "::1") or peer[0].startswith("127.")
            else:  # unix socket
                self.unix = True
                self.addr = f"{here}:0"
                self.laddr = f"{here}:0"
        self.name = b""
        now = server.clock.ms()
        self.ctime = now
        self.last_interaction = now
        self.db: Database = server.dbs[0]
        self.resp = 2
        self.authenticated = not server.auth_required()
        self.user = "default"
        self.reader = RequestReader(server.config.proto_max_bulk_len)
        self.reader.authenticated = self.authenticated
        self.out: list[bytes] = []
        self.out_bytes = 0
        self.cmd: Command | None = None
        self.last_cmd: Command | None = None
        # CLIENT REPLY ON|OFF|SKIP; mute = reply_off or reply_skip (read per reply)
        self.reply_off = False
        self.reply_skip = False
        self.reply_skip_next = False
        self.mute = False
        self.close_after_reply = False
        self.closed = False
        self.monitor = False
        self.no_evict = False
        self.pending_argv: list[bytes] | None = None
        self.paused = False
        self.reading_paused = False
        self.write_blocked = False
        self.blocked = False
        self.is_lab_poller = False
        self.argv_mem = 0
        # Pub/Sub (server/pubsub.py): insertion-ordered "sets" of names
        self.channels: dict[bytes, None] = {}
        self.patterns: dict[bytes, None] = {}
        self.shard_channels: dict[bytes, None] = {}
        self.subscribed = False
        # Transactions (server/multi.py): the MULTI queue (None outside MULTI),
        # the WATCHed keys, CLIENT_DIRTY_CAS, and CLIENT_DENY_BLOCKING (EXEC).
        self.mstate = None
        self.watched: list = []
        self.dirty_cas = False
        self.deny_blocking = False

    # -- input ------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        server = self.server
        self.reader.feed(data)
        server.stats.net_input_bytes += len(data)
        server.stats.total_reads_processed += 1
        self.last_interaction = server.clock.ms()
        limit = server.config.client_query_buffer_limit
        if self.reader.pending() > limit:
            # networking.c: "Closing client that reached max query buffer length"
            server.log_warning(
                "Closing client that reached max query buffer length: %s" % self.describe()
            )
            server.stats.client_qbuf_limit_disconnections += 1
            self.close()
            return
        self.process_input()

    def process_input(self) -> None:
        server = self.server
        reader = self.reader
        queue = reader._queue  # frames hiredis already split: the common case
        execute = server.execute
        while not (
            self.close_after_reply
            or self.closed
            or self.paused
            or self.blocked
            or self.write_blocked
        ):
            argv = self.pending_argv  # a command held back by CLIENT PAUSE comes first
            if argv is not None:
                self.pending_argv = None
            elif queue:
                argv = queue.popleft()
            else:
                try:
                    argv = reader.read()
                except ProtocolError as e:
                    self.add_reply(replies.ErrorReply("ERR " + str(e)))
                    server.stats.count_error("ERR")
                    server.log_verbose("Protocol error (%s) from client: %s" % (e, self.describe()))
                    self.close_after_reply = True
                    break
                except Exception as e:  # a bug in the reader: drop this client, keep serving
                    server.log_warning("internal error reading from a client: %r" % e)
                    self.close_after_reply = True
                    break
                if argv is None:
                    break
                if not argv:
                    continue
            execute(self, argv)
            if len(self.out) >= 64:
                # A long pipeline: hand replies to the transport as we go, so a
                # client that does not read them pauses us (pause_writing sets
                # write_blocked) instead of growing our buffer without bound.
                self.flush()
        self.flush()

    # -- output -----------------------------------------------------------------

    def add_reply(self, value: object) -> None:
        if self.mute:
            return
        t = type(value)
        if t is bytes:
            self.out.append(b"$%d\r\n%s\r\n" % (len(value), value))
        else:
            replies.write(self.out, value, self.resp)

    def after_command(self) -> None:
        """resetClient: a CLIENT REPLY SKIP takes effect for the next command only."""
        self.reply_skip = self.reply_skip_next
        self.reply_skip_next = False
        self.mute = self.reply_off or self.reply_skip

    def add_raw(self, data: bytes) -> None:
        """Write already-encoded bytes (pushes to monitors and subscribers)."""
        if self.mute:
            return
        self.out.append(data)
        if not self.server.in_client_loop(self):
            self.flush()

    def flush(self) -> None:
        if self.out and self.transport is not None and not self.closed:
            data = b"".join(self.out) if len(self.out) > 1 else self.out[0]
            self.out = []
            self.server.stats.net_output_bytes += len(data)
            self.server.stats.total_writes_processed += 1
            self.transport.write(data)
        else:
            self.out = []
        if self.close_after_reply and not self.closed:
            self.close()

    def output_pending(self) -> int:
        n = sum(map(len, self.out))
        if self.transport is not None and not self.closed:
            n += self.transport.get_write_buffer_size()
        return n

    # -- lifecycle --------------------------------------------------------------

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.transport is not None:
            self.transport.close()
        self.server.unlink_client(self)

    def describe(self) -> str:
        return self.server.client_info_line(self)


def _fmt_addr(a: tuple) -> str:
    host, port = a[0], a[1]
    return f"{host}:{port}"

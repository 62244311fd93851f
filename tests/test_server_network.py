"""Network behaviour that needs a real socket or a fake transport: backpressure
on a client that does not read, protected mode, and the listen backlog."""

from __future__ import annotations

import socket
import time

import redis

from server.net.listener import TCP_BACKLOG_MIN, ClientProtocol
from server.server import Server
from tests.support import start_lab_server


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_a_client_that_stops_reading_is_paused_not_buffered():
    """A pipeline of GETs of a 1 MiB value from a client that never reads its
    replies: the server stops reading that client once its output backs up, so
    memory stays bounded and everyone else is still served."""
    srv = start_lab_server()
    try:
        c = redis.Redis(port=srv.port)
        c.set("big", b"x" * (1024 * 1024))
        before = _rss_kb(srv.proc.pid)
        slow = socket.create_connection(("127.0.0.1", srv.port))
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.setblocking(False)
        request = b"*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n" * 1000  # would be 1 GiB of replies
        sent = 0
        deadline = time.monotonic() + 5
        while sent < len(request) and time.monotonic() < deadline:
            try:
                sent += slow.send(request[sent:])
            except BlockingIOError:
                time.sleep(0.01)
        time.sleep(0.5)
        grown_mb = (_rss_kb(srv.proc.pid) - before) / 1024
        assert grown_mb < 200, f"server buffered {grown_mb:.0f} MB for a client that does not read"
        assert c.ping() is True
        assert c.strlen("big") == 1024 * 1024
        listing = c.client_list()
        stuck = [x for x in listing if int(x["omem"]) > 0]
        assert stuck, "the slow client's pending output should show in omem"
        slow.close()
        c.close()
    finally:
        srv.stop()


class FakeSocket:
    family = socket.AF_INET

    def fileno(self) -> int:
        return 99

    def setsockopt(self, *args) -> None:
        pass


class FakeTransport:
    def __init__(self, peer):
        self.peer = peer
        self.written = b""
        self.closed = False

    def get_extra_info(self, name):
        return {
            "socket": FakeSocket(),
            "peername": self.peer,
            "sockname": ("0.0.0.0", 6379),
        }.get(name)

    def write(self, data):
        self.written += data

    def close(self):
        self.closed = True

    def set_write_buffer_limits(self, high=None, low=None):
        pass

    def get_write_buffer_size(self):
        return 0


def test_protected_mode_refuses_remote_peers_without_a_password():
    server = Server()
    remote = FakeTransport(("10.1.2.3", 40000))
    ClientProtocol(server).connection_made(remote)
    assert remote.closed and remote.written.startswith(
        b"-DENIED Redis is running in protected mode"
    )
    assert not server.clients

    local = FakeTransport(("127.0.0.1", 40001))
    ClientProtocol(server).connection_made(local)
    assert not local.closed and len(server.clients) == 1

    server.config.set([("requirepass", "secret")])
    remote2 = FakeTransport(("10.1.2.3", 40002))
    ClientProtocol(server).connection_made(remote2)
    assert not remote2.closed  # with a password, remote peers may connect (and must AUTH)


def test_maxclients_reply_and_close():
    server = Server()
    server.config.set([("maxclients", "1")])
    first = FakeTransport(("127.0.0.1", 1))
    ClientProtocol(server).connection_made(first)
    second = FakeTransport(("127.0.0.1", 2))
    ClientProtocol(server).connection_made(second)
    assert second.written == b"-ERR max number of clients reached\r\n" and second.closed


def test_listen_backlog_is_at_least_redis_default():
    assert TCP_BACKLOG_MIN >= 511

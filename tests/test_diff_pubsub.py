"""Pub/Sub against real Redis: the exact bytes each subscriber receives, RESP2
and RESP3, the subscribed-mode restrictions, PUBSUB introspection, and the
lab's event channel."""

from __future__ import annotations

import json
import re
import socket

import pytest

from tests.rawconn import encode
from tests.support import REDIS_SERVER

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server")


class Raw:
    def __init__(self, port: int) -> None:
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def send(self, *args) -> None:
        self.s.sendall(encode(*args))

    def read_exact(self, n: int) -> bytes:
        """Read exactly the bytes the other side is expected to send."""
        while len(self.buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                break
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def close(self) -> None:
        self.s.close()


def both(lab_server, real_server, script):
    # Learn the sizes from real Redis first (reading byte-exact), then compare ours.
    real = []
    conns = [Raw(real_server.port) for _ in range(3)]
    try:
        for idx, args, who_reads in script:
            conns[idx].send(*args)
            for reader in who_reads:
                real.append(_read_reply(conns[reader]))
    finally:
        for c in conns:
            c.close()
    ours = []
    conns = [Raw(lab_server.port) for _ in range(3)]
    try:
        for idx, args, who_reads in script:
            conns[idx].send(*args)
            for reader in who_reads:
                ours.append(_read_reply(conns[reader]))
    finally:
        for c in conns:
            c.close()
    assert [_no_ids(x) for x in ours] == [_no_ids(x) for x in real]


def _no_ids(reply: bytes) -> bytes:
    """HELLO's map carries the connection id, which differs between servers."""
    return re.sub(rb"\$2\r\nid\r\n:\d+", b"$2\r\nid\r\n:N", reply)


def _read_reply(conn: Raw) -> bytes:
    """One complete RESP reply, as raw bytes."""
    data = b""

    def need_line():
        nonlocal data
        while b"\r\n" not in conn.buf:
            chunk = conn.s.recv(65536)
            if not chunk:
                raise EOFError
            conn.buf += chunk
        line, _, conn.buf = conn.buf.partition(b"\r\n")
        data += line + b"\r\n"
        return line

    def one():
        line = need_line()
        t = line[:1]
        if t in (b"*", b">", b"~", b"%"):
            n = int(line[1:])
            for _ in range(n * (2 if t == b"%" else 1)):
                one()
        elif t in (b"$", b"="):
            n = int(line[1:])
            if n >= 0:
                nonlocal data
                data += conn.read_exact(n + 2)

    one()
    return data


@pytest.mark.parametrize("proto", ["2", "3"])
def test_subscribe_publish_unsubscribe(lab_server, real_server, proto):
    script = [
        (0, ("HELLO", proto), [0]),
        (1, ("HELLO", proto), [1]),
        (0, ("SUBSCRIBE", "news", "sport"), [0, 0]),
        (1, ("PSUBSCRIBE", "ne*"), [1]),
        (2, ("PUBLISH", "news", "hello"), [2, 0, 1]),
        (2, ("PUBLISH", "sport", "goal"), [2, 0]),
        (2, ("PUBLISH", "nobody", "x"), [2]),
        (2, ("PUBSUB", "NUMSUB", "news", "sport", "none"), [2]),
        (2, ("PUBSUB", "NUMPAT"), [2]),
        (0, ("PING",), [0]),
        (0, ("PING", "hi"), [0]),
        (0, ("UNSUBSCRIBE", "news"), [0]),
        (0, ("UNSUBSCRIBE",), [0]),
        (0, ("UNSUBSCRIBE",), [0]),
        (1, ("PUNSUBSCRIBE",), [1]),
        (1, ("PUNSUBSCRIBE",), [1]),
        (0, ("PING",), [0]),
    ]
    both(lab_server, real_server, script)


def test_resp2_subscribed_context_is_restricted(lab_server, real_server):
    script = [
        (0, ("SUBSCRIBE", "c"), [0]),
        (0, ("GET", "pubsub-test:never-set"), [0]),
        (0, ("CLIENT", "ID"), [0]),
        (0, ("RESET",), [0]),
        (0, ("GET", "pubsub-test:never-set"), [0]),
    ]
    both(lab_server, real_server, script)


def test_resp3_subscribed_client_may_run_commands(lab_server, real_server):
    script = [
        (0, ("HELLO", "3"), [0]),
        (0, ("SUBSCRIBE", "c"), [0]),
        (0, ("SET", "pubsub-test:k", "v"), [0]),
        (0, ("GET", "pubsub-test:k"), [0]),
        (0, ("PUBLISH", "c", "self"), [0, 0]),
    ]
    both(lab_server, real_server, script)


def test_shard_channels(lab_server, real_server):
    script = [
        (0, ("SSUBSCRIBE", "s1"), [0]),
        (2, ("SPUBLISH", "s1", "m"), [2, 0]),
        (2, ("PUBSUB", "SHARDCHANNELS"), [2]),
        (2, ("PUBSUB", "SHARDNUMSUB", "s1"), [2]),
        (0, ("SUNSUBSCRIBE",), [0]),
        (0, ("SUNSUBSCRIBE",), [0]),
    ]
    both(lab_server, real_server, script)


def test_pubsub_channels_and_errors(pair):
    pair.same("PUBSUB", "CHANNELS")
    pair.same("PUBSUB", "CHANNELS", "a*")
    pair.same("PUBSUB", "NUMPAT")
    pair.same("PUBSUB", "NOPE")
    pair.same("PUBLISH", "c")
    pair.same("SUBSCRIBE")


def test_lab_events_are_published_as_json(lab_server):
    sub = Raw(lab_server.port)
    try:
        sub.send("SUBSCRIBE", "__lab__:events")
        _read_reply(sub)
        c = lab_server.client()
        c.execute_command("LAB", "CLOCK", "FREEZE")
        c.execute_command("LAB", "CLOCK", "RESUME")
        c.close()
        msg = _read_reply(sub)
        payload = msg.split(b"\r\n")[-2]
        event = json.loads(payload)
        assert event["type"] == "clock" and event["action"] == "freeze"
    finally:
        sub.close()


def test_pattern_subscriber_sees_no_internal_events(lab_server, real_server):
    """A conversion (a LAB event on ours) between two PUBLISHes: ``PSUBSCRIBE *``
    receives the same two messages from both servers, nothing else."""
    script = [
        (0, ("PSUBSCRIBE", "*"), [0]),
        (1, ("HSET", "h", "a", "1"), [1]),
        (1, ("HSET", "h", "b", "x" * 80), [1]),  # listpack -> hashtable
        (1, ("PUBLISH", "news", "one"), [1, 0]),
        (1, ("DEL", "h"), [1]),
        (1, ("PUBLISH", "news", "two"), [1, 0]),
    ]
    both(lab_server, real_server, script)


def test_lab_events_do_not_reach_pattern_subscribers(lab_server):
    """``PSUBSCRIBE *`` sees what it would on a real Redis: no lab chatter."""
    psub = Raw(lab_server.port)
    sub = Raw(lab_server.port)
    try:
        psub.send("PSUBSCRIBE", "*")
        _read_reply(psub)
        sub.send("SUBSCRIBE", "__lab__:events")
        _read_reply(sub)
        c = lab_server.client()
        c.execute_command("LAB", "CLOCK", "FREEZE")
        c.execute_command("LAB", "CLOCK", "RESUME")
        assert c.publish("news", "hello") == 1  # only the pattern subscriber
        c.close()
        assert b"__lab__:events" in _read_reply(sub)  # the exact subscriber gets events
        msg = _read_reply(psub)
        assert msg.startswith(b"*4\r\n$8\r\npmessage") and msg.endswith(b"$5\r\nhello\r\n")
    finally:
        sub.close()
        psub.close()

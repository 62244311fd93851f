"""Fuzz the request reader of a live server with random and mutated RESP.

A seeded generator (reproducible: the seed is in the test id) builds a few
thousand frames — valid commands, the same frames with bytes flipped, cut,
duplicated or with their lengths lied about, and plain garbage — and sends
each batch on a fresh connection. Whatever comes back, the server must keep
running, answer PING on a new connection, and still hold the keys written
before the fuzzing started.
"""

from __future__ import annotations

import random
import socket

import pytest

from tests.support import start_lab_server
from tests.test_protocol import encode

COMMANDS = [
    ("SET", "fz", "v"), ("GET", "fz"), ("INCR", "n"), ("APPEND", "fz", "x"), ("PING",),
    ("ECHO", "hello"), ("MSET", "a", "1", "b", "2"), ("DEL", "a"), ("EXPIRE", "fz", "100"),
    ("GETRANGE", "fz", "0", "-1"), ("SETRANGE", "r", "3", "abc"), ("LCS", "a", "b"),
    ("CLIENT", "SETNAME", "x"), ("SCAN", "0"), ("KEYS", "*"), ("OBJECT", "ENCODING", "fz"),
    ("TTL", "fz"), ("SELECT", "1"), ("CLIENT", "REPLY", "ON"), ("HELLO", "3"), ("HELLO", "2"),
]  # fmt: skip

# Commands that would stop the server or change its config are never sent.
FORBIDDEN = (b"shutdown", b"debug", b"config", b"flushall", b"monitor", b"lab", b"client",
             b"swapdb", b"flushdb", b"quit", b"reset")  # fmt: skip


def _mutate(rng: random.Random, frame: bytes) -> bytes:
    b = bytearray(frame)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        if op == 0 and b:  # flip a byte
            b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == 1 and b:  # cut
            del b[rng.randrange(len(b)) :]
        elif op == 2 and b:  # duplicate a slice
            i = rng.randrange(len(b))
            b[i:i] = b[i : i + rng.randint(1, 8)]
        elif op == 3:  # lie about a length
            i = bytes(b).find(b"$")
            if i >= 0:
                b[i + 1 : i + 2] = str(rng.choice([0, 9, 99, -2, 70000])).encode()
        elif op == 4:  # insert CR/LF or a quote
            b.insert(rng.randrange(len(b) + 1), rng.choice(b"\r\n\"'\\\x00 *$"))
        elif op == 5:  # a special header
            b[0:0] = rng.choice(
                [b"*-1\r\n", b"*0\r\n", b"*1\r\n", b"$5\r\n", b"*3\r\n$3\r\nSET\r\n", b"\r\n"]
            )
        else:  # a huge count (never more than Redis's INT_MAX, to keep it cheap)
            b[0:0] = b"*%d\r\n" % rng.choice([11, 1024, 100000])
    return bytes(b)


def _frame(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.35:
        return encode(*rng.choice(COMMANDS))
    if kind < 0.75:
        return _mutate(rng, encode(*rng.choice(COMMANDS)))
    if kind < 0.85:  # inline form, maybe mutated
        line = " ".join(rng.choice(COMMANDS)).encode() + b"\r\n"
        return line if rng.random() < 0.5 else _mutate(rng, line)
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))


def _send_batch(port: int, data: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            s.settimeout(0.5)
            while s.recv(65536):
                pass
        except (TimeoutError, ConnectionError, OSError):
            pass


@pytest.fixture(scope="module")
def srv():
    s = start_lab_server()
    yield s
    s.stop()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fuzzed_requests_do_not_hurt_the_server(srv, seed):
    c = srv.client()
    c.flushall()
    keep = {f"keep:{i}": f"value-{i}" for i in range(50)}
    c.mset(keep)
    rng = random.Random(seed)
    frames = 0
    for _batch in range(400):
        parts = []
        for _ in range(rng.randint(1, 10)):
            f = _frame(rng)
            if any(w in f.lower() for w in FORBIDDEN):
                continue
            parts.append(f)
        frames += len(parts)
        _send_batch(srv.port, b"".join(parts))
    assert frames > 1500
    assert srv.alive()
    c2 = srv.client()
    assert c2.ping()
    assert c2.mget(list(keep)) == [v.encode() for v in keep.values()]
    c2.close()
    c.close()


def test_fuzzed_split_points(srv):
    """The same valid pipeline cut at random points always gives the same replies."""
    rng = random.Random(99)
    data = b"".join(encode(*cmd) for cmd in COMMANDS[:12]) + b"PING\r\nECHO 'a b'\r\n"
    expected = None
    for _ in range(40):
        cuts = sorted(rng.sample(range(1, len(data)), rng.randint(1, 8)))
        pieces = [data[i:j] for i, j in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        srv.client().flushall()
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for p in pieces:
                s.sendall(p)
            s.sendall(b"QUIT\r\n")
            got = b""
            while chunk := s.recv(65536):
                got += chunk
        expected = expected or got
        assert got == expected
    assert expected.endswith(b"+PONG\r\n$3\r\na b\r\n+OK\r\n")

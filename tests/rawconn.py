"""A raw RESP2/RESP3 connection for tests that need exact reply types and
several clients at once (blocking operations, WATCH races): one request sent,
one reply read, nulls and aggregate kinds kept apart."""

from __future__ import annotations

import socket
import time


def encode(*args) -> bytes:
    parts = [a if isinstance(a, bytes) else str(a).encode() for a in args]
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)


def parse(buf: bytes, i: int = 0):
    """One reply from buf[i:] -> (value, next index), or None if incomplete.

    Nulls stay apart: ``*-1`` -> "NULL_ARRAY", ``$-1`` -> "NULL_BULK", ``_`` -> "NULL".
    Errors and statuses keep their leading character.
    """
    end = buf.find(b"\r\n", i)
    if end < 0:
        return None
    t, line = buf[i : i + 1], buf[i + 1 : end]
    j = end + 2
    if t in (b"+", b"-"):
        return (t + line).decode(), j
    if t in (b":", b"("):
        return int(line), j
    if t == b"_":
        return "NULL", j
    if t == b",":
        return ("double", line.decode()), j
    if t == b"#":
        return line == b"t", j
    if t in (b"$", b"=", b"!"):
        n = int(line)
        if n < 0:
            return "NULL_BULK", j
        if len(buf) < j + n + 2:
            return None
        body = buf[j : j + n]
        return (body[4:] if t == b"=" else body), j + n + 2
    if t in (b"*", b"%", b"~", b">"):
        n = int(line)
        if n < 0:
            return "NULL_ARRAY", j
        if t == b"%":
            n *= 2
        out = []
        for _ in range(n):
            r = parse(buf, j)
            if r is None:
                return None
            v, j = r
            out.append(v)
        return (t.decode() + "agg", out) if t in (b"%", b"~", b">") else out, j
    raise AssertionError(f"unexpected reply type {buf[i:]!r}")


class Conn:
    """A raw connection: send requests, read exactly one reply at a time."""

    def __init__(self, port: int, proto: int = 2) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""
        if proto == 3:
            self.call("HELLO", 3)

    def send(self, *args) -> None:
        self.sock.sendall(encode(*args))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reply(self, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while True:
            r = parse(self.buf) if self.buf else None
            if r is not None:
                v, n = r
                self.buf = self.buf[n:]
                return v
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply")
            self.sock.settimeout(left)
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("closed")
            self.buf += data

    def nothing_pending(self, wait: float = 0.15) -> bool:
        try:
            self.reply(wait)
        except TimeoutError:
            return True
        return False

    def call(self, *args):
        self.send(*args)
        return self.reply()

    def pipeline(self, *cmds) -> list:
        """Send every command in one write, then read one reply per command."""
        self.sock.sendall(b"".join(encode(*c) for c in cmds))
        return [self.reply() for _ in cmds]

    def close(self) -> None:
        self.sock.close()

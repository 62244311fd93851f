"""A small RESP2/RESP3 client that keeps every reply's *type*.

``redis-cli`` prints ``OK`` for a status reply but ``"OK"`` for a bulk string
holding the same bytes, ``(double) 1.5`` for a RESP3 double, ``1#`` for map
entries and ``1~`` for set members. redis-py throws that information away, so
the REPL speaks the protocol itself. Each wire type maps to one Python type:

    +status      Status (bytes)          $bulk      bytes
    -error       Error (bytes)           !blob err  Error (bytes)
    :integer     int                     ,double    Double (bytes, as sent)
    (big number  BigNumber (bytes)       #bool      bool
    _null, $-1   None                    =verbatim  Verbatim (bytes, .format)
    *array       list                    %map       Map (list of (key, value))
    ~set         Set (list)              >push      Push (list)
    |attribute   read and kept on the parser (``last_attribute``), then skipped

The parser is sans-IO: :meth:`Parser.feed` takes bytes, :meth:`Parser.gets`
returns one reply or :data:`NEED_MORE`. It parses with a read cursor and an
explicit stack of open aggregates, so a reply that arrives in many pieces is
never re-scanned from its start (no quadratic work on big replies).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable


class Status(bytes):
    """A RESP simple string (``+OK``)."""


class Error(bytes):
    """An error reply (``-ERR ...`` or a RESP3 blob error)."""

    @property
    def text(self) -> str:
        return self.decode("utf-8", "replace")


class Double(bytes):
    """A RESP3 double, kept as the text the server sent (``3.141``, ``inf``)."""

    @property
    def value(self) -> float:
        return float(self)


class BigNumber(bytes):
    """A RESP3 big number, kept as its decimal digits."""


class Verbatim(bytes):
    """A RESP3 verbatim string; the bytes exclude the ``txt:`` prefix."""

    format: bytes = b"txt"


class Map(list):
    """A RESP3 map as an ordered list of ``(key, value)`` pairs.

    Not a dict: keys may be unhashable (arrays) and order matters for output.
    """

    def to_dict(self) -> dict:
        return {_hashable(k): v for k, v in self}


class Set(list):
    """A RESP3 set, in the order the server sent it."""


class Push(list):
    """A RESP3 out-of-band push (Pub/Sub messages, invalidations)."""


NEED_MORE = object()


class ProtocolError(Exception):
    """The peer sent bytes that are not RESP."""


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


_AGGREGATES = {ord("*"): list, ord("~"): Set, ord(">"): Push, ord("%"): Map, ord("|"): "attr"}


class Parser:
    """Incremental RESP2/RESP3 reply parser (sans-IO)."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._pos = 0
        # Open aggregates: [kind, items_left, items]
        self._stack: list[list] = []
        self.last_attribute: Map | None = None

    def feed(self, data: bytes) -> None:
        if self._pos and self._pos > 65536 and self._pos * 2 > len(self._buf):
            del self._buf[: self._pos]  # compact rarely: amortised O(1) per byte
            self._pos = 0
        self._buf += data

    def _line(self) -> bytes | None:
        end = self._buf.find(b"\r\n", self._pos)
        if end < 0:
            return None
        line = bytes(self._buf[self._pos : end])
        self._pos = end + 2
        return line

    def _scalar(self):
        """Read one element header (and body); NEED_MORE leaves the cursor unmoved."""
        start = self._pos
        if start >= len(self._buf):
            return NEED_MORE
        line = self._line()
        if line is None:
            return NEED_MORE
        if not line:
            raise ProtocolError("Protocol error, got an empty line as reply")
        kind, body = line[0], line[1:]
        try:
            return self._element(kind, body, start)
        except ValueError as exc:
            raise ProtocolError(f"Protocol error, bad header {line[:40]!r}") from exc

    def _element(self, kind: int, body: bytes, start: int):
        if kind in (ord("$"), ord("!"), ord("=")):
            length = int(body)
            if length < 0:
                return None
            if len(self._buf) < self._pos + length + 2:
                self._pos = start
                return NEED_MORE
            data = bytes(self._buf[self._pos : self._pos + length])
            self._pos += length + 2
            if kind == ord("$"):
                return data
            if kind == ord("!"):
                return Error(data)
            verbatim = Verbatim(data[4:])
            verbatim.format = data[:3]
            return verbatim
        if kind == ord("+"):
            return Status(body)
        if kind == ord("-"):
            return Error(body)
        if kind == ord(":"):
            return int(body)
        if kind == ord(","):
            return Double(body)
        if kind == ord("("):
            return BigNumber(body)
        if kind == ord("#"):
            return body == b"t"
        if kind == ord("_"):
            return None
        if kind in _AGGREGATES:
            count = int(body)
            if count < 0:
                return None
            factory = _AGGREGATES[kind]
            if factory is Map or factory == "attr":
                count *= 2
            self._stack.append([factory, count, []])
            return _OPENED
        raise ProtocolError(f"Protocol error, got {chr(kind)!r} as reply type byte")

    def gets(self):
        """Return the next complete reply, or :data:`NEED_MORE`."""
        while True:
            value = self._scalar()
            if value is NEED_MORE:
                return NEED_MORE
            # Close every aggregate this value completes.
            while True:
                if value is _OPENED:
                    frame = self._stack[-1]
                    if frame[1] > 0:
                        break
                    self._stack.pop()
                    value = self._finish(frame)
                    continue
                if value is _ATTRIBUTE_DONE:
                    break
                if not self._stack:
                    return value
                frame = self._stack[-1]
                frame[2].append(value)
                frame[1] -= 1
                if frame[1] > 0:
                    break
                self._stack.pop()
                value = self._finish(frame)

    def _finish(self, frame):
        factory, _, items = frame
        if factory is Map or factory == "attr":
            value = Map(zip(items[0::2], items[1::2], strict=True))
            if factory == "attr":
                self.last_attribute = value
                return _ATTRIBUTE_DONE
            return value
        return factory(items)


_OPENED = object()
_ATTRIBUTE_DONE = object()


def encode_command(args: Iterable) -> bytes:
    """A command as a RESP array of bulk strings."""
    parts = []
    items = [a if isinstance(a, bytes) else str(a).encode() for a in args]
    parts.append(b"*%d\r\n" % len(items))
    for item in items:
        parts.append(b"$%d\r\n%s\r\n" % (len(item), item))
    return b"".join(parts)


class Connection:
    """One blocking connection to a server, speaking RESP2 or RESP3.

    ``execute`` sends a command and returns its reply with the type kept. Out
    of band RESP3 pushes that arrive before the reply (client-side caching
    invalidations) go to ``on_push`` when set, so they are not mistaken for
    the reply.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 6379,
        unix_socket: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.unix_socket = unix_socket
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.parser = Parser()
        self.on_push: Callable[[Push], None] | None = None
        self.protocol = 2

    @property
    def address(self) -> str:
        return self.unix_socket or f"{self.host}:{self.port}"

    def connect(self) -> Connection:
        if self.unix_socket:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            sock.connect(self.unix_socket)
        else:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self.sock = sock
        self.parser = Parser()
        return self

    @property
    def connected(self) -> bool:
        return self.sock is not None

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None

    def send(self, *args) -> None:
        if self.sock is None:
            raise ConnectionError("not connected")
        self.sock.sendall(encode_command(args))

    def read(self, timeout: float | None = None):
        """The next reply of any kind (pushes included).

        With a timeout, returns :data:`NEED_MORE` when nothing complete arrived
        in time (used by the streaming modes to stay responsive).
        """
        if self.sock is None:
            raise ConnectionError("not connected")
        while True:
            reply = self.parser.gets()
            if reply is not NEED_MORE:
                return reply
            self.sock.settimeout(timeout)
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                return NEED_MORE
            finally:
                if self.sock is not None:
                    self.sock.settimeout(None)
            if not data:
                self.close()
                raise ConnectionError("Server closed the connection")
            self.parser.feed(data)

    def read_reply(self):
        """The next reply that is not an out-of-band push."""
        while True:
            reply = self.read()
            if isinstance(reply, Push) and self.on_push is not None:
                self.on_push(reply)
                continue
            return reply

    def execute(self, *args):
        self.send(*args)
        return self.read_reply()

    def pipeline(self, commands: list[tuple]) -> list:
        """Send several commands in one write and read their replies."""
        if self.sock is None:
            raise ConnectionError("not connected")
        self.sock.sendall(b"".join(encode_command(c) for c in commands))
        return [self.read_reply() for _ in commands]


def to_text(value) -> str:
    """Bytes to str for human use (keys, field names); other values as str."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def to_python(value):
    """Replies to plain Python: bytes→str, Map→dict, lists recursively.

    Used to read structured replies such as ``COMMAND DOCS`` the same way under
    RESP2 (flat pairs) and RESP3 (maps).
    """
    if isinstance(value, Error):
        return value
    if isinstance(value, Double):
        return value.value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Map):
        return {to_python(k): to_python(v) for k, v in value}
    if isinstance(value, list):
        return [to_python(v) for v in value]
    return value


def pairs_to_dict(value) -> dict:
    """A RESP3 map or a RESP2 flat ``[k1, v1, k2, v2]`` array as a dict."""
    if isinstance(value, dict):
        return value
    if isinstance(value, Map):
        return {to_python(k): v for k, v in value}
    if isinstance(value, list):
        return {to_python(k): v for k, v in zip(value[0::2], value[1::2], strict=False)}
    return {}

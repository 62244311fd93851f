"""The request reader: bytes in, argument vectors out (sans-IO).

Redis reads two request forms (networking.c):

    multibulk   *<argc>\\r\\n  then argc times  $<len>\\r\\n<bytes>\\r\\n
    inline      SET key "a value"\\n        (what telnet users and redis-cli --pipe's
                                            trailing ECHO send; split by sdssplitargs)

A request starting with ``*`` is multibulk, anything else inline. The reader
keeps Redis's parse state between feeds (arguments still expected, the length
of the bulk being read), so a frame may arrive in any split of bytes and a big
argument arriving in many reads is copied once, never re-scanned. "Need more
bytes" is the normal outcome of :meth:`read`, not an error.

Limits and errors are Redis's: counts and lengths must be ``string2ll``
numbers; before authentication a request may have at most 10 arguments of at
most 16384 bytes; a bulk may not exceed ``proto-max-bulk-len``; a header line
longer than 64 KiB without its CR is refused. A :class:`ProtocolError` carries
the exact text the server replies (``-ERR <text>``) before it closes the
connection.
"""

from __future__ import annotations

from ..errors import (
    PROTO_EXPECTED_DOLLAR,
    PROTO_INVALID_BULK,
    PROTO_INVALID_MBULK,
    PROTO_TOO_BIG_BULK_COUNT,
    PROTO_TOO_BIG_INLINE,
    PROTO_TOO_BIG_MBULK_COUNT,
    PROTO_UNBALANCED_QUOTES,
)
from ..numbers import string2ll
from .splitargs import split_args

PROTO_INLINE_MAX_SIZE = 1024 * 64  # server.h: max size of an inline request / header line
INT_MAX = (1 << 31) - 1
UNAUTHENTICATED_MAX_ARGS = 10  # networking.c: "ll > 10 && authRequired(c)"
UNAUTHENTICATED_MAX_BULK = 16384


class ProtocolError(Exception):
    """Malformed request: reply ``-ERR <message>`` and close the connection."""


class RequestReader:
    """Incremental parser of client requests.

    ``feed(data)`` appends bytes; ``read()`` returns the next complete argument
    vector (a list of ``bytes``), an empty list for an empty inline line or an
    empty multibulk (Redis skips those silently), or ``None`` when more bytes
    are needed.
    """

    __slots__ = (
        "_buf",
        "_pos",
        "_argv",
        "_remaining",
        "_bulklen",
        "_chunks",
        "_chunks_len",
        "max_bulk_len",
        "authenticated",
    )

    def __init__(self, max_bulk_len: int = 512 * 1024 * 1024) -> None:
        self._buf = b""
        self._pos = 0
        self._argv: list[bytes] | None = None  # arguments of a multibulk in progress
        self._remaining = 0  # arguments still expected
        self._bulklen = -1  # length of the bulk being read, -1 before its header
        self._chunks: list[bytes] | None = None  # big bulk arriving in pieces
        self._chunks_len = 0
        self.max_bulk_len = max_bulk_len
        self.authenticated = True

    # -- buffer -----------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        if self._chunks is not None:
            self._chunks.append(data)
            self._chunks_len += len(data)
            if self._chunks_len >= self._bulklen + 2:
                self._buf = self._buf[self._pos :] + b"".join(self._chunks)
                self._pos = 0
                self._chunks = None
                self._chunks_len = 0
            return
        if self._pos >= len(self._buf):
            self._buf = data
        else:
            self._buf = self._buf[self._pos :] + data
        self._pos = 0

    def pending(self) -> int:
        """Bytes received and not yet returned as arguments (the query buffer)."""
        n = len(self._buf) - self._pos + self._chunks_len
        if self._argv:
            n += sum(map(len, self._argv))
        return n

    def buffered(self) -> int:
        """Unparsed bytes only (``qbuf`` of CLIENT LIST)."""
        return len(self._buf) - self._pos + self._chunks_len

    # -- parsing ----------------------------------------------------------------

    def read(self) -> list[bytes] | None:
        if self._argv is not None:
            return self._read_multibulk()
        buf = self._buf
        pos = self._pos
        if pos >= len(buf):
            return None
        if buf[pos] == 42:  # '*'
            nl = buf.find(b"\r", pos)
            if nl == -1 or nl + 1 >= len(buf):
                if len(buf) - pos > PROTO_INLINE_MAX_SIZE:
                    raise ProtocolError(PROTO_TOO_BIG_MBULK_COUNT)
                return None
            ll = string2ll(buf[pos + 1 : nl])
            if ll is None or ll > INT_MAX:
                raise ProtocolError(PROTO_INVALID_MBULK)
            if ll > UNAUTHENTICATED_MAX_ARGS and not self.authenticated:
                raise ProtocolError(PROTO_INVALID_MBULK)
            self._pos = nl + 2
            if ll <= 0:
                return []
            self._argv = []
            self._remaining = ll
            return self._read_multibulk()
        return self._read_inline()

    def _read_inline(self) -> list[bytes] | None:
        buf = self._buf
        pos = self._pos
        nl = buf.find(b"\n", pos)
        if nl == -1:
            if len(buf) - pos > PROTO_INLINE_MAX_SIZE:
                raise ProtocolError(PROTO_TOO_BIG_INLINE)
            return None
        end = nl - 1 if nl > pos and buf[nl - 1] == 13 else nl
        argv = split_args(buf[pos:end])
        if argv is None:
            raise ProtocolError(PROTO_UNBALANCED_QUOTES)
        self._pos = nl + 1
        return argv

    def _read_multibulk(self) -> list[bytes] | None:
        buf = self._buf
        pos = self._pos
        argv = self._argv
        remaining = self._remaining
        bulklen = self._bulklen
        size = len(buf)
        max_bulk = self.max_bulk_len if self.authenticated else min(
            self.max_bulk_len, UNAUTHENTICATED_MAX_BULK
        )
        while remaining:
            if bulklen == -1:
                nl = buf.find(b"\r", pos)
                if nl == -1 or nl + 1 >= size:
                    if size - pos > PROTO_INLINE_MAX_SIZE:
                        raise ProtocolError(PROTO_TOO_BIG_BULK_COUNT)
                    break
                if buf[pos] != 36:  # '$'
                    raise ProtocolError(PROTO_EXPECTED_DOLLAR % chr(buf[pos]))
                ll = string2ll(buf[pos + 1 : nl])
                if ll is None or ll < 0 or ll > max_bulk:
                    raise ProtocolError(PROTO_INVALID_BULK)
                pos = nl + 2
                bulklen = ll
            end = pos + bulklen
            if end + 2 > size:
                break
            argv.append(buf[pos:end])
            pos = end + 2  # like Redis, the CRLF after the data is skipped unchecked
            bulklen = -1
            remaining -= 1
        if remaining == 0:
            self._argv = None
            self._remaining = 0
            self._bulklen = -1
            self._pos = pos
            return argv
        self._remaining = remaining
        self._bulklen = bulklen
        # Drop what has been consumed so the partial argument is all we keep.
        self._buf = buf[pos:]
        self._pos = 0
        if bulklen > PROTO_INLINE_MAX_SIZE and len(self._buf) < bulklen + 2:
            # A big argument: collect its pieces and join them once.
            self._chunks = [self._buf]
            self._chunks_len = len(self._buf)
            self._buf = b""
        return None

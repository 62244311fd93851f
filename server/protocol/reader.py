"""The request reader: bytes in, argument vectors out (sans-IO).

Redis reads two request forms (networking.c):

    multibulk   *<argc>\\r\\n  then argc times  $<len>\\r\\n<bytes>\\r\\n
    inline      SET key "a value"\\n        (what telnet users and redis-cli --pipe's
                                            trailing ECHO send; split by sdssplitargs)

**The hiredis accelerator.** Parsing in Python costs about 3 us per command;
``hiredis.Reader`` (C) costs 0.2 us. But hiredis parses *replies*: it accepts
forms Redis refuses in requests (``+simple``, ``:int``, leading zeros...) and
knows nothing of Redis's limits. So for complete multibulk frames from an
authenticated client we let hiredis split the arguments, then check that the
frame's bytes are exactly the canonical encoding of what it returned (every
header ``$<len>\r\n`` and every CRLF where it must be, with ``startswith`` at
an offset: no copies) and that no argument exceeds ``proto-max-bulk-len``.
Only then is a frame accepted from hiredis; anything else — an incomplete
frame, a non-canonical one, an error — is handed to the Python parser at the
frame's first byte, which gives Redis's exact answer. Both parsers read the
same buffer, so they can never disagree about where a frame starts.

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

import re
from collections import deque

try:
    import hiredis
except ImportError:  # pragma: no cover - hiredis is a dependency
    hiredis = None

from ..errors import (
    PROTO_EXPECTED_DOLLAR,
    PROTO_INVALID_BULK,
    PROTO_INVALID_MBULK,
    PROTO_TOO_BIG_BULK_COUNT,
    PROTO_TOO_BIG_INLINE,
    PROTO_TOO_BIG_MBULK_COUNT,
    PROTO_UNAUTH_BULK,
    PROTO_UNAUTH_MBULK,
    PROTO_UNBALANCED_QUOTES,
)
from ..numbers import string2ll
from .splitargs import split_args

PROTO_INLINE_MAX_SIZE = 1024 * 64  # server.h: max size of an inline request / header line
INT_MAX = (1 << 31) - 1
UNAUTHENTICATED_MAX_ARGS = 10  # networking.c: "ll > 10 && authRequired(c)"
UNAUTHENTICATED_MAX_BULK = 16384
# hiredis allocates a frame's argument list as soon as it reads the count, so a
# header like "*2147483647" would reserve 16 GiB. Buffers where a '*' is
# followed by 6 or more digits (in a header, or by chance in data) are left to
# the Python parser, which grows the list as arguments arrive, like Redis.
_BIG_COUNT = re.compile(rb"\*\d{6}")
_BULK_HEADERS = [b"$%d\r\n" % n for n in range(1024)]
_MBULK_HEADERS = [b"*%d\r\n" % n for n in range(64)]


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
        "accelerate",
        "_queue",
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
        self.accelerate = hiredis is not None
        # Frames already split by hiredis, in order; they end at _pos.
        self._queue: deque[list[bytes]] = deque()

    # -- buffer -----------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        if self._queue:
            # Frames split ahead are still waiting: keep their bytes, append.
            self._buf = self._buf + data
            return
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

    def _unread_start(self) -> int:
        """Where the first frame not yet returned starts (queued frames are canonical,
        so their sizes follow from their arguments)."""
        if not self._queue:
            return self._pos
        return self._pos - sum(len(self._canonical(argv) or b"") for argv in self._queue)

    def rewind(self) -> None:
        """Forget frames split ahead (the client's limits changed): re-read them."""
        if self._queue:
            self._pos = self._unread_start()
            self._queue.clear()

    def pending(self) -> int:
        """Bytes received and not yet returned as arguments (the query buffer)."""
        n = len(self._buf) - self._unread_start() + self._chunks_len
        if self._argv:
            n += sum(map(len, self._argv))
        return n

    def buffered(self) -> int:
        """Unparsed bytes only (``qbuf`` of CLIENT LIST)."""
        return len(self._buf) - self._unread_start() + self._chunks_len

    # -- parsing ----------------------------------------------------------------

    def read(self) -> list[bytes] | None:
        q = self._queue
        if q:
            return q.popleft()
        if self._argv is not None:
            return self._read_multibulk()
        buf = self._buf
        pos = self._pos
        if pos >= len(buf):
            return None
        if buf[pos] == 42:  # '*'
            if self.accelerate and self.authenticated:
                self._split_with_hiredis()
                if q:
                    return q.popleft()
            nl = buf.find(b"\r", pos)
            if nl == -1 or nl + 1 >= len(buf):
                if len(buf) - pos > PROTO_INLINE_MAX_SIZE:
                    raise ProtocolError(PROTO_TOO_BIG_MBULK_COUNT)
                return None
            ll = string2ll(buf[pos + 1 : nl])
            if ll is None or ll > INT_MAX:
                raise ProtocolError(PROTO_INVALID_MBULK)
            if ll > UNAUTHENTICATED_MAX_ARGS and not self.authenticated:
                raise ProtocolError(PROTO_UNAUTH_MBULK)
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
        if self._chunks is not None:
            return None  # still collecting a big argument's pieces
        buf = self._buf
        pos = self._pos
        argv = self._argv
        remaining = self._remaining
        bulklen = self._bulklen
        size = len(buf)
        max_bulk = self.max_bulk_len
        authenticated = self.authenticated
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
                if ll > UNAUTHENTICATED_MAX_BULK and not authenticated:
                    raise ProtocolError(PROTO_UNAUTH_BULK)
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

    def _split_with_hiredis(self) -> None:
        """Queue the canonical complete frames at the buffer's position (see module doc).

        All complete frames hiredis finds are checked at once: their joint
        canonical encoding must be exactly the bytes they came from. If it is
        not (a frame is non-canonical, or not an array of strings), the frames
        are checked one by one up to the first that fails.
        """
        buf = self._buf
        pos = self._pos
        if _BIG_COUNT.search(buf, pos):
            return
        reader = hiredis.Reader()
        reader.feed(buf, pos)
        frames = []
        while True:
            try:
                argv = reader.gets()
            except Exception:  # hiredis.ProtocolError: the Python parser words the error
                break
            if type(argv) is not list or not argv:  # False: incomplete; others: not a request
                break
            frames.append(argv)
        if not frames:
            return
        bulk = _BULK_HEADERS
        mbulk = _MBULK_HEADERS
        crlf = b"\r\n"
        parts: list[bytes] = []
        add = parts.append  # appending pieces and joining once is the cheapest way here
        try:
            for f in frames:
                add(mbulk[len(f)])
                for a in f:
                    add(bulk[len(a)])
                    add(a)
                    add(crlf)
            canon = b"".join(parts)
        except (TypeError, IndexError):  # not all bytes, or long: check frame by frame
            canon = None
        if canon is not None and buf.startswith(canon, pos):
            self._queue.extend(frames)
            self._pos = pos + len(canon)
            return
        for argv in frames:
            c = self._canonical(argv)
            if c is None or not buf.startswith(c, pos):
                break
            self._queue.append(argv)
            pos += len(c)
        self._pos = pos

    def _canonical(self, argv: list) -> bytes | None:
        """The exact bytes of argv as a multibulk request, or None if it cannot be one."""
        parts = [b"*%d\r\n" % len(argv)]
        for a in argv:
            if type(a) is not bytes or len(a) > self.max_bulk_len:
                return None
            parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(parts)

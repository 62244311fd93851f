"""Listpack: Redis 7.0's compact sequence of strings and integers (listpack.c).

A listpack is one contiguous allocation. Small hashes, sorted sets and every
quicklist node keep their elements in one, because a few hundred bytes walked
linearly beat pointers, allocator headers and cache misses. The bytes below
are the truth: this module keeps a ``bytearray`` in exactly the format Redis
keeps in memory and writes into RDB files and ``DUMP`` payloads.

Whole listpack::

    +-------------+--------------+---------+---------+-----+---------+------+
    | total-bytes | num-elements | entry 0 | entry 1 | ... | entry N | 0xFF |
    |  u32 LE     |   u16 LE     |         |         |     |         | EOF  |
    +-------------+--------------+---------+---------+-----+---------+------+
     <------------ LP_HDR_SIZE = 6 -------->

``num-elements`` saturates: at 65535 (``LP_HDR_NUMELE_UNKNOWN``) the count is
"unknown" and must be found by walking; ``len()`` walks and writes the count
back once it fits again, as ``lpLength`` does.

One entry::

    +----------------------+-----------------+-------------------------+
    | encoding (+ length)  | data (optional) | back-length (1..5 bytes) |
    +----------------------+-----------------+-------------------------+

Encodings (first byte, then what follows)::

    0xxxxxxx                         LP_ENCODING_7BIT_UINT   0..127
    10xxxxxx <data>                  LP_ENCODING_6BIT_STR    len 0..63
    110xxxxx yyyyyyyy                LP_ENCODING_13BIT_INT   -4096..4095
    1110xxxx yyyyyyyy <data>         LP_ENCODING_12BIT_STR   len 0..4095
    11110001 <2 bytes LE>            LP_ENCODING_16BIT_INT
    11110010 <3 bytes LE>            LP_ENCODING_24BIT_INT
    11110011 <4 bytes LE>            LP_ENCODING_32BIT_INT
    11110100 <8 bytes LE>            LP_ENCODING_64BIT_INT
    11110000 <4 bytes LE len> <data> LP_ENCODING_32BIT_STR
    11111111                         LP_EOF

Integers are two's complement in the field width (13-bit ones split big-end
first: the high 5 bits share the encoding byte).

The back-length holds the size of "encoding + data" so that an iterator can
step *backwards* from the end (``lpPrev``; Redis seeks from the tail when an
index is in the second half). It is a base-128 number written so that it can
be read right to left: the byte nearest the next entry holds the lowest 7
bits, and every byte except the leftmost has its high bit set::

    l = 200  ->  01 C8        (read from the right: 0x48 | cont, then 0x01)

``lpEncodeBacklen`` switches widths at 127, 16383, 2097151 and 268435455 with
a strict ``<`` -- so 16383 itself takes three bytes -- and we copy that.

Why strings become integers: ``lpEncodeGetType`` first tries
``lpStringToInt64``; a string that is the canonical decimal form of an int64
(no '+', no leading zeros, no "-0", at most 20 characters) is stored as an
integer. "123" costs 2 bytes instead of 5, and reading it back yields the
same characters, so nothing observable changes except size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# --- constants (listpack.c names) -------------------------------------------

LP_HDR_SIZE = 6
LP_HDR_NUMELE_UNKNOWN = 0xFFFF
LP_MAX_INT_ENCODING_LEN = 9
LP_MAX_BACKLEN_SIZE = 5
LP_EOF = 0xFF

LP_ENCODING_7BIT_UINT = 0x00
LP_ENCODING_7BIT_UINT_MASK = 0x80
LP_ENCODING_6BIT_STR = 0x80
LP_ENCODING_6BIT_STR_MASK = 0xC0
LP_ENCODING_13BIT_INT = 0xC0
LP_ENCODING_13BIT_INT_MASK = 0xE0
LP_ENCODING_12BIT_STR = 0xE0
LP_ENCODING_12BIT_STR_MASK = 0xF0
LP_ENCODING_16BIT_INT = 0xF1
LP_ENCODING_24BIT_INT = 0xF2
LP_ENCODING_32BIT_INT = 0xF3
LP_ENCODING_64BIT_INT = 0xF4
LP_ENCODING_32BIT_STR = 0xF0

#: listpack.h: a listpack may never grow past 1GB through the safe API.
LISTPACK_MAX_SAFETY_SIZE = 1 << 30
#: util.h LONG_STR_SIZE: longest decimal int64 plus sign, plus the NUL.
LONG_STR_SIZE = 21

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

EMPTY_LISTPACK = bytes([7, 0, 0, 0, 0, 0, LP_EOF])

Value = bytes | int


# --- integers stored as strings ----------------------------------------------


def string_to_int64(s: bytes) -> int | None:
    """``lpStringToInt64``/``string2ll``: the int64 ``s`` spells, or None.

    Only the canonical spelling counts: "0", "-5", "123"; not "+1", "01",
    "-0", " 1", "1.0", "" or anything over 20 characters or outside int64.
    """
    slen = len(s)
    if slen == 0 or slen >= LONG_STR_SIZE:
        return None
    if slen == 1 and s[0] == 0x30:
        return 0
    i = 0
    negative = False
    if s[0] == 0x2D:  # '-'
        negative = True
        i = 1
        if slen == 1:
            return None
    if not 0x31 <= s[i] <= 0x39:  # first digit 1-9
        return None
    v = 0
    while i < slen:
        c = s[i]
        if not 0x30 <= c <= 0x39:
            return None
        v = v * 10 + (c - 0x30)
        i += 1
    if negative:
        v = -v
        return v if v >= INT64_MIN else None
    return v if v <= INT64_MAX else None


def _as_bytes(value: Value | str) -> bytes:
    if isinstance(value, bool):
        raise TypeError("listpack values are bytes, str or int")
    if isinstance(value, int):
        return str(value).encode()
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


# --- entry encoding ----------------------------------------------------------


def encode_integer(v: int) -> bytes:
    """``lpEncodeIntegerGetType``: the smallest integer encoding for ``v``."""
    if not INT64_MIN <= v <= INT64_MAX:
        raise OverflowError("listpack integers are int64")
    if 0 <= v <= 127:
        return bytes([v])
    if -4096 <= v <= 4095:
        if v < 0:
            v += 1 << 13
        return bytes([(v >> 8) | LP_ENCODING_13BIT_INT, v & 0xFF])
    if -32768 <= v <= 32767:
        return bytes([LP_ENCODING_16BIT_INT]) + (v & 0xFFFF).to_bytes(2, "little")
    if -8388608 <= v <= 8388607:
        return bytes([LP_ENCODING_24BIT_INT]) + (v & 0xFFFFFF).to_bytes(3, "little")
    if -2147483648 <= v <= 2147483647:
        return bytes([LP_ENCODING_32BIT_INT]) + (v & 0xFFFFFFFF).to_bytes(4, "little")
    return bytes([LP_ENCODING_64BIT_INT]) + (v & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "little")


def encode_string(s: bytes) -> bytes:
    """``lpEncodeString``: header + data for a string that is not an int."""
    n = len(s)
    if n < 64:
        return bytes([LP_ENCODING_6BIT_STR | n]) + s
    if n < 4096:
        return bytes([LP_ENCODING_12BIT_STR | (n >> 8), n & 0xFF]) + s
    return bytes([LP_ENCODING_32BIT_STR]) + n.to_bytes(4, "little") + s


def encode_backlen(length: int) -> bytes:
    """``lpEncodeBacklen``: ``length`` written to be read right to left."""
    if length <= 127:
        return bytes([length])
    if length < 16383:
        return bytes([length >> 7, (length & 127) | 128])
    if length < 2097151:
        return bytes([length >> 14, ((length >> 7) & 127) | 128, (length & 127) | 128])
    if length < 268435455:
        return bytes(
            [
                length >> 21,
                ((length >> 14) & 127) | 128,
                ((length >> 7) & 127) | 128,
                (length & 127) | 128,
            ]
        )
    return bytes(
        [
            (length >> 28) & 0xFF,
            ((length >> 21) & 127) | 128,
            ((length >> 14) & 127) | 128,
            ((length >> 7) & 127) | 128,
            (length & 127) | 128,
        ]
    )


def backlen_size(length: int) -> int:
    """How many bytes ``encode_backlen(length)`` takes."""
    if length <= 127:
        return 1
    if length < 16383:
        return 2
    if length < 2097151:
        return 3
    if length < 268435455:
        return 4
    return 5


def decode_backlen(buf: bytes | bytearray, last: int, low: int = 0) -> int | None:
    """``lpDecodeBacklen``: read the back-length ending at ``buf[last]``.

    Returns None when it runs past 5 bytes or below ``low`` (corrupt input).
    """
    val = 0
    shift = 0
    p = last
    while True:
        if p < low:
            return None
        b = buf[p]
        val |= (b & 127) << shift
        if not b & 128:
            return val
        shift += 7
        p -= 1
        if shift > 28:
            return None


def encode_entry(value: Value | str) -> bytes:
    """A whole entry (encoding + data + back-length) as ``lpInsert`` writes it.

    Python ints are stored as integers (``lpAppendInteger``); bytes/str go
    through ``lpStringToInt64`` first, like every string Redis inserts.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        enc = encode_integer(value)
    else:
        s = _as_bytes(value)
        iv = string_to_int64(s)
        enc = encode_integer(iv) if iv is not None else encode_string(s)
    return enc + encode_backlen(len(enc))


def encoded_size(value: Value | str) -> int:
    """Bytes an entry for ``value`` would occupy, back-length included."""
    return len(encode_entry(value))


_ENCODING_NAMES = {
    LP_ENCODING_16BIT_INT: "LP_ENCODING_16BIT_INT",
    LP_ENCODING_24BIT_INT: "LP_ENCODING_24BIT_INT",
    LP_ENCODING_32BIT_INT: "LP_ENCODING_32BIT_INT",
    LP_ENCODING_64BIT_INT: "LP_ENCODING_64BIT_INT",
    LP_ENCODING_32BIT_STR: "LP_ENCODING_32BIT_STR",
}
_INT_WIDTH = {
    LP_ENCODING_16BIT_INT: 2,
    LP_ENCODING_24BIT_INT: 3,
    LP_ENCODING_32BIT_INT: 4,
    LP_ENCODING_64BIT_INT: 8,
}


def encoding_name(first_byte: int) -> str | None:
    """The LP_ENCODING_* name for an entry's first byte (None if invalid)."""
    if first_byte & LP_ENCODING_7BIT_UINT_MASK == LP_ENCODING_7BIT_UINT:
        return "LP_ENCODING_7BIT_UINT"
    if first_byte & LP_ENCODING_6BIT_STR_MASK == LP_ENCODING_6BIT_STR:
        return "LP_ENCODING_6BIT_STR"
    if first_byte & LP_ENCODING_13BIT_INT_MASK == LP_ENCODING_13BIT_INT:
        return "LP_ENCODING_13BIT_INT"
    if first_byte & LP_ENCODING_12BIT_STR_MASK == LP_ENCODING_12BIT_STR:
        return "LP_ENCODING_12BIT_STR"
    return _ENCODING_NAMES.get(first_byte)


def _header_size_bytes(b: int) -> int:
    """``lpCurrentEncodedSizeBytes``: bytes needed to know the entry size."""
    if b & LP_ENCODING_7BIT_UINT_MASK == LP_ENCODING_7BIT_UINT:
        return 1
    if b & LP_ENCODING_6BIT_STR_MASK == LP_ENCODING_6BIT_STR:
        return 1
    if b & LP_ENCODING_13BIT_INT_MASK == LP_ENCODING_13BIT_INT:
        return 1
    if b & LP_ENCODING_12BIT_STR_MASK == LP_ENCODING_12BIT_STR:
        return 2
    if b in _INT_WIDTH:
        return 1
    if b == LP_ENCODING_32BIT_STR:
        return 5
    return 0


def _entry_layout(buf: bytes | bytearray, p: int) -> tuple[int, int]:
    """(header length, data length) of the entry at ``p``, which must be sane.

    ``lpCurrentEncodedSizeUnsafe`` is header + data; callers add the
    back-length. Raises ValueError for an invalid encoding byte.
    """
    b = buf[p]
    if b & LP_ENCODING_7BIT_UINT_MASK == LP_ENCODING_7BIT_UINT:
        return 1, 0
    if b & LP_ENCODING_6BIT_STR_MASK == LP_ENCODING_6BIT_STR:
        return 1, b & 0x3F
    if b & LP_ENCODING_13BIT_INT_MASK == LP_ENCODING_13BIT_INT:
        return 2, 0
    if b & LP_ENCODING_12BIT_STR_MASK == LP_ENCODING_12BIT_STR:
        return 2, ((b & 0x0F) << 8) | buf[p + 1]
    w = _INT_WIDTH.get(b)
    if w is not None:
        return 1 + w, 0
    if b == LP_ENCODING_32BIT_STR:
        return 5, int.from_bytes(buf[p + 1 : p + 5], "little")
    raise ValueError(f"invalid listpack encoding byte 0x{b:02x} at offset {p}")


def _decode_value(buf: bytes | bytearray, p: int) -> Value:
    """``lpGet``: the entry at ``p`` as bytes (strings) or int (integers)."""
    b = buf[p]
    if b & LP_ENCODING_7BIT_UINT_MASK == LP_ENCODING_7BIT_UINT:
        return b & 0x7F
    if b & LP_ENCODING_6BIT_STR_MASK == LP_ENCODING_6BIT_STR:
        n = b & 0x3F
        return bytes(buf[p + 1 : p + 1 + n])
    if b & LP_ENCODING_13BIT_INT_MASK == LP_ENCODING_13BIT_INT:
        u = ((b & 0x1F) << 8) | buf[p + 1]
        return u - (1 << 13) if u >= 1 << 12 else u
    if b & LP_ENCODING_12BIT_STR_MASK == LP_ENCODING_12BIT_STR:
        n = ((b & 0x0F) << 8) | buf[p + 1]
        return bytes(buf[p + 2 : p + 2 + n])
    w = _INT_WIDTH.get(b)
    if w is not None:
        return int.from_bytes(buf[p + 1 : p + 1 + w], "little", signed=True)
    if b == LP_ENCODING_32BIT_STR:
        n = int.from_bytes(buf[p + 1 : p + 5], "little")
        return bytes(buf[p + 5 : p + 5 + n])
    raise ValueError(f"invalid listpack encoding byte 0x{b:02x} at offset {p}")


def value_to_bytes(v: Value) -> bytes:
    """An entry value as the string Redis replies with (ints in decimal)."""
    return str(v).encode() if isinstance(v, int) else v


# --- validation of untrusted bytes --------------------------------------------


def validate(data: bytes | bytearray, deep: bool = True) -> None:
    """``lpValidateIntegrity``: raise ValueError unless ``data`` is a sound listpack.

    Shallow checks the header and terminator (what Redis does when loading
    with sanitize-dump-payload off); deep walks every entry, checking that
    each header, data and back-length stays inside the buffer, that every
    back-length matches its entry, that the walk lands exactly on the EOF and
    that the element count agrees (unless it is saturated at 65535).
    """
    size = len(data)
    if size < LP_HDR_SIZE + 1:
        raise ValueError(f"listpack too short: {size} bytes")
    total = int.from_bytes(data[0:4], "little")
    if total != size:
        raise ValueError(f"listpack total-bytes {total} != buffer size {size}")
    if data[size - 1] != LP_EOF:
        raise ValueError("listpack does not end with 0xFF")
    if not deep:
        return
    numele = int.from_bytes(data[4:6], "little")
    eof = size - 1
    p = LP_HDR_SIZE
    count = 0
    while data[p] != LP_EOF:
        lenbytes = _header_size_bytes(data[p])
        if not lenbytes:
            raise ValueError(f"invalid encoding byte 0x{data[p]:02x} at offset {p}")
        if p + lenbytes > eof:
            raise ValueError(f"entry header at offset {p} runs past the end")
        hdr, dlen = _entry_layout(data, p)
        entrylen = hdr + dlen
        blen = backlen_size(entrylen)
        nxt = p + entrylen + blen
        if nxt > eof:
            raise ValueError(f"entry at offset {p} runs past the end")
        prevlen = decode_backlen(data, nxt - 1, p)
        if prevlen is None or prevlen != entrylen:
            raise ValueError(f"bad back-length for entry at offset {p}")
        p = nxt
        count += 1
    if p != eof:
        raise ValueError(f"early terminator at offset {p}")
    if numele != LP_HDR_NUMELE_UNKNOWN and numele != count:
        raise ValueError(f"num-elements {numele} != {count} entries")


# --- inspector view ------------------------------------------------------------


@dataclass(frozen=True)
class EntryInfo:
    """One entry's layout, for the lab's inspector (``LAB INSPECT``)."""

    index: int
    offset: int
    encoding: str
    header_len: int
    data_len: int
    value: Value
    backlen: int
    backlen_size: int
    size: int  # header + data + back-length


# --- the listpack ------------------------------------------------------------


class Listpack:
    """A listpack whose ``bytearray`` is the only state.

    Indexes follow Redis (``lpSeek``): 0 is the first entry, -1 the last.
    Values come back as ``bytes`` for strings and ``int`` for integers, as
    ``lpGetValue`` hands them to Redis's callers; ``get_bytes`` gives the
    reply form.
    """

    __slots__ = ("buf",)

    def __init__(self, values: Iterable[Value | str] = ()) -> None:
        self.buf = bytearray(EMPTY_LISTPACK)
        for v in values:
            self.append(v)

    # -- construction / bytes --

    @classmethod
    def from_bytes(cls, data: bytes | bytearray, deep: bool = True) -> Listpack:
        validate(data, deep)
        lp = cls()
        lp.buf = bytearray(data)
        return lp

    validate = staticmethod(validate)

    def to_bytes(self) -> bytes:
        return bytes(self.buf)

    @property
    def total_bytes(self) -> int:
        """``lpBytes``: the total-bytes header (equals ``len(buf)``)."""
        return int.from_bytes(self.buf[0:4], "little")

    @property
    def header_count(self) -> int:
        """The raw num-elements field (65535 means unknown)."""
        return int.from_bytes(self.buf[4:6], "little")

    def _set_total(self) -> None:
        self.buf[0:4] = len(self.buf).to_bytes(4, "little")

    def _set_count(self, n: int) -> None:
        self.buf[4:6] = min(n, LP_HDR_NUMELE_UNKNOWN).to_bytes(2, "little")

    def __len__(self) -> int:
        """``lpLength``: the header count, or a walk when it is saturated."""
        n = self.header_count
        if n != LP_HDR_NUMELE_UNKNOWN:
            return n
        count = sum(1 for _ in self.offsets())
        if count < LP_HDR_NUMELE_UNKNOWN:
            self._set_count(count)
        return count

    def __bool__(self) -> bool:
        return self.buf[LP_HDR_SIZE] != LP_EOF

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Listpack) and self.buf == other.buf

    def __repr__(self) -> str:
        return f"Listpack({list(self)!r})"

    # -- navigation (byte offsets, like the C pointers) --

    def first(self) -> int | None:
        """``lpFirst``: offset of the first entry, or None when empty."""
        return None if self.buf[LP_HDR_SIZE] == LP_EOF else LP_HDR_SIZE

    def last(self) -> int | None:
        """``lpLast``: offset of the last entry, found via its back-length."""
        return self.prev(len(self.buf) - 1)

    def entry_size(self, p: int) -> int:
        """Bytes of the entry at ``p`` including its back-length."""
        hdr, dlen = _entry_layout(self.buf, p)
        return hdr + dlen + backlen_size(hdr + dlen)

    def next(self, p: int) -> int | None:
        """``lpNext``: offset of the entry after ``p`` (None at the end)."""
        q = p + self.entry_size(p)
        return None if self.buf[q] == LP_EOF else q

    def prev(self, p: int) -> int | None:
        """``lpPrev``: step left using the back-length that ends at ``p-1``."""
        if p <= LP_HDR_SIZE:
            return None
        prevlen = decode_backlen(self.buf, p - 1, LP_HDR_SIZE)
        if prevlen is None:
            raise ValueError("corrupt back-length")
        return p - prevlen - backlen_size(prevlen)

    def offsets(self) -> Iterator[int]:
        p = self.first()
        while p is not None:
            yield p
            p = self.next(p)

    def offsets_reversed(self) -> Iterator[int]:
        p = self.last()
        while p is not None:
            yield p
            p = self.prev(p)

    def seek(self, index: int) -> int | None:
        """``lpSeek``: offset of entry ``index`` (negative from the tail).

        Like Redis, walks forward from the head when the index is in the
        first half and backward from the tail (via back-lengths) otherwise.
        """
        n = len(self)
        if index < 0:
            index += n
        if index < 0 or index >= n:
            return None
        if index > n // 2:
            p = self.last()
            steps = n - 1 - index
            while steps and p is not None:
                p = self.prev(p)
                steps -= 1
            return p
        p = self.first()
        while index and p is not None:
            p = self.next(p)
            index -= 1
        return p

    def value_at(self, p: int) -> Value:
        return _decode_value(self.buf, p)

    def decode_run(self, p: int, count: int) -> tuple[list[bytes], int]:
        """Up to ``count`` values as reply strings, from the entry at ``p`` forward.

        The same decoding as :func:`_decode_value` and :meth:`next`, unrolled in
        one loop for the encodings small lists use (7-bit ints, 6/12-bit
        strings, 13-bit ints): LRANGE and friends read runs of entries, and a
        call per entry would dominate their cost. Returns the values and the
        offset after the last one read.
        """
        buf = self.buf
        out: list[bytes] = []
        add = out.append
        while count and buf[p] != LP_EOF:
            b = buf[p]
            if b < 0x80:  # LP_ENCODING_7BIT_UINT
                add(b"%d" % b)
                size = 1
            elif b & 0xC0 == 0x80:  # LP_ENCODING_6BIT_STR
                size = 1 + (b & 0x3F)
                add(bytes(buf[p + 1 : p + size]))
            elif b & 0xE0 == 0xC0:  # LP_ENCODING_13BIT_INT
                u = ((b & 0x1F) << 8) | buf[p + 1]
                add(b"%d" % (u - 8192 if u >= 4096 else u))
                size = 2
            elif b & 0xF0 == 0xE0:  # LP_ENCODING_12BIT_STR
                size = 2 + (((b & 0x0F) << 8) | buf[p + 1])
                add(bytes(buf[p + 2 : p + size]))
            else:
                add(value_to_bytes(_decode_value(buf, p)))
                hdr, dlen = _entry_layout(buf, p)
                size = hdr + dlen
            p += size + (1 if size < 128 else backlen_size(size))
            count -= 1
        return out, p

    # -- reading --

    def get(self, index: int) -> Value:
        p = self.seek(index)
        if p is None:
            raise IndexError("listpack index out of range")
        return _decode_value(self.buf, p)

    __getitem__ = get

    def get_bytes(self, index: int) -> bytes:
        return value_to_bytes(self.get(index))

    def __iter__(self) -> Iterator[Value]:
        for p in self.offsets():
            yield _decode_value(self.buf, p)

    def __reversed__(self) -> Iterator[Value]:
        for p in self.offsets_reversed():
            yield _decode_value(self.buf, p)

    def iter_bytes(self) -> Iterator[bytes]:
        for v in self:
            yield value_to_bytes(v)

    def find(self, value: Value | str, start: int = 0, skip: int = 0) -> int | None:
        """``lpFind``: index of the first entry from ``start`` equal to ``value``.

        After each compared entry ``skip`` entries are jumped over, so a hash
        (field, value, field, value ...) searches only fields with
        ``skip=1``. Integer entries compare as numbers against the search
        string's integer form, exactly when ``lpStringToInt64`` accepts it.
        """
        s = _as_bytes(value)
        sval = string_to_int64(s)
        skipcnt = 0
        idx = start
        p = self.seek(start) if start else self.first()
        while p is not None:
            if skipcnt == 0:
                v = _decode_value(self.buf, p)
                if isinstance(v, int):
                    if sval is not None and v == sval:
                        return idx
                elif v == s:
                    return idx
                skipcnt = skip
            else:
                skipcnt -= 1
            p = self.next(p)
            idx += 1
        return None

    # -- writing --

    def safe_to_add(self, add: int) -> bool:
        """``lpSafeToAdd``: would ``add`` more bytes stay under 1GB?"""
        return len(self.buf) + add <= LISTPACK_MAX_SAFETY_SIZE

    def _insert_at_offset(self, p: int, entry: bytes) -> None:
        self.buf[p:p] = entry
        if len(self.buf) > 0xFFFFFFFF:
            del self.buf[p : p + len(entry)]
            raise OverflowError("listpack would exceed 4GB")
        self._set_total()
        n = self.header_count
        if n != LP_HDR_NUMELE_UNKNOWN:
            self._set_count(n + 1)

    def append(self, value: Value | str) -> None:
        """``lpAppend`` (``lpAppendInteger`` for Python ints)."""
        self._insert_at_offset(len(self.buf) - 1, encode_entry(value))

    def prepend(self, value: Value | str) -> None:
        """``lpPrepend``."""
        self._insert_at_offset(LP_HDR_SIZE, encode_entry(value))

    def insert(self, index: int, value: Value | str) -> None:
        """Insert before entry ``index``; ``index == len`` appends.

        Negative indexes count from the tail like ``list.insert``.
        """
        n = len(self)
        if index < 0:
            index = max(0, index + n)
        if index >= n:
            self.append(value)
            return
        p = self.seek(index)
        assert p is not None
        self._insert_at_offset(p, encode_entry(value))

    def replace(self, index: int, value: Value | str) -> None:
        """``lpReplace``: overwrite entry ``index`` in place."""
        p = self.seek(index)
        if p is None:
            raise IndexError("listpack index out of range")
        size = self.entry_size(p)
        self.buf[p : p + size] = encode_entry(value)
        self._set_total()

    def delete(self, index: int) -> Value:
        """``lpDelete``: remove entry ``index`` and return its value."""
        p = self.seek(index)
        if p is None:
            raise IndexError("listpack index out of range")
        v = _decode_value(self.buf, p)
        del self.buf[p : p + self.entry_size(p)]
        self._set_total()
        n = self.header_count
        if n != LP_HDR_NUMELE_UNKNOWN:
            self._set_count(n - 1)
        return v

    def delete_range(self, index: int, count: int) -> int:
        """``lpDeleteRange``: remove ``count`` entries from ``index``.

        A negative ``count`` means "to the end". Returns how many went.
        """
        n = len(self)
        if index < 0:
            index += n
        if count == 0 or index < 0 or index >= n:
            return 0
        if count < 0 or count > n - index:
            count = n - index
        p = self.seek(index)
        assert p is not None
        q = p
        for _ in range(count):
            q += self.entry_size(q)
        del self.buf[p:q]
        self._set_total()
        self._set_count(n - count)
        return count

    def clear(self) -> None:
        self.buf = bytearray(EMPTY_LISTPACK)

    @staticmethod
    def merge(first: Listpack, second: Listpack) -> Listpack:
        """``lpMerge``: one listpack with ``first``'s entries then ``second``'s."""
        out = Listpack()
        out.buf = bytearray(first.buf[:-1]) + second.buf[LP_HDR_SIZE:]
        out._set_total()
        out._set_count(len(first) + len(second))
        return out

    def copy(self) -> Listpack:
        out = Listpack()
        out.buf = bytearray(self.buf)
        return out

    # -- inspector --

    def entries(self) -> Iterator[EntryInfo]:
        """Per-entry layout: offset, encoding name, header, value, back-length."""
        for i, p in enumerate(self.offsets()):
            hdr, dlen = _entry_layout(self.buf, p)
            blen = backlen_size(hdr + dlen)
            name = encoding_name(self.buf[p])
            assert name is not None
            yield EntryInfo(
                index=i,
                offset=p,
                encoding=name,
                header_len=hdr,
                data_len=dlen,
                value=_decode_value(self.buf, p),
                backlen=hdr + dlen,
                backlen_size=blen,
                size=hdr + dlen + blen,
            )

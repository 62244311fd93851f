"""Intset: a sorted array of integers, Redis's encoding for small integer sets.

A set whose members are all integers (and at most ``set-max-intset-entries``,
512 by default) is kept as an intset (intset.c): no hashing, no pointers,
just a sorted array searched by bisection. Membership is O(log N); adding
or removing is O(N) because the tail moves, which is cheap at these sizes.

Layout (all little-endian, ``intrev32ifbe`` in C)::

    +-----------------+-----------------+----------+----------+-----+
    | encoding  u32   | length  u32     | value 0  | value 1  | ... |
    | 2, 4 or 8       | number of items | int16/32/64, ascending      |
    +-----------------+-----------------+----------+----------+-----+

Every value uses the same width, the smallest that fits the widest value
(``_intsetValueEncoding``). Adding a value that does not fit *upgrades* the
whole array (``intsetUpgradeAndAdd``): each element is re-written at the new
width starting from the back so nothing is overwritten, and since the new
value is wider than everything present it is either smaller than all of
them (negative: prepend) or larger (append). The encoding never shrinks
again on removal, as in Redis.

Redis refuses an empty intset in an RDB payload (``intsetValidateIntegrity``
returns 0 for length 0) because it never saves empty sets; ``validate``
does the same unless ``allow_empty`` is set.
"""

from __future__ import annotations

import random as _random
from collections.abc import Iterable, Iterator

INTSET_ENC_INT16 = 2
INTSET_ENC_INT32 = 4
INTSET_ENC_INT64 = 8
INTSET_HEADER_SIZE = 8

INT16_MIN, INT16_MAX = -(1 << 15), (1 << 15) - 1
INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1

ENCODING_NAMES = {
    INTSET_ENC_INT16: "INTSET_ENC_INT16",
    INTSET_ENC_INT32: "INTSET_ENC_INT32",
    INTSET_ENC_INT64: "INTSET_ENC_INT64",
}


def value_encoding(v: int) -> int:
    """``_intsetValueEncoding``: the narrowest width holding ``v``."""
    if v < INT32_MIN or v > INT32_MAX:
        if v < INT64_MIN or v > INT64_MAX:
            raise OverflowError("intset values are int64")
        return INTSET_ENC_INT64
    if v < INT16_MIN or v > INT16_MAX:
        return INTSET_ENC_INT32
    return INTSET_ENC_INT16


def validate(data: bytes | bytearray, deep: bool = True, allow_empty: bool = False) -> None:
    """``intsetValidateIntegrity``: raise ValueError unless ``data`` is sound.

    Checks the encoding is 2/4/8, that the length matches the buffer size
    exactly, that it is not empty (unless ``allow_empty``), and -- when
    ``deep`` -- that values are strictly ascending (sorted, no duplicates).
    """
    size = len(data)
    if size < INTSET_HEADER_SIZE:
        raise ValueError(f"intset too short: {size} bytes")
    enc = int.from_bytes(data[0:4], "little")
    if enc not in ENCODING_NAMES:
        raise ValueError(f"invalid intset encoding {enc}")
    count = int.from_bytes(data[4:8], "little")
    if count * enc + INTSET_HEADER_SIZE != size:
        raise ValueError(f"intset length {count} x {enc} does not match {size} bytes")
    if count == 0 and not allow_empty:
        raise ValueError("empty intset")
    if not deep:
        return
    prev = None
    for i in range(count):
        off = INTSET_HEADER_SIZE + i * enc
        cur = int.from_bytes(data[off : off + enc], "little", signed=True)
        if prev is not None and cur <= prev:
            raise ValueError(f"intset not strictly ascending at position {i}")
        prev = cur


class Intset:
    """An intset whose ``bytearray`` is the only state."""

    __slots__ = ("buf",)

    def __init__(self, values: Iterable[int] = ()) -> None:
        # intsetNew: INTSET_ENC_INT16, length 0.
        self.buf = bytearray(INTSET_ENC_INT16.to_bytes(4, "little") + bytes(4))
        for v in values:
            self.add(v)

    @classmethod
    def from_bytes(cls, data: bytes | bytearray, deep: bool = True) -> Intset:
        validate(data, deep, allow_empty=True)
        out = cls()
        out.buf = bytearray(data)
        return out

    validate = staticmethod(validate)

    def to_bytes(self) -> bytes:
        return bytes(self.buf)

    # -- header --

    @property
    def encoding(self) -> int:
        return int.from_bytes(self.buf[0:4], "little")

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES[self.encoding]

    def __len__(self) -> int:
        return int.from_bytes(self.buf[4:8], "little")

    def _set_length(self, n: int) -> None:
        self.buf[4:8] = n.to_bytes(4, "little")

    def blob_len(self) -> int:
        """``intsetBlobLen``: header plus contents."""
        return len(self.buf)

    # -- element access --

    def _get_encoded(self, pos: int, enc: int) -> int:
        off = INTSET_HEADER_SIZE + pos * enc
        return int.from_bytes(self.buf[off : off + enc], "little", signed=True)

    def _set(self, pos: int, value: int) -> None:
        enc = self.encoding
        off = INTSET_HEADER_SIZE + pos * enc
        self.buf[off : off + enc] = value.to_bytes(enc, "little", signed=True)

    def get(self, pos: int) -> int:
        """``intsetGet``: the value at ``pos`` (negative from the end)."""
        n = len(self)
        if pos < 0:
            pos += n
        if not 0 <= pos < n:
            raise IndexError("intset index out of range")
        return self._get_encoded(pos, self.encoding)

    __getitem__ = get

    def __iter__(self) -> Iterator[int]:
        enc = self.encoding
        for i in range(len(self)):
            yield self._get_encoded(i, enc)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.find(value)

    def __repr__(self) -> str:
        return f"Intset({list(self)!r})"

    def search(self, value: int) -> tuple[bool, int]:
        """``intsetSearch``: (found, position where it is or would go).

        Checks both ends first so appends and prepends skip the bisection.
        """
        n = len(self)
        if n == 0:
            return False, 0
        enc = self.encoding
        if value > self._get_encoded(n - 1, enc):
            return False, n
        if value < self._get_encoded(0, enc):
            return False, 0
        lo, hi = 0, n - 1
        cur = None
        mid = 0
        while hi >= lo:
            mid = (lo + hi) >> 1
            cur = self._get_encoded(mid, enc)
            if value > cur:
                lo = mid + 1
            elif value < cur:
                hi = mid - 1
            else:
                break
        if value == cur:
            return True, mid
        return False, lo

    def find(self, value: int) -> bool:
        """``intsetFind``: cheap width check first, then bisection."""
        try:
            if value_encoding(value) > self.encoding:
                return False
        except OverflowError:
            return False
        return self.search(value)[0]

    def random(self, rng: _random.Random | None = None) -> int:
        """``intsetRandom``: a uniformly chosen member."""
        n = len(self)
        if n == 0:
            raise IndexError("random member of an empty intset")
        r = (rng or _random).randrange(n)
        return self._get_encoded(r, self.encoding)

    def min(self) -> int:
        return self.get(0)

    def max(self) -> int:
        return self.get(-1)

    # -- modification --

    def _resize(self, n: int, enc: int) -> None:
        want = INTSET_HEADER_SIZE + n * enc
        if want > len(self.buf):
            self.buf.extend(bytes(want - len(self.buf)))
        else:
            del self.buf[want:]

    def _move_tail(self, src: int, dst: int) -> None:
        """``intsetMoveTail``: shift elements [src, end) to start at dst."""
        enc = self.encoding
        n = len(self)
        start = INTSET_HEADER_SIZE + src * enc
        chunk = self.buf[start : INTSET_HEADER_SIZE + n * enc]
        d = INTSET_HEADER_SIZE + dst * enc
        self.buf[d : d + len(chunk)] = chunk

    def add(self, value: int) -> bool:
        """``intsetAdd``: insert ``value``; False if it was already present."""
        valenc = value_encoding(value)
        if valenc > self.encoding:
            self._upgrade_and_add(value, valenc)
            return True
        found, pos = self.search(value)
        if found:
            return False
        n = len(self)
        self._resize(n + 1, self.encoding)
        if pos < n:
            self._move_tail(pos, pos + 1)
        self._set(pos, value)
        self._set_length(n + 1)
        return True

    def _upgrade_and_add(self, value: int, newenc: int) -> None:
        """``intsetUpgradeAndAdd``: widen every element, back to front."""
        curenc = self.encoding
        n = len(self)
        prepend = 1 if value < 0 else 0
        self.buf[0:4] = newenc.to_bytes(4, "little")
        self._resize(n + 1, newenc)
        for i in range(n - 1, -1, -1):
            off = INTSET_HEADER_SIZE + i * curenc
            v = int.from_bytes(self.buf[off : off + curenc], "little", signed=True)
            self._set(i + prepend, v)
        self._set(0 if prepend else n, value)
        self._set_length(n + 1)

    def remove(self, value: int) -> bool:
        """``intsetRemove``: delete ``value``; False if it was absent."""
        try:
            if value_encoding(value) > self.encoding:
                return False
        except OverflowError:
            return False
        found, pos = self.search(value)
        if not found:
            return False
        n = len(self)
        if pos < n - 1:
            self._move_tail(pos + 1, pos)
        self._resize(n - 1, self.encoding)
        self._set_length(n - 1)
        return True

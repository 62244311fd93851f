"""CRC-64/Jones: the checksum of RDB files and ``DUMP`` payloads (crc64.c).

Redis appends ``crc64(0, payload)`` (little-endian, 8 bytes) to every
``DUMP`` payload and to the end of every RDB file, so a flipped bit is
caught before a single byte is interpreted.

The parameters (Redis's crc64.c names them in its header comment)::

    width   64
    poly    0xad93d23594c935a9   (Jones)
    init    0
    refin   true     refout  true     xorout  0
    check   crc64(0, b"123456789") == 0xe9c6d914c4b8d9ca

"Reflected" means bits are processed least-significant first, so the
classic byte-at-a-time table uses the bit-reversed polynomial and shifts
right. Redis speeds this up with 8-bytes-at-a-time tables ("crcspeed");
the result is the same number, and one table is enough to read.
"""

from __future__ import annotations

POLY = 0xAD93D23594C935A9
MASK64 = (1 << 64) - 1


def _reflect64(v: int) -> int:
    return int(f"{v:064b}"[::-1], 2)


POLY_REFLECTED = _reflect64(POLY)  # 0x95ac9329ac4bc9b5


def _make_table() -> list[int]:
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ POLY_REFLECTED if crc & 1 else crc >> 1
        table.append(crc)
    return table


TABLE = _make_table()


def crc64(crc: int, data: bytes | bytearray | memoryview) -> int:
    """``crc64(crc, s, l)``: continue checksum ``crc`` over ``data``.

    Start with 0; feeding a payload in pieces gives the same result as
    feeding it whole.
    """
    table = TABLE
    crc &= MASK64
    for b in bytes(data):
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc

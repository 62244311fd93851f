"""A tiny test-only reader for ``DUMP`` payloads of small collections.

    payload = <rdb type byte> <object body> <rdb version u16 LE> <crc64 u64 LE>

Object bodies handled here (Redis 7.0 RDB types)::

    OBJ_SET_INTSET        11   <rdb string: intset bytes>
    OBJ_HASH_LISTPACK     16   <rdb string: listpack bytes>
    OBJ_ZSET_LISTPACK     17   <rdb string: listpack bytes>
    OBJ_LIST_QUICKLIST_2  18   <len: nodes> { <len: container> <rdb string> }*

An rdb string is a length then raw bytes, or ``0xC3 <clen> <len> <lzf>``
when it was LZF-compressed; ``RdbString`` keeps both forms so a test can
compare our compressor's output with Redis's.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.encodings import lzf

RDB_TYPE_SET_INTSET = 11
RDB_TYPE_HASH_LISTPACK = 16
RDB_TYPE_ZSET_LISTPACK = 17
RDB_TYPE_LIST_QUICKLIST_2 = 18


@dataclass
class RdbString:
    value: bytes
    compressed: bytes | None  # the LZF stream when the string was 0xC3-encoded


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        b = self.data[self.pos]
        self.pos += 1
        return b

    def take(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        assert len(out) == n
        self.pos += n
        return out

    def length(self) -> tuple[int, bool]:
        """(value, is_encoded) -- rdbLoadLenByRef."""
        b = self.byte()
        kind = b >> 6
        if kind == 0:
            return b & 0x3F, False
        if kind == 1:
            return ((b & 0x3F) << 8) | self.byte(), False
        if kind == 3:
            return b & 0x3F, True
        if b == 0x80:
            return int.from_bytes(self.take(4), "big"), False
        if b == 0x81:
            return int.from_bytes(self.take(8), "big"), False
        raise ValueError(f"bad rdb length byte {b:#x}")

    def string(self) -> RdbString:
        n, encoded = self.length()
        if not encoded:
            return RdbString(self.take(n), None)
        if n == 0:
            return RdbString(
                str(int.from_bytes(self.take(1), "little", signed=True)).encode(), None
            )
        if n == 1:
            return RdbString(
                str(int.from_bytes(self.take(2), "little", signed=True)).encode(), None
            )
        if n == 2:
            return RdbString(
                str(int.from_bytes(self.take(4), "little", signed=True)).encode(), None
            )
        if n == 3:
            clen, _ = self.length()
            ulen, _ = self.length()
            comp = self.take(clen)
            return RdbString(lzf.decompress(comp, ulen), comp)
        raise ValueError(f"bad rdb string encoding {n}")


@dataclass
class Payload:
    rdb_type: int
    blobs: list[RdbString]  # one per listpack/intset/quicklist node
    containers: list[int]  # quicklist node containers (1 PLAIN, 2 PACKED)
    rdb_version: int


def parse(payload: bytes) -> Payload:
    r = Reader(payload)
    t = r.byte()
    blobs: list[RdbString] = []
    containers: list[int] = []
    if t in (RDB_TYPE_SET_INTSET, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK):
        blobs.append(r.string())
    elif t == RDB_TYPE_LIST_QUICKLIST_2:
        nodes, _ = r.length()
        for _ in range(nodes):
            c, _ = r.length()
            containers.append(c)
            blobs.append(r.string())
    else:
        raise ValueError(f"unsupported rdb type {t}")
    version = int.from_bytes(r.take(2), "little")
    r.take(8)  # crc64
    assert r.pos == len(payload)
    return Payload(t, blobs, containers, version)

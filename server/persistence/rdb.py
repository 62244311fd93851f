"""RDB object serialization, version 10 (Redis 7.0's rdb.c), for DUMP/RESTORE.

An RDB file is a header, then per key an optional expire, the key, and the
value as **type byte + object body**; ``DUMP`` is just one value in that
form with a footer (see :func:`dump_payload`)::

    DUMP payload
    +-----------+--------------------+---------------+-----------------+
    | type (1)  | object body        | RDB version   | CRC64 (Jones)   |
    |           |                    | u16 LE = 10   | u64 LE          |
    +-----------+--------------------+---------------+-----------------+
                                                      of everything before

**Lengths** (``rdbSaveLen``) take 1, 2, 5 or 9 bytes; the top two bits of
the first byte say which::

    00xxxxxx                      6-bit length             RDB_6BITLEN
    01xxxxxx xxxxxxxx             14-bit length, big end   RDB_14BITLEN
    10000000 <4 bytes BE>         32-bit length            RDB_32BITLEN
    10000001 <8 bytes BE>         64-bit length            RDB_64BITLEN
    11xxxxxx                      a special string format  RDB_ENCVAL

**Strings** (``rdbSaveRawString``) are a length and the bytes, or one of the
special formats: a string of at most 11 characters that is the canonical
spelling of an integer fitting 8/16/32 bits is stored as ``0xC0 i8``,
``0xC1 i16le`` or ``0xC2 i32le``; with ``rdbcompression yes`` a string
longer than 20 bytes is stored LZF-compressed as ``0xC3 <clen> <len>
<data>`` when that saves at least 4 bytes.

**Type bytes** Redis 7.0 writes, per encoding::

    string                      0   RDB_TYPE_STRING        <string>
    list (quicklist)           18   RDB_TYPE_LIST_QUICKLIST_2
                                    <len: nodes> { <len: container 1 PLAIN | 2 PACKED> <string> }
                                    (a node already LZF-compressed in memory is written as
                                    its 0xC3 blob as it is; others go through rdbSaveRawString)
    set (intset)               11   RDB_TYPE_SET_INTSET    <string: intset bytes>
    set (hashtable)             2   RDB_TYPE_SET           <len> <string>*
    hash (listpack)            16   RDB_TYPE_HASH_LISTPACK <string: listpack bytes>
    hash (hashtable)            4   RDB_TYPE_HASH          <len> { <string field> <string value> }*
    zset (listpack)            17   RDB_TYPE_ZSET_LISTPACK <string: listpack bytes>
    zset (skiplist)             5   RDB_TYPE_ZSET_2        <len> { <string member> <f64 LE score> }*
                                    (from the highest score down, so loading appends cheaply)

**Loading** (``rdbLoadObject``) reads the same, plus the older types a 7.0
server still accepts (1 LIST, 3 ZSET with text scores). Every byte is
untrusted: lengths are checked against what is left, listpacks and intsets
are validated *deeply* (every entry, back-length, count; intset order;
duplicate hash fields, set members, zset members) whatever
``sanitize-dump-payload`` says -- Redis skips the deep walk by default and
may crash later on a crafted payload; we never do (DESIGN principle 6). For
the same reason a listpack sorted set must also have valid, ordered scores,
which Redis 7.0 does not check. Any problem raises :class:`RdbError`; the
caller never gets a half-built object.

Loaded objects get the encoding Redis would give them: a listpack hash with
more than ``hash-max-listpack-entries`` fields becomes a hashtable, an
intset above ``set-max-intset-entries`` a hashtable, a ZSET_2 small enough a
listpack, and so on (the conversions ``rdbLoadObject`` makes).

The ziplist types of RDB 9 and older (10, 12, 13, 14: what Redis 6.2's
``DUMP`` produces) are loaded too, converted to listpacks as 7.0 does. Not
handled yet: zipmaps (9, Redis 2.4), streams (15, 19) and modules (6, 7) --
they load as an error.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import Any

from ..encodings import intset as intset_mod
from ..encodings import listpack as listpack_mod
from ..encodings import lzf
from ..encodings.dict import Dict
from ..encodings.intset import Intset
from ..encodings.listpack import Listpack, value_to_bytes
from ..encodings.quicklist import (
    QUICKLIST_NODE_CONTAINER_PACKED,
    QUICKLIST_NODE_CONTAINER_PLAIN,
    Quicklist,
)
from ..encodings.skiplist import ZSkiplist
from .crc64 import crc64

RDB_VERSION = 10

# Object types (rdb.h).
RDB_TYPE_STRING = 0
RDB_TYPE_LIST = 1
RDB_TYPE_SET = 2
RDB_TYPE_ZSET = 3
RDB_TYPE_HASH = 4
RDB_TYPE_ZSET_2 = 5
RDB_TYPE_MODULE = 6
RDB_TYPE_MODULE_2 = 7
RDB_TYPE_HASH_ZIPMAP = 9
RDB_TYPE_LIST_ZIPLIST = 10
RDB_TYPE_SET_INTSET = 11
RDB_TYPE_ZSET_ZIPLIST = 12
RDB_TYPE_HASH_ZIPLIST = 13
RDB_TYPE_LIST_QUICKLIST = 14
RDB_TYPE_STREAM_LISTPACKS = 15
RDB_TYPE_HASH_LISTPACK = 16
RDB_TYPE_ZSET_LISTPACK = 17
RDB_TYPE_LIST_QUICKLIST_2 = 18
RDB_TYPE_STREAM_LISTPACKS_2 = 19

#: ``rdbIsObjectType``: the type bytes that start an object (0-7, 9-19).
OBJECT_TYPES = frozenset(range(0, 8)) | frozenset(range(9, 20))

# Length encodings.
RDB_6BITLEN = 0
RDB_14BITLEN = 1
RDB_32BITLEN = 0x80
RDB_64BITLEN = 0x81
RDB_ENCVAL = 3

# Special string formats (the low 6 bits after 11xxxxxx).
RDB_ENC_INT8 = 0
RDB_ENC_INT16 = 1
RDB_ENC_INT32 = 2
RDB_ENC_LZF = 3

#: rdbSaveRawString compresses only strings longer than this.
LZF_MIN_LEN = 20
#: ...and only integers spelled in at most this many characters are tried as ints.
INT_ENCODE_MAX_LEN = 11

FOOTER_LEN = 10  # u16 version + u64 crc


class RdbError(ValueError):
    """A payload that is not a sound serialized object (RESTORE: "Bad data format")."""


# =============================================================================
# Writing
# =============================================================================


def encode_len(n: int) -> bytes:
    """``rdbSaveLen``."""
    if n < 1 << 6:
        return bytes([(RDB_6BITLEN << 6) | n])
    if n < 1 << 14:
        return bytes([(RDB_14BITLEN << 6) | (n >> 8), n & 0xFF])
    if n <= 0xFFFFFFFF:
        return bytes([RDB_32BITLEN]) + n.to_bytes(4, "big")
    return bytes([RDB_64BITLEN]) + n.to_bytes(8, "big")


def encode_integer(v: int) -> bytes | None:
    """``rdbEncodeInteger``: the 0xC0/0xC1/0xC2 form, or None if it needs 64 bits."""
    if -(1 << 7) <= v <= (1 << 7) - 1:
        return bytes([0xC0 | RDB_ENC_INT8]) + (v & 0xFF).to_bytes(1, "little")
    if -(1 << 15) <= v <= (1 << 15) - 1:
        return bytes([0xC0 | RDB_ENC_INT16]) + (v & 0xFFFF).to_bytes(2, "little")
    if -(1 << 31) <= v <= (1 << 31) - 1:
        return bytes([0xC0 | RDB_ENC_INT32]) + (v & 0xFFFFFFFF).to_bytes(4, "little")
    return None


def _canonical_int(s: bytes) -> int | None:
    """``rdbTryIntegerEncoding``'s test: string2ll, and it prints back the same."""
    v = listpack_mod.string_to_int64(s)
    return v


def lzf_blob(compressed: bytes, original_len: int) -> bytes:
    """``rdbSaveLzfBlob``: 0xC3 <compressed len> <original len> <data>."""
    return (
        bytes([0xC0 | RDB_ENC_LZF])
        + encode_len(len(compressed))
        + encode_len(original_len)
        + compressed
    )


class Writer:
    """Serializes values into a growing buffer (``rio`` with a buffer target)."""

    def __init__(self, compression: bool = True) -> None:
        self.out = bytearray()
        self.compression = compression

    def len(self, n: int) -> None:
        self.out += encode_len(n)

    def raw_string(self, s: bytes | bytearray) -> None:
        """``rdbSaveRawString``: int form, LZF form, or length + bytes."""
        n = len(s)
        if n <= INT_ENCODE_MAX_LEN:
            v = _canonical_int(bytes(s))
            if v is not None:
                enc = encode_integer(v)
                if enc is not None:
                    self.out += enc
                    return
        if self.compression and n > LZF_MIN_LEN:
            comp = lzf.compress(s, n - 4)  # rdbSaveLzfStringObject: save >= 4 bytes
            if comp is not None:
                self.out += lzf_blob(comp, n)
                return
        self.out += encode_len(n)
        self.out += s

    def long_long_as_string(self, v: int) -> None:
        """``rdbSaveLongLongAsStringObject``."""
        enc = encode_integer(v)
        if enc is not None:
            self.out += enc
        else:
            self.raw_string(b"%d" % v)

    def binary_double(self, d: float) -> None:
        """``rdbSaveBinaryDoubleValue``: the IEEE 754 bits, little-endian."""
        self.out += struct.pack("<d", d)

    # -- objects ---------------------------------------------------------------

    def object_type(self, value: object) -> None:
        self.out.append(object_type_of(value))

    def object(self, value: object) -> None:
        """``rdbSaveObject``."""
        t = type(value)
        if t is int:
            self.long_long_as_string(value)  # type: ignore[arg-type]
            return
        if t is bytes or t is bytearray:
            self.raw_string(value)  # type: ignore[arg-type]
            return
        kind = value.TYPE_NAME  # type: ignore[attr-defined]
        enc = value.encoding  # type: ignore[attr-defined]
        if kind == "list":
            self._quicklist(value.ql)  # type: ignore[attr-defined]
        elif kind == "set":
            if enc == "intset":
                self.raw_string(value.intset.to_bytes())  # type: ignore[attr-defined]
            else:
                d = value.dict  # type: ignore[attr-defined]
                self.len(len(d))
                for e in d.entries():
                    self.raw_string(e.key)
        elif kind == "hash":
            if enc == "listpack":
                self.raw_string(value.lp.buf)  # type: ignore[attr-defined]
            else:
                d = value.dict  # type: ignore[attr-defined]
                self.len(len(d))
                for e in d.entries():
                    self.raw_string(e.key)
                    self.raw_string(_as_bytes(e.value))
        elif kind == "zset":
            if enc == "listpack":
                self.raw_string(value.lp.buf)  # type: ignore[attr-defined]
            else:
                zsl = value.zsl  # type: ignore[attr-defined]
                self.len(len(zsl))
                for ele, score in reversed(zsl):
                    self.raw_string(ele)
                    self.binary_double(score)
        else:
            raise TypeError(f"cannot serialize a {kind} value")

    def _quicklist(self, ql: Quicklist) -> None:
        self.len(ql.len)
        for node in ql.iter_nodes():
            self.len(node.container)
            if node.is_compressed:
                self.out += lzf_blob(node.entry, node.sz)  # type: ignore[arg-type]
            else:
                self.raw_string(node.raw_bytes())


def object_type_of(value: object) -> int:
    """``rdbSaveObjectType``: the type byte for a value's type and encoding."""
    t = type(value)
    if t is bytes or t is bytearray or t is int:
        return RDB_TYPE_STRING
    kind = value.TYPE_NAME  # type: ignore[attr-defined]
    enc = value.encoding  # type: ignore[attr-defined]
    if kind == "list":
        return RDB_TYPE_LIST_QUICKLIST_2
    if kind == "set":
        return RDB_TYPE_SET_INTSET if enc == "intset" else RDB_TYPE_SET
    if kind == "hash":
        return RDB_TYPE_HASH_LISTPACK if enc == "listpack" else RDB_TYPE_HASH
    if kind == "zset":
        return RDB_TYPE_ZSET_LISTPACK if enc == "listpack" else RDB_TYPE_ZSET_2
    raise TypeError(f"cannot serialize a {kind} value")


def serialize(value: object, compression: bool = True) -> bytes:
    """Type byte + object body, as in an RDB file."""
    w = Writer(compression)
    w.object_type(value)
    w.object(value)
    return bytes(w.out)


def dump_payload(value: object, compression: bool = True) -> bytes:
    """``createDumpPayload``: object, RDB version (u16 LE), CRC64 of all that (u64 LE)."""
    body = bytearray(serialize(value, compression))
    body += RDB_VERSION.to_bytes(2, "little")
    body += crc64(0, body).to_bytes(8, "little")
    return bytes(body)


def verify_payload(payload: bytes, check_crc: bool = True) -> bool:
    """``verifyDumpPayload``: long enough, version not newer than ours, CRC matches."""
    n = len(payload)
    if n < FOOTER_LEN:
        return False
    version = payload[n - 10] | (payload[n - 9] << 8)
    if version > RDB_VERSION:
        return False
    if not check_crc:
        return True
    return crc64(0, payload[: n - 8]) == int.from_bytes(payload[n - 8 :], "little")


def _as_bytes(v: object) -> bytes:
    if type(v) is int:
        return b"%d" % v  # type: ignore[str-format]
    return bytes(v)  # type: ignore[arg-type]


# =============================================================================
# Reading
# =============================================================================


class Reader:
    """Reads RDB values from a bounded byte range; every overrun is an RdbError."""

    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def remaining(self) -> int:
        return self.end - self.pos

    def take(self, n: int) -> bytes:
        if n < 0 or n > self.end - self.pos:
            raise RdbError(f"needs {n} bytes at offset {self.pos}, {self.end - self.pos} left")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def byte(self) -> int:
        if self.pos >= self.end:
            raise RdbError("unexpected end of payload")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def len_ex(self) -> tuple[int, bool]:
        """``rdbLoadLenByRef``: (value, is_special_encoding)."""
        b = self.byte()
        kind = b >> 6
        if kind == RDB_ENCVAL:
            return b & 0x3F, True
        if kind == RDB_6BITLEN:
            return b & 0x3F, False
        if kind == RDB_14BITLEN:
            return ((b & 0x3F) << 8) | self.byte(), False
        if b == RDB_32BITLEN:
            return int.from_bytes(self.take(4), "big"), False
        if b == RDB_64BITLEN:
            return int.from_bytes(self.take(8), "big"), False
        raise RdbError(f"unknown length encoding {b:#04x}")

    def len(self) -> int:
        n, special = self.len_ex()
        if special:
            raise RdbError("a string encoding where a length was expected")
        return n

    def count(self) -> int:
        """An element count: every element takes at least a byte, so a count
        above the bytes left is corrupt -- and must not presize a dict."""
        n = self.len()
        if n > self.end - self.pos:
            raise RdbError(f"count {n} larger than the {self.end - self.pos} bytes left")
        return n

    def string(self) -> bytes:
        """``rdbGenericLoadStringObject`` (the bytes, whatever the stored form)."""
        n, special = self.len_ex()
        if special:
            if n == RDB_ENC_INT8:
                return b"%d" % int.from_bytes(self.take(1), "little", signed=True)
            if n == RDB_ENC_INT16:
                return b"%d" % int.from_bytes(self.take(2), "little", signed=True)
            if n == RDB_ENC_INT32:
                return b"%d" % int.from_bytes(self.take(4), "little", signed=True)
            if n == RDB_ENC_LZF:
                clen = self.len()
                ulen = self.len()
                comp = self.take(clen)
                try:
                    return lzf.decompress(comp, ulen)
                except ValueError as e:
                    raise RdbError(f"invalid LZF compressed string: {e}") from None
            raise RdbError(f"unknown string encoding {n}")
        return self.take(n)

    def string_value(self) -> bytes | int:
        """A string as a value: ``rdbLoadEncodedStringObject`` + ``tryObjectEncoding``."""
        s = self.string()
        if len(s) <= 20:
            v = listpack_mod.string_to_int64(s)
            if v is not None:
                return v
        return s

    def binary_double(self) -> float:
        return struct.unpack("<d", self.take(8))[0]

    def text_double(self) -> float:
        """``rdbLoadDoubleValue`` (RDB_TYPE_ZSET): a length byte then "%.17g" text."""
        n = self.byte()
        if n == 253:
            return math.nan
        if n == 254:
            return math.inf
        if n == 255:
            return -math.inf
        text = self.take(n)
        try:
            return float(text.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            raise RdbError("invalid double value") from None


# -- the loader ----------------------------------------------------------------------


class Limits:
    """The configuration that decides encodings on load (a view of Config)."""

    def __init__(self, config: Any = None) -> None:
        get = (
            (lambda name, default: getattr(config, name, default))
            if config is not None
            else (lambda name, default: default)
        )
        self.hash_max_listpack_entries = get("hash_max_listpack_entries", 512)
        self.hash_max_listpack_value = get("hash_max_listpack_value", 64)
        self.set_max_intset_entries = get("set_max_intset_entries", 512)
        self.zset_max_listpack_entries = get("zset_max_listpack_entries", 128)
        self.zset_max_listpack_value = get("zset_max_listpack_value", 64)
        self.list_max_listpack_size = get("list_max_listpack_size", -2)
        self.list_compress_depth = get("list_compress_depth", 0)


def load_payload(payload: bytes, config: Any = None, notes: list | None = None) -> object:
    """Decode a DUMP payload whose footer was verified: the value, or RdbError.

    ``notes`` (a list) receives ``(from_encoding, to_encoding, reason)`` for
    every conversion made on the way, for ``LAB EVENTS``.
    """
    if len(payload) < FOOTER_LEN + 1:
        raise RdbError("payload too short")
    # Like Redis, the reader may run into the footer: rdbLoadObject reads from
    # the whole argument, and only the checksum guards the body's length.
    r = Reader(payload)
    rdbtype = r.byte()
    if rdbtype not in OBJECT_TYPES:
        raise RdbError(f"not an object type: {rdbtype}")
    return load_object(rdbtype, r, Limits(config), notes)


def load_object(rdbtype: int, r: Reader, limits: Limits, notes: list | None = None) -> object:
    """``rdbLoadObject``: one value of type ``rdbtype`` from ``r``."""
    note: Callable[[str, str, str], None] = (
        (lambda a, b, why: notes.append((a, b, why)))
        if notes is not None
        else (lambda a, b, why: None)
    )
    try:
        loader = _LOADERS.get(rdbtype)
        if loader is None:
            raise RdbError(f"RDB type {rdbtype} is not supported by this server")
        return loader(r, limits, note)
    except RdbError:
        raise
    except ModuleNotFoundError as e:  # a value type this server does not have yet
        raise RdbError(f"no value type for RDB type {rdbtype}: {e}") from None
    except (ValueError, IndexError, OverflowError, struct.error) as e:
        # Validation errors of the encodings (listpack, intset, lzf) and any
        # arithmetic surprise on hostile input end up here, as one kind.
        raise RdbError(str(e)) from None


def _load_string(r: Reader, limits: Limits, note) -> object:
    return r.string_value()


# -- lists ---------------------------------------------------------------------------


def _new_quicklist(limits: Limits) -> Quicklist:
    return Quicklist(fill=limits.list_max_listpack_size, compress=limits.list_compress_depth)


def _load_list_quicklist_2(r: Reader, limits: Limits, note) -> object:
    nodes = r.count()
    if nodes == 0:
        raise RdbError("empty key")
    ql = _new_quicklist(limits)
    while nodes:
        nodes -= 1
        container = r.len()
        if container not in (QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN):
            raise RdbError("Quicklist integrity check failed.")
        data = r.string()
        if not data:
            raise RdbError("empty quicklist node")
        if container == QUICKLIST_NODE_CONTAINER_PLAIN:
            ql.append_plain(data)
            continue
        try:
            lp = Listpack.from_bytes(data, deep=True)
        except ValueError as e:
            raise RdbError(f"Listpack integrity check failed: {e}") from None
        if len(lp) == 0:
            continue  # Redis silently skips empty listpacks
        ql.append_listpack(lp)
    if ql.count == 0:
        raise RdbError("empty key")
    return make_list(ql)


def _load_list_plain(r: Reader, limits: Limits, note) -> object:
    """RDB_TYPE_LIST (before quicklists): a count, then the elements."""
    n = r.count()
    if n == 0:
        raise RdbError("empty key")
    ql = _new_quicklist(limits)
    while n:
        n -= 1
        ql.push_tail(r.string())
    return make_list(ql)


# -- sets ----------------------------------------------------------------------------


def _load_set(r: Reader, limits: Limits, note) -> object:
    n = total = r.count()
    if n == 0:
        raise RdbError("empty key")
    max_entries = min(limits.set_max_intset_entries, 1 << 30)
    iset: Intset | None = Intset() if n <= max_entries else None
    d: Dict | None = None if iset is not None else _presized_dict("set", n)
    seen: set[bytes] = set()  # duplicate check without Dict.find's rehash step
    while n:
        n -= 1
        ele = r.string()
        if iset is not None:
            v = listpack_mod.string_to_int64(ele)
            if v is not None:
                if not iset.add(v):
                    raise RdbError("Duplicate set members detected")
                continue
            d = _intset_to_dict(iset)
            d.expand(total)
            seen.update(e.key for e in d.entries())
            iset = None
            note("intset", "hashtable", "a member is not an integer")
        assert d is not None
        _add_unique(d, seen, ele, None, "Duplicate set members detected")
    if iset is not None:
        return make_set_intset(iset)
    assert d is not None
    return make_set_hashtable(d)


def _add_unique(d: Dict, seen: set[bytes], key: bytes, value: object, error: str) -> None:
    """``dictAdd`` that fails on a duplicate (one rehash step, like Redis's)."""
    if key in seen:
        raise RdbError(error)
    seen.add(key)
    d.add(key, value)


def _presized_dict(name: str, n: int) -> Dict:
    """A dict already expanded for n entries (``dictTryExpand`` before loading)."""
    d = Dict(name)
    if n > 4:
        d.expand(n)
    return d


def _intset_to_dict(iset: Intset) -> Dict:
    """``setTypeConvert``: every integer as a string member, dict presized."""
    d = Dict("set")
    d.expand(len(iset))
    for v in iset:
        d.add(b"%d" % v, None)
    return d


def _load_set_intset(r: Reader, limits: Limits, note) -> object:
    data = r.string()
    try:
        intset_mod.validate(data, deep=True)
    except ValueError as e:
        raise RdbError(f"Intset integrity check failed: {e}") from None
    iset = Intset.from_bytes(data, deep=False)
    if len(iset) > limits.set_max_intset_entries:
        note("intset", "hashtable", "more members than set-max-intset-entries")
        return make_set_hashtable(_intset_to_dict(iset))
    return make_set_intset(iset)


# -- hashes --------------------------------------------------------------------------


def _load_hash(r: Reader, limits: Limits, note) -> object:
    n = r.count()
    if n == 0:
        raise RdbError("empty key")
    lp: Listpack | None = None
    d: Dict | None = None
    seen: set[bytes] = set()
    if n > limits.hash_max_listpack_entries:
        d = _presized_dict("hash", n)
    else:
        lp = Listpack()
    while lp is not None and n:
        n -= 1
        field = r.string()
        value = r.string()
        if field in seen:
            raise RdbError("Hash with dup elements")
        seen.add(field)
        maxlen = limits.hash_max_listpack_value
        if len(field) > maxlen or len(value) > maxlen:
            d = _hash_listpack_to_dict(lp)
            d.add(field, value)
            lp = None
            note("listpack", "hashtable", "a field or value is longer than hash-max-listpack-value")
            if n > 4:
                d.expand(n)  # dictTryExpand(remaining count), as rdbLoadObject does
            break
        lp.append(field)
        lp.append(value)
    while n:
        n -= 1
        field = r.string()
        value = r.string()
        assert d is not None
        _add_unique(d, seen, field, value, "Duplicate hash fields detected")
    if lp is not None:
        return make_hash_listpack(lp)
    assert d is not None
    return make_hash_hashtable(d)


def _hash_listpack_to_dict(lp: Listpack) -> Dict:
    """``hashTypeConvertListpack``: every pair into a dict presized to fit them."""
    d = Dict("hash")
    d.expand(len(lp) // 2)
    it = iter(lp)
    for f in it:
        v = next(it)
        d.add(value_to_bytes(f), value_to_bytes(v))
    return d


def _checked_pairs_listpack(data: bytes, what: str) -> Listpack:
    """``lpValidateIntegrityAndDups(..., pairs=1)``: sound, even count, unique keys."""
    try:
        lp = Listpack.from_bytes(data, deep=True)
    except ValueError as e:
        raise RdbError(f"{what} listpack integrity check failed: {e}") from None
    seen = set()
    count = 0
    for i, v in enumerate(lp):
        count += 1
        if i % 2 == 0:
            key = value_to_bytes(v)
            if key in seen:
                raise RdbError(f"{what} listpack has a duplicate")
            seen.add(key)
    if count % 2:
        raise RdbError(f"{what} listpack has an odd number of entries")
    return lp


def _load_hash_listpack(r: Reader, limits: Limits, note) -> object:
    lp = _checked_pairs_listpack(r.string(), "Hash")
    n = len(lp) // 2
    if n == 0:
        raise RdbError("empty key")
    if n > limits.hash_max_listpack_entries:
        note("listpack", "hashtable", "more fields than hash-max-listpack-entries")
        return make_hash_hashtable(_hash_listpack_to_dict(lp))
    return make_hash_listpack(lp)


# -- sorted sets ---------------------------------------------------------------------


def score_to_bytes(score: float) -> bytes:
    """util.c ``d2string`` (7.0.15): how a score is spelled inside a zset listpack.

    Integral values within +-LLONG_MAX/2 print as integers (``double2ll``),
    so -0.0 becomes "0" and the listpack stores an integer; the rest "%.17g".
    """
    if math.isnan(score):
        return b"nan"
    if math.isinf(score):
        return b"inf" if score > 0 else b"-inf"
    half = float((1 << 63) // 2)
    if -half <= score <= half and score == int(score):
        return b"%d" % int(score)
    return b"%.17g" % score


def _listpack_score(v: bytes | int) -> float:
    """``zzlGetScore`` with validation: integers, or a whole-string strtod."""
    if isinstance(v, int):
        return float(v)
    try:
        text = v.decode("ascii")
        if text != text.strip() or "_" in text:
            raise ValueError
        score = float(text)
    except (UnicodeDecodeError, ValueError):
        raise RdbError("Zset listpack has an invalid score") from None
    if math.isnan(score):
        raise RdbError("Zset listpack has a NaN score")
    return score


def _zset_listpack_to_skiplist(lp: Listpack) -> tuple[ZSkiplist, Dict]:
    zsl = ZSkiplist()
    d = Dict("zset")
    it = iter(lp)
    for m in it:
        score = _listpack_score(next(it))
        ele = value_to_bytes(m)
        zsl.insert(score, ele)
        d.add(ele, score)
    return zsl, d


def _load_zset_listpack(r: Reader, limits: Limits, note) -> object:
    return _finish_zset_listpack(_checked_pairs_listpack(r.string(), "Zset"), limits, note)


def _finish_zset_listpack(lp: Listpack, limits: Limits, note) -> object:
    n = len(lp) // 2
    if n == 0:
        raise RdbError("empty key")
    # Stricter than Redis 7.0: scores must parse and the pairs be in order,
    # or every later ZRANGE on this key would answer nonsense.
    prev: tuple[float, bytes] | None = None
    it = iter(lp)
    for m in it:
        cur = (_listpack_score(next(it)), value_to_bytes(m))
        if prev is not None and cur <= prev:
            raise RdbError("Zset listpack is not sorted")
        prev = cur
    if n > limits.zset_max_listpack_entries:
        note("listpack", "skiplist", "more members than zset-max-listpack-entries")
        zsl, d = _zset_listpack_to_skiplist(lp)
        return make_zset_skiplist(zsl, d)
    return make_zset_listpack(lp)


def _load_zset(r: Reader, limits: Limits, note, binary: bool) -> object:
    n = r.count()
    if n == 0:
        raise RdbError("empty key")
    zsl = ZSkiplist()
    d = _presized_dict("zset", n)
    seen: set[bytes] = set()
    maxelelen = 0
    totelelen = 0
    while n:
        n -= 1
        ele = r.string()
        score = r.binary_double() if binary else r.text_double()
        if math.isnan(score):
            raise RdbError("Zset with NAN score detected")
        if ele in seen:
            raise RdbError("Duplicate zset fields detected")
        seen.add(ele)
        maxelelen = max(maxelelen, len(ele))
        totelelen += len(ele)
        zsl.insert(score, ele)
        d.add(ele, score)
    if (
        len(zsl) <= limits.zset_max_listpack_entries
        and maxelelen <= limits.zset_max_listpack_value
        and totelelen <= listpack_mod.LISTPACK_MAX_SAFETY_SIZE
    ):
        note("skiplist", "listpack", "small enough for zset-max-listpack-entries/value")
        lp = Listpack()
        for ele, score in zsl:
            lp.append(ele)
            lp.append(score_to_bytes(score))
        return make_zset_listpack(lp)
    return make_zset_skiplist(zsl, d)


# -- legacy ziplists (RDB version 9 and older, still loaded by 7.0) -------------------
#
#   <zlbytes u32> <zltail u32> <zllen u16> { <prevlen> <encoding> <data> }* <0xFF>
#
# prevlen is 1 byte (< 254) or 0xFE + u32; encodings: 00pppppp / 01pppppp q /
# 0x80 + u32 BE (strings), 0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24,
# 0xFE int8, 0xF1..0xFD the immediates 0..12. Redis 7.0 converts every ziplist
# to a listpack while validating it (ziplistValidateIntegrity, deep).

ZIP_END = 0xFF
ZIP_BIG_PREVLEN = 254
ZIPLIST_HEADER_SIZE = 10
_ZIP_INT_WIDTH = {0xC0: 2, 0xD0: 4, 0xE0: 8, 0xF0: 3, 0xFE: 1}


def ziplist_values(data: bytes) -> list[bytes | int]:
    """Validate a ziplist deeply and return its entries (bytes or int)."""
    size = len(data)
    if size < ZIPLIST_HEADER_SIZE + 1:
        raise RdbError("ziplist too short")
    if int.from_bytes(data[0:4], "little") != size or data[-1] != ZIP_END:
        raise RdbError("ziplist header does not match its size")
    tail = int.from_bytes(data[4:8], "little")
    count = int.from_bytes(data[8:10], "little")
    if tail > size - 1:
        raise RdbError("ziplist tail offset out of range")
    out: list[bytes | int] = []
    p = ZIPLIST_HEADER_SIZE
    prev_size = 0
    last = -1
    end = size - 1
    while p < end:
        start = p
        if data[p] == ZIP_BIG_PREVLEN:
            if p + 5 > end:
                raise RdbError("ziplist prevlen past the end")
            prevlen = int.from_bytes(data[p + 1 : p + 5], "little")
            p += 5
        else:
            prevlen = data[p]
            p += 1
        if prevlen != prev_size:
            raise RdbError("ziplist prevlen does not match the previous entry")
        if p >= end:
            raise RdbError("ziplist entry past the end")
        enc = data[p]
        kind = enc >> 6
        if kind == 0:
            n, p = enc & 0x3F, p + 1
        elif kind == 1:
            if p + 2 > end:
                raise RdbError("ziplist entry past the end")
            n, p = ((enc & 0x3F) << 8) | data[p + 1], p + 2
        elif enc == 0x80:
            if p + 5 > end:
                raise RdbError("ziplist entry past the end")
            n, p = int.from_bytes(data[p + 1 : p + 5], "big"), p + 5
        else:
            n = -1
        if n >= 0:
            if p + n > end:
                raise RdbError("ziplist string past the end")
            out.append(bytes(data[p : p + n]))
            p += n
        elif 0xF1 <= enc <= 0xFD:
            out.append((enc & 0x0F) - 1)
            p += 1
        elif enc in _ZIP_INT_WIDTH:
            w = _ZIP_INT_WIDTH[enc]
            if p + 1 + w > end:
                raise RdbError("ziplist integer past the end")
            out.append(int.from_bytes(data[p + 1 : p + 1 + w], "little", signed=True))
            p += 1 + w
        else:
            raise RdbError(f"invalid ziplist encoding {enc:#04x}")
        prev_size = p - start
        last = start
    if p != end:
        raise RdbError("ziplist entries overrun the end marker")
    if (last if last >= 0 else ZIPLIST_HEADER_SIZE) != tail:
        raise RdbError("ziplist tail offset does not match the last entry")
    if count != 0xFFFF and count != len(out):
        raise RdbError("ziplist entry count does not match its header")
    return out


def _ziplist_to_listpack(data: bytes) -> Listpack:
    lp = Listpack()
    for v in ziplist_values(data):
        lp.append(v)
    return lp


def _ziplist_pairs_to_listpack(data: bytes, what: str) -> Listpack:
    """``ziplistPairsConvertAndValidateIntegrity``: even count, no duplicate keys."""
    values = ziplist_values(data)
    if len(values) % 2:
        raise RdbError(f"{what} ziplist has an odd number of entries")
    keys = [value_to_bytes(v) for v in values[::2]]
    if len(set(keys)) != len(keys):
        raise RdbError(f"{what} ziplist has a duplicate")
    lp = Listpack()
    for v in values:
        lp.append(v)
    return lp


def _load_list_ziplist(r: Reader, limits: Limits, note) -> object:
    ql = _new_quicklist(limits)
    for v in ziplist_values(r.string()):
        ql.push_tail(value_to_bytes(v))
    if ql.count == 0:
        raise RdbError("empty key")
    return make_list(ql)


def _load_list_quicklist_ziplist(r: Reader, limits: Limits, note) -> object:
    nodes = r.count()
    if nodes == 0:
        raise RdbError("empty key")
    ql = _new_quicklist(limits)
    while nodes:
        nodes -= 1
        data = r.string()
        if not data:
            raise RdbError("empty quicklist node")
        lp = _ziplist_to_listpack(data)
        if len(lp):
            ql.append_listpack(lp)
    if ql.count == 0:
        raise RdbError("empty key")
    return make_list(ql)


def _load_hash_ziplist(r: Reader, limits: Limits, note) -> object:
    lp = _ziplist_pairs_to_listpack(r.string(), "Hash")
    n = len(lp) // 2
    if n == 0:
        raise RdbError("empty key")
    if n > limits.hash_max_listpack_entries:
        note("listpack", "hashtable", "more fields than hash-max-listpack-entries")
        return make_hash_hashtable(_hash_listpack_to_dict(lp))
    return make_hash_listpack(lp)


def _load_zset_ziplist(r: Reader, limits: Limits, note) -> object:
    lp = _ziplist_pairs_to_listpack(r.string(), "Zset")
    return _finish_zset_listpack(lp, limits, note)


_LOADERS: dict[int, Callable[[Reader, Limits, Any], object]] = {
    RDB_TYPE_STRING: _load_string,
    RDB_TYPE_LIST: _load_list_plain,
    RDB_TYPE_SET: _load_set,
    RDB_TYPE_ZSET: lambda r, lim, note: _load_zset(r, lim, note, binary=False),
    RDB_TYPE_HASH: _load_hash,
    RDB_TYPE_ZSET_2: lambda r, lim, note: _load_zset(r, lim, note, binary=True),
    RDB_TYPE_SET_INTSET: _load_set_intset,
    RDB_TYPE_HASH_LISTPACK: _load_hash_listpack,
    RDB_TYPE_ZSET_LISTPACK: _load_zset_listpack,
    RDB_TYPE_LIST_QUICKLIST_2: _load_list_quicklist_2,
    RDB_TYPE_LIST_ZIPLIST: _load_list_ziplist,
    RDB_TYPE_LIST_QUICKLIST: _load_list_quicklist_ziplist,
    RDB_TYPE_HASH_ZIPLIST: _load_hash_ziplist,
    RDB_TYPE_ZSET_ZIPLIST: _load_zset_ziplist,
}


# =============================================================================
# Building value objects from loaded structures
# =============================================================================
#
# The value classes live in server/types/; these few functions are the only
# place that knows how to wrap a loaded structure in one.


def make_list(ql: Quicklist) -> object:
    from ..types.list import ListObject

    return ListObject(ql=ql)


def make_set_intset(iset: Intset) -> object:
    from ..types.set import SetObject

    obj = SetObject("intset")
    obj.intset = iset
    return obj


def make_set_hashtable(d: Dict) -> object:
    from ..types.set import SetObject

    obj = SetObject("hashtable")
    obj.dict = d
    return obj


def make_hash_listpack(lp: Listpack) -> object:
    from ..types.hash import HashObject

    return _wrap(HashObject, "listpack", lp=lp)


def make_hash_hashtable(d: Dict) -> object:
    from ..types.hash import HashObject

    return _wrap(HashObject, "hashtable", dict=d)


def make_zset_listpack(lp: Listpack) -> object:
    from ..types.zset import ZSetObject

    obj = ZSetObject("listpack")
    obj.lp = lp
    return obj


def make_zset_skiplist(zsl: ZSkiplist, d: Dict) -> object:
    from ..types.zset import ZSetObject

    obj = ZSetObject("skiplist")
    obj.zsl = zsl
    obj.dict = d
    return obj


def _wrap(cls: type, encoding: str, **parts: object) -> object:
    obj = cls()
    obj.encoding = encoding  # type: ignore[attr-defined]
    for name, part in parts.items():
        setattr(obj, name, part)
    return obj

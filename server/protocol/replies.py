"""Reply values and their RESP2 / RESP3 encodings.

Command handlers return plain Python values and the writer picks the wire
form for the client's protocol, so a handler never has to know whether it
speaks to a RESP2 or a RESP3 client:

    bytes / bytearray  bulk string            $3\\r\\nfoo\\r\\n
    int                integer                :42\\r\\n
    None               null bulk (RESP2)      $-1\\r\\n        RESP3: _\\r\\n
    NULL_ARRAY         null array (RESP2)     *-1\\r\\n        RESP3: _\\r\\n
    list / tuple       array                  *2\\r\\n...
    Status("OK")       simple string          +OK\\r\\n
    ErrorReply(text)   error                  -ERR ...\\r\\n
    float              double: RESP2 bulk "%.17g", RESP3 ,1.5\\r\\n
    Map(...)           RESP3 %n map; RESP2 a flat array of key, value, ...
    Set(...)           RESP3 ~n set; RESP2 array
    bool               RESP3 #t / #f; RESP2 :1 / :0
    BigNumber(int)     RESP3 (123...; RESP2 bulk string
    Verbatim(fmt, b)   RESP3 =len\\r\\ntxt:...; RESP2 bulk string
    Push(items)        RESP3 >n push; RESP2 array
    Raw(bytes)         already encoded, written as is

Strings in replies that came from clients are ``bytes``; text produced by the
server may be ``str`` and is encoded as UTF-8 (surrogate escapes keep raw bytes).
"""

from __future__ import annotations

import math


class Status(str):
    """A simple string reply (``+OK``)."""

    __slots__ = ()


class ErrorReply(str):
    """An error reply; the text excludes the leading '-'."""

    __slots__ = ()


class BigNumber(int):
    __slots__ = ()


class Map(list):
    """Ordered key/value pairs, as a list of 2-tuples (keys may repeat-free bytes)."""

    __slots__ = ()

    @classmethod
    def of(cls, d: dict) -> Map:
        return cls(d.items())


class Set(list):
    __slots__ = ()


class Push(list):
    __slots__ = ()


class Verbatim:
    __slots__ = ("fmt", "text")

    def __init__(self, text: bytes | str, fmt: str = "txt") -> None:
        self.fmt = fmt
        self.text = text.encode() if isinstance(text, str) else text


class Raw(bytes):
    """Bytes already in RESP form."""

    __slots__ = ()


class _NullArray:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NULL_ARRAY"


NULL_ARRAY = _NullArray()

OK = Status("OK")
QUEUED = Status("QUEUED")
PONG = Status("PONG")

_OK_BYTES = b"+OK\r\n"


def _str_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def format_double(d: float) -> bytes:
    if math.isinf(d):
        return b"inf" if d > 0 else b"-inf"
    if math.isnan(d):
        return b"nan"
    return b"%.17g" % d


def encode(value: object, resp: int = 2) -> bytes:
    out: list[bytes] = []
    write(out, value, resp)
    return b"".join(out)


def write(out: list[bytes], v: object, resp: int) -> None:  # noqa: C901 - one dispatch table
    t = type(v)
    if t is bytes:
        out.append(b"$%d\r\n%s\r\n" % (len(v), v))
    elif v is OK:
        out.append(_OK_BYTES)
    elif t is int:
        out.append(b":%d\r\n" % v)
    elif v is None:
        out.append(b"_\r\n" if resp == 3 else b"$-1\r\n")
    elif t is list or t is tuple:
        out.append(b"*%d\r\n" % len(v))
        for item in v:
            if type(item) is bytes:  # the common element, without a call per item
                out.append(b"$%d\r\n%s\r\n" % (len(item), item))
            else:
                write(out, item, resp)
    elif t is Status:
        out.append(b"+%s\r\n" % _str_bytes(v))
    elif t is ErrorReply:
        out.append(b"-%s\r\n" % _str_bytes(v))
    elif t is bytearray or t is memoryview:
        out.append(b"$%d\r\n%s\r\n" % (len(v), bytes(v)))
    elif t is str:
        b = _str_bytes(v)
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    elif t is Map:
        if resp == 3:
            out.append(b"%%%d\r\n" % len(v))
        else:
            out.append(b"*%d\r\n" % (2 * len(v)))
        for k, item in v:
            write(out, k, resp)
            write(out, item, resp)
    elif t is float:
        if resp == 3:
            out.append(b",%s\r\n" % format_double(v))
        else:
            b = format_double(v)
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    elif t is bool:
        if resp == 3:
            out.append(b"#t\r\n" if v else b"#f\r\n")
        else:
            out.append(b":1\r\n" if v else b":0\r\n")
    elif t is Set:
        out.append((b"~%d\r\n" if resp == 3 else b"*%d\r\n") % len(v))
        for item in v:
            write(out, item, resp)
    elif t is Push:
        out.append((b">%d\r\n" if resp == 3 else b"*%d\r\n") % len(v))
        for item in v:
            write(out, item, resp)
    elif v is NULL_ARRAY:
        out.append(b"_\r\n" if resp == 3 else b"*-1\r\n")
    elif t is Raw:
        out.append(v)
    elif t is BigNumber:
        if resp == 3:
            out.append(b"(%d\r\n" % v)
        else:
            b = b"%d" % v
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    elif t is Verbatim:
        if resp == 3:
            body = v.fmt.encode() + b":" + v.text
            out.append(b"=%d\r\n%s\r\n" % (len(body), body))
        else:
            out.append(b"$%d\r\n%s\r\n" % (len(v.text), v.text))
    else:
        raise TypeError(f"cannot encode reply of type {t.__name__}")

"""Reply encoding for RESP2 and RESP3."""

from __future__ import annotations

import pytest

from server.protocol.replies import (
    NULL_ARRAY,
    OK,
    BigNumber,
    ErrorReply,
    Map,
    Push,
    Set,
    Status,
    Verbatim,
    encode,
)

CASES = [
    (b"foo", b"$3\r\nfoo\r\n", b"$3\r\nfoo\r\n"),
    (42, b":42\r\n", b":42\r\n"),
    (None, b"$-1\r\n", b"_\r\n"),
    (NULL_ARRAY, b"*-1\r\n", b"_\r\n"),
    ([b"a", 1], b"*2\r\n$1\r\na\r\n:1\r\n", b"*2\r\n$1\r\na\r\n:1\r\n"),
    (OK, b"+OK\r\n", b"+OK\r\n"),
    (Status("PONG"), b"+PONG\r\n", b"+PONG\r\n"),
    (ErrorReply("ERR x"), b"-ERR x\r\n", b"-ERR x\r\n"),
    (1.5, b"$3\r\n1.5\r\n", b",1.5\r\n"),
    (0.1, b"$19\r\n0.10000000000000001\r\n", b",0.10000000000000001\r\n"),
    (float("inf"), b"$3\r\ninf\r\n", b",inf\r\n"),
    (Map([(b"k", 1)]), b"*2\r\n$1\r\nk\r\n:1\r\n", b"%1\r\n$1\r\nk\r\n:1\r\n"),
    (Set([1]), b"*1\r\n:1\r\n", b"~1\r\n:1\r\n"),
    (True, b":1\r\n", b"#t\r\n"),
    (BigNumber(10**30), b"$31\r\n" + b"1" + b"0" * 30 + b"\r\n", b"(1" + b"0" * 30 + b"\r\n"),
    (Verbatim(b"hi"), b"$2\r\nhi\r\n", b"=6\r\ntxt:hi\r\n"),
    (Push([b"message", b"c", b"x"]), b"*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n",
     b">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n"),
    ("text", b"$4\r\ntext\r\n", b"$4\r\ntext\r\n"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "resp2", "resp3"), CASES)
def test_encodings(value, resp2, resp3):
    assert encode(value, 2) == resp2
    assert encode(value, 3) == resp3


def test_unknown_type_fails_loudly():
    with pytest.raises(TypeError):
        encode(object(), 2)

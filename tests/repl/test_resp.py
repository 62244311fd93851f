"""The RESP parser keeps every reply type, byte by byte and in one piece."""

from __future__ import annotations

import pytest

from lab.repl.resp import (
    NEED_MORE,
    BigNumber,
    Double,
    Error,
    Map,
    Parser,
    ProtocolError,
    Push,
    Set,
    Status,
    Verbatim,
    encode_command,
)

WIRE = (
    b"+OK\r\n-ERR bad\r\n:42\r\n$5\r\nhe\r\no\r\n$-1\r\n*-1\r\n_\r\n,3.14\r\n(12345678901234567890\r\n"
    b"#t\r\n#f\r\n=15\r\ntxt:Some string\r\n!8\r\nSYNTAX x\r\n*2\r\n*0\r\n%1\r\n+k\r\n~2\r\n:1\r\n:2\r\n"
    b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n"
)


def parse_all(parser, data, step):
    out = []
    for i in range(0, len(data), step):
        parser.feed(data[i : i + step])
        while (reply := parser.gets()) is not NEED_MORE:
            out.append(reply)
    return out


@pytest.mark.parametrize("step", [1, 3, 7, 10_000])
def test_every_type(step):
    parser = Parser()
    got = parse_all(parser, WIRE, step)
    assert got[0] == b"OK" and type(got[0]) is Status
    assert type(got[1]) is Error and got[1].text == "ERR bad"
    assert got[2] == 42
    assert got[3] == b"he\r\no"
    assert got[4] is None and got[5] is None and got[6] is None
    assert type(got[7]) is Double and got[7].value == 3.14
    assert type(got[8]) is BigNumber and got[8] == b"12345678901234567890"
    assert got[9] is True and got[10] is False
    assert type(got[11]) is Verbatim and got[11] == b"Some string" and got[11].format == b"txt"
    assert type(got[12]) is Error and got[12] == b"SYNTAX x"
    assert got[13] == [[], [(b"k", [1, 2])]]
    assert type(got[13][1]) is Map and type(got[13][1][0][1]) is Set
    assert type(got[14]) is Push and got[14] == [b"message", b"ch", b"hi"]
    assert got[15] == b"v" and parser.last_attribute == [(b"ttl", 3)]
    assert len(got) == 16


def test_bad_type_byte():
    parser = Parser()
    parser.feed(b"?what\r\n")
    with pytest.raises(ProtocolError):
        parser.gets()


def test_encode_command():
    assert encode_command(["SET", b"k", 1]) == b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\n"

"""The request reader, sans-IO: every frame whole and one byte at a time,
Redis's limits and exact errors, and the hiredis accelerator agreeing with the
pure-Python parser on every input."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.protocol.reader import ProtocolError, RequestReader


def parse_all(chunks, accelerate=True, authenticated=True, max_bulk=512 * 1024 * 1024):
    r = RequestReader(max_bulk)
    r.accelerate = accelerate
    r.authenticated = authenticated
    out = []
    for chunk in chunks:
        r.feed(chunk)
        while True:
            argv = r.read()
            if argv is None:
                break
            out.append(argv)
    return out, r


def bytewise(data: bytes):
    return [data[i : i + 1] for i in range(len(data))]


FRAMES = [
    (b"*1\r\n$4\r\nPING\r\n", [[b"PING"]]),
    (b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n", [[b"SET", b"k", b""]]),
    (b"*2\r\n$4\r\nECHO\r\n$5\r\na\r\nb\x00\r\n", [[b"ECHO", b"a\r\nb\x00"]]),
    (b"*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n", [[], [], [b"PING"]]),
    (b"PING\r\n", [[b"PING"]]),
    (b"PING\n", [[b"PING"]]),
    (b"\r\n", [[]]),
    (b'SET k "a b"\r\n', [[b"SET", b"k", b"a b"]]),
    (b'SET k "\\x41\\n\\t\\"q"\r\n', [[b"SET", b"k", b'A\n\t"q']]),
    (b"SET k 'it\\'s'\r\n", [[b"SET", b"k", b"it's"]]),
    (b"  SET   k   v  \r\n", [[b"SET", b"k", b"v"]]),
    # Redis does not check the CRLF after a bulk's data: any two bytes do.
    (b"*2\r\n$4\r\nECHO\r\n$2\r\nhiXY", [[b"ECHO", b"hi"]]),
    (b"*2\r\n$3\r\nGET\r\n$1\r\na\r\n" * 20, [[b"GET", b"a"]] * 20),
]


@pytest.mark.parametrize("accelerate", [True, False], ids=["hiredis", "python"])
@pytest.mark.parametrize(("data", "expected"), FRAMES)
def test_frames_whole_and_bytewise(data, expected, accelerate):
    assert parse_all([data], accelerate)[0] == expected
    assert parse_all(bytewise(data), accelerate)[0] == expected


ERRORS = [
    (b"*abc\r\n", "Protocol error: invalid multibulk length"),
    (b"*2147483648\r\n", "Protocol error: invalid multibulk length"),
    (b"*1\r\n:5\r\n", "Protocol error: expected '$', got ':'"),
    (b"*1\r\n+OK\r\n", "Protocol error: expected '$', got '+'"),
    (b"*1\r\n$-5\r\n", "Protocol error: invalid bulk length"),
    (b"*1\r\n$abc\r\n", "Protocol error: invalid bulk length"),
    (b"*1\r\n$03\r\nabc\r\n", "Protocol error: invalid bulk length"),
    (b"*01\r\n$3\r\nabc\r\n", "Protocol error: invalid multibulk length"),
    (b'SET k "abc\r\n', "Protocol error: unbalanced quotes in request"),
    (b'SET k "abc"x\r\n', "Protocol error: unbalanced quotes in request"),
    (b"x" * (64 * 1024 + 1), "Protocol error: too big inline request"),
    (b"*" + b"1" * (64 * 1024 + 1), "Protocol error: too big mbulk count string"),
    (b"*1\r\n$" + b"1" * (64 * 1024 + 1), "Protocol error: too big bulk count string"),
]


@pytest.mark.parametrize("accelerate", [True, False], ids=["hiredis", "python"])
@pytest.mark.parametrize(("data", "message"), ERRORS)
def test_protocol_errors(data, message, accelerate):
    with pytest.raises(ProtocolError) as e:
        parse_all([data], accelerate)
    assert str(e.value) == message


def test_errors_come_after_the_good_frames_before_them():
    r = RequestReader()
    r.feed(b"*1\r\n$4\r\nPING\r\n*1\r\n:5\r\n")
    assert r.read() == [b"PING"]
    with pytest.raises(ProtocolError):
        r.read()


def test_bulk_above_proto_max_bulk_len():
    with pytest.raises(ProtocolError, match="invalid bulk length"):
        parse_all([b"*1\r\n$2000000\r\n"], max_bulk=1024 * 1024)
    # a complete frame through the accelerator is refused too
    big = b"x" * (1024 * 1024 + 1)
    with pytest.raises(ProtocolError, match="invalid bulk length"):
        parse_all([b"*1\r\n$%d\r\n%s\r\n" % (len(big), big)], max_bulk=1024 * 1024)


def test_unauthenticated_limits():
    args = b"".join(b"$1\r\na\r\n" for _ in range(11))
    with pytest.raises(ProtocolError, match="unauthenticated multibulk length"):
        parse_all([b"*11\r\n" + args], authenticated=False)
    with pytest.raises(ProtocolError, match="unauthenticated bulk length"):
        parse_all([b"*1\r\n$16385\r\n"], authenticated=False)
    assert parse_all([b"*10\r\n" + b"$1\r\na\r\n" * 10], authenticated=False)[0] == [[b"a"] * 10]


def test_big_argument_in_many_pieces_is_joined_once():
    payload = bytes(range(256)) * 4096  # 1 MiB
    frame = b"*2\r\n$4\r\nECHO\r\n$%d\r\n%s\r\n" % (len(payload), payload)
    chunks = [frame[i : i + 1000] for i in range(0, len(frame), 1000)]
    out, r = parse_all(chunks)
    assert out == [[b"ECHO", payload]]
    assert r.pending() == 0


def test_pending_counts_partial_arguments():
    r = RequestReader()
    r.feed(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc")
    assert r.read() is None
    assert r.pending() >= len(b"SET") + 1 + 3


def _random_frames(rng: random.Random, n: int) -> bytes:
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.7:
            args = [
                rng.randbytes(rng.choice([0, 1, 5, 30, 300, 2000]))
                for _ in range(rng.randint(1, 6))
            ]
            out.append(
                b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
            )
        elif kind < 0.85:
            out.append(b"PING " + rng.choice([b"a", b'"x y"', b"'q'"]) + b"\r\n")
        else:
            out.append(b"*0\r\n")
    return b"".join(out)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**9), cut=st.integers(1, 97))
def test_accelerated_and_python_parsers_agree(seed, cut):
    rng = random.Random(seed)
    data = _random_frames(rng, 30)
    if rng.random() < 0.5:  # sometimes damage it
        i = rng.randrange(len(data))
        data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]
    chunks = [data[i : i + cut] for i in range(0, len(data), cut)]

    def run(accelerate):
        try:
            return parse_all(chunks, accelerate)[0], None
        except ProtocolError as e:
            return None, str(e)

    fast, slow = run(True), run(False)
    if fast[1] is None and slow[1] is None:
        assert fast[0] == slow[0]
    else:
        assert fast[1] == slow[1]

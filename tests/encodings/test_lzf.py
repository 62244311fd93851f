"""LZF: round trips, corrupt input, and byte identity with Redis's compressor."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.encodings import lzf
from tests.encodings.rdb_payload import Reader


def test_empty_and_tiny():
    assert lzf.compress(b"") is None
    assert lzf.decompress(b"", 0) == b""
    assert lzf.compress(b"a") == b"\x00a"
    assert lzf.compress(b"ab") == b"\x01ab"
    assert lzf.decompress(b"\x00a", 1) == b"a"


def test_known_stream():
    # 'a' * 10: one literal, then back references at offset 0 that overlap
    # their own output (a run of one byte).
    data = b"a" * 10
    out = lzf.compress(data)
    # literal "aa" (position 0 can never be referenced: ref > in_data), a
    # 6-byte back reference at distance 1, then the last two bytes literal.
    assert out == bytes.fromhex("01 6161 8000 01 6161")
    assert lzf.decompress(out, 10) == data
    assert lzf.decompress(b"\x00a\xe0\x00\x00", 10) == b"a" * 10  # L=7+0 -> 9 bytes
    assert lzf.decompress(b"\x00a\x20\x00", 4) == b"aaaa"  # L=1 -> 3 bytes


def test_long_literals_and_matches():
    rnd = random.Random(5)
    noise = bytes(rnd.randrange(256) for _ in range(5000))
    for data in [
        noise,
        noise[:100] * 50,
        b"x" * 10000,
        noise[:3000] + noise[:3000],  # match far back (< 8192)
        noise[:9000] + noise[:100],  # too far back: no match
        bytes(range(256)) * 40,
    ]:
        out = lzf.compress(data)
        assert out is not None
        assert lzf.decompress(out, len(data)) == data


def test_out_len_limit_gives_up():
    rnd = random.Random(1)
    noise = bytes(rnd.randrange(256) for _ in range(200))
    assert lzf.compress(noise, len(noise) - 4) is None
    assert lzf.compress(b"a" * 200, 10) is not None
    assert lzf.compress(b"a" * 200, 3) is None


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=2000), st.text("ab ", max_size=3000).map(str.encode)))
def test_round_trip(data):
    out = lzf.compress(data)
    if not data:
        assert out is None
        return
    assert out is not None
    assert lzf.decompress(out, len(data)) == data
    with pytest.raises(ValueError):
        lzf.decompress(out, len(data) + 1)
    if len(data) > 1:
        with pytest.raises(ValueError):
            lzf.decompress(out, len(data) - 1)


def test_corrupt_input_only_value_errors():
    rnd = random.Random(42)
    data = (b"hello world, hello redis, hello lab " * 20) + bytes(range(100))
    good = lzf.compress(data)
    assert good is not None
    for _ in range(3000):
        bad = bytearray(good)
        mode = rnd.randrange(3)
        if mode == 0:
            bad = bad[: rnd.randrange(len(bad))]
        elif mode == 1:
            bad[rnd.randrange(len(bad))] = rnd.randrange(256)
        else:
            bad = bytearray(rnd.randrange(256) for _ in range(rnd.randrange(1, 40)))
        try:
            out = lzf.decompress(bytes(bad), len(data))
        except ValueError:
            continue
        assert len(out) == len(data)


def test_reference_before_start_rejected():
    with pytest.raises(ValueError):
        lzf.decompress(b"\x20\x05", 3)  # back reference with nothing behind it
    with pytest.raises(ValueError):
        lzf.decompress(b"\x05ab", 6)  # literal run past the input


# --- Redis's compressor, as seen through DUMP ------------------------------------------


def samples() -> list[bytes]:
    rnd = random.Random(2024)
    words = [b"redis", b"lab", b"listpack", b"quick", b"skip", b"  ", b"0123456789"]
    out = [b"a" * 21, b"ab" * 11, b"a" * 1000, b"hello " * 4]
    for n in (21, 25, 40, 64, 100, 300, 1000, 5000, 20000):
        out.append(b"".join(rnd.choice(words) for _ in range(n))[: max(n, 21)])
        out.append(bytes(rnd.randrange(4) + 97 for _ in range(n)))
    return out


@pytest.mark.redis
def test_matches_redis_rdb_string_compression(real_redis):
    r = real_redis
    for i, value in enumerate(samples()):
        key = f"k{i}"
        r.set(key, value)
        payload = r.dump(key)
        rd = Reader(payload)
        assert rd.byte() == 0  # RDB_TYPE_STRING
        s = rd.string()
        assert s.value == value
        # rdbSaveLzfStringObject: output buffer of len - 4 bytes.
        ours = lzf.compress(value, len(value) - 4) if len(value) > 20 else None
        assert s.compressed == ours, f"sample {i} ({len(value)} bytes)"

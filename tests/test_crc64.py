"""CRC-64/Jones as Redis's crc64.c computes it (the DUMP and RDB checksum)."""

from __future__ import annotations

import pytest

from server.persistence.crc64 import POLY_REFLECTED, crc64


def test_check_value():
    # The test vector crc64.c's own test prints.
    assert crc64(0, b"123456789") == 0xE9C6D914C4B8D9CA


LOREM = (
    b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
    b"incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
    b"exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure "
    b"dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. "
    b"Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt "
    b"mollit anim id est laborum.\0"  # crc64.c's test hashes sizeof(li): the NUL too
)


def test_lorem_vector():
    assert len(LOREM) == 446
    assert crc64(0, LOREM) == 0xC7794709E69683B3


def test_empty_and_zero():
    assert crc64(0, b"") == 0
    assert crc64(0, b"\x00") == 0


def test_reflected_polynomial():
    assert POLY_REFLECTED == 0x95AC9329AC4BC9B5


@pytest.mark.parametrize("cut", [0, 1, 7, 8, 9, 100])
def test_incremental(cut):
    data = bytes(range(256)) * 3
    assert crc64(crc64(0, data[:cut]), data[cut:]) == crc64(0, data)


def test_matches_real_dump_footer(real_redis_client):
    """The last 8 bytes of a real DUMP payload are our crc64 of the rest."""
    c = real_redis_client
    for value in (b"x", b"hello world" * 10, b"12345"):
        c.set("k", value)
        payload = c.dump("k")
        assert int.from_bytes(payload[-8:], "little") == crc64(0, payload[:-8])


@pytest.fixture
def real_redis_client(real_server):
    c = real_server.client()
    c.flushall()
    yield c
    c.close()

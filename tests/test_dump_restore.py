"""DUMP and RESTORE: byte-identical payloads, round trips both ways, hostile input.

Payloads of small objects must equal real Redis's byte for byte (the same
listpack, intset, quicklist node and LZF bytes). Hashtable and skiplist
encodings are not comparable byte for byte -- their order is the hash
order, which differs between any two Redis processes -- so those are
compared by round trip: real Redis's payload restored into ours gives the
same contents and encoding, and ours restored into real Redis too.

The collection commands arrive with their own issues; a test that needs one
our server does not have yet is skipped with the command's name.
"""

from __future__ import annotations

import random

import pytest
import redis

from server.persistence import rdb
from server.persistence.crc64 import crc64

BAD_DATA = "Bad data format"
BAD_PAYLOAD = "DUMP payload version or checksum are wrong"


# -- helpers ----------------------------------------------------------------------------


def seal(body: bytes, version: int = rdb.RDB_VERSION) -> bytes:
    """A payload with a correct footer around ``body`` (type byte + object)."""
    out = body + version.to_bytes(2, "little")
    return out + crc64(0, out).to_bytes(8, "little")


def needs(pair, *commands: str) -> None:
    """Skip unless our server implements every command (the real one always does)."""
    missing = [c for c in commands if "unknown command" in (ours_error(pair.ours, c) or "")]
    if missing:
        pytest.skip(f"our server does not implement {', '.join(missing)} yet")


def both(pair, *args):
    pair.ours.execute_command(*args)
    pair.real.execute_command(*args)


def same_dump(pair, key):
    ours = pair.ours.dump(key)
    real = pair.real.dump(key)
    assert ours == real, f"DUMP {key!r}:\n ours={ours!r}\n real={real!r}"
    return ours


def ours_error(client, *args) -> str | None:
    try:
        client.execute_command(*args)
    except redis.ResponseError as e:
        return str(e)
    return None


@pytest.fixture
def config_guard(pair):
    """Set CONFIG on both servers for one test and put it back afterwards."""
    saved: list[tuple[str, str, str]] = []

    def set_both(name: str, value: str) -> None:
        old_ours = pair.ours.config_get(name)[name]
        old_real = pair.real.config_get(name)[name]
        saved.append((name, old_ours, old_real))
        pair.ours.config_set(name, value)
        pair.real.config_set(name, value)

    yield set_both
    for name, old_ours, old_real in reversed(saved):
        pair.ours.config_set(name, old_ours)
        pair.real.config_set(name, old_real)


# -- strings ------------------------------------------------------------------------------

STRING_VALUES = [
    b"0",
    b"7",
    b"-128",
    b"127",
    b"128",
    b"-129",
    b"32767",
    b"-32768",
    b"32768",
    b"2147483647",
    b"-2147483648",
    b"2147483648",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"9223372036854775808",  # not an int64: a string
    b"0123",  # not canonical: a string
    b"+5",
    b"1.5",
    b"",
    b"hello",
    b"x" * 20,
    b"x" * 21,  # the first length LZF is tried on
    b"x" * 44,
    b"y" * 45,
    b"abc" * 100,
    bytes(range(256)),  # incompressible
    b"\x00\xff" * 1000,
    b"The quick brown fox jumps over the lazy dog. " * 200,
]


@pytest.mark.parametrize("value", STRING_VALUES, ids=lambda v: repr(v[:12]) + f"/{len(v)}")
def test_string_dump_identical(pair, value):
    both(pair, "SET", "k", value)
    payload = same_dump(pair, "k")
    # Both servers accept each other's payload and give the same value and encoding.
    for client in (pair.ours, pair.real):
        client.restore("copy", 0, payload)
    pair.same("GET", "copy")
    pair.encoding("copy")


def test_string_dump_after_append_and_setrange(pair):
    both(pair, "SET", "a", "12")
    both(pair, "APPEND", "a", "34")  # a raw "1234" after APPEND: still saved as an int
    same_dump(pair, "a")
    both(pair, "SET", "b", "hello world, hello world, hello world")
    both(pair, "SETRANGE", "b", 50, "tail")
    same_dump(pair, "b")
    both(pair, "INCR", "n")
    both(pair, "INCRBY", "n", 100000)
    same_dump(pair, "n")


def test_string_dump_without_compression(pair, config_guard):
    config_guard("rdbcompression", "no")
    long = b"abcdefgh" * 50
    both(pair, "SET", "k", long)
    payload = same_dump(pair, "k")
    assert payload[0] == rdb.RDB_TYPE_STRING and payload[1:3] == rdb.encode_len(len(long))


def test_dump_missing_key(pair):
    pair.same("DUMP", "nosuchkey")


# -- RESTORE options and errors ---------------------------------------------------------------


def test_restore_errors_match(pair):
    both(pair, "SET", "src", "value")
    good = pair.real.dump("src")
    cases = [
        ("RESTORE", "src", 0, good),  # BUSYKEY
        ("RESTORE", "new", -1, good),
        ("RESTORE", "new", "abc", good),
        ("RESTORE", "new", 0, good, "IDLETIME", -1),
        ("RESTORE", "new", 0, good, "IDLETIME", "x"),
        ("RESTORE", "new", 0, good, "FREQ", 256),
        ("RESTORE", "new", 0, good, "FREQ", -1),
        ("RESTORE", "new", 0, good, "FREQ", 1, "IDLETIME", 1),
        ("RESTORE", "new", 0, good, "IDLETIME", 1, "FREQ", 1),
        ("RESTORE", "new", 0, good, "IDLETIME"),
        ("RESTORE", "new", 0, good, "BOGUS"),
        ("RESTORE", "new", 0, b"short"),
        ("RESTORE", "new", 0, good[:-1] + bytes([good[-1] ^ 1])),
        ("RESTORE", "new", 0, good[:-10] + b"\x0b\x00" + good[-8:]),  # version 11
        ("RESTORE", "new", 0, seal(b"\x63")),  # not an object type
        ("RESTORE", "new", 0, seal(b"\x00")),  # a string with no length
        ("RESTORE", "new", 0, seal(b"\x00\x05abc")),  # length past the end
        ("RESTORE", "new", 0, seal(b"\x00\xc3\x05\x10abcde")),  # bad LZF
        ("RESTORE", "new", 0, seal(b"\x0b\x08\x02\x00\x00\x00\x00\x00\x00\x00")),  # empty intset
        ("RESTORE", "src", 0, b"garbage", "REPLACE"),
        ("RESTORE", "new", "-5", good, "ABSTTL"),
    ]
    for args in cases:
        pair.same(*args)
    pair.same("GET", "src")
    pair.same("EXISTS", "new")


def test_restore_replace_ttl_and_absttl(pair):
    both(pair, "SET", "src", "value")
    payload = pair.real.dump("src")
    pair.same("RESTORE", "src", 0, payload, "REPLACE")
    pair.same("RESTORE", "t", 100000, payload)
    ours_ttl = pair.ours.pttl("t")
    real_ttl = pair.real.pttl("t")
    assert 99000 < ours_ttl <= 100000 and 99000 < real_ttl <= 100000
    pair.same("RESTORE", "abs", 4102444800000, payload, "ABSTTL")
    pair.same("PEXPIRETIME", "abs")
    # An absolute time in the past: OK, and the key is not created...
    pair.same("RESTORE", "past", 1000, payload, "ABSTTL")
    pair.same("EXISTS", "past")
    # ...and with REPLACE the old key is deleted.
    pair.same("RESTORE", "src", 1000, payload, "ABSTTL", "REPLACE")
    pair.same("EXISTS", "src")


def test_restore_idletime(pair):
    both(pair, "SET", "src", "value")
    payload = pair.real.dump("src")
    pair.same("RESTORE", "idle", 0, payload, "IDLETIME", 1000)
    ours = pair.ours.object("idletime", "idle")
    real = pair.real.object("idletime", "idle")
    assert 999 <= ours <= 1002 and 999 <= real <= 1002


def test_restore_freq_under_lfu(pair, config_guard):
    config_guard("maxmemory-policy", "allkeys-lfu")
    both(pair, "SET", "src", "value")
    payload = pair.real.dump("src")
    pair.same("RESTORE", "f", 0, payload, "FREQ", 100)
    pair.same("OBJECT", "FREQ", "f")


# -- collections ---------------------------------------------------------------------------------


def _restore_both_ways(pair, key, read_cmd, normalize=None):
    """Real's payload into ours and ours into real: same contents and encoding."""
    real_payload = pair.real.dump(key)
    ours_payload = pair.ours.dump(key)
    from_real, from_ours = f"{key}:from_real", f"{key}:from_ours"
    for client in (pair.ours, pair.real):
        client.restore(from_real, 0, real_payload)
        client.restore(from_ours, 0, ours_payload)
    for k in (from_real, from_ours):
        pair.same(*read_cmd(k), normalize=normalize)
        pair.encoding(k)
    pair.same(*read_cmd(key), normalize=normalize)


def _sorted(reply):
    return sorted(reply) if isinstance(reply, list) else reply


def test_hash_listpack_identical(pair):
    needs(pair, "hset", "hgetall")
    both(pair, "HSET", "h", "f", "v", "n", "12", "neg", "-7000", "big", "1" * 19, "long", "z" * 60)
    both(pair, "HSET", "h", "f", "v2")
    both(pair, "HDEL", "h", "n")
    pair.encoding("h")
    same_dump(pair, "h")
    _restore_both_ways(pair, "h", lambda k: ("HGETALL", k))


def test_hash_hashtable_round_trip(pair):
    needs(pair, "hset", "hgetall")
    for i in range(600):
        both(pair, "HSET", "big", f"field:{i}", i * 3)
    both(pair, "HSET", "longval", "f", "v" * 100)
    for key in ("big", "longval"):
        assert pair.encoding(key) == b"hashtable" or pair.encoding(key) == "hashtable"
        _restore_both_ways(pair, key, lambda k: ("HGETALL", k), normalize=_pairs_sorted)


def _pairs_sorted(reply):
    if isinstance(reply, dict):
        return sorted(reply.items())
    return sorted(zip(reply[::2], reply[1::2], strict=True))


@pytest.mark.parametrize(
    "members",
    [
        ["1", "2", "3"],
        ["-5", "100", "40000"],  # int32
        ["1", "5000000000"],  # int64
        [str(i) for i in range(0, 1000, 7)],
    ],
    ids=["int16", "int32", "int64", "many"],
)
def test_set_intset_identical(pair, members):
    needs(pair, "sadd", "smembers")
    both(pair, "SADD", "s", *members)
    pair.encoding("s")
    same_dump(pair, "s")
    _restore_both_ways(pair, "s", lambda k: ("SMEMBERS", k), normalize=_sorted_members)


def _sorted_members(reply):
    return sorted(reply)


def test_set_hashtable_round_trip(pair):
    needs(pair, "sadd", "smembers")
    both(pair, "SADD", "words", "a", "b", "c", "hello")
    both(pair, "SADD", "ints", *[str(i) for i in range(600)])
    for key in ("words", "ints"):
        _restore_both_ways(pair, key, lambda k: ("SMEMBERS", k), normalize=_sorted_members)


@pytest.mark.parametrize(
    "pairs",
    [
        ["1", "a", "2", "b", "3", "c"],
        ["1.5", "x", "-2.25", "y", "0.1", "z", "1e100", "w", "-0", "m"],
        ["100", "n1", "-4096", "n2", "4503599627370496", "n3", "inf", "pinf", "-inf", "ninf"],
    ],
    ids=["integers", "fractions", "edges"],
)
def test_zset_listpack_identical(pair, pairs):
    needs(pair, "zadd", "zrange")
    both(pair, "ZADD", "z", *pairs)
    pair.encoding("z")
    same_dump(pair, "z")
    _restore_both_ways(pair, "z", lambda k: ("ZRANGE", k, 0, -1, "WITHSCORES"))


def test_zset_skiplist_round_trip(pair):
    needs(pair, "zadd", "zrange")
    both(pair, "ZADD", "big", *[x for i in range(200) for x in (str(i / 7), f"m{i}")])
    both(pair, "ZADD", "longmember", 1, "m" * 100)
    for key in ("big", "longmember"):
        _restore_both_ways(pair, key, lambda k: ("ZRANGE", k, 0, -1, "WITHSCORES"))


@pytest.mark.parametrize("count", [1, 5, 300, 3000])
def test_list_quicklist_identical(pair, count):
    needs(pair, "rpush", "lrange")
    values = [f"item-{i}" if i % 3 else str(i) for i in range(count)]
    for i in range(0, count, 100):
        both(pair, "RPUSH", "l", *values[i : i + 100])
    both(pair, "LPUSH", "l", "head")
    same_dump(pair, "l")
    _restore_both_ways(pair, "l", lambda k: ("LRANGE", k, 0, -1))


def test_list_compressed_nodes_identical(pair, config_guard):
    needs(pair, "rpush", "lrange")
    config_guard("list-compress-depth", "1")
    config_guard("list-max-listpack-size", "16")
    for i in range(0, 400, 20):
        both(
            pair,
            "RPUSH",
            "l",
            *[f"value number {j} of a compressible list" for j in range(i, i + 20)],
        )
    payload = same_dump(pair, "l")
    assert b"\xc3" in payload
    _restore_both_ways(pair, "l", lambda k: ("LRANGE", k, 0, -1))


# -- hostile payloads ----------------------------------------------------------------------------

STRING_SAMPLES = [b"hello", b"123", b"x" * 100, b"The quick brown fox " * 20]


def test_truncated_payloads_rejected(pair):
    """Every prefix of a valid payload: the checksum error, the server alive, no key."""
    for value in STRING_SAMPLES:
        both(pair, "SET", "src", value)
        payload = pair.real.dump("src")
        for cut in range(len(payload)):
            pair.same("RESTORE", "new", 0, payload[:cut])
        pair.same("EXISTS", "new")


def _mutations(payload: bytes, rng: random.Random, n: int):
    """Bit flips, byte changes, insertions and deletions in the body, resealed."""
    body = payload[:-10]
    for _ in range(n):
        b = bytearray(body)
        kind = rng.randrange(4)
        i = rng.randrange(len(b))
        if kind == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            b[i] = rng.randrange(256)
        elif kind == 2:
            b.insert(i, rng.randrange(256))
        elif len(b) > 1:
            del b[i]
        yield seal(bytes(b))


def _fuzz(pair, payloads: list[bytes], per_payload: int, compare_real: bool):
    rng = random.Random(1234)
    ours = pair.ours
    for payload in payloads:
        for bad in _mutations(payload, rng, per_payload):
            ours_err = ours_error(ours, "RESTORE", "fz", 0, bad)
            assert ours_err in (None, BAD_DATA), ours_err
            if ours_err is None:
                # Accepted: it must be a sound value that dumps again.
                assert ours.dump("fz") is not None
                ours.delete("fz")
            else:
                assert ours.exists("fz") == 0
            if compare_real:
                real_err = ours_error(pair.real, "RESTORE", "fz", 0, bad)
                pair.real.delete("fz")
                assert ours_err == real_err, bad
    assert ours.ping()


def test_fuzz_strings_agree_with_real(pair, config_guard):
    config_guard("sanitize-dump-payload", "yes")
    payloads = []
    for value in STRING_SAMPLES + [b"-32768", b"2147483647", b"abc" * 100]:
        both(pair, "SET", "src", value)
        payloads.append(pair.real.dump("src"))
    _fuzz(pair, payloads, 40, compare_real=True)


def _real_payloads(pair) -> list[bytes]:
    """Real Redis payloads of every encoding (only real Redis is needed to build them)."""
    r = pair.real
    r.hset("h", mapping={"f": "v", "n": "12", "long": "x" * 30})
    r.sadd("s", 1, 2, 300, 70000)
    r.zadd("z", {"a": 1, "b": 2.5, "c": -3})
    r.rpush("l", *[f"e{i}" for i in range(50)])
    r.sadd("sh", "a", "b", "c")
    r.zadd("zz", {f"m{i}": i for i in range(130)})
    return [r.dump(k) for k in ("h", "s", "z", "l", "sh", "zz")]


def test_fuzz_collections_never_hurt(pair):
    """A few hundred resealed mutations of every encoding: OK or Bad data format, never more."""
    _fuzz(pair, _real_payloads(pair), 50, compare_real=False)


class FakeValue:
    """Stands in for the value classes in loader-only tests."""

    def __init__(self, type_name: str, encoding: str, **parts) -> None:
        self.TYPE_NAME = type_name
        self.encoding = encoding
        self.__dict__.update(parts)


@pytest.fixture
def fake_types(monkeypatch):
    """Let the loader build FakeValues, so it can be tested without server/types."""
    monkeypatch.setattr(rdb, "make_list", lambda ql: FakeValue("list", "quicklist", ql=ql))
    monkeypatch.setattr(rdb, "make_set_intset", lambda i: FakeValue("set", "intset", intset=i))
    monkeypatch.setattr(rdb, "make_set_hashtable", lambda d: FakeValue("set", "hashtable", dict=d))
    monkeypatch.setattr(rdb, "make_hash_listpack", lambda lp: FakeValue("hash", "listpack", lp=lp))
    monkeypatch.setattr(
        rdb, "make_hash_hashtable", lambda d: FakeValue("hash", "hashtable", dict=d)
    )
    monkeypatch.setattr(rdb, "make_zset_listpack", lambda lp: FakeValue("zset", "listpack", lp=lp))
    monkeypatch.setattr(
        rdb, "make_zset_skiplist", lambda zsl, d: FakeValue("zset", "skiplist", zsl=zsl, dict=d)
    )


def _bodies():
    """Serialized bodies of every encoding, built from the encodings themselves."""
    from server.encodings.dict import Dict
    from server.encodings.intset import Intset
    from server.encodings.listpack import Listpack
    from server.encodings.quicklist import Quicklist
    from server.encodings.skiplist import ZSkiplist

    hd = Dict()
    for i in range(5):
        hd.add(b"f%d" % i, b"v%d" % i)
    sd = Dict()
    for m in (b"a", b"b", b"c"):
        sd.add(m, None)
    zsl, zd = ZSkiplist(), Dict()
    for i in range(140):
        zsl.insert(i / 3, b"m%d" % i)
        zd.add(b"m%d" % i, i / 3)
    values = [
        b"hello world " * 10,
        FakeValue("set", "intset", intset=Intset([1, 5, 70000])),
        FakeValue("set", "hashtable", dict=sd),
        FakeValue("hash", "listpack", lp=Listpack([b"a", b"1", b"b", b"two"])),
        FakeValue("hash", "hashtable", dict=hd),
        FakeValue("zset", "listpack", lp=Listpack([b"a", b"1", b"b", b"2.5"])),
        FakeValue("zset", "skiplist", zsl=zsl, dict=zd),
        FakeValue("list", "quicklist", ql=Quicklist(values=[b"x%d" % i for i in range(300)])),
    ]
    return [rdb.serialize(v) for v in values]


def test_fuzz_loader_directly(fake_types):
    """Resealed mutations of every encoding straight into the loader: only RdbError escapes."""
    rng = random.Random(99)
    accepted = rejected = 0
    for body in _bodies():
        assert rdb.load_payload(seal(body)) is not None
        for bad in _mutations(seal(body), rng, 120):
            try:
                value = rdb.load_payload(bad)
            except rdb.RdbError:
                rejected += 1
            else:
                accepted += 1
                rdb.serialize(value)  # whatever was accepted is sound enough to save again
    assert rejected > accepted


# -- the serializer and loader on their own ------------------------------------------------------


def test_encode_len_forms():
    assert rdb.encode_len(0) == b"\x00"
    assert rdb.encode_len(63) == b"\x3f"
    assert rdb.encode_len(64) == b"\x40\x40"
    assert rdb.encode_len(16383) == b"\x7f\xff"
    assert rdb.encode_len(16384) == b"\x80\x00\x00\x40\x00"
    assert rdb.encode_len(1 << 32) == b"\x81" + (1 << 32).to_bytes(8, "big")
    for n in (0, 1, 63, 64, 16383, 16384, 1 << 32):
        r = rdb.Reader(rdb.encode_len(n))
        assert r.len() == n and r.remaining() == 0


@pytest.mark.parametrize(
    "value,encoded",
    [
        (b"0", b"\xc0\x00"),
        (b"-1", b"\xc0\xff"),
        (b"300", b"\xc1\x2c\x01"),
        (b"70000", b"\xc2\x70\x11\x01\x00"),
        (b"12345678901", b"\x0b12345678901"),
        (b"007", b"\x03007"),
    ],
)
def test_integer_strings(value, encoded):
    w = rdb.Writer()
    w.raw_string(value)
    assert bytes(w.out) == encoded
    assert rdb.Reader(encoded).string() == value


def test_verify_payload():
    p = rdb.dump_payload(b"abc")
    assert rdb.verify_payload(p)
    assert not rdb.verify_payload(p[:-1] + bytes([p[-1] ^ 0x80]))
    assert not rdb.verify_payload(b"123456789")
    newer = p[:-10] + (11).to_bytes(2, "little")
    assert not rdb.verify_payload(seal(p[:-10], 11))
    assert rdb.verify_payload(seal(p[:-10], 9))  # older versions are fine
    assert newer


def test_load_string_forms():
    assert rdb.load_payload(rdb.dump_payload(b"12")) == 12
    assert rdb.load_payload(rdb.dump_payload(b"x" * 100)) == b"x" * 100
    assert rdb.load_payload(rdb.dump_payload(123456789012345)) == 123456789012345
    with pytest.raises(rdb.RdbError):
        rdb.load_payload(seal(b"\x00\xc3\x03\x64" + b"\x01ab"))


def test_fuzz_listpack_and_intset_agree_with_real(pair, config_guard):
    """With sanitize-dump-payload yes, real Redis validates these as deeply as we do."""
    needs(pair, "hset", "sadd")
    config_guard("sanitize-dump-payload", "yes")
    r = pair.real
    r.hset("h", mapping={"f": "v", "n": "12", "long": "x" * 30, "neg": "-300"})
    r.sadd("s", 1, 2, 300, 70000)
    r.sadd("s16", 1, 2, 3)
    payloads = [r.dump(k) for k in ("h", "s", "s16")]
    _fuzz(pair, payloads, 80, compare_real=True)


# -- payloads of Redis 6.2 and older (RDB 9, ziplists) ----------------------------------------------


def ziplist(values) -> bytes:
    """A ziplist as Redis 6.2 writes one (strings that spell integers stored as integers)."""
    from server.encodings.listpack import string_to_int64

    body = bytearray()
    prev = 0
    last = 10
    for v in values:
        last = 10 + len(body)
        entry = bytearray(bytes([prev]) if prev < 254 else b"\xfe" + prev.to_bytes(4, "little"))
        iv = v if isinstance(v, int) else string_to_int64(v)
        if iv is None:
            n = len(v)
            entry += (bytes([n]) if n < 64 else bytes([0x40 | (n >> 8), n & 0xFF])) + v
        elif 0 <= iv <= 12:
            entry.append(0xF1 + iv)
        elif -128 <= iv <= 127:
            entry += b"\xfe" + (iv & 0xFF).to_bytes(1, "little")
        elif -(1 << 15) <= iv < 1 << 15:
            entry += b"\xc0" + iv.to_bytes(2, "little", signed=True)
        elif -(1 << 23) <= iv < 1 << 23:
            entry += b"\xf0" + iv.to_bytes(3, "little", signed=True)
        elif -(1 << 31) <= iv < 1 << 31:
            entry += b"\xd0" + iv.to_bytes(4, "little", signed=True)
        else:
            entry += b"\xe0" + iv.to_bytes(8, "little", signed=True)
        body += entry
        prev = len(entry)
    total = 10 + len(body) + 1
    header = (
        total.to_bytes(4, "little") + last.to_bytes(4, "little") + len(values).to_bytes(2, "little")
    )
    return header + bytes(body) + b"\xff"


def rdb9(type_byte: int, *blobs: bytes, nodes: bool = False) -> bytes:
    body = bytes([type_byte])
    if nodes:
        body += rdb.encode_len(len(blobs))
    for b in blobs:
        body += rdb.encode_len(len(b)) + b
    return seal(body, version=9)


LEGACY = {
    "hash": (
        ("HGETALL",),
        rdb9(13, ziplist([b"f", b"v", b"n", b"12", b"big", b"-70000", b"x" * 80, b"y"])),
    ),
    "zset": (
        ("ZRANGE", 0, -1, "WITHSCORES"),
        rdb9(12, ziplist([b"a", b"1", b"b", b"2.5", b"c", b"3000000000"])),
    ),
    "list_ziplist": (("LRANGE", 0, -1), rdb9(10, ziplist([b"a", b"1", b"300", b"x" * 100]))),
    "list_quicklist": (
        ("LRANGE", 0, -1),
        rdb9(14, ziplist([b"a", b"b", 5]), ziplist([b"c" * 70, 1 << 40]), nodes=True),
    ),
}


@pytest.mark.parametrize("name", list(LEGACY))
def test_legacy_ziplist_payloads_load_like_real(pair, name):
    read, payload = LEGACY[name]
    needs(pair, {"HGETALL": "hset", "ZRANGE": "zadd", "LRANGE": "rpush"}[read[0]])
    pair.same("RESTORE", "old", 0, payload)
    pair.same(read[0], "old", *read[1:])
    pair.encoding("old")
    same_dump(pair, "old")  # converted to a listpack / quicklist exactly as Redis 7.0 converts


def test_legacy_ziplist_corruption(pair, config_guard):
    config_guard("sanitize-dump-payload", "yes")
    good = ziplist([b"f", b"v", b"g", b"w"])
    bad = [
        good[:-1] + b"\x00",  # no end marker
        good[:4] + (99).to_bytes(4, "little") + good[8:],  # tail offset wrong
        good[:8] + (3).to_bytes(2, "little") + good[10:],  # count wrong
        ziplist([b"f", b"v", b"f", b"w"]),  # duplicate field
        ziplist([b"f", b"v", b"g"]),  # odd count
    ]
    for zl in bad:
        pair.same("RESTORE", "old", 0, rdb9(13, zl))
    pair.same("EXISTS", "old")


@pytest.mark.parametrize(
    "setting,cmd,ours_cmd",
    [
        (
            "hash-max-listpack-entries",
            lambda r: r.hset("x", mapping={f"field:{i}": i for i in range(600)}),
            "hset",
        ),
        ("set-max-intset-entries", lambda r: r.sadd("x", *range(600)), "sadd"),
        (
            "zset-max-listpack-entries",
            lambda r: r.zadd("x", {f"m{i}": i for i in range(200)}),
            "zadd",
        ),
    ],
    ids=["hash", "set", "zset"],
)
def test_restore_converts_like_real(pair, setting, cmd, ours_cmd):
    """A compact payload above our limits loads converted, as rdbLoadObject converts it."""
    needs(pair, ours_cmd)
    old = pair.real.config_get(setting)[setting]
    pair.real.config_set(setting, 1000)
    try:
        cmd(pair.real)
        payload = pair.real.dump("x")
    finally:
        pair.real.config_set(setting, old)
    pair.same("RESTORE", "y", 0, payload)
    pair.encoding("y")
    if ours_cmd != "zadd":  # skiplist levels are random: sizes differ a little
        pair.same("MEMORY", "USAGE", "y", "SAMPLES", 0)


# -- the serializer against real payloads, without the value classes --------------------------------


@pytest.fixture
def real(real_server):
    c = real_server.client()
    c.flushall()
    yield c
    c.close()


@pytest.mark.parametrize("count", [3, 500, 5000])
@pytest.mark.parametrize("depth", [0, 1, 2])
def test_quicklist_serializer_matches_real(real, count, depth):
    """A Quicklist pushed like RPUSH pushes serializes to real Redis's bytes."""
    from server.encodings.quicklist import Quicklist

    values = [f"list element number {i}" if i % 4 else str(i * 1000) for i in range(count)]
    real.config_set("list-compress-depth", depth)
    try:
        for i in range(0, count, 1000):
            real.rpush("l", *values[i : i + 1000])
        expected = real.dump("l")
    finally:
        real.config_set("list-compress-depth", 0)
    ql = Quicklist(fill=-2, compress=depth)
    for v in values:
        ql.push_tail(v.encode())
    assert rdb.dump_payload(FakeValue("list", "quicklist", ql=ql)) == expected


@pytest.mark.parametrize(
    "scores",
    [
        [1, 2, 3],
        [1.5, -2.25, 0.1, 1e100, -0.0],
        [4503599627370496, 4503599627370495, -7, 3.0],
        [123456789012345678, 1e-320, -(2.0**62), 2.0**62, 2.0**63],
    ],
)
def test_zset_listpack_serializer_matches_real(real, scores):
    from server.encodings.listpack import Listpack

    members = [f"m{i}" for i in range(len(scores))]
    real.zadd("z", dict(zip(members, scores, strict=True)))
    lp = Listpack()
    for score, member in sorted(zip(scores, members, strict=True)):
        lp.append(member.encode())
        lp.append(rdb.score_to_bytes(float(score)))
    assert rdb.dump_payload(FakeValue("zset", "listpack", lp=lp)) == real.dump("z")


def test_loaded_real_list_and_zset_structures(real, fake_types):
    """Real payloads decode into the same structures (no value classes needed)."""
    real.rpush("l", *[f"e{i}" for i in range(1000)])
    value = rdb.load_payload(real.dump("l"))
    assert list(value.ql) == [f"e{i}".encode() for i in range(1000)]
    assert rdb.dump_payload(value) == real.dump("l")
    real.zadd("z", {f"m{i}": i / 4 for i in range(300)})
    value = rdb.load_payload(real.dump("z"))
    assert value.encoding == "skiplist"
    assert [(m, s) for m, s in value.zsl] == [(f"m{i}".encode(), i / 4) for i in range(300)]
    real.zadd("zs", {"a": 1, "b": 2})
    value = rdb.load_payload(real.dump("zs"))
    assert value.encoding == "listpack"
    assert rdb.dump_payload(value) == real.dump("zs")


def test_huge_counts_are_rejected_cheaply(pair):
    """A count of 2**60 elements in a 20-byte payload: an error at once, no giant table."""
    for type_byte in (2, 3, 4, 5, 1, 18, 14):
        payload = seal(bytes([type_byte]) + rdb.encode_len(1 << 60) + b"\x01a\x01b")
        pair.same("RESTORE", "huge", 0, payload)
    pair.same("EXISTS", "huge")

"""Listpack: golden bytes per encoding, navigation, validation, and real Redis."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.encodings import listpack as lpmod
from server.encodings.listpack import (
    EMPTY_LISTPACK,
    LP_HDR_NUMELE_UNKNOWN,
    Listpack,
    decode_backlen,
    encode_backlen,
    encode_entry,
    string_to_int64,
    validate,
)
from tests.encodings.rdb_payload import (
    RDB_TYPE_HASH_LISTPACK,
    RDB_TYPE_LIST_QUICKLIST_2,
    RDB_TYPE_ZSET_LISTPACK,
    parse,
)


def lp_bytes(*entries: bytes, count: int | None = None) -> bytes:
    body = b"".join(entries)
    total = 6 + len(body) + 1
    n = len(entries) if count is None else count
    return total.to_bytes(4, "little") + n.to_bytes(2, "little") + body + b"\xff"


# --- golden entry bytes --------------------------------------------------------

INT_CASES = [
    # value, encoding bytes (without back-length), encoding name
    (0, b"\x00", "LP_ENCODING_7BIT_UINT"),
    (1, b"\x01", "LP_ENCODING_7BIT_UINT"),
    (127, b"\x7f", "LP_ENCODING_7BIT_UINT"),
    (128, b"\xc0\x80", "LP_ENCODING_13BIT_INT"),
    (4095, b"\xcf\xff", "LP_ENCODING_13BIT_INT"),
    (-1, b"\xdf\xff", "LP_ENCODING_13BIT_INT"),
    (-5, b"\xdf\xfb", "LP_ENCODING_13BIT_INT"),
    (-4096, b"\xd0\x00", "LP_ENCODING_13BIT_INT"),
    (4096, b"\xf1\x00\x10", "LP_ENCODING_16BIT_INT"),
    (-4097, b"\xf1\xff\xef", "LP_ENCODING_16BIT_INT"),
    (32767, b"\xf1\xff\x7f", "LP_ENCODING_16BIT_INT"),
    (-32768, b"\xf1\x00\x80", "LP_ENCODING_16BIT_INT"),
    (32768, b"\xf2\x00\x80\x00", "LP_ENCODING_24BIT_INT"),
    (-32769, b"\xf2\xff\x7f\xff", "LP_ENCODING_24BIT_INT"),
    (8388607, b"\xf2\xff\xff\x7f", "LP_ENCODING_24BIT_INT"),
    (-8388608, b"\xf2\x00\x00\x80", "LP_ENCODING_24BIT_INT"),
    (8388608, b"\xf3\x00\x00\x80\x00", "LP_ENCODING_32BIT_INT"),
    (2147483647, b"\xf3\xff\xff\xff\x7f", "LP_ENCODING_32BIT_INT"),
    (-2147483648, b"\xf3\x00\x00\x00\x80", "LP_ENCODING_32BIT_INT"),
    (2147483648, b"\xf4\x00\x00\x00\x80\x00\x00\x00\x00", "LP_ENCODING_64BIT_INT"),
    (-(2**63), b"\xf4" + b"\x00" * 7 + b"\x80", "LP_ENCODING_64BIT_INT"),
    (2**63 - 1, b"\xf4" + b"\xff" * 7 + b"\x7f", "LP_ENCODING_64BIT_INT"),
]


@pytest.mark.parametrize("value,enc,name", INT_CASES)
def test_integer_entries_golden(value, enc, name):
    entry = enc + bytes([len(enc)])
    # Both a Python int and its canonical string spelling store as an int.
    assert encode_entry(value) == entry
    assert encode_entry(str(value).encode()) == entry
    lp = Listpack([value])
    assert lp.to_bytes() == lp_bytes(entry)
    assert lp.get(0) == value
    info = next(lp.entries())
    assert info.encoding == name
    assert info.header_len == len(enc) and info.backlen == len(enc)
    assert info.backlen_size == 1 and info.size == len(enc) + 1 and info.offset == 6


STR_CASES = [
    (0, b"\x80", "LP_ENCODING_6BIT_STR", 1),
    (1, b"\x81", "LP_ENCODING_6BIT_STR", 1),
    (63, b"\xbf", "LP_ENCODING_6BIT_STR", 1),
    (64, b"\xe0\x40", "LP_ENCODING_12BIT_STR", 1),
    (125, b"\xe0\x7d", "LP_ENCODING_12BIT_STR", 1),  # 127-byte entry: 1-byte backlen
    (126, b"\xe0\x7e", "LP_ENCODING_12BIT_STR", 2),  # 128: first 2-byte backlen
    (4095, b"\xef\xff", "LP_ENCODING_12BIT_STR", 2),
    (4096, b"\xf0\x00\x10\x00\x00", "LP_ENCODING_32BIT_STR", 2),
    (16377, b"\xf0\xf9\x3f\x00\x00", "LP_ENCODING_32BIT_STR", 2),  # 16382
    (16378, b"\xf0\xfa\x3f\x00\x00", "LP_ENCODING_32BIT_STR", 3),  # 16383: strict <
    (2097146, b"\xf0\xfa\xff\x1f\x00", "LP_ENCODING_32BIT_STR", 4),  # 2097151
]


@pytest.mark.parametrize("n,hdr,name,blen_size", STR_CASES)
def test_string_entries_golden(n, hdr, name, blen_size):
    s = b"x" * n
    lp = Listpack([s])
    entry_len = len(hdr) + n
    back = encode_backlen(entry_len)
    assert len(back) == blen_size
    assert lp.to_bytes() == lp_bytes(hdr + s + back)
    assert lp.get(0) == s and lp.get(-1) == s
    info = next(lp.entries())
    assert (info.encoding, info.header_len, info.data_len) == (name, len(hdr), n)
    assert (info.backlen, info.backlen_size) == (entry_len, blen_size)
    assert list(reversed(lp)) == [s]
    validate(lp.to_bytes())


@pytest.mark.parametrize(
    "length,encoded",
    [
        (1, b"\x01"),
        (127, b"\x7f"),
        (128, b"\x01\x80"),
        (200, b"\x01\xc8"),
        (16382, b"\x7f\xfe"),
        (16383, b"\x00\xff\xff"),
        (2097150, b"\x7f\xff\xfe"),
        (2097151, b"\x00\xff\xff\xff"),
        (268435454, b"\x7f\xff\xff\xfe"),
        (268435455, b"\x00\xff\xff\xff\xff"),
        (2**32 - 1, b"\x0f\xff\xff\xff\xff"),
    ],
)
def test_backlen_golden(length, encoded):
    assert encode_backlen(length) == encoded
    assert lpmod.backlen_size(length) == len(encoded)
    assert decode_backlen(encoded, len(encoded) - 1) == length


def test_empty_listpack():
    lp = Listpack()
    assert lp.to_bytes() == EMPTY_LISTPACK == b"\x07\x00\x00\x00\x00\x00\xff"
    assert len(lp) == 0 and not lp and lp.first() is None and lp.last() is None
    assert list(lp) == [] and list(reversed(lp)) == []
    validate(EMPTY_LISTPACK)


@pytest.mark.parametrize(
    "s,expected",
    [
        (b"0", 0),
        (b"1", 1),
        (b"-1", -1),
        (b"123", 123),
        (b"9223372036854775807", 2**63 - 1),
        (b"-9223372036854775808", -(2**63)),
        (b"9223372036854775808", None),
        (b"-9223372036854775809", None),
        (b"-0", None),
        (b"+1", None),
        (b"01", None),
        (b"00", None),
        (b"-", None),
        (b"", None),
        (b" 1", None),
        (b"1 ", None),
        (b"1.0", None),
        (b"1e3", None),
        (b"0x10", None),
        (b"123456789012345678901", None),  # 21 chars: over LONG_STR_SIZE
    ],
)
def test_string_to_int64(s, expected):
    assert string_to_int64(s) == expected


def test_non_canonical_numbers_stay_strings():
    lp = Listpack([b"01", b"-0", b"+5", b"1.5"])
    assert list(lp) == [b"01", b"-0", b"+5", b"1.5"]
    assert [e.encoding for e in lp.entries()] == ["LP_ENCODING_6BIT_STR"] * 4


# --- operations --------------------------------------------------------------------


def test_insert_delete_replace_and_offsets():
    lp = Listpack([b"a", b"b", b"c"])
    lp.prepend(b"z")
    lp.insert(2, 7)
    lp.insert(-1, b"y")  # before the last entry, like list.insert
    assert lp.iter_bytes().__next__() == b"z"
    assert list(lp) == [b"z", b"a", 7, b"b", b"y", b"c"]
    assert lp.get(-1) == b"c" and lp.get(-6) == b"z"
    with pytest.raises(IndexError):
        lp.get(6)
    with pytest.raises(IndexError):
        lp.get(-7)
    assert lp.delete(2) == 7
    lp.replace(0, b"long" * 40)
    assert lp.get_bytes(0) == b"long" * 40
    assert lp.delete_range(1, 2) == 2
    assert list(lp) == [b"long" * 40, b"y", b"c"]
    assert lp.delete_range(-2, -1) == 2
    assert list(lp) == [b"long" * 40]
    assert lp.total_bytes == len(lp.to_bytes())
    validate(lp.to_bytes())
    offsets = list(lp.offsets())
    assert offsets == list(reversed(list(lp.offsets_reversed())))


def test_find_with_skip_like_a_hash():
    # field, value, field, value: a value equal to a field name must not match.
    lp = Listpack([b"f1", b"f2", b"f2", b"100", b"f3", b"x"])
    assert lp.find(b"f2", skip=1) == 2
    assert lp.find(b"f2") == 1
    assert lp.find(b"100") == 3 and lp.find(100) == 3
    assert lp.find(b"100", skip=1) is None
    assert lp.find(b"0100") is None  # not canonical: never equals the int 100
    assert lp.find(b"nope") is None
    assert lp.find(b"x", start=4) == 5


def test_saturated_count_and_lplength_write_back():
    lp = Listpack()
    for _ in range(LP_HDR_NUMELE_UNKNOWN - 1):
        lp.append(1)
    assert lp.header_count == LP_HDR_NUMELE_UNKNOWN - 1
    lp.append(1)
    assert lp.header_count == LP_HDR_NUMELE_UNKNOWN
    lp.append(2)
    assert lp.header_count == LP_HDR_NUMELE_UNKNOWN
    assert len(lp) == 65536
    validate(lp.to_bytes())  # unknown count is not checked
    lp.delete(-1)
    lp.delete(-1)
    # still saturated (delete never lowers an unknown count) until lpLength walks
    assert lp.header_count == LP_HDR_NUMELE_UNKNOWN
    assert len(lp) == 65534
    assert lp.header_count == 65534
    assert lp.get(-1) == 1


def test_safe_to_add():
    lp = Listpack()
    assert lp.safe_to_add(1000)
    assert not lp.safe_to_add(lpmod.LISTPACK_MAX_SAFETY_SIZE)


def test_merge():
    a, b = Listpack([b"a", 1]), Listpack([b"b", 2000])
    m = Listpack.merge(a, b)
    assert list(m) == [b"a", 1, b"b", 2000]
    assert m.to_bytes() == Listpack([b"a", 1, b"b", 2000]).to_bytes()


# --- validation of untrusted bytes ----------------------------------------------------


def sample_listpack() -> bytes:
    return Listpack([b"a", 5, b"hello" * 30, -300, 70000, b"x" * 70, 2**40]).to_bytes()


def test_validate_accepts_good_and_rejects_basics():
    good = sample_listpack()
    validate(good)
    Listpack.from_bytes(good)
    for bad, why in [
        (b"", "short"),
        (good[:-1], "truncated"),
        (good[:-1] + b"\x00", "no terminator"),
        ((len(good) + 1).to_bytes(4, "little") + good[4:], "total bytes"),
        (good[:4] + (8).to_bytes(2, "little") + good[6:], "count"),
    ]:
        with pytest.raises(ValueError):
            validate(bad)
        del why


def test_validate_rejects_bad_backlen_and_encoding():
    good = bytearray(Listpack([b"ab", b"cd"]).to_bytes())
    # entries: 82 'a' 'b' 03 | 82 'c' 'd' 03
    bad = bytearray(good)
    bad[9] = 0x04
    with pytest.raises(ValueError):
        validate(bytes(bad))
    bad = bytearray(good)
    bad[6] = 0xF5  # no such encoding
    with pytest.raises(ValueError):
        validate(bytes(bad))
    bad = bytearray(good)
    bad[10] = 0xFF  # early terminator, then garbage
    with pytest.raises(ValueError):
        validate(bytes(bad))
    # shallow validation only looks at header and terminator
    bad = bytearray(good)
    bad[6] = 0xF5
    validate(bytes(bad), deep=False)


def test_validate_fuzz_only_value_errors():
    rnd = random.Random(1234)
    good = sample_listpack()
    for _ in range(3000):
        data = bytearray(good)
        mode = rnd.randrange(3)
        if mode == 0:
            data = data[: rnd.randrange(len(data))]
        elif mode == 1:
            for _ in range(rnd.randrange(1, 4)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        else:
            pos = rnd.randrange(6, len(data))
            data[pos] = rnd.randrange(256)
            data[0:4] = len(data).to_bytes(4, "little")
        try:
            validate(bytes(data))
        except ValueError:
            continue
        # anything accepted must be fully readable both ways
        lp = Listpack.from_bytes(bytes(data))
        assert len(list(lp)) == len(list(reversed(lp)))


# --- model-based property test ------------------------------------------------------------

values = st.one_of(
    st.binary(max_size=80),
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(lambda i: str(i).encode()),
    st.sampled_from([b"0", b"-0", b"01", b"127", b"128", b"-4096", b"4095", b"x" * 4100]),
)
ops = st.lists(
    st.tuples(
        st.sampled_from(["append", "prepend", "insert", "delete", "replace", "drange"]),
        st.integers(-20, 20),
        st.integers(0, 5),
        values,
    ),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(ops)
def test_listpack_matches_list_model(operations):
    lp = Listpack()
    model: list[bytes] = []
    for op, idx, n, v in operations:
        if op == "append":
            lp.append(v)
            model.append(v)
        elif op == "prepend":
            lp.prepend(v)
            model.insert(0, v)
        elif op == "insert":
            lp.insert(idx, v)
            model.insert(idx, v)
        elif model and op == "delete":
            i = idx % len(model)
            assert lpmod.value_to_bytes(lp.delete(i)) == model.pop(i)
        elif model and op == "replace":
            i = idx % len(model)
            lp.replace(i, v)
            model[i] = v
        elif model and op == "drange":
            i = idx % len(model)
            lp.delete_range(i, n)
            del model[i : i + n]
        assert len(lp) == len(model)
    assert list(lp.iter_bytes()) == model
    assert [lpmod.value_to_bytes(v) for v in reversed(lp)] == model[::-1]
    for i in range(-len(model), len(model)):
        assert lp.get_bytes(i) == model[i]
    validate(lp.to_bytes())
    assert lp.to_bytes() == Listpack(model).to_bytes()


# --- byte equality with real Redis ------------------------------------------------------------


def dump_blob(client, key) -> bytes:
    p = parse(client.dump(key))
    assert len(p.blobs) == 1
    return p.blobs[0].value


@pytest.mark.redis
def test_hash_listpack_bytes_match_redis(real_redis):
    r = real_redis
    r.delete("h")
    model = Listpack()
    ops = [
        ("a", "1"),
        ("b", "hello"),
        ("c", "-4096"),
        ("d", "x" * 63),
        ("b", "y" * 64),  # replace in place
        ("e", "9223372036854775807"),
        ("f", "01"),
        ("a", "300"),
    ]
    for field, value in ops:
        r.hset("h", field, value)
        i = model.find(field, skip=1)
        if i is None:
            model.append(field.encode())
            model.append(value.encode())
        else:
            model.replace(i + 1, value.encode())
    r.hdel("h", "c")
    i = model.find(b"c", skip=1)
    model.delete_range(i, 2)
    p = parse(r.dump("h"))
    assert p.rdb_type == RDB_TYPE_HASH_LISTPACK
    assert p.blobs[0].value == model.to_bytes()
    # Redis LZF-compressed the blob; our compressor makes the same bytes.
    from server.encodings import lzf

    assert p.blobs[0].compressed == lzf.compress(model.to_bytes(), len(model.to_bytes()) - 4)
    flat = list(model.iter_bytes())
    assert r.hgetall("h") == dict(zip(flat[::2], flat[1::2], strict=True))


@pytest.mark.redis
def test_zset_listpack_bytes_match_redis(real_redis):
    r = real_redis
    r.delete("z")
    r.zadd("z", {"a": 1, "b": 1.5, "c": -3.25, "d": 1, "e": 1e6})
    # zset listpacks hold member, score pairs in score order (ties by member).
    model = Listpack([b"c", b"-3.25", b"a", b"1", b"d", b"1", b"b", b"1.5", b"e", b"1000000"])
    p = parse(r.dump("z"))
    assert p.rdb_type == RDB_TYPE_ZSET_LISTPACK
    assert p.blobs[0].value == model.to_bytes()


@pytest.mark.redis
def test_small_list_listpack_bytes_match_redis(real_redis):
    r = real_redis
    r.delete("l")
    items = [b"a", b"1", b"-5", b"300", b"70000", b"-2147483649", b"x" * 100, b"", b"007"]
    r.rpush("l", *items)
    r.lpush("l", b"head")
    p = parse(r.dump("l"))
    assert p.rdb_type == RDB_TYPE_LIST_QUICKLIST_2
    assert p.containers == [2]
    assert p.blobs[0].value == Listpack([b"head", *items]).to_bytes()
    validate(p.blobs[0].value)
    assert list(Listpack.from_bytes(p.blobs[0].value).iter_bytes()) == [b"head", *items]


@pytest.mark.redis
def test_random_hash_and_zset_operations_match_redis(real_redis):
    """HSET/HDEL and ZADD/ZREM sequences leave the same listpack bytes.

    The hash side mirrors t_hash.c (lpFind with skip 1, lpReplace,
    lpAppend, delete of the field/value pair); the zset side mirrors
    zzlInsert (ordered by score then member) with integral scores, which
    d2string prints as plain integers.
    """
    r = real_redis
    rnd = random.Random(77)
    r.delete("rh", "rz")
    h = Listpack()
    z = Listpack()
    zscores: dict[bytes, int] = {}
    for _ in range(400):
        field = b"f%d" % rnd.randrange(40)
        value = rnd.choice([b"%d" % rnd.randrange(-(10**6), 10**6), b"v" * rnd.randrange(0, 60)])
        if rnd.random() < 0.7:
            r.hset("rh", field, value)
            i = h.find(field, skip=1)
            if i is None:
                h.append(field)
                h.append(value)
            else:
                h.replace(i + 1, value)
        else:
            r.hdel("rh", field)
            i = h.find(field, skip=1)
            if i is not None:
                h.delete_range(i, 2)
        member = b"m%d" % rnd.randrange(40)
        score = rnd.randrange(-50, 50)
        if rnd.random() < 0.7:
            r.zadd("rz", {member: score})
            old = zscores.get(member)
            if old != score:
                if old is not None:
                    z.delete_range(z.find(member, skip=1), 2)
                pos = 0
                for pos in range(0, len(z) + 1, 2):
                    if pos == len(z):
                        break
                    m, s = z.get_bytes(pos), int(z.get_bytes(pos + 1))
                    if s > score or (s == score and m > member):
                        break
                z.insert(pos, member)
                z.insert(pos + 1, b"%d" % score)
                zscores[member] = score
        else:
            r.zrem("rz", member)
            if member in zscores:
                z.delete_range(z.find(member, skip=1), 2)
                del zscores[member]
    assert dump_blob(r, "rh") == h.to_bytes()
    assert dump_blob(r, "rz") == z.to_bytes()
    assert r.object("encoding", "rh") == b"listpack"
    assert r.object("encoding", "rz") == b"listpack"

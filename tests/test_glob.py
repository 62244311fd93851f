"""server.glob against util.c stringmatchlen: a table, a fuzz, and a real redis-server."""

from __future__ import annotations

import random

import pytest

from server.glob import (
    compile_glob,
    compile_key_matcher,
    glob_match,
    is_match_all,
    stringmatchlen,
)
from tests import support

# (pattern, string, expected) for nocase=False; each row is checked against the
# reference port, the compiled matcher and (below) a real redis-server's KEYS.
CASES = [
    (b"*", b"anything", True),
    (b"*", b"", False),  # only KEYS/SCAN's lone-'*' shortcut lists the empty key
    (b"", b"", True),
    (b"", b"a", False),
    (b"**", b"", False),
    (b"a*", b"a", True),
    (b"*a", b"a", True),
    (b"a*b", b"ab", True),
    (b"a*b", b"axxb", True),
    (b"a*b", b"axxbc", False),
    (b"h?llo", b"hello", True),
    (b"h?llo", b"hllo", False),
    (b"h[ae]llo", b"hallo", True),
    (b"h[ae]llo", b"hillo", False),
    (b"h[^e]llo", b"hallo", True),
    (b"h[^e]llo", b"hello", False),
    (b"h[a-b]llo", b"hbllo", True),
    (b"h[a-b]llo", b"hcllo", False),
    (b"[z-a]", b"m", True),  # reversed range: swapped
    (b"[z-a]", b"A", False),
    (b"a[", b"a", False),  # unterminated, empty set: nothing
    (b"a[", b"a[", False),
    (b"a[bc", b"ab", True),  # unterminated: the rest of the pattern is the set
    (b"a[bc", b"ac", True),
    (b"a[bc", b"a[", False),
    (b"[", b"[", False),
    (b"[^", b"x", True),
    (b"[]", b"]", False),
    (b"[]", b"", False),
    (b"[]]", b"]", False),
    (b"[]]", b"]]", False),
    (b"[\\]]", b"]", True),
    (b"[\\]]", b"\\", False),
    (b"[\\]", b"\\", False),  # '\\' escapes ']', then the set runs to the end
    (b"[\\]", b"]", True),
    (b"\\*", b"*", True),
    (b"\\*", b"a", False),
    (b"\\?", b"?", True),
    (b"\\?", b"x", False),
    (b"*\\", b"a\\", True),
    (b"*\\", b"a", False),
    (b"\\", b"\\", True),
    (b"a\\", b"a\\", True),
    (b"\\a", b"a", True),
    (b"[a-]", b"-", False),  # "a-]" is the range ]..a, and the set never closes
    (b"[a-]", b"^", True),
    (b"[a-]", b"a", True),
    (b"[-a]", b"-", True),
    (b"[a-c-e]", b"d", False),
    (b"[a-c-e]", b"-", True),
    (b"[a-c-e]", b"e", True),
    (b"[[]", b"[", True),
    (b"[*]", b"*", True),
    (b"[*]", b"a", False),
    (b"[?]", b"?", True),
    (b"[^]", b"x", True),  # '^' then ']' closes: an empty negated set, any byte
    (b"[^]", b"", False),
    (b"[!a]", b"!", True),  # '!' is not a negation in Redis
    (b"[!a]", b"b", False),
    (b"*a*a*a*a*a*a*a*b", b"a" * 60, False),
    (b"*a*a*a*a*a*a*a*b", b"a" * 60 + b"b", True),
    (b"foo*bar*baz", b"foobarbaz", True),
    (b"foo*bar*baz", b"foobazbar", False),
    (b"*bar*", b"bar", True),
    (b"*?", b"x", True),
    (b"?*", b"", False),
    (b"a?*", b"a", False),
    (b"a\nb", b"a\nb", True),
    (b"a?b", b"a\nb", True),
    (b"a*b", b"a\n\nb", True),
    (b"\x00*", b"\x00x", True),
    (b"[\x80-\xff]", b"\x90", True),
    (b"[a-\xff]", b"b", False),  # signed char: a..\xff is -1..97
    (b"[a-\xff]", b"0", True),
    (b"[a-\xff]", b"\xff", True),
    (b"[a-\xff]", b"\xfe", False),
    (b"*a" * 999, b"a" * 1100, True),
    (b"*a" * 1000, b"a" * 1100, True),
    (b"*a" * 1001, b"a" * 1100, False),  # past MAX_NESTING
    (b"*a" * 1001 + b"*", b"a" * 1100, False),
    (b"*a" * 1000 + b"*", b"a" * 1100, True),
]

NOCASE_CASES = [
    (b"HELLO", b"hello", True),
    (b"h*O", b"HELLO", True),
    (b"[A-C]", b"b", True),
    (b"[a-c]", b"B", True),
    (b"[\\A]", b"a", False),  # an escape inside [] compares exactly
    (b"[\\A]", b"A", True),
    (b"\\A", b"a", True),  # outside [] it folds
    (b"[^A]", b"a", False),
    (b"[Z-a]", b"_", False),  # swapped first (no-op), then lowered to 122..97: empty
    (b"[Z-a]", b"z", False),
    (b"\xc9", b"\xe9", False),  # only ASCII letters fold
]


@pytest.mark.parametrize(("pattern", "string", "expected"), CASES)
def test_table(pattern: bytes, string: bytes, expected: bool) -> None:
    if len(pattern) < 1500:  # the reference port recurses once per '*'
        assert stringmatchlen(pattern, string) is expected
    assert compile_glob(pattern)(string) is expected
    assert glob_match(pattern, string) is expected


@pytest.mark.parametrize(("pattern", "string", "expected"), NOCASE_CASES)
def test_nocase_table(pattern: bytes, string: bytes, expected: bool) -> None:
    assert stringmatchlen(pattern, string, nocase=True) is expected
    assert glob_match(pattern, string, nocase=True) is expected


def test_key_matcher_shortcut() -> None:
    assert is_match_all(b"*")
    assert not is_match_all(b"**")
    assert compile_key_matcher(b"*")(b"")
    assert not compile_key_matcher(b"**")(b"")
    assert compile_key_matcher(b"a*")(b"abc")


def test_compiled_cache() -> None:
    assert compile_glob(b"user:*") is compile_glob(b"user:*")
    assert compile_glob(b"user:*") is not compile_glob(b"user:*", True)


def test_pathological_pattern_is_fast() -> None:
    import time

    t = time.perf_counter()
    assert not glob_match(b"*a" * 40 + b"b", b"a" * 5000)
    assert time.perf_counter() - t < 1.0


ALPHABET = b"ab*?[]^-\\zA"


@pytest.mark.parametrize("nocase", [False, True])
def test_fuzz_against_reference(nocase: bool) -> None:
    rng = random.Random(7 + nocase)
    for _ in range(6000):
        pattern = bytes(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))
        string = bytes(rng.choice(b"ab-]^[\\*?zAZ") for _ in range(rng.randint(0, 6)))
        assert compile_glob(pattern, nocase)(string) == stringmatchlen(pattern, string, nocase), (
            pattern,
            string,
            nocase,
        )


@pytest.mark.skipif(support.REDIS_SERVER is None, reason=support.NO_REDIS_REASON)
def test_against_real_keys() -> None:
    """KEYS on a real server: every row of the table plus a random sample."""
    server = support.start_real_redis()
    try:
        r = server.client()
        strings = sorted({s for _, s, _ in CASES if s})
        rng = random.Random(11)
        strings += [
            bytes(rng.choice(b"ab-]^[\\*?zA") for _ in range(rng.randint(1, 4))) for _ in range(300)
        ]
        strings = sorted(set(strings))
        r.mset({s: 1 for s in strings})
        patterns = [p for p, _, _ in CASES if p != b"*"]  # KEYS * has its own shortcut
        patterns += [
            bytes(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6))) for _ in range(300)
        ]
        pipe = r.pipeline(transaction=False)
        for p in patterns:
            pipe.keys(p)
        for p, got in zip(patterns, pipe.execute(), strict=True):
            m = compile_glob(p)
            assert sorted(got) == [s for s in strings if m(s)], p
        # KEYS * lists the empty key, KEYS ** does not.
        r.set(b"", 1)
        assert b"" in r.keys(b"*") and compile_key_matcher(b"*")(b"")
        assert b"" not in r.keys(b"**") and not compile_key_matcher(b"**")(b"")
    finally:
        server.stop()

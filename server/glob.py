"""Redis's glob patterns (util.c ``stringmatchlen``): KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET.

A pattern is bytes, matched against bytes:

    *        any run of bytes (see the two quirks below)
    ?        exactly one byte
    [abc]    one of a, b, c            [^abc]  anything else
    [a-z]    a range; Redis swaps a reversed range, so [z-a] is [a-z]
    \\x       the byte x itself, also inside [...]

Redis's matcher is a hand-written recursive loop with a few edges that a
regular expression translation must copy on purpose:

* A ``[`` that never closes takes the rest of the pattern as its set:
  ``a[bc`` matches ``ab``; ``[`` alone matches nothing; ``[^`` any byte.
  ``]`` right after ``[`` closes an empty set, so ``[]`` never matches, and
  ``[]]`` (an empty set, then a literal ``]``) never matches either.
* ``a-]`` inside a set is the range ``]..a``, which eats the ``]``.
* Inside ``[...]`` a backslash escape compares exactly, even under ``nocase``.
* A trailing lone backslash is a literal backslash.
* Bytes are compared as C ``char``, which is signed on the platforms Redis
  runs on: a range between an ASCII byte and a byte >= 0x80 is swapped by
  value, so ``[a-\\xff]`` means "from -1 to 97": every byte up to ``a`` plus
  ``\\xff``, and not ``b``.
* ``nocase`` folds only ASCII letters (C locale ``tolower``).
* The empty string matches only the empty pattern: ``*`` does not match
  ``b""``. (KEYS and SCAN test for a lone ``*`` before calling the matcher,
  so there the empty key is listed: use :func:`compile_key_matcher`.)
* Protection against abusive patterns (Redis 7.0.15 as shipped by Debian, the
  CVE-2024-31228 fix): the matcher gives up, "no match", past 1000 nested
  ``*``. A pattern with more than 1000 ``*`` groups that are each followed by
  something else therefore matches nothing.

:func:`stringmatchlen` is a line-by-line port of the C loop, kept as the
executable specification; :func:`compile_glob` is what the server uses. It
turns the pattern into tokens once (the C loop's way through the pattern does
not depend on the string), then into one ``re`` pattern: each ``*`` becomes an
atomic lazy ``(?>.*?segment)``, so the regex engine finds the leftmost place
for every segment and never backtracks into it. That is the classic linear
glob algorithm and, like Redis's ``skipLongerMatches``, it keeps patterns such
as ``*a*a*a*a*b`` from taking exponential time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

__all__ = [
    "MAX_NESTING",
    "compile_glob",
    "compile_key_matcher",
    "glob_match",
    "is_match_all",
    "stringmatchlen",
]

Matcher = Callable[[bytes], bool]

MAX_NESTING = 1000  # util.c: "if (nesting > 1000) return 0;"

_STAR = None  # a token: either _STAR or a frozenset of the byte values it accepts
_ALL_BYTES = frozenset(range(256))


def _signed(b: int) -> int:
    """A byte as a C ``char`` on x86/ARM Linux (signed)."""
    return b - 256 if b >= 128 else b


def _tolower(c: int) -> int:
    """C-locale ``tolower`` on a (possibly negative) char value."""
    return c + 32 if 65 <= c <= 90 else c


# ---------------------------------------------------------------------------
# The reference: util.c stringmatchlen_impl, line by line
# ---------------------------------------------------------------------------


def stringmatchlen(pattern: bytes, string: bytes, nocase: bool = False) -> bool:
    """The C algorithm itself (slow, recursive): the specification for tests."""
    skip = [False]
    return _stringmatch_impl(pattern, 0, string, 0, nocase, skip, 0)


def _stringmatch_impl(
    p: bytes, pi: int, s: bytes, si: int, nocase: bool, skip: list[bool], nesting: int
) -> bool:
    if nesting > MAX_NESTING:
        return False
    pn, sn = len(p), len(s)

    def pat(k: int) -> int:  # C reads the NUL terminator past the end
        return p[k] if k < pn else 0

    while pi < pn and si < sn:
        c = p[pi]
        if c == 42:  # '*'
            while pi + 1 < pn and p[pi + 1] == 42:
                pi += 1
            if pn - pi == 1:
                return True
            while si < sn:
                if _stringmatch_impl(p, pi + 1, s, si, nocase, skip, nesting + 1):
                    return True
                if skip[0]:
                    return False
                si += 1
            skip[0] = True
            return False
        elif c == 63:  # '?'
            si += 1
        elif c == 91:  # '['
            pi += 1
            negate = pat(pi) == 94
            if negate:
                pi += 1
            match = False
            sc = _signed(s[si])
            while True:
                if pat(pi) == 92 and pn - pi >= 2:
                    pi += 1
                    if p[pi] == s[si]:
                        match = True
                elif pat(pi) == 93:
                    break
                elif pn - pi == 0:
                    pi -= 1
                    break
                elif pn - pi >= 3 and p[pi + 1] == 45:
                    start, end, ch = _signed(p[pi]), _signed(p[pi + 2]), sc
                    if start > end:
                        start, end = end, start
                    if nocase:
                        start, end, ch = _tolower(start), _tolower(end), _tolower(ch)
                    pi += 2
                    if start <= ch <= end:
                        match = True
                else:
                    if nocase:
                        if _tolower(_signed(p[pi])) == _tolower(sc):
                            match = True
                    elif p[pi] == s[si]:
                        match = True
                pi += 1
            if negate:
                match = not match
            if not match:
                return False
            si += 1
        else:
            if c == 92 and pn - pi >= 2:  # '\\'
                pi += 1
            a, b = p[pi], s[si]
            if nocase:
                if _tolower(_signed(a)) != _tolower(_signed(b)):
                    return False
            elif a != b:
                return False
            si += 1
        pi += 1
        if si == sn:
            while pat(pi) == 42:
                pi += 1
            break
    return pi >= pn and si == sn


# ---------------------------------------------------------------------------
# Tokens: the pattern walked once, exactly as the C loop walks it
# ---------------------------------------------------------------------------


def _class_accepts(items: list[tuple], negate: bool, nocase: bool) -> frozenset[int]:
    """The bytes one ``[...]`` accepts: each item's bytes, computed directly."""
    accepted: set[int] = set()
    for item in items:
        kind = item[0]
        if kind == "escaped":  # exact, even under nocase
            accepted.add(item[1])
        elif kind == "char":
            accepted |= _literal(item[1], nocase)
        else:
            start, end = _signed(item[1]), _signed(item[2])
            if start > end:
                start, end = end, start
            if nocase:
                start, end = _tolower(start), _tolower(end)
            for v in range(start, end + 1):  # C compares tolower(c) with the bounds
                if not (nocase and 65 <= v <= 90):
                    accepted.add(v & 0xFF)
                if nocase and 97 <= v <= 122:
                    accepted.add(v - 32)
    if negate:
        return _ALL_BYTES - accepted
    return frozenset(accepted)


def _literal(b: int, nocase: bool) -> frozenset[int]:
    if nocase and (65 <= b <= 90 or 97 <= b <= 122):
        return frozenset({b | 0x20, b & ~0x20})
    return frozenset({b})


def _tokenize(p: bytes, nocase: bool) -> list[frozenset[int] | None]:
    tokens: list[frozenset[int] | None] = []
    n = len(p)
    i = 0
    while i < n:
        c = p[i]
        if c == 42:
            while i + 1 < n and p[i + 1] == 42:
                i += 1
            tokens.append(_STAR)
        elif c == 63:
            tokens.append(_ALL_BYTES)
        elif c == 91:
            i += 1
            negate = i < n and p[i] == 94
            if negate:
                i += 1
            items: list[tuple] = []
            while True:
                if i < n and p[i] == 92 and n - i >= 2:
                    i += 1
                    items.append(("escaped", p[i]))
                elif i < n and p[i] == 93:
                    break
                elif n - i == 0:
                    i -= 1
                    break
                elif n - i >= 3 and p[i + 1] == 45:
                    items.append(("range", p[i], p[i + 2]))
                    i += 2
                else:
                    items.append(("char", p[i]))
                i += 1
            tokens.append(_class_accepts(items, negate, nocase))
        else:
            if c == 92 and n - i >= 2:
                i += 1
            tokens.append(_literal(p[i], nocase))
        i += 1
    return tokens


def _byte_class(accepted: frozenset[int]) -> bytes:
    if len(accepted) == 256:
        return b"."
    if not accepted:
        return b"(?!)"
    if len(accepted) == 1:
        return b"\\x%02x" % next(iter(accepted))
    ranges = []
    values = sorted(accepted)
    start = prev = values[0]
    for v in values[1:]:
        if v != prev + 1:
            ranges.append((start, prev))
            start = v
        prev = v
    ranges.append((start, prev))
    parts = [b"\\x%02x" % a if a == b else b"\\x%02x-\\x%02x" % (a, b) for a, b in ranges]
    return b"[" + b"".join(parts) + b"]"


# ---------------------------------------------------------------------------
# The compiled matcher
# ---------------------------------------------------------------------------


def _never(_: bytes) -> bool:
    return False


def _nonempty(s: bytes) -> bool:
    return len(s) > 0


@functools.lru_cache(maxsize=4096)
def compile_glob(pattern: bytes, nocase: bool = False) -> Matcher:
    """A function ``f(string) -> bool`` equal to ``stringmatchlen(pattern, string, nocase)``.

    Compiled matchers are cached, so a KEYS or SCAN over a million keys (or a
    PSUBSCRIBE pattern seen on every PUBLISH) builds its regex once.
    """
    pattern = bytes(pattern)
    if not pattern:
        return lambda s: not s
    if not any(c in pattern for c in b"*?[\\"):
        if nocase:
            folded = pattern.lower()  # bytes.lower() folds ASCII only, like tolower()
            return lambda s: len(s) == len(folded) and s.lower() == folded
        return pattern.__eq__
    tokens = _tokenize(pattern, nocase)
    stars = [i for i, t in enumerate(tokens) if t is _STAR]
    guarded = [i for i in stars if i != len(tokens) - 1]
    if len(guarded) > MAX_NESTING:
        return _never
    if tokens == [_STAR]:
        return _nonempty
    # Split into star-separated segments of one-byte matchers.
    segments: list[list[frozenset[int]]] = [[]]
    for t in tokens:
        if t is _STAR:
            segments.append([])
        else:
            segments[-1].append(t)
    regex = [b"".join(_byte_class(t) for t in segments[0])]
    if stars:
        for seg in segments[1:-1]:
            regex.append(b"(?>.*?" + b"".join(_byte_class(t) for t in seg) + b")")
        regex.append(b".*" + b"".join(_byte_class(t) for t in segments[-1]))
    fullmatch = re.compile(b"".join(regex), re.DOTALL).fullmatch
    if stars:
        return lambda s: len(s) > 0 and fullmatch(s) is not None
    return lambda s: fullmatch(s) is not None


def glob_match(pattern: bytes, string: bytes, nocase: bool = False) -> bool:
    """``stringmatchlen(pattern, string, nocase)``, through the compiled cache."""
    return compile_glob(pattern, nocase)(string)


def is_match_all(pattern: bytes) -> bool:
    """KEYS and SCAN's shortcut: a lone ``*`` lists every key, the empty one too."""
    return pattern == b"*"


def compile_key_matcher(pattern: bytes) -> Matcher:
    """The matcher KEYS and SCAN MATCH use: :func:`compile_glob`, except that a
    lone ``*`` accepts every key including ``b""`` (db.c ``allkeys`` /
    ``use_pattern``)."""
    if is_match_all(pattern):
        return _always
    return compile_glob(pattern)


def _always(_: bytes) -> bool:
    return True

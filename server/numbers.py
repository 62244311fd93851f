"""Redis's number parsing and formatting (util.c), which is stricter than Python's.

``int(b" 5")``, ``int(b"+5")``, ``int(b"05")`` and ``float(b"1_0")`` all succeed
in Python; in Redis each of them is "not an integer" / "not a valid float".
Every command that reads a number from a client goes through these functions
so the server accepts and rejects exactly what Redis does.
"""

from __future__ import annotations

import math

LLONG_MAX = (1 << 63) - 1
LLONG_MIN = -(1 << 63)
LONG_STR_SIZE = 21  # util.h: the longest string a long long can be written as
MAX_LONG_DOUBLE_CHARS = 5 * 1024


def string2ll(s: bytes) -> int | None:
    """util.c ``string2ll``: an optional '-', then digits without leading zeros."""
    n = len(s)
    if n == 0 or n > LONG_STR_SIZE - 1 + (s[:1] == b"-"):
        return None
    if s.isdigit():
        if s[0] == 48 and n > 1:  # leading zero
            return None
        v = int(s)
        return v if v <= LLONG_MAX else None
    if s[0] == 45 and n > 1:  # '-'
        digits = s[1:]
        if digits.isdigit() and digits[0] != 48:
            v = -int(digits)
            return v if v >= LLONG_MIN else None
    return None


def string2l(s: bytes) -> int | None:
    """``string2l``: like string2ll; a long is 64-bit on the platforms we run on."""
    return string2ll(s)


def string2ull(s: bytes) -> int | None:
    if s[:1] == b"-":
        v = string2ll(s)
        return None if v is None else v & ((1 << 64) - 1)
    if s.isdigit() and 0 < len(s) <= 20 and (s[0] != 48 or len(s) == 1):
        v = int(s)
        return v if v < (1 << 64) else None
    return None


def _strtod_prefix_ok(s: bytes) -> bool:
    # strtod skips leading whitespace, but Redis rejects it (isspace(buf[0])).
    return len(s) > 0 and s[:1] not in (b" ", b"\t", b"\n", b"\r", b"\v", b"\f")


def _c_float(s: bytes) -> float | None:
    """Parse the whole of ``s`` the way C's strtod would, or None."""
    try:
        text = s.decode("ascii")
    except UnicodeDecodeError:
        return None
    if "_" in text or text != text.strip():
        return None
    low = text.lower()
    try:
        if "x" in low:  # strtod accepts hexadecimal floats: 0x1p3
            sign = -1.0 if low.startswith("-") else 1.0
            body = low.lstrip("+-")
            if not body.startswith("0x"):
                return None
            if "p" not in body:
                body += "p0"
            try:
                return sign * float.fromhex(body)
            except OverflowError:  # strtod gives +-HUGE_VAL, as for "1e400"
                return sign * math.inf
        if low.lstrip("+-") in ("infinity", "inf", "nan"):
            return float(low)
        return float(text)
    except ValueError:
        return None


def string2ld(s: bytes) -> float | None:
    """util.c ``string2ld`` (used by INCRBYFLOAT): no spaces, no NaN, whole string."""
    if not _strtod_prefix_ok(s) or len(s) > MAX_LONG_DOUBLE_CHARS:
        return None
    v = _c_float(s)
    if v is None or math.isnan(v):
        return None
    return v


def string2d(s: bytes) -> float | None:
    """``getDoubleFromObject``: strtod over the whole string, no leading space, no NaN."""
    if not _strtod_prefix_ok(s):
        return None
    v = _c_float(s)
    if v is None or math.isnan(v):
        return None
    return v


def ld2string_human(v: float) -> bytes:
    """``ld2string(..., LD_STR_HUMAN)``: what INCRBYFLOAT stores and replies.

    Redis prints the long double with ``%.17Lf`` and strips trailing zeros and
    a trailing dot. We hold a C double, so we print it with 17 significant
    digits the same way; for values a double holds exactly this matches Redis.
    """
    if math.isinf(v):
        return b"inf" if v > 0 else b"-inf"
    text = "%.17f" % v
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.encode()


def d2string(v: float) -> bytes:
    """``%.17g`` as Redis uses for doubles in replies (addReplyDouble)."""
    if math.isinf(v):
        return b"inf" if v > 0 else b"-inf"
    if math.isnan(v):
        return b"nan"
    return b"%.17g" % v


def ll2bytes(v: int) -> bytes:
    return b"%d" % v

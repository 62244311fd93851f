"""x87 ``long double`` arithmetic for INCRBYFLOAT and HINCRBYFLOAT.

Redis computes ``INCRBYFLOAT`` in C ``long double`` (on x86-64: 64-bit
significand, 15-bit exponent) and stores the result printed with ``%.17Lf``
and trailing zeros removed. That is why ``SET k 10.50`` then
``INCRBYFLOAT k 0.1`` gives ``10.6`` in Redis, where Python's 53-bit floats
would print ``10.59999999999999964``. We model the type exactly with
:class:`fractions.Fraction`: every value is rounded to a 64-bit significand
(round half to even, as the FPU does) after parsing and after each addition,
and printing rounds the exact binary value to 17 decimals as glibc does.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

SIGNIFICAND_BITS = 64
LDBL_MAX_EXP = 16384  # values >= 2**16384 overflow to infinity
LDBL_MIN_EXP = -16381  # smallest normal exponent (denormals: we flush tiny results)
MAX_LONG_DOUBLE_CHARS = 5 * 1024


class LongDouble:
    """A finite long double value (or +/- infinity via ``inf``)."""

    __slots__ = ("value", "inf")

    def __init__(self, value: Fraction, inf: int = 0) -> None:
        self.value = value
        self.inf = inf  # +1 / -1 for infinities

    def __add__(self, other: LongDouble) -> LongDouble:
        if self.inf or other.inf:
            if self.inf and other.inf and self.inf != other.inf:
                return NAN
            return LongDouble(Fraction(0), self.inf or other.inf)
        return _round(self.value + other.value)

    @property
    def is_finite(self) -> bool:
        return self.inf == 0 and self is not NAN

    def format_human(self) -> bytes:
        """``ld2string(LD_STR_HUMAN)``: ``%.17Lf`` without trailing zeros."""
        if self.inf:
            return b"inf" if self.inf > 0 else b"-inf"
        v = self.value
        neg = v < 0
        scaled = abs(v) * 10**17
        q, r = divmod(scaled.numerator, scaled.denominator)
        # round half to even on the exact binary value
        twice = 2 * r
        if twice > scaled.denominator or (twice == scaled.denominator and q & 1):
            q += 1
        digits = str(q).rjust(18, "0")
        text = digits[:-17] + "." + digits[-17:]
        text = text.rstrip("0").rstrip(".")
        if neg and text != "0":
            text = "-" + text
        return text.encode()

    def to_float(self) -> float:
        if self.inf:
            return float("inf") * self.inf
        return float(self.value)


NAN = LongDouble(Fraction(0), 0)


def _round(x: Fraction) -> LongDouble:
    if x == 0:
        return LongDouble(Fraction(0))
    sign = -1 if x < 0 else 1
    a = abs(x)
    num, den = a.numerator, a.denominator
    e = num.bit_length() - den.bit_length()
    # Make 2**e <= a < 2**(e+1).
    if (num << max(0, -e)) < (den << max(0, e)):
        e -= 1
    if e >= LDBL_MAX_EXP:
        return LongDouble(Fraction(0), sign)
    if e < LDBL_MIN_EXP - SIGNIFICAND_BITS:
        return LongDouble(Fraction(0))
    shift = SIGNIFICAND_BITS - 1 - e  # a * 2**shift lies in [2**63, 2**64)
    if shift >= 0:
        q, r = divmod(num << shift, den)
        rden = den
    else:
        q, r = divmod(num, den << -shift)
        rden = den << -shift
    twice = 2 * r
    if twice > rden or (twice == rden and q & 1):
        q += 1
    value = Fraction(q) / (Fraction(2) ** shift) if shift >= 0 else Fraction(q * 2**-shift)
    if value >= Fraction(2) ** LDBL_MAX_EXP:
        return LongDouble(Fraction(0), sign)
    return LongDouble(sign * value)


def from_int(v: int) -> LongDouble:
    return _round(Fraction(v))


def parse(s: bytes) -> LongDouble | None:
    """util.c ``string2ld``: strtold over the whole string; no spaces, NaN or range errors."""
    if len(s) == 0 or len(s) >= MAX_LONG_DOUBLE_CHARS:
        return None
    if b"\0" in s:  # strtold would stop there: "(eptr-buf) != slen" rejects it
        return None
    if s[:1].isspace():
        return None
    try:
        text = s.decode("ascii")
    except UnicodeDecodeError:
        return None
    if "_" in text or text != text.strip():
        return None
    low = text.lower()
    body = low.lstrip("+-")
    if low[:1] in "+-" and low[1:2] in "+-":
        return None
    sign = -1 if low.startswith("-") else 1
    if body in ("inf", "infinity"):
        return LongDouble(Fraction(0), sign)
    if body.startswith("nan"):
        return None
    if body.startswith("0x"):
        try:
            mant, _, exp = body[2:].partition("p")
            ip, _, fp = mant.partition(".")
            if not (ip or fp) or any(c not in "0123456789abcdef" for c in ip + fp):
                return None
            value = Fraction(int(ip or "0", 16)) + (
                Fraction(int(fp, 16), 16 ** len(fp)) if fp else 0
            )
            if exp:
                value *= Fraction(2) ** int(exp)
        except ValueError:
            return None
        return _check_range(_round(sign * value), value)
    if not body or body[0] not in "0123456789.":
        return None
    try:
        d = Decimal(body)
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    if d != 0 and d.adjusted() > 4933:
        return None  # ERANGE overflow: HUGE_VALL
    if d != 0 and d.adjusted() < -4951:
        return None  # ERANGE underflow to zero
    value = Fraction(d)
    return _check_range(_round(sign * value), value)


def _check_range(ld: LongDouble, exact: Fraction) -> LongDouble | None:
    if ld.inf:
        return None  # strtold sets ERANGE and returns HUGE_VALL
    if exact != 0 and ld.value == 0:
        return None
    return ld

"""Reading numeric arguments as Redis's object.c does (getLongLongFromObjectOrReply & co.).

Every command family parses counts, indexes and limits with these, so the same
bad argument gets the same error text whichever command receives it.
"""

from __future__ import annotations

from .. import errors
from ..errors import CommandError
from ..numbers import LLONG_MAX, string2ll


def get_long(arg: bytes, message: str = errors.NOT_INTEGER) -> int:
    """getLongLongFromObjectOrReply: a string2ll integer, or ``message``."""
    v = string2ll(arg)
    if v is None:
        raise CommandError(message)
    return v


def get_range_long(arg: bytes, lo: int, hi: int, message: str | None = None) -> int:
    """getRangeLongFromObjectOrReply: ``message``, when given, replaces both errors."""
    v = string2ll(arg)
    if v is None:
        raise CommandError(message or errors.NOT_INTEGER)
    if v < lo or v > hi:
        if message:
            raise CommandError(message)
        raise errors.value_out_of_range(lo, hi)
    return v


def get_positive_long(arg: bytes, message: str | None = None) -> int:
    """getPositiveLongFromObjectOrReply."""
    return get_range_long(arg, 0, LLONG_MAX, message or errors.MUST_BE_POSITIVE)

"""SORT and SORT_RO (sort.c).

    SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC | DESC] [ALPHA]
             [STORE destination]

SORT reads a list, set or sorted set, orders its elements numerically (as
doubles) or, with ALPHA, as strings, and answers them — or, with GET, values
looked up through patterns: ``GET user:*->name`` replaces ``*`` by each
element and reads field ``name`` of that hash; ``GET #`` is the element
itself. ``BY pattern`` orders by such looked-up values instead; a BY pattern
without ``*`` means "do not sort" (keep the container's own order).

Two details a learner can see with OBJECT ENCODING and INFO: SORT converts a
listpack sorted set to a skiplist for good (``zsetConvert`` is called
destructively), and every pattern lookup is a real key read that counts in
``keyspace_hits`` / ``keyspace_misses``.

Ties in numeric sorting are broken by comparing the elements as strings, so
the result is deterministic; ALPHA compares bytes (Redis uses strcoll, which
is byte order in the C locale Debian's service runs in).
"""

from __future__ import annotations

import functools

from .. import errors
from ..errors import CommandError, err
from ..keyspace import type_name
from ..numbers import string2ll
from ..types.list import LIST_TAIL, ListObject
from .registry import command
from .strings import as_bytes, is_string


def _lookup_by_pattern(db, pattern: bytes, subst: bytes) -> bytes | None:
    """lookupKeyByPattern: '#' is the element; 'key*->field' reads a hash field."""
    if pattern == b"#":
        return subst
    star = pattern.find(b"*")
    if star == -1:
        return None
    arrow = pattern.find(b"->", star + 1)
    field = None
    if arrow != -1 and arrow + 2 < len(pattern):
        field = pattern[arrow + 2 :]
        keypat = pattern[:arrow]
    else:
        keypat = pattern
    key = keypat[:star] + subst + keypat[star + 1 :]
    value = db.lookup_read(key)
    if value is None:
        return None
    if field is not None:
        if type_name(value) != "hash":
            return None
        got = value.get(field)
        return None if got is None else as_bytes(got)
    if not is_string(value):
        return None
    return as_bytes(value)


def _strtod_score(value: bytes) -> float | None:
    """The strtod check of sortCommandGeneric: whole string, no ERANGE, no NaN.

    Unlike most number parsing in Redis this one lets strtod skip leading
    spaces, and an empty string reads as 0.
    """
    from ..numbers import string2d

    if string2ll(value) is not None:
        return float(int(value))
    value = value.lstrip(b" \t\n\r\x0b\x0c")
    if not value:
        return 0.0
    v = string2d(value)
    if v is None or v in (float("inf"), float("-inf")) and b"inf" not in value.lower():
        return None
    return v


def sort_generic(c, argv, readonly: bool):
    desc = alpha = False
    limit_start, limit_count = 0, -1
    storekey = None
    sortby = None
    dontsort = False
    getops: list[bytes] = []
    j = 2
    n = len(argv)
    while j < n:
        opt = argv[j].lower()
        left = n - j - 1
        if opt == b"asc":
            desc = False
        elif opt == b"desc":
            desc = True
        elif opt == b"alpha":
            alpha = True
        elif opt == b"limit" and left >= 2:
            a, b = string2ll(argv[j + 1]), string2ll(argv[j + 2])
            if a is None or b is None:
                raise CommandError(errors.NOT_INTEGER)
            limit_start, limit_count = a, b
            j += 2
        elif not readonly and opt == b"store" and left >= 1:
            storekey = argv[j + 1]
            j += 1
        elif opt == b"by" and left >= 1:
            sortby = argv[j + 1]
            if b"*" not in sortby:
                dontsort = True
            j += 1
        elif opt == b"get" and left >= 1:
            getops.append(argv[j + 1])
            j += 1
        else:
            raise CommandError(errors.SYNTAX)
        j += 1

    db = c.db
    sortval = db.lookup_read(argv[1])
    if sortval is not None and type_name(sortval) not in ("set", "list", "zset"):
        raise CommandError(errors.WRONGTYPE)
    kind = type_name(sortval) if sortval is not None else "list"

    # Sets have no order of their own: replicated or stored results must not
    # depend on hash order, so "don't sort" becomes ALPHA there.
    if dontsort and kind == "set" and storekey is not None:
        dontsort, alpha, sortby = False, True, None

    if kind == "zset" and sortval.encoding != "skiplist":
        old = sortval.encoding
        sortval.convert_to_skiplist()  # destructive, as in Redis
        db.mem_dirty.add(argv[1])
        c.server.emit(
            "encoding-conversion", key=argv[1], db=db.id, value_type="zset",
            **{"from": old, "to": "skiplist", "reason": "SORT converts sorted sets to skiplist"},
        )  # fmt: skip

    vectorlen = len(sortval) if sortval is not None else 0
    start = 0 if limit_start < 0 else limit_start
    end = vectorlen - 1 if limit_count < 0 else start + limit_count - 1
    if start >= vectorlen:
        start, end = vectorlen - 1, vectorlen - 2
    if end >= vectorlen:
        end = vectorlen - 1

    if sortval is None:
        elements: list[bytes] = []
    elif kind == "list" and dontsort:
        elements = []
        if end >= start:
            count = end - start + 1
            if desc:
                rev = sortval.range(0, vectorlen - 1 - start)[::-1]
                elements = rev[:count]
            else:
                elements = sortval.range(start, end)
            end -= start
            start = 0
    elif kind == "list":
        elements = sortval.range(0, -1)
    elif kind == "set":
        elements = list(sortval.members())
    elif kind == "zset" and dontsort:
        items = list(sortval.items_reversed() if desc else sortval.items())
        elements = [m for m, _ in items[start : end + 1]] if end >= start else []
        end -= start
        start = 0
    else:
        elements = [m for m, _ in sortval.items()]

    conversion_error = False
    if not dontsort and elements:
        if alpha:
            if sortby is not None:
                keyed = [(e, _lookup_by_pattern(db, sortby, e)) for e in elements]

                def cmp(a, b):
                    x, y = a[1], b[1]
                    if x is None or y is None:
                        r = 0 if x is y else (-1 if x is None else 1)
                    else:
                        r = (x > y) - (x < y)
                    return -r if desc else r

                elements = [e for e, _ in sorted(keyed, key=functools.cmp_to_key(cmp))]
            else:
                elements.sort(reverse=desc)
        else:
            scored = []
            for e in elements:
                byval = _lookup_by_pattern(db, sortby, e) if sortby is not None else e
                score = 0.0
                if byval is not None:
                    s = _strtod_score(byval)
                    if s is None:
                        conversion_error = True
                    else:
                        score = s
                scored.append((score, e))
            scored.sort(reverse=desc)  # ties: by the element's bytes, as compareStringObjects
            elements = [e for _, e in scored]

    if conversion_error:
        raise err("One or more scores can't be converted into double")
    window = elements[start : end + 1] if end >= start else []
    if storekey is None:
        out: list = []
        for e in window:
            if not getops:
                out.append(e)
            for pat in getops:
                out.append(_lookup_by_pattern(db, pat, e))
        return out
    result = ListObject.create(c.server.config)
    stored = 0
    for e in window:
        if not getops:
            result.push(e, LIST_TAIL)
            stored += 1
        for pat in getops:
            v = _lookup_by_pattern(db, pat, e)
            result.push(b"" if v is None else v, LIST_TAIL)
            stored += 1
    if stored:
        db.set_key(storekey, result)
        c.server.dirty += stored
    elif db.delete(storekey):
        c.server.dirty += 1
    return stored


@command("sort")
def sort(c, argv):
    return sort_generic(c, argv, readonly=False)


@command("sort_ro")
def sort_ro(c, argv):
    return sort_generic(c, argv, readonly=True)

"""Key extraction from key specs (db.c ``getKeysUsingKeySpecs``).

Redis 7 describes where a command's keys are with *key specs*: where to begin
searching (an index, or after a keyword) and how to find the keys from there
(a range, or a count given in the arguments). COMMAND GETKEYS, ACL key
permissions and cluster routing all read keys this way; so do we.
"""

from __future__ import annotations

from ..numbers import string2ll


class InvalidSpec(Exception):
    pass


def keys_from_specs(spec, argv: list[bytes]) -> list[tuple[int, list[str]]]:
    """Positions (and key-spec flags) of the keys in argv, or raise InvalidSpec."""
    argc = len(argv)
    out: list[tuple[int, list[str]]] = []
    for ks in spec.key_specs:
        bs = ks["begin_search"]
        fk = ks["find_keys"]
        if bs["type"] == "index":
            first = bs["spec"]["index"]
        elif bs["type"] == "keyword":
            kw = bs["spec"]["keyword"].lower().encode()
            startfrom = bs["spec"]["startfrom"]
            start = startfrom if startfrom > 0 else argc + startfrom
            end = argc - 1 if startfrom > 0 else 0
            first = 0
            i = start
            while True:
                if i >= argc or i < 1:
                    break
                if argv[i].lower() == kw:
                    first = i + 1
                    break
                if i == end:
                    break
                i = i + 1 if start <= end else i - 1
            if not first:
                continue
        else:
            raise InvalidSpec
        if fk["type"] == "range":
            step = fk["spec"]["keystep"]
            lastkey = fk["spec"]["lastkey"]
            limit = fk["spec"]["limit"]
            if lastkey >= 0:
                last = first + lastkey
            elif not limit:
                last = argc + lastkey
            else:
                last = first + ((argc - first) // limit + lastkey)
        elif fk["type"] == "keynum":
            step = fk["spec"]["keystep"]
            idx = fk["spec"]["keynumidx"]
            if first + idx >= argc:
                raise InvalidSpec
            numkeys = string2ll(argv[first + idx])
            if numkeys is None or numkeys < 0:
                raise InvalidSpec
            first += fk["spec"]["firstkey"]
            last = first + numkeys - 1
        else:
            raise InvalidSpec
        if last >= argc or last < first or first >= argc:
            raise InvalidSpec
        i = first
        while i <= last:
            out.append((i, list(ks["flags"])))
            i += step
    return out


def set_key_flags(argv: list[bytes]) -> list[str]:
    """setGetKeys: SET's key is RW access update with GET, else OW update."""
    for a in argv[3:]:
        if a.lower() == b"get":
            return ["RW", "access", "update"]
    return ["OW", "update"]

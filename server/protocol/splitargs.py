"""``sdssplitargs`` (sds.c): how Redis splits an inline command or a config line.

Tokens are separated by whitespace; ``"double quotes"`` understand ``\\n``,
``\\r``, ``\\t``, ``\\b``, ``\\a`` and ``\\xHH``; ``'single quotes'`` only
understand ``\\'``. A closing quote must be followed by whitespace or the end,
and an unterminated quote makes the whole line invalid (``None``), which the
server reports as "unbalanced quotes". The line is a C string to Redis, so it
ends at the first NUL byte.
"""

from __future__ import annotations

_SPACE = frozenset(b" \t\n\r\x0b\x0c")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("a"): 7}


def split_args(line: bytes) -> list[bytes] | None:
    nul = line.find(b"\0")
    if nul != -1:
        line = line[:nul]
    if b'"' not in line and b"'" not in line:
        return line.split()  # bytes.split() splits on exactly C's isspace set
    return _split_quoted(line)


def _split_quoted(line: bytes) -> list[bytes] | None:
    out: list[bytes] = []
    n = len(line)
    i = 0
    while True:
        while i < n and line[i] in _SPACE:
            i += 1
        if i >= n:
            return out
        cur = bytearray()
        inq = insq = False
        while True:
            c = line[i] if i < n else 0
            if inq:
                if (
                    c == 92
                    and i + 3 < n + 0
                    and line[i + 1] == 120
                    and (line[i + 2] in _HEX and line[i + 3] in _HEX)
                ):
                    cur.append(int(line[i + 2 : i + 4], 16))
                    i += 3
                elif c == 92 and i + 1 < n:
                    i += 1
                    e = line[i]
                    cur.append(_ESCAPES.get(e, e))
                elif c == 34:  # closing "
                    if i + 1 < n and line[i + 1] not in _SPACE:
                        return None
                    i += 1
                    break
                elif i >= n:
                    return None
                else:
                    cur.append(c)
            elif insq:
                if c == 92 and i + 1 < n and line[i + 1] == 39:
                    i += 1
                    cur.append(39)
                elif c == 39:
                    if i + 1 < n and line[i + 1] not in _SPACE:
                        return None
                    i += 1
                    break
                elif i >= n:
                    return None
                else:
                    cur.append(c)
            else:
                if i >= n or c in _SPACE:
                    break
                if c == 34:
                    inq = True
                elif c == 39:
                    insq = True
                else:
                    cur.append(c)
            i += 1
        out.append(bytes(cur))

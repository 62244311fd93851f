"""Split a typed line into arguments the way redis-cli does (``sdssplitargs``).

Words are separated by white space. ``"double quotes"`` understand ``\\n``,
``\\r``, ``\\t``, ``\\b``, ``\\a`` and ``\\xHH``; ``'single quotes'`` only
``\\'``. A closing quote must be followed by white space or the end of the
line. :func:`split_args` is strict (``None`` for an unbalanced line, which the
REPL reports as ``Invalid argument(s)``); :func:`scan_words` never fails and
keeps positions, for the lexer and the completer that see half-typed lines.
"""

from __future__ import annotations

from dataclasses import dataclass

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "a": "\a"}
_HEX = "0123456789abcdefABCDEF"


@dataclass
class Word:
    start: int
    end: int
    value: str  # unescaped text
    quote: str = ""  # '"', "'" or ""
    closed: bool = True  # False for an unterminated quote

    @property
    def raw_length(self) -> int:
        return self.end - self.start


def scan_words(line: str) -> list[Word]:
    """Every word with its span; tolerant of unterminated quotes."""
    words = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i].isspace():
            i += 1
        if i >= n:
            return words
        start = i
        quote = ""
        closed = True
        out = []
        if line[i] in "\"'":
            quote = line[i]
            i += 1
            closed = False
            while i < n:
                c = line[i]
                if quote == '"' and c == "\\" and i + 1 < n:
                    nxt = line[i + 1]
                    if nxt == "x" and i + 3 < n and line[i + 2] in _HEX and line[i + 3] in _HEX:
                        out.append(chr(int(line[i + 2 : i + 4], 16)))
                        i += 4
                        continue
                    out.append(_ESCAPES.get(nxt, nxt))
                    i += 2
                    continue
                if quote == "'" and c == "\\" and i + 1 < n and line[i + 1] == "'":
                    out.append("'")
                    i += 2
                    continue
                if c == quote:
                    i += 1
                    closed = True
                    break
                out.append(c)
                i += 1
        else:
            while i < n and not line[i].isspace():
                out.append(line[i])
                i += 1
        words.append(Word(start, i, "".join(out), quote, closed))
        if quote and closed and i < n and not line[i].isspace():
            # redis-cli rejects `"a"b`; keep scanning so the lexer still sees the rest.
            words[-1].closed = False


def split_args(line: str | bytes) -> list[bytes] | None:
    """redis-cli's strict split into wire bytes; ``None`` when quotes are unbalanced.

    The line is scanned as UTF-8 bytes seen through latin-1, so each character
    is one byte: typed text stays UTF-8 and ``\\xHH`` becomes exactly byte HH.
    """
    data = line.encode("utf-8", "surrogateescape") if isinstance(line, str) else line
    words = scan_words(data.decode("latin-1"))
    if any(not w.closed for w in words):
        return None
    return [w.value.encode("latin-1") for w in words]

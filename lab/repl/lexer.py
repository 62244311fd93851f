"""A pygments lexer for Redis commands and redis-cli sessions.

Registered as the ``redis`` lexer (``pygmentize -l redis``, mkdocs
````` ```redis ````` blocks, notebooks). Two kinds of input:

* **commands**, one per line (a lesson's ```` ```redis ```` block);
  ``#`` lines are comments;
* **a session**, when some line starts with a prompt such as
  ``127.0.0.1:6379>``, ``127.0.0.1:6379[2](TX)>`` or ``redis>``: prompt lines
  hold commands and every other line is the server's output.

A command line is split like redis-cli splits it and each word goes through the
command table's grammar (:mod:`lab.repl.grammar`), so the command, its
subcommand, option tokens (``EX``, ``WITHSCORES``), key names and numbers get
their own token types without a regex per command. The script argument of
``EVAL``/``EVAL_RO``/``SCRIPT LOAD``/``FUNCTION LOAD`` is highlighted as Lua.
Without any command table (no JSON, no cache) the first word is still the
command and numbers and strings are still recognised.
"""

from __future__ import annotations

import re

from pygments.lexer import Lexer
from pygments.lexers.scripting import LuaLexer
from pygments.token import (
    Comment,
    Error,
    Generic,
    Keyword,
    Name,
    Number,
    Operator,
    String,
    Text,
    Whitespace,
)

try:
    from . import grammar
    from .split import scan_words
except (ImportError, KeyError):  # loaded as a file: pygmentize -l lab/repl/lexer.py:RedisLexer -x
    import os
    import sys

    sys.path.insert(0, os.getcwd())
    from lab.repl import grammar
    from lab.repl.split import scan_words

PROMPT = re.compile(
    r"^(?:(?:[\w.\-]+|\[[0-9A-Fa-f:.]+\]):\d+(?:\[\d+\])?(?:\(TX\))?|redis(?: [^>\n]*)?"
    r"|not connected)> ?"
)
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?inf$", re.IGNORECASE)
_LUA_ARGUMENTS = {"script", "function-code"}

ROLE_TOKENS = {
    "command": Keyword,
    "subcommand": Keyword,
    "token": Name.Builtin,
    "key": Name.Variable,
    "integer": Number.Integer,
    "double": Number.Float,
    "unix-time": Number.Integer,
    "pattern": String.Regex,
    "string": String,
}


class RedisLexer(Lexer):
    """Redis commands (and redis-cli sessions) highlighted from the command table."""

    name = "Redis"
    aliases = ["redis", "redis-cli"]
    filenames = ["*.redis"]
    mimetypes = ["text/x-redis"]
    url = "https://redis.io/docs/latest/commands/"

    #: A CommandTable to use instead of the offline one (the REPL sets its live table).
    default_table: grammar.CommandTable | None = None

    def __init__(self, **options) -> None:
        self.table = options.pop("table", None) or self.default_table
        super().__init__(**options)
        self._lua = LuaLexer()

    def _table(self):
        if self.table is None:
            self.table = grammar.offline_table()
        return self.table

    def get_tokens_unprocessed(self, text):
        session = any(PROMPT.match(line) for line in text.splitlines())
        pos = 0
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            end = line[len(body) :]
            if session:
                match = PROMPT.match(body)
                if match:
                    yield pos, Generic.Prompt, match.group(0)
                    yield from self.command_tokens(body[match.end() :], pos + match.end())
                elif body:
                    yield pos, Generic.Output, body
            else:
                yield from self.command_tokens(body, pos)
            if end:
                yield pos + len(body), Whitespace, end
            pos += len(line)

    def command_tokens(self, line: str, offset: int = 0):
        """Tokens for one command line starting at ``offset``."""
        stripped = line.lstrip()
        if stripped.startswith("#") or stripped.startswith("//"):
            yield offset, Comment.Single, line
            return
        if stripped.startswith("|") or not stripped:
            if line:
                yield offset, Text, line
            return
        words = scan_words(line)
        pipe_at = _pipe_position(line, words)
        if pipe_at is not None:
            words = [w for w in words if w.start < pipe_at]
        analysis = grammar.analyze(self._table(), [w.value for w in words])
        command = analysis.command
        cursor = 0
        for index, word in enumerate(words):
            if word.start > cursor:
                yield offset + cursor, Whitespace, line[cursor : word.start]
            info = analysis.roles[index] if index < len(analysis.roles) else None
            role = info.role if info else "unknown"
            raw = line[word.start : word.end]
            if (
                info is not None
                and info.argument is not None
                and info.argument.name in _LUA_ARGUMENTS
                and command is not None
            ):
                yield from self._lua_tokens(raw, word, offset + word.start)
            else:
                yield offset + word.start, self._token_type(role, word, index), raw
            cursor = word.end
        if pipe_at is not None:
            if pipe_at > cursor:
                yield offset + cursor, Whitespace, line[cursor:pipe_at]
            yield offset + pipe_at, Operator, "|"
            if pipe_at + 1 < len(line):
                yield offset + pipe_at + 1, Text, line[pipe_at + 1 :]
        elif cursor < len(line):
            yield offset + cursor, Whitespace, line[cursor:]

    def _token_type(self, role: str, word, index: int):
        if not word.closed:
            return Error if word.quote else Text
        if role == "unknown":
            if index == 0:
                return Keyword if self._table() is None else Name
            if not word.quote and _NUMBER.match(word.value):
                return Number
            return String if word.quote else Text
        if role in ("integer", "double", "unix-time") and not _NUMBER.match(word.value):
            return String
        if role in ("string",) and not word.quote and _NUMBER.match(word.value):
            return Number
        return ROLE_TOKENS.get(role, Text)

    def _lua_tokens(self, raw: str, word, start: int):
        if word.quote and word.closed and len(raw) >= 2:
            yield start, String, raw[0]
            for pos, token, value in self._lua.get_tokens_unprocessed(raw[1:-1]):
                yield start + 1 + pos, token, value
            yield start + len(raw) - 1, String, raw[-1]
        else:
            for pos, token, value in self._lua.get_tokens_unprocessed(raw):
                yield start + pos, token, value


def _pipe_position(line: str, words) -> int | None:
    """Where an unquoted ``|`` word starts a shell pipe, if any."""
    for word in words:
        if not word.quote and line[word.start : word.end].startswith("|") and word.start > 0:
            return word.start
    return None

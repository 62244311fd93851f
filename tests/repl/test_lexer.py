"""The pygments lexer: commands, keys, option tokens, numbers, strings, Lua, sessions."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pygments.lexers import load_lexer_from_file
from pygments.token import Comment, Error, Generic, Keyword, Name, Number, String, Token

from lab.repl.lexer import RedisLexer

from .conftest import ROOT


@pytest.fixture(scope="module")
def lexer(docs_table):
    return RedisLexer(table=docs_table)


def tokens(lexer, text):
    return [(t, v) for t, v in lexer.get_tokens(text) if v.strip()]


def test_command_key_option_number(lexer):
    assert tokens(lexer, "SET user:1 hello EX 10 NX") == [
        (Keyword, "SET"),
        (Name.Variable, "user:1"),
        (String, "hello"),
        (Name.Builtin, "EX"),
        (Number.Integer, "10"),
        (Name.Builtin, "NX"),
    ]


def test_lower_case_and_subcommands(lexer):
    assert tokens(lexer, "client kill id 7") == [
        (Keyword, "client"),
        (Keyword, "kill"),
        (Name.Builtin, "id"),
        (Number.Integer, "7"),
    ]


def test_doubles_and_quoted_strings(lexer):
    got = tokens(lexer, 'ZADD board 1.5 "Ada Lovelace" -2 bob')
    assert got == [
        (Keyword, "ZADD"),
        (Name.Variable, "board"),
        (Number.Float, "1.5"),
        (String, '"Ada Lovelace"'),
        (Number.Float, "-2"),
        (String, "bob"),
    ]


def test_blocking_timeout_is_a_number_not_a_key(lexer):
    got = tokens(lexer, "BLPOP a b 0")
    assert got[1:] == [(Name.Variable, "a"), (Name.Variable, "b"), (Number.Float, "0")]


def test_lua_inside_eval(lexer):
    got = list(lexer.get_tokens("EVAL \"return redis.call('GET', KEYS[1])\" 1 k"))
    values = {v: t for t, v in got}
    assert values["EVAL"] is Keyword
    assert values["return"] in Keyword  # Keyword.Reserved from the Lua lexer
    assert values["k"] is Name.Variable
    assert any(t in String and v == "GET" for t, v in got)


def test_unterminated_quote_and_unknown_command(lexer):
    got = tokens(lexer, 'NOTACOMMAND x "open')
    assert got[0] == (Name, "NOTACOMMAND")
    assert got[-1] == (Error, '"open')


def test_session_with_prompts_and_output(lexer):
    text = '127.0.0.1:6379> SET k v\nOK\n127.0.0.1:6379[2](TX)> GET k\n"v"\n'
    got = tokens(lexer, text)
    assert got[0] == (Generic.Prompt, "127.0.0.1:6379> ")
    assert (Generic.Output, "OK") in got
    assert (Generic.Prompt, "127.0.0.1:6379[2](TX)> ") in got
    assert (Generic.Output, '"v"') in got


def test_comments_and_pipes(lexer):
    got = tokens(lexer, "# a comment\nKEYS * | wc -l\n")
    assert got[0] == (Comment.Single, "# a comment")
    assert (Keyword, "KEYS") in got
    assert any(t is Token.Operator and v == "|" for t, v in got)


def test_text_round_trips(lexer):
    text = 'SET a "b c"\n  GET  a\n127.0.0.1:6379> HSET h f 1\n(integer) 1\n'
    assert "".join(v for _, v in lexer.get_tokens(text)) == text


def test_loads_as_a_file_for_pygmentize():
    cls = load_lexer_from_file(str(ROOT / "lab/repl/lexer.py"), "RedisLexer")
    assert cls.aliases[0] == "redis"


def test_pygmentize_command_line():
    pygmentize = [sys.executable, "-m", "pygments"]
    proc = subprocess.run(
        [*pygmentize, "-l", "lab/repl/lexer.py:RedisLexer", "-x", "-f", "html"],
        input=b"SET k 1\n",
        capture_output=True,
        cwd=ROOT,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert b'<span class="k">SET</span>' in proc.stdout

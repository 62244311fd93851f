"""The grammar covers every command of the table, and loads the same from any source."""

from __future__ import annotations

import pytest
from prompt_toolkit.document import Document
from pygments.token import Keyword

from lab.repl import grammar
from lab.repl.completer import RedisCompleter, toolbar_text
from lab.repl.lexer import RedisLexer
from lab.repl.resp import Connection

SAMPLE = {
    "key": "k",
    "integer": "1",
    "double": "1.5",
    "string": "s",
    "pattern": "*",
    "unix-time": "1700000000",
}


def example(arguments, with_optional: bool) -> list[str]:
    """Words that satisfy an argument list: required ones, or every one once."""
    words: list[str] = []
    for arg in arguments:
        if arg.optional and not with_optional:
            continue
        words += _one(arg, with_optional)
    return words


def _one(arg, with_optional):
    words = []
    if arg.token and arg.type != "pure-token":
        words.append(arg.token)
    if arg.type == "pure-token":
        words.append(arg.token or arg.name)
    elif arg.type == "oneof":
        words += _one(arg.children[0], with_optional) if arg.children else []
    elif arg.type == "block":
        words += example(arg.children, with_optional)
    else:
        words.append(SAMPLE.get(arg.type, "x"))
    return words


def all_commands(table):
    return sorted(table.all_commands(), key=lambda c: c.name)


def test_table_is_big_enough(docs_table):
    assert len(docs_table) >= 200
    assert "SET" in docs_table and "CLIENT" in docs_table
    assert docs_table.lookup(["client", "kill"]).name == "CLIENT KILL"


def test_every_command_is_covered(docs_table):
    """Each command and subcommand: syntax, an accepted example, lexer, completion."""
    lexer = RedisLexer(table=docs_table)
    completer = RedisCompleter(docs_table)
    problems = []
    for command in all_commands(docs_table):
        words = command.name.split()
        assert command.syntax.startswith(command.name)
        for with_optional in (False, True):
            typed = words + example(command.arguments, with_optional)
            analysis = grammar.analyze(docs_table, typed)
            if analysis.command is not command or not command.nfa.accepts(analysis.states):
                problems.append(("not accepted", typed))
            if any(r.role == "unknown" for r in analysis.roles):
                problems.append(("unknown word", typed))
        first = next(t for t, v in lexer.get_tokens(" ".join(words)) if v.strip())
        if first is not Keyword:
            problems.append(("lexer", command.name))
        prefix = " ".join(words[:-1] + [words[-1][:3].lower()])
        offered = {c.text.upper() for c in completer.get_completions(Document(prefix), None)}
        if words[-1].upper() not in offered:
            problems.append(("completion", command.name))
        if command.name.split()[0] not in toolbar_text(docs_table, " ".join(words) + " "):
            problems.append(("toolbar", command.name))
    assert not problems, problems[:20]


def test_options_in_any_order(docs_table):
    for line in [
        "SET k v EX 10 NX",
        "SET k v NX EX 10",
        "ZADD z CH NX 1 a",
        "SCAN 0 COUNT 5 MATCH a*",
    ]:
        analysis = grammar.analyze(docs_table, line.split())
        assert analysis.command.nfa.accepts(analysis.states), line


def test_syntax_rendering(docs_table):
    assert docs_table.lookup(["GET"]).syntax == "GET key"
    syntax = docs_table.lookup(["SET"]).syntax
    assert syntax.startswith("SET key value [NX | XX] [GET]")
    assert "[EX seconds | PX milliseconds" in syntax
    assert docs_table.lookup(["DEL"]).syntax == "DEL key [key ...]"


@pytest.mark.redis
def test_command_docs_of_a_real_server(real_redis, tmp_path, monkeypatch):
    """COMMAND DOCS reads the same under RESP2 (flat lists) and RESP3 (maps), and caches."""
    monkeypatch.setenv("REDIS_LAB_CACHE", str(tmp_path))
    conn2 = Connection(port=real_redis.port).connect()
    conn3 = Connection(port=real_redis.port).connect()
    conn3.execute("HELLO", "3")
    resp2 = grammar.CommandTable.from_server(conn2, cache=False)
    resp3 = grammar.CommandTable.from_server(conn3, cache=False)
    assert resp2.docs == resp3.docs
    count = conn2.execute("COMMAND", "COUNT")
    assert len(resp2) == count
    cached = grammar.CommandTable.from_server(conn2)
    assert list(tmp_path.glob("command-docs-redis-*.json"))
    again = grammar.CommandTable.from_server(conn2)
    assert again.source.startswith("cache of") and again.docs == cached.docs == resp2.docs
    conn2.close()
    conn3.close()


@pytest.mark.redis
def test_json_table_has_every_command_of_real_redis(real_redis, docs_table):
    """Our table (when it is the JSON) knows every command real Redis 7.0 has."""
    if grammar.commands_json_path() is None or "commands.json" not in docs_table.source:
        pytest.skip("server/commands/commands.json is not there yet")
    conn = Connection(port=real_redis.port).connect()
    real = grammar.CommandTable.from_server(conn, cache=False)
    conn.close()
    missing = sorted(
        c.name for c in real.all_commands() if docs_table.lookup(c.name.split()) is None
    )
    assert not missing

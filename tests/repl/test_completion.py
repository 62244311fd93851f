"""Completion and the toolbar, driven through prompt-toolkit's pipe input."""

from __future__ import annotations

import io
import threading

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from lab.repl.completer import KeyCache, RedisCompleter, toolbar_text
from lab.repl.options import parse_args
from lab.repl.resp import Connection
from lab.repl.session import Session


def typed(completer, text: str) -> str:
    """What the line holds after typing ``text`` (Tab included) and Enter."""
    with create_pipe_input() as inp:
        session = PromptSession(completer=completer, input=inp, output=DummyOutput())
        # Keys arrive one burst at a time, as from a person: completion runs
        # asynchronously after each Tab.
        timers = []
        for i, part in enumerate([*text.split("\t")[:-1], text.split("\t")[-1]]):
            keys = part if i == 0 else "\t" + part
            timers.append(threading.Timer(0.25 * i, inp.send_text, [keys]))
        timers.append(threading.Timer(0.25 * len(timers) + 0.25, inp.send_text, ["\r"]))
        for timer in timers:
            timer.start()
        try:
            return session.prompt("> ")
        finally:
            for timer in timers:
                timer.cancel()


def completions(completer, text):
    return [c.text for c in completer.get_completions(Document(text), None)]


def test_tab_completes_commands_subcommands_and_tokens(docs_table):
    completer = RedisCompleter(docs_table)
    assert typed(completer, "hgeta\t") == "hgetall"
    assert typed(completer, "CLIENT KI\t") == "CLIENT KILL"
    assert typed(completer, "set k v KEEPT\t") == "set k v KEEPTTL"
    assert typed(completer, "zrange z 0 -1 withs\t") == "zrange z 0 -1 withscores"


def test_next_tokens_follow_the_grammar(docs_table):
    completer = RedisCompleter(docs_table)
    assert completions(completer, "SET k v ") == [
        "NX",
        "XX",
        "GET",
        "EX",
        "PX",
        "EXAT",
        "PXAT",
        "KEEPTTL",
    ]
    # Already used options of the command are not offered again.
    assert "NX" not in completions(completer, "SET k v NX ")
    assert "EX" not in completions(completer, "SET k v EX 10 ")
    # Repeatable tokens stay.
    assert "GET" in completions(completer, "SORT k GET # ")
    assert completions(completer, "HELP @so") == ["@sorted-set"]
    assert completions(completer, "x | gr") == []


def test_newbie_mode_shows_summaries(docs_table):
    plain = RedisCompleter(docs_table)
    newbie = RedisCompleter(docs_table, newbie=True)
    get_plain = next(c for c in plain.get_completions(Document("GETDE"), None))
    get_newbie = next(c for c in newbie.get_completions(Document("GETDE"), None))
    assert get_plain.display_meta_text == docs_table.lookup(["GETDEL"]).group
    assert get_newbie.display_meta_text == docs_table.lookup(["GETDEL"]).summary


def test_toolbar_shows_syntax_next_argument_since_and_complexity(docs_table):
    text = toolbar_text(docs_table, "SET k v ")
    assert text.startswith("SET key value [NX | XX]")
    assert "next: NX | XX | GET" in text
    assert "since 1.0.0" in text and "O(1)" in text
    assert "next: key" in toolbar_text(docs_table, "GET ")
    assert "next: member" in toolbar_text(docs_table, "ZSCORE z ")
    assert toolbar_text(docs_table, "NOPE ").startswith("unknown command")
    assert toolbar_text(docs_table, "PEEK ").startswith("PEEK:")


@pytest.mark.redis
def test_key_names_from_scan(docs_table, real_redis):
    client = real_redis.client()
    client.flushall()
    client.mset({"user:1": 1, "user:2": 2, "order:1": 3, "we*ird": 4})
    client.execute_command("SELECT", 0)
    keys = KeyCache(lambda: Connection(port=real_redis.port).connect())
    completer = RedisCompleter(docs_table, keys)
    assert completions(completer, "GET us") == ["user:1", "user:2"]
    assert completions(completer, "GET we*") == ["we*ird"]
    assert completions(completer, "PEEK ord") == ["order:1"]
    assert typed(completer, "get orde\t") == "get order:1"
    # Bounded: no more than max_keys names.
    client.mset({f"many:{i}": i for i in range(50)})
    small = KeyCache(lambda: Connection(port=real_redis.port).connect(), max_keys=10)
    assert len(small.keys("many:")) == 10
    client.flushall()


@pytest.mark.redis
def test_whole_repl_through_pipe_input(real_redis):
    """The interactive loop end to end, with prompt-toolkit's pipe input."""
    from lab.repl.interactive import Repl

    real_redis.client().flushall()
    out = io.BytesIO()
    err = io.StringIO()
    opts = parse_args(["-p", str(real_redis.port), "--no-pager"])
    session = Session(opts, out=out, err=err, output="standard")
    with create_pipe_input() as inp:
        repl = Repl(session, input=inp, output=DummyOutput())
        inp.send_text("rpush l a b\r")
        inp.send_text("lrange l 0 -1\r")
        inp.send_text("2 incr n\r")
        inp.send_text("help lpush\r")
        inp.send_text("keys *\r")
        inp.send_text("flushdb\r")
        inp.send_text("n\r")
        inp.send_text("exists l\r")
        inp.send_text("quit\r")
        assert repl.run() == 0
    text = out.getvalue().decode()
    assert '(integer) 2\n1) "a"\n2) "b"\n(integer) 1\n(integer) 2\n' in text
    assert "LPUSH key element [element ...]" in text
    assert "Warning: KEYS" in err.getvalue() and "Warning: FLUSHDB" in err.getvalue()
    assert text.endswith("(integer) 1\n")  # FLUSHDB was declined

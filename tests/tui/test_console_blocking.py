"""Blocking commands in the console (BLPOP & co.) on the embedded server (and a
real Redis for the main case).

A blocked command waits on a connection of its own: the console goes on
running what is typed after it, its reply fills its entry when another client
pushes, and Esc / Ctrl-C cancel it with CLIENT UNBLOCK. Inside MULTI it is
only queued.
"""

from __future__ import annotations

import pytest

from lab.client import client_fields
from lab.tui.app import RedisLabApp
from lab.tui.screens.console import BLOCKED_NOTE, is_blocking
from tests.support import REDIS_SERVER, start_real_redis

from .helpers import console_screen, wait_for

pytestmark = pytest.mark.timeout(90)


async def _type(pilot, line: str) -> None:
    await pilot.press(*line, "enter")


def _entries(console) -> list[tuple[str, str]]:
    """(command line, reply text) for each transcript entry, oldest first."""
    out = []
    for entry in console.query("#transcript .entry"):
        echo = str(entry.query_one(".echo").render())[2:]
        parts = []
        for widget in entry.query(".reply"):
            if hasattr(widget, "root"):  # a ReplyTree
                parts.append(str(widget.root.label))
                parts += [str(node.label) for node in widget.root.children]
            else:
                parts.append(str(widget.render()))
        out.append((echo, "\n".join(parts)))
    return out


def _reply(console, line: str) -> str | None:
    """The reply shown for the last entry of ``line``."""
    found = [reply for echo, reply in _entries(console) if echo == line]
    return found[-1] if found else None


def _notes(console) -> str:
    return "\n".join(str(w.render()) for w in console.query("#transcript .note"))


def _blocked_clients(app) -> list[dict[str, str]]:
    text = app.lab.call("CLIENT", "LIST")
    return [
        f
        for f in map(client_fields, str(text).splitlines())
        if f.get("name") == "redis-lab:console-blocking"
    ]


def test_is_blocking():
    assert is_blocking(["blpop", "k", "0"])
    assert is_blocking(["BZPOPMIN", "z", "1"])
    assert is_blocking(["XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "$"])
    assert not is_blocking(["XREAD", "STREAMS", "block", "0"])  # a stream named "block"
    assert not is_blocking(["LPOP", "k"])
    assert not is_blocking([])


@pytest.fixture(params=["embedded", "real"])
def server_url(request):
    if request.param == "embedded":
        yield None
        return
    if REDIS_SERVER is None:
        pytest.skip("no redis-server")
    srv = start_real_redis()
    try:
        yield f"redis://127.0.0.1:{srv.port}/0"
    finally:
        srv.stop()


async def test_blocked_command_does_not_hold_the_console(server_url):
    app = RedisLabApp(url=server_url)
    async with app.run_test(size=(140, 45)) as pilot:
        console = await console_screen(pilot, app)
        await _type(pilot, "BLPOP somekey 0")
        await wait_for(pilot, lambda: _reply(console, "BLPOP somekey 0") == BLOCKED_NOTE)
        assert len(console.blocked) == 1
        # It is blocked on the server, on its own connection, in the console's db.
        clients = _blocked_clients(app)
        assert len(clients) == 1 and "b" in clients[0]["flags"] and clients[0]["cmd"] == "blpop"

        # The console goes on: later commands run while it waits; the UI answers.
        await _type(pilot, "SET other 1")
        await wait_for(pilot, lambda: _reply(console, "SET other 1") == "OK", what="SET")
        assert _reply(console, "BLPOP somekey 0") == BLOCKED_NOTE
        assert app.lab.call("GET", "other") == "1"

        # Another push, typed in the same console, wakes it: both replies show.
        await _type(pilot, "LPUSH somekey x")
        await wait_for(pilot, lambda: _reply(console, "LPUSH somekey x") == "(integer) 1")
        await wait_for(
            pilot,
            lambda: _reply(console, "BLPOP somekey 0") != BLOCKED_NOTE,
            what="BLPOP's reply",
        )
        assert _reply(console, "BLPOP somekey 0") == '(array) 2 items\n1) "somekey"\n2) "x"'
        assert [echo for echo, _ in _entries(console)] == [
            "BLPOP somekey 0",
            "SET other 1",
            "LPUSH somekey x",
        ]
        assert "BLPOP somekey 0 returned" in _notes(console)
        assert console.blocked == []
        assert app.lab.call("EXISTS", "somekey") == 0  # popped
        await wait_for(pilot, lambda: _blocked_clients(app) == [], what="side connection closed")
        assert app.command_count >= 3
        # Esc cancels one with CLIENT UNBLOCK.
        await _type(pilot, "BLPOP never 0")
        await wait_for(pilot, lambda: _reply(console, "BLPOP never 0") == BLOCKED_NOTE)
        await pilot.press("escape")
        await wait_for(pilot, lambda: _reply(console, "BLPOP never 0") == "(nil)", what="cancel")


async def test_escape_and_ctrl_c_cancel_a_blocked_command():
    app = RedisLabApp()
    async with app.run_test(size=(140, 45)) as pilot:
        console = await console_screen(pilot, app)
        for line, key in (("BLPOP never 0", "escape"), ("BRPOP never2 0", "ctrl+c")):
            await _type(pilot, line)
            await wait_for(pilot, lambda line=line: _reply(console, line) == BLOCKED_NOTE)
            assert console.check_action("cancel_blocking", ())
            await pilot.press(key)
            await wait_for(pilot, lambda line=line: _reply(console, line) == "(nil)", what=key)
            assert f"{line}: cancelled (CLIENT UNBLOCK" in _notes(console)
            assert console.blocked == []
            assert not console.check_action("cancel_blocking", ())
            assert console.query_one("#command").has_focus
        await wait_for(pilot, lambda: _blocked_clients(app) == [], what="side connections closed")
        # Ctrl-C with nothing blocked drops the typed line, as a shell does.
        await pilot.press(*"GET half")
        await pilot.press("ctrl+c")
        assert console.query_one("#command").value == ""
        await _type(pilot, "PING")
        await wait_for(pilot, lambda: _reply(console, "PING") == "PONG")


async def test_typed_order_is_kept_around_a_blocked_command():
    """A burst: the BLPOP is blocked before the RPUSH typed after it runs."""
    app = RedisLabApp()
    async with app.run_test(size=(140, 45)) as pilot:
        console = await console_screen(pilot, app)
        for line in ("BLPOP bq 0", "RPUSH bq 1 2", "LLEN bq"):
            console.submit(line)
        await wait_for(pilot, lambda: _reply(console, "LLEN bq") is not None, what="LLEN")
        await wait_for(pilot, lambda: _reply(console, "BLPOP bq 0") != BLOCKED_NOTE)
        assert _reply(console, "RPUSH bq 1 2") == "(integer) 2"
        assert _reply(console, "BLPOP bq 0") == '(array) 2 items\n1) "bq"\n2) "1"'
        assert _reply(console, "LLEN bq") == "(integer) 1"
        # Data already there: it answers at once, on its own connection, never blocked.
        await _type(pilot, "BLPOP bq 0")
        await wait_for(
            pilot,
            lambda: (
                [r for e, r in _entries(console) if e == "BLPOP bq 0"][1:]
                == ['(array) 2 items\n1) "bq"\n2) "2"']
            ),
            what="the second BLPOP",
        )
        assert console.blocked == []


async def test_blocked_command_in_the_consoles_database():
    app = RedisLabApp()
    async with app.run_test(size=(140, 45)) as pilot:
        console = await console_screen(pilot, app)
        await _type(pilot, "SELECT 2")
        await _type(pilot, "BLPOP q2 0")
        await wait_for(pilot, lambda: _reply(console, "BLPOP q2 0") == BLOCKED_NOTE)
        assert _blocked_clients(app)[0]["db"] == "2"
        await _type(pilot, "RPUSH q2 v")
        await wait_for(pilot, lambda: _reply(console, "BLPOP q2 0") != BLOCKED_NOTE)
        assert _reply(console, "BLPOP q2 0") == '(array) 2 items\n1) "q2"\n2) "v"'


async def test_blocking_command_inside_multi_is_queued():
    app = RedisLabApp()
    async with app.run_test(size=(140, 45)) as pilot:
        console = await console_screen(pilot, app)
        for line in ("MULTI", "BLPOP mq 0", "EXEC"):
            await _type(pilot, line)
        await wait_for(pilot, lambda: _reply(console, "EXEC") is not None, what="EXEC")
        assert _reply(console, "BLPOP mq 0") == "QUEUED"
        assert _reply(console, "EXEC") == "(array) 1 items\n1) (nil)"
        assert console.blocked == [] and _blocked_clients(app) == []
        # Streaming commands are still refused.
        await _type(pilot, "SUBSCRIBE ch")
        await wait_for(
            pilot, lambda: "not in the console" in (_reply(console, "SUBSCRIBE ch") or "")
        )

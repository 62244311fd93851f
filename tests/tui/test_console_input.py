"""The console's command line under fast input: every Enter submits exactly the
text typed before it, in order, however fast the keys come.

A terminal that receives a burst (tmux send-keys, a fast typist, a macro)
hands Textual all of its keys in one read: they are all queued on the App
before the first is handled. :func:`_burst` queues them the same way;
``pilot.press`` (which waits for the app to go idle after each key) is the
slow path and is tested too.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.keys import _character_to_key

from lab.tui.app import RedisLabApp

from .helpers import console_screen, wait_for

pytestmark = pytest.mark.timeout(90)


def _key(character: str) -> events.Key:
    return events.Key(_character_to_key(character), character)


def _burst(app, *items: str) -> None:
    """Queue keys on the App as the driver does for one read from the terminal.

    Each item is a key name ("enter", "tab", "backspace" ...) or a run of
    characters to type. Nothing is handled until the caller yields.
    """
    for item in items:
        keys = [events.Key(item, "\r" if item == "enter" else None)] if _named(item) else None
        for key in keys or [_key(c) for c in item]:
            key.set_sender(app)
            app.post_message(key)


def _named(item: str) -> bool:
    return item in ("enter", "tab", "backspace", "up", "down", "left", "right", "home", "end") or (
        item.startswith("ctrl+")
    )


def _echoes(console) -> list[str]:
    """The command lines the transcript shows, oldest first."""
    return [str(w.render())[2:] for w in console.query("#transcript .echo")]


LINES = [f"SET k{i} {i}" for i in range(12)] + ["INCR k3", "APPEND k4 x", "RPUSH order a b c"]


async def test_burst_of_lines_each_runs_once_in_order():
    app = RedisLabApp()
    async with app.run_test(size=(140, 40)) as pilot:
        console = await console_screen(pilot, app)
        items = []
        for line in LINES:
            items += [line, "enter"]
        _burst(app, *items)
        await wait_for(pilot, lambda: len(_echoes(console)) >= len(LINES), what="all replies")
        await pilot.pause(0.2)
        assert _echoes(console) == LINES
        assert console.query_one("#command").value == ""
        for i in range(12):
            expected = {3: "4", 4: "4x"}.get(i, str(i))
            assert app.lab.call("GET", f"k{i}") == expected
        assert app.lab.call("LRANGE", "order", 0, -1) == ["a", "b", "c"]
        # Each ran once: SET k0..k11, INCR, APPEND, RPUSH on the console's connection.
        stats = app.lab.call("INFO", "commandstats")
        assert "cmdstat_incr:calls=1," in stats
        assert "cmdstat_append:calls=1," in stats
        assert "cmdstat_rpush:calls=1," in stats


async def test_pilot_press_without_pauses():
    app = RedisLabApp()
    async with app.run_test(size=(140, 40)) as pilot:
        console = await console_screen(pilot, app)
        keys = []
        for line in LINES:
            keys += [*line, "enter"]
        await pilot.press(*keys)
        await wait_for(pilot, lambda: len(_echoes(console)) >= len(LINES), what="all replies")
        await pilot.pause(0.2)
        assert _echoes(console) == LINES
        assert app.lab.call("GET", "k3") == "4"
        assert app.lab.call("LRANGE", "order", 0, -1) == ["a", "b", "c"]


async def test_editing_keys_in_a_burst_apply_where_they_were_typed():
    """Backspace, Tab, ↑ are handled in order with the characters around them."""
    app = RedisLabApp()
    async with app.run_test(size=(140, 40)) as pilot:
        console = await console_screen(pilot, app)
        await wait_for(
            pilot, lambda: console.table is not None and len(console.table.commands) > 100
        )
        _burst(
            app,
            "SET e1 abX", "backspace", "c", "enter",  # e1 = abc
            "SET e2 ", "enter",  # a syntax error, but one line
            "up", "backspace", "3 v", "enter",  # ↑ recalls "SET e2": SET e3 v
            "app", "tab", "e1 d", "enter",  # Tab completes APPEND
        )  # fmt: skip
        await wait_for(pilot, lambda: len(_echoes(console)) >= 4, what="four commands")
        await pilot.pause(0.2)
        assert _echoes(console) == ["SET e1 abc", "SET e2", "SET e3 v", "append e1 d"]
        assert app.lab.call("GET", "e1") == "abcd"
        assert app.lab.call("GET", "e3") == "v"


async def test_screen_binding_in_a_burst_keeps_its_place():
    """ctrl+l (the screen's Clear) in the middle of a burst clears only what came before it."""
    app = RedisLabApp()
    async with app.run_test(size=(140, 40)) as pilot:
        console = await console_screen(pilot, app)
        _burst(app, "SET before 1", "enter")
        await wait_for(pilot, lambda: _echoes(console) == ["SET before 1"], what="first line")
        _burst(app, "SET x 1", "enter", "ctrl+l", "SET y 2", "enter", "GET y", "enter")
        await wait_for(pilot, lambda: len(_echoes(console)) >= 2, what="replies after clear")
        await pilot.pause(0.3)
        assert _echoes(console) == ["SET y 2", "GET y"]
        assert app.lab.call("GET", "x") == "1"

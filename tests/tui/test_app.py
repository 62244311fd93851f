"""Pilot tests of the TUI on an embedded server: start-up, console, explorer, events, shutdown."""

from __future__ import annotations

import os

import pytest

from lab.tui.app import RedisLabApp
from lab.tui.widgets.inspector import KeyInspector

from .helpers import wait_for

pytestmark = pytest.mark.timeout(90)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purposes
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


async def _started(pilot, app):
    await wait_for(pilot, lambda: app.lab is not None and app.screen.id != "_default", what="start")
    return await wait_for(
        pilot, lambda: type(app.screen).__name__ == "ConsoleScreen" and app.screen, what="console"
    )


async def test_startup_and_clean_shutdown():
    app = RedisLabApp()
    async with app.run_test(size=(140, 40)) as pilot:
        await _started(pilot, app)
        pid = app.embedded.pid
        assert pid and _alive(pid)
        assert app.lab.has_lab
        assert "127.0.0.1" in app.sub_title
        names = app.lab.call("CLIENT", "LIST")
        assert "name=redis-lab:tui" in names
        await pilot.press("f1")  # the help screen lists the bindings
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen", what="help")
        await pilot.press("escape")
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
    assert not _alive(pid), "the embedded server outlived the app"
    assert app.embedded.proc is None


async def test_console_explorer_and_events():
    app = RedisLabApp(
        server_args=["--zset-max-listpack-entries", "4", "--hash-max-listpack-entries", "4"]
    )
    async with app.run_test(size=(160, 45)) as pilot:
        console = await _started(pilot, app)
        # Typed, highlighted, completed: ZAD<Tab> completes to ZADD.
        await wait_for(pilot, lambda: console.conn is not None and console.table is not None)
        await pilot.pause(0.3)
        await pilot.press(*"zad")
        await wait_for(pilot, lambda: console.query_one("#command")._suggestion, what="suggestion")
        await pilot.press("tab")
        assert console.query_one("#command").value.upper() == "ZADD "
        await pilot.press(*"board 1 a 2 b", "enter")
        await wait_for(pilot, lambda: "(integer) 2" in _transcript(console), what="ZADD reply")
        inspector = console.query_one(KeyInspector)
        await wait_for(pilot, lambda: inspector.data and inspector.data["encoding"] == "listpack")

        # One key of each encoding, built through the console.
        for line in [
            "SET s:int 42", "SET s:embstr hello", "SET s:raw " + "x" * 60,
            "HSET h:small f v", "HSET h:big a 1 b 2 c 3 d 4 e 5",
            "SADD set:ints 1 2 3", "SADD set:mixed 1 x",
            "ZADD board 3 c 4 d 5 e", "RPUSH list a b c",
            "HGETALL h:small",
        ]:  # fmt: skip
            console.submit(line)
        await wait_for(pilot, lambda: "f" in _transcript(console) and app.command_count >= 11)
        assert '"f" => "v"' in _transcript(console)  # HGETALL's map, as a tree

        # An error in its own style; a dangerous command asks first.
        console.submit("INCR s:embstr")
        await wait_for(pilot, lambda: "not an integer" in _transcript(console), what="error")
        assert console.query(".reply.error")
        console.submit("FLUSHALL")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DangerScreen", what="warning")
        instead = await wait_for(pilot, lambda: app.screen.query_one("#danger-instead"))
        assert "FLUSHDB" in str(instead.render())
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConsoleScreen")

        # The explorer lists them (SCAN) and opens each in the inspector.
        await pilot.press("f3")
        explorer = await wait_for(
            pilot, lambda: type(app.screen).__name__ == "ExplorerScreen" and app.screen
        )
        await wait_for(pilot, lambda: len(explorer.rows) >= 9, what="scan")
        expected = {
            "s:int": "int", "s:embstr": "embstr", "s:raw": "raw",
            "h:small": "listpack", "h:big": "hashtable",
            "set:ints": "intset", "set:mixed": "hashtable",
            "board": "skiplist", "list": "quicklist",
        }  # fmt: skip
        for key, encoding in expected.items():
            app.open_key(key)
            screen = await wait_for(
                pilot, lambda: type(app.screen).__name__ == "InspectorScreen" and app.screen
            )
            view = await wait_for(pilot, lambda s=screen: s.query_one(KeyInspector))
            await wait_for(
                pilot,
                lambda k=key, v=view: v.data and v.data["key"] == k and v.view is not None,
                what=f"inspect {key}",
            )
            assert view.data["encoding"] == encoding
            expected_view = {
                "int": "StringView", "embstr": "StringView", "raw": "StringView",
                "listpack": "ListpackView", "hashtable": "HashtableView", "intset": "IntsetView",
                "skiplist": "SkiplistView", "quicklist": "QuicklistView",
            }[encoding]  # fmt: skip
            assert type(view.view).__name__ == expected_view
            await pilot.press("f3")

        # The conversions appeared as events.
        await pilot.press("f5")
        events = await wait_for(
            pilot, lambda: type(app.screen).__name__ == "EventsScreen" and app.screen
        )
        await wait_for(
            pilot,
            lambda: any(
                e.get("type") == "encoding-conversion" and e.get("key") == "board"
                for e in app.events
            ),
            what="conversion event",
        )
        log = events.query_one("#event-log")
        await wait_for(pilot, lambda: any("listpack → skiplist" in line.text for line in log.lines))


def _transcript(console) -> str:
    parts = []
    for widget in console.query("#transcript Static"):
        parts.append(str(widget.render()))
    for tree in console.query("#transcript Tree"):
        parts.append(str(tree.root.label))
        parts += [str(node.label) for node in tree.root.children]
    return "\n".join(parts)

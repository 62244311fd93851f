"""Every classroom demo runs to its end, and the server is as each step says.

The terminal presenter runs each demo with auto-advance (no key presses)
into a recording Rich console; after every step the step's expectations are
checked against the server. One demo also runs on the TUI's demo screen,
driven by Pilot (space advances), to the same end state.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from lab import Lab
from lab.demos import DemoRunner, get, registry
from lab.demos.command import cmd_demo
from lab.demos.terminal import present

NAMES = sorted(registry())


def test_the_first_demos_exist(capsys) -> None:
    assert {"encodings", "expiry", "eviction"} <= set(NAMES)
    assert cmd_demo(["--list"]) == 0
    out = capsys.readouterr().out
    for name in ("encodings", "expiry", "eviction"):
        assert name in out
    assert cmd_demo(["no-such-demo"]) == 2


@pytest.mark.parametrize("name", NAMES)
def test_demo_runs_to_the_end_with_its_expectations(name: str) -> None:
    demo = get(name)
    with Lab(server_args=demo.server_args) as lab:
        runner = DemoRunner(demo, lab.client)
        while not runner.done:
            result = runner.step()
            if result.step.expect is not None:
                result.step.expect(lab.client)  # the server state after this step
            for line, reply in result.transcript:
                assert not reply.startswith("(error)"), f"{name}: {line} -> {reply}"
        assert runner.position == len(demo.steps)


def test_terminal_presenter_auto_advances() -> None:
    demo = get("encodings")
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=False, color_system=None)
    with Lab(server_args=demo.server_args) as lab:
        results = present(demo, lab.client, console=console, auto=0)
        assert len(results) == len(demo.steps)
        assert lab.execute("OBJECT", "ENCODING", "board") == "skiplist"
    text = buffer.getvalue()
    assert "the end" in text
    assert "HSET user:1 name Ada" in text
    assert "inspector: user:1" in text
    assert "skiplist" in text


def test_demo_on_the_tui_with_pilot() -> None:
    pytest.importorskip("textual")
    import asyncio

    from lab.tui.screens.demo import DemoApp, DemoScreen
    from tests.tui.helpers import wait_for

    demo = get("encodings")

    async def drive() -> list[str]:
        app = DemoApp(demo, watch_events=False)
        encodings = []
        async with app.run_test(size=(140, 44)) as pilot:
            screen = await wait_for(
                pilot, lambda: isinstance(app.screen, DemoScreen) and app.screen, what="demo"
            )
            for n in range(1, len(demo.steps) + 1):
                await pilot.press("space")
                await wait_for(pilot, lambda n=n: screen.shown == n, what=f"step {n}")
                step = demo.steps[n - 1]
                if step.expect is not None:
                    step.expect(app.lab)
                encodings.append(app.lab.call("OBJECT", "ENCODING", "user:1"))
            assert screen.done
            await wait_for(
                pilot,
                lambda: screen.query_one("#demo-inspector").data is not None,
                what="the inspector",
            )
        return encodings

    encodings = asyncio.run(drive())
    assert encodings[0] == "listpack" and encodings[-1] == "hashtable"

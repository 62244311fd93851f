"""Snapshot of the Lesson screen: a step's text, its examples run, checks passed, the key pane.

It runs on the embedded server (the lesson runner needs one) with the
server's clock frozen, so idle times and TTLs do not move, and with the
header's address replaced, so nothing in the picture depends on the port.
"""

from __future__ import annotations

import pytest

from lab.tui.app import RedisLabApp
from lab.tui.widgets.inspector import KeyInspector

from .helpers import wait_for

pytestmark = pytest.mark.timeout(120)


def test_lesson_screen(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_LAB_STATE_DIR", str(tmp_path))  # a fresh learner
    app = RedisLabApp(initial="home", watch_events=False)

    async def run_before(pilot) -> None:
        home = await wait_for(
            pilot, lambda: type(app.screen).__name__ == "HomeScreen" and app.screen
        )
        await wait_for(pilot, lambda: home.lessons, what="lessons")
        app.lab.call("LAB", "CLOCK", "FREEZE")
        await pilot.press("c")  # continue: the first beginner lesson
        lesson = await wait_for(
            pilot, lambda: type(app.screen).__name__ == "LessonScreen" and app.screen
        )
        await wait_for(pilot, lambda: lesson.runner is not None, what="runner")
        await pilot.press("ctrl+n")  # step 2: the first one about a key
        await wait_for(pilot, lambda: lesson.index == 1, what="step 2")
        step = lesson.lesson.steps[1]
        examples = [
            line
            for block in step.examples
            for line in block
            if line.strip() and not line.lstrip().startswith("#")
        ]
        transcript = lesson.query_one("#lesson-transcript")
        for n in range(1, len(examples) + 1):
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda n=n: len(transcript.children) >= 2 * n, what="reply")
        checks = lesson.query_one("#lesson-checks")
        await wait_for(pilot, lambda: "Step passed" in str(checks.render()), what="passed")
        pane = lesson.query_one(KeyInspector)
        await wait_for(pilot, lambda: pane.data is not None, what="key pane")
        app.sub_title = "embedded redis-lab 7.0.15"
        lesson.query_one("#lesson-command").cursor_blink = False  # a steady cursor
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(140, 44), run_before=run_before)

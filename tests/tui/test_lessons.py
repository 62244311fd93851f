"""Home and Lesson screens on lab.tutor: open a lesson, run its example, pass a step."""

from __future__ import annotations

import pytest

from lab.tui.app import RedisLabApp

from .helpers import wait_for

pytestmark = pytest.mark.timeout(60)


async def test_home_continue_and_run_examples(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_LAB_STATE_DIR", str(tmp_path))  # progress goes here, not to ~
    app = RedisLabApp(initial="home")
    async with app.run_test(size=(140, 40)) as pilot:
        home = await wait_for(
            pilot, lambda: type(app.screen).__name__ == "HomeScreen" and app.screen
        )
        await wait_for(pilot, lambda: home.lessons, what="lessons")
        first = home.next_lesson()
        assert first is not None
        await pilot.press("c")
        lesson = await wait_for(
            pilot, lambda: type(app.screen).__name__ == "LessonScreen" and app.screen
        )
        await wait_for(pilot, lambda: lesson.runner is not None, what="runner")
        markdown = lesson.query_one("#lesson-markdown")
        await wait_for(pilot, lambda: first.steps[0].title in markdown.source, what="step text")
        examples = [line for block in first.steps[0].examples for line in block if line.strip()]
        for _ in examples:
            await pilot.press("ctrl+r")
            await pilot.pause(0.3)
        transcript = lesson.query_one("#lesson-transcript")
        await wait_for(pilot, lambda: len(transcript.children) >= 2 * len(examples), what="replies")
        if first.steps[0].checks:
            checks = lesson.query_one("#lesson-checks")
            await wait_for(pilot, lambda: "✓" in str(checks.render()), what="a passing check")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: lesson.index == 1, what="next step")
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")


async def _continue_lesson(pilot, app):
    """From Home, ``c`` (continue): the lesson screen, with its runner ready."""
    home = await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen" and app.screen)
    await wait_for(pilot, lambda: home.lessons, what="lessons")
    await pilot.press("c")
    lesson = await wait_for(
        pilot, lambda: type(app.screen).__name__ == "LessonScreen" and app.screen
    )
    await wait_for(pilot, lambda: lesson.runner is not None, what="runner")
    return lesson


async def test_lesson_command_line_keeps_a_burst_in_order(tmp_path, monkeypatch):
    """Lines typed faster than they run: each runs once, in the order typed."""
    from .test_console_input import _burst

    monkeypatch.setenv("REDIS_LAB_STATE_DIR", str(tmp_path))
    app = RedisLabApp(initial="home")
    async with app.run_test(size=(140, 40)) as pilot:
        lesson = await _continue_lesson(pilot, app)
        await wait_for(pilot, lambda: lesson.query_one("#lesson-command").has_focus)
        lines = ["SET burst 0"] + [f"APPEND burst {i}" for i in range(1, 8)]
        items = []
        for line in lines:
            items += [line, "enter"]
        _burst(app, *items)
        transcript = lesson.query_one("#lesson-transcript")

        def echoed() -> list[str]:
            texts = [str(w.render()) for w in transcript.children]
            return [t[2:] for t in texts if t.startswith("› ")]

        await wait_for(pilot, lambda: len(echoed()) >= len(lines), what="all replies")
        assert echoed() == lines
        assert lesson.query_one("#lesson-command").value == ""
        assert app.lab.call("GET", "burst") == "01234567"


async def test_lesson_key_pane_shows_a_conversion_banner(tmp_path, monkeypatch):
    """The lesson's key pane hears LAB events: a conversion gets its banner."""
    from lab.tui.widgets.inspector import KeyInspector

    monkeypatch.setenv("REDIS_LAB_STATE_DIR", str(tmp_path))
    app = RedisLabApp(initial="home")
    async with app.run_test(size=(140, 40)) as pilot:
        lesson = await _continue_lesson(pilot, app)
        pane = lesson.query_one(KeyInspector)
        pane.key = "conv"
        lesson._execute("HSET conv f short")
        await wait_for(pilot, lambda: pane.data and pane.data["encoding"] == "listpack")
        lesson._execute("HSET conv g " + "x" * 80)
        await wait_for(
            pilot,
            lambda: pane.banner_text is not None and "hashtable" in pane.banner_text.plain,
            what="conversion banner",
        )
        assert "listpack → hashtable" in pane.banner_text.plain
        assert "hash-max-listpack-value = 64" in pane.banner_text.plain

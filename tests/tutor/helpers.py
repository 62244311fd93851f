"""Build one-step lessons from text, for engine tests."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from lab.tutor.loader import parse_lesson
from lab.tutor.runner import LessonRunner

FRONT = """---
id: t
title: T
path: beginner
order: 1
minutes: 5
objectives: [test]
---
"""


def lesson_from(checks: str, hints: int = 2, solution: str = "PING"):
    text = FRONT + "## Step\n\n```check\n" + dedent(checks).strip() + "\n```\n"
    text += "".join(f"> hint: hint number {i + 1}\n\n" for i in range(hints))
    text += "```solution\n" + solution + "\n```\n"
    return parse_lesson(text, Path("t.md"))


def runner_for(link, checks: str, *commands: str, sandbox: str | None = None):
    lesson = lesson_from(checks)
    runner = LessonRunner(lesson, link, sandbox=sandbox)
    runner.begin(0)
    for line in commands:
        runner.execute(line)
    return runner


def only(runner):
    report = runner.check()
    assert len(report.results) == 1
    return report.results[0], runner.step.hints

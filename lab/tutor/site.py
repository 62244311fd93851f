"""Lesson files as documentation pages (the mkdocs site is built from them).

A lesson page shows what the terminal shows, in reading order: the
objectives, each step's prose and examples, what the tutor will check,
and the hints and the solution folded away (``<details>``) so a reader can
try first. The lesson file stays the only source; nothing here is stored.
"""

from __future__ import annotations

import re

from .model import Lesson


def page_name(lesson: Lesson) -> str:
    return f"lessons/{lesson.path}/{lesson.order:02d}-{lesson.id}.md"


def lesson_page(lesson: Lesson, titles: dict[str, str] | None = None) -> str:
    """The Markdown page of one lesson; ``titles`` maps lesson ids to titles for links."""
    titles = titles or {}
    out = [f"# {lesson.title}", ""]
    meta = f"*{lesson.path.title()} path, lesson {lesson.order} · about {lesson.minutes} minutes"
    meta += f" · run it with* `redis-lab learn {lesson.id}`"
    out += [meta, ""]
    if lesson.requires:
        names = ", ".join(titles.get(r, r) for r in lesson.requires)
        out += [f"Builds on: {names}.", ""]
    out += ["You will be able to:", ""]
    out += [f"- {objective}" for objective in lesson.objectives]
    out.append("")
    intro = re.sub(r"^# .*\n?", "", lesson.intro).strip()
    if intro:
        out += [intro, ""]
    for step in lesson.steps:
        out += [f"## {step.title}", "", step.prose.strip(), ""]
        if step.checks:
            out += ['!!! check "What the tutor checks"', ""]
            out += [f"    - {check.describe()}" for check in step.checks]
            out.append("")
        for number, hint in enumerate(step.hints, start=1):
            out += [f"<details><summary>Hint {number}</summary>", "", hint, "", "</details>", ""]
        if step.solution:
            out += ["<details><summary>Solution</summary>", "", "```redis"]
            out += step.solution
            out += ["```", "", "</details>", ""]
    return "\n".join(out).rstrip() + "\n"


def index_page(lessons: list[Lesson]) -> str:
    """A table of the paths and their lessons, linking to each page."""
    out = ["# Lesson paths", ""]
    current = None
    for lesson in lessons:
        if lesson.path != current:
            current = lesson.path
            out += ["", f"## {current.title()}", "", "| # | lesson | minutes |", "|---|---|---|"]
        link = page_name(lesson).removeprefix("lessons/")
        out.append(f"| {lesson.order} | [{lesson.title}]({link}) | {lesson.minutes} |")
    return "\n".join(out).strip() + "\n"

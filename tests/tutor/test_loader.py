"""Lesson files: parsing, and errors that name the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.tutor import loader
from lab.tutor.loader import LessonError, parse_lesson

GOOD = """---
id: demo
title: Demo
path: beginner
order: 1
minutes: 10
objectives: [one]
requires: []
datasets: [users]
config: {hash-max-listpack-entries: 512}
---

# Demo

Intro text.

## First step

Some prose.

```redis
SET a 1
GET a
```

```check
- value: {key: a, is: 1}
  hint: 2
- typed: GET
```

> hint: the first hint
> hint: the second one,
> on two lines

```solution
SET a 1
GET a
```

## Reading only

Just words.
"""


def parse(text: str):
    return parse_lesson(text, Path("lessons/beginner/demo.md"))


def error(text: str) -> LessonError:
    with pytest.raises(LessonError) as info:
        parse(text)
    return info.value


def test_a_good_lesson():
    lesson = parse(GOOD)
    assert (lesson.id, lesson.path, lesson.order, lesson.minutes) == ("demo", "beginner", 1, 10)
    assert lesson.datasets == ["users"] and lesson.config == {"hash-max-listpack-entries": "512"}
    assert "Intro text." in lesson.intro
    first, second = lesson.steps
    assert first.slug == "first-step" and first.line == 17
    assert first.examples == [["SET a 1", "GET a"]]
    assert [c.kind for c in first.checks] == ["value", "typed"]
    assert first.checks[0].hint == 2
    assert first.hints == ["the first hint", "the second one, on two lines"]
    assert first.solution == ["SET a 1", "GET a"]
    assert "```redis" in first.prose and "```check" not in first.prose
    assert "hint:" not in first.prose
    assert not second.checked and second.prose == "Just words."
    assert lesson.keys() == {"a"}


def test_no_front_matter():
    e = error("# Title\n")
    assert (e.line, e.field) == (1, "front matter")
    assert str(e).startswith("lessons/beginner/demo.md:1: front matter:")


def test_unknown_front_matter_field():
    e = error(GOOD.replace("minutes: 10", "minutes: 10\nlevel: easy"))
    assert (e.line, e.field) == (7, "level")


def test_bad_minutes_and_missing_title():
    e = error(GOOD.replace("minutes: 10", "minutes: soon"))
    assert (e.line, e.field) == (6, "minutes")
    e = error(GOOD.replace("title: Demo\n", ""))
    assert e.field == "title" and "missing" in e.message


def test_wrong_path_for_folder_and_unknown_dataset():
    e = error(GOOD.replace("path: beginner", "path: advanced"))
    assert e.field == "path" and "beginner/" in e.message
    e = error(GOOD.replace("datasets: [users]", "datasets: [planets]"))
    assert e.field == "datasets" and "planets" in e.message


def test_unknown_check_kind_names_its_line():
    e = error(GOOD.replace("- typed: GET", "- smells: {key: a}"))
    assert (e.line, e.field) == (29, "check.smells")
    assert "unknown check kind" in e.message


def test_bad_check_field_names_its_line():
    e = error(GOOD.replace("{key: a, is: 1}", "{key: a, equals: 1}"))
    assert (e.line, e.field) == (27, "check.equals")
    e = error(GOOD.replace("{key: a, is: 1}", "{key: a}"))
    assert e.field == "check.is"
    e = error(GOOD.replace("{key: a, is: 1}", "{key: a, min: lots}"))
    assert e.field == "check.min"


def test_check_yaml_errors():
    e = error(GOOD.replace("- typed: GET", "- typed: [GET"))
    assert e.field == "check" and e.line >= 27
    e = error(GOOD.replace("- typed: GET", "- exists: a\n  typed: GET"))
    assert e.field == "check.check" and "exactly one kind" in e.message


def test_checks_need_a_solution_and_hints():
    no_solution = GOOD.replace("```solution\nSET a 1\nGET a\n```\n", "")
    e = error(no_solution)
    assert (e.line, e.field) == (17, "solution")
    no_hints = GOOD.replace("> hint: the first hint\n", "").replace(
        "> hint: the second one,\n> on two lines\n", ""
    )
    e = error(no_hints)
    assert e.field == "hint"


def test_hint_number_out_of_range():
    e = error(GOOD.replace("hint: 2", "hint: 3"))
    assert e.field == "hint" and "points at hint 3" in e.message


def test_unclosed_fence_and_bad_quotes():
    e = error(GOOD.replace("```solution\nSET a 1\nGET a\n```\n", "```solution\nSET a 1\n"))
    assert e.field == "code block" and "never closed" in e.message
    e = error(GOOD.replace("```solution\nSET a 1", '```solution\nSET a "1'))
    assert e.field == "solution" and "unbalanced" in e.message


def test_duplicate_ids_and_unknown_requires(tmp_path):
    folder = tmp_path / "beginner"
    folder.mkdir()
    (folder / "a.md").write_text(GOOD)
    (folder / "b.md").write_text(GOOD.replace("requires: []", "requires: [nothing]"))
    lessons, errors = loader.validate_all([tmp_path])
    fields = sorted(e.field for e in errors)
    assert fields == ["id", "requires"]
    assert any("also used by" in e.message for e in errors)


def test_roots_from_the_environment(tmp_path, monkeypatch):
    folder = tmp_path / "beginner"
    folder.mkdir()
    (folder / "demo.md").write_text(GOOD)
    monkeypatch.setenv(loader.ENV_LESSONS, str(tmp_path))
    assert [lesson.id for lesson in loader.load_all()] == ["demo"]


def test_source_tree_lessons_are_found(monkeypatch):
    monkeypatch.delenv(loader.ENV_LESSONS, raising=False)
    roots = loader.lesson_roots()
    assert roots and roots[0].name == "lessons"
    ids = [lesson.id for lesson in loader.load_all()]
    assert ids[:4] == [
        "first-contact",
        "strings-and-lists",
        "sets-and-hashes",
        "expiration-and-ttl",
    ]


def test_lessons_render_as_site_pages():
    from lab.tutor import site

    lessons = loader.load_all()
    titles = {lesson.id: lesson.title for lesson in lessons}
    page = site.lesson_page(lessons[1], titles)
    assert page.startswith("# Strings and lists\n")
    assert "Builds on: Redis fundamentals and first contact." in page
    assert '!!! check "What the tutor checks"' in page
    assert "<details><summary>Hint 1</summary>" in page
    assert "```check" not in page and "> hint:" not in page
    index = site.index_page(lessons)
    assert "[Strings and lists](beginner/02-strings-and-lists.md)" in index
    assert site.page_name(lessons[1]) == "lessons/beginner/02-strings-and-lists.md"

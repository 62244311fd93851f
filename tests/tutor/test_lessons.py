"""Every lesson against our server and a real Redis: each checked step's checks
fail before its reference solution runs and pass after it (earlier steps'
solutions run first, as a learner would have typed them)."""

from __future__ import annotations

import time

import pytest

from lab.repl.split import split_args
from lab.tutor import loader
from lab.tutor.runner import LessonRunner

LESSONS = loader.load_all()


def test_every_lesson_validates():
    lessons, errors = loader.validate_all()
    assert not errors, "\n".join(map(str, errors))
    assert {lesson.path for lesson in lessons} >= {"beginner"}


def test_beginner_lessons_have_five_checked_steps():
    for lesson in LESSONS:
        if lesson.path == "beginner":
            assert len(lesson.checked_steps) >= 5, lesson.id


def test_the_three_main_paths_are_filled():
    """beginner -> intermediate -> advanced, as the Home screen lists them."""
    paths = {}
    for lesson in LESSONS:
        paths.setdefault(lesson.path, []).append(lesson)
    assert len(paths.get("intermediate", [])) >= 4
    assert len(paths.get("advanced", [])) >= 3
    for path in ("intermediate", "advanced"):
        for lesson in paths[path]:
            assert 5 <= len(lesson.checked_steps) <= 7, lesson.id
        orders = [lesson.order for lesson in paths[path]]
        assert len(set(orders)) == len(orders), f"{path}: two lessons share an order"


def test_requires_point_backwards():
    """A lesson requires lessons on its own path before it, or on an earlier path."""
    rank = {path: i for i, path in enumerate(loader.PATHS)}
    by_id = {lesson.id: lesson for lesson in LESSONS}
    for lesson in LESSONS:
        for req in lesson.requires:
            before = by_id[req]
            assert (rank[before.path], before.order) < (rank[lesson.path], lesson.order), (
                f"{lesson.id} requires {req}, which comes after it"
            )


def solution_commands(lesson) -> set[str]:
    names = set()
    for step in lesson.steps:
        for line in step.solution:
            name = split_args(line)[0].decode().lower()
            if name != "lab":  # the runner stands in for LAB on servers without it
                names.add(name)
    return names


def _report(results, hints) -> str:
    return "\n".join(r.message(hints) for r in results)


@pytest.mark.parametrize("kind", ["lab", "real", "sandbox"])
@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_solutions_pass_their_checks(lesson, kind, servers, request):
    """``sandbox``: our server, the learner's keys under ``alice:``."""
    sandbox = "alice" if kind == "sandbox" else None
    kind = "lab" if kind == "sandbox" else kind
    link = servers.fresh(kind)
    try:
        missing = link.missing_commands(solution_commands(lesson))
        if missing and kind == "lab":
            request.applymarker(
                pytest.mark.xfail(
                    reason=f"needs {', '.join(m.upper() for m in missing)} in the reference server",
                    strict=False,
                )
            )
        runner = LessonRunner(lesson, link, sandbox=sandbox)
        runner.prepare()
        for index, step in enumerate(lesson.steps):
            runner.begin(index)
            if not step.checked:
                continue
            before = runner.check()
            assert not before.passed, f"{step.slug}: passes before its solution"
            assert before.failures, f"{step.slug}: nothing fails before its solution"
            for outcome in runner.solve():
                assert outcome.reply is not None or outcome.args
            # Active expiry and other background work may need a moment.
            deadline = time.monotonic() + 3
            after = runner.check()
            while not after.passed and time.monotonic() < deadline:
                time.sleep(0.1)
                after = runner.check()
            assert after.passed, f"{step.slug}:\n{_report(after.results, step.hints)}"
            skipped = [r for r in after.results if r.status == "skip"]
            if kind == "lab":
                assert not skipped, f"{step.slug}: skipped on the lab server"
            else:
                assert all(r.check.needs_lab or r.check.kind == "nodes" for r in skipped)
        if sandbox:
            keys = link.call("KEYS", "*")
            assert keys and all(k.startswith("alice:") for k in keys), keys
    finally:
        link.close()

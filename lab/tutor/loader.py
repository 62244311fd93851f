"""Read lesson files: Markdown with YAML front matter, split into steps.

The format (documented for authors in docs/lessons.md)::

    ---
    id: strings-and-lists           # unique; progress is stored under it
    title: Strings and lists
    path: beginner                  # which learning path (a folder of lessons/)
    order: 2                        # position on the path
    minutes: 45
    objectives: [...]               # what the learner can do afterwards
    requires: [first-contact]       # lesson ids to do first (may be empty)
    datasets: []                    # sample data loaded at the start (lab.tutor.datasets)
    config: {list-max-listpack-size: -2}   # CONFIG SET at the start (optional)
    ---
    # Title, then an introduction
    ## A step
    prose ... ```redis examples ... ```check (a YAML list) ...
    > hint: the first hint, revealed on request
    > hint: the second one
    ```solution
    SET greeting hello
    ```

Everything wrong with a file is reported as a :class:`LessonError` naming the
file, the line and the field, so an author can fix it without guessing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import datasets
from .checks import CheckSpecError, parse_check
from .model import Lesson, Step

PATHS = ("beginner", "intermediate", "advanced", "patterns", "scenarios")
ENV_LESSONS = "REDIS_LAB_LESSONS"

_FRONT_FIELDS = {
    "id": True,
    "title": True,
    "path": True,
    "order": True,
    "minutes": True,
    "objectives": True,
    "requires": False,
    "datasets": False,
    "config": False,
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w-]*)")


@dataclass
class LessonError(Exception):
    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.message}"


# -- finding lessons ------------------------------------------------------------------


def lesson_roots() -> list[Path]:
    """Where lesson folders are, first match wins.

    1. ``$REDIS_LAB_LESSONS`` (paths separated like PATH), for authors and tests;
    2. ``lab/tutor/lessons/``: in an installed package the lessons shipped as
       package data; in a source checkout a symlink to ``lessons/`` (resolved,
       so messages name the real file);
    3. ``lessons/`` next to the ``lab`` package, for a checkout where the
       symlink did not survive (Windows without symlinks).
    """
    env = os.environ.get(ENV_LESSONS)
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    here = Path(__file__).resolve().parent
    for candidate in (here / "lessons", here.parent.parent / "lessons"):
        if candidate.is_dir() and any(candidate.resolve().rglob("*.md")):
            return [candidate.resolve()]
    return []


def lesson_files(roots: list[Path] | None = None) -> list[Path]:
    files: list[Path] = []
    for root in lesson_roots() if roots is None else roots:
        root = Path(root)
        if root.is_file():
            files.append(root)
            continue
        for path in sorted(root.rglob("*.md")):
            if path.name.lower() not in ("readme.md", "index.md"):
                files.append(path)
    return files


def load_all(roots: list[Path] | None = None) -> list[Lesson]:
    """Every lesson, in path order then lesson order; raises the first LessonError."""
    lessons, errors = _load(roots)
    if errors:
        raise errors[0]
    return lessons


def validate_all(roots: list[Path] | None = None) -> tuple[list[Lesson], list[LessonError]]:
    """Load everything, collecting every error instead of stopping at the first."""
    return _load(roots)


def _load(roots) -> tuple[list[Lesson], list[LessonError]]:
    lessons: list[Lesson] = []
    errors: list[LessonError] = []
    for path in lesson_files(roots):
        try:
            lessons.append(load_lesson(path))
        except LessonError as exc:
            errors.append(exc)
    seen: dict[str, Lesson] = {}
    for lesson in lessons:
        if lesson.id in seen:
            errors.append(
                LessonError(
                    lesson.source,
                    2,
                    "id",
                    f"'{lesson.id}' is also used by {seen[lesson.id].source}",
                )
            )
        seen[lesson.id] = lesson
    for lesson in lessons:
        for req in lesson.requires:
            if req not in seen:
                errors.append(
                    LessonError(lesson.source, 0, "requires", f"no lesson has the id '{req}'")
                )
    lessons.sort(key=sort_key)
    return lessons, errors


def sort_key(lesson: Lesson):
    rank = PATHS.index(lesson.path) if lesson.path in PATHS else len(PATHS)
    return (rank, lesson.path, lesson.order, lesson.id)


def find(lesson_id: str, roots: list[Path] | None = None) -> Lesson:
    for lesson in load_all(roots):
        if lesson.id == lesson_id:
            return lesson
    raise KeyError(lesson_id)


# -- one file ----------------------------------------------------------------------------


def load_lesson(path: Path) -> Lesson:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LessonError(path, 0, "file", str(exc)) from exc
    return parse_lesson(text, path)


def parse_lesson(text: str, path: Path) -> Lesson:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise LessonError(path, 1, "front matter", "a lesson starts with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise LessonError(path, 1, "front matter", "no closing '---' line") from None
    meta = _front_matter(path, lines[1:end])
    intro, steps = _body(path, lines, end + 1)
    if not steps:
        raise LessonError(path, end + 2, "steps", "a lesson needs at least one '## step'")
    return Lesson(
        id=meta["id"],
        title=meta["title"],
        path=meta["path"],
        order=meta["order"],
        minutes=meta["minutes"],
        objectives=meta["objectives"],
        requires=meta.get("requires") or [],
        datasets=meta.get("datasets") or [],
        config={str(k): str(v) for k, v in (meta.get("config") or {}).items()},
        intro=intro,
        steps=steps,
        source=path,
    )


def _front_matter(path: Path, lines: list[str]) -> dict:
    def line_of(field: str) -> int:
        for i, line in enumerate(lines):
            if line.startswith(f"{field}:"):
                return i + 2
        return 1

    try:
        meta = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise LessonError(path, line, "front matter", f"not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise LessonError(path, 2, "front matter", "must be a YAML mapping")
    for field in meta:
        if field not in _FRONT_FIELDS:
            raise LessonError(
                path,
                line_of(field),
                str(field),
                f"unknown field (known: {', '.join(_FRONT_FIELDS)})",
            )
    for field, required in _FRONT_FIELDS.items():
        if required and meta.get(field) in (None, "", []):
            raise LessonError(path, 1, field, "required field is missing")

    def bad(field: str, message: str) -> LessonError:
        return LessonError(path, line_of(field), field, message)

    if not isinstance(meta["id"], str) or not _ID.match(meta["id"]):
        raise bad("id", "lowercase letters, digits and dashes, like 'strings-and-lists'")
    if not isinstance(meta["title"], str):
        raise bad("title", "must be text")
    if meta["path"] not in PATHS:
        raise bad("path", f"'{meta['path']}' is not one of {', '.join(PATHS)}")
    if path.parent.name in PATHS and path.parent.name != meta["path"]:
        raise bad("path", f"the file is in {path.parent.name}/ but says path: {meta['path']}")
    for field in ("order", "minutes"):
        value = meta[field]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise bad(field, "must be a positive whole number")
    for field in ("objectives", "requires", "datasets"):
        value = meta.get(field)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise bad(field, "must be a list of text items")
    for name in meta.get("datasets") or []:
        if name not in datasets.DATASETS:
            raise bad("datasets", f"no dataset '{name}' (known: {', '.join(datasets.DATASETS)})")
    config = meta.get("config")
    if config is not None and not (
        isinstance(config, dict)
        and all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in config.values()
        )
    ):
        raise bad("config", "must map parameter names to values")
    return meta


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or "step"


def _body(path: Path, lines: list[str], start: int) -> tuple[str, list[Step]]:
    intro: list[str] = []
    steps: list[Step] = []
    prose: list[str] = intro
    step: Step | None = None
    i = start
    n = len(lines)

    def finish(step: Step | None) -> None:
        if step is None:
            return
        step.prose = "\n".join(prose).strip("\n")
        _check_step(path, step)

    while i < n:
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            marker, lang = fence.group(1), fence.group(2).lower()
            j = i + 1
            while j < n and not lines[j].startswith(marker):
                j += 1
            if j >= n:
                raise LessonError(path, i + 1, "code block", f"```{lang} is never closed")
            block = lines[i + 1 : j]
            if lang in ("check", "solution") and step is None:
                raise LessonError(path, i + 1, lang, "must be inside a '## step'")
            if lang == "check":
                step.checks.extend(_checks(path, i + 2, block))
            elif lang == "solution":
                step.solution.extend(_commands(path, i + 2, block, "solution"))
            else:
                if lang == "redis" and step is not None:
                    step.examples.append(_commands(path, i + 2, block, "redis"))
                prose.extend(lines[i : j + 1])
            i = j + 1
            continue
        if line.startswith("## "):
            finish(step)
            title = line[3:].strip()
            step = Step(slug=_slug(title), title=title, line=i + 1)
            if any(s.slug == step.slug for s in steps):
                raise LessonError(path, i + 1, "step", f"two steps are named '{title}'")
            steps.append(step)
            prose = []
            i += 1
            continue
        hint = re.match(r"^>\s*hint:\s?(.*)$", line, re.IGNORECASE)
        if hint:
            if step is None:
                raise LessonError(path, i + 1, "hint", "hints belong inside a '## step'")
            text = [hint.group(1)]
            i += 1
            while (
                i < n
                and lines[i].startswith(">")
                and not re.match(r"^>\s*hint:", lines[i], re.IGNORECASE)
            ):
                text.append(lines[i][1:].strip())
                i += 1
            body = " ".join(t for t in text if t).strip()
            if not body:
                raise LessonError(path, i, "hint", "an empty hint")
            step.hints.append(body)
            continue
        prose.append(line)
        i += 1
    finish(step)
    return "\n".join(intro).strip("\n"), steps


def _check_step(path: Path, step: Step) -> None:
    if step.checks and not step.solution:
        raise LessonError(
            path, step.line, "solution", f"step '{step.title}' has checks but no ```solution"
        )
    if step.checks and not step.hints:
        raise LessonError(
            path, step.line, "hint", f"step '{step.title}' has checks but no '> hint:'"
        )
    for check in step.checks:
        if check.hint and check.hint > len(step.hints):
            raise LessonError(
                path,
                step.line,
                "hint",
                f"a check in '{step.title}' points at hint {check.hint}, "
                f"but the step has {len(step.hints)}",
            )


def _checks(path: Path, first_line: int, block: list[str]):
    text = "\n".join(block)
    try:
        root = yaml.compose(text)
        items = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        raise LessonError(path, line, "check", f"not valid YAML: {exc}") from None
    if items is None:
        raise LessonError(path, first_line - 1, "check", "an empty ```check block")
    if not isinstance(items, list):
        raise LessonError(path, first_line, "check", "a ```check block is a YAML list ('- ...')")
    checks = []
    for node, item in zip(root.value, items, strict=True):
        line = first_line + node.start_mark.line
        try:
            checks.append(parse_check(item))
        except CheckSpecError as exc:
            raise LessonError(path, line, f"check.{exc.field}", str(exc)) from None
    return checks


def _commands(path: Path, first_line: int, block: list[str], what: str) -> list[str]:
    from lab.repl.split import split_args

    out = []
    for offset, line in enumerate(block):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("> "):  # a prompt shown in an example
            text = text[2:]
        if not split_args(text):
            raise LessonError(path, first_line + offset, what, f"unbalanced quotes in {text!r}")
        out.append(text)
    return out

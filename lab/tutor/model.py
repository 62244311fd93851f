"""The lesson model: what a lesson file becomes once it is read.

A :class:`Lesson` is a list of :class:`Step` objects; a step holds its prose
(Markdown, for any front end to render), the ``redis`` example blocks, the
checks, the hints and the reference solution. Nothing here talks to a server
or a terminal: the terminal front end, the TUI lesson screen and the tests all
read the same objects (see :mod:`lab.tutor.runner` for running them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .checks import Check


@dataclass
class Step:
    """One ``##`` section of a lesson."""

    slug: str  # stable id inside the lesson (progress is keyed by it)
    title: str
    line: int  # where the ``##`` heading is, for messages
    prose: str = ""  # Markdown without the check/hints/solution blocks
    examples: list[list[str]] = field(default_factory=list)  # ```redis blocks, line by line
    checks: list[Check] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    solution: list[str] = field(default_factory=list)  # redis-cli lines

    @property
    def checked(self) -> bool:
        return bool(self.checks)


@dataclass
class Lesson:
    """A lesson file: front matter plus steps."""

    id: str
    title: str
    path: str  # beginner | intermediate | advanced | patterns | scenarios
    order: int
    minutes: int
    objectives: list[str]
    requires: list[str]
    datasets: list[str]
    config: dict[str, str]  # CONFIG SET at lesson start (the defaults the lesson assumes)
    intro: str  # Markdown between the front matter and the first step
    steps: list[Step]
    source: Path

    def step(self, slug: str) -> Step:
        for step in self.steps:
            if step.slug == slug:
                return step
        raise KeyError(slug)

    @property
    def checked_steps(self) -> list[Step]:
        return [s for s in self.steps if s.checked]

    def keys(self) -> set[str]:
        """Every key name the checks read (the runner clears them before a lesson)."""
        names: set[str] = set()
        for step in self.steps:
            for check in step.checks:
                names.update(check.keys())
        return names

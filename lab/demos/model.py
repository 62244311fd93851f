"""A classroom demo: a scripted scenario told one step at a time.

A demo is built like a lesson (:mod:`lab.tutor.model`): a list of steps, each
with a title, prose in Markdown and ``redis`` commands — but nobody types: the
presenter advances, each step's commands run, and the views are pointed at the
keys the step changed. Where a scenario needs more than commands (write a
thousand keys with random TTLs, wait for the active expire cycle) a step has
an ``action``: a Python function on the lab's connection that returns what it
did, in one line, so the audience sees that too.

``expect`` holds the step's assertions on the server state after it ran
(the demo tests run every demo to its end and call them); a presenter never
needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from lab.client import LabClient


@dataclass
class DemoStep:
    title: str
    prose: str  # Markdown, read aloud or shown
    commands: list[str] = field(default_factory=list)  # redis-cli lines, run in order
    action: Callable[[LabClient], str] | None = None  # runs before the commands
    inspect: list[str] = field(default_factory=list)  # keys to show after the step
    memory: bool = False  # show LAB MEMORY (the eviction pool) after the step
    keyspace: bool = False  # show LAB KEYSPACE after the step
    events: tuple[str, ...] = ()  # show the step's LAB events of these types
    expect: Callable[[LabClient], None] | None = None  # assertions (tests)


@dataclass
class Demo:
    name: str
    title: str
    summary: str
    steps: list[DemoStep]
    server_args: list[str] = field(default_factory=list)  # for the embedded server
    setup: Callable[[LabClient], None] | None = None  # before the first step (quietly)

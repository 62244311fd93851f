"""Classroom demos: ``redis-lab demo NAME`` (``redis-lab demo --list``).

    model.py       Demo and DemoStep: prose, commands, an optional action, expectations
    runner.py      DemoRunner: runs one step at a time, returns what to show
    terminal.py    the plain-terminal presenter (Rich): space/enter to advance
    encodings.py   a hash, a set, a sorted set and a list crossing their thresholds
    expiry.py      a thousand keys with TTLs: lazy and active expiry side by side
    eviction.py    maxmemory under allkeys-lru, then allkeys-lfu, with the pool

The TUI shows the same demos on its own screen (:mod:`lab.tui.screens.demo`).
"""

from __future__ import annotations

from .model import Demo, DemoStep
from .runner import DemoRunner, StepResult


def registry() -> dict[str, Demo]:
    from . import encodings, eviction, expiry

    return {d.name: d for d in (encodings.DEMO, expiry.DEMO, eviction.DEMO)}


def get(name: str) -> Demo:
    demos = registry()
    if name not in demos:
        raise KeyError(f"no demo named {name!r} (there are: {', '.join(demos)})")
    return demos[name]


__all__ = ["Demo", "DemoRunner", "DemoStep", "StepResult", "get", "registry"]

"""Running a demo's steps on a connection, apart from how they are shown.

:class:`DemoRunner` runs one step at a time and returns a :class:`StepResult`
(the commands with their replies formatted as redis-cli prints them, the
action's line, the inspected keys, the memory view). The terminal presenter
(:mod:`lab.demos.terminal`) and the TUI screen (:mod:`lab.tui.screens.demo`)
both draw these results; the tests assert on the server after each one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lab.client import LabClient
from lab.repl.format import forces_raw, format_reply
from lab.repl.split import split_args

from .model import Demo, DemoStep


@dataclass
class StepResult:
    step: DemoStep
    index: int
    action_note: str = ""
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (command, reply)
    inspected: dict[str, dict | None] = field(default_factory=dict)
    memory: dict | None = None
    keyspace: dict | None = None
    events: list[dict] = field(default_factory=list)  # of the types the step names
    event_counts: dict[str, int] = field(default_factory=dict)
    events_missed: bool = False  # the server's ring (1024 events) dropped some


class DemoRunner:
    def __init__(self, demo: Demo, client: LabClient) -> None:
        self.demo = demo
        self.client = client
        self.position = 0  # the next step to run
        self.started = False

    @property
    def done(self) -> bool:
        return self.position >= len(self.demo.steps)

    def start(self) -> None:
        if not self.started:
            self.started = True
            if self.demo.setup is not None:
                self.demo.setup(self.client)

    def run_command(self, line: str) -> str:
        args = split_args(line)
        if not args:
            return "Invalid argument(s)"
        reply = self.client.execute(*args)
        words = [a.decode("utf-8", "replace") for a in args]
        text = format_reply(reply, "raw" if forces_raw(words) else "standard")
        return text.decode("utf-8", "replace").rstrip("\n")

    def step(self) -> StepResult:
        """Run the next step; its result."""
        self.start()
        if self.done:
            raise IndexError("the demo is over")
        step = self.demo.steps[self.position]
        result = StepResult(step, self.position)
        mark = self.client.newest_event_id() if step.events else 0
        if step.action is not None:
            result.action_note = step.action(self.client)
        for line in step.commands:
            result.transcript.append((line, self.run_command(line)))
        for key in step.inspect:
            result.inspected[key] = self.client.inspect(key, window=(0, 12))
        if step.memory:
            result.memory = self.client.memory()
        if step.keyspace:
            result.keyspace = self.client.keyspace()
        if step.events:
            self._collect_events(result, mark)
        self.position += 1
        return result

    def _collect_events(self, result: StepResult, since: int) -> None:
        for _ in range(50):  # at most 5000 events
            reply = self.client.events(since, 100)
            batch = reply.get("events") or []
            result.events_missed = result.events_missed or bool(reply.get("missed"))
            for event in batch:
                if event.get("type") in result.step.events:
                    kind = f"{event['type']} ({event['how']})" if "how" in event else event["type"]
                    result.event_counts[kind] = result.event_counts.get(kind, 0) + 1
                    result.events.append(event)
            if not batch:
                break
            since = int(reply.get("last_id", since))
        result.events = result.events[-8:]

    def run_all(self) -> list[StepResult]:
        out = []
        while not self.done:
            out.append(self.step())
        return out

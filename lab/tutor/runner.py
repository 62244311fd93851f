"""Run a lesson against a server: the engine every front end drives.

:class:`LessonRunner` is UI-agnostic. A front end (the terminal one in
:mod:`lab.tutor.terminal`, the TUI's lesson screen, a test) does::

    runner = LessonRunner(lesson, Link.connect(url), progress=store, sandbox="alice")
    runner.prepare()                  # clear the lesson's keys, config, datasets
    step = runner.begin(0)            # baseline for INFO deltas, events, typed
    outcome = runner.execute("SET greeting hello")   # what the learner typed
    report = runner.check()           # StepReport: results, passed
    runner.next_hint()                # reveal one more hint (recorded)
    runner.solve()                    # run the reference solution (tests, "show me")

It talks to the server over RESP only, on two connections: the *learner's*
(RESP2, what redis-cli would see) and the *probe* (RESP3 when the server
speaks it), which the checks use so their reads never mix with the learner's
replies or MULTI state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from lab.client import info_numbers
from lab.repl.resp import Connection, Error, Status, to_python
from lab.repl.split import split_args

from . import datasets
from .checks import FAIL, PASS, CheckResult, ReplyError
from .model import Lesson, Step
from .progress import ProgressStore
from .sandbox import KeySpecs, Sandbox, SandboxRefused

# INFO counters the checks' own reads move (a lookup is a keyspace hit or miss,
# a check is a command). Their growth during checks is not the learner's. Expiry
# counters are not among them: a key that expired when a check looked at it
# did expire, as it would have for the learner's next read.
NOISY_PREFIXES = ("keyspace_", "total_")

# Commands that turn a connection into a stream of pushes: not for a prompt that
# expects one reply per command.
TAKES_OVER = {"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR", "SYNC", "PSYNC"}

# The LAB clock stand-in on servers without LAB: real waiting, up to this long.
MAX_REAL_WAIT_MS = 30_000


def parse_url(url: str) -> tuple[str, int, int, str | None, str | None]:
    """``redis://[user:password@]host[:port][/db]`` → host, port, db, user, password."""
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", ""):
        raise ValueError(f"unsupported URL scheme in {url!r} (use redis://host:port/db)")
    db = parsed.path.lstrip("/")
    return (
        parsed.hostname or "127.0.0.1",
        parsed.port or 6379,
        int(db) if db else 0,
        parsed.username or None,
        parsed.password or None,
    )


def _open(url: str, timeout: float) -> Connection:
    host, port, db, user, password = parse_url(url)
    conn = Connection(host, port, timeout=timeout).connect()
    if password is not None:
        auth = ("AUTH", user, password) if user else ("AUTH", password)
        reply = conn.execute(*auth)
        if isinstance(reply, Error):
            conn.close()
            raise ConnectionError(reply.text)
    if db:
        reply = conn.execute("SELECT", db)
        if isinstance(reply, Error):
            conn.close()
            raise ConnectionError(reply.text)
    return conn


class Link:
    """The two connections to one server, and what that server can do."""

    def __init__(self, learner: Connection, probe: Connection) -> None:
        self.learner = learner
        self.probe = probe
        self.has_lab = False
        self.probe_resp3 = False
        self._detect()

    @classmethod
    def connect(cls, url: str, timeout: float = 10.0) -> Link:
        link = cls(_open(url, timeout), _open(url, timeout))
        link.url = url
        return link

    url: str | None = None

    def reset_learner(self) -> None:
        """A new learner connection (after Ctrl-C mid-command, or a dropped one)."""
        self.learner.close()
        if self.url is None:
            raise ConnectionError("cannot reconnect: the link was not made from a URL")
        self.learner = _open(self.url, 10.0)

    def _detect(self) -> None:
        reply = self.probe.execute("HELLO", "3")
        self.probe_resp3 = not isinstance(reply, Error)
        self.probe.protocol = 3 if self.probe_resp3 else 2
        # Not COMMAND INFO: a lab server may know LAB yet refuse it to this client
        # (enable-lab-command local, for a client that is not on loopback).
        self.has_lab = not isinstance(self.probe.execute("LAB", "CLOCK", "GET"), Error)

    def call(self, *args):
        """A probe command; its reply as plain Python, errors raised as ReplyError."""
        reply = self.probe.execute(*args)
        if isinstance(reply, Error):
            raise ReplyError(reply.text)
        return to_python(reply)

    def missing_commands(self, names: set[str]) -> list[str]:
        """Which of these command names the server does not know."""
        missing = []
        for name in sorted(names):
            reply = self.probe.execute("COMMAND", "INFO", name)
            if not (isinstance(reply, list) and reply and reply[0] is not None):
                missing.append(name)
        return missing

    def close(self) -> None:
        self.learner.close()
        self.probe.close()


@dataclass
class Outcome:
    """What happened to one typed line."""

    line: str
    args: list[str] = field(default_factory=list)  # as typed (before the sandbox)
    reply: object = None  # the typed reply (lab.repl.resp types)
    note: str = ""  # a word from the tutor (refused in sandbox, LAB stand-in ...)
    error: bool = False


@dataclass
class StepReport:
    step: Step
    results: list[CheckResult]

    @property
    def passed(self) -> bool:
        """No check failed and at least one really ran (skips alone prove nothing)."""
        return not any(r.status == FAIL for r in self.results) and any(
            r.status == PASS for r in self.results
        )

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == FAIL]


class _StepProbe:
    """The :class:`~lab.tutor.checks.Probe` the checks of one step read."""

    def __init__(self, runner: LessonRunner) -> None:
        self.runner = runner
        self.link = runner.link
        self.has_lab = runner.link.has_lab
        self.info_now: dict[str, str] = {}

    def key(self, name: str) -> bytes:
        return self.runner.key(name).encode()

    def call(self, *args, sandbox: bool = False):
        if sandbox and self.runner.sandbox is not None:
            words = [a.decode() if isinstance(a, bytes) else str(a) for a in args]
            args = tuple(self.runner.sandbox.rewrite(words))
        return self.link.call(*args)

    def inspect(self, name: str) -> dict | None:
        reply = self.link.call("LAB", "INSPECT", self.key(name))
        return reply if isinstance(reply, dict) else None

    def info_field(self, field: str, section: str | None = None) -> str | None:
        info = self.info_now if section is None else self.runner.read_info(section)
        return info.get(field)

    def info_delta(self, field: str, section: str | None = None) -> float | None:
        now = self.info_now if section is None else self.runner.read_info(section)
        return self.runner.delta(field, now)

    def events(self) -> list[dict]:
        return self.runner.step_events()

    def typed(self) -> list[list[str]]:
        return [list(words) for words in self.runner.typed]


class LessonRunner:
    def __init__(
        self,
        lesson: Lesson,
        link: Link,
        progress: ProgressStore | None = None,
        sandbox: str | None = None,
    ) -> None:
        self.lesson = lesson
        self.link = link
        self.progress = progress
        self.specs = KeySpecs(link.call)
        self.sandbox = Sandbox(sandbox, self.specs) if sandbox else None
        self.index = 0
        self.typed: list[list[str]] = []
        self.hints_shown = 0
        self._baseline: dict[str, float] = {}
        self._noise: dict[str, float] = {}
        self._events_since = 0
        self._events: list[dict] = []

    # -- names --------------------------------------------------------------------

    def key(self, name: str) -> str:
        return self.sandbox.key(name) if self.sandbox else name

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    # -- lesson setup ---------------------------------------------------------------

    def lesson_keys(self) -> set[str]:
        """Keys this lesson touches: its checks', its solutions', its datasets'."""
        names = set(self.lesson.keys())
        for step in self.lesson.steps:
            for line in step.solution:
                args = [a.decode("utf-8", "replace") for a in split_args(line) or []]
                if args and args[0].upper() not in ("KEYS", "SCAN", "LAB"):
                    names.update(args[i] for i in self.specs.positions(args))
        for name in self.lesson.datasets:
            names.update(datasets.keys(name))
        return names

    def prepare(self) -> list[str]:
        """Clear the lesson's keys, apply its config and load its datasets.

        Returns notes for the learner (config that could not be set ...).
        """
        notes = []
        keys = sorted(self.key(k) for k in self.lesson_keys())
        # One DEL per key, pipelined: a cluster refuses multi-key DELs across slots.
        self.link.probe.pipeline([("DEL", k) for k in keys])
        for param, value in self.lesson.config.items():
            try:
                self.link.call("CONFIG", "SET", param, value)
            except ReplyError as exc:
                notes.append(f"could not set {param} to {value}: {exc}")
        for name in self.lesson.datasets:
            cmds = [(c[0], self.key(c[1]), *c[2:]) for c in datasets.commands(name)]
            for reply in self.link.probe.pipeline(cmds):
                if isinstance(reply, Error):
                    notes.append(f"dataset {name}: {reply.text}")
        return notes

    # -- steps ------------------------------------------------------------------------

    def begin(self, index: int) -> Step:
        """Start step ``index``: a fresh transcript and baselines."""
        self.index = index
        self.typed = []
        self.hints_shown = 0
        self._baseline = info_numbers(self.read_info())
        self._noise = {}
        self._events = []
        self._events_since = self._newest_event_id()
        if self.progress is not None:
            self.progress.start(self.lesson.id)
        return self.step

    def read_info(self, section: str | None = None) -> dict[str, str]:
        try:
            text = self.link.call("INFO", section) if section else self.link.call("INFO")
        except ReplyError:  # INFO disabled (renamed away) or failing: no counters
            return {}
        out = {}
        for line in str(text).splitlines():
            if ":" in line and not line.startswith("#"):
                k, v = line.split(":", 1)
                out[k.strip()] = v.strip()
        return out

    def delta(self, field: str, now: dict[str, str]) -> float | None:
        try:
            value = float(now[field])
        except (KeyError, ValueError):
            return None
        return value - self._baseline.get(field, 0.0) - self._noise.get(field, 0.0)

    def _newest_event_id(self) -> int:
        if not self.link.has_lab:
            return 0
        try:
            reply = self.link.call("LAB", "EVENTS", "SINCE", str(2**62), "COUNT", "1")
        except ReplyError:
            return 0
        return int(reply.get("newest_id", reply.get("last_id", 0)))

    def step_events(self) -> list[dict]:
        """LAB events since the step began (polled and kept)."""
        if not self.link.has_lab:
            return []
        while True:
            reply = self.link.call(
                "LAB", "EVENTS", "SINCE", str(self._events_since), "COUNT", "500"
            )
            batch = reply.get("events") or []
            self._events.extend(batch)
            if not batch:
                return self._events
            self._events_since = int(reply.get("last_id", self._events_since))
            if len(batch) < 500:
                return self._events

    # -- the learner's commands -----------------------------------------------------------

    def execute(self, line: str) -> Outcome:
        """Send one typed line (redis-cli quoting) and record it for ``typed`` checks."""
        raw = split_args(line)
        if raw is None:
            return Outcome(line, reply=Error(b"Invalid argument(s)"), error=True)
        if not raw:
            return Outcome(line)
        args = [a.decode("utf-8", "surrogateescape") for a in raw]
        self.typed.append([a.upper() for a in args])
        shim = self._lab_stand_in(args)
        if shim is not None:
            return shim
        if args[0].upper() in TAKES_OVER:
            return Outcome(
                line,
                args,
                Error(b"ERR the tutor does not run " + args[0].upper().encode()),
                note="it turns the connection into a stream; try it in 'redis-lab cli' "
                "in another terminal (the tutor printed the server's address)",
                error=True,
            )
        wire = args
        if self.sandbox is not None:
            try:
                wire = self.sandbox.rewrite(args)
            except SandboxRefused as exc:
                return Outcome(line, args, Error(str(exc).encode()), error=True)
        reply = self.link.learner.execute(*[w.encode("utf-8", "surrogateescape") for w in wire])
        if self.sandbox is not None:
            reply = self.sandbox.reply(args, reply)
        if args[0].upper() == "SELECT" and not isinstance(reply, Error):
            self.link.probe.execute("SELECT", args[1])
        return Outcome(line, args, reply, error=isinstance(reply, Error))

    def _lab_stand_in(self, args: list[str]) -> Outcome | None:
        """``LAB CLOCK`` on a server without LAB: say so, and wait for real if asked."""
        if self.link.has_lab or args[0].upper() != "LAB":
            return None
        line = " ".join(args)
        sub = [a.upper() for a in args[1:3]]
        if sub[:2] == ["CLOCK", "ADVANCE"] and len(args) == 4 and args[3].isdigit():
            ms = int(args[3])
            if ms > MAX_REAL_WAIT_MS:
                return Outcome(
                    line,
                    args,
                    Error(b"ERR this server has no LAB clock, and waiting that long is no fun"),
                    note="use a shorter TTL, or the embedded lab server (redis-lab learn without --url)",
                    error=True,
                )
            time.sleep(ms / 1000)
            note = f"this server has no LAB clock: waited {ms} ms of real time instead"
            return Outcome(line, args, Status(b"OK"), note=note)
        if sub[:1] == ["CLOCK"]:
            note = "this server has no LAB clock: time runs at its own pace here"
            return Outcome(line, args, Status(b"OK"), note=note)
        return Outcome(
            line,
            args,
            Error(b"ERR this server has no LAB command (it is not the redis-lab server)"),
            note="checks that need LAB are skipped on this server",
            error=True,
        )

    # -- checks, hints, solutions ---------------------------------------------------------------

    def check(self) -> StepReport:
        """Run the step's checks; a pass is recorded in the progress store."""
        probe = _StepProbe(self)
        probe.info_now = self.read_info()
        results = [c.run(probe) for c in self.step.checks]
        after = info_numbers(self.read_info())
        before = info_numbers(probe.info_now)
        for k, v in after.items():
            if k in before and k.startswith(NOISY_PREFIXES):
                self._noise[k] = self._noise.get(k, 0.0) + (v - before[k])
        report = StepReport(self.step, results)
        if report.passed and self.progress is not None:
            self.progress.pass_step(self.lesson.id, self.step.slug, self.hints_shown)
        return report

    def next_hint(self) -> str | None:
        """Reveal the next hint, or None when all are shown."""
        if self.hints_shown >= len(self.step.hints):
            return None
        self.hints_shown += 1
        if self.progress is not None:
            self.progress.hint_used(self.lesson.id, self.step.slug, self.hints_shown)
        return self.step.hints[self.hints_shown - 1]

    def solve(self) -> list[Outcome]:
        """Run the step's reference solution as if typed."""
        return [self.execute(line) for line in self.step.solution]

    def finish(self) -> None:
        if self.progress is not None:
            checked = {s.slug for s in self.lesson.checked_steps}
            if checked <= self.progress.passed_steps(self.lesson.id):
                self.progress.complete(self.lesson.id)

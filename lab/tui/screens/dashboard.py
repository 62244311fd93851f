"""The Dashboard: the server's vital signs, the learner's part of them, every second.

One poller connection, named ``redis-lab:poller``, reads ``INFO`` and
``CLIENT LIST`` once a second while the screen is showing. What the lab does
itself is taken out of what it shows:

* **commands** — ops/sec is the rise of INFO's ``total_commands_processed``
  between two polls minus the commands this process's lab connections sent in
  between (every call, every pipelined command, the polls themselves), tallied
  as the server counts them (:class:`lab.client.LabTraffic`; a rejected command,
  an unknown one for instance, is not counted by Redis, so not by us either).
  The tally is read while none of the lab's commands is in flight, so it lines
  up exactly with the INFO it is subtracted from. ``instantaneous_ops_per_sec``
  is not used: it counts the lab too.
* **hits and misses** — the lab's reads that are keyspace lookups (TYPE,
  OBJECT, PTTL, DUMP ... from the explorer and, on a real Redis, the
  inspector) are tallied by their replies and taken out the same way.
* **clients** — connections named ``redis-lab:*`` (``CLIENT SETNAME``) are the
  lab's; they are listed by name, and not counted.

What the learner types in the console (and the eviction screen's fill) is the
learner's activity: it counts. The console's *connection* is still the lab's.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, ProgressBar, Sparkline, Static
from textual.worker import get_current_worker

from lab.client import LabClient, LabError, Traffic, info_numbers, parse_client_list

HISTORY = 60  # seconds of sparkline
LAB_PREFIX = "redis-lab:"
POLLER_NAME = "redis-lab:poller"
MAX_LEARNER_ROWS = 6

# What each of the lab's connections is, for the learner.
LAB_ROLES = {
    "redis-lab:tui": "the app: explorer, inspector, LAB calls",
    "redis-lab:poller": "this dashboard's (and Eviction's) once-a-second poll",
    "redis-lab:events": "subscribed to __lab__:events",
    "redis-lab:console": "the console (what you type there counts as yours)",
    "redis-lab:fill": "Eviction's fill (its SETs count as yours)",
    "redis-lab:python": "a notebook or Python session (another process)",
}


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def is_lab(client: dict[str, str]) -> bool:
    return client.get("name", "").startswith(LAB_PREFIX)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}{'es' if word.endswith('s') else 's'}"


@dataclass
class Figures:
    """The learner's side of one poll, and the running totals since the first."""

    ops_per_sec: float = 0.0  # the learner's, over the last interval
    interval_commands: int = 0
    commands: int = 0  # the learner's since the dashboard's first poll
    hits: int = 0
    misses: int = 0
    lab_commands: int = 0  # the lab's own, taken out (since the first poll)
    lab_hits: int = 0
    lab_misses: int = 0
    lab_by_name: dict[str, int] = field(default_factory=dict)
    polls: int = 0  # polls that lined up (the tally was exact)
    skipped: int = 0  # polls where the lab's traffic did not quiet down in time
    resets: int = 0  # the server's counters went back (restart, CONFIG RESETSTAT)

    @property
    def hit_ratio(self) -> float | None:
        total = self.hits + self.misses
        return self.hits / total if total else None


class LearnerMeter:
    """Turns successive (INFO, lab tally, time) samples into the learner's figures.

    Pure arithmetic, no I/O: the poller feeds it, the screen draws
    :attr:`figures`. Totals are exact counts; only ``ops_per_sec`` divides by
    the time between polls.
    """

    def __init__(self) -> None:
        self.figures = Figures()
        self._prev: tuple[float, float, float, Traffic, float] | None = None
        self._base_lab: Traffic | None = None

    def update(self, info: dict[str, str], lab: Traffic | None, at: float) -> Figures:
        f = self.figures
        if lab is None:  # the tally would not line up with this INFO: wait for the next
            f.skipped += 1
            return f
        num = info_numbers(info)
        total = num.get("total_commands_processed", 0.0)
        hits = num.get("keyspace_hits", 0.0)
        misses = num.get("keyspace_misses", 0.0)
        prev = self._prev
        self._prev = (total, hits, misses, lab, at)
        if self._base_lab is None:
            self._base_lab = lab
        f.polls += 1
        if prev is None:
            return f
        p_total, p_hits, p_misses, p_lab, p_at = prev
        if total < p_total or hits < p_hits or misses < p_misses:
            f.resets += 1  # a restart or CONFIG RESETSTAT: start over from here
            f.ops_per_sec, f.interval_commands = 0.0, 0
            return f
        commands = int(total - p_total) - (lab.commands - p_lab.commands)
        f.interval_commands = max(0, commands)
        f.commands += f.interval_commands
        f.hits += max(0, int(hits - p_hits) - (lab.hits - p_lab.hits))
        f.misses += max(0, int(misses - p_misses) - (lab.misses - p_lab.misses))
        base = self._base_lab
        f.lab_commands = lab.commands - base.commands
        f.lab_hits = lab.hits - base.hits
        f.lab_misses = lab.misses - base.misses
        f.lab_by_name = {
            name: n - base.by_name.get(name, 0)
            for name, n in sorted(lab.by_name.items())
            if n - base.by_name.get(name, 0)
        }
        elapsed = at - p_at
        f.ops_per_sec = f.interval_commands / elapsed if elapsed > 0 else 0.0
        return f


class Vital(Vertical):
    """A titled number with a sparkline of its last minute."""

    def __init__(self, title: str, id: str) -> None:
        super().__init__(id=id, classes="vital")
        self.title = title
        self.history: deque[float] = deque([0.0] * HISTORY, maxlen=HISTORY)

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="vital-title")
        yield Static("…", classes="vital-value")
        yield Sparkline(list(self.history), summary_function=max)

    def push(self, value: float, text: str) -> None:
        self.history.append(value)
        self.query_one(".vital-value", Static).update(text)
        self.query_one(Sparkline).data = list(self.history)

    @property
    def text(self) -> str:
        return str(self.query_one(".vital-value", Static).render())


class DashboardScreen(Screen):
    BINDINGS = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
    ]
    DEFAULT_CSS = """
    DashboardScreen #dashboard-lower { height: auto; }
    DashboardScreen #counters { width: 1fr; }
    DashboardScreen #connections { width: 1fr; height: auto; padding: 1 1; }
    DashboardScreen #lab-note { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.poller: LabClient | None = None
        self.meter = LearnerMeter()
        self.clients: list[dict[str, str]] = []
        self.learner_clients = 0
        self.lab_connections = 0
        self._base_counters: dict[str, float] = {}

    @property
    def figures(self) -> Figures:
        return self.meter.figures

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="vitals"):
            yield Vital("ops/sec — yours, not the lab's", id="ops")
            yield Vital("keyspace hit ratio — your reads", id="hits")
            yield Vital("used memory", id="memory")
            yield Vital("clients — not counting the lab's", id="clients")
        with Vertical(id="memory-gauge"):
            yield Label("used_memory / maxmemory", id="gauge-label")
            yield ProgressBar(total=100, show_eta=False, id="gauge")
        with Horizontal(id="dashboard-lower"):
            yield Static(id="counters")
            yield Static(id="connections")
        yield Static(id="lab-note")
        yield Footer()

    def on_mount(self) -> None:
        self._poll()

    @work(thread=True, exclusive=True, group="dashboard")
    def _poll(self) -> None:
        worker = get_current_worker()
        try:
            self.poller = self.app.lab.clone(POLLER_NAME)
        except (OSError, LabError, ConnectionError) as exc:
            self.app.call_from_thread(self.notify, f"dashboard: {exc}", severity="error")
            return
        try:
            while not worker.is_cancelled:
                if not self.is_current:  # another screen is showing: no polling, no noise
                    time.sleep(0.2)
                    continue
                try:
                    info, lab = self.poller.info_and_traffic("everything")
                    at = time.monotonic()
                    clients = str(self.poller.call("CLIENT", "LIST"))
                except (OSError, LabError, ConnectionError):
                    break
                self.app.call_from_thread(self._show, info, lab, at, clients)
                for _ in range(10):
                    if worker.is_cancelled:
                        break
                    time.sleep(0.1)
        finally:
            self.poller.close()

    def _show(self, info: dict[str, str], lab: Traffic | None, at: float, clients: str) -> None:
        f = self.meter.update(info, lab, at)
        num = info_numbers(info)
        for name in ("expired_keys", "evicted_keys"):
            self._base_counters.setdefault(name, num.get(name, 0.0))

        self.query_one("#ops", Vital).push(
            f.ops_per_sec, f"{f.ops_per_sec:.0f}  · {f.commands} commands since opened"
        )
        ratio = f.hit_ratio
        self.query_one("#hits", Vital).push(
            (ratio or 0.0) * 100,
            ("—" if ratio is None else f"{ratio:.1%}")
            + f"  · {_plural(f.hits, 'hit')}, {_plural(f.misses, 'miss')}",
        )
        used = num.get("used_memory", 0.0)
        self.query_one("#memory", Vital).push(used, human(used))

        self.clients = [c for c in parse_client_list(clients) if "S" not in c.get("flags", "")]
        lab_conns = [c for c in self.clients if is_lab(c)]
        learners = [c for c in self.clients if not is_lab(c)]
        self.lab_connections, self.learner_clients = len(lab_conns), len(learners)
        self.query_one("#clients", Vital).push(
            len(learners), f"{_plural(len(learners), 'client')}  (+{len(lab_conns)} lab)"
        )

        self._gauge(info, num, used)
        self._counters(info, num)
        self._connections(lab_conns, learners)
        self._note(f, num)

    def _gauge(self, info: dict[str, str], num: dict[str, float], used: float) -> None:
        maxmemory = num.get("maxmemory", 0.0)
        gauge = self.query_one("#gauge", ProgressBar)
        label = self.query_one("#gauge-label", Label)
        if maxmemory:
            gauge.update(total=maxmemory, progress=min(used, maxmemory))
            label.update(
                f"used_memory {human(used)} of maxmemory {human(maxmemory)} "
                f"({info.get('maxmemory_policy', '?')})"
            )
        else:
            gauge.update(total=100, progress=0)
            label.update(f"used_memory {human(used)} · maxmemory 0 (no limit)")

    def _counters(self, info: dict[str, str], num: dict[str, float]) -> None:
        table = Table(box=None, expand=False, pad_edge=False)
        for col in ("db", "keys", "expires", "avg_ttl"):
            table.add_column(col, justify="right")
        for name, value in sorted(info.items()):
            if name.startswith("db") and name[2:].isdigit():
                fields = dict(p.split("=", 1) for p in value.split(",") if "=" in p)
                table.add_row(
                    name,
                    fields.get("keys", "0"),
                    fields.get("expires", "0"),
                    fields.get("avg_ttl", "0"),
                )
        counters = Text()
        for name in ("expired_keys", "evicted_keys"):
            value = int(num.get(name, 0))
            counters.append(f"{name} ", style="dim")
            counters.append(f"{value}", style="bold")
            since = value - int(self._base_counters.get(name, value))
            counters.append(f" (+{since} since opened)\n", style="dim")
        for name in ("total_connections_received", "rejected_connections"):
            counters.append(f"{name} ", style="dim")
            counters.append(f"{int(num.get(name, 0))}\n", style="bold")
        counters.append(
            f"server {info.get('redis_version', '?')} · uptime {info.get('uptime_in_seconds', '?')} s",
            style="dim",
        )
        self.query_one("#counters", Static).update(Group(table, Text(), counters))

    def _connections(self, lab_conns: list[dict[str, str]], learners: list[dict[str, str]]) -> None:
        text = Text()
        text.append("your connections\n", style="bold")
        if not learners:
            port = self.app.lab.address.port if self.app.lab is not None else "<port>"
            text.append(f"  none yet: try redis-cli -p {port}\n", style="dim")
        for c in learners[:MAX_LEARNER_ROWS]:
            text.append(f"  #{c['id']} ", style="dim")
            text.append(c.get("name") or c.get("addr", "?"), style="bold")
            text.append(f"  last {c.get('cmd', '?')}, idle {c.get('idle', '?')} s\n", style="dim")
        if len(learners) > MAX_LEARNER_ROWS:
            text.append(f"  … and {len(learners) - MAX_LEARNER_ROWS} more\n", style="dim")
        text.append("the lab's own (named redis-lab:*, not counted)\n", style="bold")
        for c in lab_conns:
            name = c["name"]
            text.append(f"  #{c['id']} ", style="dim")
            text.append(name, style="bold cyan")
            text.append(f"  {LAB_ROLES.get(name, 'another redis-lab')}\n", style="dim")
        self.query_one("#connections", Static).update(text)

    def _note(self, f: Figures, num: dict[str, float]) -> None:
        text = Text("Taken out since this screen opened: the lab's ", style="dim")
        text.append(f"{f.lab_commands} commands", style="bold")
        if f.lab_by_name:
            text.append(
                " ("
                + ", ".join(f"{n.removeprefix(LAB_PREFIX)} {c}" for n, c in f.lab_by_name.items())
                + ")"
            )
        text.append(f", {f.lab_hits} hits and {f.lab_misses} misses of its reads. ")
        text.append(
            f"Server totals: {int(num.get('total_commands_processed', 0))} commands, "
            f"{int(num.get('keyspace_hits', 0))} hits, {int(num.get('keyspace_misses', 0))} misses."
        )
        if f.skipped:
            text.append(f" ({f.skipped} polls skipped: the lab was busy)")
        self.query_one("#lab-note", Static).update(text)

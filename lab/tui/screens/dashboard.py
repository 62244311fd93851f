"""The Dashboard: the server's vital signs, refreshed every second.

One poller connection, named ``redis-lab:poller``, reads ``INFO`` and
``CLIENT LIST`` once a second. What the lab itself does is taken out where
Redis lets us: its own connections (every ``redis-lab:*`` client name) are
not counted as clients, and its commands (two per poll) are subtracted from
the ops/sec it shows. Keyspace hits and misses are the learner's only, since
the poller reads no keys.
"""

from __future__ import annotations

import time
from collections import deque

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, ProgressBar, Sparkline, Static
from textual.worker import get_current_worker

from lab.client import LabClient, LabError, parse_info

HISTORY = 60  # seconds of sparkline
POLLER_COMMANDS = 2  # INFO + CLIENT LIST per tick


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def lab_clients(client_list: str) -> int:
    return sum(1 for line in client_list.splitlines() if " name=redis-lab:" in f" {line}")


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


class DashboardScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.poller: LabClient | None = None
        self.last: dict[str, float] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="vitals"):
            yield Vital("ops/sec (without the lab's own)", id="ops")
            yield Vital("hit ratio", id="hits")
            yield Vital("used memory", id="memory")
            yield Vital("clients (without the lab's)", id="clients")
        with Vertical(id="memory-gauge"):
            yield Label("used_memory / maxmemory", id="gauge-label")
            yield ProgressBar(total=100, show_eta=False, id="gauge")
        yield Static(id="counters")
        yield Footer()

    def on_mount(self) -> None:
        self._poll()

    @work(thread=True, exclusive=True, group="dashboard")
    def _poll(self) -> None:
        worker = get_current_worker()
        try:
            self.poller = self.app.lab.clone("redis-lab:poller")
        except (OSError, LabError) as exc:
            self.app.call_from_thread(self.notify, f"dashboard: {exc}", severity="error")
            return
        try:
            while not worker.is_cancelled:
                if not self.is_current:  # another screen is showing: no polling, no noise
                    time.sleep(0.2)
                    continue
                try:
                    info = parse_info(str(self.poller.call("INFO", "everything")))
                    clients = str(self.poller.call("CLIENT", "LIST"))
                except (OSError, LabError, ConnectionError):
                    break
                self.app.call_from_thread(self._show, info, lab_clients(clients))
                for _ in range(10):
                    if worker.is_cancelled:
                        break
                    time.sleep(0.1)
        finally:
            self.poller.close()

    def _show(self, info: dict[str, str], own_clients: int) -> None:
        num = _numbers(info)
        processed = num.get("total_commands_processed", 0.0)
        ops = max(0.0, processed - self.last.get("processed", processed) - POLLER_COMMANDS)
        self.last["processed"] = processed
        self.query_one("#ops", Vital).push(ops, f"{ops:.0f}")
        hits, misses = num.get("keyspace_hits", 0.0), num.get("keyspace_misses", 0.0)
        ratio = hits / (hits + misses) if hits + misses else 0.0
        self.query_one("#hits", Vital).push(
            ratio * 100, f"{ratio:.1%}  ({hits:.0f} hits, {misses:.0f} misses)"
        )
        used = num.get("used_memory", 0.0)
        self.query_one("#memory", Vital).push(used, human(used))
        connected = max(0, int(num.get("connected_clients", 0)) - own_clients)
        self.query_one("#clients", Vital).push(
            connected, f"{connected}  (+{own_clients} lab connections)"
        )
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
        for name in (
            "expired_keys",
            "evicted_keys",
            "total_connections_received",
            "rejected_connections",
        ):
            counters.append(f"{name} ", style="dim")
            counters.append(f"{int(num.get(name, 0))}   ", style="bold")
        counters.append(
            f"\nserver {info.get('redis_version', '?')} · uptime {info.get('uptime_in_seconds', '?')} s",
            style="dim",
        )
        grid = Table.grid(padding=(0, 4))
        grid.add_row(table, counters)
        self.query_one("#counters", Static).update(grid)


def _numbers(info: dict[str, str]) -> dict[str, float]:
    out = {}
    for k, v in info.items():
        try:
            out[k] = float(v)
        except ValueError:
            pass
    return out

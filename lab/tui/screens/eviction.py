"""The Eviction screen: maxmemory, the policy, the eviction pool, evictions.

Reads ``LAB MEMORY`` once a second (on other servers: INFO memory and
CONFIG, and says that the pool is not visible). The policy and maxmemory
can be changed here (``CONFIG SET``); *fill* loads generated keys with a
progress bar, so evictions can be watched as they happen: the pool's
candidates with their idle time or LFU frequency, and the evict events.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, ProgressBar, RichLog, Select, Static
from textual.worker import get_current_worker

from lab.client import LabClient, LabError
from lab.repl.resp import Error

from .dashboard import human

POLICIES = [
    "noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
    "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
]  # fmt: skip
FILL_BATCH = 100


class EvictionScreen(Screen):
    BINDINGS = [
        Binding("ctrl+g", "fill", "Fill"),
        Binding("ctrl+f", "focus_maxmemory", "maxmemory"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.poller: LabClient | None = None
        self._seen_id = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="eviction-bar"):
            yield Select([(p, p) for p in POLICIES], prompt="maxmemory-policy", id="policy")
            yield Input(placeholder="maxmemory, e.g. 2mb (Enter)", id="maxmemory")
            yield Input(placeholder="fill: keys [bytes each], e.g. 5000 200 (Enter)", id="fill")
        yield ProgressBar(total=1, show_eta=False, id="fill-progress")
        with Horizontal(id="eviction-body"):
            with Vertical():
                yield Static("", id="memory-summary")
                yield DataTable(id="pool", zebra_stripes=True)
            yield RichLog(id="evictions", max_lines=500)
        yield Footer()

    def on_mount(self) -> None:
        pool = self.query_one("#pool", DataTable)
        pool.add_columns("#", "key", "idle / freq", "score", "db")
        self.watch(self.app, "event_count", self._events, init=False)
        self._seen_id = max((int(e.get("id", 0)) for e in self.app.events), default=0)
        self.query_one("#evictions", RichLog).write(Text("evictions appear here", style="dim"))
        self._poll()

    @work(thread=True, exclusive=True, group="eviction")
    def _poll(self) -> None:
        worker = get_current_worker()
        self.poller = self.app.lab.clone("redis-lab:poller")
        try:
            while not worker.is_cancelled:
                if not self.is_current:  # another screen is showing: no polling, no noise
                    time.sleep(0.2)
                    continue
                try:
                    report = self.poller.memory()
                except (OSError, LabError, ConnectionError):
                    break
                self.app.call_from_thread(self._show, report)
                for _ in range(10):
                    if worker.is_cancelled:
                        break
                    time.sleep(0.1)
        finally:
            self.poller.close()

    def _show(self, m: dict) -> None:
        used, limit = int(m.get("used_memory", 0)), int(m.get("maxmemory", 0))
        text = Text()
        text.append("used_memory ", style="dim")
        text.append(human(used), style="bold")
        text.append("  maxmemory ", style="dim")
        text.append(human(limit) if limit else "0 (no limit)", style="bold")
        text.append("  policy ", style="dim")
        text.append(str(m.get("maxmemory_policy")), style="bold magenta")
        text.append("  samples ", style="dim")
        text.append(str(m.get("maxmemory_samples")), style="bold")
        text.append("\nevicted_keys ", style="dim")
        text.append(str(m.get("evicted_keys", 0)), style="bold red")
        if "over_by" in m:
            text.append("  over_by ", style="dim")
            text.append(human(int(m.get("over_by") or 0)), style="bold")
        if "eviction_cycles" in m:
            text.append("  cycles ", style="dim")
            text.append(str(m.get("eviction_cycles")), style="bold")
        if "lru_clock" in m:
            text.append("  lru_clock ", style="dim")
            text.append(str(m.get("lru_clock")), style="bold")
        if m.get("not_visible"):
            text.append(f"\n{m['not_visible']}", style="italic yellow")
        else:
            text.append(
                "\nthe pool: the best eviction candidates from the samples so far "
                "(highest idle time, or lowest frequency, evicted first)",
                style="dim",
            )
        self.query_one("#memory-summary", Static).update(text)
        pool = self.query_one("#pool", DataTable)
        pool.clear()
        for i, entry in enumerate(m.get("pool") or []):
            if not isinstance(entry, dict):
                continue
            idle = entry.get("idle", entry.get("idle_ms", entry.get("idle_seconds")))
            freq = entry.get("freq", entry.get("lfu_freq"))
            pool.add_row(
                str(i),
                str(entry.get("key", "")),
                f"freq {freq}" if freq is not None and idle is None else f"idle {idle}",
                str(entry.get("score", entry.get("idle", ""))),
                str(entry.get("db", "")),
            )
        policy = self.query_one("#policy", Select)
        if m.get("maxmemory_policy") in POLICIES and policy.value != m.get("maxmemory_policy"):
            with policy.prevent(Select.Changed):
                policy.value = m["maxmemory_policy"]

    def _events(self, _count: int) -> None:
        log = self.query_one("#evictions", RichLog)
        for event in list(self.app.events):
            ident = int(event.get("id", 0) or 0)
            if ident <= self._seen_id:
                continue
            self._seen_id = ident
            if "evict" in str(event.get("type", "")):
                why = {k: event[k] for k in ("idle_ms", "freq", "lfu_freq", "ttl_ms") if k in event}
                line = Text(f"{ident} ", style="dim")
                line.append(str(event.get("key")), style="bold red")
                line.append(" " + " ".join(f"{k}={v}" for k, v in why.items()), style="dim")
                log.write(line)

    # -- changing things --

    @on(Select.Changed, "#policy")
    def _policy(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._config("maxmemory-policy", event.value)

    @on(Input.Submitted, "#maxmemory")
    def _maxmemory(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._config("maxmemory", event.value.strip())

    @work(thread=True)
    def _config(self, name: str, value: str) -> None:
        try:
            self.app.lab.call("CONFIG", "SET", name, value)
            self.app.call_from_thread(self.notify, f"CONFIG SET {name} {value}")
        except (LabError, OSError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")

    @on(Input.Submitted, "#fill")
    def _fill_submitted(self, event: Input.Submitted) -> None:
        parts = event.value.split()
        try:
            count = int(parts[0]) if parts else 1000
            size = int(parts[1]) if len(parts) > 1 else 100
        except ValueError:
            self.notify("fill: keys [bytes each], two numbers", severity="error")
            return
        self.fill(count, size)

    def action_fill(self) -> None:
        self.fill(1000, 100)

    def action_focus_maxmemory(self) -> None:
        self.query_one("#maxmemory", Input).focus()

    @work(thread=True, exclusive=True, group="fill")
    def fill(self, count: int, size: int) -> None:
        """SET fill:<n> to ``size`` generated bytes, ``count`` times, in pipelines."""
        worker = get_current_worker()
        bar = self.query_one("#fill-progress", ProgressBar)
        self.app.call_from_thread(bar.update, total=count, progress=0)
        conn = self.app.lab.clone("redis-lab:fill")
        errors = 0
        try:
            stamp = int(time.time())
            for start in range(0, count, FILL_BATCH):
                if worker.is_cancelled:
                    break
                n = min(FILL_BATCH, count - start)
                commands = [
                    ("SET", f"fill:{stamp}:{i}", (f"{i}:" * size)[:size])
                    for i in range(start, start + n)
                ]
                replies = conn.pipeline(commands)
                errors += sum(1 for r in replies if isinstance(r, Error))
                self.app.call_from_thread(bar.advance, n)
        finally:
            conn.close()
        note = f"filled {count} keys of {size} bytes" + (
            f" ({errors} refused: OOM)" if errors else ""
        )
        self.app.call_from_thread(self.notify, note)

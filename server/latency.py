"""The latency monitor: spikes per event class, and per-command histograms (latency.c).

With ``latency-monitor-threshold`` set to N milliseconds, every *event* that
takes N ms or more is recorded in that event's time series: ``command`` and
``fast-command`` (a command's run time, split by its ``fast`` flag),
``expire-cycle`` (one run of the active expire cycle), ``eviction-cycle``
(one performEvictions run) and ``eviction-del`` (deleting one evicted key).
0 (the default) turns the monitor off.

Each series holds the last ``LATENCY_TS_LEN`` = 160 samples, at most one
per second: a second spike in the same second only raises that second's
value. The series also remembers its all-time maximum. ``LATENCY LATEST``,
``HISTORY``, ``GRAPH`` and ``DOCTOR`` read them; ``RESET`` forgets them.

``LATENCY HISTOGRAM`` is different: it reads the per-command duration
histograms that ``call()`` keeps for every command while
``latency-tracking`` is on (:class:`server.stats.LatencyHistogram`) and
answers, like Redis 7.0, with cumulative counts at power-of-two
microsecond boundaries (1, 2, 4, 8, 16, 33, 66 ... us: the upper edges of
an HDR histogram's buckets at 2 significant digits).

Sample times are the server clock's seconds (``LAB CLOCK``); durations are
measured with a monotonic counter, because they describe real work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .protocol.replies import Map

if TYPE_CHECKING:
    from .server import Server

LATENCY_TS_LEN = 160
LATENCY_GRAPH_COLS = 80


class TimeSeries:
    """latencyTimeSeries: a ring of (unix seconds, ms) samples and the all-time max."""

    __slots__ = ("idx", "max", "samples")

    def __init__(self) -> None:
        self.idx = 0
        self.max = 0
        self.samples: list[tuple[int, int]] = [(0, 0)] * LATENCY_TS_LEN

    def add(self, now: int, latency: int) -> None:
        """latencyAddSample."""
        if latency > self.max:
            self.max = latency
        prev = (self.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN
        t, v = self.samples[prev]
        if t == now:
            if latency > v:
                self.samples[prev] = (t, latency)
            return
        self.samples[self.idx] = (now, latency)
        self.idx = (self.idx + 1) % LATENCY_TS_LEN

    def latest(self) -> tuple[int, int]:
        return self.samples[(self.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]

    def ordered(self) -> list[tuple[int, int]]:
        """The samples oldest first, empty slots left out."""
        out = []
        for j in range(LATENCY_TS_LEN):
            t, v = self.samples[(self.idx + j) % LATENCY_TS_LEN]
            if t:
                out.append((t, v))
        return out


class LatencyMonitor:
    def __init__(self, server: Server) -> None:
        self.server = server
        self.events: dict[str, TimeSeries] = {}

    def add_sample_if_needed(self, event: str, ms: int) -> None:
        """latencyAddSampleIfNeeded: record when the monitor is on and ms >= threshold."""
        threshold = self.server.config.latency_monitor_threshold
        if threshold and ms >= threshold:
            self.add_sample(event, ms)

    def add_sample(self, event: str, ms: int) -> None:
        ts = self.events.get(event)
        if ts is None:
            ts = self.events[event] = TimeSeries()
        ts.add(self.server.clock.seconds(), ms)

    def reset(self, events: list[str] | None = None) -> int:
        """LATENCY RESET: how many event series were dropped."""
        if not events:
            n = len(self.events)
            self.events.clear()
            return n
        n = 0
        for name in events:
            if self.events.pop(name, None) is not None:
                n += 1
        return n

    # -- replies -------------------------------------------------------------------------------

    def latest(self) -> list[list]:
        out = []
        for name, ts in self.events.items():
            t, v = ts.latest()
            out.append([name.encode(), t, v, ts.max])
        return out

    def history(self, event: str) -> list[list[int]]:
        ts = self.events.get(event)
        if ts is None:
            return []
        return [[t, v] for t, v in ts.ordered()]

    def graph(self, event: str) -> str | None:
        """latencyCommandGenSparkeline: a header line, a rule and the sparkline."""
        ts = self.events.get(event)
        if ts is None:
            return None
        now = self.server.clock.seconds()
        values: list[int] = []
        labels: list[str] = []
        for t, v in ts.ordered():
            values.append(v)
            labels.append(_ago(now - t))
        lo = min(values) if values else 0
        hi = max(values) if values else 0
        out = f"{event} - high {hi} ms, low {lo} ms (all time high {ts.max} ms)\n"
        out += "-" * LATENCY_GRAPH_COLS + "\n"
        out += sparkline(values, labels, LATENCY_GRAPH_COLS, 4)
        return out

    def doctor(self) -> str:
        """LATENCY DOCTOR: our own reading of the series (not Redis's text)."""
        server = self.server
        threshold = server.config.latency_monitor_threshold
        if not self.events:
            if not threshold:
                return (
                    "The latency monitor is off (latency-monitor-threshold is 0), so there is "
                    "nothing to analyse. Turn it on with CONFIG SET latency-monitor-threshold "
                    "<milliseconds>, for example 10, and ask again after some work.\n"
                )
            return (
                f"No event has taken {threshold} ms or more since the monitor was turned on "
                "or last reset. Nothing to report.\n"
            )
        lines = ["Latency report (events that took at least %d ms):" % threshold, ""]
        for i, (name, ts) in enumerate(self.events.items(), 1):
            samples = ts.ordered()
            vals = [v for _, v in samples]
            avg = sum(vals) / len(vals) if vals else 0
            first = samples[0][0] if samples else 0
            period = (samples[-1][0] - first) if len(samples) > 1 else 0
            lines.append(
                f"{i}. {name}: {len(vals)} latency spikes (average {avg:.0f} ms, "
                f"worst {ts.max} ms) over {period} seconds."
            )
            lines.append("   " + _ADVICE.get(name, "No specific advice for this event."))
        lines.append("")
        lines.append(
            "The reference server is written in Python: expect every figure to be tens of "
            "times a C Redis's. Compare events with each other, not with Redis's numbers."
        )
        return "\n".join(lines) + "\n"

    def histogram_reply(self, names: list[bytes] | None) -> Map:
        """LATENCY HISTOGRAM [command ...]: calls and cumulative buckets per command."""
        server = self.server
        out = []
        if names is None:
            for top in server.commands.values():
                for cmd in top.all_commands():
                    if cmd.histogram is not None and cmd.histogram.count:
                        out.append((cmd.fullname.encode(), command_cdf(cmd.histogram)))
        else:
            for name in names:
                cmd = _lookup(server, name)
                if cmd is None:
                    continue
                if cmd.histogram is not None and cmd.histogram.count:
                    out.append((cmd.fullname.encode(), command_cdf(cmd.histogram)))
                elif cmd.subcommands:
                    for sub in cmd.subcommands.values():
                        if sub.histogram is not None and sub.histogram.count:
                            out.append((sub.fullname.encode(), command_cdf(sub.histogram)))
        return Map(out)


_ADVICE = {
    "command": "Slow commands: look at SLOWLOG GET for which ones, and prefer O(1) or O(log N) "
    "commands, SCAN instead of KEYS, and smaller ranges.",
    "fast-command": "Commands flagged fast (O(1) or O(log N)) were slow: the whole server was "
    "busy or starved of CPU (other processes, swapping, a big reply to write).",
    "expire-cycle": "The active expire cycle took long: many keys with a TTL expire at the same "
    "time. Spread expire times, or lower active-expire-effort.",
    "eviction-cycle": "Evicting to stay under maxmemory took long: writes arrive faster than "
    "eviction frees memory, or big keys are being evicted. Raise maxmemory or write less.",
    "eviction-del": "Deleting one evicted key took long: a big collection was evicted. Consider "
    "lazyfree-lazy-eviction (when it exists here) or smaller keys.",
}


def _lookup(server, name: bytes):
    """lookupCommandBySds: 'get', or 'config|get' for a subcommand."""
    parts = bytes(name).lower().split(b"|")
    cmd = server.commands.get(parts[0])
    if cmd is None or len(parts) == 1:
        return cmd
    if len(parts) == 2:
        return cmd.subcommands.get(parts[1])
    return None


def _ago(elapsed: int) -> str:
    if elapsed < 60:
        return f"{elapsed}s"
    if elapsed < 3600:
        return f"{elapsed // 60}m"
    if elapsed < 86400:
        return f"{elapsed // 3600}h"
    return f"{elapsed // 86400}d"


def _bucket_lower_ns(key: int) -> int:
    """The smallest duration filed under a LatencyHistogram bucket key."""
    if key < 256:
        return key
    return (key & 0xFF) << ((key >> 8) - 7)


def command_cdf(hist) -> Map:
    """fillCommandCDF: cumulative counts at the log levels 1024 ns * 2**k.

    Redis iterates its HDR histogram (2 significant digits) with a log
    iterator from 1024 ns, base 2, and labels each level with the bucket's
    highest equivalent value in microseconds; a level is listed only when
    the cumulative count grew. Our buckets are narrower than 1/64 of their
    value, so the counts agree with Redis's to within one bucket edge.
    """
    spans = sorted(
        ((_bucket_lower_ns(k), n) for k, n in hist.buckets.items()),
        key=lambda x: x[0],
    )
    total = hist.count
    out = []
    cum = prev = 0
    i = 0
    k = 0
    while cum < total and k < 64:
        level = 1024 << k
        highest = level + (1 << (3 + k)) - 1
        while i < len(spans) and spans[i][0] <= highest:
            cum += spans[i][1]
            i += 1
        if cum > prev:
            out.append((highest // 1000, cum))
        prev = cum
        k += 1
    return Map([(b"calls", total), (b"histogram_usec", Map(out))])


# -- sparklines (in the manner of Redis's sparkline.c) ----------------------------------------

_CHARSET_FILL = "_o#"


def sparkline(values: list[int], labels: list[str], columns: int, rows: int) -> str:
    """Render values as a filled ASCII sparkline of ``rows`` text rows, labels under it."""
    out = ""
    for j in range(0, len(values), columns):
        if j:
            out += "\n"
        out += _render_range(values, labels, rows, j, min(columns, len(values) - j))
    return out


def _render_range(values, labels, rows, offset, length) -> str:
    lo, hi = min(values), max(values)
    relmax = hi - lo or 1
    steps = len(_CHARSET_FILL) * rows
    has_labels = any(labels)
    out = []
    row = 0
    while True:
        chars = [" "] * length
        more = False
        for j in range(length):
            v = values[offset + j]
            step = int((v - lo) * steps / relmax)
            step = max(0, min(step, steps - 1))
            if row < rows:
                more = True
                idx = step - (rows - row - 1) * len(_CHARSET_FILL)
                if 0 <= idx < len(_CHARSET_FILL):
                    chars[j] = _CHARSET_FILL[idx]
                elif idx >= len(_CHARSET_FILL):
                    chars[j] = "|"
            else:
                if has_labels and row - rows < 1:
                    more = True  # one blank row between the graph and its labels
                    break
                label = labels[offset + j]
                pos = row - rows - 1
                if len(label) > pos:
                    more = True
                    chars[j] = label[pos]
        if not more:
            break
        out.append("".join(chars) + "\n")
        row += 1
    return "".join(out)

"""Server statistics: the counters behind ``INFO stats`` and ``INFO errorstats``."""

from __future__ import annotations

from collections import deque


class Stats:
    __slots__ = (
        "total_connections_received",
        "total_commands_processed",
        "net_input_bytes",
        "net_output_bytes",
        "rejected_connections",
        "expired_keys",
        "expired_stale_perc",
        "expired_time_cap_reached_count",
        "expire_cycle_time_used",
        "evicted_keys",
        "evicted_clients",
        "keyspace_hits",
        "keyspace_misses",
        "total_error_replies",
        "unexpected_error_replies",
        "total_reads_processed",
        "total_writes_processed",
        "client_qbuf_limit_disconnections",
        "client_outbuf_limit_disconnections",
        "errors",
        "dump_payload_sanitizations",
        "ops_samples",
        "in_samples",
        "out_samples",
        "last_sample_ms",
        "last_sample_ops",
        "last_sample_in",
        "last_sample_out",
    )

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """CONFIG RESETSTAT's part (resetServerStats)."""
        self.total_connections_received = 0
        self.total_commands_processed = 0
        self.net_input_bytes = 0
        self.net_output_bytes = 0
        self.rejected_connections = 0
        self.expired_keys = 0
        self.expired_stale_perc = 0.0
        self.expired_time_cap_reached_count = 0
        self.expire_cycle_time_used = 0
        self.evicted_keys = 0
        self.evicted_clients = 0
        self.keyspace_hits = 0
        self.keyspace_misses = 0
        self.total_error_replies = 0
        self.unexpected_error_replies = 0
        self.total_reads_processed = 0
        self.total_writes_processed = 0
        self.client_qbuf_limit_disconnections = 0
        self.client_outbuf_limit_disconnections = 0
        self.dump_payload_sanitizations = 0
        self.errors: dict[str, int] = {}
        # instantaneous_* metrics: STATS_METRIC_SAMPLES = 16 samples taken every 100 ms
        self.ops_samples: deque[float] = deque([0.0] * 16, maxlen=16)
        self.in_samples: deque[float] = deque([0.0] * 16, maxlen=16)
        self.out_samples: deque[float] = deque([0.0] * 16, maxlen=16)
        self.last_sample_ms = 0
        self.last_sample_ops = 0
        self.last_sample_in = 0
        self.last_sample_out = 0

    def count_error(self, code: str) -> None:
        """afterErrorReply: count by the error's first word (ERR, WRONGTYPE, ...)."""
        self.total_error_replies += 1
        self.errors[code] = self.errors.get(code, 0) + 1

    def sample(self, now_ms: int) -> None:
        """trackInstantaneousMetric for ops/sec and network kbps."""
        if self.last_sample_ms:
            dt = now_ms - self.last_sample_ms
            if dt > 0:
                self.ops_samples.append(
                    (self.total_commands_processed - self.last_sample_ops) * 1000 / dt
                )
                self.in_samples.append((self.net_input_bytes - self.last_sample_in) * 1000 / dt)
                self.out_samples.append((self.net_output_bytes - self.last_sample_out) * 1000 / dt)
        self.last_sample_ms = now_ms
        self.last_sample_ops = self.total_commands_processed
        self.last_sample_in = self.net_input_bytes
        self.last_sample_out = self.net_output_bytes

    @staticmethod
    def mean(samples: deque[float]) -> float:
        return sum(samples) / len(samples)


class LatencyHistogram:
    """Per-command latency percentiles for INFO latencystats.

    Redis keeps an HDR histogram of each command's duration and reports
    percentiles in microseconds. We keep log-linear buckets of the same kind:
    a duration is filed under its bit length and its top 7 bits, so a bucket
    spans under 1/64 (1.6%) of its value, and recording costs a few integer
    operations on the command path.
    """

    __slots__ = ("buckets", "count")

    def __init__(self) -> None:
        self.buckets: dict[int, int] = {}
        self.count = 0

    def record(self, ns: int) -> None:
        b = ns.bit_length()
        key = ((b << 8) | (ns >> (b - 7))) if b > 7 else ns
        buckets = self.buckets
        buckets[key] = buckets.get(key, 0) + 1
        self.count += 1

    @staticmethod
    def _upper_ns(key: int) -> int:
        if key < 256:
            return key
        b, top = key >> 8, key & 0xFF
        return (top + 1) << (b - 7)

    def percentile(self, p: float) -> float:
        """The value (in microseconds) at or below which p percent of samples fall."""
        if not self.count:
            return 0.0
        target = self.count * p / 100
        seen = 0
        keys = sorted(self.buckets, key=self._upper_ns)
        for k in keys:
            seen += self.buckets[k]
            if seen >= target:
                return self._upper_ns(k) / 1000
        return self._upper_ns(keys[-1]) / 1000

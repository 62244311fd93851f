"""Resident memory per key: one million small string keys, ours next to real Redis.

Both servers are loaded with the same mass-insert stream through
``redis-cli --pipe`` (SET key:0000001 val:0000001, ...), and the growth of
each process's resident set size (VmRSS) is divided by the number of keys.
Our figure includes the per-key LRU field and the bucket table that eviction
and SCAN need. Not a test: it prints the figures and the ratio.

    python benchmarks/memory_per_key.py [-n KEYS]
"""

from __future__ import annotations

import argparse
import subprocess
import time

import redis
from _servers import REDIS_CLI, REDIS_SERVER, start_lab_server, start_real_redis


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def mass_insert(n: int) -> bytes:
    parts = []
    for i in range(n):
        k = b"key:%07d" % i
        v = b"val:%07d" % i
        parts.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(k), k, len(v), v))
    return b"".join(parts)


def load(port: int, data: bytes) -> float:
    t = time.perf_counter()
    out = subprocess.run(
        [REDIS_CLI, "-p", str(port), "--pipe"], input=data, capture_output=True, timeout=1800
    )
    if out.returncode != 0:
        raise RuntimeError(out.stdout.decode() + out.stderr.decode())
    return time.perf_counter() - t


def measure(server, data: bytes, n: int) -> tuple[float, float, int]:
    client = redis.Redis(port=server.port)
    client.ping()
    before = rss_bytes(server.proc.pid)
    secs = load(server.port, data)
    assert client.dbsize() == n, client.dbsize()
    after = rss_bytes(server.proc.pid)
    used = int(client.info("memory")["used_memory"])
    client.close()
    return (after - before) / n, secs, used


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1_000_000)
    args = ap.parse_args()
    if REDIS_SERVER is None or REDIS_CLI is None:
        print("needs redis-server and redis-cli")
        return 1
    data = mass_insert(args.n)
    rows = []
    for name, start in (("redis-lab", start_lab_server), ("redis-server", start_real_redis)):
        srv = start()
        try:
            per_key, secs, used = measure(srv, data, args.n)
        finally:
            srv.stop()
        rows.append((name, per_key, secs, used))
    print(f"{'server':14} {'RSS/key':>9} {'load s':>8} {'used_memory':>12}")
    for name, per_key, secs, used in rows:
        print(f"{name:14} {per_key:>9.1f} {secs:>8.1f} {used:>12}")
    print(f"ratio (ours / redis) RSS per key: {rows[0][1] / rows[1][1]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

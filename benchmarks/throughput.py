"""Throughput of our server next to a real redis-server, with redis-benchmark.

Runs SET, GET and INCR with 50 clients, unpipelined (-P 1) and pipelined
(-P 16), against both servers in the same run, and prints each figure and the
ratio ours/real, plus the geometric mean of the ratios per pipeline depth.
Not a test: numbers depend on the machine; the ratios are what we track.

    python benchmarks/throughput.py [-n REQUESTS] [-t set,get,incr]
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess

from _servers import REDIS_BENCHMARK, REDIS_SERVER, start_lab_server, start_real_redis


def bench(port: int, tests: str, n: int, pipeline: int, clients: int = 50) -> dict[str, float]:
    out = subprocess.run(
        [REDIS_BENCHMARK, "-h", "127.0.0.1", "-p", str(port), "-t", tests, "-n", str(n),
         "-P", str(pipeline), "-c", str(clients), "-q", "--csv"],
        capture_output=True, text=True, check=True, timeout=600,
    ).stdout  # fmt: skip
    rps: dict[str, float] = {}
    for line in out.splitlines():
        m = re.match(r'"([A-Z_0-9]+)[^"]*","([0-9.]+)"', line)
        if m:
            rps[m.group(1)] = float(m.group(2))
    return rps


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("-t", default="set,get,incr")
    ap.add_argument("-c", type=int, default=50)
    args = ap.parse_args()
    if REDIS_SERVER is None or REDIS_BENCHMARK is None:
        print("needs redis-server and redis-benchmark (apt-get install redis-server redis-tools)")
        return 1
    ours = start_lab_server()
    real = start_real_redis()
    try:
        print(f"{'test':8} {'pipeline':>8} {'ours rps':>12} {'redis rps':>12} {'ratio':>7}")
        for pipeline in (1, 16):
            n = args.n * (4 if pipeline > 1 else 1)
            a = bench(ours.port, args.t, n, pipeline, args.c)
            b = bench(real.port, args.t, n, pipeline, args.c)
            ratios = []
            for test in b:
                r = a.get(test, 0.0) / b[test]
                ratios.append(r)
                print(f"{test:8} {pipeline:>8} {a.get(test, 0):>12.0f} {b[test]:>12.0f} {r:>7.1%}")
            gm = math.exp(sum(math.log(max(r, 1e-9)) for r in ratios) / len(ratios))
            print(f"{'geomean':8} {pipeline:>8} {'':>12} {'':>12} {gm:>7.1%}")
    finally:
        ours.stop()
        real.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

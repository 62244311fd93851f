"""redis-benchmark's container tests on our server next to a real redis-server.

LPUSH, LRANGE_100 (LRANGE 0 99), HSET and SADD with 50 clients, unpipelined
and with -P 16; prints each throughput and the ratio ours/real.

    python benchmarks/types_throughput.py [-n REQUESTS]
"""

from __future__ import annotations

import argparse

from _servers import REDIS_BENCHMARK, REDIS_SERVER, start_lab_server, start_real_redis
from throughput import bench


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=50_000)
    args = ap.parse_args()
    if REDIS_SERVER is None or REDIS_BENCHMARK is None:
        print("needs redis-server and redis-benchmark")
        return 1
    ours = start_lab_server()
    real = start_real_redis()
    try:
        print(f"{'test':12} {'pipeline':>8} {'ours rps':>12} {'redis rps':>12} {'ratio':>7}")
        for pipeline in (1, 16):
            a = bench(ours.port, "lpush,lrange_100,hset,sadd", args.n, pipeline)
            b = bench(real.port, "lpush,lrange_100,hset,sadd", args.n, pipeline)
            for test in b:
                r = a.get(test, 0.0) / b[test]
                print(f"{test:12} {pipeline:>8} {a.get(test, 0):>12.0f} {b[test]:>12.0f} {r:>7.1%}")
    finally:
        ours.stop()
        real.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

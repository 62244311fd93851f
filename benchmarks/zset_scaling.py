"""Sorted-set operation cost against size: does it grow logarithmically?

For sorted sets of 1e3, 1e5 and 1e6 members, measures the per-operation cost
of ZADD (updating existing members), ZSCORE, ZRANK and ZRANGE (10 members from
the middle), on our server and on a real redis-server in the same run. Each
figure is the wall time of a pipeline of 2000 operations divided by 2000, so
network round trips are amortised and the server's work dominates.

The claim to check: on our server the 1e6 cost stays within 3x the 1e3 cost
(a skiplist with spans: O(log N)), like Redis's.

    python benchmarks/zset_scaling.py [--sizes 1000,100000,1000000]
"""

from __future__ import annotations

import argparse
import random
import time

import redis
from _servers import REDIS_SERVER, start_lab_server, start_real_redis

OPS = 2000


def load(c: redis.Redis, key: str, n: int) -> None:
    c.delete(key)
    batch = 10_000
    for start in range(0, n, batch):
        mapping = {f"member:{i}": i * 1.5 for i in range(start, min(n, start + batch))}
        c.zadd(key, mapping)


def per_op_us(c: redis.Redis, commands: list[tuple]) -> float:
    best = float("inf")
    for _ in range(3):
        p = c.pipeline(transaction=False)
        for cmd in commands:
            p.execute_command(*cmd)
        t = time.perf_counter()
        p.execute()
        best = min(best, (time.perf_counter() - t) / len(commands) * 1e6)
    return best


def measure(c: redis.Redis, n: int, rng: random.Random) -> dict[str, float]:
    key = "z"
    load(c, key, n)
    members = [f"member:{rng.randrange(n)}" for _ in range(OPS)]
    mid = n // 2
    return {
        "ZADD": per_op_us(c, [("ZADD", key, rng.random() * n, m) for m in members]),
        "ZSCORE": per_op_us(c, [("ZSCORE", key, m) for m in members]),
        "ZRANK": per_op_us(c, [("ZRANK", key, m) for m in members]),
        "ZRANGE": per_op_us(c, [("ZRANGE", key, mid, mid + 9)] * OPS),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,100000,1000000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if REDIS_SERVER is None:
        print("needs redis-server")
        return 1
    results: dict[str, dict[int, dict[str, float]]] = {}
    for name, start in (("redis-lab", start_lab_server), ("redis-server", start_real_redis)):
        srv = start()
        try:
            c = redis.Redis(port=srv.port)
            results[name] = {n: measure(c, n, random.Random(n)) for n in sizes}
            encoding = c.object("encoding", "z")
            c.close()
        finally:
            srv.stop()
        print(f"{name}: encoding of the largest set: {encoding!r}")
    ops = ["ZADD", "ZSCORE", "ZRANK", "ZRANGE"]
    print(f"{'op':8} {'size':>9} {'ours us':>9} {'redis us':>9} {'ratio':>6}")
    for op in ops:
        for n in sizes:
            a = results["redis-lab"][n][op]
            b = results["redis-server"][n][op]
            print(f"{op:8} {n:>9} {a:>9.2f} {b:>9.2f} {a / b:>6.1f}")
        growth = results["redis-lab"][sizes[-1]][op] / results["redis-lab"][sizes[0]][op]
        rgrowth = results["redis-server"][sizes[-1]][op] / results["redis-server"][sizes[0]][op]
        print(
            f"{op:8} growth {sizes[0]:.0e} -> {sizes[-1]:.0e}: ours x{growth:.2f}, redis x{rgrowth:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

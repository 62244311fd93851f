"""The memory model next to real Redis: used_memory and MEMORY USAGE per object kind.

Both servers get the same data, one kind at a time (flushed in between):
the growth of ``used_memory`` (client buffers left out: ``used_memory -
mem_clients_normal``) per key, and ``MEMORY USAGE`` of one key of that kind
(``SAMPLES 0``, every element measured). Ours comes from the model in
``server/memory.py``; Redis's from jemalloc's real allocations. Not a test:
it prints a Markdown table (and writes it to benchmarks/results/).

    python benchmarks/memory_compare.py [--scale 1.0]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _servers import REDIS_SERVER, start_lab_server, start_real_redis

RESULTS = Path(__file__).resolve().parent / "results"


def kinds(scale: float):
    """(name, number of keys, a function writing key i through a pipeline)."""
    n_small = max(10, int(10000 * scale))
    n_big = max(1000, int(20000 * scale))

    def strings_embstr(p, i):
        p.set(f"str:{i:06d}", f"value:{i:06d}")

    def strings_int(p, i):
        p.set(f"int:{i:06d}", 1_000_000 + i)

    def strings_raw(p, i):
        p.set(f"raw:{i:06d}", "r" * 200)

    def hash_small(p, i):
        p.hset(f"h:{i:06d}", mapping={f"field{j}": f"value{j}" for j in range(10)})

    def hash_big(p, i):
        for k in range(0, n_big, 1000):
            p.hset(
                "hbig", mapping={f"field:{j}": f"value:{j}" for j in range(k, min(k + 1000, n_big))}
            )

    def set_intset(p, i):
        p.sadd(f"si:{i:06d}", *range(i, i + 20))

    def set_big(p, i):
        for k in range(0, n_big, 1000):
            p.sadd("sbig", *(f"member:{j}" for j in range(k, min(k + 1000, n_big))))

    def zset_small(p, i):
        p.zadd(f"z:{i:06d}", {f"m{j}": j for j in range(10)})

    def zset_big(p, i):
        for k in range(0, n_big, 1000):
            p.zadd("zbig", {f"member:{j}": j for j in range(k, min(k + 1000, n_big))})

    def list_small(p, i):
        p.rpush(f"l:{i:06d}", *(f"item{j}" for j in range(10)))

    def list_big(p, i):
        for k in range(0, n_big * 5, 1000):
            p.rpush("lbig", *(f"item:{j}" for j in range(k, min(k + 1000, n_big * 5))))

    return [
        ("string (embstr)", n_small, strings_embstr, "str:000000"),
        ("string (int)", n_small, strings_int, "int:000000"),
        ("string (raw, 200 B)", n_small, strings_raw, "raw:000000"),
        ("hash, listpack (10 fields)", n_small, hash_small, "h:000000"),
        (f"hash, hashtable ({n_big} fields)", 1, hash_big, "hbig"),
        ("set, intset (20 ints)", n_small, set_intset, "si:000000"),
        (f"set, hashtable ({n_big} members)", 1, set_big, "sbig"),
        ("zset, listpack (10 members)", n_small, zset_small, "z:000000"),
        (f"zset, skiplist ({n_big} members)", 1, zset_big, "zbig"),
        ("list, quicklist (10 items)", n_small, list_small, "l:000000"),
        (f"list, quicklist ({n_big * 5} items)", 1, list_big, "lbig"),
    ]


def used(srv) -> int:
    """used_memory seen from a fresh connection, once the loading one is gone.

    A pipelining client leaves query and reply buffers behind in real Redis
    until its cron trims them; closing it and waiting keeps them out.
    """
    time.sleep(0.3)
    r = srv.client()
    info = r.info("memory")
    r.close()
    return info["used_memory"] - info.get("mem_clients_normal", 0)


def measure(srv, n, fill, sample_key) -> tuple[float, int]:
    r = srv.client()
    r.flushall()
    r.close()
    before = used(srv)
    r = srv.client()
    p = r.pipeline(transaction=False)
    for i in range(n):
        fill(p, i)
        if i % 200 == 199:
            p.execute()
    p.execute()
    usage = r.execute_command("MEMORY", "USAGE", sample_key, "SAMPLES", "0")
    r.close()
    after = used(srv)
    return (after - before) / n, usage


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    if REDIS_SERVER is None:
        raise SystemExit("redis-server is not installed")
    ours_srv = start_lab_server()
    real_srv = start_real_redis()
    try:
        rows = []
        for name, n, fill, key in kinds(args.scale):
            o_per, o_usage = measure(ours_srv, n, fill, key)
            r_per, r_usage = measure(real_srv, n, fill, key)
            rows.append((name, n, o_per, r_per, o_usage, r_usage))
        lines = [
            "| kind | keys | used_memory/key ours | real | ratio | MEMORY USAGE ours | real | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, n, o_per, r_per, o_u, r_u in rows:
            lines.append(
                f"| {name} | {n} | {o_per:,.1f} | {r_per:,.1f} | {o_per / r_per:.3f} "
                f"| {o_u:,} | {r_u:,} | {o_u / r_u:.3f} |"
            )
        table = "\n".join(lines)
        print(table)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "memory_compare.md").write_text(table + "\n")
    finally:
        ours_srv.stop()
        real_srv.stop()


if __name__ == "__main__":
    main()

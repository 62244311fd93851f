"""Redis's approximated LRU against a true LRU, ours next to real Redis.

The experiment of Redis's "approximated LRU" documentation, scaled down:

1. write N keys in G groups, one (server) second apart, so that older
   groups have larger idle times;
2. read the first half of the keys: they become the most recently used;
3. set maxmemory to the memory in use and write new keys with
   ``allkeys-lru`` until N/2 keys have been evicted.

A true LRU would evict exactly the half that was not read. We count how many
of the keys it would have kept survived, for ``maxmemory-samples`` 5 and 10.
Real Redis's LRU clock ticks in real seconds, so its phases are separated by
``time.sleep``; ours are separated by ``LAB CLOCK ADVANCE`` on a frozen
clock (same pattern, no waiting). Not a test: prints the figures and saves
``benchmarks/results/lru_approximation.png``.

    python benchmarks/lru_approximation.py [-n 2000] [--groups 4]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _servers import REDIS_SERVER, start_lab_server, start_real_redis

RESULTS = Path(__file__).resolve().parent / "results"
VALUE = b"v" * 32


def pause(r, ours: bool, ms: int = 1100) -> None:
    if ours:
        r.execute_command("LAB", "CLOCK", "ADVANCE", ms)
    else:
        time.sleep(ms / 1000)


def run(srv, ours: bool, n: int, groups: int, samples: int) -> dict:
    r = srv.client()
    r.config_set("maxmemory", 0)
    r.flushall()
    r.config_resetstat()
    if ours:
        r.execute_command("LAB", "CLOCK", "FREEZE")
    r.config_set("maxmemory-policy", "allkeys-lru")
    r.config_set("maxmemory-samples", samples)
    per_group = n // groups
    p = r.pipeline(transaction=False)
    for g in range(groups):
        for i in range(g * per_group, (g + 1) * per_group):
            p.set(b"key:%06d" % i, VALUE)
        p.execute()
        pause(r, ours)
    for i in range(n // 2):  # the first half becomes the most recently used
        p.get(b"key:%06d" % i)
    p.execute()
    pause(r, ours)
    time.sleep(0.3)  # the pipeline's buffers are gone from client memory
    used = r.info("memory")["used_memory"]
    r.config_set("maxmemory", used)
    # Write new keys one at a time until exactly n/2 keys were evicted: real
    # Redis's used_memory also moves with client buffers and hashtable
    # resizes, so a fixed number of new keys would not evict a fixed number.
    new = 0
    while r.info("stats")["evicted_keys"] < n // 2 and new < 4 * n:
        r.set(b"new:%06d" % new, VALUE)
        new += 1
    r.config_set("maxmemory", 0)  # checking must not evict more (its pipeline is memory too)
    for i in range(n):
        p.exists(b"key:%06d" % i)
    survived = [bool(x) for x in p.execute()]
    for i in range(new):
        p.exists(b"new:%06d" % i)
    new_survived = sum(p.execute())
    evicted = r.info("stats")["evicted_keys"]
    if ours:
        r.execute_command("LAB", "CLOCK", "RESUME")
    r.close()
    kept_good = sum(survived[: n // 2])
    return {
        "survived": survived,
        "kept_should_keep": kept_good,
        "kept_should_evict": sum(survived[n // 2 :]),
        "new_survived": new_survived,
        "new_written": new,
        "evicted": evicted,
        "score": kept_good / (n // 2),
    }


def plot(results: dict, n: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap

    cols = 50
    rows = (n + cols - 1) // cols
    cmap = ListedColormap(["#f2d0a9", "#d9534f", "#9e9e9e", "#2e8b57"])
    fig, axes = plt.subplots(2, 2, figsize=(11, 8.5))
    for ax, ((who, samples), res) in zip(axes.flat, sorted(results.items()), strict=False):
        grid = np.zeros(rows * cols)
        for i, alive in enumerate(res["survived"]):
            accessed = i < n // 2
            grid[i] = (3 if alive else 1) if accessed else (2 if alive else 0)
        grid[n:] = np.nan
        ax.imshow(grid.reshape(rows, cols), cmap=cmap, vmin=0, vmax=3, aspect="auto")
        ax.set_title(
            f"{who}, maxmemory-samples {samples}\n"
            f"read keys kept: {res['score']:.1%}, new keys kept: "
            f"{res['new_survived']}/{res['new_written']}"
        )
        ax.set_xticks([])
        ax.set_yticks([])
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=c) for c in ("#2e8b57", "#d9534f", "#9e9e9e", "#f2d0a9")
    ]
    fig.legend(
        handles,
        ["read, kept (true LRU keeps)", "read, evicted (LRU mistake)",
         "not read, kept (LRU mistake)", "not read, evicted (true LRU evicts)"],
        loc="lower center", ncol=2,
    )  # fmt: skip
    fig.suptitle(
        f"Approximated LRU: {n} keys written oldest first (top-left), first half read again,\n"
        f"then new keys written at the maxmemory limit until {n // 2} were evicted (allkeys-lru)"
    )
    fig.tight_layout(rect=(0, 0.08, 1, 0.94))
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--groups", type=int, default=4)
    args = ap.parse_args()
    results = {}
    ours_srv = start_lab_server()
    real_srv = start_real_redis() if REDIS_SERVER else None
    try:
        for samples in (5, 10):
            results[("ours", samples)] = run(ours_srv, True, args.n, args.groups, samples)
            if real_srv is not None:
                results[("real Redis", samples)] = run(
                    real_srv, False, args.n, args.groups, samples
                )
    finally:
        ours_srv.stop()
        if real_srv is not None:
            real_srv.stop()
    print(
        "| server | samples | read keys kept (true LRU: 100%) | unread kept | new kept | evicted |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    lines = []
    for (who, samples), res in sorted(results.items()):
        line = (
            f"| {who} | {samples} | {res['score']:.1%} | {res['kept_should_evict']} "
            f"| {res['new_survived']}/{res['new_written']} | {res['evicted']} |"
        )
        print(line)
        lines.append(line)
    RESULTS.mkdir(exist_ok=True)
    header = (
        "| server | samples | read keys kept (true LRU: 100%) | unread kept | new kept | evicted |"
    )
    (RESULTS / "lru_approximation.md").write_text(
        "\n".join([header, "|---|---:|---:|---:|---:|---:|", *lines]) + "\n"
    )
    plot(results, args.n, RESULTS / "lru_approximation.png")
    print(f"plot: {RESULTS / 'lru_approximation.png'}")


if __name__ == "__main__":
    main()

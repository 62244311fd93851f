"""How much UI time a refresh costs with a big keyspace (issue 7's target: < 50 ms).

Loads a million string keys (redis-cli --pipe) and a sorted set of a million
members into the embedded server, opens the TUI headless (Textual's
``run_test``), and measures, for the inspector on the big sorted set (a
windowed skiplist) and for an explorer page (a SCAN page of keys):

- fetch: the worker's time to get LAB INSPECT / the page from the server
  (off the UI thread);
- ui: the UI thread's time to draw the result (``show`` / ``_loaded`` plus
  the render until the app is idle).

    python benchmarks/tui_responsiveness.py [--keys 1000000] [--members 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time

import redis
from _servers import REDIS_CLI
from memory_per_key import mass_insert

from lab.client import EmbeddedServer
from lab.tui.app import RedisLabApp
from lab.tui.widgets.inspector import KeyInspector


def load(port: int, keys: int, members: int) -> None:
    subprocess.run([REDIS_CLI, "-p", str(port), "--pipe"], input=mass_insert(keys),
                   capture_output=True, check=True, timeout=1800)  # fmt: skip
    c = redis.Redis(port=port)
    batch = 20_000
    for start in range(0, members, batch):
        c.zadd("bigz", {f"m{i}": i for i in range(start, min(members, start + batch))})
    c.close()


async def measure(url: str, rounds: int) -> dict[str, list[float]]:
    app = RedisLabApp(url=url, watch_events=False)
    out: dict[str, list[float]] = {
        "idle pause": [], "inspect fetch": [], "inspect ui": [], "explorer ui": [],
    }  # fmt: skip
    async with app.run_test(size=(160, 45)) as pilot:
        while not getattr(app, "connected", False):
            await pilot.pause(0.05)
        app.open_key("bigz")
        inspector = None
        while inspector is None or not inspector.data:
            await pilot.pause(0.05)
            found = app.screen.query(KeyInspector)
            inspector = found.first() if found else None
        lab = app.lab
        for _ in range(rounds):  # the harness's own cost: a pause with nothing to draw
            t = time.perf_counter()
            await pilot.pause()
            out["idle pause"].append(time.perf_counter() - t)
        for i in range(rounds):
            t = time.perf_counter()
            data = lab.inspect("bigz", window=(i * 50_000, 32), path=None)
            out["inspect fetch"].append(time.perf_counter() - t)
            t = time.perf_counter()
            inspector.show(data, inspector.data)
            await pilot.pause()
            out["inspect ui"].append(time.perf_counter() - t)
        await pilot.press("f3")
        while type(app.screen).__name__ != "ExplorerScreen":
            await pilot.pause(0.05)
        explorer = app.screen
        keys = [f"key:{i:07d}" for i in range(200)]
        rows = lab.describe_keys(keys)
        for _ in range(rounds):
            explorer.rows = []  # a fresh first page each round
            t = time.perf_counter()
            explorer._loaded(rows, 1)
            await pilot.pause()
            out["explorer ui"].append(time.perf_counter() - t)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--settle", type=float, default=10.0, help="seconds to let the server settle")
    args = ap.parse_args()
    srv = EmbeddedServer().start()
    try:
        t = time.perf_counter()
        load(srv.port, args.keys, args.members)
        print(f"loaded {args.keys} keys and a {args.members}-member sorted set "
              f"in {time.perf_counter() - t:.0f} s")  # fmt: skip
        time.sleep(args.settle)  # let the server finish the rehashing the load started
        results = asyncio.run(measure(f"redis://127.0.0.1:{srv.port}/0", args.rounds))
    finally:
        srv.stop()
    for name, values in results.items():
        ms = [v * 1000 for v in values]
        print(f"{name:14} median {statistics.median(ms):7.1f} ms   max {max(ms):7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How much UI time a refresh costs with a big keyspace (issue 7's target: < 50 ms).

Loads a million string keys (redis-cli --pipe) and a sorted set of a million
members into the embedded server, opens the TUI headless (Textual's
``run_test``), and measures, for the inspector on the big sorted set (a
windowed skiplist) and for an explorer page (a SCAN page of keys):

- fetch: the worker's time to get LAB INSPECT / the page from the server
  (off the UI thread);
- ui: from handing the result to the UI (``show`` / ``_loaded``) until the
  app is idle again, in wall-clock time (it includes the harness's own
  ``pilot.pause``, reported alone as "idle pause");
- ui cpu: the CPU time the UI thread (the event loop) spent in that same
  interval, which is the cost a refresh puts on the UI: the figure the
  issue's 50 ms target is about.

    python benchmarks/tui_responsiveness.py [--keys 1000000] [--members 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time

import redis
from _servers import REDIS_BENCHMARK, REDIS_CLI
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
        "idle pause cpu": [], "inspect ui cpu": [], "explorer ui cpu": [],
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
        for _ in range(3):  # let start-up work (footers, first layouts) finish
            await pilot.pause(0.5)
        for _ in range(rounds):  # the harness's own cost: a pause with nothing to draw
            t, c = time.perf_counter(), time.thread_time()
            await pilot.pause()
            out["idle pause"].append(time.perf_counter() - t)
            out["idle pause cpu"].append(time.thread_time() - c)
        for i in range(rounds):
            t = time.perf_counter()
            data = lab.inspect("bigz", window=(i * 50_000, 32), path=None)
            out["inspect fetch"].append(time.perf_counter() - t)
            t, c = time.perf_counter(), time.thread_time()
            inspector.show(data, inspector.data)
            await pilot.pause()
            out["inspect ui"].append(time.perf_counter() - t)
            out["inspect ui cpu"].append(time.thread_time() - c)
        await pilot.press("f3")
        while type(app.screen).__name__ != "ExplorerScreen":
            await pilot.pause(0.05)
        explorer = app.screen
        for _ in range(3):
            await pilot.pause(0.5)
        keys = [f"key:{i:07d}" for i in range(200)]
        rows = lab.describe_keys(keys)
        for _ in range(rounds):
            explorer.rows = []  # a fresh first page each round
            t, c = time.perf_counter(), time.thread_time()
            explorer._loaded(rows, 1)
            await pilot.pause()
            out["explorer ui"].append(time.perf_counter() - t)
            out["explorer ui cpu"].append(time.thread_time() - c)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--settle", type=float, default=10.0, help="seconds to let the server settle")
    ap.add_argument(
        "--load", action="store_true",
        help="keep redis-benchmark (10 clients, SET/GET) running against the server meanwhile",
    )  # fmt: skip
    args = ap.parse_args()
    srv = EmbeddedServer().start()
    try:
        t = time.perf_counter()
        load(srv.port, args.keys, args.members)
        print(f"loaded {args.keys} keys and a {args.members}-member sorted set "
              f"in {time.perf_counter() - t:.0f} s")  # fmt: skip
        time.sleep(args.settle)  # let the server finish the rehashing the load started
        busy = None
        if args.load:
            busy = subprocess.Popen(
                [REDIS_BENCHMARK, "-p", str(srv.port), "-c", "10", "-n", "100000000",
                 "-t", "set,get", "-r", "1000000", "-q"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        try:
            results = asyncio.run(measure(f"redis://127.0.0.1:{srv.port}/0", args.rounds))
        finally:
            if busy is not None:
                busy.kill()
                busy.wait()
    finally:
        srv.stop()
    for name, values in results.items():
        ms = [v * 1000 for v in values]
        rounds = " ".join(f"{v:.0f}" for v in ms)
        print(
            f"{name:15} median {statistics.median(ms):7.1f} ms   max {max(ms):7.1f} ms   [{rounds}]"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``redis-lab demo``: list the demos, or present one.

    redis-lab demo --list
    redis-lab demo NAME [--tui] [--auto SECONDS] [--url redis://host:port/db]

By default a demo runs in the terminal (Rich), the presenter pressing space
or Enter between steps. ``--tui`` shows it on the TUI's demo screen, next to
the live inspector. ``--auto`` advances by itself every SECONDS.
"""

from __future__ import annotations

import argparse
import sys


def cmd_demo(argv: list[str]) -> int:
    from . import registry

    parser = argparse.ArgumentParser(prog="redis-lab demo", description="Classroom demos.")
    parser.add_argument("name", nargs="?", help="the demo to run (see --list)")
    parser.add_argument("--list", action="store_true", help="list the demos")
    parser.add_argument("--url", default=None, help="run on redis://host:port/db instead")
    parser.add_argument("--tui", action="store_true", help="present on the TUI")
    parser.add_argument(
        "--auto", type=float, default=None, metavar="SECONDS", help="advance by itself"
    )
    args = parser.parse_args(argv)
    demos = registry()
    if args.list or not args.name:
        width = max(len(n) for n in demos)
        for name, demo in demos.items():
            print(f"{name:<{width}}  {demo.summary} ({len(demo.steps)} steps)")
        return 0 if args.list else 2
    if args.name not in demos:
        print(f"redis-lab demo: no demo named {args.name!r}; try --list", file=sys.stderr)
        return 2
    if args.tui:
        from lab.tui.screens.demo import run_demo_tui

        return run_demo_tui(args.name, url=args.url)
    from .terminal import run_demo

    try:
        return run_demo(args.name, url=args.url, auto=args.auto)
    except KeyboardInterrupt:
        return 130

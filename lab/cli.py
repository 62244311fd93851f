"""The ``redis-lab`` command.

redis-lab                 the TUI on an embedded server (--url redis://host:port/db
                          to attach to another one instead)
redis-lab server [...]    the reference server alone, redis-server's options
redis-lab cli [...]       the REPL, redis-cli's flags
redis-lab lessons [...]   the lesson paths with your progress; 'validate', 'reset ID'
redis-lab learn ID        take a lesson in the terminal (--url to use another server)
redis-lab demo NAME       a classroom demo (--list: the demos; --tui: on the TUI)
"""

from __future__ import annotations

import argparse
import socket
import sys


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_server(argv: list[str]) -> int:
    from server.main import main as server_main

    return server_main(argv)


def _run_cli(argv: list[str]) -> int:
    try:
        from lab.repl import main as repl_main
    except ImportError as e:  # pragma: no cover - the REPL ships with the package
        print(f"redis-lab cli is not available: {e}", file=sys.stderr)
        return 1
    return repl_main(argv)


def _open_lab(args: argparse.Namespace) -> int:
    """The TUI, on an embedded server (a child process) or on ``--url``."""
    from lab.tui import run

    return run(url=args.url, server_args=args.server_arg, initial=args.screen, port=args.port)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "server":
        return _run_server(argv[1:])
    if argv and argv[0] == "cli":
        return _run_cli(argv[1:])
    if argv and argv[0] == "lessons":
        from lab.tutor.terminal import cmd_lessons

        return cmd_lessons(argv[1:])
    if argv and argv[0] == "learn":
        from lab.tutor.terminal import cmd_learn

        return cmd_learn(argv[1:])
    if argv and argv[0] == "demo":
        from lab.demos.command import cmd_demo

        return cmd_demo(argv[1:])
    parser = argparse.ArgumentParser(
        prog="redis-lab",
        description="An interactive lab for learning Redis from the inside.",
        epilog="Subcommands: 'redis-lab server [redis.conf] [--port N ...]', "
        "'redis-lab cli [redis-cli flags]', 'redis-lab lessons [validate]', "
        "'redis-lab learn ID [--url redis://host:port/db]', 'redis-lab demo NAME | --list'.",
    )
    parser.add_argument("--port", type=int, default=0, help="port for the embedded server")
    parser.add_argument(
        "--url", default=None, help="attach to redis://[user:pass@]host:port/db instead"
    )
    parser.add_argument(
        "--screen",
        default="home",
        choices=["home", "console", "explorer", "inspector", "events", "dashboard", "eviction"],
        help="the screen to open on",
    )
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="an option passed to the embedded server (repeatable), e.g. --server-arg=--hz",
    )
    args = parser.parse_args(argv)
    return _open_lab(args)


if __name__ == "__main__":
    sys.exit(main())

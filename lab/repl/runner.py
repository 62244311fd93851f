"""``redis-lab cli``: pick the mode redis-cli would pick, then run it.

* options ``--stat``, ``--latency``, ``--bigkeys``... run a tool (tools.py);
* a command given as arguments runs once (or ``-r`` times) and exits;
* no command and stdin is not a terminal: each stdin line is a command;
* otherwise the interactive prompt (interactive.py).

Exit status follows redis-cli: 1 when the connection fails or, with ``-e``,
when a command replies with an error; 0 otherwise.
"""

from __future__ import annotations

import getpass
import sys

from . import format as fmt
from . import help as helptext
from .options import USAGE, Options, UsageError, output_mode, parse_args
from .session import Session
from .split import split_args

VERSION = "redis-lab cli 0.1.0 (redis-cli 7.0 compatible)"
AUTH_WARNING = (
    "Warning: Using a password with '-a' or '-u' option on the command line interface "
    "may not be safe.\n"
)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        opts = parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    if opts.version:
        sys.stdout.write(VERSION + "\n")
        return 0
    if opts.auth_from_command_line and not opts.no_auth_warning:
        sys.stderr.write(AUTH_WARNING)
    if opts.askpass:
        opts.password = getpass.getpass("Please input password: ")

    if opts.mode is not None:
        from . import tools

        return tools.run(opts)

    interactive = not opts.command and sys.stdin.isatty()
    session = Session(opts, output=output_mode(opts))
    if interactive:
        from .interactive import run_interactive

        return run_interactive(session)
    if opts.command:
        return run_once(session, opts)
    return run_piped(session, sys.stdin.buffer)


def run_once(session: Session, opts: Options) -> int:
    if not session.connect():
        return 1
    args = [a.encode("utf-8", "surrogateescape") for a in opts.command]
    if args[0].lower() in (b"help", b"?"):  # like redis-cli: help is local
        words = [a.decode("utf-8", "replace") for a in args[1:]]
        session.write(helptext.render_help(words, session_table(session)))
        session.close()
        return 0
    if opts.stdin_last_arg:
        args.append(sys.stdin.buffer.read())
    try:
        ok = session.run_command(args, opts.repeat, opts.interval)
    except KeyboardInterrupt:
        return 1
    finally:
        session.close()
    if not ok:
        return 1
    if opts.exit_on_error and session.last_error:
        return 1
    return 0


def run_piped(session: Session, stream) -> int:
    """Commands from a pipe, one per line, like redis-cli's non-tty REPL."""
    session.interactive_errors = True
    session.connect()
    for raw_line in stream:
        line = raw_line.decode("utf-8", "surrogateescape").strip()
        if not line:
            continue
        if run_line(session, line) is False:
            break
    session.close()
    return 0


def run_line(session: Session, line: str) -> bool:
    """One line typed or piped: local commands, repeat prefix, then the server.

    Returns False when the line asks to leave (``quit``/``exit``).
    """
    args = split_args(line)
    if args is None:
        session.write(b"Invalid argument(s)\n")
        return True
    if not args:
        return True
    name = args[0].lower()
    if name in (b"quit", b"exit"):
        return False
    if name == b"help" or name == b"?":
        session.write(helptext.render_help([a.decode() for a in args[1:]], session_table(session)))
        return True
    repeat = 1
    if len(args) > 1:
        try:
            repeat = int(args[0])
        except ValueError:
            repeat = 1
        else:
            if repeat <= 0:
                session.write(b"Invalid redis-cli repeat command option value.\n")
                return True
            args = args[1:]
    if session.conn is None and not session.connect():
        return True
    session.run_command(args, repeat, session.opts.interval)
    return True


def session_table(session: Session):
    """The command table for HELP: the server's when connected, else offline."""
    from . import grammar

    table = getattr(session, "table", None)
    if table is not None:
        return table
    if session.conn is not None:
        try:
            table = grammar.CommandTable.from_server(session.conn)
        except (LookupError, OSError, ConnectionError):
            table = None
    if table is None:
        table = grammar.offline_table()
    session.table = table
    return table


__all__ = ["main", "run_line", "fmt"]

"""The ``redis-lab cli`` REPL: redis-cli's flags and output, with a grammar.

Modules, one idea each:

    resp.py         RESP2/RESP3 client that keeps reply types
    format.py       redis-cli's output formats (terminal, raw, csv)
    split.py        redis-cli's line splitting (quotes and escapes)
    options.py      command-line flags, parsed like redis-cli parses them
    session.py      connection state (db, MULTI, protocol) and running commands
    runner.py       mode selection: one-shot, piped stdin, tools, interactive
    grammar.py      command table from COMMAND DOCS / commands.json, argument NFA
    lexer.py        pygments lexer (the ``redis`` lexer)
    completer.py    prompt-toolkit completion and the bottom toolbar
    help.py         offline HELP <command> / HELP @<group>
    peek.py         PEEK <key>: a key's type, encoding, memory, TTL, first items
    dangerous.py    warnings before dangerous commands (data: dangerous.yaml)
    tools.py        --stat, --bigkeys, --memkeys, --latency, --latency-history, --scan
    interactive.py  the prompt, streaming modes, Ctrl-C, pager, ``| shell``
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Run ``redis-lab cli`` with ``argv`` (without the program name)."""
    from .runner import main as _main

    return _main(argv)

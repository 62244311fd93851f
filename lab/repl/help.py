"""Offline ``HELP``: everything comes from the command table, no network.

``HELP SET`` shows the syntax generated from the argument tree, the summary,
the version that introduced it, its group, its complexity and its history;
``HELP @list`` lists a group; ``HELP CLIENT`` lists a container's
subcommands. The summaries are the table's: our own words when the table is
our ``commands.json``, the server's when it is its ``COMMAND DOCS``.
"""

from __future__ import annotations

from .grammar import Command, CommandTable

GENERAL = """\
redis-lab cli: type a Redis command, Tab completes it, the bar below shows its syntax.
      "help @<group>"   list the commands of a group (help @string, help @list ...)
      "help <command>"  syntax, summary, complexity and history of a command
      "peek <key>"      type, encoding, memory, TTL and first elements of a key
      "<cmd> | <shell>" pipe a reply into a shell command (keys * | sort)
      "quit"            leave (or Ctrl-D); Ctrl-R searches the history
"""


def describe(command: Command) -> str:
    lines = [f"\n  {command.syntax}"]
    if command.summary:
        lines.append(f"  summary: {command.summary}")
    if command.since:
        lines.append(f"  since: {command.since}")
    if command.group:
        lines.append(f"  group: {command.group}")
    if command.complexity:
        lines.append(f"  complexity: {command.complexity}")
    if command.deprecated_since:
        replaced = f", use {command.replaced_by}" if command.replaced_by else ""
        lines.append(f"  deprecated since {command.deprecated_since}{replaced}")
    for entry in command.history:
        if isinstance(entry, list | tuple) and len(entry) == 2:
            lines.append(f"  history: {entry[0]}: {entry[1]}")
    if command.subcommands:
        lines.append("  subcommands:")
        width = max(len(s.name) for s in command.subcommands.values())
        for sub in sorted(command.subcommands.values(), key=lambda c: c.name):
            lines.append(f"    {sub.name.ljust(width)}  {sub.summary}")
    return "\n".join(lines) + "\n\n"


def render_help(words: list[str], table: CommandTable | None) -> bytes:
    if not words:
        return GENERAL.encode()
    if table is None:
        return b"No command table available (not connected and no commands.json).\n"
    topic = " ".join(words)
    if topic.startswith("@"):
        group = topic[1:].lower()
        commands = table.groups().get(group)
        if not commands:
            groups = ", ".join(sorted(table.groups()))
            return f"No group named '{group}'. Groups: {groups}\n".encode()
        return "".join(describe(c) for c in sorted(commands, key=lambda c: c.name)).encode()
    command = table.lookup(words)
    if command is None:
        return f"No help for '{topic}': not a command of this server.\n".encode()
    return describe(command).encode()

"""mkdocs hook: fill docs/compatibility.md from the server's own command table.

The page is generated at build time, so it can never drift from the server:
every command and subcommand of Redis 7.0 (from ``commands.json``) with
whether our server implements it, and our one-line summary.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARK = "<!-- compatibility-table -->"


def _table() -> str:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from server.commands.metadata import load_table
    from server.commands.registry import build_table

    built = build_table()
    implemented = {c.fullname for top in built.values() for c in top.all_commands() if c.proc}
    rows = []
    groups: dict[str, list[str]] = {}
    total = done = 0
    for _name, spec in sorted(load_table().items()):
        for s in [spec, *spec.subcommands.values()]:
            if s.subcommands:  # containers: their subcommands carry the status
                continue
            total += 1
            ok = s.fullname in implemented
            done += ok
            status = "implemented" if ok else "missing"
            line = (
                f"| `{s.fullname.upper().replace('|', ' ')}` | {status} | {s.since} | {s.summary} |"
            )
            groups.setdefault(s.group, []).append(line)
    rows.append(f"**{done} of {total}** Redis 7.0 commands and subcommands are implemented.\n")
    for group in sorted(groups):
        rows.append(f"\n## {group}\n")
        rows.append("| Command | Status | Since | What it does |")
        rows.append("| --- | --- | --- | --- |")
        rows.extend(groups[group])
    return "\n".join(rows)


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001
    if MARK in markdown:
        return markdown.replace(MARK, _table())
    return markdown

"""Warnings before dangerous commands, from the data file ``dangerous.yaml``.

The list is data so the TUI and the REPL share it and a teacher can extend it
without touching code. Some entries are only worth a warning for big keys
(``DEL``, ``HGETALL``): they carry a ``note`` and the REPL shows them only in
``--newbie`` mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Danger:
    command: str
    subcommand: str | None
    reason: str
    instead: str
    note: str | None = None
    confirm: bool = True

    @property
    def name(self) -> str:
        return f"{self.command} {self.subcommand}" if self.subcommand else self.command

    def message(self) -> str:
        text = f"Warning: {self.name} — {self.reason}\n  Safer: {self.instead}"
        if self.note:
            text += f"\n  ({self.note})"
        return text


@cache
def load() -> tuple[Danger, ...]:
    text = resources.files(__package__).joinpath("dangerous.yaml").read_text("utf-8")
    entries = yaml.safe_load(text) or []
    return tuple(
        Danger(
            command=str(e["command"]).upper(),
            subcommand=str(e["subcommand"]).upper() if e.get("subcommand") else None,
            reason=" ".join(str(e.get("reason", "")).split()),
            instead=" ".join(str(e.get("instead", "")).split()),
            note=e.get("note"),
            confirm=bool(e.get("confirm", True)),
        )
        for e in entries
    )


def check(args: list[str], newbie: bool = False) -> Danger | None:
    """The danger entry matching these arguments, if any."""
    if not args:
        return None
    command = args[0].upper()
    sub = args[1].upper() if len(args) > 1 else None
    for danger in load():
        if danger.command != command:
            continue
        if danger.subcommand and danger.subcommand != sub:
            continue
        if danger.note and not newbie:
            continue
        return danger
    return None

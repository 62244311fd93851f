"""A warning before a dangerous command, with the safer way (dangerous.yaml)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from lab.repl.dangerous import Danger


class DangerScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape,n", "cancel", "Cancel"), Binding("y", "run", "Run anyway")]

    def __init__(self, danger: Danger, line: str) -> None:
        super().__init__()
        self.danger = danger
        self.line = line

    def compose(self) -> ComposeResult:
        d = self.danger
        with Vertical(id="danger-box"):
            yield Static(f"[b]{d.name}[/b] deserves a second thought", id="danger-title")
            yield Static(d.reason, id="danger-reason")
            yield Static(f"[b green]Safer:[/] {d.instead}", id="danger-instead")
            if d.note:
                yield Static(f"[dim]{d.note}[/]")
            with Horizontal(id="danger-buttons"):
                yield Button("Cancel (n)", variant="primary", id="cancel")
                yield Button("Run anyway (y)", variant="error", id="run")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "run")

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_run(self) -> None:
        self.dismiss(True)

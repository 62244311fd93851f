"""The help screen: every key of the app and of the screen it was opened on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

INTRO = """\
# redis-lab

Type Redis commands in the **Console**; the **Inspector** pane beside it draws
the key you touched, byte by byte. **F1** this help · **ctrl+p** the command
palette (every screen and action by name) · **ctrl+t** light/dark ·
**ctrl+q** quit.
"""


def _rows(bindings) -> list[str]:
    rows = []
    for binding in bindings:
        if isinstance(binding, tuple):
            binding = Binding(*binding)
        label = binding.description or binding.action
        rows.append(f"| `{binding.key}` | {label} |")
    return rows


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        app_rows = _rows(self.app.BINDINGS)
        below = self.app.screen_stack[-1] if self.app.screen_stack else None
        screen_rows = _rows(getattr(below, "BINDINGS", [])) if below is not None else []
        text = INTRO + "\n## Everywhere\n\n| key | does |\n|---|---|\n" + "\n".join(app_rows)
        if screen_rows:
            name = type(below).__name__.replace("Screen", "")
            text += f"\n\n## On the {name} screen\n\n| key | does |\n|---|---|\n"
            text += "\n".join(screen_rows)
        text += "\n\n*escape closes this help*"
        with VerticalScroll(id="help-body"):
            yield Markdown(text)

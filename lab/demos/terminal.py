"""The plain-terminal presenter: a demo in any terminal, with Rich.

Each step prints its title and narration, waits for the presenter (space or
Enter; ``q`` ends the demo), then runs: the action's line, every command with
its reply highlighted as the REPL highlights it, and the inspector's text
view of the keys the step points at (:mod:`lab.render.text`), the eviction
pool or the keyspace when the step asks for them.

``auto`` (``--auto SECONDS``, and the tests with 0) advances by itself.
"""

from __future__ import annotations

import os
import sys
import time

from rich.console import Console, Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from lab.render.text import render_text

from .model import Demo
from .runner import DemoRunner, StepResult


def wait_key(prompt: str = "space/enter: next · q: quit") -> str:
    """One key press (raw mode on a terminal; a line otherwise)."""
    sys.stdout.write(f"\x1b[2m{prompt}\x1b[0m ")
    sys.stdout.flush()
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        sys.stdout.write("\n")
        return "q" if line == "" else (line.strip()[:1] or " ")
    import termios
    import tty

    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        ch = os.read(fd, 1).decode("utf-8", "replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
    sys.stdout.write("\r\x1b[2K")
    return "q" if ch in ("q", "Q", "\x03", "\x04", "\x1b") else ch


def _session(result: StepResult, prompt: str):
    from lab.repl.lexer import RedisLexer

    lines = []
    for command, reply in result.transcript:
        lines.append(f"{prompt}{command}")
        lines.append(reply)
    return Syntax("\n".join(lines), RedisLexer(), theme="ansi_dark", word_wrap=True)


def _memory_table(memory: dict) -> Group:
    head = Text(
        f"used_memory {memory.get('used_memory')} / maxmemory {memory.get('maxmemory')} · "
        f"{memory.get('maxmemory_policy')} · samples {memory.get('maxmemory_samples')} · "
        f"evicted {memory.get('evicted_keys')}",
        style="bold",
    )
    pool = memory.get("pool")
    if pool is None:
        return Group(head, Text(str(memory.get("not_visible", "")), style="italic yellow"))
    table = Table(title="pool, best first", title_justify="left")
    table.add_column("key")
    score_name = "freq" if pool and "freq" in pool[0] else "idle_ms"
    table.add_column("LFU freq" if score_name == "freq" else "idle ms", justify="right")
    for entry in pool[:8]:
        table.add_row(str(entry.get("key")), str(entry.get(score_name, "")))
    if not pool:
        table.add_row("(empty)", "")
    return Group(head, table)


def _keyspace(ks: dict) -> Text:
    cycle = ks.get("expire_cycle") or {}
    return Text(
        f"keys {ks.get('keys')} · with TTL {ks.get('expires')} · expired_keys "
        f"{cycle.get('expired_keys', '?')} · active expire "
        f"{'on' if cycle.get('active_expire_enabled') else 'off'}",
        style="bold",
    )


def show_result(console: Console, result: StepResult, prompt: str) -> None:
    if result.action_note:
        console.print(Text(f"▶ {result.action_note}", style="italic cyan"))
    if result.transcript:
        console.print(_session(result, prompt))
    for key, data in result.inspected.items():
        console.print(Panel(Text(render_text(data)), title=f"inspector: {key}", expand=False))
    if result.memory is not None:
        console.print(Panel(_memory_table(result.memory), title="LAB MEMORY", expand=False))
    if result.keyspace is not None:
        console.print(Panel(_keyspace(result.keyspace), title="LAB KEYSPACE", expand=False))
    if result.event_counts:
        counts = ", ".join(f"{n} × {kind}" for kind, n in result.event_counts.items())
        more = " (and more: the server keeps the last 1024)" if result.events_missed else ""
        console.print(Text(f"events during this step: {counts}{more}", style="magenta"))


def present(demo: Demo, client, console: Console | None = None, auto: float | None = None):
    """Run ``demo`` on ``client`` step by step; the step results (for tests)."""
    console = console or Console()
    runner = DemoRunner(demo, client)
    a = client.address
    prompt = f"{a.host}:{a.port}> "
    console.print(Rule(f"[b]{demo.title}[/b]"))
    console.print(Text(demo.summary, style="dim"))
    results = []
    runner.start()
    total = len(demo.steps)
    while not runner.done:
        step = demo.steps[runner.position]
        console.print()
        console.print(Rule(f"{runner.position + 1}/{total} · {step.title}", align="left"))
        console.print(Markdown(step.prose))
        if auto is None:
            if wait_key() == "q":
                break
        elif auto:
            time.sleep(auto)
        result = runner.step()
        show_result(console, result, prompt)
        results.append(result)
    console.print(Rule("the end" if runner.done else "stopped"))
    return results


def run_demo(name: str, url: str | None = None, auto: float | None = None) -> int:
    """``redis-lab demo NAME``: an embedded server (or ``url``), the presenter, cleanup."""
    from lab import Lab

    from . import get

    demo = get(name)
    with Lab(url=url) if url else Lab(server_args=demo.server_args) as lab:
        if not lab.has_lab:
            Console().print(
                "[yellow]This server has no LAB command: the clock, events and inspector "
                "views are not available; the demo needs redis-lab's server.[/]"
            )
            return 1
        present(demo, lab.client, auto=auto)
    return 0

"""mkdocs hook: draw a key's encoding into a page, from the real server.

A page asks for a drawing with an HTML comment (invisible if the hook is not
run)::

    <!-- lab-draw: user:1 window=0,8 path=age
    HSET user:1 name Ada age 36
    LOOP 200 ZADD board {i} player{i}
    -->

The commands run on a reference server the hook starts (once per build, as
a child process, stopped at the end), the database flushed at the start of
each page; ``LOOP n`` repeats a command with ``{i}`` = 0..n-1. Then the key
is read with ``LAB INSPECT`` and drawn by :mod:`lab.render` as inline SVG —
the same drawing the notebooks show, so the docs cannot drift from the
server.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARK = re.compile(r"<!-- lab-draw: (?P<key>\S+)(?P<opts>[^\n]*)\n(?P<body>.*?)-->", re.S)

_lab = None


def _get_lab():
    global _lab
    if _lab is None:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from lab import Lab

        _lab = Lab()
    return _lab


def _run(lab, body: str) -> None:
    from lab.repl.split import split_args

    for line in body.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        times = 1
        if line.upper().startswith("LOOP "):
            _, n, line = line.split(" ", 2)
            times = int(n)
        commands = []
        for i in range(times):
            args = split_args(line.replace("{i}", str(i)) if times > 1 else line)
            if not args:
                raise ValueError(f"lab-draw: cannot split {line!r}")
            commands.append(tuple(args))
        for start in range(0, len(commands), 500):
            for reply in lab.client.pipeline(commands[start : start + 500]):
                if type(reply).__name__ == "Error":
                    raise ValueError(f"lab-draw: {line!r} failed: {reply}")


def _draw(match: re.Match, state: dict) -> str:
    from lab.render import render_svg

    lab = _get_lab()
    if not state.get("flushed"):
        lab.client.call("FLUSHALL")
        state["flushed"] = True
    _run(lab, match.group("body"))
    opts = dict(o.split("=", 1) for o in match.group("opts").split() if "=" in o)
    window = tuple(int(x) for x in opts["window"].split(",")) if "window" in opts else None
    data = lab.inspect(match.group("key"), window=window, path=opts.get("path"))
    if data is None:
        raise ValueError(f"lab-draw: no key {match.group('key')!r} after the commands")
    svg = render_svg(dict(data), max_width=700)  # the width of the page's text column
    return f'\n<div class="lab-figure" style="overflow-x:auto">{svg}</div>\n'


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001
    if "<!-- lab-draw:" not in markdown:
        return markdown
    state: dict = {}
    return MARK.sub(lambda m: _draw(m, state), markdown)


def _stop() -> None:
    global _lab
    if _lab is not None:
        _lab.close()
        _lab = None


def on_post_build(config) -> None:  # noqa: ARG001
    _stop()


def on_shutdown() -> None:
    _stop()

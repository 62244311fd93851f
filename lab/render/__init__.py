"""Drawings of a key's encoding, from one ``LAB INSPECT`` reply.

The TUI draws the same replies as Rich text in a terminal; here they become
SVG (for notebooks and the docs site, :mod:`lab.render.svg`) and plain text
(for a terminal or a log, :mod:`lab.render.text`). Every function takes the
reply as a dict in the shapes of docs/lab-command.md and nothing else: no
server, no client, so a drawing can be made from a saved reply, and a test
can feed a fixed one.

    svg.py     one SVG function per encoding: listpack byte strip, intset,
               quicklist chain, skiplist towers, hashtable buckets, strings
    text.py    the same views in monospaced text
    html.py    a card: the key's header line above its SVG (what Jupyter shows)
"""

from __future__ import annotations

from .html import render_html
from .svg import render_svg
from .text import render_text

__all__ = ["render_html", "render_svg", "render_text"]

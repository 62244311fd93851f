"""A key as an HTML card: the SVG drawing, and the reply folded away below it."""

from __future__ import annotations

import json
from html import escape

from .svg import render_svg


def _jsonable(value):
    if isinstance(value, bytes):
        return value.hex(" ") if len(value) <= 64 else value[:64].hex(" ") + " …"
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def render_html(data: dict | None) -> str:
    """The drawing (inline SVG), then a ``<details>`` with the LAB INSPECT reply."""
    svg = render_svg(data)
    if not data:
        return f"<div class='redis-lab-inspect'>{svg}</div>"
    reply = escape(json.dumps(_jsonable(data), indent=1)[:20000])
    return (
        "<div class='redis-lab-inspect' style='overflow-x:auto'>"
        f"{svg}<details><summary style='font-size:12px;color:#6b7280'>"
        f"LAB INSPECT {escape(str(data.get('key')))}</summary>"
        f"<pre style='font-size:11px'>{reply}</pre></details></div>"
    )

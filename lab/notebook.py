"""redis-lab in Jupyter: ``%load_ext lab``.

Two magics:

``%lab [redis://host:port/db]``
    Start a lab server (or attach to one) and make it the one the magics
    use; returns the :class:`lab.Lab`. Without it, the first ``%%redis``
    cell uses the latest ``Lab()`` created, or starts one.

``%%redis``
    Each line of the cell is a command (redis-cli quoting, ``#`` starts a
    comment line), run on the lab's own connection. The cell shows the
    session as ``redis-cli`` would print it, highlighted by the ``redis``
    pygments lexer (:mod:`lab.repl.lexer`): the same colours as the REPL and
    the docs. An error reply does not stop the cell, as in redis-cli.

Rendering of inspected keys lives in :mod:`lab.render`; :class:`lab.Inspection`
carries the ``_repr_svg_``/``_repr_html_`` methods Jupyter calls.
"""

from __future__ import annotations

from html import escape

from lab.repl.format import forces_raw, format_reply
from lab.repl.split import split_args

SESSION_STYLE = "font-size:12.5px;line-height:1.35;padding:6px 10px;border-radius:4px;margin:0"


_STARTED: list = []  # Labs the magics started themselves: kept alive until exit


def current_lab(url: str | None = None):
    """The Lab the magics use (started on first use)."""
    from lab import Lab

    lab = Lab.current()
    if url is not None:
        if lab is not None and lab.url.rstrip("/") == url.rstrip("/"):
            return lab
        lab = Lab(url=url)
        _STARTED.append(lab)
        return lab
    if lab is None:
        lab = Lab()
        _STARTED.append(lab)
    return lab


def run_lines(lab, text: str) -> list[tuple[str, bytes]]:
    """Run each command line of ``text``; (line, redis-cli formatted reply) pairs."""
    out: list[tuple[str, bytes]] = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        args = split_args(line)
        if args is None:
            out.append((line, b"Invalid argument(s)\n"))
            continue
        if not args:
            continue
        reply = lab.client.execute(*args)
        words = [a.decode("utf-8", "replace") for a in args]
        out.append((line, format_reply(reply, "raw" if forces_raw(words) else "standard")))
    return out


def session_text(lab, pairs: list[tuple[str, bytes]]) -> str:
    a = lab.client.address
    prompt = f"{a.host}:{a.port}" + (f"[{a.db}]" if a.db else "") + "> "
    lines = []
    for line, reply in pairs:
        lines.append(prompt + line)
        lines.append(reply.decode("utf-8", "replace").rstrip("\n"))
    return "\n".join(lines) + "\n"


def highlight_html(text: str) -> str:
    """Redis session text as self-contained HTML (inline styles, no CSS file needed)."""
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter

        from lab.repl.lexer import RedisLexer
    except ImportError:  # pragma: no cover - pygments ships with the lab
        return f"<pre style='{SESSION_STYLE}'>{escape(text)}</pre>"
    formatter = HtmlFormatter(noclasses=True, style="friendly", nowrap=False)
    body = highlight(text, RedisLexer(), formatter)
    return f"<div class='redis-lab-session' style='{SESSION_STYLE}'>{body}</div>"


class Session:
    """What a ``%%redis`` cell displays: HTML in Jupyter, plain text elsewhere."""

    def __init__(self, text: str, pairs: list[tuple[str, bytes]]) -> None:
        self.text = text
        self.pairs = pairs

    @property
    def errors(self) -> list[str]:
        return [line for line, reply in self.pairs if reply.startswith(b"(error)")]

    def _repr_html_(self) -> str:
        return highlight_html(self.text)

    def __str__(self) -> str:
        return self.text

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(self.text.rstrip("\n"))


def redis_cell(line: str, cell: str) -> Session:
    """The ``%%redis`` magic: ``line`` may hold a URL to run the cell elsewhere."""
    url = line.strip() or None
    lab = current_lab(url)
    pairs = run_lines(lab, cell)
    return Session(session_text(lab, pairs), pairs)


def lab_line(line: str):
    """The ``%lab`` magic: start (or attach to) the lab the magics use."""
    return current_lab(line.strip() or None)


def load_ipython_extension(ipython) -> None:
    ipython.register_magic_function(redis_cell, magic_kind="cell", magic_name="redis")
    ipython.register_magic_function(lab_line, magic_kind="line", magic_name="lab")


def unload_ipython_extension(ipython) -> None:  # pragma: no cover - IPython keeps magics
    pass

"""redis-lab from Python: ``from lab import Lab``.

A :class:`Lab` is a server plus the ways to look inside it::

    from lab import Lab

    with Lab() as lab:                      # the reference server, as a child process
        lab.redis.hset("user:1", "name", "Ada")   # a redis-py client (bytes replies)
        lab.inspect("user:1")               # the listpack, drawn (SVG in Jupyter, text here)
        lab.clock.freeze(); lab.clock.advance(seconds=60)
        lab.events()                        # what happened inside since the last call

``Lab()`` starts ``python -m server`` on a free loopback port (see
:class:`lab.client.EmbeddedServer`); ``Lab(url="redis://host:port/db")``
attaches to a server that is already running — ours, a real Redis or Valkey,
where what only ``LAB`` can show is said to be invisible instead.

The server stops with :meth:`Lab.close`, at the end of a ``with`` block, when
the object is garbage-collected, when the interpreter (a Jupyter kernel)
exits, and — on Linux — even when the interpreter is killed: the child gets
SIGTERM when its parent dies. No orphan processes either way.

Like the rest of :mod:`lab`, this talks RESP only (DESIGN principle 3).
``%load_ext lab`` in IPython loads :mod:`lab.notebook` (the ``%%redis`` cell
magic).
"""

from __future__ import annotations

import weakref
from typing import Any

from lab.client import EmbeddedServer, LabClient, LabError, parse_url

__all__ = ["Clock", "Events", "Inspection", "Lab", "LabError", "load_ipython_extension"]


class Inspection(dict):
    """One ``LAB INSPECT`` reply (a dict, docs/lab-command.md) that draws itself.

    In Jupyter it shows as SVG inside a small HTML card; ``print()`` or the
    terminal's repr gives the text view; ``.svg`` is the SVG document.
    """

    @property
    def encoding(self) -> str:
        return str(self.get("encoding"))

    @property
    def layout(self) -> dict:
        return self.get("layout") or {}

    @property
    def svg(self) -> str:
        from lab.render import render_svg

        return render_svg(dict(self))

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_html_(self) -> str:
        from lab.render import render_html

        return render_html(dict(self))

    def __str__(self) -> str:
        from lab.render import render_text

        return render_text(dict(self))

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's text repr
        p.text(str(self))


class Events(list):
    """Events from ``LAB EVENTS`` (dicts, oldest first) plus where the read stopped."""

    def __init__(self, events: list[dict], last_id: int = 0, missed: bool = False) -> None:
        super().__init__(events)
        self.last_id = last_id
        self.missed = missed

    def of_type(self, *types: str) -> Events:
        return Events([e for e in self if e.get("type") in types], self.last_id, self.missed)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for event in self:
            out[event.get("type", "?")] = out.get(event.get("type", "?"), 0) + 1
        return out

    @staticmethod
    def _details(event: dict) -> str:
        skip = {"id", "type", "time_ms"}
        return ", ".join(f"{k}={v}" for k, v in event.items() if k not in skip)

    def __str__(self) -> str:
        if not self:
            return "(no events)"
        lines = [f"{e.get('id'):>6} {e.get('type', '?'):<20} {self._details(e)}" for e in self]
        if self.missed:
            lines.insert(0, "(older events were dropped from the server's ring)")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(str(self))

    def _repr_html_(self) -> str:
        from html import escape

        if not self:
            return "<em>no events</em>"
        rows = "".join(
            f"<tr><td>{e.get('id')}</td><td><b>{escape(str(e.get('type')))}</b></td>"
            f"<td style='text-align:left'>{escape(self._details(e))}</td></tr>"
            for e in self[-200:]
        )
        more = f"<p>… {len(self) - 200} earlier events not shown</p>" if len(self) > 200 else ""
        return (
            f"{more}<table><thead><tr><th>id</th><th>type</th><th>details</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )


class Clock:
    """The server's clock (``LAB CLOCK``): freeze it, move it, let it run."""

    def __init__(self, client: LabClient) -> None:
        self._client = client

    def get(self) -> dict:
        return self._client.clock("GET")

    def now(self) -> int:
        """The server's time, in milliseconds since the epoch."""
        return int(self.get()["now_ms"])

    @property
    def frozen(self) -> bool:
        return bool(self.get().get("frozen"))

    def freeze(self) -> dict:
        return self._client.clock("FREEZE")

    def resume(self) -> dict:
        return self._client.clock("RESUME")

    def advance(self, ms: int = 0, *, seconds: float = 0, minutes: float = 0) -> dict:
        """Jump forward; TTLs that pass expire lazily or in the next active cycle."""
        total = int(ms + seconds * 1000 + minutes * 60_000)
        if not self._client.has_lab:
            raise LabError("this server has no LAB clock: time runs at its own pace")
        return self._client.clock("ADVANCE", total)

    def __repr__(self) -> str:
        reply = self.get()
        state = "frozen" if reply.get("frozen") else "running"
        return f"<Clock {state} at {reply.get('now_ms')} ms (offset {reply.get('offset_ms')} ms)>"


def _close(server: EmbeddedServer | None, client: LabClient, holder: dict) -> None:
    redis_client = holder.pop("redis", None)
    if redis_client is not None:
        try:
            redis_client.close()
        except Exception:
            pass
    client.close()
    if server is not None:
        server.stop()


class Lab:
    """A server to learn on, and the lab's views of it.

    ``Lab()`` starts the reference server (``server_args`` are passed to it,
    e.g. ``["--maxmemory", "2mb"]``); ``Lab(url=...)`` attaches instead.
    """

    _current: weakref.ref | None = None  # the last Lab created (weakly: GC may stop it)
    #: PIDs of every server a Lab started in this process (tests check none survives).
    started_pids: list[int] = []

    def __init__(
        self,
        url: str | None = None,
        *,
        server_args: list[str] | tuple[str, ...] = (),
        port: int = 0,
        timeout: float = 30.0,
    ) -> None:
        self.server: EmbeddedServer | None = None
        if url is None:
            self.server = EmbeddedServer(list(server_args), port=port).start(timeout)
            Lab.started_pids.append(self.server.pid or 0)
            address = self.server.address
        else:
            address = parse_url(url)
        try:
            self.client = LabClient(address, name="redis-lab:python").connect()
        except BaseException:
            if self.server is not None:
                self.server.stop()
            raise
        self._holder: dict[str, Any] = {}
        self._finalizer = weakref.finalize(self, _close, self.server, self.client, self._holder)
        self.clock = Clock(self.client)
        self._cursor = self.client.newest_event_id()
        Lab._current = weakref.ref(self)

    @classmethod
    def current(cls) -> Lab | None:
        """The Lab the ``%%redis`` magic uses: the last one created and not closed."""
        lab = cls._current() if cls._current is not None else None
        return lab if lab is not None and not lab.closed else None

    # -- the connection --

    @property
    def address(self):
        return self.client.address

    @property
    def url(self) -> str:
        a = self.client.address
        return f"redis://{a.host}:{a.port}/{a.db}"

    @property
    def has_lab(self) -> bool:
        """True on redis-lab's server; False on a real Redis (fallbacks are used)."""
        return self.client.has_lab

    @property
    def redis(self):
        """A redis-py client on the same server (``decode_responses=False``: bytes)."""
        client = self._holder.get("redis")
        if client is None:
            import redis

            a = self.client.address
            client = redis.Redis(
                host=a.host,
                port=a.port,
                db=a.db,
                username=a.username,
                password=a.password,
                decode_responses=False,
            )
            self._holder["redis"] = client
        return client

    def execute(self, *args):
        """One command on the lab's own connection; the reply as plain Python."""
        return self.client.call(*args)

    # -- the views --

    def inspect(
        self,
        key: str | bytes,
        start: int | None = None,
        count: int | None = None,
        *,
        window: tuple[int, int] | None = None,
        path: str | bytes | None = None,
    ) -> Inspection | None:
        """``LAB INSPECT key [WINDOW start count] [PATH member]``, as a drawable object.

        ``start``/``count`` (or ``window=(start, count)``) page through big
        structures; ``path`` asks where a member lives (a skiplist's search
        path, a bucket, a listpack index). None when the key does not exist.
        """
        if window is None and (start is not None or count is not None):
            window = (start or 0, 32 if count is None else count)
        reply = self.client.inspect(key, window=window, path=path)
        return None if reply is None else Inspection(reply)

    def keyspace(self, db: int | None = None) -> dict:
        return self.client.keyspace(db)

    def memory(self) -> dict:
        return self.client.memory()

    def info(self, section: str | None = None) -> dict[str, str]:
        return self.client.info(section)

    def events(self, since: int | None = None, count: int = 1000) -> Events:
        """Internal events newer than ``since``.

        Without ``since``: the events since the previous call (or since the Lab
        was created), so calling it after each experiment shows just that
        experiment. ``since=0`` reads everything still in the server's ring.
        """
        start = self._cursor if since is None else since
        collected: list[dict] = []
        missed = False
        last = start
        while True:
            reply = self.client.events(last, min(count - len(collected), 1000))
            batch = reply.get("events") or []
            missed = missed or bool(reply.get("missed"))
            collected += batch
            last = int(reply.get("last_id", last) or last)
            if not batch or len(collected) >= count:
                break
        if since is None:
            self._cursor = last
        return Events(collected, last, missed)

    def mark(self) -> int:
        """Forget the events so far: the next ``events()`` starts after this point."""
        self._cursor = self.client.newest_event_id()
        return self._cursor

    # -- the end --

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    def close(self) -> None:
        """Close the connections and stop the embedded server (idempotent)."""
        self._finalizer()

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        where = "embedded" if self.server is not None else "attached"
        state = "closed" if self.closed else self.client.description
        return f"<Lab {where}: {state}>"


def load_ipython_extension(ipython) -> None:
    """``%load_ext lab``: the ``%%redis`` cell magic and the ``%lab`` line magic."""
    from lab.notebook import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython) -> None:
    from lab.notebook import unload_ipython_extension as unload

    unload(ipython)

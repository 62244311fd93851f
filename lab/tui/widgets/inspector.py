"""KeyInspector: one key, drawn by the widget of its encoding, kept up to date.

It asks ``LAB INSPECT`` (through :class:`lab.client.LabClient`, in a worker
thread) whenever the key is set, a command ran in the console, or a LAB
event names the key. The widget below the header is chosen by encoding
(:data:`VIEWS`); the previous reply is kept so the view can highlight what
changed, and an ``encoding-conversion`` event puts a banner on top with the
old and new encodings, the reason and the thresholds from ``CONFIG GET``.
"""

from __future__ import annotations

import json

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.containers import ScrollableContainer
from textual.reactive import reactive
from textual.widgets import Static

from lab.client import LabError

from .base import CHANGED, META, LayoutView
from .hashtable import HashtableView
from .intset import IntsetView
from .listpack import ListpackView
from .quicklist import QuicklistView
from .skiplist import SkiplistView
from .strings import StringView

VIEWS: dict[str, type[LayoutView]] = {
    "int": StringView,
    "embstr": StringView,
    "raw": StringView,
    "listpack": ListpackView,
    "intset": IntsetView,
    "quicklist": QuicklistView,
    "hashtable": HashtableView,
    "skiplist": SkiplistView,
}

# Which settings decide each conversion (Redis 7.0 names).
THRESHOLDS = {
    "hash": ("hash-max-listpack-entries", "hash-max-listpack-value"),
    "zset": ("zset-max-listpack-entries", "zset-max-listpack-value"),
    "set": ("set-max-intset-entries",),
    "list": ("list-max-listpack-size",),
}


class GenericView(LayoutView):
    """Any encoding without a drawing of its own: the layout as indented JSON."""

    def draw(self, data: dict, previous: dict | None, width: int) -> Text:
        layout = {k: v for k, v in (data.get("layout") or {}).items() if k != "raw"}
        return Text(json.dumps(layout, indent=1, default=repr)[:6000])


def view_for(data: dict | None) -> type[LayoutView]:
    if not data:
        return GenericView
    layout = data.get("layout") or {}
    if data.get("source") == "fallback" and not (
        layout.get("entries") or layout.get("values") or layout.get("nodes") or "bytes" in layout
    ):
        return GenericView if data.get("encoding") not in ("hashtable", "skiplist") else NotVisible
    return VIEWS.get(str(data.get("encoding")), GenericView)


class NotVisible(LayoutView):
    def draw(self, data: dict, previous: dict | None, width: int) -> Text:
        return Text((data.get("layout") or {}).get("not_visible", "not visible here"), style=META)


def header_text(data: dict | None, key: str | None, previous: dict | None = None) -> Text:
    if data is None:
        return Text(f"{key!s}: no such key" if key else "no key selected", style=META)
    out = Text()
    out.append(str(data.get("key")), style="bold")
    out.append(f"  {data.get('type')}", style="cyan")
    enc_style = "bold magenta"
    if previous and previous.get("encoding") != data.get("encoding"):
        enc_style = CHANGED
    out.append(" · ", style=META)
    out.append(str(data.get("encoding")), style=enc_style)
    ttl = data.get("ttl_ms", -1)
    parts = [f"length {data.get('length', '?')}", f"memory {data.get('memory', '?')} B"]
    parts.append("no TTL" if ttl == -1 else f"TTL {ttl} ms")
    if data.get("expired"):
        parts.append("EXPIRED (not yet removed)")
    if "lfu_freq" in data:
        parts.append(f"LFU freq {data['lfu_freq']}")
    elif "idle_seconds" in data:
        parts.append(f"idle {data['idle_seconds']} s")
    out.append("  " + " · ".join(parts), style=META)
    if data.get("source") == "fallback":
        out.append(
            "\nno LAB command on this server: drawn from OBJECT, MEMORY USAGE and DUMP",
            style="italic yellow",
        )
        layout = data.get("layout") or {}
        if layout.get("not_visible"):
            out.append(f"\n{layout['not_visible']}", style="italic yellow")
    return out


def _rows(text: Text, width: int) -> int:
    """How many rows ``text`` takes when wrapped at ``width`` cells (close enough for sizing)."""
    return sum(max(1, -(-cell_len(line) // width)) for line in text.plain.split("\n"))


def _path_rank(data: dict | None) -> int | None:
    """The skiplist rank a PATH answer found (1-based), if any."""
    layout = (data or {}).get("layout") or {}
    path = layout.get("path")
    if data and data.get("encoding") == "skiplist" and isinstance(path, dict) and path.get("found"):
        return int(path["rank"])
    return None


class KeyInspector(ScrollableContainer):
    """The inspector for one key: header, conversion banner, encoding view."""

    DEFAULT_CSS = """
    KeyInspector { height: 1fr; }
    KeyInspector > #inspector-header { height: auto; padding: 0 1; }
    KeyInspector > #inspector-banner { height: auto; padding: 0 1; display: none; }
    KeyInspector > #inspector-banner.shown { display: block; }
    """

    key: reactive[str | None] = reactive(None)
    path: reactive[str | None] = reactive(None)
    window_start: reactive[int] = reactive(0)
    WINDOW = 32

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._header_text: Text | None = None
        self.data: dict | None = None
        self.previous: dict | None = None
        self.view: LayoutView | None = None
        self.banner_text: Text | None = None

    def compose(self):
        yield Static(
            Text("no key yet: run a command on a key, or open one from the Explorer", style=META),
            id="inspector-header",
        )
        yield Static(id="inspector-banner")

    # -- showing --

    def show(
        self, data: dict | None, previous: dict | None = None, banner: Text | None = None
    ) -> None:
        """Draw a reply (no server needed: the snapshot tests call this)."""
        self.previous, self.data = previous, data
        header = header_text(data, self.key, previous)
        old_header = self._header_text
        self._header_text = header
        # A layout pass restyles the whole screen; the header only needs one
        # when its height changes (a new window of the same key does not):
        # its lines, once wrapped to the pane's width.
        bar_width = max(1, self.size.width - 2)
        same = old_header is not None and _rows(old_header, bar_width) == _rows(header, bar_width)
        self.query_one("#inspector-header", Static).update(header, layout=not same)
        bar = self.query_one("#inspector-banner", Static)
        if banner is not None:
            self.banner_text = banner
        if self.banner_text is not None:
            bar.update(self.banner_text)
            bar.add_class("shown")
        elif bar.has_class("shown"):
            bar.remove_class("shown")
        cls = view_for(data) if data else None
        if self.view is not None and (cls is None or type(self.view) is not cls):
            self.view.remove()
            self.view = None
        if cls is None:
            return
        if self.view is None:
            self.view = cls(data, previous)
            self.mount(self.view)
        else:
            self.view.show(data, previous)

    # -- fetching --

    def watch_key(self, old: str | None, new: str | None) -> None:
        if old != new:
            self.banner_text = None
            self.previous = None
            self.data = None
            self.window_start = 0
        self.reload()

    def watch_path(self) -> None:
        self.reload()

    def watch_window_start(self) -> None:
        self.reload()

    def page(self, delta: int) -> None:
        self.window_start = max(0, self.window_start + delta * self.WINDOW)

    def reload(self) -> None:
        if not self.is_mounted or getattr(self.app, "lab", None) is None:
            return
        self._fetch(self.key, self.window_start, self.path)

    @work(exclusive=True, thread=True, group="inspect")
    def _fetch(self, key: str | None, start: int, path: str | None) -> None:
        lab = self.app.lab
        if key is None:
            self.app.call_from_thread(self.show, None)
            return
        try:
            window = (start, self.WINDOW) if start else None
            data = lab.inspect(key, window=window, path=path or None)
            rank = _path_rank(data)
            if rank is not None and not start <= rank - 1 < start + self.WINDOW:
                # The member is outside the window: centre the window on it.
                start = max(0, rank - 1 - self.WINDOW // 4)
                data = lab.inspect(key, window=(start, self.WINDOW), path=path or None)
                self.app.call_from_thread(self.set_reactive, KeyInspector.window_start, start)
        except (LabError, OSError, ConnectionError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        previous = self.data if self.data and self.data.get("key") == key else None
        self.app.call_from_thread(self.show, data, previous)

    def _failed(self, message: str) -> None:
        self.query_one("#inspector-header", Static).update(Text(message, style="bold red"))

    def note_event(self, event: dict) -> None:
        """A LAB event: refresh if it names our key; a conversion gets a banner."""
        if self.key is None or str(event.get("key")) != self.key:
            return
        if event.get("type") == "encoding-conversion":
            self._conversion_banner(event)
        self.reload()

    @work(thread=True, group="banner")
    def _conversion_banner(self, event: dict) -> None:
        lab = self.app.lab
        value_type = event.get("value_type") or (self.data or {}).get("type")
        names = THRESHOLDS.get(str(value_type), ())
        limits = []
        for name in names:
            try:
                limits.append(f"{name} = {lab.config_get(name)}")
            except (LabError, OSError):
                pass
        text = Text("converted ", style="bold")
        text.append(str(event.get("from")), style="bold red")
        text.append(" → ", style="bold")
        text.append(str(event.get("to")), style="bold green")
        text.append(f": {event.get('reason', '')}")
        if limits:
            text.append("\nthresholds: " + ", ".join(limits), style=META)
        self.app.call_from_thread(self._set_banner, text)

    def _set_banner(self, text: Text) -> None:
        self.banner_text = text
        bar = self.query_one("#inspector-banner", Static)
        bar.update(text)
        bar.add_class("shown")

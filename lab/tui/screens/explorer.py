"""The Explorer: the keyspace as a tree of ``:`` namespaces, loaded with SCAN.

Never ``KEYS``: each page is a few ``SCAN cursor MATCH p COUNT 200 [TYPE t]``
calls (until about 200 keys or the end), then one pipeline of ``TYPE``,
``OBJECT ENCODING``, ``PTTL`` and ``MEMORY USAGE`` for the page. ``n`` loads
the next page; the table sorts only what is loaded (say so: a sorted page is
not a sorted keyspace). Enter on a key opens it in the Inspector.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Select, Static, Tree

from lab.client import LabError

from ..widgets.keytable import KeyTable

PAGE = 200
TYPES = ["string", "list", "set", "zset", "hash", "stream"]
SORTS = ["key", "type", "encoding", "ttl", "size"]
COLUMNS = ["key", "type", "encoding", "TTL", "size (B)"]


def namespaces(keys: list[str], sep: str = ":") -> dict:
    """{"user": {"": n, "1": {...}}} — a nested dict counting keys per prefix."""
    root: dict = {}
    for key in keys:
        node = root
        for part in key.split(sep)[:-1]:
            node = node.setdefault(part, {})
        node.setdefault("", 0)
        node[""] = node.get("", 0) + 1
    return root


def _count(node: dict) -> int:
    return sum(v if k == "" else _count(v) for k, v in node.items())


class ExplorerScreen(Screen):
    BINDINGS = [
        Binding("n", "more", "Next page"),
        Binding("r", "reload", "Reload"),
        Binding("s", "sort", "Sort"),
        Binding("ctrl+f", "focus_filter", "Filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.cursor = 0
        self.done = False
        self.sort_index = 0
        self.prefix = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="explorer-bar"):
            yield Input(placeholder="MATCH pattern, e.g. user:*", id="pattern")
            yield Select([(t, t) for t in TYPES], prompt="any type", id="type-filter")
        with Horizontal(id="explorer-body"):
            yield Tree("keyspace", id="namespaces")
            with Vertical():
                yield KeyTable(COLUMNS, id="keys")
                yield Static("", id="explorer-status")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one("#keys", KeyTable).focus()

    # -- loading --

    def action_reload(self) -> None:
        self.rows, self.cursor, self.done = [], 0, False
        self._load()

    def action_more(self) -> None:
        if not self.done:
            self._load()

    @work(thread=True, exclusive=True, group="explorer")
    def _load(self) -> None:
        lab = self.app.lab
        pattern = self.query_one("#pattern", Input).value.strip() or None
        kind = self.query_one("#type-filter", Select).value
        kind = kind if isinstance(kind, str) else None
        keys: list[str] = []
        cursor = self.cursor
        try:
            for _ in range(50):  # at most 50 SCAN calls per page
                cursor, batch = lab.scan(cursor, pattern, PAGE, kind)
                keys += [k if isinstance(k, str) else repr(k) for k in batch]
                if cursor == 0 or len(keys) >= PAGE:
                    break
            rows = lab.describe_keys(keys) if keys else []
        except (LabError, OSError) as exc:
            self.app.call_from_thread(self._status, f"[red]{exc}[/]")
            return
        self.app.call_from_thread(self._loaded, rows, cursor)

    def _loaded(self, rows: list[dict], cursor: int) -> None:
        self.rows += rows
        self.cursor = cursor
        self.done = cursor == 0
        self._draw_tree()
        self._draw_table()

    def _status(self, text: str) -> None:
        self.query_one("#explorer-status", Static).update(text)

    # -- drawing --

    def _draw_tree(self) -> None:
        tree = self.query_one("#namespaces", Tree)
        tree.clear()
        tree.root.label = f"keyspace ({len(self.rows)} loaded)"
        tree.root.data = ""

        def add(node, spaces: dict, prefix: str) -> None:
            for name in sorted(k for k in spaces if k != ""):
                child = spaces[name]
                full = f"{prefix}{name}:"
                branch = node.add(f"{name}: ({_count(child)})", data=full, expand=False)
                add(branch, child, full)

        add(tree.root, namespaces([r["key"] for r in self.rows]), "")
        tree.root.expand()

    def _draw_table(self) -> None:
        table = self.query_one("#keys", KeyTable)
        rows = [r for r in self.rows if r["key"].startswith(self.prefix)]
        field = SORTS[self.sort_index]
        keyfn = {
            "key": lambda r: r["key"],
            "type": lambda r: (r["type"], r["key"]),
            "encoding": lambda r: (r["encoding"], r["key"]),
            "ttl": lambda r: (r["ttl_ms"] < 0, r["ttl_ms"]),
            "size": lambda r: -(r["memory"] or 0),
        }[field]
        rows.sort(key=keyfn)
        table.set_rows(
            [
                (
                    r["key"],
                    r["type"],
                    r["encoding"],
                    "—" if r["ttl_ms"] < 0 else f"{r['ttl_ms'] / 1000:.1f} s",
                    str(r["memory"] or "?"),
                )
                for r in rows
            ],
            [r["key"] for r in rows],
        )
        more = "" if self.done else " · n: next page"
        where = f" under {self.prefix}" if self.prefix else ""
        self._status(
            f"{len(rows)} keys{where} · {len(self.rows)} loaded by SCAN{more} · "
            f"sorted by {field} (this page only) · Enter opens the inspector"
        )

    # -- interaction --

    @on(Input.Submitted, "#pattern")
    def _pattern(self) -> None:
        self.action_reload()

    @on(Select.Changed, "#type-filter")
    def _type(self) -> None:
        if self.is_mounted:
            self.action_reload()

    @on(Tree.NodeSelected, "#namespaces")
    def _namespace(self, event: Tree.NodeSelected) -> None:
        self.prefix = event.node.data or ""
        self._draw_table()

    @on(KeyTable.RowSelected, "#keys")
    def _open(self, event: KeyTable.RowSelected) -> None:
        self.app.open_key(event.key)

    @on(KeyTable.HeaderSelected, "#keys")
    def _header(self, event: KeyTable.HeaderSelected) -> None:
        self.sort_index = event.column_index % len(SORTS)
        self._draw_table()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._draw_table()

    def action_focus_filter(self) -> None:
        self.query_one("#pattern", Input).focus()

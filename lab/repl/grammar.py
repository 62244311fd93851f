"""The REPL's grammar, built from the server's own command table.

Nothing here is a hand-written regex per command. The table comes from, in
order of preference:

1. ``COMMAND DOCS`` of the connected server (our server or a real Redis),
   cached on disk per server name and version so the next start is instant;
2. our command table as data, ``server/commands/commands.json``, read as a
   file (the lab never imports server code);
3. the most recent cached ``COMMAND DOCS`` of any server.

Each command's argument tree (the ``arguments`` of ``COMMAND DOCS``: tokens,
``oneof`` choices, ``block`` groups, ``optional`` and ``multiple`` flags) is
compiled into a small NFA (Thompson's construction). Running the words typed
so far through it answers every question the REPL asks: which option tokens
may come next (completion), whether the next word is a key (key completion,
highlighting), what the current word means (toolbar), and where the command's
syntax is. One NFA, three users: completer, lexer, toolbar.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .resp import Error, Map, to_python

VALUE_TYPES = ("key", "string", "integer", "double", "pattern", "unix-time")


@dataclass
class Argument:
    """One node of a command's argument tree (as in ``COMMAND DOCS``)."""

    name: str
    type: str
    token: str | None = None
    optional: bool = False
    multiple: bool = False
    multiple_token: bool = False
    key_spec_index: int | None = None
    display: str | None = None
    summary: str | None = None
    since: str | None = None
    children: list[Argument] = field(default_factory=list)

    @classmethod
    def from_doc(cls, doc: dict) -> Argument:
        flags = doc.get("flags") or []
        if isinstance(flags, str):
            flags = [flags]
        return cls(
            name=str(doc.get("name", "")),
            type=str(doc.get("type", "string")),
            token=doc.get("token"),
            optional="optional" in flags,
            multiple="multiple" in flags,
            multiple_token="multiple_token" in flags,
            key_spec_index=doc.get("key_spec_index"),
            display=doc.get("display_text") or doc.get("display"),
            summary=doc.get("summary"),
            since=doc.get("since"),
            children=[cls.from_doc(a) for a in doc.get("arguments") or []],
        )

    def syntax(self) -> str:
        """This argument as the Redis docs write it: ``[EX seconds | PX ms]``."""
        core = self._core()
        if self.multiple:
            if self.multiple_token and self.token and self.type != "pure-token":
                core = f"{self.token} {self._core(with_token=False)}"
                text = f"{core} [{core} ...]"
            elif self.token and self.type != "pure-token":
                inner = self._core(with_token=False)
                text = f"{self.token} {inner} [{inner} ...]"
            else:
                text = f"{core} [{core} ...]"
        else:
            text = core
        if self.optional:
            return f"[{text}]"
        return text

    def _core(self, with_token: bool = True) -> str:
        if self.type == "pure-token":
            return self.token or self.name
        if self.type == "oneof":
            body = " | ".join(a.syntax() for a in self.children)
            body = body if self.optional or len(self.children) < 2 else f"<{body}>"
        elif self.type == "block":
            body = " ".join(a.syntax() for a in self.children)
        else:
            body = self.display or self.name
        if with_token and self.token:
            return f"{self.token} {body}"
        return body

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Command:
    """One command (or subcommand, named ``"CLIENT KILL"``) of the table."""

    name: str
    summary: str = ""
    since: str = ""
    group: str = ""
    complexity: str = ""
    arguments: list[Argument] = field(default_factory=list)
    subcommands: dict[str, Command] = field(default_factory=dict)
    deprecated_since: str | None = None
    replaced_by: str | None = None
    history: list = field(default_factory=list)
    doc_flags: list = field(default_factory=list)
    _nfa: Nfa | None = None

    @property
    def syntax(self) -> str:
        parts = [self.name] + [a.syntax() for a in self.arguments]
        return " ".join(parts)

    @property
    def nfa(self) -> Nfa:
        if self._nfa is None:
            self._nfa = Nfa(self.arguments)
        return self._nfa

    @property
    def words(self) -> int:
        return len(self.name.split())


def _docs_dict(value) -> dict:
    """A doc map under RESP3 (Map/dict) or RESP2 (flat key/value list) as a dict."""
    if isinstance(value, dict):
        return value
    if isinstance(value, Map):
        return {to_python(k): v for k, v in value}
    if isinstance(value, list):
        return {to_python(k): v for k, v in zip(value[0::2], value[1::2], strict=False)}
    return {}


def normalize_doc(doc) -> dict:
    """One command's ``COMMAND DOCS`` entry as plain Python, RESP2 or RESP3."""
    doc = _docs_dict(doc)
    out: dict = {}
    for key, value in doc.items():
        if key == "arguments":
            out[key] = [normalize_doc(a) for a in value or []]
        elif key == "subcommands":
            subs = _docs_dict(value)
            out[key] = {to_python(k): normalize_doc(v) for k, v in subs.items()}
        elif key == "history":
            out[key] = [to_python(h) for h in value or []]
        else:
            out[key] = to_python(value)
    return out


def normalize_docs_reply(reply) -> dict[str, dict]:
    """The whole ``COMMAND DOCS`` reply as {lowercase name: doc dict}."""
    return {str(to_python(k)).lower(): normalize_doc(v) for k, v in _docs_dict(reply).items()}


def _command_from_doc(name: str, doc: dict) -> Command:
    display = name.replace("|", " ").upper()
    subs = doc.get("subcommands") or {}
    if isinstance(subs, list):  # our JSON may list subcommands instead of mapping them
        subs = {s.get("fullname") or s.get("name", ""): s for s in subs}
    subcommands = {}
    for sub_name, sub_doc in subs.items():
        full = sub_name if "|" in sub_name or " " in sub_name else f"{name}|{sub_name}"
        sub = _command_from_doc(full.replace(" ", "|"), sub_doc)
        subcommands[sub.name.split()[-1]] = sub
    return Command(
        name=display,
        summary=doc.get("summary") or "",
        since=doc.get("since") or "",
        group=doc.get("group") or "",
        complexity=doc.get("complexity") or "",
        arguments=[Argument.from_doc(a) for a in doc.get("arguments") or []],
        subcommands=subcommands,
        deprecated_since=doc.get("deprecated_since"),
        replaced_by=doc.get("replaced_by"),
        history=doc.get("history") or [],
        doc_flags=doc.get("doc_flags") or [],
    )


class CommandTable:
    """Every command the server knows, by upper-case name, with lookups."""

    def __init__(self, docs: dict[str, dict], source: str = "") -> None:
        self.source = source
        self.docs = docs
        self.commands: dict[str, Command] = {}
        for name, doc in docs.items():
            command = _command_from_doc(name, doc)
            self.commands[command.name] = command

    def __len__(self) -> int:
        return len(self.commands)

    def __contains__(self, name: str) -> bool:
        return name.upper() in self.commands

    def all_commands(self):
        """Top-level commands and every subcommand."""
        for command in self.commands.values():
            yield command
            yield from command.subcommands.values()

    def lookup(self, words: list[str]) -> Command | None:
        """The most specific command the leading words name (``CLIENT KILL``)."""
        if not words:
            return None
        command = self.commands.get(words[0].upper())
        if command is None:
            return None
        if command.subcommands and len(words) > 1:
            return command.subcommands.get(words[1].upper(), command)
        return command

    def groups(self) -> dict[str, list[Command]]:
        out: dict[str, list[Command]] = {}
        for command in self.all_commands():
            out.setdefault(command.group or "other", []).append(command)
        return out

    # -- loading -------------------------------------------------------------

    @classmethod
    def from_json_data(cls, data, source: str = "") -> CommandTable:
        """Our own command table (``commands.json``): a list or a mapping of commands."""
        if (
            isinstance(data, dict)
            and "commands" in data
            and isinstance(data["commands"], list | dict)
        ):
            data = data["commands"]
        if isinstance(data, list):
            data = {(d.get("fullname") or d.get("name", "")).lower(): d for d in data}
        docs = {}
        for name, doc in data.items():
            if doc.get("container"):  # a subcommand listed at top level
                continue
            docs[name.lower().replace(" ", "|")] = doc
        return cls(docs, source)

    @classmethod
    def from_server(cls, conn, cache: bool = True) -> CommandTable:
        """``COMMAND DOCS`` of the connected server, through the on-disk cache."""
        key = server_cache_key(conn)
        path = cache_dir() / f"command-docs-{key}.json" if key and cache else None
        if path is not None and path.exists():
            try:
                return cls(json.loads(path.read_text()), f"cache of {key}")
            except (OSError, ValueError):
                pass
        reply = conn.execute("COMMAND", "DOCS")
        if isinstance(reply, Error) or not reply:
            raise LookupError(f"COMMAND DOCS failed: {reply!r}")
        docs = normalize_docs_reply(reply)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                tmp.write_text(json.dumps(docs))
                tmp.replace(path)
            except OSError:
                pass
        return cls(docs, f"COMMAND DOCS of {key or 'the server'}")


def cache_dir() -> Path:
    override = os.environ.get("REDIS_LAB_CACHE")
    if override:
        return Path(override)
    try:
        import platformdirs

        return Path(platformdirs.user_cache_dir("redis-lab"))
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return Path.home() / ".cache" / "redis-lab"


def server_cache_key(conn) -> str | None:
    """``<server>-<version>-<command count>`` from INFO, safe for a file name."""
    try:
        info = conn.execute("INFO", "server")
    except (OSError, ConnectionError):
        return None
    if not isinstance(info, bytes) or isinstance(info, Error):
        return None
    fields = dict(
        line.split(":", 1) for line in info.decode(errors="replace").splitlines() if ":" in line
    )
    name = fields.get("server_name") or ("lab" if "lab_version" in fields else "redis")
    version = (
        fields.get("lab_version")
        or fields.get("valkey_version")
        or fields.get("redis_version", "unknown")
    )
    # The number of commands too: a server under development (ours) grows
    # commands without changing its version, and must not reuse a stale cache.
    try:
        count = conn.execute("COMMAND", "COUNT")
    except (OSError, ConnectionError):
        count = None
    suffix = f"-{count}" if isinstance(count, int) else ""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{name}-{version}{suffix}")


def commands_json_path() -> Path | None:
    """Where ``server/commands/commands.json`` is, without importing ``server``."""
    candidates = []
    try:
        spec = importlib.util.find_spec("server")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidates.append(Path(location) / "commands" / "commands.json")
    candidates.append(Path(__file__).resolve().parents[2] / "server" / "commands" / "commands.json")
    for path in candidates:
        if path.is_file():
            return path
    return None


def load_offline_table() -> CommandTable | None:
    """The table without a server: our JSON, else the newest cached COMMAND DOCS."""
    path = commands_json_path()
    if path is not None:
        try:
            table = CommandTable.from_json_data(json.loads(path.read_text()), str(path))
            if len(table):
                return table
        except (OSError, ValueError, AttributeError, TypeError):
            pass
    try:
        cached = sorted(cache_dir().glob("command-docs-*.json"), key=lambda p: p.stat().st_mtime)
    except OSError:
        cached = []
    for path in reversed(cached):
        try:
            return CommandTable(json.loads(path.read_text()), f"cache {path.name}")
        except (OSError, ValueError):
            continue
    return None


_OFFLINE: list = []


def offline_table() -> CommandTable | None:
    """:func:`load_offline_table`, loaded once per process."""
    if not _OFFLINE:
        _OFFLINE.append(load_offline_table())
    return _OFFLINE[0]


# -- the argument NFA ----------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    """A transition that consumes one word: a literal token or a typed value."""

    kind: str  # "token" or "value"
    text: str  # the token (upper case) or the value type
    arg: Argument


class Nfa:
    """Thompson NFA over words for one command's argument list."""

    def __init__(self, arguments: list[Argument]) -> None:
        self.edges: list[list[tuple[Edge | None, int]]] = []
        self.start = self._new()
        self.accept = self._sequence(arguments, self.start)

    def _new(self) -> int:
        self.edges.append([])
        return len(self.edges) - 1

    def _link(self, src: int, dst: int, edge: Edge | None = None) -> None:
        self.edges[src].append((edge, dst))

    def _sequence(self, arguments: list[Argument], start: int) -> int:
        """Arguments in order, except that a run of optional ones may come in
        any order (Redis parses ``SET k v EX 10 NX`` as happily as ``NX EX
        10``): the run becomes a hub that each optional argument leaves from
        and returns to."""
        state = start
        i = 0
        while i < len(arguments):
            j = i
            while j < len(arguments) and arguments[j].optional:
                j += 1
            if j - i > 1:
                hub = self._new()
                self._link(state, hub)
                for arg in arguments[i:j]:
                    self._link(self._argument(arg, hub), hub)
                state, i = hub, j
                continue
            state = self._argument(arguments[i], state)
            i += 1
        return state

    def _argument(self, arg: Argument, start: int) -> int:
        entry = self._new()
        self._link(start, entry)
        if arg.multiple and arg.token and not arg.multiple_token and arg.type != "pure-token":
            after_token = self._new()
            self._link(entry, after_token, Edge("token", arg.token.upper(), arg))
            end = self._repeat(arg, after_token, with_token=False)
        else:
            end = (
                self._repeat(arg, entry, with_token=True)
                if arg.multiple
                else self._core(arg, entry, with_token=True)
            )
        if arg.optional:
            self._link(start, end)
        return end

    def _repeat(self, arg: Argument, start: int, with_token: bool) -> int:
        loop = self._new()
        self._link(start, loop)
        end = self._core(arg, loop, with_token)
        self._link(end, loop)  # one or more
        return end

    def _core(self, arg: Argument, start: int, with_token: bool) -> int:
        state = start
        if arg.type == "pure-token":
            end = self._new()
            self._link(state, end, Edge("token", (arg.token or arg.name).upper(), arg))
            return end
        if with_token and arg.token:
            after = self._new()
            self._link(state, after, Edge("token", arg.token.upper(), arg))
            state = after
        if arg.type == "oneof":
            end = self._new()
            for child in arg.children:
                self._link(self._argument(child, state), end)
            return end
        if arg.type == "block":
            return self._sequence(arg.children, state)
        end = self._new()
        self._link(state, end, Edge("value", arg.type, arg))
        return end

    def closure(self, states) -> frozenset[int]:
        seen = set(states)
        todo = list(states)
        while todo:
            state = todo.pop()
            for edge, dst in self.edges[state]:
                if edge is None and dst not in seen:
                    seen.add(dst)
                    todo.append(dst)
        return frozenset(seen)

    def initial(self) -> frozenset[int]:
        return self.closure([self.start])

    def step(self, states: frozenset[int], word: str) -> tuple[frozenset[int], list[tuple]]:
        """Consume one word; returns the new states and the (edge, dst) pairs taken.

        A token edge takes only its own word (any case); a numeric value edge
        only a number (``1.5``, ``-inf``, ``(3`` for an exclusive bound,
        ``#2`` for a BITFIELD offset); other value edges take any word, so an
        ambiguous word keeps both readings alive.
        """
        upper = word.upper()
        nxt = []
        used = []
        for state in states:
            for edge, dst in self.edges[state]:
                if edge is None:
                    continue
                if edge.kind == "token" and edge.text != upper:
                    continue
                if edge.text in NUMERIC_TYPES and not looks_numeric(word):
                    continue
                nxt.append(dst)
                used.append((edge, dst))
        return self.closure(nxt), used

    def expected(self, states: frozenset[int]) -> list[Edge]:
        """The edges that could take the next word."""
        out = []
        for state in states:
            for edge, _ in self.edges[state]:
                if edge is not None and edge not in out:
                    out.append(edge)
        return out

    def accepts(self, states: frozenset[int]) -> bool:
        return self.accept in states


@dataclass
class WordInfo:
    """What one typed word is, according to the grammar."""

    role: (
        str  # command, subcommand, token, key, integer, double, string, pattern, unix-time, unknown
    )
    argument: Argument | None = None


@dataclass
class Analysis:
    command: Command | None
    roles: list[WordInfo]
    states: frozenset[int] | None  # after the last complete word
    expected: list[Edge]


def analyze(table: CommandTable | None, words: list[str]) -> Analysis:
    """Run typed words through the grammar: each word's role and what may follow."""
    if table is None or not words:
        return Analysis(None, [WordInfo("unknown") for _ in words], None, [])
    command = table.lookup(words)
    if command is None:
        return Analysis(None, [WordInfo("unknown") for _ in words], None, [])
    roles = [WordInfo("command")]
    if command.words == 2:
        roles.append(WordInfo("subcommand"))
    nfa = command.nfa
    states = nfa.initial()
    steps = []
    args = words[command.words :]
    for word in args:
        if not states:
            steps.append([])
            continue
        states, used = nfa.step(states, word)
        steps.append(used)
    # Backwards: keep only readings that lead somewhere, preferring complete
    # commands, so `BLPOP k 0` reads 0 as the timeout and not as a second key.
    alive = {nfa.accept} if nfa.accepts(states) else set(states)
    chosen: list[list[Edge]] = [[] for _ in args]
    for i in range(len(args) - 1, -1, -1):
        good = [(e, d) for e, d in steps[i] if alive & nfa.closure([d])]
        chosen[i] = [e for e, _ in good] or [e for e, _ in steps[i]]
        alive = _sources(nfa, good)
    for word, edges in zip(args, chosen, strict=True):
        roles.append(_role(edges, word))
    return Analysis(command, roles, states, nfa.expected(states) if states else [])


def _sources(nfa: Nfa, good: list[tuple[Edge, int]]) -> set[int]:
    """States with an outgoing edge among ``good``."""
    out = set()
    targets = {(id(e), d) for e, d in good}
    for state, edges in enumerate(nfa.edges):
        for edge, dst in edges:
            if edge is not None and (id(edge), dst) in targets:
                out.add(state)
    return out


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?inf$", re.IGNORECASE)
NUMERIC_TYPES = ("integer", "double", "unix-time")


def looks_numeric(word: str) -> bool:
    return bool(_NUMBER.match(word[1:] if word[:1] in "(#" else word))


def _role(edges: list[Edge], word: str) -> WordInfo:
    if not edges:
        return WordInfo("unknown")
    for edge in edges:
        if edge.kind == "token":
            return WordInfo("token", edge.arg)
    for edge in edges:
        if edge.text == "key":
            return WordInfo("key", edge.arg)
    for edge in edges:
        if edge.text in ("integer", "double", "unix-time") and _NUMBER.match(word):
            return WordInfo(edge.text, edge.arg)
    return WordInfo(edges[0].text, edges[0].arg)

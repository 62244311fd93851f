"""Completion and the bottom toolbar, both driven by the grammar's NFA.

Completing ``SET k v `` asks the command's NFA which edges leave the states
reached after ``k v``: token edges become candidates (``NX``, ``XX``, ``GET``,
``EX``...), a ``key`` value edge asks the key cache. The toolbar shows the
syntax of the command being typed, the argument expected next, its complexity
and the version that introduced it.

Key names come from ``SCAN`` on a separate connection (so completion never
runs inside the user's ``MULTI``), bounded in keys and time, and cached for a
few seconds per database and prefix.
"""

from __future__ import annotations

import time

from prompt_toolkit.completion import Completer, Completion

from .grammar import CommandTable, analyze
from .resp import Connection, Error, to_text
from .split import scan_words

LOCAL_COMMANDS = {
    "HELP": "Offline help: HELP <command> or HELP @<group>",
    "PEEK": "Show a key's type, encoding, memory, TTL and first elements",
    "QUIT": "Leave the REPL",
    "EXIT": "Leave the REPL",
    "CLEAR": "Clear the screen",
    "CONNECT": "Connect to another server: CONNECT host port",
}


class KeyCache:
    """Key names for completion: SCAN-based, bounded, cached briefly."""

    def __init__(
        self, connect=None, max_keys: int = 2000, max_seconds: float = 0.3, ttl: float = 5.0
    ):
        self._connect = connect  # () -> Connection | None
        self._conn: Connection | None = None
        self._db = 0
        self.max_keys = max_keys
        self.max_seconds = max_seconds
        self.ttl = ttl
        self._cache: dict[tuple[int, str], tuple[float, list[str]]] = {}

    def invalidate(self) -> None:
        self._cache.clear()

    def keys(self, prefix: str, db: int = 0) -> list[str]:
        now = time.monotonic()
        cached = self._cache.get((db, prefix))
        if cached and now - cached[0] < self.ttl:
            return cached[1]
        # A cached shorter prefix that finished its scan already holds the answer.
        for (cdb, cprefix), (stamp, keys) in self._cache.items():
            if cdb == db and prefix.startswith(cprefix) and now - stamp < self.ttl:
                if len(keys) < self.max_keys:
                    return [k for k in keys if k.startswith(prefix)]
        keys = self._scan(prefix, db)
        self._cache[(db, prefix)] = (now, keys)
        return keys

    def _connection(self, db: int) -> Connection | None:
        if self._conn is None and self._connect is not None:
            try:
                self._conn = self._connect()
                self._db = 0
            except (OSError, ConnectionError):
                self._conn = None
        if self._conn is not None and self._db != db:
            if self._conn.execute("SELECT", str(db)) == b"OK":
                self._db = db
        return self._conn

    def _scan(self, prefix: str, db: int) -> list[str]:
        try:
            conn = self._connection(db)
            if conn is None:
                return []
            pattern = "".join("\\" + c if c in "*?[]\\" else c for c in prefix) + "*"
            found: list[str] = []
            cursor = b"0"
            deadline = time.monotonic() + self.max_seconds
            while True:
                reply = conn.execute("SCAN", cursor, "MATCH", pattern, "COUNT", "500")
                if isinstance(reply, Error) or not isinstance(reply, list) or len(reply) != 2:
                    break
                cursor, batch = reply
                found.extend(to_text(k) for k in batch)
                if cursor == b"0" or len(found) >= self.max_keys or time.monotonic() > deadline:
                    break
            return sorted(set(found))[: self.max_keys]
        except (OSError, ConnectionError):
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            return []


def _current_word(text: str):
    """(complete words before the cursor, the partial word at the cursor)."""
    words = scan_words(text)
    if words and words[-1].end == len(text) and not (words[-1].quote and words[-1].closed):
        return [w.value for w in words[:-1]], words[-1]
    return [w.value for w in words], None


def _cased(candidate: str, typed: str) -> str:
    return candidate.lower() if typed and typed.islower() else candidate


class RedisCompleter(Completer):
    def __init__(
        self,
        table: CommandTable | None,
        keys: KeyCache | None = None,
        newbie: bool = False,
        db=lambda: 0,
    ):
        self.table = table
        self.key_cache = keys
        self.newbie = newbie
        self.db = db

    def get_completions(self, document, complete_event):
        text = document.text_before_cursor
        if text.lstrip().startswith("|") or _in_pipe(text):
            return
        before, partial = _current_word(text)
        typed = partial.value if partial else ""
        start = -(partial.end - partial.start) if partial else 0
        if self.table is None:
            return
        if not before:
            yield from self._commands(typed, start)
            return
        head = before[0].upper()
        if head == "HELP" and len(before) == 1:
            for group in sorted(self.table.groups()):
                if ("@" + group).startswith(typed.lower()):
                    yield Completion("@" + group, start, display_meta="group")
            yield from self._commands(typed, start)
            return
        if head == "PEEK" and len(before) == 1:
            yield from self._keys(typed, start)
            return
        command = self.table.lookup(before)
        if command is None:
            return
        if command.subcommands and len(before) == 1:
            for sub in sorted(command.subcommands.values(), key=lambda c: c.name):
                word = sub.name.split()[-1]
                if word.startswith(typed.upper()):
                    yield Completion(_cased(word, typed), start, display_meta=self._meta(sub))
            return
        analysis = analyze(self.table, before)
        # Options of the command itself are offered once (SET k v NX: no second NX).
        typed_upper = {w.upper() for w in before[command.words :]}
        once = {id(a) for a in _top_level(command.arguments) if not a.multiple}
        seen = set()
        wants_key = False
        for edge in analysis.expected:
            if edge.kind == "token":
                if edge.text in seen or not edge.text.startswith(typed.upper()):
                    continue
                if edge.text in typed_upper and id(edge.arg) in once:
                    continue
                seen.add(edge.text)
                meta = edge.arg.summary or (
                    edge.arg.name if edge.arg.name.upper() != edge.text else ""
                )
                yield Completion(_cased(edge.text, typed), start, display_meta=meta or None)
            elif edge.text == "key":
                wants_key = True
        if wants_key:
            yield from self._keys(typed, start)

    def _meta(self, command):
        return command.summary if self.newbie else (command.group or None)

    def _commands(self, typed: str, start: int):
        upper = typed.upper()
        for name in sorted(LOCAL_COMMANDS):
            if name.startswith(upper) and name not in self.table.commands:
                yield Completion(_cased(name, typed), start, display_meta=LOCAL_COMMANDS[name])
        for name in sorted(self.table.commands):
            if name.startswith(upper):
                command = self.table.commands[name]
                yield Completion(_cased(name, typed), start, display_meta=self._meta(command))

    def _keys(self, typed: str, start: int):
        if self.key_cache is None:
            return
        for key in self.key_cache.keys(typed, self.db()):
            display = key if all(c.isprintable() and not c.isspace() for c in key) else None
            text = key if display else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
            yield Completion(text, start, display=key, display_meta="key")


def _top_level(arguments):
    for arg in arguments:
        yield arg
        if arg.type == "oneof" and not arg.multiple:
            yield from arg.children


def _in_pipe(text: str) -> bool:
    for word in scan_words(text):
        if not word.quote and text[word.start : word.end].startswith("|") and word.start > 0:
            return True
    return False


def toolbar_text(table: CommandTable | None, text: str) -> str:
    """One line: syntax of the command being typed, what comes next, since, cost."""
    if table is None:
        return "no command table (not connected, no commands.json)"
    before, partial = _current_word(text)
    words = before + ([partial.value] if partial else [])
    if not words:
        return "type a command; Tab completes; HELP <command> for details"
    head = words[0].upper()
    if head in LOCAL_COMMANDS and head not in table.commands:
        return f"{head}: {LOCAL_COMMANDS[head]}"
    command = table.lookup(words)
    if command is None:
        matches = [n for n in table.commands if n.startswith(head)]
        if partial is not None and not before and matches:
            return f"{len(matches)} commands start with {head}"
        return f"unknown command '{words[0]}'"
    parts = [command.syntax]
    analysis = analyze(table, before) if len(before) >= command.words else None
    if analysis is not None and analysis.states is not None:
        names = []
        for edge in analysis.expected:
            label = edge.text if edge.kind == "token" else edge.arg.display or edge.arg.name
            if label not in names:
                names.append(label)
        if names:
            shown = " | ".join(names[:6]) + (" | ..." if len(names) > 6 else "")
            parts.append(f"next: {shown}")
        elif analysis.command is not None and not analysis.states:
            parts.append("too many arguments?")
    if command.since:
        parts.append(f"since {command.since}")
    if command.complexity:
        parts.append(command.complexity)
    return "  ·  ".join(parts)

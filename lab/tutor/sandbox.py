"""A key-prefix sandbox: several learners on one server, each in their own keys.

In a classroom everybody's lesson says ``SET greeting hello``. With
``--sandbox alice`` the tutor sends ``SET alice:greeting hello`` instead, and
the checks look at ``alice:greeting``: the learner types (and reads) the
names the lesson uses, the server holds one set of keys per learner.

**How key arguments are found.** The same way a cluster client finds them:
from the server's own command metadata. ``COMMAND INFO name`` gives each
command's *key specs* (Redis 7): where the search for keys begins (an index,
or after a keyword such as ``STREAMS``) and how keys are found from there (a
range with a step, or a count argument such as ``numkeys``). The positions
are computed here, once per command name, and cached; subcommands
(``OBJECT ENCODING``) have their own specs. Servers without key specs give
the legacy first/last/step triple, used as a fallback. ``COMMAND GETKEYS`` is
not used: it returns names, not positions, so it cannot tell ``SET a a``'s
key from its value.

**What is not sandboxed, and why.**
- ``KEYS pattern`` and ``SCAN ... MATCH pattern`` get the prefix added to
  the pattern and removed from the names in the reply.
- Commands that name no key but act on all of them (``FLUSHDB``,
  ``FLUSHALL``, ``SWAPDB``, ``RANDOMKEY``, ``SELECT``, ``MOVE``) are refused
  with an explanation: they would reach other learners' keys.
- Server-wide state is shared: ``INFO`` counters, ``CONFIG SET``, ``DBSIZE``,
  the ``LAB`` clock. Lessons compare INFO counters as *differences during a
  step*, which stays meaningful while others work, if a little noisy.
- Lua scripts get their ``KEYS`` prefixed (the key spec of ``EVAL`` covers
  them); names a script builds itself are its own business.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

REFUSED = {
    "FLUSHDB": "it would delete every learner's keys; UNLINK your own keys instead",
    "FLUSHALL": "it would delete every learner's keys; UNLINK your own keys instead",
    "SWAPDB": "it would swap every learner's keys",
    "RANDOMKEY": "it would pick among every learner's keys",
    "SELECT": "everyone shares one database in a sandbox",
    "MOVE": "everyone shares one database in a sandbox",
}

# Commands whose reply names keys (the sandbox strips its prefix from them).
_REPLY_KEY_FIRST = {"BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX", "BLMPOP", "LMPOP", "ZMPOP", "BZMPOP"}


def _field(spec, name):
    if isinstance(spec, dict):
        return spec.get(name)
    if isinstance(spec, list):  # RESP2 flat pairs
        for k, v in zip(spec[0::2], spec[1::2], strict=False):
            if k == name:
                return v
    return None


class KeySpecs:
    """Key positions of commands, read from ``COMMAND INFO`` through ``call``."""

    def __init__(self, call: Callable[..., object]) -> None:
        self.call = call
        self._cache: dict[str, object] = {}

    def _info(self, name: str):
        if name not in self._cache:
            try:
                reply = self.call("COMMAND", "INFO", name)
            except Exception:
                reply = None
            entry = reply[0] if isinstance(reply, list) and reply else None
            self._cache[name] = entry
        return self._cache[name]

    def known(self, name: str) -> bool:
        return self._info(name.lower()) is not None

    def positions(self, args: list[str]) -> list[int]:
        """Indexes of the key arguments in ``args`` (the whole command line)."""
        if not args:
            return []
        entry = self._info(args[0].lower())
        if entry is None:
            return []
        subcommands = entry[9] if len(entry) > 9 else []
        if subcommands and len(args) > 1:
            wanted = f"{args[0]}|{args[1]}".lower()
            for sub in subcommands:
                if str(sub[0]).lower() == wanted:
                    entry = sub
                    break
        specs = entry[8] if len(entry) > 8 else []
        if specs:
            found: set[int] = set()
            for spec in specs:
                found.update(_spec_positions(spec, args))
            return sorted(found)
        first, last, step = entry[3], entry[4], entry[5]
        if not first or not step:
            return []
        last = len(args) + last if last < 0 else last
        return [i for i in range(first, min(last, len(args) - 1) + 1, step)]


def _spec_positions(spec, args: list[str]) -> list[int]:
    begin = _field(spec, "begin_search")
    find = _field(spec, "find_keys")
    btype, bspec = _field(begin, "type"), _field(begin, "spec")
    argc = len(args)
    if btype == "index":
        start = int(_field(bspec, "index"))
    elif btype == "keyword":
        keyword = str(_field(bspec, "keyword")).upper()
        startfrom = int(_field(bspec, "startfrom"))
        if startfrom >= 0:
            order = range(startfrom, argc)
        else:
            order = range(argc + startfrom, 0, -1)
        start = next((i + 1 for i in order if 0 <= i < argc and args[i].upper() == keyword), 0)
        if not start:
            return []
    else:
        return []
    ftype, fspec = _field(find, "type"), _field(find, "spec")
    if ftype == "range":
        lastkey = int(_field(fspec, "lastkey"))
        step = int(_field(fspec, "keystep")) or 1
        limit = int(_field(fspec, "limit") or 0)
        if lastkey >= 0:
            last = start + lastkey
        elif limit <= 1:
            last = argc + lastkey
        else:
            last = start + ((argc - start) // limit) - 1
        return [i for i in range(start, min(last, argc - 1) + 1, step)]
    if ftype == "keynum":
        numidx = start + int(_field(fspec, "keynumidx"))
        if numidx >= argc:
            return []
        try:
            count = int(args[numidx])
        except ValueError:
            return []
        first = start + int(_field(fspec, "firstkey"))
        step = int(_field(fspec, "keystep")) or 1
        return [i for i in range(first, first + count * step, step) if i < argc]
    return []


class SandboxRefused(Exception):
    """A command that cannot run inside a sandbox (the message says why)."""


class Sandbox:
    """Rewrite typed commands so their keys live under ``<name>:``."""

    def __init__(self, name: str, specs: KeySpecs) -> None:
        if not NAME.match(name):
            raise ValueError("a sandbox name is 1-32 letters, digits, '_' or '-'")
        self.name = name
        self.prefix = f"{name}:"
        self.specs = specs

    def key(self, name: str) -> str:
        return self.prefix + name

    def unkey(self, value):
        if isinstance(value, bytes) and value.startswith(self.prefix.encode()):
            return value[len(self.prefix) :]
        if isinstance(value, str) and value.startswith(self.prefix):
            return value[len(self.prefix) :]
        return value

    def rewrite(self, args: list[str]) -> list[str]:
        if not args:
            return args
        name = args[0].upper()
        if name in REFUSED:
            raise SandboxRefused(
                f"{name} is not available in sandbox '{self.name}': {REFUSED[name]}"
            )
        out = list(args)
        if name == "KEYS" and len(out) == 2:
            out[1] = self.prefix + out[1]
            return out
        if name == "SCAN":
            for i in range(2, len(out) - 1):
                if out[i].upper() == "MATCH":
                    out[i + 1] = self.prefix + out[i + 1]
                    return out
            return [*out, "MATCH", self.prefix + "*"]
        for i in self.specs.positions(out):
            out[i] = self.prefix + out[i]
        return out

    def reply(self, args: list[str], reply):
        """Strip the prefix from key names in replies that carry them."""
        name = args[0].upper() if args else ""
        if name == "KEYS" and isinstance(reply, list):
            return type(reply)(self.unkey(k) for k in reply)
        if name == "SCAN" and isinstance(reply, list) and len(reply) == 2:
            keys = reply[1]
            if isinstance(keys, list):
                return type(reply)([reply[0], type(keys)(self.unkey(k) for k in keys)])
        if name in _REPLY_KEY_FIRST and isinstance(reply, list) and reply:
            return type(reply)([self.unkey(reply[0]), *reply[1:]])
        return reply

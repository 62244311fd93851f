"""Declarative checks: what a step expects to find on the server.

A ```check block is a YAML list; each item names one *kind* and its fields,
plus two optional fields every kind accepts: ``hint`` (the 1-based number of
the hint that helps when the check fails) and ``label`` (a sentence shown
instead of the generated description)::

    - exists: greeting
    - type: {key: greeting, is: string}
    - encoding: {key: visitors, is: intset}
      hint: 2
    - ttl: {key: session, min: 50, max: 60}
    - info: {field: expired_keys, delta: true, min: 1}
    - event: {type: encoding-conversion, key: visitors, to: hashtable}
    - typed: {used: SCAN, avoided: KEYS}

Every check reads the server over RESP through a :class:`Probe` (the runner
provides it: sandboxed key names, a second connection, the step's baseline)
and never changes what it reads, as far as Redis allows: on a server with
``LAB``, existence, type, encoding, length and TTL come from ``LAB INSPECT``,
which neither counts a keyspace hit nor expires a key. Checks that need
``LAB`` are *skipped* on other servers, with the reason said.

Comparisons (``is``, ``min``, ``max``, ``in``) are shared by the kinds that
compare one value: ``is`` is equality as text (``is: 5`` matches the string
``"5"``; ``is: null`` means "absent"), ``in`` a list of acceptable values,
``min``/``max`` numeric bounds, inclusive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from lab.repl.split import split_args

PASS = "pass"
FAIL = "fail"
SKIP = "skip"

LAB_ABSENT = "this server has no LAB command (real Redis or Valkey), so this is not visible"


class CheckSpecError(ValueError):
    """A check item is malformed; ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class CheckResult:
    check: Check
    status: str  # pass | fail | skip
    expected: str = ""
    found: str = ""
    reason: str = ""  # why skipped, or extra words on a failure

    @property
    def passed(self) -> bool:
        return self.status == PASS

    @property
    def failed(self) -> bool:
        return self.status == FAIL

    def message(self, hints: list[str] | None = None) -> str:
        """One line (two with a hint pointer) for a learner."""
        text = self.check.describe()
        if self.status == PASS:
            return text
        if self.status == SKIP:
            return f"{text} (skipped: {self.reason})"
        msg = f"{text}: expected {self.expected}, found {self.found}"
        if self.reason:
            msg += f" ({self.reason})"
        n = self.check.hint
        if n and hints and n <= len(hints):
            msg += f"\n  -> hint {n} may help (type 'hint')"
        elif hints:
            msg += "\n  -> type 'hint' for a hint"
        return msg


class Probe(Protocol):
    """What checks may ask of the server (provided by the runner)."""

    has_lab: bool

    def key(self, name: str) -> bytes: ...

    def call(
        self, *args, sandbox: bool = False
    ) -> Any: ...  # plain Python; errors raise ReplyError

    def inspect(self, name: str) -> dict | None: ...  # LAB INSPECT (has_lab only)

    def info_field(self, field: str, section: str | None = None) -> str | None: ...

    def info_delta(self, field: str, section: str | None = None) -> float | None: ...

    def events(self) -> list[dict]: ...  # LAB EVENTS seen since the step began

    def typed(self) -> list[list[str]]: ...  # the learner's commands in this step


class ReplyError(Exception):
    """An error reply read by a check."""


# -- comparisons ------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def _quoted(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value) if value != "" else "an empty string"
    return _text(value)


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class Expect:
    """``is`` / ``in`` / ``min`` / ``max`` read from a check's fields."""

    FIELDS = ("is", "in", "min", "max")

    def __init__(self, spec: dict, required: bool = True) -> None:
        self.has_is = "is" in spec
        self.equal = spec.get("is")
        self.one_of = spec.get("in")
        self.low = spec.get("min")
        self.high = spec.get("max")
        if self.one_of is not None and not isinstance(self.one_of, list):
            raise CheckSpecError("in", "'in' must be a list of acceptable values")
        for name, bound in (("min", self.low), ("max", self.high)):
            if bound is not None and _number(bound) is None:
                raise CheckSpecError(name, f"'{name}' must be a number, not {bound!r}")
        if required and not (self.has_is or self.one_of or self.bounded):
            raise CheckSpecError("is", "needs one of 'is', 'in', 'min' or 'max'")

    @property
    def bounded(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def given(self) -> bool:
        return self.has_is or self.one_of is not None or self.bounded

    def text(self) -> str:
        if self.has_is:
            return _quoted(self.equal)
        if self.one_of is not None:
            return "one of " + ", ".join(_quoted(v) for v in self.one_of)
        if self.low is not None and self.high is not None:
            return f"between {_text(self.low)} and {_text(self.high)}"
        if self.low is not None:
            return f"at least {_text(self.low)}"
        return f"at most {_text(self.high)}"

    def match(self, found) -> bool:
        if self.has_is:
            if self.equal is None or found is None:
                return self.equal is None and found is None
            if isinstance(self.equal, bool):
                return _text(found).lower() in (("1", "true") if self.equal else ("0", "false"))
            if isinstance(self.equal, int | float) and _number(found) is not None:
                return float(self.equal) == _number(found)
            return _text(self.equal) == _text(found)
        if self.one_of is not None:
            return any(_text(v) == _text(found) for v in self.one_of)
        value = _number(found)
        if value is None:
            return False
        if self.low is not None and value < float(self.low):
            return False
        return not (self.high is not None and value > float(self.high))


# -- the check kinds ----------------------------------------------------------------

KINDS: dict[str, type[Check]] = {}


def kind(cls):
    KINDS[cls.kind] = cls
    return cls


class Check:
    """One assertion; subclasses declare ``kind``, ``fields`` and ``run``."""

    kind: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]] = ()  # allowed fields of the mapping form
    required: ClassVar[tuple[str, ...]] = ()
    needs_lab: ClassVar[bool] = False
    scalar_field: ClassVar[str | None] = None  # `kind: value` short form fills this field

    def __init__(self, spec, hint: int | None = None, label: str | None = None) -> None:
        if not isinstance(spec, dict):
            if self.scalar_field is None:
                raise CheckSpecError(
                    self.kind, f"'{self.kind}' takes a mapping of {', '.join(self.fields)}"
                )
            spec = {self.scalar_field: spec}
        unknown = [f for f in spec if f not in self.fields]
        if unknown:
            raise CheckSpecError(
                unknown[0],
                f"unknown field '{unknown[0]}' for {_a(self.kind)} check "
                f"(it takes {', '.join(self.fields)})",
            )
        for name in self.required:
            if spec.get(name) in (None, "", []):
                raise CheckSpecError(name, f"{_a(self.kind)} check needs '{name}'")
        if "key" in spec and not isinstance(spec["key"], str | int):
            raise CheckSpecError("key", "'key' must be a key name")
        self.spec = spec
        self.hint = hint
        self.label = label
        self.setup()

    def setup(self) -> None:
        """Validate and digest ``self.spec`` (raise CheckSpecError)."""

    def keys(self) -> list[str]:
        key = self.spec.get("key")
        return [str(key)] if key is not None else []

    def describe(self) -> str:
        return self.label or self.summary()

    def summary(self) -> str:  # pragma: no cover - every kind overrides
        return self.kind

    def run(self, probe: Probe) -> CheckResult:
        if self.needs_lab and not probe.has_lab:
            return CheckResult(self, SKIP, reason=LAB_ABSENT)
        try:
            return self.evaluate(probe)
        except ReplyError as exc:
            return CheckResult(self, FAIL, "a reply", f"the error {exc}")

    def evaluate(self, probe: Probe) -> CheckResult:  # pragma: no cover
        raise NotImplementedError

    # helpers
    def ok(self, expected: str = "", found: str = "") -> CheckResult:
        return CheckResult(self, PASS, expected, found)

    def fail(self, expected: str, found: str, reason: str = "") -> CheckResult:
        return CheckResult(self, FAIL, expected, found, reason)

    def compare(self, expect: Expect, found, found_text: str | None = None) -> CheckResult:
        shown = found_text if found_text is not None else _quoted(found)
        if expect.match(found):
            return self.ok(expect.text(), shown)
        return self.fail(expect.text(), shown)

    @property
    def key(self) -> str:
        return str(self.spec["key"])


def _a(kind: str) -> str:
    return ("an '" if kind[0] in "aeiou" else "a '") + kind + "'"


def _key_list(value, field: str) -> list[str]:
    if isinstance(value, str | int):
        return [str(value)]
    if isinstance(value, list) and value and all(isinstance(v, str | int) for v in value):
        return [str(v) for v in value]
    raise CheckSpecError(field, f"'{field}' takes a key name or a list of key names")


def _lookup(probe: Probe, name: str) -> dict | None:
    """Type, encoding, length and TTL of a key without side effects where possible.

    With LAB: ``LAB INSPECT`` (no hit counted, an expired key is reported as
    gone without being deleted). Without: TYPE, OBJECT ENCODING, TTL and the
    type's length command, like any client would (a past-due key is expired
    by the lookup, as Redis does on every read).
    """
    if probe.has_lab:
        info = probe.inspect(name)
        if info is None or info.get("expired"):
            return None
        ttl = info.get("ttl_ms", -1)
        return {
            "type": info.get("type"),
            "encoding": info.get("encoding"),
            "length": info.get("length"),
            "ttl": -1 if ttl is None or ttl < 0 else -(-ttl // 1000),
        }
    key = probe.key(name)
    kind = probe.call("TYPE", key)
    if kind == "none":
        return None
    length_cmd = {
        "string": "STRLEN",
        "list": "LLEN",
        "set": "SCARD",
        "zset": "ZCARD",
        "hash": "HLEN",
        "stream": "XLEN",
    }.get(kind)
    return {
        "type": kind,
        "encoding": probe.call("OBJECT", "ENCODING", key),
        "length": probe.call(length_cmd, key) if length_cmd else None,
        "ttl": probe.call("TTL", key),
    }


@kind
class Exists(Check):
    """``exists: key`` or ``exists: [k1, k2]``: every key is present."""

    kind = "exists"
    fields = ("keys", "key")
    scalar_field = "keys"

    def setup(self) -> None:
        value = self.spec.get("keys", self.spec.get("key"))
        if value in (None, "", []):
            raise CheckSpecError(self.kind, f"'{self.kind}' takes a key name or a list of them")
        self.names = _key_list(value, self.kind)

    def keys(self) -> list[str]:
        return self.names

    def summary(self) -> str:
        if len(self.names) == 1:
            return f"key {self.names[0]} exists"
        return "keys " + ", ".join(self.names) + " exist"

    def evaluate(self, probe: Probe) -> CheckResult:
        absent = [n for n in self.names if _lookup(probe, n) is None]
        if absent:
            return self.fail("the key to exist", "no key " + ", ".join(absent))
        return self.ok()


@kind
class Missing(Exists):
    """``missing: key`` or a list: none of the keys exists (deleted or expired)."""

    kind = "missing"

    def summary(self) -> str:
        return ("key " if len(self.names) == 1 else "keys ") + ", ".join(self.names) + " gone"

    def evaluate(self, probe: Probe) -> CheckResult:
        present = [n for n in self.names if _lookup(probe, n) is not None]
        if present:
            return self.fail("no such key", "the key " + ", ".join(present) + " still there")
        return self.ok()


class _KeyFact(Check):
    fields = ("key", *Expect.FIELDS)
    required = ("key",)
    fact = ""

    def setup(self) -> None:
        self.expect = Expect(self.spec)

    def summary(self) -> str:
        return f"{self.fact} of {self.key} is {self.expect.text()}"

    def evaluate(self, probe: Probe) -> CheckResult:
        info = _lookup(probe, self.key)
        if info is None:
            return self.fail(self.expect.text(), "no such key")
        return self.compare(self.expect, info[self.fact])


@kind
class Type(_KeyFact):
    """``type: {key, is}``: what TYPE says (string, list, set, zset, hash, stream)."""

    kind = "type"
    fact = "type"


@kind
class Encoding(_KeyFact):
    """``encoding: {key, is | in}``: what OBJECT ENCODING says."""

    kind = "encoding"
    fact = "encoding"


@kind
class Length(_KeyFact):
    """``length: {key, is | min | max}``: STRLEN, LLEN, SCARD, ZCARD or HLEN by type."""

    kind = "length"
    fact = "length"


@kind
class Ttl(_KeyFact):
    """``ttl: {key, is | min | max}`` in seconds, as TTL says (-1: no TTL, -2: no key)."""

    kind = "ttl"
    fact = "ttl"

    def summary(self) -> str:
        if self.expect.has_is and self.expect.equal in (-1, -2):
            what = "no TTL (-1)" if self.expect.equal == -1 else "no such key (-2)"
            return f"{self.key} has {what}"
        return f"TTL of {self.key} is {self.expect.text()} s"

    def evaluate(self, probe: Probe) -> CheckResult:
        info = _lookup(probe, self.key)
        found = -2 if info is None else info["ttl"]
        text = {-2: "-2 (no such key)", -1: "-1 (no TTL)"}.get(found, f"{found}")
        return self.compare(self.expect, found, text)


@kind
class Value(Check):
    """``value: {key, is | in | min | max}``: the string GET returns (``is: null``: no value)."""

    kind = "value"
    fields = ("key", *Expect.FIELDS)
    required = ("key",)

    def setup(self) -> None:
        self.expect = Expect(self.spec)

    def summary(self) -> str:
        return f"{self.key} holds {self.expect.text()}"

    def evaluate(self, probe: Probe) -> CheckResult:
        found = probe.call("GET", probe.key(self.key))
        return self.compare(self.expect, found, "no such key" if found is None else None)


def _members(probe: Probe, name: str) -> tuple[str | None, list[str]]:
    key = probe.key(name)
    kind = probe.call("TYPE", key)
    if kind == "list":
        return kind, probe.call("LRANGE", key, 0, -1)
    if kind == "set":
        return kind, sorted(probe.call("SMEMBERS", key))
    if kind == "zset":
        return kind, probe.call("ZRANGE", key, 0, -1)
    if kind == "hash":
        return kind, sorted(probe.call("HKEYS", key))
    if kind == "none":
        return None, []
    return kind, []


@kind
class Members(Check):
    """``members: {key, are | include | exclude}``: a collection's contents.

    ``are`` is exact: in order for a list (head first) and a sorted set (by
    score, low to high), as a set for sets and hash fields. ``include`` and
    ``exclude`` only ask about the members they name.
    """

    kind = "members"
    fields = ("key", "are", "include", "exclude")
    required = ("key",)

    def setup(self) -> None:
        given = [f for f in ("are", "include", "exclude") if f in self.spec]
        if not given:
            raise CheckSpecError("are", "a 'members' check needs 'are', 'include' or 'exclude'")
        for name in given:
            if not isinstance(self.spec[name], list):
                raise CheckSpecError(name, f"'{name}' must be a list")
        self.are = [_text(v) for v in self.spec["are"]] if "are" in self.spec else None
        self.include = [_text(v) for v in self.spec.get("include", [])]
        self.exclude = [_text(v) for v in self.spec.get("exclude", [])]

    def summary(self) -> str:
        parts = []
        if self.are is not None:
            parts.append(f"{self.key} holds exactly {_text(self.are)}")
        if self.include:
            parts.append(f"{self.key} contains {_text(self.include)}")
        if self.exclude:
            parts.append(f"{self.key} does not contain {_text(self.exclude)}")
        return "; ".join(parts)

    def evaluate(self, probe: Probe) -> CheckResult:
        kind, found = _members(probe, self.key)
        if kind is None:
            return self.fail(self._expected(), "no such key")
        if self.are is not None:
            ordered = kind in ("list", "zset")
            want = self.are if ordered else sorted(self.are)
            if want != found:
                reason = "in this order" if ordered and sorted(want) == sorted(found) else ""
                return self.fail(_text(want), _text(found), reason)
        missing = [m for m in self.include if m not in found]
        if missing:
            return self.fail(f"{_text(self.include)} among them", f"no {_text(missing)}")
        extra = [m for m in self.exclude if m in found]
        if extra:
            return self.fail(f"none of {_text(self.exclude)}", _text(extra))
        return self.ok(self._expected(), _text(found))

    def _expected(self) -> str:
        return _text(self.are) if self.are is not None else f"members {_text(self.include)}"


@kind
class Field(Check):
    """``field: {key, field, is | min | max}``: HGET (``is: null``: the field is absent)."""

    kind = "field"
    fields = ("key", "field", *Expect.FIELDS)
    required = ("key", "field")

    def setup(self) -> None:
        self.expect = Expect(self.spec)

    def summary(self) -> str:
        return f"field {self.spec['field']} of {self.key} is {self.expect.text()}"

    def evaluate(self, probe: Probe) -> CheckResult:
        found = probe.call("HGET", probe.key(self.key), str(self.spec["field"]))
        return self.compare(self.expect, found, "no such field" if found is None else None)


@kind
class Score(Check):
    """``score: {key, member, is | min | max}``: ZSCORE (``is: null``: not a member)."""

    kind = "score"
    fields = ("key", "member", *Expect.FIELDS)
    required = ("key", "member")

    def setup(self) -> None:
        self.expect = Expect(self.spec)

    def summary(self) -> str:
        return f"score of {self.spec['member']} in {self.key} is {self.expect.text()}"

    def evaluate(self, probe: Probe) -> CheckResult:
        found = probe.call("ZSCORE", probe.key(self.key), str(self.spec["member"]))
        return self.compare(self.expect, found, "not a member" if found is None else None)


@kind
class Rank(Check):
    """``rank: {key, member, is, reverse}``: ZRANK (ZREVRANK with ``reverse: true``), 0-based."""

    kind = "rank"
    fields = ("key", "member", "reverse", *Expect.FIELDS)
    required = ("key", "member")

    def setup(self) -> None:
        self.expect = Expect(self.spec)
        self.reverse = bool(self.spec.get("reverse", False))

    def summary(self) -> str:
        order = "from the top" if self.reverse else "from the bottom"
        return f"rank of {self.spec['member']} in {self.key} ({order}) is {self.expect.text()}"

    def evaluate(self, probe: Probe) -> CheckResult:
        cmd = "ZREVRANK" if self.reverse else "ZRANK"
        found = probe.call(cmd, probe.key(self.key), str(self.spec["member"]))
        return self.compare(self.expect, found)


@kind
class Info(Check):
    """``info: {field, section, is | min | max, delta}``: an INFO field.

    With ``delta: true`` the comparison is on how much the field changed since
    the step began, minus what the checks' own reads added (checks are clients
    too: their lookups count as keyspace hits and misses).
    """

    kind = "info"
    fields = ("field", "section", "delta", *Expect.FIELDS)
    required = ("field",)

    def setup(self) -> None:
        self.expect = Expect(self.spec)
        self.delta = bool(self.spec.get("delta", False))

    def summary(self) -> str:
        what = f"INFO {self.spec['field']}"
        if self.delta:
            return f"{what} grew during this step by {self.expect.text()}"
        return f"{what} is {self.expect.text()}"

    def evaluate(self, probe: Probe) -> CheckResult:
        field, section = str(self.spec["field"]), self.spec.get("section")
        if self.delta:
            found = probe.info_delta(field, section)
        else:
            found = probe.info_field(field, section)
        if found is None:
            return self.fail(self.expect.text(), f"no INFO field {field}")
        return self.compare(self.expect, found)


@kind
class Config(Check):
    """``config: {param, is}``: CONFIG GET param."""

    kind = "config"
    fields = ("param", *Expect.FIELDS)
    required = ("param",)

    def setup(self) -> None:
        self.expect = Expect(self.spec)

    def summary(self) -> str:
        return f"config {self.spec['param']} is {self.expect.text()}"

    def evaluate(self, probe: Probe) -> CheckResult:
        reply = probe.call("CONFIG", "GET", str(self.spec["param"]))
        if isinstance(reply, dict):
            values = list(reply.values())
        else:
            values = reply[1::2] if isinstance(reply, list) else []
        found = values[0] if values else None
        return self.compare(self.expect, found)


@kind
class Nodes(Check):
    """``nodes: {key, is | min | max}``: quicklist nodes of a list.

    From ``LAB INSPECT`` (layout.node_count); on a real Redis from ``DEBUG
    OBJECT`` (``ql_nodes``), and skipped when DEBUG is not allowed there.
    """

    kind = "nodes"
    fields = ("key", *Expect.FIELDS)
    required = ("key",)

    def setup(self) -> None:
        self.expect = Expect(self.spec)

    def summary(self) -> str:
        return f"the list {self.key} has {self.expect.text()} quicklist nodes"

    def run(self, probe: Probe) -> CheckResult:
        if probe.has_lab:
            info = probe.inspect(self.key)
            if info is None:
                return self.fail(self.expect.text(), "no such key")
            layout = info.get("layout") or {}
            count = layout.get("node_count")
            if count is None:
                return self.fail(self.expect.text(), f"a {info.get('encoding')} list, no nodes")
            return self.compare(self.expect, count)
        try:
            text = probe.call("DEBUG", "OBJECT", probe.key(self.key))
        except ReplyError as exc:
            if "no such key" in str(exc):
                return self.fail(self.expect.text(), "no such key")
            return CheckResult(
                self, SKIP, reason="neither LAB nor DEBUG OBJECT is available on this server"
            )
        for word in str(text).split():
            if word.startswith("ql_nodes:"):
                return self.compare(self.expect, int(word.split(":", 1)[1]))
        return self.fail(self.expect.text(), "no quicklist (not a list?)")


@kind
class Event(Check):
    """``event: {type, min, <any event field>...}``: LAB EVENTS seen during the step.

    Every field other than ``type`` and ``min`` must equal the event's field
    (``key`` is the learner's key name: the sandbox prefix is added). ``min``
    is how many such events (default 1).
    """

    kind = "event"
    needs_lab = True
    fields = ("type", "min")  # and any event field (set per check below)
    required = ("type",)
    scalar_field = "type"  # `- event: expire`

    def __init__(self, spec, hint=None, label=None) -> None:
        if isinstance(spec, dict):
            self.fields = tuple(spec)  # any event field may be matched
        super().__init__(spec, hint, label)

    def setup(self) -> None:
        self.count = self.spec.get("min", 1)
        if not isinstance(self.count, int) or self.count < 1:
            raise CheckSpecError("min", "'min' must be a positive integer")
        self.match = {k: v for k, v in self.spec.items() if k not in ("min",)}

    def summary(self) -> str:
        rest = ", ".join(f"{k}={v}" for k, v in self.match.items() if k != "type")
        many = f"{self.count}+ '{self.spec['type']}'" if self.count > 1 else _a(self.spec["type"])
        noun = "events" if self.count > 1 else "event"
        return f"{many} {noun}" + (f" ({rest})" if rest else "") + " seen"

    def evaluate(self, probe: Probe) -> CheckResult:
        want = dict(self.match)
        if "key" in want:
            want["key"] = probe.key(str(want["key"])).decode("utf-8", "replace")
        events = probe.events()
        hits = [e for e in events if all(_text(e.get(k)) == _text(v) for k, v in want.items())]
        if len(hits) >= self.count:
            return self.ok()
        same_type = [e for e in events if e.get("type") == want["type"]]
        found = f"{len(hits)} such events"
        if same_type and not hits:
            last = same_type[-1]
            found += "; the last '%s' event had %s" % (
                want["type"],
                ", ".join(f"{k}={_text(last.get(k))}" for k in want if k != "type"),
            )
        elif not events:
            found += " (no events at all during this step)"
        return self.fail(f"at least {self.count}", found)


def _command_words(value, field: str) -> list[list[list[str]]]:
    """Each item: alternatives (``DEL | UNLINK``), each a list of upper-case words."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if not isinstance(item, str) or not item.replace("|", " ").split():
            raise CheckSpecError(field, f"'{field}' takes a command name or a list of them")
        alternatives = [[w.upper() for w in alt.split()] for alt in item.split("|")]
        if any(not alt for alt in alternatives):
            raise CheckSpecError(field, f"an empty alternative in {item!r}")
        out.append(alternatives)
    return out


def _said(alternatives: list[list[str]]) -> str:
    return " or ".join(" ".join(words) for words in alternatives)


@kind
class Typed(Check):
    """``typed: {used, avoided}``: what the learner typed during the step.

    Each is a command name (``SCAN``), a command and its first words
    (``OBJECT ENCODING``, ``SET lock:1``: words are compared without regard
    to case), alternatives (``DEL | UNLINK``), or a list of those. ``used``
    needs every item typed (successful or not); ``avoided`` needs none.
    """

    kind = "typed"
    fields = ("used", "avoided")
    scalar_field = "used"

    def setup(self) -> None:
        if "used" not in self.spec and "avoided" not in self.spec:
            raise CheckSpecError("used", "a 'typed' check needs 'used' or 'avoided'")
        self.used = _command_words(self.spec["used"], "used") if "used" in self.spec else []
        self.avoided = (
            _command_words(self.spec["avoided"], "avoided") if "avoided" in self.spec else []
        )

    def summary(self) -> str:
        parts = []
        if self.used:
            parts.append("you used " + ", ".join(_said(a) for a in self.used))
        if self.avoided:
            parts.append("not " + ", ".join(_said(a) for a in self.avoided))
        return ", ".join(parts)

    def evaluate(self, probe: Probe) -> CheckResult:
        typed = [[w.upper() for w in words] for words in probe.typed()]

        def seen(alternatives: list[list[str]]) -> bool:
            return any(words[: len(c)] == c for c in alternatives for words in typed)

        missing = [_said(c) for c in self.used if not seen(c)]
        if missing:
            return self.fail(
                " and ".join(missing) + " typed",
                "not typed in this step" if typed else "nothing typed in this step",
            )
        bad = [_said(c) for c in self.avoided if seen(c)]
        if bad:
            return self.fail(" and ".join(bad) + " avoided", "it was typed")
        return self.ok()


@kind
class Reply(Check):
    """``reply: {run, is | in | min | max | are}``: run a read-only command, check its reply.

    ``run`` is a redis-cli line; its key arguments are sandboxed like the
    learner's. For an array reply, ``are`` is the exact list.
    """

    kind = "reply"
    fields = ("run", "are", *Expect.FIELDS)
    required = ("run",)

    def setup(self) -> None:
        self.args = split_args(str(self.spec["run"]))
        if not self.args:
            raise CheckSpecError("run", "'run' must be a command line with balanced quotes")
        self.expect = Expect(self.spec, required="are" not in self.spec)
        if "are" in self.spec and not isinstance(self.spec["are"], list):
            raise CheckSpecError("are", "'are' must be a list")

    def keys(self) -> list[str]:
        return []

    def summary(self) -> str:
        want = _text(self.spec["are"]) if "are" in self.spec else self.expect.text()
        return f"{self.spec['run']} replies {want}"

    def run(self, probe: Probe) -> CheckResult:
        try:
            found = probe.call(*self.args, sandbox=True)
        except ReplyError as exc:
            return self.fail(self._want(), f"the error {exc}")
        if "are" in self.spec:
            want = [_text(v) for v in self.spec["are"]]
            got = [_text(v) for v in found] if isinstance(found, list) else found
            if got == want:
                return self.ok(_text(want), _text(got))
            return self.fail(_text(want), _text(got))
        return self.compare(self.expect, found)

    def _want(self) -> str:
        return _text(self.spec["are"]) if "are" in self.spec else self.expect.text()


@kind
class Clock(Check):
    """``clock: {frozen: true|false}``: the LAB clock's state."""

    kind = "clock"
    fields = ("frozen",)
    required = ()
    needs_lab = True

    def setup(self) -> None:
        if not isinstance(self.spec.get("frozen"), bool):
            raise CheckSpecError("frozen", "'frozen' must be true or false")

    def summary(self) -> str:
        return "the LAB clock is " + ("frozen" if self.spec["frozen"] else "running")

    def evaluate(self, probe: Probe) -> CheckResult:
        reply = probe.call("LAB", "CLOCK", "GET")
        frozen = bool(int(reply.get("frozen", 0))) if isinstance(reply, dict) else False
        want = self.spec["frozen"]
        text = "frozen" if frozen else "running"
        if frozen == want:
            return self.ok(text, text)
        return self.fail("frozen" if want else "running", text)


COMMON_FIELDS = ("hint", "label")


def parse_check(item) -> Check:
    """One YAML item of a ```check block into a :class:`Check`."""
    if not isinstance(item, dict):
        raise CheckSpecError("check", f"a check is a mapping like '- exists: mykey', not {item!r}")
    kinds = [k for k in item if k not in COMMON_FIELDS]
    if len(kinds) != 1:
        raise CheckSpecError(
            "check",
            "a check names exactly one kind (%s); found %s"
            % (", ".join(KINDS), ", ".join(map(str, kinds)) or "none"),
        )
    name = kinds[0]
    cls = KINDS.get(name)
    if cls is None:
        raise CheckSpecError(name, f"unknown check kind '{name}' (known: {', '.join(KINDS)})")
    hint = item.get("hint")
    if hint is not None and (not isinstance(hint, int) or hint < 1):
        raise CheckSpecError("hint", "'hint' is the 1-based number of a hint of this step")
    label = item.get("label")
    if label is not None and not isinstance(label, str):
        raise CheckSpecError("label", "'label' must be a sentence")
    return cls(item[name], hint=hint, label=label)

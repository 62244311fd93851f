"""The command table (server/commands/commands.json) against Redis 7.0.

Two references: the checked-in ``/work/shared/reference/redis-7.0-commands.tsv``
(what Redis 7.0 declares, one row per command and subcommand), and, when the
binary is installed, a real ``redis-server`` whose ``COMMAND INFO`` and
``COMMAND DOCS`` replies we rebuild from the table and compare field by field,
in order, so the server can re-emit them byte for byte.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from server.commands import metadata
from server.commands.metadata import CommandSpec, iter_specs, load_table, lookup, syntax
from tests import support

REFERENCE_CANDIDATES = [
    Path("/work/shared/reference/redis-7.0-commands.tsv"),
    support.ROOT / "tests" / "data" / "redis-7.0-commands.tsv",
]
REFERENCE = next((p for p in REFERENCE_CANDIDATES if p.exists()), None)
SUMMARIES = support.ROOT / "server" / "commands" / "summaries.tsv"

# Commands whose syntax() may differ from the reference, with the reason.
# Empty: every syntax line matches today.  Add here rather than bend syntax().
SYNTAX_EXCEPTIONS: dict[str, str] = {}


def reference_rows() -> list[dict[str, str]]:
    if REFERENCE is None:
        pytest.skip("the Redis 7.0 reference TSV is not available")
    with REFERENCE.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def big_o(complexity: str) -> str:
    """The leading O(...) of a complexity text, as the reference TSV records it."""
    if not complexity.startswith("O("):
        return ""
    depth = 0
    for i, ch in enumerate(complexity):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return complexity[: i + 1]
    return ""


@pytest.fixture(scope="module")
def specs() -> dict[str, CommandSpec]:
    return {spec.fullname: spec for spec in iter_specs()}


# --- the table on its own ---


def test_table_loads_and_is_cached():
    table = load_table()
    assert table is load_table()
    assert "get" in table and "config" in table
    assert all(name == name.lower() for name in table)


def test_subcommands_are_nested_under_their_container():
    config = load_table()["config"]
    get = config.subcommands["get"]
    assert (get.name, get.fullname, get.container) == ("get", "config|get", "config")
    assert config.container is None
    assert lookup("CONFIG", "Get") is get
    assert lookup("get") is load_table()["get"]
    assert lookup("nosuchcommand") is None
    for spec in load_table().values():
        for sub in spec.subcommands.values():
            assert sub.fullname == f"{spec.fullname}|{sub.name}"
            assert not sub.subcommands


def test_spec_fields_have_the_promised_types():
    get = load_table()["get"]
    assert isinstance(get.flags, frozenset) and get.flags == {"readonly", "fast"}
    assert get.acl_categories == ("read", "string", "fast")
    assert get.key_specs[0]["begin_search"] == {"type": "index", "spec": {"index": 1}}
    assert get.arguments == ({"name": "key", "type": "key", "key_spec_index": 0},)
    assert get.check_arity(2) and not get.check_arity(3)
    assert load_table()["set"].check_arity(5) and not load_table()["set"].check_arity(2)


def test_field_order_is_redis_order():
    """Key specs and arguments keep the order Redis emits their fields in."""
    order = {
        "key_spec": ["notes", "flags", "begin_search", "find_keys"],
        "search": ["type", "spec"],
        "argument": [
            "name",
            "type",
            "display_text",
            "key_spec_index",
            "token",
            "summary",
            "since",
            "flags",
            "deprecated_since",
            "arguments",
        ],
    }

    def in_order(keys: list[str], reference: list[str]) -> bool:
        return [k for k in reference if k in keys] == keys

    def check_args(args):
        for arg in args:
            assert in_order(list(arg), order["argument"]), arg
            check_args(arg.get("arguments", ()))

    for spec in iter_specs():
        for ks in spec.key_specs:
            assert in_order(list(ks), order["key_spec"]), spec.fullname
            assert list(ks["begin_search"]) == order["search"]
            assert list(ks["find_keys"]) == order["search"]
        check_args(spec.arguments)


def test_every_command_has_a_summary_of_ours(specs):
    assert len(specs) == 366
    for spec in specs.values():
        text = spec.summary
        assert text and text == text.strip(), spec.fullname
        assert "\n" not in text and "\t" not in text, spec.fullname
        assert text.endswith("."), f"{spec.fullname}: a summary is a sentence"


def test_summaries_tsv_has_one_row_per_command(specs):
    names = []
    for line in SUMMARIES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, text = line.partition("\t")
            names.append(name)
            assert text.strip(), name
    assert len(names) == len(set(names))
    assert set(names) == set(specs)


def test_history_notes_are_version_and_text(specs):
    for spec in specs.values():
        for version, note in spec.history:
            assert version.count(".") == 2 and note, spec.fullname


# --- against the reference TSV ---


def test_every_reference_row_matches(specs):
    mismatches = []
    for row in reference_rows():
        spec = specs.get(row["command"])
        if spec is None:
            mismatches.append(f"{row['command']}: missing")
            continue
        ours = {
            "group": spec.group,
            "arity": str(spec.arity),
            "flags": ",".join(spec.flag_order),
            "first_key": str(spec.first_key),
            "last_key": str(spec.last_key),
            "step": str(spec.step),
            "acl_categories": ",".join("@" + c for c in spec.acl_categories),
            "since": spec.since,
            "complexity": big_o(spec.complexity),
        }
        for column, value in ours.items():
            if value != row[column]:
                mismatches.append(f"{row['command']} {column}: {value!r} != {row[column]!r}")
        assert spec.flags == frozenset(filter(None, row["flags"].split(",")))
    assert not mismatches, "\n".join(mismatches)


def test_syntax_matches_reference(specs):
    mismatches = []
    for row in reference_rows():
        name = row["command"]
        got = syntax(specs[name])
        if got != row["syntax"] and name not in SYNTAX_EXCEPTIONS:
            mismatches.append(f"{name}:\n  ours {got}\n  ref  {row['syntax']}")
    assert not mismatches, "\n".join(mismatches)


def test_syntax_examples():
    table = load_table()
    assert syntax(table["get"]) == "GET key"
    assert syntax(table["config"].subcommands["get"]) == "CONFIG GET parameter [parameter ...]"
    assert syntax(table["set"]) == (
        "SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | "
        "EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"
    )


# --- against a real redis-server ---


def resp2(value: Any) -> Any:
    """Our JSON-shaped data as redis-py reads a raw RESP2 reply (maps flattened)."""
    if isinstance(value, dict):
        return [item for key, val in value.items() for item in (key.encode(), resp2(val))]
    if isinstance(value, list | tuple):
        return [resp2(v) for v in value]
    if isinstance(value, str):
        return value.encode()
    return value


@pytest.fixture(scope="module")
def real_redis():
    if support.REDIS_SERVER is None:
        pytest.skip(support.NO_REDIS_REASON)
    server = support.start_real_redis()
    try:
        yield server
    finally:
        server.stop()


def raw_call(server, *args: str) -> Any:
    """A reply without redis-py's response callbacks, which reshape COMMAND."""
    client = server.client()
    try:
        try:
            conn = client.connection_pool.get_connection()
        except TypeError:  # redis-py before 5.3 wants a command name
            conn = client.connection_pool.get_connection(args[0])
        try:
            conn.send_command(*args)
            return conn.read_response()
        finally:
            client.connection_pool.release(conn)
    finally:
        client.close()


def sort_subcommands_info(entry: list) -> list:
    entry = list(entry)
    entry[9] = sorted((sort_subcommands_info(s) for s in entry[9]), key=lambda s: s[0])
    return entry


@pytest.mark.redis
def test_command_info_matches_real_redis(real_redis):
    reply = raw_call(real_redis, "COMMAND", "INFO")
    real = {entry[0].decode(): sort_subcommands_info(entry) for entry in reply}
    table = load_table()
    assert set(real) == set(table)
    for name, spec in table.items():
        assert resp2(metadata.command_info(spec)) == real[name], name


def mask_docs(flat: list) -> list:
    """A flattened COMMAND DOCS map with the prose (summary, history text) blanked."""
    out = []
    for key, val in zip(flat[::2], flat[1::2], strict=True):
        if key == b"summary":
            val = b""
        elif key == b"history":
            val = [[version, b""] for version, _ in val]
        elif key == b"subcommands":
            pairs = sorted(zip(val[::2], val[1::2], strict=True))
            val = [item for sub, body in pairs for item in (sub, mask_docs(body))]
        out += [key, val]
    return out


@pytest.mark.redis
def test_command_docs_match_real_redis_except_prose(real_redis):
    reply = raw_call(real_redis, "COMMAND", "DOCS")
    real = {name.decode(): body for name, body in zip(reply[::2], reply[1::2], strict=True)}
    table = load_table()
    assert set(real) == set(table)
    for name, spec in table.items():
        ours = resp2(metadata.command_docs(spec))
        assert mask_docs(ours) == mask_docs(real[name]), name


@pytest.mark.redis
def test_summaries_are_not_redis_text(real_redis, specs):
    reply = raw_call(real_redis, "COMMAND", "DOCS")
    theirs: dict[str, str] = {}
    their_history: dict[str, list[str]] = {}

    def collect(flat: list) -> None:
        for name, body in zip(flat[::2], flat[1::2], strict=True):
            fields = dict(zip(body[::2], body[1::2], strict=True))
            theirs[name.decode()] = fields[b"summary"].decode()
            their_history[name.decode()] = [t.decode() for _, t in fields.get(b"history", [])]
            collect(fields.get(b"subcommands", []))

    collect(reply)
    assert set(theirs) == set(specs)

    def words(text: str) -> str:
        return " ".join(text.lower().rstrip(".").split())

    copied = [name for name, spec in specs.items() if words(spec.summary) == words(theirs[name])]
    assert not copied, f"summaries copied from Redis: {copied}"
    for name, spec in specs.items():
        notes = [words(note) for _, note in spec.history]
        assert len(notes) == len(their_history[name]), name
        for note, text in zip(notes, their_history[name], strict=True):
            assert note != words(text), f"{name}: history note copied from Redis"


@pytest.mark.redis
def test_commands_json_is_up_to_date(real_redis):
    """Regenerating from the real server gives the checked-in file."""
    path = support.ROOT / "tools" / "gen_command_table.py"
    module_spec = importlib.util.spec_from_file_location("gen_command_table", path)
    gen = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(gen)
    table = gen.build_table(real_redis.port, gen.read_summaries())
    on_disk = (support.ROOT / "server" / "commands" / "commands.json").read_text("utf-8")
    assert gen.render(table) == on_disk, "run tools/gen_command_table.py"

"""Generate ``server/commands/commands.json`` from a real Redis 7.0.

Usage::

    python tools/gen_command_table.py [--check]

The command table is data, in the same shape as Redis's own command metadata.
Redis publishes that metadata through two commands, and this script asks a
real ``redis-server`` for both of them:

* ``COMMAND INFO`` gives what dispatch needs: arity, flags, the legacy
  first/last/step key positions, ACL categories, tips and key specs.
* ``COMMAND DOCS`` gives what people need: group, since, complexity, history,
  doc flags, deprecation, and the argument tree the REPL's grammar and the
  docs' syntax lines are built from.

Why a raw RESP3 reader instead of redis-py: redis-py turns replies into
Python structures that lose what we must keep — the order of map fields (the
server re-emits key specs and argument trees in Redis's order, so replies can
be compared byte for byte) and the difference between a map, a set and an
array.  Twenty lines of protocol reading keep everything.

What is *not* copied from Redis: its prose.  Command summaries come from our
own ``server/commands/summaries.tsv`` and history notes from
:data:`HISTORY_NOTES` below, both written in our own words for learners.  The
script fails if one is missing, so a new command cannot slip in without them.
Complexity strings are kept as Redis states them: they are facts (``O(log N)``)
the server must report, not descriptions.

The output is deterministic: commands sorted by name, fields in a fixed order,
``indent=1``.  ``--check`` regenerates in memory and exits non-zero if the file
on disk differs.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMMANDS_DIR = ROOT / "server" / "commands"
SUMMARIES = COMMANDS_DIR / "summaries.tsv"
OUTPUT = COMMANDS_DIR / "commands.json"

# Our own notes for the history entries Redis 7.0 declares, as
# ``fullname -> [(version, note), ...]`` in the order Redis lists them.
HISTORY_NOTES: dict[str, list[tuple[str, str]]] = {
    "acl|getuser": [
        ("6.2.0", "The reply shows the user's Pub/Sub channel patterns."),
        ("7.0.0", "The reply shows selectors, and key and channel patterns as rules."),
    ],
    "acl|setuser": [
        ("6.2.0", "Rules for Pub/Sub channel patterns can be set."),
        ("7.0.0", "Selectors and read/write-specific key permissions can be set."),
    ],
    "auth": [("6.0.0", "A username may come before the password, for ACL users.")],
    "bgsave": [("3.2.2", "SCHEDULE waits for a running rewrite instead of failing.")],
    "bitcount": [("7.0.0", "The range may be counted in BIT units, not only bytes.")],
    "bitpos": [("7.0.0", "The range may be counted in BIT units, not only bytes.")],
    "blpop": [("6.0.0", "The timeout may have a fractional part.")],
    "brpop": [("6.0.0", "The timeout may have a fractional part.")],
    "brpoplpush": [("6.0.0", "The timeout may have a fractional part.")],
    "bzpopmax": [("6.0.0", "The timeout may have a fractional part.")],
    "bzpopmin": [("6.0.0", "The timeout may have a fractional part.")],
    "client|kill": [
        ("2.8.12", "A filter syntax joined the old ip:port form."),
        ("2.8.12", "Clients can be picked by ID."),
        ("3.2.0", "TYPE accepts master."),
        ("5.0.0", "TYPE accepts replica; slave stays as an alias."),
        ("6.2.0", "Clients can be picked by local address (LADDR)."),
    ],
    "client|list": [
        ("2.8.12", "Each line shows the client's id."),
        ("5.0.0", "The TYPE filter was added."),
        ("6.0.0", "Each line shows the ACL user."),
        ("6.2.0", "The ID filter was added; lines show argv-mem, tot-mem, laddr and redir."),
        ("7.0.0", "Lines show resp, multi-mem, rbs and rbp."),
        ("7.0.3", "Lines show ssub, the shard channel subscription count."),
    ],
    "client|pause": [("6.2.0", "A mode was added: WRITE pauses only writes, ALL everything.")],
    "cluster|meet": [("4.0.0", "The cluster bus port may be given explicitly.")],
    "cluster|slots": [
        ("4.0.0", "Each node entry carries its node ID."),
        ("7.0.0", "Each node entry carries extra networking details."),
    ],
    "command|info": [("7.0.0", "With no names, it describes every command.")],
    "config|get": [("7.0.0", "Several patterns can be read in one call.")],
    "config|set": [("7.0.0", "Several parameters can be changed in one call.")],
    "exists": [("3.0.3", "Several keys may be given; the reply counts how many exist.")],
    "expire": [("7.0.0", "NX, XX, GT and LT conditions were added.")],
    "expireat": [("7.0.0", "NX, XX, GT and LT conditions were added.")],
    "flushall": [
        ("4.0.0", "ASYNC frees the memory in the background."),
        ("6.2.0", "SYNC forces a blocking flush."),
    ],
    "flushdb": [
        ("4.0.0", "ASYNC frees the memory in the background."),
        ("6.2.0", "SYNC forces a blocking flush."),
    ],
    "geoadd": [("6.2.0", "NX, XX and CH options were added.")],
    "georadius": [
        ("6.2.0", "COUNT accepts ANY, to stop at the first matches found."),
        ("7.0.0", "Units may be written in uppercase."),
    ],
    "georadius_ro": [("6.2.0", "COUNT accepts ANY, to stop at the first matches found.")],
    "georadiusbymember": [("7.0.0", "Units may be written in uppercase.")],
    "geosearch": [("7.0.0", "Units may be written in uppercase.")],
    "geosearchstore": [("7.0.0", "Units may be written in uppercase.")],
    "hdel": [("2.4.0", "Several fields may be deleted in one call.")],
    "hello": [("6.2.0", "The protocol version is optional; HELLO alone reports the connection.")],
    "hset": [("4.0.0", "Several field/value pairs may be set in one call.")],
    "info": [("7.0.0", "Several sections may be asked for at once.")],
    "lpop": [("6.2.0", "An optional count pops several elements.")],
    "lpush": [("2.4.0", "Several elements may be pushed in one call.")],
    "lpushx": [("4.0.0", "Several elements may be pushed in one call.")],
    "migrate": [
        ("3.0.0", "COPY and REPLACE options were added."),
        ("3.0.6", "KEYS moves many keys at once."),
        ("4.0.7", "AUTH logs in to a password-protected target."),
        ("6.0.0", "AUTH2 logs in to a target as an ACL user."),
    ],
    "pexpire": [("7.0.0", "NX, XX, GT and LT conditions were added.")],
    "pexpireat": [("7.0.0", "NX, XX, GT and LT conditions were added.")],
    "pttl": [("2.8.0", "A missing key answers -2, told apart from a key without TTL (-1).")],
    "renamenx": [("3.2.0", "Renaming a key to its own name is no longer an error.")],
    "restore": [
        ("3.0.0", "REPLACE overwrites an existing key."),
        ("5.0.0", "ABSTTL reads the TTL as an absolute Unix time."),
        ("5.0.0", "IDLETIME and FREQ restore the eviction metadata."),
    ],
    "restore-asking": [
        ("3.0.0", "REPLACE overwrites an existing key."),
        ("5.0.0", "ABSTTL reads the TTL as an absolute Unix time."),
        ("5.0.0", "IDLETIME and FREQ restore the eviction metadata."),
    ],
    "rpop": [("6.2.0", "An optional count pops several elements.")],
    "rpush": [("2.4.0", "Several elements may be pushed in one call.")],
    "rpushx": [("4.0.0", "Several elements may be pushed in one call.")],
    "sadd": [("2.4.0", "Several members may be added in one call.")],
    "scan": [("6.0.0", "TYPE limits the keys returned to one type.")],
    "script|flush": [("6.2.0", "ASYNC and SYNC choose how the cache is freed.")],
    "set": [
        ("2.6.12", "EX, PX, NX and XX options were added."),
        ("6.0.0", "KEEPTTL keeps the existing time to live."),
        ("6.2.0", "GET, EXAT and PXAT were added."),
        ("7.0.0", "NX and GET may be combined."),
    ],
    "shutdown": [("7.0.0", "NOW, FORCE and ABORT modifiers were added.")],
    "slowlog|get": [("4.0.0", "Entries carry the client's address and name.")],
    "spop": [("3.2.0", "An optional count pops several members.")],
    "srandmember": [("2.6.0", "An optional count returns several members.")],
    "srem": [("2.4.0", "Several members may be removed in one call.")],
    "ttl": [("2.8.0", "A missing key answers -2, told apart from a key without TTL (-1).")],
    "xadd": [
        ("6.2.0", "NOMKSTREAM, the MINID strategy and LIMIT were added."),
        ("7.0.0", "An ID may be given as <ms>-*, letting Redis pick the sequence."),
    ],
    "xautoclaim": [("7.0.0", "The reply also lists the IDs it dropped because they were deleted.")],
    "xgroup|create": [("7.0.0", "ENTRIESREAD sets the group's read counter, used for lag.")],
    "xgroup|setid": [("7.0.0", "ENTRIESREAD sets the group's read counter, used for lag.")],
    "xinfo|groups": [("7.0.0", "Each group shows entries-read and lag.")],
    "xinfo|stream": [
        ("6.0.0", "FULL returns the whole stream state."),
        ("7.0.0", "The reply shows deletion and counting fields used to compute lag."),
    ],
    "xpending": [("6.2.0", "IDLE filters by idle time, and range bounds may be exclusive.")],
    "xrange": [("6.2.0", "Range bounds may be exclusive.")],
    "xrevrange": [("6.2.0", "Range bounds may be exclusive.")],
    "xsetid": [("7.0.0", "ENTRIESADDED and MAXDELETEDID set the stream's counters.")],
    "xtrim": [("6.2.0", "The MINID strategy and LIMIT were added.")],
    "zadd": [
        ("2.4.0", "Several members may be added in one call."),
        ("3.0.2", "XX, NX, CH and INCR options were added."),
        ("6.2.0", "GT and LT options were added."),
    ],
    "zrange": [("6.2.0", "REV, BYSCORE, BYLEX and LIMIT were added.")],
    "zrangebyscore": [("2.0.0", "WITHSCORES returns the scores too.")],
    "zrem": [("2.4.0", "Several members may be removed in one call.")],
    "zrevrangebyscore": [("2.1.6", "min and max may be exclusive.")],
}


# --- a raw RESP3 reader, keeping map order and set/array/map distinctions ---


class Resp3:
    """A tiny blocking RESP3 client: enough to ask HELLO 3 and COMMAND."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port), timeout=30)
        self.file = self.sock.makefile("rb")

    def call(self, *args: str) -> Any:
        out = [b"*%d\r\n" % len(args)]
        for arg in args:
            data = arg.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(data), data))
        self.sock.sendall(b"".join(out))
        return self.read()

    def read(self) -> Any:
        """Maps become lists of (key, value) pairs; sets become ("set", [...])."""
        line = self.file.readline()
        if not line.endswith(b"\r\n"):
            raise ConnectionError("connection closed mid-reply")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            return self.file.read(int(rest) + 2)[:-2].decode()
        if kind == b"*":
            return [self.read() for _ in range(int(rest))]
        if kind == b"~":
            return ("set", [self.read() for _ in range(int(rest))])
        if kind == b"%":
            return ("map", [(self.read(), self.read()) for _ in range(int(rest))])
        if kind == b"_":
            return None
        raise ValueError(f"unexpected RESP3 type {line!r}")

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def items(value: Any) -> list:
    """The elements of a RESP3 array or set."""
    if isinstance(value, tuple) and value[0] == "set":
        return value[1]
    if isinstance(value, list):
        return value
    raise TypeError(f"expected an array or a set, got {value!r}")


def plain(value: Any) -> Any:
    """A RESP3 value as JSON-friendly data: maps to dicts (order kept), sets to lists."""
    if isinstance(value, tuple):
        kind, body = value
        if kind == "map":
            return {key: plain(val) for key, val in body}
        return [plain(v) for v in body]
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


# --- building the table ---


def read_summaries(path: Path = SUMMARIES) -> dict[str, str]:
    summaries: dict[str, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise SystemExit(f"{path}:{lineno}: expected 'name<TAB>summary'")
        if name in summaries:
            raise SystemExit(f"{path}:{lineno}: duplicate row for {name}")
        summaries[name] = text.strip()
    return summaries


def info_entry(row: list) -> dict[str, Any]:
    """One COMMAND INFO row (RESP3) as a dict, in Redis's field order."""
    name, arity, flags, first, last, step, acl, tips, key_specs = row[:9]
    return {
        "name": name,
        "arity": arity,
        "flags": plain(flags),
        "first_key": first,
        "last_key": last,
        "step": step,
        "acl_categories": [c.removeprefix("@") for c in plain(acl)],
        "tips": plain(tips),
        "key_specs": plain(key_specs),
        "subcommands": [info_entry(sub) for sub in items(row[9])] if len(row) > 9 else [],
    }


def argument(arg: Any) -> dict[str, Any]:
    """A COMMAND DOCS argument map, fields in Redis's order, nested ones too."""
    out: dict[str, Any] = {}
    for key, val in arg[1]:
        if key == "arguments":
            out[key] = [argument(a) for a in val]
        elif key == "summary":
            continue  # Redis 7.0 has no argument summaries; if one appears it is not ours
        else:
            out[key] = plain(val)
    return out


def build_spec(
    info: dict[str, Any],
    docs: dict[str, Any],
    summaries: dict[str, str],
    problems: list[str],
) -> dict[str, Any]:
    fullname = info["name"]
    doc = docs.get(fullname, {})
    summary = summaries.get(fullname)
    if summary is None:
        problems.append(f"no summary of ours for {fullname}")
        summary = ""
    elif summary == doc.get("summary"):
        problems.append(f"the summary of {fullname} is Redis's own text")
    redis_history = [tuple(h) for h in plain(doc.get("history", []))]
    notes = HISTORY_NOTES.get(fullname)
    if notes is None:
        notes = []
    if [v for v, _ in notes] != [v for v, _ in redis_history]:
        problems.append(
            f"history notes for {fullname} do not match Redis's versions "
            f"{[v for v, _ in redis_history]}"
        )
    sub_docs = {name: dict(body[1]) for name, body in doc.get("subcommands", ("map", []))[1]}
    spec: dict[str, Any] = {
        "name": fullname,
        "arity": info["arity"],
        "flags": info["flags"],
        "first_key": info["first_key"],
        "last_key": info["last_key"],
        "step": info["step"],
        "acl_categories": info["acl_categories"],
        "tips": info["tips"],
        "key_specs": info["key_specs"],
        "group": doc.get("group", ""),
        "since": doc.get("since", ""),
        "complexity": doc.get("complexity", ""),
        "doc_flags": plain(doc.get("doc_flags", [])),
        "deprecated_since": doc.get("deprecated_since"),
        "replaced_by": doc.get("replaced_by"),
        "history": [list(n) for n in notes],
        "arguments": [argument(a) for a in doc.get("arguments", [])],
        "summary": summary,
    }
    subs = sorted(info["subcommands"], key=lambda s: s["name"])
    spec["subcommands"] = {
        sub["name"]: build_spec(sub, sub_docs, summaries, problems) for sub in subs
    }
    return spec


def fetch(port: int) -> tuple[str, list, dict]:
    conn = Resp3("127.0.0.1", port)
    try:
        hello = dict(conn.call("HELLO", "3")[1])
        info_rows = conn.call("COMMAND", "INFO")
        docs = conn.call("COMMAND", "DOCS")
    finally:
        conn.close()
    docs_by_name = {name: dict(body[1]) for name, body in docs[1]}
    return hello["version"], [r for r in info_rows if r is not None], docs_by_name


def build_table(port: int, summaries: dict[str, str]) -> dict[str, Any]:
    version, info_rows, docs = fetch(port)
    if not version.startswith("7.0."):
        raise SystemExit(f"expected Redis 7.0.x, the server is {version}")
    problems: list[str] = []
    commands = {}
    for row in sorted(info_rows, key=lambda r: r[0]):
        info = info_entry(row)
        commands[info["name"]] = build_spec(info, docs, summaries, problems)
    known = set(commands) | {s for c in commands.values() for s in c["subcommands"]}
    problems += [
        f"summaries.tsv has {n}, which Redis does not" for n in sorted(set(summaries) - known)
    ]
    problems += [
        f"HISTORY_NOTES has {n}, which Redis does not" for n in sorted(set(HISTORY_NOTES) - known)
    ]
    if problems:
        raise SystemExit("cannot build the command table:\n  " + "\n  ".join(problems))
    return {
        "redis_version": version,
        "generated_by": "tools/gen_command_table.py",
        "commands": commands,
    }


def render(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if commands.json is stale")
    parser.add_argument("--port", type=int, help="use a running Redis 7.0 on this port")
    args = parser.parse_args(argv)

    summaries = read_summaries()
    if args.port:
        table = build_table(args.port, summaries)
    else:
        sys.path.insert(0, str(ROOT))
        from tests.support import start_real_redis

        server = start_real_redis()
        try:
            table = build_table(server.port, summaries)
        finally:
            server.stop()
    text = render(table)
    if args.check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is stale: run tools/gen_command_table.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    count = len(table["commands"])
    subs = sum(len(c["subcommands"]) for c in table["commands"].values())
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {count} commands, {subs} subcommands")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Differential tests for the server commands: ours vs real Redis 7.0.

INFO (section headers and their order, fields per section), CONFIG
GET/SET/RESETSTAT/REWRITE, commandstats/errorstats counting, the COMMAND
family (INFO entries byte-identical under RESP3, DOCS without our own
summaries), unknown command / subcommand / arity texts, TIME, LASTSAVE,
DEBUG (including DEBUG PROTOCOL byte for byte), MONITOR and SHUTDOWN.
"""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from tests.support import NO_REDIS_REASON, REDIS_SERVER, start_lab_server, start_real_redis
from tests.test_protocol import Raw, encode


def info_text(srv, *args) -> str:
    with Raw(srv.port) as c:
        r = c.call("INFO", *args)
    return r.split(b"\r\n", 1)[1][:-2].decode()


def sections(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def fields(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    cur = None
    for line in text.splitlines():
        if line.startswith("# "):
            cur = out.setdefault(line[2:], [])
        elif line and cur is not None:
            cur.append(line.split(":", 1)[0])
    return out


@pytest.mark.parametrize(
    "args",
    [(), ("default",), ("all",), ("everything",), ("server",), ("CLIENTS",), ("stats",),
     ("keyspace",), ("nosuchsection",), ("server", "clients"), ("memory", "cpu", "persistence"),
     ("commandstats",), ("errorstats",), ("latencystats",), ("replication",), ("modules",)],
)  # fmt: skip
def test_info_section_headers(lab_server, real_server, args):
    c = lab_server.client()
    c.set("somekey", "1")  # so that # Keyspace has a line on both
    real_server.client().set("somekey", "1")
    assert sections(info_text(lab_server, *args)) == sections(info_text(real_server, *args))


# Fields real Redis 7.0 has that we legitimately do not, per section, each with its
# reason. None today: even build facts of the C binary (gcc_version...) are present,
# with placeholder values. Our own additions are the lab_* fields.
MISSING_OK: dict[str, set[str]] = {}


def test_info_fields_per_section(lab_server, real_server):
    ours, real = (
        fields(info_text(lab_server, "everything")),
        fields(info_text(real_server, "everything")),
    )
    problems = {}
    for section, names in real.items():
        if section in ("Keyspace", "Commandstats", "Errorstats", "Latencystats"):
            continue  # content-dependent lines
        missing = set(names) - set(ours.get(section, [])) - MISSING_OK.get(section, set())
        extra = {f for f in ours.get(section, []) if not f.startswith("lab_")} - set(names)
        if missing or extra:
            problems[section] = {"missing": sorted(missing), "extra": sorted(extra)}
    assert not problems


def test_info_field_order(lab_server, real_server):
    ours, real = (
        fields(info_text(lab_server, "everything")),
        fields(info_text(real_server, "everything")),
    )
    for section in ("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU"):
        common = [f for f in real.get(section, []) if f in ours.get(section, [])]
        assert [f for f in ours.get(section, []) if f in common] == common, section


def test_commandstats_and_errorstats(pair):
    s = pair.same
    s("SET", "k", "v")
    s("GET", "k")
    s("INCR", "k")  # failed call
    s("GET")  # rejected call (arity)
    s("NOSUCHCMD")  # unknown: rejected, no command
    s("CLIENT", "NOSUCH")

    def stats(c):
        info = c.info("commandstats")
        out = {}
        for name in ("cmdstat_set", "cmdstat_get", "cmdstat_incr", "cmdstat_client|nosuch"):
            if name in info:
                v = info[name]
                out[name] = {k: v[k] for k in ("calls", "rejected_calls", "failed_calls")}
        return out

    assert stats(pair.ours) == stats(pair.real)
    assert pair.ours.info("errorstats") == pair.real.info("errorstats")
    s_ours, s_real = pair.ours.info("stats"), pair.real.info("stats")
    for k in ("total_error_replies", "unexpected_error_replies"):
        assert s_ours[k] == s_real[k], k


def test_unknown_command_and_arity_texts(pair):
    s = pair.same
    s("NOSUCH")
    s("NOSUCH", "a", "b c", "")
    s("nosuch", "x" * 200)
    s("CONFIG")
    s("CONFIG", "NOSUCH")
    s("CONFIG", "GET")
    s("OBJECT", "nosuch", "x")
    s("COMMAND", "NOSUCH")
    s("GET", "a", "b")
    s("MSET", "a")
    s("DEBUG")


def _pairs(reply):
    if isinstance(reply, dict):
        return sorted(reply.items())
    return sorted(zip(reply[::2], reply[1::2], strict=True))


def test_config_get_set(pair):
    s = pair.same
    s("CONFIG", "GET", "maxmemory")
    s("CONFIG", "GET", "hz")
    s("CONFIG", "GET", "nosuchparam")
    s("CONFIG", "GET", "maxmemory-p*", normalize=_pairs)
    s("CONFIG", "GET", "hz", "maxmemory", "hz", normalize=_pairs)
    s("CONFIG", "SET", "hz", "abc")
    s("CONFIG", "SET", "hz", "-5")
    s("CONFIG", "SET", "nosuch", "1")
    s("CONFIG", "SET", "maxmemory-policy", "bogus")
    s("CONFIG", "SET", "hz")
    s("CONFIG", "SET", "hz", "10", "hz", "11")
    s("CONFIG", "SET", "maxmemory", "10mb")
    s("CONFIG", "GET", "maxmemory")
    s("CONFIG", "SET", "maxmemory", "0")
    s("CONFIG", "SET", "daemonize", "yes")  # immutable
    s("CONFIG", "SET", "appendonly", "maybe")
    s("CONFIG", "RESETSTAT")
    s("CONFIG", "RESETSTAT", "x")
    s("CONFIG", "GET", "save")
    s("CONFIG", "GET", "bind", normalize=sorted)


def _write_conf(path, port, extra=""):
    path.write_text(
        f'port {port}\nbind 127.0.0.1\nsave ""\nappendonly no\nhz 15\n'
        f"maxmemory-policy allkeys-lru\n# a comment the rewrite keeps\n{extra}"
    )


@pytest.mark.parametrize("kind", ["ours", "real"])
def test_config_rewrite_roundtrip(tmp_path, kind):
    from tests.support import REDIS_SERVER, ServerProcess, free_port

    port = free_port()
    conf = tmp_path / "redis.conf"
    _write_conf(conf, port)
    if kind == "ours":
        import sys

        argv = [sys.executable, "-m", "server", str(conf)]
    else:
        if REDIS_SERVER is None:
            pytest.skip("no redis-server")
        argv = [REDIS_SERVER, str(conf)]
    srv = ServerProcess(argv, port, str(tmp_path), kind).start()
    try:
        c = srv.client()
        c.config_set("hz", "42")
        c.config_set("maxmemory", "5mb")
        assert c.execute_command("CONFIG", "REWRITE") in (True, b"OK")
        text = conf.read_text()
        assert "hz 42" in text
        assert "# a comment the rewrite keeps" in text
        assert "maxmemory 5mb" in text
    finally:
        srv.stop()
    # the rewritten file starts a server that has the new values
    srv = ServerProcess(argv, port, str(tmp_path), kind).start()
    try:
        c = srv.client()
        assert c.config_get("hz") == {"hz": "42"}
        assert c.config_get("maxmemory") == {"maxmemory": str(5 * 1024 * 1024)}
    finally:
        srv.stop()


def test_config_rewrite_without_file(pair):
    pair.same("CONFIG", "REWRITE")


# -- COMMAND --------------------------------------------------------------------------


def _raw_list(srv) -> list[str]:
    with Raw(srv.port) as c:
        r = c.call("COMMAND", "LIST")
    return [x for x in r.decode().split("\r\n")[1:] if x and not x.startswith("$")]


def _implemented(lab_server) -> list[str]:
    return sorted(n for n in _raw_list(lab_server) if n.split("|")[0] != "lab")


def raw_same(servers, *args, resp=3, normalize=None):
    """The same command on raw sockets to both servers; assert the same bytes."""
    got = []
    for srv in servers:
        with Raw(srv.port) as c:
            c.call("HELLO", str(resp))
            r = c.call(*args)
            got.append(normalize(r) if normalize else r)
    assert got[0] == got[1], f"{args!r}: ours={got[0][:300]!r} real={got[1][:300]!r}"
    return got[0]


def test_command_count_and_list(lab_server, real_server):
    ours = set(_implemented(lab_server))
    lab = [n for n in _raw_list(lab_server) if n.split("|")[0] == "lab"]
    real = set(_raw_list(real_server))
    assert ours <= real
    with Raw(lab_server.port) as c:
        count = len([n for n in ours | set(lab) if "|" not in n])
        assert c.call("COMMAND", "COUNT") == b":%d\r\n" % count


def parse3(data: bytes):
    """A small RESP3 parser: maps become lists of (key, value) pairs, in order."""

    def at(i):
        end = data.index(b"\r\n", i)
        kind, head = data[i : i + 1], data[i + 1 : end]
        i = end + 2
        if kind in b"$=!":
            n = int(head)
            if n < 0:
                return None, i
            return data[i : i + n], i + n + 2
        if kind in b"*~>":
            items = []
            for _ in range(int(head)):
                v, i = at(i)
                items.append(v)
            return items, i
        if kind == b"%":
            pairs = []
            for _ in range(int(head)):
                k, i = at(i)
                v, i = at(i)
                pairs.append((k, v))
            return pairs, i
        if kind == b":":
            return int(head), i
        return (kind + head), i

    value, end = at(0)
    assert end == len(data)
    return value


def _info_entry_normalized(reply: bytes, implemented: set[str]):
    """COMMAND INFO with subcommands sorted: Redis lists them in its dict's (seeded
    hash) order, which changes from one process to the next. Only the subcommands
    we implement are kept (a container lists only what it can run)."""

    def norm(entry):
        if isinstance(entry, list) and len(entry) == 10 and isinstance(entry[9], list):
            subs = [norm(x) for x in entry[9] if x[0].decode() in implemented]
            entry = entry[:9] + [sorted(subs, key=repr)]
        return entry

    return [norm(e) for e in parse3(reply)]


def test_command_info_equal(lab_server, real_server):
    names = _implemented(lab_server)
    ours = set(names)
    got = []
    for srv in (lab_server, real_server):
        with Raw(srv.port) as c:
            c.call("HELLO", "3")
            got.append(
                {n: _info_entry_normalized(c.call("COMMAND", "INFO", n), ours) for n in names}
            )
    diff = [n for n in names if got[0][n] != got[1][n]]
    assert not diff, diff


def test_command_info_bytes_equal_without_subcommands(lab_server, real_server):
    names = [n for n in _implemented(lab_server) if "|" in n or n in ("get", "set", "ping")]
    got = []
    for srv in (lab_server, real_server):
        with Raw(srv.port) as c:
            c.call("HELLO", "3")
            got.append({n: c.call("COMMAND", "INFO", n) for n in names})
    diff = [n for n in names if got[0][n] != got[1][n]]
    assert not diff, diff


def _docs_normalized(reply: bytes, implemented: set[str]):
    """COMMAND DOCS without summaries and history notes (ours are in our own words),
    subcommands sorted (seeded hash order in Redis), only those we implement."""

    def doc(pairs):
        out = []
        for k, v in pairs:
            if k == b"summary":
                v = "<summary>"
            elif k == b"history":
                v = [ver for ver, _note in v]
            elif k == b"subcommands":
                v = sorted(
                    ((name, doc(d)) for name, d in v if name.decode() in implemented), key=repr
                )
            out.append((k, v))
        return out

    return [(name, doc(d)) for name, d in parse3(reply)]


@pytest.mark.parametrize("resp", [2, 3])
def test_command_info_subcommands_and_missing(lab_server, real_server, resp):
    servers = (lab_server, real_server)
    raw_same(servers, "COMMAND", "INFO", "get", "nosuch", "config|get", "CONFIG|GET", resp=resp)
    raw_same(servers, "COMMAND", "INFO", "client|kill", "client|nosuch", "", resp=resp)


def test_command_docs_shape(lab_server, real_server):
    names = _implemented(lab_server)
    got = []
    for srv in (lab_server, real_server):
        with Raw(srv.port) as c:
            c.call("HELLO", "3")
            got.append(
                {n: _docs_normalized(c.call("COMMAND", "DOCS", n), set(names)) for n in names}
            )
    diff = [n for n in names if got[0][n] != got[1][n]]
    assert not diff, diff


@pytest.mark.parametrize("resp", [2, 3])
def test_command_list_filterby(lab_server, real_server, resp):
    servers = (lab_server, real_server)
    ours = set(_raw_list(lab_server))
    for args in (("ACLCAT", "string"), ("ACLCAT", "keyspace"), ("PATTERN", "*get*"),
                 ("PATTERN", "client*"), ("ACLCAT", "STRING")):  # fmt: skip
        got = []
        for srv in servers:
            with Raw(srv.port) as c:
                r = c.call("COMMAND", "LIST", "FILTERBY", *args).decode().split("\r\n")[1:]
            got.append(sorted(x for x in r if x and not x.startswith("$") and x in ours))
        assert got[0] == got[1], args
    for args in (("MODULE", "nosuch"), ("ACLCAT", "nosuchcat"), ("FOO", "x"), ("FOO",), ()):
        raw_same(servers, "COMMAND", "LIST", "FILTERBY", *args, resp=resp)
    raw_same(servers, "COMMAND", "LIST", "FOO", resp=resp)


@pytest.mark.parametrize(
    "args",
    [("GET", "k"), ("SET", "k", "v"), ("MSET", "a", "1", "b", "2"), ("MGET", "a", "b", "c"),
     ("DEL", "a", "b"), ("RENAME", "a", "b"), ("COPY", "a", "b"), ("LCS", "a", "b"),
     ("OBJECT", "ENCODING", "k"), ("EXPIRE", "k", "1"), ("SCAN", "0"), ("PING",),
     ("GET",), ("NOSUCH", "a"), ("MSET", "a"), ("SET", "k", "v", "GET"), ("GETEX", "k"),
     ("CONFIG", "GET", "x"), ("OBJECT", "nosuch", "k"), ("TOUCH", "a", "b", "c")],
)  # fmt: skip
@pytest.mark.parametrize("resp", [2, 3])
def test_command_getkeys(lab_server, real_server, args, resp):
    raw_same((lab_server, real_server), "COMMAND", "GETKEYS", *args, resp=resp)
    raw_same((lab_server, real_server), "COMMAND", "GETKEYSANDFLAGS", *args, resp=resp)


def test_command_help_and_errors(lab_server, real_server):
    servers = (lab_server, real_server)
    for args in (("GETKEYS",), ("DOCS", "nosuch"), ("COUNT", "x"), ("INFO", "nosuch"),
                 ("GETKEYSANDFLAGS",), ("LIST", "FILTERBY", "PATTERN")):  # fmt: skip
        raw_same(servers, "COMMAND", *args)

    def names(r):  # the subcommand lines; explanations are in our own words
        return [ln.split()[0] for ln in r.split(b"\r\n")[2:] if re.match(rb"\+[A-Z]", ln)]

    raw_same(servers, "COMMAND", "HELP", normalize=names)


# -- TIME, LASTSAVE, DEBUG ------------------------------------------------------------------


def test_time_lastsave(pair):
    a, b = pair.both("TIME")
    assert abs(int(a[1][0]) - int(b[1][0])) < 60
    assert 0 <= int(a[1][1]) < 1_000_000
    pair.same("TIME", "x")
    a, b = pair.both("LASTSAVE")  # redis-py turns it into a datetime
    assert a[0] == b[0] == "ok" and abs((a[1] - b[1]).total_seconds()) < 3600
    pair.same("LASTSAVE", "x")


PROTOCOL_TYPES = ["string", "integer", "double", "bignum", "null", "array", "set", "map",
                  "attrib", "push", "verbatim", "true", "false", "nosuch"]  # fmt: skip


@pytest.mark.parametrize("resp", [2, 3])
@pytest.mark.parametrize("kind", PROTOCOL_TYPES)
def test_debug_protocol_bytes(lab_server, real_server, kind, resp):
    got = []
    for srv in (lab_server, real_server):
        with Raw(srv.port) as c:
            c.call("HELLO", str(resp))
            r = c.call("DEBUG", "PROTOCOL", kind)
            if r.startswith(b">"):  # a push is followed by a real reply
                r += c.reply()
            r += c.call("PING")
            got.append(r)
    assert got[0] == got[1]


def test_debug_misc(pair):
    s = pair.same
    s("DEBUG", "SLEEP", "0")
    s("DEBUG", "LOG", "hello from the tests")
    s("DEBUG", "ERROR", "MYERR custom")
    s("DEBUG", "ERROR", "plain words")
    s("DEBUG", "OBJECT", "missing")
    s("DEBUG", "NOSUCH")
    s("DEBUG", "SET-ACTIVE-EXPIRE", "1")
    s("SET", "k", "12345")
    a, b = pair.both("DEBUG", "OBJECT", "k")

    def shape(r):
        # lru_seconds_idle: Redis's shared integers (0..9999) carry the LRU of whichever
        # key touched the shared object last; we keep one per key.
        r = r.decode() if isinstance(r, bytes) else r
        r = re.sub(r"lru_seconds_idle:\d+", "lru_seconds_idle:N", r)
        return re.sub(r"0x[0-9a-f]+", "ADDR", re.sub(r"lru:\d+", "lru:N", r))

    assert shape(a[1]) == shape(b[1])
    for value in ("x" * 100, "abcdefghijklmnopqrstuvwxyz0123456789", "-1", "127", "128",
                  "32768", "2147483648", "4294967296", "-2147483648", "", "y" * 20, "007"):  # fmt: skip
        s("SET", "k", value)
        a, b = pair.both("DEBUG", "OBJECT", "k")
        assert shape(a[1]) == shape(b[1]), value


# -- MONITOR --------------------------------------------------------------------------


def _monitor_lines(srv):
    with Raw(srv.port) as mon:
        assert mon.call("MONITOR") == b"+OK\r\n"
        with Raw(srv.port) as c:
            c.call("SELECT", "3")
            c.call("SET", "bin\x00key", b'\xff\x01"q\\ \n\r\t')
            c.call("AUTH", "secret")
            c.call("ECHO", "")
            c.call("HELLO", "2", "AUTH", "default", "pw")
            c.call("GET")  # rejected: not shown
            c.call("PING")
            c.call("SELECT", "0")
        lines = []
        while len(lines) < 5:
            lines.append(mon.reply().decode("latin-1"))
    # +<sec>.<usec> [<db> <ip:port>] args
    out = []
    for line in lines:
        m = re.match(r"\+(\d+)\.(\d{6}) \[(\d+) 127\.0\.0\.1:\d+\] (.*)\r\n$", line)
        assert m, line
        out.append((m.group(3), m.group(4)))
    return out


def test_monitor_format(lab_server, real_server):
    assert _monitor_lines(lab_server) == _monitor_lines(real_server)


def test_shutdown_private_server():
    for start in (start_lab_server, start_real_redis):
        srv = start()
        with Raw(srv.port) as c:
            c.call("SET", "x", "1")
            assert c.call("SHUTDOWN", "FOO") == b"-ERR syntax error\r\n"
            assert c.call("SHUTDOWN", "ABORT") == b"-ERR No shutdown in progress.\r\n"
            c.send(encode("SHUTDOWN", "NOSAVE"))
            assert c.rest_then_closed() == b""
        srv.proc.wait(15)
        assert srv.proc.returncode == 0
        srv.proc = None


def test_debug_sleep_blocks_server(lab_server):
    c = lab_server.client()
    t = time.monotonic()
    c.execute_command("DEBUG", "SLEEP", "0.2")
    assert time.monotonic() - t >= 0.2
    c.close()


def test_debug_not_allowed_when_disabled():
    srv = start_lab_server("--enable-debug-command", "no")
    try:
        with Raw(srv.port) as c:
            r = c.call("DEBUG", "SLEEP", "0")
        assert r.startswith(b"-ERR DEBUG command not allowed.")
    finally:
        srv.stop()


def test_lab_not_allowed_when_disabled():
    """LAB is protected as DEBUG is: refused by processCommand, every subcommand."""
    srv = start_lab_server("--enable-lab-command", "no")
    try:
        with Raw(srv.port) as c:
            for args in (("LAB", "CLOCK"), ("LAB", "INSPECT", "k"), ("LAB", "HELP")):
                assert c.call(*args) == (
                    b"-ERR LAB command not allowed. If the enable-lab-command option is set to "
                    b'"local", you can run it from a local connection, otherwise you need to set '
                    b"this option in the configuration file, and then restart the server.\r\n"
                )
            assert c.call("PING") == b"+PONG\r\n"
    finally:
        srv.stop()


def test_redis_cli_info_runs(lab_server):
    from tests.support import REDIS_CLI

    if REDIS_CLI is None:
        pytest.skip("no redis-cli")
    out = subprocess.run([REDIS_CLI, "-p", str(lab_server.port), "INFO", "server"],
                         capture_output=True, timeout=20)  # fmt: skip
    assert b"redis_version:7.0.15" in out.stdout


_STAT_SEQUENCE = [
    ("SET", "a", "1"), ("GET", "a"), ("GET", "b"), ("EXISTS", "a", "b"), ("TYPE", "a"),
    ("TYPE", "b"), ("STRLEN", "a"), ("MGET", "a", "b"), ("APPEND", "a", "x"), ("INCR", "n"),
    ("GETRANGE", "a", "0", "1"), ("TTL", "a"), ("TTL", "b"), ("OBJECT", "ENCODING", "a"),
    ("GETDEL", "a"), ("SETNX", "a", "1"), ("SET", "a", "2", "GET"), ("GETEX", "a"),
    ("TOUCH", "a", "b"), ("RENAME", "a", "c"), ("COPY", "c", "d"), ("LCS", "c", "d"),
    ("SCAN", "0"), ("KEYS", "*"), ("RANDOMKEY",), ("DBSIZE",), ("EXPIRE", "c", "100"),
    ("PERSIST", "c"), ("DEL", "c"), ("GET",), ("INCR", "d"), ("NOSUCH",),
]  # fmt: skip


def _stats_after_sequence(srv) -> dict[str, str]:
    with Raw(srv.port) as c:
        c.call("FLUSHALL")
        c.call("CONFIG", "RESETSTAT")
        for args in _STAT_SEQUENCE:
            c.call(*args)
        text = c.call("INFO", "stats").split(b"\r\n", 1)[1].decode()
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def test_info_stats_counters_after_a_sequence(lab_server, real_server):
    ours, real = _stats_after_sequence(lab_server), _stats_after_sequence(real_server)
    for field in ("keyspace_hits", "keyspace_misses", "total_commands_processed",
                  "total_error_replies", "unexpected_error_replies", "expired_keys",
                  "evicted_keys", "total_net_input_bytes", "total_net_output_bytes"):  # fmt: skip
        assert ours[field] == real[field], field


def test_info_reads_and_writes_processed(lab_server, real_server):
    ours, real = _stats_after_sequence(lab_server), _stats_after_sequence(real_server)
    for field in ("total_reads_processed", "total_writes_processed"):
        # one read and one write per round trip (plus the INFO itself, maybe not yet)
        assert int(ours[field]) >= len(_STAT_SEQUENCE) <= int(real[field]), field


def test_config_set_bind_unbindable(pair):
    try:
        pair.same("CONFIG", "SET", "bind", "256.1.1.1")
        pair.same("CONFIG", "GET", "bind")
        pair.same("CONFIG", "SET", "bind", "127.0.0.1 -::1")  # rebinding to a good address works
        pair.same("PING")
    finally:
        for c in (pair.ours, pair.real):
            try:
                c.config_set("bind", "127.0.0.1")
            except Exception:
                pass


def _monitor_self(srv, *cmd):
    """A MONITOR client sends a command itself: what comes back, timestamps removed."""
    with Raw(srv.port) as m:
        m.call("MONITOR")
        m.send(encode(*cmd) + encode("PING"))
        got = b""
        while b"+PONG\r\n" not in got or b'"PING"\r\n' not in got:
            if not m._fill():
                break
            got, m.buf = got + m.buf, b""
    return re.sub(rb"\+\d+\.\d+ \[0 127\.0\.0\.1:\d+\]", b"+T", got)


def test_monitor_line_after_reply(lab_server, real_server):
    assert _monitor_self(lab_server, "ECHO", "x") == _monitor_self(real_server, "ECHO", "x")


def test_monitor_client_cannot_touch_keyspace(lab_server):
    with Raw(lab_server.port) as m:
        m.call("MONITOR")
        m.send(encode("GET", "x"))
        assert m.reply() == b"-ERR Replica can't interact with the keyspace\r\n"


@pytest.mark.parametrize("resp", [2, 3])
def test_info_reply_type(lab_server, real_server, resp):
    """INFO is a verbatim string (=<len>\\r\\ntxt:...) under RESP3, a bulk string under RESP2."""

    def kind(r):
        return r[:1] + (r.split(b"\r\n", 1)[1][:4] if r[:1] == b"=" else b"")

    raw_same((lab_server, real_server), "INFO", "keyspace", resp=resp, normalize=kind)


def _protected_session(srv) -> list:
    """DEBUG refused by enable-debug-command no: before NOAUTH, after arity, in MULTI."""
    with Raw(srv.port) as c:
        out = [
            c.call("DEBUG", "SLEEP", "0"),  # refused before the NOAUTH check
            c.call("DEBUG"),  # arity is checked first
            c.call("AUTH", "pw"),
            c.call("DEBUG", "SLEEP", "0"),
            c.call("MULTI"),
            c.call("DEBUG", "SLEEP", "0"),  # rejected when queued: EXEC aborts
            c.call("EXEC"),
        ]
        stats = c.call("INFO", "stats").decode()
        out.append([ln for ln in stats.split("\r\n") if ln.startswith("total_commands_processed")])
        for section in ("commandstats", "errorstats"):
            body = c.call("INFO", section).split(b"\r\n", 1)[1]  # without the $<len> line
            body = re.sub(rb"usec=\d+,usec_per_call=[\d.]+", b"", body)
            out.append(sorted(ln for ln in body.split(b"\r\n") if ln))
    return out


def test_protected_command_rejected_before_call():
    """processCommand refuses DEBUG (CMD_PROTECTED) like an unknown command: not run,
    not in total_commands_processed, rejected_calls, EXECABORT inside MULTI."""
    if REDIS_SERVER is None:
        pytest.skip(NO_REDIS_REASON)
    args = ("--enable-debug-command", "no", "--requirepass", "pw")
    outs = []
    for start in (start_lab_server, start_real_redis):
        srv = start(*args)
        try:
            outs.append(_protected_session(srv))
        finally:
            srv.stop()
    ours, real = outs
    assert ours == real

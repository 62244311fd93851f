"""Differential tests for CLIENT subcommands: ours vs real Redis 7.0.

Field names and order of CLIENT INFO/LIST, name validation, KILL in its old
and new forms, PAUSE/UNPAUSE with two connections, REPLY ON/OFF/SKIP on a raw
socket, NO-EVICT, UNBLOCK, TRACKINGINFO and the error texts.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.test_protocol import Raw


def _fields(line: bytes | str) -> list[str]:
    if isinstance(line, bytes):
        line = line.decode()
    return [kv.split("=", 1)[0] for kv in line.strip().split(" ")]


def test_client_info_fields(lab_server, real_server):
    out = []
    for srv in (lab_server, real_server):
        with Raw(srv.port) as c:
            info = c.call("CLIENT", "INFO")
            lst = c.call("CLIENT", "LIST", "ID", "999999")
            out.append((_fields(info.split(b"\r\n", 1)[1]), lst))
    assert out[0] == out[1]


def test_client_list_fields_and_filters(pair):
    s = pair.same
    a, b = pair.both("CLIENT", "LIST")
    assert a[0] == b[0] == "ok"
    assert _fields(a[1].splitlines()[0]) == _fields(b[1].splitlines()[0])
    s("CLIENT", "LIST", "TYPE", "normal", normalize=lambda r: len(r) >= 1)
    s("CLIENT", "LIST", "TYPE", "master")
    s("CLIENT", "LIST", "TYPE", "replica")
    s("CLIENT", "LIST", "TYPE", "pubsub")
    s("CLIENT", "LIST", "TYPE", "foo")
    s("CLIENT", "LIST", "ID")
    s("CLIENT", "LIST", "ID", "abc")
    s("CLIENT", "LIST", "ID", "0")
    s("CLIENT", "LIST", "ID", "-1")
    s("CLIENT", "LIST", "FOO")
    s("CLIENT", "LIST", "TYPE")


def test_client_id_info_values(lab_server):
    with Raw(lab_server.port) as c:
        cid = int(c.call("CLIENT", "ID")[1:-2])
        c.call("SELECT", "4")
        c.call("CLIENT", "SETNAME", "me")
        info = c.call("CLIENT", "INFO").split(b"\r\n", 1)[1].decode()
        kv = dict(f.split("=", 1) for f in info.strip().split(" "))
        assert kv["id"] == str(cid)
        assert kv["db"] == "4"
        assert kv["name"] == "me"
        assert kv["cmd"] == "client|info"
        assert kv["resp"] == "2"
        assert kv["flags"] == "N"


def test_setname_getname(pair):
    s = pair.same
    s("CLIENT", "GETNAME")
    s("CLIENT", "SETNAME", "good-name_1")
    s("CLIENT", "GETNAME")
    s("CLIENT", "SETNAME", "has space")
    s("CLIENT", "SETNAME", "new\nline")
    s("CLIENT", "SETNAME", "caf\xe9")
    s("CLIENT", "SETNAME", "")
    s("CLIENT", "GETNAME")
    s("CLIENT", "SETNAME")
    s("CLIENT", "SETNAME", "a", "b")
    s("CLIENT", "GETNAME", "x")


def test_client_errors_and_help(pair):
    s = pair.same
    s("CLIENT")
    s("CLIENT", "FOO")
    s("CLIENT", "ID", "x")
    s("CLIENT", "INFO", "x")
    s("CLIENT", "GETREDIR")
    s("CLIENT", "TRACKINGINFO")
    s("CLIENT", "NO-EVICT", "ON")
    s("CLIENT", "NO-EVICT", "OFF")
    s("CLIENT", "NO-EVICT", "maybe")
    s("CLIENT", "NO-EVICT")
    s("CLIENT", "UNBLOCK", "1")
    s("CLIENT", "UNBLOCK", "99999", "TIMEOUT")
    s("CLIENT", "UNBLOCK", "99999", "ERROR")
    s("CLIENT", "UNBLOCK", "99999", "FOO")
    s("CLIENT", "UNBLOCK", "abc")
    s("CLIENT", "UNBLOCK", "abc", "FOO")  # the reason is checked before the id
    s("CLIENT", "UNBLOCK", "abc", "TIMEOUT")
    s("CLIENT", "UNBLOCK", "abc", "TIMEOUT", "x")
    s("CLIENT", "REPLY", "FOO")
    s("CLIENT", "REPLY")
    s("CLIENT", "PAUSE")
    s("CLIENT", "PAUSE", "abc")
    s("CLIENT", "PAUSE", "-1")
    s("CLIENT", "PAUSE", "10", "FOO")
    s("CLIENT", "PAUSE", "10", "WRITE", "x")
    s("CLIENT", "UNPAUSE", "x")

    def sigs(lines):  # the subcommand names; the rest is in our own words
        return [ln.split()[0] for ln in lines[1:] if not ln.startswith(b" ")]

    assert sigs(pair.ours.execute_command("CLIENT", "HELP")) == sigs(
        pair.real.execute_command("CLIENT", "HELP")
    )


def test_client_unblock_self_not_blocked(pair):
    cid = pair.ours.client_id()
    assert pair.ours.execute_command("CLIENT", "UNBLOCK", cid) == 0
    cid = pair.real.client_id()
    assert pair.real.execute_command("CLIENT", "UNBLOCK", cid) == 0


def _kill_errors(c):
    out = []
    for args in [
        ("127.0.0.1:1",),
        ("nonsense",),
        ("ID", "abc"),
        ("ID", "0"),
        ("ID", "99999999"),
        ("TYPE", "foo"),
        ("TYPE", "pubsub"),
        ("ADDR", "1.2.3.4:5"),
        ("LADDR", "1.2.3.4:5"),
        ("USER", "nosuchuser"),
        ("USER", "default", "SKIPME", "maybe"),
        ("SKIPME", "yes"),
        ("FOO", "bar"),
        ("ID",),
        ("ID", "1", "ID"),
        ("MAXAGE", "100"),
    ]:
        try:
            out.append(("ok", c.execute_command("CLIENT", "KILL", *args)))
        except Exception as e:
            out.append(("err", str(e)))
    return out


def test_client_kill_errors(pair):
    assert _kill_errors(pair.ours) == _kill_errors(pair.real)


def _kill_scenarios(srv):
    """Kill other raw connections in each form; return what each form reported."""
    results = []
    admin = srv.client()
    my_id = admin.client_id()

    def victim():
        r = Raw(srv.port)
        cid = int(r.call("CLIENT", "ID")[1:-2])
        info = r.call("CLIENT", "INFO").split(b"\r\n", 1)[1].decode()
        kv = dict(f.split("=", 1) for f in info.strip().split(" "))
        return r, cid, kv

    r, cid, kv = victim()
    results.append(admin.execute_command("CLIENT", "KILL", kv["addr"]))  # old form: OK
    results.append(r.closed())
    r, cid, kv = victim()
    results.append(admin.execute_command("CLIENT", "KILL", "ID", cid))
    results.append(r.closed())
    r, cid, kv = victim()
    results.append(admin.execute_command("CLIENT", "KILL", "ADDR", kv["addr"]))
    results.append(r.closed())
    r, cid, kv = victim()
    results.append(admin.execute_command("CLIENT", "KILL", "LADDR", kv["laddr"], "ID", cid))
    results.append(r.closed())
    r, cid, kv = victim()
    n = admin.execute_command("CLIENT", "KILL", "USER", "default", "SKIPME", "yes")
    results.append(n >= 1)
    results.append(r.closed())
    results.append(admin.client_id() == my_id)  # SKIPME yes: still connected, same id
    r, cid, kv = victim()
    results.append(admin.execute_command("CLIENT", "KILL", "TYPE", "normal", "ID", cid))
    results.append(r.closed())
    # SKIPME no: kills the caller too (its reply still arrives first)
    with Raw(srv.port) as me:
        my = int(me.call("CLIENT", "ID")[1:-2])
        results.append(me.call("CLIENT", "KILL", "ID", str(my), "SKIPME", "no"))
        results.append(me.closed())
    admin.close()
    return results


def test_client_kill_forms(lab_server, real_server):
    assert _kill_scenarios(lab_server) == _kill_scenarios(real_server)


def _pause_scenario(srv):
    admin = srv.client()
    writer = srv.client()
    reader = srv.client()
    writer.set("pk", "before")
    admin.execute_command("CLIENT", "PAUSE", "100000", "WRITE")
    done = {}

    def do_write():
        done["set"] = writer.set("pk", "after")

    t = threading.Thread(target=do_write)
    t.start()
    time.sleep(0.3)
    events = [("reads while paused", reader.get("pk")), ("write held", "set" not in done)]
    events.append(("ttl", reader.ttl("pk")))
    admin.execute_command("CLIENT", "UNPAUSE")
    t.join(10)
    events.append(("write done", done.get("set")))
    events.append(("value", reader.get("pk")))
    admin.delete("pk")
    for c in (admin, writer, reader):
        c.close()
    return events


def test_client_pause_write(lab_server, real_server):
    ours, real = _pause_scenario(lab_server), _pause_scenario(real_server)
    assert ours == real
    assert ours[1] == ("write held", True)


def test_client_pause_all_holds_reads(lab_server, real_server):
    # PAUSE ALL holds every command, CLIENT UNPAUSE included: only the timeout ends it.
    for srv in (lab_server, real_server):
        admin = srv.client()
        reader = srv.client()
        got = {}
        admin.execute_command("CLIENT", "PAUSE", "1500", "ALL")
        t = threading.Thread(target=lambda g=got, r=reader: g.setdefault("ping", r.ping()))
        t.start()
        time.sleep(0.2)
        assert "ping" not in got, srv.kind
        t.join(15)
        assert got["ping"] is True
        admin.close()
        reader.close()


def test_client_reply_raw(lab_server, real_server):
    out = []
    for srv in (lab_server, real_server):
        with Raw(srv.port) as c:
            c.send(
                b"CLIENT REPLY OFF\r\nSET r 1\r\nGET r\r\nCLIENT REPLY ON\r\nGET r\r\n"
                b"CLIENT REPLY SKIP\r\nINCR r\r\nGET r\r\nCLIENT REPLY SKIP\r\n"
                b"CLIENT REPLY ON\r\nPING\r\nDEL r\r\n"
            )
            got = [c.reply() for _ in range(5)]
            out.append(got)
    assert out[0] == out[1]
    assert out[0] == [b"+OK\r\n", b"$1\r\n1\r\n", b"$1\r\n2\r\n", b"+OK\r\n", b"+PONG\r\n"]


def test_client_trackinginfo_bytes(lab_server, real_server):
    for resp in ("2", "3"):
        got = []
        for srv in (lab_server, real_server):
            with Raw(srv.port) as c:
                c.call("HELLO", resp)
                got.append(c.call("CLIENT", "TRACKINGINFO"))
        assert got[0] == got[1]


def test_client_trackinginfo(pair):
    pair.same("CLIENT", "TRACKINGINFO")
    pair.same("CLIENT", "GETREDIR")


_VOLATILE = {"id", "addr", "laddr", "fd", "age", "idle", "qbuf", "qbuf-free", "argv-mem",
             "tot-mem", "omem", "obl", "oll", "rbs", "rbp"}  # fmt: skip


def _client_info_after(srv, *calls):
    with Raw(srv.port) as c:
        for args in calls:
            c.call(*args)
        text = c.call("CLIENT", "INFO").split(b"\r\n", 1)[1].decode()
    text = text.removeprefix("txt:")  # RESP3 sends a verbatim string
    kv = dict(f.split("=", 1) for f in text.strip().split(" "))
    return {k: v for k, v in kv.items() if k not in _VOLATILE}


@pytest.mark.parametrize(
    "calls",
    [
        [],
        [("SELECT", "2"), ("CLIENT", "SETNAME", "worker-1")],
        [("HELLO", "3"), ("GET", "x")],
        [("CLIENT", "REPLY", "ON"), ("CLIENT", "NO-EVICT", "ON")],
        [("HELLO", "3", "SETNAME", "h")],
    ],
    ids=["fresh", "select-setname", "resp3", "no-evict", "hello-setname"],
)
def test_client_info_values(lab_server, real_server, calls):
    assert _client_info_after(lab_server, *calls) == _client_info_after(real_server, *calls)


def test_client_list_shows_other_connections(lab_server, real_server):
    out = []
    for srv in (lab_server, real_server):
        with Raw(srv.port) as a, Raw(srv.port) as b:
            a.call("CLIENT", "SETNAME", "conn-a")
            a.call("SELECT", "5")
            b.call("CLIENT", "SETNAME", "conn-b")
            text = b.call("CLIENT", "LIST").split(b"\r\n", 1)[1].decode()
        mine = []
        for line in text.strip().splitlines():
            kv = dict(f.split("=", 1) for f in line.split(" "))
            if kv["name"] in ("conn-a", "conn-b"):
                mine.append((kv["name"], kv["db"], kv["cmd"], kv["flags"]))
        out.append(sorted(mine))
    assert out[0] == out[1]

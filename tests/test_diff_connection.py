"""Differential tests for the connection commands: ours vs real Redis 7.0.

PING, ECHO, SELECT, RESET, AUTH and HELLO (including servers started with
``--requirepass``), compared through redis-py (RESP2 and RESP3) or raw sockets
when the exact bytes matter.
"""

from __future__ import annotations

import pytest
import redis

from tests.support import start_lab_server, start_real_redis
from tests.test_protocol import Raw

NO_RETRY = {"retry_on_error": [], "retry": None}


def test_ping_echo(pair):
    s = pair.same
    s("PING")
    s("PING", "hello")
    s("PING", "a", "b")
    s("ECHO", "x")
    s("ECHO")
    s("ECHO", "a", "b")
    s("ECHO", "")


def test_select(pair):
    s = pair.same
    for arg in ("0", "15", "16", "-1", "abc", "1.5", "", "9999999999999999999", " 1",
                "2147483647", "2147483648", "-2147483649", "9223372036854775807"):  # fmt: skip
        s("SELECT", arg)
    s("SELECT")
    s("SELECT", "0")


def _no_retry_pair(pair, lab_server, real_server):
    p = _AnyErrorPair(
        lab_server.client(protocol=pair.protocol, **NO_RETRY),
        real_server.client(protocol=pair.protocol, **NO_RETRY),
    )
    p.protocol = pair.protocol
    return p


def test_auth_without_password(pair, lab_server, real_server):
    s = _no_retry_pair(pair, lab_server, real_server).same
    s("AUTH", "x")
    s("AUTH", "default", "x")
    s("AUTH", "someone", "x")
    s("AUTH", "a", "b", "c")
    s("AUTH")


def _hello_normalize(reply):
    d = reply if isinstance(reply, dict) else dict(zip(reply[::2], reply[1::2], strict=True))
    out = {}
    for k, v in d.items():
        k = k.decode() if isinstance(k, bytes) else k
        if k in ("id", "version"):
            v = type(v).__name__
        out[k] = v
    return out


@pytest.mark.parametrize("proto", [None, "2", "3"])
def test_hello_reply(pair, proto):
    args = ("HELLO",) if proto is None else ("HELLO", proto)
    a, b = pair.both(*args)
    assert a[0] == b[0] == "ok"
    assert list(_hello_normalize(a[1])) == list(_hello_normalize(b[1]))
    assert _hello_normalize(a[1]) == _hello_normalize(b[1])
    # and back to the fixture's protocol
    pair.both("HELLO", str(pair.protocol))


def test_hello_errors(pair, lab_server, real_server):
    s = _no_retry_pair(pair, lab_server, real_server).same
    s("HELLO", "4")
    s("HELLO", "1")
    s("HELLO", "0")
    s("HELLO", "-1")
    s("HELLO", "abc")
    s("HELLO", "3.0")
    s("HELLO", str(pair.protocol), "FOO")
    s("HELLO", str(pair.protocol), "AUTH", "default")
    # the default user has no password: any password is accepted
    s("HELLO", str(pair.protocol), "AUTH", "default", "wrong", normalize=_hello_normalize)
    s("HELLO", str(pair.protocol), "AUTH", "other", "wrong")
    s("HELLO", str(pair.protocol), "SETNAME", "bad name")
    s("HELLO", str(pair.protocol), "SETNAME")
    s("CLIENT", "GETNAME")


def test_hello_setname(pair):
    pair.both("HELLO", str(pair.protocol), "SETNAME", "myname")
    pair.same("CLIENT", "GETNAME")
    pair.both("HELLO", str(pair.protocol), "SETNAME", "")
    pair.same("CLIENT", "GETNAME")


def _raw_both(servers, *frames):
    out = []
    for s in servers:
        with Raw(s.port) as c:
            out.append([c.call(*f) for f in frames])
    return out


def test_hello_raw_bytes(lab_server, real_server):
    def normalize(replies):
        # id and version differ: drop the two values
        out = []
        for r in replies:
            r = r.replace(b"7.0.15", b"VERSION")
            import re

            r = re.sub(rb":\d+\r\n", b":ID\r\n", r)
            out.append(r)
        return out

    ours, real = _raw_both(
        (lab_server, real_server),
        ("HELLO",),
        ("HELLO", "3"),
        ("HELLO", "2"),
        ("HELLO", "4"),
        ("HELLO", "3", "SETNAME", "x y"),
    )
    assert normalize(ours) == normalize(real)


def test_reset(pair):
    s = pair.same
    s("SELECT", "3")
    s("CLIENT", "SETNAME", "n")
    s("RESET")
    s("CLIENT", "GETNAME")
    s("SET", "in0", "1")
    s("RESET", "x")
    s("DEL", "in0")


def test_reset_raw(lab_server, real_server):
    ours, real = _raw_both(
        (lab_server, real_server),
        ("HELLO", "3"),
        ("SELECT", "2"),
        ("RESET",),
        ("PING",),
        ("CLIENT", "GETNAME"),
    )
    assert ours[2:] == real[2:] == [b"+RESET\r\n", b"+PONG\r\n", b"$-1\r\n"]


@pytest.fixture(scope="module")
def pw_servers():
    ours = start_lab_server("--requirepass", "s3cret")
    try:
        real = start_real_redis("--requirepass", "s3cret")
    except RuntimeError as e:
        ours.stop()
        pytest.skip(str(e))
    yield ours, real
    ours.stop()
    real.stop()


class _AnyErrorPair:
    """Like conftest's Pair, but AUTH errors (redis-py raises them as
    AuthenticationError, not ResponseError) are compared as replies too."""

    def __init__(self, ours, real):
        self.ours, self.real = ours, real

    @staticmethod
    def _call(c, *args):
        try:
            return ("ok", c.execute_command(*args))
        except (redis.ResponseError, redis.AuthenticationError) as e:
            return ("err", str(e))

    def both(self, *args):
        return self._call(self.ours, *args), self._call(self.real, *args)

    def same(self, *args, normalize=None):
        a, b = self.both(*args)
        if normalize is not None:
            a = (a[0], normalize(a[1])) if a[0] == "ok" else a
            b = (b[0], normalize(b[1])) if b[0] == "ok" else b
        assert a == b, f"{args!r}: ours={a!r} real={b!r}"
        return a[1]


def _unauth_pair(pw_servers):
    ours, real = pw_servers
    # redis-py retries (with backoff) on AuthenticationError, a ConnectionError: not here.
    return _AnyErrorPair(ours.client(**NO_RETRY), real.client(**NO_RETRY))


def test_noauth_and_auth(pw_servers):
    p = _unauth_pair(pw_servers)
    s = p.same
    s("GET", "k")
    s("PING")
    s("NOSUCHCOMMAND")
    s("GET")  # arity comes before auth
    s("CLIENT", "FOO")
    s("AUTH", "wrong")
    s("AUTH", "default", "wrong")
    s("AUTH", "nobody", "s3cret")
    s("HELLO", "3")
    s("HELLO", "2", "AUTH", "default", "wrong")
    s("AUTH", "s3cret")
    s("GET", "k")
    s("AUTH", "default", "s3cret")
    s("AUTH", "x", "y", "z")


def test_hello_auth(pw_servers):
    out = []
    for srv in pw_servers:
        with Raw(srv.port) as c:
            r = [
                c.call("HELLO", "3", "AUTH", "default", "wrong"),
                c.call("GET", "k"),
                c.call("HELLO", "2", "AUTH", "default", "s3cret", "SETNAME", "cli"),
                c.call("CLIENT", "GETNAME"),
                c.call("QUIT"),
            ]
            r[2] = r[2].split(b"$7\r\nversion")[0]
            out.append(r)
    assert out[0] == out[1]


def test_errorstats_count_auth_failures(pw_servers):
    p = _unauth_pair(pw_servers)
    for srv in pw_servers:
        c = srv.client(password="s3cret")
        c.config_resetstat()
        c.close()
    p.same("AUTH", "wrong")
    p.same("GET", "x")
    p.same("AUTH", "s3cret")

    def stats(c):
        info = c.info("errorstats")
        return {k: v for k, v in info.items() if k in ("errorstat_WRONGPASS", "errorstat_NOAUTH")}

    assert stats(p.ours).keys() == stats(p.real).keys()
    fields = ("total_error_replies", "unexpected_error_replies", "rejected_calls")
    ours, real = p.ours.info("stats"), p.real.info("stats")
    assert {f: ours.get(f) for f in fields} == {f: real.get(f) for f in fields}
    # the rejected GET and the failed AUTH, per command
    cs_ours, cs_real = p.ours.info("commandstats"), p.real.info("commandstats")
    for name in ("cmdstat_get", "cmdstat_auth"):
        keep = ("calls", "rejected_calls", "failed_calls")
        assert {k: cs_ours[name][k] for k in keep} == {k: cs_real[name][k] for k in keep}, name


def test_redis_py_auth_works(pw_servers):
    for srv in pw_servers:
        c = srv.client(password="s3cret")
        assert c.ping()
        c.close()
        with pytest.raises(redis.AuthenticationError):
            srv.client(password="nope", **NO_RETRY).ping()

"""Shared fixtures: our server and a real redis-server, started once per test session.

``lab_server`` / ``real_server`` are :class:`tests.support.ServerProcess`
objects (separate processes on free loopback ports, stopped at the end).
``pair`` gives a :class:`Pair` of redis-py clients — ours and real Redis's —
for one protocol version (the fixture is parametrized over RESP2 and RESP3),
with both servers flushed, so a differential test reads:

    def test_incr(pair):
        pair.same("SET", "n", "41")
        pair.same("INCR", "n")
        pair.same("INCR", "nosuchnumber", "x")      # errors compared too
"""

from __future__ import annotations

import pytest
import redis

from tests.support import NO_REDIS_REASON, REDIS_SERVER, start_lab_server, start_real_redis


@pytest.fixture(scope="session")
def lab_server():
    srv = start_lab_server()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def real_server():
    if REDIS_SERVER is None:
        pytest.skip(NO_REDIS_REASON)
    srv = start_real_redis()
    yield srv
    srv.stop()


def _call(client: redis.Redis, *args):
    try:
        return ("ok", client.execute_command(*args))
    except redis.ResponseError as e:
        return ("err", str(e))


class Pair:
    """The same calls against our server and real Redis."""

    def __init__(self, ours: redis.Redis, real: redis.Redis, protocol: int) -> None:
        self.ours = ours
        self.real = real
        self.protocol = protocol

    def both(self, *args):
        return _call(self.ours, *args), _call(self.real, *args)

    def same(self, *args, normalize=None):
        """Run args on both; assert equal replies (or equal error texts); return ours."""
        a, b = self.both(*args)
        if normalize is not None:
            a = (a[0], normalize(a[1])) if a[0] == "ok" else a
            b = (b[0], normalize(b[1])) if b[0] == "ok" else b
        assert a == b, f"{args!r}: ours={a!r} real={b!r}"
        return a[1]

    def encoding(self, key):
        return self.same("OBJECT", "ENCODING", key)


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def pair(request, lab_server, real_server):
    protocol = request.param
    ours = lab_server.client(protocol=protocol)
    real = real_server.client(protocol=protocol)
    ours.flushall()
    real.flushall()
    ours.execute_command("CONFIG", "RESETSTAT")
    real.execute_command("CONFIG", "RESETSTAT")
    yield Pair(ours, real, protocol)
    ours.close()
    real.close()


@pytest.fixture
def ours(lab_server):
    c = lab_server.client()
    c.flushall()
    yield c
    c.close()

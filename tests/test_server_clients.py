"""Connection limits on private servers: maxclients (both servers, byte for byte)
and the idle ``timeout`` (ours, driven by LAB CLOCK instead of waiting)."""

from __future__ import annotations

import time

import pytest

from tests.support import start_lab_server, start_real_redis
from tests.test_protocol import Raw


def _over_the_limit(srv):
    held = [Raw(srv.port) for _ in range(2)]
    try:
        for c in held:
            assert c.call("PING") == b"+PONG\r\n"
        with Raw(srv.port) as extra:
            got = extra.rest_then_closed()
        # a slot frees up when a client leaves
        held.pop().close()
        deadline = time.monotonic() + 10
        while True:
            with Raw(srv.port) as again:
                r = again.send(b"PING\r\nQUIT\r\n").rest_then_closed()
            if r == b"+PONG\r\n+OK\r\n" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return got, r
    finally:
        for c in held:
            c.close()


def test_maxclients():
    ours = start_lab_server("--maxclients", "2")
    try:
        real = start_real_redis("--maxclients", "2")
    except RuntimeError as e:
        ours.stop()
        pytest.skip(str(e))
    try:
        a, b = _over_the_limit(ours), _over_the_limit(real)
        assert a == b == (b"-ERR max number of clients reached\r\n", b"+PONG\r\n+OK\r\n")
        for srv in (ours, real):
            info = srv.client().info("stats")
            assert info["rejected_connections"] >= 1
    finally:
        ours.stop()
        real.stop()


@pytest.fixture
def srv():
    s = start_lab_server()
    yield s
    s.stop()


def test_idle_timeout_follows_the_clock(srv):
    admin = srv.client()
    admin.config_set("timeout", "10")
    admin.config_set("hz", "100")
    admin.execute_command("LAB", "CLOCK", "FREEZE")
    with Raw(srv.port) as idle:
        assert idle.call("PING") == b"+PONG\r\n"
        admin.execute_command("LAB", "CLOCK", "ADVANCE", "5000")
        time.sleep(0.2)
        assert idle.call("PING") == b"+PONG\r\n"  # still there, and now fresh again
        admin.execute_command("LAB", "CLOCK", "ADVANCE", "10001")
        admin.ping()  # the admin connection is touched too, so only `idle` is idle
        idle.sock.settimeout(15)
        assert idle.closed()
    assert admin.ping()  # admin was active at the new time
    admin.execute_command("LAB", "CLOCK", "RESUME")
    admin.config_set("timeout", "0")


def test_timeout_zero_never_closes(srv):
    admin = srv.client()
    admin.execute_command("LAB", "CLOCK", "FREEZE")
    with Raw(srv.port) as idle:
        idle.call("PING")
        admin.execute_command("LAB", "CLOCK", "ADVANCE", str(10 * 24 * 3600 * 1000))
        time.sleep(0.3)
        assert idle.call("PING") == b"+PONG\r\n"

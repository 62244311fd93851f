"""Fixtures for the tutor tests: our own servers (lessons change server config
and the clock, which must not leak into the session-wide servers other tests
share), and a private state directory for progress files."""

from __future__ import annotations

import pytest

from lab.tutor.runner import Link
from tests.support import NO_REDIS_REASON, REDIS_SERVER, start_lab_server, start_real_redis


class Servers:
    def __init__(self) -> None:
        self._started: dict[str, object] = {}

    def get(self, kind: str):
        if kind not in self._started:
            if kind == "real":
                if REDIS_SERVER is None:
                    pytest.skip(NO_REDIS_REASON)
                self._started[kind] = start_real_redis()
            else:
                self._started[kind] = start_lab_server()
        return self._started[kind]

    def fresh(self, kind: str) -> Link:
        """A link to a server with no keys, default settings and a running clock."""
        srv = self.get(kind)
        c = srv.client()
        c.flushall()
        c.execute_command("CONFIG", "RESETSTAT")
        c.execute_command("CONFIG", "SET", "list-max-listpack-size", "-2")
        c.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")
        if kind == "lab":
            c.execute_command("LAB", "CLOCK", "RESUME")
        c.close()
        return Link.connect(f"redis://127.0.0.1:{srv.port}/0")

    def stop(self) -> None:
        for srv in self._started.values():
            srv.stop()


@pytest.fixture(scope="session")
def servers():
    s = Servers()
    yield s
    s.stop()


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch):
    path = tmp_path / "state"
    monkeypatch.setenv("REDIS_LAB_STATE_DIR", str(path))
    return path

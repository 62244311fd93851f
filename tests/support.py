"""Start and stop servers for tests: a real ``redis-server`` and our own.

Both run as separate processes on free loopback ports, and are always stopped
by the fixture that started them. The real one is skipped, with a reason, only
when the ``redis-server`` binary is absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server")
REDIS_CLI = shutil.which("redis-cli")
REDIS_BENCHMARK = shutil.which("redis-benchmark")
NO_REDIS_REASON = "the real redis-server binary is not installed (apt-get install redis-server)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A server child process on 127.0.0.1:port, stopped by :meth:`stop`."""

    def __init__(self, argv: Sequence[str], port: int, workdir: str, kind: str) -> None:
        self.argv = list(argv)
        self.port = port
        self.workdir = workdir
        self.kind = kind
        self.proc: subprocess.Popen | None = None
        self.owns_workdir = False  # set by the start_* helpers that made it

    def start(self, timeout: float = 20.0) -> ServerProcess:
        log = open(os.path.join(self.workdir, "server.log"), "wb")
        self.proc = subprocess.Popen(
            self.argv, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited early: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.kind} did not start on port {self.port}: {self.log()}")

    def log(self) -> str:
        try:
            return Path(self.workdir, "server.log").read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def client(self, protocol: int = 2, **kw) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, protocol=protocol, **kw)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None:
            return
        self._stop_process()
        if self.owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _stop_process(self) -> None:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None


def start_real_redis(*extra: str) -> ServerProcess:
    """A real redis-server with no persistence, on a free port."""
    if REDIS_SERVER is None:
        raise RuntimeError(NO_REDIS_REASON)
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="real-redis-")
    argv = [
        REDIS_SERVER,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        workdir,
        "--enable-debug-command",
        "yes",
        *extra,
    ]
    srv = ServerProcess(argv, port, workdir, "redis-server")
    srv.owns_workdir = True
    return srv.start()


def start_lab_server(*extra: str) -> ServerProcess:
    """Our reference server (``python -m server``) on a free port."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="lab-server-")
    argv = [
        sys.executable,
        "-m",
        "server",
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        workdir,
        "--enable-debug-command",
        "yes",
        *extra,
    ]
    env_root = str(ROOT)
    proc = ServerProcess(argv, port, workdir, "lab server")
    proc.owns_workdir = True
    os.environ.setdefault("PYTHONPATH", env_root)
    return proc.start()

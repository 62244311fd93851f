"""The lab's own server as a child process, for ``redis-lab learn`` without ``--url``.

Started as ``python -m server`` on a free loopback port with persistence off
and a throwaway working directory, and stopped when the lesson ends. This is
the only way the tutor reaches the reference server: a process and a socket,
never an import (the lab must work the same against a real Redis).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedServer:
    def __init__(self, *extra: str) -> None:
        self.extra = list(extra)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.workdir = ""

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20.0) -> EmbeddedServer:
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="redis-lab-learn-")
        argv = [
            sys.executable, "-m", "server",
            "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", self.workdir,
            "--enable-debug-command", "local",
            *self.extra,
        ]  # fmt: skip
        env = dict(os.environ)
        # In a source checkout the server package sits next to lab/.
        root = str(Path(__file__).resolve().parent.parent.parent)
        if Path(root, "server", "__main__.py").exists():
            env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        log = open(Path(self.workdir, "server.log"), "wb")
        self.proc = subprocess.Popen(argv, cwd=self.workdir, env=env, stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the lab server exited early:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the lab server did not start on port {self.port}")

    def log(self) -> str:
        try:
            return Path(self.workdir, "server.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
            self.proc = None
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = ""

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

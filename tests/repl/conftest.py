"""Fixtures for the REPL tests: a real redis-server, redis-cli, our CLI in-process."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import support  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """COMMAND DOCS cache and history in a temporary place, never the user's."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("REDIS_LAB_CACHE", str(base / "cache"))
    monkeypatch.setenv("REDIS_LAB_HISTORY", str(base / "history"))
    monkeypatch.setenv("REDIS_LAB_PAGER", "")
    monkeypatch.delenv("REDISCLI_AUTH", raising=False)


@pytest.fixture(scope="session")
def real_redis():
    if support.REDIS_SERVER is None:
        pytest.skip(support.NO_REDIS_REASON)
    server = support.start_real_redis()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_cli():
    if support.REDIS_CLI is None:
        pytest.skip("the real redis-cli binary is not installed")
    return support.REDIS_CLI


def run_ours(argv: list[str], stdin: bytes = b"") -> tuple[int, bytes, str]:
    """Our CLI in this process, stdout/stderr captured, stdin from bytes (not a tty)."""
    from lab.repl import main

    out = io.BytesIO()
    err = io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    fake_in = io.TextIOWrapper(io.BytesIO(stdin))
    fake_out = io.TextIOWrapper(out, write_through=True)
    sys.stdin, sys.stdout, sys.stderr = fake_in, fake_out, err
    try:
        code = main(argv)
        fake_out.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        fake_out.detach()
        fake_in.detach()
    return code, out.getvalue(), err.getvalue()


def run_cli(cli: str, argv: list[str], stdin: bytes = b"", timeout: float = 10):
    import subprocess

    proc = subprocess.run(
        [cli, *argv], input=stdin, capture_output=True, timeout=timeout, env=dict(os.environ)
    )
    return proc.returncode, proc.stdout, proc.stderr.decode(errors="replace")


@pytest.fixture(scope="session")
def docs_table(tmp_path_factory):
    """The command table: our commands.json, or COMMAND DOCS of a real server."""
    from lab.repl import grammar

    path = grammar.commands_json_path()
    if path is not None:
        import json

        table = grammar.CommandTable.from_json_data(json.loads(path.read_text()), str(path))
        if len(table) > 100:
            return table
    if support.REDIS_SERVER is None:
        pytest.skip(support.NO_REDIS_REASON)
    server = support.start_real_redis()
    try:
        from lab.repl.resp import Connection

        conn = Connection(port=server.port).connect()
        table = grammar.CommandTable.from_server(conn, cache=False)
        conn.close()
    finally:
        server.stop()
    return table

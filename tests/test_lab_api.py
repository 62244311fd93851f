"""The Python API: ``from lab import Lab``.

Starting and stopping leaves no process behind; ``inspect`` returns the view
of each encoding and draws itself; the clock, the events feed, attaching by
URL, and the IPython magic.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from lab import Events, Inspection, Lab, LabError


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return True


def gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


@pytest.fixture(scope="module")
def lab():
    with Lab() as lab:
        yield lab


def test_start_and_close_leave_no_process() -> None:
    lab = Lab()
    pid = lab.server.pid
    assert alive(pid) and lab.redis.ping()
    assert lab.has_lab and "redis-lab" in repr(lab)
    lab.close()
    assert lab.closed and gone(pid)
    lab.close()  # idempotent


def test_context_manager_and_garbage_collection() -> None:
    with Lab() as lab:
        pid = lab.server.pid
    assert gone(pid)
    lab = Lab()
    pid = lab.server.pid
    del lab
    import gc

    gc.collect()
    assert gone(pid)


def test_interpreter_exit_and_kill_stop_the_server(tmp_path) -> None:
    code = (
        "import sys; sys.path.insert(0, {root!r})\n"
        "from lab import Lab\n"
        "lab = Lab(); print(lab.server.pid, flush=True)\n"
        "{end}\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # 1. a normal exit without close(): atexit stops the server
    out = subprocess.run(
        [sys.executable, "-c", code.format(root=root, end="pass")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert gone(int(out.stdout.split()[0]))
    # 2. the interpreter is killed (a kernel killed by Jupyter): the death signal
    proc = subprocess.Popen(
        [sys.executable, "-c", code.format(root=root, end="import time; time.sleep(60)")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    pid = int(proc.stdout.readline())
    proc.kill()
    proc.wait()
    assert gone(pid)


def test_attach_by_url(lab) -> None:
    with Lab(url=lab.url) as other:
        assert other.server is None
        other.redis.set("attached", "yes")
        assert lab.redis.get("attached") == b"yes"
    assert lab.redis.ping()  # closing an attached Lab leaves the server alone


def test_redis_client_returns_bytes(lab) -> None:
    lab.redis.set("b", "x")
    assert lab.redis.get("b") == b"x"


@pytest.mark.parametrize(
    ("setup", "key", "encoding", "layout_field"),
    [
        (("HSET", "h", "a", "1"), "h", "listpack", "entries"),
        (("SADD", "s", "1", "2"), "s", "intset", "values"),
        (("RPUSH", "l", "a"), "l", "quicklist", "nodes"),
        (("SADD", "hs", "a", "b"), "hs", "hashtable", "buckets"),
        (("SET", "i", "7"), "i", "int", "integer"),
        (("SET", "e", "short"), "e", "embstr", "value_preview"),
        (("SET", "r", "r" * 60), "r", "raw", "sds_header"),
    ],
)
def test_inspect_returns_the_view_of_each_encoding(lab, setup, key, encoding, layout_field):
    lab.execute(*setup)
    view = lab.inspect(key)
    assert isinstance(view, Inspection)
    assert view.encoding == encoding and layout_field in view.layout
    root = ET.fromstring(view._repr_svg_())
    assert root.tag.endswith("svg")
    assert "<svg" in view._repr_html_()
    assert str(view).startswith(key)


def test_inspect_skiplist_window_and_path(lab) -> None:
    lab.redis.zadd("z", {f"m{i}": i for i in range(200)})
    view = lab.inspect("z", 50, 5, path="m52")
    assert view.encoding == "skiplist"
    assert [n["rank"] for n in view.layout["nodes"]] == [51, 52, 53, 54, 55]
    assert view.layout["path"]["rank"] == 53
    assert lab.inspect("z", window=(0, 3)).layout["window_start"] == 0
    assert lab.inspect("no-such-key") is None


def test_clock_freeze_advance_resume(lab) -> None:
    lab.clock.freeze()
    try:
        assert lab.clock.frozen
        t0 = lab.clock.now()
        lab.redis.set("ttl", "1", px=1500)
        lab.clock.advance(seconds=1)
        assert lab.clock.now() == t0 + 1000
        assert lab.redis.get("ttl") == b"1"
        lab.clock.advance(600)
        assert lab.redis.get("ttl") is None
        assert "frozen" in repr(lab.clock)
        with pytest.raises(LabError):
            lab.execute("LAB", "CLOCK", "ADVANCE", "-1")
    finally:
        lab.clock.resume()
    assert not lab.clock.frozen


def test_events_since_last_call(lab) -> None:
    lab.mark()
    lab.clock.freeze()
    lab.redis.set("gone", "1", px=10)
    lab.clock.advance(20)
    lab.redis.get("gone")
    lab.clock.resume()
    events = lab.events()
    assert isinstance(events, Events)
    expires = events.of_type("expire")
    assert [e["key"] for e in expires] == ["gone"]
    assert expires[0]["how"] in ("lazy", "active")  # the GET, or the cron got there first
    assert lab.events() == []  # nothing new since
    everything = lab.events(since=0)
    assert len(everything) >= len(events)
    assert "expire" in str(events) and "<table>" in events._repr_html_()
    assert events.counts()["expire"] == 1


def test_ipython_magic() -> None:
    IPython = pytest.importorskip("IPython")
    from IPython.testing.globalipapp import get_ipython

    ip = get_ipython()
    ip.run_line_magic("load_ext", "lab")
    with Lab() as lab:
        assert ip.run_line_magic("lab", "") is lab  # the latest Lab
        session = ip.run_cell_magic(
            "redis", "", "SET greeting hello\n# a comment\nGET greeting\nINCR greeting\n"
        )
        assert lab.redis.get("greeting") == b"hello"
    assert str(session).count("> ") == 3
    assert '"hello"' in str(session)
    assert session.errors == ["INCR greeting"]
    html = session._repr_html_()
    assert "<span" in html and "SET" in html and "style=" in html  # pygments, inline styles
    assert IPython.version_info >= (8,)


def test_attached_to_a_real_redis_draws_what_dump_shows(real_server) -> None:
    with Lab(url=f"redis://127.0.0.1:{real_server.port}/0") as lab:
        assert not lab.has_lab and lab.server is None
        lab.redis.flushall()
        lab.redis.hset("user:1", mapping={"name": "Ada", "age": 36})
        lab.redis.zadd("big", {f"m{i}": i for i in range(200)})
        view = lab.inspect("user:1")
        assert view["source"] == "fallback" and view.encoding == "listpack"
        assert view.layout["raw"][:4] == b"\x19\x00\x00\x00"  # real Redis's own bytes
        ET.fromstring(view.svg)
        hidden = lab.inspect("big")
        assert hidden.encoding == "skiplist"
        assert "no LAB command" in hidden.svg and "no LAB command" in str(hidden)
        assert lab.events() == [] and lab.clock.now() > 0
        with pytest.raises(LabError):
            lab.clock.advance(1000)
        lab.redis.flushall()

"""The TUI attached to a real Redis (``--url``): no LAB, so the inspector reads
OBJECT ENCODING, MEMORY USAGE and the listpack/intset bytes inside DUMP payloads."""

from __future__ import annotations

import pytest

from lab.client import LabClient, decode_dump, lzf_decompress
from lab.tui.app import RedisLabApp
from lab.tui.widgets.inspector import KeyInspector
from tests.support import NO_REDIS_REASON, REDIS_SERVER, start_real_redis

from .helpers import wait_for

pytestmark = [
    pytest.mark.skipif(REDIS_SERVER is None, reason=NO_REDIS_REASON),
    pytest.mark.timeout(60),
]


@pytest.fixture(scope="module")
def real():
    srv = start_real_redis()
    yield srv
    srv.stop()


def test_fallbacks_decode_dump_payloads(real):
    lab = LabClient.from_url(f"redis://127.0.0.1:{real.port}/0", name="redis-lab:test")
    assert not lab.has_lab
    lab.call("FLUSHALL")
    lab.call("HSET", "h", "name", "Ada", "age", "36")
    lab.call("SADD", "ids", "1", "2", "70000")
    lab.call("RPUSH", "l", "a", "b", "12345678")
    lab.call("SET", "long", "ab" * 100)  # LZF-compressed in the payload
    lab.call("SADD", "big", "x", "y")

    h = lab.inspect("h")
    assert h["encoding"] == "listpack" and h["source"] == "fallback"
    assert [e["value"] for e in h["layout"]["entries"]] == ["name", "Ada", "age", 36]
    assert [e["role"] for e in h["layout"]["entries"]][:2] == ["field", "value"]
    assert h["layout"]["total_bytes"] == len(h["layout"]["raw"])

    ids = lab.inspect("ids")["layout"]
    assert ids["encoding"] == "INTSET_ENC_INT32" and ids["values"] == [1, 2, 70000]

    nodes = lab.inspect("l")["layout"]["nodes"]
    assert [e["value"] for e in nodes[0]["entries"]] == ["a", "b", 12345678]

    long = lab.inspect("long")["layout"]
    assert long["rdb_string"] == "lzf" and long["bytes"] == 200

    big = lab.inspect("big")
    assert "not_visible" in big["layout"] and "buckets" in big["layout"]["not_visible"]
    lab.close()


def test_lzf_and_bad_payloads():
    assert lzf_decompress(bytes([2]) + b"abc" + bytes([0x20, 2]), 6) == b"abcabc"
    with pytest.raises(ValueError):
        decode_dump(b"\x00")


async def test_tui_attached_to_real_redis(real):
    lab = LabClient.from_url(f"redis://127.0.0.1:{real.port}/0")
    lab.call("FLUSHALL")
    lab.call("ZADD", "board", "1", "a", "2", "b")
    lab.close()
    app = RedisLabApp(url=f"redis://127.0.0.1:{real.port}/0")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConsoleScreen")
        assert "no LAB" in app.sub_title and app.embedded is None
        app.open_key("board")
        screen = await wait_for(
            pilot, lambda: type(app.screen).__name__ == "InspectorScreen" and app.screen
        )
        view = await wait_for(pilot, lambda: screen.query_one(KeyInspector))
        await wait_for(pilot, lambda: view.data and view.view is not None, what="inspect")
        assert view.data["encoding"] == "listpack"
        assert type(view.view).__name__ == "ListpackView"
        header = str(screen.query_one("#inspector-header").render())
        assert "no LAB command on this server" in header
        await pilot.press("f5")
        await pilot.pause(0.3)
        log = app.screen.query_one("#event-log")
        assert any("not visible" in line.text for line in log.lines)

"""lab.render: every encoding's drawing is valid SVG and says what it shows.

The replies come from the reference server (one per encoding, built once),
plus fixed replies for windows and fallbacks, so the drawings are checked
against the real shapes of docs/lab-command.md.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from lab import Lab
from lab.render import render_html, render_svg, render_text

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def replies():
    with Lab() as lab:
        r = lab.redis
        r.hset("hash", mapping={"name": "Ada", "age": 36})
        r.sadd("ints", 1, 2, 300, 70000)
        r.rpush("list", "a", "b", 123)
        r.rpush("biglist", *[f"item-{i}" for i in range(3000)])
        r.zadd("small", {"a": 1, "b": 2})
        r.zadd("zset", {f"m{i}": i for i in range(300)})
        r.sadd("set", *[f"x{i}" for i in range(40)])
        r.hset("bighash", mapping={f"f{i}": "v" * 70 for i in range(3)})
        r.set("int", 12345)
        r.set("emb", "hello <&> world")
        r.set("raw", "y" * 80)
        out = {key: lab.inspect(key) for key in
               ["hash", "ints", "list", "biglist", "small", "set", "bighash", "int", "emb", "raw"]}  # fmt: skip
        out["zset"] = lab.inspect("zset", 0, 10, path="m7")
        out["zset-window"] = lab.inspect("zset", 100, 10)
        out["ints-path"] = lab.inspect("ints", path="300")
        return out


EXPECTED = {
    "hash": "listpack", "ints": "intset", "list": "quicklist", "biglist": "quicklist",
    "small": "listpack", "zset": "skiplist", "set": "hashtable", "bighash": "hashtable",
    "int": "int", "emb": "embstr", "raw": "raw",
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_encoding_draws_valid_svg(replies, key) -> None:
    data = replies[key]
    assert data["encoding"] == EXPECTED[key]
    svg = render_svg(data)
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert int(root.get("width")) > 100 and int(root.get("height")) > 30
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert key in texts and EXPECTED[key] in texts
    assert root.findall(f".//{SVG}rect")
    text = render_text(data)
    assert text.splitlines()[0].startswith(key)
    ET.fromstring(f"<div>{render_html(data)}</div>")  # the card is XHTML-clean too


def test_listpack_strip_shows_entries_headers_and_backlengths(replies) -> None:
    root = ET.fromstring(render_svg(replies["hash"]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "total 25" in texts and "count 4" in texts
    assert "#0 field" in texts and "#1 value" in texts
    assert "back 5" in texts and "EOF" in texts
    assert "19 00 00 00" in texts  # the u32 total-bytes header, little-endian


def test_intset_shows_width_and_path(replies) -> None:
    texts = [t.text for t in ET.fromstring(render_svg(replies["ints-path"])).iter(f"{SVG}text")]
    assert "4 (INT32)" in texts and "70000" in texts
    svg = render_svg(replies["ints-path"])
    assert "#d8f3dc" in svg  # the binary search's answer is highlighted


def test_skiplist_towers_links_and_search_path(replies) -> None:
    svg = render_svg(replies["zset"])
    root = ET.fromstring(svg)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "header" in texts and "m0" in texts
    assert any(t.startswith("search for m7") for t in texts)
    assert root.findall(f".//{SVG}line")  # forward links
    windowed = [t.text or "" for t in ET.fromstring(render_svg(replies["zset-window"])).iter(f"{SVG}text")]  # fmt: skip
    assert "ranks 1..100" in windowed and "header" not in windowed


def test_hashtable_and_quicklist(replies) -> None:
    texts = [t.text or "" for t in ET.fromstring(render_svg(replies["set"])).iter(f"{SVG}text")]
    assert any(t.startswith("ht[0]: size") for t in texts)
    texts = [t.text or "" for t in ET.fromstring(render_svg(replies["biglist"])).iter(f"{SVG}text")]
    assert any(t.startswith("node 0 (head)") for t in texts)
    assert any("(tail)" in t for t in texts)


def test_strings_escape_and_explain(replies) -> None:
    svg = render_svg(replies["emb"])
    assert "hello &lt;&amp;&gt; world" in svg
    assert "one 64-byte allocation" in svg
    assert "12345" in render_svg(replies["int"])
    assert "second allocation" in render_svg(replies["raw"])


def test_missing_key_and_fallback_replies() -> None:
    ET.fromstring(render_svg(None))
    assert render_text(None) == "(no such key)"
    fallback = {
        "key": "z", "type": "zset", "encoding": "skiplist", "source": "fallback",
        "layout": {"not_visible": "this server has no LAB command: skiplist towers <hidden>"},
    }  # fmt: skip
    svg = render_svg(fallback)
    ET.fromstring(svg)
    assert "no LAB command" in svg
    assert "no LAB command" in render_text(fallback)

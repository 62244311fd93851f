"""Each check kind against our server: it passes when it should, and when it
fails its message says what it expected, what it found, and where the hint is."""

from __future__ import annotations

import pytest

from lab.tutor.checks import FAIL, LAB_ABSENT, PASS, SKIP

from .helpers import only, runner_for


@pytest.fixture
def link(servers):
    link = servers.fresh("lab")
    yield link
    link.close()


def outcome(link, checks, *commands):
    result, hints = only(runner_for(link, checks, *commands))
    return result, result.message(hints)


def test_exists_and_missing(link):
    r, msg = outcome(link, "- exists: greeting\n  hint: 2")
    assert r.status == FAIL
    assert "expected the key to exist, found no key greeting" in msg
    assert "hint 2 may help" in msg
    r, _ = outcome(link, "- exists: [a, b]", "MSET a 1 b 2")
    assert r.status == PASS
    r, msg = outcome(link, "- missing: a")
    assert r.status == FAIL and "expected no such key, found the key a still there" in msg
    r, _ = outcome(link, "- missing: a", "DEL a")
    assert r.status == PASS


def test_type_encoding_length(link):
    r, msg = outcome(link, "- type: {key: s, is: hash}", "SET s hello")
    assert r.status == FAIL and "expected 'hash', found 'string'" in msg
    r, msg = outcome(link, "- encoding: {key: s, in: [int, raw]}")
    assert r.status == FAIL and "expected one of 'int', 'raw', found 'embstr'" in msg
    r, _ = outcome(link, "- encoding: {key: s, is: embstr}")
    assert r.status == PASS
    r, msg = outcome(link, "- length: {key: l, min: 3}", "RPUSH l a b")
    assert r.status == FAIL and "expected at least 3, found 2" in msg
    r, msg = outcome(link, "- length: {key: nope, is: 1}")
    assert r.status == FAIL and "found no such key" in msg


def test_ttl(link):
    r, msg = outcome(link, "- ttl: {key: t, min: 50, max: 60}")
    assert r.status == FAIL and "expected between 50 and 60, found -2 (no such key)" in msg
    r, msg = outcome(link, "- ttl: {key: t, min: 50, max: 60}", "SET t v")
    assert "found -1 (no TTL)" in msg
    r, _ = outcome(link, "- ttl: {key: t, min: 50, max: 60}", "EXPIRE t 60")
    assert r.status == PASS


def test_value(link):
    r, msg = outcome(link, "- value: {key: v, is: 13}")
    assert r.status == FAIL and "expected 13, found no such key" in msg
    r, msg = outcome(link, "- value: {key: v, is: 13}", "SET v 12")
    assert r.status == FAIL and "found '12'" in msg
    r, _ = outcome(link, "- value: {key: v, min: 10, max: 12}")
    assert r.status == PASS
    r, _ = outcome(link, "- value: {key: gone, is: null}")
    assert r.status == PASS


def test_members(link):
    r, msg = outcome(link, "- members: {key: l, are: [a, b]}", "RPUSH l b a")
    assert r.status == FAIL and "expected [a, b], found [b, a] (in this order)" in msg
    r, _ = outcome(link, "- members: {key: s, are: [b, a]}", "SADD s a b")
    assert r.status == PASS  # sets compare as sets
    r, msg = outcome(link, "- members: {key: s, include: [a, c]}")
    assert r.status == FAIL and "found no [c]" in msg
    r, msg = outcome(link, "- members: {key: s, exclude: [b]}")
    assert r.status == FAIL and "expected none of [b], found [b]" in msg
    r, msg = outcome(link, "- members: {key: nope, are: [x]}")
    assert "found no such key" in msg


def test_field_score_rank(link):
    r, msg = outcome(link, "- field: {key: h, field: f, is: 1}", "HSET h g 1")
    assert r.status == FAIL and "found no such field" in msg
    r, _ = outcome(link, "- field: {key: h, field: g, is: 1}")
    assert r.status == PASS
    r, msg = outcome(link, "- score: {key: z, member: a, is: 2}", "ZADD z 1 a 5 b")
    assert r.status == FAIL and "expected 2, found 1" in msg
    r, msg = outcome(link, "- score: {key: z, member: c, is: 2}")
    assert "found not a member" in msg
    r, _ = outcome(link, "- rank: {key: z, member: b, reverse: true, is: 0}")
    assert r.status == PASS
    r, msg = outcome(link, "- rank: {key: z, member: b, is: 0}")
    assert r.status == FAIL and "expected 0, found 1" in msg


def test_info_absolute_and_delta(link):
    r, msg = outcome(link, "- info: {field: no_such_field, min: 1}")
    assert r.status == FAIL and "found no INFO field no_such_field" in msg
    runner = runner_for(link, "- info: {field: keyspace_hits, delta: true, min: 2}", "SET k v")
    result, hints = only(runner)
    assert result.status == FAIL and "found 0" in result.message(hints)
    runner.execute("GET k")
    result, hints = only(runner)
    assert result.status == FAIL and "found 1" in result.message(hints)
    runner.execute("GET k")
    result, _ = only(runner)
    assert result.status == PASS


def test_checks_do_not_count_as_the_learners_hits(link):
    # value checks read with GET (a keyspace hit); deltas must not see them.
    checks = "- value: {key: k, is: v}\n- info: {field: keyspace_hits, delta: true, is: 0}"
    runner = runner_for(link, checks, "SET k v")
    for _ in range(3):
        report = runner.check()
        assert [r.status for r in report.results] == [PASS, PASS]


def test_config(link):
    r, msg = outcome(link, "- config: {param: hash-max-listpack-entries, is: 4}")
    assert r.status == FAIL and "expected 4, found '512'" in msg


def test_nodes(link):
    checks = "- nodes: {key: l, is: 2}"
    r, msg = outcome(link, checks, "CONFIG SET list-max-listpack-size 2", "RPUSH l 1 2 3 4 5")
    link.call("CONFIG", "SET", "list-max-listpack-size", "-2")
    assert r.status == FAIL and "expected 2, found 3" in msg
    r, msg = outcome(link, "- nodes: {key: nope, is: 1}")
    assert "found no such key" in msg


def test_event(link):
    checks = "- event: {type: encoding-conversion, key: s, to: hashtable}"
    r, msg = outcome(link, checks, "SADD s 1 2")
    assert r.status == FAIL and "expected at least 1, found 0 such events" in msg
    r, _ = outcome(link, checks, "SADD s 1 2", "SADD s x")
    assert r.status == PASS
    r, msg = outcome(
        link, "- event: {type: encoding-conversion, key: s, to: skiplist}", "SADD s y z"
    )
    assert r.status == FAIL


def test_typed(link):
    checks = "- typed: {used: SCAN, avoided: KEYS}\n  hint: 1"
    r, msg = outcome(link, checks)
    assert r.status == FAIL and "expected SCAN typed, found nothing typed in this step" in msg
    r, msg = outcome(link, checks, "scan 0", "keys *")
    assert r.status == FAIL and "expected KEYS avoided, found it was typed" in msg
    r, _ = outcome(link, checks, "scan 0 match x*")
    assert r.status == PASS
    r, _ = outcome(link, "- typed: DEL | UNLINK", "unlink a")
    assert r.status == PASS
    r, _ = outcome(link, "- typed: SET lock:1", "set LOCK:1 x nx")
    assert r.status == PASS  # words compared without case


def test_reply(link):
    r, msg = outcome(link, "- reply: {run: SISMEMBER s a, is: 1}", "SADD s b")
    assert r.status == FAIL and "expected 1, found 0" in msg
    r, _ = outcome(link, "- reply: {run: LRANGE l 0 -1, are: [x, y]}", "RPUSH l x y")
    assert r.status == PASS
    r, msg = outcome(link, "- reply: {run: INCR s, is: 1}")
    assert r.status == FAIL and "found the error WRONGTYPE" in msg


def test_clock(link):
    r, msg = outcome(link, "- clock: {frozen: true}")
    assert r.status == FAIL and "expected frozen, found running" in msg
    r, _ = outcome(link, "- clock: {frozen: true}", "LAB CLOCK FREEZE")
    link.call("LAB", "CLOCK", "RESUME")
    assert r.status == PASS


def test_label_replaces_the_description(link):
    r, msg = outcome(link, "- exists: k\n  label: the key k is there")
    assert msg.startswith("the key k is there: expected")


def test_lab_checks_skip_on_real_redis(servers):
    link = servers.fresh("real")
    try:
        assert not link.has_lab
        for checks in ("- event: {type: expire}", "- clock: {frozen: false}"):
            r, msg = outcome(link, checks)
            assert r.status == SKIP and r.reason == LAB_ABSENT
            assert "skipped: this server has no LAB command" in msg
        runner = runner_for(link, "- event: {type: expire}")
        assert not runner.check().passed  # skips alone prove nothing
        r, _ = outcome(link, "- nodes: {key: l, is: 1}", "RPUSH l a")  # via DEBUG OBJECT
        assert r.status == PASS
    finally:
        link.close()


def test_lab_clock_stand_in_on_real_redis(servers):
    link = servers.fresh("real")
    try:
        runner = runner_for(link, "- typed: LAB CLOCK ADVANCE")
        out = runner.execute("LAB CLOCK ADVANCE 10")
        assert out.reply == b"OK" and "waited 10 ms of real time" in out.note
        assert runner.check().passed
        out = runner.execute("LAB CLOCK ADVANCE 999999")
        assert out.error
        out = runner.execute("LAB INSPECT k")
        assert out.error and "no LAB command" in bytes(out.reply).decode()
    finally:
        link.close()


def test_missing_commands_and_lab_detection(link):
    assert link.has_lab
    assert link.missing_commands({"get", "nosuchcommand"}) == ["nosuchcommand"]

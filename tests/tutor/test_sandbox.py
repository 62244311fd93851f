"""The key-prefix sandbox: key positions from the server's own key specs."""

from __future__ import annotations

import pytest

from lab.tutor import loader
from lab.tutor.runner import LessonRunner
from lab.tutor.sandbox import KeySpecs, Sandbox, SandboxRefused

CASES = [
    ("SET a a", [1]),
    ("GET a", [1]),
    ("MSET a 1 b 2", [1, 3]),
    ("DEL a b c", [1, 2, 3]),
    ("ZUNIONSTORE d 2 a b WEIGHTS 1 2", [1, 3, 4]),
    ("OBJECT ENCODING a", [2]),
    ("EVAL script 2 k1 k2 arg", [3, 4]),
    ("XREAD COUNT 2 STREAMS s1 s2 0 0", [4, 5]),
    ("LMOVE a b LEFT RIGHT", [1, 2]),
    ("PING", []),
    ("CONFIG SET x y", []),
]


@pytest.mark.parametrize("kind", ["lab", "real"])
def test_key_positions(kind, servers):
    link = servers.fresh(kind)
    try:
        specs = KeySpecs(link.call)
        for line, want in CASES:
            args = line.split()
            if not specs.known(args[0]):
                continue  # a command the reference server does not have yet
            assert specs.positions(args) == want, line
    finally:
        link.close()


class FakeSpecs:
    def positions(self, args):
        return [1] if len(args) > 1 else []


def test_rewrite_patterns_and_replies():
    box = Sandbox("alice", FakeSpecs())
    assert box.rewrite(["GET", "k"]) == ["GET", "alice:k"]
    assert box.rewrite(["KEYS", "user:*"]) == ["KEYS", "alice:user:*"]
    assert box.rewrite(["SCAN", "0"]) == ["SCAN", "0", "MATCH", "alice:*"]
    assert box.rewrite(["SCAN", "0", "MATCH", "u*", "COUNT", "5"]) == [
        "SCAN", "0", "MATCH", "alice:u*", "COUNT", "5",
    ]  # fmt: skip
    assert box.reply(["KEYS", "*"], [b"alice:a", b"alice:b"]) == [b"a", b"b"]
    assert box.reply(["SCAN", "0"], [b"0", [b"alice:a"]]) == [b"0", [b"a"]]
    assert box.reply(["BLPOP", "q", "0"], [b"alice:q", b"job"]) == [b"q", b"job"]
    with pytest.raises(SandboxRefused, match="FLUSHALL is not available in sandbox 'alice'"):
        box.rewrite(["flushall"])
    with pytest.raises(ValueError):
        Sandbox("no spaces", FakeSpecs())


def test_two_learners_share_one_server(servers):
    lesson = loader.find("first-contact")
    links = [servers.fresh("lab"), servers.fresh("lab")]
    try:
        runners = [
            LessonRunner(lesson, links[0], sandbox="alice"),
            LessonRunner(lesson, links[1], sandbox="bob"),
        ]
        for runner in runners:
            runner.prepare()
        for index, step in enumerate(lesson.steps):
            for runner in runners:
                runner.begin(index)
            if not step.checked:
                continue
            # Alice solves first; Bob's checks must not see her keys.
            runners[0].solve()
            assert runners[0].check().passed, step.slug
            assert not runners[1].check().passed, step.slug
            runners[1].solve()
            assert runners[1].check().passed, step.slug
        keys = sorted(k.decode() for k in links[0].probe.execute("KEYS", "*"))
        assert keys and all(k.startswith(("alice:", "bob:")) for k in keys)
        assert "alice:greeting" in keys and "bob:greeting" in keys
        # What Alice sees is her own names, without the prefix.
        out = runners[0].execute("SCAN 0 COUNT 1000")
        names = sorted(k.decode() for k in out.reply[1])
        assert "greeting" in names and not any(n.startswith("bob:") for n in names)
        assert runners[0].execute("FLUSHDB").error
    finally:
        for link in links:
            link.close()

"""The terminal front end: listing, validating, and a scripted lesson."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from lab.tutor import loader
from lab.tutor.progress import ProgressStore
from lab.tutor.terminal import Terminal, cmd_lessons, learn, render_markdown
from tests.support import ROOT


def run_cli(*args, stdin: str = "", env_extra=None, timeout=60):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "lab.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )


def lesson_one_script() -> str:
    lines = []
    for step in loader.find("first-contact").steps:
        if step.checked:
            lines += ["hint", *step.solution, "check"]
        else:
            lines.append("")
    return "\n".join(lines) + "\n"


def test_scripted_learn_session_completes_lesson_one(state_dir):
    proc = run_cli(
        "learn", "first-contact", "--no-auto-check",
        stdin=lesson_one_script(),
        env_extra={"REDIS_LAB_STATE_DIR": str(state_dir)},
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr + out
    assert "Lab server started at redis://127.0.0.1:" in out
    assert "Step 1/8: Say hello to the server" in out
    assert "Hint 1/2: Type the word PING" in out
    assert "PONG" in out and '"Hello, Redis"' in out
    assert out.count("Step passed!") == 7
    assert "Every step passed" in out
    data = json.loads((state_dir / "progress.json").read_text())
    (learner,) = data["learners"].values()
    record = learner["lessons"]["first-contact"]
    assert record["completed_at"] and len(record["steps"]) == 7
    assert record["steps"]["say-hello-to-the-server"]["hints_used"] == 1


def test_learn_against_a_real_redis_in_a_sandbox(servers, state_dir):
    srv = servers.get("real")
    servers.fresh("real").close()
    term_out = io.StringIO()
    lesson = loader.find("first-contact")
    script = lesson_one_script().replace("check\n", "")  # auto-check moves on by itself
    term = Terminal(out=term_out, inp=io.StringIO(script))
    from lab.tutor.runner import Link

    link = Link.connect(f"redis://127.0.0.1:{srv.port}/0")
    try:
        store = ProgressStore(learner="carol")
        assert learn(lesson, link, term, store, sandbox="carol") == 0
    finally:
        link.close()
    out = term_out.getvalue()
    assert "This server has no LAB command" in out
    assert "Sandbox 'carol'" in out
    assert "this server has no LAB command (it is not the redis-lab server)" in out
    assert store.completed("first-contact"), out[-3000:]
    c = srv.client()
    assert c.get("carol:greeting") == b"Hi" and c.get("greeting") is None
    c.close()


def test_quitting_keeps_progress_and_resumes(servers, state_dir):
    lesson = loader.find("first-contact")
    first, second = lesson.steps[0], lesson.steps[1]
    srv = servers.get("lab")
    from lab.tutor.runner import Link

    def session(script: str) -> str:
        out = io.StringIO()
        link = Link.connect(f"redis://127.0.0.1:{srv.port}/0")
        try:
            learn(lesson, link, Terminal(out=out, inp=io.StringIO(script)), ProgressStore())
        finally:
            link.close()
        return out.getvalue()

    servers.fresh("lab").close()
    out = session("\n".join([*first.solution, *second.solution, "quit"]) + "\n")
    assert "Bye" in out
    assert ProgressStore().passed_steps(lesson.id) == {first.slug, second.slug}
    out = session("quit\n")
    assert "resuming at step 3" in out and "Step 3/8" in out


def test_lessons_list_and_validate(state_dir):
    out = io.StringIO()
    assert cmd_lessons([], Terminal(out=out)) == 0
    text = out.getvalue()
    assert "beginner" in text and "first-contact" in text and "0/7" in text
    assert "intermediate" in text and "advanced" in text
    out = io.StringIO()
    assert cmd_lessons(["validate"], Terminal(out=out)) == 0
    assert f"{len(loader.load_all())} lessons valid, 0 errors" in out.getvalue()


def test_validate_reports_a_broken_file(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(
        "---\nid: Bad Id\ntitle: T\npath: beginner\norder: 1\nminutes: 5\n"
        "objectives: [x]\n---\n## S\n"
    )
    proc = run_cli("lessons", "validate", str(bad))
    assert proc.returncode == 1
    assert f"{bad}:2: id:" in proc.stdout


def test_unknown_lesson():
    proc = run_cli("learn", "no-such-lesson")
    assert proc.returncode == 1 and "no lesson 'no-such-lesson'" in proc.stdout


def test_render_markdown():
    text = render_markdown("A paragraph\nacross lines.\n\n```redis\nPING\n```\n\n- a list")
    assert text == "A paragraph across lines.\n\n    PING\n\n- a list"


def test_streams_are_refused_and_existing_keys_announced(servers, state_dir):
    from lab.tutor.runner import Link

    srv = servers.get("lab")
    servers.fresh("lab").close()
    c = srv.client()
    c.set("greeting", "someone else's")
    c.close()
    out = io.StringIO()
    link = Link.connect(f"redis://127.0.0.1:{srv.port}/0")
    try:
        script = "SUBSCRIBE news\nPING\nquit\n"
        learn(loader.find("first-contact"), link, Terminal(out=out, inp=io.StringIO(script)), None)
    finally:
        link.close()
    text = out.getvalue()
    assert "deleting keys it uses that already exist: greeting" in text
    assert "(error) ERR the tutor does not run SUBSCRIBE" in text
    assert "try it in 'redis-lab cli'" in text
    assert "PONG" in text  # the connection is still usable

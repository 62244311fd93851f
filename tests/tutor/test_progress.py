"""The progress store: per learner, survives a restart, never half written."""

from __future__ import annotations

import json

from lab.tutor.progress import ProgressStore, state_dir


def test_state_dir_from_the_environment(state_dir):
    from lab.tutor import progress

    assert progress.state_dir() == state_dir
    assert ProgressStore().path == state_dir / "progress.json"


def test_progress_survives_a_restart(tmp_path):
    path = tmp_path / "p.json"
    store = ProgressStore(path, learner="ada")
    store.start("first-contact")
    store.hint_used("first-contact", "ping", 1)
    store.hint_used("first-contact", "ping", 2)
    store.pass_step("first-contact", "ping", hints_used=2)
    store.pass_step("first-contact", "ping", hints_used=0)  # the first pass is what counts
    store.complete("first-contact")

    again = ProgressStore(path, learner="ada")
    record = again.lesson("first-contact")
    assert again.passed_steps("first-contact") == {"ping"}
    assert record["steps"]["ping"]["hints_used"] == 2
    assert record["steps"]["ping"]["passed_at"]
    assert record["hints"] == {"ping": 2}
    assert again.completed("first-contact")
    assert json.loads(path.read_text())["version"] == 1


def test_learners_are_separate(tmp_path):
    path = tmp_path / "p.json"
    ProgressStore(path, learner="alice").pass_step("l", "s")
    bob = ProgressStore(path, learner="bob")
    assert bob.passed_steps("l") == set()
    bob.pass_step("l", "t")
    assert ProgressStore(path, learner="alice").passed_steps("l") == {"s"}


def test_reset(tmp_path):
    store = ProgressStore(tmp_path / "p.json", learner="ada")
    store.pass_step("l", "s")
    store.reset("l")
    assert ProgressStore(tmp_path / "p.json", learner="ada").passed_steps("l") == set()


def test_a_damaged_file_is_kept_aside(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    store = ProgressStore(path, learner="ada")
    assert store.passed_steps("l") == set()
    assert (tmp_path / "p.broken.json").read_text() == "{not json"
    store.pass_step("l", "s")
    assert ProgressStore(path, learner="ada").passed_steps("l") == {"s"}


def test_no_temporary_files_left(tmp_path):
    store = ProgressStore(tmp_path / "p.json", learner="ada")
    for i in range(5):
        store.pass_step("l", f"s{i}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]
    assert state_dir() != tmp_path  # the env var, not this folder

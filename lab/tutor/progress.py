"""Which steps a learner passed, when, and how many hints it took.

One JSON file per user account, in the platform's state directory
(``platformdirs.user_state_dir("redis-lab")``: ``~/.local/state/redis-lab``
on Linux), or under ``$REDIS_LAB_STATE_DIR`` when that is set (tests,
classrooms with a shared drive). Inside, progress is kept per *learner name*
(the account name, or the ``--sandbox`` name when several people share one
account in a classroom)::

    {"version": 1,
     "learners": {"alice": {"lessons": {"first-contact": {
         "started_at": "2026-11-26T10:00:00+00:00",
         "completed_at": null,
         "steps": {"ping": {"passed_at": "...", "hints_used": 1}},
         "hints": {"ping": 1}}}}}}

Every change is written at once, atomically (a temporary file renamed over
the old one), so a crash or Ctrl-C never leaves half a file.
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ENV_STATE_DIR = "REDIS_LAB_STATE_DIR"
VERSION = 1


def state_dir() -> Path:
    env = os.environ.get(ENV_STATE_DIR)
    if env:
        return Path(env)
    from platformdirs import user_state_dir

    return Path(user_state_dir("redis-lab"))


def default_learner() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name (some containers)
        return "learner"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ProgressStore:
    def __init__(self, path: Path | None = None, learner: str | None = None) -> None:
        self.path = Path(path) if path else state_dir() / "progress.json"
        self.learner = learner or default_learner()
        self.data = self._read()

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"version": VERSION, "learners": {}}
        except (OSError, ValueError):
            # A damaged file is kept aside, not silently overwritten.
            broken = self.path.with_suffix(".broken.json")
            try:
                self.path.replace(broken)
            except OSError:
                pass
            return {"version": VERSION, "learners": {}}
        if not isinstance(data, dict) or not isinstance(data.get("learners"), dict):
            return {"version": VERSION, "learners": {}}
        return data

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".progress-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.data, f, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    # -- reading ------------------------------------------------------------------

    def lesson(self, lesson_id: str) -> dict:
        """The record of one lesson (an empty one when never started)."""
        learner = self.data["learners"].setdefault(self.learner, {"lessons": {}})
        return learner["lessons"].setdefault(
            lesson_id, {"started_at": None, "completed_at": None, "steps": {}, "hints": {}}
        )

    def passed_steps(self, lesson_id: str) -> set[str]:
        return set(self.lesson(lesson_id)["steps"])

    def completed(self, lesson_id: str) -> bool:
        return bool(self.lesson(lesson_id)["completed_at"])

    # -- writing -------------------------------------------------------------------

    def start(self, lesson_id: str) -> None:
        record = self.lesson(lesson_id)
        if not record["started_at"]:
            record["started_at"] = _now()
            self.save()

    def hint_used(self, lesson_id: str, slug: str, count: int) -> None:
        hints = self.lesson(lesson_id)["hints"]
        hints[slug] = max(hints.get(slug, 0), count)
        self.save()

    def pass_step(self, lesson_id: str, slug: str, hints_used: int = 0) -> None:
        record = self.lesson(lesson_id)
        if not record["started_at"]:
            record["started_at"] = _now()
        if slug not in record["steps"]:
            record["steps"][slug] = {"passed_at": _now(), "hints_used": hints_used}
            self.save()

    def complete(self, lesson_id: str) -> None:
        record = self.lesson(lesson_id)
        if not record["completed_at"]:
            record["completed_at"] = _now()
            self.save()

    def reset(self, lesson_id: str) -> None:
        self.data["learners"].setdefault(self.learner, {"lessons": {}})["lessons"].pop(
            lesson_id, None
        )
        self.save()

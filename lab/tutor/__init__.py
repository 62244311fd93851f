"""The lesson engine: lessons as data, checks that read a server, progress.

- :mod:`.model`     Lesson, Step (what a lesson file becomes)
- :mod:`.loader`    reading and validating lesson files (errors name file, line, field)
- :mod:`.checks`    the declarative check kinds and their messages
- :mod:`.runner`    LessonRunner: steps, typed commands, checks, hints, solutions
- :mod:`.progress`  which steps a learner passed, in the platform's state directory
- :mod:`.sandbox`   key prefixes so a classroom can share one server
- :mod:`.datasets`  small deterministic sample data
- :mod:`.embedded`  the lab server as a child process
- :mod:`.terminal`  ``redis-lab lessons`` and ``redis-lab learn``

The engine knows nothing of screens: the terminal front end and the TUI both
drive :class:`LessonRunner`.
"""

from .checks import CheckResult
from .loader import LessonError, load_all, load_lesson, validate_all
from .model import Lesson, Step
from .progress import ProgressStore
from .runner import LessonRunner, Link, Outcome, StepReport

__all__ = [
    "CheckResult",
    "Lesson",
    "LessonError",
    "LessonRunner",
    "Link",
    "Outcome",
    "ProgressStore",
    "Step",
    "StepReport",
    "load_all",
    "load_lesson",
    "validate_all",
]

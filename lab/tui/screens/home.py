"""Home: the lesson paths, each lesson with its progress; continue where you left off.

Lessons and progress come from :mod:`lab.tutor` (the same files and the
same progress store as ``redis-lab lessons``). Enter opens a lesson.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree

PATH_ORDER = ["beginner", "intermediate", "advanced", "patterns", "scenarios"]


def load_lessons():
    """(lessons, progress store, error text)."""
    try:
        from lab.tutor import ProgressStore, validate_all

        lessons, errors = validate_all()
        store = ProgressStore()
    except Exception as exc:  # the tutor is optional for the rest of the TUI
        return [], None, f"lessons unavailable: {exc}"
    note = (
        f"{len(errors)} lesson file(s) have errors (redis-lab lessons validate)" if errors else ""
    )
    return lessons, store, note


def lesson_state(lesson, store) -> tuple[str, int, int]:
    checked = [s.slug for s in lesson.checked_steps]
    passed = len(store.passed_steps(lesson.id) & set(checked)) if store else 0
    if store and store.completed(lesson.id):
        return "✓", passed, len(checked)
    if store and store.lesson(lesson.id).get("started_at"):
        return "…", passed, len(checked)
    return " ", passed, len(checked)


class HomeScreen(Screen):
    BINDINGS = [
        Binding("c", "continue", "Continue"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lessons: list = []
        self.store = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="home-intro")
        yield Tree("lessons", id="lesson-tree")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one(Tree).focus()

    def action_reload(self) -> None:
        self.lessons, self.store, note = load_lessons()
        tree = self.query_one(Tree)
        tree.clear()
        tree.show_root = False
        by_path: dict[str, list] = {}
        for lesson in self.lessons:
            by_path.setdefault(lesson.path, []).append(lesson)
        order = sorted(by_path, key=lambda p: PATH_ORDER.index(p) if p in PATH_ORDER else 99)
        for path in order:
            items = by_path[path]
            done = sum(1 for x in items if self.store and self.store.completed(x.id))
            branch = tree.root.add(f"[b]{path}[/b]  {done}/{len(items)} done", expand=True)
            for lesson in items:
                mark, passed, total = lesson_state(lesson, self.store)
                branch.add_leaf(
                    f"{mark} {lesson.title}  [dim]{passed}/{total} steps · {lesson.minutes} min[/]",
                    data=lesson,
                )
        nxt = self.next_lesson()
        intro = "[b]Learn Redis from the inside.[/b] Enter opens a lesson"
        if nxt is not None:
            intro += f"; [b]c[/b] continues with [b]{nxt.title}[/b]"
        intro += ". F2 is the free console."
        if note:
            intro += f"\n[yellow]{note}[/]"
        self.query_one("#home-intro", Static).update(intro)

    def next_lesson(self):
        started = [
            x for x in self.lessons
            if self.store and self.store.lesson(x.id).get("started_at") and not self.store.completed(x.id)
        ]  # fmt: skip
        if started:
            return started[0]
        for lesson in self.lessons:
            if not (self.store and self.store.completed(lesson.id)):
                return lesson
        return None

    def action_continue(self) -> None:
        lesson = self.next_lesson()
        if lesson is not None:
            self.open_lesson(lesson)

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            self.open_lesson(event.node.data)

    def open_lesson(self, lesson) -> None:
        from .lesson import LessonScreen

        self.app.push_screen(LessonScreen(lesson, self.store), lambda _: self.action_reload())

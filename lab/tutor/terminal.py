"""The plain-terminal front end: ``redis-lab lessons`` and ``redis-lab learn``.

``redis-lab lessons``                list the paths and lessons, with your progress
``redis-lab lessons validate [F..]`` check every lesson file (or the ones named)
``redis-lab lessons reset ID``       forget your progress in one lesson
``redis-lab learn ID [--url U]``     take a lesson: without --url on a lab
                                     server started for the occasion

While learning, a line is either a Redis command (sent to the server, the
reply printed as redis-cli prints it) or one of the tutor's words: ``check``,
``hint``, ``solution``, ``step``, ``next``, ``skip``, ``help``, ``quit``.
After each command the step's checks run quietly; when they pass the lesson
moves on. Everything here is a thin layer over :class:`LessonRunner`.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap

from lab.repl.format import format_reply

from . import loader
from .checks import FAIL, PASS, SKIP
from .model import Lesson, Step
from .progress import ProgressStore
from .runner import LessonRunner, Link, StepReport

WORDS = {
    "check": "run this step's checks and show what is still missing",
    "hint": "reveal the next hint",
    "solution": "show the reference solution (type it yourself to pass)",
    "step": "print this step again",
    "next": "go on (a step without checks, or after passing)",
    "skip": "skip this step without passing it",
    "help": "this list",
    "quit": "leave; your progress is kept",
}
MARK = {PASS: "✓", FAIL: "✗", SKIP: "-"}


class Terminal:
    def __init__(self, out=None, inp=None) -> None:
        self.out = out or sys.stdout
        self.inp = inp or sys.stdin
        # A terminal gets input()'s line editing; a script or a pipe is echoed,
        # so a transcript reads like the session it was.
        self.interactive = hasattr(self.inp, "isatty") and self.inp.isatty()

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> str | None:
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        self.out.write(prompt)
        line = self.inp.readline()
        if not line:
            self.say()
            return None
        line = line.rstrip("\r\n")
        self.say(line)
        return line


def render_markdown(text: str, width: int = 88) -> str:
    """Markdown for a plain terminal: fences become indented blocks, paragraphs wrap."""
    out: list[str] = []
    in_code = False
    para: list[str] = []

    def flush() -> None:
        if para:
            joined = " ".join(p.strip() for p in para)
            out.extend(textwrap.wrap(joined, width) or [""])
            para.clear()

    for line in text.splitlines():
        if line.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line)
        elif not line.strip():
            flush()
            out.append("")
        elif re.match(r"^(\s*[-*] |\s*\d+\. |#|\||>)", line):
            flush()
            out.append(line)
        else:
            para.append(line)
    flush()
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = re.sub(r"\*\*(\S[^*]*?)\*\*", r"\1", text)  # **bold** and *emphasis* read as plain words
    text = re.sub(r"(?<![\w*])\*(\S[^*\n]*?)\*(?![\w*])", r"\1", text)
    return text.strip("\n")


def _existing(runner: LessonRunner) -> list[str]:
    names = sorted(runner.lesson_keys())
    found = []
    for name in names:
        if runner.link.call("EXISTS", runner.key(name)):
            found.append(name)
    return found


def confirm(term: Terminal, question: str) -> bool:
    answer = term.ask(question)
    return answer is not None and answer.strip().lower() in ("y", "yes")


def _print_report(term: Terminal, report: StepReport, verbose: bool) -> None:
    for result in report.results:
        if result.status == PASS and not verbose:
            continue
        term.say(f"  {MARK[result.status]} {result.message(report.step.hints)}")


def _show_step(term: Terminal, lesson: Lesson, index: int, step: Step) -> None:
    total = len(lesson.steps)
    term.say()
    term.say(f"── Step {index + 1}/{total}: {step.title} " + "─" * 10)
    term.say(render_markdown(step.prose))
    if step.checked:
        term.say(
            f"\n(type Redis commands; 'check' to see progress, 'hint' for help — {len(step.hints)} hints)"
        )
    else:
        term.say("\n(try the commands above if you like; press Enter or type 'next' to go on)")


def learn(
    lesson: Lesson,
    link: Link,
    term: Terminal,
    progress: ProgressStore | None,
    sandbox: str | None = None,
    restart: bool = False,
    auto_check: bool = True,
) -> int:
    runner = LessonRunner(lesson, link, progress=progress, sandbox=sandbox)
    term.say(f"\n{lesson.title}  ({lesson.path}, about {lesson.minutes} min)")
    term.say("You will be able to:")
    for objective in lesson.objectives:
        term.say(f"  • {objective}")
    if not link.has_lab:
        lab_checks = sum(1 for s in lesson.steps for c in s.checks if c.needs_lab)
        term.say(
            "\nThis server has no LAB command (real Redis?): "
            f"the checks that look inside the lab server ({lab_checks}) will be skipped."
        )
    if sandbox:
        term.say(f"\nSandbox '{sandbox}': your keys live under '{sandbox}:' on the server.")
    started = progress is not None and progress.passed_steps(lesson.id)
    existing = [] if started else _existing(runner)
    if existing:
        shown = ", ".join(existing[:8]) + (" ..." if len(existing) > 8 else "")
        term.say(f"\nThis lesson starts by deleting keys it uses that already exist: {shown}")
        if term.interactive and not confirm(term, "Go on? [y/N] "):
            term.say("Nothing was changed. (--sandbox NAME keeps a lesson to its own prefix.)")
            return 1
    for note in runner.prepare():
        term.say(f"note: {note}")
    if lesson.intro.strip():
        term.say()
        term.say(render_markdown(re.sub(r"^# .*\n?", "", lesson.intro)))

    passed = set() if (restart or progress is None) else progress.passed_steps(lesson.id)
    if restart and progress is not None:
        progress.reset(lesson.id)
    todo = [i for i, s in enumerate(lesson.steps) if s.checked and s.slug not in passed]
    start = todo[0] if (todo and passed) else 0
    if passed and not todo:
        term.say("\nYou have passed every step of this lesson already; starting again from step 1.")
    if start > 0:
        term.say(f"\nWelcome back: resuming at step {start + 1}. Rebuilding the keys of the")
        term.say("earlier steps with their reference solutions...")
        for i in range(start):
            runner.begin(i)
            runner.solve()

    index = start
    while index < len(lesson.steps):
        step = runner.begin(index)
        _show_step(term, lesson, index, step)
        prompt = f"{lesson.id} [{index + 1}/{len(lesson.steps)}]> "
        while True:
            line = term.ask(prompt)
            if line is None or line.strip().lower() in ("quit", "exit", ":quit", ":q"):
                term.say("Bye — your progress is saved.")
                return 0
            word = line.strip().lower().lstrip(":")
            if word == "" and step.checked:
                continue
            if word in ("", "next") and not step.checked:
                break
            if word == "help":
                for name, what in WORDS.items():
                    term.say(f"  {name:9} {what}")
                continue
            if word == "step":
                _show_step(term, lesson, index, step)
                continue
            if word == "hint":
                hint = runner.next_hint()
                if hint is None:
                    term.say("No more hints: 'solution' shows the reference solution.")
                else:
                    term.say(f"Hint {runner.hints_shown}/{len(step.hints)}: {hint}")
                continue
            if word == "solution":
                if not step.solution:
                    term.say("This step has no solution to show.")
                for sol in step.solution:
                    term.say(f"    {sol}")
                continue
            if word == "skip" or (word == "next" and step.checked):
                if word == "next":
                    report = runner.check()
                    if not report.passed:
                        term.say("Not passed yet ('skip' moves on anyway):")
                        _print_report(term, report, verbose=False)
                        continue
                break
            if word == "check":
                if not step.checked:
                    term.say("This step has nothing to check; press Enter to go on.")
                    continue
                report = runner.check()
                _print_report(term, report, verbose=True)
                if report.passed:
                    term.say("Step passed!")
                    break
                continue
            try:
                outcome = runner.execute(line)
            except KeyboardInterrupt:
                link.reset_learner()  # the reply may still come: start a clean connection
                term.say("(interrupted; reconnected)")
                continue
            except OSError:
                try:
                    link.reset_learner()
                except OSError:
                    term.say("The server went away. Your progress is saved.")
                    return 1
                term.say("(the connection was closed; reconnected)")
                continue
            if outcome.reply is not None or outcome.args:
                term.out.write(format_reply(outcome.reply).decode("utf-8", "replace"))
            if outcome.note:
                term.say(f"({outcome.note})")
            if step.checked and auto_check:
                report = runner.check()
                if report.passed:
                    _print_report(term, report, verbose=True)
                    term.say("Step passed!")
                    break
        index += 1
    runner.finish()
    done = progress is not None and progress.completed(lesson.id)
    term.say()
    term.say(f"End of '{lesson.title}'." + (" Every step passed — well done!" if done else ""))
    return 0


# -- commands --------------------------------------------------------------------------------


def cmd_lessons(argv: list[str], term: Terminal | None = None) -> int:
    term = term or Terminal()
    parser = argparse.ArgumentParser(prog="redis-lab lessons", description="The lesson paths.")
    parser.add_argument("action", nargs="?", default="list", choices=["list", "validate", "reset"])
    parser.add_argument("args", nargs="*", help="files to validate, or the lesson id to reset")
    parser.add_argument("--learner", help="whose progress (default: your user name)")
    opts = parser.parse_args(argv)
    if opts.action == "validate":
        roots = [loader.Path(a) for a in opts.args] or None
        lessons, errors = loader.validate_all(roots)
        for error in errors:
            term.say(str(error))
        if not lessons and not errors:
            term.say("no lesson files found")
            return 1
        term.say(f"{len(lessons)} lessons valid, {len(errors)} errors")
        return 1 if errors else 0
    progress = ProgressStore(learner=opts.learner)
    if opts.action == "reset":
        if len(opts.args) != 1:
            parser.error("reset takes one lesson id")
        progress.reset(opts.args[0])
        term.say(f"progress in {opts.args[0]} forgotten")
        return 0
    try:
        lessons = loader.load_all()
    except loader.LessonError as exc:
        term.say(f"a lesson file is broken: {exc}")
        return 1
    current = None
    for lesson in lessons:
        if lesson.path != current:
            current = lesson.path
            term.say(f"\n{current}")
        done = len(progress.passed_steps(lesson.id) & {s.slug for s in lesson.checked_steps})
        total = len(lesson.checked_steps)
        mark = "✓" if progress.completed(lesson.id) else ("…" if done else " ")
        term.say(
            f" {mark} {lesson.order:2}. {lesson.id:30} {lesson.title:40} "
            f"{lesson.minutes:3} min  {done}/{total}"
        )
    term.say("\nStart one with: redis-lab learn <id>")
    return 0


def _stop_on_sigterm() -> None:
    """SIGTERM ends a lesson like Ctrl-C does, so the embedded server is stopped too."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def cmd_learn(argv: list[str], term: Terminal | None = None) -> int:
    term = term or Terminal()
    parser = argparse.ArgumentParser(prog="redis-lab learn", description="Take a lesson.")
    parser.add_argument("lesson", help="a lesson id (see 'redis-lab lessons') or a lesson file")
    parser.add_argument("--url", help="attach to this server (redis://host:port/db) instead")
    parser.add_argument("--sandbox", help="prefix your keys with NAME: (classrooms)")
    parser.add_argument("--learner", help="whose progress (default: the sandbox or user name)")
    parser.add_argument("--restart", action="store_true", help="start from step 1")
    parser.add_argument("--no-auto-check", action="store_true", help="check only on 'check'")
    parser.add_argument("--server-arg", action="append", default=[], help="for the embedded server")
    opts = parser.parse_args(argv)
    try:
        if opts.lesson.endswith(".md"):
            lesson = loader.load_lesson(loader.Path(opts.lesson))
        else:
            lesson = loader.find(opts.lesson)
    except KeyError:
        ids = ", ".join(lesson.id for lesson in loader.load_all())
        term.say(f"no lesson '{opts.lesson}' (there are: {ids})")
        return 1
    except loader.LessonError as exc:
        term.say(f"the lesson file is broken: {exc}")
        return 1
    progress = ProgressStore(learner=opts.learner or opts.sandbox)
    missing = [r for r in lesson.requires if not progress.completed(r)]
    if missing:
        term.say(f"(this lesson builds on {', '.join(missing)}; you can go on anyway)")
    _stop_on_sigterm()
    embedded = None
    url = opts.url
    if url is None:
        from .embedded import EmbeddedServer

        embedded = EmbeddedServer(*opts.server_arg)
        try:
            embedded.start()
        except (RuntimeError, OSError) as exc:
            term.say(f"could not start the lab server: {exc}")
            return 1
        url = embedded.url
        term.say(f"Lab server started at {url} (stopped when you leave).")
    try:
        try:
            link = Link.connect(url)
        except (OSError, ValueError) as exc:
            term.say(f"could not connect to {url}: {exc}")
            return 1
        try:
            return learn(
                lesson,
                link,
                term,
                progress,
                sandbox=opts.sandbox,
                restart=opts.restart,
                auto_check=not opts.no_auto_check,
            )
        except KeyboardInterrupt:
            term.say("\nInterrupted — your progress is saved.")
            return 130
        except OSError as exc:
            term.say(f"\nThe server went away ({exc}). Your progress is saved.")
            return 1
        finally:
            link.close()
    finally:
        if embedded is not None:
            embedded.stop()

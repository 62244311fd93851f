"""mkdocs hook: every lesson in lessons/ becomes a page of the site.

The lesson files stay the only source: at build time each one is read by the
lesson engine (:mod:`lab.tutor.loader`) and rendered by
:mod:`lab.tutor.site` — objectives, each step's prose and examples, what the
lab will check (an admonition), hints and the solution folded away. The
pages are generated files (nothing is written into docs/), and the nav's
``Lessons`` entry grows a section per path.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]
INDEX = "lessons/index.md"


def _lessons():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from lab.tutor.loader import load_all

    return load_all([ROOT / "lessons"])


def on_config(config):
    """Replace the nav's ``Lessons: lessons.md`` by a section with every lesson."""
    from lab.tutor.site import page_name

    lessons = _lessons()
    paths: dict[str, list] = {}
    for lesson in lessons:
        paths.setdefault(lesson.path.title(), []).append({lesson.title: page_name(lesson)})
    section = [{"Taking a lesson": "lessons.md"}, {"All lessons": INDEX}]
    section += [{path: pages} for path, pages in paths.items()]
    nav = config.get("nav") or []
    for i, item in enumerate(nav):
        if isinstance(item, dict) and item.get("Lessons") == "lessons.md":
            nav[i] = {"Lessons": section}
    return config


def on_files(files, config):
    from lab.tutor.site import index_page, lesson_page, page_name

    lessons = _lessons()
    titles = {lesson.id: lesson.title for lesson in lessons}
    files.append(File.generated(config, INDEX, content=index_page(lessons)))
    for lesson in lessons:
        files.append(File.generated(config, page_name(lesson), content=lesson_page(lesson, titles)))
    return files

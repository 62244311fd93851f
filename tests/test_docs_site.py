"""The documentation site builds (``mkdocs build --strict``) and says what it should.

One build into a temporary directory, then: the command reference lists
every command and subcommand of ``server/commands/commands.json``; every
lesson in lessons/ has its generated page with what the lab will check;
the internals pages carry drawings made from the server (inline SVG);
the notebooks and demos pages are in the site.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("mkdocs")
    if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("mkdocs is not installed in this environment")
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out


def page_text(site: Path, name: str, sep: str = " ") -> str:
    """The page without tags (``sep=""`` joins highlighted code back together)."""
    return html.unescape(re.sub(r"<[^>]+>", sep, (site / name / "index.html").read_text()))


def test_command_reference_lists_every_command(site) -> None:
    table = json.loads((ROOT / "server/commands/commands.json").read_text())["commands"]
    text = page_text(site, "compatibility")
    names = []
    for name, spec in table.items():
        subs = spec.get("subcommands") or {}
        names += [sub.upper().replace("|", " ") for sub in subs] or [name.upper()]
    missing = [n for n in names if not re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)]
    assert not missing, f"not on the compatibility page: {missing[:20]}"
    assert len(names) > 200


def test_every_lesson_has_a_page(site) -> None:
    sys.path.insert(0, str(ROOT))
    from lab.tutor.loader import load_all
    from lab.tutor.site import page_name

    lessons = load_all([ROOT / "lessons"])
    assert lessons
    for lesson in lessons:
        page = site / page_name(lesson).removesuffix(".md") / "index.html"
        assert page.exists(), page
        body = page.read_text()
        assert lesson.title in html.unescape(body)
        if any(step.checks for step in lesson.steps):
            assert "admonition" in body  # the checks, shown as what the lab will check
    index = page_text(site, "lessons")
    assert all(lesson.title in index for lesson in lessons)


def test_internals_pages_have_drawings_from_the_server(site) -> None:
    for name in ("strings", "listpack", "intset", "quicklist", "skiplist", "dict"):
        body = (site / "internals" / name / "index.html").read_text()
        svgs = re.findall(r"<svg .*?</svg>", body, re.S)
        assert svgs, name
        for svg in svgs:
            ET.fromstring(svg)
        assert "lab-draw" not in body  # every marker was replaced


def test_notebooks_and_demos_pages(site) -> None:
    assert "%%redis" in page_text(site, "notebooks", "")
    assert "redis-lab demo --list" in page_text(site, "demos", "")

"""Every notebook in notebooks/ runs from top to bottom without an error.

Each one is executed in a fresh python3 kernel (the venv's, with the
repository on ``sys.path`` so ``import lab`` and ``import server`` resolve),
with a timeout per cell; the notebook files are never written back (they are
kept without outputs). A notebook starts its own lab server and closes it in
its last cell; the test also checks that no server outlives the kernel.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 60


REPORT_PIDS = "from lab import Lab as _Lab\nprint('LAB-PIDS', *_Lab.started_pids)"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process now
        return False
    try:  # a zombie is not running
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, monkeypatch) -> None:
    book = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in book.cells if c.cell_type == "code"), (
        f"{path.name} is stored with outputs: strip them"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    book.cells.append(nbformat.v4.new_code_cell(REPORT_PIDS))  # in memory only
    client = nbclient.NotebookClient(
        book,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    client.execute()
    errors = [
        out
        for cell in book.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    report = "".join(o.get("text", "") for o in book.cells[-1].outputs)
    pids = [int(p) for p in report.split("LAB-PIDS", 1)[1].split()]
    assert pids, "the notebook started no lab server?"
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    leftover = [p for p in pids if _alive(p)]
    assert not leftover, f"lab servers still running after {path.name}: {leftover}"


def test_notebooks_exist() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert len(names) >= 5, names
    assert sys.version_info >= (3, 10)

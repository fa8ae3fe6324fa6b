"""Notebook hygiene: committed without outputs or injected parameters, paired with their # %% script."""

from __future__ import annotations

import json

import jupytext
import pytest

from conftest import ROOT

# the report templates ship in the package; the explorer is the analyst's notebook
NOTEBOOKS = sorted((ROOT / "impactlib" / "notebooks").rglob("*.ipynb")) + sorted((ROOT / "notebooks").rglob("*.ipynb"))


def test_there_are_notebooks():
    names = {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}
    assert {"impactlib/notebooks/client_report.ipynb", "impactlib/notebooks/comparison.ipynb", "notebooks/explore.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "papermill" not in nb["metadata"]
    for cell in nb["cells"]:
        assert not cell.get("outputs") and cell.get("execution_count") is None
        assert "injected-parameters" not in cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_paired_script_in_sync(path):
    script = path.with_suffix(".py")
    assert script.is_file(), f"{script.name} missing: pair with `jupytext --set-formats ipynb,py:percent`"
    from_script = jupytext.read(script)
    from_nb = jupytext.read(path)
    assert [(c.cell_type, c.source) for c in from_script.cells] == [(c.cell_type, c.source) for c in from_nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_report_notebook_is_thin(path):
    nb = jupytext.read(path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "def " not in code and "class " not in code
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for line in params[0].source.splitlines():
        assert "#" in line, f"parameter without a comment: {line}"

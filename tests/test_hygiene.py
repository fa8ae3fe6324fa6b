"""Repository hygiene: no executed notebook committed; reports, client data and keys git-ignored."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from impactlib.run import hygiene

CLEAN = {"metadata": {"kernelspec": {"name": "impactlib"}},
         "cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None, "outputs": [], "source": "x = 1"}]}


def test_committed_notebooks_are_clean():
    tracked = {p.relative_to(ROOT).as_posix() for p in hygiene.tracked_notebooks(ROOT)}
    # the report templates ship in the package, the explorer is the analyst's: all are checked
    assert {"impactlib/notebooks/client_report.ipynb", "impactlib/notebooks/comparison.ipynb", "notebooks/explore.ipynb"} <= tracked
    assert hygiene.check(ROOT) == []


def test_command_exits_0_on_this_repository():
    r = subprocess.run([sys.executable, "-m", "impactlib.run.hygiene", str(ROOT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("spoil, expected", [
    (lambda nb: nb["cells"][0].update(outputs=[{"output_type": "stream", "name": "stdout", "text": "S001"}]), "cell 0: has 1 output"),
    (lambda nb: nb["cells"][0].update(execution_count=3), "cell 0: has an execution count (3)"),
    (lambda nb: nb["cells"].insert(0, {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]}, "outputs": [],
                                       "execution_count": None, "source": 'client = "acme"'}), "cell 0: is a papermill injected-parameters cell"),
    (lambda nb: nb["metadata"].update(papermill={"parameters": {"client": "acme"}}), "papermill record"),
    (lambda nb: nb["cells"][0]["metadata"].update(papermill={"status": "completed"}), "cell 0: metadata holds an execution record (papermill)"),
])
def test_each_trace_of_execution_is_caught(spoil, expected):
    nb = json.loads(json.dumps(CLEAN))
    assert hygiene.notebook_problems(nb) == []
    spoil(nb)
    assert any(expected in p for p in hygiene.notebook_problems(nb))


def test_a_staged_executed_notebook_fails_the_check(tmp_path):
    """The check looks at what git tracks: an executed notebook added to a repository is caught."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    nb = json.loads(json.dumps(CLEAN))
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "r.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "untracked.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    subprocess.run(["git", "add", "nb/r.ipynb"], cwd=tmp_path, check=True)
    r = subprocess.run([sys.executable, "-m", "impactlib.run.hygiene", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 1 and "nb/r.ipynb: cell 0: has 1 output" in r.stderr and "untracked" not in r.stderr


def ignored(path: str) -> bool:
    return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("path", ["reports/acme-industrie/baseline.fr.html", "reports/x.log",
                                  "data/clients/real-client/staff.csv", "data/clients/acme-industrie-copy/staff.csv",
                                  "keys/acme-industrie.key", "data/keys/acme-industrie.key", "acme.key",
                                  "register/acme-industrie/register.jsonl", "register/acme-industrie/answers/v1.0a1b.xlsx"])
def test_outputs_client_data_and_keys_are_ignored(path):
    assert ignored(path)


@pytest.mark.parametrize("path", ["data/clients/acme-industrie/staff.csv", "data/clients/lex-partners/client.yaml",
                                  "data/clients/cabinet-medical-rives/scenarios/baseline.yaml",
                                  "data/clients/fiduciaire-martin/staff.csv", "data/clients/harbour-outfitters/spec.yaml",
                                  "impactlib/notebooks/client_report.ipynb", "impactlib/notebooks/comparison.py",
                                  "notebooks/explore.ipynb", "tests/fixtures/clients/tiny/staff.csv"])
def test_demo_clients_and_sources_are_not_ignored(path):
    assert not ignored(path)


def test_security_doc_names_existing_tests():
    """Every claim of docs/security.md points at a test that exists (file and function)."""
    import ast
    import re

    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/test_\w+\.py)::(test_\w+)`", doc))
    assert len(named) >= 40
    missing = []
    for path, name in sorted(named):
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        if name not in {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}:
            missing.append(f"{path}::{name}")
    assert missing == []

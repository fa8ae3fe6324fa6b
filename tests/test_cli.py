"""The command line: exit codes, messages without tracebacks, one bad client never stops the others."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, edit
from impactlib.errors import (BadRequest, CellError, InvalidInput, KernelStartError, Problem, ReportError,
                              ReportTimeout)


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "impactlib.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_validate_clean_client_exits_0():
    r = cli("--data-dir", str(FIXTURES), "validate", "tiny")
    assert r.returncode == 0 and "tiny: ok" in r.stdout


def test_validate_lists_every_problem_and_exits_2(tiny):
    edit(tiny / "staff.csv", "S2,FIN,Accountant,,0.8", "S2,FIN,Accountant,,1.8")
    edit(tiny / "skills.csv", "S4,win11_use,2", "S4,win11_use,7")
    r = cli("--data-dir", str(tiny.parent), "validate", "tiny")
    assert r.returncode == 2
    assert "tiny/staff.csv, row 3, column fte: 1.8 must be ≤ 1" in r.stdout
    assert "tiny/skills.csv, row 5, column level: '7' is not one of 0, 1, 2, 3, 4, 5" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


@pytest.mark.parametrize("bad", ["../tiny", "/etc", "Tiny", "ti ny", "tiny\u200b"])
def test_unsafe_client_id_exits_2_without_touching_files(bad):
    r = cli("--data-dir", str(FIXTURES), "validate", bad)
    assert r.returncode == 2 and "is not a valid client id" in r.stderr and "Traceback" not in r.stderr


def test_missing_client_folder_exits_2():
    r = cli("--data-dir", str(FIXTURES), "validate", "nobody")
    assert r.returncode == 2 and "no client folder" in r.stdout
    assert "did you mean" not in r.stdout and "Known clients: clean, tiny" in r.stdout


@pytest.mark.parametrize("command", [("validate",), ("report",), ("batch", "--strict")])
def test_a_mistyped_client_id_gets_did_you_mean_and_the_known_clients(command, tmp_path):
    r = cli("--data-dir", str(FIXTURES), *command, "tinny", "--out", str(tmp_path)) if command[0] != "validate" else \
        cli("--data-dir", str(FIXTURES), *command, "tinny")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "did you mean 'tiny'?" in r.stdout + r.stderr and "Known clients: clean, tiny" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr and not any(tmp_path.iterdir())


def test_version():
    from impactlib import __version__

    r = cli("--version")
    assert r.returncode == 0 and r.stdout.startswith(f"impactlib {__version__} (Python ")


@pytest.mark.parametrize("xlsx", [True, False])
def test_new_client_says_what_to_do_next(xlsx, tmp_path):
    r = cli("--data-dir", str(tmp_path), "new-client", "acme", *(["--xlsx"] if xlsx else []))
    assert r.returncode == 0, r.stderr
    steps = r.stdout.split("next steps:\n", 1)[1]
    assert ("client.xlsx" in steps) == xlsx and "client.yaml" in steps and "spec.yaml" in steps
    assert f"impactlib --data-dir {tmp_path} validate acme" in steps and f"impactlib --data-dir {tmp_path} report acme" in steps


@pytest.mark.e2e
def test_report_one_bad_client_does_not_stop_the_others(tmp_path):
    data = tmp_path / "clients"
    shutil.copytree(FIXTURES / "tiny", data / "tiny")
    shutil.copytree(FIXTURES / "tiny", data / "broken")
    edit(data / "broken" / "client.yaml", "id: tiny", "id: broken")
    edit(data / "broken" / "usage.csv", "FIN,SRV,end_user,3", "FIN,SRV,end_user,30")
    r = cli("--data-dir", str(data), "report", "--all", "--out", str(tmp_path / "out"))
    assert r.returncode == 2, r.stderr
    assert "broken: not produced, 1 input problem:" in r.stderr
    assert "broken/usage.csv, row 4, column users: 30 users of SRV in FIN (all roles) exceed its headcount 3" in r.stderr
    assert (tmp_path / "out" / "tiny" / "baseline.en.html").is_file()
    assert not (tmp_path / "out" / "broken").exists()
    assert "Traceback" not in r.stderr


def test_report_unknown_scenario_exits_2_listing_the_available_ones(tmp_path):
    r = cli("--data-dir", str(FIXTURES), "report", "tiny", "--scenario", "nope", "--out", str(tmp_path))
    assert r.returncode == 2 and "available: baseline, later" in r.stderr
    assert list(tmp_path.iterdir()) == []


# the exit code is the error type's: a message that mentions "scenario" or "parameter" changes nothing
ERRORS = [
    (BadRequest("tiny: no scenario 'x'; available: baseline, later"), 2),
    (InvalidInput([Problem("tiny/staff.csv", 5, "department_id", "unknown department 'NOPE'")], "client tiny"), 2),
    (CellError("ValueError: unknown parameter 'scenario' in language fr"), 1),
    (ReportTimeout("the report ran longer than the 600 s timeout"), 1),
    (KernelStartError("no kernel started after 3 attempts"), 1),
    (ReportError("scenario language parameter"), 1),
]


@pytest.mark.parametrize("error, code", ERRORS, ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v))
@pytest.mark.parametrize("command", ["report", "compare"])
def test_exit_code_is_the_error_types(error, code, command, monkeypatch, capsys):
    from impactlib import cli
    from impactlib.run import report

    def fail(*a, **k):
        raise error

    monkeypatch.setattr(report, "run" if command == "report" else "run_comparison", fail)
    args = ["tiny"] if command == "report" else ["tiny", "baseline", "later"]
    assert cli.main(["--data-dir", str(FIXTURES), command, *args]) == code == error.exit_code
    err = capsys.readouterr().err
    assert "tiny: not produced" in err and "Traceback" not in err
    if isinstance(error, InvalidInput):
        assert "  tiny/staff.csv, row 5, column department_id: unknown department 'NOPE'" in err


@pytest.mark.parametrize("kinds, code", [(["ok"], 0), (["ok", "cell_error"], 1), (["timeout", "kernel_died"], 1),
                                         (["cell_error", "bad_input"], 2), (["bad_request"], 2), (["worker_error"], 1)])
def test_batch_exit_code_is_the_worst_failure_kinds(kinds, code, monkeypatch, capsys):
    from impactlib import cli
    from impactlib.run import batch

    statuses = [{"client": "tiny", "status": "ok"} if k == "ok" else {"client": "tiny", "status": "failed", "kind": k}
                for k in kinds]
    monkeypatch.setattr(batch, "run_batch", lambda *a, **k: batch.Outcome(statuses, 0))
    assert cli.main(["--data-dir", str(FIXTURES), "batch", "tiny"]) == code
    assert f"{kinds.count('ok')} produced, {len(kinds) - kinds.count('ok')} failed" in capsys.readouterr().out


def test_every_failure_kind_is_an_error_type():
    """A status file's kind names an error type, which says the exit code; an unknown word is a plain failure."""
    from impactlib.errors import ImpactlibError, error_kind

    kinds = {"bad_input": 2, "bad_request": 2, "cell_error": 1, "kernel_died": 1, "timeout": 1, "kernel_start": 1,
             "export_error": 1, "internal_error": 1, "worker_error": 1}
    assert {k: error_kind(k).exit_code for k in kinds} == kinds
    assert all(error_kind(k).kind == k for k in kinds)
    assert error_kind("no such kind") is ImpactlibError

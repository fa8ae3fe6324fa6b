"""Every command line the README shows runs as written against the demo clients (exit 0).

The README's ``sh`` blocks are read, the ``.venv/bin/impactlib`` lines kept in order, and each runs in a
private copy of the project's inputs (data/clients, plus the GLPI inventories its import examples name), so a
README example that stops working fails here. Only the Dask line is left out: it needs a cluster at
``tcp://scheduler:8786`` (tests/test_batch.py runs the batch on a real scheduler and worker instead).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO, ROOT

README = ROOT / "README.md"
PREFIX = ".venv/bin/impactlib "
NEEDS_CLUSTER = "--dask-scheduler"
STARTS_A_CLIENT = ("new-client", "import-glpi")  # examples that write a new client folder: run in a copy of their own,
# as a half-filled new client would (rightly) fail the `--all` examples


def readme_commands() -> list[str]:
    """The ``.venv/bin/impactlib`` command lines of the README's sh blocks, comments stripped, in order."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    lines = [re.split(r"\s+#", line)[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith(PREFIX)]


COMMANDS = readme_commands()
RUNNABLE = [c for c in COMMANDS if NEEDS_CLUSTER not in c]


def test_the_readme_shows_the_commands_this_test_runs():
    assert len(COMMANDS) >= 12, COMMANDS  # the README's command list, as parsed (a parser that finds none would pass everything)
    for wanted in ("validate", "report", "compare", "new-client", "import-glpi", "batch", "campaign"):
        assert any(c.startswith(PREFIX + wanted) for c in COMMANDS), f"no README example of `{wanted}`"
    assert [c for c in COMMANDS if NEEDS_CLUSTER in c] == [c for c in COMMANDS if c not in RUNNABLE]


def make_project(root: Path) -> Path:
    """A project folder as a user has it after `make demo`: the demo clients, and the inventories the README imports."""
    shutil.copytree(DEMO, root / "data" / "clients")
    shutil.copy(DEMO.parent / "provider.yaml", root / "data" / "provider.yaml")  # the demo provider's campaign settings
    glpi = ROOT / "tests" / "fixtures" / "glpi"
    (root / "inventories").mkdir()
    for f in glpi.glob("*.json"):
        shutil.copy(f, root / "inventories" / f.name)
    for f in glpi.glob("*.xml"):
        shutil.copy(f, root / "inventories" / f.name)
    shutil.copy(next(glpi.glob("*.json")), root / "pc-01.json")
    return root


def run(line: str, project: Path) -> str | None:
    """Run one README line in ``project``; what went wrong, or None."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    argv = [sys.executable, "-m", "impactlib.cli", *shlex.split(line[len(PREFIX):])]
    done = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    return None if done.returncode == 0 else f"{line}\n  exit {done.returncode}\n  {done.stderr.strip()[-600:]}"


@pytest.mark.e2e
@pytest.mark.timeout(900)
def test_every_readme_command_runs_as_written(tmp_path):
    if not Path("/usr/bin/chromium").exists() and any("--pdf" in c for c in RUNNABLE):
        pytest.skip("a README example prints a PDF with Debian's chromium")
    demo, new = make_project(tmp_path / "demo"), make_project(tmp_path / "new")
    failed = [run(line, new if line[len(PREFIX):].startswith(STARTS_A_CLIENT) else demo) for line in RUNNABLE]
    failed = [f for f in failed if f]
    assert not failed, "README examples that fail as written:\n" + "\n".join(failed)
    assert (demo / "reports" / "index.html").is_file()
    assert (new / "data" / "clients" / "acme" / "client.xlsx").is_file() and (new / "data" / "clients" / "acme" / "assets.csv").is_file()

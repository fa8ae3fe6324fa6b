"""impactlib installs: the wheel holds every subpackage and every file a report reads, and a fresh virtual
environment outside the checkout produces a demo report from it.

The wheel is built as pip builds it for a user (setuptools, pyproject.toml), without network
(``--no-build-isolation``: the setuptools of the test environment). The fresh environment gets impactlib
from the wheel only; its third-party dependencies are borrowed from the test environment by a ``.pth``
file naming its site-packages. Python runs the ``import`` lines of ``.pth`` files only in a site
directory, never in a folder a ``.pth`` file adds, so the test environment's editable impactlib (an
import hook started by such a line) stays out, and the new environment's own site-packages comes
first on ``sys.path``. The tests check where impactlib was imported from rather than trust this.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from jupyter_core.paths import jupyter_path

from conftest import DEMO, ROOT
from impactlib import __version__

pytestmark = pytest.mark.e2e

CLIENT = "lex-partners"  # the smallest demo client
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "reports", "*.egg-info", "__pycache__",
                                    ".pytest_cache", ".hypothesis", ".ipynb_checkpoints")


def _env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess of the new environment, which must not see the checkout: no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return {**env, **extra}


def _run(args: list, cwd: Path, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The wheel built from a copy of the checkout (so no build/ folder is left in it), and pip's verbose log."""
    have = metadata.version("setuptools")
    if int(have.split(".")[0]) < 77:  # pyproject.toml's build-system floor
        pytest.fail(f"the wheel test builds with this environment's setuptools {have}; it needs >=77 (pip install -e '.[test]')")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCE)
    # this environment as it is (its setuptools), less PYTHONDONTWRITEBYTECODE, whose "byte-compiling is disabled"
    # notes would read as warnings in the log
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-v",
                 "-w", tmp / "dist", src], cwd=tmp, env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    wheels = list((tmp / "dist").glob("impactlib-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], done.stdout + done.stderr


@pytest.fixture(scope="module")
def venv(built, tmp_path_factory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed, and the `impactlib` kernel."""
    wheel, _ = built
    home = tmp_path_factory.mktemp("installed")
    env = home / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", env], cwd=home, env=_env())
    python = env / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel], cwd=home, env=_env())
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=home, env=_env()).stdout.strip()
    # the dependencies, after the install: pip must not see (or try to replace) the test environment's impactlib
    (Path(purelib) / "impactlib_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    # the same for the dependencies' Jupyter data: nbconvert's templates (the report's template extends JupyterLab's);
    # only those, not the folder itself, where the test environment's own `impactlib` kernel spec lives
    templates = next(Path(p) for p in jupyter_path("nbconvert", "templates") if (Path(p) / "lab").is_dir())
    (env / "share" / "jupyter" / "nbconvert").mkdir(parents=True)
    (env / "share" / "jupyter" / "nbconvert" / "templates").symlink_to(templates)
    _run([python, "-m", "ipykernel", "install", "--sys-prefix", "--name", "impactlib", "--display-name", "impactlib (reports)"],
         cwd=home, env=_jupyter_env(home))
    return env


def _jupyter_env(home: Path) -> dict[str, str]:
    """Jupyter's folders inside the test's own: no kernel spec of the user's, no socket in the shared /tmp."""
    folders = {name: home / name.lower() for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR",
                                                      "IPYTHONDIR", "TMPDIR")}
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    return _env(**{k: str(v) for k, v in folders.items()})


def test_the_wheel_holds_every_module_and_every_file_a_report_reads(built):
    wheel, _ = built
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "impactlib"
    modules = {p.relative_to(ROOT).as_posix() for p in package.rglob("*.py")  # every module of every subpackage
               if all((folder / "__init__.py").exists() for folder in p.parents if folder.is_relative_to(package))}
    data = {p.relative_to(ROOT).as_posix() for pattern in ("catalog/*.yaml", "catalog/*.csv", "notebooks/*.ipynb",
                                                           "report/templates/**/*")
            for p in package.glob(pattern) if p.is_file()}
    assert {"impactlib/model/client.py", "impactlib/io/folder.py", "impactlib/analysis/assess.py",
            "impactlib/report/sections.py", "impactlib/run/report.py"} <= modules
    assert {"impactlib/notebooks/client_report.ipynb", "impactlib/notebooks/comparison.ipynb",
            "impactlib/catalog/products.yaml"} <= data and any("templates/impactlib/" in d for d in data)
    assert modules - names == set(), "modules left out of the wheel"
    assert data - names == set(), "data files left out of the wheel"
    assert {n.split("/")[0] for n in names} == {"impactlib", f"impactlib-{__version__}.dist-info"}
    assert not [n for n in names if "synthetic" in n or n.startswith(("tests/", "benchmarks/"))]
    assert not [n for n in names if n.startswith("impactlib/notebooks/") and n.endswith(".py")], \
        "the paired # %% scripts are for review, not for the package"


def test_the_wheel_says_what_it_is(built):
    wheel, _ = built
    with zipfile.ZipFile(wheel) as z:
        info = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = z.read(info).decode()
        entry = z.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert f"\nVersion: {__version__}\n" in meta
    assert "\nLicense-Expression: LicenseRef-Proprietary\n" in meta
    assert re.search(r"^impactlib = impactlib\.cli:main$", entry, re.M), entry


def test_the_build_gives_no_warning(built):
    _, log = built
    warnings = [line for line in log.splitlines() if re.search(r"warn|deprecat|!!", line, re.I)]
    assert not warnings, "\n".join(warnings)


def test_impactlib_runs_from_the_installed_wheel(venv, tmp_path):
    """Every module imports in the new environment, from its site-packages, not from the checkout."""
    script = ("import importlib, json, pkgutil, impactlib\n"
              "names = [m.name for m in pkgutil.walk_packages(impactlib.__path__, 'impactlib.')]\n"
              "files = {n: importlib.import_module(n).__file__ for n in names}\n"
              "print(json.dumps({'impactlib': impactlib.__file__, 'modules': files}))\n")
    found = json.loads(_run([venv / "bin" / "python", "-c", script], cwd=tmp_path, env=_env()).stdout)
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    assert Path(found["impactlib"]).is_relative_to(site_packages), found["impactlib"]
    assert {"impactlib.model.client", "impactlib.io.folder", "impactlib.analysis.assess", "impactlib.report.sections",
            "impactlib.run.report", "impactlib.cli"} <= set(found["modules"])
    elsewhere = {n: f for n, f in found["modules"].items() if not Path(f).is_relative_to(site_packages)}
    assert not elsewhere


def test_a_demo_report_from_a_folder_outside_the_checkout(venv, tmp_path):
    """`impactlib report` of the installed package: its notebook, catalog and template come from the wheel."""
    work = tmp_path / "work"
    shutil.copytree(DEMO / CLIENT, work / "data" / "clients" / CLIENT)
    env = _jupyter_env(tmp_path)
    spec = json.loads(_run([venv / "bin" / "python", "-c",
                            "import json; from jupyter_client.kernelspec import KernelSpecManager as K; "
                            "s = K().get_kernel_spec('impactlib'); print(json.dumps(s.argv))"], cwd=work, env=env).stdout)
    assert Path(spec[0]) == venv / "bin" / "python", f"the report kernel would not run the new environment: {spec}"

    done = _run([venv / "bin" / "impactlib", "report", CLIENT], cwd=work, env=env, timeout=600)
    html = work / "reports" / CLIENT / "baseline.en.html"
    assert html.is_file(), done.stdout + done.stderr
    assert str(Path("reports") / CLIENT / "baseline.en.html") in done.stdout + done.stderr, "it says where the report is"
    assert (html.parent / "baseline.en.ipynb").is_file()
    page = html.read_text(encoding="utf-8")
    assert "Lex &amp; Partners LLP" in page
    assert "Content-Security-Policy" in page, "the report was not exported with impactlib's nbconvert template"
    assert "Plotly.newPlot" in page, "no chart drawn"
    assert not re.search(r"<script[^>]+src=\"https?:", page), "a report needs no network"
    assert "Traceback" not in page and str(ROOT) not in page

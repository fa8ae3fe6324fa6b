"""Shared fixtures: the hand-typed `tiny` client, copied so each test can break it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "clients"
DEMO = ROOT / "data" / "clients"
DEMO_CLIENTS = sorted(p.name for p in DEMO.iterdir() if p.is_dir())


def pytest_collection_modifyitems(items):
    """Markers that follow from what a test is, so that no test file has to remember them (`make check` leaves both out):
    a test that uses the `browser` fixture is a browser test; a Hypothesis property test, drawing tens of
    examples (each a client folder to load), is slow."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def key_dir(tmp_path_factory):
    """Pseudonymisation keys of the test run in a temporary folder, never in the user's ~/.config.

    Set in the environment, so CLI subprocesses and report kernels use the same keys.
    """
    with pytest.MonkeyPatch.context() as mp:
        folder = tmp_path_factory.mktemp("keys")
        mp.setenv("IMPACTLIB_KEY_DIR", str(folder))
        yield folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/clients/tiny."""
    dest = tmp_path / "clients" / "tiny"
    shutil.copytree(FIXTURES / "tiny", dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur) by ``new`` in a fixture file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def apply(folder, edits) -> None:
    """Apply (file, old, new) edits; ``old`` None writes ``new`` as a new file."""
    for name, old, new in edits:
        path = folder / name
        if old is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new, encoding="utf-8")
        else:
            edit(path, old, new)


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/clients/clean: a client with nothing to warn about."""
    dest = tmp_path / "clients" / "clean"
    shutil.copytree(FIXTURES / "clean", dest)
    return dest


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (which never downloads a browser of its own), one per test run."""
    import os

    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI (apt-get install chromium)")
        pytest.skip("no /usr/bin/chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                    "--disable-component-update", "--no-first-run"])
        yield b
        b.close()


# the two windows a report must read well in: a laptop and a phone (issue 17)
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
MIN_CHART_WIDTH = 320  # px: below this a chart is squeezed, not laid out


def layout_of(page) -> dict:
    """How a drawn page sits in its window: its scroll width, the width of every plotly chart, and the charts drawn
    wider than their own box (``clipped``: id, box and drawing widths; plotly sizes a drawing to its box when drawn, and
    a box that narrows afterwards, as a grid's first cell did before its other cells existed, cuts the drawing off)."""
    return page.evaluate("""() => ({
        window: document.documentElement.clientWidth,
        scroll: document.documentElement.scrollWidth,
        charts: [...document.querySelectorAll('.js-plotly-plot')].map(d => Math.round(d.getBoundingClientRect().width)),
        clipped: [...document.querySelectorAll('.js-plotly-plot')].map(d => [d.id, Math.round(d.getBoundingClientRect().width),
                  +(d.querySelector('svg.main-svg') || {getAttribute: () => 0}).getAttribute('width')]).filter(([, box, svg]) => svg > box + 1),
    })""")

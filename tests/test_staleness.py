"""A catalog that says when it is stale: ``impactlib catalog check`` (analysis/staleness.py) and the CATALOG-STALE info
line that replaces a blocker when the newest catalog version of a product ends before a go-live."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from conftest import ROOT, apply
from impactlib import assess, load_client
from impactlib.analysis import staleness
from impactlib.io.catalog import load_catalog

ADD_CHANGE = "rollout: phased, seats: 7}\n"


def problems(today: dt.date, months: int = 6) -> dict[tuple[str, str], tuple[str, bool]]:
    found = staleness.check(load_catalog(), today, months)
    return {(r.product_id, r.version): (r.problem, r.fails) for r in found.itertuples()}


def test_the_shipped_catalog_on_the_report_date():
    p = problems(dt.date(2026, 11, 30))
    # LibreOffice 26.2 ends on the report date and 26.8 is undated: the catalog needs its next version
    assert p[("libreoffice", "26.2")] == ("newest_ending", True)
    assert p[("libreoffice", "26.8")] == ("no_date", False)
    # history and superseded product lines are listed, never failing
    assert p[("windows-10", "22H2")] == ("ended", False) and ("windows-10", "") not in p
    assert p[("office-2016", "2016")] == ("ended", False)
    assert p[("windows-server-2016", "2016")] == ("ending", False)  # superseded by Windows Server 2025
    # a line that goes on with a later dated version: an older version ending is a client fact
    assert p[("windows-10-ltsc", "2021")] == ("ending", False)
    assert ("odoo", "19.0") not in p and p[("odoo", "20.0")] == ("no_date", False)


def test_a_product_with_no_supported_version_fails():
    # Odoo 19.0 has ended in 2029 but 20.0 is undated: the line has a version to date, not "none supported"
    p = problems(dt.date(2029, 10, 1), months=0)
    assert p[("odoo", "19.0")] == ("ended", False) and ("odoo", "") not in p
    # Windows Server 2025 (one version, no successor in the catalog) after its end: the catalog needs the next one
    p = problems(dt.date(2035, 1, 1), months=0)
    assert p[("windows-server-2025", "")] == ("no_supported_version", True)


@pytest.mark.parametrize("months, code", [(6, 1), (-1, 2)])
def test_cli_exit_codes(months, code):
    done = subprocess.run([sys.executable, "-m", "impactlib.cli", "catalog", "check", "--today", "2026-11-30", "--months", str(months)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == code, done.stderr
    if code == 1:
        assert "✗ newest_ending         libreoffice 26.2" in done.stdout and "2 problems to fix" in done.stdout


def test_cli_passes_when_nothing_is_stale():
    done = subprocess.run([sys.executable, "-m", "impactlib.cli", "catalog", "check", "--today", "2026-01-15", "--months", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout
    assert "0 problems to fix" in done.stdout


def _change(version: str, product: str = "libreoffice") -> tuple[str, str, str]:
    line = (f"  - {{id: C2, title: Office suite, action: add, product_id: {product}, version: \"{version}\", departments: [FIN], "
            "go_live: 2027-03-01, rollout: big_bang}\n")
    return ("spec.yaml", ADD_CHANGE, ADD_CHANGE + line)


def test_the_newest_catalog_version_ending_is_an_info_line_not_a_blocker(clean):
    apply(clean, [_change("26.2")])
    found = {f.id: f for f in assess(load_client(clean)).findings}
    assert found["CATALOG-STALE-C2-libreoffice"].severity == "info"
    assert "EOL-C2-libreoffice" not in found


def test_an_older_version_or_a_superseded_product_stays_a_blocker(clean):
    apply(clean, [_change("25.8")])
    found = {f.id: f for f in assess(load_client(clean)).findings}
    assert found["EOL-C2-libreoffice"].severity == "blocker" and "CATALOG-STALE-C2-libreoffice" not in found

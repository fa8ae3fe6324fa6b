"""Exports of a produced report: the PDF printed by headless Chromium, the spreadsheets written beside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from impactlib.errors import ReportError
from impactlib.analysis.assess import Analysis
from impactlib.io.files import write_table
from impactlib.report.devices import worklist_frames
from impactlib.report import departments
from impactlib.report.exports import departments_frames, findings_frames, training_frames

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def pdf(html: Path, out: Path | None = None, timeout: int = 120) -> Path:
    """Print an HTML report to PDF with headless Chromium (Debian's, or $IMPACTLIB_CHROMIUM), atomically.

    Chromium runs the page's scripts (plotly draws the charts) before printing; the report's print
    stylesheet sets the page breaks. Nothing is fetched: the report is offline and Chromium starts
    with networking features off.
    """
    html = Path(html).resolve()
    out = Path(out) if out else html.with_suffix(".pdf")
    exe = os.environ.get("IMPACTLIB_CHROMIUM") or next((p for p in map(shutil.which, CHROMIUM) if p), None)
    if not exe:
        raise ReportError("PDF export needs Chromium: install Debian's chromium package or set IMPACTLIB_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="impactlib-pdf-") as profile:
        tmp = out.with_name(f".{out.name}.tmp")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--no-pdf-header-footer", "--window-size=700,1000", f"--user-data-dir={profile}",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=20000", f"--print-to-pdf={tmp}", html.as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, text=True)
            if done.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
                raise ReportError(f"{html.name}: Chromium could not print the PDF (exit {done.returncode}): "
                                  f"{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'no output'}")
            os.replace(tmp, out)
        except subprocess.TimeoutExpired:
            raise ReportError(f"{html.name}: Chromium did not print the PDF within {timeout} s") from None
        finally:
            tmp.unlink(missing_ok=True)
    return out


def tables(an: Analysis, lang: str, folder: Path, formats: tuple[str, ...] = ()) -> list[Path]:
    """The spreadsheets of one report in ``folder``: with "xlsx" in ``formats`` the findings, the training plan and the
    Windows 11 worklist; and, whatever the formats, a big client's departments workbook, which its report names."""
    name = an.scenario
    written = []
    if "xlsx" in formats:
        written.append(write_table(findings_frames(an, lang), folder / f"{name}.{lang}.findings.xlsx"))
        written.append(write_table(training_frames(an, lang), folder / f"{name}.{lang}.training.xlsx"))
        if len(an.readiness):  # the technicians' Windows 11 worklist: verdict, failed checks, action per device group
            written.append(write_table(worklist_frames(an, lang), folder / f"{name}.{lang}.devices.xlsx"))
    if len(an.client.departments) > departments.TOP:
        # a big client: the report groups departments and names this workbook of the full tables (written even
        # without --xlsx, since the report refers to it)
        written.append(write_table(departments_frames(an, lang), folder / departments.workbook_name(name, lang)))
    return written


def in_kernel(an: Analysis, lang: str, exports: dict) -> list[str]:
    """The report template's spreadsheets (:func:`tables`), written by its kernel, which holds the analysis, into the
    folder the runner gave (``exports["folder"]``, the kernel's private folder; the runner puts the files beside the
    report once it is written); their file names, for the runner. Without a folder (the template run by hand), none."""
    if not exports.get("folder"):
        return []
    folder = Path(exports["folder"])
    folder.mkdir(mode=0o700, exist_ok=True)
    return [p.name for p in tables(an, lang, folder, tuple(exports.get("formats") or ()))]

"""Exports beside the HTML report: PDF (printed by Chromium), findings and training plan as XLSX or CSV.

Spreadsheets are opened by people who trust them, so every text cell that a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is neutralised with a
leading apostrophe (OWASP "CSV injection"). Staff appear only as counts; counts of fewer than k people
are shown as "<k". Every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from .client import Client, assumptions
from .errors import ReportError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def neutralise(value):
    """A cell value safe for a spreadsheet: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell (and header) neutralised; numbers and dates untouched."""
    out = frame.rename(columns=lambda c: neutralise(str(c)))
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise).astype(object)
    return out


def write_table(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write sheets to ``path`` (.xlsx: one sheet per frame; .csv: the first frame only), neutralised, atomically."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if path.suffix == ".csv":
            buf = io.StringIO()
            safe_frame(next(iter(frames.values()))).to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")  # RFC 4180: a CR inside a cell is quoted
            tmp.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")  # BOM: Excel reads UTF-8 correctly
        else:
            from openpyxl import Workbook
            from openpyxl.styles import Font
            from openpyxl.utils import get_column_letter

            wb = Workbook()
            wb.remove(wb.active)
            for name, frame in frames.items():
                ws = wb.create_sheet(title=name[:31])
                safe = safe_frame(frame)
                ws.append([str(c) for c in safe.columns])
                for row in safe.itertuples(index=False):
                    ws.append([_cell(v) for v in row])
                for cell in ws[1]:
                    cell.font = Font(bold=True)
                ws.freeze_panes = "A2"
                for i, col in enumerate(safe.columns, start=1):
                    width = max([len(str(col))] + [len(str(v)) for v in safe[col].head(200)])
                    ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
                # text cells stay text: openpyxl would otherwise store a string starting with '=' as a formula
                for row in ws.iter_rows(min_row=1):
                    for cell in row:
                        if isinstance(cell.value, str):
                            cell.data_type = "s"
            wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _cell(v):
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime().date() if v == v.normalize() else v.to_pydatetime()
    return v


def findings_frames(client: Client, scenario: str | None, lang: str) -> dict[str, pd.DataFrame]:
    """The client's sheets: every finding with its text, and the validation sheet to fill in."""
    from .render import finding_text
    from .rules import review
    from .text import t
    from .validation import drawbacks, validation_sheet

    name = scenario or client.profile.default_scenario
    cur = client.profile.currency
    found = review(client, name)
    drawn = drawbacks(client, name)
    rows = [{t("col.ref", lang): f.id, t("col.severity", lang): t("sev." + f.severity, lang),
             "likelihood": f.likelihood, "impact": f.impact, t("col.category", lang): t("cat." + f.category, lang),
             t("col.change", lang): f.change_id or "", t("col.finding", lang): finding_text(f, "title", lang, cur),
             t("evidence", lang): finding_text(f, "evidence", lang, cur), t("recommendation", lang): finding_text(f, "advice", lang, cur)}
            for f in found]
    sheet = validation_sheet(client, name, found, drawn)
    by_id = {f.id: f for f in found}
    titles = dict(zip(drawn["id"], drawn["title"]))
    val = pd.DataFrame({
        t("col.ref", lang): sheet["id"],
        t("col.severity", lang): [t("sev." + s, lang) if s else "" for s in sheet["severity"]],
        t("col.finding", lang): [finding_text(by_id[i], "title", lang, cur) if k == "finding" else t("drawback_of", lang, change=titles[i])
                                 for i, k in zip(sheet["id"], sheet["kind"])],
        t("col.status", lang): [t("status." + s, lang) for s in sheet["status"]],
        t("col.by", lang): sheet["decided_by"], t("col.on", lang): sheet["decided_on"], t("col.comment", lang): sheet["comment"],
    })
    return {t("warnings", lang).split(". ", 1)[-1]: pd.DataFrame(rows), t("validation", lang): val}


def training_frames(client: Client, scenario: str | None, lang: str) -> dict[str, pd.DataFrame]:
    """HR's sheets: sessions per change, department and course (participants under k shown as "<k", and
    the figures they follow from as "—"), and the provider's trainer-hours per month."""
    from . import training
    from .text import t

    name = scenario or client.profile.default_scenario
    k = assumptions(client, name).k_anonymity
    plan = training.sessions(client, name)
    depts = client.departments.set_index("department_id")["name"]
    people = plan["participants"].map(lambda n: int(n) if n >= k else f"<{k}").astype(object)
    # participant hours, cost and one-to-one trainer hours are multiples of the participants: hidden with them
    small = (plan["participants"] < k).to_numpy()
    hide = lambda col, where=small: plan[col].astype(object).mask(where, "—")  # noqa: E731
    coaching = small & (plan["format"] == "coaching").to_numpy()
    sessions = pd.DataFrame({
        t("col.change", lang): plan["change_id"], t("col.department", lang): plan["department_id"].map(depts),
        "wave": plan["wave"], "course_id": plan["course_id"],
        "skill_id": plan["skill_id"], "format": plan["format"], "participants": people, t("col.sessions", lang): plan["sessions"],
        "hours": plan["hours"], t("col.participant_hours", lang): hide("participant_hours"), t("col.cost", lang): hide("cost"),
        t("col.trainer_hours", lang): hide("trainer_hours", coaching), "date": plan["date"], t("col.late", lang): plan["late"],
    })
    months = training.trainer_hours_by_month(plan)
    return {t("skills_training", lang).split(". ", 1)[-1][:31]: sessions, t("trainer_months", lang)[:31]: months}


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
               "--disable-component-update", "--no-first-run", "--no-pdf-header-footer", f"--user-data-dir={profile}",
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


def export(client: Client, scenario: str | None, lang: str, folder: Path, html: Path | None = None,
           formats: tuple[str, ...] = ("pdf", "xlsx")) -> list[Path]:
    """Write the requested exports of one report next to it; returns the paths written."""
    name = scenario or client.profile.default_scenario
    written = []
    if "pdf" in formats and html is not None:
        written.append(pdf(html))
    if "xlsx" in formats:
        written.append(write_table(findings_frames(client, name, lang), folder / f"{name}.{lang}.findings.xlsx"))
        written.append(write_table(training_frames(client, name, lang), folder / f"{name}.{lang}.training.xlsx"))
    return written

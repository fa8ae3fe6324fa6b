"""Exports: PDF printed by Chromium, findings and training plan as XLSX/CSV with formulas neutralised."""

from __future__ import annotations

import re
import shutil
import unicodedata
import subprocess
import sys

import openpyxl
from openpyxl.utils.escape import unescape
import pandas as pd
import pytest

from conftest import DEMO, FIXTURES, ROOT, edit
from impactlib import assess, load_client
from impactlib.io.files import FORMULA_START, neutralise, write_table
from impactlib.report import exports
from impactlib.report.text import t
from impactlib.run import report
from impactlib.run.exports import pdf, tables

PAYLOADS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=evil", "\r=evil", "=HYPERLINK(\"http://x\",\"y\")"]


@pytest.mark.parametrize("value", PAYLOADS)
def test_formula_starts_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "1+1", "a=b", "", "'quoted", 12, 3.5, None])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_written_sheets_hold_no_formula(tmp_path, suffix):
    frame = pd.DataFrame({"=header": PAYLOADS, "n": range(len(PAYLOADS))})
    path = write_table({"sheet": frame}, tmp_path / f"t{suffix}")
    if suffix == ".xlsx":
        ws = openpyxl.load_workbook(path).active
        cells = [c for row in ws.iter_rows() for c in row]
        assert all(c.data_type != "f" for c in cells)
        # XlsxWriter stores a lone CR as OOXML's escape _x000D_ (which Excel and LibreOffice show as the CR itself,
        # and openpyxl leaves escaped): either way the cell starts with the apostrophe
        assert ws["A1"].value == "'=header" and [unescape(ws.cell(i + 2, 1).value) for i in range(len(PAYLOADS))] == [
            "'" + p for p in PAYLOADS]
        assert ws["B3"].value == 1  # numbers stay numbers
    else:
        back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(back.columns) == ["'=header", "n"]
        assert list(back["'=header"]) == ["'" + p for p in PAYLOADS]
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_client_text_with_formulas_is_neutralised_in_the_findings_export(tiny, tmp_path):
    edit(tiny / "spec.yaml", "title: ", "title: =HYPERLINK(\"http://evil\") ")
    an = assess(load_client(tiny))
    path = write_table(exports.findings_frames(an, "en"), tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    assert not [v for v in texts if v.startswith(FORMULA_START)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_findings_and_training_exports_match_the_analysis(tmp_path, lang):
    an = assess(load_client(DEMO / "acme-industrie"), "baseline")
    found = an.findings
    paths = tables(an, lang, tmp_path, ("xlsx",))
    assert [p.name for p in paths] == [f"baseline.{lang}.findings.xlsx", f"baseline.{lang}.training.xlsx",
                                       f"baseline.{lang}.devices.xlsx"]
    # the technicians' Windows 11 worklist: one row per device group, its verdict and action as the analysis says
    work = openpyxl.load_workbook(paths[2]).worksheets[0]
    head = [c.value for c in work[1]]
    got = {r[0]: dict(zip(head, r)) for r in work.iter_rows(min_row=2, values_only=True)}
    ready = an.readiness.set_index("asset_id")
    assert set(got) == set(ready.index)
    verdict, action = t("dev.col.verdict", lang), t("dev.col.action", lang)
    assert got["PC-ATELIER"][verdict] == t("dev.verdict.firmware", lang) and got["PC-ATELIER"][action] == t("option.firmware", lang)
    assert got["PC-LOT2016"][t("col.checks_failed", lang)] == t("check.cpu", lang) and got["PC-LOT2016"][action].startswith(t("option.replace", lang))
    assert got["PC-CN"][action] == t("option.iot_ltsc", lang)
    wb = openpyxl.load_workbook(paths[0])
    findings, sheet = wb.worksheets
    assert findings.max_row - 1 == len(found)
    assert {findings.cell(i, 1).value for i in range(2, findings.max_row + 1)} == {f.id for f in found}
    assert sheet.max_row - 1 > 0 and {"accepted", "pending"} <= {("accepted" if v in ("accepted", "accepté") else "pending" if v in ("pending", "en attente") else v)
                                                                   for v in (sheet.cell(i, 4).value for i in range(2, sheet.max_row + 1))}
    plan = openpyxl.load_workbook(paths[1]).worksheets[0]
    header = [c.value for c in plan[1]]
    people = [plan.cell(i, header.index("participants") + 1).value for i in range(2, plan.max_row + 1)]
    k = 5
    assert all((isinstance(p, int) and p >= k) or p == f"<{k}" for p in people)  # no group under k shown as a number
    assert "<5" in people and any(isinstance(p, int) for p in people)


def test_no_staff_name_reaches_an_export(tmp_path):
    staff = pd.read_csv(DEMO / "lex-partners" / "staff.csv", dtype=str)
    secrets = [v for col in ("name", "email") if col in staff for v in staff[col].dropna()]
    assert secrets
    an = assess(load_client(DEMO / "lex-partners"))
    for path in tables(an, "en", tmp_path, ("xlsx",)):
        wb = openpyxl.load_workbook(path)
        text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
        assert not [s for s in secrets if s in text]


@pytest.mark.e2e
@pytest.mark.browser
def test_pdf_is_printed_with_the_summary_and_every_chart(tmp_path):
    from pypdf import PdfReader

    done = report.run(FIXTURES / "tiny", None, "fr", tmp_path)
    printed = pdf(done.html)
    reader = PdfReader(printed)
    assert printed.name == "baseline.fr.pdf" and 4 <= len(reader.pages) <= 60
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}  # A4 portrait
    first = reader.pages[0].extract_text()
    assert "Étude d'impact" in first  # the cover, alone on its page
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
    for key in ("summary", "confidentiality", "appendix", "chart.risk.x", "chart.risk.y"):
        assert t(key, "fr") in text, key  # sections, and plotly's SVG axis titles: charts are drawn before printing
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith(".")) == []


# words the print once broke mid-word ("bloc|ker", "acc|ept|ed", "en atte|nte"), as the French report prints them
UNBROKEN = ["bloquant", "attente", "Décision", "Gravité", "Référence", "Commentaire", "Évolution", "Déploiement",
            "incompatibilité", "Réf.", "Périmètre"]
SIGN_BOX_PT = 90 * 0.75  # the signature box: 90 CSS px high = 67.5 pt


@pytest.mark.e2e
@pytest.mark.browser
def test_printed_report_has_page_numbers_contents_whole_words_and_a_whole_signature_block(tmp_path):
    from pypdf import PdfReader

    done = report.run(DEMO / "acme-industrie", "baseline", "fr", tmp_path)
    reader = PdfReader(pdf(done.html))
    pages = [unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages]
    n = len(pages)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}
    # a running footer on every page but the cover: the client, the scenario and "Page i sur n"
    assert "Page 1 sur" not in pages[0]
    for i, text in enumerate(pages[1:], start=2):
        assert f"Page {i} sur {n}" in text and "Acme Industrie SAS — Cahier des charges tel que rédigé" in text, i
    # no blank page: each carries more than its footer
    footer = re.compile(r"Page \d+ sur \d+|Acme Industrie SAS — Cahier des charges tel que rédigé")
    assert [i + 1 for i, text in enumerate(pages) if len(footer.sub("", text).strip()) < 40] == []
    # the contents list, after the cover and the executive summary, names the sections
    [toc] = [i for i, text in enumerate(pages) if "Sommaire" in text[:200]]
    assert 1 <= toc <= 6 and "Synthèse" in pages[1]
    for title in ("Synthèse", "1. Votre besoin", "2. Mises en garde", "Fiche de validation", "Annexe"):
        assert title in pages[toc], title
    # words wrap whole (or hyphenated by the page's language), never split without a hyphen
    whole = "\n".join(pages)
    for word in UNBROKEN:
        assert word in whole, word
        splits = [word[:i] + "\n" + word[i:] for i in range(2, len(word) - 1)]
        assert [s for s in splits if s in whole] == [], word
    # the signature block: its label on the sheet's last page with room below it for the box, before section 3
    label = "Pour le client — nom, fonction, date et signature"
    [at] = [i for i, text in enumerate(pages) if label in text]
    assert "Fiche de validation" in "".join(pages[at - 3:at + 1]) and "3. Conseil" not in pages[at]
    ys = []
    # the label's baseline in page space (points from the bottom): the text matrix's origin through the current matrix
    reader.pages[at].extract_text(visitor_text=lambda text, cm, tm, font, size: ys.append(cm[1] * tm[4] + cm[3] * tm[5] + cm[5])
                                  if "Pour le client" in text else None)
    bottom_margin = 14 / 25.4 * 72  # @page margin 14 mm
    assert ys and 0 < min(ys) < 842 and min(ys) - bottom_margin > SIGN_BOX_PT, ys  # the box fits under its label, same page
    assert pages[at + 1].lstrip().startswith("3. Conseil") or "3. Conseil" in pages[at + 1][:200]


def test_pdf_without_chromium_is_a_clear_error(tmp_path, monkeypatch):
    html = tmp_path / "r.html"
    html.write_text("<html></html>")
    monkeypatch.setenv("IMPACTLIB_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(Exception) as e:
        pdf(html)
    assert "no-such-chromium" in str(e.value) or "Chromium" in str(e.value)
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.e2e
def test_cli_report_writes_the_exports(tmp_path):
    data = tmp_path / "clients"
    shutil.copytree(FIXTURES / "tiny", data / "tiny")
    out = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "impactlib.cli", "--data-dir", str(data), "report", "tiny", "--out", str(out),
                        "--pdf", "--xlsx", "--lang", "en"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in (out / "tiny").iterdir())
    assert names == ["baseline.en.devices.xlsx", "baseline.en.findings.xlsx", "baseline.en.html", "baseline.en.ipynb", "baseline.en.pdf", "baseline.en.training.xlsx"]

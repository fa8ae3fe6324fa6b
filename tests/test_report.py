"""The report end to end: papermill runs the notebook, nbconvert exports offline HTML with drawn charts."""

from __future__ import annotations

import datetime as dt
import os
import json
import re
from pathlib import Path

import pytest

from conftest import DEMO, FIXTURES, MIN_CHART_WIDTH, VIEWPORTS, edit, layout_of
from impactlib.errors import BadRequest, CellError, InvalidInput
from impactlib.run import kernels, report

pytestmark = pytest.mark.e2e
# timeline, OS support, usage, flow, risk, impact, load, gaps, training, device options, protection baseline, cost,
# cumulative cost, scenarios (a client with no device touched by a Windows 11 change has no device-options chart)
CHARTS = 14
SECTIONS = ["cover", "exec-summary", "needs", "overview", "warnings", "drawbacks", "validation", "advice", "training",
            "staffing", "reorg", "systems", "costs", "horizon", "objectives", "effort", "comparison", "confidentiality", "appendix"]
NETWORK_REF = re.compile(r"<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.I)


def kernel_folders(tmp: Path) -> set[Path]:
    """Kernel socket folders in ``tmp`` (a test's private temporary folder)."""
    return set(tmp.glob("impactlib-kernel-*")) | set(tmp.glob("impactlib-iopub-*"))


def private_tmp(mp: pytest.MonkeyPatch, folder: Path) -> Path:
    """Make ``folder`` the temporary folder of this process and of the kernels it starts (TMPDIR), and the
    Jupyter runtime folder: a leftover check then judges only what this test left, never a shared /tmp."""
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    mp.setenv("TMPDIR", str(folder))
    mp.setenv("JUPYTER_RUNTIME_DIR", str(folder / "runtime"))
    mp.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    """The reports of the tiny client and the three demo clients, made with a private temporary folder."""
    root = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        tmp = private_tmp(mp, root / "tmp")
        out = root / "reports"
        yield {"tmp": tmp,
               "tiny": report.run(FIXTURES / "tiny", None, "en", out),
               "acme": report.run(DEMO / "acme-industrie", "phased", "fr", out),
               "cabinet": report.run(DEMO / "cabinet-medical-rives", None, None, out),
               "lex": report.run(DEMO / "lex-partners", None, None, out)}


def no_kernel(monkeypatch) -> None:
    """Fail the test if a kernel is created."""
    monkeypatch.setattr(kernels.Kernel, "__init__", lambda *a, **k: pytest.fail("a kernel was started"))


@pytest.mark.parametrize("which,folder,scenario", [("acme", "acme-industrie", "phased"), ("cabinet", "cabinet-medical-rives", None),
                                                   ("lex", "lex-partners", None)])
def test_every_finding_and_drawback_is_in_the_report(produced, which, folder, scenario):
    from impactlib import assess, load_client
    html = produced[which].html.read_text(encoding="utf-8")
    client = load_client(DEMO / folder)
    an = assess(client, scenario)
    ids = [f.id for f in an.findings] + list(an.drawbacks["id"])
    assert ids and [i for i in ids if f"<code>{i}</code>" not in html] == []
    for heading in ("2. Mises en garde", "Fiche de validation") if client.profile.language == "fr" else ("2. Warnings", "Validation sheet"):
        assert heading in html


def staff_identities(folder: Path) -> list[str]:
    import csv
    with open(folder / "staff.csv", encoding="utf-8") as f:
        return [v for row in csv.DictReader(f) for v in (row.get("name"), row.get("email")) if v]


@pytest.mark.parametrize("which", ["tiny", "acme", "cabinet", "lex"])
def test_html_is_offline_with_drawn_charts_and_no_code(produced, which):
    html = produced[which].html.read_text(encoding="utf-8")
    divs = html.count('class="plotly-graph-div"')
    assert divs == CHARTS
    assert html.count("Plotly.newPlot(") == divs  # each chart is drawn by script, not left as JSON
    assert "plotly.js v" in html[: html.index("</head>")]  # plotly.js embedded once, in the head
    assert NETWORK_REF.search(html) is None  # nothing loaded from the network (no CDN require.js/MathJax/plotly)
    assert 'class="jp-InputArea' not in html and 'class="jp-CodeMirror' not in html and "load_client(" not in html  # no code
    assert "Traceback" not in html and 'class="out text"' not in html  # no error, no stderr
    assert 'Content-Security-Policy' in html
    assert "headline of the report" not in html and "vnd.impactlib.headline" not in html  # the runner's cell is not the reader's
    assert "jp-InputPrompt" not in html and "--jp-" not in html  # no JupyterLab stylesheet: the report's own only


@pytest.mark.parametrize("which", ["tiny", "acme", "cabinet", "lex"])
def test_report_has_every_section_in_order_and_every_chart_a_reading(produced, which):
    html = produced[which].html.read_text(encoding="utf-8")
    at = [html.find(f'<section class="{name}"') for name in SECTIONS]
    assert -1 not in at, [n for n, i in zip(SECTIONS, at) if i == -1]
    assert at == sorted(at)
    readings = re.findall(r'<figure class="chart(?: wide)?">.*?<figcaption>(.*?)</figcaption>', html, re.S)  # wide: scrolls in its box
    assert len(readings) == CHARTS and all(len(r) > 40 for r in readings)
    assert re.search(r'class="verdict verdict-(go|go_with_conditions|not_ready)"', html)


def test_report_language_and_locale_formats(produced):
    fr = produced["acme"].html.read_text(encoding="utf-8")
    assert '<html lang="fr">' in fr and "Votre besoin" in fr
    assert "95\u00a0000\u00a0€" in fr or "95\u202f000\u00a0€" in fr  # French grouping and currency placement
    en = produced["tiny"].html.read_text(encoding="utf-8")
    assert '<html lang="en">' in en and "Your needs" in en and "€12,000" in en


@pytest.mark.parametrize("which,folder", [("tiny", FIXTURES / "tiny"), ("acme", DEMO / "acme-industrie")])
def test_no_staff_name_or_email_in_outputs(produced, which, folder):
    names = staff_identities(folder)
    assert names, "the fixture must hold names to make this test meaningful"
    for path in (produced[which].html, produced[which].notebook):
        text = path.read_text(encoding="utf-8")
        assert [n for n in names if n in text] == []


def test_outputs_are_complete_and_nothing_temporary_is_left(produced):
    r = produced["acme"]
    assert r.html.name == "phased.fr.html" and r.notebook.name == "phased.fr.ipynb"
    nb = json.loads(r.notebook.read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"]["scenario"] == "phased"
    assert [p.name for p in r.html.parent.iterdir() if ".tmp" in p.name or p.name.startswith(".")] == []


def test_unknown_scenario_or_language_fails_before_any_kernel(tmp_path, monkeypatch):
    no_kernel(monkeypatch)
    with pytest.raises(BadRequest, match=r"no scenario 'nope'; available: baseline, later"):
        report.run(FIXTURES / "tiny", "nope", "en", tmp_path)
    with pytest.raises(BadRequest, match=r"no language 'de'; available: en, fr"):
        report.run(FIXTURES / "tiny", None, "de", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_bad_client_fails_before_any_kernel_and_writes_nothing(tiny, tmp_path, monkeypatch):
    no_kernel(monkeypatch)
    edit(tiny / "staff.csv", "S4,OPS", "S4,NOPE")
    with pytest.raises(InvalidInput) as e:
        report.run(tiny, None, "en", tmp_path / "out")
    assert "tiny/staff.csv, row 5, column department_id" in str(e.value)
    assert not (tmp_path / "out").exists()


def test_a_big_clients_kernel_starts_during_the_preflight_and_is_closed_if_refused(tiny, tmp_path, monkeypatch):
    """A client folder of EARLY_KERNEL_BYTES or more gets its kernel started while its files are read and checked; when
    the pre-flight refuses the client, that kernel is closed (no process, no private folder left); a small folder's
    report starts none before its pre-flight (the test above)."""
    started, pids = [], []
    real = report.start_kernel

    def start(name):
        started.append(real(name))
        pids.append(started[-1].km.provisioner.pid)  # the kernel's process, while it runs
        return started[-1]

    monkeypatch.setattr(report, "start_kernel", start)
    monkeypatch.setattr(report, "EARLY_KERNEL_BYTES", 0)
    edit(tiny / "staff.csv", "S4,OPS", "S4,NOPE")
    with pytest.raises(InvalidInput, match="tiny/staff.csv, row 5, column department_id"):
        report.run(tiny, None, "en", tmp_path / "out")
    assert len(started) == 1 and started[0].closed and not Path(started[0].folder).exists()
    assert pids[0] and (not Path(f"/proc/{pids[0]}").exists() or "zombie" in Path(f"/proc/{pids[0]}/status").read_text())
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("params,message", [
    ({"client": "tiny", "colour": "red"}, "unknown parameter 'colour'"),
    ({"client": "tiny", "lang": 3}, "parameter 'lang' must be str"),
    ({"client": "tiny", "known": "{}"}, "parameter 'known' must be dict"),
])
def test_parameters_are_checked_against_the_notebook(params, message):
    with pytest.raises(BadRequest, match=message):
        report.check_parameters(params)


def test_preflight_of_a_batch_report_refuses_bad_requests_by_type(tmp_path):
    """The one pre-flight: the same typed errors for a batch's report as for ``impactlib report``."""
    from impactlib.run.runner import Options, Task

    opts = Options(out=str(tmp_path)).resolved()
    tiny = str(FIXTURES / "tiny")
    with pytest.raises(BadRequest, match="no scenario 'zzz'"):
        report.preflight(Task("tiny", tiny, "zzz", "en"), opts)
    with pytest.raises(BadRequest, match="no language 'de'"):
        report.preflight(Task("tiny", tiny, "baseline", "de"), opts)
    client, params = report.preflight(Task("tiny", tiny, "later", "en"), opts)
    assert params["scenario"] == "later" and params["known"] == {} and client.id == "tiny"
    assert list(tmp_path.iterdir()) == []


def test_failing_cell_keeps_the_previous_report_and_the_failed_notebook(tmp_path):
    nb = json.loads(report.TEMPLATE.read_text(encoding="utf-8"))
    nb["cells"].insert(3, {"cell_type": "code", "execution_count": None, "id": "boom", "metadata": {}, "outputs": [],
                           "source": "raise ValueError('boom')"})
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(nb), encoding="utf-8")
    previous = tmp_path / "out" / "tiny" / "baseline.en.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("previous report", encoding="utf-8")
    with pytest.raises(CellError, match=r"cell 4, line 1 \(raise ValueError\('boom'\)\) raised ValueError: boom"):
        report.run(FIXTURES / "tiny", None, "en", tmp_path / "out", template=broken)
    assert previous.read_text(encoding="utf-8") == "previous report"
    left = sorted(p.name for p in previous.parent.iterdir())
    assert left == ["baseline.en.failed.ipynb", "baseline.en.html"]


def test_client_text_is_escaped(tiny, tmp_path):
    edit(tiny / "client.yaml", "name: Tiny Test SARL", "name: '<script>alert(1)</script> & Co'")
    edit(tiny / "spec.yaml", "text: Fast and intuitive tools", "text: '<img src=x onerror=alert(2)>'")
    html = report.run(tiny, None, "en", tmp_path).html.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_no_kernel_or_socket_left_behind(produced):
    import psutil
    # kernels this test process started (others' kernels on a shared machine are not ours to judge)
    running = [p.pid for p in psutil.Process().children(recursive=True)
               if any(a in ("ipykernel_launcher", "impactlib.run.kernel") for a in p.cmdline())]
    assert running == []
    # the reports ran with a private temporary folder: whatever their kernels left would be there
    assert sorted(p.name for p in produced["tmp"].iterdir() if p.name != "runtime") == []


@pytest.mark.browser
@pytest.mark.parametrize("which", ["tiny", "acme", "cabinet", "lex"])
def test_report_in_chromium_draws_every_chart_offline(produced, browser, which):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
               else (requests.append(r.request.url), r.abort()))
    page.goto(produced[which].html.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.plotly-graph-div .main-svg').length >= {CHARTS}", timeout=20000)
    charts = page.locator(".plotly-graph-div")
    assert charts.count() == CHARTS
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg.main-svg").count() >= 1
        assert charts.nth(i).bounding_box()["height"] > 150
    assert page.locator("h1").first.is_visible()
    assert requests == [] and errors == []
    # the executive summary's verdict and KPI tiles are above the fold of a 1280×900 window
    page.evaluate("window.scrollTo(0, 0)")
    for selector in (".exec-summary h2", ".verdict-word", ".exec-summary .kpi"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, selector
    shots = Path(__file__).resolve().parent.parent / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{which}-summary.png"))
    page.screenshot(path=str(shots / f"{which}.png"), full_page=True)
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("which", ["acme", "lex"])
def test_report_reads_on_a_laptop_and_a_phone(produced, browser, which, size):
    """No sideways scrolling of the page; every chart at least MIN_CHART_WIDTH wide (a wide one scrolls in its own
    box instead); chart titles in the page; French date axes in French."""
    page = browser.new_page(viewport=VIEWPORTS[size])
    page.goto(produced[which].html.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.plotly-graph-div .main-svg').length >= {CHARTS}", timeout=20000)
    page.wait_for_timeout(500)  # responsive charts settle to their box
    seen = layout_of(page)
    assert seen["scroll"] <= seen["window"], seen  # nothing pushes the page sideways
    assert len(seen["charts"]) == CHARTS and min(seen["charts"]) >= MIN_CHART_WIDTH, seen
    assert seen["clipped"] == [], seen  # every chart drawn within its own box
    if size == "desktop":
        assert min(seen["charts"]) >= 900, seen  # a laptop shows every chart at the text's full width
    assert page.locator("figure.chart .chart-title").count() >= CHARTS - 1  # the comparison's subplots carry their own
    for table in page.locator("table").all():  # a table wider than the window scrolls inside its own box
        box = table.bounding_box()
        assert box is None or box["x"] + box["width"] <= seen["window"] + 1, box
    ticks = page.locator(".plotly-graph-div .xtick text").all_text_contents()
    english_months = [x for x in ticks if re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", x)]
    french_months = [x for x in ticks if re.search(r"(?<!\w)(janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.)(?!\w)", x)]
    values = page.locator(".plotly-graph-div .xtick text, .plotly-graph-div .ytick text").all_text_contents()
    assert [v for v in values if re.fullmatch(r"[\d.,\s\u202f\u00a0]+[kMGB]", v)] == []  # amounts in full, no "300k"
    assert any(re.fullmatch(r"\d{1,3}([,\s\u202f\u00a0]\d{3})+", v) for v in values), values  # grouped as the locale groups
    if which == "acme":  # the French report
        assert french_months and not english_months, ticks
    else:
        assert english_months and not french_months, ticks
    shots = Path(__file__).resolve().parent.parent / "reports" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{which}-{size}.png"), full_page=True)
    page.close()


def test_comparison_report_puts_scenarios_side_by_side(tmp_path):
    done = report.run_comparison(DEMO / "lex-partners", ["baseline", "replace-laptops"], "en", tmp_path)
    assert done.html.name == "compare.baseline+replace-laptops.en.html" and done.notebook.is_file()
    html = done.html.read_text(encoding="utf-8")
    assert html.count('class="plotly-graph-div"') == 1 and html.count('class="cmp-col"') == 2
    assert html.count('class="verdict verdict-') == 2 and "Warnings that differ between scenarios" in html
    from impactlib import assess, load_client

    c = load_client(DEMO / "lex-partners")
    for name in ("baseline", "replace-laptops"):  # the same figures as each scenario's own report
        # the tile shows the one-off spend estimate, assessed on the report's date (today: the runner's report_date)
        spend = assess(c, name, as_of=dt.date.today()).headline["spend_base"]
        assert f"€{spend:,.0f}" in html


@pytest.mark.parametrize("scenarios, message", [(["baseline"], "two or more"), (["baseline", "baseline"], "two or more"),
                                                (["baseline", "nope"], "unknown: nope"), (["nope", "baseline"], "no scenario 'nope'")])
def test_comparison_of_unknown_or_single_scenarios_fails_before_any_kernel(tmp_path, monkeypatch, scenarios, message):
    no_kernel(monkeypatch)
    with pytest.raises(BadRequest, match=message) as e:
        report.run_comparison(DEMO / "lex-partners", scenarios, "en", tmp_path)
    assert "available: baseline, replace-laptops" in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_the_runner_takes_only_plain_spreadsheet_names_from_the_kernels_folder(tmp_path):
    """The kernel's headline record names the spreadsheets it wrote; the runner reads only plain .xlsx names of files in
    the folder it gave the kernel: a name with a path, another extension or no such file is left out."""
    from impactlib.run import runner

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "baseline.en.departments.xlsx").write_bytes(b"x")
    (folder / "notes.txt").write_bytes(b"y")
    (tmp_path / "outside.xlsx").write_bytes(b"z")
    params = {runner.EXPORTS: {"folder": str(folder), "formats": []}}
    named = ["baseline.en.departments.xlsx", "../outside.xlsx", str(tmp_path / "outside.xlsx"), "notes.txt", "absent.xlsx"]
    assert runner._written_tables(params, {"exports": named}) == {"baseline.en.departments.xlsx": b"x"}
    assert runner._written_tables({}, {"exports": named}) == {}  # no folder given: nothing taken
    assert runner._written_tables(params, None) == {}  # a failed report: nothing taken


def _tree(node):
    """A node as (type, ordered items) all the way down: what NotebookNode equality does not compare."""
    if isinstance(node, dict):
        return type(node).__name__, [(k, _tree(v)) for k, v in node.items()]
    if isinstance(node, list):
        return "list", [_tree(v) for v in node]
    return node


OUTPUT_MESSAGES = [
    ("display_data", {"data": {"text/html": "<p>x</p>", "application/vnd.plotly.v1+json": {"data": [{"x": [1]}]}},
                      "metadata": {"k": {"w": 1}}}),
    ("execute_result", {"data": {"text/plain": "1"}, "metadata": {}, "execution_count": 3}),
    ("stream", {"name": "stderr", "text": "a warning\n"}),
    ("error", {"ename": "ValueError", "evalue": "no", "traceback": ["Cell In[3], line 2", "ValueError: no"]}),
]


@pytest.mark.parametrize("kind, content", OUTPUT_MESSAGES)
def test_an_output_is_the_node_nbformat_makes_checked_by_the_same_schema(kind, content):
    """The runner's outputs (runner.output_node, fastjsonschema) are nbformat.v4.output_from_msg's (jsonschema): the same
    NotebookNodes, keys in the same order, and the same outputs refused."""
    import copy

    from nbformat import ValidationError
    from nbformat.v4 import output_from_msg

    from impactlib.run import runner

    msg = {"header": {"msg_type": kind}, "parent_header": {}, "content": content}
    assert _tree(runner.output_node(copy.deepcopy(msg))) == _tree(output_from_msg(copy.deepcopy(msg)))
    first = next(iter(content))
    bad = {**msg, "content": {**content, first: 7 if first != "execution_count" else "seven"}}
    for make in (runner.output_node, output_from_msg):
        with pytest.raises(ValidationError):
            make(copy.deepcopy(bad))


def test_the_report_client_takes_outputs_as_nbclient_does():
    """report_client() overrides NotebookClient.output for the installed nbclient only; an output is appended to the
    cell's as nbclient's own output() does, and one with a display id goes through nbclient's (its display-id map)."""
    import nbclient
    from nbformat.v4 import new_code_cell, new_notebook

    from impactlib.run import runner

    client = runner.report_client()(new_notebook(cells=[new_code_cell()]))
    client.reset_execution_trackers()  # as nbclient does before a notebook runs
    client.clear_before_next_output = False  # and before each cell
    assert isinstance(client, nbclient.NotebookClient)
    assert nbclient.__version__.startswith(runner._OUTPUT_CHECKED), "check ReportClient.output against this nbclient"
    kind, content = OUTPUT_MESSAGES[0]
    msg = {"header": {"msg_type": kind}, "msg_type": kind, "parent_header": {"msg_id": "m"}, "content": content}
    mine, theirs = [], []
    assert client.output(mine, msg, None, 0) is mine[0]
    nbclient.NotebookClient.output(client, theirs, msg, None, 0)
    assert _tree(mine) == _tree(theirs)
    client.output(mine, msg, "d1", 0)
    assert client._display_id_map == {"d1": {0: [1]}}


def test_the_exporter_is_built_ahead_in_a_thread_and_a_failure_is_left_to_get(monkeypatch):
    import threading

    from impactlib.run import runner

    monkeypatch.setattr(runner.Exporter, "_one", None)
    runner.Exporter.prepare()
    for t in [t for t in threading.enumerate() if t.name == "impactlib-exporter"]:
        t.join(timeout=60)
    built = runner.Exporter._one
    assert built is not None and runner.Exporter.get() is built  # built once, by the thread

    def broken(self):
        raise RuntimeError("no template")

    monkeypatch.setattr(runner.Exporter, "_one", None)
    monkeypatch.setattr(runner.Exporter, "__init__", broken)
    seen = []
    monkeypatch.setattr(threading, "excepthook", seen.append)
    runner.Exporter.prepare()
    for t in [t for t in threading.enumerate() if t.name == "impactlib-exporter"]:
        t.join(timeout=60)
    assert seen == [] and runner.Exporter._one is None  # nothing raised in the thread, nothing kept
    with pytest.raises(RuntimeError, match="no template"):
        runner.Exporter.get()  # raised where the report's HTML is made


def test_a_single_big_report_has_its_other_scenarios_assessed_by_a_forked_child(tmp_path, monkeypatch):
    """A single report whose kernel started during the pre-flight (a big client's: here any client, the threshold set
    to 0) lets its kernel fork to assess the other scenarios (run/ahead.py): the report reads as the one assessed in
    the kernel alone, nothing is left running."""
    import importlib.util
    import subprocess

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("report_text_diff", ROOT / "tools" / "report_text_diff.py")
    diff = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(diff)
    seen = lambda p: (diff.visible_text(p.read_text(encoding="utf-8")), diff.chart_data(p.read_text(encoding="utf-8")))  # noqa: E731

    monkeypatch.setattr(report, "EARLY_KERNEL_BYTES", 0)
    forked = report.run(DEMO / "acme-industrie", "baseline", "en", tmp_path / "forked")
    injected = next(c for c in json.loads(forked.notebook.read_text(encoding="utf-8"))["cells"]
                    if "injected-parameters" in c["metadata"].get("tags", []))
    assert "parallel = True" in "".join(injected["source"])
    monkeypatch.setattr(report, "EARLY_KERNEL_BYTES", 10**15)
    alone = report.run(DEMO / "acme-industrie", "baseline", "en", tmp_path / "alone")
    injected = next(c for c in json.loads(alone.notebook.read_text(encoding="utf-8"))["cells"]
                    if "injected-parameters" in c["metadata"].get("tags", []))
    assert "parallel" not in "".join(injected["source"])
    assert seen(forked.html) == seen(alone.html)
    left = subprocess.run(["pgrep", "-f", "impactlib.run.kernel", "-P", str(os.getpid())], capture_output=True, text=True)
    assert left.stdout.strip() == ""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_usage_reading_names_the_most_used_system_as_a_groupby_ranks_it(lang):
    from impactlib import assess, load_client
    from impactlib import report as sections
    from impactlib.report.text import number, t

    for folder in sorted(p for p in DEMO.iterdir() if (p / "spec.yaml").exists()):
        an = assess(load_client(folder))
        per = an.usage_matrix.groupby("system").agg(users=("users", "sum"), depts=("department_id", "nunique"))
        top = per.sort_values("users", ascending=False).iloc[0]
        expected = t("chart.usage.read", lang, system=top.name, users=number(int(top["users"]), lang), depts=int(top["depts"]))
        assert sections.usage_chart(an, lang).reading.startswith(expected), folder.name


PIVOTED = {"department": ["FIN", "FIN", "OPS", "OPS", "OPS", "HR"], "column": ["b", "a", "a", "a", "c", "c"],
           "number": [1.5, 2.0, float("nan"), 4.0, 1.0, float("nan")], "count": [1, 2, 3, 4, 5, 6],
           "label": ["x", "y", None, "z", "w", None]}


@pytest.mark.parametrize("values, aggfunc, fill_value", [
    ("count", "sum", 0), ("number", "mean", None), ("number", "max", None), ("number", "first", None),
    ("label", "first", None), ("number", "sum", 0.0),
])
def test_a_chart_grid_is_pandas_pivot_table(values, aggfunc, fill_value):
    import pandas as pd

    from impactlib.report import charts

    frame = pd.DataFrame(PIVOTED)  # NA values, a department with NA only, missing (department, column) pairs
    expected = frame.pivot_table(index="department", columns="column", values=values, aggfunc=aggfunc, fill_value=fill_value)
    pd.testing.assert_frame_equal(charts.pivot(frame, "department", "column", values, aggfunc, fill_value), expected, check_exact=True)

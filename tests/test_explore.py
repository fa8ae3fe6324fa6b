"""The analyst's explorer: tweaks recompute correctly (an Analysis reusing the previous tweak's results via
``like=`` = a fresh Analysis), saving never overwrites, and the notebook runs headless."""

from __future__ import annotations

import gc
import shutil
import weakref

import pandas as pd
import pytest
import yaml

from conftest import DEMO_CLIENTS, DEMO, ROOT
from impactlib import assess, load_client
from impactlib.analysis.assess import CHANGES, STRUCTURE
from impactlib.errors import ImpactlibError, InvalidInput
from impactlib.explore import EXPLORED, Explorer

TWEAKS = [
    {},
    {"dip_scale": 2.0},
    {"provider_hourly_rate": 150.0, "recruitment_cost": 20000.0},
    {"eol_horizon_months": 0},
    {"training_budget": 1000.0, "budget": 50000.0},
    {"shift_weeks": 10},
    {"shift_weeks": -20, "rollout": "big_bang"},
    {"rollout": "phased"},
    {"exclude": ("C3",)},
    {"exclude": ("C1", "C2"), "k_anonymity": 10},
    {"exclude": ("C1", "C2", "C3")},  # nothing left to do
]
PROPERTIES = ["demand", "gaps", "training_need", "exposure", "department_impact", "host_checks", "verdicts", "lifecycle",
              "cost_lines", "cost_items", "participants", "sessions", "capability_needs", "staffing_advice", "recruit_profiles",
              "drawbacks", "findings", "headline"]


@pytest.fixture(scope="module")
def acme():
    return load_client(DEMO / "acme-industrie")


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    else:
        assert a == b


def test_every_tweak_gives_what_a_fresh_computation_gives(acme):
    """Each tweak's Analysis reuses the previous one's results (STRUCTURE when what the changes touch is
    unchanged, CHANGES when the changes are): after any sequence of tweaks, every result equals what a
    fresh Analysis of the same scenario gives, and results are reused exactly where the keys say."""
    ex = Explorer.open(acme, "baseline")
    prev = None
    reused = {"structure": 0, "changes": 0}
    for tweak in TWEAKS + TWEAKS[::-1]:
        sc = ex.tweak(**tweak)
        shared = ex.assess(sc)
        assert shared.scenario == EXPLORED
        fresh = assess(acme, sc, name=EXPLORED)
        for name in PROPERTIES:
            _same(getattr(shared, name), getattr(fresh, name))
        if prev is not None:
            for group, key in ((STRUCTURE, "structure_key"), (CHANGES, "changes_key")):
                kept = getattr(prev, key) == getattr(shared, key)
                for name in group:
                    same = getattr(shared, name) is getattr(prev, name)
                    # host checks and verdicts are also kept under a finer key (the changes that check hosts)
                    assert same if kept else (not same or name in ("host_checks", "verdicts")), (tweak, name)
                reused[key.removesuffix("_key")] += kept
        prev = shared
    # both kinds of reuse happened, and neither always (else the equality above would prove little)
    assert 0 < reused["structure"] < len(TWEAKS) * 2 - 1 and 0 < reused["changes"] < reused["structure"]


def test_a_date_tweak_reuses_what_the_changes_touch_and_recomputes_the_rest(acme):
    ex = Explorer.open(acme, "baseline")
    first = ex.assess(ex.tweak())
    gaps, participants, costs = first.gaps, first.participants, first.cost_lines
    later = ex.assess(ex.tweak(shift_weeks=10))
    assert later.gaps is gaps  # what the changes touch did not move
    assert later.participants is not participants  # the training dates did
    assert later.cost_lines is not costs
    pricier = ex.assess(ex.tweak(shift_weeks=10, provider_hourly_rate=150.0))
    assert pricier.gaps is gaps and pricier.participants is later.participants  # an assumption moves no change
    assert not pricier.cost_lines.equals(later.cost_lines)
    fewer = ex.assess(ex.tweak(shift_weeks=10, exclude=("C3",)))
    assert fewer.gaps is not gaps and not fewer.gaps.equals(gaps)


def test_tweaks_move_the_figures_they_should(acme):
    ex = Explorer.open(acme, "baseline")
    base = ex.headline(ex.tweak())
    assert base == assess(acme, "baseline").headline  # no tweak: the scenario as it is
    later = ex.headline(ex.tweak(shift_weeks=10))
    assert later["first_go_live"] == base["first_go_live"] + pd.Timedelta(weeks=10).to_pytimedelta()
    assert ex.headline(ex.tweak(dip_scale=2.0))["cost_p50"] > base["cost_p50"]  # more productivity lost
    rich = ex.headline(ex.tweak(budget=10_000_000.0))
    assert rich["budget"] == 10_000_000.0 and "BUD-TOTAL" not in {f.id for f in ex.assess(ex.tweak(budget=10_000_000.0)).findings}
    assert "BUD-TOTAL" in {f.id for f in assess(acme, "baseline").findings}  # so the budget tweak cleared it
    fewer = ex.headline(ex.tweak(exclude=("C3",)))
    assert fewer["changes"] == base["changes"] - 1


def test_tweak_refuses_what_does_not_exist(acme):
    ex = Explorer.open(acme, "baseline")
    with pytest.raises(ImpactlibError, match="C9"):
        ex.tweak(exclude=("C9",))
    with pytest.raises(ImpactlibError, match="rollout"):
        ex.tweak(rollout="overnight")
    with pytest.raises(ValueError):
        ex.tweak(dip_scale=-1)
    with pytest.raises(InvalidInput, match="available"):
        Explorer.open(acme, "no-such-scenario")


def test_the_explorer_keeps_only_the_latest_tweak_and_never_modifies_the_client():
    """Nothing is kept on the Client: the explorer holds the latest tweak's Analysis only, earlier ones are freed,
    and the client's frames are never modified."""
    c = load_client(DEMO / "acme-industrie")
    fields = dict(vars(c))
    frames = {k: v.copy(deep=True) for k, v in fields.items() if isinstance(v, pd.DataFrame)}
    ex = Explorer.open(c, "baseline")
    first = weakref.ref(ex.assess(ex.tweak(dip_scale=1.5)))
    first().headline
    for i in range(10):
        ex.headline(ex.tweak(dip_scale=1.5 + i / 10))
    gc.collect()
    assert first() is None
    assert ex.last is not None and ex.last.assumptions.dip_scale == pytest.approx(2.4)
    assert vars(c).keys() == fields.keys() and all(vars(c)[k] is v for k, v in fields.items())
    for k, frame in frames.items():
        pd.testing.assert_frame_equal(getattr(c, k), frame, obj=k)


def test_save_writes_a_new_scenario_that_loads_and_never_overwrites(tmp_path):
    data = tmp_path / "clients"
    shutil.copytree(DEMO / "acme-industrie", data / "acme-industrie")
    c = load_client(data / "acme-industrie")
    ex = Explorer.open(c, "baseline")
    sc = ex.tweak(shift_weeks=6, rollout="phased", exclude=("C3",), training_budget=9000.0, dip_scale=1.3)
    path = ex.save(sc, "after-closing", data)
    assert path == data / "acme-industrie" / "scenarios" / "after-closing.yaml"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["exclude"] == ["C3"]
    again = load_client(data / "acme-industrie")
    assert "after-closing" in again.scenarios
    assert assess(again, "after-closing").headline == ex.headline(sc) | {}  # same figures once reloaded
    before = path.read_bytes()
    with pytest.raises(InvalidInput, match="already exists"):
        ex.save(sc, "after-closing", data)
    with pytest.raises(InvalidInput, match="already exists"):
        ex.save(sc, "baseline", data)
    assert path.read_bytes() == before
    for bad in ("../evil", "a/b", "Upper", "x\x00"):
        with pytest.raises(InvalidInput):
            ex.save(sc, bad, data)
    assert sorted(p.name for p in (data / "acme-industrie" / "scenarios").iterdir()) == sorted(
        ["after-closing.yaml"] + [f"{n}.yaml" for n in c.scenarios])


@pytest.mark.e2e
def test_explorer_notebook_runs_headless_and_recomputes(tmp_path):
    import papermill

    data = tmp_path / "clients"
    shutil.copytree(DEMO / "acme-industrie", data / "acme-industrie")
    from impactlib.run.kernels import close_ipc_kernel, new_ipc_kernel

    out = tmp_path / "explore.ipynb"
    # the kernel over Unix sockets in a private folder, as reports run: a TCP kernel picks "free" ports that a kernel
    # started at the same moment by the other test worker can take (a lost message, then a wait without end); async,
    # so a kernel that dies is noticed, and a per-cell limit
    km, folder = new_ipc_kernel("impactlib", asynchronous=True)
    try:
        papermill.execute_notebook(str(ROOT / "notebooks" / "explore.ipynb"), str(out), kernel_name="impactlib", progress_bar=False,
                                   parameters={"client": "acme-industrie", "data_dir": str(data), "demo_tweak": True, "lang": "en"},
                                   cwd=str(ROOT / "notebooks"), km=km, execution_timeout=120)
        assert km.has_kernel  # papermill ran the notebook on this kernel, not on a TCP one of its own
    finally:
        close_ipc_kernel(km, folder)
    import nbformat

    nb = nbformat.read(out, as_version=4)
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "recomputed in" in text
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets  # the controls are displayed
    staff = pd.read_csv(DEMO / "acme-industrie" / "staff.csv", dtype=str)
    names = [v for col in ("name", "email") if col in staff for v in staff[col].dropna()]
    dump = out.read_text(encoding="utf-8")
    assert names and not [n for n in names if n in dump]


def test_ui_controls_recompute_and_save(tmp_path):
    data = tmp_path / "clients"
    shutil.copytree(DEMO / "lex-partners", data / "lex-partners")
    from impactlib.explore import ExplorerUI

    ui = ExplorerUI(Explorer.open(load_client(data / "lex-partners")), "fr", data)
    ui.update()
    first = ui.ex.headline(ui.scenario)
    ui.controls["shift_weeks"].value = 4  # the observer recomputes
    assert ui.ex.headline(ui.scenario)["first_go_live"] == first["first_go_live"] + pd.Timedelta(weeks=4).to_pytimedelta()
    assert ui.timing.value.startswith("recalculé en")  # the report's language
    ui.controls["provider_hourly_rate"].value = -5.0  # refused by the assumptions' bounds: said, not raised
    assert ui.timing.value.startswith("<b>Non appliqué :")
    ui.name.value = "../escape"
    assert ui.save() is None and "Non enregistré" in ui.saved.value
    ui.name.value = "plus-tard"
    assert ui.save() == data / "lex-partners" / "scenarios" / "plus-tard.yaml"
    assert ui.save() is None and "already exists" in ui.saved.value


# --- issue 17 item 5: the explorer analysts enjoy -------------------------------------------------------------------

def test_the_client_picker_lists_the_clients_of_the_data_folder_and_their_scenarios(tmp_path):
    from impactlib.explore import ExplorerUI
    from impactlib.io.clients import client_entries

    entries = {e.id: e for e in client_entries(DEMO)}
    assert set(entries) == set(DEMO_CLIENTS)
    for cid, e in entries.items():
        c = load_client(DEMO / cid)
        assert e.name == c.profile.name and e.default_scenario == c.profile.default_scenario
        assert dict(e.scenarios) == {n: sc.title for n, sc in c.scenarios.items()}
    # a folder that is no client (no client.yaml, or not a valid id) is not offered; a missing data folder is said
    data = tmp_path / "clients"
    shutil.copytree(DEMO / "lex-partners", data / "lex-partners")
    (data / "notes").mkdir()
    shutil.copytree(DEMO / "lex-partners", data / "Bad Id")
    assert [e.id for e in client_entries(data)] == ["lex-partners"]
    with pytest.raises(InvalidInput, match="no such data folder"):
        client_entries(tmp_path / "nowhere")
    ui = ExplorerUI(Explorer.open(load_client(DEMO / "acme-industrie")), "en", DEMO)
    assert [v for _, v in ui.client_pick.options] == sorted(entries) and ui.client_pick.value == "acme-industrie"
    assert dict(ui.client_pick.options)["Lex & Partners LLP (lex-partners)"] == "lex-partners"
    assert [v for _, v in ui.scenario_pick.options] == sorted(load_client(DEMO / "acme-industrie").scenarios)


def test_picking_a_client_or_a_scenario_reopens_the_explorer_on_it(acme):
    from impactlib.explore import ExplorerUI

    ui = ExplorerUI(Explorer.open(acme, "baseline"), "en", DEMO)
    ui.controls["shift_weeks"].value = 3
    ui.client_pick.value = "lex-partners"
    lex = load_client(DEMO / "lex-partners")
    assert ui.ex.client.id == "lex-partners" and ui.ex.base == lex.profile.default_scenario
    assert ui.controls["shift_weeks"].value == 0  # a fresh start on the new client
    assert ui.ex.headline(ui.scenario) == assess(lex, lex.profile.default_scenario).headline
    assert [v for _, v in ui.scenario_pick.options] == sorted(lex.scenarios)
    ui.scenario_pick.value = "replace-laptops"
    assert ui.ex.base == "replace-laptops" and "replace-laptops" in ui.title.value
    assert ui.ex.starting() == assess(lex, "replace-laptops").headline


def test_changes_are_offered_by_name_and_labels_are_in_the_reports_language(acme):
    from impactlib.explore import ExplorerUI, change_label
    from impactlib.report.text import t

    for lang in ("en", "fr"):
        ui = ExplorerUI(Explorer.open(acme, "baseline"), lang, DEMO)
        changes = acme.changes(acme.scenario("baseline"))
        assert ui.controls["exclude"].options == tuple((f"{c.id} — {c.title}", c.id) for c in changes)
        assert change_label(changes[0]) == f"C1 — {changes[0].title}" and len(changes[0].title) > 3
        text = ui.box.children[1].children  # the two columns of controls: every label is a text of text.py
        labels = [row.children[0].value for col in text for row in col.children if hasattr(row, "children") and row.children
                  and hasattr(row.children[0], "value") and "<b>" in str(row.children[0].value)]
        for key in ("explore.shift_weeks", "explore.exclude", "explore.budget", "explore.client", "explore.save_name"):
            assert any(t(key, lang) in label for label in labels), (lang, key)
        assert ui.button.description == t("explore.save", lang)
        assert dict(ui.controls["rollout"].options)[t("explore.rollout.phased", lang)] == "phased"
        # nothing is cut: the save button sizes to its text, every control has the same fixed width
        assert ui.button.layout.width == "auto"
        assert {c.layout.width for k, c in ui.controls.items() if k != "exclude"} == {ExplorerUI.CONTROL}
        assert ui.controls["exclude"].layout.width == ExplorerUI.WIDE  # change names need room
    assert t("explore.shift_weeks", "fr") != t("explore.shift_weeks", "en")


def test_deltas_show_start_tweak_and_difference_on_every_tile(acme):
    from impactlib.explore import MINUS, TILES, compare_html, deltas
    from impactlib.report.text import money

    ex = Explorer.open(acme, "baseline")
    start = ex.starting()
    assert start == assess(acme, "baseline").headline
    same = deltas(start, ex.headline(ex.tweak()), "EUR", "en")
    assert [r.key for r in same] == ["verdict"] + [k for k, *_ in TILES]
    assert {r.tone for r in same} == {"same"} and {r.delta for r in same} == {"unchanged"}
    tweaked = ex.headline(ex.tweak(shift_weeks=3, exclude=("C3",)))
    rows = {r.key: r for r in deltas(start, tweaked, "EUR", "en")}
    spend = rows["spend"]
    assert spend.start == money(start["spend_base"], "EUR", "en") and spend.tweaked == money(tweaked["spend_base"], "EUR", "en")
    assert tweaked["spend_base"] < start["spend_base"]  # one change fewer costs less...
    assert spend.delta == MINUS + money(start["spend_base"] - tweaked["spend_base"], "EUR", "en") and spend.tone == "better"
    assert rows["changes"].delta == MINUS + "1" and rows["changes"].tone == "moved"  # neither better nor worse
    assert rows["last_go_live"].delta == "+3 wk"  # C2 (the last one) moved by the shift
    b = start["findings"]["blocker"] - tweaked["findings"]["blocker"]
    assert rows["blockers"].delta == (f"{MINUS}{b}" if b > 0 else f"+{-b}" if b < 0 else "unchanged")
    html = compare_html(tuple(rows.values()), "fr")
    assert html.count('class="tile ') == len(TILES) + 1 and "<script" not in html
    fr = {r.key: r for r in deltas(start, tweaked, "EUR", "fr")}
    assert fr["last_go_live"].delta == "+3 sem." and fr["spend"].name == "dépenses ponctuelles du projet"


def test_the_side_by_side_escapes_client_text(acme):
    from impactlib.explore import Delta, compare_html

    html = compare_html((Delta("verdict", "<b>x</b>", "<img src=x onerror=alert(1)>", "a&b", "=1+1", "same"),), "en")
    assert "<img" not in html and "&lt;img" in html and "a&amp;b" in html


def test_the_yaml_shown_is_the_file_written(tmp_path):
    from impactlib.explore import ExplorerUI

    data = tmp_path / "clients"
    shutil.copytree(DEMO / "acme-industrie", data / "acme-industrie")
    ui = ExplorerUI(Explorer.open(load_client(data / "acme-industrie"), "baseline"), "en", data)
    ui.controls["shift_weeks"].value = 2
    ui.controls["exclude"].value = ("C3",)
    ui.name.value = "later"
    expected = ui.ex.scenario_yaml(ui.scenario, "later")
    assert "exclude:\n- C3" in expected and "scenarios/later.yaml" in ui.yaml.value
    import html as h

    from impactlib.report.text import esc

    assert esc(expected) in ui.yaml.value  # shown before saving, escaped as the report escapes
    path = ui.save()
    assert path.read_text(encoding="utf-8") == expected and str(path) in h.unescape(ui.yaml.value)
    assert ui.save() is None and "already exists" in ui.saved.value and path.read_text(encoding="utf-8") == expected


def test_the_projects_jupyterlab_never_pops_up_the_news(tmp_path):
    """`make explore` runs JupyterLab with JUPYTER_CONFIG_DIR=.jupyter, whose server config points the settings
    overrides at .jupyter/lab/settings: fetchNews "false" is the schema's 'Never' (checked against the installed
    JupyterLab's schema). The e2e test below reads the setting back from a running server."""
    import json
    import sys

    from traitlets.config.loader import PyFileConfigLoader

    overrides = json.loads((ROOT / ".jupyter" / "lab" / "settings" / "overrides.json").read_text(encoding="utf-8"))
    notif = overrides["@jupyterlab/apputils-extension:notification"]
    from pathlib import Path

    schema_file = Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/apputils-extension/notification.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))["properties"]
    assert {"const": "false", "title": "Never"} in schema["fetchNews"]["oneOf"] and notif["fetchNews"] == "false"
    assert notif["checkForUpdates"] is False and schema["checkForUpdates"]["type"] == "boolean"
    assert overrides["@jupyterlab/notebook-extension:tracker"] == {"autoStartDefaultKernel": True}  # no kernel dialog
    cfg = PyFileConfigLoader("jupyter_server_config.py", path=str(ROOT / ".jupyter")).load_config()
    assert cfg.LabApp.app_settings_dir == str((ROOT / ".jupyter" / "lab" / "settings").resolve())
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "JUPYTER_CONFIG_DIR=$(CURDIR)/.jupyter $(BIN)/jupyter lab notebooks/explore.ipynb" in make


@pytest.fixture
def lab(tmp_path):
    """JupyterLab as `make explore` starts it (JUPYTER_CONFIG_DIR: a copy of the project's .jupyter), on a free
    port with a token, serving a temporary folder with the explorer notebook and a copy of a demo client."""
    import json
    import os
    import secrets
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    root = tmp_path / "lab"
    (root / "notebooks").mkdir(parents=True)
    nb = json.loads((ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    source = "".join(cell["source"])
    assert 'client: str = "acme-industrie"' in source and 'lang: str = "fr"' in source
    cell["source"] = source.replace('client: str = "acme-industrie"', 'client: str = "lex-partners"')  # the smallest demo
    (root / "notebooks" / "explore.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    shutil.copytree(DEMO / "lex-partners", root / "data" / "clients" / "lex-partners")
    shutil.copytree(ROOT / ".jupyter", tmp_path / "config")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_DATA_DIR": str(tmp_path / "data"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp_path / "lab.log", "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"

    def get(path):
        with urllib.request.urlopen(f"{url}{path}{'&' if '?' in path else '?'}token={token}", timeout=10) as r:
            return json.loads(r.read())

    try:
        for _ in range(240):
            if proc.poll() is not None:
                pytest.fail("JupyterLab exited:\n" + (tmp_path / "lab.log").read_text(errors="replace")[-3000:])
            try:
                get("/api/status")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 120 s")
        yield {"url": url, "token": token, "get": get, "root": root}
    finally:
        try:
            req = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(req, timeout=10).close()  # stops the kernels, then the server
            proc.wait(timeout=30)
        except Exception:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.mark.e2e
def test_explorer_in_jupyterlab_runs_all_and_a_moved_control_changes_the_tiles(lab, browser, tmp_path):
    """In JupyterLab as the project starts it: no Jupyter-news question, Run All draws the explorer, the save
    button is not cut, moving the go-live slider changes the tiles (the side-by-side's delta)."""
    news = lab["get"]("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert news["schema"]["properties"]["fetchNews"]["default"] == "false"  # the project's override is served
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.set_default_timeout(120_000)
        page.goto(f"{lab['url']}/lab/tree/notebooks/explore.ipynb?token={lab['token']}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=120_000)  # the kernel is up
        page.wait_for_timeout(1500)
        assert not page.locator(".jp-Dialog").count()  # the preferred kernel starts without asking (overrides.json)
        from playwright.sync_api import TimeoutError as PlaywrightTimeout  # a browser test's own dependency

        started = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].some(p => p.innerText.trim() !== '[ ]:')"""
        for attempt in range(2):  # a menu click that JupyterLab drops on a loaded machine (no cell ran: seen once) is made again
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            try:
                page.wait_for_function(started, timeout=30_000)
                break
            except PlaywrightTimeout:
                if attempt:
                    raise
        tile = page.locator('.ilx-cmp .tile[data-key="last_go_live"]')
        tile.wait_for(timeout=150_000)
        before = tile.inner_text()
        assert "inchangé" in before  # the starting scenario, untouched, in the report's language (fr)
        sizes = page.evaluate("""() => [...document.querySelectorAll('.widget-button')].map(b => [b.scrollWidth, b.clientWidth, b.innerText])""")
        assert sizes and all(sw <= cw + 1 for sw, cw, _ in sizes), sizes  # no button text cut
        assert any("Enregistrer comme nouveau scénario" in text for *_, text in sizes)
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")  # one week later
        page.wait_for_function("""() => { const t = document.querySelector('.ilx-cmp .tile[data-key="last_go_live"] .delta');
                                          return t && t.innerText.includes('+1 sem'); }""", timeout=180_000)
        assert tile.inner_text() != before
        assert "+1 sem" in tile.locator(".delta").inner_text()
        assert not page.get_by_text("official Jupyter news").count()  # the pop-up never came
        page.set_viewport_size({"width": 1440, "height": 2400})  # the whole explorer in one picture (docs/img/explorer.png)
        page.locator(".jp-OutputArea-output .widget-vbox").first.screenshot(path=str(tmp_path / "explorer.png"))
    except Exception:
        page.screenshot(path=str(tmp_path / "failed.png"))  # what the browser showed, beside lab.log
        raise
    finally:
        page.close()

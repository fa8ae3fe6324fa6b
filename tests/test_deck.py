"""The board deck: a PPTX that opens, 6-8 slides, native charts carrying the Analysis's figures, area colours
that follow the findings, no personal name, French that is French, and the `deck` command's exit codes."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.dml import MSO_FILL
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE_TYPE

from conftest import DEMO, DEMO_CLIENTS, FIXTURES, ROOT, edit
from impactlib import assess, load_client
from impactlib.analysis import board
from impactlib.model.finding import CATEGORIES, Finding
from impactlib.report import deck
from impactlib.report.advice import compare
from impactlib.report.text import date, money, t

DAY = dt.date(2026, 11, 30)
CLIENTS = {c: load_client(DEMO / c) for c in DEMO_CLIENTS}


def options(cid: str) -> list:
    c = CLIENTS[cid]
    first = assess(c, as_of=DAY)
    return [first, *(assess(c, s, as_of=DAY, like=first) for s in sorted(c.scenarios) if s != first.scenario)]


@pytest.fixture(scope="module")
def decks() -> dict[tuple[str, str], tuple]:
    """Every demo client's deck in both languages, presenting its default scenario, read back from its bytes."""
    built = {}
    for cid in DEMO_CLIENTS:
        opts = options(cid)
        for lang in ("en", "fr"):
            data = deck.deck_bytes(deck.board_deck(opts[0], opts, lang))
            built[cid, lang] = (opts[0], opts, Presentation(io.BytesIO(data)))
    return built


def charts(prs) -> list:
    return [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]


def chart_titled(prs, title: str):
    return next(c for c in charts(prs) if c.has_title and c.chart_title.text_frame.text == title)


def texts(prs) -> list[str]:
    """Every string a reader can see: text frames, table cells, chart titles, categories and series names."""
    out = []
    for s in prs.slides:
        for sh in s.shapes:
            if sh.has_text_frame:
                out.append(sh.text_frame.text)
            if sh.has_table:
                out += [cell.text for row in sh.table.rows for cell in row.cells]
            if sh.has_chart:
                c = sh.chart
                out += [c.chart_title.text_frame.text] if c.has_title else []
                out += [str(x) for x in c.plots[0].categories] + [ser.name for p in c.plots for ser in p.series]
    return out


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_deck_opens_with_six_to_eight_slides_and_native_charts_only(decks, cid, lang):
    _, _, prs = decks[cid, lang]
    assert 6 <= len(prs.slides) <= 8
    found = charts(prs)
    assert len(found) >= 3  # the Gantt, the cost per item, the cumulative cost: chart objects, editable
    assert not [sh for s in prs.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_the_cost_charts_carry_the_reports_figures(decks, cid):
    an, _, prs = decks[cid, "en"]
    f = an.figures
    items = chart_titled(prs, t("deck.cost.items", "en", months=f.horizon_months, currency=f.currency))
    assert list(items.plots[0].categories) == [t(f"cost.{k}", "en") for k in f.items.index]
    assert list(items.plots[0].series[0].values) == pytest.approx(list(f.items.to_numpy()))
    assert all(round(v, 2) == v for v in items.plots[0].series[0].values)  # to the cent in the chart's data sheet
    assert sum(items.plots[0].series[0].values) == pytest.approx(f.total)  # the report's total over the horizon
    curve = chart_titled(prs, t("deck.cost.cumulative", "en", currency=f.currency))
    flows = an.cash_flows.groupby("month")[["scenario", "status_quo"]].sum().cumsum()
    scen, quo = curve.plots[0].series
    cent = {"abs": 0.0051}  # the chart's data sheet holds amounts to the cent (half a cent off at most)
    assert list(scen.values) == pytest.approx(list(flows["scenario"]), **cent)
    assert list(quo.values) == pytest.approx(list(flows["status_quo"]), **cent)
    assert scen.values[-1] == pytest.approx(f.total, **cent) and quo.values[-1] == pytest.approx(f.status_quo, **cent)


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_the_gantt_shows_each_change_and_freeze_period_and_the_report_date(decks, cid):
    an, _, prs = decks[cid, "en"]
    slide = prs.slides[3]
    gantt = next(sh.chart for sh in slide.shapes if sh.has_chart)
    frame = an.timeline
    start, length = gantt.plots[0].series
    serial = lambda d: (pd.Timestamp(d).date() - dt.date(1899, 12, 30)).days  # noqa: E731
    assert list(start.values) == [serial(d) for d in frame["start"]]
    assert list(length.values) == [serial(e) - serial(s) for s, e in zip(frame["start"], frame["end"])]
    cats = list(gantt.plots[0].categories)
    ids = [c.split(" ", 1)[0] for c in cats[:len(an.changes)]]
    assert ids == [c.id for c in an.changes] == list(frame.loc[frame["kind"] == "change", "id"])
    freezes = frame.loc[frame["kind"] == "blackout"]
    assert len(cats) == len(an.changes) + len(freezes) == len(an.client.profile.blackout_periods) + len(an.changes)
    assert {f"freeze {i}" for i in freezes["id"]} <= {sh.name for sh in slide.shapes}
    assert start.format.fill.type == MSO_FILL.BACKGROUND  # the first series is invisible: the bars start at each start date
    today = next(sh for sh in slide.shapes if sh.name == "today")
    chart_shape = next(sh for sh in slide.shapes if sh.has_chart)
    lo, hi = gantt.value_axis.minimum_scale, gantt.value_axis.maximum_scale
    share = (serial(an.as_of) - lo) / (hi - lo)
    expect = chart_shape.left + chart_shape.width * (0.30 + 0.67 * share)  # the plot area's fixed inner layout
    assert abs(today.begin_x - expect) < 2 * 12700 and today.begin_x == today.end_x
    assert date(an.as_of, "en") in next(sh for sh in slide.shapes if sh.name == "today label").text_frame.text


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_the_verdict_slide_ranks_the_options_as_the_report_does(decks, cid):
    an, opts, prs = decks[cid, "en"]
    table = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    ranked = compare(opts)
    assert [table.cell(i + 1, 0).text.split(":", 1)[0] for i in range(len(ranked))] == list(ranked["scenario"])
    for i, r in enumerate(ranked.itertuples(), start=1):
        assert table.cell(i, 4).text == money(r.spend, an.figures.currency, "en")
        assert table.cell(i, 5).text == money(r.total, an.figures.currency, "en")
    words = " ".join(texts(prs))
    assert t("verdict." + an.headline["verdict"], "en") in words
    if len(opts) > 1:  # a delta line per alternative, with the spend difference signed
        for other in opts[1:]:
            diff = an.headline["spend_base"] - other.headline["spend_base"]
            assert ("+" if diff >= 0 else "−") + money(abs(diff), an.figures.currency, "en") in words


def test_recommended_is_the_first_of_the_comparison_ranking():
    for cid in DEMO_CLIENTS:
        opts = options(cid)
        best = compare(opts).iloc[0]
        assert deck.recommended(opts) == best["scenario"]
        rank = {"go": 0, "go_with_conditions": 1, "not_ready": 2}
        key = lambda o: (rank[o.headline["verdict"]], o.headline["findings"]["blocker"], o.headline["findings"]["high"],  # noqa: E731
                         o.headline["total_base"])
        assert min(opts, key=key).scenario == best["scenario"]


def finding(rule: str, category: str, severity: str) -> Finding:
    return Finding(id=f"{rule}-x", rule=rule, severity=severity, likelihood=3, impact=3, category=category)


@pytest.mark.parametrize("found, expected", [
    ([], {a: "green" for a in board.AREAS}),
    ([finding("HW", "incompatibility", "blocker")], {"hardware": "red"}),
    ([finding("FEAT", "incompatibility", "high")], {"software": "amber"}),
    ([finding("EOL", "end-of-life", "medium")], {"software": "green"}),
    ([finding("SKL-ADMIN", "skills", "high"), finding("COOP-TIME", "cooperation", "blocker")], {"people": "red"}),
    ([finding("BUD-TOTAL", "budget", "blocker")], {"budget": "red"}),
    ([finding("SCH-BLACKOUT", "blackout conflict", "blocker"), finding("CHG-PILOT", "change control", "high")], {"schedule": "red"}),
    ([finding("CHG-PILOT", "change control", "high")], {"schedule": "amber"}),
    ([finding("SEC-DPIA", "confidentiality", "high"), finding("PROT-WEAK", "security", "low")], {"data_protection": "amber"}),
])
def test_area_status_follows_the_findings(found, expected):
    got = {r["area"]: r["status"] for r in board.area_status(tuple(found))}
    assert list(got) == list(board.AREAS)
    assert got == {a: expected.get(a, "green") for a in board.AREAS}


def test_every_finding_category_has_an_area():
    assert {board.area(finding("X", c, "low")) for c in CATEGORIES} <= set(board.AREAS)


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_the_area_slide_is_coloured_by_the_findings(decks, cid):
    an, _, prs = decks[cid, "fr"]
    table = next(sh.table for sh in prs.slides[2].shapes if sh.has_table)
    for i, area in enumerate(board.AREAS, start=1):
        mine = [f for f in an.findings if board.area(f) == area]
        status = "red" if any(f.severity == "blocker" for f in mine) else "amber" if any(f.severity == "high" for f in mine) else "green"
        cell = table.cell(i, 1)
        assert table.cell(i, 0).text == t(f"deck.area.{area}", "fr")
        assert cell.text == t(f"deck.rag.{status}", "fr") and cell.fill.fore_color.rgb == deck.RAG[status], (area, status)


def test_no_personal_name_or_e_mail_in_any_demo_deck(decks):
    for (cid, lang), (_, _, prs) in decks.items():
        staff = pd.read_csv(DEMO / cid / "staff.csv", dtype=str)  # the names as written: the loaded Client drops them
        names = set(staff["name"].dropna()) | set(staff["email"].dropna())
        # first names alone too (family names are words like "Exemple", the demo provider's name, or "Fictif")
        names |= {n.split()[0] for n in staff["name"].dropna()}
        words = "\n".join(texts(prs))
        leaked = sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", words))
        assert not leaked, (cid, lang, leaked)
        assert "@" not in words


def test_the_french_deck_speaks_french_and_formats_as_the_report(decks):
    an, _, prs = decks["acme-industrie", "fr"]
    words = "\n".join(texts(prs))
    spend = money(an.figures.spend, "EUR", "fr")
    assert spend.endswith("\u00a0€") and "\u202f" in spend  # 140 992 €: narrow no-break space groups, no-break space before €
    assert spend in words and date(DAY, "fr") in words and "nov. 2026" in words
    for wanted in ("Décisions demandées au conseil", "État par domaine", "Calendrier des évolutions", "Statu quo", "Aujourd'hui"):
        assert wanted in words
    for english in ("Decisions requested", "Status per area", "Today", "One-off spend"):
        assert english not in words
    assert re.findall(r"\w[;:!?]", words) == []  # French puts a space before ; : ! ?
    runs = [r for sl in prs.slides for f in deck._frames(sl) for para in f.paragraphs for r in para.runs]
    assert runs and {r.font.language_id for r in runs} == {MSO_LANGUAGE_ID.FRENCH}  # PowerPoint proofs it as French


def test_the_report_package_does_not_load_python_pptx():
    code = "import sys, impactlib.report; print('pptx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr


def cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """The command, run from ``cwd`` on this checkout's code (as tests/test_readme.py runs it)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "impactlib.cli", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_cli_writes_the_deck_where_the_readme_says(tmp_path):
    r = cli("--data-dir", str(FIXTURES), "deck", "tiny", "--as-of", "2026-11-30", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    client = load_client(FIXTURES / "tiny")
    written = list((tmp_path / "reports" / "tiny").glob("*.deck.pptx"))
    assert [p.name for p in written] == [f"{deck.recommended(options_of(client))}.{client.profile.language}.deck.pptx"]
    assert str(written[0].relative_to(tmp_path)) in r.stdout
    assert len(Presentation(str(written[0])).slides) == 7


def options_of(client) -> list:
    return [assess(client, s, as_of=DAY) for s in sorted(client.scenarios)]


@pytest.mark.parametrize("args, says", [
    (("deck", "tinny"), "did you mean 'tiny'?"),
    (("deck", "../tiny"), "is not a valid client id"),
    (("deck", "tiny", "--scenario", "nope"), "no scenario 'nope'; available:"),
    (("deck", "tiny", "--lang", "de"), "no language 'de'"),
    (("deck", "tiny", "--out", "deck.txt"), "a deck is a .pptx file"),
])
def test_cli_refuses_bad_input_with_exit_2_and_writes_nothing(tmp_path, args, says):
    r = cli("--data-dir", str(FIXTURES), *args, cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert says in r.stderr and "Traceback" not in r.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("given, presented, rows", [
    (["later"], "later", ["baseline", "later"]),  # one named: presented, against every other scenario
    (["later", "later"], "later", ["baseline", "later"]),
    (["baseline", "later"], "baseline", ["baseline", "later"]),
])
def test_the_first_scenario_named_is_presented_against_the_others(tmp_path, given, presented, rows):
    from impactlib.run import deck as run_deck

    path = run_deck.write(FIXTURES, "tiny", given, "en", DAY, out_dir=tmp_path)
    assert path == tmp_path / "tiny" / f"{presented}.en.deck.pptx"
    prs = Presentation(str(path))
    table = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    assert sorted(table.cell(i, 0).text.split(":", 1)[0] for i in range(1, len(table.rows))) == rows
    assert f"Verdict on {presented}:" in prs.slides[1].shapes[0].text_frame.text + " ".join(texts(prs))
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [path.name]  # no temporary file left


def test_the_title_slide_names_the_provider_only_when_the_client_gives_one(tiny):
    for given in (True, False):
        if not given:
            edit(tiny / "client.yaml", "provider: Test Provider\n", "")
        client = load_client(tiny)
        an = assess(client, as_of=DAY)
        title = "\n".join(sh.text_frame.text for sh in deck.board_deck(an, [an], "en").slides[0].shapes if sh.has_text_frame)
        assert ("Prepared by Test Provider — 30 Nov 2026" in title) == given and "None" not in title
        assert client.profile.name in title and an.definition.title in title and "30 Nov 2026" in title

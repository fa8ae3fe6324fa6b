"""Big clients: a section that lists departments names the TOP ranked first and groups the others as one row
whose figures add up to the totals the report shows; the full tables are in the departments workbook."""

from __future__ import annotations

import html
import math
import re

import openpyxl
import pandas as pd
import pytest

from conftest import DEMO, DEMO_CLIENTS
from impactlib import assess, load_client
from impactlib.analysis import impact, skills
from impactlib.report import advice, departments, devices, money, sections, summary
from impactlib.report.exports import departments_frames
from impactlib.report.text import number, t
from impactlib.run.exports import tables
from synthetic import MIN_ASSETS, write_client

N = departments.TOP
DEPARTMENTS = 60


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A synthetic client of 60 departments (1,500 staff); one department's name looks like a formula."""
    folder = write_client(tmp_path_factory.mktemp("big") / "syn-big", staff=1500, assets=MIN_ASSETS + 40, skills=40, changes=4,
                          departments=DEPARTMENTS, seed=5)
    path = folder / "departments.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    lines[1] = ",".join([first[0], "=1+1 Sales", *first[2:]])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def an(big):
    return assess(load_client(big), "baseline")


@pytest.fixture(scope="module")
def an_k1(big):
    """The same with k = 1: nothing hidden, so that every sum can be checked against the analysis."""
    c = load_client(big)
    sc = c.scenario("baseline")
    return assess(c, sc.model_copy(update={"assumptions": sc.assumptions.model_copy(update={"k_anonymity": 1})}), name="baseline")


def body_rows(fragment_html: str, header: str) -> list[list[str]]:
    for head, body in re.findall(r"<table[^>]*><thead>(.*?)</thead><tbody>(.*?)</tbody></table>", fragment_html):
        if f"<th>{html.escape(header)}</th>" in head:
            return [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", r)] for r in body.split("<tr>")[1:]]
    raise AssertionError(f"no table with {header}")


def others(label: str) -> int | None:
    m = re.fullmatch(r"Others \(([\d,]+) departments\)", label)
    return int(m.group(1).replace(",", "")) if m else None


def value(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_client_is_big(an):
    assert len(an.client.departments) == DEPARTMENTS > N + 1


def test_organisation_table(an):
    frag = sections.organisation(an, "en").html
    rows = body_rows(frag, t("col.headcount", "en"))
    assert len(rows) == N + 1
    assert others(rows[-1][0]) == DEPARTMENTS - N
    shown = [r[0] for r in rows[:-1]]
    head = an.client.departments.set_index("name")["headcount"]
    assert [head[html.unescape(n)] for n in shown] == sorted(head, reverse=True)[:N]  # the largest, largest first
    assert sum(value(r[1]) for r in rows) == an.client.departments["headcount"].sum()
    assert f"{N} of the {DEPARTMENTS} departments are shown" in html.unescape(frag)
    assert "baseline.en.departments.xlsx" in frag


def test_usage_chart_keeps_every_user(an):
    fig = sections.usage_chart(an, "en")
    heat = fig.fig.data[0]
    assert len(heat.y) == N + 1 and others(heat.y[0]) == DEPARTMENTS - N  # the y axis runs upwards: the others at the bottom
    assert sum(sum(row) for row in heat.z) == an.usage_matrix["users"].sum()
    assert "The full table is in the spreadsheet baseline.en.departments.xlsx" in fig.reading


def test_flow_chart_keeps_every_flow(an):
    flows = an.flows
    grouped, note = departments.flows_grouped(flows, an.client.departments, "baseline", "en")
    assert grouped["department_id"].nunique() == N + 1 and note
    right = lambda f: f.groupby(["asset_id", "department_id"])["users"].max().sum()  # noqa: E731 - people per system, as drawn
    assert right(grouped) == right(flows)
    assert grouped.groupby(["change_id", "asset_id"])["users"].sum().equals(flows.groupby(["change_id", "asset_id"])["users"].sum())
    sankey = summary.flow_chart(an, "en").fig.data[0]
    assert sum(1 for label in sankey.node.label if others(label)) == 1


def test_impact_chart_keeps_the_company_score(an):
    fig = advice.impact_chart(an, "en")
    heat = fig.fig.data[0]
    assert len(heat.y) == N + 1 and others(heat.y[-1]) == DEPARTMENTS - N
    scores = impact.department_scores(an.department_impact)
    grouped, rows, _ = departments.impact_grouped(scores, an.client.departments, "baseline", "en")
    total = int(an.client.departments["headcount"].sum())
    pd.testing.assert_series_equal(impact.company_scores(grouped, total), impact.company_scores(scores, total), check_like=True)
    # the company score the reading gives is the grouped rows' headcount-weighted sum
    company = impact.company_scores(grouped, total)
    shown = re.search(r"\(([\d.]+)/5, weighted by headcount\)", fig.reading).group(1)
    assert shown == number(company.max(), "en", 1)


def test_load_chart_keeps_the_load(an):
    load = an.change_load
    grouped, rows, note = departments.load_grouped(load, an.client.departments, "baseline", "en")
    assert len(rows) == N + 1 and note
    assert math.isclose(grouped["load"].sum(), load["load"].sum())
    shown = set(grouped["department_id"]) - {departments.OTHERS}
    rest = set(load["department_id"]) - shown
    capacity = an.client.departments.set_index("department_id").loc[sorted(rest), "change_capacity"].sum()
    assert math.isclose(grouped.loc[grouped["department_id"] == departments.OTHERS, "capacity"].iloc[0], capacity)
    heat = advice.load_chart(an, "en").fig.data[0]
    assert len(heat.y) == N + 1 and others(heat.y[-1]) == len(rest)


def test_gaps_chart_keeps_every_person(an_k1):
    heat = advice.gaps_chart(an_k1, "en").fig.data[0]
    assert len(heat.y) == N + 1 and others(heat.y[-1])
    raw = skills.gap_summary(an_k1.gaps, 1)
    assert sum(v for row in heat.z for v in row if v == v) == raw["people"].sum()


def test_gaps_chart_others_row_hides_groups_under_k(an):
    """k-anonymity holds for the grouped row: a (others, skill) count under k is '<k', not a number."""
    k = an.assumptions.k_anonymity
    heat = advice.gaps_chart(an, "en").fig.data[0]
    i = len(heat.y) - 1
    for text, z in zip(heat.text[i], heat.z[i]):
        if text == f"<{k}":
            assert z != z
        elif text:
            assert int(text) >= k and z == int(text)


def test_levels_table_keeps_every_person(an_k1):
    rows = body_rows(advice.training_section(an_k1, "en").html, t("col.people_scope", "en"))
    assert len(rows) == N + 1 and others(rows[-1][0]) == an_k1.gaps["department_id"].nunique() - N
    assert sum(value(r[1]) for r in rows) == an_k1.gaps.groupby("department_id")["staff_id"].nunique().sum()


def test_effort_table_adds_up_to_the_reading(an):
    frag = money.effort_section(an, "en").html
    rows = body_rows(frag, t("col.training_hours", "en"))
    assert len(rows) == N + 1 and others(rows[-1][0])
    need = float(an.effort["need"].sum())
    assert t("effort.read", "en", need=number(need, "en"), given=number(an.effort["given"].sum(min_count=1), "en")) in html.unescape(frag) \
        or t("effort.read_none", "en", need=number(need, "en")) in html.unescape(frag)
    assert math.isclose(sum(value(r[3]) for r in rows), need, abs_tol=0.5 * len(rows))  # rows rounded to the hour


def test_reorganisation_groups_key_users_per_change(an):
    frag = advice.reorganisation_section(an, "en").html
    items = [html.unescape(i) for i in re.findall(r"<li>(.*?)</li>", frag)]
    ku = an.reorganisation.loc[an.reorganisation["kind"] == "key_users"]
    grouped_any = False
    for change, part in ku.groupby("change_id"):
        title = next(f"{c.id} {c.title}" for c in an.changes if c.id == change)
        lines = [i for i in items if i.startswith(f"{title}: ") and "key user" in i and "other departments as well" in i]
        if len(part) <= N + 1:
            assert not lines
            continue
        grouped_any = True
        assert len(lines) == 1
        m = re.search(r": ([\d,]+) key users? to appoint in ([\d,]+) other departments", lines[0])
        ranked = departments.rank(part.set_index("department_id")["count"].astype("float64"))
        assert int(m.group(2)) == len(part) - N == len(ranked.others)
        assert int(m.group(1).replace(",", "")) == part.loc[part["department_id"].isin(ranked.others), "count"].sum()
        # the departments named for this change are the N with the most key users
        names = departments.names(ranked, an.client.departments, "en")
        named = [i.split(f", {title}: name ", 1)[0] for i in items if re.search(f", {re.escape(title)}: name \\d", i)]
        assert sorted(named) == sorted(t("shared_departments", "en") if d == skills.COMPANY else names[d] for d in ranked.shown)
    assert grouped_any
    assert "The full list is in the spreadsheet baseline.en.departments.xlsx" in html.unescape(frag)


def test_french_wording(an):
    frag = html.unescape(sections.organisation(an, "fr").html)
    assert f"Autres ({DEPARTMENTS - N} services)" in frag
    assert f"{N} des {DEPARTMENTS} services sont affichés" in frag and "baseline.fr.departments.xlsx" in frag


def test_the_workbook_holds_every_department(an, tmp_path):
    paths = tables(an, "en", tmp_path, ("xlsx",))
    book = tmp_path / "baseline.en.departments.xlsx"
    assert book in paths
    wb = openpyxl.load_workbook(book, read_only=True)
    org = list(wb[t("big.sheet.departments", "en")].iter_rows(values_only=True))
    assert len(org) == DEPARTMENTS + 1
    names = {r[0] for r in org[1:]}
    assert "'=1+1 Sales" in names and "=1+1 Sales" not in names  # formulas neutralised
    levels = list(wb[t("big.sheet.levels", "en")].iter_rows(values_only=True))
    assert len(levels) - 1 == an.gaps["department_id"].nunique()
    frames = departments_frames(an, "en")
    usage = frames[t("big.sheet.usage", "en")]
    assert usage["users"].sum() == an.usage_matrix["users"].sum()


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_demo_clients_are_not_grouped(cid, tmp_path):
    """The demo clients have at most TOP departments: nothing grouped, no sentence, no departments workbook."""
    an = assess(load_client(DEMO / cid))
    assert len(an.client.departments) <= N
    for lang in ("en", "fr"):
        parts = [sections.organisation(an, lang).html, advice.training_section(an, lang).html, money.effort_section(an, lang).html,
                 advice.reorganisation_section(an, lang).html, sections.needs(an, lang).html,
                 *(f.reading for f in (sections.usage_chart(an, lang), summary.flow_chart(an, lang), advice.impact_chart(an, lang),
                                       advice.load_chart(an, lang), advice.gaps_chart(an, lang)))]
        text = html.unescape(" ".join(parts))
        assert "departments.xlsx" not in text and "Others (" not in text and "Autres (" not in text
    assert not any(p.name.endswith("departments.xlsx") for p in tables(an, "en", tmp_path, ("xlsx",)))


def test_the_workbook_the_report_names_is_written_without_xlsx(an, tmp_path):
    """The report names the departments workbook, so its kernel writes it even without --xlsx (no format asked): that
    workbook alone, no findings or training workbook; a demo client's, none."""
    assert [p.name for p in tables(an, "en", tmp_path)] == ["baseline.en.departments.xlsx"]
    demo = assess(load_client(DEMO / "lex-partners"))
    assert tables(demo, "en", tmp_path / "demo") == []


@pytest.mark.e2e
@pytest.mark.parametrize("command", ["report", "batch"])
def test_cli_report_of_a_big_client_writes_the_workbook_it_names(big, tmp_path, command):
    """`impactlib report` without --xlsx, and `impactlib batch`: the report names the departments workbook, and the
    workbook is there, written by the report's kernel (read back: every department); the batch's status file names it."""
    import json
    import subprocess
    import sys

    out = tmp_path / "reports"
    args = ["report", big.name, "--scenario", "baseline"] if command == "report" else ["batch", big.name, "--scenario", "baseline"]
    done = subprocess.run([sys.executable, "-m", "impactlib.cli", "--data-dir", str(big.parent), *args, "--lang", "en",
                           "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    folder = out / big.name
    assert "baseline.en.departments.xlsx" in html.unescape((folder / "baseline.en.html").read_text(encoding="utf-8"))
    assert sorted(p.name for p in folder.glob("*.xlsx")) == ["baseline.en.departments.xlsx"]  # that one only, no --xlsx
    sheet = openpyxl.load_workbook(folder / "baseline.en.departments.xlsx", read_only=True).worksheets[0]
    assert sheet.max_row == DEPARTMENTS + 1  # the header, then every department
    if command == "report":
        assert f"{big.name}: {folder / 'baseline.en.departments.xlsx'}" in done.stdout
    else:
        status = json.loads(next(folder.glob("*.status.json")).read_text(encoding="utf-8"))
        assert status["exports"] == [f"{big.name}/baseline.en.departments.xlsx"]


@pytest.mark.parametrize("top", [devices.TOP_GROUPS, 5])
def test_devices_table_names_the_largest_device_groups_and_counts_the_others_per_verdict(an, monkeypatch, top):
    """Past TOP_GROUPS + 1 device groups the Windows 11 table names the groups with the most devices; the others are one
    row per verdict whose devices and recommended cost add up to every group's; the chart draws the named groups, its
    reading counts them all; the worklist keeps every group with its recommended cost."""
    monkeypatch.setattr(devices, "TOP_GROUPS", top)
    r, o = an.readiness, an.device_options
    assert len(r) > top + 1
    frag = devices.devices_section(an, "en").html
    rows = body_rows(frag, t("col.group", "en"))
    named = [row for row in rows if not re.fullmatch(r"Other groups \(\d+\)", row[0])]
    grouped = rows[len(named):]
    assert len(named) == top and rows[:top] == named  # the named groups first, then the others per verdict
    assert sorted(int(row[2]) for row in named) == sorted(r["quantity"], reverse=True)[:top][::-1]
    shown = devices.shown_groups(r)
    left = r.loc[[k not in shown for k in zip(r["change_id"], r["asset_id"])]]
    assert [row[3] for row in grouped] == [t("dev.verdict." + v, "en") for v in devices.VERDICTS if v in set(left["verdict"])]
    assert sum(int(re.search(r"\d+", row[0]).group()) for row in grouped) == len(r) - top
    assert sum(int(row[2].replace(",", "")) for row in rows) == r["quantity"].sum()
    euros = lambda cell: 0.0 if cell == "—" else float(re.sub(r"[^\d.]", "", cell))  # noqa: E731
    recommended = o.loc[o["recommended"], "horizon_cost"].sum()
    assert abs(sum(euros(row[6]) for row in rows) - recommended) <= len(rows)  # each cell rounded to the unit
    assert f"The {top} device groups with the most devices of the {len(r)} are named" in html.unescape(frag)
    assert "baseline.en.devices.xlsx" in frag
    fig = devices.options_chart(an, "en")
    assert {x for bar in fig.fig.data for x in bar.x} == {html.unescape(row[0]) for row in named}
    assert f"shows the {top} device groups with the most devices of the {len(r)}" in fig.reading
    sheet = next(iter(devices.worklist_frames(an, "en").values()))
    assert len(sheet) == len(r) and abs(sheet[t("col.option_cost", "en")].sum() - recommended) < 0.01


def test_demo_clients_name_every_device_group():
    for cid in DEMO_CLIENTS:
        an = assess(load_client(DEMO / cid))
        if len(an.readiness):
            assert devices.shown_groups(an.readiness) is None
            assert "Other groups" not in devices.devices_section(an, "en").html

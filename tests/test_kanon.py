"""k-anonymity: every per-group figure about people that the report shows hides groups under k.

What the report shows per group of people (figures derived from staff.csv and skills.csv):
- the skill-gaps chart: people with a gap per (department, skill), cells and reading;
- the staffing table: people, largest gap, months to capability and cost per (change, role, skill);
- the organisation list: key-user candidates per (change, department).
Each is checked cell by cell against the unsuppressed counts, on every demo scenario and for several k.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from types import MappingProxyType

import pytest

from conftest import DEMO, DEMO_CLIENTS
from impactlib import load_client
from impactlib.report import sections as render
from impactlib.analysis import skills, staffing
from impactlib.report import advice
from impactlib.report.text import number

CLIENTS = {c: load_client(DEMO / c) for c in DEMO_CLIENTS}
CASES = [(c, sc, k) for c in DEMO_CLIENTS for sc in sorted(CLIENTS[c].scenarios) for k in (3, 5, 8)]


def with_k(client, k: int):
    """The same client with k_anonymity = k in every scenario (and no cached results)."""
    scenarios = {n: sc.model_copy(update={"assumptions": sc.assumptions.model_copy(update={"k_anonymity": k})})
                 for n, sc in client.scenarios.items()}
    return dataclasses.replace(client, scenarios=MappingProxyType(scenarios), _memo={})


def rows(fragment_html: str) -> list[list[str]]:
    body = fragment_html.split("<tbody>", 1)[1]
    return [re.findall(r"<td>(.*?)</td>", r) for r in body.split("<tr>")[1:]]


@pytest.mark.parametrize("cid, scenario, k", CASES)
def test_gaps_chart_hides_groups_under_k(cid, scenario, k):
    c = with_k(CLIENTS[cid], k)
    raw = skills.gap_summary(skills.gaps(c, scenario), 1)  # true sizes, nothing hidden
    names = c.departments.set_index("department_id")["name"]
    fig = advice.gaps_chart(c, scenario, "en").fig
    heat = fig.data[0]
    ys, xs = list(heat.y), list(heat.x)
    for r in raw.itertuples():
        i, j = ys.index(names[r.department_id]), xs.index(r.skill_id)
        text, z = heat.text[i][j], heat.z[i][j]
        if r.people < k:
            assert text == f"<{k}" and math.isnan(z), (r.department_id, r.skill_id, r.people)
        else:
            assert text == str(r.people) and z == r.people
    # nothing else in the chart carries a count: every non-empty cell is one of the groups above
    assert sum(1 for row in heat.text for t in row if t) == len(raw)
    reading = advice.gaps_chart(c, scenario, "en").reading
    shown_counts = {str(int(p)) for p in raw.loc[raw["people"] >= k, "people"]}
    m = re.search(r"\((\d+) people\)", reading)
    assert m is None or m.group(1) in shown_counts


@pytest.mark.parametrize("cid, scenario, k", CASES)
def test_staffing_table_hides_groups_under_k(cid, scenario, k):
    c = with_k(CLIENTS[cid], k)
    adv = staffing.staffing_advice(c, scenario)
    table = rows(advice.staffing_section(c, scenario, "en").html)
    assert len(table) == len(adv)
    for r, cells in zip(adv.itertuples(), table):
        people, gap, time, cost = cells[3], cells[4], cells[5], cells[8]
        if r.people < k:
            assert people == html.escape(f"<{k}") and gap == "—" and cost == "—", cells
            assert time.startswith("— / "), cells  # months to capability would reveal the gap
        else:
            assert people == number(r.people, "en") and gap == number(r.max_gap, "en")


@pytest.mark.parametrize("cid, scenario, k", CASES)
def test_key_user_candidates_hidden_in_small_departments(cid, scenario, k):
    c = with_k(CLIENTS[cid], k)
    ku = staffing.key_users(c, scenario)
    listed = c.staff.groupby("department_id").size()
    recs = staffing.reorganisation(c, scenario)
    items = re.findall(r"<li>(.*?)</li>", advice.reorganisation_section(c, scenario, "en").html)
    assert len(items) == len(recs)
    for r, item in zip(recs.itertuples(), items):
        if r.kind != "key_users":
            continue
        small = listed.get(r.department_id, 0) < k
        assert small == bool(ku.set_index(["change_id", "department_id"]).loc[(r.change_id, r.department_id), "suppressed"])
        if small:
            assert "too small for impactlib to count" in item and not re.search(r"among \d|only \d", item), item
        else:
            assert re.search(r"among \d+|only \d+", item), item


@pytest.mark.parametrize("cid, scenario, k", CASES)
def test_training_export_hides_groups_under_k(cid, scenario, k):
    """The training plan export (XLSX/CSV) per (change, department, course): a row under k shows
    neither its participants nor what they follow from (participant hours, cost, one-to-one trainer hours)."""
    from impactlib.report import exports
    from impactlib.analysis import training

    c = with_k(CLIENTS[cid], k)
    plan = training.sessions(c, scenario)
    sheet = next(iter(exports.training_frames(c, scenario, "en").values()))
    assert len(sheet) == len(plan)
    derived = [col for col in sheet.columns if col in ("Participant hours", "Cost", "Trainer hours")]
    assert len(derived) == 3, list(sheet.columns)
    for (_, r), (_, row) in zip(plan.iterrows(), sheet.iterrows()):
        if r["participants"] < k:
            assert row["participants"] == f"<{k}", row
            assert row["Participant hours"] == "—" and row["Cost"] == "—"
            assert r["format"] != "coaching" or row["Trainer hours"] == "—"
        else:
            assert row["participants"] == r["participants"] and row["Participant hours"] == r["participant_hours"]


def test_the_cases_hold_groups_both_under_and_over_k():
    """The checks above are not vacuous: the demo scenarios hold groups of both kinds for each figure."""
    from impactlib.analysis import training

    seen = {"gaps": [0, 0], "staffing": [0, 0], "key_users": [0, 0], "training_export": [0, 0]}  # [hidden, shown]
    for cid, scenario, k in CASES:
        c = CLIENTS[cid]
        people = {"gaps": skills.gap_summary(skills.gaps(c, scenario), 1)["people"],
                  "staffing": staffing.staffing_advice(c, scenario)["people"],
                  "key_users": staffing.key_users(c, scenario)["department_id"].map(c.staff.groupby("department_id").size()),
                  "training_export": training.sessions(c, scenario)["participants"]}
        for kind, sizes in people.items():
            seen[kind][0] += int((sizes < k).sum())
            seen[kind][1] += int((sizes >= k).sum())
    assert all(hidden > 0 and shown > 0 for hidden, shown in seen.values()), seen


def test_render_module_shows_no_other_per_person_table():
    """A new section showing people per group must be added to this file: the section functions of
    every impactlib.render module that read staff, skills, staffing or training are pinned here."""
    import importlib
    import inspect
    import pkgutil

    modules = [render] + [importlib.import_module(f"impactlib.render.{m.name}") for m in pkgutil.iter_modules(render.__path__)]
    readers = sorted({f"{fn.__module__.rsplit('.', 1)[-1]}.{name}" for mod in modules
                      for name, fn in inspect.getmembers(mod, inspect.isfunction) if fn.__module__.startswith("impactlib.render")
                      and re.search(r"skills\.|staffing\.|training\.|\.staff\b|\.skills\b", inspect.getsource(fn))})
    # training_* show per-change totals over the change's whole scope, the scenario comparison per scenario, the summary
    # company-wide totals (docs/security.md, "Small groups"); the three others are tested above
    assert readers == ["advice.gaps_chart", "advice.reorganisation_section", "advice.staffing_section",
                       "advice.training_chart", "advice.training_section"], readers

"""Properties of the advice that must hold for any client: no negative gap, hour or cost; a dip never
deeper than all of one's time; no group under k shown; seeded ranges that repeat; totals that add up.

Each example copies the clean fixture into its own temporary folder (pytest's function-scoped
fixtures are not reset between hypothesis examples), edits it and loads it afresh.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, apply
from impactlib import assess, load_client
from impactlib.analysis import costs, impact, skills, training
from impactlib.io.catalog import load_catalog

STAFF = [f"S{i}" for i in range(1, 8)]
PRODUCTS = ["microsoft-365-business-standard", "microsoft-365-business-premium", "libreoffice", "exchange-online", "odoo",
            "medical-practice-software"]
_REQUIRED = load_catalog().required_skills()
SKILLS = sorted(set(_REQUIRED.loc[_REQUIRED["product_id"].isin([*PRODUCTS, "windows-11"]), "skill_id"]))
# an optional second change: the desktops' Windows 11 feature update, its own go-live
W11 = ("  - {id: C2, title: Windows 11, action: upgrade, product_id: windows-11, version: 25H2, from_product_id: windows-10,\n"
       "     assets: [PC], go_live: 2027-06-01, rollout: phased, seats: 7}\n")
INTENSITIES = ["daily", "weekly", "monthly", "occasional"]
PACES = [0.0, 0.5, 2.0, 8.0, 40.0]


def client_with(edits):
    """A fresh client from a private copy of the clean fixture with ``edits`` applied."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "clients" / "clean"
        shutil.copytree(FIXTURES / "clean", folder)
        apply(folder, edits)
        return load_client(folder)  # everything is read at load: the folder may go


@st.composite
def clients(draw):
    """The clean client with any skill levels, product, key user, usage intensity, training pace,
    go-live, seats, intervention hours and dip scale, and maybe a second change (Windows 11)."""
    levels = draw(st.dictionaries(st.tuples(st.sampled_from(STAFF), st.sampled_from(SKILLS)), st.integers(0, 5), max_size=25))
    product = draw(st.sampled_from(PRODUCTS))
    go_live = draw(st.dates(dt.date(2026, 10, 2), dt.date(2028, 6, 30)))
    seats = draw(st.one_of(st.none(), st.integers(0, 20)))
    hours = draw(st.one_of(st.none(), st.integers(0, 400)))
    extra = "".join(f", {k}: {v}" for k, v in (("seats", seats), ("intervention_hours", hours)) if v is not None)
    fin_i, ops_i = draw(st.sampled_from(INTENSITIES)), draw(st.sampled_from(INTENSITIES))
    fin_pace, ops_pace = draw(st.sampled_from(PACES)), draw(st.sampled_from(PACES))
    key_user = draw(st.booleans())
    dip_scale = draw(st.floats(0, 5, allow_nan=False).map(lambda x: round(x, 2)))
    edits = [
        ("skills.csv", None, "staff_id,skill_id,level\n" + "".join(f"{s},{k},{v}\n" for (s, k), v in sorted(levels.items()))),
        ("spec.yaml", "product_id: microsoft-365-business-standard", f"product_id: {product}"),
        ("spec.yaml", "start: 2027-02-06, go_live: 2027-03-01, rollout: phased, seats: 7}",
         f"go_live: {go_live.isoformat()}, rollout: phased{extra}}}"),
        ("usage.csv", "FIN,OFFICE,end_user,3,daily,20,pivot_tables,",  # with one of them a key user, or not
         f"FIN,OFFICE,end_user,2,{fin_i},20,pivot_tables,\nFIN,OFFICE,key_user,1,{fin_i},20,," if key_user
         else f"FIN,OFFICE,end_user,3,{fin_i},20,pivot_tables,"),
        ("usage.csv", "OPS,OFFICE,end_user,3,weekly,", f"OPS,OFFICE,end_user,3,{ops_i},"),
        ("departments.csv", "FIN,Finance,3,critical,45,8,", f"FIN,Finance,3,critical,45,{fin_pace},"),
        ("departments.csv", "OPS,Operations,4,high,35,8,", f"OPS,Operations,4,high,35,{ops_pace},"),
        ("scenarios/baseline.yaml", "title: As specified", f"title: As specified\nassumptions: {{dip_scale: {dip_scale}}}"),
    ]
    if draw(st.booleans()):
        edits.append(("spec.yaml", f"rollout: phased{extra}}}\n", f"rollout: phased{extra}}}\n" + W11))
    return client_with(edits)


@settings(max_examples=40, deadline=None)
@given(c=clients())
def test_gaps_and_training_are_never_negative(c):
    an = assess(c)
    g = an.gaps
    assert (g["gap"] >= 0).all()
    assert (g["gap"] == (g["required"] - g["current"]).clip(lower=0)).all()
    need = an.training_need
    assert (need["gap"] > 0).all()
    assert (need["hours"].dropna() > 0).all() and (need["cost"].dropna() >= 0).all()
    assert need["hours"].isna().equals(need["cost"].isna())
    plan = an.sessions
    for col in ("participants", "sessions", "hours", "participant_hours", "cost", "trainer_hours"):
        assert (plan[col] >= 0).all(), col
    assert (plan["sessions"] >= 1).all()
    size = plan["course_id"].map(c.catalog.courses.set_index("course_id")["group_size"])
    assert (plan["sessions"] == np.ceil(plan["participants"] / size)).all()
    go_live = plan["change_id"].map({ch.id: pd.Timestamp(ch.go_live) for ch in c.spec.changes})
    assert (plan["needed_by"] < go_live).all()
    wave_end = go_live - pd.to_timedelta(plan["wave"].map(training.WAVE_END_DAYS), unit="D")
    assert (plan["needed_by"] <= wave_end).all()  # wave 1 done 35 days before go-live, wave 2 seven days before
    earliest = pd.Timestamp(an.earliest)
    assert (plan["date"] >= earliest).all()  # nothing planned before the report date + lead time
    assert (plan["late"] == (plan["needed_by"] < earliest)).all()
    assert (plan["date"] == plan["needed_by"].where(~plan["late"], earliest)).all()
    # the plan trains the capabilities decided "train" (an.training), every one of them that has a course
    assert training.totals(plan)["cost"] == pytest.approx(an.training["cost"].sum())


@settings(max_examples=40, deadline=None)
@given(c=clients(), seed=st.integers(0, 2**32 - 1))
def test_drawbacks_and_costs_are_never_negative(c, seed):
    an = assess(c)
    d = an.drawbacks
    assert (d["hours_lost"] >= 0).all() and (d["cost_lost"] >= 0).all()
    assert d["dip_depth"].between(0, 1).all()
    e = an.cost_lines
    assert (e["amount"].dropna() >= 0).all() and (e["quantity"].dropna() >= 0).all()
    it = an.cost_items  # over the horizon
    assert list(it.index) == list(costs.ITEMS) and (it >= 0).all()
    assert (costs.spend_items(an) >= 0).all() and an.figures.spend == pytest.approx(costs.spend_items(an).sum())
    r1, r2 = costs.ranges(it, 200, seed), costs.ranges(it, 200, seed)
    pd.testing.assert_frame_equal(r1, r2)
    assert r1.set_index("item").at["total", "base"] == pytest.approx(it.sum())
    assert ((r1["p10"] <= r1["p50"]) & (r1["p50"] <= r1["p90"])).all()
    assert (r1["p10"] >= 0).all()


@settings(max_examples=40, deadline=None)
@given(c=clients())
def test_impact_degrees_stay_within_0_5(c):
    an = assess(c)
    di = an.department_impact
    assert di["degree"].dropna().between(0, 5).all()
    assert di["exposure"].between(0, 1).all()
    s = impact.department_scores(di)
    assert s["score"].between(0, 5).all()
    load = an.change_load
    assert (load["saturated"] == (load["load"] > load["capacity"])).all()


# --- k-anonymity --------------------------------------------------------------------------------

gap_rows = st.lists(st.tuples(st.sampled_from(["FIN", "OPS", "HR"]), st.sampled_from([f"S{i}" for i in range(1, 13)]),
                              st.sampled_from(["m365_use", "excel_use", "m365_admin"]), st.sampled_from(["C1", "C2"]),
                              st.integers(0, 5)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(rows=gap_rows, k=st.integers(1, 8))
def test_gap_summary_never_shows_a_small_group(rows, k):
    g = pd.DataFrame(rows, columns=["department_id", "staff_id", "skill_id", "change_id", "gap"])
    s = skills.gap_summary(g, k)
    shown = s.loc[s["people"].notna()]
    assert (shown["people"] >= k).all()
    assert s.loc[s["people"].isna(), "mean_gap"].isna().all()
    # what is shown is the true number of distinct people with a gap, and their mean largest gap
    truth = g.loc[g["gap"] > 0].groupby(["department_id", "staff_id", "skill_id"])["gap"].max().groupby(["department_id", "skill_id"])
    for r in shown.itertuples():
        assert r.people == truth.size()[(r.department_id, r.skill_id)]
        assert r.mean_gap == pytest.approx(truth.mean()[(r.department_id, r.skill_id)])
    assert len(s) == truth.ngroups  # groups with no gap are absent, never shown as 0 people


@settings(max_examples=30, deadline=None)
@given(c=clients(), k=st.integers(1, 8))
def test_gap_summary_of_a_client(c, k):
    s = skills.gap_summary(assess(c).gaps, k)
    assert (s["people"].dropna() >= k).all()
    assert (s["mean_gap"].dropna() > 0).all()

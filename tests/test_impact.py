"""Impact on departments: exposure, degrees per aspect, scores, change load per month and missing
profiles, as tables of edits on the clean fixture (Microsoft 365 replacing Office LTSC 2024)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import apply
from impactlib import assess, load_client
from impactlib.analysis import impact

# clean: FIN (3 people) uses OFFICE daily as end users; OPS (4) weekly, 3 end users and 1 administrator
FIN_OFFICE = "FIN,OFFICE,end_user,3,daily,20,pivot_tables,"
OPS_END, OPS_ADMIN = "OPS,OFFICE,end_user,3,weekly,5,,", "OPS,OFFICE,administrator,1,weekly,2,,"
FIN_KEY_USER = (FIN_OFFICE, "FIN,OFFICE,end_user,2,daily,20,pivot_tables,\nFIN,OFFICE,key_user,1,daily,20,,")
PROFILE_HEADER = "category,action,processes,systems,tools,job_roles,skills,reporting,workload,source\n"
ADD_CHANGE = "rollout: phased, seats: 7}\n"


NO_FIN_USAGE = ("usage.csv", FIN_OFFICE + "\n", "")
NAMED = ("spec.yaml", "rollout: phased, seats: 7}", "departments: [FIN, OPS], rollout: phased, seats: 7}")
WIN11 = ("{id: C2, title: Windows 11, action: upgrade, product_id: windows-11, version: 25H2, from_product_id: windows-10, "
         "assets: [PC], go_live: 2027-03-01, rollout: phased, seats: 7}")


def pcs_in_fin(quantity: int) -> tuple[str, str, str]:
    """The 7 desktops (PC, in no department) become ``quantity`` desktops assigned to FIN."""
    return ("assets.csv", "PC,Desktops,workstation,,,7,,", f"PC,Desktops,workstation,,,{quantity},FIN,")


def fin(intensity: str = "daily", users: int = 3) -> tuple[str, str, str]:
    return ("usage.csv", FIN_OFFICE, f"FIN,OFFICE,end_user,{users},{intensity},20,pivot_tables,")


def profile(processes: int = 0, job_roles: int = 0) -> tuple[str, None, str]:
    """A client catalog row replacing the shipped collaboration/replace profile; other aspects 0."""
    return ("catalog/impact_profiles.csv", None, PROFILE_HEADER + f"collaboration,replace,{processes},0,0,{job_roles},0,0,0,test\n")


def add_change(line: str) -> tuple[str, str, str]:
    return ("spec.yaml", ADD_CHANGE, ADD_CHANGE + "  - " + line + "\n")


def degrees(folder, change="C1") -> dict[tuple[str, str], float]:
    di = assess(load_client(folder)).department_impact
    di = di.loc[di["change_id"] == change]
    return dict(zip(zip(di["department_id"], di["aspect"]), di["degree"]))


# --- exposure -----------------------------------------------------------------------------------

EXPOSURE = [
    # edits, department, users, intensity, exposure
    pytest.param([], "FIN", 3, 1.0, 1.0, id="daily"),
    pytest.param([fin("weekly")], "FIN", 3, 0.7, 0.7, id="weekly"),
    pytest.param([fin("monthly")], "FIN", 3, 0.4, 0.4, id="monthly"),
    pytest.param([fin("occasional")], "FIN", 3, 0.2, 0.2, id="occasional"),
    pytest.param([fin("weekly", 2)], "FIN", 2, 0.7, 2 / 3 * 0.7, id="two-of-three-weekly"),
    pytest.param([fin("daily", 1)], "FIN", 1, 1.0, 1 / 3, id="one-of-three-daily"),
    # the change names FIN, which records no use of OFFICE: its whole headcount (3 of 3), weight 1
    pytest.param([NO_FIN_USAGE, NAMED], "FIN", 3, 1.0, 1.0, id="no-usage-recorded, named: everyone, weight 1"),
    pytest.param([], "OPS", 4, 0.7, 0.7, id="end-users-and-administrator"),
    pytest.param([("usage.csv", OPS_ADMIN, OPS_ADMIN.replace("weekly", "daily"))], "OPS", 4, 1.0, 1.0, id="largest-weight-of-any-role"),
    pytest.param([("usage.csv", OPS_END, OPS_END.replace("weekly", "occasional"))], "OPS", 4, 0.7, 0.7, id="largest-weight-kept"),
    pytest.param([("usage.csv", OPS_END, OPS_END.replace(",3,weekly", ",1,monthly")),
                  ("usage.csv", OPS_ADMIN, OPS_ADMIN.replace("weekly", "monthly"))], "OPS", 2, 0.4, 2 / 4 * 0.4, id="half-monthly"),
]


@pytest.mark.parametrize("edits, dept, users, intensity, exposure", EXPOSURE)
def test_exposure(clean, edits, dept, users, intensity, exposure):
    apply(clean, edits)
    ex = assess(load_client(clean)).exposure.set_index(["change_id", "department_id"]).loc[("C1", dept)]
    assert (ex["users"], ex["intensity"]) == (users, pytest.approx(intensity))
    assert ex["exposure"] == pytest.approx(exposure)


SCOPE = [
    # edits, change, exposure per department in scope: (users, intensity, exposure); reason of each department's end users
    # FIN records no use of OFFICE and C1 names no department: FIN is out of scope (no more whole headcount by default)
    pytest.param([NO_FIN_USAGE], "C1", {"OPS": (4, 0.7, 0.7)}, {"OPS": "usage"}, id="no-usage-not-named: out of scope"),
    pytest.param([NO_FIN_USAGE, NAMED], "C1", {"FIN": (3, 1.0, 1.0), "OPS": (4, 0.7, 0.7)}, {"FIN": "listed", "OPS": "usage"},
                 id="no-usage-named: listed, its headcount"),
    # Windows 11 on PC: nobody records a use of PC; 2 desktops assigned to FIN: one user each, 2/3 × weight 1
    pytest.param([add_change(WIN11), pcs_in_fin(2)], "C2", {"FIN": (2, 1.0, 2 / 3)}, {"FIN": "devices"}, id="devices: one user each"),
    # 7 desktops in FIN: capped at its headcount, 3/3
    pytest.param([add_change(WIN11), pcs_in_fin(7)], "C2", {"FIN": (3, 1.0, 1.0)}, {"FIN": "devices"}, id="devices: capped at headcount"),
    # the desktops belong to no department and nobody records using them: no department is guessed (USAGE-MISSING)
    pytest.param([add_change(WIN11)], "C2", {}, {}, id="devices-of-no-department: nobody"),
]


@pytest.mark.parametrize("edits, change, exposed, reasons", SCOPE)
def test_exposure_scope_from_evidence(clean, edits, change, exposed, reasons):
    apply(clean, edits)
    an = assess(load_client(clean))
    ex = an.exposure.loc[an.exposure["change_id"] == change]
    got = {r.department_id: (r.users, r.intensity, r.exposure) for r in ex.itertuples()}
    assert got.keys() == exposed.keys()
    for dept, (users, intensity, exposure) in exposed.items():
        assert got[dept] == (users, pytest.approx(intensity), pytest.approx(exposure)), dept
    d = an.demand.loc[(an.demand["change_id"] == change) & (an.demand["role"] == "end_user")]
    assert dict(zip(d["department_id"], d["reason"])) == reasons
    assert any(f.rule == "USAGE-MISSING" for f in an.findings) == (not exposed)


def test_intensity_weights():
    assert impact.INTENSITY_WEIGHT == {"daily": 1.0, "weekly": 0.7, "monthly": 0.4, "occasional": 0.2}


@pytest.mark.parametrize("edits, key_roles", [([], {"FIN": 0, "OPS": 1}), ([("usage.csv", *FIN_KEY_USER)], {"FIN": 1, "OPS": 1})],
                         ids=["administrator-in-OPS", "and-a-key-user-in-FIN"])
def test_key_roles(clean, edits, key_roles):
    apply(clean, edits)
    ex = assess(load_client(clean)).exposure
    assert dict(zip(ex["department_id"], ex["key_roles"])) == key_roles


# --- degrees ------------------------------------------------------------------------------------

# the clean client as shipped: collaboration/replace profile 2,4,4,1,3,0,3; FIN exposure 1, OPS 0.7 with an administrator
CLEAN_DEGREES = {
    # aspect: (profile, FIN degree, OPS degree)
    "processes": (2, 2, 1),   # OPS 1.4 → 1
    "systems": (4, 4, 3),     # 2.8 → 3
    "tools": (4, 4, 3),
    "job_roles": (1, 1, 2),   # OPS 0.7 → 1, + 1 for its administrator
    "skills": (3, 3, 2),      # 2.1 → 2
    "reporting": (0, 0, 0),
    "workload": (3, 3, 2),
}


@pytest.mark.parametrize("aspect", sorted(CLEAN_DEGREES))
def test_clean_degrees(clean, aspect):
    di = assess(load_client(clean)).department_impact.set_index(["department_id", "aspect"])
    prof, fin_degree, ops_degree = CLEAN_DEGREES[aspect]
    assert di.loc[("FIN", aspect), "profile"] == prof
    assert (di.loc[("FIN", aspect), "degree"], di.loc[("OPS", aspect), "degree"]) == (fin_degree, ops_degree)


DEGREES = [
    # profile degree, exposure edits, department, expected degree of `processes` (no job_roles bonus)
    pytest.param(0, [], "FIN", 0, id="profile-0"),
    pytest.param(5, [], "FIN", 5, id="5×1"),
    pytest.param(1, [fin("occasional")], "FIN", 1, id="1×0.2=0.2→floor-1"),
    pytest.param(2, [fin("occasional")], "FIN", 1, id="2×0.2=0.4→floor-1"),
    pytest.param(5, [fin("occasional")], "FIN", 1, id="5×0.2=1"),
    pytest.param(3, [fin("monthly")], "FIN", 1, id="3×0.4=1.2→1"),
    pytest.param(5, [fin("monthly")], "FIN", 2, id="5×0.4=2"),
    pytest.param(3, [fin("weekly")], "FIN", 2, id="3×0.7=2.1→2"),
    pytest.param(4, [fin("weekly")], "FIN", 3, id="4×0.7=2.8→3"),
    pytest.param(4, [fin("daily", 2)], "FIN", 3, id="4×2/3=2.67→3"),
    pytest.param(1, [fin("daily", 1)], "FIN", 1, id="1×1/3→floor-1"),
    # OPS with 2 of its 4 people using OFFICE daily: exposure 0.5, NumPy rounds halves to even
    pytest.param(5, [("usage.csv", OPS_END, "OPS,OFFICE,end_user,1,daily,5,,")], "OPS", 2, id="5×0.5=2.5→2"),
    pytest.param(3, [("usage.csv", OPS_END, "OPS,OFFICE,end_user,1,daily,5,,")], "OPS", 2, id="3×0.5=1.5→2"),
    pytest.param(1, [("usage.csv", OPS_END, "OPS,OFFICE,end_user,1,daily,5,,")], "OPS", 1, id="1×0.5=0.5→floor-1"),
]


@pytest.mark.parametrize("prof, edits, dept, degree", DEGREES)
def test_degree(clean, prof, edits, dept, degree):
    apply(clean, [profile(processes=prof), *edits])
    assert degrees(clean)[(dept, "processes")] == degree


JOB_ROLES = [
    # job_roles profile degree, edits, department, expected job_roles degree
    pytest.param(0, [], "FIN", 0, id="FIN-no-key-roles-0"),
    pytest.param(3, [], "FIN", 3, id="FIN-no-key-roles-3"),
    pytest.param(0, [], "OPS", 1, id="OPS-administrator-0+1"),
    pytest.param(3, [], "OPS", 3, id="OPS-administrator-2.1→2+1"),
    pytest.param(4, [], "OPS", 4, id="OPS-administrator-2.8→3+1"),
    pytest.param(4, [("usage.csv", *FIN_KEY_USER)], "FIN", 5, id="FIN-key-user-4+1"),
    pytest.param(5, [("usage.csv", *FIN_KEY_USER)], "FIN", 5, id="FIN-key-user-capped-at-5"),
]


@pytest.mark.parametrize("prof, edits, dept, degree", JOB_ROLES)
def test_job_roles_bonus(clean, prof, edits, dept, degree):
    apply(clean, [profile(job_roles=prof), *edits])
    d = degrees(clean)
    assert d[(dept, "job_roles")] == degree
    assert d[(dept, "processes")] == 0  # the bonus is for job_roles only


def test_degrees_stay_within_0_5(clean):
    apply(clean, [("catalog/impact_profiles.csv", None, PROFILE_HEADER + "collaboration,replace,5,5,5,5,5,5,5,test\n"),
                  ("usage.csv", *FIN_KEY_USER)])
    di = assess(load_client(clean)).department_impact
    assert di["degree"].between(0, 5).all()
    assert set(di.loc[di["department_id"] == "FIN", "degree"]) == {5}


# --- scores -------------------------------------------------------------------------------------

def impact_frame(rows) -> pd.DataFrame:
    """A department_impact-like frame from (department, headcount, change, aspect, degree) rows."""
    f = pd.DataFrame(rows, columns=["department_id", "headcount", "change_id", "aspect", "degree"])
    return f.assign(department=f["department_id"].str.title())


SCORES = [
    # degrees of one (department, change) over its aspects, score
    pytest.param([2, 4], 3.0, id="mean-of-two"),
    pytest.param([0, 0, 3], 1.0, id="zeros-count"),
    pytest.param([5], 5.0, id="one-aspect"),
    pytest.param([2, 4, 4, 1, 3, 0, 3], 17 / 7, id="seven-aspects"),
]


@pytest.mark.parametrize("ds, score", SCORES)
def test_department_score_is_mean_over_aspects(ds, score):
    f = impact_frame([("FIN", 3, "C1", f"a{i}", d) for i, d in enumerate(ds)])
    s = impact.department_scores(f)
    assert s[["department_id", "department", "headcount", "change_id"]].to_dict("records") == [
        {"department_id": "FIN", "department": "Fin", "headcount": 3, "change_id": "C1"}]
    assert s["score"].iloc[0] == pytest.approx(score)


def test_department_without_degrees_gets_no_score():
    f = impact_frame([("FIN", 3, "C1", "a", 2.0), ("FIN", 3, "C2", "(no profile)", float("nan"))])
    s = impact.department_scores(f)
    assert list(zip(s["change_id"], s["score"])) == [("C1", 2.0)]  # never a 0 for C2


COMPANY = [
    # (department, headcount, change, score) rows, total headcount, company score per change
    pytest.param([("FIN", 3, "C1", 2.0), ("OPS", 4, "C1", 1.0)], 7, {"C1": 10 / 7}, id="two-departments"),
    pytest.param([("FIN", 3, "C1", 2.0), ("OPS", 4, "C1", 1.0)], 10, {"C1": 1.0}, id="untouched-department-counts-0"),
    pytest.param([("FIN", 3, "C1", 2.0), ("OPS", 4, "C2", 5.0)], 7, {"C1": 6 / 7, "C2": 20 / 7}, id="one-per-change"),
    pytest.param([("FIN", 3, "C1", 2.0)], 0, {"C1": 0.0}, id="no-headcount"),
]


@pytest.mark.parametrize("rows, total, expected", COMPANY)
def test_company_scores(rows, total, expected):
    scores = pd.DataFrame(rows, columns=["department_id", "headcount", "change_id", "score"])
    cs = impact.company_scores(scores, total)
    assert cs.to_dict() == pytest.approx(expected)


def test_clean_scores(clean):
    an = assess(load_client(clean))
    s = impact.department_scores(an.department_impact)
    assert dict(zip(s["department_id"], s["score"])) == pytest.approx({"FIN": 17 / 7, "OPS": 13 / 7})
    cs = impact.company_scores(s, int(an.client.departments["headcount"].sum()))
    assert cs["C1"] == pytest.approx((3 * 17 / 7 + 4 * 13 / 7) / 7)


# --- change load --------------------------------------------------------------------------------

GO_LIVE = "go_live: 2027-03-01, rollout"
MONTHS = [
    # C1 go-live, months loaded (Microsoft 365 dip: 3 weeks)
    pytest.param("2027-03-01", ["2027-01", "2027-02", "2027-03"], id="dip-ends-in-go-live-month"),
    pytest.param("2027-03-10", ["2027-01", "2027-02", "2027-03"], id="dip-ends-2027-03-31"),
    pytest.param("2027-03-11", ["2027-01", "2027-02", "2027-03", "2027-04"], id="dip-ends-2027-04-01"),
    pytest.param("2027-04-30", ["2027-02", "2027-03", "2027-04", "2027-05"], id="late-april"),
]


@pytest.mark.parametrize("go_live, months", MONTHS)
def test_change_load_months(clean, go_live, months):
    apply(clean, [("spec.yaml", GO_LIVE, f"go_live: {go_live}, rollout")])
    load = assess(load_client(clean)).change_load
    for dept in ("FIN", "OPS"):
        mine = load.loc[load["department_id"] == dept]
        assert list(mine["month"].dt.strftime("%Y-%m")) == months
        assert set(mine["changes"]) == {"C1"}
    assert (load["month"].dt.day == 1).all()


@pytest.mark.parametrize("capacity, saturated", [(3, False), (2.5, False), (2.4, True), (1, True)])
def test_saturation(clean, capacity, saturated):
    apply(clean, [("departments.csv", "FIN,Finance,3,critical,45,8,3,", f"FIN,Finance,3,critical,45,8,{capacity},")])
    load = assess(load_client(clean)).change_load.query("department_id == 'FIN'")
    assert load["load"].tolist() == pytest.approx([17 / 7] * 3) and (load["capacity"] == capacity).all()
    assert load["saturated"].tolist() == [saturated] * 3


ODOO = "{id: C2, title: Odoo, action: add, product_id: odoo, departments: [FIN], go_live: 2027-04-15, rollout: big_bang}"


def test_overlapping_changes_add_up(clean):
    # Odoo: erp/add profile 4,4,4,3,4,3,4 on FIN (named, no recorded use: its headcount, weight 1) → 26/7; dip 8 weeks → Feb to June
    apply(clean, [add_change(ODOO)])
    load = assess(load_client(clean)).change_load.query("department_id == 'FIN'").set_index("month")
    c1, c2 = 17 / 7, 26 / 7
    expected = {"2027-01": (c1, "C1"), "2027-02": (c1 + c2, "C1, C2"), "2027-03": (c1 + c2, "C1, C2"),
                "2027-04": (c2, "C2"), "2027-05": (c2, "C2"), "2027-06": (c2, "C2")}
    got = {m.strftime("%Y-%m"): (r["load"], r["changes"]) for m, r in load.iterrows()}
    assert got.keys() == expected.keys()
    for month, (value, ids) in expected.items():
        assert got[month] == (pytest.approx(value), ids), month
    assert (load["saturated"] == (load["load"] > 3)).all()
    assert load["saturated"].tolist() == [False, True, True, True, True, True]


def test_scores_can_be_given(clean):
    an = assess(load_client(clean))
    scores = pd.DataFrame({"department_id": ["FIN"], "department": ["Finance"], "headcount": [3], "change_id": ["C1"], "score": [4.0]})
    load = impact.load(an.client, an.changes, scores)
    assert set(load["department_id"]) == {"FIN"} and (load["load"] == 4.0).all() and load["saturated"].all()


NOTHING = ("scenarios/baseline.yaml", "title: As specified", "title: As specified\nexclude: [C1]")  # a "do nothing" scenario


def test_no_change_no_impact(clean):
    apply(clean, [NOTHING])
    di = assess(load_client(clean)).department_impact
    assert di.empty and list(di.columns) == ["change_id", "department_id", "department", "headcount", "aspect", "degree",
                                             "exposure", "profile"]


def test_no_change_no_load(clean):
    apply(clean, [NOTHING])
    load = assess(load_client(clean)).change_load
    assert load.empty
    assert list(load.columns) == ["department_id", "department", "month", "load", "capacity", "saturated", "changes"]


def test_no_change_no_exposure(clean):
    apply(clean, [NOTHING])
    an = assess(load_client(clean))
    assert an.exposure.empty and impact.missing_profiles(an) == []


# --- missing profiles ---------------------------------------------------------------------------

REMOVE_OFFICE = "{id: C2, title: Drop Office, action: remove, from_product_id: office-ltsc-2024, go_live: 2027-04-01, rollout: big_bang}"
ADD_BACKUP = "{id: C2, title: Backup, action: add, product_id: veeam-backup-replication, assets: [SRV], go_live: 2027-04-01, rollout: big_bang}"
REMOVE_FORTIGATE = "{id: C2, title: Drop firewall, action: remove, from_product_id: fortigate, go_live: 2027-04-01, rollout: big_bang}"

MISSING = [
    pytest.param([], [], id="clean"),
    pytest.param([add_change(REMOVE_OFFICE)], [("C2", "office_suite", "remove")], id="remove-office-suite"),
    pytest.param([add_change(ADD_BACKUP)], [("C2", "backup", "add")], id="add-backup"),
    pytest.param([add_change(REMOVE_FORTIGATE)], [], id="other/remove-has-a-profile"),
    pytest.param([add_change(REMOVE_OFFICE),
                  ("catalog/impact_profiles.csv", None, PROFILE_HEADER + "office_suite,remove,1,1,1,0,0,0,1,test\n")],
                 [], id="client-catalog-adds-the-row"),
    pytest.param([("catalog/impact_profiles.csv", None, PROFILE_HEADER + "office_suite,remove,1,1,1,0,0,0,1,test\n")],
                 [], id="override-keeps-the-shipped-rows"),
]


@pytest.mark.parametrize("edits, missing", MISSING)
def test_missing_profiles(clean, edits, missing):
    apply(clean, edits)
    assert impact.missing_profiles(assess(load_client(clean))) == missing


def test_change_without_profile_is_never_scored_zero(clean):
    apply(clean, [add_change(ADD_BACKUP)])
    an = assess(load_client(clean))
    di = an.department_impact
    c2 = di.loc[di["change_id"] == "C2"]
    assert not c2.empty and c2["degree"].isna().all() and set(c2["aspect"]) == {"(no profile)"}
    scores = impact.department_scores(di)
    assert set(scores["change_id"]) == {"C1"}
    assert set(an.change_load["changes"]) == {"C1"}


def test_removal_has_no_impact_rows(clean):
    apply(clean, [add_change(REMOVE_OFFICE),
                  ("catalog/impact_profiles.csv", None, PROFILE_HEADER + "office_suite,remove,1,1,1,0,0,0,1,test\n")])
    di = assess(load_client(clean)).department_impact
    assert set(di["change_id"]) == {"C1"}  # documented limit: a remove change has no demand, so no degree


def test_impact_columns(clean):
    di = assess(load_client(clean)).department_impact
    assert list(di.columns) == ["change_id", "department_id", "department", "headcount", "aspect", "degree", "exposure", "profile"]
    assert len(di) == 2 * 7 and not di["degree"].isna().any()
    assert all(math.isfinite(x) for x in di["exposure"])


def _load_by_frames(client, changes, scores: pd.DataFrame) -> pd.DataFrame:
    """impact.load as frames (a frame of months per change merged with the scores, grouped, sorted): the reading the
    plain-Python grouping must equal, to the bit."""
    spans = []
    for c in changes:
        p = client.catalog.products.get(c.product_id)
        weeks = (p.change.dip_weeks or 0) if p is not None and p.change is not None else 0
        first = (pd.Timestamp(c.go_live) - pd.DateOffset(months=impact.PREPARATION_MONTHS)).to_period("M")
        last = (pd.Timestamp(c.go_live) + pd.Timedelta(weeks=weeks)).to_period("M")
        spans.append(pd.DataFrame({"change_id": c.id, "month": pd.period_range(first, last, freq="M")}))
    f = scores.merge(pd.concat(spans, ignore_index=True), on="change_id")
    load = f.groupby(["department_id", "department", "month"], as_index=False).agg(load=("score", "sum"))
    load["changes"] = f.groupby(["department_id", "department", "month"])["change_id"].agg(
        lambda s: ", ".join(sorted(s))).astype("str").to_numpy()
    load["capacity"] = load["department_id"].map(client.departments.set_index("department_id")["change_capacity"])
    load["saturated"] = load["load"] > load["capacity"]
    load["month"] = load["month"].dt.to_timestamp()
    return load.sort_values(["department_id", "month"], ignore_index=True)


def test_the_load_equals_its_reading_as_frames(clean):
    from conftest import DEMO

    apply(clean, [add_change(ODOO)])  # two changes overlapping on FIN: loads of two scores summed
    for folder in [clean, *sorted(p for p in DEMO.iterdir() if (p / "spec.yaml").exists())]:
        client = load_client(folder)
        for name in client.scenarios:
            an = assess(client, name)
            if an.changes and not an.department_impact.empty:
                scores = impact.department_scores(an.department_impact)
                pd.testing.assert_frame_equal(impact.load(client, an.changes, scores), _load_by_frames(client, an.changes, scores),
                                              check_exact=True)

"""Staffing and reorganisation advice: build / buy / borrow decisions, key users, new roles, process
owners and support model, as tables of edits on the clean fixture, plus the acme-industrie demo."""

from __future__ import annotations

import dataclasses
import functools
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEMO, FIXTURES, apply
from impactlib import assess, load_client
from impactlib.analysis import staffing

COURSES_HEADER = "course_id,skill_id,from_level,to_level,hours,cost,currency,format,group_size,source\n"
# the only course reaching m365_admin level 4, moved to another skill: no chain reaches 4 any more
NO_M365_ADMIN_4 = COURSES_HEADER + 'm365-admin-3-4,change_management,3,4,35,2700,EUR,classroom,8,"test override"\n'
SOON = ("start: 2027-02-06, go_live: 2027-03-01", "start: 2026-10-15, go_live: 2026-11-20")  # 1.6 months after the spec
LATER_REMOVAL = ("title: As specified", "title: As specified\nadd:\n  - {id: C9, title: Back to on-premises, action: remove, "
                 "from_product_id: microsoft-365-business-standard, go_live: 2027-09-01, rollout: big_bang}")
FIN_KEY_USER = ("FIN,OFFICE,end_user,3,daily,20,pivot_tables,", "FIN,OFFICE,end_user,2,daily,20,pivot_tables,\n"
                "FIN,OFFICE,key_user,1,daily,20,,")


# the clean client has 7 staff: let it recruit administrators like a larger company would
RECRUITS = ("scenarios/baseline.yaml", "title: As specified", "title: As specified\nassumptions: {in_house_admin_from_staff: 0}")


def s7_admin(level: int) -> tuple[str, str, str]:
    return ("skills.csv", "S7,m365_admin,4\n", f"S7,m365_admin,{level}\n")


def advice_for(folder, role: str, skill: str, scenario=None) -> dict:
    adv = assess(load_client(folder), scenario).staffing_advice
    row = adv.loc[(adv["role"] == role) & (adv["skill_id"] == skill)]
    assert len(row) == 1, adv
    return row.iloc[0].to_dict()


# --- build / buy / borrow -----------------------------------------------------------------------

DECISIONS = [
    # edits, role, skill, decision, rule, cost (EUR: courses 2700 / recruitment 9000 / 90 €/h provider)
    pytest.param([s7_admin(3)], "administrator", "m365_admin", "train", "gap_small_time_ok", 2700.0, id="admin-gap1-train"),
    pytest.param([s7_admin(2), RECRUITS], "administrator", "m365_admin", "recruit", "too_late_permanent", 9000.0, id="admin-gap2-too-slow-recruit"),
    pytest.param([s7_admin(1), RECRUITS], "administrator", "m365_admin", "recruit", "no_candidate_permanent", 9000.0, id="admin-gap3-recruit"),
    pytest.param([s7_admin(1)], "administrator", "m365_admin", "outsource", "small_company_managed", 90.0 * 8 * 12,
                 id="admin-gap3-small-company-managed"),
    pytest.param([s7_admin(2)], "administrator", "m365_admin", "outsource", "small_company_managed", 90.0 * 8 * 12,
                 id="admin-gap2-too-slow-small-company-managed"),
    pytest.param([s7_admin(1), RECRUITS, ("spec.yaml", *SOON)], "administrator", "m365_admin", "outsource_then_recruit",
                 "no_time_to_recruit", 9000.0 + 90 * 8 * 3, id="admin-gap3-soon-bridge"),
    pytest.param([s7_admin(3), RECRUITS, ("spec.yaml", *SOON)], "administrator", "m365_admin", "outsource_then_recruit",
                 "no_time_to_recruit", 9000.0 + 90 * 8 * 3, id="admin-gap1-soon-bridge"),
    pytest.param([s7_admin(1), ("scenarios/baseline.yaml", *LATER_REMOVAL)], "administrator", "m365_admin", "outsource",
                 "temporary_need", 90.0 * 8 * 12, id="admin-temporary-outsource"),
    pytest.param([s7_admin(3), ("catalog/courses.csv", None, NO_M365_ADMIN_4)], "administrator", "m365_admin", "outsource",
                 "no_course", 90.0 * 8 * 12, id="admin-no-course"),
    pytest.param([("skills.csv", "S1,m365_use,3\n", "S1,m365_use,0\n")], "end_user", "m365_use", "train", "end_user", 350.0, id="end-user-train"),
    pytest.param([("usage.csv", *FIN_KEY_USER)], "key_user", "m365_use", "train", "key_user_time_ok", 900.0, id="key-user-train"),
    pytest.param([("usage.csv", *FIN_KEY_USER), ("departments.csv", "FIN,Finance,3,critical,45,8,", "FIN,Finance,3,critical,45,2,")],
                 "key_user", "m365_use", "outsource", "too_late_to_train", 90.0 * 4 * 12, id="key-user-too-slow-coaching"),
]


@pytest.mark.parametrize("edits, role, skill, decision, rule, cost", DECISIONS)
def test_staffing_decision(clean, edits, role, skill, decision, rule, cost):
    apply(clean, edits)
    row = advice_for(clean, role, skill)
    assert (row["decision"], row["rule"]) == (decision, rule)
    assert row["cost"] == pytest.approx(cost)


def test_capability_need_numbers(clean):
    apply(clean, [s7_admin(3)])
    need = assess(load_client(clean)).capability_needs
    assert list(need.columns) == staffing.NEED_COLUMNS
    row = need.set_index(["role", "skill_id"]).loc[("administrator", "m365_admin")]
    assert (row["people"], row["max_gap"], row["best_current"], row["required"]) == (1, 1, 3, 4)
    assert (row["hours_per_person"], row["capacity"]) == (35.0, 8.0)  # m365-admin-3-4; OPS trains 8 h a month
    assert row["months_to_capability"] == pytest.approx(35 / 8)
    assert row["months_available"] == pytest.approx(151 / 30.44)  # 2026-10-01 to 2027-03-01
    assert row["permanent"]


def test_no_course_leaves_hours_unknown(clean):
    apply(clean, [s7_admin(3), ("catalog/courses.csv", None, NO_M365_ADMIN_4)])
    row = assess(load_client(clean)).capability_needs.set_index("skill_id").loc["m365_admin"]
    assert math.isnan(row["hours_per_person"]) and math.isnan(row["months_to_capability"])


def test_clean_client_needs_nobody(clean):
    an = assess(load_client(clean))
    assert an.capability_needs.empty
    assert list(an.staffing_advice.columns) == staffing.ADVICE_COLUMNS
    assert an.recruit_profiles.empty


# --- recruit profiles ---------------------------------------------------------------------------

PROFILES = [
    pytest.param([s7_admin(1), RECRUITS], "microsoft-365-business-standard", "Microsoft 365 Business Standard administrator",
                 "m365_admin:4|exchange_admin:3", "confirmed", id="m365"),
    pytest.param([("spec.yaml", "product_id: microsoft-365-business-standard", "product_id: medical-practice-software"), RECRUITS],
                 "medical-practice-software", "Practice software administrator",
                 "practice_software_use:5|gdpr_data_protection:3", "senior", id="practice-software-senior"),
]


@pytest.mark.parametrize("edits, product, title, skills, seniority", PROFILES)
def test_recruit_profile(clean, edits, product, title, skills, seniority):
    apply(clean, edits)
    prof = assess(load_client(clean)).recruit_profiles
    assert prof[["product_id", "title", "skills", "seniority", "headcount"]].to_dict("records") == [
        {"product_id": product, "title": title, "skills": skills, "seniority": seniority, "headcount": 1}]


def test_no_profile_in_a_small_company(clean):
    apply(clean, [s7_admin(1)])  # 7 staff, below in_house_admin_from_staff: a managed service, nobody to hire
    assert assess(load_client(clean)).recruit_profiles.empty


def test_no_profile_when_administrators_are_trained(clean):
    apply(clean, [s7_admin(3)])
    assert assess(load_client(clean)).recruit_profiles.empty


# --- key users ----------------------------------------------------------------------------------

@pytest.mark.parametrize("users, needed", [(1, 1), (15, 1), (16, 2), (30, 2), (31, 3)])
def test_key_users_needed(clean, users, needed):
    apply(clean, [("departments.csv", "FIN,Finance,3,", "FIN,Finance,40,"),
                  ("usage.csv", "FIN,OFFICE,end_user,3,", f"FIN,OFFICE,end_user,{users},")])
    ku = staffing.key_users(assess(load_client(clean)), k=2).set_index("department_id")
    assert (ku.at["FIN", "users"], ku.at["FIN", "key_users_needed"]) == (users, needed)


KEY_USER_CANDIDATES = [
    # M365 key users need m365_use 4 and excel_use 3: a candidate has m365_use >= 3 and excel_use >= 2
    pytest.param([], {"FIN": 1, "OPS": 0}, id="clean: only S3 has both"),
    pytest.param([("skills.csv", "S3,excel_use,4\n", "S3,excel_use,4\nS1,excel_use,2\nS4,excel_use,3\n")],
                 {"FIN": 2, "OPS": 1}, id="excel at 2 is enough"),
    pytest.param([("skills.csv", "S3,excel_use,4\n", "S3,excel_use,1\n")], {"FIN": 0, "OPS": 0}, id="excel at 1 is not"),
    pytest.param([("skills.csv", "S3,m365_use,3\n", "S3,m365_use,2\n")], {"FIN": 0, "OPS": 0}, id="m365 at 2 is not"),
]


@pytest.mark.parametrize("edits, candidates", KEY_USER_CANDIDATES)
def test_key_user_candidates(clean, edits, candidates):
    apply(clean, edits)
    ku = staffing.key_users(assess(load_client(clean)), k=2)
    assert dict(zip(ku["department_id"], ku["candidates"])) == candidates
    assert dict(zip(ku["department_id"], ku["enough"])) == {d: n >= 1 for d, n in candidates.items()}
    assert set(ku["criteria"]) == {"m365_use>=3&excel_use>=2"}
    assert "*" not in set(ku["department_id"])  # a company-wide administrator need is not a department


@pytest.mark.parametrize("k, shown", [(None, set()), (5, set()), (4, {"OPS"}), (3, {"FIN", "OPS"})])
def test_key_user_candidates_follow_k_anonymity(clean, k, shown):
    ku = staffing.key_users(assess(load_client(clean)), k=k)  # FIN lists 3 staff, OPS 4; the scenario's k is 5
    assert set(ku.loc[~ku["suppressed"], "department_id"]) == shown
    assert ku.loc[ku["suppressed"], ["candidates", "enough"]].isna().all().all()


# --- reorganisation -----------------------------------------------------------------------------

ERP = ("  - {id: C2, title: Odoo, action: add, product_id: odoo, departments: [FIN], go_live: 2027-03-01, rollout: big_bang}\n")
OS = ("  - {id: C2, title: Windows 11, action: upgrade, product_id: windows-11, version: 25H2, from_product_id: windows-10,\n"
      "     assets: [PC], go_live: 2027-03-01, rollout: phased, seats: 7}\n")
ADD_CHANGE = "rollout: phased, seats: 7}\n"


@pytest.mark.parametrize("change, owners", [(ERP, {("C2", "FIN")}), (OS, set())], ids=["erp", "os"])
def test_process_owners(clean, change, owners):
    apply(clean, [("spec.yaml", ADD_CHANGE, ADD_CHANGE + change)])
    reorg = assess(load_client(clean)).reorganisation
    po = reorg.loc[reorg["kind"] == "process_owner"]
    assert set(zip(po["change_id"], po["department_id"])) == owners
    assert (po["degree"] >= staffing.PROCESS_OWNER_MIN_DEGREE).all() and (po["count"] == 1).all()


@pytest.mark.parametrize("edits, model", [
    pytest.param([], "cloud", id="m365-monthly-subscription"),
    pytest.param([("spec.yaml", "product_id: microsoft-365-business-standard", "product_id: odoo")], "cloud", id="odoo"),
    pytest.param([("spec.yaml", "product_id: microsoft-365-business-standard", 'product_id: office-ltsc-2021, version: "2021"')],
                 "on_premises", id="office-ltsc-perpetual"),
])
def test_support_model(clean, edits, model):
    apply(clean, edits)
    reorg = assess(load_client(clean)).reorganisation
    sm = reorg.loc[reorg["kind"] == "support_model"]
    assert sm[["change_id", "subject", "detail"]].to_dict("records") == [
        {"change_id": "C1", "subject": model, "detail": staffing.SUPPORT_MODELS[model]}]


@pytest.mark.parametrize("level, new_role", [(4, None), (3, None), (2, "recruit"), (1, "recruit")])
def test_new_administrator_role(clean, level, new_role):
    apply(clean, [s7_admin(level), RECRUITS])
    reorg = assess(load_client(clean)).reorganisation
    nr = reorg.loc[reorg["kind"] == "new_role"]
    assert list(nr["rationale"]) == ([new_role] if new_role else [])
    assert set(nr["subject"]) <= {"Microsoft 365 Business Standard administrator"}


@pytest.mark.parametrize("level, new_role", [(3, None), (2, None), (1, "no_one_within_2_levels")])
def test_small_company_gets_no_recruit_role(clean, level, new_role):
    apply(clean, [s7_admin(level)])  # managed service: a role appears only when nobody could even follow the provider
    nr = assess(load_client(clean)).reorganisation.query("kind == 'new_role'")
    assert list(nr["rationale"]) == ([new_role] if new_role else [])


def test_new_role_when_nobody_within_two_levels_even_if_outsourced(clean):
    apply(clean, [s7_admin(1), ("scenarios/baseline.yaml", *LATER_REMOVAL)])  # temporary need: outsource, yet no one close
    nr = assess(load_client(clean)).reorganisation.query("kind == 'new_role'")
    assert nr[["rationale", "gap"]].to_dict("records") == [{"rationale": "no_one_within_2_levels", "gap": 3.0}]


def test_reorganisation_kinds(clean):
    reorg = assess(load_client(clean)).reorganisation
    assert list(reorg.columns) == staffing.REORG_COLUMNS
    assert set(reorg["kind"]) <= {"key_users", "new_role", "process_owner", "support_model"}
    ku = reorg.loc[reorg["kind"] == "key_users"]
    assert dict(zip(ku["department_id"], ku["count"])) == {"FIN": 1, "OPS": 1}


# --- the demo client ----------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [None, "phased"])
def test_acme_odoo_administrator_is_not_trained(scenario):
    acme = assess(load_client(DEMO / "acme-industrie"), scenario)
    adv = acme.staffing_advice
    odoo = adv.loc[adv["skill_id"] == "odoo_admin"].iloc[0]
    assert odoo["decision"] != "train"
    assert odoo["required"] - odoo["best_current"] > staffing.MAX_TRAINABLE_GAP
    prof = acme.recruit_profiles
    assert "ERP administrator" in set(prof.loc[prof["product_id"] == "odoo", "title"])
    reorg = acme.reorganisation
    assert ("C3", "FIN") in set(zip(reorg.query("kind == 'process_owner'")["change_id"],
                                    reorg.query("kind == 'process_owner'")["department_id"]))


# --- confidentiality and purity -----------------------------------------------------------------

def outputs(client) -> dict[str, pd.DataFrame]:
    an = assess(client)
    return {"capability_needs": an.capability_needs, "staffing_advice": an.staffing_advice,
            "recruit_profiles": an.recruit_profiles, "key_users": staffing.key_users(an, k=2),
            "reorganisation": an.reorganisation}


@pytest.mark.parametrize("where", ["clean-with-gaps", "acme-industrie"])
def test_no_staff_id_or_name_in_outputs(clean, where):
    if where == "clean-with-gaps":
        apply(clean, [s7_admin(1), RECRUITS, ("skills.csv", "S1,m365_use,3\n", "S1,m365_use,0\n"), ("usage.csv", *FIN_KEY_USER)])
        folder = clean
    else:
        folder = DEMO / "acme-industrie"
    raw = pd.read_csv(folder / "staff.csv", dtype=str)
    ids = set(raw["staff_id"])
    words = {v.strip().lower() for v in pd.concat([raw["name"], raw["email"]]).dropna()}
    for name, frame in outputs(load_client(folder)).items():
        assert not frame.empty, name  # something to look at
        assert not {"staff_id", "name", "email"} & set(frame.columns), name
        cells = {str(v) for v in frame.astype(object).to_numpy().ravel()}
        assert not cells & ids, (name, cells & ids)
        assert not [c for c in cells for w in words if w in c.lower()], name


def test_inputs_are_not_mutated(clean):
    apply(clean, [s7_admin(1), ("skills.csv", "S1,m365_use,3\n", "S1,m365_use,0\n")])
    c = load_client(clean)
    frames = {f.name: getattr(c, f.name) for f in dataclasses.fields(c) if isinstance(getattr(c, f.name), pd.DataFrame)}
    frames |= {f"catalog.{n}": getattr(c.catalog, n) for n in ("skills", "courses", "impact_profiles")}
    before = {n: f.copy(deep=True) for n, f in frames.items()}
    outputs(c)
    for n, f in frames.items():
        pd.testing.assert_frame_equal(f, before[n], obj=n)


# --- properties ---------------------------------------------------------------------------------

STAFF = [f"S{i}" for i in range(1, 8)]
SKILLS = ["m365_use", "m365_admin", "exchange_admin", "office_use", "excel_use"]
RULE_DECISION = {"no_course": {"outsource"}, "end_user": {"train"}, "key_user_time_ok": {"train"},
                 "too_late_to_train": {"outsource"}, "gap_small_time_ok": {"train"}, "no_candidate_permanent": {"recruit"},
                 "too_late_permanent": {"recruit"}, "no_time_to_recruit": {"outsource_then_recruit"}, "temporary_need": {"outsource"},
                 "small_company_managed": {"outsource"}}


@functools.cache
def clean_client():
    return load_client(FIXTURES / "clean")  # read only: hypothesis varies copies of its skills frame


@settings(max_examples=60, deadline=None)
@given(levels=st.dictionaries(st.tuples(st.sampled_from(STAFF), st.sampled_from(SKILLS)), st.integers(0, 5), max_size=20),
       key_user=st.booleans(), training_hours=st.sampled_from([0.0, 2.0, 8.0]))
def test_any_levels_give_one_sound_decision_per_need(levels, key_user, training_hours):
    base = clean_client()
    sk = base.skills.set_index(["staff_id", "skill_id"])["level"].to_dict() | levels
    frame = pd.DataFrame([{"staff_id": s, "skill_id": k, "level": v} for (s, k), v in sk.items()])
    frame = frame.astype(base.skills.dtypes.to_dict())
    usage = base.usage
    if key_user:  # one of the three FIN users becomes a key user (see FIN_KEY_USER)
        fin = usage.index[(usage["department_id"] == "FIN") & (usage["asset_id"] == "OFFICE")][0]
        usage = pd.concat([usage.assign(users=usage["users"].where(usage.index != fin, 2)),
                           usage.loc[[fin]].assign(role="key_user", users=1)], ignore_index=True)
    deps = base.departments.assign(training_hours_per_month=training_hours)
    c = dataclasses.replace(base, skills=frame, usage=usage, departments=deps)
    an = assess(c)
    needs = an.capability_needs
    adv = an.staffing_advice
    key = staffing.NEED_KEY
    assert len(adv) == len(needs) and not adv.duplicated(key).any()
    assert set(map(tuple, adv[key].to_numpy())) == set(map(tuple, needs[key].to_numpy()))
    assert adv["decision"].isin(staffing.DECISIONS).all()
    assert all(d in RULE_DECISION[r] for r, d in zip(adv["rule"], adv["decision"]))
    assert (adv["cost"].notna() & (adv["cost"] >= 0)).all()
    for col in ("hours_per_person", "months_to_capability", "capacity"):
        assert (needs[col].dropna() >= 0).all(), col
    assert (needs["max_gap"] > 0).all() and (needs["people"] >= 1).all()
    hires = adv.loc[adv["decision"].isin(["recruit", "outsource_then_recruit"]), ["change_id", "product_id"]]
    prof = an.recruit_profiles
    assert set(map(tuple, hires.to_numpy())) == set(zip(prof["change_id"], prof["product_id"]))
    ku = staffing.key_users(an, k=2)
    assert (ku["candidates"] >= 0).all() and (ku["key_users_needed"] >= 1).all()

"""Staffing and reorganisation advice: build / buy / borrow decisions, key users, new roles, process
owners and support model, as tables of edits on the clean fixture, plus the acme-industrie demo."""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactlib
from conftest import DEMO, FIXTURES, apply
from impactlib import assess, load_client
from impactlib.analysis import staffing

COURSES_HEADER = "course_id,skill_id,from_level,to_level,hours,cost,currency,format,group_size,source\n"
# the only course reaching m365_admin level 4, moved to another skill: no chain reaches 4 any more
NO_M365_ADMIN_4 = COURSES_HEADER + 'm365-admin-3-4,change_management,3,4,35,2700,EUR,classroom,8,"test override"\n'
SOON = ("start: 2027-02-06, go_live: 2027-03-01", "start: 2026-10-15, go_live: 2026-11-20")  # 1.18 months after the earliest date
LATER_REMOVAL = ("title: As specified", "title: As specified\nadd:\n  - {id: C9, title: Back to on-premises, action: remove, "
                 "from_product_id: microsoft-365-business-standard, go_live: 2027-09-01, rollout: big_bang}")
FIN_KEY_USER = ("FIN,OFFICE,end_user,3,daily,20,pivot_tables,", "FIN,OFFICE,end_user,2,daily,20,pivot_tables,\n"
                "FIN,OFFICE,key_user,1,daily,20,,")


# the clean client has 7 staff: let it recruit administrators like a larger company would
RECRUITS = ("scenarios/baseline.yaml", "title: As specified", "title: As specified\nassumptions: {in_house_admin_from_staff: 0}")
# ... and administer its business applications in house too (else the vendor's partner does: partner_support)
RECRUITS_APPS = ("scenarios/baseline.yaml", "title: As specified",
                 "title: As specified\nassumptions: {in_house_admin_from_staff: 0, in_house_app_admin_from_staff: 0}")
NO_COURSE = ("catalog/courses.csv", None, NO_M365_ADMIN_4)
PRACTICE = ("spec.yaml", "product_id: microsoft-365-business-standard", "product_id: medical-practice-software")
ODOO = ("spec.yaml", "product_id: microsoft-365-business-standard", "product_id: odoo")
# months_available: from the earliest plannable date (the spec's date 2026-10-01 + lead_days 14 = 2026-10-15) to go-live
# 2027-03-01: 137 days = 4.50 months; with SOON (go-live 2026-11-20): 36 days = 1.18 months
MONTHS_AVAILABLE, SOON_MONTHS = 137 / 30.44, 36 / 30.44
ADMIN_MONTH = 90.0 * 8  # the provider's administration: 8 h a month at 90 €/h


def s7_admin(level: int) -> tuple[str, str, str]:
    return ("skills.csv", "S7,m365_admin,4\n", f"S7,m365_admin,{level}\n")


def on_premises(product_id: str) -> tuple[str, None, str]:
    """A client catalog entry: the shipped product, bought once (an on-premises licence) instead of by the month."""
    text = (Path(impactlib.__file__).parent / "catalog" / "products.yaml").read_text(encoding="utf-8")
    entry = re.search(rf"^- id: {product_id}\n.*?(?=^- id: |\Z)", text, re.S | re.M).group(0)
    assert entry.count("period: month") == 1, entry
    return ("catalog/products.yaml", None, entry.replace("period: month", "period: once"))


def advice_for(folder, role: str, skill: str, scenario=None) -> dict:
    adv = assess(load_client(folder), scenario).staffing_advice
    row = adv.loc[(adv["role"] == role) & (adv["skill_id"] == skill)]
    assert len(row) == 1, adv
    return row.iloc[0].to_dict()


# --- build / buy / borrow -----------------------------------------------------------------------

DECISIONS = [
    # edits, role, skill, decision, rule, cost, provider's part (EUR: courses m365-admin-2-3 1800 and -3-4 2700,
    # m365-use-3-4 900, m365-use-0-2 350 / recruitment 9000, once per capability / provider 90 €/h, ADMIN_MONTH = 720 €)
    # gap 1: 35 h at 8 h/month = 0.25 + (35 − 8)/8 = 3.625 months ≤ 4.50: trained in time
    pytest.param([s7_admin(3)], "administrator", "m365_admin", "train", "gap_small_time_ok", 2700.0, 0.0, id="admin-gap1-train"),
    # gap 2: 21 + 35 = 56 h, 0.25 + 48/8 = 6.25 months > 4.50: trained, the provider bridging ⌈6.25 − 4.50⌉ = 2 months
    pytest.param([s7_admin(2), RECRUITS], "administrator", "m365_admin", "outsource_then_train", "gap_small_late",
                 1800.0 + 2700.0 + 2 * ADMIN_MONTH, 2 * ADMIN_MONTH, id="admin-gap2-too-slow-bridge-then-train"),
    pytest.param([s7_admin(1), RECRUITS], "administrator", "m365_admin", "recruit", "no_candidate_permanent", 9000.0, 0.0,
                 id="admin-gap3-recruit"),
    pytest.param([s7_admin(1)], "administrator", "m365_admin", "outsource", "small_company_managed", ADMIN_MONTH * 12,
                 ADMIN_MONTH * 12, id="admin-gap3-small-company-managed"),
    pytest.param([s7_admin(2)], "administrator", "m365_admin", "outsource", "small_company_managed", ADMIN_MONTH * 12,
                 ADMIN_MONTH * 12, id="admin-gap2-too-slow-small-company-managed"),
    # 1.18 months < RECRUITMENT_LEAD_MONTHS: recruit, the provider bridging the 3 months of the search
    pytest.param([s7_admin(1), RECRUITS, ("spec.yaml", *SOON)], "administrator", "m365_admin", "outsource_then_recruit",
                 "no_time_to_recruit", 9000.0 + ADMIN_MONTH * 3, ADMIN_MONTH * 3, id="admin-gap3-soon-bridge"),
    # gap 1 but 3.625 months > 1.18: trained, the provider bridging ⌈3.625 − 1.18⌉ = 3 months
    pytest.param([s7_admin(3), RECRUITS, ("spec.yaml", *SOON)], "administrator", "m365_admin", "outsource_then_train",
                 "gap_small_late", 2700.0 + 3 * ADMIN_MONTH, 3 * ADMIN_MONTH, id="admin-gap1-soon-bridge-then-train"),
    pytest.param([s7_admin(1), ("scenarios/baseline.yaml", *LATER_REMOVAL)], "administrator", "m365_admin", "outsource",
                 "temporary_need", ADMIN_MONTH * 12, ADMIN_MONTH * 12, id="admin-temporary-outsource"),
    # no course reaches m365_admin 4: a small company buys the administration (its rule comes first) ...
    pytest.param([s7_admin(3), NO_COURSE], "administrator", "m365_admin", "outsource", "small_company_managed",
                 ADMIN_MONTH * 12, ADMIN_MONTH * 12, id="admin-no-course-small-company"),
    # ... a larger one with no time to recruit outsources because of it ...
    pytest.param([s7_admin(3), NO_COURSE, RECRUITS, ("spec.yaml", *SOON)], "administrator", "m365_admin", "outsource",
                 "no_course", ADMIN_MONTH * 12, ADMIN_MONTH * 12, id="admin-no-course-soon"),
    # ... and one with 4.50 months ahead recruits
    pytest.param([s7_admin(3), NO_COURSE, RECRUITS], "administrator", "m365_admin", "recruit", "too_late_permanent", 9000.0, 0.0,
                 id="admin-no-course-recruit"),
    # a business application bought by the month is run by its vendor (Odoo: nobody has odoo_admin, yet nothing to pay)
    pytest.param([ODOO], "administrator", "odoo_admin", "covered", "vendor_subscription", 0.0, 0.0, id="admin-app-subscription"),
    # the same kind of application bought once, in a company under 250 staff: the vendor's partner runs it
    pytest.param([PRACTICE, on_premises("medical-practice-software"), RECRUITS], "administrator", "practice_software_use",
                 "outsource", "partner_support", ADMIN_MONTH * 12, ADMIN_MONTH * 12, id="admin-app-partner"),
    pytest.param([("skills.csv", "S1,m365_use,3\n", "S1,m365_use,0\n")], "end_user", "m365_use", "train", "end_user", 350.0, 0.0,
                 id="end-user-train"),
    pytest.param([("usage.csv", *FIN_KEY_USER)], "key_user", "m365_use", "train", "key_user_time_ok", 900.0, 0.0, id="key-user-train"),
    # 14 h at 2 h/month: 0.25 + (14 − 7)/2 = 3.75 months ≤ 4.50 (a first day of courses fits in a week): trained
    pytest.param([("usage.csv", *FIN_KEY_USER), ("departments.csv", "FIN,Finance,3,critical,45,8,", "FIN,Finance,3,critical,45,2,")],
                 "key_user", "m365_use", "train", "key_user_time_ok", 900.0, 0.0, id="key-user-2h-a-month-in-time"),
    # 14 h at 1 h/month: 0.25 + 7/1 = 7.25 months > 4.50: provider coaching, 4 h a month for a year
    pytest.param([("usage.csv", *FIN_KEY_USER), ("departments.csv", "FIN,Finance,3,critical,45,8,", "FIN,Finance,3,critical,45,1,")],
                 "key_user", "m365_use", "outsource", "too_late_to_train", 90.0 * 4 * 12, 90.0 * 4 * 12, id="key-user-too-slow-coaching"),
]


@pytest.mark.parametrize("edits, role, skill, decision, rule, cost, provider", DECISIONS)
def test_staffing_decision(clean, edits, role, skill, decision, rule, cost, provider):
    apply(clean, edits)
    row = advice_for(clean, role, skill)
    assert (row["decision"], row["rule"]) == (decision, rule)
    assert row["cost"] == pytest.approx(cost)
    assert row["provider_cost"] == pytest.approx(provider)


def test_capability_need_numbers(clean):
    apply(clean, [s7_admin(3)])
    need = assess(load_client(clean)).capability_needs
    assert list(need.columns) == staffing.NEED_COLUMNS
    row = need.set_index(["role", "skill_id"]).loc[("administrator", "m365_admin")]
    assert (row["people"], row["max_gap"], row["best_current"], row["required"]) == (1, 1, 3, 4)
    assert (row["hours_per_person"], row["capacity"]) == (35.0, 8.0)  # m365-admin-3-4; OPS trains 8 h a month
    # training.training_months: the first 8 h (the month's capacity, at least a 7 h day) in a week, the rest at 8 h a month
    assert row["months_to_capability"] == pytest.approx(0.25 + (35 - 8) / 8)
    assert row["months_available"] == pytest.approx(MONTHS_AVAILABLE)  # 2026-10-15 (report date + 14 days) to 2027-03-01
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
    # an on-premises practice software (bought as a subscription its vendor would run it) administered in house
    pytest.param([PRACTICE, on_premises("medical-practice-software"), RECRUITS_APPS],
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

@pytest.mark.parametrize("users, rows", [
    # department: (users, key users needed); OPS has 4 users (3 end users, 1 administrator), under MIN_USERS_OWN_KEY_USER (5):
    # it shares a key user with the other small departments, pooled as "*"
    (1, {"*": (1 + 4, 1)}),  # FIN with 1 user is small too: one pooled row of 5 users
    (4, {"*": (4 + 4, 1)}),
    (5, {"FIN": (5, 1), "*": (4, 1)}),
    (15, {"FIN": (15, 1), "*": (4, 1)}),
    (16, {"FIN": (16, 2), "*": (4, 1)}),  # ⌈16 / 15⌉
    (30, {"FIN": (30, 2), "*": (4, 1)}),
    (31, {"FIN": (31, 3), "*": (4, 1)}),
])
def test_key_users_needed(clean, users, rows):
    apply(clean, [("departments.csv", "FIN,Finance,3,", "FIN,Finance,40,"),
                  ("usage.csv", "FIN,OFFICE,end_user,3,", f"FIN,OFFICE,end_user,{users},")])
    ku = staffing.key_users(assess(load_client(clean)), k=2)
    assert {d: (u, n) for d, u, n in zip(ku["department_id"], ku["users"], ku["key_users_needed"])} == rows


# FIN (3 staff listed) and OPS (4) with 5 and 6 users: each is large enough for a key user of its own
OWN_KEY_USERS = [("departments.csv", "FIN,Finance,3,", "FIN,Finance,5,"), ("departments.csv", "OPS,Operations,4,", "OPS,Operations,6,"),
                 ("usage.csv", "FIN,OFFICE,end_user,3,", "FIN,OFFICE,end_user,5,"), ("usage.csv", "OPS,OFFICE,end_user,3,", "OPS,OFFICE,end_user,5,")]

KEY_USER_CANDIDATES = [
    # M365 key users need m365_use 4 and excel_use 3: a candidate has m365_use >= 3 and excel_use >= 2 (recorded levels)
    # edits, candidates per department of its own (OWN_KEY_USERS), candidates of the pool of FIN and OPS as shipped (3 and 4 users)
    pytest.param([], {"FIN": 1, "OPS": 0}, {"*": 1}, id="clean: only S3 has both"),
    pytest.param([("skills.csv", "S3,excel_use,4\n", "S3,excel_use,4\nS1,excel_use,2\nS4,excel_use,3\n")],
                 {"FIN": 2, "OPS": 1}, {"*": 3}, id="excel at 2 is enough"),
    pytest.param([("skills.csv", "S3,excel_use,4\n", "S3,excel_use,1\n")], {"FIN": 0, "OPS": 0}, {"*": 0}, id="excel at 1 is not"),
    pytest.param([("skills.csv", "S3,m365_use,3\n", "S3,m365_use,2\n")], {"FIN": 0, "OPS": 0}, {"*": 0}, id="m365 at 2 is not"),
]


@pytest.mark.parametrize("own", [True, False], ids=["own-key-users", "pooled"])
@pytest.mark.parametrize("edits, candidates, pooled", KEY_USER_CANDIDATES)
def test_key_user_candidates(clean, edits, candidates, pooled, own):
    apply(clean, edits + (OWN_KEY_USERS if own else []))
    expected = candidates if own else pooled
    ku = staffing.key_users(assess(load_client(clean)), k=2)
    assert dict(zip(ku["department_id"], ku["candidates"])) == expected
    assert dict(zip(ku["department_id"], ku["enough"])) == {d: n >= 1 for d, n in expected.items()}
    assert set(ku["criteria"]) == {"m365_use>=3&excel_use>=2"}
    # the pool holds the small departments' users, never the company-wide administrator need: 3 + 4 = 7
    assert dict(zip(ku["department_id"], ku["users"])) == ({"FIN": 5, "OPS": 6} if own else {"*": 7})


@pytest.mark.parametrize("own, k, shown", [
    (True, None, set()), (True, 5, set()), (True, 4, {"OPS"}), (True, 3, {"FIN", "OPS"}),  # FIN lists 3 staff, OPS 4
    (False, None, {"*"}), (False, 7, {"*"}), (False, 8, set()),  # the pool lists FIN's and OPS's staff: 7
])
def test_key_user_candidates_follow_k_anonymity(clean, own, k, shown):
    apply(clean, OWN_KEY_USERS if own else [])
    ku = staffing.key_users(assess(load_client(clean)), k=k)  # the scenario's k is 5
    assert set(ku.loc[~ku["suppressed"], "department_id"]) == shown
    assert ku.loc[ku["suppressed"], ["candidates", "enough"]].isna().all().all()
    assert ku.loc[~ku["suppressed"], ["candidates", "enough"]].notna().all().all()


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


def holder(reorg: pd.DataFrame) -> tuple[str, str]:
    """(holder, decision) of the one changed product, C1."""
    h = reorg.loc[reorg["kind"] == "holder"]
    assert list(h["change_id"]) == ["C1"], h
    return h["subject"].iloc[0], h["rationale"].iloc[0]


@pytest.mark.parametrize("level, new_role, held", [
    (4, None, ("in_house", "none_needed")),  # nobody lacks a level
    (3, None, ("in_house", "train")),
    (2, None, ("in_house", "outsource_then_train")),  # within 2 levels, late: trained, the provider bridging; no role to create
    (1, "recruit", ("recruit", "recruit")),
])
def test_new_administrator_role(clean, level, new_role, held):
    apply(clean, [s7_admin(level), RECRUITS])
    reorg = assess(load_client(clean)).reorganisation
    nr = reorg.loc[reorg["kind"] == "new_role"]
    assert list(nr["rationale"]) == ([new_role] if new_role else [])
    assert set(nr["subject"]) <= {"Microsoft 365 Business Standard administrator"}
    assert holder(reorg) == held


@pytest.mark.parametrize("level, held", [(3, ("in_house", "train")), (2, ("provider", "outsource")), (1, ("provider", "outsource"))])
def test_small_company_gets_no_recruit_role(clean, level, held):
    apply(clean, [s7_admin(level)])  # managed service: the provider holds the administration, no role is created
    reorg = assess(load_client(clean)).reorganisation
    assert reorg.query("kind == 'new_role'").empty
    assert holder(reorg) == held


def test_no_new_role_when_outsourced_even_if_nobody_within_two_levels(clean):
    apply(clean, [s7_admin(1), ("scenarios/baseline.yaml", *LATER_REMOVAL)])  # temporary need: outsource, no one close
    an = assess(load_client(clean))
    row = an.staffing_advice.set_index("skill_id").loc["m365_admin"]
    assert (row["decision"], row["rule"], row["required"] - row["best_current"]) == ("outsource", "temporary_need", 3)
    assert an.reorganisation.query("kind == 'new_role'").empty  # the provider holds it: nobody to hire or name
    assert holder(an.reorganisation) == ("provider", "outsource")


def test_reorganisation_kinds(clean):
    reorg = assess(load_client(clean)).reorganisation
    assert list(reorg.columns) == staffing.REORG_COLUMNS
    assert set(reorg["kind"]) <= {"key_users", "new_role", "process_owner", "support_model", "holder"}
    ku = reorg.loc[reorg["kind"] == "key_users"]
    assert dict(zip(ku["department_id"], ku["count"])) == {"*": 1}  # FIN (3 users) and OPS (4) share one
    assert holder(reorg) == ("in_house", "none_needed")  # S7 already holds m365_admin 4 and exchange_admin 3


# --- the demo client ----------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [None, "phased", "microsoft-365"])
def test_acme_odoo_administrator_is_not_trained(scenario):
    acme = assess(load_client(DEMO / "acme-industrie"), scenario)
    adv = acme.staffing_advice
    odoo = adv.loc[adv["skill_id"] == "odoo_admin"]
    assert len(odoo) == 1
    odoo = odoo.iloc[0]
    assert odoo["required"] - odoo["best_current"] > staffing.MAX_TRAINABLE_GAP  # nobody in house could be trained
    # Odoo is bought by the month: its vendor runs the platform, nobody is trained, hired or paid for it
    assert (odoo["decision"], odoo["rule"], odoo["cost"]) == ("covered", "vendor_subscription", 0.0)
    assert "odoo" not in set(acme.recruit_profiles["product_id"])
    reorg = acme.reorganisation
    held = reorg.loc[(reorg["kind"] == "holder") & (reorg["product_id"] == "odoo")]
    vendor = acme.client.catalog.products["odoo"].vendor
    assert held[["subject", "rationale", "detail"]].to_dict("records") == [{"subject": "vendor", "rationale": "covered",
                                                                            "detail": f"{vendor}|"}]
    assert ("C3", "FIN") in set(zip(reorg.query("kind == 'process_owner'")["change_id"],
                                    reorg.query("kind == 'process_owner'")["department_id"]))


# --- confidentiality and purity -----------------------------------------------------------------

def outputs(client, scenario=None) -> dict[str, pd.DataFrame]:
    an = assess(client, scenario)
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
    client = load_client(folder)
    # every scenario: Acme recruits only in its microsoft-365 scenario (Odoo is run by its vendor)
    runs = [outputs(client, sc) for sc in sorted(client.scenarios)]
    for name in runs[0]:
        assert any(not run[name].empty for run in runs), name  # something to look at
    for name, frame in ((n, f) for run in runs for n, f in run.items()):
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
RULE_DECISION = {"no_course": {"outsource"}, "end_user": {"train"}, "end_user_no_course": {"train"}, "key_user_time_ok": {"train"},
                 "too_late_to_train": {"outsource"}, "gap_small_time_ok": {"train"}, "gap_small_late": {"outsource_then_train"},
                 "no_candidate_permanent": {"recruit"}, "too_late_permanent": {"recruit"},
                 "no_time_to_recruit": {"outsource_then_recruit"}, "temporary_need": {"outsource"},
                 "small_company_managed": {"outsource"}, "contract": {"covered"}, "vendor_subscription": {"covered"},
                 "partner_support": {"outsource"}}


def test_every_rule_has_its_decision():
    assert RULE_DECISION.keys() == staffing.RULES.keys()


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
    # one decision per capability (change, product, usage role), whatever its skills
    assert (adv.groupby(["change_id", "product_id", "role"])[["decision", "rule"]].nunique() == 1).all().all()
    assert (adv["cost"].notna() & (adv["cost"] >= 0)).all()
    for col in ("hours_per_person", "months_to_capability", "capacity"):
        assert (needs[col].dropna() >= 0).all(), col
    assert (needs["max_gap"] > 0).all() and (needs["people"] >= 1).all()
    hires = adv.loc[adv["decision"].isin(["recruit", "outsource_then_recruit"]), ["change_id", "product_id"]]
    prof = an.recruit_profiles
    assert set(map(tuple, hires.to_numpy())) == set(zip(prof["change_id"], prof["product_id"]))
    ku = staffing.key_users(an, k=2)
    assert (ku["candidates"] >= 0).all() and (ku["key_users_needed"] >= 1).all()

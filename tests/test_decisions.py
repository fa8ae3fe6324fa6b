"""One decision per capability, followed everywhere; scope from evidence; nothing planned before the report date;
managed-services contracts (issue 13, points 1 "managed services", 2, 3, 4 and 6)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from conftest import DEMO, DEMO_CLIENTS, apply
from impactlib import InvalidInput, assess, load_client
from impactlib.analysis import staffing

TODAY = dt.date(2026, 11, 30)
CONTRACTS = "contracts.csv"
HEAD = "contract_id,provider,capability,product_id,monthly_cost,currency,response_hours,start,end,notes\n"


def _demo_analyses():
    for cid in DEMO_CLIENTS:
        c = load_client(DEMO / cid)
        for name in sorted(c.scenarios):
            yield cid, assess(c, name, as_of=TODAY)


DEMOS = list(_demo_analyses())
IDS = [f"{cid}-{an.scenario}" for cid, an in DEMOS]

# --- one decision per capability, followed by the plan, the organisation, the costs and the rules -----------

HOLDER = {"covered": {"contract", "vendor"}, "train": {"in_house"}, "outsource_then_train": {"in_house"},
          "outsource": {"provider"}, "recruit": {"recruit"}, "outsource_then_recruit": {"recruit"}}


@pytest.mark.parametrize("cid, an", DEMOS, ids=IDS)
def test_every_capability_shows_the_same_decision_everywhere(cid, an):
    adv = an.staffing_advice
    cap = ["change_id", "product_id", "role"]
    decisions = adv.groupby(cap)["decision"].nunique()
    assert (decisions == 1).all(), f"a capability with two decisions: {decisions[decisions > 1]}"
    per = adv.drop_duplicates(cap).set_index(cap)["decision"]
    trained = set(map(tuple, an.participants[["change_id", "role"]].drop_duplicates().to_numpy())) if len(an.participants) else set()
    planned = set(map(tuple, an.training[cap].drop_duplicates().to_numpy())) if len(an.training) else set()
    holders = an.holders.set_index(["change_id", "product_id"])["holder"]
    roles = an.reorganisation.loc[an.reorganisation["kind"] == "new_role"]
    new_roles = set(zip(roles["change_id"], roles["product_id"]))
    skl_admin = {f.change_id for f in an.findings if f.rule == "SKL-ADMIN"}
    for (change, product, role), decision in per.items():
        in_plan = (change, product, role) in planned
        # the training plan trains exactly the capabilities decided "train" (with or without a provider bridge)
        assert in_plan == (decision in ("train", "outsource_then_train")), (change, role, decision)
        has_course = an.training.loc[(an.training["change_id"] == change) & (an.training["role"] == role), "hours"].notna().any()
        if has_course and (change, role) not in trained:
            pytest.fail(f"{change} {role}: planned but nobody in the sessions")
        if role == "administrator":
            assert holders[(change, product)] in HOLDER[decision], (change, product, decision, holders[(change, product)])
            assert ((change, product) in new_roles) == (decision in staffing.HIRE)
            assert (change in skl_admin) <= (decision in staffing.HIRE)
    # the money: provider time is a line of exactly the capabilities bought from the provider, a recruitment one
    # per hired profile, and the items over the horizon are those lines spread over its months
    items, lines = an.cost_items, an.money_lines
    bought = set(map(tuple, adv.loc[adv["decision"].str.startswith("outsource"), ["change_id"]].drop_duplicates().to_numpy()))
    assert set(map(tuple, lines.loc[lines["item"] == "outsourcing", ["change_id"]].drop_duplicates().to_numpy())) == bought
    hires = adv.loc[adv["decision"].isin(staffing.HIRE)].drop_duplicates(["change_id", "product_id"])
    assert len(hires) == int(an.recruit_profiles["headcount"].sum())
    assert items["recruitment"] == pytest.approx(len(hires) * an.assumptions.recruitment_cost)
    assert items["outsourcing"] == pytest.approx(an.cash_flows.query("item == 'outsourcing'")["scenario"].sum())
    # every staffing decision has its recommendation wording and weight (the summary ranks them all)
    assert all(key in ("finding",) or key.startswith("rec.") for key, _ in an.recommendations)
    # nobody trained for a capability that is covered, outsourced or hired
    others = per[~per.isin(["train", "outsource_then_train"])]
    for change, product, role in others.index:
        assert not ((an.training["change_id"] == change) & (an.training["role"] == role)).any()


def test_a_contract_covers_the_administration_no_admin_training_no_finding(clean):
    apply(clean, [(CONTRACTS, None, HEAD + "MS1,Example IT,office,,300,EUR,4,2025-01-01,,tenant administration\n")])
    an = assess(load_client(clean), as_of=TODAY)
    admin = an.staffing_advice.query("role == 'administrator'")
    assert set(admin["decision"]) <= {"covered"}
    assert not (an.training["role"] == "administrator").any()
    assert not [f for f in an.findings if f.rule == "SKL-ADMIN"]
    h = an.holders.set_index("change_id")
    assert (h.at["C1", "holder"], h.at["C1", "contract_id"], h.at["C1", "provider"]) == ("contract", "MS1", "Example IT")


def test_a_contract_ended_before_go_live_covers_nothing(clean):
    apply(clean, [(CONTRACTS, None, HEAD + "MS1,Example IT,office,,300,EUR,4,2025-01-01,2027-02-28,ends the day before go-live\n")])
    an = assess(load_client(clean), as_of=TODAY)
    assert an.coverage.empty
    assert an.holders.set_index("change_id").at["C1", "holder"] != "contract"


def test_the_same_client_without_its_contract_gets_another_holder():
    """Lex & Partners: its provider administers Office/Exchange Online today (contract MS-OFFICE); without that contract
    a 15-person firm buys the administration as a managed service: the holder changes, never to 'recruit'."""
    c = load_client(DEMO / "lex-partners")
    with_contract = assess(c, as_of=TODAY).holders.set_index("change_id")["holder"]
    bare = assess(c.__class__(**{**c.__dict__, "contracts": c.contracts.iloc[0:0]}), as_of=TODAY).holders.set_index("change_id")["holder"]
    assert with_contract["C1"] == "contract" and bare["C1"] == "provider"


# --- scope from evidence ---------------------------------------------------------------------------------

def test_departments_without_usage_of_the_touched_system_are_out_of_scope(clean):
    # OPS uses OFFICE, FIN too; a new department that uses nothing of it must not count
    apply(clean, [("departments.csv", "OPS,Operations,4,high,35,8,3,\n", "OPS,Operations,4,high,35,8,3,\nPROD,Production,40,high,30,3,2,\n")])
    an = assess(load_client(clean), as_of=TODAY)
    d = an.demand
    assert "PROD" not in set(d["department_id"])
    assert set(d.loc[d["reason"] == "usage", "department_id"]) == {"FIN", "OPS"}


def test_a_named_department_without_usage_counts_its_headcount_and_says_why(clean):
    apply(clean, [("departments.csv", "OPS,Operations,4,high,35,8,3,\n", "OPS,Operations,4,high,35,8,3,\nPROD,Production,40,high,30,3,2,\n"),
                  ("spec.yaml", "from_product_id: office-ltsc-2024,", "from_product_id: office-ltsc-2024, departments: [FIN, PROD],")])
    d = assess(load_client(clean), as_of=TODAY).demand
    prod = d.loc[d["department_id"] == "PROD"]
    assert list(prod["reason"]) == ["listed"] and int(prod["users"].sum()) == 40
    assert "OPS" not in set(d["department_id"])  # not named: out


def test_a_touched_system_nobody_uses_is_flagged_not_guessed(clean):
    apply(clean, [("usage.csv", "FIN,OFFICE,end_user,3,daily,20,pivot_tables,\nOPS,OFFICE,end_user,3,weekly,5,,\nOPS,OFFICE,administrator,1,weekly,2,,\n", "")])
    an = assess(load_client(clean), as_of=TODAY)
    assert not (an.demand["role"] == "end_user").any()
    found = [f for f in an.findings if f.rule == "USAGE-MISSING"]
    assert [f.id for f in found] == ["USAGE-MISSING-C1"] and found[0].assets == ("OFFICE",)


# --- schedules from the report date ------------------------------------------------------------------------

@pytest.mark.parametrize("cid, an", DEMOS, ids=IDS)
def test_no_session_is_dated_before_the_report_date_plus_lead_time(cid, an):
    plan = an.sessions
    earliest = pd.Timestamp(an.earliest)
    assert an.earliest == TODAY + dt.timedelta(days=an.assumptions.lead_days)
    if len(plan):
        assert (plan["date"] >= earliest).all()
        assert (plan["late"] == (plan["needed_by"] < earliest)).all()
        months = an.sessions.assign(m=plan["date"].dt.to_period("M"))["m"]
        assert months.min() >= earliest.to_period("M")


def test_training_that_cannot_fit_says_when_it_can_and_the_shortest_shift(clean):
    # one week before go-live: no training can fit, the finding gives real dates
    # recorded at 0 (a level not recorded would be inferred from their daily Office use)
    apply(clean, [("skills.csv", "S4,m365_use,3\nS5,m365_use,3\nS6,m365_use,3\n", "S4,m365_use,0\nS5,m365_use,0\nS6,m365_use,0\n")])
    an = assess(load_client(clean), as_of=dt.date(2027, 2, 20))
    f = next(f for f in an.findings if f.rule == "SCH-TRAINING")
    ev = f.evidence
    assert ev["start"] == dt.date(2027, 3, 6) and ev["feasible"] > dt.date(2027, 3, 1)
    assert ev["finish"] >= ev["start"] and ev["weeks"] == -(-(ev["feasible"] - dt.date(2027, 3, 1)).days // 7)


def test_a_go_live_inside_the_clients_own_freeze_is_a_blocker_naming_the_next_working_day(clean):
    apply(clean, [("spec.yaml", "start: 2027-02-06, go_live: 2027-03-01,", "start: 2027-01-02, go_live: 2027-01-08,")])
    an = assess(load_client(clean), as_of=TODAY)
    f = next(f for f in an.findings if f.rule == "SCH-BLACKOUT")
    assert f.severity == "blocker" and f.evidence["after"] == dt.date(2027, 1, 18)  # 15 Jan 2027 is a Friday
    assert an.headline["verdict"] == "not_ready" and f.id in an.headline["to_green"]


# --- bad input -----------------------------------------------------------------------------------------------

BAD = [
    ("MS1,X,office,,300,EUR,4,2025-01-01,,\nMS2,Y,office,microsoft-365-business-standard,100,EUR,4,2026-01-01,,\n",
     "contracts.csv", 3, "capability", "overlaps contract MS1"),
    ("MS1,X,telepathy,,300,EUR,4,2025-01-01,,\n", "contracts.csv", 2, "capability", "telepathy"),
    ("MS1,X,office,no-such-product,300,EUR,4,2025-01-01,,\n", "contracts.csv", 2, "product_id", "unknown product"),
    ("MS1,X,office,windows-11,300,EUR,4,2025-01-01,,\n", "contracts.csv", 2, "product_id", "not part of capability"),
    ("MS1,X,office,,300,USD,4,2025-01-01,,\n", "contracts.csv", 2, "currency", "differs from the client's currency"),
    ("MS1,X,office,,300,EUR,4,2025-01-01,2024-01-01,\n", "contracts.csv", 2, "end", "before the start"),
]


@pytest.mark.parametrize("rows, file, row, column, words", BAD, ids=[b[-1] for b in BAD])
def test_bad_contracts_are_refused_with_file_row_and_column(clean, rows, file, row, column, words):
    apply(clean, [(CONTRACTS, None, HEAD + rows)])
    with pytest.raises(InvalidInput) as e:
        load_client(clean)
    hits = [p for p in e.value.problems if p.file.endswith(file) and p.row == row and p.column == column]
    assert hits and words in hits[0].message, e.value.problems


def test_the_cli_refuses_a_bad_contract_with_exit_2_and_writes_nothing(clean, tmp_path):
    apply(clean, [(CONTRACTS, None, HEAD + "MS1,X,office,,300,EUR,4,2025-01-01,,\nMS2,Y,office,,100,EUR,4,2026-01-01,,\n")])
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "impactlib.cli", "--data-dir", str(clean.parent), "report", "clean", "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    assert "contracts.csv, row 3, column capability" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() or not any(out.rglob("*.html"))

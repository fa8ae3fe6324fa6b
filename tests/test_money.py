"""Money over time, worked by hand (issue 14): a 36-month commitment, a migration that pays back in year two, a
persistent loss, a budget split into project and run, objectives broken and met, the status quo always computed,
bad input refused, and the named figures shown the same everywhere.

Each case is the clean fixture edited (C1: Microsoft 365 Business Standard replacing Office LTSC 2024, 7 seats at
12.13 EUR per user per month = 84.91 a month, start 2027-02-06, go-live 2027-03-01; FIN 3 users at 45 EUR an hour,
OPS 4 users at 35; provider 90 EUR an hour; catalog effort 24 h + 1.5 h per seat = 34.5 h = 3,105 EUR) and
assessed on an explicit report date (``as_of``): the horizon starts in its month. Every expected value is derived
by hand in the comment beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEMO, DEMO_CLIENTS, apply
from impactlib import assess, cli, load_client, report
from impactlib.analysis import costs
from impactlib.report.html import finding_text
from impactlib.report.text import money

MONTHLY = 7 * 12.13  # 84.91: C1's subscription a month
DIP = 0.05 * 2 * 35 * 0.5 * (3 * 45 + 4 * 35)  # an "edition" change: 5 % for 2 weeks, linear recovery = 481.25
RUN_HEADER = "cost_id,item,description,product_id,asset_id,amount,period,currency,start,end,indexation,notes\n"


def assume(**values) -> tuple[str, str, str]:
    """Assumptions of the baseline scenario."""
    text = ", ".join(f"{k}: {v}" for k, v in values.items())
    return ("scenarios/baseline.yaml", "title: As specified", f"title: As specified\nassumptions: {{{text}}}")


def c1(fields: str) -> tuple[str, str, str]:
    """More fields on the spec's change C1."""
    return ("spec.yaml", "seats: 7}", f"seats: 7, {fields}}}")


def constraint(line: str) -> tuple[str, str, str]:
    """One more line in the spec's constraints."""
    return ("spec.yaml", "  budget: 60000\n", f"  budget: 60000\n  {line}\n")


def analysis(folder: Path, as_of: dt.date, scenario: str | None = None):
    return assess(load_client(folder), scenario, as_of=as_of)


def by_month(an, item: str) -> pd.Series:
    """The scenario's amount of one item, month by month over the horizon (index: 'YYYY-MM')."""
    f = an.cash_flows
    f = f.loc[f["item"] == item]
    return pd.Series(f["scenario"].to_numpy(), index=f["month"].dt.strftime("%Y-%m"))


# --- (a) a 36-month licence commitment ------------------------------------------------------------

SHORT_SPEC = constraint("horizon_months: 12")
COMMITMENT = [
    # report date, edits, horizon (months), months of the subscription counted (from go-live 2027-03 to the
    # horizon's end), licences over the horizon = 84.91 × months
    pytest.param(dt.date(2027, 3, 1), [], 36, 36, 3056.76, id="36-months-from-go-live"),  # 2027-03 … 2030-02
    pytest.param(dt.date(2026, 10, 1), [], 36, 31, 2632.21, id="go-live-5-months-in"),  # 2026-10 … 2029-09: 2027-03 … 2029-09
    pytest.param(dt.date(2027, 3, 1), [SHORT_SPEC], 12, 12, 1018.92, id="a-12-month-horizon-is-the-first-year"),
    pytest.param(dt.date(2027, 3, 1), [SHORT_SPEC, ("scenarios/baseline.yaml", "title: As specified", "title: As specified\nhorizon_months: 24")],
                 24, 24, 2037.84, id="the-scenario's-horizon-wins"),
]


@pytest.mark.parametrize("as_of, edits, horizon, months, expected", COMMITMENT)
def test_a_subscription_counts_every_month_of_the_horizon(clean, as_of, edits, horizon, months, expected):
    apply(clean, edits)
    an = analysis(clean, as_of)
    f = an.figures
    assert f.horizon_months == horizon and f.start == as_of.replace(day=1)
    assert an.cost_items["licences"] == pytest.approx(MONTHLY * months) == pytest.approx(expected)
    lic = by_month(an, "licences")  # 0 before go-live, 84.91 every month from it
    assert len(lic) == horizon
    assert (lic.loc[lic.index < "2027-03"] == 0).all() and lic.loc[lic.index >= "2027-03"].tolist() == pytest.approx([MONTHLY] * months)
    line = an.money_lines.set_index("item").loc["licences"]
    assert (line["kind"], line["amount"], line["start"]) == ("recurring", pytest.approx(MONTHLY), pd.Timestamp("2027-03-01"))
    # what a change costs in a year (cost_lines) stays a year: 7 × 12.13 × 12 = 1,018.92, the 12-month horizon's figure
    assert an.cost_lines.set_index("item").at["licences", "amount"] == pytest.approx(1018.92)
    # the subscription is recurring: not in the one-off spend (the intervention, 3,105, only); a year of it once live
    assert f.spend == 3105.0 and f.run_after == 1018.92
    # total over the horizon: the subscription + 3,105 + the dip (481.25); nothing runs today
    assert f.total == pytest.approx(expected + 3105 + 481.25) and f.status_quo == 0.0
    # a list price only overruns: the subscription's P10 is never below it
    assert f.ranges.set_index("item").at["licences", "p10"] >= expected and f.total_p10 <= f.total_p50 <= f.total_p90


def test_36_months_is_three_years_not_one(clean):
    # the point of issue 14: committing to 36 months of 7 seats costs 3 × 1,018.92 = 3,056.76, not the first year
    an = analysis(clean, dt.date(2027, 3, 1))
    first_year = an.cost_lines.set_index("item").at["licences", "amount"]
    assert an.cost_items["licences"] == pytest.approx(3 * first_year) == pytest.approx(3056.76)


def test_seats_scale_the_commitment(clean):
    apply(clean, [("spec.yaml", "seats: 7}", "seats: 5}")])
    # 5 × 12.13 × 36 = 2,183.40
    assert analysis(clean, dt.date(2027, 3, 1)).cost_items["licences"] == pytest.approx(2183.40)


# --- (b) a migration that pays back in year two -------------------------------------------------

# Today the client pays 500 a month for the support and maintenance of its Office suite (R1, ended by C1, which
# replaces office-ltsc-2024 at go-live) and 1,200 a year, +10 % a year, for the file server's maintenance (R2, kept).
# C1 costs 60 h of provider work (5,400) in February 2027, the dip (481.25) in March, and 84.91 a month from March.
PAYBACK = [
    ("run_costs.csv", None, RUN_HEADER + "R1,maintenance,Office support and maintenance,office-ltsc-2024,,500,month,EUR,,,,\n"
                                         "R2,maintenance,File server maintenance,,SRV,1200,year,EUR,,,0.10,\n"),
    c1("intervention_hours: 60"),
]
PAYBACK_AS_OF = dt.date(2027, 1, 1)  # horizon 2027-01 … 2029-12; nothing planned before 2027-01-15


def test_run_costs_today_and_what_ends_them(clean):
    apply(clean, PAYBACK)
    rc = analysis(clean, PAYBACK_AS_OF).run_costs.set_index("cost_id")
    # R1 is per month; R2 is 1,200 a year = 100 a month
    assert rc["monthly"].to_dict() == {"R1": 500.0, "R2": 100.0} and rc["indexation"].to_dict() == {"R1": 0.0, "R2": 0.1}
    assert rc.at["R1", "retired_by"] == "C1" and rc.at["R1", "retired_on"] == pd.Timestamp("2027-03-01")
    assert pd.isna(rc.at["R2", "retired_by"]) and pd.isna(rc.at["R2", "retired_on"])  # C1 does not touch SRV


def test_migration_pays_back_in_year_two(clean):
    apply(clean, PAYBACK)
    an = analysis(clean, PAYBACK_AS_OF)
    f = an.figures
    # status quo: R1 500 × 36 = 18,000; R2 100 a month in 2027, 110 in 2028, 121 in 2029 = 1,200 + 1,320 + 1,452 = 3,972
    assert f.status_quo == pytest.approx(18000 + 3972) == pytest.approx(21972)
    # the scenario: run = R1 in January and February (2 × 500) + R2 kept (3,972) = 4,972;
    # licences 84.91 × 34 (2027-03 … 2029-12) = 2,886.94; intervention 60 × 90 = 5,400; dip 481.25
    items = {"run": 4972.0, "licences": 2886.94, "intervention": 5400.0, "productivity": 481.25}
    assert {k: an.cost_items[k] for k in items} == pytest.approx(items)
    assert an.cost_items.drop(list(items)).sum() == 0.0  # no hardware, training, recruitment, outsourcing
    # total = 4,972 + 2,886.94 + 5,400 + 481.25 = 13,740.19; saving = 21,972 − 13,740.19 = 8,231.81
    assert f.total == pytest.approx(13740.19) and f.saving == pytest.approx(8231.81)
    # month by month, scenario − status quo: January 0; February +5,400; March 84.91 + 481.25 − 500 = +66.16
    # (cumulated 5,466.16); from April 84.91 − 500 = −415.09 a month. Cumulated at March + k months:
    # 5,466.16 − 415.09 k: k = 13 (April 2028) +69.99, k = 14 (May 2028) −345.10: the break-even is May 2028,
    # the 17th month of the horizon — year two
    assert f.break_even == dt.date(2028, 5, 1)
    per = an.cash_flows.groupby("month")[["scenario", "status_quo"]].sum()
    gap = (per["scenario"] - per["status_quo"]).cumsum()
    assert gap[pd.Timestamp("2027-02-01")] == pytest.approx(5400.0) and gap[pd.Timestamp("2027-03-01")] == pytest.approx(5466.16)
    assert gap[pd.Timestamp("2028-04-01")] == pytest.approx(69.99) and gap[pd.Timestamp("2028-05-01")] == pytest.approx(-345.10)
    assert gap.iloc[-1] == pytest.approx(-8231.81)  # 5,466.16 − 415.09 × 33 (April 2027 … December 2029)
    # per year: today (500 + 100) × 12 = 7,200; once live, at today's prices, R2 and the subscription
    # (100 + 84.91) × 12 = 2,218.92; the change saves (500 − 84.91) × 12 = 4,981.08 a year
    assert f.run_before == pytest.approx(7200.0)
    assert f.run_after == pytest.approx(2218.92) and f.run_saving == pytest.approx(4981.08)
    assert f.spend == pytest.approx(5400.0)  # the project's one-off spend: the provider's work


def test_no_payback_when_the_work_outweighs_the_saving(clean):
    # 200 h of work (18,000): cumulated at March 18,066.16, less 415.09 a month for 33 months = 13,697.97 — never paid back
    apply(clean, [PAYBACK[0], c1("intervention_hours: 200")])
    f = analysis(clean, PAYBACK_AS_OF).figures
    assert f.break_even is None and f.saving == pytest.approx(13697.97 - 18066.16)


def test_indexation_counts_in_years_of_the_horizon(clean):
    apply(clean, PAYBACK)
    sq = analysis(clean, PAYBACK_AS_OF).cash_flows
    sq = sq.loc[sq["item"] == "run"].set_index(sq.loc[sq["item"] == "run", "month"].dt.strftime("%Y-%m"))["status_quo"]
    # R1 500 + R2 100 in the first 12 months, 500 + 110 in the next 12, 500 + 121 in the last 12
    assert sq["2027-01"] == sq["2027-12"] == pytest.approx(600.0)
    assert sq["2028-01"] == sq["2028-12"] == pytest.approx(610.0)
    assert sq["2029-01"] == sq["2029-12"] == pytest.approx(621.0)


# --- (c) a persistent loss of N minutes per user per day ----------------------------------------

HOLIDAYS = ("client.yaml", "currency: EUR", "currency: EUR\ncalendar: {holidays: [2027-01-01, 2027-05-01, 2027-07-14, 2028-07-14]}")

LOSS = [
    # minutes a day, months, working days a year (and how it is set), hours per department, cost
    # hours = users × minutes ÷ 60 × working days a month × months, never halved
    pytest.param(12, 18, [assume(working_days_per_year=220)], 220,
                 # 220 ÷ 12 × 18 = 330 working days; FIN 3 × 0.2 × 330 = 198 h, OPS 4 × 0.2 × 330 = 264 h
                 {"FIN": 198.0, "OPS": 264.0}, 198 * 45 + 264 * 35, id="12-minutes-18-months-220-days-assumed"),  # 8,910 + 9,240 = 18,150
    pytest.param(12, 18, [HOLIDAYS], 258,
                 # the calendar: 5 days × 52 weeks = 260, less the holidays of its first year on a working day:
                 # 2027-01-01 (a Friday) and 2027-07-14 (a Wednesday); 2027-05-01 is a Saturday, 2028-07-14 is in
                 # the second year: 258 days, 21.5 a month; 21.5 × 18 = 387 days; FIN 3 × 0.2 × 387 = 232.2 h, OPS 309.6 h
                 {"FIN": 232.2, "OPS": 309.6}, 232.2 * 45 + 309.6 * 35, id="12-minutes-18-months-the-calendar's-258-days"),  # 10,449 + 10,836
    pytest.param(30, 6, [assume(working_days_per_year=240)], 240,
                 # 240 ÷ 12 × 6 = 120 days; FIN 3 × 0.5 × 120 = 180 h, OPS 4 × 0.5 × 120 = 240 h
                 {"FIN": 180.0, "OPS": 240.0}, 180 * 45 + 240 * 35, id="30-minutes-6-months-240-days-assumed"),  # 8,100 + 8,400 = 16,500
]


@pytest.mark.parametrize("minutes, months, edits, days, hours, cost", LOSS)
def test_persistent_loss_is_exact(clean, minutes, months, edits, days, hours, cost):
    assert (dt.date(2027, 1, 1).strftime("%a"), dt.date(2027, 5, 1).strftime("%a"), dt.date(2027, 7, 14).strftime("%a")) == ("Fri", "Sat", "Wed")
    apply(clean, [c1(f"persistent_loss_minutes: {minutes}, persistent_loss_months: {months}"), *edits])
    an = analysis(clean, dt.date(2026, 10, 1))
    lost = an.losses.set_index("department_id")
    assert lost["users"].to_dict() == {"FIN": 3, "OPS": 4}
    per_month = {d: h / months for d, h in hours.items()}
    assert lost["persistent_hours_per_month"].to_dict() == pytest.approx(per_month)
    assert (lost["persistent_hours_per_month"] * lost["persistent_months"]).to_dict() == pytest.approx(hours)
    assert {d: users * minutes / 60 * days / 12 * months for d, users in (("FIN", 3), ("OPS", 4))} == pytest.approx(hours)
    # the dip comes on top (FIN 3 × 0.05 × 2 × 35 × ½ = 5.25 h, OPS 7 h), and recovers
    assert lost["hours"].to_dict() == pytest.approx({"FIN": hours["FIN"] + 5.25, "OPS": hours["OPS"] + 7.0})
    d = an.drawbacks.set_index("change_id").loc["C1"]
    assert (d["persistent_minutes"], d["persistent_months"]) == (minutes, months)
    assert d["persistent_hours"] == pytest.approx(sum(hours.values())) and d["persistent_cost"] == pytest.approx(cost)
    assert d["hours_lost"] == pytest.approx(sum(hours.values()) + 12.25) and d["cost_lost"] == pytest.approx(cost + DIP)
    # in money: cost ÷ months every month from go-live (March 2027), within the 2026-10 … 2029-09 horizon
    prod = by_month(an, "productivity")
    monthly = cost / months
    last = (pd.Period("2027-03", freq="M") + months - 1).strftime("%Y-%m")
    assert prod["2027-03"] == pytest.approx(monthly + DIP)
    assert prod.loc["2027-04":last].tolist() == pytest.approx([monthly] * (months - 1))
    assert (prod.loc[prod.index > last] == 0).all() and (prod.loc[prod.index < "2027-03"] == 0).all()
    assert an.figures.productivity == pytest.approx(cost + DIP) == pytest.approx(an.cost_items["productivity"])


def test_a_persistent_loss_past_the_horizon_counts_its_months_within_it(clean):
    # 10 minutes for 36 months from March 2027; the horizon from the report date 2026-10-01 ends in September 2029:
    # 31 of the 36 months are in it. At 220 days a year, a month: FIN 3 × 10/60 × 220/12 = 9.1667 h × 45 = 412.50,
    # OPS 4 × 10/60 × 220/12 = 12.2222 h × 35 = 427.78: 840.28; over the horizon 840.28 × 31 = 26,048.61 (+ the dip);
    # the drawback states the whole loss: 840.28 × 36 = 30,250
    apply(clean, [c1("persistent_loss_minutes: 10, persistent_loss_months: 36"), assume(working_days_per_year=220)])
    an = analysis(clean, dt.date(2026, 10, 1))
    assert an.figures.productivity == pytest.approx(26048.61 + 481.25, abs=0.01)
    assert an.drawbacks.set_index("change_id").at["C1", "persistent_cost"] == pytest.approx(30250.0)


# --- (d) a budget split into project (one-off) and run (yearly) ----------------------------------

# C1 with 60 h of work (5,400, the one-off spend) ends R1 (500 a month): run before 6,000 a year, after 84.91 × 12
# = 1,018.92 a year. The spec's training budget (6,000) must not exceed the project budget: left out here.
SPLIT = [("run_costs.csv", None, RUN_HEADER + "R1,maintenance,Office support and maintenance,office-ltsc-2024,,500,month,EUR,,,,\n"),
         c1("intervention_hours: 60"), ("spec.yaml", "  training_budget: 6000\n", "")]

BUDGETS = [
    # budget, run budget, (severity of BUD-TOTAL, over) or None, over of BUD-RUN or None
    pytest.param(5000, 1000, ("high", 400.0), 18.92, id="both-over"),  # 5,400 ÷ 5,000 = 1.08 ≤ 1.5; 1,018.92 − 1,000
    pytest.param(3000, None, ("blocker", 2400.0), None, id="project-far-over-no-run-budget"),  # 5,400 ÷ 3,000 = 1.8 > 1.5
    # the budget holds the one-off spend exactly: the subscription (2,632.21 over the horizon) is not held against it
    pytest.param(5400, 1018.92, None, None, id="both-exactly-met"),
    pytest.param(5400, 1018.91, None, 0.01, id="run-over-by-a-cent"),
]


@pytest.mark.parametrize("budget, run_budget, total, run", BUDGETS)
def test_budgets_compare_like_with_like(clean, budget, run_budget, total, run):
    apply(clean, [*SPLIT, ("spec.yaml", "  budget: 60000\n", f"  budget: {budget}\n" + (f"  run_budget: {run_budget}\n" if run_budget else ""))])
    an = analysis(clean, dt.date(2026, 10, 1))
    f = an.figures
    assert (f.spend, f.budget, f.run_budget) == (5400.0, budget, run_budget)
    assert (f.run_before, f.run_after) == (pytest.approx(6000.0), pytest.approx(1018.92))
    assert f.total > f.spend + 2000  # the horizon's total is much more than the one-off spend, and not what is compared
    found = {x.rule: x for x in an.findings}
    if total is None:
        assert "BUD-TOTAL" not in found
    else:
        e = found["BUD-TOTAL"].evidence
        assert found["BUD-TOTAL"].severity == total[0]
        assert (e["total"], e["budget"], e["over"], e["currency"]) == (5400.0, budget, pytest.approx(total[1]), "EUR")
        assert (e["licences"], e["hardware"], e["intervention"], e["training"]) == (0.0, 0.0, 5400.0, 0.0)
    if run is None:
        assert "BUD-RUN" not in found
    else:
        e = found["BUD-RUN"].evidence
        assert found["BUD-RUN"].severity == "high"
        assert (e["run_after"], e["run_before"], e["budget"], e["over"]) == (
            pytest.approx(1018.92), pytest.approx(6000.0), run_budget, pytest.approx(run))


def test_budget_findings_say_both_numbers_and_the_gap(clean):
    apply(clean, [*SPLIT, ("spec.yaml", "  budget: 60000\n", "  budget: 5000\n  run_budget: 1000\n")])
    found = {x.rule: x for x in analysis(clean, dt.date(2026, 10, 1)).findings}
    text = {(rule, lang): " ".join(finding_text(found[rule], part, lang, "EUR") for part in ("title", "evidence"))
            for rule in ("BUD-TOTAL", "BUD-RUN") for lang in ("en", "fr")}
    assert "one-off spend, €5,400, exceeds the budget of €5,000" in text["BUD-TOTAL", "en"] and "Over by €400." in text["BUD-TOTAL", "en"]
    assert "(5\u202f400\u00a0€) dépassent le budget de 5\u202f000\u00a0€" in text["BUD-TOTAL", "fr"]
    assert "Dépassement de 400\u00a0€" in text["BUD-TOTAL", "fr"]
    # 1,018.92 a year shown to the euro: €1,019; over by 18.92: €19
    assert "costs €1,019 a year to run, above the run budget of €1,000" in text["BUD-RUN", "en"]
    assert "Today it costs €6,000 a year" in text["BUD-RUN", "en"] and "over by €19 a year" in text["BUD-RUN", "en"]
    assert "coûte 1\u202f019\u00a0€ par an, au-delà du budget de fonctionnement de 1\u202f000\u00a0€" in text["BUD-RUN", "fr"]


def test_a_scenario_budget_replaces_the_spec_budget(clean):
    apply(clean, [*SPLIT, ("spec.yaml", "  budget: 60000\n", "  budget: 5000\n  run_budget: 1000\n"),
                  ("scenarios/funded.yaml", None, "title: Funded\nbudget: 6000\nrun_budget: 1200\n")])
    base, funded = (analysis(clean, dt.date(2026, 10, 1), s) for s in ("baseline", "funded"))
    assert {"BUD-TOTAL", "BUD-RUN"} <= {x.rule for x in base.findings}
    assert not {"BUD-TOTAL", "BUD-RUN"} & {x.rule for x in funded.findings}
    assert (funded.figures.budget, funded.figures.run_budget) == (6000.0, 1200.0)


# --- (e) objectives checked: broken and met --------------------------------------------------------

OBJECTIVES = (
    "  - {id: O2, text: Paid back within a year, priority: must, measure: payback_months, target: 12, unit: months}\n"
    "  - {id: O3, text: Save 8000 over three years, priority: should, measure: tco_saving, target: 8000}\n"
    "  - {id: O4, text: At most 10 hours lost, priority: should, measure: hours_lost, target: 10, unit: h}\n"
    "  - {id: O5, text: Finance loses at most 6 hours, priority: could, measure: hours_lost, target: 6, unit: h, departments: [FIN]}\n"
    "  - {id: O6, text: Project under 6000, priority: could, measure: project_cost, target: 6000}\n"
    "  - {id: O7, text: Run costs down 4000 a year, priority: must, measure: run_cost_saving, target: 4000}\n"
    "  - {id: O8, text: Live by mid-February, priority: could, measure: go_live, deadline: 2027-02-15}\n")
CHECKS = {
    # objective: value, met, severity of OBJ-MISSED when missed (must high, should medium, could low)
    "O2": (16.0, False, "high"),  # break-even May 2028, horizon from January 2027: 16 months > 12
    "O3": (pytest.approx(8231.81), True, None),  # the saving of test_migration_pays_back_in_year_two ≥ 8,000
    "O4": (pytest.approx(12.25), False, "medium"),  # the dip: FIN 5.25 h + OPS 7 h = 12.25 h > 10
    "O5": (pytest.approx(5.25), True, None),  # FIN alone: 3 × 0.05 × 2 × 35 × ½ = 5.25 h ≤ 6
    "O6": (5400.0, True, None),  # the one-off spend 5,400 ≤ 6,000
    "O7": (pytest.approx(4981.08), True, None),  # (500 − 84.91) × 12 = 4,981.08 ≥ 4,000
    "O8": (dt.date(2027, 3, 1), False, "low"),  # go-live 2027-03-01 after 2027-02-15
}


def test_objectives_broken_and_met(clean):
    apply(clean, [*PAYBACK, ("spec.yaml", "\nconstraints:", "\n" + OBJECTIVES + "constraints:")])
    an = analysis(clean, PAYBACK_AS_OF)
    checks = an.objective_checks.set_index("objective_id")
    assert list(checks.index) == list(CHECKS)  # O1 has no measure: not checked
    for oid, (value, met, _) in CHECKS.items():
        assert (checks.at[oid, "value"], checks.at[oid, "met"]) == (value, met), oid
    assert checks.at["O8", "target"] == dt.date(2027, 2, 15) and checks.at["O2", "target"] == 12
    missed = {x.id: x for x in an.findings if x.rule == "OBJ-MISSED"}
    assert set(missed) == {f"OBJ-MISSED-{oid}" for oid, (_, met, _) in CHECKS.items() if not met}
    for oid, (value, met, severity) in CHECKS.items():
        if not met:
            x = missed[f"OBJ-MISSED-{oid}"]
            assert x.severity == severity and (x.evidence["value"], x.evidence["objective"]) == (value, oid)
    assert (missed["OBJ-MISSED-O2"].evidence["value"], missed["OBJ-MISSED-O2"].evidence["target"]) == (16.0, 12)
    assert (missed["OBJ-MISSED-O4"].evidence["target"], missed["OBJ-MISSED-O4"].evidence["unit"]) == (10, "h")
    # the summary says which objectives the scenario meets: 4 of 7
    assert [(o["id"], o["met"]) for o in an.headline["objectives"]] == [(oid, met) for oid, (_, met, _) in CHECKS.items()]
    # the report says both numbers, in the objective's unit (hours to a tenth, dates, months)
    text = {(oid, lang): finding_text(missed[f"OBJ-MISSED-{oid}"], "title", lang, "EUR") for oid in ("O2", "O4", "O8") for lang in ("en", "fr")}
    assert text["O2", "en"].endswith("months to pay back 16, target 12 months")
    assert text["O4", "en"].endswith("hours lost 12.2, target 10 h") and text["O4", "fr"].endswith("heures perdues 12,2, cible 10 h")
    assert "last go-live 1 Mar 2027, target 15 Feb 2027" in text["O8", "en"]
    assert "gives 12.2 h where the objective asks for 10 h" in finding_text(missed["OBJ-MISSED-O4"], "evidence", "en", "EUR")


def test_the_objective_of_the_issue_is_broken_with_both_numbers(clean):
    # "at most 20 billable hours lost" against a persistent loss of 12 minutes a day for 18 months (220 days):
    # 462 h + the dip 12.25 h = 474.25 h > 20
    apply(clean, [c1("persistent_loss_minutes: 12, persistent_loss_months: 18"), assume(working_days_per_year=220),
                  ("spec.yaml", "\nconstraints:", "\n  - {id: O2, text: At most 20 billable hours lost, priority: must, "
                                                  "measure: hours_lost, target: 20, unit: h}\nconstraints:")])
    an = analysis(clean, dt.date(2026, 10, 1))
    x = next(f for f in an.findings if f.id == "OBJ-MISSED-O2")
    assert (x.severity, x.evidence["value"], x.evidence["target"]) == ("high", pytest.approx(474.25), 20)
    assert finding_text(x, "title", "en", "EUR").endswith("hours lost 474.2, target 20 h")  # 474.25 to a tenth


# --- (f) the status quo is always computed --------------------------------------------------------

def test_a_scenario_without_changes_is_the_status_quo(clean):
    apply(clean, [*PAYBACK, ("scenarios/status-quo.yaml", None, "title: Status quo\nexclude: [C1]\n")])
    sq = analysis(clean, PAYBACK_AS_OF, "status-quo")
    f = sq.figures
    # R1 and R2 run on, nothing else: 18,000 + 3,972 = 21,972 both ways
    assert f.total == f.status_quo == pytest.approx(21972.0) and f.saving == 0.0 and f.break_even is None
    assert f.spend == 0.0 and sq.cost_items.drop("run").sum() == 0.0 and sq.cost_items["run"] == pytest.approx(21972.0)
    # per year, at today's prices: nothing changes, nothing saved (R2's indexation is no change of the plan)
    assert f.run_before == f.run_after == pytest.approx(7200.0) and f.run_saving == 0.0
    # the baseline is measured against the same status quo
    base = analysis(clean, PAYBACK_AS_OF)
    assert base.figures.status_quo == pytest.approx(f.total)
    assert base.figures.saving == pytest.approx(f.total - base.figures.total)


def test_the_status_quo_without_run_costs_is_zero_not_missing(clean):
    apply(clean, [("scenarios/status-quo.yaml", None, "title: Status quo\nexclude: [C1]\n")])
    for name in ("baseline", "status-quo"):
        f = analysis(clean, dt.date(2026, 10, 1), name).figures
        assert f.status_quo == 0.0 and f.run_before == 0.0 and not math.isnan(f.saving)


# --- (g) bad input: a clear error, exit 2, nothing written ------------------------------------------

BAD = [
    pytest.param([constraint("horizon_months: -1")], "clean/spec.yaml, constraints.horizon_months: Input should be greater than or equal to 1",
                 id="negative-horizon"),
    pytest.param([("scenarios/short.yaml", None, "title: Short\nhorizon_months: -6\n")], "clean/scenarios/short.yaml, horizon_months:",
                 id="negative-scenario-horizon"),
    pytest.param([("run_costs.csv", None, RUN_HEADER + "R1,maintenance,Office support,office-ltsc-2024,,500,,EUR,,,,\n")],
                 "clean/run_costs.csv, row 2, column period: is required", id="recurring-cost-without-period"),
    pytest.param([c1("persistent_loss_minutes: 10, persistent_loss_months: 48")],
                 "clean/spec.yaml, changes[0].persistent_loss_months: 48 months is longer than the horizon of 36 months",
                 id="persistent-loss-longer-than-the-horizon"),
    pytest.param([constraint("horizon_months: 12"), c1("persistent_loss_minutes: 10, persistent_loss_months: 13")],
                 "clean/spec.yaml, changes[0].persistent_loss_months: 13 months is longer than the horizon of 12 months",
                 id="persistent-loss-longer-than-a-short-horizon"),
    pytest.param([c1("persistent_loss_minutes: 10, persistent_loss_months: 18"), ("scenarios/short.yaml", None, "title: Short\nhorizon_months: 12\n")],
                 "18 months is longer than the horizon of 12 months", id="spec-loss-longer-than-a-scenario's-horizon"),
    pytest.param([constraint("currency: USD")], "clean/spec.yaml, constraints.currency: USD differs from the client's currency EUR",
                 id="budgets-in-another-currency"),
]


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("edits, message", BAD)
def test_bad_money_input_is_refused(clean, tmp_path, capsys, edits, message):
    apply(clean, edits)
    before = digest(clean)
    out = tmp_path / "reports"
    for command in (["validate", "clean"], ["report", "clean", "--out", str(out)]):
        code = cli.main(["--data-dir", str(clean.parent), *command])
        printed = capsys.readouterr()
        text = printed.out + printed.err
        assert code == 2 and message in text, text
        assert "Traceback" not in text
    assert not out.exists() and digest(clean) == before


# --- (h) the named figures are the same number everywhere -------------------------------------------

@pytest.fixture(scope="module", params=DEMO_CLIENTS)
def demo(request):
    return assess(load_client(DEMO / request.param))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_spend_and_total_read_the_same_everywhere(demo, lang):
    f, h = demo.figures, demo.headline
    assert (h["spend_base"], h["total_base"], h["status_quo"]) == (f.spend, f.total, f.status_quo)
    assert f.total == pytest.approx(demo.cost_items.sum()) and f.spend == pytest.approx(costs.spend_items(demo).sum())
    spend, total = money(f.spend, f.currency, lang), money(f.total, f.currency, lang)
    shown = {"executive_summary": report.executive_summary(demo, lang).html, "headline_tiles": report.headline_tiles(demo, lang).html,
             "horizon_section": report.horizon_section(demo, lang).html, "cost_table": report.cost_table(demo, lang).html}
    for name in ("executive_summary", "headline_tiles", "horizon_section"):
        assert spend in shown[name] and total in shown[name], (name, spend, total)
    assert total in shown["cost_table"]  # the total row of the items over the horizon
    bud = [x for x in demo.findings if x.rule == "BUD-TOTAL"]
    assert len(bud) == (f.budget is not None and f.spend > f.budget)
    for x in bud:
        assert x.evidence["total"] == f.spend
        assert spend in finding_text(x, "title", lang, f.currency)
        assert money(f.spend - f.budget, f.currency, lang) in finding_text(x, "evidence", lang, f.currency)
        assert sum(x.evidence[k] for k in ("licences", "hardware", "intervention", "training")) == pytest.approx(f.spend)


def test_some_demo_client_is_over_its_project_budget():
    # test_spend_and_total_read_the_same_everywhere reads the BUD-TOTAL text on at least one demo client
    assert any(x.rule == "BUD-TOTAL" for c in DEMO_CLIENTS for x in assess(load_client(DEMO / c)).findings)

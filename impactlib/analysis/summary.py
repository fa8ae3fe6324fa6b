"""The executive summary: a verdict, headline figures, the top warnings and the top recommendations.

Pure functions over what the review and the advice already computed; the report, the portfolio page
and the analyst's explorer all read :func:`headline`, so they never disagree.

The verdict is a rule an executive can check by hand (docs/methodology.md, "Verdict"):

- ``not_ready`` when at least one blocker finding stands, whatever was accepted: a blocker is a fact
  (hardware that cannot run the product, a budget exceeded by half) that a signature does not change;
- ``go_with_conditions`` when a high finding stands that the client has not accepted, a decision is
  pending on a high finding or a drawback, or a training session cannot finish before its go-live;
- ``go`` otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from impactlib.analysis import shared as share, training
from impactlib.model.finding import SEVERITIES, Finding
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

VERDICTS = ("go", "go_with_conditions", "not_ready")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def verdict(findings: tuple[Finding, ...], sheet: pd.DataFrame, late_sessions: int) -> tuple[str, list[tuple[str, int]]]:
    """The verdict and its reasons, as (reason key, count) pairs in order of weight."""
    status = dict(zip(sheet["id"].tolist(), sheet["status"].tolist()))
    blockers = [f for f in findings if f.severity == "blocker"]
    high_open = [f for f in findings if f.severity == "high" and status.get(f.id, "pending") != "accepted"]
    pending_drawbacks = int(((sheet["kind"] == "drawback") & (sheet["status"] == "pending")).sum())
    reasons = [(key, n) for key, n in (("blockers", len(blockers)), ("high_open", len(high_open)),
                                       ("late_sessions", late_sessions), ("pending_drawbacks", pending_drawbacks)) if n]
    if blockers:
        return "not_ready", reasons
    return ("go_with_conditions" if reasons else "go"), reasons


def top_findings(findings: tuple[Finding, ...], n: int = 5) -> list[Finding]:
    """The ``n`` most serious findings: severity, then likelihood × impact, then id (stable)."""
    ranked = sorted((f for f in findings if f.severity != "info"),
                    key=lambda f: (_RANK[f.severity], -f.likelihood * f.impact, f.id))
    return ranked[:n]


def headline(an: Analysis) -> dict:
    """Everything the summary tiles, the portfolio page and the explorer show for one scenario.

    Keys: verdict, reasons, to_green (ids of the findings that stand between this verdict and the next: every
    blocker, else every high warning not accepted), findings (count per severity), changes, first_go_live, last_go_live,
    the named cost figures (costs.CostFigures): spend_base and spend_p10/p50/p90 (the project's one-off spend:
    licences bought once, hardware, provider work, training; the figure the budget rule compares),
    staffing_base (recruitment and provider time the staffing advice buys over the horizon),
    productivity_base (working time lost, valued), total_base and cost_p10/p50/p90 (everything over the horizon,
    current run costs included), status_quo, saving, break_even, horizon_months, run_before, run_after,
    run_saving (per year), budget and run_budget (None when not given); amounts in the client's currency;
    objectives (each measurable objective: id, measure, met, value, target, unit);
    people_affected (direct users, summed over changes, capped at headcount), departments_affected,
    trainees, participant_hours, trainer_hours, late_sessions, saturated_months (department-months over
    capacity), decisions_pending, decisions_total, recruitments, currency.
    """
    client = an.client
    found = an.findings
    drawn = an.drawbacks
    sheet = an.validation_sheet
    plan = an.sessions
    tot = training.totals(plan) if len(plan) else {"sessions": 0, "participant_hours": 0.0, "trainer_hours": 0.0,
                                                   "cost": 0.0, "late_sessions": 0}
    verdict_, reasons = verdict(found, sheet, tot["late_sessions"])
    status = dict(zip(sheet["id"].tolist(), sheet["status"].tolist()))
    blockers = [f.id for f in found if f.severity == "blocker"]
    open_high = [f.id for f in found if f.severity == "high" and status.get(f.id, "pending") != "accepted"]
    cs = an.changes
    money = an.figures
    load = an.change_load
    headcount = int(client.departments["headcount"].sum())
    people = an.participants
    return {
        "verdict": verdict_, "reasons": reasons,
        # what would turn the light green: the blockers to resolve, else the high warnings to settle or accept
        "to_green": blockers or open_high,
        # the spec's measurable objectives: met or not, with the scenario's value
        "objectives": [{"id": r.objective_id, "measure": r.measure, "met": r.met, "value": r.value, "target": r.target,
                        "unit": r.unit} for r in frame_rows(an.objective_checks)],
        "findings": {s: sum(1 for f in found if f.severity == s) for s in SEVERITIES},
        "changes": len(cs),
        "first_go_live": min((c.go_live for c in cs), default=None),
        "last_go_live": max((c.go_live for c in cs), default=None),
        "spend_p10": money.spend_p10, "spend_p50": money.spend_p50, "spend_p90": money.spend_p90,
        "spend_base": money.spend, "staffing_base": money.staffing, "productivity_base": money.productivity,
        "cost_p10": money.total_p10, "cost_p50": money.total_p50, "cost_p90": money.total_p90,
        "total_base": money.total, "status_quo": money.status_quo, "saving": money.saving,
        "break_even": money.break_even, "horizon_months": money.horizon_months,
        "run_before": money.run_before, "run_after": money.run_after, "run_saving": money.run_saving,
        "budget": money.budget, "run_budget": money.run_budget, "currency": money.currency,
        "people_affected": min(int(drawn["users_direct"].sum()), headcount) if len(drawn) else 0,
        "departments_affected": _departments_affected(an),
        # (nunique's count, with a hash table sized for the people rather than for 225,000 rows at 50,000 staff)
        "trainees": len(share.factorize(people["staff_id"])[1]) if len(people) else 0,
        "participant_hours": tot["participant_hours"], "trainer_hours": tot["trainer_hours"],
        "late_sessions": tot["late_sessions"],
        "saturated_months": int(load["saturated"].astype(bool).sum()) if len(load) else 0,
        "decisions_total": len(sheet), "decisions_pending": int(sheet["status"].isin(["pending", "lapsed"]).sum()),
        "recruitments": int(an.recruit_profiles["headcount"].sum()),
    }


def _departments_affected(an: Analysis) -> int:
    exp = an.exposure
    return int(exp.loc[exp["users"] > 0, "department_id"].nunique()) if len(exp) else 0


# what each recommendation that is not a finding's own advice removes: (severity, likelihood × impact),
# read from the rule it answers (docs/methodology.md, "Top recommendations")
ADVICE_WEIGHT: dict[str, tuple[str, int]] = {
    "rec.recruit": ("high", 5 * 4),  # nobody can administer the product (SKL-ADMIN, high, 5 × 4)
    "rec.outsource_then_recruit": ("high", 5 * 4),
    "rec.late_training": ("high", 4 * 4),  # training ends after go-live (SCH-TRAINING, high, 4 × 4)
    "rec.bridge": ("medium", 4 * 3),  # an administrator trained after go-live: the provider covers the gap meanwhile
    "rec.stagger": ("medium", 4 * 3),  # departments over their change capacity
    "rec.managed": ("low", 3 * 2),  # a sizing choice: an idle in-house administrator, not a risk
    "rec.outsource": ("low", 3 * 2),
    "rec.training": ("info", 0),  # the plan as it stands: removes no risk
}


def recommendations(an: Analysis, n: int = 5) -> list[tuple[str, dict]]:
    """The ``n`` actions that remove the most severe risks, as (text key, values) for text.t.

    Candidates: the advice of every finding above information level (one per rule, the rule's most
    serious finding; key ``finding``, referenced by id so the renderer words it in the report's
    language), and the staffing and schedule advice (recruit, outsource, late training, staggering).
    Each carries the severity and likelihood × impact of the risks it removes (a finding's own, the more
    severe of an end of life and the SEC-EXPOSED it also resolves; the others from ADVICE_WEIGHT); they
    are ordered by severity, then likelihood × impact, findings first on a tie.
    """
    ranked = top_findings(an.findings, 10**6)
    # an unsupported system holding sensitive data (SEC-EXPOSED) is resolved by the advice of its end of life:
    # that advice carries the more severe of the two, and SEC-EXPOSED is no candidate of its own
    ids = {f.id for f in ranked}
    resolver = {f.id: f.id.replace("SEC-EXPOSED-", "EOL-", 1) for f in ranked if f.rule == "SEC-EXPOSED"}
    resolver = {k: v for k, v in resolver.items() if v in ids}
    weight = {f.id: (_RANK[f.severity], -f.likelihood * f.impact) for f in ranked}
    for exposed, eol in resolver.items():
        weight[eol] = min(weight[eol], weight[exposed])
    ranked = sorted((f for f in ranked if f.id not in resolver), key=lambda f: (*weight[f.id], f.id))
    candidates: list[tuple[str, int, tuple[str, dict]]] = [
        (SEVERITIES[weight[f.id][0]], -weight[f.id][1], item) for f, item in _one_per_rule(ranked)]
    advice = an.staffing_advice
    managed = advice["rule"].isin(["small_company_managed", "partner_support"])
    for key, rows in (("rec.recruit", advice.loc[advice["decision"] == "recruit"]),
                      ("rec.outsource_then_recruit", advice.loc[advice["decision"] == "outsource_then_recruit"]),
                      ("rec.bridge", advice.loc[advice["decision"] == "outsource_then_train"]),
                      ("rec.managed", advice.loc[managed]),
                      ("rec.outsource", advice.loc[(advice["decision"] == "outsource") & ~managed])):
        rows = rows.drop_duplicates(["change_id", "product_id"])
        if len(rows):
            candidates.append((*ADVICE_WEIGHT[key], (key, {"n": len(rows), "products": tuple(sorted(set(rows["product_id"])))})))
    plan = an.sessions
    late = plan.loc[plan["late"].astype(bool)] if len(plan) else plan
    if len(late):
        candidates.append((*ADVICE_WEIGHT["rec.late_training"],
                           ("rec.late_training", {"n": int(late["sessions"].sum()), "changes": tuple(sorted(set(late["change_id"])))})))
    elif len(plan):
        candidates.append((*ADVICE_WEIGHT["rec.training"],
                           ("rec.training", {"n": int(plan["sessions"].sum()), "hours": float(plan["participant_hours"].sum())})))
    load = an.change_load
    sat = load.loc[load["saturated"].astype(bool)] if len(load) else load
    if len(sat):
        candidates.append((*ADVICE_WEIGHT["rec.stagger"],
                           ("rec.stagger", {"n": len(sat), "departments": int(sat["department_id"].nunique())})))
    order = sorted(range(len(candidates)), key=lambda i: (_RANK[candidates[i][0]], -candidates[i][1], i))
    return [candidates[i][2] for i in order][:n]


def _one_per_rule(findings: list[Finding]) -> list[tuple[Finding, tuple[str, dict]]]:
    """The first finding of each rule (``findings`` most serious first), with its recommendation."""
    seen: set[str] = set()
    return [(f, ("finding", {"id": f.id})) for f in findings if not (f.rule in seen or seen.add(f.rule))]

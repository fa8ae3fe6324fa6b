"""The drawbacks of each intervention, and the validation sheet the client signs.

Pure functions: downtime, who is affected (directly and through dependencies), productivity dip,
reversibility and data-migration risk per change, computed from the catalog and the client's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from impactlib.analysis import compat, skills
from impactlib.analysis.rules import downtime_hours

if TYPE_CHECKING:  # for annotations only: assess imports this module
    from impactlib.analysis.assess import Analysis

DECIDE = ("blocker", "high", "medium")  # findings that need the client's decision
DRAWBACK_COLUMNS = ["id", "change_id", "title", "downtime_hours", "users_direct", "departments_direct", "users_indirect",
                    "departments_indirect", "dip_depth", "dip_weeks", "hours_lost", "cost_lost", "reversibility",
                    "migration_risk", "data_volume_gb"]


def drawbacks(an: Analysis) -> pd.DataFrame:
    """One row per change (id DRW-<change>).

    Columns: id, change_id, title, downtime_hours (NaN: not in the catalog), users_direct,
    departments_direct, users_indirect, departments_indirect (through dependencies), dip_depth (0-1),
    dip_weeks, hours_lost, cost_lost (client currency), reversibility (high/medium/low),
    migration_risk (none/low/medium/high), data_volume_gb.
    """
    client = an.client
    a = an.assumptions
    cal = client.profile.calendar
    week_hours = cal.hours_per_day * len(cal.workdays)
    need = an.demand
    need = need.loc[need["department_id"] != skills.COMPANY]
    cost_per_hour = client.departments.set_index("department_id")["hourly_cost"]
    usage = client.usage
    rows = []
    for c in an.changes:
        p = client.catalog.products.get(c.product_id)
        mine = need.loc[need["change_id"] == c.id]
        direct_users = mine.groupby("department_id")["users"].sum()
        touched = an.touched[c.id]
        broken = compat.dependents(an, touched["asset_id"])
        ind = usage.loc[usage["asset_id"].isin(broken["asset_id"]) & ~usage["department_id"].isin(direct_users.index)]
        ind_users = ind.groupby("department_id")["users"].max()
        facts = p.change if p is not None else None
        depth = min((facts.dip_depth or 0) * a.dip_scale, 1.0) if facts else 0.0  # never more than all of one's time
        weeks = (facts.dip_weeks or 0) if facts else 0.0
        # linear recovery from the dip to full productivity: half the depth on average over the weeks
        hours = direct_users * depth * weeks * week_hours * 0.5
        volume = c.data_volume_gb or 0
        sensitive = bool(set(client.profile.sensitive_data) & {"health", "legal", "payroll_hr", "card_payments"})
        risk = "none" if volume == 0 else "low" if volume < 50 else "medium" if volume < 500 else "high"
        if sensitive and risk in ("low", "medium"):
            risk = {"low": "medium", "medium": "high"}[risk]
        rows.append({
            "id": f"DRW-{c.id}", "change_id": c.id, "title": c.title,
            "downtime_hours": downtime_hours(c, p) if downtime_hours(c, p) is not None else float("nan"),
            "users_direct": int(direct_users.sum()), "departments_direct": len(direct_users),
            "users_indirect": int(ind_users.sum()), "departments_indirect": len(ind_users),
            "dip_depth": depth, "dip_weeks": weeks,
            "hours_lost": float(hours.sum()),
            "cost_lost": float((hours * cost_per_hour.reindex(hours.index).fillna(0)).sum()),
            "reversibility": _reversibility(c.action, c.rollout, volume),
            "migration_risk": risk, "data_volume_gb": volume,
        })
    return pd.DataFrame(rows, columns=DRAWBACK_COLUMNS)  # the columns even with no change


def _reversibility(action: str, rollout: str, volume: float) -> str:
    """high: the old system keeps running or nothing is taken away; medium: a rollback exists but costs
    work (e.g. an OS upgrade within its rollback period); low: data moved or systems removed."""
    if rollout == "parallel_run" or action == "add":
        return "high"
    if action == "remove" or (action in ("migrate", "replace") and volume > 0):
        return "low"
    return "medium"


def validation_sheet(an: Analysis) -> pd.DataFrame:
    """Every finding needing a decision (blocker, high, medium) and every drawback, with the client's
    recorded decision. Columns: id, kind ('finding' or 'drawback'), severity, change_id, status
    (accepted/rejected/pending), decided_by, decided_on, comment."""
    findings, drawn = an.findings, an.drawbacks
    acks = _acks(an)
    decided = set(acks["finding_id"])  # a finding once decided stays on the sheet
    items = [{"id": f.id, "kind": "finding", "severity": f.severity, "change_id": f.change_id}
             for f in findings if f.severity in DECIDE or f.id in decided]
    items += [{"id": r.id, "kind": "drawback", "severity": "", "change_id": r.change_id} for r in drawn.itertuples()]
    sheet = pd.DataFrame(items, columns=["id", "kind", "severity", "change_id"])
    out = sheet.merge(acks, left_on="id", right_on="finding_id", how="left").drop(columns="finding_id")
    out["status"] = out["decision"].fillna("pending")
    return out[["id", "kind", "severity", "change_id", "status", "decided_by", "decided_on", "comment"]]


def orphan_acknowledgements(an: Analysis) -> pd.DataFrame:
    """Decisions recorded for findings or drawbacks that no longer exist in this scenario (reported, not dropped)."""
    known = {f.id for f in an.findings} | set(an.drawbacks["id"])
    acks = _acks(an)
    return acks.loc[~acks["finding_id"].isin(known)].reset_index(drop=True)


def _acks(an: Analysis) -> pd.DataFrame:
    """Acknowledgements for this scenario; a scenario-specific decision wins over a general one."""
    client = an.client
    a = client.acknowledgements
    a = a.loc[a["scenario"].isna() | (a["scenario"] == an.scenario)]
    a = a.assign(_specific=a["scenario"].notna()).sort_values("_specific").drop_duplicates("finding_id", keep="last")
    return a[["finding_id", "decision", "decided_by", "decided_on", "comment"]]


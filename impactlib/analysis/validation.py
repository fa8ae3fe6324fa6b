"""The drawbacks of each intervention, and the validation sheet the client signs.

Pure functions: downtime, who is affected (directly and through dependencies), productivity dip,
reversibility and data-migration risk per change, computed from the catalog and the client's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from impactlib.analysis import compat, skills
from impactlib.analysis import shared as share
from impactlib.analysis.money import working_days_per_year
from impactlib.analysis.rules import downtime_hours
from impactlib.model.finding import evidence_digest
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

DECIDE = ("blocker", "high", "medium")  # findings that need the client's decision
DRAWBACK_COLUMNS_EXTRA = ["dip_hours", "dip_cost", "persistent_minutes", "persistent_months", "persistent_hours",
                          "persistent_cost", "persistent_cost_per_month"]
DRAWBACK_COLUMNS = ["id", "change_id", "title", "change_kind", "downtime_hours", "users_direct", "departments_direct",
                    "users_indirect", "departments_indirect", "dip_depth", "dip_weeks", "hours_lost", "cost_lost",
                    "reversibility", "migration_risk", "data_volume_gb"]

# Productivity dip by kind of change: (share of a user's working time lost at go-live, weeks to recover).
# impactlib estimates, informed by learning-curve research (docs/methodology.md, "Productivity dip by kind
# of change"): the more of the new system users already know, the higher they start and the sooner they
# recover. ``version`` and ``edition`` use this table; ``product`` and ``category`` use the target
# product's catalog dip (``change.dip_depth``/``dip_weeks``), falling back to this table when it has none.
DIP_BY_KIND: dict[str, tuple[float, float]] = {
    "version": (0.02, 1.0),  # same product, new version: the same screens and habits, a few new ones
    "edition": (0.05, 2.0),  # same vendor, same kind of system: Office 2016 -> Microsoft 365 Apps, Windows 10 -> 11
    "product": (0.20, 6.0),  # another vendor's product of the same kind: Microsoft Office -> LibreOffice
    "category": (0.30, 8.0),  # a new kind of system (a first ERP)
    "removal": (0.0, 0.0),  # nothing new to learn
}
CHANGE_KINDS = tuple(DIP_BY_KIND)


def change_kind(client, change) -> str:
    """What users of a change must learn: ``version`` (the same product, e.g. Windows 11 25H2 -> 26H2, or
    an upgrade of the same product), ``edition`` (the same product moved, e.g. on-premise -> the vendor's
    cloud edition, or another product of the same vendor and kind of system: Office 2016 -> Microsoft
    365, Windows 10 -> 11), ``product`` (another vendor's product of the same kind: Office -> LibreOffice),
    ``category`` (a new kind of system) or ``removal``.

    Two products are of the same kind of system when their categories, with the catalog's ``covers``,
    meet (Microsoft 365 covers office_suite and email). For an ``add``, the products the client already
    runs stand for the old one: the closest kind wins.
    """
    if change.action == "remove":
        return "removal"
    products = client.catalog.products
    target = products.get(change.product_id)
    if target is None:
        return "category"
    if change.from_product_id:
        old = [products.get(change.from_product_id)]
    else:
        a = client.assets
        old = [products.get(pid) for pid in set(a["product_id"].dropna()) | set(a["os_product_id"].dropna())]
    kinds = [_kind(change, o, target) for o in old if o is not None]
    return min(kinds, key=CHANGE_KINDS.index, default="category")


def _kind(change, old, new) -> str:
    if old.id == new.id:
        # the same product: moved to another deployment (a migration) or brought to a new version
        return "edition" if change.action == "migrate" else "version"
    if not old.categories & new.categories:
        return "category"
    return "edition" if old.vendor.strip().casefold() == new.vendor.strip().casefold() else "product"


def dip(client, change, scale: float = 1.0) -> tuple[str, float, float]:
    """(kind of change, dip depth 0-1, dip weeks) of one change: the kind's table for ``version`` and
    ``edition``, the target product's catalog dip for ``product`` and ``category`` (the table when the
    catalog gives none); the depth is multiplied by ``scale`` (scenario ``dip_scale``), at most 1."""
    kind = change_kind(client, change)
    depth, weeks = DIP_BY_KIND[kind]
    p = client.catalog.products.get(change.product_id)
    facts = p.change if p is not None else None
    if kind in ("product", "category") and facts is not None and facts.dip_depth is not None:
        depth, weeks = facts.dip_depth, facts.dip_weeks if facts.dip_weeks is not None else weeks
    return kind, min(depth * scale, 1.0), float(weeks)  # never more than all of one's time


def losses(an: Analysis) -> pd.DataFrame:
    """Working time lost per (change, department) of the direct users: the dip that recovers (users × depth ×
    weeks × hours a week ÷ 2, linear recovery) and the persistent loss (users × minutes ÷ 60 × working days a
    month × months, exactly). Columns: change_id, department_id, users, dip_hours, persistent_hours_per_month,
    persistent_months, hours, hourly_cost, cost (client currency)."""
    client = an.client
    a = an.assumptions
    cal = client.profile.calendar
    week_hours = cal.hours_per_day * len(cal.workdays)
    days_a_month = (a.working_days_per_year or working_days_per_year(client)) / 12
    need = an.demand
    need = need.loc[need["department_id"] != skills.COMPANY]
    rate = client.departments.drop_duplicates("department_id").set_index("department_id")["hourly_cost"]
    direct = _direct_users(need)
    rows = []
    for c in an.changes:
        users = direct.get(c.id, {})
        _, depth, weeks = dip(client, c, a.dip_scale)
        minutes, months = (c.persistent_loss_minutes or 0.0), (c.persistent_loss_months or 0)
        for dept, n in sorted(users.items()):  # groupby("department_id")'s order
            dip_h = n * depth * weeks * week_hours * 0.5
            per_month = n * minutes / 60 * days_a_month
            hours = dip_h + per_month * months
            rows.append((c.id, dept, int(n), dip_h, per_month, months, hours, float(rate.get(dept, 0.0)), hours * float(rate.get(dept, 0.0))))
    return pd.DataFrame(rows, columns=["change_id", "department_id", "users", "dip_hours", "persistent_hours_per_month",
                                       "persistent_months", "hours", "hourly_cost", "cost"])


def _direct_users(need: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Direct users per change and department (a ``groupby("department_id")["users"].sum()`` per change, read in one
    pass): users are whole numbers (skills.demand), so the sums are exact in any order."""
    out: dict = {}
    for cid, dep, n in zip(need["change_id"].tolist(), need["department_id"].tolist(), need["users"].astype("int64").tolist()):
        if dep == dep:  # a groupby leaves NA keys out
            mine = out.setdefault(cid, {})
            mine[dep] = mine.get(dep, 0) + n
    return out


def drawbacks(an: Analysis) -> pd.DataFrame:
    """One row per change (id DRW-<change>).

    Columns: id, change_id, title, change_kind (version, edition, product, category, removal: see
    :func:`change_kind`), downtime_hours (NaN: not in the catalog), users_direct, departments_direct,
    users_indirect, departments_indirect (through dependencies), dip_depth (0-1) and dip_weeks (by kind
    of change: :func:`dip`), hours_lost, cost_lost (client currency: the dip and the persistent loss
    together, see :func:`losses`), reversibility (high/medium/low), migration_risk (none/low/medium/high),
    data_volume_gb; dip_hours, dip_cost, persistent_minutes, persistent_months, persistent_hours,
    persistent_cost, persistent_cost_per_month (a loss that does not recover, when the change states one).
    """
    client = an.client
    a = an.assumptions
    need = an.demand
    need = need.loc[need["department_id"] != skills.COMPANY]
    usage = list(zip(client.usage["asset_id"].tolist(), client.usage["department_id"].tolist(), client.usage["users"].astype("int64").tolist()))
    direct = _direct_users(need)
    losses_of = share.split(an.losses, "change_id")  # per department: the dip recovers linearly, a persistent loss does not
    rows = []
    for c in an.changes:
        p = client.catalog.products.get(c.product_id)
        direct_users = direct.get(c.id, {})
        touched = an.touched[c.id]
        broken = set(compat.dependents(an, touched["asset_id"])["asset_id"])
        ind_users: dict = {}  # the most users of each other department on a system that breaks with it
        for asset, dep, n in usage:
            if asset in broken and dep == dep and dep not in direct_users:
                ind_users[dep] = max(ind_users.get(dep, n), n)
        kind, depth, weeks = dip(client, c, a.dip_scale)
        lost = losses_of.get(c.id, ())
        minutes, months = (c.persistent_loss_minutes or 0.0), (c.persistent_loss_months or 0)
        # the frame path's Series sums, to the bit (shared.series_sum)
        dip_hours = share.series_sum([r.dip_hours for r in lost])
        dip_cost = share.series_sum([r.dip_hours * r.hourly_cost for r in lost])
        per_month_hours = share.series_sum([r.persistent_hours_per_month for r in lost])
        persistent_cost_per_month = share.series_sum([r.persistent_hours_per_month * r.hourly_cost for r in lost])
        volume = c.data_volume_gb or 0
        sensitive = bool(set(client.profile.sensitive_data) & {"health", "legal", "payroll_hr", "card_payments"})
        risk = "none" if volume == 0 else "low" if volume < 50 else "medium" if volume < 500 else "high"
        if sensitive and risk in ("low", "medium"):
            risk = {"low": "medium", "medium": "high"}[risk]
        rows.append({
            "id": f"DRW-{c.id}", "change_id": c.id, "title": c.title, "change_kind": kind,
            "downtime_hours": downtime_hours(c, p) if downtime_hours(c, p) is not None else float("nan"),
            "users_direct": int(sum(direct_users.values())), "departments_direct": len(direct_users),
            "users_indirect": int(sum(ind_users.values())), "departments_indirect": len(ind_users),
            "dip_depth": depth, "dip_weeks": weeks,
            "hours_lost": dip_hours + per_month_hours * months,
            "cost_lost": dip_cost + persistent_cost_per_month * months,
            "dip_hours": dip_hours, "dip_cost": dip_cost, "persistent_minutes": minutes, "persistent_months": months,
            "persistent_hours": per_month_hours * months, "persistent_cost": persistent_cost_per_month * months,
            "persistent_cost_per_month": persistent_cost_per_month,
            "reversibility": _reversibility(c.action, c.rollout, volume),
            "migration_risk": risk, "data_volume_gb": volume,
        })
    return pd.DataFrame(rows, columns=DRAWBACK_COLUMNS + DRAWBACK_COLUMNS_EXTRA)  # the columns even with no change


def _reversibility(action: str, rollout: str, volume: float) -> str:
    """high: the old system keeps running or nothing is taken away; medium: a rollback exists but costs
    work (e.g. an OS upgrade within its rollback period); low: data moved or systems removed."""
    if rollout == "parallel_run" or action == "add":
        return "high"
    if action == "remove" or (action in ("migrate", "replace") and volume > 0):
        return "low"
    return "medium"


def validation_sheet(an: Analysis) -> pd.DataFrame:
    """Every finding needing a decision (blocker, high, medium), every drawback and the five protection actions
    (PROT-ACT-<control>: rejected = the residual risk accepted), with the client's recorded decision.
    Columns: id, kind ('finding', 'drawback' or 'protection'), severity, change_id, status
    (accepted/rejected/pending, or lapsed: the decision answered evidence that has changed since, see
    :mod:`impactlib.analysis.issued`), decided_by, decided_on, comment, how (signed_sheet, email...: for
    decisions recorded from a returned sheet)."""
    findings, drawn = an.findings, an.drawbacks
    acks = _acks(an)
    decided = set(acks["finding_id"])  # a finding once decided stays on the sheet
    items = [{"id": f.id, "kind": "finding", "severity": f.severity, "change_id": f.change_id}
             for f in findings if f.severity in DECIDE or f.id in decided]
    items += [{"id": r.id, "kind": "drawback", "severity": "", "change_id": r.change_id} for r in frame_rows(drawn)]
    # the protection actions the executive sees: declining one is accepting its residual risk, on record
    items += [{"id": r.id, "kind": "protection", "severity": r.severity, "change_id": None} for r in frame_rows(an.protection_top)]
    sheet = pd.DataFrame(items, columns=["id", "kind", "severity", "change_id"])
    out = sheet.merge(acks, left_on="id", right_on="finding_id", how="left").drop(columns="finding_id")
    out["status"] = out["decision"].fillna("pending")
    # a decision bound to evidence (recorded from a returned sheet) lapses when the finding's evidence changed
    by_id = {f.id: f for f in findings}  # the digest is computed only for the findings a decision answered
    answered = out["digest"] if "digest" in out else pd.Series(None, index=out.index, dtype=object)
    lapsed = [isinstance(d, str) and i in by_id and d != evidence_digest(by_id[i]) for i, d in zip(out["id"], answered)]
    out.loc[lapsed, "status"] = "lapsed"
    out["how"] = out["how"] if "how" in out else None
    return out[["id", "kind", "severity", "change_id", "status", "decided_by", "decided_on", "comment", "how"]]


def orphan_acknowledgements(an: Analysis) -> pd.DataFrame:
    """Decisions recorded for findings or drawbacks that no longer exist in this scenario (reported, not dropped)."""
    known = {f.id for f in an.findings} | set(an.drawbacks["id"]) | set(an.protection_top["id"])
    acks = _acks(an)
    return acks.loc[~acks["finding_id"].isin(known)].reset_index(drop=True)


def _acks(an: Analysis) -> pd.DataFrame:
    """Acknowledgements for this scenario; a scenario-specific decision wins over a general one. They read the client
    and the scenario's name only (not even that when no decision names a scenario): kept for the sheet and the
    orphans, and for the client's other scenarios (four frame operations each time, ~1 ms)."""
    general = share.once(an, ("acks_general",), lambda: not an.client.acknowledgements["scenario"].notna().any())
    return share.once(an, ("acks", None if general else an.scenario), lambda: _scenario_acks(an))


def _scenario_acks(an: Analysis) -> pd.DataFrame:
    client = an.client
    a = client.acknowledgements
    a = a.loc[a["scenario"].isna() | (a["scenario"] == an.scenario)]
    a = a.assign(_specific=a["scenario"].notna()).sort_values("_specific").drop_duplicates("finding_id", keep="last")
    return a[["finding_id", "decision", "decided_by", "decided_on", "comment"] + [c for c in ("digest", "how") if c in a.columns]]


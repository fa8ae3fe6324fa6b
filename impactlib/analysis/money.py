"""Money over time: every cost of a scenario dated over the horizon, the client's current run costs, the status
quo, the total cost of ownership, savings and the break-even month (docs/methodology.md, "Money over time").

Pure functions over the Analysis. A cost line is one-off (an amount in one month) or recurring (an amount per
month between two months, risen by its yearly indexation); the horizon starts in the month of the report date
(``Analysis.as_of``) and lasts the scenario's ``horizon_months`` (the spec's, 36 by default).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import protection, skills
from impactlib.analysis import shared as share
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

LINE_COLUMNS = ["change_id", "item", "kind", "amount", "start", "months", "indexation", "basis"]
RETIRING = ("replace", "migrate", "remove")  # actions that end the costs of what they act on
KEY_USER_COACHING_MONTHS = 12  # provider coaching standing in for key users lasts the first year after go-live
DAYS_PER_MONTH = 30.44


def horizon(an: Analysis) -> pd.PeriodIndex:
    """The months costs are totalled over: from the report date's month, ``horizon_months`` long."""
    months = an.definition.horizon_months or an.client.spec.constraints.horizon_months
    return pd.period_range(pd.Period(an.as_of, freq="M"), periods=months, freq="M")


def run_costs(an: Analysis) -> pd.DataFrame:
    """The client's current run costs (run_costs.csv and the contracts of contracts.csv), per month, and the
    change of the scenario that ends each (a replace, migrate or remove acting on its product or asset).

    Columns: source (run_costs / contracts), cost_id, item, description, product_id, monthly (amount per
    month in the client's currency), indexation (yearly, 0 when not given), start, end (Timestamps or NaT),
    retired_by (change id or None), retired_on (that change's go-live, Timestamp or NaT).
    """
    client = an.client
    r, k = client.run_costs, client.contracts
    frames = []
    if len(r):
        frames.append(pd.DataFrame({
            "source": "run_costs", "cost_id": r["cost_id"], "item": r["item"], "description": r["description"],
            "product_id": r["product_id"], "asset_id": r["asset_id"],
            "monthly": np.where(r["period"] == "month", r["amount"], r["amount"] / 12).astype("float64"),
            "indexation": r["indexation"].astype("float64").fillna(0.0), "start": r["start"], "end": r["end"]}))
    if len(k):
        frames.append(pd.DataFrame({
            "source": "contracts", "cost_id": k["contract_id"], "item": "contract", "description": k["provider"] + " — " + k["capability"],
            "product_id": k["product_id"], "asset_id": None, "monthly": k["monthly_cost"].astype("float64"), "indexation": 0.0,
            "start": k["start"], "end": k["end"]}))
    cols = ["source", "cost_id", "item", "description", "product_id", "monthly", "indexation", "start", "end", "retired_by", "retired_on"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("monthly", "indexation") else "datetime64[ns]"
                                          if c in ("start", "end", "retired_on") else "str") for c in cols})
    f = pd.concat(frames, ignore_index=True)
    retired_by, retired_on = [], []
    for pid, aid in zip(f["product_id"], f["asset_id"]):
        hit = next((c for c in sorted(an.changes, key=lambda c: c.go_live) if c.action in RETIRING and (
            (isinstance(pid, str) and pid == c.from_product_id) or (isinstance(aid, str) and aid in set(an.touched[c.id]["asset_id"])))), None)
        retired_by.append(hit.id if hit else None)
        retired_on.append(pd.Timestamp(hit.go_live) if hit else pd.NaT)
    f["retired_by"], f["retired_on"] = retired_by, pd.to_datetime(pd.Series(retired_on, dtype="datetime64[ns]"))
    return f[cols]


def lines(an: Analysis) -> pd.DataFrame:
    """Every cost of the scenario's changes as dated lines (not the current run costs: :func:`run_costs`).

    item is one of licences, hardware, intervention, training, productivity, recruitment, outsourcing;
    kind one_off (amount in the month of ``start``) or recurring (amount per month for ``months`` months from
    ``start``; months NaN: until the horizon's end). Columns: change_id, item, kind, amount, start (Timestamp),
    months, indexation, basis (how it was computed).
    """
    client = an.client
    a = an.assumptions
    products = client.catalog.products
    rows = []
    # each frame's rows by change, in one pass each (a filter per change cost more than the work on tens of rows)
    est = share.split(an.cost_lines, "change_id")
    devices = share.split(an.devices, "change_id")
    extra = share.split(an.device_plan_lines, "change_id", index=False)  # recommended device options (readiness.py)
    # the sessions' months as integer ordinals, computed at once (a Period built per session cost ~10 µs: 9,000
    # sessions at 50,000 staff), a Period built per distinct month only
    s = an.sessions
    plan: dict = {}  # change id -> (date, cost, month ordinal) of its sessions, in their order (no frame built for it)
    if len(s):
        for cid, date, cost, month in zip(s["change_id"], s["date"], s["cost"], s["date"].dt.to_period("M").array.asi8.tolist()):
            plan.setdefault(cid, []).append((date, cost, month))
    dips = {r.change_id: r for r in frame_rows(an.drawbacks)}  # one row per change
    for c in an.changes:
        go = pd.Timestamp(c.go_live)
        start = pd.Timestamp(max(c.start or an.earliest, an.earliest))
        p = products.get(c.product_id)
        mine = est.get(c.id, ())
        lic_rows = [r.amount for r in mine if r.item == "licences"]
        if len(lic_rows) and p is not None:
            lic = p.licence
            amount = share.series_sum(lic_rows) if any(x == x for x in lic_rows) else np.nan  # sum(min_count=1)
            if lic.period == "once":
                rows.append((c.id, "licences", "one_off", amount, go, np.nan, 0.0, lic.model))
            else:  # a subscription from go-live: cost_lines gives a year of it (a yearly price spread over its months)
                per_month = amount / 12
                rows.append((c.id, "licences", "recurring", per_month, go, np.nan, 0.0, f"{lic.model}, {lic.period}ly"))
        for r in mine:
            if r.item == "intervention":
                rows.append((c.id, "intervention", "one_off", r.amount, start, np.nan, 0.0, r.basis))
        for d in devices.get(c.id, ()):
            # devices are paid when ordered: their delivery lead time before the work starts, never before the earliest date
            when = max(start - pd.Timedelta(weeks=d.lead_weeks), pd.Timestamp(an.earliest))
            rows.append((c.id, "hardware", "one_off", d.amount, when, np.nan, 0.0, d.basis))
        rows += [tuple(x) for x in extra.get(c.id, ())]
        months: dict = {}  # the change's training cost per month of its sessions (ordinals: months in order)
        for date, cost, month in plan.get(c.id, ()):
            if date == date:
                months.setdefault(month, []).append(cost)
        for when in sorted(months):
            rows.append((c.id, "training", "one_off", share.group_sum(months[when]), pd.Period(ordinal=when, freq="M").to_timestamp(),
                         np.nan, 0.0, "sessions"))
        d = dips.get(c.id)
        if d is not None:
            rows.append((c.id, "productivity", "one_off", float(d.dip_cost), go, np.nan, 0.0, "dip"))
            if c.persistent_loss_minutes:
                rows.append((c.id, "productivity", "recurring", float(d.persistent_cost_per_month), go,
                             float(c.persistent_loss_months), 0.0, "persistent loss"))
    adv = an.staffing_advice
    if len(adv):
        removed = {c.from_product_id: pd.Timestamp(c.go_live) for c in an.changes if c.action == "remove"}
        for r in _first_per_capability(adv):
            go = pd.Timestamp(next(c.go_live for c in an.changes if c.id == r.change_id))
            monthly = _monthly_provider(r.role, a)
            if r.decision in ("recruit", "outsource_then_recruit"):
                rows.append((r.change_id, "recruitment", "one_off", a.recruitment_cost, go, np.nan, 0.0, r.decision))  # one hire
            if r.decision == "outsource":
                if r.role == "administrator":  # a managed service: for as long as the product stays
                    end = removed.get(r.product_id)
                    months = np.nan if end is None else max(round((end - go).days / DAYS_PER_MONTH), 0)
                else:
                    months = KEY_USER_COACHING_MONTHS
                rows.append((r.change_id, "outsourcing", "recurring", monthly, go, months, 0.0, r.rule))
            elif r.decision in ("outsource_then_recruit", "outsource_then_train") and r.provider_cost > 0:
                rows.append((r.change_id, "outsourcing", "recurring", monthly, go, round(r.provider_cost / monthly), 0.0, r.rule))
    rows += protection.money_rows(an)  # what the changes require of protection (analysis/protection.py)
    out = pd.DataFrame(rows, columns=LINE_COLUMNS)
    out["amount"] = out["amount"].astype("float64").fillna(0.0)
    out["start"] = pd.to_datetime(out["start"])
    return out


def _first_per_capability(adv: pd.DataFrame) -> list:
    """The rows of ``adv.drop_duplicates(["change_id", "product_id", "role"])`` (the columns :func:`lines` reads),
    found in one pass: a drop_duplicates takes every column of the staffing advice (~5 ms a scenario)."""
    cols = ["change_id", "product_id", "role", "decision", "rule", "provider_cost"]
    seen: set = set()
    out = []
    for r in frame_rows(adv[cols], index=False):
        key = tuple(None if x is None or x != x else x for x in r[:3])  # every NA one key, as drop_duplicates does
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _monthly_provider(role: str, a) -> float:
    from impactlib.analysis.staffing import OUTSOURCE_HOURS_PER_MONTH  # staffing imports nothing of money: no cycle

    return OUTSOURCE_HOURS_PER_MONTH[role] * a.provider_hourly_rate


def _spread(months: pd.PeriodIndex, start, n, amount: float, indexation: float, one_off: bool, end=None) -> np.ndarray:
    """The monthly amounts of one line over ``months``."""
    out = np.zeros(len(months))
    if amount == 0 or not len(months):
        return out
    # months after the horizon's first as integers (a Period built and subtracted per line cost ~20 µs)
    m0 = months[0]
    offset = (start.year - m0.year) * 12 + start.month - m0.month if pd.notna(start) else 0
    if one_off:
        i = max(offset, 0)
        if i < len(months):
            out[i] = amount
        return out
    i0 = max(offset, 0)
    last = len(months) - 1 if n is None or pd.isna(n) else offset + int(n) - 1
    if end is not None and pd.notna(end):
        last = min(last, (end.year - m0.year) * 12 + end.month - m0.month)
    last = min(last, len(months) - 1)
    if last < i0:
        return out
    years = np.arange(len(months)) // 12
    out[i0:last + 1] = amount * (1 + indexation) ** years[i0:last + 1]
    return out


def flows(an: Analysis) -> pd.DataFrame:
    """Month by month over the horizon: what the scenario costs and what the status quo costs.

    Columns: month (Timestamp, first day), item (run — the current run costs, net of those the changes end —
    and the items of :func:`lines`), scenario (amount), status_quo (amount: the current run costs continued,
    nothing changed). Amounts in the client's currency.
    """
    months = horizon(an)
    rows = []
    for r in frame_rows(an.run_costs):
        kept, now = _run(months, r, r.indexation)
        rows.append(("run", kept, now))
    for r in frame_rows(an.money_lines):
        rows.append((r.item, _spread(months, r.start, r.months, r.amount, r.indexation, r.kind == "one_off"), np.zeros(len(months))))
    items = sorted({i for i, _, _ in rows})
    if not items:
        return pd.DataFrame({"month": months.to_timestamp(), "item": "run", "scenario": 0.0, "status_quo": 0.0})
    sc, sq = [], []
    for item in items:
        sc.append(sum((x for i, x, _ in rows if i == item), np.zeros(len(months))))
        sq.append(sum((y for i, _, y in rows if i == item), np.zeros(len(months))))
    # one frame of the items one after the other (a frame per item concatenated gave the same columns and dtypes)
    return pd.DataFrame({"month": np.tile(months.to_timestamp().to_numpy(), len(items)),
                         "item": pd.Series(np.repeat(items, len(months)).tolist(), dtype="str"),
                         "scenario": np.concatenate(sc), "status_quo": np.concatenate(sq)})


def _run(months: pd.PeriodIndex, r, indexation: float) -> tuple[np.ndarray, np.ndarray]:
    """The monthly amounts of one current run cost (a row of :func:`run_costs`) over ``months``: what the scenario
    keeps paying (until the day before the change that ends it goes live) and what the status quo pays."""
    start = r.start if pd.notna(r.start) else None
    now = _spread(months, start, None, r.monthly, indexation, False, r.end)
    stop = r.retired_on - pd.Timedelta(days=1) if pd.notna(r.retired_on) else None
    ends = [x for x in (r.end, stop) if x is not None and pd.notna(x)]
    kept = _spread(months, start, None, r.monthly, indexation, False, min(ends) if ends else None)
    return kept, now


PAID_RECURRING = ("licences", "outsourcing")  # recurring lines the client pays for (a persistent loss is working time)


def yearly_run(an: Analysis) -> tuple[float, float]:
    """(before, after): the run costs per year, at today's prices, rounded to the cent. before = the current run
    costs of the horizon's first month × 12; after = the recurring costs of its last month × 12, once every change
    is live (run costs kept, subscriptions, managed services). Indexation is left out of both, so that their
    difference is what the changes save, not what prices rise (a scenario without changes saves 0)."""
    months = horizon(an)
    before = after = 0.0
    for r in frame_rows(an.run_costs):
        kept, now = _run(months, r, 0.0)
        before, after = before + now[0], after + kept[-1]
    for r in frame_rows(an.money_lines):
        if r.kind == "recurring" and r.item in PAID_RECURRING:
            after += _spread(months, r.start, r.months, r.amount, 0.0, False)[-1]
    return round(before * 12, 2), round(after * 12, 2)


def per_month(f: pd.DataFrame) -> pd.DataFrame:
    """The scenario's and the status quo's amounts per month of :func:`flows` (index month)."""
    return f.groupby("month")[["scenario", "status_quo"]].sum()


def break_even(per: pd.DataFrame) -> pd.Timestamp | None:
    """The first month from which the scenario has cost, cumulatively, no more than the status quo, after having
    cost more (None: it never pays back within the horizon, or never cost more). ``per``: :func:`per_month` of the
    flows (costs.figures groups them once, for this and for its totals)."""
    diff = per["scenario"].to_numpy(dtype="float64") - per["status_quo"].to_numpy(dtype="float64")
    if np.isnan(diff).any():  # (Series.cumsum skips NaN: the Series path)
        return _break_even_series(per)
    # on the arrays (the months are sorted and unique: positions after the first month over are the later months):
    # the same cumulative sums as Series.cumsum, without five Series built on the way
    gap = np.cumsum(diff)
    over = np.flatnonzero(gap > 0)
    if not len(over):
        return None
    back = np.flatnonzero(gap[over[0] + 1:] <= 0)
    return per.index[over[0] + 1 + back[0]] if len(back) else None


def _break_even_series(per: pd.DataFrame) -> pd.Timestamp | None:
    """:func:`break_even` on the Series (where an amount is NaN)."""
    gap = (per["scenario"] - per["status_quo"]).cumsum()
    if not (gap > 0).any():
        return None
    after = gap.loc[gap.index > gap[gap > 0].index[0]]
    hit = after[after <= 0]
    return hit.index[0] if len(hit) else None


def working_days_per_year(client) -> float:
    """Working days a year from the client's calendar: its workdays a week × 52, less the holidays listed in
    its first year (a year of holidays when the calendar lists more)."""
    cal = client.profile.calendar
    days = len(cal.workdays) * 52
    hol = sorted(cal.holidays)
    if hol:
        first = hol[0]
        within = [d for d in hol if d < dt.date(first.year + 1, first.month, first.day)]
        days -= sum(1 for d in within if ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][d.weekday()] in cal.workdays)
    return float(days)


def users_of(an: Analysis) -> pd.Series:
    """Direct users per (change, department), company-wide needs aside (skills.demand)."""
    d = an.demand
    return d.loc[d["department_id"] != skills.COMPANY].groupby(["change_id", "department_id"])["users"].sum()

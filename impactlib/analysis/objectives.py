"""The client's objectives checked against what the scenario computes, and the client's own effort against what
the plan needs of it (its duty to cooperate, the counterpart of the provider's duty to inform).

Pure functions over the Analysis; the review turns a missed objective into OBJ-MISSED and a shortfall of the
client's staff time into COOP-TIME (docs/methodology.md, "Objectives" and "The client's effort").
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import shared
from impactlib.model.documents import MEASURES

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

KEY_USER_HOURS_PER_CHANGE = 16  # a key user's project time per change: preparation, tests, acceptance, relaying (impactlib convention)
OBJECTIVE_COLUMNS = ["objective_id", "priority", "measure", "direction", "target", "value", "met", "unit"]


def _downtime(an: Analysis, changes: tuple[str, ...]) -> float:
    d = an.drawbacks
    d = d.loc[d["change_id"].isin(changes)] if changes else d
    return float(d["downtime_hours"].max()) if len(d) and d["downtime_hours"].notna().any() else 0.0


def measure(an: Analysis, objective) -> float | dt.date | None:
    """The scenario's value of the figure an objective names (see documents.MEASURES); None: not computable."""
    m = objective.measure
    money = an.figures
    if m == "hours_lost":
        lost = an.losses
        if objective.changes:
            lost = lost.loc[lost["change_id"].isin(objective.changes)]
        if objective.departments:
            lost = lost.loc[lost["department_id"].isin(objective.departments)]
        return float(lost["hours"].sum())
    if m == "project_cost":
        return money.spend
    if m == "run_cost_saving":
        return money.run_saving
    if m == "tco_saving":
        return money.saving
    if m == "payback_months":
        if money.break_even is None:
            return None
        return float((pd.Period(money.break_even, freq="M") - pd.Period(money.start, freq="M")).n)
    if m == "downtime_hours":
        return _downtime(an, objective.changes)
    if m == "go_live":
        cs = [c for c in an.changes if not objective.changes or c.id in objective.changes]
        return max((c.go_live for c in cs), default=None)
    raise ValueError(f"unknown measure {m!r}")


def objectives(an: Analysis) -> pd.DataFrame:
    """Each objective of the spec with a ``measure``, checked: value against target (or deadline), met or not.

    Columns: objective_id, priority, measure, direction (at_most / at_least), target (number, or the deadline
    date), value (None: cannot be computed — e.g. a payback that never comes within the horizon), met (bool),
    unit.
    """
    rows = []
    for o in an.client.spec.objectives:
        if o.measure is None:
            continue
        direction = MEASURES[o.measure]
        target = o.deadline if o.measure == "go_live" else o.target
        value = measure(an, o)
        if value is None:
            met = False
        elif direction == "at_most":
            met = value <= target
        else:
            met = value >= target
        rows.append((o.id, o.priority, o.measure, direction, target, value, bool(met), o.unit))
    return pd.DataFrame(rows, columns=OBJECTIVE_COLUMNS)


def effort(an: Analysis) -> pd.DataFrame:
    """What the plan needs of the client's staff, per department, against the time the client gives.

    need = training participant hours (the sessions of the plan) + KEY_USER_HOURS_PER_CHANGE × key users the
    organisation asks for (staffing.reorganisation, kind key_users). given = means.staff_hours_by_department,
    else means.staff_hours shared in proportion to the need (so the total is compared). Columns: department_id
    ("*" for key users of pooled departments), training_hours, key_user_hours, need, given (NaN: not stated).
    """
    plan = an.sessions
    reorg = an.reorganisation
    means = an.client.spec.means
    if shared.small(an):
        fast = _effort_small(plan, reorg, means)
        if fast is not None:
            return fast
    train = plan.groupby("department_id")["participant_hours"].sum() if len(plan) else pd.Series(dtype="float64")
    ku = reorg.loc[reorg["kind"] == "key_users"] if len(reorg) else reorg
    key = (ku.groupby("department_id")["count"].sum() * KEY_USER_HOURS_PER_CHANGE).astype("float64") if len(ku) else pd.Series(dtype="float64")
    depts = sorted(set(train.index) | set(key.index))
    f = pd.DataFrame({"department_id": depts})
    f["training_hours"] = f["department_id"].map(train).fillna(0.0).astype("float64")
    f["key_user_hours"] = f["department_id"].map(key).fillna(0.0).astype("float64")
    f["need"] = f["training_hours"] + f["key_user_hours"]
    if means.staff_hours_by_department:
        f["given"] = f["department_id"].map(means.staff_hours_by_department).astype("float64").fillna(0.0)
    elif means.staff_hours is not None and f["need"].sum() > 0:
        f["given"] = means.staff_hours * f["need"] / f["need"].sum()
    else:
        f["given"] = float("nan")
    return f


def _effort_small(plan: pd.DataFrame, reorg: pd.DataFrame, means) -> pd.DataFrame | None:
    """:func:`effort` in plain Python for small clients (a few departments: the frame path's two groupbys, maps and
    column assignments took ~4 ms a scenario on the demo-size client): the same rows, values and dtypes. None (the
    frame path) where a department id is NA, or an hour or count is not of the dtype the sums are exact for here."""
    if plan["participant_hours"].dtype != "float64" or reorg["count"].dtype != "int64":
        return None
    hours: dict = {}
    for dep, h in zip(plan["department_id"].tolist(), plan["participant_hours"].tolist()):
        if dep != dep:
            return None
        hours.setdefault(dep, []).append(h)
    counts: dict = {}
    for kind, dep, n in zip(reorg["kind"].tolist(), reorg["department_id"].tolist(), reorg["count"].tolist()):
        if kind == "key_users":
            if dep != dep or dep is None:
                return None
            counts[dep] = counts.get(dep, 0) + n
    depts = sorted(set(hours) | set(counts))
    train = [shared.group_sum(hours[d]) if d in hours else 0.0 for d in depts]
    key = [float(counts[d] * KEY_USER_HOURS_PER_CHANGE) if d in counts else 0.0 for d in depts]
    need = [t + k for t, k in zip(train, key)]
    if means.staff_hours_by_department:
        given = [float(means.staff_hours_by_department.get(d, 0.0)) for d in depts]
    elif means.staff_hours is not None and shared.series_sum(need) > 0:
        total = shared.series_sum(need)
        given = [means.staff_hours * n / total for n in need]
    else:
        given = [float("nan")] * len(depts)
    return pd.DataFrame({"department_id": depts, **{c: np.array(v, dtype="float64") for c, v in
                                                    (("training_hours", train), ("key_user_hours", key), ("need", need),
                                                     ("given", given))}})

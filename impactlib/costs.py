"""First-year cost of a scenario per change: licences, hardware, provider intervention, training.

Pure estimates from the catalog and the scenario's assumptions; each line says how it was computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import compat, skills
from .client import Client, assumptions, changes, memoized

PERIODS_PER_YEAR = {"once": 1, "month": 12, "year": 1}


@memoized
def estimate(client: Client, scenario: str | None = None) -> pd.DataFrame:
    """One row per (change, item) with item in licences, hardware, intervention, training.

    Columns: change_id, item, amount (client currency; NaN when it cannot be computed), quantity,
    unit_cost, basis (a short machine-readable reason: 'per_user×12', 'no_price_in_currency', ...).
    """
    a = assumptions(client, scenario)
    cur = client.profile.currency
    products = client.catalog.products
    need = skills.demand(client, scenario)
    users = need.groupby("change_id")["users"].sum()
    verdicts = compat.verdicts(client, scenario)
    failing = verdicts.loc[verdicts["verdict"] == "fail"].groupby("change_id")["quantity"].sum()
    training = skills.training_need(client, scenario).groupby("change_id")["cost"].sum(min_count=1)
    rows = []
    for c in changes(client, scenario):
        p = products.get(c.product_id)
        touched = compat.touched_assets(client, c)
        if p is not None:
            lic = p.licence
            if lic.model == "per_user":
                qty = c.seats if c.seats is not None else int(users.get(c.id, 0))
            elif lic.model == "per_device":
                qty = c.seats if c.seats is not None else int(touched["quantity"].sum())
            elif lic.model == "per_server":
                qty = max(int(touched.loc[touched["kind"].isin(["server", "virtual_machine"]), "quantity"].sum()), 1)
            else:
                qty = 0
            factor = PERIODS_PER_YEAR[lic.period]
            if lic.currency != cur and lic.unit_cost > 0:
                rows.append((c.id, "licences", float("nan"), qty, lic.unit_cost, f"price in {lic.currency}, client in {cur}"))
            else:
                rows.append((c.id, "licences", qty * lic.unit_cost * factor, qty, lic.unit_cost * factor,
                             f"{lic.model}×{factor}" if factor > 1 else lic.model))
        units = int(failing.get(c.id, 0))
        if units:
            rows.append((c.id, "hardware", units * a.workstation_unit_cost, units, a.workstation_unit_cost, "replace incompatible devices"))
        if c.intervention_hours is not None:
            hours, basis = c.intervention_hours, "spec"
        elif p is not None and p.change is not None:
            seats = c.seats if c.seats is not None else int(touched["quantity"].sum())
            hours = (p.change.intervention_hours_fixed or 0) + (p.change.intervention_hours_per_seat or 0) * seats
            basis = "catalog"
        else:
            hours, basis = float("nan"), "no_effort_in_catalog"
        rows.append((c.id, "intervention", hours * a.provider_hourly_rate, hours, a.provider_hourly_rate, basis))
        rows.append((c.id, "training", float(training.get(c.id, 0.0)), float("nan"), float("nan"), "courses"))
    return pd.DataFrame(rows, columns=["change_id", "item", "amount", "quantity", "unit_cost", "basis"])


def effort_hours(client: Client, scenario: str | None = None) -> pd.Series:
    """Provider intervention hours per change (index change_id), from the spec or the catalog."""
    e = estimate(client, scenario)
    return e.loc[e["item"] == "intervention"].set_index("change_id")["quantity"]


# Triangular (low, most likely, high) multipliers applied to each cost item in the simulation.
# impactlib estimates: effort and productivity loss overrun more often than they underrun
# (planning fallacy); licence list prices are known. Documented in docs/methodology.md.
UNCERTAINTY = {
    "licences": (1.0, 1.0, 1.05),
    "hardware": (0.9, 1.0, 1.15),
    "intervention": (0.8, 1.0, 1.6),
    "training": (0.9, 1.0, 1.3),
    "productivity": (0.5, 1.0, 1.8),
    "recruitment": (0.8, 1.0, 1.5),
    "outsourcing": (0.9, 1.0, 1.3),
}
ITEMS = tuple(UNCERTAINTY)


def items(client: Client, scenario: str | None = None, recruitments: int = 0) -> pd.Series:
    """First-year cost per item over all changes (index: ITEMS), client currency; NaN lines count as 0.

    productivity = the drawbacks' productivity loss; recruitment = ``recruitments`` × the scenario's
    recruitment_cost.
    """
    from .validation import drawbacks

    e = estimate(client, scenario).groupby("item")["amount"].sum()
    out = pd.Series(0.0, index=list(ITEMS))
    out.update(e)
    out["productivity"] = float(drawbacks(client, scenario)["cost_lost"].sum())
    out["recruitment"] = recruitments * assumptions(client, scenario).recruitment_cost
    out["outsourcing"] = 0.0  # set by the caller from the staffing advice (provider time bought)
    return out.fillna(0.0)


# the project's spend, what the budget rule compares: the plan's own costs; staffing (recruitment, provider
# support while skills are missing) depends on the advice, and the productivity loss is not paid out
SPEND = ("licences", "hardware", "intervention", "training")
STAFFING = ("recruitment", "outsourcing")


@memoized
def first_year(client: Client, scenario: str | None = None) -> pd.Series:
    """First-year cost per item (index: ITEMS) with the staffing advice folded in: one recruitment per
    recruit profile, and the provider time bought for outsource decisions (once per change, product and
    role: one provider covers all of a role's skills; the recruitment part of outsource-then-recruit is
    counted with the recruitments)."""
    from . import staffing

    a = assumptions(client, scenario)
    recruits = int(staffing.recruit_profiles(client, scenario)["headcount"].sum())
    advice = staffing.staffing_advice(client, scenario)
    bought = advice.loc[advice["decision"].isin(["outsource", "outsource_then_recruit"])]
    provider = bought["cost"] - (bought["decision"] == "outsource_then_recruit") * bought["people"] * a.recruitment_cost
    base = items(client, scenario, recruits)
    base["outsourcing"] = float(provider.groupby([bought["change_id"], bought["product_id"], bought["role"]]).max().sum())
    return base


def ranges(base: pd.Series, runs: int, seed: int) -> pd.DataFrame:
    """P10 / P50 / P90 of each item and of the total, from a seeded Monte Carlo over UNCERTAINTY.

    The same base, runs and seed give the same numbers. Columns: item, base, p10, p50, p90.
    """
    rng = np.random.default_rng(seed)
    lows, modes, highs = (np.array([UNCERTAINTY[i][k] for i in base.index]) for k in range(3))
    factors = rng.triangular(lows, modes, np.maximum(highs, modes + 1e-12), size=(runs, len(base)))
    draws = factors * base.to_numpy()
    total = draws.sum(axis=1)
    q = np.percentile(np.column_stack([draws, total]), [10, 50, 90], axis=0)
    return pd.DataFrame({"item": list(base.index) + ["total"], "base": list(base.to_numpy()) + [float(base.sum())],
                         "p10": q[0], "p50": q[1], "p90": q[2]})

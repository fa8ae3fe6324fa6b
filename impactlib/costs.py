"""First-year cost of a scenario per change: licences, hardware, provider intervention, training.

Pure estimates from the catalog and the scenario's assumptions; each line says how it was computed.
"""

from __future__ import annotations

import pandas as pd

from . import compat, skills
from .client import Client, assumptions, changes

PERIODS_PER_YEAR = {"once": 1, "month": 12, "year": 1}


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
    verdicts = compat.host_verdicts(compat.host_checks(client, scenario))
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

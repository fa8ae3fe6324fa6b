"""What each change costs (licences per model and period — a year of a subscription —, hardware for failing hosts,
provider intervention, training), the items over the horizon and the one-off spend, and their seeded P10/P50/P90
ranges; edits on the clean fixture (C1: Microsoft 365 Business Standard, 12.13 EUR per user per month, 7 seats,
replacing Office LTSC 2024, go-live 2027-03-01; spec dated 2026-10-01, so the default 36-month horizon runs from
October 2026 to September 2029 and a subscription from go-live counts 2027-03 … 2029-09 = 31 months).
The worked examples of money over time (36-month commitment, payback, persistent loss, budgets) are in test_money.py."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from conftest import apply
from impactlib import assess, load_client
from impactlib.analysis import costs

ADD_CHANGE = "rollout: phased, seats: 7}\n"
C1_SEATS = "rollout: phased, seats: 7}"
GO = "go_live: 2027-03-01, rollout: big_bang"
PC_ROW = "PC,Desktops,workstation,,,7,,medium,,,Dell,OptiPlex 7010,Intel(R) Core(TM) i5-13500,14,16,512,2.0,yes,yes,windows-11,25H2"
W11 = "{id: C2, title: Windows 11, action: upgrade, product_id: windows-11, version: 25H2, from_product_id: windows-10, assets: [PC], " + GO + ", seats: 7}"


def add_change(line: str) -> tuple[str, str, str]:
    return ("spec.yaml", ADD_CHANGE, ADD_CHANGE + "  - " + line + "\n")


def assume(**values) -> tuple[str, str, str]:
    """Scenario assumptions of the baseline scenario."""
    text = ", ".join(f"{k}: {v}" for k, v in values.items())
    return ("scenarios/baseline.yaml", "title: As specified", f"title: As specified\nassumptions: {{{text}}}")


def line(folder, change: str, item: str) -> dict | None:
    e = assess(load_client(folder)).cost_lines
    row = e.loc[(e["change_id"] == change) & (e["item"] == item)]
    assert len(row) <= 1
    return None if row.empty else row.iloc[0].to_dict()


# --- licences -----------------------------------------------------------------------------------

LICENCES = [
    # change C2 added to the spec; quantity, unit cost per year (unit × periods), amount, basis
    pytest.param("{id: C2, title: Odoo, action: add, product_id: odoo, departments: [FIN], " + GO + "}",
                 4, 24.9 * 12, 4 * 24.9 * 12, "per_user×12", id="per_user-month: FIN's 3 users + a company-wide administrator"),
    pytest.param("{id: C2, title: Odoo, action: add, product_id: odoo, departments: [FIN], " + GO + ", seats: 2}",
                 2, 24.9 * 12, 2 * 24.9 * 12, "per_user×12", id="per_user-month: seats win"),
    pytest.param("{id: C2, title: M365 Premium, action: add, product_id: microsoft-365-business-premium, departments: [OPS], " + GO + "}",
                 5, 19.06 * 12, 5 * 19.06 * 12, "per_user×12", id="per_user-month: OPS headcount + administrator"),
    pytest.param("{id: C2, title: Office, action: upgrade, product_id: office-ltsc-2024, from_product_id: office-ltsc-2021, "
                 "assets: [OFFICE], " + GO + "}", 7, 500, 3500, "per_device", id="per_device-once: assets acted on"),
    pytest.param("{id: C2, title: Office, action: upgrade, product_id: office-ltsc-2024, from_product_id: office-ltsc-2021, "
                 "assets: [OFFICE], " + GO + ", seats: 3}", 3, 500, 1500, "per_device", id="per_device-once: seats win"),
    pytest.param("{id: C2, title: ESET, action: add, product_id: eset-protect, assets: [PC], " + GO + "}",
                 7, 40, 280, "per_device", id="per_device-year"),
    pytest.param("{id: C2, title: Veeam, action: add, product_id: veeam-backup-replication, assets: [SRV], " + GO + "}",
                 1, 90, 90, "per_device", id="per_device-year-one-server"),
    pytest.param("{id: C2, title: Server 2025, action: upgrade, product_id: windows-server-2025, from_product_id: windows-server-2022, "
                 + GO + "}", 1, 1100, 1100, "per_server", id="per_server-once"),
    pytest.param("{id: C2, title: Exchange SE, action: add, product_id: exchange-server-se, assets: [SRV], " + GO + "}",
                 1, 1200, 1200, "per_server", id="per_server-year"),
    pytest.param("{id: C2, title: Exchange SE, action: add, product_id: exchange-server-se, assets: [OFFICE], " + GO + "}",
                 1, 1200, 1200, "per_server", id="per_server-at-least-one"),
    pytest.param("{id: C2, title: LibreOffice, action: add, product_id: libreoffice, " + GO + "}",
                 0, 0, 0, "free", id="free"),
]


@pytest.mark.parametrize("change, quantity, unit_cost, amount, basis", LICENCES)
def test_licences(clean, change, quantity, unit_cost, amount, basis):
    apply(clean, [add_change(change)])
    row = line(clean, "C2", "licences")
    assert (row["quantity"], row["basis"]) == (quantity, basis)
    assert row["unit_cost"] == pytest.approx(unit_cost)
    assert row["amount"] == pytest.approx(amount)


@pytest.mark.parametrize("seats, amount", [("seats: 7", 7 * 12.13 * 12), ("seats: 5", 5 * 12.13 * 12), ("seats: 0", 0.0),
                                           ("data_volume_gb: 0", 7 * 12.13 * 12)],  # no seats: the 7 users of the demand
                         ids=["7-seats", "5-seats", "0-seats", "no-seats"])
def test_clean_licences(clean, seats, amount):
    apply(clean, [("spec.yaml", "seats: 7}", seats + "}")])
    assert line(clean, "C1", "licences")["amount"] == pytest.approx(amount)


@pytest.mark.parametrize("currency, amount, unit_cost, basis", [
    ("EUR", 7 * 12.13 * 12, 12.13 * 12, "per_user×12"),
    ("CHF", math.nan, 12.13, "price in EUR, client in CHF"),  # the catalog price as read, in its own currency and period
    ("USD", math.nan, 12.13, "price in EUR, client in USD"),
])
def test_currency_mismatch_leaves_licences_blank(clean, currency, amount, unit_cost, basis):
    apply(clean, [("client.yaml", "currency: EUR", f"currency: {currency}"), add_change(W11)])
    row = line(clean, "C1", "licences")
    assert row["basis"] == basis and row["quantity"] == 7 and row["unit_cost"] == pytest.approx(unit_cost)
    assert row["amount"] == pytest.approx(amount, nan_ok=True)
    free = line(clean, "C2", "licences")  # Windows 11 costs 0 in any currency
    assert (free["amount"], free["basis"]) == (0.0, "per_device")


def test_blank_licences_count_as_zero_in_items(clean):
    apply(clean, [("client.yaml", "currency: EUR", "currency: CHF")])
    an = assess(load_client(clean))
    assert an.cost_items["licences"] == 0.0 and not an.cost_items.isna().any()
    assert costs.spend_items(an)["licences"] == 0.0 and not costs.spend_items(an).isna().any()
    assert an.figures.total == pytest.approx(an.cost_items.sum()) and an.figures.run_after == 0.0  # no NaN carried on


# --- hardware -----------------------------------------------------------------------------------

OLD_CPU = PC_ROW.replace("i5-13500", "i5-6500").replace("windows-11,25H2", "windows-10,22H2")
NO_RAM = PC_ROW.replace("14,16,512", "14,,512").replace("windows-11,25H2", "windows-10,22H2")
# 3 old desktops fail, 4 recent ones (PC2) pass
SPLIT = (OLD_CPU.replace(",7,,medium", ",3,,medium") + ",2024-03-01,,\n"
         "PC2,Desktops 2,workstation,,,4,,medium,,,Dell,OptiPlex 7010,Intel(R) Core(TM) i5-13500,14,16,512,2.0,yes,yes,windows-10,22H2")

HARDWARE = [
    # PC rows, assumptions, hardware line (units, unit cost) or None
    pytest.param(PC_ROW.replace("windows-11,25H2", "windows-10,22H2"), {}, None, id="all-pass"),
    pytest.param(OLD_CPU, {}, (7, 950.0), id="cpu-fails-default-unit-cost"),
    pytest.param(OLD_CPU, {"workstation_unit_cost": 1200}, (7, 1200.0), id="cpu-fails-scenario-unit-cost"),
    pytest.param(NO_RAM, {}, None, id="unknown-is-not-a-failure"),
    pytest.param(SPLIT, {}, (3, 950.0), id="only-failing-hosts-count"),
]


@pytest.mark.parametrize("pc_row, assumed, expected", HARDWARE)
def test_hardware(clean, pc_row, assumed, expected):
    apply(clean, [("assets.csv", PC_ROW, pc_row), add_change(W11.replace("assets: [PC]", "assets: [PC, PC2]") if "PC2" in pc_row else W11)]
          + ([assume(**assumed)] if assumed else []))
    row = line(clean, "C2", "hardware")
    if expected is None:
        assert row is None
    else:
        units, unit_cost = expected
        assert (row["quantity"], row["unit_cost"], row["basis"]) == (units, unit_cost, "replace incompatible workstations")
        assert row["amount"] == units * unit_cost


# --- intervention -------------------------------------------------------------------------------

INTERVENTION = [
    # edits, hours, rate, basis  (Microsoft 365: 24 h fixed + 1.5 h per seat)
    pytest.param([], 24 + 1.5 * 7, 90.0, "catalog", id="catalog-7-seats"),
    pytest.param([("spec.yaml", "seats: 7}", "seats: 3}")], 24 + 1.5 * 3, 90.0, "catalog", id="catalog-3-seats"),
    pytest.param([("spec.yaml", "seats: 7}", "data_volume_gb: 0}")], 24 + 1.5 * 7, 90.0, "catalog", id="no-seats: 7 Office devices acted on"),
    pytest.param([("spec.yaml", "seats: 7}", "seats: 7, intervention_hours: 120}")], 120.0, 90.0, "spec", id="spec-hours-win"),
    pytest.param([("spec.yaml", "seats: 7}", "seats: 7, intervention_hours: 0}")], 0.0, 90.0, "spec", id="spec-zero-hours"),
    pytest.param([assume(provider_hourly_rate=100)], 24 + 1.5 * 7, 100.0, "catalog", id="scenario-rate"),
]


@pytest.mark.parametrize("edits, hours, rate, basis", INTERVENTION)
def test_intervention(clean, edits, hours, rate, basis):
    apply(clean, edits)
    row = line(clean, "C1", "intervention")
    assert (row["quantity"], row["unit_cost"], row["basis"]) == (pytest.approx(hours), rate, basis)
    assert row["amount"] == pytest.approx(hours * rate)
    assert costs.effort_hours(assess(load_client(clean)))["C1"] == pytest.approx(hours)


@pytest.mark.parametrize("change, hours", [
    ("{id: C2, title: Server 2025, action: upgrade, product_id: windows-server-2025, from_product_id: windows-server-2022, " + GO + "}",
     16 + 16 * 1),
    ("{id: C2, title: Odoo, action: add, product_id: odoo, departments: [FIN], " + GO + "}", 120.0),  # nothing acted on: fixed only
], ids=["one-server", "add-without-assets"])
def test_intervention_from_catalog(clean, change, hours):
    apply(clean, [add_change(change)])
    row = line(clean, "C2", "intervention")
    assert (row["quantity"], row["basis"]) == (pytest.approx(hours), "catalog")


def test_no_effort_known_is_blank(clean):
    apply(clean, [add_change("{id: C2, title: Drop Office, action: remove, from_product_id: office-ltsc-2024, " + GO + "}")])
    row = line(clean, "C2", "intervention")
    assert math.isnan(row["amount"]) and math.isnan(row["quantity"]) and row["basis"] == "no_effort_in_catalog"
    assert line(clean, "C2", "licences") is None  # nothing bought


# --- training and items -------------------------------------------------------------------------

def test_training_line_is_the_course_cost(clean):
    apply(clean, [("skills.csv", "S1,m365_use,3\n", "S1,m365_use,0\n"), ("skills.csv", "S7,m365_admin,4\n", "S7,m365_admin,3\n")])
    an = assess(load_client(clean))
    row = line(clean, "C1", "training")
    assert row["amount"] == pytest.approx(350 + 2700) == pytest.approx(an.training_need["cost"].sum())
    assert row["basis"] == "courses" and math.isnan(row["quantity"])


def test_estimate_columns_and_items_per_change(clean):
    apply(clean, [add_change(W11), ("assets.csv", PC_ROW, OLD_CPU)])
    e = assess(load_client(clean)).cost_lines
    assert list(e.columns) == ["change_id", "item", "amount", "quantity", "unit_cost", "basis"]
    assert e.groupby("change_id")["item"].apply(list).to_dict() == {
        "C1": ["licences", "intervention", "training"], "C2": ["licences", "hardware", "intervention", "training"]}


ITEMS_CASES = [
    # S7's m365_admin level, in_house_admin_from_staff, recruitment, outsourcing over the horizon.
    # Windows 11's administrator skill (windows_admin 4) is recorded for nobody: far beyond MAX_TRAINABLE_GAP.
    # A company of 7 below in_house_admin_from_staff (50) buys administration as a managed service for as long as the
    # product stays: 8 h a month × 90 from go-live 2027-03 to the horizon's end 2029-09 (31 months) = 720 × 31 = 22,320.
    pytest.param(4, 50, 0.0, 720.0 * 31, id="managed-service-no-recruitment"),
    # in_house_admin_from_staff 0: every administrator is kept in house; a gap of 4 levels (C2) or 3 (C1, m365_admin 1)
    # with 4.5 months to go-live (≥ 3 to recruit) is a recruitment: one recruitment_cost (9,000) per capability
    pytest.param(4, 0, 9000.0, 0.0, id="one-recruitment"),
    pytest.param(1, 0, 18000.0, 0.0, id="two-recruitments"),
]


@pytest.mark.parametrize("admin_level, in_house, recruitment, outsourcing", ITEMS_CASES)
def test_items(clean, admin_level, in_house, recruitment, outsourcing):
    apply(clean, [add_change(W11), ("assets.csv", PC_ROW, OLD_CPU), ("skills.csv", "S7,m365_admin,4\n", f"S7,m365_admin,{admin_level}\n"),
                  assume(in_house_admin_from_staff=in_house)])
    an = assess(load_client(clean))
    it = an.cost_items
    e = an.cost_lines.groupby("item")["amount"].sum()
    assert list(it.index) == list(costs.ITEMS) and not it.isna().any() and (it >= 0).all()
    # the 7 replaced desktops are bridged with Windows 10 ESU until their go-live (2027-03, more than 90 days after the
    # report date): years 1 + 2 (cumulative) = USD 183 × 0.86 = EUR 157.38 each, and 0.25 h each to activate the key
    esu, esu_hours = 7 * 183 * 0.86, 7 * 0.25 * 90
    extra = {"hardware": 0.0, "intervention": esu_hours, "training": 0.0}
    for item in ("hardware", "intervention", "training"):  # one-off, all within the horizon
        assert it[item] == pytest.approx(e[item] + extra[item]), item
    assert it["hardware"] == 7 * 950.0  # 7 desktops with a 6th-generation CPU, at the catalog's workstation price
    # C1's subscription over 31 months, not one year (cost_lines: 7 × 12.13 × 12 = 1,018.92); Windows 11 costs 0
    assert it["licences"] == pytest.approx(7 * 12.13 * 31 + esu) == pytest.approx(e["licences"] / 12 * 31 + esu)
    assert it["productivity"] == pytest.approx(an.drawbacks["cost_lost"].sum())
    assert it["recruitment"] == recruitment and it["outsourcing"] == pytest.approx(outsourcing)
    assert it["run"] == 0.0  # the clean client lists no run costs
    # the one-off spend: hardware, intervention and training, never the subscription, the staffing or the loss
    spend = costs.spend_items(an)
    assert list(spend.index) == list(costs.SPEND)
    assert spend.to_dict() == pytest.approx({"licences": esu, "hardware": 6650.0, "intervention": e["intervention"] + esu_hours,
                                             "training": 0.0})
    f = an.figures
    assert f.spend == pytest.approx(spend.sum()) and f.total == pytest.approx(it.sum())
    assert f.staffing == pytest.approx(recruitment + outsourcing) and f.productivity == pytest.approx(it["productivity"])


def test_clean_items(clean):
    an = assess(load_client(clean))
    it = an.cost_items
    # licences: 7 users × 12.13 a month × 31 months (2027-03 … 2029-09); intervention: (24 + 1.5 × 7) h × 90;
    # productivity: Office LTSC → Microsoft 365 is an "edition" change (5 % for 2 weeks): 7 users × 0.05 × 2 weeks
    # × 35 h × ½ × hourly cost (FIN 3 × 45, OPS 4 × 35) = 1.75 × 275 = 481.25
    expected = {"run": 0.0, "licences": 7 * 12.13 * 31, "hardware": 0.0, "intervention": 3105.0, "training": 0.0,
                "productivity": 0.05 * 2 * 35 * 0.5 * (3 * 45 + 4 * 35), "recruitment": 0.0, "outsourcing": 0.0}
    assert it.to_dict() == pytest.approx(expected)
    assert expected["licences"] == pytest.approx(2632.21) and expected["productivity"] == pytest.approx(481.25)
    f = an.figures
    # spend: the intervention only (the subscription is recurring); total = 2,632.21 + 3,105 + 481.25 = 6,218.46;
    # nothing runs today: the status quo costs 0, the scenario 6,218.46 more, never paid back
    assert (f.spend, f.staffing) == (3105.0, 0.0)
    assert (f.total, f.status_quo, f.saving) == (pytest.approx(6218.46), 0.0, pytest.approx(-6218.46))
    assert f.break_even is None and (f.horizon_months, f.start) == (36, dt.date(2026, 10, 1))
    assert (f.run_before, f.run_after, f.run_saving) == (0.0, pytest.approx(1018.92), pytest.approx(-1018.92))


def test_items_of_a_scenario_without_change(clean):
    apply(clean, [("scenarios/baseline.yaml", "title: As specified", "title: As specified\nexclude: [C1]")])
    an = assess(load_client(clean))
    it = an.cost_items
    assert list(it.index) == list(costs.ITEMS) and (it == 0).all()
    assert (costs.spend_items(an) == 0).all()
    f = an.figures
    assert (f.spend, f.total, f.status_quo, f.saving, f.run_after) == (0.0, 0.0, 0.0, 0.0, 0.0)


# --- ranges -------------------------------------------------------------------------------------

BASE = pd.Series({"licences": 1000.0, "hardware": 6650.0, "intervention": 3105.0, "training": 3050.0,
                  "productivity": 2165.6, "recruitment": 9000.0})


def test_same_seed_same_ranges():
    pd.testing.assert_frame_equal(costs.ranges(BASE, 500, 42), costs.ranges(BASE.copy(), 500, 42))


@pytest.mark.parametrize("a, b", [(42, 43), (0, 1)])
def test_other_seed_other_ranges(a, b):
    ra, rb = costs.ranges(BASE, 500, a), costs.ranges(BASE, 500, b)
    assert not np.allclose(ra[["p10", "p50", "p90"]].to_numpy(), rb[["p10", "p50", "p90"]].to_numpy())
    pd.testing.assert_series_equal(ra["base"], rb["base"])


def test_ranges_shape_and_order():
    r = costs.ranges(BASE, 2000, 42)
    assert list(r.columns) == ["item", "base", "p10", "p50", "p90"]
    assert list(r["item"]) == list(BASE.index) + ["total"]
    assert ((r["p10"] <= r["p50"]) & (r["p50"] <= r["p90"])).all()
    assert r.set_index("item").at["total", "base"] == pytest.approx(BASE.sum())
    assert r["base"].iloc[:-1].tolist() == BASE.tolist()


@pytest.mark.parametrize("item", sorted(costs.UNCERTAINTY))
def test_ranges_stay_within_the_triangle(item):
    low, mode, high = costs.UNCERTAINTY[item]
    r = costs.ranges(pd.Series({item: 1000.0}), 2000, 7).set_index("item").loc[item]
    assert low * 1000 <= r["p10"] <= r["p50"] <= r["p90"] <= high * 1000
    assert low <= mode <= high


def test_licences_only_overrun():
    r = costs.ranges(BASE, 2000, 42).set_index("item")
    assert r.at["licences", "p10"] >= 1000.0  # low = most likely = 1.0


def test_zero_items_stay_zero():
    r = costs.ranges(pd.Series(0.0, index=list(costs.ITEMS)), 300, 1)
    assert (r[["base", "p10", "p50", "p90"]] == 0).all().all()


def test_uncertainty_table():
    assert costs.UNCERTAINTY["run"] == (1.0, 1.0, 1.03)  # today's run costs are on the client's invoices
    assert costs.ITEMS[0] == "run" and costs.SPEND == ("licences", "hardware", "intervention", "training")
    assert costs.UNCERTAINTY["licences"] == (1.0, 1.0, 1.05)
    assert costs.UNCERTAINTY["intervention"] == (0.8, 1.0, 1.6)
    assert costs.UNCERTAINTY["productivity"] == (0.5, 1.0, 1.8)
    assert costs.ITEMS == tuple(costs.UNCERTAINTY)

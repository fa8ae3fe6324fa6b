"""Loading a client folder: every validation rule of docs/data-format.md has a failing-input test.

Each row of RULES breaks the `tiny` fixture with one text edit and names the problem the loader must
report: file, row (spreadsheet numbering, header = 1; None for YAML), column (CSV column or YAML key
path) and a piece of the message. Rows marked ``BUG`` are rules the loader does not honour yet.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEMO, DEMO_CLIENTS, FIXTURES, edit
from impactlib import InvalidInput, assess, load_client
from impactlib.io.catalog import load_catalog

SPEC = (FIXTURES / "tiny" / "spec.yaml").read_text(encoding="utf-8")
SPEC_OBJECTIVES = SPEC[SPEC.index("objectives:"):SPEC.index("constraints:")]
SPEC_CHANGES = SPEC[SPEC.index("changes:"):]
ADD_C3 = "{id: C3, title: Extra, action: add, product_id: windows-11, go_live: 2027-03-01, rollout: phased}"


def bug(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")


def rule(id, file, old, new, where, row, column, message, marks=()):
    """One failing input: edit ``file`` of tiny, expect a problem at tiny/``where``, ``row``, ``column``."""
    return pytest.param(file, old, new, f"tiny/{where}", row, column, message, id=id, marks=marks)


RULES = [
    # --- CSV: types -------------------------------------------------------------------------------
    rule("departments.headcount-not-a-number", "departments.csv", "FIN,Finance,3,", "FIN,Finance,x,",
         "departments.csv", 2, "headcount", "'x' is not a whole number"),
    rule("departments.headcount-not-whole", "departments.csv", "FIN,Finance,3,", "FIN,Finance,3.5,",
         "departments.csv", 2, "headcount", "'3.5' is not a whole number"),
    rule("departments.hourly_cost-not-a-number", "departments.csv", "critical,45,", "critical,abc,",
         "departments.csv", 2, "hourly_cost", "'abc' is not a number"),
    rule("staff.fte-not-a-number", "staff.csv", ",0.8,", ",abc,", "staff.csv", 3, "fte", "'abc' is not a number"),
    rule("assets.quantity-not-whole", "assets.csv", "laptop,,,1,", "laptop,,,1.5,",
         "assets.csv", 4, "quantity", "'1.5' is not a whole number"),
    rule("usage.users-not-a-number", "usage.csv", "OPS,OFFICE,end_user,4,", "OPS,OFFICE,end_user,x,",
         "usage.csv", 3, "users", "'x' is not a whole number"),
    rule("usage.hours_per_week-not-a-number", "usage.csv", "weekly,5,", "weekly,lots,",
         "usage.csv", 3, "hours_per_week", "'lots' is not a number"),
    rule("assets.purchase_date-not-a-date", "assets.csv", "2016-09-15", "15.09.2016",
         "assets.csv", 2, "purchase_date", "'15.09.2016' is not a date"),
    rule("assets.purchase_date-impossible-date", "assets.csv", "2016-09-15", "2016-02-30",
         "assets.csv", 2, "purchase_date", "'2016-02-30' is not a date"),
    rule("acknowledgements.decided_on-not-a-date", "acknowledgements.csv", "2026-10-20", "20 Oct 2026",
         "acknowledgements.csv", 2, "decided_on", "'20 Oct 2026' is not a date"),
    rule("assets.uefi-not-yes-no", "assets.csv", "256,2.0,yes,yes", "256,2.0,maybe,yes",
         "assets.csv", 2, "uefi", "'maybe' is not a yes/no value"),
    rule("dependencies.required-not-yes-no", "dependencies.csv", ",yes,", ",perhaps,",
         "dependencies.csv", 2, "required", "'perhaps' is not a yes/no value"),
    # --- CSV: ranges ------------------------------------------------------------------------------
    rule("departments.headcount-negative", "departments.csv", "OPS,Operations,4,", "OPS,Operations,-1,",
         "departments.csv", 3, "headcount", "-1 must be ≥ 0"),
    rule("departments.change_capacity-zero", "departments.csv", "45,6,3,", "45,6,0,",
         "departments.csv", 2, "change_capacity", "0 must be > 0"),
    rule("staff.fte-above-1", "staff.csv", ",0.8,", ",1.5,", "staff.csv", 3, "fte", "1.5 must be ≤ 1"),
    rule("staff.fte-zero", "staff.csv", ",0.8,", ",0,", "staff.csv", 3, "fte", "0 must be > 0"),
    rule("skills.level-7", "skills.csv", "S1,excel_use,4", "S1,excel_use,7",
         "skills.csv", 3, "level", "'7' is not one of 0, 1, 2, 3, 4, 5"),
    rule("assets.ram_gb-zero", "assets.csv", "i5-6500 CPU @ 3.20GHz,4,8,", "i5-6500 CPU @ 3.20GHz,4,0,",
         "assets.csv", 2, "ram_gb", "0 must be > 0"),
    rule("assets.quantity-zero", "assets.csv", "laptop,,,1,", "laptop,,,0,", "assets.csv", 4, "quantity", "0 must be ≥ 1"),
    rule("assets.cpu_cores-zero", "assets.csv", "i5-1245U,10,", "i5-1245U,0,", "assets.csv", 3, "cpu_cores", "0 must be ≥ 1"),
    rule("assets.licence_seats-negative", "assets.csv", "medium,,6,", "medium,,-1,",
         "assets.csv", 6, "licence_seats", "-1 must be ≥ 0"),
    rule("usage.users-negative", "usage.csv", "OPS,OFFICE,end_user,4,", "OPS,OFFICE,end_user,-1,",
         "usage.csv", 3, "users", "-1 must be ≥ 0"),
    rule("usage.hours_per_week-81", "usage.csv", "weekly,5,", "weekly,81,", "usage.csv", 3, "hours_per_week", "81 must be ≤ 80"),
    # --- CSV: allowed values ----------------------------------------------------------------------
    rule("departments.criticality", "departments.csv", "critical,45", "urgent,45",
         "departments.csv", 2, "criticality", "'urgent' is not one of"),
    rule("assets.criticality", "assets.csv", ",high,payroll_hr,", ",extreme,payroll_hr,",
         "assets.csv", 5, "criticality", "'extreme' is not one of"),
    rule("assets.kind", "assets.csv", "Spare laptop,laptop", "Spare laptop,tablet", "assets.csv", 4, "kind", "'tablet' is not one of"),
    rule("usage.role", "usage.csv", "OPS,OFFICE,end_user", "OPS,OFFICE,boss", "usage.csv", 3, "role", "'boss' is not one of"),
    rule("usage.intensity", "usage.csv", "4,weekly", "4,yearly", "usage.csv", 3, "intensity", "'yearly' is not one of"),
    rule("dependencies.kind", "dependencies.csv", "stores_data_in", "lives_in", "dependencies.csv", 2, "kind", "'lives_in' is not one of"),
    rule("acknowledgements.decision", "acknowledgements.csv", "accepted,", "approved,",
         "acknowledgements.csv", 2, "decision", "'approved' is not one of"),
    rule("staff.employment", "staff.csv", "Accountant,,0.8", "Accountant,boss,0.8", "staff.csv", 3, "employment", "'boss' is not one of"),
    rule("assets.tpm_version", "assets.csv", "256,2.0,", "256,3.0,", "assets.csv", 2, "tpm_version", "'3.0' is not one of"),
    rule("assets.sensitive_data-item", "assets.csv", ",payroll_hr,", ",payroll_hr|gossip,",
         "assets.csv", 5, "sensitive_data", "'gossip' not allowed in the list"),
    rule("usage.features-item-not-an-id", "usage.csv", "vba_macros|xlsm", "vba_macros|bad feature",
         "usage.csv", 2, "features", "'bad feature' not allowed in the list"),
    rule("usage.features-unknown", "usage.csv", "vba_macros|xlsm", "vba_macros|telepathy",
         "usage.csv", 2, "features", "unknown feature 'telepathy'"),
    # --- CSV: required cells, header --------------------------------------------------------------
    rule("departments.name-blank", "departments.csv", "FIN,Finance,", "FIN,,", "departments.csv", 2, "name", "is required"),
    rule("departments.hourly_cost-blank", "departments.csv", "critical,45,", "critical,,",
         "departments.csv", 2, "hourly_cost", "is required"),
    rule("staff.role-blank", "staff.csv", "S5,OPS,Technician", "S5,OPS,", "staff.csv", 6, "role", "is required"),
    rule("staff.department_id-blank", "staff.csv", "S5,OPS,", "S5,,", "staff.csv", 6, "department_id", "is required"),
    rule("skills.level-blank", "skills.csv", "S4,win11_use,2", "S4,win11_use,", "skills.csv", 5, "level", "is required"),
    rule("assets.kind-blank", "assets.csv", "Spare laptop,laptop", "Spare laptop,", "assets.csv", 4, "kind", "is required"),
    rule("usage.users-blank", "usage.csv", "FIN,SRV,end_user,3,", "FIN,SRV,end_user,,", "usage.csv", 4, "users", "is required"),
    rule("dependencies.to_asset_id-blank", "dependencies.csv", "OFFICE,SRV,", "OFFICE,,",
         "dependencies.csv", 2, "to_asset_id", "is required"),
    rule("acknowledgements.decision-blank", "acknowledgements.csv", "baseline,pending", "baseline,",
         "acknowledgements.csv", 3, "decision", "is required"),
    rule("staff.unknown-column", "staff.csv", "fte,name,", "fte,nom,", "staff.csv", 1, "nom", "unknown column"),
    # --- CSV: identifiers and duplicates ----------------------------------------------------------
    rule("assets.asset_id-pattern", "assets.csv", "PC-UNK,", "PC UNK,", "assets.csv", 4, "asset_id", "is not a valid identifier"),
    rule("staff.staff_id-duplicate", "staff.csv", "S2,FIN", "S1,FIN", "staff.csv", 3, "staff_id", "'S1' is a duplicate"),
    rule("assets.asset_id-duplicate", "assets.csv", "PC-UNK,", "PC-NEW,", "assets.csv", 4, "asset_id", "'PC-NEW' is a duplicate"),
    rule("departments.department_id-duplicate", "departments.csv", "OPS,Operations", "FIN,Operations",
         "departments.csv", 3, "department_id", "'FIN' is a duplicate"),
    rule("skills.pair-duplicate", "skills.csv", "S1,excel_use,4", "S1,win11_use,4", "skills.csv", 3, None, "duplicate (staff_id, skill_id) = (S1, win11_use)"),
    rule("usage.triple-duplicate", "usage.csv", "FIN,SRV,end_user", "FIN,OFFICE,end_user", "usage.csv", 4, None, "duplicate (department_id, asset_id, role) = (FIN, OFFICE, end_user)"),
    rule("dependencies.triple-duplicate", "dependencies.csv", "yes,,\n", "yes,,\nOFFICE,SRV,stores_data_in,,no,,\n",
         "dependencies.csv", 3, None, "duplicate (from_asset_id, to_asset_id, kind)"),
    rule("acknowledgements.pair-duplicate", "acknowledgements.csv", "HW-PC-OLD,baseline", "EOL-PC-OLD-windows-10,",
         "acknowledgements.csv", 3, None, "duplicate (finding_id, scenario)"),
    # --- cross-references between tables ---------------------------------------------------------
    rule("staff.department-unknown", "staff.csv", "S5,OPS", "S5,XXX", "staff.csv", 6, "department_id", "unknown department 'XXX'"),
    rule("departments.parent-unknown", "departments.csv", "45,6,3,", "45,6,3,XX",
         "departments.csv", 2, "parent_department_id", "unknown department 'XX'"),
    rule("departments.parent-self", "departments.csv", "45,6,3,", "45,6,3,FIN",
         "departments.csv", 2, "parent_department_id", "cannot be its own parent"),
    rule("departments.headcount-below-staff", "departments.csv", "FIN,Finance,3,", "FIN,Finance,2,",
         "departments.csv", 2, "headcount", "2 but staff.csv lists 3 people in FIN"),
    rule("skills.staff-unknown", "skills.csv", "S4,win11_use", "S9,win11_use", "skills.csv", 5, "staff_id", "unknown staff id 'S9'"),
    rule("skills.skill-unknown", "skills.csv", "S4,win11_use", "S4,juggling", "skills.csv", 5, "skill_id", "unknown skill"),
    rule("assets.department-unknown", "assets.csv", "laptop,,,1,,", "laptop,,,1,XX,",
         "assets.csv", 4, "department_id", "unknown department 'XX'"),
    rule("assets.product-unknown", "assets.csv", "office-2016,2016", "office-2099,2016",
         "assets.csv", 6, "product_id", "unknown product (not in the catalog) 'office-2099'"),
    rule("assets.os_product-unknown", "assets.csv", "windows-10,22H2", "windows-99,22H2",
         "assets.csv", 2, "os_product_id", "unknown operating system"),
    rule("assets.os_product-not-an-os", "assets.csv", "windows-10,22H2", "office-2016,2016",
         "assets.csv", 2, "os_product_id", "unknown operating system (not an os product of the catalog) 'office-2016'"),
    rule("assets.software-without-product", "assets.csv", "software,office-2016,", "software,,",
         "assets.csv", 6, "product_id", "is required for kind software"),
    rule("assets.version-unknown", "assets.csv", "office-2016,2016", "office-2016,2099",
         "assets.csv", 6, "version", "'2099' is not a known version of office-2016"),
    rule("assets.os_version-unknown", "assets.csv", "windows-10,22H2", "windows-10,23H2",
         "assets.csv", 2, "os_version", "'23H2' is not a known version of windows-10"),
    rule("assets.purchase_date-after-spec", "assets.csv", "2016-09-15", "2027-09-15",
         "assets.csv", 2, "purchase_date", "2027-09-15 is after the spec date 2026-10-01"),
    rule("dependencies.to-unknown", "dependencies.csv", "OFFICE,SRV", "OFFICE,NOPE", "dependencies.csv", 2, "to_asset_id", "unknown asset 'NOPE'"),
    rule("dependencies.from-unknown", "dependencies.csv", "OFFICE,SRV", "NOPE,SRV", "dependencies.csv", 2, "from_asset_id", "unknown asset 'NOPE'"),
    rule("dependencies.self", "dependencies.csv", "OFFICE,SRV", "SRV,SRV", "dependencies.csv", 2, "to_asset_id", "cannot depend on itself"),
    rule("usage.department-unknown", "usage.csv", "OPS,OFFICE", "XX,OFFICE", "usage.csv", 3, "department_id", "unknown department 'XX'"),
    rule("usage.asset-unknown", "usage.csv", "OPS,OFFICE", "OPS,NOPE", "usage.csv", 3, "asset_id", "unknown asset 'NOPE'"),
    rule("usage.users-above-headcount", "usage.csv", "OPS,OFFICE,end_user,4,", "OPS,OFFICE,end_user,5,",
         "usage.csv", 3, "users", "exceed its headcount 4"),
    rule("acknowledgements.scenario-unknown", "acknowledgements.csv", "HW-PC-OLD,baseline", "HW-PC-OLD,nope",
         "acknowledgements.csv", 3, "scenario", "unknown scenario 'nope'"),
    rule("acknowledgements.decided_by-missing", "acknowledgements.csv", "accepted,Managing director", "accepted,",
         "acknowledgements.csv", 2, "decided_by", "is required when the decision is accepted"),
    rule("acknowledgements.decided_on-missing", "acknowledgements.csv", "2026-10-20", "",
         "acknowledgements.csv", 2, "decided_on", "is required when the decision is accepted"),
    # --- client.yaml ------------------------------------------------------------------------------
    rule("client.id-not-folder", "client.yaml", "id: tiny", "id: other", "client.yaml", None, "id", "differs from the folder name"),
    rule("client.sector-unknown", "client.yaml", "sector: services", "sector: space", "client.yaml", None, "sector", "got 'space'"),
    rule("client.language-unknown", "client.yaml", "language: en", "language: de", "client.yaml", None, "language", "got 'de'"),
    rule("client.key-typo", "client.yaml", "provider:", "providr:", "client.yaml", None, "providr", "unknown key"),
    rule("client.name-missing", "client.yaml", "name: Tiny Test SARL\n", "", "client.yaml", None, "name", "is required"),
    rule("client.default_scenario-no-file", "client.yaml", "default_scenario: baseline", "default_scenario: nope",
         "client.yaml", None, "default_scenario", "no scenario file scenarios/nope.yaml"),
    rule("client.blackout-end-before-start", "client.yaml", "end: 2027-01-15", "end: 2026-12-01",
         "client.yaml", None, "blackout_periods[0].end", "2026-12-01 is before start 2026-12-15"),
    rule("client.blackout-department-unknown", "client.yaml", "departments: [FIN]", "departments: [XX]",
         "client.yaml", None, "blackout_periods[0].departments[0]", "unknown department 'XX'"),
    rule("client.sensitive_data-item", "client.yaml", "[payroll_hr]", "[gossip]", "client.yaml", None, "sensitive_data[0]", "got 'gossip'"),
    # --- spec.yaml --------------------------------------------------------------------------------
    rule("spec.change-product-unknown", "spec.yaml", "product_id: microsoft-365-business-standard", "product_id: ms-999",
         "spec.yaml", None, "changes[1].product_id", "unknown product 'ms-999'"),
    rule("spec.change-from_product-unknown", "spec.yaml", "from_product_id: office-2016", "from_product_id: office-1999",
         "spec.yaml", None, "changes[1].from_product_id", "unknown product 'office-1999'"),
    rule("spec.upgrade-without-from_product", "spec.yaml", ", from_product_id: windows-10", "",
         "spec.yaml", None, "changes[0].from_product_id", "is required for action upgrade"),
    rule("spec.go_live-before-start", "spec.yaml", "go_live: 2027-01-04, rollout", "go_live: 2026-11-01, rollout",
         "spec.yaml", None, "changes[0].go_live", "2026-11-01 is before start 2026-12-01"),
    rule("spec.change-asset-unknown", "spec.yaml", "assets: [PC-OLD]", "assets: [PC-OLD, NOPE]",
         "spec.yaml", None, "changes[0].assets[1]", "unknown asset 'NOPE'"),
    rule("spec.change-department-unknown", "spec.yaml", "departments: [FIN, OPS]", "departments: [FIN, XX]",
         "spec.yaml", None, "changes[1].departments[1]", "unknown department 'XX'"),
    rule("spec.change-version-unknown", "spec.yaml", "version: 24H2", "version: 99H9",
         "spec.yaml", None, "changes[0].version", "'99H9' is not a known version of windows-11"),
    rule("spec.change-action-unknown", "spec.yaml", "action: replace", "action: swap", "spec.yaml", None, "changes[1].action", "got 'swap'"),
    rule("spec.change-id-duplicate", "spec.yaml", "id: C2,", "id: C1,", "spec.yaml", None, "changes[1].id", "'C1' is used by more than one change"),
    rule("spec.objective-id-duplicate", "spec.yaml", "id: O2,", "id: O1,",
         "spec.yaml", None, "objectives[1].id", "'O1' is used by more than one objective"),
    rule("spec.training_budget-above-budget", "spec.yaml", "training_budget: 1000", "training_budget: 20000",
         "spec.yaml", None, "constraints.training_budget", "20000 exceeds budget 12000"),
    rule("spec.window-end-before-start", "spec.yaml", 'end: "18:00"', 'end: "07:00"',
         "spec.yaml", None, "constraints.intervention_windows[0].end", "07:00 is not after start 08:00"),
    rule("spec.window-end-equals-start", "spec.yaml", 'end: "18:00"', 'end: "08:00"',
         "spec.yaml", None, "constraints.intervention_windows[0].end", "08:00 is not after start 08:00"),
    rule("spec.it_contact-unknown", "spec.yaml", "it_contacts: [S6]", "it_contacts: [S6, S99]",
         "spec.yaml", None, "means.it_contacts[1]", "unknown staff id 'S99'"),
    rule("spec.no-changes", "spec.yaml", SPEC_CHANGES, "changes: []\n", "spec.yaml", None, "changes", "at least 1 item"),
    rule("spec.no-objectives", "spec.yaml", SPEC_OBJECTIVES, "objectives: []\n", "spec.yaml", None, "objectives", "at least 1 item"),
    rule("spec.key-typo", "spec.yaml", "summary:", "sumary:", "spec.yaml", None, "sumary", "unknown key"),
    # --- scenarios --------------------------------------------------------------------------------
    rule("scenario.override-unknown-change", "scenarios/later.yaml", "C1: {", "C9: {",
         "scenarios/later.yaml", None, "changes.C9", "no change 'C9' in spec.yaml"),
    rule("scenario.exclude-unknown-change", "scenarios/later.yaml", "exclude: [C2]", "exclude: [C2, C7]",
         "scenarios/later.yaml", None, "exclude[1]", "no change 'C7' in spec.yaml"),
    rule("scenario.add-clashing-id", "scenarios/later.yaml", "exclude: [C2]", "exclude: [C2]\nadd: [" + ADD_C3.replace("C3", "C1") + "]",
         "scenarios/later.yaml", None, "add[0].id", "'C1' already names a change of spec.yaml"),
    rule("scenario.add-twice-same-id", "scenarios/later.yaml", "exclude: [C2]", f"exclude: [C2]\nadd: [{ADD_C3}, {ADD_C3}]",
         "scenarios/later.yaml", None, "add[1].id", "'C3'"),
    rule("scenario.add-product-unknown", "scenarios/later.yaml", "exclude: [C2]",
         "exclude: [C2]\nadd: [" + ADD_C3.replace("windows-11", "nope-product") + "]",
         "scenarios/later.yaml", None, "add[0].product_id", "unknown product 'nope-product'"),
    rule("scenario.override-go_live-before-start", "scenarios/later.yaml", "go_live: 2027-02-15", "go_live: 2026-11-15",
         "scenarios/later.yaml", None, "changes.C1.go_live", "2026-11-15 is before start 2026-12-01"),
    rule("scenario.override-bad-value", "scenarios/later.yaml", "go_live: 2027-02-15", "go_live: 2027-02-15, rollout: slowly",
         "scenarios/later.yaml", None, "changes.C1.rollout", "got 'slowly'"),
    rule("scenario.override-unknown-key", "scenarios/later.yaml", "go_live: 2027-02-15", "go_live: 2027-02-15, colour: red",
         "scenarios/later.yaml", None, "changes.C1.colour", "unknown key"),
    rule("scenario.override-id", "scenarios/later.yaml", "go_live: 2027-02-15", "go_live: 2027-02-15, id: C5",
         "scenarios/later.yaml", None, "changes", "the id of a change cannot be overridden"),
    rule("scenario.assumption-unknown-key", "scenarios/later.yaml", "eol_horizon_months:", "eol_horizon:",
         "scenarios/later.yaml", None, "assumptions.eol_horizon", "unknown key"),
    rule("scenario.assumption-negative", "scenarios/later.yaml", "eol_horizon_months: 24", "eol_horizon_months: -1",
         "scenarios/later.yaml", None, "assumptions.eol_horizon_months", "greater than or equal to 0"),
    rule("scenario.assumption-k_anonymity-1", "scenarios/later.yaml", "eol_horizon_months: 24", "k_anonymity: 1",
         "scenarios/later.yaml", None, "assumptions.k_anonymity", "greater than or equal to 2"),
    rule("scenario.assumption-monte_carlo_runs-5", "scenarios/later.yaml", "eol_horizon_months: 24", "monte_carlo_runs: 5",
         "scenarios/later.yaml", None, "assumptions.monte_carlo_runs", "greater than or equal to 100"),
    rule("scenario.title-missing", "scenarios/later.yaml", "title: After the closing\n", "",
         "scenarios/later.yaml", None, "title", "is required"),
]


def problems_of(folder: Path):
    with pytest.raises(InvalidInput) as e:
        load_client(folder)
    return e.value.problems


@pytest.mark.parametrize("file,old,new,where,row,column,message", RULES)
def test_rule_is_enforced(tiny, file, old, new, where, row, column, message):
    edit(tiny / file, old, new)
    problems = problems_of(tiny)
    assert any(p.file == where and p.row == row and p.column == column and message in p.message
               for p in problems), "\n".join(map(str, problems))


def _delete(name):
    def act(folder: Path):
        target = folder / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return act


def _write(name, text):
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


MISSING_TABLE = ()  # a missing required CSV once crashed load_client (KeyError); now a problem like any other

FOLDER_RULES = [
    pytest.param(_delete("client.yaml"), "client.yaml", "file is missing", id="client.yaml-missing"),
    pytest.param(_delete("spec.yaml"), "spec.yaml", "file is missing", id="spec.yaml-missing"),
    *[pytest.param(_delete(name), name, "file is missing", id=f"{name}-missing", marks=MISSING_TABLE)
      for name in ("departments.csv", "staff.csv", "skills.csv", "assets.csv", "usage.csv")],
    pytest.param(_delete("scenarios"), "scenarios/", "at least one scenario file", id="scenarios-folder-missing"),
    pytest.param(lambda f: [p.unlink() for p in (f / "scenarios").iterdir()], "scenarios/", "at least one scenario file",
                 id="scenarios-folder-empty"),
    pytest.param(_write("scenarios/Bad Name.yaml", "title: x\n"), "scenarios/Bad Name.yaml", "is not a valid scenario name",
                 id="scenario-name-with-space"),
    pytest.param(_write("scenarios/x.yaml", "title: x\n"), "scenarios/x.yaml", "is not a valid scenario name",
                 id="scenario-name-one-character"),
]


@pytest.mark.parametrize("act,file,message", FOLDER_RULES)
def test_folder_rule_is_enforced(tiny, act, file, message):
    act(tiny)
    problems = problems_of(tiny)
    assert any(p.file == f"tiny/{file}" and p.row is None and p.column is None and message in p.message
               for p in problems), "\n".join(map(str, problems))


@pytest.mark.parametrize("name", ["dependencies.csv", "acknowledgements.csv"])
def test_optional_tables_may_be_absent(tiny, name):
    (tiny / name).unlink()
    client = load_client(tiny)
    frame = getattr(client, name.removesuffix(".csv"))
    assert frame.empty and len(frame.columns) > 0


# --- known defects in how problems are placed and counted ------------------------------------------

@pytest.mark.parametrize("file,old,new,column", [
    ("spec.yaml", "go_live: 2027-01-04, rollout", "go_live: 2026-11-01, rollout", "changes[0].go_live"),
    ("spec.yaml", ", from_product_id: windows-10", "", "changes[0].from_product_id"),
    ("spec.yaml", "training_budget: 1000", "training_budget: 20000", "constraints.training_budget"),
    ("spec.yaml", 'end: "18:00"', 'end: "07:00"', "constraints.intervention_windows[0].end"),
    ("client.yaml", "end: 2027-01-15", "end: 2026-12-01", "blackout_periods[0].end"),
    ("scenarios/later.yaml", "go_live: 2027-02-15", "go_live: 2026-11-15", "changes.C1.go_live"),
], ids=["go_live", "from_product_id", "training_budget", "window-end", "blackout-end", "scenario-go_live"])
def test_cross_field_problem_points_at_the_key(tiny, file, old, new, column):
    edit(tiny / file, old, new)
    assert column in {p.column for p in problems_of(tiny)}


def test_spec_error_is_not_blamed_on_a_scenario(tiny):
    edit(tiny / "spec.yaml", "assets: [PC-OLD]", "assets: [PC-OLD, NOPE]")
    assert [p.file for p in problems_of(tiny)] == ["tiny/spec.yaml"]


def test_duplicate_pair_is_one_problem_per_row(tiny):
    edit(tiny / "skills.csv", "S1,excel_use,4", "S1,win11_use,4")
    problems = problems_of(tiny)
    assert len(problems) == 2
    assert all("S1" in p.message and "win11_use" in p.message for p in problems)


def test_bad_acknowledgement_scenario_message_does_not_mislead(tiny):
    edit(tiny / "acknowledgements.csv", "HW-PC-OLD,baseline", "HW-PC-OLD,base_line")
    messages = [p.message for p in problems_of(tiny) if p.column == "scenario"]
    assert messages and not any("_ . -" in m for m in messages)


# --- everything at once ------------------------------------------------------------------------------

def test_all_problems_are_reported_at_once(tiny):
    edit(tiny / "departments.csv", "critical,45", "urgent,45")
    edit(tiny / "staff.csv", ",0.8,", ",1.5,")
    edit(tiny / "staff.csv", "S5,OPS", "S5,XXX")
    edit(tiny / "assets.csv", "i5-6500 CPU @ 3.20GHz,4,8,", "i5-6500 CPU @ 3.20GHz,4,0,")
    edit(tiny / "usage.csv", "weekly,5,", "weekly,81,")
    edit(tiny / "client.yaml", "id: tiny", "id: other")
    edit(tiny / "spec.yaml", "it_contacts: [S6]", "it_contacts: [S99]")
    edit(tiny / "scenarios/later.yaml", "exclude: [C2]", "exclude: [C2, C7]")
    problems = problems_of(tiny)
    assert {(p.file, p.row, p.column) for p in problems} == {
        ("tiny/departments.csv", 2, "criticality"),
        ("tiny/staff.csv", 3, "fte"),
        ("tiny/staff.csv", 6, "department_id"),
        ("tiny/assets.csv", 2, "ram_gb"),
        ("tiny/usage.csv", 3, "hours_per_week"),
        ("tiny/client.yaml", None, "id"),
        ("tiny/spec.yaml", None, "means.it_contacts[0]"),
        ("tiny/scenarios/later.yaml", None, "exclude[1]"),
    }
    assert len(problems) == 8


@pytest.mark.parametrize("file,old,new", [
    ("client.yaml", "language: en", "language: de"),
    ("spec.yaml", "priority: should", "priority: maybe"),
    ("staff.csv", "fte,name,", "fte,nom,"),
], ids=["client.yaml-schema-error", "spec.yaml-schema-error", "staff.csv-unknown-column"])
def test_one_broken_file_does_not_hide_reference_problems(tiny, file, old, new):
    edit(tiny / file, old, new)
    edit(tiny / "usage.csv", "OPS,OFFICE", "OPS,NOPE")
    assert ("tiny/usage.csv", 3, "asset_id") in {(p.file, p.row, p.column) for p in problems_of(tiny)}


# --- the demo clients --------------------------------------------------------------------------------

def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", DEMO_CLIENTS)
def test_demo_client_loads_without_touching_its_folder(name):
    folder = DEMO / name
    before = _hashes(folder)
    client = load_client(folder)
    assert client.id == name
    assert _hashes(folder) == before


def test_there_are_demo_clients():
    assert len(DEMO_CLIENTS) >= 3


# --- privacy -----------------------------------------------------------------------------------------

def test_staff_names_and_emails_never_reach_the_client():
    with open(FIXTURES / "tiny" / "staff.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    secrets = [r[c] for r in rows for c in ("name", "email") if r[c]]
    assert len(secrets) == 6
    client = load_client(FIXTURES / "tiny")
    assert not {"name", "email"} & set(client.staff.columns)
    frames = [client.departments, client.staff, client.skills, client.assets, client.dependencies, client.usage,
              client.acknowledgements]
    text = "\n".join([repr(client)] + [repr(f) for f in frames] + [f.to_csv() for f in frames])
    assert [s for s in secrets if s in text] == []


# --- scenarios ---------------------------------------------------------------------------------------

def test_scenario_edits_apply_without_touching_the_spec():
    client = load_client(FIXTURES / "tiny")
    spec_before = client.spec.model_dump()
    later = assess(client, "later").changes
    assert [c.id for c in later] == ["C1"]
    assert later[0].go_live == dt.date(2027, 2, 15)
    assert later[0].start == dt.date(2026, 12, 1)  # fields not overridden are kept
    assert assess(client, "later").assumptions.eol_horizon_months == 24
    assert client.spec.model_dump() == spec_before
    assert client.spec.changes[0].go_live == dt.date(2027, 1, 4)
    assert [c.id for c in assess(client).changes] == ["C1", "C2"]  # default scenario: baseline, as specified
    assert assess(client).assumptions.eol_horizon_months == 12


def test_unknown_scenario_lists_the_available_ones():
    client = load_client(FIXTURES / "tiny")
    with pytest.raises(InvalidInput) as e:
        client.scenario("nope")
    assert "no scenario 'nope'" in str(e.value)
    assert "available: baseline, later" in str(e.value)


# --- French Excel files ------------------------------------------------------------------------------

def to_french_excel(path: Path) -> None:
    """Rewrite a reference CSV as a French Excel saves it: `;`, decimal comma, Windows-1252, CRLF."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for r in rows:
        writer.writerow([re.sub(r"^(-?\d+)\.(\d+)$", r"\1,\2", cell) for cell in r])
    path.write_bytes(out.getvalue().encode("cp1252"))


def test_french_excel_files_load_to_the_same_frames(tiny, tmp_path):
    edit(tiny / "departments.csv", "FIN,Finance,3,critical,45,", "FIN,Comptabilité,3,critical,45.5,")
    edit(tiny / "staff.csv", "Finance manager", "Trésorière")
    french = tmp_path / "fr" / "tiny"
    shutil.copytree(tiny, french)
    for name in ("departments.csv", "staff.csv"):
        to_french_excel(french / name)
    raw = (french / "departments.csv").read_bytes()
    assert b";45,5;" in raw and "Comptabilité".encode("cp1252") in raw

    reference, excel = load_client(tiny), load_client(french)
    pd.testing.assert_frame_equal(excel.departments, reference.departments)
    pd.testing.assert_frame_equal(excel.staff, reference.staff)
    assert reference.departments.loc[0, "hourly_cost"] == 45.5
    assert reference.staff.loc[1, "fte"] == 0.8


# --- per-client catalog overrides --------------------------------------------------------------------

WINDOWS_11_OVERRIDE = """\
- id: windows-11
  name: "Windows 11 (client contract)"
  vendor: Microsoft
  category: os
  source: "client's volume licence contract"
  versions:
    - {version: 24H2, end_of_support: 2027-10-12, edition: Enterprise, source: "client contract"}
  licence: {model: per_device, unit_cost: 145, period: once, currency: EUR, as_of: 2026-09-01, source: "client quote"}
"""
SKILLS_HEADER = "skill_id,name,category,sfia_code,sfia_level,ecf_code\n"


def test_client_catalog_product_replaces_the_shipped_one(tiny):
    (tiny / "catalog").mkdir()
    (tiny / "catalog" / "products.yaml").write_text(WINDOWS_11_OVERRIDE, encoding="utf-8")
    client = load_client(tiny)
    win11 = client.catalog.products["windows-11"]
    assert win11.name == "Windows 11 (client contract)"
    assert [v.version for v in win11.versions] == ["24H2"]
    assert win11.licence.unit_cost == 145
    shipped = load_catalog()
    assert set(client.catalog.products) == set(shipped.products)  # others kept, none added
    assert shipped.products["windows-11"].name == "Windows 11"  # the shipped catalog is untouched


def test_client_catalog_skill_is_usable_in_skills_csv(tiny):
    edit(tiny / "skills.csv", "S6,windows_admin,3\n", "S6,windows_admin,3\nS3,inhouse_erp,2\n")
    problems = problems_of(tiny)
    assert [(p.row, p.column) for p in problems] == [(7, "skill_id")]  # unknown without the override

    (tiny / "catalog").mkdir()
    (tiny / "catalog" / "skills.csv").write_text(SKILLS_HEADER + "inhouse_erp,Using the in-house ERP,business,,,\n",
                                                 encoding="utf-8")
    client = load_client(tiny)
    assert "inhouse_erp" in set(client.catalog.skills["skill_id"])
    assert "win11_use" in set(client.catalog.skills["skill_id"])  # shipped skills kept
    row = client.skills.query("skill_id == 'inhouse_erp'")
    assert row[["staff_id", "level"]].values.tolist() == [["S3", 2]]

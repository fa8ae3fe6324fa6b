"""Protection: control states, severity by the data held, what a change requires and what it costs, the five
actions and a refusal on the validation sheet, and bad protection input (analysis/protection.py).

The `clean` fixture has every control present (tests/fixtures/clients/clean/protection.csv); each test breaks one.
Its numbers: 7 staff (FIN 3 + OPS 4), 7 desktops, 1 server, provider rate 90 per hour, change C1 moves to
Microsoft 365 Business Standard (a cloud tenant) for 7 seats.
"""

from __future__ import annotations

import re

import pytest

from conftest import edit
from impactlib import assess, cli, load_client, report
from impactlib.analysis import legal, protection

P = "protection.csv"
ROW = {"endpoint_protection": "endpoint_protection,present,all,,,,,,,",
       "mfa": "mfa,present,all,,,,,,,",
       "backup": "backup,present,all,,daily,onsite_and_cloud,yes,2026-09-15,,",
       "conditional_access": "conditional_access,present,all,,,,,,,",
       "segmentation": "segmentation,present,all,,,,,,,"}


def findings(folder) -> dict[str, str]:
    return {f.id: f.severity for f in assess(load_client(folder)).findings if f.rule.startswith("PROT")}


def test_clean_client_has_no_protection_finding(clean):
    an = assess(load_client(clean))
    assert findings(clean) == {}
    assert set(an.protection["state"]) == {"present"} and an.protection_top.empty
    assert set(an.protection_coverage.loc[an.protection_coverage["status"] != "not_required", "status"]) == {"met"}


@pytest.mark.parametrize("state, expected", [
    ("present", {}),
    ("partial", {"PROT-WEAK-endpoint_protection": "medium"}),  # high when absent, one step lower in part
    ("absent", {"PROT-MISSING-endpoint_protection": "high"}),
    ("unknown", {"PROT-UNKNOWN": "medium"}),  # a high-severity control unknown with personal data held
])
def test_each_state_of_a_control(clean, state, expected):
    edit(clean / P, ROW["endpoint_protection"], ROW["endpoint_protection"].replace("present", state))
    assert findings(clean) == expected
    an = assess(load_client(clean))
    assert an.protection.set_index("control").at["endpoint_protection", "state"] == state


def test_no_row_is_unknown_not_absent_and_no_file_is_all_unknown(clean):
    edit(clean / P, ROW["endpoint_protection"] + "\n", "")
    an = assess(load_client(clean))
    row = an.protection.set_index("control").loc["endpoint_protection"]
    assert (row["state"], row["basis"]) == ("unknown", "none")
    (clean / P).unlink()
    an = assess(load_client(clean))
    assert set(an.protection["state"]) == {"unknown"}
    unknown = next(f for f in an.findings if f.id == "PROT-UNKNOWN")
    assert unknown.evidence["count"] == int(an.protection["required"].sum())


def test_the_inventory_says_what_nobody_recorded(clean):
    edit(clean / P, ROW["endpoint_protection"] + "\n", "")
    edit(clean / "assets.csv", "OFFICE,Office LTSC 2024", "AV,ESET,software,eset-protect,,7,,medium,\nOFFICE,Office LTSC 2024")
    row = assess(load_client(clean)).protection.set_index("control").loc["endpoint_protection"]
    assert (row["state"], row["basis"], row["product_id"]) == ("present", "inventory", "eset-protect")
    edit(clean / "assets.csv", "AV,ESET,software,eset-protect,,7,", "AV,ESET,software,eset-protect,,5,")  # 5 seats, 7 desktops
    row = assess(load_client(clean)).protection.set_index("control").loc["endpoint_protection"]
    assert (row["state"], row["reasons"]) == ("partial", ("seats_short",))


# backups: present, but never restore-tested; severity by the data the client holds
@pytest.mark.parametrize("data, expected", [
    ("[personal_data]", "medium"),  # high when absent, in part one step lower
    ("[legal, personal_data]", "high"),  # legal data: a data-bound control one step higher
    ("[health, personal_data]", "blocker"),  # health data without a tested backup: one ransomware away from losing it
])
def test_untested_backup_severity_depends_on_the_data_held(clean, data, expected):
    edit(clean / P, ROW["backup"], ROW["backup"].replace("2026-09-15", ""))
    edit(clean / "client.yaml", "sensitive_data: [personal_data]", f"sensitive_data: {data}")
    found = assess(load_client(clean)).findings
    weak = next(f for f in found if f.id == "PROT-WEAK-backup")
    assert weak.severity == expected and weak.evidence["reasons"] == ("restore_never_tested",)


@pytest.mark.parametrize("tested, offline, reasons", [
    ("2025-06-01", "yes", ("restore_test_old",)),  # over 365 days before the report date (2026-10-01)
    ("2026-09-15", "no", ("no_offline_copy",)),
    ("2026-09-15", "", ("offline_unknown",)),
])
def test_a_backup_needs_a_recent_restore_test_and_an_offline_copy(clean, tested, offline, reasons):
    edit(clean / P, ROW["backup"], f"backup,present,all,,daily,onsite_and_cloud,{offline},{tested},,")
    row = assess(load_client(clean)).protection.set_index("control").loc["backup"]
    assert (row["state"], row["reasons"]) == ("partial", reasons)


@pytest.mark.parametrize("tested, offline, restore_first", [
    ("2025-06-01", "yes", True),  # only the restore test is old: test it first
    ("2026-09-15", "no", False),  # no offline copy: buy one first, the restore tested with it after
])
def test_a_partial_backup_action_puts_the_restore_test_first_only_when_it_is_all_that_lacks(clean, tested, offline, restore_first):
    edit(clean / P, ROW["backup"], f"backup,present,all,,daily,onsite_and_cloud,{offline},{tested},,")
    an = assess(load_client(clean))
    opts = protection.options(an, "backup")  # the frame of options, best first: what the action's tools are read from
    test, other = opts.loc[opts["tool_id"] == "restore-test"], opts.loc[opts["tool_id"] != "restore-test"]
    assert len(test) == 1 and len(other) >= 1
    order = [*test["name"], *other["name"]] if restore_first else [*other["name"], *test["name"]]
    action = an.protection_actions.set_index("control").loc["backup"]
    assert (action["tool"], action["alternative"]) == (order[0], order[1])


ADMINS_ONLY = "mfa,present,admins,,,,,,,\nmfa,absent,all_users,,,,,,,"


@pytest.mark.parametrize("rows, data, cloud, severity", [
    (ADMINS_ONLY, "[personal_data]", False, "medium"),  # in part: one step below high
    (ADMINS_ONLY, "[legal, personal_data]", False, "high"),  # every mailbox of a law firm
    (ADMINS_ONLY, "[personal_data]", True, "high"),  # users of a cloud tenant: an automatic fail of Cyber Essentials v3.3
    ("mfa,absent,admins,,,,,,,\nmfa,present,all_users,,,,,,,", "[personal_data]", False, "high"),  # no MFA on admin accounts
])
def test_mfa_is_judged_for_admins_and_for_users(clean, rows, data, cloud, severity):
    edit(clean / P, ROW["mfa"], rows)
    edit(clean / "client.yaml", "sensitive_data: [personal_data]", f"sensitive_data: {data}")
    if not cloud:  # C1 replaces Office LTSC 2024 by LibreOffice: no tenant
        edit(clean / "spec.yaml", "product_id: microsoft-365-business-standard,", "product_id: libreoffice,")
    found = findings(clean)
    assert found.pop("PROT-WEAK-mfa") == severity
    assert list(found) == (["PROT-CHANGE-C1-mfa"] if cloud else [])  # a move to Microsoft 365 needs MFA for everyone


# --- what a change requires, and what it costs ------------------------------------------------------

def test_a_cloud_move_without_mfa_gets_a_finding_and_its_cost_is_in_the_plan(clean):
    before = assess(load_client(clean))
    edit(clean / P, ROW["mfa"], "mfa,absent,all,,,,,,,")
    an = assess(load_client(clean))
    assert {"PROT-CHANGE-C1-mfa", "PROT-MISSING-mfa"} <= set(findings(clean))
    req = an.protection_requirements.set_index(["change_id", "control"]).loc[("C1", "mfa")]
    assert (req["kind"], bool(req["met"]), req["tool_id"]) == ("cloud", False, "mfa-security-defaults")
    lines = an.money_lines.loc[an.money_lines["basis"] == "protection: mfa-security-defaults"]
    # security defaults: no licence; 4 h + 0.25 h × 7 users of provider work at 90 per hour
    assert list(lines["item"]) == ["intervention"] and lines["amount"].iloc[0] == pytest.approx((4 + 0.25 * 7) * 90)
    assert an.figures.spend - before.figures.spend == pytest.approx((4 + 0.25 * 7) * 90)


def test_conditional_access_is_a_business_premium_upgrade_unless_the_change_buys_premium(clean):
    edit(clean / P, ROW["conditional_access"], "conditional_access,absent,all,,,,,,,")
    an = assess(load_client(clean))
    req = an.protection_requirements.set_index(["change_id", "control"]).loc[("C1", "conditional_access")]
    assert req["tool_id"] == "ca-premium" and req["recurring_month"] == pytest.approx(8.23 * 7)  # EUR 19.06 - 10.83
    assert (an.money_lines["basis"] == "protection: ca-premium").sum() == 2  # provider work once, licences monthly
    edit(clean / "spec.yaml", "product_id: microsoft-365-business-standard,", "product_id: microsoft-365-business-premium,")
    an = assess(load_client(clean))
    req = an.protection_requirements.set_index(["change_id", "control"]).loc[("C1", "conditional_access")]
    assert req["recurring_month"] == 0  # included in the plan the change buys


def test_a_migration_requires_a_restore_tested_backup_before_cutover(clean):
    edit(clean / "spec.yaml", "rollout: phased, seats: 7}", "rollout: phased, seats: 7, data_volume_gb: 30}")
    assert "PROT-CHANGE-C1-backup" not in findings(clean)  # tested on 2026-09-15
    edit(clean / P, ROW["backup"], ROW["backup"].replace("2026-09-15", "2025-01-10"))
    an = assess(load_client(clean))
    req = an.protection_requirements.set_index(["change_id", "control"]).loc[("C1", "backup")]
    assert (req["kind"], bool(req["met"]), req["tool_id"]) == ("migration", False, "restore-test")
    assert "PROT-CHANGE-C1-backup" in findings(clean)


def test_an_os_rollout_requires_escrowed_disk_encryption_keys(clean):
    edit(clean / "spec.yaml", "product_id: microsoft-365-business-standard,", "product_id: windows-11,")
    edit(clean / "spec.yaml", "from_product_id: office-ltsc-2024,", "from_product_id: windows-10,")
    edit(clean / P, "disk_encryption,present,all,,,,,,entra_id,", "disk_encryption,present,all,,,,,,paper,")
    an = assess(load_client(clean))
    assert set(an.protection_requirements["kind"]) == {"os"}
    assert "PROT-CHANGE-C1-disk_encryption" in findings(clean)
    assert an.protection.set_index("control").at["disk_encryption", "reasons"] == ("keys_not_escrowed",)


def test_an_end_of_life_server_kept_needs_isolation(clean):
    edit(clean / "assets.csv", "SRV,File server,server,,,1,,high,,", "SRV,File server,server,,,1,,high,personal_data,")
    edit(clean / "assets.csv", "windows-server-2022,2022,", "windows-server-2012-r2,2012 R2,")
    edit(clean / P, ROW["segmentation"], "segmentation,absent,all,,,,,,,")
    found = findings(clean)
    assert found.get("PROT-EOL-SRV") == "high"  # a server holding personal data


# --- the executive's page and the validation sheet -----------------------------------------------------

def test_the_refusal_of_an_action_is_on_the_validation_sheet(clean):
    edit(clean / P, ROW["mfa"], "mfa,absent,all,,,,,,,")
    (clean / "acknowledgements.csv").write_text(
        "finding_id,scenario,decision,decided_by,decided_on,comment\n"
        "PROT-ACT-mfa,,rejected,Managing director,2026-10-20,declined for now\n", encoding="utf-8")
    an = assess(load_client(clean))
    assert an.protection_top["id"].iloc[0] == "PROT-ACT-mfa"
    row = an.validation_sheet.set_index("id").loc["PROT-ACT-mfa"]
    assert (row["kind"], row["status"], row["severity"]) == ("protection", "rejected", "high")
    assert an.orphan_acknowledgements.empty
    for lang, residual in (("en", "one phished or reused password"), ("fr", "un seul mot de passe hameçonné")):
        html = str(report.validation(an, lang))
        assert "PROT-ACT-mfa" in html and residual in html


def test_actions_are_ranked_by_risk_and_costed(clean):
    for control in ("mfa", "backup"):
        edit(clean / P, ROW[control], ROW[control].split(",")[0] + ",absent,all,,,,,,,")
    edit(clean / P, "admin_accounts,present,", "admin_accounts,absent,")
    an = assess(load_client(clean))
    top = an.protection_top
    # weight × gap × stakes (1.5 for personal data, data-bound controls only) × (1 + severity rank / 3)
    assert list(top["control"]) == ["backup", "mfa", "admin_accounts"]
    assert list(top["risk"]) == [12.5, 8.33, 6.67]
    adm = top.set_index("control").loc["admin_accounts"]
    assert adm["one_off"] == pytest.approx((4 + 0.1 * 7) * 90) and adm["recurring_year"] == 0  # LAPS: 4 h + 0.1 h a device
    for lang in ("en", "fr"):
        html = str(report.protection_summary(an, lang)) + str(report.protection_actions(an, lang))
        assert "PROT-ACT-backup" in html and not re.search(r"\bnan\b|None", html)
        assert report.protection_chart(an, lang)._repr_mimebundle_()["text/html"].count("<figure") == 1


def test_a_price_in_another_currency_is_shown_not_counted(clean):
    edit(clean / P, "tenant_backup,present,cloud,,daily,cloud,yes,2026-09-15,,", "tenant_backup,absent,cloud,,,,,,,")
    edit(clean / "spec.yaml", "rollout: phased, seats: 7}", "rollout: phased, seats: 7, data_volume_gb: 20}")
    an = assess(load_client(clean))
    req = an.protection_requirements.set_index(["change_id", "control"]).loc[("C1", "tenant_backup")]
    assert req["tool_id"] == "m365-backup" and not req["currency_ok"] and req["recurring_month"] != req["recurring_month"]
    assert not (an.money_lines["basis"].eq("protection: m365-backup") & an.money_lines["item"].eq("licences")).any()
    html = str(report.protection_actions(an, "en"))
    assert "not converted, not counted in the totals" in html


def test_nis2_raises_the_baseline(clean):
    an = assess(load_client(clean))
    assert protection.level(an) == "essential"
    # an Annex I sector at medium size (50-249 staff): an important entity under the legal screen (analysis/legal.py)
    edit(clean / "client.yaml", "sensitive_data: [personal_data]", "sensitive_data: [personal_data]\nnis2_sector: energy\nstaff_count: 60")
    assert legal.nis2_scope(assess(load_client(clean)))[0] == "important"
    assert protection.level(assess(load_client(clean))) == "elevated"


# --- bad input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, expected", [
    (ROW["endpoint_protection"], "endpoint_protection,present,all,no-such-av,,,,,,",
     r"clean/protection.csv, row \d+, column product_id: unknown product 'no-such-av'"),
    (ROW["backup"], ROW["backup"].replace("2026-09-15", "2099-01-01"),
     r"clean/protection.csv, row \d+, column last_restore_test: 2099-01-01 is in the future"),
    (ROW["mfa"], "mfa,present,all,,daily,,,,,", r"column frequency: applies to backup and tenant_backup only"),
    (ROW["mfa"], "multifactor,present,all,,,,,,,", r"clean/protection.csv, row \d+, column control: 'multifactor' is not one of"),
    (ROW["endpoint_protection"], "endpoint_protection,present,all,bitwarden-teams,,,,,,", r"is a tool for 'password_manager'"),
    # found by tests/test_bad_input.py's fuzzing: a product named on a row whose state is empty crashed the cross-checks
    (ROW["endpoint_protection"], "endpoint_protection,,all,bitwarden-teams,,,,,,", r"clean/protection.csv, row \d+, column state"),
])
def test_bad_protection_input_is_refused_with_file_row_column(clean, tmp_path, capsys, old, new, expected):
    edit(clean / P, old, new)
    out = tmp_path / "reports"
    for argv in (["validate", "clean"], ["report", "clean", "--out", str(out)]):
        code = cli.main(["--data-dir", str(clean.parent), *argv])
        text = "".join(capsys.readouterr())
        assert code == 2 and re.search(expected, text), text
        assert "Traceback" not in text
    assert not out.exists()


def test_an_unknown_measure_in_a_client_catalog_is_refused(clean, capsys):
    (clean / "catalog").mkdir()
    (clean / "catalog" / "controls.csv").write_text(
        "control,area,level,severity,weight,data_bound,anssi,cyber_essentials,cis\n"
        "backup,recover,essential,high,5,yes,37|99,,11.2\n", encoding="utf-8")
    code = cli.main(["--data-dir", str(clean.parent), "validate", "clean"])
    text = "".join(capsys.readouterr())
    assert code == 2 and "clean/catalog/controls.csv, row 2, column anssi: control 'backup': unknown anssi measure '99'" in text, text

"""The legal screens (analysis.legal, issue 16): each screen with a case that triggers it and a twin that does not.

The `clean` fixture (tests/fixtures/clients/clean): a French services company of 7 staff, turnover 0.9 M EUR, one
change C1 replacing Office LTSC by Microsoft 365 Business Standard for 7 seats, go-live 2027-03-01, with its rollback
plan, a restore tested on 2026-12-01 and 5 days of hypercare; one processing (customers: identity and contact of
clients, on no recorded system).
"""

from __future__ import annotations

import pytest

from conftest import DEMO, apply
from impactlib import assess, load_client
from impactlib.analysis import legal
from impactlib.errors import InvalidInput

PROCESSING_HEAD = "processing_id,name,purposes,data,people,people_count,large_scale,core_activity,criteria,assets,dpia,dpia_date,notes\n"
CUSTOMERS = "customers,Customer relations,Quotes orders and invoices,identity|contact,clients,300,no,yes,,,,,\n"


def found(folder, prefix: str, scenario=None) -> dict[str, str]:
    """The findings whose rule starts with ``prefix``: id -> severity."""
    return {f.id: f.severity for f in assess(load_client(folder), scenario).findings if f.rule.startswith(prefix)}


def processing(row: str) -> tuple[str, str, str]:
    return ("processings.csv", CUSTOMERS, row)


# --- DPIA per processing --------------------------------------------------------------------------

@pytest.mark.parametrize("row,expected,criteria", [
    # health data of patients: sensitive + vulnerable = 2 criteria, moved by C1 -> high
    ("records,Patient records,Care,health|identity,patients,5000,,yes,,OFFICE,none,,\n", {"SEC-DPIA-records": "high"},
     "sensitive or highly personal data, vulnerable data subjects"),
    # twin: the DPIA is on file and no change moves it any more... here it is moved: a review is due instead
    ("records,Patient records,Care,health|identity,patients,5000,,yes,,OFFICE,done,2026-06-01,\n", {"SEC-DPIA-REVIEW-records": "medium"}, None),
    # twin: exempt (e.g. the CNIL's exemption list) -> nothing
    ("records,Patient records,Care,health|identity,patients,5000,,yes,,OFFICE,exempt,,\n", {}, None),
    # same processing on a system no change touches -> still required, medium
    ("records,Patient records,Care,health|identity,patients,5000,,yes,,,none,,\n", {"SEC-DPIA-records": "medium"}, None),
    # one criterion only (vulnerable employees, payroll data not sensitive) -> nothing
    ("staff,Payroll,Payroll,identity|payroll_hr,employees,7,no,no,,OFFICE,,,\n", {}, None),
    # a lawyer's client files: one criterion (highly personal data), not large-scale (recital 91) -> nothing
    ("files,Client files,Advice,legal|identity,clients,800,no,yes,,OFFICE,,,\n", {}, None),
    # large-scale location data: on the CNIL's list whatever the count
    ("fleet,Vehicle tracking,Fleet,location|identity,public,200000,yes,yes,,OFFICE,,,\n", {"SEC-DPIA-fleet": "high"}, None),
    # constant monitoring of employees: CNIL list (and two criteria)
    ("dlp,Data loss prevention,Security,identity|communications,employees,7,no,no,monitoring,OFFICE,,,\n", {"SEC-DPIA-dlp": "high"}, None),
], ids=["health-patients", "done-review", "exempt", "not-moved", "payroll-one-criterion", "lawyer-files",
        "location-large-scale", "employee-monitoring"])
def test_dpia_per_processing(clean, row, expected, criteria):
    apply(clean, [processing(row)])
    assert found(clean, "SEC-DPIA") == expected
    if criteria:
        f = next(f for f in assess(load_client(clean)).findings if f.rule == "SEC-DPIA")
        assert f.evidence["criteria_en"] == criteria and f.evidence["count"] == 2 and f.evidence["changes"] == "C1"


def test_dpia_names_the_cnil_item():
    row = {"data": "location|identity", "people": "public", "large_scale": True, "criteria": None}
    met = legal.dpia_criteria(row)
    assert met == ["sensitive", "large_scale"] and legal.cnil_items(row, met) == ["location"]  # location data is highly personal


@pytest.mark.parametrize("records,sensitive,expected", [
    (False, "personal_data", {"SEC-ROPA": "medium"}),  # personal data moved, no processing recorded
    (True, "personal_data", {}),  # twin: the record is there
    (False, "", {}),  # twin: no personal data touched
], ids=["no-record", "record", "no-personal-data"])
def test_record_of_processing_is_asked_for(clean, records, sensitive, expected):
    if not records:
        (clean / "processings.csv").unlink()
    apply(clean, [("assets.csv", "OFFICE,Office LTSC 2024,software,office-ltsc-2024,2024,7,,medium,,",
                   f"OFFICE,Office LTSC 2024,software,office-ltsc-2024,2024,7,,medium,{sensitive},")])
    assert found(clean, "SEC-ROPA") == expected


# --- DPO (GDPR art. 37) ------------------------------------------------------------------------------

@pytest.mark.parametrize("row,dpo,expected", [
    ("records,Patient records,Care,health,patients,90000,yes,yes,,,done,2026-01-01,\n", None, {"SEC-DPO": "medium"}),
    ("records,Patient records,Care,health,patients,90000,yes,yes,,,done,2026-01-01,\n", "none", {"SEC-DPO": "high"}),
    ("records,Patient records,Care,health,patients,90000,yes,yes,,,done,2026-01-01,\n", "designated", {}),
    ("records,Patient records,Care,health,patients,90000,,yes,,,done,2026-01-01,\n", None, {"SEC-DPO-CHECK": "low"}),
    ("records,Patient records,Care,health,patients,900,no,yes,,,done,2026-01-01,\n", None, {}),  # not large-scale
    ("records,Patient records,Care,health,patients,90000,yes,no,,,done,2026-01-01,\n", None, {}),  # not a core activity
], ids=["required-unknown", "required-none", "designated", "scale-unknown", "small-scale", "not-core"])
def test_dpo_is_screened_never_presumed(clean, row, dpo, expected):
    apply(clean, [processing(row)] + ([("client.yaml", "annual_turnover: 900000", f"annual_turnover: 900000\ndpo: {dpo}")] if dpo else []))
    assert found(clean, "SEC-DPO") == expected


# --- NIS2 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("yaml,expected,entity", [
    ("sector: services\nnis2_sector: health\nstaff_count: 60", {"NIS2": "medium"}, "important"),
    ("sector: services\nnis2_sector: health\nstaff_count: 300", {"NIS2": "medium"}, "essential"),
    ("sector: services\nnis2_sector: food\nstaff_count: 300", {"NIS2": "medium"}, "important"),
    ("sector: healthcare\nstaff_count: 40", {}, "out_of_scope"),  # small: turnover 0.9 M EUR
    ("sector: legal\nstaff_count: 400", {}, "out_of_scope"),  # not an annex sector
    ("sector: manufacturing\nstaff_count: 120", {"NIS2-UNKNOWN": "low"}, "unknown"),  # which manufacturing?
], ids=["health-medium", "health-large", "annex-ii-large", "health-small", "legal", "manufacturing-unknown"])
def test_nis2_by_sector_and_size(clean, yaml, expected, entity):
    apply(clean, [("client.yaml", "sector: services", yaml)])
    assert found(clean, "NIS2") == expected
    an = assess(load_client(clean))
    assert legal.nis2_scope(type("C", (), {"client": an.client})())[0] == entity


@pytest.mark.parametrize("staff,turnover,balance,size,category", [
    (49, 9e6, None, "small", "pme"), (49, 11e6, 11e6, "medium", "pme"), (50, None, None, "medium", "unknown"),
    (30, None, None, "unknown", "unknown"), (250, None, None, "large", "eti"), (200, 60e6, 50e6, "large", "eti"),
    (6000, None, None, "large", "ge"), (200, 51e6, None, "medium", "unknown"),
])
def test_company_size(staff, turnover, balance, size, category):
    assert legal.eu_size(staff, turnover, balance) == size
    assert legal.fr_category(staff, turnover, balance) == category


# --- e-invoicing, accounting records, seat cap ----------------------------------------------------------

ERP = ("- id: test-erp\n  name: Test ERP\n  vendor: Test\n  category: erp\n  source: test\n"
       "  versions: [{version: '1', source: test}]\n"
       "  licence: {model: per_user, unit_cost: 0, period: month, currency: EUR, as_of: 2026-01-01, source: test}\n"
       "  skills: [{role: end_user, skill_id: m365_use, level: 1}]\n  hosting: {hosted: false}\n")


@pytest.mark.parametrize("einvoicing,expected", [
    ("", {"EINV-C1": "high"}),  # not known to the catalog
    ("  einvoicing: {support: 'no', source: test}\n", {"EINV-C1": "high"}),
    ("  einvoicing: {support: connector, source: test}\n", {"EINV-C1": "low"}),
    ("  einvoicing: {support: pa, source: test}\n", {}),
], ids=["unknown", "no", "connector", "pa"])
def test_einvoicing_on_an_erp_change(clean, einvoicing, expected):
    (clean / "catalog").mkdir()
    (clean / "catalog" / "products.yaml").write_text(ERP + einvoicing, encoding="utf-8")
    apply(clean, [("spec.yaml", "product_id: microsoft-365-business-standard,", "product_id: test-erp,")])
    assert found(clean, "EINV") == expected
    if expected:
        f = next(f for f in assess(load_client(clean)).findings if f.rule == "EINV")
        assert str(f.evidence["issue_from"]) == "2027-09-01" and f.evidence["category"] == "PME"  # 7 staff, 0.9 M EUR


def test_einvoicing_of_a_company_whose_category_is_not_known(clean):
    """Under 250 staff with neither turnover nor balance sheet, the category is not known: the finding gives the date
    that binds a large or mid-size company, says why and when an SME issues, in both languages (no dash for a date)."""
    from impactlib.report.html import finding_text

    (clean / "catalog").mkdir()
    (clean / "catalog" / "products.yaml").write_text(ERP, encoding="utf-8")
    apply(clean, [("spec.yaml", "product_id: microsoft-365-business-standard,", "product_id: test-erp,"),
                  ("client.yaml", "annual_turnover: 900000", "")])
    f = next(f for f in assess(load_client(clean)).findings if f.rule == "EINV")
    assert str(f.evidence["issue_from"]) == "2026-09-01"
    en = finding_text(f, "title", "en", "EUR") + finding_text(f, "evidence", "en", "EUR")
    fr = finding_text(f, "title", "fr", "EUR") + finding_text(f, "evidence", "fr", "EUR")
    assert "issue them from 1 Sept 2026" in en and "not known" in en and "SME issues from 1 Sept 2027" in en
    assert "les émettre à partir du 1 sept. 2026" in fr and "inconnue" in fr and "une PME émet à partir du 1 sept. 2027" in fr
    assert "—" not in en + fr


def test_no_einvoicing_screen_outside_france_or_erp(clean):
    assert found(clean, "EINV") == {}  # an office suite change


@pytest.mark.parametrize("archive,expected", [
    ("", {"ACC-RETAIN-C1": "medium"}),
    ("records_archive: FEC and ledgers exported yearly and read-only licence kept until 2037, ", {}),
], ids=["no-plan", "plan"])
def test_accounting_records_kept_when_software_retired(clean, archive, expected):
    (clean / "catalog").mkdir()
    (clean / "catalog" / "products.yaml").write_text(ERP, encoding="utf-8")
    apply(clean, [("spec.yaml", "product_id: microsoft-365-business-standard,", f"product_id: test-erp, {archive}"),
                  ("spec.yaml", "from_product_id: office-ltsc-2024,", "from_product_id: sage-100,")])
    assert found(clean, "ACC-RETAIN") == expected


@pytest.mark.parametrize("seats,expected", [(301, {"LIC-CAP-C1": "high"}), (300, {})], ids=["301", "300"])
def test_m365_business_seat_cap(clean, seats, expected):
    apply(clean, [("spec.yaml", "rollout: phased, seats: 7}", f"rollout: phased, seats: {seats}}}")])
    assert found(clean, "LIC-CAP") == expected


# --- change artefacts ---------------------------------------------------------------------------

@pytest.mark.parametrize("edits,expected", [
    ([], {}),  # the clean change has all it needs (7 users: no pilot asked)
    ([("spec.yaml", "rollback_plan: Office LTSC stays installed until the end of the hypercare, ", "")], {"CHG-ROLLBACK-C1": "low"}),
    ([("spec.yaml", "restore_test: 2026-12-01, ", "")], {"CHG-RESTORE-C1": "low"}),
    ([("spec.yaml", "restore_test: 2026-12-01, ", "restore_test: 2027-02-20, ")], {"CHG-RESTORE-C1": "low"}),  # after the cutover
    ([("spec.yaml", "hypercare_days: 5,", "")], {"CHG-HYPERCARE-C1": "low"}),
    ([("spec.yaml", "rollout: phased", "rollout: pilot_then_big_bang")], {"CHG-PILOT-C1": "low"}),
    ([("spec.yaml", "rollout: phased", "rollout: pilot_then_big_bang, pilot: {group: FIN, exit_criteria: two weeks without incident}")], {}),
    # severity follows the criticality of what the change touches
    ([("spec.yaml", "hypercare_days: 5,", ""),
      ("assets.csv", "OFFICE,Office LTSC 2024,software,office-ltsc-2024,2024,7,,medium", "OFFICE,Office LTSC 2024,software,office-ltsc-2024,2024,7,,critical")],
     {"CHG-HYPERCARE-C1": "high"}),
], ids=["complete", "rollback", "restore", "restore-late", "hypercare", "pilot", "pilot-given", "critical"])
def test_change_artefacts(clean, edits, expected):
    apply(clean, edits)
    assert found(clean, "CHG-") == expected


def test_pilot_asked_from_ten_users(clean):
    apply(clean, [("spec.yaml", "rollout: phased, seats: 7}", "rollout: phased, seats: 12}")])
    assert "CHG-PILOT-C1" in found(clean, "CHG-")


# --- HDS certificate on file (client data) -----------------------------------------------------------------

CERTS = "product_id,host,reference,valid_until,scope,evidence\n"


def _health_on_cloud(clean, hosting: str):
    from test_rules import _cloud_product

    (clean / "catalog").mkdir()
    (clean / "catalog" / "products.yaml").write_text(_cloud_product(hosting), encoding="utf-8")
    apply(clean, [("assets.csv", "OFFICE,Office LTSC 2024,software,office-ltsc-2024,2024,7,,medium,,",
                   "OFFICE,Office LTSC 2024,software,office-ltsc-2024,2024,7,,medium,health,"),
                  ("spec.yaml", "product_id: microsoft-365-business-standard,", "product_id: test-cloud,")])


@pytest.mark.parametrize("cert,expected", [
    (None, {"SEC-HDS-C1": "high"}),  # unknown to the catalog, nothing on file
    ("test-cloud,Test host,HDS-123,2028-01-31,,copy in the contract\n", {}),  # on file, valid at go-live: lifted
    ("test-cloud,Test host,HDS-123,2027-01-31,,copy in the contract\n", {"SEC-HDS-C1": "high"}),  # ends before go-live
], ids=["none", "valid", "expired"])
def test_hds_certificate_on_file_lifts_the_warning(clean, cert, expected):
    _health_on_cloud(clean, "{hds_certified: unknown}")
    if cert:
        (clean / "certificates.csv").write_text(CERTS + cert, encoding="utf-8")
    got = {f.id: (f.rule, f.severity) for f in assess(load_client(clean)).findings if f.rule.startswith("SEC-HDS")}
    assert {k: v[1] for k, v in got.items()} == expected
    if cert and expected:
        assert got["SEC-HDS-C1"][0] == "SEC-HDS-EXPIRED"


def test_accepting_an_unknown_certificate_clears_it(clean):
    from impactlib.analysis import summary

    _health_on_cloud(clean, "{hds_certified: unknown}")
    before = summary.headline(assess(load_client(clean)))
    assert "SEC-HDS-C1" in before["to_green"]
    (clean / "acknowledgements.csv").write_text("finding_id,scenario,decision,decided_by,decided_on,comment\n"
                                                "SEC-HDS-C1,,accepted,Managing director,2026-10-20,certificate requested\n", encoding="utf-8")
    after = summary.headline(assess(load_client(clean)))
    assert "SEC-HDS-C1" not in after["to_green"]


@pytest.mark.parametrize("file,content,column", [
    ("processings.csv", PROCESSING_HEAD + "p1,P,x,health,patients,1,,,,GHOST,,,\n", "assets"),
    ("processings.csv", PROCESSING_HEAD + "p1,P,x,,patients,1,,,,,,,\n", "data"),
    ("processings.csv", PROCESSING_HEAD + "p1,P,x,health,patients,1,,,,,none,2026-01-01,\n", "dpia_date"),
    ("processings.csv", PROCESSING_HEAD + "p1,P,x,health|dna,patients,1,,,,,,,\n", "data"),
    ("certificates.csv", CERTS + "no-such-product,H,R,2028-01-01,,\n", "product_id"),
], ids=["unknown-asset", "no-data", "date-without-dpia", "unknown-category", "unknown-product"])
def test_bad_legal_data_names_file_row_column(clean, file, content, column):
    (clean / file).write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        load_client(clean)
    assert any(p.file.endswith(file) and p.column == column for p in e.value.problems), e.value.problems


# --- the demo medical practice ----------------------------------------------------------------------

def test_demo_practice_reaches_the_verdict_its_data_supports():
    from impactlib.analysis import summary

    an = assess(load_client(DEMO / "cabinet-medical-rives"))
    ids = {f.id: f for f in an.findings}
    assert "SEC-HDS-C2" not in ids  # the practice software's host certificate is on file, valid at go-live
    assert ids["SEC-DPIA-dossier-patient"].severity == "high" and "SEC-DPIA-C3" not in ids  # per processing, not per change
    assert "NIS2" not in ids  # a small healthcare provider
    h = summary.headline(an)
    # still not ready, for what its data shows: a budget exceeded by half and nine PCs that cannot run Windows 11
    assert h["verdict"] == "not_ready" and sorted(h["to_green"]) == ["BUD-TOTAL", "HW-C3-PC-ACCUEIL", "PROT-WEAK-backup"]

"""What the advice says, as a consultant would sign it: HDS hosting read from the certificate on file,
the productivity dip by kind of change, end-of-life remedies that fit the asset's role, routine feature
updates apart from ends of support, and recommendations ordered by the risk they remove.

Small hand-built cases on a copy of the `clean` client (see tests/fixtures/clients/clean), the
functions on hand-typed values, and the demo clients where the issue named them.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import DEMO, apply
from impactlib import assess, load_client
from impactlib.analysis import rules, summary, validation
from impactlib.io.catalog import load_catalog
from impactlib.model.documents import Change, Esu, Hosting, Product
from impactlib.model.finding import Finding
from impactlib.report import closing, sections
from impactlib.report.html import finding_text
from impactlib.report.rule_text import RULE_TEXTS

CATALOG = load_catalog()


# --- certified health-data hosting (HDS) ---------------------------------------------------------------

def hosted_ehr(hosting: str) -> str:
    """A client catalog with one hosted patient-record service whose ``hosting`` block is ``hosting``."""
    return f"""- id: hosted-ehr
  name: "Hosted patient records"
  vendor: "Example Health"
  category: practice_management
  source: "test"
  versions:
    - {{version: current, source: "test"}}
  licence: {{model: per_user, unit_cost: 10, period: month, currency: EUR, as_of: 2026-11-01, source: "test"}}
{hosting}"""


def health_client(folder, hosting: str, country: str = "FR"):
    """The clean client whose office data is health data, moving to ``hosted-ehr`` on 2027-03-01."""
    apply(folder, [
        ("assets.csv", "OFFICE,Office LTSC 2024,software,office-ltsc-2024,2024,7,,medium,,",
         "OFFICE,Office LTSC 2024,software,office-ltsc-2024,2024,7,,medium,health,"),
        ("client.yaml", "country: FR", f"country: {country}"),
        ("spec.yaml", "product_id: microsoft-365-business-standard", "product_id: hosted-ehr"),
        ("catalog/products.yaml", None, hosted_ehr(hosting)),
    ])
    return assess(load_client(folder))


HDS_CASES = [
    # hosting block, country -> (rule, severity) of SEC-HDS-C1 or None, the confidentiality precaution's key
    pytest.param("  hosting: {hds_certified: yes, source: certificate on file}", "FR", None, "certified", id="certified"),
    pytest.param("  hosting: {hds_certified: yes, certificate_expiry: 2028-06-30, source: cert}", "FR", None, "certified",
                 id="certified-valid-at-go-live"),
    pytest.param("  hosting: {hds_certified: yes, certificate_expiry: 2027-02-28, source: cert}", "FR",
                 ("SEC-HDS-EXPIRED", "high"), "expired", id="certificate-ends-before-go-live"),
    pytest.param("", "FR", ("SEC-HDS", "high"), "unknown", id="unknown-by-default"),
    pytest.param("  hosting: {hds_certified: unknown, source: not checked}", "FR", ("SEC-HDS", "high"), "unknown", id="unknown"),
    pytest.param("  hosting: {hds_certified: no, source: vendor says so}", "FR", ("SEC-HDS-NONE", "blocker"), "uncertified",
                 id="uncertified"),
    pytest.param("  hosting: {hosted: false}", "FR", None, None, id="not-hosted"),
    pytest.param("  hosting: {hds_certified: no, source: vendor says so}", "BE", None, None, id="outside-France"),
]


# words only each HDS precaution of the confidentiality section says (English)
PRECAUTION_WORDS = {"certified": "whose host holds the HDS certificate", "unknown": "to be obtained and kept on file",
                    "expired": "renewed certificate to be on file", "uncertified": "host is not HDS-certified"}


@pytest.mark.parametrize("hosting,country,expected,precaution", HDS_CASES)
def test_sec_hds_follows_the_certificate_on_file(clean, hosting, country, expected, precaution):
    an = health_client(clean, hosting, country)
    found = {f.id: f for f in an.findings}
    hds = found.get("SEC-HDS-C1")
    assert (None if hds is None else (hds.rule, hds.severity)) == expected
    assert "SEC-DATA-C1" in found  # the health data is seen either way
    c = an.changes[0]
    status = rules.hds_status(an.client, c, an.client.catalog.products["hosted-ehr"], {"health"})
    assert status == precaution
    html = str(closing.confidentiality_section(an, "en"))
    row = re.search(r"<tr><td>C1</td>.*?</tr>", html, re.S).group(0)
    shown = {k for k, words in PRECAUTION_WORDS.items() if words in row}
    assert shown == ({precaution} if precaution else set())
    assert ("HDS" in row) == (precaution is not None)


def test_hds_wording_in_both_languages(clean):
    an = health_client(clean, "  hosting: {hds_certified: yes, certificate_expiry: 2027-02-28, source: cert}")
    f = next(f for f in an.findings if f.id == "SEC-HDS-C1")
    assert finding_text(f, "title", "en", "EUR") == ("The HDS certificate of Hosted patient records's host ends on 28 Feb 2027, "
                                                     "before the go-live")
    assert "28 févr. 2027" in finding_text(f, "title", "fr", "EUR")
    fr = str(closing.confidentiality_section(an, "fr"))
    assert "certificat renouvelé" in fr


def test_shipped_hosting_facts_are_sourced():
    p = CATALOG.products
    for pid in ("microsoft-365-business-standard", "microsoft-365-business-premium", "exchange-online"):
        assert p[pid].hosting.hds_certified == "yes"
        assert "learn.microsoft.com/en-us/compliance/regulatory/offering-hds-france" in p[pid].hosting.source
        assert "France and European Union" in p[pid].hosting.source  # the scope condition is kept with the fact
    for pid in ("medical-practice-software", "odoo", "microsoft-defender-business"):
        assert p[pid].hosting.hds_certified == "unknown" and p[pid].hosting.source  # unknown says why
    for pid in ("exchange-server-2016", "exchange-server-2019", "exchange-server-se", "sage-100", "veeam-backup-replication"):
        assert rules.hosted_by_a_third_party(p[pid]) is False  # on-premise, whatever its category or billing
    assert rules.hosted_by_a_third_party(p["medical-practice-software"]) is True
    hosted = [x for x in p.values() if rules.hosted_by_a_third_party(x)]
    assert len(hosted) >= 6 and all(x.hosting.source for x in hosted)  # every hosted product says what is known, and why


@pytest.mark.parametrize("data,message", [
    ({"hds_certified": "yes"}, "source"),
    ({"hds_certified": "no"}, "source"),
    ({"hds_certified": "unknown", "certificate_expiry": "2028-01-01", "source": "x"}, "certificate_expiry"),
])
def test_hosting_needs_a_source_and_a_certificate_for_an_expiry(data, message):
    with pytest.raises(ValueError, match=message):
        Hosting.model_validate(data)


def test_yaml_yes_and_no_read_as_certificate_states():
    assert Hosting.model_validate({"hds_certified": True, "source": "x"}).hds_certified == "yes"
    assert Hosting.model_validate({"hds_certified": False, "source": "x"}).hds_certified == "no"
    assert Hosting().hds_certified == "unknown" and Hosting().hosted is None


def test_medical_practice_gets_the_verdict_its_data_supports():
    """Cabinet médical des Rives: e-mail moves to Microsoft 365 (certified: no warning, a contract precaution);
    patient records move to a generic cloud vendor whose host's certificate the practice has on file
    (certificates.csv, valid until 2028-03-14): no warning either, the same precaution, with its end of validity."""
    an = assess(load_client(DEMO / "cabinet-medical-rives"))
    hds = {f.id: (f.rule, f.severity) for f in an.findings if f.id.startswith("SEC-HDS")}
    assert hds == {}
    html = str(closing.confidentiality_section(an, "fr"))
    c1 = re.search(r"<tr><td>C1</td>.*?</tr>", html, re.S).group(0)
    c2 = re.search(r"<tr><td>C2</td>.*?</tr>", html, re.S).group(0)
    c3 = re.search(r"<tr><td>C3</td>.*?</tr>", html, re.S).group(0)
    assert "dont l'hébergeur est certifié HDS" in c1 and "dont l'hébergeur est certifié HDS" in c2
    assert "14 mars 2028" in c2 and "à obtenir et à conserver au dossier" not in c2
    assert "HDS" not in c3  # a Windows 11 upgrade moves no data to a host


# --- productivity dip by kind of change ------------------------------------------------------------

def change(action, product_id, from_product_id=None, **kw) -> Change:
    return Change(id="C9", title="t", action=action, product_id=product_id, from_product_id=from_product_id,
                  go_live=dt.date(2027, 3, 1), rollout="big_bang", **kw)


KIND_CASES = [
    ("upgrade", "windows-11", "windows-11", "version"),
    ("upgrade", "windows-11", "windows-10", "edition"),  # same vendor, same kind of system
    ("replace", "microsoft-365-business-standard", "office-2016", "edition"),  # Microsoft 365 covers office_suite
    ("migrate", "microsoft-365-business-premium", "exchange-server-2016", "edition"),  # and e-mail
    ("migrate", "exchange-online", "exchange-server-2016", "edition"),
    ("migrate", "medical-practice-software", "medical-practice-software", "edition"),  # on-premise -> cloud edition
    ("replace", "libreoffice", "office-2016", "product"),  # another vendor, same kind
    ("migrate", "odoo", "sage-100", "product"),  # Odoo covers accounting
    ("replace", "odoo", "office-2016", "category"),
    ("add", "odoo", None, "category"),  # the clean client runs no ERP or accounting software
    ("add", "libreoffice", None, "product"),  # it runs Office LTSC 2024: another vendor's office suite
    ("add", "office-ltsc-2024", None, "version"),
    ("remove", None, "office-ltsc-2024", "removal"),
]


@pytest.mark.parametrize("action,target,source,kind", KIND_CASES)
def test_change_kind(clean, action, target, source, kind):
    client = load_client(clean)
    assert validation.change_kind(client, change(action, target, source)) == kind


@pytest.mark.parametrize("action,target,source,scale,expected", [
    ("upgrade", "windows-11", "windows-10", 1.0, ("edition", 0.05, 2.0)),  # table, not the catalog's 10 % for 2 weeks
    ("migrate", "medical-practice-software", "medical-practice-software", 1.0, ("edition", 0.05, 2.0)),  # not 30 % for 6 weeks
    ("upgrade", "windows-11", "windows-11", 1.0, ("version", 0.02, 1.0)),
    ("replace", "libreoffice", "office-2016", 1.0, ("product", 0.25, 6.0)),  # the catalog's dip
    ("migrate", "odoo", "sage-100", 2.0, ("product", 0.70, 8.0)),  # dip_scale multiplies the depth
    ("migrate", "odoo", "sage-100", 5.0, ("product", 1.0, 8.0)),  # never more than all of one's time
    ("replace", "microsoft-defender-business", "eset-protect", 1.0, ("product", 0.02, 0.5)),
])
def test_dip_by_kind(clean, action, target, source, scale, expected):
    kind, depth, weeks = validation.dip(load_client(clean), change(action, target, source), scale)
    assert (kind, round(depth, 6), weeks) == expected


def test_product_without_catalog_dip_takes_the_table(clean):
    apply(clean, [("catalog/products.yaml", None, hosted_ehr(""))])
    kind, depth, weeks = validation.dip(load_client(clean), change("replace", "hosted-ehr", "office-ltsc-2024"))
    assert (kind, depth, weeks) == ("category", *validation.DIP_BY_KIND["category"])


def test_drawbacks_carry_the_kind_and_its_dip(clean):
    """Office LTSC 2024 -> Microsoft 365 Business Standard for the clean client's 7 users: an edition change."""
    an = assess(load_client(clean))
    d = an.drawbacks.set_index("id").loc["DRW-C1"]
    assert (d["change_kind"], d["dip_depth"], d["dip_weeks"]) == ("edition", 0.05, 2.0)
    week_hours = 7.0 * 5  # the clean client's calendar: 7 h a day, Monday to Friday
    assert d["hours_lost"] == pytest.approx(d["users_direct"] * 0.05 * 2.0 * week_hours * 0.5)
    assert an.figures.productivity == pytest.approx(an.drawbacks["cost_lost"].sum())
    assert list(an.drawbacks.columns) == validation.DRAWBACK_COLUMNS + validation.DRAWBACK_COLUMNS_EXTRA


@pytest.mark.parametrize("lang,kind,dip", [("en", "same vendor, new edition", "−5% for 2 weeks"),
                                          ("fr", "même éditeur, nouvelle édition", "−5\u00a0% pendant 2 semaines")])
def test_report_shows_the_kind_of_change(clean, lang, kind, dip):
    html = str(sections.drawbacks_section(assess(load_client(clean)), lang))
    row = re.search(r"<tr><td><code>DRW-C1</code>.*?</tr>", html, re.S).group(0)
    assert kind in row and dip in row
    assert sections.t("col.change_kind", lang) in html


def test_demo_edition_changes_no_longer_cost_a_new_product_dip():
    """The medical practice's move of its own software to the vendor's cloud edition was costed as -30 %
    for 6 weeks (about EUR 113k); it is an edition change."""
    an = assess(load_client(DEMO / "cabinet-medical-rives"))
    d = an.drawbacks.set_index("change_id")
    assert d.loc["C2", "change_kind"] == "edition" and d.loc["C2", "dip_depth"] == 0.05
    assert d.loc["C2", "cost_lost"] < 10_000
    acme = assess(load_client(DEMO / "acme-industrie")).drawbacks.set_index("change_id")
    assert dict(acme["change_kind"]) == {"C1": "edition", "C2": "product", "C3": "product"}
    assert acme.loc["C2", "dip_depth"] == 0.25  # Office -> LibreOffice keeps the catalog's dip


# --- end-of-life remedies by role -------------------------------------------------------------------

ROW = ",,{kind},{product},{version},{qty},,{crit},,,,,,,,,,,,{os},{os_version},,,"


def kept(asset_id, kind, product="", version="", qty=1, crit="medium", os="", os_version="") -> str:
    return f"{asset_id},{asset_id} name" + ROW.format(kind=kind, product=product, version=version, qty=qty, crit=crit,
                                                     os=os, os_version=os_version)[1:]


def eol_client(folder, *rows):
    apply(folder, [("assets.csv", "OFFICE,Office LTSC 2024", "\n".join(rows) + "\nOFFICE,Office LTSC 2024")])
    return assess(load_client(folder))


EOL_CASES = [
    # asset row -> finding id, rule, severity, evidence subset
    pytest.param(kept("DC", "server", crit="critical", os="windows-server-2016", os_version="2016"),
                 "EOL-DC-windows-server-2016", "EOL", "high", {}, id="domain-controller"),
    pytest.param(kept("VM", "virtual_machine", os="windows-server-2012-r2", os_version="2012 R2"),
                 "EOL-VM-windows-server-2012-r2", "EOL", "high", {}, id="server-after-its-ESU"),
    pytest.param(kept("LAP", "laptop", qty=4, os="windows-10", os_version="22H2"),
                 "EOL-LAP-windows-10", "EOL-DEVICE-ESU", "medium",
                 # go-live 2027-03-01 falls in ESU year 2: year 1 is paid too (USD 61 + 122)
                 {"esu_year": 2, "esu_price": 183.0, "esu_cost": 732.0, "esu_currency": "USD", "cost": 5000.0,
                  "esu_until": dt.date(2028, 10, 10)}, id="windows-10-laptops"),
    pytest.param(kept("OLDPC", "workstation", qty=2, os="windows-10", os_version="21H2"),
                 "EOL-OLDPC-windows-10", "EOL-DEVICE", "medium", {"cost": 1900.0}, id="device-without-ESU"),
    pytest.param(kept("O16", "software", product="office-2016", version="2016", qty=5),
                 "EOL-O16-office-2016", "EOL-OFFICE", "medium", {}, id="office-suite"),
    pytest.param(kept("SQL", "database", product="sql-server-2014", version="2014"),
                 "EOL-SQL-sql-server-2014", "EOL", "high", {}, id="database"),
]


@pytest.mark.parametrize("row,fid,rule,severity,evidence", EOL_CASES)
def test_end_of_life_remedy_fits_the_role(clean, row, fid, rule, severity, evidence):
    an = eol_client(clean, row)
    f = next(f for f in an.findings if f.id == fid)  # the id names asset and product, never the remedy
    assert (f.rule, f.severity) == (rule, severity)
    assert {k: f.evidence.get(k) for k in evidence} == evidence
    for lang in ("en", "fr"):
        advice = finding_text(f, "advice", lang, "EUR")
        assert not re.search(r"isol", advice, re.I), advice
        assert "{" not in advice


def test_no_end_of_life_advice_isolates(clean):
    for rule in ("EOL", "EOL-ESU", "EOL-DEVICE", "EOL-DEVICE-ESU", "EOL-OFFICE", "SEC-EXPOSED", "HW"):
        for text in RULE_TEXTS[rule]["advice"]:
            assert not re.search(r"\bisolat|\bisoler|\bisolement", text, re.I), (rule, text)


def test_windows_10_esu_wording(clean):
    an = eol_client(clean, kept("LAP", "laptop", qty=4, os="windows-10", os_version="22H2"))
    f = next(f for f in an.findings if f.id == "EOL-LAP-windows-10")
    en = finding_text(f, "advice", "en", "EUR")
    assert "183 USD per device when joining in year 2" in en and "732 USD for all 4" in en and "10 Oct 2028" in en
    assert "€5,000" in en
    assert "183 USD par poste pour une adhésion en année 2" in finding_text(f, "advice", "fr", "EUR")


@pytest.mark.parametrize("joining,expected", [
    (dt.date(2025, 10, 14), (1, 61.0)),
    (dt.date(2025, 11, 1), (1, 61.0)),
    (dt.date(2026, 10, 14), (1, 61.0)),  # the last day of year 1
    (dt.date(2026, 10, 15), (2, 183.0)),  # joining in year 2 pays year 1 too
    (dt.date(2027, 12, 1), (3, 427.0)),
    (dt.date(2029, 1, 1), (3, 427.0)),  # past the priced years: the last one
])
def test_esu_price_is_cumulative(joining, expected):
    esu = Esu(until=dt.date(2028, 10, 10), prices=(61, 122, 244), currency="USD", source="test")
    assert rules.esu_price(esu, dt.date(2025, 10, 14), joining) == expected


@pytest.mark.parametrize("product,version,kind,go_live,rule", [
    ("windows-server-2012-r2", "2012 R2", "server", dt.date(2026, 6, 1), "EOL-ESU"),  # ESU still sold then
    ("windows-server-2012-r2", "2012 R2", "server", dt.date(2026, 10, 14), "EOL"),  # ESU over
    ("windows-10", "22H2", "workstation", dt.date(2028, 10, 10), "EOL-DEVICE-ESU"),
    ("windows-10", "22H2", "workstation", dt.date(2028, 10, 11), "EOL-DEVICE"),
    ("windows-10", None, "workstation", dt.date(2026, 1, 1), "EOL-DEVICE"),  # version unknown: no ESU claimed
    ("office-2016", "2016", "software", dt.date(2026, 1, 1), "EOL-OFFICE"),
    ("exchange-server-2016", "2016", "software", dt.date(2026, 1, 1), "EOL"),
])
def test_eol_remedy(product, version, kind, go_live, rule):
    assert rules.eol_remedy(CATALOG.products[product], version, kind, go_live, 3, 950.0)[0] == rule


def test_esu_must_end_after_the_end_of_support():
    with pytest.raises(ValueError, match="esu.until"):
        Product.model_validate({**CATALOG.products["windows-10"].model_dump(by_alias=True),
                                "versions": [{"version": "22H2", "end_of_support": "2025-10-14", "source": "x",
                                              "esu": {"until": "2025-01-01", "source": "x"}}]})


def test_lex_file_server_is_never_told_to_be_isolated():
    an = assess(load_client(DEMO / "lex-partners"))
    f = next(f for f in an.findings if f.id == "EOL-SRV-FILE-windows-server-2016")
    assert f.rule == "EOL" and f.severity == "high"
    assert "migrate its roles and data" in finding_text(f, "advice", "en", "EUR")


# --- routine feature updates are not ends of support ------------------------------------------------

def test_routine_update_only_for_products_that_ship_feature_updates(clean):
    """Go-live 2027-03-01, horizon 12 months: Windows 11 25H2 (ends 2027-10-12, 26H2 listed) is routine;
    FortiOS 7.4 (ends 2027-11-11, 7.6 listed) and a planned Odoo 18 (ends 2027-09-01) are real warnings."""
    apply(clean, [("scenarios/baseline.yaml", "title: As specified",
                   "title: As specified\nadd:\n  - {id: C5, title: ERP, action: add, product_id: odoo, version: \"18.0\", "
                   "go_live: 2027-03-01, rollout: big_bang, seats: 3, departments: [FIN]}")])
    an = eol_client(clean, kept("FW", "network", product="fortigate", version="7.4"))
    found = {f.id: (f.rule, f.severity) for f in an.findings}
    assert found["EOLSOON-PC-windows-11"] == ("EOL-SOON", "info")
    assert found["EOLSOON-FW-fortigate"] == ("EOL-SOON", "low")
    assert found["EOLSOON-C5-odoo"] == ("EOL-PLANNED", "low")


def test_is_routine_update():
    p = CATALOG.products
    eos = pd.Timestamp("2027-10-12")
    assert rules.is_routine_update(p["windows-11"], eos)
    assert not rules.is_routine_update(p["windows-11"], pd.Timestamp("2028-10-10"))  # no later version listed
    assert not rules.is_routine_update(p["odoo"], pd.Timestamp("2027-09-01"))  # 19.0 exists, but an ERP major is a project
    assert not rules.is_routine_update(p["windows-server-2016"], pd.Timestamp("2027-01-12"))
    assert not rules.is_routine_update(None, eos)


def test_os_support_marks_routine_updates_apart(clean):
    an = eol_client(clean, kept("DC", "server", os="windows-server-2019", os_version="2019"))
    status = dict(zip(an.os_support["os_product_id"], an.os_support["status"]))
    assert status == {"windows-11": "update_due", "windows-server-2022": "supported", "windows-server-2019": "supported"}
    fig = sections.os_support_chart(an, "en")
    assert fig.reading.startswith("No device runs an operating system whose support has ended or ends within 12 months")
    assert "7 of the 9 only need the system's routine feature update" in fig.reading
    names = [trace.name for trace in fig.fig.data]
    assert sections.t("status.update_due", "en", months=12) in names  # the chart draws them, apart


def test_os_support_reading_counts_only_ended_and_ending(clean):
    an = eol_client(clean, kept("DC", "server", os="windows-server-2016", os_version="2016"))
    status = dict(zip(an.os_support["os_product_id"], an.os_support["status"]))
    assert status["windows-server-2016"] == "ended" and status["windows-11"] == "update_due"
    assert sections.os_support_chart(an, "en").reading.startswith("1 of 9 devices (11%)")


# --- top recommendations ordered by the risk they remove -------------------------------------------

def finding(fid, rule, severity, likelihood, impact) -> Finding:
    return Finding(fid, rule, severity, likelihood, impact, "schedule")


def analysis(findings, managed=False, late=False, saturated=False):
    """A hand-built stand-in for an Analysis: what summary.recommendations reads."""
    advice = pd.DataFrame({"change_id": ["C1"] if managed else [], "product_id": ["microsoft-365-business-standard"] if managed else [],
                           "decision": ["outsource"] if managed else [], "rule": ["small_company_managed"] if managed else []})
    sessions = pd.DataFrame({"change_id": ["C1"], "late": [late], "sessions": [2], "participant_hours": [14.0]})
    load = pd.DataFrame({"department_id": ["FIN"], "saturated": [saturated]})
    rank = {s: i for i, s in enumerate(("blocker", "high", "medium", "low", "info"))}
    found = tuple(sorted(findings, key=lambda f: (rank[f.severity], -f.likelihood * f.impact, f.id)))
    return SimpleNamespace(findings=found, staffing_advice=advice, sessions=sessions, change_load=load)


def keys(recs) -> list[str]:
    return [v["id"] if k == "finding" else k for k, v in recs]


def test_a_blackout_clash_comes_before_the_managed_service():
    an = analysis([finding("SPEC-VAGUE-O1", "SPEC-VAGUE", "low", 3, 2),
                   finding("SCH-BLACKOUT-C3-closing", "SCH-BLACKOUT", "high", 5, 4)], managed=True)
    order = keys(summary.recommendations(an))
    assert order.index("SCH-BLACKOUT-C3-closing") < order.index("rec.managed")
    assert order == ["SCH-BLACKOUT-C3-closing", "SPEC-VAGUE-O1", "rec.managed", "rec.training"]  # low tie: the finding first


def test_recommendations_by_severity_then_likelihood_times_impact():
    an = analysis([finding("HW-C1-A", "HW", "blocker", 5, 4), finding("HW-C1-B", "HW", "blocker", 5, 4),
                   finding("MIG-C1", "MIG", "high", 3, 4), finding("SCH-BLACKOUT-C1-x", "SCH-BLACKOUT", "high", 5, 4),
                   finding("SCH-WORK-C1-x", "SCH-WORK", "medium", 4, 3)],
                  managed=True, late=True, saturated=True)
    assert keys(summary.recommendations(an, n=10)) == [
        "HW-C1-A",  # blocker; one per rule
        "SCH-BLACKOUT-C1-x",  # high 20
        "rec.late_training",  # high 16
        "MIG-C1",  # high 12
        "SCH-WORK-C1-x", "rec.stagger",  # medium 12: the finding first
        "rec.managed"]  # low
    assert len(summary.recommendations(an)) == 5


def test_an_end_of_life_carries_the_exposure_it_resolves():
    an = analysis([finding("EOL-SRV-p", "EOL", "medium", 5, 2), finding("SEC-EXPOSED-SRV-p", "SEC-EXPOSED", "high", 4, 5),
                   finding("MIG-C1", "MIG", "high", 3, 4)])
    assert keys(summary.recommendations(an)) == ["EOL-SRV-p", "MIG-C1", "rec.training"]


def test_demo_blackout_comes_before_outsourcing_advice():
    """Acme's Odoo go-live inside its year-end closing (SCH-BLACKOUT, high) is among the top recommendations,
    ahead of any outsourcing or managed-service advice."""
    recs = keys(assess(load_client(DEMO / "acme-industrie")).recommendations)
    assert "SCH-BLACKOUT-C3-cloture-annuelle-des-comptes" in recs
    later = [k for k in recs if k in ("rec.managed", "rec.outsource")]
    assert all(recs.index("SCH-BLACKOUT-C3-cloture-annuelle-des-comptes") < recs.index(k) for k in later)

"""GLPI import: the real sample inventories, malformed and hostile variants, the CLI, and the flow into the review."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT
from impactlib import assess, cli, load_client
from impactlib.analysis import compat
from impactlib.io import glpi
from impactlib.io.catalog import load_catalog

# the real samples of glpi-project/inventory_format (MIT, see tests/fixtures/glpi/LICENSE)
SAMPLES = ROOT / "tests" / "fixtures" / "glpi"
JSON_SAMPLE = SAMPLES / "computer_1.json"
XML_SAMPLE = SAMPLES / "windows81_fr.xml"

# keys whose values are personal or identifying: none of their values may reach a written file
SECRET_KEYS = {"serial", "ssn", "msn", "serialnumber", "login", "ssh_key", "uuid", "lastloggeduser", "userid",
               "winprodid", "winprodkey", "key", "productid", "assettag", "ipaddress", "ipaddress6", "ipaddr", "mac",
               "wifi_ssid", "wifi_bssid", "id", "hostid", "domain", "dns_domain", "workgroup", "defaultgateway",
               "dns", "home", "enclosureserial", "biosserial"}
# (fqdn and hardware.name are the host name, which the contract keeps; a software GUID is its name)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def read(path: Path):
    problems = []
    got = glpi.read_inventory(path, path.name, problems)
    return got, problems


def secrets_of_json(node, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k.lower() in SECRET_KEYS and isinstance(v, (str, int)):
                out.add(str(v))
            secrets_of_json(v, out)
    elif isinstance(node, list):
        for v in node:
            secrets_of_json(v, out)
    return out


def secrets_of_xml(text: str) -> set[str]:
    found = set()
    for tag, value in re.findall(r"<([A-Z_0-9]+)>([^<]+)</\1>", text):
        if tag.lower() in SECRET_KEYS:
            found.add(value.strip())
    return found


def significant(values: set[str]) -> set[str]:
    """Values long enough to mean something when found in a file (and not generic accounts such as root)."""
    return {v for v in values if len(v) >= 6 and v.lower() not in glpi._GENERIC_ACCOUNTS}


# --- the real samples ----------------------------------------------------------------------------

def test_json_sample_facts(catalog):
    comp, problems = read(JSON_SAMPLE)
    assert problems == [] and isinstance(comp, glpi.Computer)
    f = comp.facts
    assert (f["manufacturer"], f["model"], f["kind"]) == ("Dell Inc.", "XPS 13 9350", "laptop")
    assert f["cpu_model"] == "Intel(R) Core(TM) i5-6200U CPU @ 2.30GHz" and f["cpu_cores"] == 2
    assert f["ram_gb"] == 8.0  # two 4096 MB modules (installed RAM, not the 7800 MB the OS sees)
    assert f["storage_gb"] == 256.1  # the NVMe disk, 256060 MB
    assert f["uefi"] is True  # an EFI system partition is mounted at /boot/efi
    assert f["secure_boot"] is None and f["tpm_version"] is None  # not reported: unknown, never False
    assert glpi.os_product(f["os_name"], f["os_build"], f["os_display_version"], catalog) == (None, None)  # Fedora
    assert [s.name for s in comp.software] == ["gitg", "expat", "gnome-calculator", "libcryptui", "tar", "gettext"]


def test_xml_sample_facts(catalog):
    comp, problems = read(XML_SAMPLE)
    assert problems == [] and isinstance(comp, glpi.Computer)
    f = comp.facts
    assert (f["manufacturer"], f["model"], f["kind"], f["hostname"]) == ("Hewlett-Packard", "HP EliteBook 2540p", "laptop", "pc-arg-23")
    assert f["cpu_model"] == "Intel(R) Core(TM) i5 CPU M 540 @ 2.53GHz" and f["cpu_cores"] == 2
    assert f["ram_gb"] == 4.0 and f["storage_gb"] == 250.1
    assert f["uefi"] is None and f["secure_boot"] is None and f["tpm_version"] is None
    assert glpi.os_product(f["os_name"], f["os_build"], f["os_display_version"], catalog) == ("windows-8.1", "8.1")
    names = {s.name for s in comp.software}
    assert "Kaspersky Endpoint Security 10 for Windows" in names  # antivirus section counts as installed software
    assert "Microsoft Office Famille et Petite Entreprise 2010" in names


def test_import_of_the_samples_lists_every_unmapped_software(catalog):
    problems = []
    imp = glpi.import_glpi([JSON_SAMPLE, XML_SAMPLE], catalog, problems)
    assert problems == []
    assert list(imp.computers["asset_id"]) == ["glpixps", "pc-arg-23"]
    # nothing in the samples is a catalog product (Office 2010, Fedora packages): every one is listed, none dropped
    assert len(imp.unmapped) == 6 + 10 and (imp.assets["kind"] == "software").sum() == 0
    assert set(imp.unmapped.loc[imp.unmapped["asset_id"] == "glpixps", "software"]) == {
        "gitg", "expat", "gnome-calculator", "libcryptui", "tar", "gettext"}
    ready = compat.readiness(imp.computers, catalog).set_index("asset_id")
    assert ready.loc["glpixps"].to_dict() == {"failed": "cpu", "unknown": "tpm_version, secure_boot", "verdict": "not ready"}
    assert ready.loc["pc-arg-23"].to_dict() == {"failed": "cpu", "unknown": "tpm_version, uefi, secure_boot", "verdict": "not ready"}


def test_written_files_carry_no_user_name_serial_or_key(tmp_path, capsys):
    assert cli.main(["import-glpi", str(JSON_SAMPLE), str(XML_SAMPLE), "--client", "acme", "--data-dir", str(tmp_path)]) == 0
    written = b"".join(p.read_bytes() for p in (tmp_path / "acme").iterdir()).decode("utf-8").lower()
    printed = capsys.readouterr().out.lower()
    secrets = significant(secrets_of_json(json.loads(JSON_SAMPLE.read_text(encoding="utf-8")), set())
                          | secrets_of_xml(XML_SAMPLE.read_text(encoding="utf-8")))
    # the sample's users and serials are among them, so the scan cannot pass by finding nothing to look for
    assert {"trasher", "cvigneron", "640HP72", "CZC0479792", "S29NNXAH146409"} <= secrets
    assert "aaaab3nzac1yc2e" in JSON_SAMPLE.read_text(encoding="utf-8").lower()
    leaked = sorted(x for x in secrets | {"AAAAB3NzaC1yc2E"} if x.lower() in written or x.lower() in printed)
    assert leaked == []


def test_a_user_name_in_the_host_name_or_a_software_name_is_left_out(tmp_path, catalog):
    text = XML_SAMPLE.read_text(encoding="utf-8").replace("<NAME>pc-arg-23</NAME>", "<NAME>PC-CVIGNERON</NAME>")
    text = text.replace("<NAME>CCleaner</NAME>", "<NAME>CCleaner (cvigneron)</NAME>")
    path = tmp_path / "named.xml"
    path.write_text(text, encoding="utf-8")
    comp, problems = read(path)
    assert problems == [] and comp.facts["hostname"] is None
    assert "CCleaner ([user])" in {s.name for s in comp.software}
    imp = glpi.build_import([comp], [], catalog)
    assert imp.computers.at[0, "asset_id"] == "pc-001" and imp.computers.at[0, "name"] == "Hewlett-Packard HP EliteBook 2540p"
    assert "cvigneron" not in glpi.to_csv(imp.assets).decode().lower() + glpi.to_csv(imp.unmapped).decode().lower()


# --- mapping -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, build, display, expected", [
    ("Microsoft Windows 8.1 Professionnel", "6.3.9600", None, ("windows-8.1", "8.1")),
    ("Microsoft Windows 10 Professionnel", "10.0.19045", None, ("windows-10", "22H2")),
    ("Microsoft Windows 10 Pro", "10.0.22631", None, ("windows-11", "23H2")),  # older agents: Windows 11 as "10"
    ("Microsoft Windows 11 Pro", "10.0.26100", "24H2", ("windows-11", "24H2")),
    ("Microsoft Windows 10 Entreprise", "10.0.10240", None, ("windows-10", None)),  # 1507: not a catalog version
    ("Microsoft Windows Server 2019 Standard", "10.0.17763", None, ("windows-server-2019", "2019")),
    ("Microsoft Windows Server 2012 R2 Standard", "6.3.9600", None, ("windows-server-2012-r2", "2012 R2")),
    ("Microsoft Windows 7 Professionnel", "6.1.7601", None, (None, None)),
    ("Fedora 31 (Workstation Edition)", "5.6.15", "31", (None, None)),
    (None, None, None, (None, None)),
])
def test_os_product(catalog, name, build, display, expected):
    assert glpi.os_product(name, build, display, catalog) == expected


@pytest.mark.parametrize("name, version, expected", [
    ("LibreOffice 24.8.4.2", "24.8.4.2", ("libreoffice", "24.8", "")),
    ("LibreOffice 7.3.7.2", "7.3.7.2", ("libreoffice", None, "version not in the catalog")),
    ("Microsoft Office Professionnel Plus 2016", "16.0.4266.1001", ("office-2016", "2016", "")),
    ("Microsoft Office LTSC Professional Plus 2021", "16.0.14332", ("office-ltsc-2021", "2021", "")),
    ("Microsoft SQL Server 2019 (64-bit)", "15.0.2000.5", ("sql-server-2019", "2019", "")),
    ("Microsoft SQL Server 2019 Setup (English)", "15.0.2000.5", (None, None, "no catalog product")),
    ("Veeam Backup & Replication", "12.1.2.172", ("veeam-backup-replication", "12", "")),
    ("Sage 100 Comptabilité", "9.00", ("sage-100", "v9", "")),
    ("Odoo", "17.0-20240101", ("odoo", "17.0", "")),
    ("Update for Microsoft Office 2016 (KB4484103) 64-Bit Edition", None, (None, None, "update or component of a product")),
    ("Microsoft 365 Apps for business - fr-fr", "16.0.17328", (None, None, "no catalog product")),
    ("Microsoft Office Famille et Petite Entreprise 2010", "14.0.7015.1000", (None, None, "no catalog product")),
])
def test_software_product(catalog, name, version, expected):
    assert glpi.software_product(glpi.Installed(name, version, None), catalog) == expected


def with_software(tmp_path: Path, entries: list[tuple[str, str]], name="soft.xml", host="pc-arg-23") -> Path:
    extra = "".join(f"<SOFTWARES><NAME>{n}</NAME><VERSION>{v}</VERSION></SOFTWARES>" for n, v in entries)
    text = XML_SAMPLE.read_text(encoding="utf-8").replace("<SOFTWARES>", extra + "<SOFTWARES>", 1)
    text = text.replace("<NAME>pc-arg-23</NAME>", f"<NAME>{host}</NAME>")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mapped_software_becomes_one_asset_per_version_running_on_its_computers(tmp_path, catalog):
    a = with_software(tmp_path, [("LibreOffice 24.8.4.2", "24.8.4.2"), ("Microsoft Office Professionnel Plus 2016", "16.0.4266.1001")], "a.xml", "pc-a")
    b = with_software(tmp_path, [("LibreOffice 24.8.3.2", "24.8.3.2"), ("LibreOffice 7.3.7.2", "7.3.7.2")], "b.xml", "pc-b")
    problems = []
    imp = glpi.import_glpi([a, b], catalog, problems)
    assert problems == []
    sw = imp.assets.loc[imp.assets["kind"] == "software"].set_index("asset_id")
    assert sw[["product_id", "version", "quantity"]].astype(object).where(sw[["product_id", "version", "quantity"]].notna(), None).to_dict("index") == {
        "sw-libreoffice": {"product_id": "libreoffice", "version": None, "quantity": 1},
        "sw-libreoffice-24.8": {"product_id": "libreoffice", "version": "24.8", "quantity": 2},
        "sw-office-2016-2016": {"product_id": "office-2016", "version": "2016", "quantity": 1}}
    links = set(imp.dependencies[["from_asset_id", "to_asset_id", "kind"]].itertuples(index=False, name=None))
    assert links == {("sw-libreoffice-24.8", "pc-a", "runs_on"), ("sw-libreoffice-24.8", "pc-b", "runs_on"),
                     ("sw-office-2016-2016", "pc-a", "runs_on"), ("sw-libreoffice", "pc-b", "runs_on")}
    # the one whose version is unknown to the catalog is imported without a version, and listed
    row = imp.unmapped.loc[imp.unmapped["software"] == "LibreOffice 7.3.7.2"]
    assert row[["asset_id", "reason"]].values.tolist() == [["pc-b", "version not in the catalog"]]


def test_tpm_and_secure_boot_when_the_inventory_reports_them(tmp_path):
    data = json.loads(JSON_SAMPLE.read_text(encoding="utf-8"))
    data["content"]["bios"]["secure_boot"] = "enabled"
    data["content"]["controllers"].append({"name": "Trusted Platform Module 2.0", "caption": "Trusted Platform Module 2.0"})
    path = tmp_path / "tpm.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    comp, _ = read(path)
    assert (comp.facts["tpm_version"], comp.facts["uefi"], comp.facts["secure_boot"]) == ("2.0", True, "enabled")
    data["content"]["bios"]["secure_boot"] = "unsupported"
    path.write_text(json.dumps(data), encoding="utf-8")
    comp, _ = read(path)
    assert (comp.facts["uefi"], comp.facts["secure_boot"]) == (True, "unsupported")  # uefi from the /boot/efi partition


def test_unknown_fields_are_ignored(tmp_path):
    data = json.loads(JSON_SAMPLE.read_text(encoding="utf-8"))
    data["content"]["hardware"]["some_future_field"] = {"nested": [1, 2]}
    data["content"]["brand_new_section"] = [{"x": 1}]
    data["content"]["memories"][0]["capacity"] = "not a number"  # unreadable: the hardware total (7800 MB) stands
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    comp, problems = read(path)
    assert problems == [] and comp.facts["ram_gb"] == 7.6 and comp.facts["cpu_cores"] == 2


# --- malformed and hostile files ----------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<REQUEST><CONTENT><HARDWARE><NAME>&lol9;</NAME></HARDWARE></CONTENT><QUERY>INVENTORY</QUERY></REQUEST>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<REQUEST><CONTENT><HARDWARE><NAME>&x;</NAME></HARDWARE></CONTENT></REQUEST>
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("name, make, needle", [
    ("truncated.json", lambda: JSON_SAMPLE.read_bytes()[:5000], r"not valid JSON .*line \d+, column \d+"),
    ("truncated.xml", lambda: XML_SAMPLE.read_bytes()[:9000], r"not well-formed XML .*line \d+, column \d+"),
    ("broken.xml", lambda: XML_SAMPLE.read_bytes().replace(b"</BIOS>", b"</BIOZ>", 1), r"mismatched tag: line \d+"),
    ("bomb.xml", lambda: BILLION_LAUGHS, r"refused: XML with a DTD"),
    ("external.xml", lambda: EXTERNAL_ENTITY, r"refused: XML with a DTD"),
    ("latin1.json", lambda: '{"content": {"hardware": {"name": "caf\xe9"}}}'.encode("latin-1"), r"not UTF-8 JSON"),
])
def test_malformed_files_are_problems_naming_the_file(tmp_path, name, make, needle):
    got, problems = read(write(tmp_path, name, make()))
    assert got is None and len(problems) == 1
    assert problems[0].file == name and re.search(needle, problems[0].message), problems[0].message


PRINTER_JSON = json.dumps({"deviceid": "printer-1", "itemtype": "Printer", "content": {
    "network_device": {"type": "Printer", "model": "LaserJet", "serial": "PRN123"}}})
NETDEVICE_JSON = json.dumps({"deviceid": "x", "content": {"network_device": {"type": "Printer", "serial": "PRN9"}}})
PRINTER_XML = ("<?xml version='1.0'?><REQUEST><CONTENT><DEVICE><INFO><TYPE>PRINTER</TYPE></INFO></DEVICE></CONTENT>"
               "<QUERY>SNMPQUERY</QUERY></REQUEST>")
PHONE_JSON = json.dumps({"deviceid": "p", "content": {"hardware": {"name": "phone"},
                                                      "operatingsystem": {"name": "Android", "full_name": "Android 14"}}})
RANDOM_BYTES = bytes(random.Random(8).randrange(256) for _ in range(4096))


@pytest.mark.parametrize("name, data, reason", [
    ("empty.json", b"", "empty file"),
    ("blank.xml", b"  \n\t ", "empty file"),
    ("junk.bin", RANDOM_BYTES, "neither a GLPI JSON nor"),
    ("nuls.json", b"{" + b"\x00" * 100, "neither a GLPI JSON nor"),
    ("notes.txt", "hello, not an inventory", "neither a GLPI JSON nor"),
    ("schema.json", '{"$schema": "x", "properties": {}}', "not a GLPI inventory"),
    ("list.json", "[1, 2, 3]", "neither a GLPI JSON nor"),
    ("printer.json", PRINTER_JSON, "inventory of a printer"),
    ("netdevice.json", NETDEVICE_JSON, "inventory of a printer"),
    ("printer.xml", PRINTER_XML, "network inventory"),
    ("phone.json", PHONE_JSON, "phone or tablet"),
    ("html.xml", "<html><body>oops</body></html>", "root element <html>"),
])
def test_files_that_are_not_computer_inventories_are_skipped(tmp_path, name, data, reason):
    got, problems = read(write(tmp_path, name, data))
    assert problems == [] and isinstance(got, glpi.Skipped) and reason in got.reason


# --- the command ---------------------------------------------------------------------------------

def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_cli_imports_a_folder_and_reports_what_it_skipped(tmp_path, capsys):
    folder = tmp_path / "inv"
    folder.mkdir()
    for p in (JSON_SAMPLE, XML_SAMPLE):
        shutil.copy(p, folder)
    write(folder, "printer.json", PRINTER_JSON)
    write(folder, "junk.xml", RANDOM_BYTES)
    code, out, _ = run(["import-glpi", str(folder), "--client", "new-one", "--data-dir", str(tmp_path / "clients")], capsys)
    assert code == 0
    assert "2 computers imported" in out
    assert ("pc-arg-23 (laptop, windows-8.1, intel CPU generation 1): Windows 11 not ready "
            "(fails: cpu; unknown: tpm_version, uefi, secure_boot)") in out
    assert "glpixps (laptop, Fedora 31 (Workstation Edition), intel CPU generation 6): Windows 11 not ready" in out
    assert re.search(r"skipped .*printer\.json: inventory of a printer", out)
    assert re.search(r"skipped .*junk\.xml: neither", out)
    assets = pd.read_csv(tmp_path / "clients" / "new-one" / "assets.csv", dtype="str")
    assert list(assets["asset_id"]) == ["glpixps", "pc-arg-23"]
    assert (tmp_path / "clients" / "new-one" / "glpi-unmapped.csv").read_text(encoding="utf-8").count("\n") == 17


def test_cli_a_malformed_file_stops_the_import_and_writes_nothing(tmp_path, capsys):
    folder = tmp_path / "inv"
    folder.mkdir()
    shutil.copy(XML_SAMPLE, folder)
    write(folder, "cut.json", JSON_SAMPLE.read_bytes()[:3000])
    write(folder, "bomb.xml", BILLION_LAUGHS)
    code, _, err = run(["import-glpi", str(folder), "--client", "acme", "--data-dir", str(tmp_path / "clients")], capsys)
    assert code == 2
    assert "2 inventory problems, nothing written" in err
    assert re.search(r"cut\.json: is not valid JSON", err) and re.search(r"bomb\.xml: is refused", err)
    assert not (tmp_path / "clients" / "acme").exists()


def test_cli_never_overwrites_without_force(tmp_path, capsys):
    args = ["import-glpi", str(XML_SAMPLE), "--client", "acme", "--data-dir", str(tmp_path)]
    assert run(args, capsys)[0] == 0
    (tmp_path / "acme" / "assets.csv").write_text("kept", encoding="utf-8")
    code, _, err = run(args, capsys)
    assert code == 2 and "already exist" in err and "--force" in err
    assert (tmp_path / "acme" / "assets.csv").read_text(encoding="utf-8") == "kept"
    assert run([*args, "--force"], capsys)[0] == 0
    assert (tmp_path / "acme" / "assets.csv").read_text(encoding="utf-8").startswith("asset_id,")
    assert [p.name for p in (tmp_path / "acme").iterdir() if p.name.startswith(".")] == []  # no temp file left


@pytest.mark.parametrize("argv, message", [
    (["import-glpi", "{missing}", "--client", "acme"], "no such file or folder"),
    (["import-glpi", "{empty}", "--client", "acme"], "no computer inventory found"),
    (["import-glpi", "{xml}", "--client", "../escape"], "not a valid client id"),
    (["import-glpi", "{xml}", "--client", "Acme"], "not a valid client id"),
])
def test_cli_bad_input_exits_2(tmp_path, capsys, argv, message):
    write(tmp_path, "empty.json", b"")
    subs = {"{missing}": str(tmp_path / "nope.json"), "{empty}": str(tmp_path / "empty.json"), "{xml}": str(XML_SAMPLE)}
    code, _, err = run([subs.get(a, a) for a in argv] + ["--data-dir", str(tmp_path / "c")], capsys)
    assert code == 2 and message in err
    assert not (tmp_path / "c").exists()


# --- Windows 11 readiness flows into the review --------------------------------------------------

WIN11_SCENARIO = """title: Windows 11 on the imported machines
exclude: [C1]
add:
  - {id: W11, title: Windows 11, action: upgrade, product_id: windows-11, version: 25H2, from_product_id: windows-8.1,
     assets: [glpixps, pc-arg-23, pc-new, pc-tpm], go_live: 2027-03-01, rollout: phased, seats: 4}
"""


def test_imported_inventory_flows_into_the_windows_11_warnings(tmp_path, capsys):
    client = tmp_path / "clients" / "clean"
    shutil.copytree(FIXTURES / "clean", client)
    inv = tmp_path / "inv"
    inv.mkdir()
    shutil.copy(JSON_SAMPLE, inv)
    shutil.copy(XML_SAMPLE, inv)
    modern = json.loads(JSON_SAMPLE.read_text(encoding="utf-8"))  # a 10th-generation laptop, Secure Boot on, TPM not said
    modern["content"]["hardware"]["name"] = "pc-new"
    modern["content"]["cpus"][0]["name"] = "Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz"
    modern["content"]["bios"]["secure_boot"] = "enabled"
    write(inv, "new.json", json.dumps(modern))
    modern["content"]["hardware"]["name"] = "pc-tpm"  # the same, with its TPM 2.0 listed among the devices
    modern["content"]["controllers"].append({"name": "Module de plateforme sécurisée 2.0"})
    write(inv, "tpm.json", json.dumps(modern))
    assert run(["import-glpi", str(inv), "--client", "clean", "--data-dir", str(tmp_path / "clients"), "--force"], capsys)[0] == 0
    (client / "usage.csv").write_text("department_id,asset_id,role,users,intensity,hours_per_week,features,notes\n"
                                      "OPS,pc-arg-23,end_user,1,daily,,,\nOPS,glpixps,end_user,1,daily,,,\n", encoding="utf-8")
    (client / "scenarios" / "win11.yaml").write_text(WIN11_SCENARIO, encoding="utf-8")

    c = load_client(client)
    found = {f.id: f for f in assess(c, "win11").findings if f.rule in ("HW", "HWUNK")}
    assert sorted(found) == ["HW-W11-glpixps", "HW-W11-pc-arg-23", "HWUNK-W11-pc-new"]
    assert found["HW-W11-glpixps"].evidence["checks"] == "cpu"
    assert found["HW-W11-pc-arg-23"].evidence["checks"] == "cpu"
    assert found["HWUNK-W11-pc-new"].evidence["checks"] == "tpm_version"
    assert "pc-tpm" not in {a for f in found.values() for a in f.assets}  # every check passes: no warning


def test_two_inventories_of_one_computer_give_one_asset_the_latest(tmp_path, catalog):
    old = XML_SAMPLE.read_text(encoding="utf-8")
    new = old.replace("<LOGDATE>2017-05-15 18:38:07</LOGDATE>", "<LOGDATE>2018-01-02 10:00:00</LOGDATE>")
    new = new.replace("<MEMORY>3887</MEMORY>", "<MEMORY>7887</MEMORY>").replace("<CAPACITY>2048</CAPACITY>", "<CAPACITY>4096</CAPACITY>")
    write(tmp_path, "a-new.xml", new)
    write(tmp_path, "b-old.xml", old)
    problems = []
    imp = glpi.import_glpi([tmp_path], catalog, problems)
    assert problems == [] and list(imp.computers["asset_id"]) == ["pc-arg-23"]
    assert imp.computers.at[0, "ram_gb"] == 8.0  # from the 2018 inventory
    assert [(Path(s.source).name, s.reason) for s in imp.skipped] == [
        ("b-old.xml", f"an older inventory of the same computer as {tmp_path / 'a-new.xml'}")]


def test_system_accounts_and_short_words_do_not_blank_names(tmp_path):
    data = json.loads(JSON_SAMPLE.read_text(encoding="utf-8"))
    data["content"]["hardware"]["name"] = "cabinet-pc"
    data["content"]["local_users"] = [{"id": "2", "login": "daemon"}, {"id": "1", "login": "bin"},
                                      {"id": "1000", "login": "trasher"}]
    data["content"]["users"] = [{"login": "tom"}]
    data["content"]["softwares"] = [{"name": "Apache Tomcat", "version": "9.0"}, {"name": "Notes of tom", "version": "1"}]
    path = tmp_path / "names.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    comp, _ = read(path)
    assert comp.facts["hostname"] == "cabinet-pc"  # 'bin' is a system account, not a person
    assert [s.name for s in comp.software] == ["Apache Tomcat", "Notes of [user]"]


# --- real inventories read right (issue 15 item 5, issue 18): tables of strings real agents report ---

REAL = SAMPLES / "real"  # written for these tests from real agents' strings; see its README.md


def inventory(tmp_path: Path, name: str = "pc.json", hardware: dict | None = None, bios: dict | None = None,
              os_: dict | None = None, **sections) -> Path:
    """A GLPI Agent JSON inventory with the sections given (the rest of a Windows PC's by default)."""
    content = {"hardware": {"name": "ACME-PC-042", "memory": 8192, **(hardware or {})},
               "bios": {"smanufacturer": "Dell Inc.", "smodel": "OptiPlex 7050", **(bios or {})},
               "operatingsystem": os_ if os_ is not None else {"name": "Microsoft Windows 11 Pro",
                                                               "full_name": "Microsoft Windows 11 Pro"},
               **sections}
    return write(tmp_path, name, json.dumps({"deviceid": name, "itemtype": "Computer", "content": content}))


def imported(paths, catalog) -> tuple[glpi.Import, str]:
    problems = []
    imp = glpi.import_glpi(paths, catalog, problems)
    assert problems == []
    return imp, glpi.to_csv(imp.assets).decode()


@pytest.mark.parametrize("total, modules, expected", [
    (8192, [{"capacity": 4096}], 8.0),  # the module list lists one of two DIMMs: the total wins (issue 15: 4 GB for 8 GB)
    (7800, [{"capacity": 4096}, {"capacity": 4096}], 8.0),  # the total is what the OS can use: the modules' sum
    (16000, [], 15.6),
    (None, [{"capacity": 4096}, {"capacity": 4096}], 8.0),
    ("3980", [{"capacity": 2048}], 3.9),  # XML agents give text
    (32768, [{"capacity": 16384}, {"capacity": 16384}], 32.0),
])
def test_ram_is_the_hardware_total_when_given(tmp_path, catalog, total, modules, expected):
    path = inventory(tmp_path, hardware={"memory": total}, memories=modules)
    imp, _ = imported([path], catalog)
    assert imp.computers.at[0, "ram_gb"] == expected


@pytest.mark.parametrize("os_, bios", [
    ({"name": "13", "full_name": "13", "kernel_name": "linux", "kernel_version": "5.10.168-android12-9-27935446"},
     {"smanufacturer": "samsung", "smodel": "SM-A546B"}),  # Samsung One UI reports the Android version alone
    ({"name": "14", "full_name": "14", "kernel_name": "linux", "kernel_version": "5.15.110-g4f3b1a9c2d7e"},
     {"smanufacturer": "Google", "smodel": "Pixel 8"}),
    ({"name": "Xiaomi HyperOS", "full_name": "Xiaomi HyperOS 1.0.3"}, {"smanufacturer": "Xiaomi", "smodel": "23043RP34G"}),
    ({"name": "One UI 6.1", "full_name": "One UI 6.1"}, {"smanufacturer": "samsung", "smodel": "SM-X710"}),  # Galaxy Tab S9
    ({"name": "Android 13", "full_name": "Android 13"}, {"smanufacturer": "motorola", "smodel": "moto g54 5G"}),
    ({"name": "iPadOS", "full_name": "iPadOS 17.4.1"}, {"smanufacturer": "Apple Inc.", "smodel": "iPad13,16"}),
    ({"name": "iOS", "full_name": "iOS 17.5"}, {"smanufacturer": "Apple Inc.", "smodel": "iPhone15,4"}),
    ({"name": "iPhone OS", "full_name": "iPhone OS 16.7"}, {"smanufacturer": "Apple Inc.", "smodel": "iPhone12,1"}),
    ({}, {"smanufacturer": "samsung", "smodel": "Galaxy Tab A8"}),  # no OS section at all
], ids=lambda v: v.get("full_name") or v.get("smodel") or "none")
def test_phones_and_tablets_are_skipped_whatever_their_os_name(tmp_path, os_, bios):
    got, problems = read(inventory(tmp_path, hardware={"name": "phone"}, bios=bios, os_=os_))
    assert problems == [] and isinstance(got, glpi.Skipped) and "phone or tablet" in got.reason


@pytest.mark.parametrize("os_name, bios, kind", [
    ("Microsoft Windows 11 Professionnel", {"smanufacturer": "Microsoft Corporation", "smodel": "Surface Pro 7"}, "laptop"),
    ("Microsoft Windows 10 Pro", {"smanufacturer": "SAMSUNG ELECTRONICS CO., LTD.", "smodel": "Galaxy Book2 Pro"}, "laptop"),
    ("Ubuntu 22.04.4 LTS", {"smanufacturer": "LENOVO", "smodel": "ThinkPad X1 Carbon Gen 9"}, "laptop"),
    ("Fedora 31 (Workstation Edition)", {"smanufacturer": "Dell Inc.", "smodel": "XPS 13 9350"}, "laptop"),
    ("macOS Sonoma 14.5", {"smanufacturer": "Apple Inc.", "smodel": "MacBookPro18,3"}, "laptop"),
])
def test_computers_of_phone_makers_are_not_skipped(tmp_path, catalog, os_name, bios, kind):
    path = inventory(tmp_path, hardware={"chassis_type": "Tablet" if "Surface" in bios["smodel"] else "Laptop"}, bios=bios,
                     os_={"name": os_name, "full_name": os_name})
    imp, _ = imported([path], catalog)
    assert len(imp.computers) == 1 and imp.computers.at[0, "kind"] == kind


@pytest.mark.parametrize("host, extra, left_out", [
    ("MacBook-Pro-de-Marie", {}, "person"),  # macOS's default name
    ("PC-DE-FREDERIC", {}, "person"),
    ("iMac de Frédéric", {}, "person"),
    ("DESKTOP-JULIEN", {}, "person"),
    ("LaptopSophieMartin", {}, "person"),  # camel case
    ("jdupont-pc", {"users": [{"login": "jdupont"}]}, "person"),  # a login, not a first name
    ("pc-dpt-compta-mlefevre", {"softwares": [{"name": "x", "username": "MLefevre"}]}, "person"),
    ("5CG8221XYZ", {}, "device"),  # the HP serial number as host name
    ("PC-4C4C4544-0051-3610-8036-C4C04F4B4A32", {}, "device"),  # a UUID
    ("android-3f2a9b7c1d4e5f60", {}, "device"),  # an Android id
    ("DESKTOP-7F3K2LQ", {}, None),  # Windows' random default name: kept
    ("ACME-PC-042", {}, None),
    ("POSTE-COMPTA-03", {}, None),
    ("SRV-DC01", {}, None),
    ("CABINET-ACCUEIL", {}, None),
])
def test_host_names_naming_a_person_or_a_device_never_reach_the_files(tmp_path, catalog, host, extra, left_out):
    path = inventory(tmp_path, hardware={"name": host}, bios={"ssn": "5CG8221XYZ"}, **extra)
    imp, csv_text = imported([path], catalog)
    row = imp.computers.iloc[0]
    if left_out:
        assert row["asset_id"] == "pc-001" and pd.isna(row["hostname"]) and row["name"] == "Dell Inc. OptiPlex 7050"
        assert host.lower() not in csv_text.lower()
        for word in set(re.findall(r"[a-zé]{4,}", host.lower())) - {"desktop", "laptop", "macbook", "imac", "compta", "android"}:
            assert word not in csv_text.lower(), word  # marie, frederic, julien, sophiemartin, jdupont, mlefevre
        assert imp.notes == [next(n for n in imp.notes if n.startswith("1 host name replaced"))]
        assert host not in " ".join(imp.notes) and ("person" if left_out == "person" else "serial") in imp.notes[0]
    else:
        assert row["asset_id"] == host and row["hostname"] == host and imp.notes == []


def test_cli_prints_how_many_host_names_were_replaced_never_which(tmp_path, capsys):
    client = tmp_path / "clients" / "named"
    client.mkdir(parents=True)
    code, out, err = run(["import-glpi", str(REAL), "--client", "named", "--data-dir", str(tmp_path / "clients")], capsys)
    assert code == 0, err
    assert "note: 2 host names replaced by a neutral asset id: they named a person" in out
    assert "note: 1 host name replaced by a neutral asset id: they held a serial number" in out
    written = "".join(p.read_text(encoding="utf-8") for p in client.glob("*.csv")).lower() + out.lower() + err.lower()
    for leak in ("marie", "frederic", "sophie", "jean", "5cg8221xyz", "c02fk1abcdef", "3f2a9b7c1d4e5f60"):
        assert leak not in written, leak
    # the six phones and tablets of the folder are skipped, the four computers imported
    assert out.count("phone or tablet") == 6 and len(pd.read_csv(client / "assets.csv").query("kind != 'software'")) == 4


@pytest.mark.parametrize("reported, written", [
    ("enabled", "enabled"), ("disabled", "disabled"),  # capable, switched off: a firmware setting, not a fail
    ("unsupported", "unsupported"), ("Enabled", "enabled"), ("", ""), ("garbage", ""),
])
def test_secure_boot_is_written_in_the_firmware_vocabulary(tmp_path, catalog, reported, written):
    imp, csv_text = imported([inventory(tmp_path, bios={"secure_boot": reported})], catalog)
    row = next(r for r in __import__("csv").DictReader(csv_text.splitlines()) if r["kind"] != "software")
    assert row["secure_boot"] == written and row["secure_boot"] != "no"


@pytest.mark.parametrize("cpu, cores", [
    ("Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", 4),
    ("Intel(R) Core(TM) i7-7700 CPU @ 3.60GHz", 4),
    ("Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz", 2),
    ("Intel(R) Celeron(R) N4020 CPU @ 1.10GHz", 2),
    ("AMD Ryzen 5 2500U with Radeon Vega Mobile Gfx", 4),
    ("AMD Ryzen 7 PRO 5850U with Radeon Graphics", 8),
    ("11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", 4),
    ("Apple M1 Pro", 8),
])
def test_cpu_strings_are_kept_as_reported_blanks_collapsed(tmp_path, catalog, cpu, cores):
    imp, _ = imported([inventory(tmp_path, cpus=[{"name": cpu, "core": cores}])], catalog)
    assert imp.computers.at[0, "cpu_model"] == re.sub(r"\s+", " ", cpu) and imp.computers.at[0, "cpu_cores"] == cores


def test_json_nested_100000_levels_is_refused_within_a_cpu_second(tmp_path):
    import time

    path = write(tmp_path, "deep.json", b'{"content": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001)
    t0 = time.process_time()
    got, problems = read(path)
    assert time.process_time() - t0 < 5  # generous: measured about 0.05 s
    assert got is None and len(problems) == 1 and "nested 100,001 levels deep".replace(",", "") in problems[0].message
    assert problems[0].file == "deep.json" and f"more than the {glpi.MAX_DEPTH}" in problems[0].message


def test_xml_nested_deeper_than_the_limit_is_refused(tmp_path):
    body = "<REQUEST><CONTENT>" + "<A>" * 5000 + "x" + "</A>" * 5000 + "</CONTENT><QUERY>INVENTORY</QUERY></REQUEST>"
    got, problems = read(write(tmp_path, "deep.xml", body))
    assert got is None and "XML nested more than" in problems[0].message


def test_inventory_links_leaving_the_folder_and_devices_are_refused(tmp_path, catalog):
    folder = tmp_path / "inv"
    folder.mkdir()
    shutil.copy(JSON_SAMPLE, folder / "pc.json")
    outside = tmp_path / "outside.json"
    shutil.copy(JSON_SAMPLE, outside)
    (folder / "link.json").symlink_to(outside)
    (folder / "zero.json").symlink_to("/dev/zero")
    problems = []
    imp = glpi.import_glpi([folder], catalog, problems)
    got = {Path(p.file).name: p.message for p in problems}
    assert got == {"link.json": "is a symbolic link to a file outside the folder: refused",
                   "zero.json": "is a symbolic link to a file outside the folder: refused"}
    problems = []
    glpi.import_glpi([Path("/dev/zero")], catalog, problems)  # named on the command line: a device is refused
    assert [p.message for p in problems] == ["is not a regular file (a device, a pipe or a folder): refused"]
    assert len(imp.computers) == 1

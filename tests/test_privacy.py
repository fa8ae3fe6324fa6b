"""Personal data: keyed pseudonyms at load, keys outside the outputs, and no name or e-mail in any output."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEMO, DEMO_CLIENTS, FIXTURES, edit
from impactlib import load_client
from impactlib.io import privacy
from impactlib.errors import InvalidInput

GLPI = FIXTURES.parent / "glpi"  # the GLPI sample inventories (MIT, glpi-project/inventory_format)


def demo_identities() -> list[str]:
    """Every name and e-mail of every demo client and test fixture."""
    found = [i for c in DEMO_CLIENTS for i in privacy.staff_identities(DEMO / c / "staff.csv")]
    found += [i for f in ("tiny", "clean") for i in privacy.staff_identities(FIXTURES / f / "staff.csv")]
    return sorted(set(found))


def glpi_user_names() -> list[str]:
    """User names found in the sample GLPI inventories (JSON and XML): logins and last logged-on users."""
    import json
    import xml.etree.ElementTree as ET

    names: set[str] = set()
    for f in sorted(GLPI.glob("*.json")) if GLPI.is_dir() else []:
        content = json.loads(f.read_text(encoding="utf-8")).get("content", {})
        names |= {u[k] for u in content.get("users", []) for k in ("login", "name", "fullname") if u.get(k)}
        names |= {v for k, v in content.get("hardware", {}).items() if k in ("lastloggeduser", "userid") and v}
    for f in sorted(GLPI.glob("*.xml")) if GLPI.is_dir() else []:
        root = ET.parse(f).getroot()
        names |= {e.text.strip() for tag in ("USERS/LOGIN", "HARDWARE/LASTLOGGEDUSER", "USERS/NAME")
                  for e in root.iterfind(f".//{tag}") if e.text and e.text.strip()}
    # short system accounts (root, SYSTEM...) occur in any text and identify no one
    return sorted(n for n in names if len(n) >= 5 and n.lower() not in {"administrator", "administrateur", "system"})


# --- pseudonyms ----------------------------------------------------------------------------------

def test_demo_identities_are_found():
    ids = demo_identities()
    assert "Bruno Modèle" in ids and "bruno.modele@example.invalid" in ids and len(ids) > 100


def test_names_and_emails_never_kept_in_the_client(tiny):
    c = load_client(tiny)
    assert "name" not in c.staff.columns and "email" not in c.staff.columns
    text = repr(c) + c.staff.to_csv() + str(c.spec) + str(c.profile)
    assert privacy.scan_text(text, privacy.staff_identities(tiny / "staff.csv")) == []


def test_pseudonym_per_person_stable_across_runs(tiny):
    first = load_client(tiny).staff.set_index("staff_id")["pseudonym"]
    again = load_client(tiny).staff.set_index("staff_id")["pseudonym"]
    pd.testing.assert_series_equal(first, again)
    assert first.dropna().str.fullmatch(r"p-[0-9a-f]{16}").all()
    assert first.notna().tolist() == [True, True, False, True, False, False]  # S3, S5, S6: neither name nor e-mail
    assert first.dropna().is_unique


def test_pseudonym_is_the_keyed_hash_of_the_email_else_the_name(tiny, monkeypatch):
    monkeypatch.setenv("IMPACTLIB_KEY_TINY", "k" * 40)
    got = load_client(tiny).staff.set_index("staff_id")["pseudonym"]
    assert got["S1"] == privacy.pseudonym(b"k" * 40, "email:alice.fixture@example.invalid")
    edit(tiny / "staff.csv", "Alice Fixture,alice.fixture@example.invalid", "  ALICE  fixture ,")
    assert load_client(tiny).staff.set_index("staff_id")["pseudonym"]["S1"] == privacy.pseudonym(b"k" * 40, "name:alice fixture")


def test_same_person_in_two_clients_cannot_be_linked(tmp_path):
    for cid in ("tiny", "other"):
        shutil.copytree(FIXTURES / "tiny", tmp_path / cid)
    edit(tmp_path / "other" / "client.yaml", "id: tiny", "id: other")
    a = load_client(tmp_path / "tiny").staff["pseudonym"].dropna()
    b = load_client(tmp_path / "other").staff["pseudonym"].dropna()
    assert len(a) == len(b) == 3 and set(a).isdisjoint(b)


def test_key_from_the_environment_wins_and_changes_every_pseudonym(tiny, monkeypatch):
    from_file = load_client(tiny).staff["pseudonym"].dropna()
    monkeypatch.setenv("IMPACTLIB_KEY_TINY", "x" * 32)
    from_env = load_client(tiny).staff["pseudonym"].dropna()
    assert set(from_file).isdisjoint(from_env)


def test_key_file_created_once_mode_0600_outside_data_and_reports(tiny, key_dir):
    load_client(tiny)
    key = key_dir / "tiny.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == privacy.KEY_BYTES
    before = key.read_bytes()
    load_client(tiny)
    assert key.read_bytes() == before
    assert not any(p.suffix == ".key" for p in tiny.parent.rglob("*"))


def test_default_key_dir_is_the_user_config_not_the_project(monkeypatch, tmp_path):
    monkeypatch.delenv("IMPACTLIB_KEY_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert privacy.key_dir() == tmp_path / "impactlib" / "keys"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert privacy.key_dir() == Path.home() / ".config" / "impactlib" / "keys"


@pytest.mark.parametrize("setup, message", [
    (lambda d: (d / "tiny.key").write_bytes(os.urandom(32)) and os.chmod(d / "tiny.key", 0o644), "readable by others (mode 0644)"),
    (lambda d: (d / "tiny.key").write_bytes(b"short") and os.chmod(d / "tiny.key", 0o600), "holds 5 bytes"),
    (lambda d: (d / "tiny.key").mkdir(), "is not a regular file"),
])
def test_unusable_key_file_is_refused_clearly(tiny, tmp_path, monkeypatch, setup, message):
    d = tmp_path / "keys"
    d.mkdir()
    monkeypatch.setenv("IMPACTLIB_KEY_DIR", str(d))
    setup(d)
    with pytest.raises(InvalidInput) as e:
        load_client(tiny)
    assert message in str(e.value)


def test_short_key_in_environment_is_refused(tiny, monkeypatch):
    monkeypatch.setenv("IMPACTLIB_KEY_TINY", "secret")
    with pytest.raises(InvalidInput, match="IMPACTLIB_KEY_TINY: is 6 characters"):
        load_client(tiny)


def test_no_key_created_for_a_client_without_names(clean, tmp_path, monkeypatch):
    key_dir = tmp_path / "keys"
    monkeypatch.setenv("IMPACTLIB_KEY_DIR", str(key_dir))
    edit(clean / "staff.csv", "Alice Clean,alice.clean@example.invalid", ",")
    edit(clean / "staff.csv", "Bob Clean,bob.clean@example.invalid", ",")
    load_client(clean)
    assert not (key_dir / "clean.key").exists()


def test_concurrent_key_creation_keeps_one_key(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPACTLIB_KEY_DIR", str(tmp_path))
    code = "from impactlib.io import privacy; print(privacy.client_key('race').hex())"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    keys = {p.communicate()[0].strip() for p in procs}
    assert len(keys) == 1 and (tmp_path / "race.key").read_bytes().hex() in keys
    assert [p.name for p in tmp_path.iterdir()] == ["race.key"]  # no temporary file left behind


# --- the leak scan itself --------------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    "Bruno Modèle", "bruno  MODÈLE", "Bruno Mod&egrave;le", "Bruno Mod&#232;le", '{"x": "Bruno Mod\\u00e8le"}',
    "BRUNO.MODELE@EXAMPLE.INVALID", "bruno.modele&#64;example.invalid",
])
def test_scan_finds_a_name_however_it_is_encoded(tmp_path, content):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "out.html").write_text(f"<p>{content}</p>", encoding="utf-8")
    assert [leak.path.name for leak in privacy.scan_outputs(tmp_path, ["Bruno Modèle", "bruno.modele@example.invalid"])] == ["out.html"]


def test_scan_reads_xlsx_and_cp1252_csv(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "plan.xlsx", "w") as z:
        z.writestr("xl/sharedStrings.xml", "<sst><si><t>Isabelle D&#233;mo</t></si></sst>")
    (tmp_path / "plan.csv").write_bytes("a;Julie Factice\n".encode("cp1252"))
    (tmp_path / ".status").write_text("ok", encoding="utf-8")
    leaks = privacy.scan_outputs(tmp_path, ["Isabelle Démo", "Julie Factice", "Bruno Modèle"])
    assert sorted((x.path.name, x.needle) for x in leaks) == [("plan.csv", "Julie Factice"), ("plan.xlsx", "Isabelle Démo")]


def test_scan_reads_the_text_of_a_pdf(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    import zlib

    # a one-page PDF whose text stream is compressed: the name is not in the raw bytes
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Julie Factice) Tj ET")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    pdf, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    (tmp_path / "r.pdf").write_bytes(pdf)
    assert b"Julie" not in pdf and len(pypdf.PdfReader(tmp_path / "r.pdf").pages) == 1
    assert [x.needle for x in privacy.scan_outputs(tmp_path, ["Julie Factice"])] == ["Julie Factice"]


def test_scan_of_clean_outputs_is_empty(tmp_path):
    (tmp_path / "r.html").write_text("<p>S001 Direction 12</p>", encoding="utf-8")
    assert privacy.scan_outputs(tmp_path, demo_identities()) == []


# --- end to end: the demo reports --------------------------------------------------------------------

@pytest.mark.e2e
def test_demo_reports_hold_no_name_email_or_inventory_user(tmp_path):
    """Every demo client's report (each scenario, both languages for one) through the CLI; every
    output file, the CLI's stdout and stderr scanned for every name and e-mail of the inputs."""
    out = tmp_path / "reports"
    # the PDF is printed from the HTML scanned here: one client's PDF read back is enough to check the printed text
    runs = [("report", "--all", "--xlsx"), ("report", "lex-partners", "--lang", "fr", "--pdf"),
            ("report", "acme-industrie", "--scenario", "phased"), ("compare", "acme-industrie", "baseline", "phased"),
            ("validate", "--all")]
    streams = ""
    for args in runs:
        cmd = [sys.executable, "-m", "impactlib.cli", "--data-dir", str(DEMO), *args]
        if args[0] in ("report", "compare"):
            cmd += ["--out", str(out)]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        streams += r.stdout + r.stderr
    produced = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    n = len(DEMO_CLIENTS)  # report --all: one each; + lex-partners in French, acme-industrie phased, the comparison
    assert len(produced) == n + 3, produced
    # --xlsx: findings, training plan and the technicians' device worklist of each client
    assert len(list(out.rglob("*.pdf"))) == 1 and len(list(out.rglob("*.xlsx"))) == 3 * n
    needles = demo_identities() + glpi_user_names()
    assert privacy.scan_outputs(out, needles) == []
    assert privacy.scan_text(streams, needles) == []
    assert privacy.scan_outputs(tmp_path, needles, skip=(out,)) == []  # nothing else written beside (logs, status files)


def test_glpi_inventories_have_user_names_to_look_for():
    assert {"trasher", "cvigneron"} <= set(glpi_user_names())


@pytest.mark.e2e
def test_report_of_an_imported_inventory_holds_no_user_name(clean, tmp_path):
    """The sample GLPI inventories imported into a client (import-glpi), then its report with exports:
    no user name of the inventories in any output, nor in what the commands print."""
    data = clean.parent
    cmds = [["import-glpi", str(GLPI), "--client", "clean", "--force"], ["validate", "clean"],
            ["report", "clean", "--xlsx", "--out", str(tmp_path / "out")]]
    streams = ""
    for i, args in enumerate(cmds):
        if i == 1:  # the imported computers replace the fixture's assets: usage points at them
            (clean / "usage.csv").write_text("department_id,asset_id,role,users,intensity,hours_per_week,features,notes\n"
                                             "OPS,pc-arg-23,end_user,1,daily,,,\nOPS,glpixps,end_user,1,daily,,,\n", encoding="utf-8")
        r = subprocess.run([sys.executable, "-m", "impactlib.cli", "--data-dir", str(data), *args], capture_output=True, text=True)
        assert r.returncode == 0, (args, r.stdout, r.stderr)
        streams += r.stdout + r.stderr
    assert "pc-arg-23" in (clean / "assets.csv").read_text(encoding="utf-8")  # the import did happen
    needles = glpi_user_names()
    assert privacy.scan_outputs(tmp_path / "out", needles) == []
    assert privacy.scan_text(streams, needles) == []
    assert privacy.scan_outputs(clean, needles) == []  # nor in the files the import wrote


# --- host names that name a person (issue 18) ----------------------------------------------------

def test_asset_names_naming_a_person_are_needles_of_the_scan(tmp_path):
    assets = tmp_path / "assets.csv"
    assets.write_text("asset_id,name,kind,hostname\nPC-1,Portable de Sophie,laptop,\nSRV,File server,server,srv-files\n"
                      "MBP-MARIE,MacBook,laptop,MacBook-Pro-de-Marie\n", encoding="utf-8")
    needles = privacy.asset_identities(assets)
    assert needles == ["MBP-MARIE", "MacBook-Pro-de-Marie", "Portable de Sophie", "marie", "sophie"]
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "r.html").write_text("<td>1 &times; Portable de Sophie cannot run Windows 11</td>", encoding="utf-8")
    assert [leak.needle for leak in privacy.scan_outputs(tmp_path / "out", needles)] == ["Portable de Sophie", "sophie"]
    assert privacy.inventory_host_names([GLPI / "real"]) == [
        "Galaxy-A54-de-Sophie", "MacBook-Pro-de-Marie", "PC-DE-FREDERIC", "frederic", "iPad de Marie", "iPhone de Jean",
        "jean", "marie", "sophie"]


@pytest.mark.e2e
def test_batch_with_inventories_naming_people_leaks_no_host_name(tmp_path):
    """Must-show of issue 18: inventories whose host names hold first names (MacBook-Pro-de-Marie, PC-DE-FREDERIC,
    iPad de Marie, a serial as host name) imported into a client beside the demo clients; the batch of all of
    them (reports in their language, the portfolio page), then every output file and what the commands
    printed, scanned for the host names, the first names in them, the serials, and every staff name."""
    data = tmp_path / "clients"
    for c in DEMO_CLIENTS:
        shutil.copytree(DEMO / c, data / c)
    shutil.copytree(FIXTURES / "clean", data / "clean")
    streams = ""

    def cli(*args):
        nonlocal streams
        r = subprocess.run([sys.executable, "-m", "impactlib.cli", "--data-dir", str(data), *args], capture_output=True,
                           text=True, cwd=tmp_path)
        streams += r.stdout + r.stderr
        assert r.returncode == 0, (args, r.stdout[-2000:], r.stderr[-2000:])
        return r

    imported = cli("import-glpi", str(GLPI / "real"), str(GLPI), "--client", "clean", "--force")
    assert "note: 2 host names replaced by a neutral asset id: they named a person" in imported.stdout
    assets = pd.read_csv(data / "clean" / "assets.csv")
    computers = assets.loc[assets["kind"] != "software", "asset_id"].tolist()
    assert {"pc-001", "pc-002", "pc-003", "ACCUEIL-TAB-01", "glpixps", "pc-arg-23"} == set(computers)
    (data / "clean" / "usage.csv").write_text("department_id,asset_id,role,users,intensity,hours_per_week,features,notes\n"
                                              + "".join(f"OPS,{a},end_user,1,daily,,,\n" for a in computers), encoding="utf-8")
    cli("batch", "--all", "--lang", "en", "fr", "-j", "2", "--out", str(tmp_path / "reports"))
    html = sorted(p.name for p in (tmp_path / "reports" / "clean").glob("*.html"))
    assert len(html) == 2 and len(list((tmp_path / "reports").rglob("*.html"))) >= 8, html
    needles = privacy.inventory_host_names([GLPI / "real", GLPI]) + ["5CG8221XYZ", "C02FK1ABCDEF", "6QK2JK2"]
    needles += demo_identities() + glpi_user_names()
    assert privacy.scan_outputs(tmp_path / "reports", needles) == []
    assert privacy.scan_text(streams, needles) == []
    written = tmp_path / "written"  # the files the import wrote (staff.csv beside them holds names: it is input)
    written.mkdir()
    for name in ("assets.csv", "dependencies.csv", "glpi-unmapped.csv"):
        shutil.copy(data / "clean" / name, written / name)
    assert privacy.scan_outputs(written, needles) == []
    print(f"scanned {sum(1 for p in (tmp_path / 'reports').rglob('*') if p.is_file())} output files for {len(needles)} needles")


def test_scan_leaves_out_only_the_folders_it_is_told_were_scanned(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "r.html").write_text("<p>Julie Factice</p>", encoding="utf-8")
    (tmp_path / "log.txt").write_text("julie  FACTICE", encoding="utf-8")
    assert sorted(x.path.name for x in privacy.scan_outputs(tmp_path, ["Julie Factice"])) == ["log.txt", "r.html"]
    assert [x.path.name for x in privacy.scan_outputs(tmp_path, ["Julie Factice"], skip=(tmp_path / "out",))] == ["log.txt"]

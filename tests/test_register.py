"""The register of issued reports (io/register.py, run/register.py): append-only and chained, decisions bound
to evidence (they lapse when it changes), returned sheets checked, warning letters, what changed since the
last issued report; the signatory's name stays in the client's register."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import DEMO, DEMO_CLIENTS, ROOT, edit
from impactlib import assess, load_client
from impactlib.analysis import issued
from impactlib.cli import main
from impactlib.errors import InvalidInput
from impactlib.io import privacy
from impactlib.io import register as reg
from impactlib.io.files import write_table
from impactlib.model.finding import Finding, evidence_digest
from impactlib.report.issued import since_section, validation_frames, warning_letter
from impactlib.run import register as run_reg

DAY = dt.date(2026, 11, 30)
SIGNER = "Jeanne Signataire-Témoin"


def entry(n: int) -> dict:
    return {"kind": "issue", "version": f"v{n}", "note": f"entry {n}"}


# --- the chain ---------------------------------------------------------------------------------------

def test_register_is_append_only_and_chained(tmp_path):
    for n in (1, 2, 3):
        reg.append(tmp_path, entry(n))
    entries = reg.read(tmp_path)
    assert [e["seq"] for e in entries] == [1, 2, 3]
    assert entries[0]["prev"] == reg.GENESIS and [e["prev"] for e in entries[1:]] == [e["hash"] for e in entries[:2]]
    assert all(e["hash"] == reg.entry_hash(e) for e in entries)


def _lines(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / reg.FILE).read_text(encoding="utf-8").splitlines()]


def _write(folder: Path, lines: list[dict]) -> None:
    (folder / reg.FILE).write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")


@pytest.mark.parametrize("tamper, message", [
    ("rewrite", "line 1: its content does not match its hash: this entry was rewritten"),
    ("rewrite_and_rehash", "line 2: does not chain to the entry before it"),
    ("remove", "line 1: entry number 2 where 1 was expected"),
    ("swap", "line 1: entry number 2 where 1 was expected"),
    ("garbage", "line 2: not a register entry (unreadable JSON)"),
])
def test_an_earlier_entry_cannot_be_rewritten_silently(tmp_path, tamper, message):
    for n in (1, 2, 3):
        reg.append(tmp_path, entry(n))
    lines = _lines(tmp_path)
    if tamper == "rewrite":
        lines[0]["note"] = "entry 1, rewritten"
    elif tamper == "rewrite_and_rehash":
        lines[0]["note"] = "entry 1, rewritten"
        lines[0]["hash"] = reg.entry_hash(lines[0])
    elif tamper == "remove":
        lines = lines[1:]
    elif tamper == "swap":
        lines[0], lines[1] = lines[1], lines[0]
    _write(tmp_path, lines)
    if tamper == "garbage":
        with open(tmp_path / reg.FILE, "r+", encoding="utf-8") as f:
            text = f.read().splitlines()
            text[1] = text[1][:-5]
            f.seek(0), f.truncate(), f.write("\n".join(text) + "\n")
    before = (tmp_path / reg.FILE).read_bytes()
    with pytest.raises(reg.RegisterError, match="line") as e:
        reg.read(tmp_path)
    assert message in str(e.value)
    with pytest.raises(reg.RegisterError):  # nothing is appended to a broken register
        reg.append(tmp_path, entry(4))
    assert (tmp_path / reg.FILE).read_bytes() == before


def test_an_altered_or_missing_archived_file_is_detected(tmp_path):
    f = reg.archive(tmp_path, "v1", "r.html", b"<p>report</p>")
    reg.append(tmp_path, {**entry(1), "files": [f]})
    assert reg.read(tmp_path)[0]["files"][0]["sha256"] == f["sha256"]
    path = tmp_path / "v1" / "r.html"
    assert not path.stat().st_mode & 0o222  # archived read-only
    with pytest.raises(reg.RegisterError, match="already archived"):
        reg.archive(tmp_path, "v1", "r.html", b"other")
    path.chmod(0o644)
    path.write_bytes(b"<p>edited</p>")
    with pytest.raises(reg.RegisterError, match="r.html: archived by entry 1 .* now different: the archived file was altered"):
        reg.read(tmp_path)
    path.unlink()
    with pytest.raises(reg.RegisterError, match="missing"):
        reg.read(tmp_path)


def test_history_of_a_rewritten_register_exits_2_with_the_line(tmp_path, capsys):
    root = tmp_path / "register"
    for n in (1, 2):
        reg.append(root / "acme-industrie", {**entry(n), "scenario": "baseline", "lang": "en", "date": "2026-11-30",
                                             "recipients": ["CEO"], "findings": [], "fingerprint": "f", "impactlib": "0",
                                             "catalog": "c"})
    lines = _lines(root / "acme-industrie")
    lines[0]["recipients"] = ["CFO"]
    _write(root / "acme-industrie", lines)
    assert main(["history", "acme-industrie", "--register-dir", str(root)]) == 2
    err = capsys.readouterr().err
    assert "register.jsonl, line 1" in err and "rewritten" in err and "Traceback" not in err


# --- evidence digests ----------------------------------------------------------------------------------

def test_evidence_digest_is_stable_and_follows_the_evidence():
    f = Finding("HW-C1-PC", "HW-WIN11", "blocker", 5, 4, "incompatibility", "C1", ("PC",), evidence={"units": 5, "cost": 0.1 + 0.2})
    same = Finding("HW-C1-PC", "HW-WIN11", "blocker", 5, 4, "incompatibility", "C1", ("PC",), evidence={"cost": np.float64(0.3), "units": np.int64(5)})
    more = Finding("HW-C1-PC", "HW-WIN11", "blocker", 5, 4, "incompatibility", "C1", ("PC",), evidence={"units": 40, "cost": 0.3})
    other_id = Finding("HW-C1-LAP", "HW-WIN11", "blocker", 5, 4, "incompatibility", "C1", ("PC",), evidence={"units": 5, "cost": 0.3})
    assert evidence_digest(f) == evidence_digest(same)
    assert len({evidence_digest(f), evidence_digest(more), evidence_digest(other_id)}) == 3
    assert len(evidence_digest(f)) == 16


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_digests_hold_from_one_report_date_to_the_next(cid):
    """A decision is not lapsed by the calendar alone: only evidence that follows from the report date is left out."""
    c = load_client(DEMO / cid)
    for name in sorted(c.scenarios):
        today = issued.finding_records(assess(c, name, as_of=DAY))
        for later in (DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=7)):
            moved = issued.compare_findings(today, issued.finding_records(assess(c, name, as_of=later)))
            assert moved.loc[moved["change"] == "changed", "id"].tolist() == [], (name, later)


# --- decisions bound to evidence ------------------------------------------------------------------------

@pytest.fixture
def acme(tmp_path) -> Path:
    dest = tmp_path / "clients" / "acme-industrie"
    shutil.copytree(DEMO / "acme-industrie", dest)
    return dest


def _decision(f, decision="accepted", digest=None) -> dict:
    return {"finding_id": f, "scenario": "baseline", "decision": decision, "role": "CEO", "decided_on": "2026-11-30",
            "how": "signed_sheet", "comment": None, "digest": digest}


def test_a_decision_lapses_when_its_evidence_changes(acme):
    """5 PCs accepted, now 40: the acceptance answered other evidence and no longer counts."""
    c = load_client(acme)
    an = assess(c, "baseline", as_of=DAY)
    fid = "HW-C1-PC-LOT2016"
    digest = next(r["digest"] for r in issued.finding_records(an) if r["id"] == fid)
    bound = assess(issued.bind_decisions(c, [_decision(fid, digest=digest)]), "baseline", as_of=DAY)
    sheet = bound.validation_sheet.set_index("id")
    assert sheet.at[fid, "status"] == "accepted" and sheet.at[fid, "decided_by"] == "CEO" and sheet.at[fid, "how"] == "signed_sheet"
    edit(acme / "assets.csv", "PC-LOT2016,PC bureau (lot 2016),workstation,,,35,", "PC-LOT2016,PC bureau (lot 2016),workstation,,,40,")
    c40 = load_client(acme)
    now = assess(issued.bind_decisions(c40, [_decision(fid, digest=digest)]), "baseline", as_of=DAY)
    assert now.validation_sheet.set_index("id").at[fid, "status"] == "lapsed"
    assert fid in issued.lapsed_ids(now)
    assert now.headline["decisions_pending"] == bound.headline["decisions_pending"] + 1
    since = issued.since(now, {"version": "v1", "date": "2026-11-30", "findings": issued.finding_records(an)})
    assert {("changed", fid), ("lapsed", fid)} <= set(zip(since["change"], since["id"]))


def test_a_register_decision_wins_over_the_data_folders_and_changes_the_fingerprint():
    c = load_client(DEMO / "acme-industrie")
    assert issued.bind_decisions(c, []) is c
    fid = "HW-C1-PC-CN"  # rejected in acknowledgements.csv
    bound = issued.bind_decisions(c, [_decision(fid, "accepted")])
    assert bound.fingerprint != c.fingerprint
    sheet = assess(bound, "baseline", as_of=DAY).validation_sheet.set_index("id")
    assert sheet.at[fid, "status"] == "accepted" and sheet.at[fid, "how"] == "signed_sheet"  # the scenario's decision wins
    other = issued.bind_decisions(c, [{**_decision(fid, "accepted"), "scenario": None}])  # the same key: replaced
    rows = other.acknowledgements.loc[other.acknowledgements["finding_id"] == fid]
    assert len(rows) == 1 and rows.iloc[0]["decision"] == "accepted"
    assert c.acknowledgements.loc[c.acknowledgements["finding_id"] == fid, "decision"].tolist() == ["rejected"]  # not mutated


def test_since_section_lists_what_changed_since_the_last_issued_report():
    c = load_client(DEMO / "acme-industrie")
    an = assess(c, "baseline", as_of=DAY)
    records = issued.finding_records(an)
    gone = {"id": "EOL-OLD-product", "rule": "EOL", "severity": "high", "change_id": None, "digest": "0" * 16}
    before = [gone] + [r for r in records if r["id"] != "BUD-TOTAL"]
    before = [{**r, "digest": "f" * 16} if r["id"] == "HW-C1-PC-CN" else r for r in before]
    previous = {"version": "v1", "date": "2026-10-15", "findings": before}
    changes = issued.since(an, previous)
    assert set(zip(changes["change"], changes["id"])) == {("new", "BUD-TOTAL"), ("resolved", "EOL-OLD-product"), ("changed", "HW-C1-PC-CN")}
    for lang, head in (("en", "Since the report of 15 Oct 2026"), ("fr", "Depuis le rapport du 15 oct. 2026")):
        html = since_section(an, {"previous": previous}, lang).html
        assert head in html and "BUD-TOTAL" in html and "EOL-OLD-product" in html and "v1" in html
    assert since_section(an, {}, "en").html == ""  # nothing issued before: no section
    same = since_section(an, {"previous": {**previous, "findings": records}}, "en").html
    assert "Nothing changed in the findings since that report." in same


# --- issue, record-decisions, letters (without a kernel: the issue entry written as `issue` writes it) ---

def _issue(root: Path, client_dir: Path, date: str = "2026-11-30", version: str = "v1") -> tuple[dict, Path]:
    """An issue entry of acme-industrie/baseline and its validation workbook, as `impactlib issue` writes them."""
    c = load_client(client_dir)
    an = assess(c, "baseline", as_of=dt.date.fromisoformat(date))
    folder = reg.client_folder(root, c.id)
    data = write_table(validation_frames(an, "en", version), root.parent / f"sheet-{version}.xlsx").read_bytes()
    files = [reg.archive(folder, version, "baseline.en.decisions.xlsx", data)]
    e = reg.append(folder, {"kind": "issue", "version": version, "client": c.id, "scenario": "baseline", "lang": "en", "date": date,
                            "at": date + "T09:00:00+00:00", "recipients": ["CEO"], "fingerprint": c.fingerprint, "impactlib": "t",
                            "catalog": "t", "files": files, "findings": issued.finding_records(an)})
    return e, folder / files[0]["path"]


def _fill(sheet: Path, out: Path, answers: dict[str, dict], tweak=None) -> Path:
    frame = pd.read_excel(sheet, sheet_name="decisions", dtype=object)
    for fid, values in answers.items():
        for k, v in values.items():
            frame.loc[frame["id"] == fid, k] = v
    if tweak:
        frame = tweak(frame)
    frame.to_excel(out, sheet_name="decisions", index=False)
    return out


REFUSE = {"decision": "rejected", "decided_by": SIGNER, "role": "CEO", "decided_on": "2026-12-02", "how": "signed_sheet",
          "comment": "budget is fixed"}


def test_record_decisions_writes_them_to_the_register_bound_to_the_issued_digests(tmp_path, acme):
    root = tmp_path / "register"
    e, sheet = _issue(root, acme)
    returned = _fill(sheet, tmp_path / "back.xlsx", {"BUD-TOTAL": REFUSE})
    out = run_reg.record_decisions("acme-industrie", returned, root)
    (d,) = out["decisions"]
    assert d["finding_id"] == "BUD-TOTAL" and d["decided_by"] == SIGNER and d["role"] == "CEO" and d["how"] == "signed_sheet"
    assert d["digest"] == next(f["digest"] for f in e["findings"] if f["id"] == "BUD-TOTAL")
    assert out["files"][0]["sha256"] == reg.sha256_file(returned)  # the sheet itself kept as evidence
    view = reg.kernel_view(root, "acme-industrie", "baseline", "en")
    assert view["previous"]["version"] == "v1" and view["decisions"][0]["role"] == "CEO"
    assert privacy.scan_text(json.dumps(view), [SIGNER]) == []  # the kernel gets the role, never the name
    assert privacy.signatories(root) == [SIGNER]
    with pytest.raises(reg.RegisterError, match="back.xlsx: this returned sheet was already recorded \\(entry 2"):
        run_reg.record_decisions("acme-industrie", returned, root)


def _other_client(frame):
    return frame.assign(client="lex-partners")


def _other_version(frame):
    return frame.assign(version="v7")


def _altered_digest(frame):
    frame.loc[frame["id"] == "HW-C1-PC-CN", "digest"] = "0123456789abcdef"
    return frame


def _added_row(frame):
    return pd.concat([frame, frame.iloc[[0]].assign(id="HW-C1-INVENTED")], ignore_index=True)


@pytest.mark.parametrize("tweak, answers, expected", [
    (_other_client, {}, "back.xlsx, client: a sheet of lex-partners, not of acme-industrie: refused"),
    (_other_version, {}, "back.xlsx, version: no issued version 'v7'; issued: v1"),
    (_altered_digest, {}, "column digest: '0123456789abcdef' is not the evidence digest v1 issued for HW-C1-PC-CN: the sheet was altered"),
    (_added_row, {}, "column id: 'HW-C1-INVENTED' is not a finding of v1: the sheet was altered"),
    (None, {"BUD-TOTAL": {**REFUSE, "decision": "maybe"}}, "column decision: 'maybe' is not one of"),
    (None, {"BUD-TOTAL": {**REFUSE, "decided_by": None}}, "column decided_by: is required when the decision is rejected"),
    (None, {"BUD-TOTAL": {**REFUSE, "how": "phone"}}, "column how: 'phone' is not one of signed_sheet, email, letter, meeting"),
    (None, {"BUD-TOTAL": {**REFUSE, "decided_on": "2026-11-01"}}, "column decided_on: 2026-11-01 is before v1 was issued"),
])
def test_record_decisions_refuses_a_foreign_or_altered_sheet(tmp_path, acme, tweak, answers, expected, capsys):
    root = tmp_path / "register"
    _issue(root, acme)
    sheet = _fill(root / "acme-industrie" / "v1" / "baseline.en.decisions.xlsx", tmp_path / "back.xlsx",
                  answers or {"BUD-TOTAL": REFUSE}, tweak)
    before = (root / "acme-industrie" / reg.FILE).read_bytes()
    with pytest.raises(InvalidInput) as e:
        run_reg.record_decisions("acme-industrie", sheet, root)
    assert expected in str(e.value) and "back.xlsx" in str(e.value)
    assert main(["record-decisions", "acme-industrie", str(sheet), "--register-dir", str(root)]) == 2
    err = capsys.readouterr().err
    assert "refused, nothing written" in err and expected in err and "Traceback" not in err
    assert (root / "acme-industrie" / reg.FILE).read_bytes() == before
    assert not (root / "acme-industrie" / "answers").exists()


def test_a_sheet_issued_to_one_client_is_refused_by_another_clients_register(tmp_path, acme):
    root = tmp_path / "register"
    _, sheet = _issue(root, acme)
    returned = _fill(sheet, tmp_path / "back.xlsx", {"BUD-TOTAL": REFUSE})
    reg.append(root / "lex-partners", {"kind": "issue", "version": "v1", "scenario": "baseline", "lang": "en", "date": "2026-11-30",
                                       "findings": [], "recipients": ["CEO"]})
    with pytest.raises(InvalidInput, match="a sheet of acme-industrie, not of lex-partners: refused"):
        run_reg.record_decisions("lex-partners", returned, root)


def test_warning_letter_for_a_refused_blocker(tmp_path, acme):
    root = tmp_path / "register"
    _, sheet = _issue(root, acme)
    run_reg.record_decisions("acme-industrie", _fill(sheet, tmp_path / "back.xlsx", {"BUD-TOTAL": REFUSE}), root)
    data = acme.parent
    written, e = run_reg.letters(data, "acme-industrie", "baseline", "en", root, 15, dt.date(2026, 12, 3), pdf=False)
    refused = {x.finding_id for x in written if x.state == "refused"}
    assert "BUD-TOTAL" in refused and "HW-C1-PC-CN" in refused  # the register's refusal and acknowledgements.csv's
    assert all(x.state == "refused" for x in written)  # 3 days after the issue: nothing is overdue yet
    page = next(x for x in written if x.finding_id == "BUD-TOTAL").html.read_text(encoding="utf-8")
    for text in ("Warning letter", "BUD-TOTAL", "exceeds the budget", "Raise the budget", "you declined this recommendation",
                 "CEO", "signed validation sheet", "budget is fixed", "read and acknowledged", "To the attention of: CEO"):
        assert text in page, text
    assert SIGNER not in page  # the letter names the role; the signatory's name stays in the register entry
    assert {x["finding_id"] for x in e["letters"]} == {x.finding_id for x in written}
    assert reg.read(root / "acme-industrie")[-1]["kind"] == "letter"
    again, none = run_reg.letters(data, "acme-industrie", "baseline", "en", root, 15, dt.date(2026, 12, 3), pdf=False)
    assert again == [] and none is None  # a letter is written once per finding, evidence and state


def test_warning_letter_for_a_blocker_left_unanswered_after_the_delay(tmp_path, acme):
    root = tmp_path / "register"
    _issue(root, acme)
    data = acme.parent
    early, _ = run_reg.letters(data, "acme-industrie", "baseline", "fr", root, 15, dt.date(2026, 12, 14), pdf=False)
    assert all(x.state == "refused" for x in early)
    late, _ = run_reg.letters(data, "acme-industrie", "baseline", "fr", root, 15, dt.date(2026, 12, 15), pdf=False)
    unanswered = {x.finding_id for x in late if x.state == "unanswered"}
    assert "BUD-TOTAL" in unanswered
    assert "EOL-SRV-ERP-windows-server-2012-r2" not in unanswered  # accepted in acknowledgements.csv
    page = next(x for x in late if x.finding_id == "BUD-TOTAL").html.read_text(encoding="utf-8")
    assert "Lettre de mise en garde" in page and "nous ne l'avons pas reçue" in page and "15 déc. 2026" in page


def test_no_letter_before_anything_was_issued(tmp_path, acme):
    with pytest.raises(Exception, match="no report of scenario 'baseline' was issued"):
        run_reg.letters(acme.parent, "acme-industrie", "baseline", "en", tmp_path / "register", 15, DAY, pdf=False)


def test_diff_between_two_issued_versions(tmp_path, acme, capsys):
    root = tmp_path / "register"
    _issue(root, acme)
    edit(acme / "assets.csv", "PC-LOT2016,PC bureau (lot 2016),workstation,,,35,", "PC-LOT2016,PC bureau (lot 2016),workstation,,,40,")
    _issue(root, acme, version="v2")
    changes = run_reg.diff(root, "acme-industrie", "v1", "2")
    assert ("changed", "HW-C1-PC-LOT2016") in set(zip(changes["change"], changes["id"]))
    assert main(["diff", "acme-industrie", "v1", "v2", "--register-dir", str(root)]) == 0
    assert "HW-C1-PC-LOT2016" in capsys.readouterr().out
    assert main(["diff", "acme-industrie", "v1", "v9", "--register-dir", str(root)]) == 2
    assert "no issued version 'v9'; issued: v1, v2" in capsys.readouterr().err


def test_issue_refuses_a_report_that_was_not_produced(tmp_path, acme, capsys):
    code = main(["--data-dir", str(acme.parent), "issue", "acme-industrie", "--recipient", "CEO", "--out", str(tmp_path / "reports"),
                 "--register-dir", str(tmp_path / "register")])
    assert code == 2
    assert "no report to issue (run: impactlib report acme-industrie" in capsys.readouterr().err
    assert not (tmp_path / "register" / "acme-industrie" / reg.FILE).exists()


# --- end to end: report, issue, answer, report again --------------------------------------------------

@pytest.mark.e2e
def test_issue_record_and_report_again_keep_the_signatory_in_the_register(tmp_path, acme):
    """The whole loop through the CLI: the second report shows "since the report of", the decision by role, and
    the signatory's name is in no report, export, notebook, status or printed line: only in the register."""
    env_root = tmp_path / "register"
    out = tmp_path / "reports"
    cli = [sys.executable, "-m", "impactlib.cli", "--data-dir", str(acme.parent)]
    import os

    env = {**os.environ, "IMPACTLIB_REGISTER": str(env_root), "PYTHONPATH": str(ROOT)}
    streams = ""

    def run(*args):
        nonlocal streams
        r = subprocess.run([*cli, *args], capture_output=True, text=True, env=env, cwd=tmp_path)
        assert r.returncode == 0, (args, r.stderr)
        streams += r.stdout + r.stderr

    run("report", "acme-industrie", "--lang", "en", "--out", str(out))
    run("issue", "acme-industrie", "--lang", "en", "--out", str(out), "--recipient", "CEO")
    sheet = env_root / "acme-industrie" / "v1" / "baseline.en.decisions.xlsx"
    run("record-decisions", "acme-industrie", str(_fill(sheet, tmp_path / "back.xlsx", {"BUD-TOTAL": REFUSE})))
    run("report", "acme-industrie", "--lang", "en", "--out", str(out), "--xlsx")
    html = (out / "acme-industrie" / "baseline.en.html").read_text(encoding="utf-8")
    assert "Since the report of 30 Nov 2026" in html or "Since the report of" in html
    assert "budget is fixed" in html
    run("issue", "acme-industrie", "--lang", "en", "--out", str(out), "--recipient", "CEO")
    run("letters", "acme-industrie", "--lang", "en", "--date", "2026-12-03")  # printed to PDF by Chromium
    assert (env_root / "acme-industrie" / "letters" / "2026-12-03.BUD-TOTAL.en.pdf").read_bytes()[:5] == b"%PDF-"
    run("history", "acme-industrie")
    names = privacy.signatories(env_root)
    assert names == [SIGNER]
    assert privacy.scan_outputs(out, names) == []
    assert privacy.scan_text(streams, names) == []
    assert privacy.scan_outputs(acme.parent, names) == []  # nothing written into data/
    found = {leak.path.relative_to(env_root).parts[1] for leak in privacy.scan_outputs(env_root, names)}
    assert found == {"register.jsonl", "answers"}  # the register entry and the returned sheet it archives

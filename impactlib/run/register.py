"""The register commands: ``issue`` (a report sent), ``history``, ``diff``, ``record-decisions`` (the sheet the
client returned) and ``letters`` (warning letters); and what a report's kernel gets from the register.

The register itself (the chained file, the archive) is :mod:`impactlib.io.register`; the comparisons are
:mod:`impactlib.analysis.issued`. Every command verifies the whole register before it reads or appends, and
writes nothing when it refuses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impactlib import __version__
from impactlib.analysis import issued as issued_
from impactlib.analysis.assess import Analysis, assess
from impactlib.errors import BadRequest, InvalidInput, Problem
from impactlib.io import register as reg
from impactlib.io.folder import load_client
from impactlib.io.files import CATALOG, write_table
from impactlib.io.load import check_name, fingerprint
from impactlib.model.client import Client
from impactlib.model.vocab import DECISIONS, LANGUAGES
from impactlib.report.issued import SHEET, SHEET_COLUMNS, validation_frames, warning_letter
from impactlib.run.exports import pdf as print_pdf
from impactlib.run.runner import recorded_headline

DEFAULT_DELAY_DAYS = 15  # days a client has to answer a blocker or high finding before a warning letter is due


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def bound_client(data_dir: Path, client_id: str, entries: list[dict]) -> Client:
    """The client as its reports see it: its data folder with the register's decisions bound (role only)."""
    client = load_client(Path(data_dir) / check_name(client_id))
    return issued_.bind_decisions(client, [reg.nameless(d) for d in reg.decisions(entries)])


def client_as_reported(data_dir: Path, client_id: str) -> Client:
    """The client as its reports see it, its register read from the register folder (files not re-hashed):
    what an export or a deck is computed from."""
    return bound_client(data_dir, client_id, reg.read(reg.client_folder(reg.register_dir(), check_name(client_id)), check_files=False))


def _scenario_lang(client: Client, scenario: str | None, lang: str | None) -> tuple[str, str]:
    scenario = scenario or client.profile.default_scenario
    lang = lang or client.profile.language
    if scenario not in client.scenarios:
        raise BadRequest(f"{client.id}: no scenario '{scenario}'; available: {', '.join(sorted(client.scenarios))}")
    if lang not in LANGUAGES:
        raise BadRequest(f"{client.id}: no language '{lang}'; available: {', '.join(LANGUAGES)}")
    return scenario, lang


def catalog_version(client: Client) -> str:
    """SHA-256 of the shipped catalog files (impactlib/catalog); the client's own catalog folder is part of its
    input fingerprint."""
    return fingerprint(sorted(p for p in CATALOG.rglob("*") if p.is_file()))


# --- issue ---------------------------------------------------------------------------------------

def issue(data_dir: Path, client_id: str, scenario: str | None, lang: str | None, recipients: list[str],
          reports: Path, root: Path) -> dict:
    """Record that the report ``<reports>/<client>/<scenario>.<lang>.html`` (and its PDF, if printed) was
    sent to the client's ``recipients`` (roles): archive it with its SHA-256, the input fingerprint, the
    report date, the impactlib and catalog versions, every finding with its evidence digest, and the
    validation workbook to return (``v<n>/<scenario>.<lang>.decisions.xlsx``). Returns the entry written.

    Refuses (BadRequest, nothing written) a report that is missing, of another client, scenario or language,
    or produced from other inputs than today's (data files or recorded decisions changed since)."""
    import nbformat  # only to read the executed notebook of the report being issued

    check_name(client_id)
    if not recipients or any(not r.strip() for r in recipients):
        raise BadRequest(f"{client_id}: name the recipients' roles (--recipient ROLE ...), e.g. --recipient CEO")
    folder = reg.client_folder(root, client_id)
    with reg.locked(folder):
        entries = reg.read(folder)
        client = bound_client(data_dir, client_id, entries)
        scenario, lang = _scenario_lang(client, scenario, lang)
        html = Path(reports) / client_id / f"{scenario}.{lang}.html"
        nb_path = html.with_suffix(".ipynb")
        if not html.is_file() or not nb_path.is_file():
            raise BadRequest(f"{html}: no report to issue (run: impactlib report {client_id} --scenario {scenario} --lang {lang})")
        nb = nbformat.read(nb_path, as_version=4)
        params = nb.metadata.get("papermill", {}).get("parameters", {})
        head = recorded_headline(nb) or {}
        wrong = [f"{k} {params.get(k)!r} (expected {v!r})" for k, v in (("client", client_id), ("scenario", scenario), ("lang", lang))
                 if params.get(k) != v]
        if wrong:
            raise BadRequest(f"{nb_path}: this report is not the one asked for: {', '.join(wrong)}")
        if head.get("fingerprint") != client.fingerprint:
            raise BadRequest(f"{html}: produced from other inputs than today's (the client's files or its recorded decisions "
                             f"changed since): run impactlib report {client_id} --scenario {scenario} --lang {lang} again, then issue")
        day = dt.date.fromisoformat(params["report_date"])
        an = assess(client, scenario, as_of=day)
        version = f"v{len(reg.issues(entries)) + 1}"
        pdf = html.with_suffix(".pdf")
        payload = [(html.name, html.read_bytes())]
        if pdf.is_file() and pdf.stat().st_mtime >= html.stat().st_mtime:
            payload.append((pdf.name, pdf.read_bytes()))
        payload.append((f"{scenario}.{lang}.decisions.xlsx", _workbook(validation_frames(an, lang, version))))
        files = [reg.archive(folder, version, name, data) for name, data in payload]  # all made before the first is archived
        entry = {"kind": "issue", "version": version, "client": client_id, "scenario": scenario, "lang": lang,
                 "date": day.isoformat(), "at": _now(), "recipients": [r.strip() for r in recipients],
                 "fingerprint": client.fingerprint, "impactlib": __version__, "catalog": catalog_version(client),
                 "files": files, "findings": issued_.finding_records(an)}
        return reg.append(folder, entry)


def _workbook(frames: dict[str, pd.DataFrame]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="impactlib-sheet-") as d:
        return write_table(frames, Path(d) / "sheet.xlsx").read_bytes()


# --- history and diff ----------------------------------------------------------------------------

def history(root: Path, client_id: str) -> list[dict]:
    """Every entry of the client's register, verified (files included)."""
    return reg.read(reg.client_folder(root, client_id))


def diff(root: Path, client_id: str, v1: str, v2: str) -> pd.DataFrame:
    """The findings new, resolved and changed (evidence digest) between two issued versions of a client."""
    entries = reg.read(reg.client_folder(root, client_id))
    return issued_.compare_findings(reg.issue(entries, v1)["findings"], reg.issue(entries, v2)["findings"])


# --- record-decisions ----------------------------------------------------------------------------

def record_decisions(client_id: str, sheet: Path, root: Path) -> dict:
    """Read the validation workbook the client returned, check it is an untouched sheet of an issued version
    of THIS client (client, version, finding ids and evidence digests as issued), check every filled row,
    then archive the returned file and append a ``decisions`` entry. Returns the entry.

    Raises InvalidInput (exit 2, every problem with file, row and column, nothing written) for a sheet of
    another client or version, a row added, removed or whose id or digest was altered, or a bad decision."""
    check_name(client_id)
    label = Path(sheet).name
    if not Path(sheet).is_file():
        raise InvalidInput([Problem(str(sheet), None, None, "no such file")], what="validation sheet")
    data = Path(sheet).read_bytes()
    frame = _read_sheet(data, label)
    folder = reg.client_folder(root, client_id)
    with reg.locked(folder):
        entries = reg.read(folder)
        digest = hashlib.sha256(data).hexdigest()
        for e in entries:
            if e["kind"] == "decisions" and any(f["sha256"] == digest for f in e["files"]):
                raise reg.RegisterError(f"{label}: this returned sheet was already recorded (entry {e['seq']}, {e['at']})")
        problems, decisions, version = check_sheet(frame, label, client_id, entries)
        if problems:
            raise InvalidInput(problems, what="validation sheet")
        if not decisions:
            raise InvalidInput([Problem(label, None, "decision", "no decision filled in: nothing to record")], what="validation sheet")
        files = [reg.archive(folder, "answers", f"{version}.{digest[:12]}.xlsx", data)]
        entry = {"kind": "decisions", "version": version, "client": client_id, "at": _now(), "source": label,
                 "files": files, "decisions": decisions}
        return reg.append(folder, entry)


def _read_sheet(data: bytes, label: str) -> pd.DataFrame:
    try:
        frames = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object)
    except Exception as e:  # noqa: BLE001 - any unreadable workbook is the user's input problem
        raise InvalidInput([Problem(label, None, None, f"not a readable XLSX workbook ({type(e).__name__})")],
                           what="validation sheet") from None
    if SHEET not in frames:
        raise InvalidInput([Problem(label, None, None, f"no sheet '{SHEET}': not a validation workbook issued by impactlib "
                                                       f"(sheets: {', '.join(frames)})")], what="validation sheet")
    frame = frames[SHEET]
    missing = [c for c in SHEET_COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidInput([Problem(label, 1, c, "column missing: the sheet was altered") for c in missing], what="validation sheet")
    return frame


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    s = str(v).strip()
    return s.lstrip("'") if s else None


def check_sheet(frame: pd.DataFrame, label: str, client_id: str, entries: list[dict]) -> tuple[list[Problem], list[dict], str | None]:
    """Problems of a returned sheet against the register (each with file, spreadsheet row and column), the
    decisions it records, and the version it belongs to."""
    problems: list[Problem] = []
    row = lambda i: int(i) + 2  # noqa: E731 - header is row 1
    clients = {_text(v) for v in frame["client"]} - {None}
    versions = {_text(v) for v in frame["version"]} - {None}
    if clients != {client_id}:
        return [Problem(label, None, "client", f"a sheet of {', '.join(sorted(clients)) or 'no client'}, not of {client_id}: refused")], [], None
    if len(versions) != 1:
        return [Problem(label, None, "version", f"one issued version expected, found {', '.join(sorted(versions)) or 'none'}")], [], None
    version = versions.pop()
    try:
        entry = reg.issue(entries, version)
    except reg.RegisterError as e:
        return [Problem(label, None, "version", str(e))], [], None
    issued = {f["id"]: f for f in entry["findings"]}
    ids = [_text(v) for v in frame["id"]]
    seen = set()
    for i, fid in zip(frame.index, ids):
        if fid is None or fid not in issued:
            problems.append(Problem(label, row(i), "id", f"{fid!r} is not a finding of {version}: the sheet was altered"))
        elif fid in seen:
            problems.append(Problem(label, row(i), "id", f"{fid} appears twice: the sheet was altered"))
        elif _text(frame.at[i, "digest"]) != issued[fid]["digest"]:
            problems.append(Problem(label, row(i), "digest", f"{_text(frame.at[i, 'digest'])!r} is not the evidence digest "
                                                             f"{version} issued for {fid}: the sheet was altered"))
        seen.add(fid)
    decisions = []
    for i, fid in zip(frame.index, ids):
        value = _text(frame.at[i, "decision"])
        if value is None:
            continue
        dec = value.lower()
        if dec not in DECISIONS:
            problems.append(Problem(label, row(i), "decision", f"{value!r} is not one of {', '.join(DECISIONS)}"))
            continue
        if dec == "pending":
            continue
        who, role, how = (_text(frame.at[i, c]) for c in ("decided_by", "role", "how"))
        for col, v in (("decided_by", who), ("role", role)):
            if v is None:
                problems.append(Problem(label, row(i), col, f"is required when the decision is {dec}"))
        if how not in issued_.HOW:
            problems.append(Problem(label, row(i), "how", f"{how!r} is not one of {', '.join(issued_.HOW)}"))
        on = frame.at[i, "decided_on"]
        try:
            day = pd.Timestamp(on).date() if _text(on) is not None else None
        except (ValueError, TypeError):
            day = None
        if day is None:
            problems.append(Problem(label, row(i), "decided_on", f"{_text(on)!r} is not a date (YYYY-MM-DD)"))
        elif day < dt.date.fromisoformat(entry["date"]):
            problems.append(Problem(label, row(i), "decided_on", f"{day} is before {version} was issued ({entry['date']})"))
        if fid in issued:
            decisions.append({"finding_id": fid, "scenario": entry["scenario"], "digest": issued[fid]["digest"], "decision": dec,
                              "decided_by": who, "role": role, "decided_on": day.isoformat() if day else None, "how": how,
                              "comment": _text(frame.at[i, "comment"])})
    return problems, decisions, version


# --- letters -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Letter:
    finding_id: str
    state: str
    html: Path
    pdf: Path | None


def letters(data_dir: Path, client_id: str, scenario: str | None, lang: str | None, root: Path, delay_days: int,
            today: dt.date, pdf: bool = True) -> tuple[list[Letter], dict | None]:
    """Write the warning letters due on ``today`` (see :func:`impactlib.analysis.issued.letters_due`) into
    the register's ``letters/`` folder, HTML and (``pdf``) PDF, and list them in one ``letter`` entry.
    A letter already in the register for the same finding, evidence and state is not written again.
    Returns the letters written and the entry (None when none was due)."""
    if delay_days < 0:
        raise BadRequest(f"--delay must be 0 or more days, got {delay_days}")
    folder = reg.client_folder(root, client_id)
    with reg.locked(folder):
        entries = reg.read(folder)
        client = bound_client(data_dir, client_id, entries)
        scenario, lang = _scenario_lang(client, scenario, lang)
        issued = [e for e in reg.issues(entries) if e["scenario"] == scenario]
        if not issued:
            raise BadRequest(f"{client_id}: no report of scenario '{scenario}' was issued: a letter follows an issued report")
        done = {(x["finding_id"], x["digest"], x["state"], x["lang"]) for e in entries if e["kind"] == "letter" for x in e["letters"]}
        an = assess(client, scenario, as_of=today)
        due = issued_.letters_due(an, issued, today, delay_days)
        pages, listed = [], []
        for r in due.to_dict("records"):
            if (r["finding_id"], r["digest"], r["state"], lang) in done:
                continue
            sent = next(e for e in issued if e["version"] == r["version"])
            page = warning_letter(an, r, lang, today, sent["recipients"], sent["fingerprint"]).encode("utf-8")
            stem = f"{today.isoformat()}.{r['finding_id']}.{lang}"
            pages.append((r, stem, page, _printed(stem, page) if pdf else None))
            listed.append({"finding_id": r["finding_id"], "severity": r["severity"], "state": r["state"], "digest": r["digest"],
                           "version": r["version"], "lang": lang, "due_on": r["due_on"].isoformat()})
        written, files = [], []
        for r, stem, page, printed in pages:  # every letter made (and printed) before the first is archived
            files.append(reg.archive(folder, "letters", f"{stem}.html", page))
            html_path = folder / files[-1]["path"]
            if printed is not None:
                files.append(reg.archive(folder, "letters", f"{stem}.pdf", printed))
            written.append(Letter(r["finding_id"], r["state"], html_path, folder / files[-1]["path"] if printed is not None else None))
        if not written:
            return [], None
        entry = {"kind": "letter", "client": client_id, "scenario": scenario, "at": _now(), "date": today.isoformat(),
                 "delay_days": delay_days, "files": files, "letters": listed}
        return written, reg.append(folder, entry)


def _printed(stem: str, page: bytes) -> bytes:
    """The PDF of one letter, printed by Chromium (:func:`impactlib.run.exports.pdf`) from a private temporary copy."""
    with tempfile.TemporaryDirectory(prefix="impactlib-letter-") as d:
        src = Path(d) / f"{stem}.html"
        src.write_bytes(page)
        return print_pdf(src).read_bytes()

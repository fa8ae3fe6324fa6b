"""What was issued to the client and what it answered, against today's findings: decisions bound to evidence,
what changed since the last issued report, the warning letters due.

Pure functions over an Analysis and plain records the shell reads from the client's register
(:mod:`impactlib.io.register`): an issued report's findings (``{id, rule, severity, change_id, digest}``)
and the client's decisions. Signatory names never come here: the shell passes the role only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from impactlib.model.finding import SEVERITIES, evidence_digest

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis
    from impactlib.model.client import Client

CHANGES = ("new", "resolved", "changed", "lapsed")  # what changed since an issued report, in the order shown
WARN = ("blocker", "high")  # findings a refusal or a silence of which calls for a warning letter
HOW = ("signed_sheet", "email", "letter", "meeting")  # how a decision reached the provider
SINCE_COLUMNS = ["id", "change", "rule", "severity", "change_id", "before", "after"]
DUE_COLUMNS = ["finding_id", "severity", "state", "digest", "version", "issued_on", "due_on", "decided_by", "decided_on", "how",
               "comment"]


def finding_records(an: Analysis) -> list[dict]:
    """Every finding of ``an`` as the register keeps it: id, rule, severity, change_id, digest (evidence digest)."""
    return [{"id": f.id, "rule": f.rule, "severity": f.severity, "change_id": f.change_id, "digest": evidence_digest(f)}
            for f in an.findings]


def bind_decisions(client: Client, decisions: list[dict]) -> Client:
    """``client`` with the decisions recorded in its register (``impactlib record-decisions``) added to its
    acknowledgements: a register decision wins over the data folder's for the same (finding, scenario) and
    brings the digest it answered and how it was given; ``decided_by`` is the signatory's role (the name
    stays in the register). With no decision the client is returned as it is; otherwise its fingerprint
    covers the decisions (a headline computed without them is not reused)."""
    if not decisions:
        return client
    rows = pd.DataFrame([{"finding_id": d["finding_id"], "scenario": d.get("scenario"), "decision": d["decision"],
                          "decided_by": d.get("role"), "decided_on": pd.Timestamp(d["decided_on"]) if d.get("decided_on") else pd.NaT,
                          "comment": d.get("comment"), "digest": d.get("digest"), "how": d.get("how")} for d in decisions])
    old = client.acknowledgements
    if "digest" not in old.columns:
        old = old.assign(digest=None, how=None)
    mine = {(d["finding_id"], d.get("scenario")) for d in decisions}
    keep = [(f, s if isinstance(s, str) else None) not in mine for f, s in zip(old["finding_id"], old["scenario"])]
    acks = pd.concat([old.loc[keep], rows], ignore_index=True)
    fp = hashlib.sha256((client.fingerprint + json.dumps(decisions, sort_keys=True, default=str)).encode()).hexdigest()
    return replace(client, acknowledgements=acks, fingerprint=fp)


def lapsed_ids(an: Analysis) -> set[str]:
    """Ids of the findings whose recorded decision answered other evidence than today's (its digest differs)."""
    sheet = an.validation_sheet
    return set(sheet.loc[sheet["status"] == "lapsed", "id"])


def compare_findings(before: list[dict], after: list[dict]) -> pd.DataFrame:
    """Findings new (only in ``after``), resolved (only in ``before``) and changed (same id, another digest)
    between two lists of finding records. Columns: SINCE_COLUMNS (before/after: the digests)."""
    old = {f["id"]: f for f in before}
    new = {f["id"]: f for f in after}
    rows = []
    for i, f in new.items():
        if i not in old:
            rows.append({**_row(f, "new"), "after": f["digest"]})
        elif old[i]["digest"] != f["digest"]:
            rows.append({**_row(f, "changed"), "before": old[i]["digest"], "after": f["digest"]})
    rows += [{**_row(f, "resolved"), "before": f["digest"]} for i, f in old.items() if i not in new]
    return _ordered(pd.DataFrame(rows, columns=SINCE_COLUMNS))


def since(an: Analysis, previous: dict) -> pd.DataFrame:
    """What changed since the issued report ``previous`` (an issue entry: its ``findings``): findings new,
    resolved, changed (evidence), and decisions lapsed (the client answered evidence that changed since).
    Columns: SINCE_COLUMNS. Empty when nothing was issued before."""
    if not previous:
        return pd.DataFrame(columns=SINCE_COLUMNS)
    out = compare_findings(previous.get("findings", []), finding_records(an))
    by_id = {f.id: f for f in an.findings}
    lapsed = [{**_row({"id": i, "rule": by_id[i].rule, "severity": by_id[i].severity, "change_id": by_id[i].change_id}, "lapsed"),
               "after": evidence_digest(by_id[i])} for i in sorted(lapsed_ids(an)) if i in by_id]
    return _ordered(pd.concat([out, pd.DataFrame(lapsed, columns=SINCE_COLUMNS)], ignore_index=True) if lapsed else out)


def letters_due(an: Analysis, issued: list[dict], today: dt.date, delay_days: int) -> pd.DataFrame:
    """The blocker and high findings that call for a warning letter on ``today``: ``refused`` (the client
    rejected the current evidence) or ``unanswered`` (issued with today's evidence digest at least
    ``delay_days`` days ago, and no decision on it since, or only one on other evidence).

    ``issued``: the client's issue entries of this scenario (version, date, findings), oldest first. A
    finding never issued with today's evidence gets no letter: the client has not been told of it yet.
    Columns: DUE_COLUMNS (decided_by is the signatory's role).
    """
    sheet = an.validation_sheet.set_index("id")
    rows = []
    for f in an.findings:
        if f.severity not in WARN:
            continue
        digest = evidence_digest(f)
        first = next((e for e in issued if any(g["id"] == f.id and g["digest"] == digest for g in e["findings"])), None)
        if first is None:
            continue
        s = sheet.loc[f.id] if f.id in sheet.index else None
        status = s["status"] if s is not None else "pending"
        issued_on = dt.date.fromisoformat(first["date"][:10])
        due = issued_on + dt.timedelta(days=delay_days)
        if status == "rejected":
            state = "refused"
        elif status in ("pending", "lapsed") and today >= due:
            state = "unanswered"
        else:
            continue
        decided = state == "refused"
        rows.append({"finding_id": f.id, "severity": f.severity, "state": state, "digest": digest, "version": first["version"],
                     "issued_on": issued_on, "due_on": due, "decided_by": s["decided_by"] if decided else None,
                     "decided_on": s["decided_on"] if decided else None, "how": s.get("how") if decided else None,
                     "comment": s["comment"] if decided else None})
    return pd.DataFrame(rows, columns=DUE_COLUMNS)


def _row(f: dict, change: str) -> dict:
    return {"id": f["id"], "change": change, "rule": f.get("rule"), "severity": f.get("severity"), "change_id": f.get("change_id"),
            "before": None, "after": None}


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame["change"].map(CHANGES.index) * 10 + frame["severity"].map(lambda s: SEVERITIES.index(s) if s in SEVERITIES else 9)
    return frame.assign(_o=order).sort_values(["_o", "id"]).drop(columns="_o").reset_index(drop=True)

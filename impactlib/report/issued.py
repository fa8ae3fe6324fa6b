"""What the register adds to the client's documents: the report's "since the report of <date>" section and
the warning letters (lettre de mise en garde), in English or French.

Figures and comparisons come from :mod:`impactlib.analysis.issued`; every client string is escaped. The
signatory's name is never passed here: a decision shows its role and how it was given.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from impactlib.analysis import issued as issued_
from impactlib.model.finding import evidence_digest
from impactlib.report.html import Fragment, finding_text, html_table
from impactlib.report.text import date, esc, t
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

SHEET = "decisions"  # the sheet of the issued validation workbook the client fills in and returns
SHEET_COLUMNS = ["client", "version", "id", "digest", "severity", "finding", "recommendation",
                 "decision", "decided_by", "role", "decided_on", "how", "comment"]
FILLED = ["decision", "decided_by", "role", "decided_on", "how", "comment"]  # the columns the client fills in
LETTER_CSS = """body{font-family:Georgia,'DejaVu Serif',serif;max-width:46em;margin:3em auto;line-height:1.45;color:#111}
h1{font-size:1.3em}h2{font-size:1.05em;margin-top:1.4em}.meta{color:#444;font-size:.9em}.sign{display:flex;gap:3em;margin-top:3em}
.sign div{flex:1;border-top:1px solid #333;padding-top:.4em;min-height:7em;font-size:.9em}.digest{color:#555;font-size:.8em;margin-top:2em}
@page{size:A4;margin:2cm}"""


def since_section(an: Analysis, issued: dict, lang: str) -> Fragment:
    """The section "since the report of <date>": findings new, resolved, with changed evidence, and
    decisions lapsed since the last report issued for this scenario and language (``issued["previous"]``,
    passed by the runner from the client's register); nothing when no report was issued before."""
    previous = (issued or {}).get("previous") or {}
    if not previous:
        return Fragment("")
    changes = issued_.since(an, previous)
    when = date(dt.date.fromisoformat(previous["date"][:10]), lang)
    head = (f'<section class="since"><h2>{esc(t("since", lang, date=when))}</h2>'
            f'<p>{esc(t("since_intro", lang, date=when, version=previous["version"]))}</p>')
    if changes.empty:
        return Fragment(f'{head}<p>{esc(t("since_none", lang))}</p></section>')
    by_id = {f.id: f for f in an.findings}
    cur = an.client.profile.currency
    rows = []
    for r in frame_rows(changes):
        title = finding_text(by_id[r.id], "title", lang, cur, an.client.catalog) if r.id in by_id else r.rule or ""
        rows.append([f"<code>{esc(r.id)}</code>", esc(t("since." + r.change, lang)),
                     esc(t("sev." + r.severity, lang)) if isinstance(r.severity, str) and r.severity else "—", esc(title)])
    return Fragment(head + html_table([t("col.ref", lang), t("col.since", lang), t("col.severity", lang), t("col.finding", lang)],
                                      rows, "since") + "</section>")


def warning_letter(an: Analysis, due: dict, lang: str, day: dt.date, recipients: list[str], fingerprint: str) -> str:
    """A formal warning letter (a whole HTML document, ready to print and sign) about one blocker or high
    finding the client refused or left unanswered: ``due`` is one row of
    :func:`impactlib.analysis.issued.letters_due`; ``recipients`` the roles the report was issued to."""
    f = next(x for x in an.findings if x.id == due["finding_id"])
    cur = an.client.profile.currency
    client = an.client.profile.name
    title = finding_text(f, "title", lang, cur, an.client.catalog)
    if due["state"] == "refused":
        on = due["decided_on"]
        decided = t("letter.refused", lang, date=date(on.date() if isinstance(on, pd.Timestamp) else on, lang) if pd.notna(on) else "—",
                    role=due["decided_by"] or "—", how=t("how." + due["how"], lang) if isinstance(due["how"], str) else "—")
        if isinstance(due["comment"], str) and due["comment"].strip():
            decided += " " + t("letter.refused_comment", lang, comment=due["comment"])
    else:
        decided = t("letter.unanswered", lang, due=date(due["due_on"], lang), today=date(day, lang))
    roles = ", ".join(recipients) if recipients else "—"
    body = [
        f'<p class="meta">{esc(date(day, lang))}</p>',
        f'<p class="meta">{esc(t("letter.to", lang, roles=roles, client=client))}</p>',
        f'<h1>{esc(t("letter.title", lang))}</h1>',
        f'<p><strong>{esc(t("letter.subject", lang, finding=title, ref=f.id))}</strong></p>',
        f'<p>{esc(t("letter.opening", lang))}</p>',
        f'<p>{esc(t("letter.informed", lang, date=date(due["issued_on"], lang), version=due["version"], fingerprint=fingerprint[:12], severity=t("sev." + f.severity, lang)))}</p>',
        f'<h2>{esc(t("letter.evidence", lang))}</h2><p>{esc(title)}</p><p>{esc(finding_text(f, "evidence", lang, cur, an.client.catalog))}</p>',
        f'<h2>{esc(t("letter.recommendation", lang))}</h2><p>{esc(finding_text(f, "advice", lang, cur, an.client.catalog))}</p>',
        f'<h2>{esc(t("letter.decision", lang))}</h2><p>{esc(decided)}</p>',
        f'<h2>{esc(t("letter.consequences", lang))}</h2><p>{esc(t("letter.consequences_text", lang))}</p>',
        f'<p>{esc(t("letter.closing", lang))}</p>',
        f'<div class="sign"><div>{esc(t("letter.provider_sign", lang))}</div><div>{esc(t("letter.client_sign", lang, client=client))}</div></div>',
        f'<p class="digest">{esc(t("letter.digest", lang, digest=due["digest"]))}</p>',
    ]
    return (f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(t("letter.title", lang))} — {esc(f.id)}</title>'
            f'<style>{LETTER_CSS}</style></head><body>{"".join(body)}</body></html>')


def validation_frames(an: Analysis, lang: str, version: str) -> dict[str, pd.DataFrame]:
    """The validation workbook of an issued version: one row per finding needing a decision, with the
    version and evidence digest it belongs to, and the columns the client fills in (decision: accepted,
    rejected or pending; decided_by: the signatory's name; role; decided_on: a date; how: signed_sheet,
    email, letter, meeting; comment)."""
    cur = an.client.profile.currency
    sheet = an.validation_sheet
    want = set(sheet.loc[sheet["kind"] == "finding", "id"])
    rows = [{"client": an.client.id, "version": version, "id": f.id, "digest": evidence_digest(f), "severity": f.severity,
             "finding": finding_text(f, "title", lang, cur, an.client.catalog), "recommendation": finding_text(f, "advice", lang, cur, an.client.catalog),
             **{c: None for c in FILLED}} for f in an.findings if f.id in want]
    return {SHEET: pd.DataFrame(rows, columns=SHEET_COLUMNS)}

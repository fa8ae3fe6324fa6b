"""The spreadsheets beside the HTML report, as frames: findings with the validation sheet, and the training plan.

Staff appear only as counts; counts of fewer than k people are shown as "<k". Writing them (formulas
neutralised, atomically) is :func:`impactlib.io.files.write_table`'s job.
"""

from __future__ import annotations

import pandas as pd

from impactlib.analysis import training
from impactlib.analysis.assess import Analysis
from impactlib.model.finding import evidence_digest
from impactlib.report.html import finding_text
from impactlib.report.text import t


def findings_frames(an: Analysis, lang: str) -> dict[str, pd.DataFrame]:
    """The client's sheets: every finding with its text, and the validation sheet to fill in."""
    cur = an.client.profile.currency
    found, drawn = an.findings, an.drawbacks
    rows = [{t("col.ref", lang): f.id, t("col.severity", lang): t("sev." + f.severity, lang),
             "likelihood": f.likelihood, "impact": f.impact, t("col.category", lang): t("cat." + f.category, lang),
             t("col.change", lang): f.change_id or "", t("col.finding", lang): finding_text(f, "title", lang, cur, an.client.catalog),
             t("evidence", lang): finding_text(f, "evidence", lang, cur, an.client.catalog), t("recommendation", lang): finding_text(f, "advice", lang, cur, an.client.catalog),
             "digest": evidence_digest(f)}  # the evidence a decision answers (impactlib issue / record-decisions)
            for f in found]
    sheet = an.validation_sheet
    by_id = {f.id: f for f in found}
    titles = dict(zip(drawn["id"], drawn["title"]))
    val = pd.DataFrame({
        t("col.ref", lang): sheet["id"],
        t("col.severity", lang): [t("sev." + s, lang) if s else "" for s in sheet["severity"]],
        t("col.finding", lang): [finding_text(by_id[i], "title", lang, cur, an.client.catalog) if k == "finding" else t("drawback_of", lang, change=titles[i])
                                 if k == "drawback" else t("status.protection_of", lang, action=t(f"prot.control.{i.removeprefix('PROT-ACT-')}", lang))
                                 for i, k in zip(sheet["id"], sheet["kind"])],
        t("col.status", lang): [t("status." + s, lang) for s in sheet["status"]],
        t("col.by", lang): sheet["decided_by"], t("col.on", lang): sheet["decided_on"], t("col.comment", lang): sheet["comment"],
    })
    return {t("warnings", lang).split(". ", 1)[-1]: pd.DataFrame(rows), t("validation", lang): val}


def training_frames(an: Analysis, lang: str) -> dict[str, pd.DataFrame]:
    """HR's sheets: sessions per change, department and course (participants under k shown as "<k", and
    the figures they follow from as "—"), and the provider's trainer-hours per month."""
    client = an.client
    k = an.assumptions.k_anonymity
    plan = an.sessions
    depts = client.departments.set_index("department_id")["name"]
    people = plan["participants"].map(lambda n: int(n) if n >= k else f"<{k}").astype(object)
    # participant hours, cost and one-to-one trainer hours are multiples of the participants: hidden with them
    small = (plan["participants"] < k).to_numpy()
    hide = lambda col, where=small: plan[col].astype(object).mask(where, "—")  # noqa: E731
    coaching = small & (plan["format"] == "coaching").to_numpy()
    sessions = pd.DataFrame({
        t("col.change", lang): plan["change_id"], t("col.department", lang): plan["department_id"].map(depts),
        "wave": plan["wave"], "course_id": plan["course_id"],
        "skill_id": plan["skill_id"], "format": plan["format"], "participants": people, t("col.sessions", lang): plan["sessions"],
        "hours": plan["hours"], t("col.participant_hours", lang): hide("participant_hours"), t("col.cost", lang): hide("cost"),
        t("col.trainer_hours", lang): hide("trainer_hours", coaching), "date": plan["date"], t("col.late", lang): plan["late"],
    })
    months = training.trainer_hours_by_month(plan)
    return {t("skills_training", lang).split(". ", 1)[-1][:31]: sessions, t("trainer_months", lang)[:31]: months}



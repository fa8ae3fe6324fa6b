"""The spreadsheets beside the HTML report, as frames: findings with the validation sheet, and the training plan.

Staff appear only as counts; counts of fewer than k people are shown as "<k". Writing them (formulas
neutralised, atomically) is :func:`impactlib.io.files.write_table`'s job.
"""

from __future__ import annotations

import pandas as pd

from impactlib.analysis import impact, skills, training
from impactlib.analysis.assess import Analysis
from impactlib.model.finding import evidence_digest
from impactlib.report import names as naming
from impactlib.report.html import finding_text
from impactlib.report.money import pooled_effort
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




def departments_frames(an: Analysis, lang: str) -> dict[str, pd.DataFrame]:
    """Every department in full, one sheet per section a big client's report groups (report/departments.py):
    the organisation, usage per system, impact per change, change load per month, people with a gap per skill,
    the levels the plan starts from, the client's effort and the key users per change. Counts of people follow
    the report's k-anonymity rules: a group under k shows "<k" (its derived figures "—"), small departments'
    effort is pooled as in the report."""
    client = an.client
    k = an.assumptions.k_anonymity
    depts = client.departments.drop_duplicates("department_id").set_index("department_id")
    name = lambda ids: ids.map(depts["name"]).fillna(ids.where(ids != skills.COMPANY, t("shared_departments", lang)))  # noqa: E731
    used = client.usage.loc[client.usage["users"] > 0]
    org = depts.reset_index().sort_values("headcount", ascending=False, kind="stable")
    organisation = pd.DataFrame({t("col.department", lang): org["name"], t("col.headcount", lang): org["headcount"],
                                 t("col.criticality", lang): [t(f"crit.{c}", lang) for c in org["criticality"]],
                                 t("col.systems", lang): org["department_id"].map(used.groupby("department_id")["asset_id"].nunique()).fillna(0).astype("int64")})
    u = an.usage_matrix.sort_values(["department", "users"], ascending=[True, False], kind="stable")
    usage = pd.DataFrame({t("col.department", lang): u["department"], "system": u["system"], "users": u["users"], "changed": u["changed"]})
    sc = impact.department_scores(an.department_impact).sort_values(["department", "change_id"], kind="stable")
    scores = pd.DataFrame({t("col.department", lang): sc["department"], t("col.change", lang): sc["change_id"], "score": sc["score"].round(2)})
    ld = an.change_load.sort_values(["department", "month"], kind="stable")
    load = pd.DataFrame({t("col.department", lang): ld["department"], t("col.month", lang): ld["month"], "load": ld["load"],
                         "capacity": ld["capacity"], "saturated": ld["saturated"].astype(bool), t("col.changes_n", lang): ld["changes"]})
    gs = skills.gap_summary(an.gaps, k).sort_values(["department_id", "skill_id"], kind="stable")
    skill_names = naming.skills(client.catalog, lang)
    gaps = pd.DataFrame({t("col.department", lang): name(gs["department_id"]), t("col.skill", lang): gs["skill_id"].map(skill_names).fillna(gs["skill_id"]),
                         t("col.people", lang): gs["people"].astype(object).where(gs["people"].notna(), f"<{k}"),
                         "mean_gap": gs["mean_gap"].astype("float64").round(2).astype(object).where(gs["mean_gap"].notna(), "—")})
    src = skills.source_summary(an.gaps, k)
    levels = pd.DataFrame({t("col.department", lang): name(src["department_id"]),
                           **{t(f"col.{col}", lang): src[c].astype(object).where(src[c].notna(), f"<{k}")
                              for col, c in (("people_scope", "people"), ("level_recorded", "recorded"), ("level_inferred", "inferred"),
                                             ("level_none", "none"), ("people_gap", "with_gap"))}})
    e = pooled_effort(an.effort, client.staff.groupby("department_id").size(), k) if len(an.effort) else an.effort
    effort = pd.DataFrame({t("col.department", lang): name(e["department_id"]) if len(e) else [],
                           t("col.training_hours", lang): e["training_hours"], t("col.key_user_hours", lang): e["key_user_hours"],
                           t("col.need", lang): e["need"], t("col.given", lang): e["given"]})
    ku = an.reorganisation.loc[an.reorganisation["kind"] == "key_users"]
    key_users = pd.DataFrame({t("col.change", lang): ku["change_id"], t("col.department", lang): name(ku["department_id"]),
                              "key_users": ku["count"].astype("int64"),
                              "candidates": ku["candidates"].astype(object).where(ku["rationale"] != "candidates_not_shown", f"<{k}")
                              .where(ku["candidates"].notna() | (ku["rationale"] == "candidates_not_shown"), "—"),
                              "rationale": ku["rationale"]})
    sheets = {"departments": organisation, "usage": usage, "impact": scores, "load": load, "gaps": gaps, "levels": levels,
              "effort": effort, "key_users": key_users}
    return {t(f"big.sheet.{key}", lang)[:31]: frame.reset_index(drop=True) for key, frame in sheets.items()}

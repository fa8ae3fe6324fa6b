"""Section 3 of the report (duty to advise): impact, skills and training, staffing, organisation, cost.

HTML fragments and figures with their readings; small groups (under k people) are never shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactlib.report import charts, departments
from impactlib.report import names as naming
from impactlib.analysis import impact, skills, training
from impactlib.analysis.assess import Analysis
from impactlib.model.vocab import ASPECTS
from impactlib.report.text import date, esc, money, month, number, t
from impactlib.report.html import Figure, Fragment, html_table
from impactlib.model.frames import frame_rows
from impactlib.analysis.shared import SMALL_ROWS, series_sum


def advice_intro(lang: str) -> Fragment:
    return Fragment(f'<section class="advice"><h2>{esc(t("advice", lang))}</h2><p>{esc(t("advice_intro", lang))}</p></section>')


def impact_chart(an: Analysis, lang: str) -> Figure:
    """Department × change impact heatmap with its reading (and the changes the catalog cannot rate)."""
    client = an.client
    scores = impact.department_scores(an.department_impact)
    company = impact.company_scores(scores, int(client.departments["headcount"].sum()))
    names = {c.id: c.title for c in an.changes}
    if scores.empty:
        reading = t("chart.impact.read_none", lang)
    else:
        score = scores["score"]  # the highest score, as the frame's descending sort puts it first (without it: ~0.4 ms)
        worst = (scores.iloc[charts.largest_first(score.to_numpy())[0]] if score.dtype in ("float64", "int64")
                 else scores.sort_values("score", ascending=False).iloc[0])
        top = company.idxmax()
        reading = t("chart.impact.read", lang, dept=worst["department"], score=number(worst["score"], lang, 1),
                    change=f'{worst["change_id"]} {names[worst["change_id"]]}', top=f"{top} {names[top]}",
                    company=number(company[top], lang, 1))
    notes = [t("missing_profile", lang, change=c, category=cat, action=a) for c, cat, a in impact.missing_profiles(an)]
    reading += " " + t("aspects_note", lang, aspects=", ".join(t(f"aspect.{a}", lang) for a in ASPECTS))
    scores, rows, big = departments.impact_grouped(scores, client.departments, an.scenario, lang)
    notes += [big] if big else []
    return Figure(charts.plot_impact_heatmap(scores, lang, rows), reading + ("" if not notes else " " + " ".join(notes)))


def load_chart(an: Analysis, lang: str) -> Figure:
    """Monthly change load per department against its capacity, with its reading."""
    load = an.change_load
    saturated = np.flatnonzero(load["saturated"].astype(bool).to_numpy())
    if not len(saturated):
        reading = t("chart.load.read_ok", lang)
    else:  # the most loaded against capacity, as a descending frame sort of the saturated rows puts it first (~1 ms less)
        ratio = (load["load"].to_numpy(dtype="float64") / load["capacity"].to_numpy(dtype="float64"))[saturated]
        w = load.iloc[saturated[charts.largest_first(ratio)[0]]]
        reading = t("chart.load.read", lang, n=len(saturated), dept=w["department"], month=month(w["month"].date(), lang),
                    load=number(w["load"], lang, 1), cap=number(w["capacity"], lang, 1))
    load, rows, big = departments.load_grouped(load, an.client.departments, an.scenario, lang)
    return Figure(charts.plot_change_load(load, lang, rows), f"{reading} {big}".strip())


def gaps_chart(an: Analysis, lang: str) -> Figure:
    """People with a gap per department and skill, groups under k suppressed, with its reading."""
    client = an.client
    k = an.assumptions.k_anonymity
    g = an.gaps
    ranked = departments.rank(skills.people_per_department(g, gap_only=True))
    if ranked.grouped:  # a big client: people per (department, skill) summed over the grouped departments, then hidden under k
        raw = skills.gap_summary(g, 1)
        raw = raw.assign(department_id=ranked.key(raw["department_id"])).groupby(["department_id", "skill_id"], as_index=False, sort=False)["people"].sum()
        summary = raw.assign(people=raw["people"].astype("Int64").mask(raw["people"] < k))
    else:
        summary = skills.gap_summary(g, k)
    names = departments.names(ranked, client.departments, lang)
    summary = summary.assign(department=summary["department_id"].map(names).fillna(summary["department_id"]))
    # NA = a group under k (labelled '<k'); a department with no gap on a skill has no row and stays blank
    skill_names = naming.skills(client.catalog, lang)
    summary = summary.assign(skill=summary["skill_id"].map(skill_names).fillna(summary["skill_id"]))
    grid = charts.pivot(summary.assign(people=summary["people"].astype("float64").fillna(-1)), "department", "skill", "people", "first")
    people = skills.distinct(g, "staff_id", gap_only=True)
    if people == 0:
        reading = t("chart.gaps.read_none", lang)
    else:
        top = _most_gaps(summary)
        reading = t("chart.gaps.read", lang, people=number(people, lang), skills=skills.distinct(g, "skill_id", gap_only=True),
                    skill=top["skill"] if top is not None else "—", dept=top["department"] if top is not None else "—",
                    n=number(int(top["people"]), lang) if top is not None else f"<{k}")
    rows = [names[d] for d in ranked.order()] if ranked.grouped else None
    big = departments.note(ranked, "gaps", an.scenario, lang)
    return Figure(charts.plot_skill_gaps(grid, k, lang, rows), f"{reading} {big}".strip())


def _most_gaps(summary: pd.DataFrame) -> dict | None:
    """The (department, skill) row of the gap summary with the most people (ties as a frame's descending sort leaves
    them), NA counts (under k) and the others' row left out (the reading names a department); None when there is none.
    Picked in plain Python (a dropna, a filter, a sort and an iloc: ~1 ms; tests/test_fast_sections.py compares)."""
    rows = [i for i, (dept, n) in enumerate(zip(summary["department_id"].tolist(), summary["people"].tolist()))
            if n is not pd.NA and n == n and dept != departments.OTHERS]
    if not rows:
        return None
    counts = summary["people"].to_numpy(dtype="float64")[rows]
    top = rows[charts.largest_first(counts)[0]]
    return {c: summary[c].iloc[top] for c in ("skill", "department", "people")}


def training_section(an: Analysis, lang: str) -> Fragment:
    """Where the levels the plan starts from come from (recorded / inferred / none, per department, groups
    under k suppressed), training plan totals per change and the provider's trainer-hours per month."""
    client = an.client
    cur = client.profile.currency
    k = an.assumptions.k_anonymity
    count, n = skills.level_sources(an.gaps)  # a person's level and its source are the same in every change
    if count:
        levels = esc(t("levels.read", lang, levels=number(count, lang), recorded=number(n.get("recorded", 0), lang),
                       inferred=number(n.get("inferred", 0), lang), none=number(n.get("none", 0), lang)))
        if n.get("none", 0) or n.get("inferred", 0):
            levels += " " + esc(t("levels.advice", lang))
    else:
        levels = esc(t("levels.read_empty", lang))
    ranked = departments.rank(skills.people_per_department(an.gaps))
    names = departments.names(ranked, client.departments, lang)
    if ranked.grouped:  # a big client: the departments with the most people concerned, the others counted together
        by_dept = skills.source_summary(an.gaps, k, key=ranked.key)
        by_dept = by_dept.set_index("department_id").loc[ranked.order()].reset_index()
    else:
        by_dept = skills.source_summary(an.gaps, k)
    shown = lambda v: f"&lt;{k}" if pd.isna(v) else esc(number(int(v), lang))  # noqa: E731
    drows = [[esc(names.get(r.department_id, r.department_id)), shown(r.people), shown(r.recorded), shown(r.inferred), shown(r.none),
              shown(r.with_gap)] for r in frame_rows(by_dept)]
    dtable = html_table([t("col.department", lang), t("col.people_scope", lang), t("col.level_recorded", lang),
                         t("col.level_inferred", lang), t("col.level_none", lang), t("col.people_gap", lang)], drows) if drows else ""
    note = f'<p class="note">{esc(t("levels.small", lang, k=k))}</p>' if by_dept["with_gap"].isna().any() else ""
    if ranked.grouped:
        note += f'<p class="note">{esc(departments.note(ranked, "scope", an.scenario, lang))}</p>'
    plan = an.sessions
    rows = []
    for cid, tt in change_totals(plan).items():
        rows.append([esc(cid), esc(number(tt["sessions"], lang)), esc(number(tt["participant_hours"], lang)),
                     esc(number(tt["trainer_hours"], lang)), esc(money(tt["cost"], cur, lang)), esc(number(tt["late_sessions"], lang))])
    table = html_table([t("col.change", lang), t("col.sessions", lang), t("col.participant_hours", lang), t("col.trainer_hours", lang),
                    t("col.cost", lang), t("col.late", lang)], rows)
    months = training.trainer_hours_by_month(plan)
    mrows = [[esc(month(m.month.date(), lang)), esc(number(m.trainer_hours, lang)), esc(number(m.sessions, lang))] for m in frame_rows(months)]
    mtable = html_table([t("col.month", lang), t("col.trainer_hours", lang), t("col.sessions", lang)], mrows)
    return Fragment(f'<section class="training"><h3>{esc(t("skills_training", lang))}</h3>'
                    f'<h4>{esc(t("levels.title", lang))}</h4><p>{levels}</p>{dtable}{note}{table}'
                    f'<h4>{esc(t("trainer_months", lang))}</h4>{mtable}</section>')


def change_totals(plan: pd.DataFrame) -> dict[str, dict]:
    """:func:`training.totals` of each change's sessions, by change id in the order of ``plan.groupby("change_id")``.
    A plan of at most SMALL_ROWS rows is summed in plain Python, floats by shared.series_sum (pandas' sum to the
    bit): a groupby and five sums per change cost ~1.5 ms (tests/test_fast_sections.py compares both paths)."""
    hours = ("participant_hours", "trainer_hours", "cost")
    if (len(plan) <= SMALL_ROWS and plan["change_id"].dtype == "str" and plan["sessions"].dtype == "int64"
            and plan["late"].dtype == "bool" and all(plan[c].dtype == "float64" for c in hours)):
        parts: dict = {}
        for cid, *row in zip(*(plan[c].tolist() for c in ("change_id", "sessions", *hours, "late"))):
            if cid == cid:  # an NA change: no group
                parts.setdefault(cid, []).append(row)
        out = {}
        for cid in sorted(parts):
            sessions, participant_hours, trainer_hours, cost, late = zip(*parts[cid])
            out[cid] = {"sessions": sum(sessions), "participant_hours": series_sum(participant_hours),
                        "trainer_hours": series_sum(trainer_hours), "cost": series_sum(cost),
                        "late_sessions": sum(n for n, x in zip(sessions, late) if x)}
        return out
    return {cid: training.totals(p) for cid, p in plan.groupby("change_id")}


def training_chart(an: Analysis, lang: str) -> Figure:
    client = an.client
    plan = an.sessions
    tt = training.totals(plan)
    go_lives = {c.id: pd.Timestamp(c.go_live) for c in an.changes}
    reading = t("chart.training.read", lang, sessions=number(tt["sessions"], lang), hours=number(tt["participant_hours"], lang),
                trainer=number(tt["trainer_hours"], lang), cost=money(tt["cost"], client.profile.currency, lang),
                late=number(tt["late_sessions"], lang))
    return Figure(charts.plot_training_timeline(plan, go_lives, lang), reading)


def staffing_section(an: Analysis, lang: str) -> Fragment:
    """Train / recruit / outsource per capability need, with the numbers, and the profiles to recruit."""
    client = an.client
    cur = client.profile.currency
    k = an.assumptions.k_anonymity
    advice = an.staffing_advice
    rows = []
    for r in frame_rows(advice):
        small = r.people < k  # a group this small could single someone out: neither its size, its gap nor its cost is shown
        rows.append([esc(r.change_id), esc(t(f"role.{r.role}", lang)), esc(naming.skill(r.skill_id, lang, client.catalog)), esc(f"<{k}" if small else number(r.people, lang)),
                     esc("—" if small else number(r.max_gap, lang)),
                     # months to capability follow from the gap: hidden with it
                     esc(f"{'—' if small else _num(r.months_to_capability, lang)} / {_num(r.months_available, lang)}"),
                     f"<strong>{esc(t('decision.' + r.decision, lang))}</strong>",
                     esc(t('why.' + r.rule, lang, n=an.assumptions.in_house_admin_from_staff, m=an.assumptions.in_house_app_admin_from_staff)),
                     esc("—" if small or pd.isna(r.cost) else money(r.cost, cur, lang))])
    table = html_table([t("col.change", lang), t("col.role", lang), t("col.skill", lang), t("col.people", lang), t("col.gap", lang),
                    t("col.time", lang), t("col.decision", lang), t("col.why", lang), t("col.cost", lang)], rows, "staffing")
    profiles = an.recruit_profiles
    plines = "".join(f"<li>{esc(t('recruit_line', lang, title=p.title, seniority=t('seniority.' + p.seniority, lang), skills=p.skills))}</li>"
                     for p in frame_rows(profiles))
    plist = f'<h4>{esc(t("recruit_profiles", lang))}</h4><ul>{plines}</ul>' if plines else ""
    return Fragment(f'<section class="staffing"><h3>{esc(t("staffing", lang))}</h3><p>{esc(t("staffing_intro", lang))}</p>{table}{plist}</section>')


def _num(v, lang: str) -> str:
    return "—" if v is None or pd.isna(v) else number(v, lang, 1)


def reorganisation_section(an: Analysis, lang: str) -> Fragment:
    """Key users, new roles, process owners and support model, each with its rationale (no names)."""
    client = an.client
    recs = an.reorganisation
    names = client.departments.set_index("department_id")["name"]
    products = client.catalog.products
    titles = {c.id: f"{c.id} {c.title}" for c in an.changes}
    # a big client: per change, the departments beyond the readable count as one line, after the change's others
    grouped, summaries = departments.reorganisation_grouped(recs)
    items = []
    for r in frame_rows(recs):
        line = summaries.get((r.change_id, r.kind, r.department_id))
        key = "big.reorg_others" if r.kind == "key_users" else "big.reorg_owners"
        summary = "" if not line else "<li>" + esc(t(key, lang, change=titles.get(r.change_id, r.change_id), count=number(line[1], lang),
                                                      n=number(line[0], lang))) + "</li>"
        if (r.change_id, r.kind, r.department_id) in grouped:
            items.append(summary)
            continue
        dept = (t("shared_departments", lang) if r.department_id == skills.COMPANY
                else names.get(r.department_id, r.department_id) if isinstance(r.department_id, str) else "")
        change = titles.get(r.change_id, r.change_id)
        if r.kind == "key_users":
            if r.rationale == "too_few_candidates":
                text = t("reorg.key_users_short" if r.candidates > 0 else "reorg.key_users_none", lang, department=dept, change=change, count=int(r.count),
                         candidates=int(r.candidates), criteria=naming.criteria(r.detail, lang, client.catalog))
            elif pd.isna(r.candidates):  # a department under k people: its candidates are not counted here
                text = t("reorg.key_users_hidden", lang, department=dept, change=change, count=int(r.count), criteria=naming.criteria(r.detail, lang, client.catalog))
            else:
                text = t("reorg.key_users", lang, department=dept, change=change, count=int(r.count),
                         candidates=number(int(r.candidates), lang), criteria=naming.criteria(r.detail, lang, client.catalog))
        elif r.kind == "holder":
            provider, contract = (r.detail or "|").split("|", 1)
            product = naming.product(products[r.product_id], lang) if r.product_id in products else r.product_id
            if r.subject == "vendor":
                vendor = provider if provider and provider.lower() != "generic" else t("the_vendor", lang)
                text = t("reorg.holder.vendor", lang, change=change, product=product, provider=vendor)
            else:
                text = t(f"reorg.holder.{r.subject}", lang, change=change, product=product, provider=provider, contract=contract)
        elif r.kind == "new_role":
            text = t("reorg.new_role", lang, change=change, product=naming.product(products[r.product_id], lang) if r.product_id in products else r.subject)
        elif r.kind == "process_owner":
            text = t("reorg.process_owner", lang, department=dept, change=change, degree=number(r.degree, lang))
        else:
            text = t(f"reorg.support_model.{r.subject}", lang, change=change)
        items.append(f"<li>{esc(text)}</li>{summary}")
    big = f'<p class="note">{esc(t("big.reorg_note", lang, n=departments.TOP, file=departments.workbook_name(an.scenario, lang)))}</p>' if grouped else ""
    return Fragment(f'<section class="reorg"><h3>{esc(t("reorg", lang))}</h3><p>{esc(t("reorg_intro", lang))}</p><ul>{"".join(items)}</ul>{big}</section>')


def cost_chart(an: Analysis, lang: str) -> Figure:
    """Cost waterfall with the total's range, and its reading."""
    client = an.client
    a = an.assumptions
    cur = client.profile.currency
    r = an.figures.ranges
    at = charts.by_item(r)
    # the largest item, as the frame's descending sort puts it first (a filter and a sort: ~0.7 ms)
    parts = [(item, base) for item, base in zip(r["item"].tolist(), r["base"].tolist()) if item != "total"]
    largest = parts[charts.largest_first(np.array([b for _, b in parts], dtype="float64"))[0]]
    reading = t("chart.cost.read", lang, base=money(at("total", "base"), cur, lang), p50=money(at("total", "p50"), cur, lang),
                p10=money(at("total", "p10"), cur, lang), p90=money(at("total", "p90"), cur, lang), runs=number(a.monte_carlo_runs, lang),
                seed=a.seed, item=t(f"cost.{largest[0]}", lang), amount=money(largest[1], cur, lang))
    return Figure(charts.plot_cost_waterfall(r, cur, lang, lambda v: money(v, cur, lang)), reading)


def cost_table(an: Analysis, lang: str) -> Fragment:
    client = an.client
    cur = client.profile.currency
    r = an.figures.ranges
    rows = [[esc(t(f"cost.{x.item}", lang)), esc(money(x.base, cur, lang)), esc(money(x.p10, cur, lang)), esc(money(x.p50, cur, lang)),
             esc(money(x.p90, cur, lang))] for x in frame_rows(r)]
    return Fragment(f'<section class="costs"><h3>{esc(t("costs_timeline", lang))}</h3>'
                    + html_table([t("col.item", lang), t("col.base", lang), "P10", "P50", "P90"], rows) + "</section>")


def compare(analyses: list[Analysis | dict]) -> pd.DataFrame:
    """The same metrics for each scenario of one client, side by side, one row each: an Analysis, or the
    headline a report recorded for it (:func:`impactlib.report.summary.record`; the same figures)."""
    rows = []
    for h in map(_headline, analyses):
        rows.append({"scenario": h["scenario"], "title": h["title"], "changes": h["changes"],
                     **{s: h["findings"][s] for s in ("blocker", "high", "medium", "low")},
                     # the named figures: the one-off spend (what the budget rule compares) and the total over the horizon
                     "spend": h["spend_base"], "spend_p10": h["spend_p10"], "spend_p50": h["spend_p50"], "spend_p90": h["spend_p90"],
                     "total": h["total_base"], "total_p10": h["cost_p10"], "total_p90": h["cost_p90"], "saving": h["saving"],
                     "horizon_months": h["horizon_months"], "verdict": h["verdict"],
                     "participant_hours": h["participant_hours"], "saturated": h["saturated_months"]})
    # a few scenarios whose sort keys are plain numbers: ranked by Python's sort (stable, as ranked's), not by a frame
    # sort (~1.5 ms, twice a report); tests/test_fast_sections.py compares both
    keys = [(VERDICT_RANK.get(r["verdict"]), r["blocker"], r["high"], r["total"]) for r in rows]
    if rows and all(type(x) in (int, float) and x == x and abs(x) < 2**53 for k in keys for x in k):
        return pd.DataFrame([row for _, row in sorted(zip(keys, rows), key=lambda kr: kr[0])])
    return ranked(pd.DataFrame(rows))


VERDICT_RANK = {"go": 0, "go_with_conditions": 1, "not_ready": 2}


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Scenarios ranked by risk (verdict, then blocker, then high findings), then by the total cost over the
    horizon: the order the comparison shows and its reading follows."""
    key = table.assign(_v=table["verdict"].map(VERDICT_RANK))
    return key.sort_values(["_v", "blocker", "high", "total"], kind="stable").drop(columns="_v").reset_index(drop=True)


def _headline(an: Analysis | dict) -> dict:
    return an if isinstance(an, dict) else {**an.headline, "scenario": an.scenario, "title": an.definition.title}


def comparison(analyses: list[Analysis | dict], lang: str) -> Figure:
    """Scenario comparison chart with its reading (table shown beside it by comparison_table); each scenario
    an Analysis or its recorded headline."""
    table = compare(analyses)
    cur = _headline(analyses[0])["currency"]
    best, cheap = table.iloc[0], table.sort_values("total", kind="stable").iloc[0]
    months = number(int(best["horizon_months"]), lang)
    if best["scenario"] == cheap["scenario"]:
        reading = t("cmp.read_same", lang, best=best["scenario"], verdict=t("verdict." + best["verdict"], lang),
                    b=int(best["blocker"]), h=int(best["high"]), months=months, total=money(best["total"], cur, lang))
    else:
        reading = t("cmp.read", lang, best=best["scenario"], verdict=t("verdict." + best["verdict"], lang), b=int(best["blocker"]),
                    h=int(best["high"]), months=months, cheapest=cheap["scenario"], cost=money(cheap["total"], cur, lang),
                    diff=money(best["total"] - cheap["total"], cur, lang))
    return Figure(charts.plot_scenarios(table, lang), reading)


def comparison_table(analyses: list[Analysis | dict], lang: str) -> Fragment:
    """The scenario comparison as a table: changes, blocker/high/medium findings, spend and its range, training, load
    (each scenario an Analysis or its recorded headline)."""
    cur = _headline(analyses[0])["currency"]
    table = compare(analyses)
    rows = [[esc(number(i + 1, lang)), esc(f"{r.scenario} — {r.title}"), esc(t("verdict." + r.verdict, lang)), esc(number(r.blocker, lang)),
             esc(number(r.high, lang)), esc(money(r.spend, cur, lang)), esc(money(r.total, cur, lang)),
             esc(f"{money(r.total_p10, cur, lang)} – {money(r.total_p90, cur, lang)}"), esc(money(r.saving, cur, lang)),
             esc(number(r.participant_hours, lang)), esc(number(r.saturated, lang))] for i, r in enumerate(frame_rows(table))]
    months = number(int(table["horizon_months"].iloc[0]), lang) if len(table) else ""
    return Fragment(f'<section class="comparison"><h3>{esc(t("cmp.title", lang))}</h3><p class="note">{esc(t("cmp.rank_note", lang))}</p>'
                    + html_table(["#", t("scenario", lang), t("col.verdict", lang), t("sev.blocker", lang), t("sev.high", lang),
                                  t("cmp.spend", lang), t("cmp.total", lang, months=months), "P10 – P90", t("cmp.saving", lang),
                                  t("col.participant_hours", lang), t("col.saturated", lang)], rows) + "</section>")

"""Report sections as HTML fragments: every client-supplied string escaped, every text in en or fr.

A notebook cell that ends with one of these objects displays it; nothing here prints or reads files.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from impactlib import __version__
from impactlib.analysis import overview
from impactlib.analysis.validation import DIP_BY_KIND
from impactlib.analysis.assess import Analysis
from impactlib.report import charts, departments
from impactlib.report import names as naming
from impactlib.report.html import Figure, Fragment, evidence_value, finding_text, finding_texts, html_table, running_footer
from impactlib.report.rule_text import GROUPED_ADVICE
from impactlib.report.text import date, esc, money, number, percent, t
from impactlib.model.frames import frame_rows


def cover(an: Analysis, lang: str, report_date: dt.date) -> Fragment:
    """Title page: client, scenario, date, versions, confidentiality label, input fingerprint."""
    client = an.client
    p, sc, spec, name = client.profile, an.definition, client.spec, an.scenario
    rows = [
        (t("client", lang), esc(p.name)),
        (t("scenario", lang), f"{esc(sc.title)} <code>{esc(name)}</code>"),
        (t("report_date", lang), esc(date(report_date, lang))),
        (t("spec_version", lang), f"{esc(spec.title)} — v{esc(spec.version)} ({esc(date(spec.date, lang))})"),
        (t("tool_version", lang), esc(__version__)),
        (t("fingerprint", lang), f"<code>{esc(client.fingerprint[:16])}</code>"),
    ]
    if p.provider:
        rows.insert(1, (t("provider", lang), esc(p.provider)))
    meta = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return Fragment(
        running_footer(f"{p.name} — {sc.title}", lang) +
        f'<section class="cover"><p class="label label-{esc(p.confidentiality)}">{esc(t("label." + p.confidentiality, lang))}</p>'
        f'<h1>{esc(t("report_title", lang))}</h1><p class="client-name">{esc(p.name)}</p>'
        f'<table class="meta">{meta}</table><p class="note">{esc(t("cover_note", lang))}</p></section>')


def needs(an: Analysis, lang: str) -> Fragment:
    """Section 1: objectives, constraints, means and the scenario's planned changes."""
    client = an.client
    spec, cur = client.spec, client.profile.currency
    con, means = spec.constraints, spec.means
    intro = t("needs_intro", lang, title=spec.title, version=spec.version, date=date(spec.date, lang))
    summary = f'<p class="summary">{esc(spec.summary)}</p>' if spec.summary else ""
    objectives = html_table(
        [t("col.id", lang), t("col.objective", lang), t("col.priority", lang), t("col.criterion", lang)],
        [[esc(o.id), esc(o.text), esc(t(f"prio.{o.priority}", lang)),
          esc(_criterion(o, lang)) if o.criterion else f'<em class="missing">{esc(t("no_criterion", lang))}</em>']
         for o in spec.objectives])
    ng = t("not_given", lang)
    windows = t("list.sep", lang).join(f"{', '.join(t('day.' + d, lang) for d in w.days)} {w.start}–{w.end}" for w in con.intervention_windows)
    blackouts = t("list.sep", lang).join(f"{b.name} ({date(b.start, lang)} – {date(b.end, lang)})" for b in client.profile.blackout_periods)
    items = [
        (t("c.budget", lang), money(con.budget, cur, lang) if con.budget is not None else ng),
        (t("c.training_budget", lang), money(con.training_budget, cur, lang) if con.training_budget is not None else ng),
        (t("c.go_live", lang), date(con.go_live, lang) if con.go_live else ng),
        (t("c.max_downtime", lang), t("hours", lang, n=number(con.max_downtime_hours, lang, 1 if con.max_downtime_hours % 1 else 0))
         if con.max_downtime_hours is not None else ng),
        (t("c.windows", lang), windows or ng),
        (t("c.blackouts", lang), blackouts or ng),
        (t("c.staff_hours", lang), t("hours", lang, n=number(means.staff_hours, lang)) if means.staff_hours is not None else ng),
        (t("c.test_env", lang), ng if means.test_environment is None else t("yes" if means.test_environment else "no", lang)),
    ] + [(t("c.other", lang), x) for x in con.other + means.other]
    constraints = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in items)
    products = client.catalog.products
    pname = lambda pid: naming.product(products[pid], lang) if pid in products else (pid or "")  # noqa: E731
    depts = client.departments.set_index("department_id")["name"]
    demand = an.demand
    if demand["users"].dtype == "int64":  # whole numbers: summed in plain Python for a small frame (charts.grouped, ~1.5 ms less)
        summed = charts.grouped(demand, ["change_id", "reason"], "users", "sum")
        reached = dict(zip(zip(summed["change_id"].tolist(), summed["reason"].tolist()), summed["users"].tolist()))
    else:
        summed = demand.groupby(["change_id", "reason"])["users"].sum()
        reached = dict(zip(summed.index, summed.tolist()))
    unknown = set(an.unused_systems["change_id"])

    def in_scope(cid: str) -> str:
        parts = [t(f"scope.{r}", lang, n=number(int(reached[(cid, r)]), lang))
                 for r in ("usage", "listed", "devices", "role") if (cid, r) in reached]
        return t("list.sep", lang).join(parts + ([t("scope.unknown", lang)] if cid in unknown else [])) or "—"

    change_rows = [[esc(c.id), esc(c.title), esc(t(f"action.{c.action}", lang)),
                    esc(" → ".join(x for x in (pname(c.from_product_id), f"{pname(c.product_id)} {c.version or ''}".strip()) if x)),
                    esc(departments.listed([depts.get(d, d) for d in c.departments], lang) or t("whole_company", lang)), esc(in_scope(c.id)),
                    esc(date(c.start, lang)), esc(date(c.go_live, lang)), esc(t(f"rollout.{c.rollout}", lang))]
                   for c in an.changes]
    change_table = html_table([t("col.id", lang), t("col.change", lang), t("col.action", lang), t("col.from_to", lang),
                               t("col.scope", lang), t("col.in_scope", lang), t("col.start", lang), t("col.go_live", lang),
                               t("col.rollout", lang)], change_rows) + f'<p class="note">{esc(t("scope_note", lang))}</p>'
    return Fragment(
        f'<section class="needs"><h2>{esc(t("needs", lang))}</h2><p>{esc(intro)}</p>{summary}'
        f'<h3>{esc(t("objectives", lang))}</h3>{objectives}'
        f'<h3>{esc(t("constraints", lang))}</h3><table class="kv">{constraints}</table>'
        f'<h3>{esc(t("changes", lang))}</h3>{change_table}</section>')


def _criterion(o, lang: str) -> str:
    if o.target is None:
        return o.criterion
    return f"{o.criterion} — {number(o.target, lang, 0 if float(o.target).is_integer() else 1)} {o.unit or ''}".strip()


def organisation(an: Analysis, lang: str) -> Fragment:
    """Headline tiles and the departments table (counts only: no individual appears)."""
    client = an.client
    h = an.system_overview
    tiles = "".join(f'<div class="kpi"><span class="value">{esc(number(h[k], lang))}</span>'
                    f'<span class="name">{esc(t("kpi." + k, lang))}</span></div>'
                    for k in ("staff", "departments", "devices", "servers", "software", "changes"))
    usage = client.usage
    systems: dict = {}  # the number of systems each department uses (NA: none)
    if len(usage) <= charts.SMALL_PIVOT and usage["users"].dtype in ("int64", "float64"):  # plain Python (a nunique: ~1 ms)
        for dept, asset, users in zip(usage["department_id"].tolist(), usage["asset_id"].tolist(), usage["users"].tolist()):
            if users > 0 and dept == dept and asset == asset:
                systems.setdefault(dept, set()).add(asset)
        systems = {dept: len(assets) for dept, assets in systems.items()}
    else:
        systems = usage.loc[usage["users"] > 0].groupby("department_id")["asset_id"].nunique().to_dict()
    depts = client.departments
    ranked = departments.rank(depts.set_index("department_id")["headcount"])
    if ranked.grouped:  # a big client: the largest departments, then the others as one row
        depts = depts.set_index("department_id").loc[list(ranked.shown)].reset_index()
    headcount = depts["headcount"]
    # largest first, as sort_values(ascending=False) orders them (its ties included), without the frame sort (~0.5 ms)
    by_size = (depts.take(charts.largest_first(headcount.to_numpy())) if headcount.dtype in ("int64", "float64") and not headcount.isna().any()
               else depts.sort_values("headcount", ascending=False))
    rows = [[esc(r.name), esc(number(r.headcount, lang)), esc(t(f"crit.{r.criticality}", lang)),
             esc(number(int(systems.get(r.department_id, 0)), lang))]
            for r in frame_rows(by_size)]
    if ranked.grouped:
        used = usage.loc[usage["users"] > 0]
        rest = client.departments.loc[client.departments["department_id"].isin(ranked.others)]
        crit = rest["criticality"].unique()
        rows.append([esc(departments.others_label(ranked, lang)), esc(number(int(rest["headcount"].sum()), lang)),
                     esc(t(f"crit.{crit[0]}", lang) if len(crit) == 1 else t("big.crit_mixed", lang)),
                     esc(number(int(used.loc[used["department_id"].isin(ranked.others), "asset_id"].nunique()), lang))])
    table = html_table([t("col.department", lang), t("col.headcount", lang), t("col.criticality", lang), t("col.systems", lang)],
                   rows, "departments")
    note = departments.note(ranked, "headcount", an.scenario, lang)
    return Fragment(f'<section class="overview"><h3>{esc(t("overview", lang))}</h3><div class="kpis">{tiles}</div>'
                    f'<h3>{esc(t("departments", lang))}</h3>{table}' + (f'<p class="note">{esc(note)}</p>' if note else "") + '</section>')


def os_support_chart(an: Analysis, lang: str) -> Figure:
    """Devices by operating system and support status at the first go-live, with its reading."""
    frame = an.os_support
    months = an.assumptions.eol_horizon_months
    total = int(frame["devices"].sum())
    bad = int(frame.loc[frame["status"].isin(["ended", "ending"]), "devices"].sum())
    go_live = date(overview.first_go_live(an), lang)
    routine = int(frame.loc[frame["status"] == "update_due", "devices"].sum())  # a routine update is not an end of support
    reading = (t("chart.os.read", lang, bad=number(bad, lang), total=number(total, lang),
                 share=percent(bad / total if total else 0, lang), months=months, go_live=go_live) if bad
               else t("chart.os.read_routine", lang, n=number(routine, lang), total=number(total, lang), months=months,
                      go_live=go_live) if routine
               else t("chart.os.read_ok", lang, total=number(total, lang), months=months, go_live=go_live))
    return Figure(charts.plot_os_support(frame, lang, months), reading)


def usage_chart(an: Analysis, lang: str) -> Figure:
    """Who uses which system, with the systems a change touches marked."""
    frame = an.usage_matrix
    # people and departments per system, in plain Python (a groupby with a nunique cost ~2 ms for tens of rows); the
    # most used first by the same sort of the same values in the groupby's order (ties: the same system)
    users: dict[str, int] = {}
    depts: dict[str, set] = {}
    for system, dept, n in zip(frame["system"], frame["department_id"], frame["users"]):
        if isinstance(system, str):
            users[system] = users.get(system, 0) + int(n)
            if isinstance(dept, str):
                depts.setdefault(system, set()).add(dept)
    systems = sorted(users)
    top = systems[charts.largest_first(np.array([users[x] for x in systems], dtype="int64"))[0]]
    reading = t("chart.usage.read", lang, system=top, users=number(users[top], lang), depts=len(depts.get(top, ())))
    frame, rows, last, notes = departments.usage_grouped(frame, an.client.departments, an.scenario, lang)
    return Figure(charts.plot_usage(frame, lang, rows, last), " ".join([reading, *notes]))


def timeline_chart(an: Analysis, lang: str) -> Figure:
    """Changes against blackout periods, with the clashes named."""
    frame = an.timeline
    clashes = frame.loc[(frame["kind"] == "change") & (frame["clash"] != "")]
    reading = (t("chart.timeline.read_clash", lang, n=len(clashes),
                 which=t("list.sep", lang).join(f"{r.id} → {r.clash}" for r in frame_rows(clashes)))
               if len(clashes) else t("chart.timeline.read_ok", lang))
    return Figure(charts.plot_timeline(frame, lang), reading)


def footer(an: Analysis, lang: str) -> Fragment:
    """The line closing every page of a report: tool version and input fingerprint."""
    client = an.client
    return Fragment(f'<footer class="report-footer">{esc(t("footer", lang, version=__version__, fp=client.fingerprint[:16]))}</footer>')


# --- warnings, drawbacks, validation (duty to warn) ----------------------------------------------

def warnings(an: Analysis, lang: str) -> Fragment:
    """Section 2: every finding above information level as a card, most severe first; the rest in a table.

    Findings of the same severity and rule with the same recommendation (e.g. ten servers past their end of support)
    share one card, where the first of them stands: a table of their references, titles and evidence, then the
    recommendation once (for a rule of GROUPED_ADVICE, the recommendation without its figure, which is a column). A
    card whose recommendation is word for word that of a card above refers to it instead of repeating it."""
    findings, cur, catalog = an.findings, an.client.profile.currency, an.client.catalog
    shown = [f for f in findings if f.severity != "info"]
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("blocker", "high", "medium", "low", "info")}
    summary = ", ".join(f"{n} {t('sevn.' + s, lang, n=n)}" for s, n in counts.items() if n)
    intro = t("warnings_intro", lang, n=len(findings), counts=summary) if shown else t("warnings_none", lang)
    # a big client: past TOP warnings of one rule and severity (one per department or device group), one card says how many more
    more = departments.findings_grouped(shown)
    shown = [f for f in shown if more.get(f.id, 0) >= 0]
    text = {f.id: finding_texts(f, ("title", "evidence", "advice"), lang, cur, catalog) for f in shown}
    for f in shown:  # a rule whose recommendations differ only by a figure: the recommendation without it (rule_text.py)
        if f.rule in GROUPED_ADVICE:
            text[f.id]["shared"] = GROUPED_ADVICE[f.rule]["advice"][lang == "fr"]
    # findings of one severity and rule with the same recommendation share a card, where the first of them is (the
    # findings stay most severe first); a finding followed by a big client's "more" line keeps its own card
    grouped: dict = {}
    for f in shown:
        key = f.id if f.id in more else (f.severity, f.rule, text[f.id].get("shared", text[f.id]["advice"]))
        grouped.setdefault(key, []).append(f)
    first_with: dict[str, str] = {}  # a recommendation's text -> the reference of the first card that gives it

    def advice(f, label: str, shared: bool = False) -> str:
        said = text[f.id]["shared" if shared and "shared" in text[f.id] else "advice"]
        if said in first_with:
            return f'<p><b>{esc(label)}.</b> {esc(t("same_advice_as", lang))} <code>{esc(first_with[said])}</code>.</p>'
        first_with[said] = f.id
        return f'<p><b>{esc(label)}.</b> {esc(said)}</p>'

    def head(f, ref: bool) -> str:
        # a card's first line (severity badge, reference, category) is styled by its place in the card (report.css)
        code = f" <code>{esc(f.id)}</code>" if ref else ""
        return f'<p><span>{esc(t("sev." + f.severity, lang))}</span>{code} <span>{esc(t("cat." + f.category, lang))}</span></p>'

    def card(run: list) -> str:
        f = run[0]
        if len(run) == 1:  # its severity's colour comes from the card (report.css), its title is a heading of the section
            return (f'<div class="finding sev-{f.severity}">{head(f, True)}<h3>{esc(text[f.id]["title"])}</h3>'
                    f'<p><b>{esc(t("evidence", lang))}.</b> {esc(text[f.id]["evidence"])}</p>{advice(f, t("recommendation", lang))}</div>'
                    + (f'<div class="finding sev-{f.severity} more"><p>{esc(t("big.more_findings", lang, n=number(more[f.id], lang), sev=t("sev." + f.severity, lang), file=f"{an.scenario}.{lang}.findings.xlsx"))}</p></div>'
                       if f.id in more else ""))
        # the evidence is a column, or a line under the table when it is the same for each of them; a rule whose
        # recommendations differ by a figure has that figure as a last column
        same = len({text[g.id]["evidence"] for g in run}) == 1
        figure = GROUPED_ADVICE.get(f.rule)
        rows = [[f"<code>{esc(g.id)}</code>", esc(text[g.id]["title"]), *([] if same else [esc(text[g.id]["evidence"])]),
                 *([esc(evidence_value(figure["key"], g.evidence.get(figure["key"]), lang, cur))] if figure else [])] for g in run]
        table = html_table([t("col.ref", lang), t("col.finding", lang), *([] if same else [t("evidence", lang)]),
                            *([figure["column"][lang == "fr"]] if figure else [])], rows)
        evidence = f'<p><b>{esc(t("evidence", lang))}.</b> {esc(text[f.id]["evidence"])}</p>' if same else ""
        return (f'<div class="finding sev-{f.severity}">{head(f, False)}'
                f'<h3>{esc(t("same_advice_title", lang, n=len(run), cat=t("cat." + f.category, lang)))}</h3>{table}{evidence}'
                f'{advice(f, t("same_advice_label", lang, n=len(run)), shared=True)}</div>')

    cards = "".join(card(run) for run in grouped.values())
    info = [f for f in findings if f.severity == "info"]
    info_table = (f'<h3>{esc(t("info_findings", lang))}</h3>' + html_table(
        [t("col.ref", lang), t("col.finding", lang)],
        [[f"<code>{esc(f.id)}</code>", esc(finding_text(f, "title", lang, cur, catalog))] for f in info])) if info else ""
    return Fragment(f'<section class="warnings"><h2>{esc(t("warnings", lang))}</h2><p>{esc(intro)}</p>'
                    f'<div class="findings">{cards}</div>{info_table}</section>')


def risk_chart(an: Analysis, lang: str) -> Figure:
    """Risk matrix of the findings, with its reading."""
    findings = an.findings
    top = sum(1 for f in findings if f.likelihood * f.impact >= 16)
    reading = t("chart.risk.read", lang, top=top, n=len(findings))
    return Figure(charts.plot_risk_matrix(findings, lang), reading)


def drawbacks_section(an: Analysis, lang: str) -> Fragment:
    """The drawbacks table: kind of change, downtime, users affected, productivity dip (by kind of change)
    and loss, reversibility, migration risk."""
    drawn, cur = an.drawbacks, an.client.profile.currency
    rows = []
    for r in frame_rows(drawn):
        rows.append([
            f"<code>{esc(r.id)}</code>", esc(r.title), esc(t(f"kind.{r.change_kind}", lang)),
            esc(t("unknown", lang) if r.downtime_hours != r.downtime_hours else t("hours", lang, n=number(r.downtime_hours, lang, 0 if float(r.downtime_hours).is_integer() else 1))),
            esc(t("users_depts", lang, users=number(r.users_direct, lang), depts=r.departments_direct, indirect=number(r.users_indirect, lang))),
            esc(t("dip", lang, depth=percent(r.dip_depth, lang), weeks=number(r.dip_weeks, lang, 0 if float(r.dip_weeks).is_integer() else 1))),
            esc(t("lost", lang, hours=number(r.hours_lost, lang), cost=money(r.cost_lost, cur, lang))),
            esc(t(f"level.{r.reversibility}", lang)), esc(t(f"level.{r.migration_risk}", lang)),
        ])
    table = html_table([t("col.ref", lang), t("col.change", lang), t("col.change_kind", lang), t("col.downtime", lang),
                        t("col.users", lang), t("col.dip", lang),
                    t("col.lost", lang), t("col.reversibility", lang), t("col.migration", lang)], rows, "drawbacks")
    return Fragment(f'<section class="drawbacks"><h2>{esc(t("drawbacks", lang))}</h2><p>{esc(t("drawbacks_intro", lang))}</p>{table}'
                    f'<p class="note">{esc(_dip_note(lang))}</p></section>')


def _dip_note(lang: str) -> str:
    """How the dip was chosen, with impactlib's figures for a new version and a new edition."""
    values = {}
    for kind in ("version", "edition"):
        depth, weeks = DIP_BY_KIND[kind]
        values.update({f"{kind}_depth": percent(depth, lang), f"{kind}_weeks": number(weeks, lang, 0 if float(weeks).is_integer() else 1)})
    return t("drawbacks_dip_note", lang, **values)


def validation(an: Analysis, lang: str) -> Fragment:
    """The validation sheet: decisions recorded per item, orphan decisions, and the signature block."""
    findings, drawn, cur = an.findings, an.drawbacks, an.client.profile.currency
    sheet = an.validation_sheet
    by_id = {f.id: f for f in findings}
    titles = dict(zip(drawn["id"], drawn["title"]))
    rows = []
    for r in frame_rows(sheet):
        if r.kind == "protection":  # a protection action: declining it accepts its residual risk
            control = r.id.removeprefix("PROT-ACT-")
            what = t("status.protection_of", lang, action=t(f"prot.control.{control}", lang)) + " — " + t(f"prot.residual.{control}", lang)
        else:
            what = finding_text(by_id[r.id], "title", lang, cur, an.client.catalog) if r.kind == "finding" else t("drawback_of", lang, change=titles[r.id])
        cells = (esc(r.id), esc(t("sev." + r.severity, lang)) if r.severity else "—", esc(what), esc(t("status." + r.status, lang)),
                 esc(r.decided_by) if isinstance(r.decided_by, str) else "", esc(date(r.decided_on.date(), lang)) if pd.notna(r.decided_on) else "",
                 esc(r.comment) if isinstance(r.comment, str) else "")
        # the row carries its status (report.css colours the decision cell; the reference cell is set as code), but for
        # "pending", the status of most rows, which is the table's own (~2.5 kB of a report with 100 warnings)
        status = "" if r.status == "pending" else f' class="status-{esc(r.status)}"'
        rows.append(f"<tr{status}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    decided = int((~sheet["status"].isin(["pending", "lapsed"])).sum())
    head = "".join(f"<th>{esc(t(k, lang))}</th>" for k in ("col.ref", "col.severity", "col.finding", "col.status", "col.by", "col.on", "col.comment"))
    table = f'<table class="validation"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    orphans = an.orphan_acknowledgements
    orphan_html = ""
    if len(orphans):
        orows = [[f"<code>{esc(o.finding_id)}</code>", esc(t("status." + o.decision, lang)),
                  esc(o.decided_by) if isinstance(o.decided_by, str) else "", esc(o.comment) if isinstance(o.comment, str) else ""]
                 for o in frame_rows(orphans)]
        orphan_html = (f'<h3>{esc(t("orphans", lang))}</h3><p>{esc(t("orphans_intro", lang))}</p>'
                       + html_table([t("col.ref", lang), t("col.status", lang), t("col.by", lang), t("col.comment", lang)], orows))
    return Fragment(f'<section class="validation"><h2>{esc(t("validation", lang))}</h2><p>{esc(t("validation_intro", lang))}</p>'
                    f'<p><strong>{esc(t("validation_summary", lang, decided=decided, total=len(sheet), pending=len(sheet) - decided))}</strong></p>'
                    f'{table}{orphan_html}<div class="signature"><p>{esc(t("signature", lang))}</p><div class="sign-box"></div></div></section>')

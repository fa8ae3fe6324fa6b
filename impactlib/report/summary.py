"""The executive summary (verdict, KPI tiles, top warnings, top recommendations, headline) and the flow chart.

Everything here reads the Analysis's headline (:func:`impactlib.analysis.summary.headline`), so the report, the portfolio page and the explorer agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from impactlib.analysis import campaign, training
from impactlib.report import charts, departments
from impactlib.report import names as naming
from impactlib.analysis import summary
from impactlib.analysis.assess import Analysis
from impactlib.report.text import date, esc, money, number, percent, t
from impactlib.report.html import Figure, Fragment, finding_text


def executive_summary(an: Analysis, lang: str) -> Fragment:
    """Verdict with its reasons, six KPI tiles, top 5 warnings, top 5 recommendations, one headline sentence."""
    client, findings = an.client, an.findings
    h = an.headline
    cur = client.profile.currency
    budget = h["budget"]
    banner, tiles_html = _banner(h, lang), _tiles(h, cur, lang)
    by_id = {f.id: f for f in findings}
    to_green = ""  # shown under the tiles: the verdict and the figures come first, above the fold
    if h["verdict"] != "go" and h["to_green"]:
        items = "".join(f"<li>{esc(finding_text(by_id[i], 'title', lang, cur, client.catalog))} <code>{esc(i)}</code></li>" for i in h["to_green"][:8])
        more = len(h["to_green"]) - 8
        to_green = (f'<div class="to-green"><p><strong>{esc(t("to_green." + h["verdict"], lang))}</strong></p><ul>{items}</ul>'
                   + (f"<p>{esc(t('to_green.more', lang, n=number(more, lang)))}</p>" if more > 0 else "") + "</div>")
    top = summary.top_findings(findings, 5)
    warn_items = "".join(f'<li><span class="badge sev-{f.severity}">{esc(t("sev." + f.severity, lang))}</span> '
                         f'{esc(finding_text(f, "title", lang, cur, client.catalog))} <code>{esc(f.id)}</code></li>' for f in top)
    recs = "".join(f"<li>{_recommendation(client, key, values, by_id, lang)}</li>"
                   for key, values in an.recommendations)
    first, last = h["first_go_live"], h["last_go_live"]
    line = t("headline", lang, spend=money(h["spend_base"], cur, lang), p10=money(h["spend_p10"], cur, lang), p90=money(h["spend_p90"], cur, lang),
             months=number(h["horizon_months"], lang), total=money(h["total_base"], cur, lang), status_quo=money(h["status_quo"], cur, lang),
             loss=money(h["productivity_base"], cur, lang),
             budget=t("headline.budget", lang, budget=money(budget, cur, lang)) if budget else "", n=h["changes"],
             live=t("headline.live_span" if last != first else "headline.live_on", lang, n=h["changes"], first=date(first, lang),
                    last=date(last, lang)), people=number(h["people_affected"], lang),
             depts=number(h["departments_affected"], lang), trainees=number(h["trainees"], lang),
             hours=number(h["participant_hours"], lang))
    return Fragment(
        f'<section class="exec-summary" id="summary"><h2>{esc(t("summary", lang))}</h2>{banner}'
        f'<div class="kpis">{tiles_html}</div>{to_green}<p class="headline">{esc(line)}</p>'
        f'<div class="two-col"><div><h3>{esc(t("top_warnings", lang))}</h3>'
        f'{"<ol class=top>" + warn_items + "</ol>" if warn_items else "<p>" + esc(t("no_warnings", lang)) + "</p>"}</div>'
        f'<div><h3>{esc(t("top_recommendations", lang))}</h3>'
        f'{"<ol class=top>" + recs + "</ol>" if recs else "<p>" + esc(t("no_recommendations", lang)) + "</p>"}</div></div></section>')


def headline_tiles(an: Analysis, lang: str) -> Fragment:
    """The verdict and KPI tiles of the headline (the explorer shows them after each tweak)."""
    h = an.headline
    return Fragment(f'<style>{_TILE_CSS}</style><section class="exec-summary">{_banner(h, lang)}'
                    f'<div class="kpis">{_tiles(h, an.client.profile.currency, lang)}</div></section>')


# the report's stylesheet is not loaded in JupyterLab: the explorer's tiles bring the few rules they need
_TILE_CSS = ("section.exec-summary .kpis{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}"
             "section.exec-summary .kpi{border:1px solid #cfd8e3;border-radius:6px;padding:8px 14px;min-width:130px;background:#f7f9fc}"
             "section.exec-summary .kpi .value{display:block;font-size:22px;font-weight:bold;color:#0b3d66}"
             "section.exec-summary .kpi .name,section.exec-summary .kpi .sub{display:block;color:#555;font-size:12px}"
             "section.exec-summary .kpi.bad{border-color:#D55E00}section.exec-summary .kpi.bad .value{color:#a33b00}"
             "section.exec-summary .kpi.warn{border-color:#E69F00}"
             "section.exec-summary .verdict{border-left:8px solid #999;padding:6px 14px;background:#f7f7f7}"
             "section.exec-summary .verdict-not_ready{border-left-color:#7a0000;background:#fbeeee}"
             "section.exec-summary .verdict-go_with_conditions{border-left-color:#E69F00;background:#fff6e5}"
             "section.exec-summary .verdict-go{border-left-color:#009E73;background:#eaf7f2}"
             "section.exec-summary .verdict-word{font-size:20px;font-weight:bold;margin:2px 0}")


def _banner(h: dict, lang: str) -> str:
    v = h["verdict"]
    reasons = "".join(f"<li>{esc(t('reason.' + k, lang, n=number(n, lang)))}</li>" for k, n in h["reasons"])
    return (f'<div class="verdict verdict-{v}"><p class="verdict-word">{esc(t("verdict." + v, lang))}</p>'
            f'<p>{esc(t("verdict." + v + ".why", lang))}</p>{"<ul>" + reasons + "</ul>" if reasons else ""}</div>')


def _tiles(h: dict, cur: str, lang: str) -> str:
    sev = h["findings"]
    budget = h["budget"]
    # the estimate (the sum of the lines, what the budget rule compares) with its simulated range
    cost_sub = t("tile.cost_range", lang, p10=money(h["spend_p10"], cur, lang), p90=money(h["spend_p90"], cur, lang))
    cost_sub += "\n" + (t("tile.budget", lang, budget=money(budget, cur, lang), ratio=percent(h["spend_base"] / budget, lang))
                         if budget else t("tile.no_budget", lang))
    objectives = h.get("objectives") or []
    tiles = [
        ("findings", f'{number(sev["blocker"], lang)} / {number(sev["high"], lang)}', "", "bad" if sev["blocker"] else "warn" if sev["high"] else "ok"),
        ("cost", money(h["spend_base"], cur, lang), cost_sub, "bad" if budget and h["spend_base"] > budget else "ok"),
        ("total", money(h["total_base"], cur, lang), t("tile.total_sub", lang, status_quo=money(h["status_quo"], cur, lang)), ""),
        ("go_live", date(h["first_go_live"], lang), t("tile.go_live_span", lang, last=date(h["last_go_live"], lang))
         if h["last_go_live"] != h["first_go_live"] else t("tile.go_live_one", lang, n=h["changes"]), ""),
        ("people", number(h["people_affected"], lang), t("tile.people_sub", lang, n=number(h["departments_affected"], lang)), ""),
        ("training", number(h["participant_hours"], lang),
         t("tile.training_sub", lang, n=number(h["trainees"], lang), late=number(h["late_sessions"], lang)), "warn" if h["late_sessions"] else ""),
        ("decisions", number(h["decisions_pending"], lang), t("tile.decisions_sub", lang, n=number(h["decisions_total"], lang)),
         "warn" if h["decisions_pending"] else "ok"),
    ] + ([("objectives", number(sum(o["met"] for o in objectives), lang), t("tile.objectives_sub", lang, n=number(len(objectives), lang)),
           "ok" if all(o["met"] for o in objectives) else "warn")] if objectives else [])
    tiles_html = "".join(
        f'<div class="kpi {cls}"><span class="value">{esc(value)}</span><span class="name">{esc(t("tile." + k, lang, months=number(h.get("horizon_months", 36), lang)))}</span>'
        + "".join(f'<span class="sub">{esc(line)}</span>' for line in sub.split("\n") if line) + "</div>"
        for k, value, sub, cls in tiles)
    return tiles_html


def _recommendation(client, key: str, values: dict, by_id: dict, lang: str) -> str:
    """One recommendation as escaped HTML: a finding's advice under its title, or an advice sentence."""
    cur = client.profile.currency
    if key == "finding":
        f = by_id[values["id"]]
        return (f'<strong>{esc(finding_text(f, "title", lang, cur, client.catalog))}</strong> — {esc(finding_text(f, "advice", lang, cur, client.catalog))} '
                f'<code>{esc(f.id)}</code>')
    products = client.catalog.products
    shown = {k: ", ".join(naming.product(products[x], lang) if k == "products" and x in products else x for x in v) if isinstance(v, tuple)
             else number(v, lang) if isinstance(v, (int, float)) else v for k, v in values.items()}
    return esc(t(key, lang, **shown))


def flow_reach(f) -> tuple[str, int, int, str, int]:
    """What the flow chart's reading names: the change reaching the most people (the most of its systems' users in
    each department, summed; ties: the first id), those people and its systems, the department the most changes
    reach (ties: the first name) and their number. A flows frame of at most charts.SMALL_PIVOT rows of whole numbers
    is counted in plain Python (three groupbys: ~2 ms; tests/test_fast_sections.py compares both paths)."""
    keys = ("change_id", "department_id", "department", "asset_id")
    if len(f) <= charts.SMALL_PIVOT and f["users"].dtype == "int64" and all(f[k].dtype == "str" for k in keys):
        most: dict = {}  # (change, department) -> the most users of one of its systems there
        changes: dict = {}  # department -> the changes that reach it
        systems: dict = {}  # change -> its systems
        for change, dept_id, dept, asset, n in zip(*(f[k].tolist() for k in keys), f["users"].tolist()):
            if change != change:  # an NA change: in no group
                continue
            if dept_id == dept_id:
                most[(change, dept_id)] = max(most.get((change, dept_id), n), n)
            if dept == dept:
                changes.setdefault(dept, set()).add(change)
            if asset == asset:
                systems.setdefault(change, set()).add(asset)
        reach: dict = {}
        for (change, _), n in sorted(most.items()):
            reach[change] = reach.get(change, 0) + n
        if reach and changes:
            top = max(reach, key=reach.get)  # (the first of the sorted ids with the most)
            dept = max(sorted(changes), key=lambda d: len(changes[d]))
            return top, reach[top], len(systems.get(top, ())), dept, len(changes[dept])
    reach = f.groupby(["change_id", "department_id"])["users"].max().groupby("change_id").sum()
    top = reach.idxmax()
    per_dept = f.groupby("department")["change_id"].nunique().sort_values(ascending=False, kind="stable")
    return top, int(reach[top]), int(f.loc[f["change_id"] == top, "asset_id"].nunique()), per_dept.index[0], int(per_dept.iloc[0])


def flow_chart(an: Analysis, lang: str) -> Figure:
    """Changes → systems → departments, in people, with its reading."""
    f = an.flows
    titles = {c.id: c.title for c in an.changes}
    if f.empty:
        return Figure(charts.plot_flow(f, titles, lang), t("chart.flow.read_none", lang))
    top, users, systems, dept, n = flow_reach(f)
    reading = t("chart.flow.read", lang, change=f"{top} {titles.get(top, '')}".strip(), users=number(users, lang),
                systems=systems, dept=dept, n=n)
    f, note = departments.flows_grouped(f, an.client.departments, an.scenario, lang)
    return Figure(charts.plot_flow(f, titles, lang), f"{reading} {note}".strip())


HEADLINE_MIME = "application/vnd.impactlib.headline+json"
HEADLINE_TAG = "impactlib-headline"  # the template's cell that records the headline; the runner drops it from the HTML


class Record:
    """The headline of a report as JSON under HEADLINE_MIME: the runner reads it from the executed notebook
    (status files, the portfolio page) and drops the cell before exporting the HTML."""

    def __init__(self, data: dict):
        self.data = data

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {HEADLINE_MIME: self.data, "text/plain": "headline of the report (for the runner, not shown)"}


def record(an: Analysis, compared: Iterable[Analysis | dict] = (), exports: Iterable[str] = ()) -> Record:
    """The report's headline (see :func:`impactlib.analysis.summary.headline`), its scenario, title and input
    fingerprint, the provider's trainer-hours per month and the client's part of the Windows 10 campaign
    (:func:`impactlib.analysis.campaign.client_record`, for ``impactlib campaign``), as JSON-ready values: the last cell of a report
    template, tagged HEADLINE_TAG.

    ``compared``: the scenarios of the report's comparison section. Those assessed in this report (an
    Analysis, not a headline the runner passed in) are recorded too, under ``assessed``, so the runner can
    keep them for the next report of the same inputs (:func:`known_headlines`). ``exports``: the file names of the
    spreadsheets the kernel wrote (impactlib.run.exports.in_kernel), for the runner to put beside the report.
    """
    compared = list(compared)
    head = {**_recorded(an), "campaign": campaign.client_record(an), "fingerprint": an.client.fingerprint, "exports": list(exports),
            "assessed": {x["scenario"]: dict(x) for x in compared if isinstance(x, Assessed)}
            | {x.scenario: _recorded(x) for x in compared if isinstance(x, Analysis) and x is not an}}
    return Record(json.loads(json.dumps(head, default=str)))


def _recorded(an: Analysis) -> dict:
    months = training.trainer_hours_by_month(an.sessions)
    return {**an.headline, "scenario": an.scenario, "title": an.definition.title, "as_of": an.as_of.isoformat(),
            "trainer_hours_by_month": {m.strftime("%Y-%m"): float(h) for m, h in zip(months["month"], months["trainer_hours"])}}


class Assessed(dict):
    """The recorded headline (:func:`_recorded`) of a scenario assessed in this report for its comparison section,
    kept instead of its Analysis (see :func:`assessed`); :func:`record` records it under ``assessed``."""


def assessed(an: Analysis) -> Assessed:
    """The headline the comparison section needs of another scenario, as :func:`record` would record it: the
    template keeps this instead of the scenario's Analysis, so that its person-level results (gaps, training
    rows: ~90 MiB at 50,000 staff) are dropped as soon as its headline is known, not held beside the report's own."""
    return Assessed(_recorded(an))


def known_headlines(client, known: dict, as_of=None) -> dict[str, dict]:
    """The recorded headlines of ``client``'s scenarios that a runner passed to a report, by scenario name:
    ``known`` is ``{"fingerprint": ..., "headlines": {scenario: headline}}`` and counts only when its
    fingerprint is the loaded client's (the same input files), else nothing is known. A headline depends on
    the report date too (nothing is planned before it): one assessed on another date than ``as_of`` is not
    used."""
    if not known or known.get("fingerprint") != client.fingerprint:
        return {}
    day = as_of.isoformat() if as_of is not None else None
    return {name: h for name, h in (known.get("headlines") or {}).items()
            if name in client.scenarios and h.get("scenario") == name and (day is None or h.get("as_of") == day)}

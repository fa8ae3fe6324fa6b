"""The scenario comparison report: two or more scenarios of one client side by side.

Each scenario is its Analysis (the same headline and findings as its own report), so the two never disagree.
"""

from __future__ import annotations

import datetime as dt

from impactlib import __version__
from impactlib.analysis.assess import Analysis
from impactlib.report.html import Fragment, finding_text, html_table, running_footer
from impactlib.report.summary import _banner, _tiles
from impactlib.report.text import date, esc, money, t

SEVERE = ("blocker", "high")


def comparison_cover(analyses: list[Analysis], lang: str, report_date: dt.date) -> Fragment:
    """Title block: client, the scenarios compared, date, version, fingerprint, confidentiality label."""
    client = analyses[0].client
    p = client.profile
    items = "".join(f"<li><code>{esc(an.scenario)}</code> — {esc(an.definition.title)}</li>" for an in analyses)
    rows = [(t("client", lang), esc(p.name)), (t("report_date", lang), esc(date(report_date, lang))),
            (t("tool_version", lang), esc(__version__)), (t("fingerprint", lang), f"<code>{esc(client.fingerprint[:16])}</code>")]
    meta = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return Fragment(running_footer(f"{p.name} — {t('cmp.report_title', lang)}", lang) +
                    f'<section class="cover"><p class="label label-{esc(p.confidentiality)}">{esc(t("label." + p.confidentiality, lang))}</p>'
                    f'<h1>{esc(t("cmp.report_title", lang))}</h1><p class="client-name">{esc(p.name)}</p>'
                    f'<table class="meta">{meta}</table><p>{esc(t("cmp.compared", lang))}</p><ul>{items}</ul></section>')


def comparison_summary(analyses: list[Analysis], lang: str) -> Fragment:
    """Each scenario's verdict and KPI tiles, side by side, and which one the figures favour."""
    cur = analyses[0].client.profile.currency
    cols = "".join(f'<div class="cmp-col"><h3><code>{esc(an.scenario)}</code> {esc(an.definition.title)}</h3>{_banner(an.headline, lang)}'
                   f'<div class="kpis">{_tiles(an.headline, cur, lang)}</div></div>' for an in analyses)
    rank = {"go": 0, "go_with_conditions": 1, "not_ready": 2}
    best = min(analyses, key=lambda an: (rank[an.headline["verdict"]], an.headline["findings"]["blocker"],
                                         an.headline["findings"]["high"], an.headline["total_base"]))
    h = best.headline
    reading = t("cmp.best", lang, name=best.scenario, verdict=t("verdict." + h["verdict"], lang), blockers=h["findings"]["blocker"],
                high=h["findings"]["high"], spend=money(h["total_base"], cur, lang), months=h["horizon_months"])
    return Fragment(f'<section class="exec-summary"><h2>{esc(t("summary", lang))}</h2><p class="headline">{esc(reading)}</p>'
                    f'<div class="cmp-grid">{cols}</div></section>')


def findings_diff(analyses: list[Analysis], lang: str) -> Fragment:
    """Blocker and high findings that some scenarios have and others do not (the common ones are counted)."""
    cur = analyses[0].client.profile.currency
    names = [an.scenario for an in analyses]
    found = {an.scenario: {f.id: f for f in an.findings if f.severity in SEVERE} for an in analyses}
    common = set.intersection(*(set(v) for v in found.values()))
    every = sorted(set().union(*(set(v) for v in found.values())) - common)
    rows = []
    for fid in every:
        f = next(found[n][fid] for n in names if fid in found[n])
        marks = ["●" if fid in found[n] else "" for n in names]
        rows.append([f"<code>{esc(fid)}</code>", esc(t("sev." + f.severity, lang)), esc(finding_text(f, "title", lang, cur, analyses[0].client.catalog)), *marks])
    table = (html_table([t("col.ref", lang), t("col.severity", lang), t("col.finding", lang), *[esc(n) for n in names]], rows, "diff")
             if rows else f'<p>{esc(t("cmp.no_diff", lang))}</p>')
    return Fragment(f'<section class="warnings"><h2>{esc(t("cmp.diff", lang))}</h2>'
                    f'<p>{esc(t("cmp.diff_intro", lang, common=len(common)))}</p>{table}</section>')

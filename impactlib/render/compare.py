"""The scenario comparison report: two or more scenarios of one client side by side.

Same figures as each scenario's own report (summary.headline, the review), so the two never disagree.
"""

from __future__ import annotations

import datetime as dt

from .. import __version__, summary
from ..client import Client
from ..rules import review
from ..text import date, esc, money, t
from . import Fragment, _table, finding_text
from .summary import _banner, _tiles

SEVERE = ("blocker", "high")


def comparison_cover(client: Client, names: list[str], lang: str, report_date: dt.date) -> Fragment:
    """Title block: client, the scenarios compared, date, version, fingerprint, confidentiality label."""
    p = client.profile
    items = "".join(f"<li><code>{esc(n)}</code> — {esc(client.scenarios[n].title)}</li>" for n in names)
    rows = [(t("client", lang), esc(p.name)), (t("report_date", lang), esc(date(report_date, lang))),
            (t("tool_version", lang), esc(__version__)), (t("fingerprint", lang), f"<code>{esc(client.fingerprint[:16])}</code>")]
    meta = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return Fragment(f'<section class="cover"><p class="label label-{esc(p.confidentiality)}">{esc(t("label." + p.confidentiality, lang))}</p>'
                    f'<h1>{esc(t("cmp.report_title", lang))}</h1><p class="client-name">{esc(p.name)}</p>'
                    f'<table class="meta">{meta}</table><p>{esc(t("cmp.compared", lang))}</p><ul>{items}</ul></section>')


def comparison_summary(client: Client, names: list[str], lang: str) -> Fragment:
    """Each scenario's verdict and KPI tiles, side by side, and which one the figures favour."""
    cur = client.profile.currency
    heads = {n: summary.headline(client, n) for n in names}
    cols = "".join(f'<div class="cmp-col"><h3><code>{esc(n)}</code> {esc(client.scenarios[n].title)}</h3>{_banner(h, lang)}'
                   f'<div class="kpis">{_tiles(h, cur, lang)}</div></div>' for n, h in heads.items())
    rank = {"go": 0, "go_with_conditions": 1, "not_ready": 2}
    best = min(names, key=lambda n: (rank[heads[n]["verdict"]], heads[n]["findings"]["blocker"], heads[n]["findings"]["high"],
                                     heads[n]["spend_p50"]))
    h = heads[best]
    reading = t("cmp.best", lang, name=best, verdict=t("verdict." + h["verdict"], lang), blockers=h["findings"]["blocker"],
                high=h["findings"]["high"], spend=money(h["spend_p50"], cur, lang))
    return Fragment(f'<section class="exec-summary"><h2>{esc(t("summary", lang))}</h2><p class="headline">{esc(reading)}</p>'
                    f'<div class="cmp-grid">{cols}</div></section>')


def findings_diff(client: Client, names: list[str], lang: str) -> Fragment:
    """Blocker and high findings that some scenarios have and others do not (the common ones are counted)."""
    cur = client.profile.currency
    found = {n: {f.id: f for f in review(client, n) if f.severity in SEVERE} for n in names}
    common = set.intersection(*(set(v) for v in found.values()))
    every = sorted(set().union(*(set(v) for v in found.values())) - common)
    rows = []
    for fid in every:
        f = next(found[n][fid] for n in names if fid in found[n])
        marks = ["●" if fid in found[n] else "" for n in names]
        rows.append([f"<code>{esc(fid)}</code>", esc(t("sev." + f.severity, lang)), esc(finding_text(f, "title", lang, cur)), *marks])
    table = (_table([t("col.ref", lang), t("col.severity", lang), t("col.finding", lang), *[esc(n) for n in names]], rows, "diff")
             if rows else f'<p>{esc(t("cmp.no_diff", lang))}</p>')
    return Fragment(f'<section class="warnings"><h2>{esc(t("cmp.diff", lang))}</h2>'
                    f'<p>{esc(t("cmp.diff_intro", lang, common=len(common)))}</p>{table}</section>')


def comparison_footer(client: Client, lang: str) -> Fragment:
    return Fragment(f'<footer class="report-footer">{esc(t("footer", lang, version=__version__, fp=client.fingerprint[:16]))}</footer>')



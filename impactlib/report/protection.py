"""The executive's protection page: the baseline met / in part / missing by area (a chart), the five actions that
remove the most risk with their cost, the residual risk of declining each, and what the planned changes require.

Reads ``an.protection*`` only (analysis/protection.py); never computes a figure.
"""

from __future__ import annotations

import re

import pandas as pd

from impactlib.analysis.assess import Analysis
from impactlib.report import names
from impactlib.report.charts import THEME
from impactlib.report import plain
from impactlib.report.html import Figure, Fragment, html_table
from impactlib.report.text import date, esc, money, number, t
from impactlib.model.frames import frame_rows

STATUS_COLOURS = {"met": "#009E73", "partial": "#E69F00", "missing": "#D55E00", "unknown": "#999999"}


def protection_summary(an: Analysis, lang: str) -> Fragment:
    """The page's heading: the baseline the client is held to, the data at stake, and the controls per state."""
    s = an.protection_summary
    data = ", ".join(t(f"data.{d}", lang) for d in s["data"]) or "—"
    nis2 = t("prot.nis2", lang, status=t(f"prot.nis2.{s['nis2']}", lang)) if s["nis2"] else ""
    intro = t("prot.intro", lang, level=t(f"prot.level.{s['level']}", lang), data=data, head=number(s["headcount"], lang), nis2=nis2)
    counts = t("prot.counts", lang, **{k: s[k] for k in ("required", "present", "partial", "absent", "unknown")})
    return Fragment(f'<section class="protection"><h2>{esc(t("prot.title", lang))}</h2><p>{esc(intro)}</p>'
                    f'<p><strong>{esc(counts)}</strong></p></section>')


def protection_chart(an: Analysis, lang: str) -> Figure:
    """Stacked bars: the baseline measures of each ANSSI guide area and the Cyber Essentials controls, by status."""
    cov = an.protection_coverage
    shown = cov.loc[cov["framework"].isin(["anssi", "cyber_essentials"]) & (cov["status"] != "not_required")]
    label = [t(f"prot.area.{a}", lang) if fw == "anssi" else "Cyber Essentials" for a, fw in zip(shown["area"], shown["framework"])]
    # measures per (area, status) counted in plain Python (a groupby's size, unstacked and reindexed: ~1.5 ms)
    counts: dict = {}
    for key in zip(label, shown["status"].tolist()):
        if key[1] == key[1]:  # an NA status: no group
            counts[key] = counts.get(key, 0) + 1
    statuses = {status for _, status in counts}
    order = list(dict.fromkeys(label))
    fig = plain.figure(layout=dict(template=THEME, barmode="stack", title=t("prot.chart.title", lang),
                                height=200 + 34 * max(len(order), 2)))
    for status in ("met", "partial", "missing", "unknown"):
        if status not in statuses:
            continue
        part = [counts.get((area, status), 0) for area in order]
        name = t(f"prot.status.{status}", lang)
        fig.add_bar(y=order, x=part, orientation="h", name=name, marker_color=STATUS_COLOURS[status],
                    text=[v if v else "" for v in part], textposition="inside", hovertemplate="%{y}: %{x}<extra>" + name + "</extra>")
    fig.update_yaxes(autorange="reversed")
    reading = t("prot.chart.read", lang, missing=int((shown["status"] == "missing").sum()),
                partial=int((shown["status"] == "partial").sum()))
    return Figure(fig, reading)


def _source(text: str, lang: str) -> str:
    """The site a price comes from, or who says so, in ``lang`` (the full source is in catalog/protection_tools.csv)."""
    hit = re.search(r"(?:https?://)?((?:[a-z0-9-]+\.)+(?:com|org|fr|gov|uk|gouv\.fr))", text or "")
    if hit:
        return hit.group(1)
    measure = re.match(r"ANSSI hygiene guide measures? ([\d, and]+)", text or "")
    if measure:
        return t("prot.source.anssi", lang, measures=measure.group(1).replace(" and ", ", ").strip(" ,"))
    if re.match(r"(impactlib )?estimate", text or ""):
        return t("prot.source.estimate", lang)
    if (text or "").startswith("built into Windows"):
        return t("prot.source.windows", lang)
    return re.split(r"[:;(]", text or "")[0].strip()


def _price(r, lang: str, cur: str) -> str:
    per = t(f"prot.per.{r.price_unit}", lang) if r.price_unit != "flat" else ""
    if r.price == 0 and r.price_one_off > 0:  # an appliance or disks: bought once
        price = " ".join(x for x in (money(r.price_one_off, r.price_currency, lang), per, t("prot.once", lang)) if x)
    else:
        price = " ".join(x for x in (money(r.price, r.price_currency, lang, 2), per, t(f"prot.period.{r.price_period}", lang)) if x)
    day = date(r.as_of.date(), lang) if pd.notna(r.as_of) else ""
    source = _source(r.source, lang)
    if not r.currency_ok:
        return t("prot.price.foreign", lang, price=price) + f" ({source})"
    if r.price_status == "free":
        return t("prot.price.free", lang, source=source)
    return t(f"prot.price.{r.price_status}", lang, price=price, date=day, source=source)


def protection_actions(an: Analysis, lang: str) -> Fragment:
    """The five actions that remove the most risk, their cost and price basis, the residual risk of declining each
    (decided on the validation sheet), and the protection each planned change requires."""
    top, cur = an.protection_top, an.client.profile.currency
    s = an.protection_summary
    if top.empty:
        body = f'<p>{esc(t("prot.none", lang))}</p>'
    else:
        rows = []
        for r in frame_rows(top):
            control = t(f"prot.control.{r.control}", lang)
            once = money(r.one_off, cur, lang) if r.currency_ok else "—"
            yearly = money(r.recurring_year, cur, lang) if r.currency_ok else "—"
            note = f'<br><span class="note">{esc(t("prot.in_plan", lang))}</span>' if r.in_plan else ""
            alt = (f'<br><span class="note">{esc(t("prot.or", lang, tool=names.tool(r.alternative, lang, an.client.catalog)))}</span>'
                   if isinstance(r.alternative, str) else "")
            rows.append([f"{r.rank}. <code>{esc(r.id)}</code>", esc(control), esc(t(f"prot.state.{r.state}", lang)),
                         esc(t("sev." + r.severity, lang)), esc(names.tool(r.tool, lang, an.client.catalog) if isinstance(r.tool, str) else "—") + alt + note, esc(once),
                         esc(yearly), f'<span class="note">{esc(_price(r, lang, cur))}</span>',
                         esc(t(f"prot.residual.{r.control}", lang))])
        table = html_table([t("col.ref", lang), t("prot.col.control", lang), t("prot.col.state", lang), t("col.severity", lang),
                            t("prot.col.tool", lang), t("prot.col.once", lang), t("prot.col.year", lang),
                            t("prot.col.price", lang), t("prot.col.residual", lang)], rows, "protection-actions")
        unpriced = t("prot.unpriced", lang, n=s["top_unpriced"]) if s["top_unpriced"] else ""
        total = t("prot.total", lang, one_off=money(s["top_one_off"], cur, lang), yearly=money(s["top_recurring_year"], cur, lang),
                  unpriced=unpriced)
        body = (f'<p>{esc(t("prot.top_intro", lang, currency=cur))}</p>{table}<p><strong>{esc(total)}</strong></p>'
                f'<p>{esc(t("prot.decide", lang))}</p>')
    req = an.protection_requirements
    need = req.loc[req["change_id"].notna()]
    changes = {c.id: c.title for c in an.changes}
    rows = [[f"<code>{esc(r.change_id)}</code> {esc(changes.get(r.change_id, ''))}", esc(t(f"prot.kind.{r.kind}", lang)),
             esc(t(f"prot.control.{r.control}", lang)), esc(t("prot.yes" if r.met else "prot.no", lang)),
             esc(names.tool(r.tool, lang, an.client.catalog) if not r.met and isinstance(r.tool, str) else "—")] for r in frame_rows(need)]
    reqs = ""
    if rows:
        reqs = (f'<h3>{esc(t("prot.changes", lang))}</h3><p>{esc(t("prot.changes_intro", lang))}</p>'
                + html_table([t("col.change", lang), t("col.change_kind", lang), t("prot.col.need", lang), t("prot.col.met", lang),
                              t("prot.col.tool", lang)], rows, "protection-requirements"))
    return Fragment(f'<section class="protection-actions"><h3>{esc(t("prot.top", lang))}</h3>{body}{reqs}</section>')

"""The Windows 10 campaign page (``reports/campaign.<lang>.html``) and the purchasing workbook's sheets, from
a :class:`impactlib.analysis.campaign.Campaign`. Never computes: every figure is the Campaign's. Every
client-supplied string (ids, names, asset ids, models) is escaped; the workbook's cells are neutralised
by the writer (impactlib.io.files.write_table).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from impactlib import __version__
from impactlib.analysis.campaign import SHOWN_OPTIONS, VERDICTS, Campaign
from impactlib.report.portfolio import CSP, _css, _js, drawn_after
from impactlib.report.text import date, esc, money, number, percent, t

# Okabe-Ito colours, as the report's charts
VERDICT_COLOURS = {"ready": "#009E73", "firmware": "#56B4E9", "not_ready": "#D55E00", "unknown": "#999999"}
OPTION_COLOURS = {"upgrade": "#009E73", "firmware": "#56B4E9", "replace": "#D55E00", "esu": "#E69F00",
                  "cloud_pc": "#0072B2", "iot_ltsc": "#CC79A7", "isolate": "#000000", "verify": "#999999"}
BAR, LINE, DOTS = "#0072B2", "#7a0000", "#E69F00"


def campaign_page(c: Campaign, lang: str, plotly_head: str, generated: dt.datetime) -> str:
    """The campaign page in ``lang``; ``plotly_head`` loads plotly.js; ``generated`` (UTC) is printed."""
    devices = sum(p.devices for p in c.clients)
    summary = t("campaign.summary", lang, clients=number(len(c.clients), lang), devices=number(devices, lang),
                capacity=number(c.capacity, lang, 1 if c.capacity % 1 else 0), start=date(c.start, lang),
                deadline=date(c.deadline, lang), day=date(generated.date(), lang), time=generated.strftime("%H:%M"),
                version=__version__)
    figures = [("hours-chart", hours_chart(c, lang)), ("pcs-chart", pcs_chart(c, lang)),
               ("devices-chart", devices_chart(c, lang)), ("esu-chart", esu_chart(c, lang))]
    # each <div> as tall as its figure: a drawing taller than its box covered the first line of the caption below it
    charts = "".join(f'<figure><div id="{name}" class="chart" style="height:{int(fig["layout"]["height"])}px"></div>'
                     f'<figcaption>{esc(reading)}</figcaption></figure>' for name, (fig, reading) in figures)
    charts += drawn_after([(name, fig) for name, (fig, _) in figures])  # once every cell of the grid exists
    missing = (f'<p class="missing">{esc(t("campaign.missing", lang, n=number(len(c.missing), lang), clients=", ".join(c.missing)))}</p>'
               if c.missing else "")
    esu_note = f'<p class="note">{esc(t("campaign.esu_note", lang, currency=c.esu_currency or "USD"))}</p>'
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(t("campaign.title", lang, provider=c.provider))}</title>
<style>{_css()}{_CSS}</style>
{plotly_head}
</head><body>
<h1>{esc(t("campaign.title", lang, provider=c.provider))}</h1>
<p>{esc(summary)}</p>{missing}
<div class="kpis">{_tiles(c, lang)}</div>
<div class="charts">{charts}</div>{esu_note}
<h2>{esc(t("campaign.undone", lang, deadline=date(c.deadline, lang)))}</h2>{_undone(c, lang)}
<h2>{esc(t("campaign.schedule", lang))}</h2>
<p class="note">{esc(t("campaign.rule", lang, deadline=date(c.deadline, lang)))}</p>
{_table(c, lang)}
</body></html>
"""


_CSS = (".kpis{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 16px}"
        ".kpi{border:1px solid #cfd8e3;border-radius:6px;padding:8px 14px;min-width:150px;background:#f7f9fc}"
        ".kpi .value{display:block;font-size:22px;font-weight:bold;color:#0b3d66}.kpi .name{display:block;color:#555;font-size:12px}"
        ".kpi.bad{border-color:#D55E00}.kpi.bad .value{color:#a33b00}.kpi.warn{border-color:#E69F00}"
        "figure{margin:0}figcaption{font-size:.85rem;color:#444;margin:.2rem .5rem}"
        ".note{font-size:.85rem;color:#444}.missing{color:#8a5a00}.late{color:#a33b00;font-size:.8rem}"
        "tr.undone{background:#fbeeee}"
        # two columns at most, so that the four charts make two rows of two on a wide screen (not three and one)
        ".charts{grid-template-columns:repeat(auto-fit,minmax(min(100%,max(420px,calc(50% - 1rem))),1fr))}")


def _tiles(c: Campaign, lang: str) -> str:
    undone, late = c.undone, [p for p in c.clients if p.late]
    esu_total = sum(a for _, _, a in c.esu.values())
    tiles = [(number(sum(p.devices for p in c.clients), lang), t("campaign.kpi.devices", lang), ""),
             (number(sum(p.units for p in c.clients), lang), t("campaign.kpi.buy", lang), ""),
             (number(sum(p.hours for p in c.clients), lang), t("campaign.kpi.hours", lang), ""),
             (money(esu_total, c.esu_currency, lang) if c.esu_currency else "—", t("campaign.kpi.esu", lang), "warn" if esu_total else ""),
             (number(len(undone), lang), t("campaign.kpi.undone", lang, deadline=date(c.deadline, lang)), "bad" if undone else ""),
             (number(len(late), lang), t("campaign.kpi.late", lang), "warn" if late else "")]
    return "".join(f'<div class="kpi {cls}"><span class="value">{esc(v)}</span><span class="name">{esc(name)}</span></div>'
                   for v, name, cls in tiles)


def hours_chart(c: Campaign, lang: str) -> tuple[dict, str]:
    """Scheduled technician hours per month (bars), the capacity (line), the hours the clients' own plans ask (dots)."""
    months = sorted(set(c.months) | set(c.asked))
    asked = [round(c.asked[m], 1) if c.asked.get(m) else None for m in months]
    data = [{"type": "bar", "name": t("campaign.chart.scheduled", lang), "x": months, "y": [round(c.booked.get(m, 0.0), 1) for m in months],
             "marker": {"color": BAR}},
            {"type": "scatter", "mode": "lines", "name": t("campaign.chart.capacity", lang), "x": months,
             "y": [c.capacity if m in c.months else None for m in months], "line": {"color": LINE, "dash": "dash"}},
            {"type": "scatter", "mode": "markers", "name": t("campaign.chart.asked", lang), "x": months, "y": asked,
             "marker": {"color": DOTS, "size": 9}}]
    layout = {"title": {"text": t("campaign.chart.hours", lang)}, "xaxis": {"type": "category"},
              "yaxis": {"title": {"text": t("campaign.chart.hours_axis", lang)}}, "legend": {"orientation": "h", "y": -0.2},
              "margin": {"t": 50, "b": 80}, "height": 380}
    peak = ""
    if any(asked):
        i = max(range(len(months)), key=lambda k: asked[k] or 0.0)
        peak = t("campaign.chart.hours.peak", lang, hours=number(asked[i], lang), month=months[i],
                 ratio=percent(asked[i] / c.capacity, lang))
    return {"data": data, "layout": layout}, t("campaign.chart.hours.read", lang, peak=peak)


def pcs_chart(c: Campaign, lang: str) -> tuple[dict, str]:
    """PCs to order per month, as scheduled."""
    months = list(c.purchases)
    units = [c.purchases[m][0] for m in months]
    fig = {"data": [{"type": "bar", "x": months, "y": units, "marker": {"color": OPTION_COLOURS["replace"]},
                     "name": t("campaign.chart.pcs_axis", lang)}],
           "layout": {"title": {"text": t("campaign.chart.pcs", lang)}, "xaxis": {"type": "category"},
                      "yaxis": {"title": {"text": t("campaign.chart.pcs_axis", lang)}}, "margin": {"t": 50, "b": 60}, "height": 380}}
    if not units:
        return fig, t("campaign.chart.pcs.none", lang)
    i = max(range(len(months)), key=lambda k: units[k])
    return fig, t("campaign.chart.pcs.read", lang, month=months[i], units=number(units[i], lang))


def devices_chart(c: Campaign, lang: str) -> tuple[dict, str]:
    """PCs by verdict and by recommended option (two stacked bars)."""
    data = [{"type": "bar", "orientation": "h", "name": t(f"campaign.verdict.{v}", lang), "y": [t("campaign.axis.verdict", lang)],
             "x": [c.by_verdict.get(v, 0)], "marker": {"color": VERDICT_COLOURS[v]}, "legendgroup": "v"} for v in VERDICTS if c.by_verdict.get(v)]
    data += [{"type": "bar", "orientation": "h", "name": t(f"campaign.option.{o}", lang), "y": [t("campaign.axis.option", lang)], "x": [c.by_option.get(o, 0)],
              "marker": {"color": OPTION_COLOURS[o], "pattern": {"shape": "/"}}, "legendgroup": "o"} for o in SHOWN_OPTIONS if c.by_option.get(o)]
    fig = {"data": data, "layout": {"title": {"text": t("campaign.chart.devices", lang)}, "barmode": "stack",
                                    # the nine entries in rows under the bars (grouped, they stood in a column that
                                    # overflowed into a scrolled box)
                                    "legend": {"orientation": "h", "x": 0, "y": -0.15, "yanchor": "top", "traceorder": "normal"},
                                    "margin": {"t": 50, "b": 40, "l": 150}, "height": 460,
                                    "yaxis": {"automargin": True}}}
    total = sum(c.by_verdict.values())
    return fig, t("campaign.chart.devices.read", lang, ready=number(c.by_verdict.get("ready", 0), lang), total=number(total, lang),
                  buy=number(c.by_option.get("replace", 0), lang))


def esu_chart(c: Campaign, lang: str) -> tuple[dict, str]:
    """ESU spend per ESU year (the bridge until each client's plan moves its PCs)."""
    years = list(c.esu)
    labels = [f'{t("campaign.esu_year", lang, year=y)} ({c.esu[y][0][:7]} – {c.esu[y][1][:7]})' for y in years]
    amounts = [round(c.esu[y][2], 2) for y in years]
    fig = {"data": [{"type": "bar", "x": labels, "y": amounts, "marker": {"color": OPTION_COLOURS["esu"]}}],
           "layout": {"title": {"text": t("campaign.chart.esu", lang)}, "xaxis": {"type": "category"},
                      "yaxis": {"title": {"text": c.esu_currency or ""}}, "margin": {"t": 50, "b": 60}, "height": 380}}
    if not any(amounts):
        return fig, t("campaign.chart.esu.none", lang)
    i = max(range(len(years)), key=lambda k: amounts[k])
    y = years[i]
    return fig, t("campaign.chart.esu.read", lang, year=y, start=date(dt.date.fromisoformat(c.esu[y][0]), lang),
                  end=date(dt.date.fromisoformat(c.esu[y][1]), lang), amount=money(amounts[i], c.esu_currency, lang))


def _client(p) -> str:
    return f"{esc(p.title)}<br><code>{esc(p.client)}</code>"


def _undone(c: Campaign, lang: str) -> str:
    undone = c.undone
    if not undone:
        return f"<p>{esc(t('campaign.undone.none', lang, deadline=date(c.deadline, lang)))}</p>"
    items = "".join(f"<li>{_client(p)} — {esc(number(p.devices, lang))} {esc(t('campaign.col.devices', lang))}, "
                    f"{esc(number(p.hours, lang, 1))} h</li>" for p in undone)
    return f"<ul>{items}</ul><p>{esc(t('campaign.undone.advice', lang))}</p>"


def _table(c: Campaign, lang: str) -> str:
    head = [t(f"campaign.col.{k}", lang) for k in ("rank", "client", "due", "devices", "at_risk", "hours", "buy", "amount", "order_by", "months")]
    rows = []
    for p in c.clients:
        months = ", ".join(p.months) if p.months else t("campaign.not_placed", lang)
        late = f'<div class="late">{esc(t("campaign.late", lang))}</div>' if p.late else ""
        at_once = f'<div class="late">{esc(t("campaign.at_once", lang, day=date(p.at_once, lang)))}</div>' if p.at_once else ""
        cells = [(number(p.rank, lang), "n"), (_client(p), ""), (esc(date(p.due, lang)), ""), (esc(number(p.devices, lang)), "n"),
                 (esc(number(p.at_risk, lang)), "n"), (esc(number(p.hours, lang, 1)), "n"), (esc(number(p.units, lang)), "n"),
                 (esc(money(p.amount, p.currency, lang)) if p.units else "—", "n"), (esc(p.order_by or "—") + at_once, ""), (esc(months) + late, "")]
        rows.append(f'<tr class="{"undone" if not p.months else ""}">'
                    + "".join(f'<td class="{cls}">{v}</td>' if cls else f"<td>{v}</td>" for v, cls in cells) + "</tr>")
    # in its own scrolling box, as the portfolio's: on a phone the ten columns scroll, not the page
    return (f'<div class="table-box"><table><thead><tr>{"".join(f"<th>{esc(h)}</th>" for h in head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def purchasing_frames(c: Campaign, lang: str) -> dict[str, pd.DataFrame]:
    """The purchasing workbook's sheets (headers in ``lang``): one order line per PC group to buy, the
    orders per month, the schedule. Text is neutralised by the writer, not here."""
    col = {k: t(f"campaign.col.{k}", lang) for k in ("rank", "client", "due", "devices", "at_risk", "hours", "buy", "amount", "order_by", "months")}
    lines = [{col["order_by"]: p.order_by, col["client"]: p.client, "name": p.title, col["months"]: ", ".join(p.months),
              "asset_id": asset, "model": model, col["buy"]: units, col["amount"]: amount, "currency": p.currency,
              "lead_days": p.lead_days, "at_once_delivered_about": p.at_once}  # a date when its order month was past
             for p in c.clients if p.order_by for asset, model, units, amount in p.buys]
    orders = pd.DataFrame(lines, columns=[col["order_by"], col["client"], "name", col["months"], "asset_id", "model", col["buy"],
                                          col["amount"], "currency", "lead_days", "at_once_delivered_about"])
    per_month = pd.DataFrame([{col["order_by"]: m, col["buy"]: units, **{f'{col["amount"]} ({cur})': a for cur, a in amounts.items()}}
                              for m, (units, amounts) in c.purchases.items()], columns=None)
    if per_month.empty:
        per_month = pd.DataFrame(columns=[col["order_by"], col["buy"]])
    schedule = pd.DataFrame([{col["rank"]: p.rank, col["client"]: p.client, "name": p.title, col["due"]: p.due, col["devices"]: p.devices,
                              col["at_risk"]: p.at_risk, col["hours"]: round(p.hours, 2), col["buy"]: p.units,
                              col["months"]: ", ".join(p.months) or t("campaign.not_placed", lang), "late": p.late}
                             for p in c.clients])
    return {"orders": orders, "per month": per_month, "schedule": schedule}

"""The portfolio page (``reports/index.html`` of a batch): every report with its status, verdict and headline figures.

It reads only the status files' records (:func:`impactlib.report.summary.record` of each report), so it shows
the figures the reports show: the verdict in the report's words and colours, and the cost the executive
summary's tile shows (``spend_base``, the project's one-off spend, the estimate the budget rule compares). In English or French; every
client-supplied string is escaped.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

from impactlib import __version__
from impactlib.report.text import TEXTS, date, esc, money, number, t

VERDICTS = ("go", "go_with_conditions", "not_ready")
# (bar / border, background, word): the report's verdict banner (report.css, summary._TILE_CSS); grey for a failed report
VERDICT_COLOURS = {"go": ("#009E73", "#eaf7f2", "#006b4f"), "go_with_conditions": ("#E69F00", "#fff6e5", "#8a5a00"),
                   "not_ready": ("#7a0000", "#fbeeee", "#7a0000"), "failed": ("#616161", "#f3f3f3", "#333333")}
HOURS_COLOUR = "#0072B2"
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' 'self'; style-src 'unsafe-inline' 'self'; "
       "img-src data: 'self'; font-src data: 'self'")
REASON_CHARS = 300


def portfolio_rows(statuses: list[dict]) -> list[dict]:
    """One status per client for the charts: its default scenario's report (else its first), failures counted once."""
    by_client: dict[str, dict] = {}
    for st in statuses:
        best = by_client.get(st["client"])
        if best is None or _rank(st) < _rank(best):
            by_client[st["client"]] = st
    return [by_client[c] for c in sorted(by_client)]


def _rank(st: dict) -> tuple[bool, bool]:
    return st.get("status") != "ok", not st.get("default_scenario", False)


def verdict_of(st: dict) -> str:
    """The report's verdict, or ``failed`` for a report that was not produced."""
    v = (st.get("headline") or {}).get("verdict") if st.get("status") == "ok" else "failed"
    return v if v in VERDICT_COLOURS else "failed"


def portfolio_page(statuses: list[dict], lang: str, plotly_head: str, generated: dt.datetime) -> str:
    """The portfolio page of ``statuses`` (sorted as given) in ``lang``; ``plotly_head`` loads plotly.js,
    ``generated`` (UTC) is printed in the summary line."""
    head = [t("client", lang), t("scenario", lang), t("portfolio.col.lang", lang), t("portfolio.col.status", lang),
            t("portfolio.col.blockers", lang), t("portfolio.col.high", lang), _capital(t("tile.cost", lang)),
            t("portfolio.col.first_go_live", lang), _capital(t("tile.people", lang)), t("col.trainer_hours", lang),
            t("portfolio.col.links", lang)]
    rows = "".join(_row(st, lang) for st in statuses)
    failed = sum(1 for s in statuses if s.get("status") != "ok")
    summary = t("portfolio.summary", lang, total=number(len(statuses), lang), ok=number(len(statuses) - failed, lang),
                failed=number(failed, lang), day=date(generated.date(), lang), time=generated.strftime("%H:%M"), version=__version__)
    # each chart's title in the page (it wraps on a phone), the figure below it filling its column
    figures = (("risk-chart", readiness_chart(statuses, lang)), ("hours-chart", hours_chart(statuses, lang)))
    charts = "".join(f'<figure><figcaption class="chart-title">{esc(fig["layout"]["title"]["text"])}</figcaption>'
                     f'<div id="{name}" class="chart"></div></figure>' for name, fig in figures)
    charts += drawn_after([(name, {**fig, "layout": {**fig["layout"], "title": {"text": ""}, "autosize": True,
                                                       "margin": {"t": 10, "b": 60}}}) for name, fig in figures])
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(t("portfolio.title", lang))}</title>
<style>{_css()}</style>
{plotly_head}
</head><body>
<h1>{esc(t("portfolio.title", lang))}</h1>
<p>{esc(summary)}</p>
<div class="charts">{charts}</div>
<div class="table-box"><table><thead><tr>{"".join(f"<th>{esc(h)}</th>" for h in head)}</tr></thead><tbody>{rows}</tbody></table></div>
</body></html>
"""


def drawn_after(figures: list[tuple[str, dict]]) -> str:
    """The script that draws each ``(element id, plotly figure dict)`` into its <div>, to be placed after the grid that
    holds them all: plotly sizes a chart to its <div> when drawn and then follows only the window's resizes, so a chart
    drawn before the grid's later cells exist took the whole row (the portfolio's first chart drew 1,216 px wide in its
    600 px column, its last bars cut off)."""
    calls = "".join(f'Plotly.newPlot("{name}", {_js(fig["data"])}, {_js(fig["layout"])}, '
                    '{"displaylogo": false, "responsive": true});' for name, fig in figures)
    return f"<script>{calls}</script>"


def readiness_chart(statuses: list[dict], lang: str) -> dict:
    """Clients per verdict of their default scenario's report (failed reports apart), as a plotly figure dict."""
    counts = dict.fromkeys((*VERDICTS, "failed"), 0)
    for st in portfolio_rows(statuses):
        counts[verdict_of(st)] += 1
    return {"data": [{"type": "bar", "x": [_verdict_word(k, lang) for k in counts], "y": list(counts.values()),
                      "marker": {"color": [VERDICT_COLOURS[k][0] for k in counts]}}],
            "layout": {"title": {"text": t("portfolio.chart.readiness", lang)},
                       "yaxis": {"title": {"text": t("portfolio.chart.clients", lang)}, "dtick": 1},
                       "margin": {"t": 50, "b": 60}, "height": 360}}


def hours_chart(statuses: list[dict], lang: str) -> dict:
    """Trainer hours per month summed over the clients' default-scenario reports, as a plotly figure dict."""
    months: dict[str, float] = {}
    for st in portfolio_rows(statuses):
        if st.get("status") == "ok":
            for m, hours in ((st.get("headline") or {}).get("trainer_hours_by_month") or {}).items():
                months[m] = months.get(m, 0.0) + float(hours)
    ms = sorted(months)
    return {"data": [{"type": "bar", "x": ms, "y": [round(months[m], 1) for m in ms], "marker": {"color": HOURS_COLOUR}}],
            "layout": {"title": {"text": t("portfolio.chart.hours", lang)},
                       "yaxis": {"title": {"text": t("portfolio.chart.trainer_hours", lang)}}, "xaxis": {"type": "category"},
                       "margin": {"t": 50, "b": 60}, "height": 360}}


def _row(st: dict, lang: str) -> str:
    h = st.get("headline") or {}
    ok = st.get("status") == "ok"
    verdict = verdict_of(st)
    findings = h.get("findings") or {}
    links = []
    if ok and st.get("html"):
        links.append(f'<a href="{esc(quote(st["html"]))}">{esc(t("portfolio.report", lang))}</a>')
    if st.get("notebook"):
        links.append(f'<a href="{esc(quote(st["notebook"]))}">{esc(t("portfolio.notebook", lang))}</a>')
    reason = "" if ok else _reason(st, lang)
    cost = money(h["spend_base"], h["currency"], lang) if h.get("spend_base") is not None and h.get("currency") else "—"
    first = _date(h.get("first_go_live"), lang)
    cells = [f'{esc(st.get("title") or st["client"])}<br><code>{esc(st["client"])}</code>', esc(st.get("scenario") or "—"),
             esc(st.get("lang") or "—"), f'<span class="verdict verdict-{verdict}">{esc(_verdict_word(verdict, lang))}</span>{reason}',
             _num(findings.get("blocker"), lang), _num(findings.get("high"), lang), esc(cost), esc(first),
             _num(h.get("people_affected"), lang), _num(h.get("trainer_hours"), lang, 1), " · ".join(links)]
    classes = ["", "", "", "", "n", "n", "n", "", "n", "n", ""]
    return (f'<tr class="{"ok" if ok else "failed"}">'
            + "".join(f'<td class="{c}">{v}</td>' if c else f"<td>{v}</td>" for c, v in zip(classes, cells)) + "</tr>")


def _reason(st: dict, lang: str) -> str:
    kind = st.get("kind") or ""
    what = t(f"portfolio.kind.{kind}", lang) if f"portfolio.kind.{kind}" in TEXTS else kind
    first = (st.get("reason") or "").splitlines()
    cell = st.get("cell")
    where = (f' ({esc(t("portfolio.cell", lang, index=cell["index"]))}: <code>{esc(str(cell.get("source", ""))[:80])}</code>)'
             if cell else "")
    return f'<div class="reason">{esc(what)}: {esc(first[0][:REASON_CHARS] if first else "")}{where}</div>'


def _verdict_word(verdict: str, lang: str) -> str:
    return t("portfolio.failed", lang) if verdict == "failed" else t(f"verdict.{verdict}", lang)


def _num(value, lang: str, digits: int = 0) -> str:
    return "—" if value is None else esc(number(value, lang, digits))


def _date(value, lang: str) -> str:
    try:
        return date(dt.date.fromisoformat(str(value)), lang) if value else "—"
    except ValueError:
        return str(value)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _css() -> str:
    verdicts = "".join(f".verdict-{v}{{border-left-color:{bar};background:{bg};color:{word}}}"
                       for v, (bar, bg, word) in VERDICT_COLOURS.items())
    return ("body{font-family:\"DejaVu Sans\",Arial,sans-serif;margin:2rem;color:#222}h1{color:#0b3d66}"
            "table{border-collapse:collapse;width:100%;font-size:.9rem}"
            "th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}td.n{text-align:right}"
            "thead th{background:#f2f5f9;border-bottom:2px solid #0072B2}"
            ".verdict{display:inline-block;border-left:6px solid #999;padding:.1rem .5rem;font-weight:bold;white-space:nowrap}"
            + verdicts +
            "tr.failed{background:#fff3f3}.reason{font-size:.8rem;color:#8a1c1c;margin-top:.2rem}"
            # two charts side by side where they fit, else one under the other; never narrower than a phone's width
            ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:1rem}"
            ".charts figure{margin:0;min-width:0}.charts .chart{width:100%;height:360px}.table-box{overflow-x:auto}"
            ".chart-title{font-weight:bold;margin:.5rem 0 .25rem}"
            "@media (max-width:640px){body{margin:.75rem}h1{font-size:1.5rem}}")


def _js(value) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


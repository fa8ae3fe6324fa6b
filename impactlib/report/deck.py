"""The board deck: seven slides a provider puts in front of a client's board, with native PowerPoint charts.

``board_deck(an, options, lang)`` builds a python-pptx Presentation (no file is read or written; the run
layer saves it): title; verdict and the recommended option with its deltas against the other options;
red/amber/green per area; a Gantt of the changes with the report date and the freeze periods; the cost
over the horizon; the decisions asked of the board; people and training. Every figure is one the
Analysis gives the HTML report (``an.headline``, ``an.figures``, ``an.cash_flows``, ``an.timeline``,
``an.validation_sheet``), every word comes from ``text.t`` and is formatted by ``text.money``, ``number``
and ``date``. Charts are chart objects (bars, lines) the provider can edit, never pictures. Only totals
are shown: no staff member, no group under k (the report's headline figures).

python-pptx is imported here only, so a report kernel never loads it (``impactlib.report`` does not import
this module).
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from impactlib.analysis import board
from impactlib.analysis.assess import Analysis
from impactlib.model.finding import Finding
from impactlib.report.advice import compare
from impactlib.report.html import finding_text
from impactlib.report.text import date, money, number, t
from impactlib.model.frames import frame_rows

SEVERE = ("blocker", "high")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # chart values are dates as spreadsheet serial days
WIDE, HIGH = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.55)
INK, MUTED, ACCENT, LIGHT = RGBColor(0x1B, 0x2A, 0x41), RGBColor(0x5F, 0x6B, 0x7A), RGBColor(0x1F, 0x4E, 0x79), RGBColor(0xEE, 0xF2, 0xF6)
RAG = {"red": RGBColor(0xC0, 0x1F, 0x1F), "amber": RGBColor(0xE3, 0x8B, 0x06), "green": RGBColor(0x2E, 0x8B, 0x3E)}
VERDICT = {"go": RAG["green"], "go_with_conditions": RAG["amber"], "not_ready": RAG["red"]}
FREEZE = RGBColor(0xB8, 0xBE, 0xC6)
TODAY = RGBColor(0xC0, 0x1F, 0x1F)
MAX_DECISIONS = 6  # decisions listed by name on the decisions slide; the rest counted
MONTH_FORMAT = {"en": "[$-809]mmm yyyy", "fr": "[$-40C]mmm yyyy"}  # month axis labels in the deck's language
LANGUAGE = {"en": MSO_LANGUAGE_ID.ENGLISH_UK, "fr": MSO_LANGUAGE_ID.FRENCH}  # the proofing language of every text run
MONEY_FORMAT = {"en": "[$€-809]#,##0", "fr": "#,##0\\ [$€-40C]"}  # EUR shown as the report shows it; other currencies: plain


@dataclass(frozen=True)
class _Deck:
    """What every slide needs: the presentation being built, the option presented, the options, the language."""

    prs: Presentation
    an: Analysis
    options: tuple[Analysis, ...]
    lang: str

    @property
    def cur(self) -> str:
        return self.an.figures.currency

    def money(self, value: float) -> str:
        return money(value, self.cur, self.lang)


def _cents(values) -> list[float]:
    """Amounts for a chart's data sheet, to the cent: what a provider editing the chart reads (no 36444.680999)."""
    return [round(float(v), 2) for v in values]


def board_deck(an: Analysis, options: list[Analysis], lang: str) -> Presentation:
    """The board deck of ``an`` (the option presented, on its report date ``an.as_of``) against ``options``
    (the client's other scenarios; ``an``'s own scenario among them is ignored), in ``lang`` ('en' or 'fr')."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE, HIGH
    others = tuple(o for o in options if o.scenario != an.scenario)
    deck = _Deck(prs, an, (an, *others), lang)
    for slide in (_title, _verdict, _areas, _gantt, _cost, _decisions, _people):
        slide(deck)
    total = len(prs.slides)
    for i, s in enumerate(prs.slides):
        if i:
            _footer(deck, s, i + 1, total)
        for frame in _frames(s):
            for p in frame.paragraphs:
                for run in p.runs:
                    run.font.language_id = LANGUAGE[lang]
    return prs


def deck_bytes(prs: Presentation) -> bytes:
    """The presentation as the bytes of a .pptx file (written by the run layer's atomic writer)."""
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def recommended(options: list[Analysis]) -> str:
    """The scenario the figures favour: the first of the report's comparison ranking (verdict, then blocker
    then high findings, then the lowest total cost over the horizon; docs/methodology.md, "Scenarios compared")."""
    return str(compare(options).iloc[0]["scenario"])


# --- slides ----------------------------------------------------------------------------------------

def _title(d: _Deck) -> None:
    an, lang = d.an, d.lang
    p = an.client.profile
    s = _slide(d)
    band = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDE, Inches(4.6))
    _fill(band, ACCENT)
    band.line.fill.background()
    _text(s, MARGIN, Inches(0.6), WIDE - 2 * MARGIN, Inches(0.5), t("label." + p.confidentiality, lang), 14, color=RGBColor(0xFF, 0xFF, 0xFF), bold=True)
    _text(s, MARGIN, Inches(1.5), WIDE - 2 * MARGIN, Inches(1.2), p.name, 44, color=RGBColor(0xFF, 0xFF, 0xFF), bold=True)
    _text(s, MARGIN, Inches(2.8), WIDE - 2 * MARGIN, Inches(1.2), t("deck.title", lang), 26, color=RGBColor(0xFF, 0xFF, 0xFF))
    _text(s, MARGIN, Inches(5.0), WIDE - 2 * MARGIN, Inches(0.6),
          t("deck.subtitle", lang, title=an.definition.title, name=an.scenario), 20, color=INK, bold=True)
    _text(s, MARGIN, Inches(5.7), WIDE - 2 * MARGIN, Inches(0.5),
          t("deck.prepared", lang, provider=p.provider, date=date(an.as_of, lang)) if p.provider else date(an.as_of, lang),
          16, color=MUTED)  # client.yaml's provider is optional


def _verdict(d: _Deck) -> None:
    an, lang = d.an, d.lang
    h = an.headline
    s = _slide(d, t("deck.verdict.title", lang))
    banner = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, MARGIN, Inches(1.3), WIDE - 2 * MARGIN, Inches(0.55))
    _fill(banner, VERDICT[h["verdict"]])
    banner.line.fill.background()
    _frame(banner.text_frame, t("deck.verdict.line", lang, name=an.scenario, verdict=t("verdict." + h["verdict"], lang)), 20,
           color=RGBColor(0xFF, 0xFF, 0xFF), bold=True)
    reasons = t("list.sep", lang).join(t("reason." + k, lang, n=n) for k, n in h["reasons"]) or t(f"verdict.{h['verdict']}.why", lang)
    _text(s, MARGIN, Inches(1.88), WIDE - 2 * MARGIN, Inches(0.5), reasons, 12, color=MUTED)
    table = compare(list(d.options))
    months = int(h["horizon_months"])
    best = str(table.iloc[0]["scenario"])
    titles = {o.scenario: _short(o.definition.title, 60) for o in d.options}
    if len(d.options) == 1:
        lead = t("deck.only_option", lang)
    elif best == an.scenario:
        lead = t("deck.recommended", lang, title=titles[best], name=best, months=number(months, lang))
    else:
        lead = t("deck.not_recommended", lang, best=titles[best], best_name=best)
    _text(s, MARGIN, Inches(2.42), WIDE - 2 * MARGIN, Inches(0.5), lead, 14, color=INK, bold=True)
    header = [t("deck.col.option", lang), t("col.verdict", lang), t("deck.col.blockers", lang), t("deck.col.high", lang),
              t("deck.col.spend", lang), t("deck.col.total", lang, months=number(months, lang)), t("deck.col.go_live", lang)]
    by_name = {o.scenario: o for o in d.options}
    rows = [[t("deck.option", lang, id=r.scenario, title=titles[r.scenario]), t("verdict." + r.verdict, lang), number(r.blocker, lang), number(r.high, lang),
             d.money(r.spend), d.money(r.total), date(by_name[r.scenario].headline["last_go_live"], lang)] for r in frame_rows(table)]
    y, row = Inches(3.0), Inches(0.5)
    tbl = _table(s, MARGIN, y, WIDE - 2 * MARGIN, header, rows, [4.35, 1.75, 1.2, 1.0, 1.35, 1.35, 1.23], 11, row_height=row)
    for i, r in enumerate(frame_rows(table), start=1):
        if r.scenario == an.scenario:
            for c in tbl.rows[i].cells:
                for p in c.text_frame.paragraphs:
                    for run in p.runs:
                        run.font.bold = True
    lines = [_delta(d, o.scenario, o.headline, o.findings) for o in d.options[1:]]
    if not lines and h["to_green"]:  # one option: what stands between its verdict and the next, most severe first
        by_id = {f.id: f for f in an.findings}
        lines = [t("deck.to_green", lang, title=_short(finding_text(by_id[i], "title", lang, d.cur, an.client.catalog), 110))
                 for i in h["to_green"][:4]]
    if lines:
        top = y + row * (len(rows) + 1) + Inches(0.2)
        _bullets(s, MARGIN, top, WIDE - 2 * MARGIN, HIGH - Inches(0.6) - top, lines, 12)


def _delta(d: _Deck, name: str, o: dict, found: tuple[Finding, ...]) -> str:
    """One line: the option presented against option ``name`` (its headline ``o`` and findings ``found``): spend,
    total over the horizon, last go-live, the blocker and high warnings one has and the other not."""
    an, lang = d.an, d.lang
    h = an.headline
    shift = (h["last_go_live"] - o["last_go_live"]).days if h["last_go_live"] and o["last_go_live"] else 0
    weeks = round(abs(shift) / 7)
    shift_text = (t("deck.shift.same", lang) if weeks == 0 else
                  t("deck.shift.later" if shift > 0 else "deck.shift.earlier", lang, n=weeks))
    line = t("deck.delta", lang, name=name, spend=_signed(d, h["spend_base"] - o["spend_base"]),
             total=_signed(d, h["total_base"] - o["total_base"]), months=number(int(h["horizon_months"]), lang), shift=shift_text)
    mine = {f.id: f for f in an.findings if f.severity in SEVERE}
    theirs = {f.id: f for f in found if f.severity in SEVERE}
    for key, gone in (("deck.removes", [f for i, f in theirs.items() if i not in mine]), ("deck.adds", [f for i, f in mine.items() if i not in theirs])):
        if gone:
            first = gone[0]  # findings come most severe first
            line += t("list.sep", lang) + t(key, lang, n=len(gone), title=_short(finding_text(first, "title", lang, d.cur, an.client.catalog), 80))
    return line


def _areas(d: _Deck) -> None:
    an, lang = d.an, d.lang
    s = _slide(d, t("deck.rag.title", lang))
    rows, fills = [], []
    for r in board.area_status(an.findings):
        c = r["counts"]
        if r["worst"] is None:
            why = t("deck.why.green", lang)
        elif r["status"] == "green":
            why = t("deck.why.green_some", lang, n=sum(c.values()))
        else:
            sev = "blocker" if r["status"] == "red" else "high"
            why = t(f"deck.why.{r['status']}", lang, n=c[sev], title=_short(finding_text(r["worst"], "title", lang, d.cur, an.client.catalog), 120))
        rows.append([t(f"deck.area.{r['area']}", lang), t(f"deck.rag.{r['status']}", lang), why])
        fills.append(r["status"])
    tbl = _table(s, MARGIN, Inches(1.3), WIDE - 2 * MARGIN, [t("deck.col.area", lang), t("deck.col.status", lang), t("deck.col.why", lang)],
                 rows, [2.6, 1.4, 8.23], 14, row_height=Inches(0.72))
    for i, status in enumerate(fills, start=1):
        cell = tbl.cell(i, 1)
        cell.fill.solid()
        cell.fill.fore_color.rgb = RAG[status]
        for p in cell.text_frame.paragraphs:
            p.alignment = PP_ALIGN.CENTER
            for run in p.runs:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                run.font.bold = True
    _text(s, MARGIN, Inches(6.55), WIDE - 2 * MARGIN, Inches(0.35), t("deck.rag.note", lang), 11, color=MUTED)


def _gantt(d: _Deck) -> None:
    """A stacked bar per change and freeze period: an invisible bar to its start, a visible one to its end
    (the editable-Gantt way), the report date as a line over the plot."""
    an, lang = d.an, d.lang
    s = _slide(d, t("deck.gantt.title", lang))
    frame = an.timeline
    titles = {c.id: c.title for c in an.changes}
    labels = [_short(f"{r.id} {titles.get(r.id, '')}", 42) if r.kind == "change" else _short(t("deck.gantt.freeze", lang, name=r.label), 42)
              for r in frame_rows(frame)]
    starts = [_serial(r.start) for r in frame_rows(frame)]
    lengths = [_serial(r.end) - _serial(r.start) for r in frame_rows(frame)]
    lo = _month_start(min([*(x.date() for x in frame["start"]), an.as_of]))
    hi = _next_month(max(x.date() for x in frame["end"]))
    data = CategoryChartData(number_format="0")
    data.categories = labels
    data.add_series(t("deck.gantt.start", lang), starts)
    data.add_series(t("deck.gantt.length", lang), lengths)
    x, y, w, h = MARGIN, Inches(1.25), WIDE - 2 * MARGIN, Inches(4.6)
    chart = s.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, x, y, w, h, data).chart
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 45, 100
    hidden, bars = plot.series
    hidden.format.fill.background()
    hidden.format.line.fill.background()
    _solid(bars, ACCENT)
    for i, r in enumerate(frame_rows(frame)):
        if r.kind != "change":
            pt = bars.points[i]
            pt.format.fill.solid()
            pt.format.fill.fore_color.rgb = FREEZE
    cats = chart.category_axis
    cats.reverse_order = True  # the first change on top
    cats.tick_labels.font.size = Pt(11)
    cats.format.line.fill.background()
    vals = chart.value_axis
    vals.minimum_scale, vals.maximum_scale = _serial(lo), _serial(hi)
    vals.major_unit = _month_step(lo, hi)
    vals.has_major_gridlines = True
    vals.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    vals.tick_labels.number_format = MONTH_FORMAT[lang]
    vals.tick_labels.number_format_is_linked = False
    vals.tick_labels.font.size = Pt(10)
    inner = (0.30, 0.09, 0.67, 0.86)  # plot area (x, y, w, h) as fractions of the chart: where the today line falls
    _plot_layout(chart, *inner)
    px = lambda day: x + int(w * (inner[0] + inner[2] * (_serial(day) - _serial(lo)) / (_serial(hi) - _serial(lo))))  # noqa: E731
    top, bottom = y + int(h * inner[1]), y + int(h * (inner[1] + inner[3]))
    for r in frame_rows(frame.loc[frame["kind"] != "change"]):  # each freeze period across every change, so a clash shows
        band = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, px(r.start.date()), top, max(px(r.end.date()) - px(r.start.date()), Emu(12700)), bottom - top)
        band.name = f"freeze {r.id}"
        _fill(band, FREEZE, alpha=0.3)
        band.line.fill.background()
    if lo <= an.as_of <= hi:
        line = s.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, px(an.as_of), top, px(an.as_of), bottom + Inches(0.1))
        line.name = "today"
        line.line.color.rgb = TODAY
        line.line.width = Pt(2.25)
        line.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        label = _text(s, px(an.as_of) - Inches(1.3), bottom + Inches(0.1), Inches(2.6), Inches(0.3),
                      t("deck.gantt.today", lang, date=date(an.as_of, lang)), 11, color=TODAY, bold=True, align=PP_ALIGN.CENTER)
        label.name = "today label"
    clashes = frame.loc[(frame["kind"] == "change") & (frame["clash"] != "")]
    note = (t("deck.gantt.clash", lang, which=t("list.sep", lang).join(f"{r.id} → {r.clash}" for r in frame_rows(clashes)))
            if len(clashes) else t("deck.gantt.no_clash", lang))
    _text(s, MARGIN, Inches(6.35), WIDE - 2 * MARGIN, Inches(0.5), note, 13, color=RAG["red"] if len(clashes) else INK, bold=bool(len(clashes)))


def _cost(d: _Deck) -> None:
    an, lang = d.an, d.lang
    f = an.figures
    months = number(f.horizon_months, lang)
    s = _slide(d, t("deck.cost.title", lang, months=months))
    budget = d.money(f.budget) if f.budget is not None else t("deck.no_budget", lang)
    _text(s, MARGIN, Inches(1.2), WIDE - 2 * MARGIN, Inches(0.7),
          t("deck.cost.summary", lang, spend=d.money(f.spend), budget=budget, total=d.money(f.total), months=months,
            p10=d.money(f.total_p10), p90=d.money(f.total_p90), status_quo=d.money(f.status_quo)), 14, color=INK)
    fmt = MONEY_FORMAT[lang] if f.currency == "EUR" else "#,##0"
    items = f.items
    data = CategoryChartData(number_format=fmt)
    data.categories = [t(f"cost.{k}", lang) for k in items.index]
    data.add_series(t("deck.cost.items", lang, months=months, currency=f.currency), _cents(items))
    half = (WIDE - 2 * MARGIN - Inches(0.3)) // 2
    y, h = Inches(2.05), Inches(4.6)
    chart = s.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, MARGIN, y, half, h, data).chart
    _chart_title(chart, t("deck.cost.items", lang, months=months, currency=f.currency))
    chart.has_legend = False
    chart.category_axis.reverse_order = True
    chart.category_axis.tick_labels.font.size = Pt(11)
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    _solid(chart.plots[0].series[0], ACCENT)
    chart.plots[0].gap_width = 40
    chart.plots[0].has_data_labels = True
    labels = chart.plots[0].data_labels
    labels.show_value, labels.number_format, labels.number_format_is_linked = True, fmt, False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(10)
    flows = an.cash_flows.groupby("month")[["scenario", "status_quo"]].sum().cumsum()  # as the report's cumulative chart
    line = CategoryChartData(number_format=fmt)
    line.categories = [m.date() for m in flows.index]
    line.categories.number_format = MONTH_FORMAT[lang]
    line.add_series(an.scenario, _cents(flows["scenario"]))
    line.add_series(t("deck.cost.status_quo", lang), _cents(flows["status_quo"]))
    chart = s.shapes.add_chart(XL_CHART_TYPE.LINE, MARGIN + half + Inches(0.3), y, half, h, line).chart
    _chart_title(chart, t("deck.cost.cumulative", lang, currency=f.currency))
    chart.has_legend = True
    chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    chart.legend.font.size = Pt(11)
    scen, quo = chart.plots[0].series
    for series, color in ((scen, ACCENT), (quo, MUTED)):
        series.format.line.color.rgb = color
        series.format.line.width = Pt(2.5)
        series.smooth = False
    quo.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    vals = chart.value_axis
    vals.tick_labels.number_format, vals.tick_labels.number_format_is_linked = fmt, False
    vals.tick_labels.font.size = Pt(10)
    vals.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    cats = chart.category_axis
    cats.tick_labels.font.size = Pt(10)
    cats.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    _month_axis(chart, 6 if len(flows) > 18 else 3 if len(flows) > 9 else 1)


def _decisions(d: _Deck) -> None:
    an, lang = d.an, d.lang
    h, f = an.headline, an.figures
    s = _slide(d, t("deck.decisions.title", lang))
    sheet = an.validation_sheet
    open_ = sheet.loc[sheet["status"].isin(["pending", "lapsed"])]
    by_id = {x.id: x for x in an.findings}
    lines = [t("deck.decisions.budget", lang, spend=d.money(f.spend), p90=d.money(f.spend_p90),
               budget=d.money(f.budget) if f.budget is not None else t("deck.no_budget", lang)),
             t("deck.decisions.run", lang, after=d.money(f.run_after), before=d.money(f.run_before)),
             t("deck.decisions.go_live" if h["last_go_live"] != h["first_go_live"] else "deck.decisions.go_live_on", lang,
               first=date(h["first_go_live"], lang), last=date(h["last_go_live"], lang))]
    named = [r for r in frame_rows(open_) if r.kind == "finding" and r.severity in SEVERE]
    for r in named[:MAX_DECISIONS]:
        title = _short(finding_text(by_id[r.id], "title", lang, d.cur, an.client.catalog), 110)
        lines.append(t("deck.decisions.resolve" if r.severity == "blocker" else "deck.decisions.accept", lang, title=title))
    if len(open_) > min(len(named), MAX_DECISIONS):
        lines.append(t("deck.decisions.more", lang, n=len(open_) - min(len(named), MAX_DECISIONS)))
    _text(s, MARGIN, Inches(1.2), WIDE - 2 * MARGIN, Inches(0.45),
          t("deck.decisions.count", lang, pending=h["decisions_pending"], total=h["decisions_total"]), 16, color=INK, bold=True)
    _bullets(s, MARGIN, Inches(1.8), WIDE - 2 * MARGIN, Inches(4.9), lines, 15)


def _people(d: _Deck) -> None:
    an, lang = d.an, d.lang
    h = an.headline
    s = _slide(d, t("deck.people.title", lang))
    tiles = [(h["people_affected"], "deck.people.affected"), (h["departments_affected"], "deck.people.departments"),
             (h["trainees"], "deck.people.trainees"), (round(h["participant_hours"]), "deck.people.hours"),
             (h["recruitments"], "deck.people.recruit"), (h["late_sessions"], "deck.people.late")]
    gap = Inches(0.3)
    w = (WIDE - 2 * MARGIN - 2 * gap) // 3
    for i, (value, key) in enumerate(tiles):
        x = MARGIN + (i % 3) * (w + gap)
        y = Inches(1.5) + (i // 3) * Inches(2.5)
        box = s.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, x, y, w, Inches(2.1))
        _fill(box, LIGHT)
        box.line.fill.background()
        box.adjustments[0] = 0.08
        alarm = key == "deck.people.late" and value > 0
        _text(s, x, y + Inches(0.3), w, Inches(0.9), number(value, lang), 40, color=RAG["red"] if alarm else ACCENT, bold=True, align=PP_ALIGN.CENTER)
        _text(s, x + Inches(0.2), y + Inches(1.25), w - Inches(0.4), Inches(0.7), t(key, lang), 15, color=INK, align=PP_ALIGN.CENTER)


# --- drawing helpers --------------------------------------------------------------------------------

def _slide(d: _Deck, title: str | None = None):
    s = d.prs.slides.add_slide(d.prs.slide_layouts[6])  # blank
    if title:
        _text(s, MARGIN, Inches(0.4), WIDE - 2 * MARGIN, Inches(0.7), title, 28, color=ACCENT, bold=True)
        rule = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.05), Inches(1.2), Emu(38100))
        _fill(rule, RAG["amber"])
        rule.line.fill.background()
    return s


def _frames(s) -> list:
    """Every text frame of a slide: shapes, table cells, chart titles."""
    found = []
    for sh in s.shapes:
        if sh.has_text_frame:
            found.append(sh.text_frame)
        if sh.has_table:
            found += [cell.text_frame for row in sh.table.rows for cell in row.cells]
        if sh.has_chart and sh.chart.has_title:
            found.append(sh.chart.chart_title.text_frame)
    return found


def _footer(d: _Deck, s, n: int, total: int) -> None:
    p = d.an.client.profile
    left = f"{p.name} — {d.an.definition.title} — {date(d.an.as_of, d.lang)} — {t('label.' + p.confidentiality, d.lang)}"
    _text(s, MARGIN, HIGH - Inches(0.45), WIDE - 2 * MARGIN - Inches(1), Inches(0.3), left, 9, color=MUTED)
    _text(s, WIDE - MARGIN - Inches(1), HIGH - Inches(0.45), Inches(1), Inches(0.3), t("deck.page", d.lang, n=n, total=total), 9,
          color=MUTED, align=PP_ALIGN.RIGHT)


def _text(s, x, y, w, h, text: str, size: float, color=INK, bold: bool = False, align=PP_ALIGN.LEFT):
    box = s.shapes.add_textbox(x, y, w, h)
    _frame(box.text_frame, text, size, color, bold, align)
    return box


def _frame(tf, text: str, size: float, color=INK, bold: bool = False, align=PP_ALIGN.LEFT) -> None:
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.MIDDLE
    p = tf.paragraphs[0]
    p.alignment = align
    run = p.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color


def _bullets(s, x, y, w, h, lines: list[str], size: float) -> None:
    tf = s.shapes.add_textbox(x, y, w, h).text_frame
    tf.word_wrap = True
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.space_after = Pt(8)
        run = p.add_run()
        run.text = "▪  " + line
        run.font.size, run.font.color.rgb = Pt(size), INK


def _table(s, x, y, w, header: list[str], rows: list[list[str]], inches: list[float], size: float, row_height=Inches(0.42)):
    shape = s.shapes.add_table(len(rows) + 1, len(header), x, y, w, row_height * (len(rows) + 1))
    tbl = shape.table
    for j, width in enumerate(inches):
        tbl.columns[j].width = Inches(width)
    for i, values in enumerate([header, *rows]):
        tbl.rows[i].height = row_height
        for j, value in enumerate(values):
            cell = tbl.cell(i, j)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = ACCENT if i == 0 else (LIGHT if i % 2 else RGBColor(0xFF, 0xFF, 0xFF))
            tf = cell.text_frame
            tf.word_wrap = True
            run = tf.paragraphs[0].add_run()
            run.text = value
            run.font.size = Pt(size)
            run.font.bold = i == 0
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF) if i == 0 else INK
    return tbl


def _fill(shape, color: RGBColor, alpha: float = 1.0) -> None:
    shape.shadow.inherit = False  # flat: no theme shadow
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    if alpha < 1:  # python-pptx has no transparency: the colour's alpha in the DrawingML
        clr = shape.fill._xPr.find(qn("a:solidFill"))[0]
        el = OxmlElement("a:alpha")
        el.set("val", str(int(alpha * 100000)))
        clr.append(el)


def _solid(series, color: RGBColor) -> None:
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = color


def _chart_title(chart, text: str) -> None:
    chart.has_title = True
    tf = chart.chart_title.text_frame
    tf.text = text
    tf.paragraphs[0].runs[0].font.size = Pt(13)
    tf.paragraphs[0].runs[0].font.bold = True


def _plot_layout(chart, x: float, y: float, w: float, h: float) -> None:
    """Fix the plot area's inner rectangle (fractions of the chart) so that shapes drawn over it line up."""
    area = chart._chartSpace.chart.plotArea
    old = area.find(qn("c:layout"))
    if old is not None:
        area.remove(old)
    layout, manual = OxmlElement("c:layout"), OxmlElement("c:manualLayout")
    for tag, val in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"),
                     ("c:x", x), ("c:y", y), ("c:w", w), ("c:h", h)):
        el = OxmlElement(tag)
        el.set("val", str(val))
        manual.append(el)
    layout.append(manual)
    area.insert(0, layout)


def _month_axis(chart, months: int) -> None:
    """A label every ``months`` months on the chart's date axis (python-pptx sets days)."""
    ax = chart._chartSpace.chart.plotArea.find(qn("c:dateAx"))
    if ax is None:
        return
    ax.find(qn("c:baseTimeUnit")).set("val", "months")
    for tag, val in (("c:majorUnit", str(months)), ("c:majorTimeUnit", "months")):
        el = OxmlElement(tag)
        el.set("val", val)
        ax.append(el)


def _serial(day) -> int:
    """A date as a spreadsheet serial day (what a chart's date axis counts)."""
    day = day.date() if isinstance(day, pd.Timestamp) else day
    return (day - EXCEL_EPOCH).days


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _month_step(lo: dt.date, hi: dt.date) -> int:
    """Days between axis labels from the first of a month: 31 per month (each label stays in its month for
    three years), one month or more on a long plan (about ten labels at most)."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    return 31 * max(1, -(-months // 10))


def _signed(d: _Deck, value: float) -> str:
    return ("+" if value >= 0 else "−") + d.money(abs(value))


def _short(text: str, width: int) -> str:
    return textwrap.shorten(text, width, placeholder=" …") if len(text) > width else text

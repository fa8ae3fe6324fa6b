"""HTML building blocks of the report: fragments, figures with their reading, tables, a finding's text.

Every client-supplied string is escaped by the caller (``text.esc``) before it reaches a table cell;
chart labels are made literal (:func:`literal`) so plotly draws them as typed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import uuid

import numpy as np
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from impactlib.analysis.legal import ISSUE_FROM
from impactlib.report.rule_text import RULE_TEXTS
from impactlib.report import names, plain
from impactlib.report.lean import optional_end_tags_dropped
from impactlib.report.text import TEXTS, date, esc, money, number, plural, t


class Fragment:
    """A piece of report HTML; Jupyter displays it through ``_repr_html_``, which (and so the notebook and the page)
    carries it without the end tags HTML lets a page leave out (:func:`lean.optional_end_tags_dropped`); ``html``
    and ``str()`` are the markup as written."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return optional_end_tags_dropped(self.html)

    def __str__(self) -> str:
        return self.html


class Figure:
    """A chart with the sentence that says what to read in it.

    Displays as HTML (drawn by the plotly.js the report template embeds once, so the exported HTML
    shows it) and as plotly JSON (so JupyterLab draws it when the notebook is opened).
    """

    def __init__(self, fig: go.Figure | plain.Plain, reading: str):
        self.figure, self.reading = fig, reading  # a report's charts are plain.Plain: no plotly validation

    @property
    def fig(self) -> go.Figure:
        """The chart as a go.Figure (validated when asked, for tests and the explorer; the report never asks)."""
        if not isinstance(self.figure, go.Figure):
            self.figure = plain.as_go(self.figure)
        return self.figure

    def _repr_mimebundle_(self, include=None, exclude=None):
        fig = _literal_dict(self.figure)
        data_list, layout_dict = fig.get("data", []), fig.get("layout", {})
        # the title is drawn by the page, above the chart, where it wraps on a phone (plotly's would be cut);
        # a chart that needs room (heatmaps, Gantt) keeps a minimum width and scrolls inside its own box
        title = layout_dict.get("title")
        title = (title.get("text") if isinstance(title, dict) else title) or ""
        page = {**{k: v for k, v in layout_dict.items() if k != "title"}, "margin": {**layout_dict.get("margin", {}), "t": 10}}
        wide = any(tr.get("type") in ("heatmap", "sankey") for tr in data_list) or len(data_list) > 3
        # serialised once: the data is one JSON text for the page's script and the JupyterLab output
        data, layout = _json(data_list), _json(layout_dict)
        div = _plot_div(data, _json(page), page)
        head = f'<div class="chart-title">{esc(title)}</div>' if title else ""
        html = (f'<figure class="chart{" wide" if wide else ""}">{head}<div class="chart-box">{div}</div>'
                f'<figcaption>{esc(self.reading)}</figcaption></figure>')
        return {"text/html": html, "application/vnd.plotly.v1+json": json.loads(f'{{"data":{data},"layout":{layout}}}'),
                "text/plain": self.reading}


# plotly writes "/" and ">" as \u002f and \u003e (and "<" as \u003c) so that no JSON text can end its <script>:
# "<" alone is enough for that (no "</script" nor "<!--" can then occur); the two others are written as typed
# (~1 kB of a report). The lookbehind skips an escaped backslash followed by the letters "u002f".
_UNSWAP = re.compile(r"(?<!\\)((?:\\\\)*)\\u00(2f|3e)")


def _json(value) -> str:
    """``value`` as plotly's JSON text, safe inside a <script>."""
    return _UNSWAP.sub(lambda m: m[1] + ("/" if m[2] == "2f" else ">"), to_json_plotly(value))


_CONFIG = json.dumps({"displaylogo": False, "responsive": True}, separators=(",", ":"))


def _plot_div(data: str, layout: str, layout_dict: dict) -> str:
    """The chart's <div> and the script that draws it in it, as ``plotly.io.to_html(fig, full_html=False,
    include_plotlyjs=False, config=_CONFIG)`` writes them (plotly 6-7) less what a report page does not need (~300
    bytes a chart): the indentation, the ``window.PLOTLYENV`` set-up (read by no chart of ours) and the test that
    the <div> exists (it is just above); its id is a random 48-bit name (unique in a page) rather than a UUID. The
    inner <div>'s ``height:100%; width:100%`` is the page's stylesheet's (report.css), and the outer one's width only
    when not 100 % (a block's width then is its box's anyway)."""
    height = layout_dict.get("height", layout_dict.get("template", {}).get("layout", {}).get("height", "100%"))
    width = layout_dict.get("width", layout_dict.get("template", {}).get("layout", {}).get("width", "100%"))
    height, width = (f"{v}px" if isinstance(v, (int, float)) else v for v in (height, width))
    div_id = f"g{uuid.uuid4().hex[:12]}"
    style = f"height:{height}" + ("" if width == "100%" else f";width:{width}")
    return (f'<div style="{style}"><div id="{div_id}" class="plotly-graph-div"></div>'
            f'<script>Plotly.newPlot("{div_id}",{data},{layout},{_CONFIG})</script></div>')


def literal(fig: go.Figure) -> go.Figure:
    """A copy whose labels, texts and trace names read as typed (see :func:`_literal_dict`)."""
    return go.Figure(_literal_dict(fig), skip_invalid=False)


def _literal_dict(fig: go.Figure | plain.Plain) -> dict:
    """The figure as a dict whose labels, texts and trace names read as typed.

    plotly treats ``<b>``, ``<a href>``, ``<br>`` and entities in these strings as markup, so a client's
    department called ``<b>R&amp;D</b>`` would not show as written; escaping ``& < >`` makes plotly
    draw the characters themselves. (customdata is ours, with deliberate ``<br>``, and is left alone.)
    """
    data = fig.to_dict()
    for trace in data["data"]:
        _one_value(trace.get("marker"))
        for key in ("x", "y", "text", "name", "labels", "hovertext"):
            if key in trace:
                trace[key] = _escaped(trace[key])
        for part in ("node", "link"):  # sankey labels
            if isinstance(trace.get(part), dict) and "label" in trace[part]:
                trace[part]["label"] = _escaped(trace[part]["label"])
    return data


# a marker's per-point styles that plotly also takes as one value for every point (its "arrayOk" attributes); colours
# and symbols are taken as one value only when they are strings (a number array maps through a colour scale)
_PER_POINT = {"color": str, "symbol": str, "size": (int, float), "opacity": (int, float), "width": (int, float)}


def _one_value(marker) -> None:
    """In place: a marker's (and its line's) per-point style that is the same for every point written once (plotly
    draws the same; e.g. 13 × "rgba(0,0,0,0)" of a bar's outline, ~0.5 kB of a report)."""
    if not isinstance(marker, dict):
        return
    for part in (marker, marker.get("line")):
        if not isinstance(part, dict):
            continue
        for key, kind in _PER_POINT.items():
            if key == "width" and part is marker:
                continue  # a marker's own "width" is not a per-point style (a bar's width is not under the marker)
            value = part.get(key)
            if (isinstance(value, (list, tuple)) and len(value) > 1 and all(type(v) is type(value[0]) for v in value)
                    and isinstance(value[0], kind) and not isinstance(value[0], bool) and all(v == value[0] for v in value)):
                part[key] = value[0]


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, np.ndarray) and value.dtype.kind in "OU":
        return _escaped(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_escaped(v) for v in value]
    return value


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string: every character but letters, digits and spaces hex-escaped (no way out
    of the string or of the <style> element)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in value) + '"'


def running_footer(left: str, lang: str) -> str:
    """A <style> giving every printed page but the cover a footer: ``left`` (client and scenario), "Page n of N"."""
    font = 'font: 9px "DejaVu Sans", Arial, sans-serif; color: #555;'
    return (f"<style>@page {{ @bottom-left {{ content: {css_string(left)}; {font} }} "
            f"@bottom-right {{ content: {css_string(t('pdf.page', lang) + ' ')} counter(page) "
            f"{css_string(' ' + t('pdf.of', lang) + ' ')} counter(pages); {font} }} }} "
            "@page :first { @bottom-left { content: normal; } @bottom-right { content: normal; } }</style>")


def html_table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


MONEY_KEYS = {"cost", "total", "budget", "over", "licences", "hardware", "intervention", "training", "recruitment", "outsourcing",
              "run_after", "run_before", "replace_cost"}
MONEY_MEASURES = {"project_cost", "run_cost_saving", "tco_saving"}  # objectives whose value and target are amounts
# evidence keys of MONEY_KEYS that a rule uses for something else: COOP-TIME's "training" is hours of staff time
NOT_MONEY = {"COOP-TIME": frozenset({"training"})}


def evidence_value(key: str, value, lang: str, currency: str) -> str:
    """An evidence value formatted for the locale (not yet escaped)."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if key == "rollout":
        return t(f"rollout.{value}", lang)
    if key == "option":  # a device option (readiness.OPTIONS)
        return t(f"option.{value}", lang)
    if key in ("test",):
        return t(value, lang) if value in ("yes", "no", "not_given") else str(value)
    if isinstance(value, (dt.date,)):
        return date(value, lang)
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, (int, float)):
        if key in MONEY_KEYS:
            return money(value, currency, lang)
        return number(value, lang, 0 if float(value).is_integer() else 1)
    return str(value)


# evidence values that are internal ids, and how a client reads them (report/names.py)
NAMED = {"data": names.data, "days": names.days, "lacking": names.features, "partial": names.features,
         "unknown": names.features, "detail": names.requirements}


# evidence values that say a record is missing ("—" in the evidence): worded, not a dash
NONE_ON_FILE = {"restore_test": "evidence.none_on_file", "dpo": "evidence.none_on_file",
                "cnil_en": "evidence.no_cnil_type", "cnil_fr": "evidence.no_cnil_type"}
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def optional(text: str, values: dict) -> str:
    """``text`` with each ``[clause]`` kept (brackets off) when one of its values is given, dropped when all are
    empty ("—"): "Not supported: —. Not documented: —." is noise in a finding a client reads."""
    def clause(m: re.Match) -> str:
        names = re.findall(r"\{(\w+)", m[1])
        return m[1] if any(values.get(n, "—") not in ("—", "") for n in names) else ""

    return _OPTIONAL.sub(clause, text) if "[" in text else text


def finding_text(f, part: str, lang: str, currency: str, catalog=None) -> str:
    """The title, evidence or advice of a finding in ``lang``, values formatted (not escaped); ids in the
    evidence (skills, data categories, features, requirements, weekdays) named, with ``catalog``'s names."""
    return finding_texts(f, (part,), lang, currency, catalog)[part]


def finding_texts(f, parts: tuple[str, ...], lang: str, currency: str, catalog=None) -> dict[str, str]:
    """:func:`finding_text` of each of ``parts`` (title, evidence, advice), by part: the evidence values formatted
    once for all of them (the warnings' cards show the three: ~90 findings per demo-size report)."""
    values = _finding_values(f, lang, currency, catalog)
    out = {}
    for part in parts:
        en, fr = RULE_TEXTS[f.rule][part]
        text = plural(optional(fr if lang == "fr" else en, values), lang, f.evidence).format(**values)
        out[part] = _tidied(text)
    return out


_SPACES, _SPACE_BEFORE = re.compile(r"  +"), re.compile(r" +([,.)])")


def _tidied(text: str) -> str:
    """``text`` without the stray spaces an empty value leaves: runs of spaces as one, none before , . or ), none at
    the ends (each substitution only where it has something to do: ~1.5 ms of the warnings' ~300 texts)."""
    if "  " in text:
        text = _SPACES.sub(" ", text)
    if " ," in text or " ." in text or " )" in text:
        text = _SPACE_BEFORE.sub(r"\1", text)
    return text.strip()


def _finding_values(f, lang: str, currency: str, catalog) -> dict[str, str]:
    """A finding's evidence values formatted for ``lang`` (not escaped), ids named, for its texts' placeholders."""
    hours = NOT_MONEY.get(f.rule, frozenset())
    values = {k: evidence_value("hours" if k in hours else k, v, lang, currency) for k, v in f.evidence.items()}
    for k, name in NAMED.items():
        if isinstance(f.evidence.get(k), str):
            values[k] = name(f.evidence[k], lang)
    if isinstance(f.evidence.get("skill"), str):
        values["skill"] = names.skill(f.evidence["skill"], lang, catalog)
    if isinstance(f.evidence.get("missing"), str) and f"missing.{f.evidence['missing']}" in TEXTS:
        values["missing"] = t(f"missing.{f.evidence['missing']}", lang)
    if catalog is not None and lang != "en":  # catalog names that are descriptions, not brands, have a translation
        local = names.local_products(catalog, lang)
        for k, v in values.items():
            if isinstance(v, str):
                for en_name, name in local.items():
                    v = v.replace(en_name, name)
                values[k] = v
    if f.rule == "EINV" and f.evidence.get("category") == "—":  # the category not known: the date taken, and the SMEs'
        values["category"] = t("einv.category.unknown", lang, sme=date(ISSUE_FROM["pme"], lang))
    if f.rule == "OBJ-MISSED":  # an objective's value and target are amounts, hours, months or dates, by its measure
        m = f.evidence["measure"]
        for k in ("value", "target"):
            v = f.evidence[k]
            values[k] = money(v, currency, lang) if m in MONEY_MEASURES and isinstance(v, (int, float)) else \
                (t("not_within_horizon", lang) if v is None else evidence_value(k, v, lang, currency))
        values["measure"] = t(f"measure.{m}", lang)
        values["unit"] = "" if m in MONEY_MEASURES or m == "go_live" else values["unit"]
    if f.rule.startswith("PROT-"):  # protection: control, reasons and kinds are ids worded in text.py (prot.*)
        ev = f.evidence
        values.update({k: t(f"prot.{k}.{ev[k]}", lang) for k in ("control", "state", "kind", "level") if k in ev})
        values.update({k: names.tool(ev[k], lang, catalog) for k in ("tool", "alternative") if isinstance(ev.get(k), str)})
        if "reasons" in ev:
            values["reasons"] = ", ".join(t(f"prot.reason.{r}", lang) for r in ev["reasons"]) or t("prot.reason.recorded", lang)
        if isinstance(ev.get("data"), str) and ev["data"] != "—":
            values["data"] = ", ".join(t(f"data.{d}", lang) for d in ev["data"].split(", "))
        if "controls" in ev:
            values["controls"] = ", ".join(t(f"prot.control.{c}", lang) for c in ev["controls"])
        if ev.get("basis") == "none":
            values["basis"] = "—"
    if str(values.get("product", "")).endswith(" " + str(values.get("version", ""))):
        values["version"] = ""  # "Windows Server 2016" already names its version: do not print it twice
    for k, key in NONE_ON_FILE.items():
        if f.evidence.get(k) == "—":
            values[k] = t(key, lang)
    return values

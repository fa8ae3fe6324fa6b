"""Report sections as HTML fragments: every client-supplied string escaped, every text in en or fr.

A notebook cell that ends with one of these objects displays it; nothing here prints or reads files.
"""

from __future__ import annotations

import datetime as dt
import json

import plotly.graph_objects as go
import plotly.io as pio

from . import __version__, charts, overview
from .client import Client, assumptions, changes
from .text import date, esc, money, number, percent, t


class Fragment:
    """A piece of report HTML; Jupyter displays it through ``_repr_html_``."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


class Figure:
    """A chart with the sentence that says what to read in it.

    Displays as HTML (drawn by the plotly.js the report template embeds once, so the exported HTML
    shows it) and as plotly JSON (so JupyterLab draws it when the notebook is opened).
    """

    def __init__(self, fig: go.Figure, reading: str):
        self.fig, self.reading = fig, reading

    def _repr_mimebundle_(self, include=None, exclude=None):
        div = self.fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False, "responsive": True})
        html = f'<figure class="chart">{div}<figcaption>{esc(self.reading)}</figcaption></figure>'
        return {"text/html": html, "application/vnd.plotly.v1+json": json.loads(pio.to_json(self.fig, validate=False)),
                "text/plain": self.reading}


def _table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def cover(client: Client, scenario: str | None, lang: str, report_date: dt.date) -> Fragment:
    """Title page: client, scenario, date, versions, confidentiality label, input fingerprint."""
    p, sc, spec = client.profile, client.scenario(scenario), client.spec
    name = scenario or p.default_scenario
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
        f'<section class="cover"><p class="label label-{esc(p.confidentiality)}">{esc(t("label." + p.confidentiality, lang))}</p>'
        f'<h1>{esc(t("report_title", lang))}</h1><p class="client-name">{esc(p.name)}</p>'
        f'<table class="meta">{meta}</table><p class="note">{esc(t("cover_note", lang))}</p></section>')


def needs(client: Client, scenario: str | None, lang: str) -> Fragment:
    """Section 1: objectives, constraints, means and the scenario's planned changes."""
    spec, cur = client.spec, client.profile.currency
    con, means = spec.constraints, spec.means
    intro = t("needs_intro", lang, title=spec.title, version=spec.version, date=date(spec.date, lang))
    summary = f'<p class="summary">{esc(spec.summary)}</p>' if spec.summary else ""
    objectives = _table(
        [t("col.id", lang), t("col.objective", lang), t("col.priority", lang), t("col.criterion", lang)],
        [[esc(o.id), esc(o.text), esc(t(f"prio.{o.priority}", lang)),
          esc(_criterion(o, lang)) if o.criterion else f'<em class="missing">{esc(t("no_criterion", lang))}</em>']
         for o in spec.objectives])
    ng = t("not_given", lang)
    windows = "; ".join(f"{', '.join(t('day.' + d, lang) for d in w.days)} {w.start}–{w.end}" for w in con.intervention_windows)
    blackouts = "; ".join(f"{b.name} ({date(b.start, lang)} – {date(b.end, lang)})" for b in client.profile.blackout_periods)
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
    pname = lambda pid: products[pid].name if pid in products else (pid or "")  # noqa: E731
    depts = client.departments.set_index("department_id")["name"]
    change_rows = [[esc(c.id), esc(c.title), esc(t(f"action.{c.action}", lang)),
                    esc(" → ".join(x for x in (pname(c.from_product_id), f"{pname(c.product_id)} {c.version or ''}".strip()) if x)),
                    esc(", ".join(depts.get(d, d) for d in c.departments) or t("whole_company", lang)),
                    esc(date(c.start, lang)), esc(date(c.go_live, lang)), esc(t(f"rollout.{c.rollout}", lang))]
                   for c in changes(client, scenario)]
    change_table = _table([t("col.id", lang), t("col.change", lang), t("col.action", lang), t("col.from_to", lang),
                           t("col.scope", lang), t("col.start", lang), t("col.go_live", lang), t("col.rollout", lang)],
                          change_rows)
    return Fragment(
        f'<section class="needs"><h2>{esc(t("needs", lang))}</h2><p>{esc(intro)}</p>{summary}'
        f'<h3>{esc(t("objectives", lang))}</h3>{objectives}'
        f'<h3>{esc(t("constraints", lang))}</h3><table class="kv">{constraints}</table>'
        f'<h3>{esc(t("changes", lang))}</h3>{change_table}</section>')


def _criterion(o, lang: str) -> str:
    if o.target is None:
        return o.criterion
    return f"{o.criterion} — {number(o.target, lang, 0 if float(o.target).is_integer() else 1)} {o.unit or ''}".strip()


def organisation(client: Client, scenario: str | None, lang: str) -> Fragment:
    """Headline tiles and the departments table (counts only: no individual appears)."""
    h = overview.headline(client, scenario)
    tiles = "".join(f'<div class="kpi"><span class="value">{esc(number(h[k], lang))}</span>'
                    f'<span class="name">{esc(t("kpi." + k, lang))}</span></div>'
                    for k in ("staff", "departments", "devices", "servers", "software", "changes"))
    systems = client.usage.loc[client.usage["users"] > 0].groupby("department_id")["asset_id"].nunique()
    rows = [[esc(r.name), esc(number(r.headcount, lang)), esc(t(f"crit.{r.criticality}", lang)),
             esc(number(int(systems.get(r.department_id, 0)), lang))]
            for r in client.departments.sort_values("headcount", ascending=False).itertuples()]
    table = _table([t("col.department", lang), t("col.headcount", lang), t("col.criticality", lang), t("col.systems", lang)],
                   rows, "departments")
    return Fragment(f'<section class="overview"><h2>{esc(t("overview", lang))}</h2><div class="kpis">{tiles}</div>'
                    f'<h3>{esc(t("departments", lang))}</h3>{table}</section>')


def os_support_chart(client: Client, scenario: str | None, lang: str) -> Figure:
    """Devices by operating system and support status at the first go-live, with its reading."""
    frame = overview.os_support(client, scenario)
    months = assumptions(client, scenario).eol_horizon_months
    total = int(frame["devices"].sum())
    bad = int(frame.loc[frame["status"].isin(["ended", "ending"]), "devices"].sum())
    go_live = date(overview.first_go_live(client, scenario), lang)
    reading = (t("chart.os.read", lang, bad=number(bad, lang), total=number(total, lang),
                 share=percent(bad / total if total else 0, lang), months=months, go_live=go_live)
               if bad else t("chart.os.read_ok", lang, total=number(total, lang), months=months, go_live=go_live))
    return Figure(charts.plot_os_support(frame, lang, months), reading)


def usage_chart(client: Client, scenario: str | None, lang: str) -> Figure:
    """Who uses which system, with the systems a change touches marked."""
    frame = overview.usage_matrix(client, scenario)
    per_system = frame.groupby("system").agg(users=("users", "sum"), depts=("department_id", "nunique"))
    top = per_system.sort_values("users", ascending=False).iloc[0]
    reading = t("chart.usage.read", lang, system=top.name, users=number(int(top["users"]), lang), depts=int(top["depts"]))
    return Figure(charts.plot_usage(frame, lang), reading)


def timeline_chart(client: Client, scenario: str | None, lang: str) -> Figure:
    """Changes against blackout periods, with the clashes named."""
    frame = overview.timeline(client, scenario)
    clashes = frame.loc[(frame["kind"] == "change") & (frame["clash"] != "")]
    reading = (t("chart.timeline.read_clash", lang, n=len(clashes),
                 which="; ".join(f"{r.id} → {r.clash}" for r in clashes.itertuples()))
               if len(clashes) else t("chart.timeline.read_ok", lang))
    return Figure(charts.plot_timeline(frame, lang), reading)


def footer(client: Client, lang: str) -> Fragment:
    return Fragment(f'<footer class="report-footer">{esc(t("footer", lang, version=__version__, fp=client.fingerprint[:16]))}</footer>')

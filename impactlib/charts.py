"""Figures for the report: each takes computed frames and returns a plotly figure.

One theme (``THEME``), passed to every figure explicitly: no global plotly settings are changed.
Colours are the Okabe-Ito palette (colour-blind safe) and stay distinguishable in grey print.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .text import t

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
STATUS_COLOURS = {"ended": "#D55E00", "ending": "#E69F00", "supported": "#009E73", "unknown": "#999999",
                  "no_os": "#CCCCCC"}

THEME = go.layout.Template(layout=go.Layout(
    font=dict(family="DejaVu Sans, Arial, sans-serif", size=13, color="#222"),
    colorway=OKABE_ITO, paper_bgcolor="white", plot_bgcolor="white",
    title=dict(x=0, xanchor="left", font=dict(size=16)),
    xaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#bbb", automargin=True),
    yaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#bbb", automargin=True),
    legend=dict(orientation="h", yanchor="top", y=-0.12, x=0),
    margin=dict(l=10, r=10, t=60, b=10),
))


def plot_os_support(frame: pd.DataFrame, lang: str, horizon_months: int) -> go.Figure:
    """Horizontal stacked bars: devices per operating system, coloured by support status."""
    name = frame["os"].where(frame["os"] != "", t("status.no_os", lang))
    redundant = [v == "" or n.endswith(v) for n, v in zip(name, frame["os_version"])]
    f = frame.assign(label=name.where(redundant, name + " " + frame["os_version"]))
    fig = go.Figure(layout=dict(template=THEME, barmode="stack", title=t("chart.os.title", lang),
                                height=200 + 34 * max(f["label"].nunique(), 2)))
    for status in ("ended", "ending", "unknown", "no_os", "supported"):
        part = f.loc[f["status"] == status]
        if part.empty:
            continue
        name = t(f"status.{status}", lang, months=horizon_months)
        fig.add_bar(y=part["label"], x=part["devices"], orientation="h", name=name,
                    marker_color=STATUS_COLOURS[status], text=part["devices"], textposition="auto",
                    hovertemplate="%{y}: %{x}<extra>" + name + "</extra>")
    fig.update_yaxes(autorange="reversed")
    return fig


def plot_usage(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Heatmap of people per department (rows) and system (columns); changed systems marked ●."""
    f = frame.assign(system=frame["system"] + frame["changed"].map({True: " ●", False: ""}))
    grid = f.pivot_table(index="department", columns="system", values="users", aggfunc="sum", fill_value=0)
    order = grid.sum().sort_values(ascending=False).index
    grid = grid[order]
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index),
                               colorscale=[[0, "#ffffff"], [0.001, "#deebf7"], [1, "#08519c"]],
                               text=grid.where(grid > 0, "").to_numpy(), texttemplate="%{text}", hoverongaps=False,
                               showscale=False),
                    layout=dict(template=THEME, title=t("chart.usage.title", lang),
                                height=180 + 36 * len(grid.index)))
    fig.update_xaxes(tickangle=-35, side="bottom")
    return fig


def plot_timeline(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Gantt of the changes (start to go-live) over the blackout periods; go-lives as diamonds."""
    fig = go.Figure(layout=dict(template=THEME, title=t("chart.timeline.title", lang), barmode="overlay",
                                height=160 + 40 * len(frame)))
    for kind, colour in (("blackout", "#999999"), ("change", "#0072B2")):
        part = frame.loc[frame["kind"] == kind]
        if part.empty:
            continue
        width = (part["end"] - part["start"]).dt.total_seconds() * 1000 + 86_400_000
        fig.add_bar(y=part["label"], x=width, base=part["start"], orientation="h",
                    name=t("blackout", lang) if kind == "blackout" else t("col.change", lang),
                    marker_color=colour, marker_pattern_shape="/" if kind == "blackout" else "",
                    opacity=0.55 if kind == "blackout" else 0.9)
    ch = frame.loc[frame["kind"] == "change"]
    fig.add_scatter(y=ch["label"], x=ch["end"], mode="markers", name=t("go_live_marker", lang),
                    marker=dict(symbol="diamond", size=13,
                                color=["#D55E00" if c else "#000000" for c in ch["clash"]]))
    for _, b in frame.loc[frame["kind"] == "blackout"].iterrows():
        fig.add_vrect(x0=b["start"], x1=b["end"] + pd.Timedelta(days=1), fillcolor="#999999", opacity=0.12, line_width=0)
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed")
    return fig


def plot_risk_matrix(findings, lang: str) -> go.Figure:
    """5×5 grid of likelihood (x) by impact (y); shade = likelihood × impact; number = findings in the cell."""
    counts = [[0] * 5 for _ in range(5)]
    ids = [[[] for _ in range(5)] for _ in range(5)]
    for f in findings:
        counts[f.impact - 1][f.likelihood - 1] += 1
        ids[f.impact - 1][f.likelihood - 1].append(f.id)
    score = [[(i + 1) * (l + 1) for l in range(5)] for i in range(5)]
    text = [[str(c) if c else "" for c in row] for row in counts]
    hover = [["<br>".join(cell[:12]) + ("<br>…" if len(cell) > 12 else "") for cell in row] for row in ids]
    fig = go.Figure(go.Heatmap(z=score, x=[1, 2, 3, 4, 5], y=[1, 2, 3, 4, 5], text=text, texttemplate="%{text}",
                               textfont=dict(size=18), customdata=hover, hovertemplate="%{customdata}<extra></extra>",
                               colorscale=[[0, "#fff7ec"], [0.35, "#fdd49e"], [0.6, "#fc8d59"], [1, "#b30000"]],
                               showscale=False, xgap=2, ygap=2),
                    layout=dict(template=THEME, title=t("chart.risk.title", lang), height=460, width=560))
    fig.update_xaxes(title=t("chart.risk.x", lang), dtick=1, showgrid=False, range=[0.5, 5.5], constrain="domain", zeroline=False)
    fig.update_yaxes(title=t("chart.risk.y", lang), dtick=1, showgrid=False, range=[0.5, 5.5], scaleanchor="x", zeroline=False)
    return fig

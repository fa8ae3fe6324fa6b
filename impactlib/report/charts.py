"""Figures for the report: each takes computed frames and returns a plotly figure.

One theme (``THEME``), passed to every figure explicitly: no global plotly settings are changed.
Colours are the Okabe-Ito palette (colour-blind safe) and stay distinguishable in grey print.
"""

from __future__ import annotations

import html
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from impactlib.analysis.shared import exact, positions
from impactlib.report import plain

from impactlib.report.text import number, t

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
STATUS_COLOURS = {"ended": "#D55E00", "ending": "#E69F00", "update_due": "#56B4E9", "supported": "#009E73",
                  "unknown": "#999999", "no_os": "#CCCCCC"}

THEME = go.layout.Template(layout=go.Layout(
    font=dict(family="DejaVu Sans, Arial, sans-serif", size=13, color="#222"),
    colorway=OKABE_ITO, paper_bgcolor="white", plot_bgcolor="white",
    title=dict(x=0, xanchor="left", font=dict(size=16)),
    # whole numbers with the locale's grouping ("300,000" / "300 000"), never SI suffixes such as "300k"
    xaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#bbb", automargin=True, exponentformat="none", separatethousands=True),
    yaxis=dict(gridcolor="#e5e5e5", zerolinecolor="#bbb", automargin=True, exponentformat="none", separatethousands=True),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left"),  # above the plot: never over the ticks
    margin=dict(l=10, r=10, t=60, b=10),
))


def plot_os_support(frame: pd.DataFrame, lang: str, horizon_months: int) -> plain.Plain:
    """Horizontal stacked bars: devices per operating system, coloured by support status."""
    # each device group's label in plain Python (two wheres and a concatenation of the columns: ~1 ms): the system's
    # name (or "no OS"), then its version unless blank or already in the name
    no_os, labels = t("status.no_os", lang), []
    for system, version in zip(frame["os"].tolist(), frame["os_version"].tolist()):
        name = system if system != "" else no_os
        labels.append(name if version == "" or name.endswith(version) else name + " " + version)
    fig = plain.figure(layout=dict(template=THEME, barmode="stack", title=t("chart.os.title", lang),
                                height=200 + 34 * max(len({x for x in labels if x == x}), 2)))  # (NA: not counted, as nunique)
    # each status's bars from the columns read once (a filter of the frame per status cost ~0.5 ms each)
    label, devices = np.array(labels, dtype=object), frame["devices"].to_numpy()
    rows_of = positions(frame["status"].tolist())
    for status in ("ended", "ending", "update_due", "unknown", "no_os", "supported"):
        rows = rows_of.get(status)
        if not rows:
            continue
        name = t(f"status.{status}", lang, months=horizon_months)
        fig.add_bar(y=label[rows], x=devices[rows], orientation="h", name=name,
                    marker_color=STATUS_COLOURS[status], text=devices[rows], textposition="auto",
                    hovertemplate="%{y}: %{x}<extra>" + name + "</extra>")
    fig.update_yaxes(autorange="reversed")
    return fig


def pivot(frame: pd.DataFrame, index: str, columns: str, values: str, aggfunc: str, fill_value=None) -> pd.DataFrame:
    """``frame.pivot_table(index=, columns=, values=, aggfunc=, fill_value=)`` for one values column, by the steps
    pandas' pivot_table takes (a groupby of the two keys, NA results dropped, unstacked, filled) without its general
    machinery: ~0.4 ms instead of ~1.3 ms for a chart's tens of rows, five grids a report. A chart's grid of at
    most SMALL_PIVOT rows is built in plain Python (:func:`_pivot_small`: ~2 ms less a grid on this project's machine)."""
    if len(frame) <= SMALL_PIVOT:
        small = _pivot_small(frame, index, columns, values, aggfunc, fill_value)
        if small is not None:
            return small
    grouped = frame.groupby([index, columns])[values].agg(aggfunc).dropna()
    table = grouped.unstack(columns, fill_value=fill_value).sort_index(axis=1)
    return table if fill_value is None else table.fillna(fill_value)


SMALL_PIVOT = 2000  # rows of a grid's frame that _pivot_small builds in plain Python (a big client's: pandas)


def _pivot_small(frame: pd.DataFrame, index: str, columns: str, values: str, aggfunc: str, fill_value) -> pd.DataFrame | None:
    """:func:`pivot`'s table built in plain Python: the same index, columns, values and dtypes (tests/test_charts.py
    compares both paths), or None where it does not know pandas' result for sure (then pandas builds it): keys other
    than text or dates, values other than numbers or text, a float sum or mean of several values other than whole
    numbers (whose rounding depends on the order pandas adds them in)."""
    key_types = [frame[index].dtype, frame[columns].dtype]
    kind = frame[values].dtype
    if not all(d == "str" or str(d).startswith("datetime64[") for d in key_types):  # text (NaN for NA) or dates
        return None
    numeric = kind in ("int64", "float64")
    if not (numeric or kind == "str") or aggfunc not in ("sum", "first", "mean", "max"):
        return None
    if not numeric and aggfunc != "first":
        return None
    groups: dict = {}
    for i, c, v in zip(frame[index].array, frame[columns].array, frame[values].tolist()):
        if i is pd.NaT or c is pd.NaT or i != i or c != c:  # NA keys: no group (groupby's dropna)
            continue
        groups.setdefault((i, c), []).append(v)
    table: dict = {}
    for key, vals in groups.items():
        present = [v for v in vals if v == v]  # NaN (and a text column's NA) skipped, as pandas' reductions do
        if aggfunc == "first":
            if present:
                table[key] = present[0]
        elif kind == "int64":  # whole numbers: sum, mean or max as pandas gives them
            table[key] = sum(vals) if aggfunc == "sum" else max(vals) if aggfunc == "max" else (sum(vals) / len(vals) if exact([float(sum(vals))]) else None)
        elif aggfunc == "max":
            if present:
                table[key] = max(present)
        else:  # a float sum (0.0 when empty) or mean: when exact, any order of adding gives pandas' float, and so does
            # one finite non-zero value alone (0.0 + v, over 1: the impact heatmap's mean scores, one per cell)
            if not (exact(present) or (len(present) == 1 and present[0] != 0 and present[0] - present[0] == 0)):
                return None
            total = float(sum(present))
            if aggfunc == "sum":
                table[key] = total
            elif present:
                table[key] = total / len(present)
    if not table or any(v is None for v in table.values()):
        return None
    rows = sorted({i for i, _ in table})
    cols = sorted({c for _, c in table})
    holes = len(table) < len(rows) * len(cols)
    blank = fill_value if fill_value is not None else float("nan")
    grid = [[table.get((i, c), blank) for c in cols] for i in rows]
    if numeric:  # one 2-D block, as unstack makes it
        whole = kind == "int64" and aggfunc != "mean" and (fill_value is not None or not holes)
        values, dtype = np.array(grid, dtype="int64" if whole else "float64"), None
    else:
        values, dtype = np.array(grid, dtype=object), kind
    return pd.DataFrame(values, index=pd.Index(rows, dtype=key_types[0], name=index),
                        columns=pd.Index(cols, dtype=key_types[1], name=columns), dtype=dtype)


def grouped(frame: pd.DataFrame, keys: list[str], value: str, how: str) -> pd.DataFrame:
    """``frame.groupby(keys, as_index=False, sort=False)[value].sum()`` (``how``: "sum" or "max"): the groups in the
    order they first appear, NA keys left out. A frame of at most SMALL_PIVOT rows is grouped in plain Python
    (:func:`_grouped_small`: a groupby costs ~1 ms for a chart's tens of rows, six of them a report)."""
    if len(frame) <= SMALL_PIVOT:
        small = _grouped_small(frame, keys, value, how)
        if small is not None:
            return small
    return getattr(frame.groupby(keys, as_index=False, sort=False)[value], how)()


def _grouped_small(frame: pd.DataFrame, keys: list[str], value: str, how: str) -> pd.DataFrame | None:
    """:func:`grouped`'s frame built in plain Python: the same rows, columns and dtypes (tests/test_fast_sections.py
    compares both paths), or None where it does not know pandas' result for sure (then pandas builds it): keys other
    than text or booleans, values other than whole numbers (int64), no group."""
    dtypes = [frame[k].dtype for k in keys]
    if frame[value].dtype != "int64" or not all(d == "str" or d == "bool" for d in dtypes) or how not in ("sum", "max"):
        return None
    groups: dict = {}
    for *key, v in zip(*(frame[k].tolist() for k in keys), frame[value].tolist()):
        key = tuple(key)
        if any(x != x for x in key):  # an NA key: no group (groupby's dropna)
            continue
        groups[key] = v if key not in groups else groups[key] + v if how == "sum" else max(groups[key], v)
    if not groups or any(not -2**63 <= v < 2**63 for v in groups.values()):  # (an int64 sum that would wrap: pandas')
        return None
    columns = list(zip(*groups)) + [list(groups.values())]
    return pd.DataFrame({k: pd.array(col, dtype=d) for k, col, d in zip([*keys, value], columns, [*dtypes, "int64"])})


def largest_first(values: np.ndarray) -> np.ndarray:
    """The positions of ``values`` (numbers) in the order ``pd.Series(values).sort_values(ascending=False)`` puts them,
    ties as its default quicksort leaves them (pandas sorts the reversed values and reverses the order), NaN last."""
    nan = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), dtype=bool)
    rows = np.flatnonzero(~nan)
    return np.concatenate([rows[::-1][values[rows][::-1].argsort(kind="quicksort")][::-1], np.flatnonzero(nan)])


def plot_usage(frame: pd.DataFrame, lang: str, rows: list[str] | None = None, last: str | None = None) -> plain.Plain:
    """Heatmap of people per department (rows, bottom to top in the order of ``rows`` when given) and system
    (columns, most used first, ``last`` at the end); changed systems marked ●."""
    f = frame.assign(system=frame["system"] + frame["changed"].map({True: " ●", False: ""}))
    grid = pivot(f, "department", "system", "users", "sum", fill_value=0)
    # the most used first, as grid.sum().sort_values(ascending=False) orders them (whole numbers: summed by numpy alike)
    by_use = (grid.columns[largest_first(grid.to_numpy().sum(axis=0))] if all(d == "int64" for d in grid.dtypes)
              else grid.sum().sort_values(ascending=False).index)
    order = [c for c in by_use if c != last] + ([last] if last in grid.columns else [])
    grid = grid[order] if rows is None else grid[order].reindex(rows, fill_value=0)
    z = grid.to_numpy()
    text = z.astype(object)  # grid.where(grid > 0, "").to_numpy(), without pandas' where (~1 ms): the numbers as Python's
    text[~(z > 0)] = ""
    fig = plain.figure(plain.trace("heatmap", z=z, x=list(grid.columns), y=list(grid.index),
                               colorscale=[[0, "#ffffff"], [0.001, "#deebf7"], [1, "#08519c"]],
                               text=text, texttemplate="%{text}", hoverongaps=False,
                               showscale=False),
                    layout=dict(template=THEME, title=t("chart.usage.title", lang),
                                height=180 + 36 * len(grid.index)))
    fig.update_xaxes(tickangle=-35, side="bottom")
    return fig


def plot_timeline(frame: pd.DataFrame, lang: str) -> plain.Plain:
    """Gantt of the changes (start to go-live) over the blackout periods; go-lives as diamonds."""
    fig = plain.figure(layout=dict(template=THEME, title=t("chart.timeline.title", lang), barmode="overlay",
                                height=160 + 40 * len(frame)))
    # each kind's rows from the columns read once (a filter of the frame per kind, their widths and an iterrows of the
    # blackouts cost ~1.5 ms); a width is the same computed over the column or over the kind's rows
    rows_of = positions(frame["kind"].tolist())
    label, start, end = frame["label"].to_numpy(), frame["start"].to_numpy(), frame["end"].to_numpy()
    width = ((frame["end"] - frame["start"]).dt.total_seconds() * 1000 + 86_400_000).to_numpy()
    for kind, colour in (("blackout", "#999999"), ("change", "#0072B2")):
        rows = rows_of.get(kind)
        if not rows:
            continue
        fig.add_bar(y=label[rows], x=width[rows], base=start[rows], orientation="h",
                    name=t("blackout", lang) if kind == "blackout" else t("col.change", lang),
                    marker_color=colour, marker_pattern_shape="/" if kind == "blackout" else "",
                    opacity=0.55 if kind == "blackout" else 0.9)
    changes = rows_of.get("change", [])
    clash = frame["clash"].tolist()
    fig.add_scatter(y=label[changes], x=end[changes], mode="markers", name=t("go_live_marker", lang),
                    marker=dict(symbol="diamond", size=13, color=["#D55E00" if clash[i] else "#000000" for i in changes]))
    for i in rows_of.get("blackout", []):  # the dates as iterrows gives them: Timestamps of the column's unit
        fig.add_vrect(x0=frame["start"].array[i], x1=frame["end"].array[i] + pd.Timedelta(days=1), fillcolor="#999999", opacity=0.12, line_width=0)
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed", **wrapped_ticks(frame["label"]))
    return fig


def wrapped_ticks(labels, width: int = 26) -> dict:
    """Category tick labels broken over lines of about ``width`` characters, so a long label does not
    squeeze the plot (the values are escaped as :func:`report.html.literal` escapes the trace's)."""
    values = list(dict.fromkeys(labels))
    return dict(tickmode="array", tickvals=[html.escape(v, quote=False) for v in values],
                ticktext=["<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(v, width) or [""])
                          for v in values])


def plot_risk_matrix(findings, lang: str) -> plain.Plain:
    """5×5 grid of likelihood (x) by impact (y); shade = likelihood × impact; number = findings in the cell."""
    counts = [[0] * 5 for _ in range(5)]
    ids = [[[] for _ in range(5)] for _ in range(5)]
    for f in findings:
        counts[f.impact - 1][f.likelihood - 1] += 1
        ids[f.impact - 1][f.likelihood - 1].append(f.id)
    score = [[(i + 1) * (l + 1) for l in range(5)] for i in range(5)]
    text = [[str(c) if c else "" for c in row] for row in counts]
    hover = [["<br>".join(cell[:12]) + ("<br>…" if len(cell) > 12 else "") for cell in row] for row in ids]
    fig = plain.figure(plain.trace("heatmap", z=score, x=[1, 2, 3, 4, 5], y=[1, 2, 3, 4, 5], text=text, texttemplate="%{text}",
                               textfont=dict(size=18), customdata=hover, hovertemplate="%{customdata}<extra></extra>",
                               colorscale=[[0, "#fff7ec"], [0.35, "#fdd49e"], [0.6, "#fc8d59"], [1, "#b30000"]],
                               showscale=False, xgap=2, ygap=2),
                    layout=dict(template=THEME, title=t("chart.risk.title", lang), height=460))
    fig.update_xaxes(title=t("chart.risk.x", lang), dtick=1, showgrid=False, range=[0.5, 5.5], constrain="domain", zeroline=False)
    fig.update_yaxes(title=t("chart.risk.y", lang), dtick=1, showgrid=False, range=[0.5, 5.5], scaleanchor="x", zeroline=False)
    return fig


_SEQ = [[0, "#ffffff"], [0.2, "#deebf7"], [0.5, "#6baed6"], [0.8, "#2171b5"], [1, "#08306b"]]  # single hue: colour-blind safe


def plot_impact_heatmap(scores: pd.DataFrame, lang: str, rows: list[str] | None = None) -> plain.Plain:
    """Departments (rows, top to bottom in the order of ``rows`` when given) × changes (columns): impact score 0-5,
    the number printed in each cell."""
    grid = pivot(scores, "department", "change_id", "score", "mean")
    grid = grid if rows is None else grid.reindex(rows)
    # the locale's decimal mark: "4,3" in French (from the grid's array: a DataFrame.map costs ~0.5 ms more)
    if all(d == "float64" for d in grid.dtypes):
        values = grid.to_numpy()
        text = np.array([["" if v != v else number(v, lang, 1) for v in row] for row in values.tolist()],
                        dtype=object).reshape(values.shape)
    else:
        text = grid.map(lambda v: "" if pd.isna(v) else number(v, lang, 1)).to_numpy()
    fig = plain.figure(plain.trace("heatmap", z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index), zmin=0, zmax=5, colorscale=_SEQ,
                               text=text, texttemplate="%{text}", hoverongaps=False,
                               colorbar=dict(title=dict(text="0-5"), thickness=12)),
                    layout=dict(template=THEME, title=t("chart.impact.title", lang), height=170 + 36 * len(grid.index)))
    fig.update_yaxes(autorange="reversed")
    return fig


def plot_change_load(load: pd.DataFrame, lang: str, rows: list[str] | None = None) -> plain.Plain:
    """Departments (rows, top to bottom in the order of ``rows`` when given) × months: change load, shaded by
    load / capacity; saturated months marked ▲."""
    ratio = (load["load"] / load["capacity"]).rename("ratio")
    labels = [number(v, lang, 1) + (" ▲" if sat else "") for v, sat in zip(load["load"], load["saturated"])]
    z = pivot(load.assign(ratio=ratio), "department", "month", "ratio", "max")
    z = z if rows is None else z.reindex(rows)
    # each cell's label: the first of its (department, month), blank where there is none, as a pivot of the labels
    # reindexed like z gives it (~1.5 ms more)
    first: dict = {}
    for key, label in zip(zip(load["department"].tolist(), load["month"].array), labels):
        first.setdefault(key, label)
    text = np.array([[first.get((row, month), "") for month in z.columns] for row in z.index], dtype=object).reshape(z.shape)
    fig = plain.figure(plain.trace("heatmap", z=z.to_numpy(), x=list(z.columns), y=list(z.index), zmin=0, zmax=2,
                               colorscale=[[0, "#ffffff"], [0.5, "#fdd49e"], [0.5001, "#fc8d59"], [1, "#b30000"]],
                               text=text, texttemplate="%{text}", hoverongaps=False,
                               colorbar=dict(title=dict(text=t("chart.load.ratio", lang)), thickness=12)),
                    layout=dict(template=THEME, title=t("chart.load.title", lang), height=170 + 36 * len(z.index)))
    fig.update_xaxes(type="date", dtick="M1", tickformat="%m/%Y")
    fig.update_yaxes(autorange="reversed")
    return fig


def plot_skill_gaps(grid: pd.DataFrame, k: int, lang: str, rows: list[str] | None = None) -> plain.Plain:
    """Departments (rows, top to bottom in the order of ``rows`` when given) × skills: people with a gap; -1 marks
    a group under k (blank, labelled '<k'); NaN: no gap."""
    grid = grid if rows is None else grid.reindex(rows)
    if all(d == "float64" for d in grid.dtypes):  # on the grid's array: three wheres and a map over the frame cost ~1.5 ms
        values = grid.to_numpy()
        z = np.where(values >= 0, values, np.nan)
        text = np.array([["" if v != v else f"{int(v)}" if v >= 0 else f"<{k}" for v in row] for row in values.tolist()],
                        dtype=object).reshape(values.shape)
    else:
        z = grid.astype("float64").where(grid >= 0).to_numpy()
        text = grid.astype("object").where(grid >= 0, f"<{k}").where(grid.notna(), "")
        text = text.map(lambda v: f"{int(v)}" if isinstance(v, float) else v).to_numpy()
    fig = plain.figure(plain.trace("heatmap", z=z, x=list(grid.columns), y=list(grid.index), colorscale=_SEQ,
                               text=text, texttemplate="%{text}", hoverongaps=False, showscale=False),
                    layout=dict(template=THEME, title=t("chart.gaps.title", lang, k=k), height=230 + 36 * len(grid.index)))
    fig.update_xaxes(tickangle=0, **wrapped_ticks(grid.columns, 18))  # skill names, over a few short lines
    fig.update_yaxes(autorange="reversed")
    return fig


def plot_training_timeline(plan: pd.DataFrame, go_lives: dict, lang: str) -> plain.Plain:
    """Training sessions over time per change and wave (bars from first to last session), go-lives as diamonds."""
    fig = plain.figure(layout=dict(template=THEME, title=t("chart.training.title", lang), barmode="overlay"))
    spans = training_spans(plan)
    spans["label"] = spans["change_id"] + " · " + spans["wave"].map({1: t("wave.1", lang), 2: t("wave.2", lang)})
    # each wave's rows from the columns read once, as plot_timeline's kinds (~1 ms less)
    rows_of = positions(spans["wave"].tolist())
    label, first, sessions = spans["label"].to_numpy(), spans["first"].to_numpy(), spans["n"].tolist()
    # (no span: no bar, and an empty plan's dates are not datetimes)
    width = ((spans["last"] - spans["first"]).dt.total_seconds() * 1000 + 5 * 86_400_000).to_numpy() if len(spans) else None
    for wave, colour in ((1, "#E69F00"), (2, "#0072B2")):
        rows = rows_of.get(wave)
        if not rows:
            continue
        fig.add_bar(y=label[rows], x=width[rows], base=first[rows], orientation="h", name=t(f"wave.{wave}", lang), marker_color=colour,
                    text=[t("sessions_n", lang, n=number(sessions[i], lang)) for i in rows], textposition="inside")
    fig.add_scatter(y=label, x=spans["change_id"].map(go_lives), mode="markers", name=t("go_live_marker", lang),
                    marker=dict(symbol="diamond", size=12, color="#000000"))
    fig.update_layout(height=170 + 40 * len(spans))
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed")
    return fig


def training_spans(plan: pd.DataFrame) -> pd.DataFrame:
    """Per change and wave (sorted): the first and last session's dates and the sessions (columns change_id, wave,
    first, last, n). A plan of at most SMALL_PIVOT rows of whole numbers and dates is spanned in plain Python (a
    groupby, three reductions and a reset_index: ~2 ms; tests/test_fast_sections.py compares both paths)."""
    date = plan["date"].dtype
    if (len(plan) <= SMALL_PIVOT and plan["change_id"].dtype == "str" and plan["wave"].dtype == "int64"
            and plan["sessions"].dtype == "int64" and str(date).startswith("datetime64[") and not plan["date"].isna().any()):
        spans: dict = {}  # (change, wave) -> [first, last (as integers of the dates' unit), sessions]
        for change, wave, day, n in zip(plan["change_id"].tolist(), plan["wave"].tolist(), plan["date"].to_numpy().view("int64").tolist(),
                                        plan["sessions"].tolist()):
            if change != change:  # an NA change: no group
                continue
            span = spans.get((change, wave))
            if span is None:
                spans[(change, wave)] = [day, day, n]
            else:
                span[0], span[1], span[2] = min(span[0], day), max(span[1], day), span[2] + n
        if spans and all(-2**63 <= v[2] < 2**63 for v in spans.values()):
            keys, values = sorted(spans), [spans[key] for key in sorted(spans)]
            return pd.DataFrame({"change_id": pd.array([c for c, _ in keys], dtype="str"), "wave": np.array([w for _, w in keys], dtype="int64"),
                                 "first": np.array([v[0] for v in values], dtype="int64").view(date),
                                 "last": np.array([v[1] for v in values], dtype="int64").view(date),
                                 "n": np.array([v[2] for v in values], dtype="int64")})
    by = plan.groupby(["change_id", "wave"])  # three reductions, not a named aggregation (~1.2 ms less: its machinery)
    return pd.DataFrame({"first": by["date"].min(), "last": by["date"].max(), "n": by["sessions"].sum()}).reset_index()


def by_item(ranges: pd.DataFrame):
    """``at(item, column)``: a value of the cost ranges, as ``ranges.set_index("item").at[item, column]``; read from
    dicts of the columns when each item has one row (a set_index and its lookups: ~1 ms a chart)."""
    items = ranges["item"].tolist()
    if len(set(items)) < len(items):
        indexed = ranges.set_index("item")
        return lambda item, column: indexed.at[item, column]
    columns = {c: dict(zip(items, ranges[c].tolist())) for c in ranges.columns if c != "item"}
    return lambda item, column: columns[column][item]


def plot_cost_waterfall(ranges: pd.DataFrame, currency: str, lang: str, fmt=lambda v: f"{v:,.0f}") -> plain.Plain:
    """Cost items adding up to the total over the horizon (estimates), the total's P10-P90 range as an error bar.

    ``fmt`` formats the amounts printed on the bars (the report passes the locale's money format)."""
    at = by_item(ranges)
    parts = [i for i in ranges["item"].tolist() if i != "total" and at(i, "base") > 0]
    labels = [t(f"cost.{i}", lang) for i in parts] + [t("cost.total", lang)]
    values = [float(at(i, "base")) for i in parts] + [float(at("total", "base"))]
    fig = plain.figure(plain.trace("waterfall", x=labels, y=values, measure=["relative"] * len(parts) + ["total"],
                                 connector=dict(line=dict(color="#bbb")), increasing=dict(marker_color="#0072B2"),
                                 totals=dict(marker_color="#0b3d66"), text=[fmt(v) for v in values], textposition="outside"),
                    layout=dict(template=THEME, title=t("chart.cost.title", lang, currency=currency), height=460, showlegend=False))
    lo, hi, p50 = (float(at("total", k)) for k in ("p10", "p90", "p50"))
    fig.add_scatter(x=[labels[-1]], y=[p50], mode="markers", marker=dict(color="#D55E00", size=10, symbol="line-ew-open"),
                    error_y=dict(type="data", symmetric=False, array=[hi - p50], arrayminus=[p50 - lo], color="#D55E00", thickness=2, width=12),
                    name="P10-P90")
    return fig


def plot_cumulative(curves: dict[str, pd.Series], status_quo: pd.Series, break_even, lang: str, currency: str) -> plain.Plain:
    """Cumulative cost over the horizon, month by month: one line per scenario, the status quo dashed, the
    break-even month of the first scenario marked when it has one."""
    fig = plain.figure(layout=dict(template=THEME, title=t("chart.cumulative.title", lang, currency=currency), height=440,
                                yaxis=dict(title=currency, rangemode="tozero"), hovermode="x unified"))
    for name, curve in curves.items():
        fig.add_scatter(x=curve.index, y=curve.to_numpy(), mode="lines", name=name, line=dict(width=3))
    fig.add_scatter(x=status_quo.index, y=status_quo.to_numpy(), mode="lines", name=t("status_quo", lang),
                    line=dict(color="#555", dash="dash", width=2))
    if break_even is not None:
        fig.add_vline(x=pd.Timestamp(break_even), line=dict(color="#009E73", dash="dot"))
        fig.add_annotation(x=pd.Timestamp(break_even), y=1, yref="paper", text=t("break_even", lang), showarrow=False,
                           xanchor="left", yanchor="top", font=dict(color="#00704F"))
    return fig


def plot_scenarios(table: pd.DataFrame, lang: str) -> plain.Plain:
    """Scenarios side by side: blockers and high findings, the total cost over the horizon (with P10-P90), training hours."""
    fig = plain.subplots([t("cmp.findings", lang), t("cmp.cost", lang), t("cmp.training", lang)])
    x = table["scenario"]
    fig.add_bar(x=x, y=table["blocker"], name=t("sev.blocker", lang), marker_color="#7a0000", row=1, col=1)
    fig.add_bar(x=x, y=table["high"], name=t("sev.high", lang), marker_color="#D55E00", row=1, col=1)
    fig.add_bar(x=x, y=table["total"], marker_color="#0072B2", showlegend=False, row=1, col=2,
                error_y=dict(type="data", symmetric=False, array=table["total_p90"] - table["total"],
                             arrayminus=table["total"] - table["total_p10"], color="#333"))
    fig.add_bar(x=x, y=table["participant_hours"], marker_color="#009E73", showlegend=False, row=1, col=3)
    fig.update_layout(template=THEME, barmode="stack", height=420, title=t("cmp.title", lang))
    return fig


def plot_flow(flows: pd.DataFrame, change_titles: dict[str, str], lang: str) -> plain.Plain:
    """Sankey: changes (left) → systems they touch (middle) → departments (right), widths in people."""
    changes_ = list(dict.fromkeys(flows["change_id"]))
    systems = list(dict.fromkeys(flows["system"]))
    depts = sorted(set(flows["department"]))
    labels = [f"{c} {change_titles.get(c, '')}".strip() for c in changes_] + systems + depts
    index = {("c", c): i for i, c in enumerate(changes_)}
    index |= {("s", s): len(changes_) + i for i, s in enumerate(systems)}
    index |= {("d", d): len(changes_) + len(systems) + i for i, d in enumerate(depts)}
    left = grouped(flows, ["change_id", "system"], "users", "sum")
    right = grouped(flows, ["system", "department"], "users", "max")  # people, not change-people
    source = [index[("c", c)] for c in left["change_id"]] + [index[("s", s)] for s in right["system"]]
    target = [index[("s", s)] for s in left["system"]] + [index[("d", d)] for d in right["department"]]
    colours = ([OKABE_ITO[i % 7] for i in range(len(changes_))] + ["#7f8c99"] * len(systems) + ["#0b3d66"] * len(depts))
    link_colours = [OKABE_ITO[changes_.index(c) % 7] + "66" for c in left["change_id"]] + ["#7f8c9944"] * len(right)
    fig = plain.figure(plain.trace("sankey", 
        arrangement="snap", valueformat=",d",
        node=dict(label=labels, color=colours, pad=14, thickness=16, line=dict(width=0)),
        link=dict(source=source, target=target, value=list(left["users"]) + list(right["users"]), color=link_colours)),
        layout=dict(template=THEME, title=t("chart.flow.title", lang), height=max(360, 28 * max(len(systems), len(depts)) + 120)))
    return fig

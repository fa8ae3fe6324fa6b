"""Warm a process before it forks report kernels: the one-off costs of a first report, paid once.

What a first ``load_client`` pays in a fresh process and the next ones do not (measured on a
120-person synthetic client: 0.58 s for the first load and review, 0.27 s for the next):

- pandera builds each table's schema on first use, and on that first build imports the typing
  module of every dataframe library installed beside pandas (``dask.dataframe``: 0.35 s when the
  ``[dask]`` extra is installed);
- the shipped catalog is read and checked (YAML and CSV, ~0.06 s; kept per process by catalog.py);
- Babel loads its locale data on the first number or date formatted in each language;
- plotly builds its property validators and imports the modules of each trace type, layout object and
  dataframe adapter (narwhals) the first time a figure uses them, and again when it is serialised
  (measured: a forked kernel's first report took 0.27 s more than the next one in the same kernel).

Nothing here reads or keeps client data: a zygote (impactlib.run.zygote) calls :func:`warm` before it
forks one fresh kernel per report, so every report starts warm and no client's state is shared.
"""

from __future__ import annotations

import datetime as dt


def warm() -> None:
    from impactlib.model import schema
    from impactlib.report import text
    from impactlib.io.catalog import load_catalog

    for model in (*(m for m, _ in schema.CLIENT_TABLES.values()), *schema.CATALOG_TABLES.values()):
        model.to_schema()
    load_catalog()
    for lang in text.LOCALES:
        text.number(12345.5, lang, 1), text.money(1234.0, "EUR", lang), text.percent(0.25, lang), text.date(dt.date(2027, 1, 4), lang)
    warm_plotly()


def warm_plotly() -> None:
    """Build and serialise, as a report's Figure does, one figure of each kind the report draws (made-up values)."""
    import pandas as pd
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from impactlib.report.charts import THEME
    from impactlib.report.html import Figure

    labels, values = pd.Series(["a", "b"]), pd.Series([1.0, 2.0])
    days = pd.Series(pd.to_datetime(["2027-01-04", "2027-02-01"]))
    bars = go.Figure(layout=dict(template=THEME, barmode="stack", title="t", height=300))
    bars.add_bar(y=labels, x=values, orientation="h", name="n", marker_color="#000000", text=values, textposition="auto",
                 error_y=dict(type="data", array=[1, 1]))
    bars.add_bar(y=labels, x=values, base=days, orientation="h", marker=dict(color="#000000", pattern=dict(shape="/")))
    bars.add_scatter(y=labels, x=days, mode="markers", marker=dict(symbol="diamond", size=12, color=["#000000", "#ffffff"]),
                     error_y=dict(type="data", array=[1, 1]))
    bars.add_vrect(x0=days[0], x1=days[1], fillcolor="#999999", opacity=0.12, line_width=0)
    bars.add_annotation(x=days[0], y="a", text="t", showarrow=False)
    bars.add_shape(type="line", x0=0, x1=1, y0=0, y1=1, line=dict(dash="dot"))
    bars.update_xaxes(title_text="x", type="date")
    bars.update_yaxes(title_text="y", autorange="reversed")
    heat = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]], x=["a", "b"], y=["c", "d"], text=[["1", "2"], ["3", "4"]],
                                texttemplate="%{text}", textfont=dict(size=11), colorscale=[[0, "#ffffff"], [1, "#000000"]],
                                zmin=0, zmax=5, colorbar=dict(title=dict(text="t")), hovertemplate="%{z}<extra></extra>"),
                     layout=dict(template=THEME))
    flow = go.Figure(go.Sankey(node=dict(label=["a", "b"], pad=10, line=dict(width=0)),
                               link=dict(source=[0], target=[1], value=[1], label=["l"], customdata=["c"])), layout=dict(template=THEME))
    fall = go.Figure(go.Waterfall(x=["a", "b"], y=[1, 2], measure=["relative", "total"], connector=dict(line=dict(color="#bbb")),
                                  increasing=dict(marker_color="#000000"), totals=dict(marker_color="#000000"), text=["1", "2"],
                                  textposition="outside"), layout=dict(template=THEME))
    grid = make_subplots(rows=1, cols=3, subplot_titles=["a", "b", "c"])
    grid.add_bar(x=labels, y=values, name="n", marker_color="#000000", row=1, col=2)
    grid.update_layout(template=THEME, barmode="group", uniformtext=dict(minsize=8, mode="hide"))
    for fig in (bars, heat, flow, fall, grid):
        Figure(fig, "reading")._repr_mimebundle_()

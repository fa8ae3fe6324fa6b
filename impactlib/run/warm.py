"""Warm a process before it forks report kernels: the one-off costs of a first report, paid once.

What a first report pays in a fresh process and the next ones do not (:func:`warm`):

- Babel loads its locale data on the first number or date formatted in each language;
- plotly builds its property validators and imports the modules of each trace type, layout object and
  dataframe adapter (narwhals) the first time a figure uses them, and again when it is serialised
  (measured: a forked kernel's first report took 0.27 s more than the next one in the same kernel); the
  report's charts are plain dicts now (impactlib.report.plain), which still use plotly's encoder and arrays;
- the shipped catalog's CPU patterns (cpus.csv) are compiled once per kernel to judge Windows 11 support
  (compat._cpu_rules: ~2 ms); compiled here, they are in the re module's cache of every forked kernel.

and what a first ``load_client`` pays (:func:`warm_loader`; measured on a 120-person synthetic client: 0.58 s
for the first load and review, 0.27 s for the next):

- pandera builds each table's schema on first use, and on that first build imports the typing
  module of every dataframe library installed beside pandas (``dask.dataframe``: 0.35 s when the
  ``[dask]`` extra is installed);
- the shipped catalog is read and checked (YAML and CSV, ~0.06 s; kept per process by catalog.py).

Nothing here reads or keeps client data: a zygote (impactlib.run.zygote) calls :func:`warm` before it
forks one fresh kernel per report, so every report starts warm and no client's state is shared. It does not
call :func:`warm_loader`: its kernels get their client from the batch's pre-flight (io/snapshot.py) and never
import pandera (~23 MiB less in every kernel with the schemas and the shipped catalog); one whose hand-over
does not match reads the folder itself, paying those costs then.
"""

from __future__ import annotations

import csv
import datetime as dt
import re

from impactlib.io.files import CATALOG


def warm() -> None:
    """What a report kernel pays on its first report: Babel's locales, plotly's encoder (a zygote's warm-up). The
    kernel is handed its client already loaded (io/snapshot.py): reading a folder is :func:`warm_loader`'s."""
    # start-up speed: the report layer (pandas, plotly, Babel: ~0.5 s) only for warm(), not for warm_loader()'s callers;
    # in the zygote it is imported already (its PRELOAD)
    from impactlib.report import text

    for lang in text.LOCALES:
        text.number(12345.5, lang, 1), text.money(1234.0, "EUR", lang), text.percent(0.25, lang), text.date(dt.date(2027, 1, 4), lang)
    warm_plotly()
    warm_cpu_patterns()


def warm_cpu_patterns() -> None:
    """Compile the shipped catalog's CPU patterns as compat._cpu_rules does (stripped, case-insensitive), read with the
    csv module: the zygote never imports the catalog reader (pandera)."""
    with (CATALOG / "cpus.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            re.compile((row.get("pattern") or "").strip(), re.I)


def warm_loader() -> None:
    """What a process that reads client folders pays on its first load: pandera's schemas, the shipped catalog."""
    # not at the top: the zygote imports this module for warm(), and its kernels must never import pandera (the
    # schemas and the catalog reader: ~0.15 s after the report layer, and the ~23 MiB per kernel of the docstring)
    from impactlib.model import schema
    from impactlib.io.catalog import load_catalog

    for model in (*(m for m, _ in schema.CLIENT_TABLES.values()), *schema.CATALOG_TABLES.values()):
        model.to_schema()
    load_catalog()


def warm_plotly() -> None:
    """Build and serialise, as a report's Figure does, one figure of each kind the report draws (made-up values):
    the charts are plain dicts (impactlib.report.plain), so what is warmed is plotly's JSON encoder, its typed
    arrays and array copies (narwhals, and its search for plugins), the text validators, the theme's dict and the comparison's subplot grid
    in each language."""
    # start-up speed, as in warm(): NumPy, pandas and the report layer below (~0.5 s together), imported already in the zygote
    import numpy as np
    import pandas as pd

    # start-up speed: the report layer, as above
    from impactlib.report import plain
    from impactlib.report.charts import THEME
    from impactlib.report.html import Figure
    from impactlib.report.text import LOCALES, t

    labels, values = pd.Series(["a", "b"]), pd.Series([1.0, 2.0])
    days = pd.Series(pd.to_datetime(["2027-01-04", "2027-02-01"]))
    bars = plain.figure(layout=dict(template=THEME, barmode="stack", title="t", height=300))
    bars.add_bar(y=labels, x=values, orientation="h", name="n", marker_color="#000000", text=values, textposition="auto",
                 error_y=dict(type="data", array=[1, 1]))
    # a bar's text as a NumPy array (the OS chart's): plotly hands it to narwhals, which does not know NumPy arrays and
    # looks for plugins among every installed package's entry points, once per process (~10 ms of a kernel's CPU)
    bars.add_bar(y=labels.to_numpy(), x=values.to_numpy(), orientation="h", text=np.array([1, 2]), textposition="auto")
    bars.add_bar(y=labels, x=values, base=days, orientation="h", marker=dict(color="#000000", pattern=dict(shape="/")))
    bars.add_scatter(y=labels, x=days, mode="markers", marker=dict(symbol="diamond", size=12, color=["#000000", "#ffffff"]),
                     error_y=dict(type="data", array=[1, 1]))
    bars.add_vrect(x0=days[0], x1=days[1], fillcolor="#999999", opacity=0.12, line_width=0)
    bars.add_vline(x=days[0], line=dict(dash="dot"))
    bars.add_annotation(x=days[0], y="a", text="t", showarrow=False)
    bars.update_xaxes(title="x", type="date")
    bars.update_yaxes(title="y", autorange="reversed")
    heat = plain.figure(plain.trace("heatmap", z=[[1, 2], [3, 4]], x=["a", "b"], y=["c", "d"], text=[["1", "2"], ["3", "4"]],
                                    texttemplate="%{text}", textfont=dict(size=11), colorscale=[[0, "#ffffff"], [1, "#000000"]],
                                    zmin=0, zmax=5, colorbar=dict(title=dict(text="t")), hovertemplate="%{z}<extra></extra>"),
                        layout=dict(template=THEME))
    flow = plain.figure(plain.trace("sankey", node=dict(label=["a", "b"], pad=10, line=dict(width=0)),
                                    link=dict(source=[0], target=[1], value=[1], label=["l"], customdata=["c"])), layout=dict(template=THEME))
    fall = plain.figure(plain.trace("waterfall", x=["a", "b"], y=[1, 2], measure=["relative", "total"], connector=dict(line=dict(color="#bbb")),
                                    increasing=dict(marker_color="#000000"), totals=dict(marker_color="#000000"), text=["1", "2"],
                                    textposition="outside"), layout=dict(template=THEME))
    figures = [bars, heat, flow, fall]
    for lang in LOCALES:  # the scenario comparison's grid, laid out once per language (charts.plot_scenarios)
        grid = plain.subplots([t("cmp.findings", lang), t("cmp.cost", lang), t("cmp.training", lang)])
        grid.add_bar(x=labels, y=values, name="n", marker_color="#000000", row=1, col=2)
        grid.update_layout(template=THEME, barmode="group")
        figures.append(grid)
    for fig in figures:
        Figure(fig, "reading")._repr_mimebundle_()

"""report/plain.py builds the JSON plotly's go.Figure would give: the same calls both ways, compared once parsed."""

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.io.json import to_json_plotly
from plotly.subplots import make_subplots

from impactlib.report import plain
from impactlib.report.charts import THEME
from impactlib.report.html import Figure, _literal_dict

DAYS = pd.Series(pd.to_datetime(["2027-01-04", "2027-02-01", "2027-03-15"]))
LABELS = pd.Series(["a <b>", "b & c", "é"], dtype="str")
COUNTS = pd.Series([3, 0, 12])
AMOUNTS = pd.Series([1.5, np.nan, 2e6])


def bars(make):
    fig = make(layout=dict(template=THEME, barmode="stack", title="Devices", height=300))
    fig.add_bar(y=LABELS, x=COUNTS, orientation="h", name="n", marker_color="#000000", text=COUNTS, textposition="auto",
                hovertemplate="%{y}: %{x}<extra>n</extra>")
    fig.add_bar(y=LABELS, x=AMOUNTS, base=DAYS, orientation="h", name="m", marker_color="#999999", marker_pattern_shape="/",
                opacity=0.5, text=[v if v else "" for v in COUNTS])
    fig.add_scatter(y=LABELS, x=DAYS, mode="markers", name="go-live", marker=dict(symbol="diamond", size=13, color=["#000", "#111", "#222"]))
    fig.add_vrect(x0=DAYS[0], x1=DAYS[1] + pd.Timedelta(days=1), fillcolor="#999999", opacity=0.12, line_width=0)
    fig.add_vline(x=pd.Timestamp("2027-02-01"), line=dict(color="#009E73", dash="dot"))
    fig.add_annotation(x=pd.Timestamp("2027-02-01"), y=1, yref="paper", text="t", showarrow=False, font=dict(color="#00704F"))
    fig.update_xaxes(type="date", title="x")
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=["a"], ticktext=["a<br>b"])
    fig.update_layout(height=420, yaxis=dict(title="EUR", rangemode="tozero"))
    return fig


def heatmap(make, trace):
    grid = pd.DataFrame({"x": [1.0, np.nan], "y": [0.25, 4.0]}, index=["d1", "d2"])
    return make(trace("heatmap", z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index), zmin=0, zmax=5,
                      colorscale=[[0, "#ffffff"], [1, "#08519c"]], text=grid.map(lambda v: "" if pd.isna(v) else str(v)).to_numpy(), texttemplate="%{text}",
                      hoverongaps=False, colorbar=dict(title=dict(text="0-5"), thickness=12)),
                layout=dict(template=THEME, title="Heat", height=200))


def waterfall(make, trace):
    fig = make(trace("waterfall", x=["a", "b", "total"], y=[1.0, 2.0, 3.0], measure=["relative", "relative", "total"],
                     connector=dict(line=dict(color="#bbb")), increasing=dict(marker_color="#0072B2"), text=["1", "2", "3"],
                     textposition="outside"), layout=dict(template=THEME, title="Cost", height=460, showlegend=False))
    fig.add_scatter(x=["total"], y=[3.0], mode="markers", error_y=dict(type="data", symmetric=False, array=[1.0], arrayminus=[0.5]),
                    name="P10-P90")
    return fig


def sankey(make, trace):
    return make(trace("sankey", arrangement="snap", valueformat=",d",
                      node=dict(label=["c <1>", "s", "d"], color=["#000", "#111", "#222"], pad=14, line=dict(width=0)),
                      link=dict(source=[0, 1], target=[1, 2], value=[5, 5], color=["#00000066", "#11111144"])),
                layout=dict(template=THEME, title="Flow", height=360))


def go_trace(kind, **props):
    return {"heatmap": go.Heatmap, "waterfall": go.Waterfall, "sankey": go.Sankey}[kind](**props)


def parsed(fig) -> dict:
    return json.loads(to_json_plotly(_literal_dict(fig)))


@pytest.mark.parametrize("build", [
    lambda make, trace: bars(make), heatmap, waterfall, sankey,
], ids=["bars", "heatmap", "waterfall", "sankey"])
def test_plain_figure_is_the_json_of_go_figure(build):
    assert parsed(build(plain.figure, plain.trace)) == parsed(build(go.Figure, go_trace))


def test_subplots_are_laid_out_as_make_subplots():
    titles = ["Findings", "Cost", "Training"]
    table = pd.DataFrame({"scenario": ["a", "b"], "n": [1, 2], "total": [10.0, 20.0]})

    def fill(fig):
        fig.add_bar(x=table["scenario"], y=table["n"], name="n", marker_color="#7a0000", row=1, col=1)
        fig.add_bar(x=table["scenario"], y=table["total"], showlegend=False, row=1, col=2,
                    error_y=dict(type="data", symmetric=False, array=table["total"] * 0.1, arrayminus=table["total"] * 0.2))
        fig.add_bar(x=table["scenario"], y=table["n"], showlegend=False, row=1, col=3)
        fig.update_layout(template=THEME, barmode="stack", height=420, title="Compared")
        return fig

    assert parsed(fill(plain.subplots(titles))) == parsed(fill(make_subplots(rows=1, cols=3, subplot_titles=titles)))


def test_a_report_figure_still_hands_out_a_go_figure():
    fig = Figure(bars(plain.figure), "reading")
    assert isinstance(fig.fig, go.Figure)
    assert [t.name for t in fig.fig.data] == ["n", "m", "go-live"]
    assert list(fig.fig.data[0].y) == list(LABELS)
    bundle = fig._repr_mimebundle_()
    assert bundle["application/vnd.plotly.v1+json"]["data"][0]["y"] == ["a &lt;b&gt;", "b &amp; c", "é"]  # labels read as typed

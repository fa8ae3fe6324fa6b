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


SERIES = {
    "int64": pd.Series([1, 2, 3]), "int32": pd.Series(np.array([1, 2], dtype="int32")), "float": pd.Series([1.5, np.nan]),
    "bool": pd.Series([True, False]), "str": pd.Series(["a", None, "c"], dtype="str"), "object": pd.Series(["a", 1, None], dtype=object),
    "string": pd.Series(["a", None], dtype="string"), "datetime": pd.Series(pd.to_datetime(["2026-01-01", None])),
    "time zone": pd.Series(pd.date_range("2026-03-28", periods=3, tz="Europe/Paris")),
    "Int64": pd.Series([1, None], dtype="Int64"), "Float64": pd.Series([1.5, None], dtype="Float64"),
    "category": pd.Series(["a", "b", None], dtype="category"), "timedelta": pd.Series(pd.to_timedelta([1, 2], unit="D")),
    "period": pd.Series(pd.period_range("2026-01", periods=2, freq="M")), "empty": pd.Series([], dtype="str"),
    "index of text": pd.Index(["a", "b"]), "range": pd.RangeIndex(3), "dates": pd.DatetimeIndex(["2026-01-01", None]),
}


@pytest.mark.parametrize("name", list(SERIES))
def test_a_column_becomes_the_array_plotly_makes_of_it(name):
    from _plotly_utils.basevalidators import copy_to_readonly_numpy_array

    ours, theirs = plain._value(SERIES[name]), copy_to_readonly_numpy_array(SERIES[name])
    assert ours.dtype == theirs.dtype and not ours.flags["WRITEABLE"]
    assert [repr(v) for v in ours.tolist()] == [repr(v) for v in theirs.tolist()]


def _typed_both_ways(value) -> tuple[str, str]:
    import copy

    from _plotly_utils.utils import convert_to_base64

    ours, theirs = copy.deepcopy(value), copy.deepcopy(value)
    plain.typed_arrays(ours)
    convert_to_base64(theirs)
    return to_json_plotly(ours), to_json_plotly(theirs)


def test_typed_arrays_are_plotlys_for_every_kind_of_array():
    value = {"data": [{"x": np.array([1, -200, 3]), "y": np.array([70_000, 1]), "z": np.arange(6.0).reshape(2, 3),
                       "big": np.array([2**40, 1]), "u": np.array([1, 300], dtype="uint64"), "ubig": np.array([2**40], dtype="uint64"),
                       "flags": np.array([True, False]), "text": np.array(["a", "b"], dtype=object), "none": np.array([], dtype="float64"),
                       "when": np.array(["2026-01-01"], dtype="datetime64[ns]"), "small": np.array([1.5], dtype="float32"),
                       "range": np.array([0, 10]), "listed": [np.array([1, 2]), {"inner": np.array([3, 4])}],
                       "series": pd.Series([1, 2]), "scalar": np.float64(2.5), "text2": "abc", "n": 3}],
             "layout": {"xaxis": {"range": np.array([1.0, 2.0])}, "shapes": ({"x0": np.array([1])},)}}
    ours, theirs = _typed_both_ways(value)
    assert ours == theirs


@pytest.mark.timeout(300)
def test_typed_arrays_are_plotlys_on_every_chart_of_a_demo_report():
    import datetime as dt
    import re
    from pathlib import Path

    from impactlib import assess, load_client, report

    template = (Path(report.__file__).parent.parent / "notebooks" / "client_report.py").read_text(encoding="utf-8")
    charts = [name for name in re.findall(r"display\(report\.(\w+)\(an, lang\)\)", template) if name.endswith("_chart")]
    client = load_client(Path(__file__).resolve().parent.parent / "data" / "clients" / "acme-industrie")
    an = assess(client, "baseline", as_of=dt.date(2026, 12, 1))
    compared = 0
    for name in charts:
        fig = getattr(report, name)(an, "fr").figure
        if isinstance(fig, plain.Plain):
            ours, theirs = _typed_both_ways({"data": plain._containers(fig.data), "layout": plain._containers(fig.layout)})
            assert ours == theirs, name
            compared += 1
    assert compared >= 10

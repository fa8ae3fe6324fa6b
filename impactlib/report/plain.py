"""Plotly figures as plain dicts: the JSON ``go.Figure(...).to_dict()`` gives, built without plotly's validators.

A ``go.Figure`` validates every property as it is set (~5 ms of CPU for one of the report's charts, most of a
section's); a chart here is the few dicts it serialises to. :class:`Plain` takes the calls the charts make
(``add_bar``, ``update_yaxes``, ``add_vrect``... with plotly's magic underscores) and builds what plotly would:
titles as ``{"text": ...}``, a Series or an array as plotly's read-only numpy copy, numbers as typed arrays
(plotly's ``convert_to_base64``, as :func:`typed_arrays` does it). tests/test_plain.py checks both give the same JSON.
``fig.fig`` of a report Figure is still a ``go.Figure`` (built from the dicts when asked: tests, the explorer).
"""

from __future__ import annotations

import base64
import copy
import functools

import numpy as np
import pandas as pd
from _plotly_utils import utils as plotly_utils
from _plotly_utils.basevalidators import copy_to_readonly_numpy_array, is_homogeneous_array

# property names that hold an underscore of their own (not a magic underscore path)
_NAMES = {"error_x", "error_y", "paper_bgcolor", "plot_bgcolor"}
# properties whose text plotly turns into {"text": ...}
_TITLED = {"title"}


def _value(value):
    """What plotly's validators keep of a value: an array-like as a read-only numpy copy, a tuple as a list."""
    if isinstance(value, np.ndarray):
        return _readonly(value)
    if isinstance(value, (pd.Series, pd.Index)):
        if isinstance(value.dtype, np.dtype) or (isinstance(value.dtype, pd.StringDtype) and value.dtype.storage == "python"):
            # what plotly's conversion gives these columns (its narwhals round trip, ~0.25 ms a column, is the
            # column's to_numpy() for them: tests/test_plain.py compares both over the dtypes)
            return _readonly(value.to_numpy())
        return copy_to_readonly_numpy_array(value)  # time zones dropped, pyarrow, other dtypes: plotly's own
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, list):
        return [_value(v) if isinstance(v, (list, tuple, np.ndarray)) else _scalar(v) for v in value]
    if isinstance(value, dict):
        return _props(value)
    return _scalar(value)


def _readonly(array: np.ndarray) -> np.ndarray:
    """``copy_to_readonly_numpy_array(array)`` of a numpy array, without its narwhals round trip (which passes a
    numpy array through as it is): numbers copied contiguous, dates and objects copied, any other kind as objects."""
    if array.dtype.kind in "uif":
        out = np.ascontiguousarray(array.copy())
    elif array.dtype.kind in "OM":
        out = array.copy()
    else:
        out = np.array(array, dtype="object")
    out.flags["WRITEABLE"] = False
    return out


def _scalar(value):
    return value.item() if isinstance(value, np.generic) and not isinstance(value, (np.datetime64, np.timedelta64)) else value


def _props(props: dict) -> dict:
    """``props`` (plotly's keyword arguments, magic underscores allowed) as nested dicts."""
    out: dict = {}
    for key, value in props.items():
        path = [key] if key in _NAMES or "_" not in key else _split(key)
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        last = path[-1]
        if last in _TITLED and isinstance(value, str):
            value = {"text": value}
        value = _value(value)
        if isinstance(value, dict) and isinstance(node.get(last), dict):
            _merge(node[last], value)
        else:
            node[last] = value
    return out


def _split(key: str) -> list[str]:
    parts = key.split("_")
    out = []
    i = 0
    while i < len(parts):  # error_y_array -> error_y, array
        if i + 1 < len(parts) and f"{parts[i]}_{parts[i + 1]}" in _NAMES:
            out.append(f"{parts[i]}_{parts[i + 1]}")
            i += 2
        else:
            out.append(parts[i])
            i += 1
    return out


def _merge(base: dict, extra: dict) -> None:
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            _merge(base[k], v)
        else:
            base[k] = v


def _containers(value):
    """A copy of the dicts and lists of ``value`` (arrays and scalars shared): what convert_to_base64 may rewrite."""
    if isinstance(value, dict):
        return {k: _containers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_containers(v) for v in value]
    return value


_TEMPLATES: dict[int, tuple] = {}


def _template(template) -> dict:
    """A go.layout.Template as the dict a figure's to_dict() holds, read once (shared by every chart: read-only)."""
    if id(template) not in _TEMPLATES:
        _TEMPLATES[id(template)] = (template, copy.deepcopy(template.to_plotly_json()))
    return _TEMPLATES[id(template)][1]


def trace(kind: str, **props) -> dict:
    """One trace (``kind``: bar, scatter, heatmap...) as a dict."""
    out = _props(props)
    if "text" in out and kind != "heatmap":  # a bar's text is a string or strings: plotly's own coercion (numbers kept as numbers)
        out["text"] = _text_validator(kind).validate_coerce(props["text"])
    return {**out, "type": kind}


@functools.cache
def _text_validator(kind: str):
    from plotly.validator_cache import ValidatorCache  # a trace's text validator only: none of the figure's others

    return ValidatorCache.get_validator(kind, "text")


class Plain:
    """A figure being built: ``data`` (traces) and ``layout`` as plain dicts; :meth:`to_dict` gives plotly's JSON."""

    def __init__(self, data: dict | list | None = None, layout: dict | None = None):
        self.data: list[dict] = []
        self.layout: dict = {}
        for tr in ([data] if isinstance(data, dict) else data or []):
            self.data.append(tr)
        if layout:
            self.update_layout(**layout)

    def update_layout(self, **props) -> Plain:
        template = props.pop("template", None)
        if template is not None:
            self.layout["template"] = template if isinstance(template, dict) else _template(template)
        _merge(self.layout, _props(props))
        return self

    def add_trace(self, tr: dict, row: int | None = None, col: int | None = None) -> Plain:
        if row is not None:
            n = "" if (row, col) == (1, 1) else str(col)  # one row of subplots: column n is axes x<n>, y<n>
            tr = {**tr, "xaxis": f"x{n}", "yaxis": f"y{n}"}
        self.data.append(tr)
        return self

    def add_bar(self, row: int | None = None, col: int | None = None, **props) -> Plain:
        return self.add_trace(trace("bar", **props), row, col)

    def add_scatter(self, row: int | None = None, col: int | None = None, **props) -> Plain:
        return self.add_trace(trace("scatter", **props), row, col)

    def _axes(self, letter: str) -> list[str]:
        found = [k for k in self.layout if k == f"{letter}axis" or (k.startswith(f"{letter}axis") and k[5:].isdigit())]
        return found or [f"{letter}axis"]

    def update_xaxes(self, **props) -> Plain:
        for axis in self._axes("x"):
            _merge(self.layout.setdefault(axis, {}), _props(props))
        return self

    def update_yaxes(self, **props) -> Plain:
        for axis in self._axes("y"):
            _merge(self.layout.setdefault(axis, {}), _props(props))
        return self

    def add_vrect(self, x0, x1, **props) -> Plain:
        """A rectangle over the whole height of the plot, as plotly's add_vrect draws it."""
        shape = {"type": "rect", "x0": _value(x0), "x1": _value(x1), "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"}
        self.layout.setdefault("shapes", []).append({**_props(props), **shape})
        return self

    def add_vline(self, x, **props) -> Plain:
        """A vertical line over the whole height of the plot, as plotly's add_vline draws it."""
        shape = {"type": "line", "x0": _value(x), "x1": _value(x), "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"}
        self.layout.setdefault("shapes", []).append({**_props(props), **shape})
        return self

    def add_annotation(self, **props) -> Plain:
        self.layout.setdefault("annotations", []).append(_props(props))
        return self

    def to_dict(self) -> dict:
        """The figure as go.Figure.to_dict() gives it: the dicts copied, numeric arrays as typed arrays."""
        out = {"data": _containers(self.data), "layout": _containers(self.layout)}
        typed_arrays(out)
        return out

    def to_plotly_json(self) -> dict:
        return {"data": self.data, "layout": self.layout}


_SCALARS = (str, int, float, bool, type(None))


def typed_arrays(obj) -> None:
    """plotly's ``convert_to_base64(obj)`` (numeric arrays in place as plotly.js typed arrays: base64 of their bytes,
    int64 narrowed to the smallest type that holds them), for the dicts of :class:`Plain`, whose arrays are numpy
    arrays already: their conversion without plotly's narwhals round trip per array and its array test per scalar
    (~25 ms of a report's CPU). tests/test_plain.py compares both on every chart of the demo reports."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in _UNTYPED:
                continue
            if isinstance(value, np.ndarray):
                obj[key] = _typed(value)
            elif isinstance(value, (dict, list, tuple)):
                typed_arrays(value)
            elif not isinstance(value, _SCALARS) and is_homogeneous_array(value):
                obj[key] = plotly_utils.to_typed_array_spec(value)  # another array-like: plotly's own conversion
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            typed_arrays(value)


_UNTYPED = {"geojson", "layer", "layers", "range"}  # plotly's is_skipped_key


def _typed(array: np.ndarray):
    """plotly's ``to_typed_array_spec`` of a numpy array."""
    v = _readonly(array)
    if v.size == 0:
        return v
    narrowed = {"int64": ((plotly_utils.int8min, plotly_utils.int8max, "int8"), (plotly_utils.int16min, plotly_utils.int16max, "int16"),
                          (plotly_utils.int32min, plotly_utils.int32max, "int32")),
                "uint64": ((0, plotly_utils.uint8max, "uint8"), (0, plotly_utils.uint16max, "uint16"),
                           (0, plotly_utils.uint32max, "uint32"))}.get(str(v.dtype))
    if narrowed:
        low, high = v.min(), v.max()
        fits = next((kind for lo, hi, kind in narrowed if high <= hi and low >= lo), None)
        if fits is None:
            return v
        v = v.astype(fits)
    short = plotly_utils.plotlyjsShortTypes.get(str(v.dtype))
    if short is None:
        return v
    out = {"dtype": short, "bdata": base64.b64encode(v).decode("ascii")}
    if v.ndim > 1:
        out["shape"] = str(v.shape)[1:-1]
    return out


def figure(data: dict | list | None = None, layout: dict | None = None) -> Plain:
    """A new figure (``layout`` may hold ``template=THEME``, a go.layout.Template read once)."""
    return Plain(data, layout)


@functools.cache
def _grid(titles: tuple[str, ...]) -> dict:
    from plotly.subplots import make_subplots  # only the scenario comparison draws subplots (+0.1 s at import)

    layout = make_subplots(rows=1, cols=len(titles), subplot_titles=list(titles)).to_dict()["layout"]
    layout.pop("template", None)  # plotly's default: the caller sets the report's (THEME), which replaces it
    return layout


def subplots(titles: list[str]) -> Plain:
    """One row of subplots with these titles, as plotly's make_subplots lays them out (computed once per titles),
    without a template: set one with update_layout(template=THEME)."""
    fig = Plain()
    fig.layout = copy.deepcopy(_grid(tuple(titles)))
    return fig


def as_go(fig):
    """``fig`` as a go.Figure (a Plain one validated now: for tests and the explorer, never for a report)."""
    if isinstance(fig, Plain):
        import plotly.graph_objects as go  # start-up speed: the graph objects only when a test or the explorer asks

        return go.Figure(copy.deepcopy(fig.to_plotly_json()))
    return fig

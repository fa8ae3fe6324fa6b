"""frame_rows (impactlib/model/frames.py) gives what DataFrame.itertuples gives: the same tuples, the same field
names, values of the same types, for every dtype a frame of impactlib holds."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impactlib.model.frames import frame_rows

ROOT = Path(__file__).resolve().parent.parent


def _frames() -> dict[str, pd.DataFrame]:
    n = 7
    full = pd.DataFrame({
        "id": [f"c{i}" for i in range(n)],                                     # str (pandas 3's default string dtype)
        "count": np.arange(n, dtype="int64"),
        "small": np.arange(n, dtype="int8"),
        "amount": np.linspace(0.5, 3.5, n),
        "ratio": [0.1, np.nan, 0.3, 0.4, np.nan, 0.6, 0.7],
        "flag": [True, False] * 3 + [True],
        "maybe": pd.array([1, None, 3, None, 5, 6, 7], dtype="Int64"),
        "when": pd.date_range("2026-01-01", periods=n, freq="MS"),
        "day": pd.to_datetime(["2026-12-01", None, "2027-01-31", "2027-02-28", None, "2027-04-30", "2027-05-31"]),
        "span": pd.to_timedelta(np.arange(n), unit="D"),
        "month": pd.period_range("2026-11", periods=n, freq="M"),
        "level": pd.Categorical(["a", "b", "a", None, "c", "b", "a"]),
        "obj": [None, 1, "x", 2.5, (1, 2), {"k": 1}, pd.NA],
        "text": pd.array(["x", None, "z", "w", None, "u", "v"], dtype="string"),
        "big": np.array([2**40 + i for i in range(n)], dtype="uint64"),
        "stamp": pd.date_range("2026-01-01", periods=n, freq="D", tz="Europe/Paris"),
    })
    return {
        "every dtype": full,
        "every dtype, an index of strings": full.set_index("id"),
        "a filtered frame (an index with gaps)": full.loc[full["flag"]],
        "a MultiIndex": full.set_index(["id", "count"]),
        "empty, with columns": full.iloc[:0],
        "no columns": pd.DataFrame(index=range(3)),
        "no columns, no rows": pd.DataFrame(),
        "names that are not identifiers": pd.DataFrame({"1st": [1, 2], "class": ["a", "b"], "_x": [0.5, 1.5], "a b": [True, False]}),
        "duplicate column names": pd.DataFrame([[1, "a", 2.0], [3, "b", 4.0]], columns=["x", "y", "x"]),
        "numbers as column names": pd.DataFrame({0: [1, 2], 1: ["a", "b"]}),
        "one block of floats": pd.DataFrame(np.arange(12.0).reshape(4, 3), columns=list("abc")),
    }


def _same(a, b) -> bool:
    """Equal, NA included, and of the same type (a Python int is not a numpy int64, a Timestamp not a datetime)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b) or (a != a and b != b)
    except (TypeError, ValueError):  # pd.NA == pd.NA is NA
        return a is b


@pytest.mark.parametrize("case", list(_frames()))
@pytest.mark.parametrize("index", [True, False])
@pytest.mark.parametrize("name", ["Pandas", "Row", None])
def test_the_same_rows_as_itertuples(case, index, name):
    frame = _frames()[case]
    expected = list(frame.itertuples(index=index, name=name))
    got = list(frame_rows(frame, index=index, name=name))
    assert len(got) == len(expected) == len(frame)
    for g, e in zip(got, expected):
        assert type(g).__name__ == type(e).__name__
        assert getattr(g, "_fields", None) == getattr(e, "_fields", None)
        assert _same(tuple(g), tuple(e)), (g, e)


def test_a_row_class_is_made_once_per_name_and_fields():
    frame = _frames()["every dtype"]
    first, second = next(frame_rows(frame)), next(frame_rows(frame.copy()))
    assert type(first) is type(second)
    assert type(next(frame_rows(frame, name="Other"))) is not type(first)
    assert type(next(frame_rows(frame[["id", "count"]]))) is not type(first)


def test_the_analysis_and_report_layers_iterate_with_frame_rows():
    """pandas' itertuples costs ~0.5 ms a call more (a Series per column, a namedtuple class compiled each time):
    the layers that run in every report use frame_rows."""
    found = []
    for layer in ("analysis", "report"):
        for path in sorted((ROOT / "impactlib" / layer).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr == "itertuples":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []

"""report/charts.pivot: a small grid built in plain Python is the grid pandas builds (index, columns, values, dtypes)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from impactlib.report import charts


def _pandas(frame, index, columns, values, aggfunc, fill_value=None):
    grouped = frame.groupby([index, columns])[values].agg(aggfunc).dropna()
    table = grouped.unstack(columns, fill_value=fill_value).sort_index(axis=1)
    return table if fill_value is None else table.fillna(fill_value)


def _frame(seed: int, values: str, holes: bool, na_keys: bool, dates: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    depts = [f"d{i}" for i in range(int(rng.integers(1, 6)))]
    cols = list(pd.date_range("2027-01-01", periods=6, freq="MS", unit="us")) if dates else [f"s{i}" for i in range(6)]
    f = pd.DataFrame({"department": pd.array(rng.choice(depts, n), dtype="str"),
                      "column": pd.Series([cols[i] for i in rng.integers(0, 3 if holes else 6, n)])})
    if not dates:
        f["column"] = f["column"].astype("str")
    if values == "int":
        f["v"] = rng.integers(0, 50, n).astype("int64")
    elif values == "float":
        f["v"] = rng.choice([0.0, 1.0, 3.0, np.nan, 12.0, 5.0], n)  # whole numbers: exact sums (pandas' float)
    elif values == "inexact":
        f["v"] = rng.choice([0.25, 1.5, 0.1, np.nan, 1e16, 0.3], n)  # sums that round: left to pandas
    else:
        f["v"] = pd.array(rng.choice(["a", "b", None, "<5"], n), dtype="str")
    if na_keys and n > 2:
        f.loc[0, "department"] = None
        f.loc[1, "column"] = None if not dates else pd.NaT
    return f


CASES = [(values, agg, fill) for values, agg, fill in itertools.product(
    ["int", "float", "inexact", "text"], ["sum", "first", "mean", "max"], [None, 0])
    if not (values == "text" and (agg != "first" or fill == 0))]


@pytest.mark.parametrize("values,aggfunc,fill_value", CASES)
@pytest.mark.parametrize("dates", [False, True])
def test_a_small_grid_is_the_grid_pandas_builds(values, aggfunc, fill_value, dates):
    built = 0
    for seed in range(8):
        for holes, na_keys in itertools.product([False, True], [False, True]):
            f = _frame(seed, values, holes, na_keys, dates)
            expected = _pandas(f, "department", "column", "v", aggfunc, fill_value)
            got = charts.pivot(f, "department", "column", "v", aggfunc, fill_value)
            pd.testing.assert_frame_equal(got, expected, check_exact=True)
            built += charts._pivot_small(f, "department", "column", "v", aggfunc, fill_value) is not None
    if values != "inexact" or aggfunc in ("first", "max"):
        assert built > 0  # the plain path did build grids (an inexact float sum or mean is left to pandas)


def test_other_keys_are_left_to_pandas():
    f = pd.DataFrame({"department": [1, 2], "column": ["a", "b"], "v": [1.0, 2.0]})
    assert charts._pivot_small(f, "department", "column", "v", "sum", None) is None
    pd.testing.assert_frame_equal(charts.pivot(f, "department", "column", "v", "sum"), _pandas(f, "department", "column", "v", "sum"))


def _verdicts(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    checks = ["cpu", "tpm_version", "secure_boot", "ram", "storage", "uefi"]
    failed = [", ".join(rng.choice(checks, int(rng.integers(0, 4)), replace=False)) for _ in range(n)]
    v = pd.DataFrame({"change_id": pd.array(rng.choice(["C1", "C2", "C3"], n), dtype="str"),
                      "product_id": pd.array(rng.choice(["windows-11", "sage-100", "m365"], n), dtype="str"),
                      "asset_id": pd.array([f"A{i}" for i in range(n)], dtype="str"),
                      "quantity": rng.integers(1, 40, n).astype("int64"),
                      "failed": pd.array(failed, dtype="str"), "unknown": pd.array([""] * n, dtype="str"),
                      "verdict": pd.array(rng.choice(["pass", "fail", "unknown"], n), dtype="str")})
    if seed % 3 == 0 and n > 2:
        v.loc[0, "failed"] = None
        v.loc[1, "verdict"] = None
        v.loc[2, "product_id"] = None
    return v


@pytest.mark.parametrize("seed", range(30))
def test_the_hosts_table_counts_as_pandas_does(seed):
    from impactlib.report.closing import _hosts, _hosts_by_pandas

    v = _verdicts(seed)
    got, expected = _hosts(v), _hosts_by_pandas(v)
    assert [(k, {a: int(b) for a, b in p.items()}, [(c, int(n)) for c, n in f]) for k, p, f in got] == \
        [(k, {a: int(b) for a, b in p.items()}, [(c, int(n)) for c, n in f]) for k, p, f in expected]


@pytest.mark.parametrize("count", [0, 1, 12, 13, 14, 40])
def test_few_departments_is_rank_grouping_none(count):
    from impactlib.report import departments

    rng = np.random.default_rng(count)
    ids = pd.Series(pd.array([f"d{i}" for i in rng.integers(0, max(count, 1), 3 * count)] + [None], dtype="str"))
    measure = pd.Series(rng.random(len(ids)), index=ids.to_numpy()).groupby(ids.to_numpy()).sum()  # NA ids: no group
    assert departments.few(ids) == (not departments.rank(measure).grouped)

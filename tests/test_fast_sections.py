"""The report sections' plain-Python paths for small frames (report/charts.grouped, report/departments.ranked_systems
and reorganisation_grouped, report/summary.flow_reach...) give what their frame paths give: rows, order, dtypes."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from impactlib.report import charts, departments, summary


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True, check_index_type=True)
    assert a.dtypes.to_dict() == b.dtypes.to_dict()


def _flows(seed: int, na_keys: bool, flag: bool = False) -> pd.DataFrame:
    """A flows-like frame: text keys with repeats (and NA keys when ``na_keys``), whole numbers of users."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    pick = lambda prefix, k: pd.array(rng.choice([f"{prefix}{i}" for i in range(k)], n), dtype="str")  # noqa: E731
    f = pd.DataFrame({"change_id": pick("C", int(rng.integers(1, 5))), "asset_id": pick("A", int(rng.integers(1, 30))),
                      "department_id": pick("D", int(rng.integers(1, 8))), "users": rng.integers(0, 40, n).astype("int64")})
    f["system"] = ("sys " + f["asset_id"]).astype("str")
    f["department"] = ("Dept " + f["department_id"]).astype("str")
    f["changed"] = rng.random(n) < 0.3 if flag else rng.random(n) < 0.0
    if na_keys and n > 3:
        for i, col in enumerate(("change_id", "asset_id", "department_id", "department")):
            f.loc[i, col] = None
    return f


def _pandas_grouped(frame, keys, value, how):
    return getattr(frame.groupby(keys, as_index=False, sort=False)[value], how)()


@pytest.mark.parametrize("how", ["sum", "max"])
@pytest.mark.parametrize("keys", [["change_id", "system"], ["system", "department"], ["department_id", "asset_id", "changed"],
                                  ["change_id", "asset_id", "system", "department_id", "department"]])
def test_a_small_grouping_is_the_one_pandas_makes(keys, how):
    built = 0
    for seed, na_keys in itertools.product(range(12), [False, True]):
        f = _flows(seed, na_keys, flag=True)
        _same(charts.grouped(f, keys, "users", how), _pandas_grouped(f, keys, "users", how))
        built += charts._grouped_small(f, keys, "users", how) is not None
    assert built > 0


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"k": pd.array(["a", "b"], dtype="str"), "v": [1.5, 2.0]}),  # float values
    pd.DataFrame({"k": [1, 2], "v": np.array([1, 2], dtype="int64")}),  # number keys
    pd.DataFrame({"k": pd.array([None, None], dtype="str"), "v": np.array([1, 2], dtype="int64")}),  # no group
    pd.DataFrame({"k": pd.array([], dtype="str"), "v": np.array([], dtype="int64")}),  # empty
])
def test_other_groupings_are_left_to_pandas(frame):
    assert charts._grouped_small(frame, ["k"], "v", "sum") is None
    _same(charts.grouped(frame, ["k"], "v", "sum"), _pandas_grouped(frame, ["k"], "v", "sum"))


def _pandas_systems(frame):
    by = frame.groupby("asset_id")
    systems = pd.DataFrame({"users": by["users"].sum(), "changed": by["changed"].max()})
    return systems.sort_index(kind="stable").sort_values(["changed", "users"], ascending=False, kind="stable").index.tolist()


def test_the_systems_are_ranked_as_pandas_ranks_them():
    for seed, na_keys in itertools.product(range(30), [False, True]):
        f = _flows(seed, na_keys, flag=True)
        f["users"] = f["users"] % 4  # ties
        assert departments.ranked_systems(f) == _pandas_systems(f)
    f = _flows(1, False, flag=True).astype({"users": "float64"})  # the frame path
    assert departments.ranked_systems(f) == _pandas_systems(f)


def _pandas_reach(f):
    reach = f.groupby(["change_id", "department_id"])["users"].max().groupby("change_id").sum()
    top = reach.idxmax()
    per_dept = f.groupby("department")["change_id"].nunique().sort_values(ascending=False, kind="stable")
    return top, int(reach[top]), int(f.loc[f["change_id"] == top, "asset_id"].nunique()), per_dept.index[0], int(per_dept.iloc[0])


def test_the_flow_reading_counts_as_pandas_does():
    for seed, na_keys in itertools.product(range(40), [False, True]):
        f = _flows(seed, na_keys)
        f["users"] = f["users"] % 3  # ties
        assert summary.flow_reach(f) == _pandas_reach(f)


def _recs(seed: int, departments_n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for change, kind in itertools.product(["C1", "C2"], ["key_users", "process_owner", "holder"]):
        for d in rng.permutation(departments_n)[:int(rng.integers(1, departments_n + 1))]:
            rows.append({"kind": kind, "change_id": change, "department_id": f"D{d:03d}",
                         "count": int(rng.integers(0, 5)), "degree": float(rng.integers(1, 6))})
    return pd.DataFrame(rows).astype({"kind": "str", "change_id": "str", "department_id": object})


@pytest.mark.parametrize("departments_n", [1, 3, departments.TOP + 1, departments.TOP + 2, 40])
def test_a_reorganisation_with_few_departments_skips_the_grouping(departments_n):
    for seed in range(6):
        recs = _recs(seed, departments_n)
        assert departments.reorganisation_grouped(recs) == departments._reorganisation_grouped(recs, departments.TOP)


def _plan(seed: int, na_change: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    days = pd.Series(pd.to_datetime("2027-01-04") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")).astype("datetime64[us]")
    f = pd.DataFrame({"change_id": pd.array(rng.choice(["C01", "C02", "C03"], n), dtype="str"),
                      "wave": rng.integers(1, 3, n).astype("int64"), "sessions": rng.integers(0, 6, n).astype("int64"), "date": days})
    if na_change and n > 2:
        f.loc[0, "change_id"] = None
    return f


def _pandas_spans(plan):
    by = plan.groupby(["change_id", "wave"])
    return pd.DataFrame({"first": by["date"].min(), "last": by["date"].max(), "n": by["sessions"].sum()}).reset_index()


@pytest.mark.parametrize("unit", ["s", "us", "ns"])
def test_training_spans_are_the_ones_pandas_makes(unit):
    for seed, na_change in itertools.product(range(20), [False, True]):
        plan = _plan(seed, na_change).astype({"date": f"datetime64[{unit}]"})
        _same(charts.training_spans(plan), _pandas_spans(plan))
    plan = _plan(3, False)
    plan.loc[1, "date"] = pd.NaT  # the frame path
    _same(charts.training_spans(plan), _pandas_spans(plan))


def test_a_client_without_training_sessions_gets_a_training_chart_without_bars():
    """A plan without sessions (the analysis' empty frame: every column of objects, as for a client whose changes need
    no training) draws the chart's go-lives only; its widths are not computed from dates it does not have."""
    columns = ["change_id", "department_id", "wave", "course_id", "skill_id", "format", "participants", "sessions", "hours",
               "participant_hours", "cost", "trainer_hours", "needed_by", "date", "late"]
    fig = charts.plot_training_timeline(pd.DataFrame(columns=columns), {"C01": pd.Timestamp("2027-03-01")}, "en")
    assert [tr["type"] for tr in fig.data] == ["scatter"]


def test_the_skill_gap_grid_reads_as_pandas_reads_it():
    """plot_skill_gaps' cells from the grid's array: the z and text of its wheres and map over the frame."""
    grid = pd.DataFrame([[3.0, -1.0, np.nan], [np.nan, 12.0, -1.0], [0.0, np.nan, 5.0]],
                        index=pd.Index(["a", "b", "c"], dtype="str", name="department"),
                        columns=pd.Index(["s1", "s2", "s3"], dtype="str", name="skill"))
    for rows in (None, ["c", "x", "a"]):
        fig = charts.plot_skill_gaps(grid, 5, "en", rows)
        g = grid if rows is None else grid.reindex(rows)
        z = g.astype("float64").where(g >= 0).to_numpy()
        text = g.astype("object").where(g >= 0, "<5").where(g.notna(), "").map(lambda v: f"{int(v)}" if isinstance(v, float) else v)
        np.testing.assert_array_equal(fig.data[0]["z"], z)
        assert fig.data[0]["text"].tolist() == text.to_numpy().tolist()


def _sessions(seed: int, na_change: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    f = pd.DataFrame({"change_id": pd.array(rng.choice(["C01", "C02", "C03"], n), dtype="str"),
                      "sessions": rng.integers(0, 6, n).astype("int64"),
                      "participant_hours": rng.choice([7.0, 3.5, 21.0, 0.1, 1e15, np.nan], n),
                      "trainer_hours": rng.choice([7.0, 0.25, 14.0], n), "cost": rng.choice([550.0, 1234.56, 0.3, np.nan], n),
                      "late": rng.random(n) < 0.4})
    if na_change and n > 2:
        f.loc[0, "change_id"] = None
    return f


def test_the_totals_per_change_are_training_totals():
    from impactlib.analysis import training
    from impactlib.report import advice

    for seed, na_change in itertools.product(range(30), [False, True]):
        plan = _sessions(seed, na_change)
        assert advice.change_totals(plan) == {cid: training.totals(p) for cid, p in plan.groupby("change_id")}
    plan = _sessions(1, False).astype({"cost": "Float64"})  # the frame path
    assert advice.change_totals(plan) == {cid: training.totals(p) for cid, p in plan.groupby("change_id")}


def _pandas_pooled(e, pooled):
    return (e.assign(department_id=pooled).groupby("department_id", as_index=False, sort=False)
            .agg(training_hours=("training_hours", "sum"), key_user_hours=("key_user_hours", "sum"), need=("need", "sum"),
                 given=("given", lambda g: g.sum(min_count=1))))


def test_the_pooled_effort_is_the_one_pandas_pools():
    from impactlib.report import money

    built = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(1, 12))
        e = pd.DataFrame({"department_id": pd.array([f"D{i:02d}" for i in range(n - 1)] + ["*"], dtype="str"),
                          "training_hours": rng.choice([229.0, 0.5, 0.1, np.nan, -0.0, 1e16], n),
                          "key_user_hours": rng.choice([32.0, 8.0, 0.25], n), "need": rng.choice([261.0, 0.3, 12.5], n),
                          "given": rng.choice([12.013809, np.nan, 38.3, 0.0], n)})
        listed = pd.Series(rng.integers(0, 9, n), index=e["department_id"])
        if seed % 2:  # hours in halves and quarters: the plain path
            e = e.assign(training_hours=e["training_hours"].round(), need=e["need"].round())
        pooled = e["department_id"].where(~(rng.random(n) < 0.5), "*")
        fast = money._pooled_small(e, pooled)
        built += fast is not None
        _same(fast if fast is not None else _pandas_pooled(e, pooled), _pandas_pooled(e, pooled))
        assert money.pooled_effort(e, listed, 5).columns.tolist() == ["department_id", *e.columns[1:]]
    assert built


def _readiness(seed: int, groups: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"change_id": pd.array(rng.choice(["C01", "C02"], groups), dtype="str"),
                         "asset_id": pd.array([f"LAP-{i:04d}" for i in rng.permutation(groups)], dtype="str"),
                         "quantity": rng.integers(1, 6, groups).astype("int64")})


@pytest.mark.parametrize("groups", [3, 21, 22, 60])
def test_the_device_groups_shown_are_the_ones_pandas_ranks_first(groups):
    from impactlib.report import devices

    for seed in range(10):
        r = _readiness(seed, groups)
        top = r.sort_values(["quantity", "change_id", "asset_id"], ascending=[False, True, True], kind="stable").head(20)
        expected = set(zip(top["change_id"], top["asset_id"])) if groups > 21 else None
        assert devices.shown_groups(r) == expected
        assert devices.shown_groups(r.astype({"quantity": "float64"})) == expected  # the frame path


def _load(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    months = list(pd.date_range("2027-01-01", periods=6, freq="MS", unit="us"))
    f = pd.DataFrame({"department": pd.array(rng.choice(["IT", "Finance", "Sales"], n), dtype="str"),
                      "month": pd.Series([months[i] for i in rng.integers(0, 6, n)]).astype("datetime64[us]"),
                      "load": rng.choice([0.5, 1.0, 2.5, 0.0], n), "capacity": rng.choice([1.0, 2.0, 0.0], n),
                      "saturated": rng.random(n) < 0.3})
    return f


def test_the_change_load_labels_are_the_pivot_of_the_labels():
    from impactlib.report.text import number

    for seed in range(20):
        load = _load(seed)
        for rows in (None, ["Sales", "Legal", "IT"]):
            fig = charts.plot_change_load(load, "fr", rows)
            f = load.assign(ratio=load["load"] / load["capacity"],
                            label=[number(v, "fr", 1) + (" ▲" if s else "") for v, s in zip(load["load"], load["saturated"])])
            z = charts.pivot(f, "department", "month", "ratio", "max")
            z = z if rows is None else z.reindex(rows)
            text = charts.pivot(f, "department", "month", "label", "first").reindex_like(z).fillna("").to_numpy()
            assert fig.data[0]["text"].tolist() == text.tolist()
            assert fig.data[0]["text"].shape == text.shape


AREAS = ["Sensibiliser et former", "Sécuriser les postes", "Connaître le système d'information"]


def test_the_protection_chart_counts_as_pandas_does():
    from types import SimpleNamespace

    from impactlib.report import protection
    from impactlib.report.text import t

    rng = np.random.default_rng(5)
    n = 40
    cov = pd.DataFrame({"framework": pd.array(rng.choice(["anssi", "cyber_essentials", "other"], n), dtype="str"),
                        "area": pd.array(rng.choice(AREAS, n), dtype="str"),
                        "status": pd.array(rng.choice(["met", "partial", "missing", "not_required", None], n), dtype="str")})
    fig = protection.protection_chart(SimpleNamespace(protection_coverage=cov), "en").figure
    shown = cov.loc[cov["framework"].isin(["anssi", "cyber_essentials"]) & (cov["status"] != "not_required")]
    label = pd.Series([t(f"prot.area.{a}", "en") if fw == "anssi" else "Cyber Essentials" for a, fw in zip(shown["area"], shown["framework"])],
                      index=shown.index, dtype="str")
    counts = shown.assign(label=label).groupby(["label", "status"], sort=False).size().unstack(fill_value=0)
    bars = {tr["name"]: tr for tr in fig.data}
    for status in ("met", "partial", "missing", "unknown"):
        name = t(f"prot.status.{status}", "en")
        assert (name in bars) == (status in counts.columns)
        if name in bars:
            assert bars[name]["x"] == list(counts.reindex(list(dict.fromkeys(label)))[status].fillna(0).astype(int))


def _headlines(seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(int(rng.integers(1, 5))):
        findings = {s: int(rng.integers(0, 3)) for s in ("blocker", "high", "medium", "low")}
        amounts = {k: float(rng.choice([1000.0, 2500.5, 1000.0])) for k in ("spend_base", "spend_p10", "spend_p50", "spend_p90",
                                                                            "total_base", "cost_p10", "cost_p90", "saving")}
        out.append({"scenario": f"s{i}", "title": f"S {i}", "changes": 2, "findings": findings, **amounts, "horizon_months": 36,
                    "verdict": str(rng.choice(["go", "go_with_conditions", "not_ready"])), "participant_hours": 10.0,
                    "saturated_months": 0, "currency": "EUR"})
    return out


def test_the_scenarios_are_ranked_as_the_frame_sort_ranks_them():
    from impactlib.report import advice

    for seed in range(40):
        headlines = _headlines(seed)
        numpy_typed = [{**h, "findings": {k: np.int64(v) for k, v in h["findings"].items()}} for h in headlines]  # the frame path
        _same(advice.compare(headlines), advice.compare(numpy_typed))
    odd = _headlines(3)
    odd[0]["total_base"] = float("nan")  # the frame path (its sort puts NaN last)
    _same(advice.compare(odd), advice.ranked(advice.compare(odd)))


@pytest.mark.parametrize("size", [1, 5, 16, 17, 40, 120])
def test_the_largest_gap_row_is_the_one_a_frame_sort_puts_first(size):
    from impactlib.report import advice

    for seed in range(15):
        rng = np.random.default_rng(seed)
        people = pd.array([None if x < 0 else int(x) for x in rng.integers(-2, 4, size)], dtype="Int64")
        summary = pd.DataFrame({"department_id": pd.array(rng.choice(["D1", "D2", departments.OTHERS], size), dtype="str"),
                                "skill": pd.array([f"skill {i}" for i in range(size)], dtype="str"),
                                "department": pd.array([f"dept {i}" for i in range(size)], dtype="str"), "people": people})
        shown = summary.dropna(subset=["people"])
        shown = shown.loc[shown["department_id"] != departments.OTHERS]
        got = advice._most_gaps(summary)
        if not len(shown):
            assert got is None
            continue
        top = shown.sort_values("people", ascending=False).iloc[0]
        assert (got["skill"], got["department"], int(got["people"])) == (top["skill"], top["department"], int(top["people"]))


def test_a_grid_of_one_inexact_value_per_cell_is_built_in_plain_python():
    """charts.pivot's mean (or sum) of one float per cell, whatever its rounding: the value, as pandas' groupby gives it."""
    rng = np.random.default_rng(0)
    for seed in range(20):
        cells = list(itertools.product(["d1", "d2", "d3"], ["C01", "C02", "C03", "C04"]))
        picked = [cells[i] for i in rng.permutation(len(cells))[:int(rng.integers(1, len(cells)))]]
        f = pd.DataFrame({"department": pd.array([d for d, _ in picked], dtype="str"),
                          "change_id": pd.array([c for _, c in picked], dtype="str"),
                          "score": rng.choice([0.1, 4.333333333333333, 2.7, 1e-300, 3.0, np.nan], len(picked))})
        for aggfunc in ("mean", "sum"):
            expected = f.groupby(["department", "change_id"])["score"].agg(aggfunc).dropna().unstack("change_id").sort_index(axis=1)
            small = charts._pivot_small(f, "department", "change_id", "score", aggfunc, None)
            if aggfunc == "mean" or not f["score"].isna().any():
                assert small is not None
            pd.testing.assert_frame_equal(charts.pivot(f, "department", "change_id", "score", aggfunc), expected, check_exact=True)
    f = pd.DataFrame({"department": pd.array(["d1", "d1"], dtype="str"), "change_id": pd.array(["C1", "C1"], dtype="str"),
                      "score": [0.1, 0.2]})
    assert charts._pivot_small(f, "department", "change_id", "score", "mean", None) is None  # two inexact values: pandas


@pytest.mark.parametrize("text", ["a  b , c", "a (b ) .", "  x ", "plain", "x .y", "a   ,b", "(  )", "a\u00a0 ,"])
def test_a_finding_text_is_tidied_as_the_two_substitutions_tidy_it(text):
    import re

    from impactlib.report import html

    assert html._tidied(text) == re.sub(r" +([,.)])", r"\1", re.sub(r"  +", " ", text)).strip()


def test_the_os_labels_are_the_ones_the_frame_made():
    from impactlib.report.text import t

    frame = pd.DataFrame({"os": pd.array(["Windows 10", "", "Windows 11", "Ubuntu", "Windows 10"], dtype="str"),
                          "os_version": pd.array(["22H2", "", "11", "", "22H2"], dtype="str"),
                          "devices": np.array([3, 1, 2, 5, 4], dtype="int64"),
                          "status": pd.array(["ended", "no_os", "supported", "unknown", "ended"], dtype="str")})
    fig = charts.plot_os_support(frame, "fr", 6)
    name = frame["os"].where(frame["os"] != "", t("status.no_os", "fr"))
    redundant = [v == "" or n.endswith(v) for n, v in zip(name, frame["os_version"])]
    label = name.where(redundant, name + " " + frame["os_version"]).to_numpy()
    assert fig.layout["height"] == 200 + 34 * max(pd.Series(label).nunique(), 2)
    assert sorted(y for tr in fig.data for y in tr["y"]) == sorted(label)


def test_the_device_options_reading_sums_as_the_filtered_frames_do():
    from impactlib.report import devices

    for seed in range(30):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(0, 40))
        options = pd.DataFrame({"asset_id": pd.array(rng.choice(["A1", "A2", "A3", "A4"], n), dtype="str"),
                                "option": pd.array(rng.choice(["replace", "upgrade", "esu"], n), dtype="str"),
                                "recommended": rng.random(n) < 0.4,
                                "horizon_cost": rng.choice([1234.56, 0.1, 999.99, np.nan, 1e7 / 3], n)})
        ready = pd.DataFrame({"asset_id": pd.array(["A1", "A2", "A3", "A4"], dtype="str"),
                              "verdict": pd.array(rng.choice(["ready", "not_ready"], 4), dtype="str")})
        bad = set(ready.loc[ready["verdict"] == "not_ready", "asset_id"])
        expected = (options.loc[options["recommended"], "horizon_cost"].sum(),
                    options.loc[(options["option"] == "replace") & options["asset_id"].isin(bad), "horizon_cost"].sum())
        assert devices._reading_sums(options, ready) == expected
        assert devices._reading_sums(options.astype({"asset_id": object}), ready) == expected  # the frame path


@pytest.mark.parametrize("size", [1, 3, 14, 40])
def test_departments_are_ranked_as_the_frame_sorts_rank_them(size):
    def frame_path(measure):
        m = measure.groupby(level=0).sum() if not measure.index.is_unique else measure
        return m.sort_index(kind="stable").sort_values(ascending=False, kind="stable").index.tolist()

    for seed in range(20):
        rng = np.random.default_rng(seed)
        ids = pd.Index([f"D{i:03d}" for i in rng.permutation(size)], dtype="str", name="department_id")
        for values in (rng.integers(0, 4, size).astype("int64"), rng.choice([0.5, 1.0, 2.25], size)):
            measure = pd.Series(values, index=ids)
            assert departments._ranked_small(measure) == frame_path(measure)
            ranked = departments.rank(measure, 5)
            assert list(ranked.shown) + sorted(ranked.others) == frame_path(measure)[:5] + sorted(frame_path(measure)[5:]) or size <= 6
    doubled = pd.Series([1, 2, 3], index=pd.Index(["a", "b", "a"], dtype="str"))
    assert departments._ranked_small(doubled) is None
    assert departments.rank(doubled).shown == ("a", "b")


@pytest.mark.parametrize("size", [0, 1, 7, 16, 17, 50])
def test_largest_first_is_the_order_of_a_descending_frame_sort(size):
    for seed in range(20):
        rng = np.random.default_rng(seed)
        for values in (rng.integers(0, 4, size).astype("int64"), rng.choice([0.5, 1.0, np.nan, 2.0], size)):
            expected = pd.Series(values).sort_values(ascending=False).index.to_numpy()
            np.testing.assert_array_equal(charts.largest_first(values), expected)


def test_the_cost_items_read_as_the_indexed_frame_reads_them():
    ranges = pd.DataFrame({"item": pd.array(["run", "licences", "total"], dtype="str"), "base": [0.0, 84484.58, 84484.58],
                           "p10": [0.0, 1.5, 2.5], "p50": [0.0, 2.0, 3.0], "p90": [0.0, 3.5, 4.5]})
    for frame in (ranges, pd.concat([ranges, ranges.iloc[:1]], ignore_index=True)):  # (an item twice: the indexed path)
        at, indexed = charts.by_item(frame), frame.set_index("item")
        for item in ("licences", "total"):
            for column in ("base", "p10", "p50", "p90"):
                assert at(item, column) == indexed.at[item, column]


def test_the_usage_chart_orders_systems_as_the_frame_sort_does():
    for seed in range(20):
        f = _flows(seed, False, flag=True)
        f["users"] = f["users"] % 3  # ties among the systems' sums
        fig = charts.plot_usage(f, "en")
        g = f.assign(system=f["system"] + f["changed"].map({True: " ●", False: ""}))
        grid = charts.pivot(g, "department", "system", "users", "sum", fill_value=0)
        assert list(fig.data[0]["x"]) == list(grid.sum().sort_values(ascending=False).index)


def test_the_department_names_are_read_once_per_table_and_stay_right():
    depts = pd.DataFrame({"department_id": pd.array(["D1", "D2", "D1"], dtype="str"), "name": pd.array(["IT", "Sales", "IT bis"], dtype="str")})
    plain_names = departments.names(departments.Ranked(("D1", "D2"), frozenset()), depts, "en")
    assert plain_names.to_dict() == {"D1": "IT", "D2": "Sales"}
    assert departments.names(departments.Ranked(("D1", "D2"), frozenset()), depts, "fr") is plain_names
    other = depts.assign(name=pd.array(["Ops", "Legal", "x"], dtype="str"))  # another table: its own names
    assert departments.names(departments.Ranked(("D1",), frozenset()), other, "en").to_dict() == {"D1": "Ops", "D2": "Legal"}
    grouped = departments.names(departments.Ranked(("D1",), frozenset({"D2"})), depts, "en")
    assert grouped.to_dict() == {"D1": "IT", "D2": "Sales", departments.OTHERS: departments.others_label(departments.Ranked(("D1",), frozenset({"D2"})), "en")}
    assert plain_names.to_dict() == {"D1": "IT", "D2": "Sales"}  # (the grouped names are a new Series)

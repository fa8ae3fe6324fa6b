"""The counts a big client's analysis and report take on integer codes (issue 17, the kernel's memory peak) equal the
pandas groupbys they replace: the same values, order, index and dtypes, on the gaps and training plans of a demo and a
synthetic client, on copies with NA keys, and with hours and costs whose sums are not exact (the pandas fallbacks)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO
from synthetic import write_client

from impactlib import assess, load_client
from impactlib.analysis import rules, shared, skills, training
from impactlib.report import departments

DAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def analyses(tmp_path_factory):
    folder = write_client(tmp_path_factory.mktemp("coded") / "syn-coded", seed=5, staff=400, assets=80, skills=40, changes=3)
    return [assess(c, s, as_of=DAY) for c in (load_client(DEMO / "acme-industrie"), load_client(folder))
            for s in sorted(c.scenarios)]


def _variants(g: pd.DataFrame) -> list[pd.DataFrame]:
    """The frame, copies with NA in a key column, with no gap at all, and empty."""
    out = [g]
    for col, step in (("staff_id", 7), ("department_id", 5), ("skill_id", 3)):
        h = g.copy()
        h.loc[h.index[::step], col] = np.nan
        out.append(h)
    return out + [g.assign(gap=0), g.iloc[0:0]]


_values = skills.as_values  # a person-level frame as its values (before it was coded)


def _same(a, b, what: str) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=what)
    else:
        pd.testing.assert_series_equal(a, b, check_exact=True, check_index_type=True, obj=what)


def test_the_gap_counts_on_codes_equal_the_groupbys(analyses, monkeypatch):
    monkeypatch.setattr(shared, "SMALL_ROWS", -1)  # the frame path at any size
    for an in analyses:
        # counted on the coded frame, grouped by pandas on its values
        for i, (g, v) in enumerate(zip(_variants(an.gaps), _variants(_values(an.gaps)))):
            what = f"{an.scenario} variant {i}"
            gap = v.loc[v["gap"] > 0]
            for k in (1, 3):
                per = gap.groupby(["department_id", "staff_id", "skill_id"], as_index=False)["gap"].max()
                s = per.groupby(["department_id", "skill_id"], as_index=False).agg(people=("staff_id", "nunique"),
                                                                                   mean_gap=("gap", "mean"))
                small = s["people"] < k
                want = s.assign(people=s["people"].astype("Int64").mask(small), mean_gap=s["mean_gap"].mask(small))
                _same(skills.gap_summary(g, k), want, f"{what} gap_summary k={k}")
            for only, part in ((False, v), (True, gap)):
                _same(skills.people_per_department(g, only), part.groupby("department_id")["staff_id"].nunique(), what)
                for col in ("staff_id", "skill_id"):
                    assert skills.distinct(g, col, only) == part[col].nunique(), what
            first = v.drop_duplicates(["staff_id", "skill_id"])
            count, by_source = skills.level_sources(g)
            assert (count, by_source) == (len(first), {s: int(first["source"].value_counts().get(s, 0)) for s in skills.SOURCES}), what


def test_the_levels_summary_of_grouped_departments_equals_that_of_the_keyed_frame(analyses):
    for an in analyses:
        g = an.gaps
        ranked = departments.rank(g.groupby("department_id")["staff_id"].nunique(), 1)
        assert ranked.grouped
        for k in (1, 2, 5):
            _same(skills.source_summary(g, k, key=ranked.key),
                  skills.source_summary(_values(g).assign(department_id=ranked.key(g["department_id"].astype("str"))), k),
                  f"{an.scenario} k={k}")


def test_the_training_plan_on_codes_equals_the_groupbys(analyses):
    key = ["change_id", "department_id", "wave", "course_id", "skill_id"]
    for an in analyses:
        p = an.participants
        assert len(p)
        thirds = p["cost"] / 3  # not exact: pandas' own sums
        for i, v in enumerate((p, p.assign(cost=thirds), p.assign(cost=p["cost"].where(np.arange(len(p)) % 4 > 0)))):
            want = _values(v).groupby(key, as_index=False).agg(participants=("staff_id", "nunique"), cost=("cost", "sum"),
                                                      needed_by=("date", "min"))
            _same(training._grouped_coded(v, key), want, f"{an.scenario} sessions variant {i}")
        change = pd.factorize(p["change_id"])[0]
        person = pd.factorize(p["staff_id"])[0]
        order = np.lexsort((person, change))
        change, person = change[order], person[order]
        for hours in (p["hours"].iloc[order].reset_index(drop=True), p["hours"].iloc[order].reset_index(drop=True) / 3):
            grouped = hours.groupby([change, person])
            _same(training._later(hours, change, person), grouped.transform("sum") - grouped.cumsum(), an.scenario)


def _slowest_by_pandas(train: pd.DataFrame) -> pd.Series:
    change, _ = pd.factorize(train["change_id"])
    person, _ = pd.factorize(train["staff_id"])
    per = pd.DataFrame({"key": change.astype("int64") * (person.max() + 1 if len(person) else 1) + person,
                        "change_id": train["change_id"].to_numpy(), "department_id": train["department_id"].to_numpy(),
                        "hours": train["hours"].to_numpy()})
    per = per.groupby("key", sort=False).agg(change_id=("change_id", "first"), department_id=("department_id", "first"),
                                             hours=("hours", "sum"))
    return per.groupby(["change_id", "department_id"])["hours"].max()


def test_the_slowest_person_on_codes_equals_the_groupbys(analyses):
    for an in analyses:
        t = an.training
        for i, v in enumerate((t, t.assign(hours=t["hours"] / 3), t.assign(hours=t["hours"].where(np.arange(len(t)) % 4 > 0)),
                               t.iloc[0:0])):
            _same(rules._slowest_person(v), _slowest_by_pandas(_values(v)), f"{an.scenario} variant {i}")


def test_factorize_and_exact_sums():
    values = np.array(["b", "a", None, "b", "c"], dtype=object)
    for sort in (False, True):
        codes, uniques = shared.factorize(values, sort=sort)
        want_codes, want_uniques = pd.factorize(values, sort=sort)
        assert codes.tolist() == want_codes.tolist() and list(uniques) == list(want_uniques)
    assert shared.exact_sums(np.array([0.5, 3.0, 1.25, 0.0]))
    assert not shared.exact_sums(np.array([0.1, 3.0]))  # not a multiple of 1/256
    assert not shared.exact_sums(np.array([-1.0, 3.0]))
    assert not shared.exact_sums(np.array([np.nan, 3.0]))
    assert shared.exact_sums(np.array([np.nan, 3.0]), nan=True)
    assert not shared.exact_sums(np.array([2.0 ** 50]))  # a total past 2**52 / 256


def test_the_person_level_frames_are_coded_and_sort_as_their_values(analyses):
    for an in analyses:
        for name in ("gaps", "training_need", "training", "participants"):
            f = getattr(an, name)
            coded = [c for c, t in f.dtypes.items() if isinstance(t, pd.CategoricalDtype)]
            assert set(coded) == {"change_id", "product_id", "department_id", "staff_id", "role", "skill_id", "source",
                                  "sessions", "course_id"} & set(f.columns), name
            # the staff ids' codes are those kept for the counts on codes (shared.keep_codes), without a copy
            kept = shared.codes_of(an, name, f)
            assert kept is None or np.shares_memory(kept, f["staff_id"].array.codes), name
            for c in coded:  # sorted categories: sorting and grouping on the codes give the values' order
                assert list(f[c].cat.categories) == sorted(f[c].cat.categories), (name, c)
            assert {str(f[c].dtype) for c in skills.LEVELS if c in f} <= {skills.LEVEL}, name
        g = an.gaps
        by = ["skill_id", "department_id", "source"]
        _same(_values(g.sort_values(by, kind="stable")), _values(g).sort_values(by, kind="stable"), an.scenario)


@pytest.mark.parametrize("values, dtype", [(["b", "a", None, "b"], "str"), (["b", "a", None, "b"], object), ([], "str")])
def test_category_keeps_the_values_and_their_dtype(values, dtype):
    s = pd.Series(values, dtype=dtype)
    c = shared.category(s)
    assert list(c.categories) == sorted(x for x in set(values) if x is not None)
    assert c.categories.dtype == s.dtype
    back = pd.Series(c).astype(shared.plain_dtype(c.dtype))
    assert back.dtype == s.dtype and [None if pd.isna(x) else x for x in back] == values  # NA stays NA


def test_the_groups_of_a_coded_frame_are_those_of_its_values(analyses):
    for an in analyses:
        for f in (an.gaps, an.training_need, an.gaps.assign(skill_id=an.gaps["skill_id"].where(an.gaps.index % 5 > 0))):
            for keys in (["change_id", "product_id", "role", "skill_id"], ["department_id", "staff_id"]):
                coded, plain = shared.grouped(f, keys), shared.grouped(skills.as_values(f), keys)
                if plain is None:  # an NA key
                    assert coded is None
                    continue
                np.testing.assert_array_equal(coded[0], plain[0])
                _same(coded[1], plain[1], f"{an.scenario} {keys}")


def test_a_big_clients_picks_keep_their_person_codes_as_integers(analyses, monkeypatch):
    """The people picked for a role with no company-wide need are not turned into objects by that empty part (~18 MiB
    of Python ints at 50,000 staff); the dtypes handed beside them are those of the parts concatenated."""
    monkeypatch.setattr(shared, "SMALL_STAFF", 0)  # the big clients' path
    seen = 0
    for an in analyses:
        an = assess(an.client, an.scenario, as_of=DAY)
        need = an.demand.assign(need=np.arange(len(an.demand)))
        staff, _, levels = skills._coded_people(an.client)
        for role, chosen, kinds in skills._chosen_by_role(an, need, staff, levels):
            assert len(kinds) == 0 and list(kinds.columns) == list(chosen.columns), role
            if len(chosen):
                assert chosen["staff_id"].dtype == "int64" and chosen["need"].dtype == "int64", role
                seen += kinds["staff_id"].dtype == object
    assert seen  # a role of these clients has no company-wide need

"""The plain-Python paths of the review's rules and of the results they read (compat, costs, money, protection) give
what the frame operations they replace gave: the same values, rows, order and dtypes, on the demo clients and a
synthetic one; and each hands back to the frame path where its assumptions do not hold."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO, DEMO_CLIENTS
from synthetic import write_client

from impactlib import assess, load_client
from impactlib.analysis import compat, money, rules
from impactlib.analysis import shared as share

DAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def analyses(tmp_path_factory):
    """Every scenario of the demo clients and of a synthetic client, assessed."""
    folder = write_client(tmp_path_factory.mktemp("fast") / "syn-fast", seed=5, staff=120, assets=60, skills=30, changes=3)
    clients = [load_client(DEMO / name) for name in DEMO_CLIENTS] + [load_client(folder)]
    return [assess(c, s, as_of=DAY) for c in clients for s in sorted(c.scenarios)]


def test_the_end_of_support_lookup_equals_the_merge(analyses):
    for an in analyses:
        life = an.client.catalog.lifecycle()
        f = an.lifecycle.drop(columns=["end_of_support", "version_known", "status"])
        f = f.iloc[::-1].set_axis(range(3, 3 + len(f)))  # another order and index: the merge's RangeIndex either way
        merged = f.merge(life[["product_id", "version", "end_of_support"]], on=["product_id", "version"], how="left")
        pd.testing.assert_frame_equal(compat._support_ends(an, f, life), merged)
        # a version unknown to the catalog, and none at all
        odd = f.assign(version=[None if i % 3 == 0 else "no-such-version" if i % 3 == 1 else v
                                for i, v in enumerate(f["version"])]).astype({"version": f["version"].dtype})
        merged = odd.merge(life[["product_id", "version", "end_of_support"]], on=["product_id", "version"], how="left")
        pd.testing.assert_frame_equal(compat._support_ends(an, odd, life), merged)


def test_a_catalog_with_a_repeated_version_takes_the_merge():
    life = pd.DataFrame({"product_id": ["p", "p"], "version": ["1", "1"],
                         "end_of_support": pd.to_datetime(["2026-01-01", "2027-01-01"])})
    assert compat._support_index(life) is None
    assert compat._support_index(life.iloc[:1]) is not None


def test_the_data_a_change_touches_equals_the_frame_filters(analyses):
    for an in analyses:
        client = an.client
        d, a = client.dependencies, client.assets
        for c in an.changes:
            ids = set(an.touched[c.id]["asset_id"])
            stores = set(d.loc[d["from_asset_id"].isin(ids) & (d["kind"] == "stores_data_in"), "to_asset_id"])
            held = a.loc[a["asset_id"].isin(ids | stores), "sensitive_data"].dropna()
            cats = {x for cell in held for x in cell.split("|")}
            if c.data_volume_gb:
                cats |= set(client.profile.sensitive_data) & compat.HIGHLY_SENSITIVE
            assert compat.data_touched(client, c, ids) == frozenset(cats) == compat.touched_data(an, c)


def test_the_hardware_verdicts_equal_the_host_verdicts(analyses, monkeypatch):
    for an in analyses:
        fast = rules._hardware_verdicts(an.host_checks)
        monkeypatch.setattr(share, "SMALL_ROWS", -1)
        frames = rules._hardware_verdicts(an.host_checks)
        monkeypatch.undo()
        fields = ("change_id", "product_id", "asset_id", "quantity", "verdict", "failed", "unknown")
        assert [tuple(getattr(v, k) for k in fields) for v in fast] == [tuple(getattr(v, k) for k in fields) for v in frames]
        assert all(v.verdict != "pass" for v in fast)


def test_the_administrators_to_recruit_equal_the_groupby(analyses):
    hit = 0
    for an in analyses:
        adv = an.staffing_advice
        # every decision as a recruitment, so that the groups are many (on an Analysis of its own: the others' stays)
        adv = adv.assign(role="administrator", decision="recruit", required=adv["required"] + 2)
        mine = assess(an.client, an.scenario, as_of=DAY)
        mine.__dict__["staffing_advice"] = adv
        ctx = rules.Context(mine)
        fast, frames = rules.administration(ctx), rules._administration_frames(ctx, adv)
        assert fast == frames
        hit += len(fast)
    assert hit


def test_the_first_row_per_capability_equals_drop_duplicates(analyses):
    for an in analyses:
        adv = an.staffing_advice
        twice = pd.concat([adv, adv, adv.assign(change_id=None)], ignore_index=True)
        expected = twice.drop_duplicates(["change_id", "product_id", "role"])
        cols = ["change_id", "product_id", "role", "decision", "rule", "provider_cost"]
        assert [tuple(r) for r in money._first_per_capability(twice)] == list(expected[cols].itertuples(index=False, name=None))


def test_the_break_even_month_equals_the_series_path(analyses):
    months = pd.date_range("2026-12-01", periods=6, freq="MS")
    cases = [([5, 5, 5, 5, 5, 5], [0, 0, 0, 0, 0, 0]), ([9, 0, 0, 0, 0, 0], [2, 2, 2, 2, 2, 2]),
             ([0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]), ([3, -1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]),
             ([3, np.nan, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1])]
    for sc, sq in cases:
        per = pd.DataFrame({"scenario": np.array(sc, dtype="float64"), "status_quo": np.array(sq, dtype="float64")}, index=months)
        assert money.break_even(per) == money._break_even_series(per)
    for an in analyses:
        per = money.per_month(an.cash_flows)
        assert money.break_even(per) == money._break_even_series(per)


def test_a_line_spread_over_the_months_equals_the_period_arithmetic():
    months = pd.period_range(pd.Period("2026-12", freq="M"), periods=36, freq="M")

    def periods(start, n, amount, indexation, one_off, end=None):  # the Period arithmetic the months replaced
        out = np.zeros(len(months))
        first = pd.Period(start, freq="M") if pd.notna(start) else months[0]
        i0 = max((first - months[0]).n, 0)
        if one_off:
            if i0 < len(months):
                out[i0] = amount
            return out
        last = len(months) - 1 if n is None or pd.isna(n) else (first - months[0]).n + int(n) - 1
        if end is not None and pd.notna(end):
            last = min(last, (pd.Period(end, freq="M") - months[0]).n)
        last = min(last, len(months) - 1)
        if last >= i0:
            out[i0:last + 1] = amount * (1 + indexation) ** (np.arange(len(months)) // 12)[i0:last + 1]
        return out

    for start in (pd.Timestamp("2026-10-15"), pd.Timestamp("2027-03-01"), pd.Timestamp("2030-01-31"), pd.NaT, None):
        for n in (None, np.nan, 1, 7, 60):
            for end in (None, pd.NaT, pd.Timestamp("2027-06-30"), pd.Timestamp("2026-01-01")):
                for one_off in (True, False):
                    np.testing.assert_array_equal(money._spread(months, start, n, 100.0, 0.02, one_off, end),
                                                  periods(start, n, 100.0, 0.02, one_off, end))


def test_the_unsupported_lifecycle_rows_equal_the_frame_rows(analyses):
    from impactlib.model.frames import frame_rows

    for an in analyses:
        want = [r for r in frame_rows(an.lifecycle) if r.status not in ("supported", "evergreen")]
        got = rules._unsupported(an.lifecycle)
        assert len(got) == len(want)
        for w, g in zip(want, got):
            for k in g._fields:
                a, b = getattr(w, k), getattr(g, k)
                assert type(a) is type(b) and (a == b or (a != a and b != b)), (k, a, b)
                assert getattr(a, "unit", None) == getattr(b, "unit", None), k

"""The work the scenarios of one client share (analysis/shared.py) and the plain-Python paths of small clients give
the same results as each scenario assessed alone and as the frame paths."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import DEMO
from synthetic import write_client

from impactlib import assess, load_client
from impactlib.analysis import shared, staffing
from impactlib.model.documents import Scenario

DAY = dt.date(2026, 11, 30)
# results read from the shared store or from the plain-Python paths, and what they feed
RESULTS = ("touched", "host_checks", "verdicts", "readiness", "demand", "gaps", "training_need", "exposure",
           "reorganisation", "staffing_advice", "lifecycle", "protection", "protection_actions", "drawbacks", "findings",
           "headline")


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """A demo client with several scenarios and a synthetic one whose second scenario drops, adds and moves changes."""
    folder = write_client(tmp_path_factory.mktemp("shared") / "syn-shared", seed=3, staff=120, assets=60, skills=30, changes=3)
    return [load_client(DEMO / "acme-industrie"), load_client(folder)]


def _same(a, b, what: str) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_dtype=True, check_index_type=True, obj=what)
        assert a.dtypes.to_dict() == b.dtypes.to_dict(), what
    elif isinstance(a, dict) and a and isinstance(next(iter(a.values())), pd.DataFrame):
        assert list(a) == list(b), what
        for k in a:
            _same(a[k], b[k], f"{what}[{k}]")
    else:
        assert a == b, what


def test_a_scenario_assessed_like_another_equals_it_assessed_alone(clients):
    for c in clients:
        names = sorted(c.scenarios)
        assert len(names) >= 2
        for first in names:
            an = assess(c, first, as_of=DAY)
            an.headline
            for other in names:
                if other == first:
                    continue
                shared_one, alone = assess(c, other, as_of=DAY, like=an), assess(c, other, as_of=DAY)
                assert shared_one.shared is an.shared and alone.shared is not an.shared
                for name in RESULTS:
                    _same(getattr(alone, name), getattr(shared_one, name), f"{c.profile.name} {first}->{other} {name}")
                assert an.shared, "the first analysis kept nothing to share"


def test_the_store_is_shared_with_the_same_client_object_only(clients):
    c = clients[0]
    an = assess(c, as_of=DAY)
    an.gaps
    again = load_client(DEMO / "acme-industrie")  # the same files, another object: nothing is handed over
    assert assess(again, as_of=DAY, like=an).shared is not an.shared
    assert assess(c, as_of=DAY, like=an).shared is an.shared


def test_a_store_past_its_limit_is_not_handed_over(clients, monkeypatch):
    c = clients[0]
    an = assess(c, as_of=DAY)
    an.shared.update({("filler", i): i for i in range(3)})
    monkeypatch.setattr(shared, "LIMIT", 3)
    assert assess(c, as_of=DAY, like=an).shared == {}


def test_a_change_moved_in_time_keeps_its_structure_key_and_one_acting_elsewhere_does_not(clients):
    c = clients[0]
    base = assess(c, as_of=DAY).changes[0]
    moved = base.model_copy(update={"go_live": base.go_live + dt.timedelta(days=30), "title": "moved"})
    elsewhere = base.model_copy(update={"assets": ("SRV-ERP",)})
    assert shared.structure_key(moved) == shared.structure_key(base)
    assert shared.structure_key(elsewhere) != shared.structure_key(base)


def test_an_explorer_tweak_on_other_assets_is_not_served_the_previous_results(clients):
    """A tweak that moves a change onto other assets must not get the earlier change's touched assets or checks."""
    c = clients[0]
    an = assess(c, as_of=DAY)
    an.headline
    first = an.changes[0]
    others = sorted(set(c.assets["asset_id"]) - set(an.touched[first.id]["asset_id"]))[:2]
    tweak = Scenario(title="tweak", changes={first.id: {"assets": others}})
    tweaked, alone = assess(c, tweak, as_of=DAY, like=an), assess(c, tweak, as_of=DAY)
    assert sorted(tweaked.touched[first.id]["asset_id"]) == others
    for name in ("touched", "host_checks", "readiness", "demand", "gaps", "exposure", "findings"):
        _same(getattr(alone, name), getattr(tweaked, name), f"tweak {name}")


def test_the_plain_python_paths_equal_the_frame_paths(clients, monkeypatch):
    """demand, the gap matching, the capability needs, the staffing advice, the exposure, the departments' impact and
    the key users of a small client equal the frame paths big clients take."""
    small = [(c, s) for c in clients for s in sorted(c.scenarios)]
    assert all(shared.small(assess(c, s, as_of=DAY)) for c, s in small)
    fast = {(id(c), s): assess(c, s, as_of=DAY) for c, s in small}
    monkeypatch.setattr(shared, "SMALL_STAFF", 0)
    for c, s in small:
        an, frames = fast[(id(c), s)], assess(c, s, as_of=DAY)
        assert not shared.small(frames)
        for name in ("demand", "gaps", "training_need", "training", "participants", "capability_needs", "staffing_advice",
                     "reorganisation", "exposure", "department_impact", "change_load"):
            _same(getattr(frames, name), getattr(an, name), f"{c.profile.name} {s} {name}")
        for k in (None, 0, 1, 5, 40):
            monkeypatch.setattr(shared, "SMALL_STAFF", 2000)
            fast_ku = staffing.key_users(an, k)
            monkeypatch.setattr(shared, "SMALL_STAFF", 0)
            _same(staffing.key_users(frames, k), fast_ku, f"{c.profile.name} {s} key_users k={k}")


def test_the_plain_python_gap_rows_equal_the_small_frame_path(clients, monkeypatch):
    """skills._gaps_small (a small client's gaps in plain Python, which hands back to the frame path when its
    _rows_small does) gives the gaps, and what they feed, of the frame path (skills._rows), row for row and dtype
    for dtype."""
    from impactlib.analysis import skills

    cases = [(c, s) for c in clients for s in sorted(c.scenarios)]
    plain = {(id(c), s): assess(c, s, as_of=DAY) for c, s in cases}
    monkeypatch.setattr(skills, "_rows_small", lambda *a: None)
    for c, s in cases:
        an, frames = plain[(id(c), s)], assess(c, s, as_of=DAY)
        for name in ("gaps", "training_need", "capability_needs", "headline"):
            _same(getattr(frames, name), getattr(an, name), f"{c.profile.name} {s} {name}")


def test_department_scores_in_plain_python_equal_the_groupby(clients):
    """impact.department_scores of a few hundred rows (plain Python) equals the groupby it replaces: degrees as they
    are, some unknown (NaN), none, and thirds (sums not exact: the groupby's own means)."""
    from impactlib.analysis import impact

    key = ["department_id", "department", "headcount", "change_id"]
    for c in clients:
        for s in sorted(c.scenarios):
            di = assess(c, s, as_of=DAY).department_impact
            for f in (di, di.assign(degree=di["degree"].where(di.index % 3 != 0)), di.iloc[0:0], di.assign(degree=di["degree"] / 3)):
                want = f.dropna(subset=["degree"]).groupby(key, as_index=False)["degree"].mean().rename(columns={"degree": "score"})
                _same(want, impact.department_scores(f), f"{c.profile.name} {s} department_scores")


def test_training_need_with_chains_kept_per_skill_equals_the_whole_computation(clients, monkeypatch):
    """skills._chains (the cheapest chains kept per skill, in plain Python) gives the training need of the whole
    computation (cheapest_chains of course_paths), for each scenario assessed alone and like= each other one."""
    from impactlib.analysis import skills

    for c in clients:
        names = sorted(c.scenarios)
        got = {}
        for first in names:
            an = assess(c, first, as_of=DAY)
            an.training_need
            got.update({(first, s): assess(c, s, as_of=DAY, like=an).training_need for s in names})
        monkeypatch.setattr(skills, "_chains", lambda an, wanted: skills.cheapest_chains(skills.course_paths(an.client.catalog, set(wanted))))
        for (first, s), need in got.items():
            _same(assess(c, s, as_of=DAY).training_need, need, f"{c.profile.name} {first}->{s} training_need")
        monkeypatch.undo()


def test_frame_types_object_columns_as_objects():
    """shared.frame gives an object column where asked (pandas 3 would take an array of strings as str)."""
    f = shared.frame([("a", 1), ("b", 2)], {"x": object, "n": "int64"})
    assert f.dtypes.to_dict() == pd.DataFrame({"x": ["a", "b"], "n": [1, 2]}).astype({"x": object}).dtypes.to_dict()
    assert shared.frame([], {"x": object}).dtypes["x"] == object


def test_host_verdicts_in_plain_python_equal_the_frame_path(clients, monkeypatch):
    """compat.host_verdicts takes a plain-Python path for at most SMALL_ROWS checks: the same rows, order and dtypes
    as the frame path, for the scenario's checks, a filtered copy (the hardware rule's) and no check at all."""
    from impactlib.analysis import compat

    for c in clients:
        for s in sorted(c.scenarios):
            checks = assess(c, s, as_of=DAY).host_checks
            assert len(checks) <= shared.SMALL_ROWS
            for part in (checks, checks.loc[checks["check"] != "os"], checks.iloc[0:0]):
                fast = compat.host_verdicts(part)
                monkeypatch.setattr(shared, "SMALL_ROWS", -1)
                _same(compat.host_verdicts(part), fast, f"{c.profile.name} {s} host_verdicts")
                monkeypatch.setattr(shared, "SMALL_ROWS", 5000)


def test_the_sessions_grouped_in_plain_python_equal_the_frame_path(clients, monkeypatch):
    """training.sessions groups at most SMALL_ROWS participant rows in plain Python: the same plan, rows, order and
    dtypes as the frame path's groupby (object key columns come out as strings there too)."""
    for c in clients:
        for s in sorted(c.scenarios):
            fast = assess(c, s, as_of=DAY)
            assert 0 < len(fast.participants) <= shared.SMALL_ROWS
            monkeypatch.setattr(shared, "SMALL_ROWS", -1)
            _same(assess(c, s, as_of=DAY).sessions, fast.sessions, f"{c.profile.name} {s} sessions")
            monkeypatch.setattr(shared, "SMALL_ROWS", 5000)


def test_the_plain_sums_equal_pandas_sums_to_the_bit():
    """shared.series_sum is Series.sum and shared.group_sum one group's groupby sum, bit for bit (NaN, -0.0, inf,
    values that round), so that the plain-Python paths built on them give the same floats as the frame paths."""
    import math
    import random

    rnd = random.Random(12)
    pool = [0.1, 1700.0, -0.0, 0.0, 1e16, float("nan"), float("inf"), 65.625, 2838.75]
    for _ in range(3000):
        xs = [rnd.choice(pool + [rnd.uniform(-1e6, 1e6), float(rnd.randint(0, 9999))]) for _ in range(rnd.randint(0, 30))]
        want = float(pd.Series(xs, dtype="float64").sum())
        got = shared.series_sum(xs)
        assert (want == got and math.copysign(1, want) == math.copysign(1, got)) or (want != want and got != got), xs
        if xs:
            want = float(pd.DataFrame({"k": 0, "v": xs}).groupby("k")["v"].sum().iloc[0])
            got = shared.group_sum(xs)
            assert (want == got and math.copysign(1, want) == math.copysign(1, got)) or (want != want and got != got), xs


def test_the_gap_summary_in_plain_python_equals_the_frame_path(clients, monkeypatch):
    """skills.gap_summary of at most SMALL_ROWS gap rows is counted in plain Python: the same rows, order, dtypes and
    suppressed counts as the frame path, for several k."""
    from impactlib.analysis import skills

    for c in clients:
        for s in sorted(c.scenarios):
            g = assess(c, s, as_of=DAY).gaps
            assert 0 < len(g) <= shared.SMALL_ROWS and (g["gap"] > 0).any()
            for k in (1, 2, 5, 40):
                fast = skills.gap_summary(g, k)
                monkeypatch.setattr(shared, "SMALL_ROWS", -1)
                _same(skills.gap_summary(g, k), fast, f"{c.profile.name} {s} gap_summary k={k}")
                monkeypatch.setattr(shared, "SMALL_ROWS", 5000)


def test_a_scenario_picks_gap_people_again_only_for_the_changes_whose_structure_differs(clients, monkeypatch):
    """skills.gaps keeps a big client's picks per change (its structure key): a scenario assessed like= another picks
    for its changed changes only, reuses the kept picks of the others (the same objects), and its gaps and what they
    feed equal the scenario assessed alone."""
    from impactlib.analysis import skills
    monkeypatch.setattr(shared, "SMALL_STAFF", 0)  # the frame paths of big clients, on a small client
    c = clients[1]
    an = assess(c, "baseline", as_of=DAY)
    an.gaps
    moved, other = [x for x in an.changes if x.id in set(an.demand["change_id"])][:2]
    kept = {x.id: an.shared[("gap_picks", an.change_keys[x.id])] for x in (moved, other)}
    asked = []  # the changes each call picks for
    real = skills._picks_of

    def picks_of(an_, need, *rest):
        asked.append(sorted(set(need["change_id"])))
        return real(an_, need, *rest)

    monkeypatch.setattr(skills, "_picks_of", picks_of)
    some = sorted(c.departments["department_id"])[:1]
    tweak = Scenario(title="tweak", changes={moved.id: {"go_live": moved.go_live + dt.timedelta(days=30)},
                                             other.id: {"departments": some}})
    tweaked = assess(c, tweak, as_of=DAY, like=an)
    tweaked.gaps
    monkeypatch.setattr(skills, "_picks_of", real)
    alone = assess(c, tweak, as_of=DAY)
    for name in ("gaps", "training_need", "capability_needs", "headline"):
        _same(getattr(alone, name), getattr(tweaked, name), f"tweak {name}")
    assert asked == [[other.id]]  # the moved change's picks were not computed again
    assert tweaked.shared[("gap_picks", tweaked.change_keys[moved.id])] is kept[moved.id]
    assert tweaked.change_keys[other.id] != an.change_keys[other.id]
    assert tweaked.shared[("gap_picks", tweaked.change_keys[other.id])] is not kept[other.id]


def test_scenarios_with_the_same_host_checks_share_them_and_their_verdicts(clients):
    """host_checks and verdicts are kept under the structure keys of the changes that have checks: a scenario that
    drops a change without checks gets the same frames (the same objects), equal to the scenario assessed alone; one
    that drops a change with checks does not."""
    c = clients[0]
    an = assess(c, as_of=DAY)
    checked = set(an.host_checks["change_id"])
    quiet = next(x.id for x in an.changes if x.id not in checked)  # acme-industrie: C2 and C3 check no host
    loud = next(x.id for x in an.changes if x.id in checked)
    an.verdicts
    without_quiet = assess(c, Scenario(title="without", exclude=(quiet,)), as_of=DAY, like=an)
    alone = assess(c, Scenario(title="without", exclude=(quiet,)), as_of=DAY)
    assert without_quiet.structure_key != an.structure_key  # not carried over whole by like=
    assert without_quiet.host_checks is an.host_checks and without_quiet.verdicts is an.verdicts
    for name in ("host_checks", "verdicts", "devices", "findings"):
        _same(getattr(alone, name), getattr(without_quiet, name), f"without {quiet} {name}")
    without_loud = assess(c, Scenario(title="without", exclude=(loud,)), as_of=DAY, like=an)
    assert without_loud.verdicts is not an.verdicts
    _same(assess(c, Scenario(title="without", exclude=(loud,)), as_of=DAY).verdicts, without_loud.verdicts, f"without {loud}")


def test_the_protection_controls_are_shared_by_scenarios_with_the_same_tenant_on_the_same_date(clients):
    """protection.controls reads of the scenario only whether a cloud tenant runs after it: scenarios equal on that
    and on the report date get the same frame (the same object), equal to the scenario assessed alone."""
    from impactlib.analysis import protection
    c = clients[0]
    an = assess(c, as_of=DAY)
    tenant = lambda a: any(protection._cloud(c.catalog.products.get(p)) for p in protection.products_after(a))  # noqa: E731
    shared_ones = 0
    for x in an.changes:
        tweak = Scenario(title="without", exclude=(x.id,))
        other = assess(c, tweak, as_of=DAY, like=an)
        assert (other.protection is an.protection) == (tenant(other) == tenant(an))
        shared_ones += other.protection is an.protection
        _same(assess(c, tweak, as_of=DAY).protection, other.protection, f"without {x.id} protection")
    assert shared_ones, "no scenario of the test shares the controls"
    later = assess(c, as_of=DAY + dt.timedelta(days=400), like=an)
    assert later.protection is not an.protection
    _same(assess(c, as_of=DAY + dt.timedelta(days=400)).protection, later.protection, "a later report date")


def test_positions_and_tally_group_in_one_pass():
    from impactlib.analysis.shared import positions, tally

    nan = float("nan")
    assert positions(["b", "a", "b"]) == {"b": [0, 2], "a": [1]}
    assert positions(["b", nan])["b"] == [0] and len(positions(["b", nan])) == 2  # NA kept under itself
    assert tally(["b", "a", "b", nan, None]) == {"b": 2, "a": 1, None: 1}  # NaN keys left out (None is a value)
    assert tally(["x", "y", "x", nan], [3, 4, 5, 100]) == {"x": 8, "y": 4}
    assert list(tally(["y", "x", "y"])) == ["y", "x"]  # in the order keys first appear
    assert tally(["s", "t", "s"], [False, True, False]) == {"s": 0, "t": 1}  # booleans: how many are true

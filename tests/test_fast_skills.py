"""The plain-Python paths of small clients in skills.py (gaps, training_need, demand, the usage evidence, the course
paths) give what the frame paths give: the same rows, order, values, dtypes and categories, on the demo clients and
synthetic ones varied at random (levels left unrecorded, usage counts, intensities and roles, skill transfers); and
each hands back to the frame path where its assumptions do not hold."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO, DEMO_CLIENTS
from synthetic import write_client

from impactlib import assess, load_client
from impactlib.analysis import shared, skills

DAY = dt.date(2026, 11, 30)
RESULTS = ("demand", "gaps", "training_need")


def _varied(client, seed: int):
    """``client`` with random changes that reach every branch of the inference: half of its recorded levels dropped,
    usage counts from a few people to whole departments, other intensities and roles, and transfers between the
    catalog's skills (from a skill to a later one in id order: no loop)."""
    rng = np.random.default_rng(seed)
    levels = client.skills.loc[rng.random(len(client.skills)) < 0.5].reset_index(drop=True)
    u = client.usage
    usage = u.assign(users=(u["users"] * rng.choice([1, 3, 40], len(u))).astype("int64"),
                     intensity=pd.Series(rng.choice(sorted(skills.USAGE_LEVEL), len(u)), dtype=u["intensity"].dtype),
                     role=pd.Series(np.where(rng.random(len(u)) < 0.3, rng.choice(["end_user", "key_user", "administrator"], len(u)),
                                             u["role"].to_numpy(dtype=object)), dtype=u["role"].dtype))
    known = sorted(client.catalog.skills["skill_id"])
    pairs = {tuple(sorted(rng.choice(len(known), 2, replace=False))) for _ in range(3 * len(known))}
    transfers = pd.DataFrame({"from_skill_id": pd.Series([known[a] for a, _ in pairs], dtype="str"),
                              "to_skill_id": pd.Series([known[b] for _, b in pairs], dtype="str"),
                              "delta": rng.choice([0, -1, -2], len(pairs)).astype("int64"),
                              "source": pd.Series(["test"] * len(pairs), dtype="str")})
    return dataclasses.replace(client, skills=levels, usage=usage, catalog=dataclasses.replace(client.catalog, transfers=transfers))


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """The demo clients, synthetic ones of several sizes and seeds, and each varied at random."""
    root = tmp_path_factory.mktemp("fast-skills")
    synthetic = [load_client(write_client(root / f"syn-skills-{seed}", seed=seed, staff=staff, assets=60, skills=30, changes=changes))
                 for seed, staff, changes in ((2, 120, 3), (13, 60, 2), (23, 250, 4))]
    plain = [load_client(DEMO / name) for name in DEMO_CLIENTS] + synthetic
    return plain + [_varied(c, seed) for seed, c in enumerate(plain)]


def _same(a, b, what: str) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_dtype=True, check_index_type=True, check_categorical=True, obj=what)
        assert a.dtypes.to_dict() == b.dtypes.to_dict(), what
        for c in a.columns:
            if isinstance(a[c].dtype, pd.CategoricalDtype):  # the categories' own dtype and order, unused ones too
                assert a[c].cat.categories.equals(b[c].cat.categories), (what, c)
                assert a[c].cat.categories.dtype == b[c].cat.categories.dtype, (what, c)
                assert a[c].cat.categories.name == b[c].cat.categories.name, (what, c)
    else:
        assert a == b, what


def test_the_plain_python_paths_equal_the_frame_paths(clients, monkeypatch):
    """Each scenario alone and assessed like= another (the client's facts kept in the shared store) equals the frame
    paths big clients take, and the frame path small clients took before (gaps' plain path handing back)."""
    cases = [(c, s) for c in clients for s in sorted(c.scenarios)]
    fast = {(id(c), s): assess(c, s, as_of=DAY) for c, s in cases}
    assert all(shared.small(an) for an in fast.values())
    assert any(len(an.gaps) and (an.gaps["source"] == "inferred").any() for an in fast.values())
    assert all(skills._gaps_small(assess(c, s, as_of=DAY)) is not None for c, s in cases)  # no hand-back here
    like = {}
    for c in clients:
        names = sorted(c.scenarios)
        first = fast[(id(c), names[-1])]
        first.training_need
        like.update({(id(c), s): assess(c, s, as_of=DAY, like=first) for s in names[:-1]})
    monkeypatch.setattr(skills, "_gaps_small", lambda an: None)
    small_frames = {k: assess(c, s, as_of=DAY) for k, (c, s) in zip(fast, cases)}
    monkeypatch.setattr(shared, "SMALL_STAFF", 0)
    monkeypatch.setattr(shared, "SMALL_ROWS", -1)
    for c, s in cases:
        frames = assess(c, s, as_of=DAY)
        for name in RESULTS:
            what = f"{c.profile.name} {s} {name}"
            _same(getattr(frames, name), getattr(fast[(id(c), s)], name), what)
            _same(getattr(small_frames[(id(c), s)], name), getattr(fast[(id(c), s)], name), f"{what} (small frames)")
            if (id(c), s) in like:
                _same(getattr(frames, name), getattr(like[(id(c), s)], name), f"{what} (like=)")


def test_the_usage_evidence_as_rows_equals_the_frame(clients):
    for c in clients:
        rows = skills._usage_evidence_rows(c)
        assert rows is not None
        assert rows == list(skills.usage_evidence(c).itertuples(index=False, name=None)), c.profile.name


def test_the_usage_evidence_hands_back_on_an_intensity_it_does_not_rate(clients):
    c = clients[0]
    u = c.usage.assign(intensity=pd.Series(["hourly"] * len(c.usage), dtype=c.usage["intensity"].dtype))
    assert skills._usage_evidence_rows(dataclasses.replace(c, usage=u)) is None
    assert skills._usage_evidence_rows(dataclasses.replace(c, usage=c.usage.astype({"users": "float64"}))) is None


def test_the_people_hand_back_on_a_level_recorded_twice(clients):
    c = clients[0]
    assert skills._people_small(c) is not None
    twice = pd.concat([c.skills, c.skills.iloc[:1]], ignore_index=True)
    assert skills._people_small(dataclasses.replace(c, skills=twice)) is None


def test_the_course_paths_as_rows_equal_the_frame(clients):
    catalog = clients[0].catalog
    some = sorted(set(catalog.courses["skill_id"]))[::3]
    for wanted in (None, some, []):
        paths = skills.course_paths(catalog, wanted)
        assert skills._path_rows(catalog, wanted) == list(paths.itertuples(index=False, name=None))
        kinds = {**skills.CHAINS, "to_level": "int64"}
        assert paths.dtypes.to_dict() == {c: kinds[c] for c in paths.columns} or not len(paths)


def test_the_cheapest_chains_hand_back_where_an_hour_is_unknown(clients):
    catalog = clients[0].catalog
    wanted = sorted(set(catalog.courses["skill_id"]))[:4]
    assert all(skills._chains_by_skill(catalog, wanted)[s] is not None for s in wanted)
    courses = catalog.courses.assign(hours=catalog.courses["hours"].where(catalog.courses["skill_id"] != wanted[0]))
    unknown = skills._chains_by_skill(dataclasses.replace(catalog, courses=courses), wanted)
    assert unknown == dict.fromkeys(wanted)


def test_the_gap_rows_hand_back_for_administrators_only_and_two_company_wide_needs(clients):
    """Needs in no role but administrator (the frame path's ids are strings then, not objects) and two company-wide
    needs of a change in one role (the frame path ranks them together) take the frame path."""
    an = assess(clients[0], as_of=DAY)
    people = skills._people_small(an.client)
    need = [tuple(x) for x in an.demand[["change_id", "product_id", "department_id", "users"]].itertuples(index=False)]
    numbered = [(*x[:4], k, role) for k, (x, role) in enumerate(zip(need, an.demand["role"]))]
    assert skills._rows_small(an, numbered, people) is not None
    assert skills._rows_small(an, [(*x[:5], "administrator") for x in numbered], people) is None
    company = (numbered[0][0], numbered[0][1], skills.COMPANY, 1)
    assert skills._rows_small(an, numbered + [(*company, len(numbered), "key_user"), (*company, len(numbered) + 1, "key_user")],
                              people) is None


def _gap_frames(an):
    """An analysis' gaps and other frames of its rows: reversed, every third row, a source that differs between the
    rows of a (person, skill), no gap at all, and none."""
    g = an.gaps
    other = g["source"].copy()
    other.iloc[::4] = "none"
    holes = np.arange(len(g)) % 5 == 1  # NA ids: the frame paths' own handling (the plain paths hand back)
    return [g, g.iloc[::-1].reset_index(drop=True), g.iloc[::3].reset_index(drop=True), g.assign(source=other),
            g.assign(gap=np.zeros(len(g), dtype=g["gap"].dtype)), g.iloc[0:0],
            *(g.assign(**{col: g[col].mask(holes)}) for col in ("department_id", "staff_id", "skill_id"))]


def _results(g, plain):
    """The report's counts of ``g`` (``plain``: g as values, for distinct's factorized path), each an exception's type
    where it fails."""
    calls = {"level_sources": lambda: skills.level_sources(g),
             **{f"people {only}": lambda only=only: skills.people_per_department(g, only) for only in (False, True)},
             **{f"sources {k}": lambda k=k: skills.source_summary(g, k) for k in (0, 1, 5, 40)},
             **{f"gaps {k}": lambda k=k: skills.gap_summary(g, k) for k in (0, 1, 5, 40)},
             **{f"distinct {col} {only}": lambda col=col, only=only: skills.distinct(plain, col, only)
                for col in ("staff_id", "skill_id", "department_id") for only in (False, True)}}
    out = {}
    for name, call in calls.items():
        try:
            out[name] = call()
        except Exception as e:  # noqa: BLE001 (both paths must fail alike)
            out[name] = type(e)
    return out


def test_the_report_counts_in_plain_python_equal_the_counts_on_codes(clients, monkeypatch):
    """source_summary, people_per_department, level_sources and gap_summary of a few hundred gap rows (plain Python)
    equal the counts on codes big clients take, for every k; distinct counts a coded column's codes."""
    for c in clients[:6]:
        for s in sorted(c.scenarios):
            for g in _gap_frames(assess(c, s, as_of=DAY)):
                what = f"{c.profile.name} {s} {len(g)} rows"
                fast = _results(g, g)
                monkeypatch.setattr(shared, "SMALL_ROWS", -1)
                frames = _results(g, skills.as_values(g))
                monkeypatch.setattr(shared, "SMALL_ROWS", 5000)
                for name, want in frames.items():
                    if isinstance(want, pd.Series):
                        pd.testing.assert_series_equal(fast[name], want, check_index_type=True, obj=f"{what} {name}")
                        assert fast[name].index.dtype == want.index.dtype, f"{what} {name}"
                    elif isinstance(want, pd.DataFrame):
                        _same(want, fast[name], f"{what} {name}")
                    else:
                        assert fast[name] == want, f"{what} {name}"

"""The plain-Python paths of small clients in the training plan and the organisation (training.participants,
training.sessions, staffing.training, staffing.reorganisation, objectives.effort, the capability needs' and key users'
frames, skills._inferred's facts kept per client) give the frames the frame paths give big clients: the same rows,
order, values and dtypes."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO, DEMO_CLIENTS
from synthetic import write_client

from impactlib import assess, load_client
from impactlib.analysis import objectives, shared, staffing

DAY = dt.date(2026, 11, 30)
RESULTS = ("gaps", "training_need", "capability_needs", "staffing_advice", "training", "participants", "sessions",
           "reorganisation", "effort")


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """The demo clients and synthetic ones of several sizes and seeds (other departments, skills, changes)."""
    root = tmp_path_factory.mktemp("fast-train")
    synthetic = [write_client(root / f"syn-train-{seed}", seed=seed, staff=staff, assets=60, skills=30, changes=changes)
                 for seed, staff, changes in ((3, 120, 3), (7, 40, 2), (11, 300, 5), (19, 90, 4))]
    return [load_client(DEMO / name) for name in DEMO_CLIENTS] + [load_client(f) for f in synthetic]


def _same(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    pd.testing.assert_frame_equal(a, b, check_dtype=True, check_index_type=True, obj=what)
    assert a.dtypes.to_dict() == b.dtypes.to_dict(), what


def test_the_plain_python_paths_equal_the_frame_paths(clients, monkeypatch):
    cases = [(c, s) for c in clients for s in sorted(c.scenarios)]
    fast = {(id(c), s): assess(c, s, as_of=DAY) for c, s in cases}
    assert all(shared.small(an) for an in fast.values())
    assert any(len(an.participants) for an in fast.values())
    monkeypatch.setattr(shared, "SMALL_STAFF", 0)
    monkeypatch.setattr(shared, "SMALL_ROWS", -1)
    for c, s in cases:
        an, frames = fast[(id(c), s)], assess(c, s, as_of=DAY)
        for name in RESULTS:
            _same(getattr(frames, name), getattr(an, name), f"{c.profile.name} {s} {name}")


def test_the_parts_stacked_equal_their_frames_concatenated():
    """staffing._stacked combines the parts' dtypes as pd.concat then reindex do, for every subset of parts."""
    n = 2
    kinds = {
        "key_users": {"kind": (["key_users"] * n, staffing.STR), "department_id": (["D1", "D2"], staffing.STR),
                      "count": ([1, 3], staffing.INT), "users": ([4, 40], staffing.INT),
                      "candidates": ([np.nan, 2.0], staffing.FLOAT), "detail": (["a>=1", np.nan], staffing.STR)},
        "new_role": {"kind": (["new_role"] * n, staffing.STR), "department_id": ([None] * n, staffing.OBJECT),
                     "count": ([1] * n, staffing.INT), "gap": ([1.0, 3.0], staffing.FLOAT)},
        "owner": {"kind": (["process_owner"] * n, staffing.STR), "department_id": (["D1", "D3"], staffing.OBJECT),
                  "count": ([1] * n, staffing.INT), "users": ([1.5, 2.5], staffing.FLOAT)},
    }
    columns = ["kind", "department_id", "count", "users", "candidates", "gap", "detail", "degree"]
    names = list(kinds)
    for mask in range(1, 2 ** len(names)):
        parts = [kinds[k] for i, k in enumerate(names) if mask >> i & 1]
        frames = [pd.DataFrame({c: pd.Series(v, dtype=t) for c, (v, t) in p.items()}) for p in parts]
        expected = pd.concat(frames, ignore_index=True).reindex(columns=columns)
        _same(expected, staffing._stacked(parts, columns), f"parts {mask}")


@pytest.mark.parametrize("means", [{}, {"staff_hours": 300.0}, {"staff_hours_by_department": {"D001": 12.5}}])
@pytest.mark.parametrize("plan_rows, key_rows", [(0, 0), (3, 0), (0, 2), (3, 2)])
def test_the_effort_in_plain_python_equals_the_frame_path(clients, monkeypatch, means, plan_rows, key_rows):
    """objectives.effort with or without sessions and key users, and each way of stating the client's time."""
    client = clients[0]
    plan = pd.DataFrame({"department_id": pd.Series(["D002", "D001", "D002"][:plan_rows], dtype="str"),
                         "participant_hours": np.array([3.5, 7.0, 0.1][:plan_rows], dtype="float64")})
    reorg = pd.DataFrame({"kind": pd.Series(["holder", "key_users", "key_users"][:key_rows + 1], dtype="str"),
                          "department_id": pd.Series([None, "D003", "D001"][:key_rows + 1], dtype=object),
                          "count": np.array([2, 1, 1][:key_rows + 1], dtype="int64")})
    spec = SimpleNamespace(means=SimpleNamespace(**{"staff_hours": None, "staff_hours_by_department": {}, **means}))
    an = SimpleNamespace(sessions=plan, reorganisation=reorg, shared={},
                         client=SimpleNamespace(spec=spec, departments=client.departments))
    fast = objectives.effort(an)
    monkeypatch.setattr(shared, "SMALL_STAFF", 0)
    an.shared = {}
    _same(objectives.effort(an), fast, f"effort {means} {plan_rows} {key_rows}")

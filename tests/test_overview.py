"""Overview computations on the tiny fixture: counts, support status, usage, timeline — an Analysis never modifies the client."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import FIXTURES
from impactlib import assess, load_client


@pytest.fixture(scope="module")
def client():
    return load_client(FIXTURES / "tiny")


def test_headline(client):
    assert assess(client).system_overview == {"staff": 7, "departments": 2, "devices": 7, "servers": 1, "software": 1,
                                              "changes": 2}
    assert assess(client, "later").system_overview["changes"] == 1


@pytest.mark.parametrize("scenario,os_product,version,status", [
    ("baseline", "windows-10", "22H2", "ended"),        # ended 2025-10-14, go-live 2027-01-04
    ("baseline", "windows-11", "24H2", "ended"),        # Home/Pro 24H2 ended 2026-10-13
    ("baseline", "windows-server-2016", "2016", "ending"),  # 2027-01-12: within 12 months of go-live
    ("baseline", "", "", "no_os"),
    ("later", "windows-server-2016", "2016", "ended"),  # go-live 2027-02-15 is after 2027-01-12
])
def test_os_support_status(client, scenario, os_product, version, status):
    f = assess(client, scenario).os_support
    row = f.loc[(f["os_product_id"] == os_product) & (f["os_version"] == version)]
    assert row["status"].tolist() == [status]


def test_os_support_counts_units(client):
    f = assess(client).os_support
    assert f["devices"].sum() == 8
    assert f.loc[f["os_product_id"] == "windows-10", "devices"].item() == 3


@pytest.mark.parametrize("scenario,clash", [("baseline", "Year-end closing"), ("later", "")])
def test_timeline_flags_go_live_in_blackout(client, scenario, clash):
    f = assess(client, scenario).timeline
    assert f.loc[f["id"] == "C1", "clash"].item() == clash
    assert (f["kind"] == "blackout").sum() == 1


def test_usage_marks_systems_a_change_touches(client):
    base = assess(client, "baseline").usage_matrix.set_index(["department_id", "asset_id"])
    assert base.loc[("FIN", "OFFICE"), "changed"]  # office-2016 is replaced by C2
    assert not base.loc[("FIN", "SRV"), "changed"]
    later = assess(client, "later").usage_matrix.set_index(["department_id", "asset_id"])
    assert not later.loc[("FIN", "OFFICE"), "changed"]  # C2 excluded in this scenario


def test_computations_do_not_modify_the_client(client):
    before = {k: getattr(client, k).copy(deep=True) for k in ("departments", "assets", "usage", "staff")}
    an = assess(client)
    an.os_support
    an.usage_matrix
    an.timeline
    an.system_overview
    for k, frame in before.items():
        pd.testing.assert_frame_equal(getattr(client, k), frame)

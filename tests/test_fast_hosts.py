"""The plain-Python paths of small clients on the device / host side (compat.touched_assets, compat.host_checks and its
requirement checks, the host verdicts, readiness, compat.lifecycle, overview.os_support and the headline's counts) give
what the frame paths give big clients: the same rows, order, values and dtypes, on the demo clients, synthetic ones and
random hosts and requirements; and each hands back to the frame path where its assumptions do not hold."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO, DEMO_CLIENTS
from synthetic import write_client

from impactlib import assess, load_client
from impactlib.analysis import compat, overview, readiness
from impactlib.analysis import shared as share
from impactlib.model.documents import Cpu, Requirements

DAY = dt.date(2026, 11, 30)
RESULTS = ("host_checks", "verdicts", "readiness", "device_options", "lifecycle", "os_support")


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """The demo clients and synthetic ones of several seeds (other assets, changes)."""
    root = tmp_path_factory.mktemp("fast-hosts")
    synthetic = [write_client(root / f"syn-hosts-{seed}", seed=seed, staff=staff, assets=assets, skills=30, changes=changes)
                 for seed, staff, assets, changes in ((3, 120, 60, 3), (7, 40, 30, 2), (11, 300, 90, 5))]
    return [load_client(DEMO / name) for name in DEMO_CLIENTS] + [load_client(f) for f in synthetic]


def _same(a: pd.DataFrame, b: pd.DataFrame, what: str) -> None:
    pd.testing.assert_frame_equal(a, b, check_dtype=True, check_index_type=True, obj=what)
    assert a.dtypes.to_dict() == b.dtypes.to_dict(), what


def _frames(monkeypatch) -> None:
    """Every function to its frame path: no client is small, no frame either."""
    monkeypatch.setattr(share, "SMALL_STAFF", -1)
    monkeypatch.setattr(share, "SMALL_ROWS", -1)


def test_the_plain_python_paths_equal_the_frame_paths(clients, monkeypatch):
    cases = [(c, s) for c in clients for s in sorted(c.scenarios)]
    fast = {(id(c), s): assess(c, s, as_of=DAY) for c, s in cases}
    assert all(share.small(an) for an in fast.values())
    for an in fast.values():
        for name in RESULTS:
            getattr(an, name)
    assert any(len(an.host_checks) for an in fast.values())
    _frames(monkeypatch)
    for c, s in cases:
        an, frames = fast[(id(c), s)], assess(c, s, as_of=DAY)
        assert not share.small(frames)
        for name in RESULTS:
            _same(getattr(an, name), getattr(frames, name), f"{c.profile.name} {s} {name}")
        for change in an.changes:  # the assets each change acts on, by lookups then a take, as by the frame filters
            _same(an.touched[change.id], frames.touched[change.id], f"{c.profile.name} {s} touched {change.id}")


def _random_assets(assets: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """``assets`` with random hardware facts, NA ones included, in assets.csv's dtypes."""
    n = len(assets)

    def pick(values, p_na=0.2):
        return [None if rng.random() < p_na else values[rng.integers(len(values))] for _ in range(n)]

    out = assets.copy()
    out["ram_gb"] = pd.array(pick([2.0, 4.0, 8.0, 3.5, 16.0]), dtype="float64")
    out["storage_gb"] = pd.array(pick([32.0, 64.0, 128.0, 500.0]), dtype="float64")
    out["tpm_version"] = pd.array(pick(["1.2", "2.0", "none"]), dtype="str")
    out["tpm_enabled"] = pd.array(pick([True, False]), dtype="boolean")
    out["uefi"] = pd.array(pick([True, False]), dtype="boolean")
    out["secure_boot"] = pd.array(pick(["enabled", "disabled", "unsupported", "Yes", "false", " "]), dtype="str")
    out["cpu_model"] = pd.array(pick(["Intel(R) Core(TM) i5-6500 CPU @ 3.20GHz", "Intel(R) Core(TM) i5-8500 CPU",
                                      "Intel(R) Core(TM) i7-7820HQ CPU", "AMD Ryzen 5 PRO 4650G", "AMD Ryzen 5 1600",
                                      "Intel Pentium G4560", "12th Gen Intel(R) Core(TM) i5-1245U"]), dtype="str")
    out["model"] = pd.array(pick(["Surface Studio 2", "OptiPlex 3040", "ProDesk 600 G4"]), dtype="str")
    kinds = ["workstation", "laptop", "server", "virtual_machine", "software", "database"]
    out["kind"] = pd.array([k if rng.random() < 0.7 else kinds[rng.integers(len(kinds))] for k in assets["kind"]], dtype="str")
    ids = assets["product_id"].dropna().unique().tolist() + ["windows-11", "sql-server-2019"]
    out["os_product_id"] = pd.array(pick(ids, 0.3), dtype="str")
    out["product_id"] = pd.array(pick(ids, 0.3), dtype="str")
    return out


def _random_requirements(rng: np.random.Generator, ids: list[str]) -> Requirements:
    def maybe(value, p=0.6):
        return value if rng.random() < p else None

    cpu = maybe(Cpu(intel_core_min_generation=maybe(int(rng.integers(1, 12)), 0.8),
                    amd_ryzen_min_series=maybe(int(rng.integers(1, 6)) * 1000, 0.8)))
    return Requirements(ram_gb=maybe(float(rng.choice([4, 8, 3.5]))), storage_gb=maybe(64.0),
                        tpm_version=maybe(str(rng.choice(["1.2", "2.0"]))), uefi=maybe(bool(rng.random() < 0.8)),
                        secure_boot=maybe(bool(rng.random() < 0.8)), cpu=cpu,
                        os=tuple(rng.choice(ids, size=int(rng.integers(0, 3)), replace=False)),
                        database=tuple(rng.choice(ids, size=int(rng.integers(0, 3)), replace=False)), source="test")


def _analysis(client, assets: pd.DataFrame, deps: pd.DataFrame, products: dict, changes: list, cpus) -> SimpleNamespace:
    """The parts of an Analysis that compat.host_checks, readiness and lifecycle read, on other assets, products and
    changes."""
    catalog = SimpleNamespace(products=products, cpus=cpus, lifecycle=client.catalog.lifecycle)
    c = SimpleNamespace(assets=assets, dependencies=deps, departments=client.departments, catalog=catalog, spec=client.spec)
    an = SimpleNamespace(client=c, changes=changes, shared={}, change_keys={x.id: share.structure_key(x) for x in changes},
                         as_of=DAY, assumptions=SimpleNamespace(eol_horizon_months=12))
    an.touched = {x.id: compat.touched_assets(c, x) for x in changes}
    return an


def test_the_host_checks_on_random_hosts_and_requirements_equal_the_frame_path(clients, monkeypatch):
    """Random hardware facts, requirements (operating systems and databases too), product categories, actions and
    dependencies: host_checks, its requirement rows and the readiness groups equal the frame path's."""
    rng = np.random.default_rng(12)
    seen = set()
    for round_ in range(6):
        for client in clients:
            scenario = sorted(client.scenarios)[round_ % len(client.scenarios)]
            changes = list(assess(client, scenario, as_of=DAY).changes)
            assets = _random_assets(client.assets, rng)
            ids = assets["asset_id"].tolist()
            deps = pd.DataFrame({"from_asset_id": rng.choice(ids, 40), "to_asset_id": rng.choice(ids, 40),
                                 "kind": rng.choice(["runs_on", "stores_data_in", "backs_up_to"], 40),
                                 "required": True}).astype({"from_asset_id": "str", "to_asset_id": "str", "kind": "str"})
            products = dict(client.catalog.products)
            changes = [c.model_copy(update={"action": str(rng.choice(["replace", "upgrade", "migrate"]))}) for c in changes]
            for c in changes:
                p = products.get(c.product_id)
                if p is not None:
                    pool = sorted(set(assets["product_id"].dropna()) | {"windows-11", "sql-server-2019"})
                    req = _random_requirements(rng, pool) if rng.random() < 0.9 else None
                    products[c.product_id] = p.model_copy(update={
                        "requirements": req, "category": str(rng.choice(["os", "server_os", "erp", "os"]))})
            cpus = client.catalog.cpus if rng.random() < 0.7 else client.catalog.cpus.iloc[0:0]
            fast = _analysis(client, assets, deps, products, changes, cpus)
            got = compat.host_checks(fast)
            assert fast.shared.get(("asset_columns",), ()) is not None  # the plain path was taken where it ran
            with monkeypatch.context() as m:
                _frames(m)
                frames = _analysis(client, assets, deps, products, changes, cpus)
                want = compat.host_checks(frames)
            _same(got, want, f"{client.profile.name} round {round_}")
            _same(readiness.readiness(fast), readiness.readiness(frames), f"{client.profile.name} round {round_} readiness")
            seen |= set(zip(want["check"], want["status"]))
            for c in changes:
                p = products.get(c.product_id)
                if p is None or p.requirements is None:
                    continue
                h = fast.touched[c.id]
                rows = compat.requirement_rows(compat.plain_columns(h), p.requirements, cpus=cpus)
                frame = compat.requirement_checks(h, p.requirements, cpus=cpus)
                assert rows == list(zip(*(frame[k].tolist() for k in frame.columns))), client.profile.name
    # every check and status was met
    assert {("database", s) for s in ("pass", "fail", "unknown")} <= seen
    assert {("os", s) for s in ("pass", "fail", "unknown")} <= seen
    assert {(k, "firmware") for k in ("tpm_version", "uefi", "secure_boot")} <= seen
    assert {("ram_gb", "fail"), ("cpu", "fail"), ("tpm_version", "fail"), ("uefi", "fail"), ("secure_boot", "fail")} <= seen


def test_the_plain_paths_hand_back_to_the_frame_paths(clients, monkeypatch):
    """Columns of other dtypes than assets.csv's, changes naming no version: the frame path's results."""
    client = next(c for c in clients if len(c.scenarios) and any(
        assess(c, s, as_of=DAY).host_checks.shape[0] for s in c.scenarios))
    scenario = sorted(client.scenarios)[0]
    an = assess(client, scenario, as_of=DAY)
    assert compat.plain_columns(client.assets.astype({"uefi": object})) is None
    assert compat.plain_columns(client.assets.astype({"asset_id": object})) is None
    products = client.catalog.products
    odd = client.assets.astype({"tpm_enabled": object, "quantity": "Int64"})
    changes = [c.model_copy(update={"version": None}) for c in an.changes]
    fast = _analysis(client, odd, client.dependencies, products, changes, client.catalog.cpus)
    with monkeypatch.context() as m:
        _frames(m)
        frames = _analysis(client, odd, client.dependencies, products, changes, client.catalog.cpus)
        want = compat.host_checks(frames)
    _same(compat.host_checks(fast), want, "odd dtypes")
    assert want["quantity"].dtype == "Int64"
    verdicts = compat.host_verdicts(want)  # key columns of other dtypes: taken from the checks
    with monkeypatch.context() as m:
        _frames(m)
        _same(verdicts, compat.host_verdicts(want), "odd verdicts")
    # a change acting on a product's assets, none of whose ids is on any row: no row
    change = changes[0].model_copy(update={"assets": (), "from_product_id": "no-such-product"})
    none = compat.touched_assets(client, change)
    with monkeypatch.context() as m:
        _frames(m)
        _same(none, compat.touched_assets(client, change), "touched: none")
    assert none.empty
    # no change names a version: lifecycle's version column is of objects, as the frame path makes it
    products = client.catalog.products
    fast = _analysis(client, client.assets, client.dependencies, products, changes, client.catalog.cpus)
    with monkeypatch.context() as m:
        _frames(m)
        frames = _analysis(client, client.assets, client.dependencies, products, changes, client.catalog.cpus)
        want = compat.lifecycle(frames)
    assert want["version"].dtype == object
    _same(compat.lifecycle(fast), want, "no versions")


def test_no_host_checks_give_the_empty_frame():
    empty = compat._checks_frame([])
    _same(empty, pd.DataFrame({k: pd.Series(dtype=t) for k, t in compat.CHECK_DTYPES.items()}), "no checks")
    _same(compat._checks_frame([[]]), empty, "no rows")


def test_the_client_counts_in_plain_python_equal_the_groupby(clients):
    """overview.headline counts whole quantities in plain Python; the groupby otherwise (quantities as floats)."""
    for client in clients:
        floats = SimpleNamespace(assets=client.assets.astype({"quantity": "float64"}), departments=client.departments)
        counts = overview._client_counts(client)
        assert counts == overview._client_counts(floats)
        assert all(type(v) is int for v in counts.values())

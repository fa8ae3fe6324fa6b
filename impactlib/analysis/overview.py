"""What the client has and asks for, summarised: headline figures, OS support status, usage, timeline.

Pure functions: an Analysis in, new frames out.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impactlib.analysis import compat
from impactlib.analysis import shared as share
from impactlib.analysis.rules import is_routine_update
from impactlib.model import vocab as s

if TYPE_CHECKING:  # for annotations only
    from impactlib.model.analysis import Analysis

DEVICES = ("workstation", "laptop")
SERVERS = ("server", "virtual_machine")


def headline(an: Analysis) -> dict[str, int]:
    """Counts for the overview tiles: staff, departments, devices, servers, software, changes."""
    # all but the changes depend on the client only: counted once for its scenarios
    return {**share.once(an, ("headline",), lambda: _client_counts(an.client)), "changes": len(an.changes)}


def _client_counts(client) -> dict[str, int]:
    a = client.assets
    staff, departments = int(client.departments["headcount"].sum()), len(client.departments)
    if a["quantity"].dtype == "int64" and a["kind"].dtype == compat.STR:
        # whole numbers: counted in plain Python (the groupby, reindexes and isin cost ~1 ms on tens of assets)
        kinds, qty = a["kind"].tolist(), a["quantity"].tolist()
        return {"staff": staff, "departments": departments,
                "devices": sum(q for k, q in zip(kinds, qty) if k in DEVICES),
                "servers": sum(q for k, q in zip(kinds, qty) if k in SERVERS),
                "software": sum(1 for k in kinds if k in s.SOFTWARE_KINDS)}
    qty = a.groupby("kind")["quantity"].sum()
    return {
        "staff": staff,
        "departments": departments,
        "devices": int(qty.reindex(list(DEVICES)).fillna(0).sum()),
        "servers": int(qty.reindex(list(SERVERS)).fillna(0).sum()),
        "software": int(a["kind"].isin(s.SOFTWARE_KINDS).sum()),
    }


def first_go_live(an: Analysis) -> dt.date:
    """The earliest go-live of the scenario's changes."""
    return min(c.go_live for c in an.changes)


def os_support(an: Analysis) -> pd.DataFrame:
    """Devices and servers per (operating system, version) with their support status at go-live.

    Columns: os_product_id, os, os_version, devices (units), end_of_support, status — one of
    ``ended`` (before the first go-live), ``ending`` (within the scenario's eol_horizon_months
    after it), ``update_due`` (ending, but the system ships feature updates of itself and the catalog
    lists a later one: a routine update, e.g. Windows 11 25H2 -> 26H2, not the end of the system),
    ``supported``, ``unknown`` (no date in the catalog), ``no_os`` (not recorded).
    """
    client = an.client
    go_live = pd.Timestamp(first_go_live(an))
    horizon = go_live + pd.DateOffset(months=an.assumptions.eol_horizon_months)
    groups = share.once(an, ("os_groups",), lambda: _os_groups(an)) if share.small(an) else None
    if groups is not None:
        return _os_support_small(groups, go_live, horizon)
    hosts = client.assets.loc[client.assets["kind"].isin(DEVICES + SERVERS)]
    life = client.catalog.lifecycle()[["product_id", "product", "version", "end_of_support"]]
    grouped = (hosts.assign(os_product_id=hosts["os_product_id"].fillna(""), os_version=hosts["os_version"].fillna(""))
               .groupby(["os_product_id", "os_version"], as_index=False)["quantity"].sum()
               .rename(columns={"quantity": "devices"}))
    merged = grouped.merge(life, how="left", left_on=["os_product_id", "os_version"], right_on=["product_id", "version"])
    # a host whose version is not given takes the product's latest end of support (the most favourable reading)
    latest = life.groupby("product_id")["end_of_support"].max()
    eos = merged["end_of_support"].fillna(merged["os_product_id"].map(latest))
    names = {p.id: p.name for p in client.catalog.products.values()}
    status = pd.Series("supported", index=merged.index, dtype="str")
    status[eos.isna()] = "unknown"
    status[eos < horizon] = "ending"
    products = client.catalog.products
    routine = [is_routine_update(products.get(pid), e) if pd.notna(e) else False
               for pid, e in zip(merged["os_product_id"], eos)]
    status[(status == "ending") & pd.Series(routine, index=merged.index, dtype=bool)] = "update_due"
    status[eos < go_live] = "ended"
    status[merged["os_product_id"] == ""] = "no_os"
    return (merged.assign(os=merged["os_product_id"].map(names).fillna(""), end_of_support=eos, status=status)
            [["os_product_id", "os", "os_version", "devices", "end_of_support", "status"]]
            .sort_values(["status", "devices"], ascending=[True, False], ignore_index=True))


_OS_COLUMNS = {"asset_id": compat.STR, "kind": compat.STR, "os_product_id": compat.STR, "os_version": compat.STR,
               "quantity": np.dtype("int64")}


def _os_groups(an: Analysis) -> list[tuple] | None:
    """os_support's groups for a small client, in plain Python: (os_product_id, os_version, devices, end_of_support,
    os name, whether an ending support is a routine update), in the groupby's order; they depend on the client only,
    kept for its other scenarios (the frame path's groupby, merge and maps cost ~8 ms a report on tens of hosts).
    None when the columns are not of assets.csv's dtypes or the catalog's ends of support are no unique lookup (the
    frame path's merge then)."""
    cols = compat.typed_columns(an.client.assets, _OS_COLUMNS)
    ends = compat.support_index(an)
    life = an.client.catalog.lifecycle()
    if (cols is None or len(cols) < len(_OS_COLUMNS) or ends is None
            or any(life[k].dtype != compat.STR for k in ("product_id", "version"))):
        return None
    devices: dict = {}
    for kind, pid, version, quantity in zip(cols["kind"], cols["os_product_id"], cols["os_version"], cols["quantity"]):
        if kind in DEVICES + SERVERS:
            key = (pid if isinstance(pid, str) else "", version if isinstance(version, str) else "")
            devices[key] = devices.get(key, 0) + quantity
    if not devices:
        return None
    at, eos = ends
    most = compat.latest_ends(an)
    nat = np.datetime64("NaT")
    products = an.client.catalog.products
    names = {p.id: p.name for p in products.values()}
    groups = []
    for (pid, version), n in sorted(devices.items()):
        end = eos[at[(pid, version)]] if (pid, version) in at else nat
        end = most.get(pid, nat) if np.isnat(end) else end  # no date for the version: the product's latest
        routine = bool(is_routine_update(products.get(pid), pd.Timestamp(end))) if not np.isnat(end) else False
        groups.append((pid, version, n, end, names.get(pid, ""), routine))
    return groups


def _os_support_small(groups: list[tuple], go_live: pd.Timestamp, horizon: pd.Timestamp) -> pd.DataFrame:
    """os_support from the client's :func:`_os_groups` at this scenario's go-live: the statuses, the frame path's
    order (status, then devices from the most; ties in the groups' order) and its dtypes."""
    start, stop = go_live.to_datetime64(), horizon.to_datetime64()
    rows = []
    for pid, version, n, end, name, routine in groups:
        status = ("no_os" if pid == "" else "unknown" if np.isnat(end) else "ended" if end < start
                  else ("update_due" if routine else "ending") if end < stop else "supported")
        rows.append((pid, name, version, n, end, status))
    rows.sort(key=lambda r: (r[5], -r[3]))
    cols = list(zip(*rows))
    return pd.DataFrame({"os_product_id": pd.array(cols[0], dtype="str"), "os": pd.array(cols[1], dtype="str"),
                         "os_version": pd.array(cols[2], dtype="str"), "devices": np.array(cols[3], dtype="int64"),
                         "end_of_support": np.array(cols[4], dtype=groups[0][3].dtype),
                         "status": pd.array(cols[5], dtype="str")})


def usage_matrix(an: Analysis) -> pd.DataFrame:
    """People per (department, system), all usage roles together, with whether a change touches the system.

    Columns: department_id, department, asset_id, system, users, changed (bool).
    """
    client = an.client
    touched = changed_assets(an)
    u = client.usage.groupby(["department_id", "asset_id"], as_index=False)["users"].sum()
    u = u.loc[u["users"] > 0]
    names = share.column(an, "departments", "department_id", "name")
    systems = share.column(an, "assets", "asset_id", "name")
    return u.assign(department=u["department_id"].map(names), system=u["asset_id"].map(systems),
                    changed=u["asset_id"].isin(touched))[
        ["department_id", "department", "asset_id", "system", "users", "changed"]]


def changed_assets(an: Analysis) -> frozenset[str]:
    """Assets a scenario's changes touch: listed explicitly, or running a product being replaced."""
    client = an.client
    cs = an.changes
    listed = {a for c in cs for a in c.assets}
    replaced = {c.from_product_id for c in cs if c.from_product_id} | {c.product_id for c in cs if c.action == "remove"}
    a = client.assets
    by_product = a.loc[a["product_id"].isin(replaced) | a["os_product_id"].isin(replaced), "asset_id"]
    return frozenset(listed | set(by_product))


def timeline(an: Analysis) -> pd.DataFrame:
    """One row per change and per blackout period, for a Gantt chart.

    Columns: kind ('change' or 'blackout'), id, label, start, end (Timestamps), clash (for a change:
    the names of blackout periods its go-live falls into, '' if none).
    """
    client = an.client
    blackouts = client.profile.blackout_periods
    rows = []
    for c in an.changes:
        clash = [b.name for b in blackouts if b.start <= c.go_live <= b.end
                 and (not b.departments or not c.departments or set(b.departments) & set(c.departments))]
        rows.append({"kind": "change", "id": c.id, "label": f"{c.id} {c.title}",
                     "start": pd.Timestamp(c.start or c.go_live), "end": pd.Timestamp(c.go_live),
                     "clash": ", ".join(clash)})
    for i, b in enumerate(blackouts):
        rows.append({"kind": "blackout", "id": f"B{i + 1}", "label": b.name, "start": pd.Timestamp(b.start),
                     "end": pd.Timestamp(b.end), "clash": ""})
    return pd.DataFrame(rows, columns=["kind", "id", "label", "start", "end", "clash"])


def flows(an: Analysis) -> pd.DataFrame:
    """Who each change reaches: change → system it touches → department using that system.

    Columns: change_id, asset_id, system, department_id, department, users (people of the department
    using the system, all usage roles). Systems nobody uses (e.g. a database behind an application)
    do not appear: the flow counts people.
    """
    client = an.client

    used = client.usage.groupby(["asset_id", "department_id"], as_index=False)["users"].sum()
    used = used.loc[used["users"] > 0]
    parts = [an.touched[c.id][["asset_id"]].assign(change_id=c.id) for c in an.changes]
    pairs = pd.concat(parts, ignore_index=True).drop_duplicates() if parts else pd.DataFrame(columns=["asset_id", "change_id"])
    f = pairs.merge(used, on="asset_id")
    names = share.column(an, "departments", "department_id", "name")
    systems = share.column(an, "assets", "asset_id", "name")
    return (f.assign(system=f["asset_id"].map(systems), department=f["department_id"].map(names))
            [["change_id", "asset_id", "system", "department_id", "department", "users"]]
            .sort_values(["change_id", "asset_id", "department_id"], ignore_index=True))

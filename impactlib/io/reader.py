"""The client folder reader: reads and checks every file of a client folder and returns a Client (io/folder.py's
:func:`~impactlib.io.folder.load_client` calls it when no batch handed the client over)."""

from __future__ import annotations

import collections
import datetime as dt
import functools
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from impactlib.io import privacy
from impactlib.model import schema as s
from impactlib.model.client import Client
from impactlib.model.catalog import Catalog
from impactlib.io.catalog import read_catalog
from impactlib.model.documents import Change, Profile, Scenario, Spec
from impactlib.errors import InvalidInput, Problem
from impactlib.io.load import (check_name, folder_fingerprint, is_personal, read_table, read_yaml, shown, unknown_client,
                               unsafe_entries, validate_document)
from impactlib.io.workbook import WORKBOOK


def read_client(path: Path, cid: str) -> Client:
    """Read and check the client folder at ``path``, whose name ``cid`` is a valid client id (see docs/data-format.md).

    Raises :class:`InvalidInput` listing every problem, each with file, row and column.
    """
    if not path.is_dir():
        raise InvalidInput([Problem(cid, None, None, unknown_client(path.parent, cid))], what=f"client {cid}")
    problems: list[Problem] = []
    label = lambda name: f"{cid}/{name}"  # noqa: E731
    # nothing is read while the folder holds a link leaving it, a device or a pipe
    unsafe = unsafe_entries(path, label)
    if unsafe:
        raise InvalidInput(unsafe, what=f"client {cid}")

    profile = _required_yaml(path, "client.yaml", label, Profile, problems)
    spec = _required_yaml(path, "spec.yaml", label, Spec, problems)
    scenarios = _read_scenarios(path, label, problems)
    tables, labels = _read_tables(path, label, problems)
    catalog = read_catalog(path / "catalog", f"{cid}/", problems)

    if profile is not None and profile.id != cid:
        problems.append(Problem(label("client.yaml"), None, "id", f"'{profile.id}' differs from the folder name '{cid}'"))
    # cross-references are checked on whatever could be read, so one broken file hides nothing else
    _check_references(cid, profile, spec, scenarios, tables, catalog, problems, labels)
    if problems:
        raise InvalidInput(problems, what=f"client {cid}")

    tables = {n: (v if v is not None else _empty(s.CLIENT_TABLES[n][0])) for n, v in tables.items()}
    frames = {n.removesuffix(".csv"): t.reset_index(drop=True) for n, t in tables.items()}
    frames["staff"] = _pseudonymised(cid, frames["staff"])
    return Client(id=cid, profile=profile, spec=spec, scenarios=MappingProxyType(scenarios), catalog=catalog,
                  fingerprint=folder_fingerprint(path), **frames)


def _pseudonymised(cid: str, staff: pd.DataFrame) -> pd.DataFrame:
    """Staff with names and e-mails replaced by a keyed pseudonym (the key is read only if needed)."""
    if not all(np.asarray(staff[c].array.isna()).all() for c in s.SENSITIVE_COLUMNS):  # a name or an e-mail (no frame of them: ~0.6 ms)
        pseudonyms = privacy.pseudonymise(staff["name"], staff["email"], privacy.client_key(cid))
    else:
        pseudonyms = pd.Series(None, index=staff.index, dtype="str")
    return staff.drop(columns=list(s.SENSITIVE_COLUMNS)).assign(pseudonym=pseudonyms)


def _read_tables(path: Path, label, problems: list[Problem]) -> tuple[dict[str, pd.DataFrame | None], dict[str, str]]:
    """Every table, from its CSV file or from its sheet of client.xlsx, and the label its problems carry.

    A sheet with rows and a CSV file of the same table is a conflict (which one is right?); an empty
    sheet (the template's) gives way to the CSV file, e.g. assets.csv written by import-glpi.
    """
    sheets: dict[str, tuple[pd.DataFrame | None, int]] = {}
    book = path / WORKBOOK
    if book.is_file():
        from impactlib.io.workbook import read_workbook  # openpyxl behind it: loaded only for a client.xlsx

        sheets = read_workbook(book, label(WORKBOOK), problems)
    tables: dict[str, pd.DataFrame | None] = {}
    labels: dict[str, str] = {}
    for name, (model, required) in s.CLIENT_TABLES.items():
        sheet = name.removesuffix(".csv")
        has_csv = (path / name).is_file()
        if name in sheets and (sheets[name][1] > 0 or not has_csv):
            labels[name] = f"{label(WORKBOOK)}[{sheet}]"
            if has_csv:
                problems.append(Problem(labels[name], None, None, f"has rows and {name} exists too: keep one of them"))
            tables[name] = sheets[name][0]
        elif has_csv:
            tables[name] = read_table(path / name, label(name), model, problems)
        elif required:
            problems.append(Problem(label(name), None, None, "file is missing" + (f" (and no sheet {sheet} in {WORKBOOK})"
                                                                                 if book.is_file() else "")))
        else:
            tables[name] = _empty(model)
    return tables, labels


def _required_yaml(path, name, label, model, problems):
    if not (path / name).is_file():
        problems.append(Problem(label(name), None, None, "file is missing"))
        return None
    return read_yaml(path / name, label(name), model, problems)


def _read_scenarios(path: Path, label, problems: list[Problem]) -> dict[str, Scenario] | None:
    folder = path / "scenarios"
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        problems.append(Problem(label("scenarios/"), None, None, "at least one scenario file (scenarios/<name>.yaml) is required"))
        return None
    found = {}
    for f in files:
        try:
            name = check_name(f.stem, "scenario name")
        except InvalidInput as e:
            problems.append(Problem(label(f"scenarios/{f.name}"), None, None, e.problems[0].message))
            continue
        sc = read_yaml(f, label(f"scenarios/{f.name}"), Scenario, problems)
        if sc is not None:
            found[name] = sc
    return found


def _empty(model) -> pd.DataFrame:
    return _empty_of(model).copy()


@functools.cache
def _empty_of(model) -> pd.DataFrame:
    """The empty table of ``model`` in its declared dtypes, built once per process (copied for each client)."""
    cols = model.to_schema().columns
    return pd.DataFrame({n: pd.Series(dtype="str" if str(c.dtype).startswith("string") else str(c.dtype))
                         for n, c in cols.items()})


def _values(column: pd.Series) -> set:
    """The column's values, without blanks (read as one object array: iterating a str column costs ~1 µs a cell; the
    blanks masked out of that array rather than dropped from the Series: ~0.3 ms less a column, a dozen per client; found
    by the column's array, without a Series of them, and masked only when there are some: ~50 µs less a column)."""
    values = column.to_numpy(dtype=object)
    blank = np.asarray(column.array.isna(), dtype=bool)
    return set(values[~blank]) if blank.any() else set(values)


def _rows_not_in(frame: pd.DataFrame, column: str, allowed, file: str, what: str, problems: list[Problem]) -> None:
    """Report every row whose ``column`` (when given) is not in ``allowed``."""
    values = frame[column]
    if _values(values) <= (allowed if isinstance(allowed, (set, frozenset)) else set(allowed)):
        return  # every reference known (the usual case): no row-wise masks (~0.3 ms a column, a dozen per client)
    bad = values.notna() & ~values.isin(list(allowed))
    personal = is_personal(frame.columns)
    for row, v in values[bad].items():
        problems.append(Problem(file, int(row), column, f"unknown {what} {shown(v, personal)}"))


def _check_references(cid, profile: Profile | None, spec: Spec | None, scenarios: dict[str, Scenario] | None,
                      t: dict, catalog: Catalog, problems: list[Problem], labels: dict[str, str] | None = None) -> None:
    """Every reference between files; a check runs when the files it needs could be read.

    ``labels`` names the tables read from a workbook sheet (``cid/client.xlsx[assets]``)."""
    labels = labels or {}
    f = lambda name: labels.get(name, f"{cid}/{name}")  # noqa: E731
    deps, staff, skills, assets = (t.get(n) for n in ("departments.csv", "staff.csv", "skills.csv", "assets.csv"))
    usage, links, acks = (t.get(n) for n in ("usage.csv", "dependencies.csv", "acknowledgements.csv"))
    dept_ids = _values(deps["department_id"]) if deps is not None else None
    staff_ids = _values(staff["staff_id"]) if staff is not None else None
    asset_ids = _values(assets["asset_id"]) if assets is not None else None
    products = catalog.products
    product_ids = set(products) | catalog.unparsed

    if deps is not None:
        _rows_not_in(deps, "parent_department_id", dept_ids, f("departments.csv"), "department", problems)
        for row in deps.index[deps["parent_department_id"] == deps["department_id"]]:
            problems.append(Problem(f("departments.csv"), int(row), "parent_department_id", "a department cannot be its own parent"))
    if staff is not None and deps is not None:
        _rows_not_in(staff, "department_id", dept_ids, f("staff.csv"), "department", problems)
        for row, headcount, listed, dept in _listed_over_headcount(deps, staff):
            problems.append(Problem(f("departments.csv"), row, "headcount",
                                    f"{headcount} but staff.csv lists {listed} people in {dept}"))
    if skills is not None:
        if staff_ids is not None:
            _rows_not_in(skills, "staff_id", staff_ids, f("skills.csv"), "staff id", problems)
        _rows_not_in(skills, "skill_id", set(catalog.skills["skill_id"]), f("skills.csv"), "skill (not in the catalog)", problems)

    if assets is not None:
        if dept_ids is not None:
            _rows_not_in(assets, "department_id", dept_ids, f("assets.csv"), "department", problems)
        _rows_not_in(assets, "product_id", product_ids, f("assets.csv"), "product (not in the catalog)", problems)
        oses = {p for p, v in products.items() if v.category in ("os", "server_os")} | catalog.unparsed
        _rows_not_in(assets, "os_product_id", oses, f("assets.csv"), "operating system (not an os product of the catalog)", problems)
        needs_product = assets["kind"].isin(s.SOFTWARE_KINDS) & assets["product_id"].isna()
        for row in assets.index[needs_product]:
            problems.append(Problem(f("assets.csv"), int(row), "product_id", f"is required for kind {assets.at[row, 'kind']}"))
        for pcol, vcol in (("product_id", "version"), ("os_product_id", "os_version")):
            # the rows naming a catalog product and a version (text columns: a value or a blank), without a frame of them
            for row, pid, version in zip(assets.index, assets[pcol].tolist(), assets[vcol].tolist()):
                if not (isinstance(version, str) and isinstance(pid, str) and pid in products):
                    continue
                p = products[pid]
                if p.version(version) is None:
                    problems.append(Problem(f("assets.csv"), int(row), vcol, f"'{version}' is not a known version of {p.id} "
                                            f"({', '.join(v.version for v in p.versions)})"))
        if spec is not None:
            late = assets["purchase_date"] > pd.Timestamp(spec.date)
            for row in assets.index[late.fillna(False)]:
                problems.append(Problem(f("assets.csv"), int(row), "purchase_date",
                                        f"{assets.at[row, 'purchase_date']:%Y-%m-%d} is after the spec date {spec.date}"))

    if links is not None:
        if asset_ids is not None:
            for col in ("from_asset_id", "to_asset_id"):
                _rows_not_in(links, col, asset_ids, f("dependencies.csv"), "asset", problems)
        for row in links.index[links["from_asset_id"] == links["to_asset_id"]]:
            problems.append(Problem(f("dependencies.csv"), int(row), "to_asset_id", "an asset cannot depend on itself"))

    if usage is not None:
        if dept_ids is not None:
            _rows_not_in(usage, "department_id", dept_ids, f("usage.csv"), "department", problems)
        if asset_ids is not None:
            _rows_not_in(usage, "asset_id", asset_ids, f("usage.csv"), "asset", problems)
        features = catalog.features
        for row, cell in zip(usage.index, usage["features"].tolist()):
            if not isinstance(cell, str):  # blank (a text column holds text or a blank)
                continue
            unknown = [x for x in cell.split("|") if x not in features]
            if unknown:
                problems.append(Problem(f("usage.csv"), int(row), "features",
                                        f"unknown feature {', '.join(map(repr, unknown))}; known: {', '.join(sorted(features))}"))
        if deps is not None:
            for row, users, head in _users_over_headcount(usage, deps):
                problems.append(Problem(f("usage.csv"), row, "users",
                                        f"{users} users of {usage.at[row, 'asset_id']} in {usage.at[row, 'department_id']} "
                                        f"(all roles) exceed its headcount {head}"))

    if acks is not None:
        if scenarios is not None:
            _rows_not_in(acks, "scenario", scenarios, f("acknowledgements.csv"), "scenario", problems)
        decided = acks["decision"] != "pending"
        for col in ("decided_by", "decided_on"):
            for row in acks.index[decided & acks[col].isna() & ~_failed(problems, f("acknowledgements.csv"), acks.index, col)]:
                problems.append(Problem(f("acknowledgements.csv"), int(row), col, f"is required when the decision is {acks.at[row, 'decision']}"))
        if staff is not None:
            names = {n.strip().lower() for n in _values(staff["name"])} | {e.strip().lower() for e in _values(staff["email"])}
            for row, who in acks["decided_by"].dropna().items():
                if who.strip().lower() in names:
                    problems.append(Problem(f("acknowledgements.csv"), int(row), "decided_by",
                                            "is a person's name or e-mail: write a role or a staff id (names never reach a report)"))

    contracts = t.get("contracts.csv")
    if contracts is not None and len(contracts):
        _check_contracts(contracts, f("contracts.csv"), products, profile, problems)
    runs = t.get("run_costs.csv")
    if runs is not None and len(runs):
        _check_run_costs(runs, f("run_costs.csv"), product_ids, asset_ids, profile, problems)
    _check_legal(t.get("processings.csv"), t.get("certificates.csv"), f, asset_ids, product_ids, problems)
    if spec is not None:
        _check_money(spec, scenarios, profile, f, problems)
    guard = t.get("protection.csv")
    if guard is not None and len(guard):
        _check_protection(guard, f("protection.csv"), catalog, problems)

    if profile is not None:
        if scenarios is not None and profile.default_scenario not in scenarios:
            problems.append(Problem(f("client.yaml"), None, "default_scenario",
                                    f"no scenario file scenarios/{profile.default_scenario}.yaml"))
        if dept_ids is not None:
            for i, b in enumerate(profile.blackout_periods):
                for j, d in enumerate(b.departments):
                    if d not in dept_ids:
                        problems.append(Problem(f("client.yaml"), None, f"blackout_periods[{i}].departments[{j}]", f"unknown department '{d}'"))

    if spec is None:
        return
    ids = [o.id for o in spec.objectives]
    for i, o in enumerate(spec.objectives):
        if ids.count(o.id) > 1:
            problems.append(Problem(f("spec.yaml"), None, f"objectives[{i}].id", f"'{o.id}' is used by more than one objective"))
    if staff_ids is not None:
        for i, sid in enumerate(spec.means.it_contacts):
            if sid not in staff_ids:
                problems.append(Problem(f("spec.yaml"), None, f"means.it_contacts[{i}]", f"unknown staff id '{sid}'"))
    refs = (product_ids, dept_ids, asset_ids)
    change_ids = [c.id for c in spec.changes]
    for i, c in enumerate(spec.changes):
        if change_ids.count(c.id) > 1:
            problems.append(Problem(f("spec.yaml"), None, f"changes[{i}].id", f"'{c.id}' is used by more than one change"))
        _check_change(c, f("spec.yaml"), f"changes[{i}]", products, refs, problems)

    for name, sc in (scenarios or {}).items():
        where = f(f"scenarios/{name}.yaml")
        for cid_ in sc.changes:
            if cid_ not in change_ids:
                problems.append(Problem(where, None, f"changes.{cid_}", f"no change '{cid_}' in spec.yaml"))
        for i, x in enumerate(sc.exclude):
            if x not in change_ids:
                problems.append(Problem(where, None, f"exclude[{i}]", f"no change '{x}' in spec.yaml"))
        added = [c.id for c in sc.add]
        for i, c in enumerate(sc.add):
            if c.id in change_ids:
                problems.append(Problem(where, None, f"add[{i}].id", f"'{c.id}' already names a change of spec.yaml"))
            elif added.count(c.id) > 1:
                problems.append(Problem(where, None, f"add[{i}].id", f"'{c.id}' is used by more than one added change"))
            _check_change(c, where, f"add[{i}]", products, refs, problems)
        for c in spec.changes:
            if c.id not in sc.changes:
                continue
            overrides = sc.changes[c.id]
            sub: list[Problem] = []
            merged = validate_document({**c.model_dump(), **overrides}, where, Change, sub)
            problems.extend(Problem(p.file, None, f"changes.{c.id}.{p.column}" if p.column else f"changes.{c.id}", p.message)
                            for p in sub)
            if merged is not None:  # only what the scenario changes: the spec's own errors are reported once, above
                _check_change(merged, where, f"changes.{c.id}", products, refs, problems, only=set(overrides))


def _plain(frame: pd.DataFrame, ids: tuple[str, ...], counts: tuple[str, ...] = ()) -> bool:
    """Whether the ``ids`` columns of ``frame`` have no blank and its ``counts`` columns are int64 (a table that passed
    its checks): a count by plain Python then gives what pandas' grouping gives (tests/test_fast_pre.py)."""
    return all(str(frame[c].dtype) == "int64" for c in counts) and not any(frame[c].isna().any() for c in ids)


def _listed_over_headcount(deps: pd.DataFrame, staff: pd.DataFrame) -> list[tuple[int, int, object, str]]:
    """(row, headcount, people staff.csv lists in it, id) of every department whose headcount is below its people.

    By plain Python when the tables are plain (~1 ms less than the grouping and the frame of the departments)."""
    if _plain(deps, ("department_id",), ("headcount",)):
        listed = collections.Counter(staff["department_id"].tolist())
        return [(int(row), int(head), listed.get(dept, 0), dept) for row, dept, head
                in zip(deps.index, deps["department_id"].tolist(), deps["headcount"].tolist()) if listed.get(dept, 0) > head]
    listed = staff.groupby("department_id").size()
    over = deps.assign(listed=deps["department_id"].map(listed).fillna(0).astype(int))
    over = over.loc[over["headcount"].notna() & (over["listed"] > over["headcount"])]
    return [(int(row), int(r["headcount"]), r["listed"], r["department_id"]) for row, r in over.iterrows()]


def _users_over_headcount(usage: pd.DataFrame, deps: pd.DataFrame) -> list[tuple[int, int, int]]:
    """(row, users of its asset in its department in all roles, the department's headcount) of every usage row whose
    users exceed the headcount (a department listed twice: its first row's).

    By plain Python when the tables are plain (~2 ms less than pandas' grouping and mapping)."""
    if _plain(usage, ("department_id", "asset_id"), ("users",)) and _plain(deps, ("department_id",), ("headcount",)):
        heads: dict = {}
        for dept, head in zip(deps["department_id"].tolist(), deps["headcount"].tolist()):
            heads.setdefault(dept, head)
        keys = list(zip(usage["department_id"].tolist(), usage["asset_id"].tolist()))
        totals: dict = {}
        for key, n in zip(keys, usage["users"].tolist()):
            totals[key] = totals.get(key, 0) + n
        return [(int(row), totals[key], heads[key[0]]) for row, key in zip(usage.index, keys)
                if key[0] in heads and totals[key] > heads[key[0]]]
    headcount = deps.drop_duplicates("department_id").set_index("department_id")["headcount"]
    users = usage.groupby(["department_id", "asset_id"])["users"].transform("sum")
    head = usage["department_id"].map(headcount)
    return [(int(row), int(users[row]), int(head[row])) for row in usage.index[(users > head).fillna(False)]]


def _check_contracts(contracts: pd.DataFrame, file: str, products, profile: Profile | None, problems: list[Problem]) -> None:
    """A contract names a catalog product of its capability (or none: every product of it), is priced in the
    client's currency, ends after it starts, and never covers what another contract covers at the same time."""
    for row, r in contracts.iterrows():
        pid = r["product_id"]
        if isinstance(pid, str):
            if pid not in products:
                problems.append(Problem(file, int(row), "product_id", f"unknown product '{pid}' (not in the catalog)"))
            elif products[pid].category not in s.CAPABILITIES.get(r["capability"], ()):
                problems.append(Problem(file, int(row), "product_id", f"{pid} is a {products[pid].category} product, not part of "
                                        f"capability '{r['capability']}' ({', '.join(s.CAPABILITIES[r['capability']])})"))
        if profile is not None and isinstance(r["currency"], str) and r["currency"] != profile.currency:
            problems.append(Problem(file, int(row), "currency", f"{r['currency']} differs from the client's currency {profile.currency}"))
        if pd.notna(r["end"]) and pd.notna(r["start"]) and r["end"] < r["start"]:
            problems.append(Problem(file, int(row), "end", f"{r['end']:%Y-%m-%d} is before the start {r['start']:%Y-%m-%d}"))
    far = pd.Timestamp.max
    rows = list(contracts.iterrows())
    for i, (row, r) in enumerate(rows):
        for prev, q in rows[:i]:
            if r["capability"] != q["capability"]:
                continue
            same_scope = not isinstance(r["product_id"], str) or not isinstance(q["product_id"], str) or r["product_id"] == q["product_id"]
            overlap = r["start"] <= (q["end"] if pd.notna(q["end"]) else far) and q["start"] <= (r["end"] if pd.notna(r["end"]) else far)
            if same_scope and overlap:
                what = r["product_id"] if isinstance(r["product_id"], str) else f"every {r['capability']} product"
                problems.append(Problem(file, int(row), "capability", f"overlaps contract {q['contract_id']} (row {prev}): both cover "
                                        f"{what} at the same time; one capability has one holder"))


def _check_run_costs(runs: pd.DataFrame, file: str, product_ids, asset_ids, profile: Profile | None, problems: list[Problem]) -> None:
    """A run cost names a known product and asset, is in the client's currency and ends after it starts."""
    _rows_not_in(runs, "product_id", product_ids, file, "product (not in the catalog)", problems)
    if asset_ids is not None:
        _rows_not_in(runs, "asset_id", asset_ids, file, "asset", problems)
    for row, r in runs.iterrows():
        if profile is not None and isinstance(r["currency"], str) and r["currency"] != profile.currency:
            problems.append(Problem(file, int(row), "currency", f"{r['currency']} differs from the client's currency {profile.currency}"))
        if pd.notna(r["end"]) and pd.notna(r["start"]) and r["end"] < r["start"]:
            problems.append(Problem(file, int(row), "end", f"{r['end']:%Y-%m-%d} is before the start {r['start']:%Y-%m-%d}"))


def _check_money(spec: Spec, scenarios: dict[str, Scenario] | None, profile: Profile | None, f, problems: list[Problem]) -> None:
    """Budgets in the client's currency; a persistent loss no longer than the horizon it is counted over."""
    con = spec.constraints
    if profile is not None and con.currency is not None and con.currency != profile.currency:
        problems.append(Problem(f("spec.yaml"), None, "constraints.currency",
                                f"{con.currency} differs from the client's currency {profile.currency}: state the budgets in {profile.currency}"))
    for i, c in enumerate(spec.changes):
        if c.persistent_loss_months and c.persistent_loss_months > con.horizon_months:
            problems.append(Problem(f("spec.yaml"), None, f"changes[{i}].persistent_loss_months",
                                    f"{c.persistent_loss_months} months is longer than the horizon of {con.horizon_months} months "
                                    "(constraints.horizon_months) it is counted over"))
    for name, sc in (scenarios or {}).items():
        horizon = sc.horizon_months or con.horizon_months
        if sc.horizon_months:  # a shorter horizon must still hold the losses of the spec's changes it keeps
            for i, c in enumerate(spec.changes):
                months = (sc.changes.get(c.id) or {}).get("persistent_loss_months", c.persistent_loss_months)
                if c.id not in sc.exclude and isinstance(months, int) and months > horizon and "persistent_loss_months" not in (sc.changes.get(c.id) or {}):
                    problems.append(Problem(f(f"scenarios/{name}.yaml"), None, "horizon_months",
                                            f"{horizon} months is shorter than the persistent loss of change {c.id} "
                                            f"({months} months is longer than the horizon of {horizon} months)"))
        for i, c in enumerate(sc.add):
            if c.persistent_loss_months and c.persistent_loss_months > horizon:
                problems.append(Problem(f(f"scenarios/{name}.yaml"), None, f"add[{i}].persistent_loss_months",
                                        f"{c.persistent_loss_months} months is longer than the horizon of {horizon} months"))
        for cid, fields in sc.changes.items():
            months = fields.get("persistent_loss_months") if isinstance(fields, dict) else None
            if isinstance(months, int) and months > horizon:
                problems.append(Problem(f(f"scenarios/{name}.yaml"), None, f"changes.{cid}.persistent_loss_months",
                                        f"{months} months is longer than the horizon of {horizon} months"))


BACKUP_COLUMNS = ("frequency", "location", "offline_or_immutable", "last_restore_test")


def _check_protection(guard: pd.DataFrame, file: str, catalog: Catalog, problems: list[Problem]) -> None:
    """A control names a catalog product or protection tool (a tool of that control), backup details only on a
    backup control, recovery keys only on disk encryption, no product for an absent control, and no restore test
    in the future (today's date: the loader is the shell)."""
    tools = catalog.tools.set_index("tool_id")["control"].to_dict() if len(catalog.tools) else {}
    known = set(catalog.products) | catalog.unparsed | set(tools)
    today = pd.Timestamp(dt.date.today())
    for row, r in guard.iterrows():
        pid, control = r["product_id"], r["control"]
        if isinstance(pid, str):
            if pid not in known:
                problems.append(Problem(file, int(row), "product_id", f"unknown product '{pid}' (neither a catalog product nor a "
                                        "protection tool of catalog/protection_tools.csv)"))
            elif pid in tools and isinstance(control, str) and tools[pid] != control:
                problems.append(Problem(file, int(row), "product_id", f"{pid} is a tool for '{tools[pid]}', not for '{control}'"))
            if isinstance(r["state"], str) and r["state"] == "absent":  # a missing state is reported by the table's checks
                problems.append(Problem(file, int(row), "product_id", f"names {pid} but the state is absent: "
                                        "say partial or present, or leave product_id empty"))
        if isinstance(control, str) and control not in ("backup", "tenant_backup"):
            for col in BACKUP_COLUMNS:
                if pd.notna(r[col]):
                    problems.append(Problem(file, int(row), col, f"applies to backup and tenant_backup only, not to {control}"))
        if isinstance(control, str) and control != "disk_encryption" and pd.notna(r["recovery_keys"]):
            problems.append(Problem(file, int(row), "recovery_keys", f"applies to disk_encryption only, not to {control}"))
        tested = r["last_restore_test"]
        if pd.notna(tested) and tested > today:
            problems.append(Problem(file, int(row), "last_restore_test", f"{tested:%Y-%m-%d} is in the future (today is {today:%Y-%m-%d}): "
                                    "record the date of a restore test that took place"))


def _failed(problems: list[Problem], file: str, index, column: str) -> pd.Series:
    """Rows of ``file`` already reported for ``column`` (to avoid a follow-on message)."""
    rows = {p.row for p in problems if p.file == file and p.column == column}
    return pd.Series([r in rows for r in index], index=index)


def _check_change(c: Change, file: str, where: str, products, refs, problems: list[Problem], only: set | None = None) -> None:
    """References of one change; ``only`` limits the check to the fields a scenario overrides."""
    product_ids, dept_ids, asset_ids = refs
    want = lambda key: only is None or key in only or (key == "version" and "product_id" in only)  # noqa: E731
    for key in ("product_id", "from_product_id"):
        pid = getattr(c, key)
        if want(key) and pid is not None and pid not in product_ids:
            problems.append(Problem(file, None, f"{where}.{key}", f"unknown product '{pid}' (not in the catalog)"))
    if want("version") and c.product_id in products and c.version is not None and products[c.product_id].version(c.version) is None:
        problems.append(Problem(file, None, f"{where}.version", f"'{c.version}' is not a known version of {c.product_id} "
                                f"({', '.join(v.version for v in products[c.product_id].versions)})"))
    if want("assets") and asset_ids is not None:
        for i, a in enumerate(c.assets):
            if a not in asset_ids:
                problems.append(Problem(file, None, f"{where}.assets[{i}]", f"unknown asset '{a}'"))
    if want("departments") and dept_ids is not None:
        for i, d in enumerate(c.departments):
            if d not in dept_ids:
                problems.append(Problem(file, None, f"{where}.departments[{i}]", f"unknown department '{d}'"))




def _check_legal(processings: pd.DataFrame | None, certificates: pd.DataFrame | None, f, asset_ids, product_ids,
                 problems: list[Problem]) -> None:
    """Legal screens' data (issue 16): a processing names known assets, holds personal data of someone, and dates
    only a DPIA it says was done; a certificate names a catalog product."""
    if processings is not None and len(processings):  # (iterrows of an empty frame: ~1 ms)
        file = f("processings.csv")
        for row, r in processings.iterrows():
            for col in ("data", "people"):
                if not isinstance(r[col], str) or not r[col].strip():
                    problems.append(Problem(file, int(row), col, "is required: the categories of personal data it holds"
                                            if col == "data" else "is required: whose personal data the processing holds"))
            if isinstance(r["assets"], str) and asset_ids is not None:
                unknown = [a for a in r["assets"].split("|") if a and a not in asset_ids]
                if unknown:
                    problems.append(Problem(file, int(row), "assets", f"unknown {'asset' if len(unknown) == 1 else 'assets'} {', '.join(unknown)} (not in assets.csv)"))
            if pd.notna(r["dpia_date"]) and r["dpia"] != "done":
                problems.append(Problem(file, int(row), "dpia_date", "is only for a DPIA that was done (dpia: done)"))
    if certificates is not None:
        _rows_not_in(certificates, "product_id", product_ids, f("certificates.csv"), "product (not in the catalog)", problems)

"""The catalog: products (versions, end-of-life dates, requirements, licences), skills, courses and skill transfers.

Shipped in ``impactlib/catalog/``; a client's ``catalog/`` folder overrides entries by id (transfers by
their (from, to) pair).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from impactlib.model import schema as s
from impactlib.model.catalog import Catalog
from impactlib.model.frames import frame_rows
from impactlib.model.documents import Product
from impactlib.errors import InvalidInput, Problem
from impactlib.io.files import CATALOG
from impactlib.io.load import parse_yaml, read_table, read_text, validate_document

SHIPPED = CATALOG  # the catalog shipped with the package


def load_catalog(override: Path | None = None, label_prefix: str = "") -> Catalog:
    """Load the shipped catalog, with a client's ``catalog/`` folder overriding it when given."""
    problems: list[Problem] = []
    catalog = read_catalog(override, label_prefix, problems)
    if problems:
        raise InvalidInput(problems, what="catalog")
    return catalog


# the shipped catalog, the problems of reading it, and those of its cross-reference check
_SHIPPED_CACHE: dict[tuple, tuple[Catalog, tuple[Problem, ...], tuple[Problem, ...]]] = {}


def _shipped(problems: list[Problem], checked: bool = False) -> Catalog:
    """The shipped catalog, read (and its cross-references checked) once per process while its files stay the same
    (size and mtime); with ``checked``, the check's problems are appended too."""
    catalog, found, cross = _shipped_entry()
    problems.extend(found + cross if checked else found)
    return catalog


def _shipped_entry() -> tuple[Catalog, tuple[Problem, ...], tuple[Problem, ...]]:
    """The shipped catalog, the problems of reading it and those of its cross-reference check, from _SHIPPED_CACHE."""
    with os.scandir(SHIPPED) as entries:
        key = tuple((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in sorted(entries, key=lambda e: e.name) if e.is_file())
    if key not in _SHIPPED_CACHE:
        found: list[Problem] = []
        _SHIPPED_CACHE.clear()
        catalog = _read_catalog(SHIPPED, "catalog", found, required=True)
        cross: list[Problem] = []
        _check_catalog(catalog, cross)
        _SHIPPED_CACHE[key] = (catalog, tuple(found), tuple(cross))
    return _SHIPPED_CACHE[key]


def read_catalog(override: Path | None, label_prefix: str, problems: list[Problem]) -> Catalog:
    """The catalog as far as it could be read, every problem appended to ``problems`` (all at once)."""
    if override is None or not override.is_dir():
        return _shipped(problems, checked=True)  # checked once per process (~6 ms a client load)
    shipped, found, cross = _shipped_entry()
    problems.extend(found)
    over = _read_catalog(override, f"{label_prefix}catalog", problems, required=False)
    catalog = _merge(shipped, over)
    # the shipped part passed the check (the usual case): only what the client's folder brings is checked again
    _check_catalog(catalog, problems, over=None if cross else (shipped, over))
    return catalog


def _read_catalog(folder: Path, label: str, problems: list[Problem], required: bool) -> Catalog:
    products: dict[str, Product] = {}
    origin: dict[tuple[str, str], tuple[str, int | None]] = {}
    unparsed: set[str] = set()
    where = f"{label}/products.yaml"
    path = folder / "products.yaml"
    if path.exists():
        text = read_text(path, where, problems)
        before = len(problems)
        data = parse_yaml(text, where, problems, shipped=folder == SHIPPED) if text is not None else None
        if text is not None and len(problems) == before and not isinstance(data, list):
            problems.append(Problem(where, None, None, "must be a YAML list of products"))
            data = None
        for i, item in enumerate(data or []):
            pid = item.get("id") if isinstance(item, dict) else None
            sub: list[Problem] = []
            product = validate_document(item if isinstance(item, dict) else {}, where, Product, sub)
            problems.extend(Problem(p.file, None, f"[{i}]" + (f" ({pid})" if pid else "") + (f".{p.column}" if p.column else ""),
                                    p.message) for p in sub)
            if product is None:
                if isinstance(pid, str):
                    unparsed.add(pid)
                continue
            if product.id in products:
                problems.append(Problem(where, None, f"[{i}].id", f"product id '{product.id}' is listed twice"))
            products[product.id] = product
            origin[("product", product.id)] = (where, None)
    elif required:
        problems.append(Problem(where, None, None, "file is missing"))
    tables = {}
    for name, model in s.CATALOG_TABLES.items():
        p = folder / name
        if not required and not p.exists():  # a table a client's folder leaves out: _merge keeps the shipped one
            tables[name] = _blank(model)
            continue
        frame = read_table(p, f"{label}/{name}", model, problems) if p.exists() else None
        if not p.exists() and required:
            problems.append(Problem(f"{label}/{name}", None, None, "file is missing"))
        if frame is None:
            frame = _blank(model)  # not copied: reset_index below makes the catalog's own frame (copy-on-write)
        key = {"skills.csv": "skill", "courses.csv": "course"}.get(name)
        if key:
            origin.update({(key, i): (f"{label}/{name}", int(row)) for row, i in frame[f"{key}_id"].items()})
        if name in ("controls.csv", "protection_tools.csv"):
            kind, col = ("control", "control") if name == "controls.csv" else ("tool", "tool_id")
            origin.update({(kind, i): (f"{label}/{name}", int(row)) for row, i in frame[col].items()})
        if name == "skill_transfers.csv":
            origin.update({("transfer", _pair(a, b)): (f"{label}/{name}", int(row))
                           for row, a, b in zip(frame.index, frame["from_skill_id"], frame["to_skill_id"])})
        tables[name] = frame.reset_index(drop=True)
    return Catalog(products=products, skills=tables["skills.csv"], courses=tables["courses.csv"],
                   impact_profiles=tables["impact_profiles.csv"], transfers=tables["skill_transfers.csv"],
                   hardware=tables["hardware.csv"], controls=tables["controls.csv"], measures=tables["measures.csv"],
                   tools=tables["protection_tools.csv"], cpus=tables["cpus.csv"], device_options=tables["device_options.csv"],
                   sources=(label,), origin=origin, unparsed=frozenset(unparsed))


@functools.cache
def _blank(model) -> pd.DataFrame:
    """The empty text table of ``model`` (a catalog file a folder does not have), built once per process."""
    return pd.DataFrame({c: pd.Series(dtype="str") for c in model.to_schema().columns})


def _pair(from_skill, to_skill) -> str:
    """The key of a transfer in ``Catalog.origin``."""
    return f"{from_skill}>{to_skill}"


def _merge(base: Catalog, extra: Catalog) -> Catalog:
    """The shipped catalog with a client's catalog folder over it: a client's row replaces the shipped row of
    the same key (a product, skill, course, impact profile, transfer pair or device class) and adds the others."""
    return Catalog(products=MappingProxyType({**base.products, **extra.products}),
                   skills=_union(base.skills, extra.skills, ["skill_id"]),
                   courses=_union(base.courses, extra.courses, ["course_id"]),
                   impact_profiles=_union(base.impact_profiles, extra.impact_profiles, ["category", "action"]),
                   transfers=_union(base.transfers, extra.transfers, ["from_skill_id", "to_skill_id"]),
                   hardware=_union(base.hardware, extra.hardware, ["device_class"]),
                   controls=_union(base.controls, extra.controls, ["control"]),
                   measures=_union(base.measures, extra.measures, ["framework", "measure_id"]),
                   tools=_union(base.tools, extra.tools, ["tool_id"]),
                   cpus=pd.concat([extra.cpus, base.cpus], ignore_index=True) if len(extra.cpus) else base.cpus,
                   device_options=_union(base.device_options, extra.device_options, ["option"]),
                   sources=base.sources + extra.sources, origin={**base.origin, **extra.origin},
                   unparsed=base.unparsed | extra.unparsed)


def _union(a: pd.DataFrame, b: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """The rows of ``b``, and those of ``a`` whose ``key`` is not in ``b``."""
    if b.empty:
        return a
    if a[key].notna().to_numpy().all() and b[key].notna().to_numpy().all():  # ids, never NA: their tuples in a set
        known = set(zip(*(b[k] for k in key)))
        keep = [k not in known for k in zip(*(a[k] for k in key))]  # (two MultiIndexes cost ~0.9 ms a table)
    else:
        keep = ~pd.MultiIndex.from_frame(a[key]).isin(pd.MultiIndex.from_frame(b[key]))
    return pd.concat([a.loc[keep], b], ignore_index=True)


def _check_catalog(catalog: Catalog, problems: list[Problem], over: tuple[Catalog, Catalog] | None = None) -> None:
    """Cross-references inside the catalog, each problem placed in the file the entry comes from.

    ``over``: (shipped, client's) when ``catalog`` is the client's catalog folder merged over a shipped catalog that
    passed this check: only the client's entries are checked (~1 ms instead of ~7 ms, in every pre-flight of a client
    with a catalog folder), the same problems in the same order. A shipped entry fails only on what the client's
    entries change: its references are to ids the merge keeps (skills, products, measures: a client's row replaces
    a shipped one of the same id), except a transfer, which a client's transfer can put on a loop and a client's skill
    can make lead to an administration skill; then every transfer is checked again (tests/test_fast_pre.py)."""
    skills = set(catalog.skills["skill_id"].dropna())
    known = set(catalog.products) | catalog.unparsed

    def at(kind: str, key: str) -> tuple[str, int | None]:
        return catalog.origin.get((kind, key), ("catalog", None))

    products, courses, controls, tools = catalog.products, catalog.courses, catalog.controls, catalog.tools
    if over is not None:
        shipped, client = over
        products = {pid: p for pid, p in products.items() if pid in client.products}
        courses, controls, tools = (_added(whole, len(part)) for whole, part in ((courses, client.courses),
                                                                               (controls, client.controls), (tools, client.tools)))
    for pid, p in products.items():
        file, _ = at("product", pid)
        for i, r in enumerate(p.skills):
            if r.skill_id not in skills:
                problems.append(Problem(file, None, f"({pid}).skills[{i}].skill_id", f"unknown skill '{r.skill_id}' (not in skills.csv)"))
        if p.requirements:
            for key in ("os", "database"):
                for j, ref in enumerate(getattr(p.requirements, key)):
                    if ref not in known:
                        problems.append(Problem(file, None, f"({pid}).requirements.{key}[{j}]", f"unknown product '{ref}'"))
        for j, integ in enumerate(p.integrations):
            if integ.with_ not in known:
                problems.append(Problem(file, None, f"({pid}).integrations[{j}].with", f"unknown product '{integ.with_}'"))
    for r in frame_rows(courses):
        file, row = at("course", r.course_id)
        if pd.notna(r.skill_id) and r.skill_id not in skills:
            problems.append(Problem(file, row, "skill_id", f"course '{r.course_id}': unknown skill '{r.skill_id}'"))
        if pd.notna(r.from_level) and pd.notna(r.to_level) and r.from_level >= r.to_level:
            problems.append(Problem(file, row, "to_level", f"course '{r.course_id}': to_level {r.to_level} must be above from_level {r.from_level}"))
    if over is None or len(over[1].transfers) or _new_admin_targets(*over):
        _check_transfers(catalog, skills, problems)
    _check_protection(catalog, known, problems, controls, tools)


def _added(merged: pd.DataFrame, count: int) -> pd.DataFrame:
    """The rows a client's table of ``count`` rows brought into ``merged``: its last ones (see _union)."""
    return merged.iloc[len(merged) - count:]


def _new_admin_targets(shipped: Catalog, client: Catalog) -> bool:
    """Whether a shipped transfer leads to a skill that a client's row makes an administration skill (the merged
    catalog's administration skills that the shipped one does not have are the client's rows')."""
    def admin(c: Catalog) -> set:
        return {i for i, kind in zip(c.skills["skill_id"].tolist(), c.skills["category"].tolist()) if kind == "it_admin"}

    return bool(set(shipped.transfers["to_skill_id"].tolist()) & (admin(client) - admin(shipped)))


def _check_protection(catalog: Catalog, known: set[str], problems: list[Problem], controls: pd.DataFrame,
                      tools: pd.DataFrame) -> None:
    """Every measure a control (of ``controls``) maps to is in measures.csv; a tool (of ``tools``) is included with
    known products only."""
    measures = set(zip(catalog.measures["framework"], catalog.measures["measure_id"])) if len(controls) else set()
    for r in controls.to_dict("records") if len(controls) else ():
        file, row = catalog.origin.get(("control", r["control"]), ("catalog/controls.csv", None))
        for framework in ("anssi", "cyber_essentials", "cis"):
            cell = r[framework]
            for m in (cell.split("|") if isinstance(cell, str) else []):
                if (framework, m) not in measures:
                    problems.append(Problem(file, row, framework,
                                            f"control '{r['control']}': unknown {framework} measure '{m}' (not in measures.csv)"))
    for r in tools.to_dict("records") if len(tools) else ():  # (to_dict of an empty frame: ~0.3 ms)
        file, row = catalog.origin.get(("tool", r["tool_id"]), ("catalog/protection_tools.csv", None))
        cell = r["included_with"]
        for pid in (cell.split("|") if isinstance(cell, str) else []):
            if pid not in known:
                problems.append(Problem(file, row, "included_with",
                                        f"tool '{r['tool_id']}': unknown product '{pid}'"))


def _check_transfers(catalog: Catalog, skills: set[str], problems: list[Problem]) -> None:
    """Transfers name known skills, never lead to an administration skill (those are never inferred) and
    never lead back to where they start (a loop would make a level its own evidence)."""
    tr = catalog.transfers.dropna(subset=["from_skill_id", "to_skill_id"])
    admin = set(catalog.skills.loc[catalog.skills["category"] == "it_admin", "skill_id"])
    for r in frame_rows(tr):
        file, row = catalog.origin.get(("transfer", _pair(r.from_skill_id, r.to_skill_id)), ("catalog", None))
        for col in ("from_skill_id", "to_skill_id"):
            if getattr(r, col) not in skills:
                problems.append(Problem(file, row, col, f"unknown skill '{getattr(r, col)}' (not in skills.csv)"))
        if r.to_skill_id in admin:
            problems.append(Problem(file, row, "to_skill_id", f"'{r.to_skill_id}' is an administration skill (it_admin): "
                                    "administration levels are never inferred, record them in skills.csv"))
    for a, b, loop in _loops(tr):
        file, row = catalog.origin.get(("transfer", _pair(a, b)), ("catalog", None))
        problems.append(Problem(file, row, "to_skill_id", f"transfer loop {' → '.join(loop)}: a level would be its own "
                                "evidence; remove one of the transfers of this loop"))


def _loops(transfers: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    """Every transfer (from, to) that lies on a loop of the from → to graph, with the shortest loop through it
    (skill ids from ``from`` back to ``from``). A transfer from a skill to itself is a loop."""
    graph: dict[str, set[str]] = {}
    for a, b in zip(transfers["from_skill_id"], transfers["to_skill_id"]):
        graph.setdefault(a, set()).add(b)
    out = []
    for a, b in zip(transfers["from_skill_id"], transfers["to_skill_id"]):
        back = {b: None}  # breadth-first from b, remembering the way, until a is reached
        queue = [b]
        while queue and a not in back:
            node = queue.pop(0)
            for nxt in sorted(graph.get(node, ())):
                if nxt not in back:
                    back[nxt] = node
                    queue.append(nxt)
        if a in back:
            chain, node = [], a  # a, ..., b following the way back
            while node is not None:
                chain.append(node)
                node = back[node]
            out.append((a, b, [a] + chain[::-1]))
    return out

"""The catalog: products (versions, end-of-life dates, requirements, licences), skills and courses.

Shipped in ``impactlib/catalog/``; a client's ``catalog/`` folder overrides entries by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import pandas as pd

from . import schema as s
from .documents import Product
from .errors import InvalidInput, Problem
from .load import parse_yaml, read_table, read_text, validate_document

SHIPPED = Path(__file__).with_name("catalog")


@dataclass(frozen=True)
class Catalog:
    """Products by id, and the skills and courses tables (see docs/data-format.md)."""

    products: Mapping[str, Product]
    skills: pd.DataFrame
    courses: pd.DataFrame
    sources: tuple[str, ...] = field(default=())

    @property
    def features(self) -> frozenset[str]:
        """Every feature id some product states its support for."""
        return frozenset(f for p in self.products.values() for f in p.features)

    def lifecycle(self) -> pd.DataFrame:
        """One row per (product, version): released, end_of_mainstream, end_of_support, source."""
        rows = [{"product_id": p.id, "product": p.name, "category": p.category, "version": v.version,
                 "edition": v.edition, "released": v.released, "end_of_mainstream": v.end_of_mainstream,
                 "end_of_support": v.end_of_support, "source": v.source}
                for p in self.products.values() for v in p.versions]
        frame = pd.DataFrame(rows)
        for c in ("released", "end_of_mainstream", "end_of_support"):
            frame[c] = pd.to_datetime(frame[c])
        return frame

    def required_skills(self) -> pd.DataFrame:
        """One row per (product, usage role, skill) with the level the role requires."""
        rows = [{"product_id": p.id, "role": r.role, "skill_id": r.skill_id, "level": r.level}
                for p in self.products.values() for r in p.skills]
        return pd.DataFrame(rows, columns=["product_id", "role", "skill_id", "level"])


def load_catalog(override: Path | None = None, label_prefix: str = "") -> Catalog:
    """Load the shipped catalog, with a client's ``catalog/`` folder overriding it when given."""
    problems: list[Problem] = []
    catalog = _read_catalog(SHIPPED, "catalog", problems, required=True)
    if override is not None and override.is_dir():
        extra = _read_catalog(override, f"{label_prefix}catalog", problems, required=False)
        catalog = _merge(catalog, extra)
    if not problems:
        _check_catalog(catalog, problems)
    if problems:
        raise InvalidInput(problems, what="catalog")
    return catalog


def _read_catalog(folder: Path, label: str, problems: list[Problem], required: bool) -> Catalog:
    products: dict[str, Product] = {}
    path = folder / "products.yaml"
    if path.exists():
        text = read_text(path, f"{label}/products.yaml", problems)
        data = parse_yaml(text, f"{label}/products.yaml", problems) if text is not None else None
        if data is not None and not isinstance(data, list):
            problems.append(Problem(f"{label}/products.yaml", None, None, "must be a YAML list of products"))
            data = None
        for i, item in enumerate(data or []):
            where = f"{label}/products.yaml"
            pid = item.get("id") if isinstance(item, dict) else None
            sub: list[Problem] = []
            product = validate_document(item if isinstance(item, dict) else {}, where, Product, sub)
            problems.extend(Problem(p.file, None, f"[{i}]" + (f" ({pid})" if pid else "") + (f".{p.column}" if p.column else ""),
                                    p.message) for p in sub)
            if product is not None:
                if product.id in products:
                    problems.append(Problem(where, None, f"[{i}].id", f"product id '{product.id}' is listed twice"))
                products[product.id] = product
    elif required:
        problems.append(Problem(f"{label}/products.yaml", None, None, "file is missing"))
    tables = {}
    for name, model in s.CATALOG_TABLES.items():
        p = folder / name
        if p.exists():
            tables[name] = read_table(p, f"{label}/{name}", model, problems)
        elif required:
            problems.append(Problem(f"{label}/{name}", None, None, "file is missing"))
    empty = {n: pd.DataFrame({c: pd.Series(dtype="str") for c in m.to_schema().columns}) for n, m in s.CATALOG_TABLES.items()}
    return Catalog(products=products,
                   skills=tables.get("skills.csv") if tables.get("skills.csv") is not None else empty["skills.csv"],
                   courses=tables.get("courses.csv") if tables.get("courses.csv") is not None else empty["courses.csv"],
                   sources=(label,))


def _merge(base: Catalog, extra: Catalog) -> Catalog:
    def union(a: pd.DataFrame, b: pd.DataFrame, key: str) -> pd.DataFrame:
        if b.empty:
            return a
        return pd.concat([a.loc[~a[key].isin(b[key])], b], ignore_index=True)

    return Catalog(products=MappingProxyType({**base.products, **extra.products}),
                   skills=union(base.skills, extra.skills, "skill_id"),
                   courses=union(base.courses, extra.courses, "course_id"),
                   sources=base.sources + extra.sources)


def _check_catalog(catalog: Catalog, problems: list[Problem]) -> None:
    skills = set(catalog.skills["skill_id"])
    for pid, p in catalog.products.items():
        for i, r in enumerate(p.skills):
            if r.skill_id not in skills:
                problems.append(Problem("catalog/products.yaml", None, f"({pid}).skills[{i}].skill_id",
                                        f"unknown skill '{r.skill_id}' (not in skills.csv)"))
        if p.requirements:
            for key in ("os", "database"):
                for ref in getattr(p.requirements, key):
                    if ref not in catalog.products:
                        problems.append(Problem("catalog/products.yaml", None, f"({pid}).requirements.{key}",
                                                f"unknown product '{ref}'"))
    courses = catalog.courses.reset_index(drop=True)
    for i in courses.index[~courses["skill_id"].isin(skills)]:
        problems.append(Problem("catalog/courses.csv", None, "skill_id",
                                f"course '{courses.at[i, 'course_id']}': unknown skill '{courses.at[i, 'skill_id']}'"))
    for i in courses.index[courses["from_level"] >= courses["to_level"]]:
        problems.append(Problem("catalog/courses.csv", None, "to_level",
                                f"course '{courses.at[i, 'course_id']}': to_level must be above from_level"))

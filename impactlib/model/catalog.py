"""The catalog's shape: products (versions, end-of-life dates, requirements, licences), skills and courses."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

import pandas as pd

from impactlib.model.documents import Product


def _empty(table: str) -> pd.DataFrame:
    """An empty frame with the columns of a catalog table."""
    from impactlib.model import schema as s  # memory and start-up: no pandera in a report kernel (model/vocab.py)

    cols = s.CATALOG_TABLES[table].to_schema().columns
    return pd.DataFrame({n: pd.Series(dtype="str" if str(c.dtype).startswith("string") else str(c.dtype)) for n, c in cols.items()})


@dataclass(frozen=True)
class Catalog:
    """Products by id, and the skills, courses, impact profiles and skill transfers tables (see docs/data-format.md)."""

    products: Mapping[str, Product]
    skills: pd.DataFrame
    courses: pd.DataFrame
    impact_profiles: pd.DataFrame
    # declared carry-overs between skills (skill_transfers.csv): from_skill_id, to_skill_id, delta, source
    transfers: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"from_skill_id": pd.Series(dtype="str"), "to_skill_id": pd.Series(dtype="str"), "delta": pd.Series(dtype="int64"),
         "source": pd.Series(dtype="str")}))
    # the price of a new device per class (hardware.csv): device_class, unit_cost, currency, lead_weeks, source
    hardware: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"device_class": pd.Series(dtype="str"), "unit_cost": pd.Series(dtype="float64"), "currency": pd.Series(dtype="str"),
         "lead_weeks": pd.Series(dtype="float64"), "source": pd.Series(dtype="str")}))
    # the protection baseline (controls.csv, measures.csv) and the tools that put a control in place (protection_tools.csv)
    controls: pd.DataFrame = field(default_factory=lambda: _empty("controls.csv"))
    measures: pd.DataFrame = field(default_factory=lambda: _empty("measures.csv"))
    tools: pd.DataFrame = field(default_factory=lambda: _empty("protection_tools.csv"))
    # Windows 11 support of processor families (cpus.csv), tried in order: vendor, pattern, supported, family,
    # devices, source, checked
    cpus: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {c: pd.Series(dtype="str") for c in ("vendor", "pattern", "supported", "family", "devices", "source", "checked")}))
    # what each remedy for a Windows 10 device costs (device_options.csv): option, one_off, per_year, currency,
    # technician_hours, lead_days, source
    device_options: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"option": pd.Series(dtype="str"), "one_off": pd.Series(dtype="float64"), "per_year": pd.Series(dtype="float64"),
         "currency": pd.Series(dtype="str"), "technician_hours": pd.Series(dtype="float64"),
         "lead_days": pd.Series(dtype="float64"), "source": pd.Series(dtype="str")}))
    sources: tuple[str, ...] = field(default=())
    # where each entry comes from, for messages: ("product"|"skill"|"course", id) or ("transfer", "from>to")
    # -> (file label, row or None)
    origin: Mapping[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)
    # ids listed in products.yaml whose entry is invalid (reported once; references to them are not re-reported)
    unparsed: frozenset[str] = frozenset()

    def device_price(self, device_class: str) -> tuple[float, str, float] | None:
        """(unit cost, currency, delivery lead time in weeks) of a new device of ``device_class``, None if unknown."""
        return self._device_prices.get(device_class)

    @cached_property
    def _device_prices(self) -> dict[str, tuple[float, str, float]]:
        # read once: a big client's device options ask for a price per device group (thousands of calls); the last
        # row of a class wins (a client's catalog/hardware.csv row after the shipped one)
        h = self.hardware
        return {str(c): (float(u), str(cur), float(w)) for c, u, cur, w in zip(h["device_class"], h["unit_cost"], h["currency"], h["lead_weeks"])}

    @property
    def features(self) -> frozenset[str]:
        """Every feature id some product states its support for."""
        return frozenset(f for p in self.products.values() for f in p.features)

    def lifecycle(self) -> pd.DataFrame:
        """One row per (product, version): released, end_of_mainstream, end_of_support, source. Built once per
        catalog (every scenario of every client reads it); callers read it, never change it in place."""
        return self._lifecycle

    @cached_property
    def _lifecycle(self) -> pd.DataFrame:
        rows = [{"product_id": p.id, "product": p.name, "category": p.category, "version": v.version,
                 "edition": v.edition, "released": v.released, "end_of_mainstream": v.end_of_mainstream,
                 "end_of_support": v.end_of_support, "source": v.source}
                for p in self.products.values() for v in p.versions]
        frame = pd.DataFrame(rows)
        for c in ("released", "end_of_mainstream", "end_of_support"):
            frame[c] = pd.to_datetime(frame[c])
        return frame

    def required_skills(self) -> pd.DataFrame:
        """One row per (product, usage role, skill) with the level the role requires. Built once per catalog;
        callers read it, never change it in place."""
        return self._required_skills

    @cached_property
    def _required_skills(self) -> pd.DataFrame:
        rows = [{"product_id": p.id, "role": r.role, "skill_id": r.skill_id, "level": r.level}
                for p in self.products.values() for r in p.skills]
        return pd.DataFrame(rows, columns=["product_id", "role", "skill_id", "level"])

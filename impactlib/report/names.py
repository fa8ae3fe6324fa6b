"""What a client reads instead of an internal id: skills, products, data categories, features, requirements,
weekdays and key-user criteria, named in the report's language (catalog names, else report wording)."""

from __future__ import annotations

import functools
import re
import weakref

import pandas as pd

from impactlib.analysis.compat import CPU_LISTED
from impactlib.report.text import TEXTS, t


def _text(prefix: str, value: str, lang: str) -> str:
    key = f"{prefix}.{value}"
    return t(key, lang) if key in TEXTS else value


def skill(skill_id: str, lang: str, catalog=None) -> str:
    """A skill's name in ``lang``: the catalog's ``name_fr`` (French) or ``name``; the id when the catalog
    does not know it."""
    if catalog is not None:
        return skills(catalog, lang).get(skill_id, skill_id)
    return skill_id


_SKILL_NAMES: dict[tuple[int, str], tuple[weakref.ref, dict[str, str]]] = {}


def skills(catalog, lang: str) -> dict[str, str]:
    """Every catalog skill id and its name in ``lang`` (the first row of an id), built once per skills table and
    language: a big client's report names skills thousands of times."""
    frame = catalog.skills
    hit = _SKILL_NAMES.get((id(frame), lang))
    if hit is not None and hit[0]() is frame:
        return hit[1]
    first = frame.drop_duplicates("skill_id")
    fr = first["name_fr"] if "name_fr" in first else pd.Series(None, index=first.index, dtype="object")
    names = {sid: f if lang == "fr" and isinstance(f, str) and f else str(n) for sid, n, f in zip(first["skill_id"], first["name"], fr)}
    _SKILL_NAMES[(id(frame), lang)] = (weakref.ref(frame), names)
    return names


def product(p, lang: str) -> str:
    """A catalog product's name in ``lang`` (``name_fr`` where the English name is not a brand)."""
    fr = getattr(p, "name_fr", None)
    return fr if lang == "fr" and fr else p.name


def tool(name, lang: str, catalog=None):
    """A protection tool's name (catalog protection_tools.csv, as the analysis gives it) in ``lang``: its
    ``name_fr`` in French where the catalog has one; anything else as given."""
    if lang != "fr" or catalog is None or not isinstance(name, str) or "name_fr" not in catalog.tools:
        return name
    found = _french_tools(catalog.tools).get(name)
    return found if isinstance(found, str) and found else name


_TOOL_NAMES: dict[int, tuple[weakref.ref, dict]] = {}


def _french_tools(frame: pd.DataFrame) -> dict:
    """Each tool name and the ``name_fr`` of its first row, built once per tools table (a report names tools
    hundreds of times)."""
    hit = _TOOL_NAMES.get(id(frame))
    if hit is not None and hit[0]() is frame:
        return hit[1]
    names: dict = {}
    for name, fr in zip(frame["name"], frame["name_fr"]):
        if isinstance(name, str):
            names.setdefault(name, fr)
    _TOOL_NAMES[id(frame)] = (weakref.ref(frame), names)
    return names


_LOCAL_PRODUCTS: dict[tuple[int, str], tuple[weakref.ref, dict[str, str]]] = {}


def local_products(catalog, lang: str) -> dict[str, str]:
    """Each catalog product's English name and its name in ``lang``, for the products whose name differs there
    (descriptions, not brands), in catalog order; built once per catalog and language."""
    hit = _LOCAL_PRODUCTS.get((id(catalog), lang))
    if hit is not None and hit[0]() is catalog:
        return hit[1]
    local = {p.name: product(p, lang) for p in catalog.products.values() if product(p, lang) != p.name}
    _LOCAL_PRODUCTS[(id(catalog), lang)] = (weakref.ref(catalog), local)
    return local


def data(categories, lang: str) -> str:
    """Data categories ("payroll_hr, personal_data" or a list) named and joined: "paie et RH, données personnelles"."""
    items = [c.strip() for c in (categories.replace("|", ",").split(",") if isinstance(categories, str) else categories)]
    return ", ".join(_text("data", c, lang) for c in items if c) or "—"


def features(ids, lang: str) -> str:
    """Features ("pivot_tables, xlsm" or a list) named and joined; "—" when none."""
    items = [c.strip() for c in (ids.split(",") if isinstance(ids, str) else ids)]
    return ", ".join(_text("feature", c, lang) for c in items if c and c != "—") or "—"


def days(ids, lang: str) -> str:
    """Weekdays ("sat, sun") in words: "samedi, dimanche"."""
    items = [c.strip() for c in (ids.split(",") if isinstance(ids, str) else ids)]
    return ", ".join(_text("dayname", c, lang) for c in items if c)


_REQ = re.compile(r"^(?P<check>[a-z0-9_]+): (?P<observed>.*?)(?: ✗ (?P<required>.*))?$")


def _requirement_value(value: str, lang: str) -> str:
    if value.endswith(" (off)"):  # a TPM reported but switched off (compat.host_checks)
        return f"{_requirement_value(value[:-6], lang)} ({t('req.off', lang)})"
    if value in _STATES:
        return t(f"req.{value}", lang)
    return {"✓": t("req.yes", lang), "—": t("req.not_found", lang), "none": t("req.none", lang), "?": "?",
            CPU_LISTED: t("req.cpu_listed", lang)}.get(value, value)


_STATES = frozenset({"capable", "enabled", "disabled", "unsupported"})  # Secure Boot's, and what Windows 11 requires


@functools.lru_cache(maxsize=1024)
def requirements(detail: str, lang: str) -> str:
    """The analysis's "check: observed ✗ required; check: ?" as words: "version du TPM : 1.2 (requis : 2.0)".
    Remembered: the warnings and the validation sheet word the same device groups' details (~0.5 ms a report)."""
    out = []
    for part in (p.strip() for p in str(detail).split("; ") if p.strip()):
        m = _REQ.match(part)
        if not m:
            out.append(part)
            continue
        name = _text("req", m["check"], lang)
        if m["required"] is None:
            out.append(name)
        else:
            out.append(t("req.failed", lang, check=name, observed=_requirement_value(m["observed"], lang),
                         required=_requirement_value(m["required"], lang)))
    return t("list.sep", lang).join(out) or "—"


def criteria(query: str, lang: str, catalog=None) -> str:
    """Key-user criteria ("odoo_use>=3&excel_use>=2") as a phrase: "level 3 or more in Using Odoo … and level 2 …"."""
    parts = []
    for term in (q for q in str(query).split("&") if q):
        m = re.match(r"^\s*([a-z0-9_]+)\s*>=\s*(\d+)\s*$", term)
        parts.append(t("criterion.level", lang, skill=skill(m[1], lang, catalog), level=m[2]) if m else term)
    return t("criterion.and", lang).join(parts)

"""Is the catalog itself out of date? (``impactlib catalog check``, docs/methodology.md "A catalog that says when
it is stale"). Pure functions over a Catalog and a date.

A client's plan is not wrong because the catalog stops at a version that has ended: a product whose newest catalog
version ends before a go-live is a catalog problem for the provider (rules.py: CATALOG-STALE, an info line), and
this check lists such entries before any report is run.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from impactlib.model.catalog import Catalog

COLUMNS = ["problem", "product_id", "version", "end_of_support", "detail", "fails"]
PROBLEMS = ("no_source", "no_supported_version", "newest_ending", "ending", "ended", "no_date")


def check(catalog: Catalog, today: dt.date, months: int = 6) -> pd.DataFrame:
    """Every catalog entry the provider should look at on ``today``. Problems that fail the check (``fails``):

    - ``no_source``: a product, version or catalog table row without a source;
    - ``no_supported_version``: a product line that goes on (not ``superseded_by`` another product) none of whose
      versions is supported on ``today`` — the catalog needs its next version;
    - ``newest_ending``: the newest dated version of such a product ends within ``months`` and no later version
      has a date — every go-live after it would read "ended" because the catalog is out of date.

    Listed, not failing: ``ended`` (history: what clients still run must stay in the catalog), ``ending`` (an
    older version, or one of a superseded product line: a fact about the client's systems, not about the catalog),
    ``no_date`` (a version with no end of support: not published or not verified; its source says which).
    Columns: problem, product_id, version, end_of_support (date or None), detail, fails (bool).
    """
    rows = []
    day = pd.Timestamp(today)
    soon = day + pd.DateOffset(months=months)
    for p in catalog.products.values():
        if not (p.source or "").strip():
            rows.append(("no_source", p.id, "", None, "the product has no source", True))
        evergreen = p.licence.period in ("month", "year") and [v.version for v in p.versions] == ["current"]
        goes_on = p.superseded_by is None and not evergreen
        dated = [v for v in p.versions if v.end_of_support]
        newest = max(dated, key=lambda v: v.end_of_support) if dated else None
        undated = [v for v in p.versions if not v.end_of_support]
        for v in p.versions:
            if not (v.source or "").strip():
                rows.append(("no_source", p.id, v.version, v.end_of_support, "the version has no source", True))
            if v.end_of_support is None:
                if not evergreen:
                    rows.append(("no_date", p.id, v.version, None, "no end of support: not published or not verified "
                                 "(see its source)", False))
                continue
            eos = pd.Timestamp(v.end_of_support)
            if eos < day:
                rows.append(("ended", p.id, v.version, v.end_of_support, f"ended {v.end_of_support.isoformat()}", False))
            elif eos <= soon:
                last = goes_on and v is newest
                rows.append(("newest_ending" if last else "ending", p.id, v.version, v.end_of_support,
                             f"ends {v.end_of_support.isoformat()}, within {months} months" +
                             (": the newest version of the catalog - add the next one" +
                              (f" (or date {', '.join(u.version for u in undated)})" if undated else "") if last else ""),
                             last))
        if goes_on and dated and not undated and pd.Timestamp(newest.end_of_support) < day:
            rows.append(("no_supported_version", p.id, "", None,
                         f"no version of the catalog is supported on {today.isoformat()}: add the next one", True))
    for name, table in (("hardware.csv", catalog.hardware), ("cpus.csv", catalog.cpus),
                        ("device_options.csv", catalog.device_options)):
        if "source" in table and len(table):
            blank = table["source"].isna() | table["source"].astype("str").str.strip().eq("")
            for i in table.index[blank]:
                rows.append(("no_source", name, str(i + 2), None, f"{name} row {i + 2} has no source", True))
    out = pd.DataFrame(rows, columns=COLUMNS).astype({"fails": "bool"})
    order = {k: i for i, k in enumerate(PROBLEMS)}
    return out.assign(_o=out["problem"].map(order)).sort_values(["fails", "product_id", "_o"], ascending=[False, True, True],
                                                                 kind="stable").drop(columns="_o").reset_index(drop=True)


def newest_ends(catalog: Catalog, product_id: str) -> dt.date | None:
    """The latest end of support among the catalog's versions of a product (None when no version has one)."""
    p = catalog.products.get(product_id)
    dates = [v.end_of_support for v in p.versions if v.end_of_support] if p is not None else []
    return max(dates) if dates else None

"""Warm a process before it forks report kernels: the one-off costs of a first report, paid once.

What a first ``load_client`` pays in a fresh process and the next ones do not (measured on a
120-person synthetic client: 0.58 s for the first load and review, 0.27 s for the next):

- pandera builds each table's schema on first use, and on that first build imports the typing
  module of every dataframe library installed beside pandas (``dask.dataframe``: 0.35 s when the
  ``[dask]`` extra is installed);
- the shipped catalog is read and checked (YAML and CSV, ~0.06 s; kept per process by catalog.py);
- Babel loads its locale data on the first number or date formatted in each language.

Nothing here reads or keeps client data: a zygote (impactlib.run.zygote) calls :func:`warm` before it
forks one fresh kernel per report, so every report starts warm and no client's state is shared.
"""

from __future__ import annotations

import datetime as dt


def warm() -> None:
    from impactlib.model import schema
    from impactlib.report import text
    from impactlib.io.catalog import load_catalog

    for model in (*(m for m, _ in schema.CLIENT_TABLES.values()), *schema.CATALOG_TABLES.values()):
        model.to_schema()
    load_catalog()
    for lang in text.LOCALES:
        text.number(12345.5, lang, 1), text.money(1234.0, "EUR", lang), text.percent(0.25, lang), text.date(dt.date(2027, 1, 4), lang)

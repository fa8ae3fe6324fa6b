"""What ``impactlib import-glpi`` prints: each imported computer with its CPU generation and Windows 11 readiness.

Lines of counts and asset ids only: no user name of the inventories (the import already dropped them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from impactlib.analysis.compat import cpu_generation
from impactlib.model.names import count
from impactlib.model.frames import frame_rows

if TYPE_CHECKING:  # for annotations only: the report layer reads no file
    from impactlib.io.glpi import Import


def import_summary(imp: Import, ready: pd.DataFrame, unmapped_file: str) -> list[str]:
    """The lines the command prints: each computer with its CPU generation (compat.cpu_generation, as the
    review reads it), Windows 11 readiness, software mapped or not (the unmapped ones listed in
    ``unmapped_file``), and the files skipped."""
    lines = [f"{count(len(imp.computers), 'computer')} imported, "
             f"{count(len(imp.assets) - len(imp.computers), 'catalog software product')}, "
             f"{count(len(imp.unmapped), 'installed software', 'installed software')} not mapped to the catalog "
             f"(listed in {unmapped_file})"]
    r = ready.set_index("asset_id")
    for c in frame_rows(imp.computers):
        verdict = r.at[c.asset_id, "verdict"]
        why = "; ".join(x for x in (f"fails: {r.at[c.asset_id, 'failed']}" if r.at[c.asset_id, "failed"] else "",
                                    f"unknown: {r.at[c.asset_id, 'unknown']}" if r.at[c.asset_id, "unknown"] else "") if x)
        os_ = c.os_product_id if isinstance(c.os_product_id, str) else (c.os or "OS not reported")
        vendor, gen = cpu_generation(c.cpu_model if isinstance(c.cpu_model, str) else None)
        cpu = f"{vendor} CPU generation {gen}" if gen is not None else f"{vendor} CPU generation unknown"
        lines.append(f"  {c.asset_id} ({c.kind}, {os_}, {cpu}): Windows 11 {verdict}" + (f" ({why})" if why else "")
                     + f"; software {c.mapped} mapped, {c.software - c.mapped} not")
    for sk in imp.skipped:
        lines.append(f"  skipped {sk.source}: {sk.reason}")
    return lines

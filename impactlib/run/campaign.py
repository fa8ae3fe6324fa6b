"""``impactlib campaign``: the Windows 10 campaign across every client, from the batch's status files.

It reads what the reports recorded (each status file's headline carries the client's campaign record,
impactlib.analysis.campaign.client_record) and the provider's settings; no report is run again, no client
folder is read. It writes ``<reports>/campaign.<lang>.html`` per language and ``<reports>/campaign.xlsx``
(purchasing: order lines, orders per month, the schedule), each atomically.

Exit codes: 0 written; 2 bad provider settings, an unknown language or no status file to read.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from impactlib.analysis.campaign import Campaign, plan
from impactlib.errors import BadRequest, ImpactlibError, InvalidInput
from impactlib.io.files import write_atomic, write_table
from impactlib.io.provider import load_provider
from impactlib.model.vocab import LANGUAGES
from impactlib.model.names import count
from impactlib.run.runner import ASSETS, PLOTLY_FILE, plotly_head

XLSX = "campaign.xlsx"


def build(reports: Path, provider_file: Path, as_of: dt.date | None = None) -> Campaign:
    """The campaign of the status files under ``reports`` against the provider settings in ``provider_file``, planned on
    ``as_of`` (today unless given): no PC is ordered in a month already past."""
    # start-up speed: a bad provider file is refused before the report layer and the batch module are imported
    from impactlib.report.portfolio import portfolio_rows
    from impactlib.run.batch import load_statuses

    provider = load_provider(provider_file)
    if not Path(reports).is_dir():
        raise BadRequest(f"{reports}: no such folder; run `impactlib batch --all --out {reports}` first")
    statuses = load_statuses(Path(reports))
    if not statuses:
        raise BadRequest(f"{reports}: no status file (*/*.status.json); run `impactlib batch --all --out {reports}` first")
    return plan(portfolio_rows(statuses), provider, as_of or dt.date.today())


def write(c: Campaign, reports: Path, langs: list[str], generated: dt.datetime, self_contained: bool = False) -> list[Path]:
    """The pages and the purchasing workbook of ``c`` under ``reports``; returns the paths written."""
    # start-up speed: the page's wording and charts are imported only when there is a campaign to write
    from impactlib.report.campaign import campaign_page, purchasing_frames

    shared = not self_contained and (Path(reports) / ASSETS / PLOTLY_FILE).is_file()
    head = plotly_head(f"{ASSETS}/{PLOTLY_FILE}" if shared else None)
    written = [write_atomic(Path(reports) / f"campaign.{lang}.html", campaign_page(c, lang, head, generated).encode("utf-8"))
               for lang in langs]
    written.append(write_table(purchasing_frames(c, langs[0]), Path(reports) / XLSX))
    return written


def main(args) -> int:
    langs = list(args.lang or ["en"])
    unknown = [x for x in langs if x not in LANGUAGES]
    if unknown:
        print(f"error: unknown {'language' if len(unknown) == 1 else 'languages'} {', '.join(unknown)}; available: {', '.join(LANGUAGES)}", file=sys.stderr)
        return BadRequest.exit_code
    try:
        now = dt.datetime.now(dt.timezone.utc)
        c = build(Path(args.reports), Path(args.provider), now.date())
        paths = write(c, Path(args.reports), langs, now, args.self_contained)
    except InvalidInput as e:
        print(f"error: {len(e.problems)} {'problem' if len(e.problems) == 1 else 'problems'} in the {e.what}, nothing written:", file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
        return e.exit_code
    except ImpactlibError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    undone = c.undone
    print(f"{count(len(c.clients), 'client')}, {sum(p.devices for p in c.clients)} PCs, {sum(p.units for p in c.clients)} to buy, "
          f"{sum(p.hours for p in c.clients):.1f} technician hours; {count(len(undone), 'client')} cannot be done before {c.deadline}"
          + (f": {', '.join(p.client for p in undone)}" if undone else ""))
    if c.missing:
        print(f"note: no campaign figures in the status of {', '.join(c.missing)} (rerun the batch with --force)")
    for p in paths:
        print(f"written: {p}")
    return 0

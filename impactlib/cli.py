"""The ``impactlib`` command: validate client folders and produce their reports.

Exit codes: 0 all good; 2 bad input (data, ids, scenario, language, parameters); 1 a report failed
for another reason. Errors are printed without a traceback; one bad client never stops the others.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import ImpactlibError, InvalidInput, ReportError
from .load import check_name

DATA_DIR = Path("data/clients")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="impactlib", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="folder holding client folders (default: data/clients)")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check client folders against the data contract (docs/data-format.md)")
    v.add_argument("clients", nargs="*", metavar="CLIENT", help="client ids (folders under --data-dir)")
    v.add_argument("--all", action="store_true", help="every client folder under --data-dir")
    r = sub.add_parser("report", help="produce the HTML report of clients (reports/<client>/<scenario>.<lang>.html)")
    r.add_argument("clients", nargs="*", metavar="CLIENT", help="client ids (folders under --data-dir)")
    r.add_argument("--all", action="store_true", help="every client folder under --data-dir")
    r.add_argument("--scenario", help="scenario name (default: the client's default_scenario)")
    r.add_argument("--lang", help="report language: en or fr (default: the client's language)")
    r.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    r.add_argument("--timeout", type=int, default=600, help="seconds allowed per notebook cell (default: 600)")
    _add_batch_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "batch":
        from . import batch

        return batch.main(args)

    try:
        clients = _client_ids(args)
    except ImpactlibError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.command == "validate":
        return _validate(args.data_dir, clients)
    return _report(args, clients)


def _add_batch_parser(sub) -> None:
    """``impactlib batch``: every client's reports in parallel, incremental, with a portfolio page (impactlib/batch.py)."""
    b = sub.add_parser("batch", help="produce many reports in parallel, skip unchanged ones, write the portfolio page reports/index.html")
    b.add_argument("clients", nargs="*", metavar="CLIENT", help="client ids (folders under --data-dir)")
    b.add_argument("--all", action="store_true", help="every client folder under --data-dir")
    b.add_argument("--scenario", nargs="+", metavar="S", help="scenario names (default: each client's default_scenario)")
    b.add_argument("--lang", nargs="+", metavar="L", help="report languages among en, fr (default: each client's language)")
    b.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="reports run at the same time (default: CPU count)")
    b.add_argument("--timeout", type=float, default=600, help="seconds allowed per report (default: 600)")
    b.add_argument("--force", action="store_true", help="redo reports even when their inputs are unchanged")
    b.add_argument("--retry-failed", action="store_true", help="rerun only the reports whose last run failed")
    b.add_argument("--strict", action="store_true", help="run nothing (exit 2) if any client id, scenario or language is unknown")
    b.add_argument("--self-contained", action="store_true", help="embed plotly.js in each report instead of sharing reports/_assets/plotly.min.js")
    b.add_argument("--dask-scheduler", metavar="ADDRESS", help="run the reports on this Dask distributed scheduler (pip install 'impactlib[dask]')")
    b.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")


def _client_ids(args) -> list[str]:
    if args.all:
        if not args.data_dir.is_dir():
            raise ImpactlibError(f"no folder {args.data_dir}")
        return sorted(p.name for p in args.data_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not args.clients:
        raise ImpactlibError("name at least one CLIENT, or use --all")
    problems = []
    for c in args.clients:
        try:
            check_name(c)
        except InvalidInput as e:
            problems.append(str(e.problems[0]))
    if problems:
        raise ImpactlibError("\n  ".join(["invalid client id(s):", *problems]))
    return list(args.clients)


def _validate(data_dir: Path, clients: list[str]) -> int:
    from .client import load_client

    worst = 0
    for cid in clients:
        try:
            c = load_client(data_dir / cid)
        except InvalidInput as e:
            print(f"{cid}: {len(e.problems)} problem(s)")
            for p in e.problems:
                print(f"  {p}")
            worst = 2
        else:
            print(f"{cid}: ok ({len(c.departments)} departments, {int(c.departments['headcount'].sum())} staff, "
                  f"{len(c.assets)} assets, {len(c.spec.changes)} changes, {len(c.scenarios)} scenarios)")
    return worst


def _report(args, clients: list[str]) -> int:
    from . import report

    worst = 0
    for cid in clients:
        try:
            done = report.run(args.data_dir / cid, args.scenario, args.lang, args.out, timeout=args.timeout)
        except InvalidInput as e:
            print(f"{cid}: not produced, {len(e.problems)} input problem(s):", file=sys.stderr)
            for p in e.problems:
                print(f"  {p}", file=sys.stderr)
            worst = max(worst, 2)
        except ReportError as e:
            print(f"{cid}: not produced: {e}", file=sys.stderr)
            worst = max(worst, 2 if "no scenario" in str(e) or "no language" in str(e) or "parameter" in str(e) else 1)
        except ImpactlibError as e:
            print(f"{cid}: not produced: {e}", file=sys.stderr)
            worst = max(worst, 1)
        else:
            print(f"{cid}: {done.html}")
    return worst


if __name__ == "__main__":
    sys.exit(main())

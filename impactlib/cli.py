"""The ``impactlib`` command: validate client folders and produce their reports.

Exit codes: 0 all good; 2 bad input (data, ids, scenario, language, parameters); 1 a report failed
for another reason: each error's type says which (``exit_code``, impactlib/errors.py). Errors are
printed without a traceback; one bad client never stops the others.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from impactlib.errors import BadRequest, ImpactlibError, InvalidInput
from impactlib.io.load import check_name

DATA_DIR = Path("data/clients")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="impactlib", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="folder holding client folders (default: data/clients)")
    parser.add_argument("--version", action="version", version=_version())
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
    r.add_argument("--pdf", action="store_true", help="also print the report to PDF with Chromium (<scenario>.<lang>.pdf)")
    r.add_argument("--xlsx", action="store_true", help="also write the findings and the training plan as XLSX "
                   "(<scenario>.<lang>.findings.xlsx, <scenario>.<lang>.training.xlsx)")
    cmp = sub.add_parser("compare", help="compare two or more scenarios of one client (reports/<client>/compare.<s1>+<s2>.<lang>.html)")
    cmp.add_argument("client", metavar="CLIENT", help="client id (a folder under --data-dir)")
    cmp.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="two or more scenario names")
    cmp.add_argument("--lang", help="report language: en or fr (default: the client's language)")
    cmp.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    cmp.add_argument("--timeout", type=int, default=600, help="seconds allowed per notebook cell (default: 600)")
    cmp.add_argument("--pdf", action="store_true", help="also print the comparison to PDF with Chromium")
    _add_data_commands(sub)
    _add_batch_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "batch":
        from impactlib.run import batch

        return batch.main(args)
    if args.command == "compare":
        return _compare(args)
    if args.command in DATA_COMMANDS:
        return DATA_COMMANDS[args.command](args)

    try:
        clients = _client_ids(args)
    except ImpactlibError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    if args.command == "validate":
        return _validate(args.data_dir, clients)
    return _report(args, clients)


def _count(n: int, noun: str) -> str:
    """``1 problem``, ``3 problems`` (the CLI speaks English; reports are localised by Babel)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _add_batch_parser(sub) -> None:
    """``impactlib batch``: every client's reports in parallel, incremental, with a portfolio page (impactlib/run/batch.py)."""
    b = sub.add_parser("batch", help="produce many reports in parallel, skip unchanged ones, write the portfolio page reports/index.html")
    b.add_argument("clients", nargs="*", metavar="CLIENT", help="client ids (folders under --data-dir)")
    b.add_argument("--all", action="store_true", help="every client folder under --data-dir")
    b.add_argument("--scenario", nargs="+", metavar="S", help="scenario names (default: each client's default_scenario)")
    b.add_argument("--lang", nargs="+", metavar="L", help="report languages among en, fr (default: each client's language); "
                   "the portfolio page is in the first one")
    b.add_argument("--portfolio-lang", metavar="L", help="language of the portfolio page: en or fr (default: the first --lang, else en)")
    b.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="reports run at the same time (default: CPU count)")
    b.add_argument("--timeout", type=float, default=600, help="seconds allowed per report (default: 600)")
    b.add_argument("--force", action="store_true", help="redo reports even when their inputs are unchanged")
    b.add_argument("--retry-failed", action="store_true", help="rerun only the reports whose last run failed")
    b.add_argument("--strict", action="store_true", help="run nothing (exit 2) if any client id, scenario or language is unknown")
    b.add_argument("--self-contained", action="store_true", help="embed plotly.js in each report instead of sharing reports/_assets/plotly.min.js")
    b.add_argument("--dask-scheduler", metavar="ADDRESS", help="run the reports on this Dask distributed scheduler (pip install 'impactlib[dask]')")
    b.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")


def _version() -> str:
    import platform

    from impactlib import __version__

    return f"impactlib {__version__} (Python {platform.python_version()})"


def _client_ids(args) -> list[str]:
    if args.all:
        if not args.data_dir.is_dir():
            raise BadRequest(f"no folder {args.data_dir}")
        return sorted(p.name for p in args.data_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not args.clients:
        raise BadRequest("name at least one CLIENT, or use --all")
    problems = []
    for c in args.clients:
        try:
            check_name(c)
        except InvalidInput as e:
            problems.append(str(e.problems[0]))
    if problems:
        raise BadRequest("\n  ".join([f"invalid client {'id' if len(problems) == 1 else 'ids'}:", *problems]))
    return list(args.clients)


def _validate(data_dir: Path, clients: list[str]) -> int:
    from impactlib.io.folder import load_client

    worst = 0
    for cid in clients:
        try:
            c = load_client(data_dir / cid)
        except InvalidInput as e:
            print(f"{cid}: {_count(len(e.problems), 'problem')}")
            for p in e.problems:
                print(f"  {p}")
            worst = e.exit_code
        else:
            print(f"{cid}: ok ({len(c.departments)} departments, {int(c.departments['headcount'].sum())} staff, "
                  f"{len(c.assets)} assets, {len(c.spec.changes)} changes, {len(c.scenarios)} scenarios)")
    return worst


def _report(args, clients: list[str]) -> int:
    from impactlib.run import report

    worst = 0
    for cid in clients:
        try:
            done = report.run(args.data_dir / cid, args.scenario, args.lang, args.out, timeout=args.timeout)
        except ImpactlibError as e:
            _not_produced(cid, e)
            worst = max(worst, e.exit_code)
        else:
            print(f"{cid}: {done.html}")
            formats = tuple(f for f, wanted in (("pdf", args.pdf), ("xlsx", args.xlsx)) if wanted)
            if formats:
                worst = max(worst, _exports(args, cid, done, formats))
    return worst


def _not_produced(cid: str, e: ImpactlibError) -> None:
    """Why a report was not produced, on stderr: every input problem with file, row and column, or the message."""
    if isinstance(e, InvalidInput):
        print(f"{cid}: not produced, {_count(len(e.problems), 'input problem')}:", file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
    else:
        print(f"{cid}: not produced: {e}", file=sys.stderr)


def _exports(args, cid: str, done, formats: tuple[str, ...]) -> int:
    from impactlib.analysis.assess import assess
    from impactlib.io.folder import load_client
    from impactlib.run.exports import export

    try:
        an = assess(load_client(args.data_dir / cid), done.scenario)
        for path in export(an, done.lang, done.html.parent, done.html, formats):
            print(f"{cid}: {path}")
    except ImpactlibError as e:
        print(f"{cid}: export failed: {e}", file=sys.stderr)
        return e.exit_code
    return 0


def _compare(args) -> int:
    from impactlib.run import report
    from impactlib.run.exports import pdf

    try:
        check_name(args.client)
        done = report.run_comparison(args.data_dir / args.client, args.scenarios, args.lang, args.out, timeout=args.timeout)
        print(f"{args.client}: {done.html}")
        if args.pdf:
            print(f"{args.client}: {pdf(done.html)}")
    except ImpactlibError as e:
        _not_produced(args.client, e)
        return e.exit_code
    return 0


# --- data commands: import-glpi, new-client (self-contained: they read no client folder) ----------

def _add_data_commands(sub) -> None:
    here = argparse.SUPPRESS  # --data-dir may also follow the subcommand; the global one stays the default
    g = sub.add_parser("import-glpi", help="import GLPI Agent JSON / FusionInventory XML inventories into a client's "
                                           "assets.csv and dependencies.csv")
    g.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER", help="inventory files, or folders of .json/.xml files")
    g.add_argument("--client", required=True, help="client id: files are written to --data-dir/ID/")
    g.add_argument("--data-dir", type=Path, default=here, help="folder holding client folders (default: data/clients)")
    g.add_argument("--force", action="store_true", help="replace existing assets.csv, dependencies.csv, glpi-unmapped.csv")
    n = sub.add_parser("new-client", help="start a client folder: a data-collection workbook (--xlsx) or CSV headers")
    n.add_argument("client", metavar="CLIENT", help="client id (folder under --data-dir)")
    n.add_argument("--xlsx", action="store_true", help="write client.xlsx (one sheet per table, drop-down lists, "
                                                       "instructions in English and French) instead of CSV files")
    n.add_argument("--data-dir", type=Path, default=here, help="folder holding client folders (default: data/clients)")


def _import_glpi(args) -> int:
    from impactlib.analysis.compat import readiness
    from impactlib.io import glpi
    from impactlib.io.files import write_all
    from impactlib.report.imports import import_summary
    from impactlib.io.catalog import load_catalog
    from impactlib.errors import Problem

    try:
        cid = check_name(args.client)
        folder = args.data_dir / cid
        catalog = load_catalog(folder / "catalog", f"{cid}/")
    except InvalidInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    problems = [Problem(str(p), None, None, "no such file or folder") for p in args.paths if not p.exists()]
    imp = glpi.import_glpi([p for p in args.paths if p.exists()], catalog, problems)
    if problems:
        print(f"error: {_count(len(problems), 'inventory problem')}, nothing written:", file=sys.stderr)
        for p in InvalidInput(problems).problems:
            print(f"  {p}", file=sys.stderr)
        return 2
    if imp.computers.empty:
        print("error: no computer inventory found, nothing written", file=sys.stderr)
        for sk in imp.skipped:
            print(f"  skipped {sk.source}: {sk.reason}", file=sys.stderr)
        return 2
    files = {glpi.ASSETS_FILE: glpi.to_csv(imp.assets), glpi.DEPENDENCIES_FILE: glpi.to_csv(imp.dependencies),
             glpi.UNMAPPED_FILE: glpi.to_csv(imp.unmapped)}
    try:
        write_all(folder, files, args.force)
    except ImpactlibError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print("\n".join(import_summary(imp, readiness(imp.computers, catalog), glpi.UNMAPPED_FILE)))
    if (folder / "client.xlsx").is_file():
        print(f"note: {folder / 'client.xlsx'} is there too: leave its assets and dependencies sheets empty, "
              "or the client will not load (a table cannot be in both)")
    print(f"written: {', '.join(str(folder / n) for n in files)}")
    return 0


def _new_client(args) -> int:
    from impactlib.io import workbook

    try:
        cid = check_name(args.client)
        written = workbook.new_client(args.data_dir / cid, xlsx=args.xlsx)
    except ImpactlibError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for path in written:
        print(f"written: {path}")
    print(_next_steps(args, cid))
    return 0


def _next_steps(args, cid: str) -> str:
    """What to do after ``new-client``: fill the tables, write the YAML files, validate, report."""
    folder = args.data_dir / cid
    where = "" if args.data_dir == DATA_DIR else f" --data-dir {args.data_dir}"
    fill = (f"fill the sheets of {folder / 'client.xlsx'} (instructions on its first sheet)" if args.xlsx
            else f"fill the CSV files in {folder} (one row per line under the header)")
    return "\n".join([
        "next steps:",
        f"  1. {fill}; or run `impactlib import-glpi INVENTORIES --client {cid}{where}` for assets.csv and dependencies.csv",
        f"  2. write {folder / 'client.yaml'}, {folder / 'spec.yaml'} and {folder / 'scenarios'}/<name>.yaml "
        "(docs/data-format.md; the demo clients under data/clients are complete examples)",
        f"  3. impactlib{where} validate {cid}        # every problem with file, row and column",
        f"  4. impactlib{where} report {cid} --lang fr   # reports/{cid}/<scenario>.fr.html"])


DATA_COMMANDS = {"import-glpi": _import_glpi, "new-client": _new_client}


if __name__ == "__main__":
    sys.exit(main())

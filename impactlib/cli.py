"""The ``impactlib`` command: validate client folders and produce their reports.

Exit codes: 0 all good; 2 bad input (data, ids, scenario, language, parameters); 1 a report failed
for another reason: each error's type says which (``exit_code``, impactlib/errors.py). Errors are
printed without a traceback; one bad client never stops the others.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from impactlib import __version__
from impactlib.errors import BadRequest, ImpactlibError, InvalidInput, Problem
from impactlib.io.fingerprint import check_name
from impactlib.model.names import count  # the CLI speaks English; reports are localised by Babel

DATA_DIR = Path("data/clients")


def main(argv: list[str] | None = None) -> int:
    """The command; no traceback ever reaches the user (IMPACTLIB_DEBUG=1 shows it): an error that is not one of
    impactlib's own (a bug, a library failing under load) is one line and exit 1."""
    import threading

    debug = bool(os.environ.get("IMPACTLIB_DEBUG"))
    if not debug:  # a helper thread failing (a kernel channel closing under load) prints one line, not its stack
        threading.excepthook = lambda a: print(f"warning: {a.exc_type.__name__} in a background thread: "
                                               f"{str(a.exc_value)[:200]}", file=sys.stderr)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - the last net: impactlib's own errors are handled below it
        if debug:
            raise
        print(f"error: internal error: {type(e).__name__}: {str(e)[:300]} (IMPACTLIB_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return 1


def _main(argv: list[str] | None = None) -> int:
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
    r.add_argument("--xlsx", action="store_true", help="also write the findings, the training plan (the Windows 11 worklist, and for a client of more than 12 departments every department in full) as XLSX "
                   "(<scenario>.<lang>.findings.xlsx, <scenario>.<lang>.training.xlsx)")
    cmp = sub.add_parser("compare", help="compare two or more scenarios of one client (reports/<client>/compare.<s1>+<s2>.<lang>.html)")
    cmp.add_argument("client", metavar="CLIENT", help="client id (a folder under --data-dir)")
    cmp.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="two or more scenario names")
    cmp.add_argument("--lang", help="report language: en or fr (default: the client's language)")
    cmp.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    cmp.add_argument("--timeout", type=int, default=600, help="seconds allowed per notebook cell (default: 600)")
    cmp.add_argument("--pdf", action="store_true", help="also print the comparison to PDF with Chromium")
    dk = sub.add_parser("deck", help="write the board deck of a client: 7 slides with editable charts "
                                     "(reports/<client>/<scenario>.<lang>.deck.pptx)")
    dk.add_argument("client", metavar="CLIENT", help="client id (a folder under --data-dir)")
    dk.add_argument("--scenario", nargs="+", metavar="S", help="the option presented, then the options it is compared with "
                    "(default: every scenario, presenting the one the figures favour)")
    dk.add_argument("--lang", help="deck language: en or fr (default: the client's language)")
    dk.add_argument("--as-of", type=date_arg, default=None, metavar="YYYY-MM-DD", help="report date (default: today)")
    dk.add_argument("--out", type=Path, default=None, metavar="PATH", help="the .pptx to write (default: reports/<client>/<scenario>.<lang>.deck.pptx)")
    _add_data_commands(sub)
    _add_register_commands(sub)
    _add_batch_parser(sub)
    _add_campaign_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "batch":
        # start-up speed: the batch's modules (runner, kernels: ~25 ms) only for `impactlib batch`; --version, --help
        # and argument errors answer with the modules imported at the top alone (so for every command below)
        from impactlib.run import batch

        return batch.main(args)
    if args.command == "campaign":
        from impactlib.run import campaign  # start-up speed: pandas, pandera, pydantic, YAML (~0.5 s), only for this command

        return campaign.main(args)
    if args.command == "compare":
        return _compare(args)
    if args.command == "deck":
        return _deck(args)
    if args.command in DATA_COMMANDS:
        return DATA_COMMANDS[args.command](args)
    if args.command in REGISTER_COMMANDS:
        return _register_command(args)

    try:
        clients = _client_ids(args)  # ids checked before any file is touched, --data-dir included
        _check_data_dir(args.data_dir)
    except ImpactlibError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    if args.command == "validate":
        return _validate(args.data_dir, clients)
    return _report(args, clients)


def _check_data_dir(data_dir: Path) -> None:
    """--data-dir must be a folder (a device or a pipe given there is refused, not read)."""
    if (data_dir.exists() or data_dir.is_symlink()) and not data_dir.is_dir():
        raise BadRequest(f"--data-dir {str(data_dir)[:200]} is not a folder")


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

    return f"impactlib {__version__} (Python {platform.python_version()})"


def _add_campaign_parser(sub) -> None:
    """``impactlib campaign``: the Windows 10 campaign across clients, from a batch's status files (impactlib/run/campaign.py)."""
    c = sub.add_parser("campaign", help="the Windows 10 campaign across every client of a batch: schedule against the provider's "
                                        "capacity, PCs to buy per month, ESU per year (reports/campaign.<lang>.html, reports/campaign.xlsx)")
    c.add_argument("--reports", type=Path, default=Path("reports"), help="the batch's output folder, with its status files (default: reports)")
    c.add_argument("--provider", type=Path, default=Path("data/provider.yaml"),
                   help="the provider's campaign settings (default: data/provider.yaml; docs/data-format.md)")
    c.add_argument("--lang", nargs="+", metavar="L", help="page languages among en, fr (default: en); the workbook is in the first")
    c.add_argument("--self-contained", action="store_true", help="embed plotly.js instead of using reports/_assets/plotly.min.js")


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
    from impactlib.io.folder import load_client  # start-up speed: pandas and pydantic (~0.35 s), only when folders are read

    worst = 0
    for cid in clients:
        try:
            c = load_client(data_dir / cid)
        except InvalidInput as e:
            print(f"{cid}: {count(len(e.problems), 'problem')}")
            for p in e.problems:
                print(f"  {p}")
            worst = e.exit_code
        else:
            print(f"{cid}: ok ({len(c.departments)} departments, {int(c.departments['headcount'].sum())} staff, "
                  f"{len(c.assets)} assets, {len(c.spec.changes)} changes, {len(c.scenarios)} scenarios)")
    return worst


def _report(args, clients: list[str]) -> int:
    from impactlib.run import report  # start-up speed: pandas and pydantic (~0.35 s); papermill and nbclient come later, when a report runs

    worst = 0
    for cid in clients:
        try:
            done = report.run(args.data_dir / cid, args.scenario, args.lang, args.out, timeout=args.timeout,
                              exports=("xlsx",) if args.xlsx else ())
        except ImpactlibError as e:
            _not_produced(cid, e)
            worst = max(worst, e.exit_code)
        else:
            print(f"{cid}: {done.html}")
            for path in done.exports:  # written by the report's kernel, from the analysis the report shows
                print(f"{cid}: {path}")
            if args.pdf:
                worst = max(worst, _pdf(cid, done))
    return worst


def _not_produced(cid: str, e: ImpactlibError) -> None:
    """Why a report was not produced, on stderr: every input problem with file, row and column, or the message."""
    if isinstance(e, InvalidInput):
        print(f"{cid}: not produced, {count(len(e.problems), 'input problem')}:", file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
    else:
        print(f"{cid}: not produced: {e}", file=sys.stderr)


def _pdf(cid: str, done) -> int:
    from impactlib.run.exports import pdf  # start-up speed: plotly and Babel (~0.08 s more than the report's), only with --pdf

    try:
        print(f"{cid}: {pdf(done.html)}")
    except ImpactlibError as e:
        print(f"{cid}: export failed: {e}", file=sys.stderr)
        return e.exit_code
    return 0


def _compare(args) -> int:
    # start-up speed: pandas, pydantic, plotly, Babel (~0.45 s), only when a comparison runs
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


def _deck(args) -> int:
    from impactlib.run import deck  # python-pptx: only when a deck is written

    try:
        _check_data_dir(args.data_dir)
        path = deck.write(args.data_dir, args.client, args.scenario, args.lang, args.as_of, args.out)
    except ImpactlibError as e:
        _not_produced(args.client, e)
        return e.exit_code
    print(f"{args.client}: {path}")
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
    k = sub.add_parser("catalog", help="catalog tools: 'check' lists entries that have ended or end soon, entries "
                                       "without a source and products with no supported version (exit 1 if any)")
    k.add_argument("action", choices=["check"], help="check: is the shipped catalog (and --client's) out of date?")
    k.add_argument("--months", type=int, default=6, help="list the versions ending within this many months (default: 6)")
    k.add_argument("--client", help="also read this client's catalog folder (--data-dir/ID/catalog)")
    k.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the date to check on (default: today)")
    k.add_argument("--data-dir", type=Path, default=here, help="folder holding client folders (default: data/clients)")
    n = sub.add_parser("new-client", help="start a client folder: a data-collection workbook (--xlsx) or CSV headers")
    n.add_argument("client", metavar="CLIENT", help="client id (folder under --data-dir)")
    n.add_argument("--xlsx", action="store_true", help="write client.xlsx (one sheet per table, drop-down lists, "
                                                       "instructions in English and French) instead of CSV files")
    n.add_argument("--data-dir", type=Path, default=here, help="folder holding client folders (default: data/clients)")


def _catalog(args) -> int:
    # start-up speed: pandas, pandera, pydantic, YAML (~0.45 s), only for `impactlib catalog`
    from impactlib.analysis.staleness import check
    from impactlib.io.catalog import load_catalog

    if args.months < 0:
        print("error: --months must be 0 or more", file=sys.stderr)
        return 2
    try:
        folder = args.data_dir / check_name(args.client) / "catalog" if args.client else None
        catalog = load_catalog(folder, f"{args.client}/" if args.client else "")
    except InvalidInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    today = args.today or dt.date.today()
    found = check(catalog, today, args.months)
    for r in found.itertuples():
        print(f"{'✗' if r.fails else ' '} {r.problem:<21} {r.product_id} {r.version}".rstrip() + f": {r.detail}")
    bad = int(found["fails"].sum())
    print(f"catalog check on {today.isoformat()} (--months {args.months}): {count(bad, 'problem')} to fix, "
          f"{len(found) - bad} listed for information")
    return 1 if bad else 0


def _import_glpi(args) -> int:
    # start-up speed: pandas, pandera, pydantic, YAML, plotly, Babel (~0.55 s), only for `impactlib import-glpi`
    from impactlib.analysis.compat import readiness
    from impactlib.io import glpi
    from impactlib.io.files import write_all
    from impactlib.report.imports import import_summary
    from impactlib.io.catalog import load_catalog

    try:
        cid = check_name(args.client)
        _check_data_dir(args.data_dir)
        folder = args.data_dir / cid
        catalog = load_catalog(folder / "catalog", f"{cid}/")
    except (InvalidInput, BadRequest) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if folder.is_symlink():  # the files would be written wherever it leads
        print(f"error: {folder} is a symbolic link: refused, nothing written", file=sys.stderr)
        return 2
    problems = [Problem(str(p), None, None, "no such file or folder") for p in args.paths if not p.exists()]
    imp = glpi.import_glpi([p for p in args.paths if p.exists()], catalog, problems)
    if problems:
        print(f"error: {count(len(problems), 'inventory problem')}, nothing written:", file=sys.stderr)
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
    for note in imp.notes:  # counts only: a screened host name is never printed
        print(f"note: {note}")
    if (folder / "client.xlsx").is_file():
        print(f"note: {folder / 'client.xlsx'} is there too: leave its assets and dependencies sheets empty, "
              "or the client will not load (a table cannot be in both)")
    print(f"written: {', '.join(str(folder / n) for n in files)}")
    return 0


def _new_client(args) -> int:
    from impactlib.io import workbook  # start-up speed: pandas, pandera, pydantic, YAML (~0.4 s), only for `impactlib new-client`

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


DATA_COMMANDS = {"import-glpi": _import_glpi, "new-client": _new_client, "catalog": _catalog}


# --- the register of issued reports: issue, history, diff, record-decisions, letters (impactlib/run/register.py)

def _add_register_commands(sub) -> None:
    here = argparse.SUPPRESS
    reg_help = "folder of the clients' registers (default: $IMPACTLIB_REGISTER, else register)"
    i = sub.add_parser("issue", help="record that a produced report was sent to the client: archive it with its SHA-256 in the "
                                     "client's register (register/<client>/), with the validation workbook to return")
    i.add_argument("client", metavar="CLIENT", help="client id (a folder under --data-dir)")
    i.add_argument("--scenario", help="scenario name (default: the client's default_scenario)")
    i.add_argument("--lang", help="report language: en or fr (default: the client's language)")
    i.add_argument("--recipient", action="append", required=True, metavar="ROLE",
                   help="role the report is sent to (repeat for several), e.g. --recipient CEO --recipient CFO")
    i.add_argument("--out", type=Path, default=Path("reports"), help="folder the report was produced in (default: reports)")
    h = sub.add_parser("history", help="list a client's register (issued reports, recorded decisions, letters), verified")
    h.add_argument("client", metavar="CLIENT", help="client id")
    d = sub.add_parser("diff", help="findings new, resolved and changed between two issued versions of a client's report")
    d.add_argument("client", metavar="CLIENT", help="client id")
    d.add_argument("v1", metavar="V1", help="issued version, e.g. v1")
    d.add_argument("v2", metavar="V2", help="issued version, e.g. v2")
    rd = sub.add_parser("record-decisions", help="record the decisions of a validation workbook the client returned "
                                                 "(checked against the issued version it belongs to)")
    rd.add_argument("client", metavar="CLIENT", help="client id")
    rd.add_argument("sheet", type=Path, metavar="FILE.xlsx", help="the returned <scenario>.<lang>.decisions.xlsx")
    lt = sub.add_parser("letters", help="write the warning letters due (blocker/high findings refused, or unanswered after "
                                        "--delay days) into the client's register, HTML and PDF")
    lt.add_argument("client", metavar="CLIENT", help="client id")
    lt.add_argument("--scenario", help="scenario name (default: the client's default_scenario)")
    lt.add_argument("--lang", help="letter language: en or fr (default: the client's language)")
    lt.add_argument("--delay", type=int, default=None, metavar="DAYS",
                    help="days the client has to answer an issued finding (default: $IMPACTLIB_LETTER_DELAY, else 15)")
    lt.add_argument("--date", type=date_arg, default=None, metavar="YYYY-MM-DD", help="date of the letters (default: today)")
    lt.add_argument("--no-pdf", action="store_true", help="write the HTML letters only")
    for p in (i, h, d, rd, lt):
        p.add_argument("--register-dir", type=Path, default=None, help=reg_help)
        p.add_argument("--data-dir", type=Path, default=here, help="folder holding client folders (default: data/clients)")


def date_arg(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _register_command(args) -> int:
    from impactlib.io.register import register_dir  # start-up speed: its json, tempfile, csv (~8 ms), only for register commands

    root = register_dir(args.register_dir)
    try:
        check_name(args.client)
        return REGISTER_COMMANDS[args.command](args, root)
    except ImpactlibError as e:
        if isinstance(e, InvalidInput):
            print(f"{args.client}: refused, nothing written: {count(len(e.problems), 'problem')} in the {e.what}:", file=sys.stderr)
            for p in e.problems:
                print(f"  {p}", file=sys.stderr)
        else:
            print(f"error: {e}", file=sys.stderr)
        return e.exit_code


def _issue(args, root: Path) -> int:
    from impactlib.run import register  # start-up speed: pandas, pandera, plotly, Babel (~0.55 s), only for this command

    e = register.issue(args.data_dir, args.client, args.scenario, args.lang, args.recipient, args.out, root)
    print(f"{args.client}: issued {e['version']} ({e['scenario']}.{e['lang']}, report of {e['date']}) to {', '.join(e['recipients'])}")
    for f in e["files"]:
        print(f"  {root / args.client / f['path']}  sha256 {f['sha256']}")
    print(f"register head: {e['hash']}  (keep it outside this machine, e.g. in the e-mail sending the report)")
    return 0


def _history(args, root: Path) -> int:
    from impactlib.run import register  # start-up speed: pandas, pandera, plotly, Babel (~0.55 s), only for this command

    entries = register.history(root, args.client)
    if not entries:
        print(f"{args.client}: nothing issued yet ({root / args.client})")
        return 0
    for e in entries:
        if e["kind"] == "issue":
            what = (f"issued {e['version']} {e['scenario']}.{e['lang']} (report of {e['date']}) to {', '.join(e['recipients'])}; "
                    f"{len(e['findings'])} findings; inputs {e['fingerprint'][:12]}, impactlib {e['impactlib']}, catalog {e['catalog'][:12]}")
        elif e["kind"] == "decisions":
            counts = {}
            for d in e["decisions"]:
                counts[d["decision"]] = counts.get(d["decision"], 0) + 1
            what = f"decisions on {e['version']}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + f" (from {e['source']})"
        else:
            what = "letters: " + ", ".join(f"{x['finding_id']} ({x['state']})" for x in e["letters"])
        print(f"{e['seq']:>3}  {e['at']}  {what}")
    print(f"register verified: {len(entries)} entries chained, archived files intact; head {entries[-1]['hash']}")
    return 0


def _diff(args, root: Path) -> int:
    from impactlib.run import register  # start-up speed: pandas, pandera, plotly, Babel (~0.55 s), only for this command

    changes = register.diff(root, args.client, args.v1, args.v2)
    if changes.empty:
        print(f"{args.client}: no finding changed between {args.v1} and {args.v2}")
    for r in changes.itertuples():
        print(f"{r.change:<9} {r.severity or '':<8} {r.id}")
    return 0


def _record_decisions(args, root: Path) -> int:
    from impactlib.run import register  # start-up speed: pandas, pandera, plotly, Babel (~0.55 s), only for this command

    e = register.record_decisions(args.client, args.sheet, root)
    print(f"{args.client}: {count(len(e['decisions']), 'decision')} on {e['version']} recorded (entry {e['seq']}); "
          f"sheet archived as {root / args.client / e['files'][0]['path']}")
    print(f"register head: {e['hash']}")
    return 0


def _letters(args, root: Path) -> int:
    import datetime as dt

    from impactlib.run import register  # start-up speed: pandas, pandera, plotly, Babel (~0.55 s), only for this command

    delay = args.delay if args.delay is not None else _env_delay()
    written, entry = register.letters(args.data_dir, args.client, args.scenario, args.lang, root, delay,
                                      args.date or dt.date.today(), pdf=not args.no_pdf)
    if not written:
        print(f"{args.client}: no warning letter due (delay {delay} days)")
        return 0
    for x in written:
        print(f"{args.client}: {x.finding_id} ({x.state}): {x.html}" + (f", {x.pdf}" if x.pdf else ""))
    print(f"register head: {entry['hash']}")
    return 0


def _env_delay() -> int:
    from impactlib.run.register import DEFAULT_DELAY_DAYS  # start-up speed, as above: only `impactlib letters` reads it

    raw = os.environ.get("IMPACTLIB_LETTER_DELAY", "")
    if not raw:
        return DEFAULT_DELAY_DAYS
    if not raw.isdigit():
        raise BadRequest(f"IMPACTLIB_LETTER_DELAY={raw!r} is not a number of days")
    return int(raw)


REGISTER_COMMANDS = {"issue": _issue, "history": _history, "diff": _diff, "record-decisions": _record_decisions, "letters": _letters}


if __name__ == "__main__":
    sys.exit(main())

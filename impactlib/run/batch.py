"""Every client's reports in one command: parallel, fault-isolated, incremental, with a portfolio page.

Why it is built this way (numbers in docs/benchmarks.md):

- Each report goes through the one runner (impactlib.run.report.produce): the pre-flight loads and
  checks the client before any kernel is used, then a fresh kernel serves that report only. Kernels are
  forked from a zygote that imported impactlib once and never sees client data (impactlib.run.zygote);
  a pool gets them ready ahead of use while other reports run.
- A report that fails (bad data, an unknown scenario, a raising cell, a dead kernel, a timeout) gets a
  status file saying why, with the kind of error; the executed notebook is kept as ``<stem>.failed.ipynb``;
  every other report goes on.
- Everything is written atomically and a report's status is written last; on Ctrl-C or SIGTERM every
  kernel is killed before the command returns and nothing half-written stays.
- A report whose inputs (client files, impactlib's code and catalog, the notebook template, the
  parameters) are unchanged since its last successful run is skipped, without loading the client,
  starting a kernel or importing the notebook machinery: a no-change rerun is a hash of files.
- Each scenario's headline is kept beside the status files under the fingerprint of its inputs; the
  reports of one client run one after the other (when there are at least as many clients as jobs), so a
  client's second report gets the other scenarios' headlines for its comparison section instead of
  assessing them again.
- ``--dask-scheduler`` hands the same per-report function to a Dask cluster (impactlib.run.cluster); every
  path is absolute before a task leaves, and the workers must see the same data and output folders.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from impactlib.errors import BadRequest, InternalError, InvalidInput, error_kind
from impactlib.io.files import write_atomic
from impactlib.io.fingerprint import check_name, folder_fingerprint, unknown_client
from impactlib.model.names import LANGUAGES, count
from impactlib.run import runner
from impactlib.run.kernels import KernelPool, kill_all_kernels
from impactlib.run.runner import ASSETS, CLIENT_STEM, PLOTLY_FILE, STATUS_SUFFIX, Options, Task, status_path  # noqa: F401


# --- what to produce -----------------------------------------------------------------------------

def discover(data_dir: Path, clients: list[str] | None, scenarios: list[str] | None,
             langs: list[str] | None) -> tuple[list[Task], list[str]]:
    """The reports asked for, and every unknown client id, scenario or language (all listed at once).

    Cheap on purpose (YAML of client.yaml and a folder listing, no pandas): it runs on every no-change
    rerun; the pre-flight of each report that has to run checks the rest. ``clients`` None means every
    folder of ``data_dir``. Client folders are absolute in the tasks.
    """
    import yaml  # start-up speed: ~11 ms, only when client folders are read (not for campaign's load_statuses)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when installed: ~10x faster on a no-change rerun
    problems: list[str] = []
    data_dir = Path(data_dir).resolve()
    if clients is None:
        if not data_dir.is_dir():
            return [], [f"no folder {data_dir}"]
        clients = sorted(p.name for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    for lang in langs or []:
        if lang not in LANGUAGES:
            problems.append(f"unknown language '{lang}'; available: {', '.join(LANGUAGES)}")
    tasks: list[Task] = []
    for cid in dict.fromkeys(clients):
        try:
            check_name(cid)
        except InvalidInput as e:
            problems.append(str(e.problems[0]))
            continue
        folder = data_dir / cid
        if not folder.is_dir():
            problems.append(f"unknown client '{cid}': {unknown_client(data_dir, cid)}")
            continue
        try:
            profile = yaml.load((folder / "client.yaml").read_text(encoding="utf-8"), Loader=loader)
            default, language, name = profile["default_scenario"], profile["language"], str(profile.get("name", cid))
            check_name(default, "scenario name")
        except Exception:  # noqa: BLE001 - unreadable: the report's pre-flight says exactly what is wrong, in its status
            tasks.append(Task(cid, str(folder), None, None, cid))
            continue
        available = sorted(p.stem for p in (folder / "scenarios").glob("*.yaml"))
        for sc in scenarios or [default]:
            if sc not in available:
                problems.append(f"client '{cid}': no scenario '{sc}'; available: {', '.join(available) or 'none'}")
                continue
            for lang in langs or [language]:
                if lang in LANGUAGES:
                    tasks.append(Task(cid, str(folder), sc, lang, name, sc == default))
    return tasks, problems


# --- fingerprints and statuses -------------------------------------------------------------------

def fingerprint(task: Task, opts: Options) -> str:
    """Hash of everything one report depends on: impactlib's code, the template, the output mode, the
    client's files, the parameters. The report date is left out: a report is not redone because a day passed."""
    h = hashlib.sha256(f"{runner.code_fingerprint()}|{opts.kernel_name}|{opts.self_contained}".encode())
    h.update(runner.template_of(task, opts).read_bytes())
    h.update(json.dumps([task.client, task.scenario, task.lang, list(task.compared)]).encode())
    h.update(folder_fingerprint(Path(task.client_dir)).encode())
    h.update(register_head(task.client).encode())  # a report issued or a decision recorded changes the report
    return h.hexdigest()


def register_head(client_id: str) -> str:
    """The SHA-256 of the client's register file (empty when it has none), for the fingerprint."""
    from impactlib.io.register import FILE, register_dir  # a small module; kept out of a plain batch's start-up imports

    path = register_dir() / client_id / FILE
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def read_status(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(status: dict | None, fp: str, out: Path, task: Task) -> bool:
    """The last run succeeded with these very inputs and its report is still there."""
    return (status is not None and status.get("status") == "ok" and status.get("fingerprint") == fp
            and (out / task.client / f"{task.stem}.html").is_file())


def load_statuses(out: Path) -> list[dict]:
    """Every status file under ``out`` (one folder per client), sorted by client, scenario, language."""
    found = []
    for path in sorted(Path(out).glob(f"*/*{STATUS_SUFFIX}")):
        st = read_status(path)
        if st is not None and isinstance(st.get("client"), str):
            found.append(st)
    return sorted(found, key=lambda s: (s["client"], s.get("scenario") or "", s.get("lang") or ""))


def write_index(out: Path, lang: str = "en", self_contained: bool = False) -> Path:
    """reports/index.html: the portfolio page of every status file under ``out``, in ``lang``."""
    from impactlib.report.portfolio import portfolio_page  # start-up speed: a no-change rerun does not rewrite the page

    shared = not self_contained and (Path(out) / ASSETS / PLOTLY_FILE).is_file()
    page = portfolio_page(load_statuses(out), lang, runner.scripts_head(lang, ASSETS if shared else None),
                          dt.datetime.now(dt.timezone.utc))
    return write_atomic(Path(out) / "index.html", page.encode("utf-8"))


# --- the batch -----------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What a batch did: statuses of the reports run, how many were skipped, whether it was interrupted."""

    statuses: list[dict]
    skipped: int
    interrupted: bool = False


def run_batch(tasks: list[Task], opts: Options, *, jobs: int = 2, force: bool = False, retry_failed: bool = False,
              dask_scheduler: str | None = None, progress: bool | None = None, echo=print, page_lang: str = "en") -> Outcome:
    """Produce the reports of ``tasks`` that need it; write the statuses and the portfolio page (in ``page_lang``)."""
    opts = opts.resolved()
    out = Path(opts.out)
    todo: list[tuple[Task, str]] = []
    skipped = 0
    for task in tasks:
        fp = fingerprint(task, opts)
        st = read_status(status_path(out, task))
        run = (st is not None and st.get("status") == "failed") if retry_failed else (force or not is_current(st, fp, out, task))
        if run:
            todo.append((task, fp))
        else:
            skipped += 1
    out.mkdir(parents=True, exist_ok=True)
    if not opts.self_contained:
        runner.ensure_assets(out)
    result = Outcome([], skipped)
    if todo:
        runner.light_imports()
        bar = _Progress(len(todo), skipped, progress, echo)
        if dask_scheduler:
            # start-up speed: dask and distributed (~0.4 s) only with --dask-scheduler (test_dask_is_not_imported_without_the_option)
            from impactlib.run.cluster import run_dask

            statuses, interrupted = run_dask(todo, opts, dask_scheduler, bar)
        else:
            runner.Exporter.prepare()  # while the first kernels start
            statuses, interrupted = _run_local(todo, opts, jobs, bar)
        result = Outcome(statuses, skipped, interrupted)
    if todo or not index_is_current(out, page_lang):
        write_index(out, page_lang, self_contained=opts.self_contained)
    return result


def index_is_current(out: Path, lang: str) -> bool:
    """reports/index.html is in ``lang`` and newer than every status file: a no-change rerun leaves it be."""
    index = Path(out) / "index.html"
    try:
        with index.open(encoding="utf-8") as f:
            head = f.read(200)
        made = index.stat().st_mtime_ns
    except OSError:
        return False
    return f'<html lang="{lang}">' in head and all(p.stat().st_mtime_ns <= made for p in Path(out).glob(f"*/*{STATUS_SUFFIX}"))


class _Progress:
    """One overall bar (tqdm, on a terminal only) and one line per finished report, always."""

    def __init__(self, total: int, skipped: int, bar: bool | None, echo):
        self.total, self.done, self.echo = total, 0, echo
        self.lock = threading.Lock()
        bar = sys.stderr.isatty() if bar is None else bar
        self.bar = None
        if bar:
            from tqdm import tqdm  # start-up speed: ~20 ms, only when a progress bar is shown (a terminal, or asked)

            self.bar = tqdm(total=total, unit="report", desc="reports", file=sys.stderr)
        if skipped:
            self.line(f"{count(skipped, 'report')} up to date, skipped")

    def line(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text)
        else:
            self.echo(text, flush=True)

    def finished(self, task: Task, status: dict | None) -> None:
        with self.lock:
            self.done += 1
            if status is None:
                return
            what = f"[{self.done}/{self.total}] {task.client}/{task.stem}"
            if status["status"] == "ok":
                self.line(f"{what}: ok ({status['seconds']:.1f} s) {status.get('html', '')}")
            else:
                where = status.get("cell") or {}
                cell = f" in cell {where['index']}" + (f", line {where['line']}" if "line" in where else "") if where else ""
                reason = status.get("reason", "").splitlines()[0] if status.get("reason") else ""
                self.line(f"{what}: FAILED ({status['kind']}{cell}): {reason}")
            if self.bar is not None:
                self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def chains(todo: list[tuple[Task, str]], jobs: int) -> list[list[tuple[Task, str]]]:
    """The reports in runs that go one after the other: one run per client when there are at least ``jobs``
    clients (a client's later reports get the headlines its first one kept), else one run per report."""
    by_client: dict[str, list] = {}
    for item in todo:
        by_client.setdefault(item[0].client, []).append(item)
    if len(by_client) >= jobs:
        return list(by_client.values())
    return [[item] for item in todo]


def _run_local(todo, opts: Options, jobs: int, progress: _Progress) -> tuple[list[dict], bool]:
    """Run ``todo`` here, ``jobs`` reports at a time, on kernels forked ahead: the statuses, and whether interrupted."""
    # start-up speed: pandas and pydantic (~0.34 s) only when some report has to run; a no-change rerun skips them
    from impactlib.run.report import produce

    cancel = threading.Event()
    pool = KernelPool(opts.kernel_name, ready=jobs, total=len(todo), starters=jobs)
    result = Outcome([], 0)

    def work(chain):
        for task, fp in chain:
            if cancel.is_set():
                return
            status = produce(task, opts, fp, cancel=cancel, get_kernel=pool.get, forgo=pool.forgo)
            progress.finished(task, status)
            if status is not None:
                result.statuses.append(status)

    previous = signal.signal(signal.SIGTERM, _raise_interrupt) if threading.current_thread() is threading.main_thread() else None
    ex = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="report")
    try:
        for f in as_completed([ex.submit(work, chain) for chain in chains(todo, jobs)]):
            f.result()
    except KeyboardInterrupt:
        result.interrupted = True
        progress.line("interrupted: killing kernels; finished reports are kept, unfinished ones are not written")
    finally:
        if result.interrupted or sys.exc_info()[0] is not None:
            cancel.set()
            kill_all_kernels()
            pool.close(waiting=jobs)
        ex.shutdown(wait=True, cancel_futures=True)
        pool.close(waiting=jobs)
        kill_all_kernels()
        progress.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return result.statuses, result.interrupted


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


# --- command line --------------------------------------------------------------------------------

def main(args) -> int:
    """``impactlib batch``: exit 0 all produced or up to date, 1 a report failed, 2 bad input or request, 130 interrupted."""
    data_dir = Path(args.data_dir)
    if not args.all and not args.clients:
        print("error: name at least one CLIENT, or use --all", file=sys.stderr)
        return BadRequest.exit_code
    if args.jobs < 1:
        print("error: -j must be at least 1", file=sys.stderr)
        return BadRequest.exit_code
    tasks, problems = discover(data_dir, None if args.all else list(args.clients), args.scenario, args.lang)
    page_lang = args.portfolio_lang or next((lang for lang in args.lang or [] if lang in LANGUAGES), "en")
    if page_lang not in LANGUAGES:
        problems.append(f"unknown portfolio language '{page_lang}'; available: {', '.join(LANGUAGES)}")
        page_lang = "en"
    if problems:
        print("unknown in the request (nothing started for these):", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        if args.strict:
            print("--strict: nothing run", file=sys.stderr)
            return BadRequest.exit_code
    opts = Options(out=str(args.out), timeout=float(args.timeout), self_contained=args.self_contained)
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)  # kill -TERM cleans up like Ctrl-C
    try:
        outcome = run_batch(tasks, opts, jobs=args.jobs, force=args.force, retry_failed=args.retry_failed,
                            dask_scheduler=args.dask_scheduler, page_lang=page_lang)
    except KeyboardInterrupt:
        kill_all_kernels()
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    failed = [s for s in outcome.statuses if s.get("status") != "ok"]
    print(f"{len(outcome.statuses) - len(failed)} produced, {len(failed)} failed, {outcome.skipped} up to date; "
          f"portfolio: {Path(args.out) / 'index.html'}")
    if outcome.interrupted:
        return 130
    codes = [BadRequest.exit_code] if problems else []
    codes += [error_kind(s.get("kind") or InternalError.kind).exit_code for s in failed]
    return max(codes, default=0)

"""One report: the pre-flight (a typed check before any kernel starts), then the one runner.

:func:`produce` is what a batch runs for each report, locally or on a Dask worker, and never raises for the
report's own failure (it returns its status); :func:`run` and :func:`run_comparison` are ``impactlib
report`` and ``impactlib compare``: a batch of one that raises the failure's typed error instead and writes
only the report's files (no status file).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from impactlib import __version__
from impactlib.errors import (BadRequest, ImpactlibError, InternalError, KernelDied, KernelStartError, ReportError,
                              error_kind)
from impactlib.io.folder import load_client
from impactlib.io.fingerprint import check_name
from impactlib.model.client import Client
from impactlib.model.vocab import LANGUAGES
from impactlib.run import runner
from impactlib.run.kernels import KERNEL, START_RETRIES, start_kernel
from impactlib.run.runner import COMPARISON, EXPORTS, TEMPLATE, Options, Task  # noqa: F401 - the names callers use

KNOWN = "known"  # the template parameter that receives the headlines the runner already has
ISSUED = "issued"  # the template parameter that receives the client's register: last issued report, decisions (roles only)
PARALLEL = "parallel"  # the template parameter that lets its kernel fork to assess the other scenarios (run/ahead.py)
LOADED = "loaded"  # the template parameter that receives the client the pre-flight loaded (impactlib.io.snapshot)


@dataclass(frozen=True)
class Report:
    """Where one produced report lives."""

    client: str
    scenario: str
    lang: str
    html: Path
    notebook: Path
    exports: tuple[Path, ...] = ()  # the spreadsheets written beside the report (its kernel wrote them)


# --- the pre-flight ------------------------------------------------------------------------------

def preflight(task: Task, opts: Options, client: Client | None = None) -> tuple[Client, dict]:
    """Load and check the client (unless given, loaded from ``task.client_dir``), the scenario(s) and the
    language, and the notebook parameters; return the client and the parameters of its report. Nothing is
    started or written.

    Raises InvalidInput for bad client data (every problem, each with file, row and column) and BadRequest
    for an unknown scenario or language, listing the available ones, or parameters the template does not declare.
    """
    client = client or load_client(Path(task.client_dir))
    available = ", ".join(sorted(client.scenarios))
    if task.compared:
        unknown = [s for s in task.compared if s not in client.scenarios]
        if unknown[:1] == [task.compared[0]]:
            raise BadRequest(f"{client.id}: no scenario '{unknown[0]}'; available: {available}")
        if unknown or len(set(task.compared)) < 2:
            raise BadRequest(f"{client.id}: compare two or more distinct scenarios"
                             + (f"; unknown: {', '.join(unknown)}" if unknown else "") + f"; available: {available}")
    elif task.scenario is None:
        raise BadRequest(f"{client.id}/client.yaml: default_scenario or language unreadable")
    elif task.scenario not in client.scenarios:
        raise BadRequest(f"{client.id}: no scenario '{task.scenario}'; available: {available}")
    for name in task.compared or (task.scenario,):
        check_name(name, "scenario name")
    if task.lang not in LANGUAGES:
        raise BadRequest(f"{client.id}: no language '{task.lang}'; available: {', '.join(LANGUAGES)}")
    params = {"client": client.id, "lang": task.lang, "data_dir": str(Path(task.client_dir).resolve().parent),
              "report_date": opts.report_date or dt.date.today().isoformat()}
    template = runner.template_of(task, opts)
    if task.compared:
        params["scenarios"] = ",".join(task.compared)
    else:
        params["scenario"] = task.scenario
        if opts.record and KNOWN in declared_parameters(template):
            params[KNOWN] = runner.cached_headlines(opts.out, client, sorted(set(client.scenarios) - {task.scenario}))
        if ISSUED in declared_parameters(template):
            from impactlib.io.register import kernel_view, register_dir  # only for a template that takes the register

            view = kernel_view(register_dir(), client.id, task.scenario, task.lang)
            if view:
                params[ISSUED] = view
    check_parameters(params, template)
    return client, params


def task_for(client: Client, client_dir: str | Path, scenario: str | None = None, lang: str | None = None,
             compared: tuple[str, ...] = ()) -> Task:
    """The Task of one report of ``client`` (loaded from ``client_dir``): its default scenario and language unless given."""
    return Task(client.id, str(Path(client_dir).resolve()), scenario or (None if compared else client.profile.default_scenario),
                lang or client.profile.language, client.profile.name, compared=tuple(compared))


_DECLARED: dict = {}
_DECLARED_LOCK = threading.Lock()


def declared_parameters(template: Path | str = TEMPLATE) -> dict:
    """The parameters the template's ``parameters`` cell declares (papermill's reading), read once per file state."""
    path = Path(template)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _DECLARED_LOCK:
        if key not in _DECLARED:
            runner.light_imports()
            # start-up speed: papermill (~0.27 s) only when a template is read, and after light_imports() so that
            # jsonschema, which it imports, leaves out rfc3987_syntax (~0.75 s)
            import papermill

            _DECLARED[key] = papermill.inspect_notebook(str(path))
        return _DECLARED[key]


def check_parameters(parameters: dict, template: Path | str = TEMPLATE) -> None:
    """Refuse parameters the notebook does not declare, or of another type than its default's (BadRequest)."""
    declared = declared_parameters(template)
    problems = []
    for key, value in parameters.items():
        if key not in declared:
            problems.append(f"unknown parameter '{key}' (declared: {', '.join(declared)})")
            continue
        expected = declared[key]["inferred_type_name"]  # from the cell's annotation, e.g. `lang: str = "en"`
        if expected != type(value).__name__:
            problems.append(f"parameter '{key}' must be {expected}, got {type(value).__name__} {value!r}")
    if problems:
        raise BadRequest(f"{Path(template).name}: " + "; ".join(problems))


# --- one report, for a batch ---------------------------------------------------------------------

def produce(task: Task, opts: Options, fp: str = "", kernel=None, cancel: threading.Event | None = None,
            get_kernel=None, forgo=None, planned: tuple[Client, dict] | None = None) -> dict | None:
    """Pre-flight, then run the report of ``task``; return its status (written to its status file when
    ``opts.record``), or None if cancelled.

    Never raises for the report's own failure: bad data, an unknown scenario, a raising cell, a dead kernel,
    a timeout or an export error become a "failed" status with the kind of error, the reason and the cell.
    The kernel: ``kernel``, else ``get_kernel()`` (a pool's), else a new one; it is killed before returning.
    ``forgo()`` is called instead of ``get_kernel()`` when the pre-flight fails; ``planned``: the pre-flight's
    result when the caller already has it.
    """
    cancel = cancel or threading.Event()
    started = time.time()
    status = {"client": task.client, "scenario": "+".join(task.compared) if task.compared else task.scenario,
              "lang": task.lang, "title": task.title, "default_scenario": task.default, "fingerprint": fp,
              "version": __version__, "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    timings: dict[str, float] = {}
    try:
        t0 = time.perf_counter()
        try:
            client, params = planned or preflight(task, opts)
        except ImpactlibError as e:
            if kernel is None and forgo is not None:
                forgo()
            return _finish(opts, task, status, started, {"status": "failed", "kind": e.kind, "reason": str(e)}, cancel)
        timings["preflight"] = time.perf_counter() - t0
        status["title"] = client.profile.name
        t0 = time.perf_counter()
        try:
            kernel = kernel or (get_kernel() if get_kernel is not None else start_kernel(opts.kernel_name))
        except KernelStartError as e:
            if cancel.is_set():
                return None
            return _finish(opts, task, status, started, {"status": "failed", "kind": e.kind, "reason": str(e)}, cancel)
        timings["kernel"] = time.perf_counter() - t0
        for attempt in range(1, START_RETRIES + 1):
            outcome = runner.run_notebook(replace(task, title=client.profile.name), handed_over(task, opts, client, params, kernel),
                                          opts, kernel, cancel)
            if outcome is None:
                return None
            # a kernel that died before running any cell (e.g. "Kernel died before replying to kernel_info"
            # under load) is a kernel start failure: another kernel is tried, as the kernel pool does
            if not (outcome["status"] == "failed" and outcome.get("kind") == KernelDied.kind and "cell" not in outcome) \
                    or attempt == START_RETRIES:
                break
            try:
                kernel = start_kernel(opts.kernel_name)
            except KernelStartError as e:
                if cancel.is_set():
                    return None
                return _finish(opts, task, status, started, {"status": "failed", "kind": e.kind, "reason": str(e)}, cancel)
        outcome["timings"] = {**{k: round(v, 3) for k, v in timings.items()}, **outcome["timings"]}
        return _finish(opts, task, status, started, outcome, cancel)
    except Exception as e:  # noqa: BLE001 - a bug or an I/O error fails this report, never the batch
        if cancel.is_set():
            return None
        return _finish(opts, task, status, started, {"status": "failed", "kind": InternalError.kind,
                                                     "reason": f"{type(e).__name__}: {e}"[:1000]}, cancel)
    finally:
        if kernel is not None:
            kernel.close()


def handed_over(task: Task, opts: Options, client: Client, params: dict, kernel) -> dict:
    """``params`` with the pre-flight's loaded client handed to ``kernel`` through its private folder, when the
    template takes it: the kernel does not read and check the client's files a second time; and the folder where
    the kernel, which holds the analysis, writes the report's spreadsheets (the runner puts them beside the report)."""
    folder = getattr(kernel, "folder", None)
    declared = declared_parameters(runner.template_of(task, opts))
    if task.compared or folder is None:
        return params
    if EXPORTS in declared:
        params = {**params, EXPORTS: {"folder": str(Path(folder) / "exports"), "formats": list(opts.exports)}}
    if LOADED not in declared:
        return params
    from impactlib.io import snapshot  # start-up speed: pickle only when a report runs

    return {**params, LOADED: snapshot.give(client, folder)}


def _finish(opts: Options, task: Task, status: dict, started: float, outcome: dict, cancel: threading.Event) -> dict | None:
    if cancel.is_set():
        return None
    status = {**status, **outcome, "seconds": round(time.time() - started, 3)}
    if opts.record:
        runner.write_status(Path(opts.out), task, status)
    return status


# --- impactlib report / compare: a batch of one --------------------------------------------------

def run(client_dir: str | Path, scenario: str | None = None, lang: str | None = None, out_dir: str | Path = "reports", *,
        template: Path = TEMPLATE, kernel_name: str = KERNEL, timeout: int = 600, exports: tuple[str, ...] = ()) -> Report:
    """Produce ``<out_dir>/<client>/<scenario>.<lang>.html`` and the executed notebook beside it.

    Raises InvalidInput or BadRequest before any kernel starts, and the ReportError of the failure
    (CellError, KernelDied, ReportTimeout...) when the report fails; a failed cell's notebook is kept as
    ``<scenario>.<lang>.failed.ipynb`` and an earlier report stays as it was. ``exports``: ("xlsx",) also writes the
    findings, the training plan and the Windows 11 worklist as spreadsheets (a big client's departments workbook is
    written in any case).
    """
    early = _early_kernel(Path(client_dir), kernel_name)
    try:
        client = load_client(Path(client_dir))
        return _one(client, task_for(client, client_dir, scenario, lang),
                    Options(out=str(out_dir), timeout=timeout, template=str(template), kernel_name=kernel_name,
                            self_contained=True, record=False, exports=tuple(exports)), early)
    finally:
        if early is not None:
            early.close()  # not handed to the report (the pre-flight refused the client): no kernel is left behind


def run_comparison(client_dir: str | Path, scenarios: list[str], lang: str | None = None, out_dir: str | Path = "reports", *,
                   kernel_name: str = KERNEL, timeout: int = 600) -> Report:
    """Produce ``<out_dir>/<client>/compare.<s1>+<s2>….<lang>.html`` comparing two or more scenarios."""
    client = load_client(Path(client_dir))
    if not scenarios:
        raise BadRequest(f"{client.id}: compare two or more distinct scenarios; available: {', '.join(sorted(client.scenarios))}")
    return _one(client, task_for(client, client_dir, None, lang, tuple(scenarios)),
                Options(out=str(out_dir), timeout=timeout, kernel_name=kernel_name, self_contained=True, record=False))


EARLY_KERNEL_BYTES = 4_000_000  # a client folder this big takes a second or more to read and check (10,000 staff: ~6 MB)


class _EarlyKernel:
    """A report's kernel started in a thread while the pre-flight reads and checks a big client's files (on two cores
    the ~2 s of a kernel's start then hide behind the load); handed to the report once the pre-flight passes."""

    def __init__(self, kernel_name: str):
        self.kernel, self.taken = None, False
        self.thread = threading.Thread(target=self._start, args=(kernel_name,), name="impactlib-early-kernel", daemon=True)
        self.thread.start()

    def _start(self, kernel_name: str) -> None:
        try:
            self.kernel = start_kernel(kernel_name)
        except KernelStartError:  # the report then starts its own, and says why if that fails too
            self.kernel = None

    def take(self):
        self.thread.join()
        self.taken = True
        return self.kernel

    def close(self) -> None:
        if not self.taken:
            self.thread.join()
            if self.kernel is not None:
                self.kernel.close()


def _early_kernel(folder: Path, kernel_name: str) -> _EarlyKernel | None:
    try:
        size = sum(e.stat().st_size for e in os.scandir(folder) if e.is_file())
    except OSError:  # no such folder: the pre-flight says so
        return None
    return _EarlyKernel(kernel_name) if size >= EARLY_KERNEL_BYTES else None


def _one(client: Client, task: Task, opts: Options, early: _EarlyKernel | None = None) -> Report:
    opts = opts.resolved()
    planned = preflight(task, opts, client)
    if early is not None and not task.compared and PARALLEL in declared_parameters(runner.template_of(task, opts)):
        # a single report of a big client: its kernel is the only busy process, the other core assesses the other
        # scenarios (a batch keeps both cores busy with reports)
        planned[1][PARALLEL] = True
    runner.Exporter.prepare()  # while the kernel runs
    # the kernel started, retried and reported as the batch does
    status = produce(task, opts, kernel=early.take() if early is not None else None, planned=planned)
    folder = Path(opts.out) / task.client
    if status["status"] != "ok":
        where = status.get("cell") or {}
        cell = f"cell {where['index']}" + (f", line {where['line']} ({where['source']})" if "line" in where else "") + " raised " if where else ""
        kept = f" (executed notebook kept in {Path(opts.out) / status['notebook']})" if status.get("notebook") else ""
        kind = error_kind(status["kind"])
        raise (kind if issubclass(kind, ReportError) else ReportError)(f"{task.client}/{task.stem}: {cell}{status['reason']}{kept}")
    return Report(task.client, status["scenario"], task.lang, folder / f"{task.stem}.html", folder / f"{task.stem}.ipynb",
                  tuple(Path(opts.out) / p for p in status.get("exports", ())))

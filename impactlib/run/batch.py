"""Every client's reports in one command: parallel, fault-isolated, incremental, with a portfolio page.

Why it is built this way (numbers in docs/benchmarks.md):

- One fresh kernel per report, never reused: modules, caches and plotly settings of one client must
  not reach the next. A new kernel costs ~0.9 s of CPU before it runs a line (Python, ipykernel,
  pandas, plotly, impactlib imports), so kernels are forked from a zygote that imported them once
  and never sees client data (impactlib/zygote.py), and a pool gets them ready ahead of use while
  other reports run; each kernel serves one report, then is killed.
- A report that fails (bad data, a raising cell, a dead kernel, a timeout) gets a status file saying
  why; the executed notebook is kept as ``<stem>.failed.ipynb``; every other report goes on.
- Everything is written atomically and a report's status is written last; on Ctrl-C or SIGTERM
  every kernel is killed before the command returns and nothing half-written stays.
- A report whose inputs (client files, catalog, notebook template, impactlib source, parameters)
  are unchanged since its last successful run is skipped, without starting a kernel or importing
  the notebook machinery: a no-change rerun is a hash of files.
- ``--dask-scheduler`` hands the same per-report function to a Dask cluster (no home-made
  scheduler); workers must see the same data and output folders (shared file system).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import html
import json
import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

from impactlib import __version__
from impactlib.errors import ImpactlibError, InvalidInput
from impactlib.io.load import check_name
from impactlib.report.summary import HEADLINE_MIME, HEADLINE_TAG
from impactlib.io.files import write_atomic
from impactlib.run.report import KERNEL, TEMPLATE
from impactlib.model.schema import LANGUAGES

PACKAGE = Path(__file__).resolve().parent
ASSETS = "_assets"
PLOTLY_FILE = "plotly.min.js"
STATUS_SUFFIX = ".status.json"
CLIENT_STEM = "_client"  # status of a client whose folder could not even tell its default scenario
WARM_CODE = "import impactlib, impactlib.report"  # modules only: no client data before the report
START_RETRIES = 3
EXCERPT = 300


# --- what to produce -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    """One report to produce: a client, a scenario and a language (scenario None: client.yaml unreadable)."""

    client: str
    scenario: str | None
    lang: str | None
    client_dir: str
    title: str = ""
    default: bool = True  # the client's default scenario (the portfolio charts count that one)

    @property
    def stem(self) -> str:
        return f"{self.scenario}.{self.lang}" if self.scenario and self.lang else CLIENT_STEM


@dataclass(frozen=True)
class Options:
    """Settings shared by every report of a batch (picklable: sent to Dask workers)."""

    out: str = "reports"
    timeout: float = 600.0
    template: str = str(TEMPLATE)
    self_contained: bool = False
    kernel_name: str = KERNEL
    report_date: str = ""


def status_path(out: Path | str, task: Task) -> Path:
    return Path(out) / task.client / f"{task.stem}{STATUS_SUFFIX}"


def discover(data_dir: Path, clients: list[str] | None, scenarios: list[str] | None,
             langs: list[str] | None) -> tuple[list[Task], list[str]]:
    """The reports asked for, and every unknown client id, scenario or language (all listed at once).

    Cheap on purpose (YAML of client.yaml and a folder listing, no pandas): it runs before any
    kernel starts and on every no-change rerun. ``clients`` None means every folder of ``data_dir``.
    """
    import yaml

    problems: list[str] = []
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
            problems.append(f"unknown client '{cid}': no folder {folder}")
            continue
        try:
            profile = yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8"))
            default, language, name = profile["default_scenario"], profile["language"], str(profile.get("name", cid))
            check_name(default, "scenario name")
        except Exception:  # noqa: BLE001 - unreadable: the report run says exactly what is wrong, in its status
            tasks.append(Task(cid, None, None, str(folder), cid))
            continue
        available = sorted(p.stem for p in (folder / "scenarios").glob("*.yaml"))
        for sc in scenarios or [default]:
            if sc not in available:
                problems.append(f"client '{cid}': no scenario '{sc}'; available: {', '.join(available) or 'none'}")
                continue
            for lang in langs or [language]:
                if lang in LANGUAGES:
                    tasks.append(Task(cid, sc, lang, str(folder), name, sc == default))
    return tasks, problems


# --- fingerprints and statuses -------------------------------------------------------------------

def shared_fingerprint(opts: Options) -> str:
    """Hash of what every report depends on: impactlib's code, catalog and templates, the notebook, the output mode."""
    h = hashlib.sha256(f"{__version__}|{opts.kernel_name}|{opts.self_contained}".encode())
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for p in [*files, Path(opts.template)]:
        h.update(str(p.relative_to(PACKAGE) if p.is_relative_to(PACKAGE) else p.name).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def fingerprint(task: Task, shared: str) -> str:
    """Hash of everything one report depends on: the shared part, the client's files, the parameters.

    The report date is left out: a report is not redone because a day passed.
    """
    h = hashlib.sha256(shared.encode())
    h.update(json.dumps([task.client, task.scenario, task.lang]).encode())
    folder = Path(task.client_dir)
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def read_status(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(status: dict | None, fp: str, out: Path, task: Task) -> bool:
    """The last run succeeded with these very inputs and its report is still there."""
    return (status is not None and status.get("status") == "ok" and status.get("fingerprint") == fp
            and (out / task.client / f"{task.stem}.html").is_file())


# --- kernels -------------------------------------------------------------------------------------

class KernelStartError(ImpactlibError):
    """No kernel could be started (after retries)."""


_LIVE: set = set()
_LIVE_LOCK = threading.Lock()


class Kernel:
    """A kernel over Unix sockets, started and warmed (impactlib imported), used for one report only."""

    def __init__(self, kernel_name: str, zygote=None):
        from .report import new_ipc_kernel

        self.km, self.folder = new_ipc_kernel(kernel_name, asynchronous=True)
        self.closed = False
        if zygote is not None:  # forked from the zygote (impactlib already imported) instead of a new Python
            import uuid

            from impactlib.run.zygote import ForkProvisioner

            self.km.kernel_id = str(uuid.uuid4())
            self.km.provisioner = ForkProvisioner(kernel_id=self.km.kernel_id, kernel_spec=self.km.kernel_spec, parent=self.km)
            self.km.provisioner.zygote = zygote
        with _LIVE_LOCK:
            _LIVE.add(self)

    def start(self, timeout: float = 60.0) -> Kernel:
        from jupyter_core.utils import run_sync

        # IMPACTLIB_KERNEL_DIR: impactlib.run.kernel puts its output pipe in this folder, removed when the kernel is killed
        run_sync(self.km.start_kernel)(cwd=self.folder, env={**os.environ, "IMPACTLIB_KERNEL_DIR": self.folder})
        kc = self.km.blocking_client()  # the warm-up only; nbclient makes its own (async) client
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
            msg_id = kc.execute(WARM_CODE, silent=True, store_history=False)
            while True:
                reply = kc.get_shell_msg(timeout=timeout)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if reply["content"]["status"] != "ok":
                raise KernelStartError(f"kernel could not import impactlib: {reply['content'].get('evalue')}")
        finally:
            kc.stop_channels()
        return self

    def kill(self) -> None:
        """Kill the kernel's process group at once (safe from any thread or a signal handler)."""
        pgid = getattr(self.km.provisioner, "pgid", None) if self.km.has_kernel else None
        if pgid:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        from .report import close_ipc_kernel

        try:
            self.kill()
            close_ipc_kernel(self.km, self.folder, now=True)
        except Exception:  # noqa: BLE001 - already dead; the folder is removed in close_ipc_kernel's finally
            pass
        with _LIVE_LOCK:
            _LIVE.discard(self)


def start_kernel(kernel_name: str, retries: int = START_RETRIES, zygote=None) -> Kernel:
    """A started, warmed kernel; a kernel that fails to start or answer is killed and another tried."""
    errors = []
    for _ in range(retries):
        k = Kernel(kernel_name, zygote)
        try:
            return k.start()
        except Exception as e:  # noqa: BLE001 - port/socket clash, kernel not answering: try a fresh one
            errors.append(f"{type(e).__name__}: {e}")
            k.close()
    raise KernelStartError(f"no kernel started after {retries} attempts: {'; '.join(errors)}")


def kill_all_kernels() -> None:
    """Kill every kernel this process started and has not closed (interrupt, exit)."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for k in live:
        k.kill()
    for k in live:
        k.close()


class KernelPool:
    """Kernels started ahead of use, at most ``ready`` waiting, ``total`` in all; each is handed out once."""

    def __init__(self, kernel_name: str, ready: int, total: int, starters: int, fork: bool = True):
        self.kernel_name, self.remaining = kernel_name, total
        self.zygote = None
        if fork and total > 1:
            from impactlib.run.zygote import Zygote

            try:
                self.zygote = Zygote()
            except (OSError, RuntimeError):
                self.zygote = None  # kernels then start as new processes, as without the pool
        self.q: queue.Queue = queue.Queue()
        self.slots = threading.Semaphore(ready)
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.threads = [threading.Thread(target=self._fill, daemon=True, name=f"kernel-starter-{i}")
                        for i in range(max(1, min(starters, total)))]
        for t in self.threads:
            t.start()

    def _fill(self) -> None:
        while True:
            self.slots.acquire()
            with self.lock:
                if self.closed.is_set() or self.remaining <= 0:
                    self.slots.release()
                    return
                self.remaining -= 1
            try:
                item = start_kernel(self.kernel_name, zygote=self.zygote)
            except KernelStartError as e:
                item = e
            if self.closed.is_set() and isinstance(item, Kernel):
                item.close()
                return
            self.q.put(item)

    def get(self) -> Kernel:
        item = self.q.get()
        self.slots.release()
        if item is None:
            raise KernelStartError("batch interrupted")
        if isinstance(item, Exception):
            raise item
        return item

    def close(self, waiting: int = 0) -> None:
        """Stop starting kernels, close the unused ones and wake ``waiting`` blocked getters."""
        self.closed.set()
        for _ in self.threads:
            self.slots.release()
        for t in self.threads:
            t.join(timeout=30)
        while True:
            try:
                item = self.q.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, Kernel):
                item.close()
        for _ in range(waiting):
            self.q.put(None)
        if self.zygote is not None:
            self.zygote.close()


# --- one report ----------------------------------------------------------------------------------

class _Template:
    """The notebook template, read once per process (the fingerprint covers its bytes)."""

    _cache: dict = {}
    _lock = threading.Lock()

    @classmethod
    def get(cls, path: str):
        with cls._lock:
            if path not in cls._cache:
                from papermill.iorw import load_notebook_node  # as papermill reads it (adds the tags lists it expects)

                cls._cache[path] = load_notebook_node(path)
            return cls._cache[path]


def light_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` (~0.75 s, measured), before anything imports jsonschema.

    jsonschema imports it only to check the "iri" string format, which no notebook schema uses; it is
    installed because jupyterlab's event schemas want it. Harmless if jsonschema is already imported.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def produce(task: Task, fp: str, opts: Options, kernel: Kernel | None = None,
            cancel: threading.Event | None = None) -> dict | None:
    """Run one report and return its status (also written to its status file); None if cancelled.

    Never raises for a report's own failure: bad data, a raising cell, a dead kernel, a timeout or
    an export error become a "failed" status with the reason and the cell. ``kernel`` None starts
    one here (Dask workers); the kernel is always killed before returning.
    """
    light_imports()
    cancel = cancel or threading.Event()
    out = Path(opts.out)
    started = time.time()
    timings: dict[str, float] = {}
    status = {"client": task.client, "scenario": task.scenario, "lang": task.lang, "title": task.title,
              "default_scenario": task.default, "fingerprint": fp, "version": __version__,
              "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    try:
        if task.scenario is None:
            return _finish(out, task, status, started, _bad_client(task), cancel)
        if kernel is None:
            t0 = time.perf_counter()
            try:
                kernel = start_kernel(opts.kernel_name)
            except KernelStartError as e:
                return _finish(out, task, status, started, {"status": "failed", "kind": "kernel_start", "reason": str(e)}, cancel)
            timings["kernel_start"] = time.perf_counter() - t0
        result = _execute(task, opts, kernel, timings, cancel)
        if result is None:
            return None
        nb, outcome = result
        kernel.close()
        outcome["timings"] = {k: round(v, 3) for k, v in timings.items()}
        return _finish(out, task, status, started, outcome, cancel, nb, opts.self_contained)
    except Exception as e:  # noqa: BLE001 - a bug or an I/O error fails this report, never the batch
        if cancel.is_set():
            return None
        return _finish(out, task, status, started, {"status": "failed", "kind": "internal_error",
                                                    "reason": f"{type(e).__name__}: {e}"[:1000]}, cancel)
    finally:
        if kernel is not None:
            kernel.close()


def _bad_client(task: Task) -> dict:
    """The outcome for a client whose client.yaml could not tell the default scenario: load it to say why."""
    from .report import plan

    try:
        plan(Path(task.client_dir), None, None)
    except InvalidInput as e:
        return {"status": "failed", "kind": "bad_input", "reason": str(e)}
    except ImpactlibError as e:
        return {"status": "failed", "kind": "bad_input", "reason": str(e)}
    return {"status": "failed", "kind": "bad_input", "reason": f"{task.client}/client.yaml: default_scenario or language unreadable"}


def _execute(task: Task, opts: Options, kernel: Kernel, timings: dict, cancel: threading.Event):
    """Execute the parameterised notebook on ``kernel``; return (notebook, outcome) or None if cancelled."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.parameterize import parameterize_notebook

    params = {"client": task.client, "scenario": task.scenario, "lang": task.lang,
              "data_dir": str(Path(task.client_dir).resolve().parent), "report_date": opts.report_date or dt.date.today().isoformat()}
    nb = parameterize_notebook(copy.deepcopy(_Template.get(opts.template)), params, kernel_name=opts.kernel_name)
    current = {"index": None}
    timed_out = threading.Event()

    def on_timeout():
        timed_out.set()
        kernel.kill()

    client = NotebookClient(nb, km=kernel.km, kernel_name=opts.kernel_name, timeout=int(max(1, opts.timeout)),
                            allow_errors=False, on_cell_start=lambda cell, cell_index: current.update(index=cell_index))
    watchdog = threading.Timer(opts.timeout, on_timeout)
    watchdog.daemon = True
    t0 = time.perf_counter()
    watchdog.start()
    outcome: dict = {"status": "ok"}
    try:
        client.execute()
    except CellExecutionError as e:
        kind = "bad_input" if e.ename == "InvalidInput" else "cell_error"
        outcome = {"status": "failed", "kind": kind, "reason": f"{e.ename}: {e.evalue}"[:4000]}
    except CellTimeoutError:
        outcome = {"status": "failed", "kind": "timeout", "reason": f"a cell ran longer than the {opts.timeout:g} s timeout"}
    except (DeadKernelError, CellControlSignal, RuntimeError, OSError) as e:
        if timed_out.is_set():
            outcome = {"status": "failed", "kind": "timeout", "reason": f"the report ran longer than the {opts.timeout:g} s timeout"}
        else:
            outcome = {"status": "failed", "kind": "kernel_died", "reason": f"the kernel died: {type(e).__name__}: {e}"[:1000]}
    finally:
        watchdog.cancel()
        if client.kc is not None:
            client.kc.stop_channels()
        timings["execute"] = time.perf_counter() - t0
    if cancel.is_set():
        return None
    if outcome["status"] == "failed" and current["index"] is not None:
        cell = nb.cells[current["index"]]
        outcome["cell"] = {"index": current["index"], "source": cell.source[:EXCERPT]}
    return nb, outcome


def _finish(out: Path, task: Task, status: dict, started: float, outcome: dict, cancel: threading.Event, nb=None,
            self_contained: bool = False) -> dict | None:
    """Write the report (ok) or the failed notebook, then the status file; nothing if cancelled."""
    import nbformat

    folder = out / task.client
    if cancel.is_set():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    timings = outcome.setdefault("timings", {})
    if outcome["status"] == "ok":
        headline = _take_headline(nb)
        t0 = time.perf_counter()
        body = None
        try:
            from .report import export_html

            text = nbformat.writes(nb)
            plotly_js = None if self_contained or not (out / ASSETS / PLOTLY_FILE).is_file() else f"../{ASSETS}/{PLOTLY_FILE}"
            body = export_html(_without_headline(nb), title=f"{task.title} — {task.scenario}", lang=task.lang, plotly_js=plotly_js)
        except Exception as e:  # noqa: BLE001 - an export failure fails this report only
            outcome = {"status": "failed", "kind": "export_error", "reason": f"{type(e).__name__}: {e}"[:1000], "timings": timings}
        timings["export"] = round(time.perf_counter() - t0, 3)
        if cancel.is_set():
            return None
        if body is not None:
            write_atomic(folder / f"{task.stem}.html", body.encode("utf-8"))
            write_atomic(folder / f"{task.stem}.ipynb", text.encode("utf-8"))
            (folder / f"{task.stem}.failed.ipynb").unlink(missing_ok=True)
            outcome["headline"] = headline
            outcome["html"] = f"{task.client}/{task.stem}.html"
            outcome["notebook"] = f"{task.client}/{task.stem}.ipynb"
    if outcome["status"] == "failed" and nb is not None:
        failed = folder / f"{task.stem}.failed.ipynb"
        write_atomic(failed, nbformat.writes(nb).encode("utf-8"))
        outcome["notebook"] = f"{task.client}/{failed.name}"
    status = {**status, **outcome, "seconds": round(time.time() - started, 3)}
    write_atomic(status_path(out, task), json.dumps(status, indent=1, ensure_ascii=False, default=str).encode("utf-8"))
    if task.stem != CLIENT_STEM:
        status_path(out, Task(task.client, None, None, task.client_dir)).unlink(missing_ok=True)
    return status


def _take_headline(nb) -> dict | None:
    for cell in reversed(nb.cells):
        if HEADLINE_TAG in cell.metadata.get("tags", []):
            for o in cell.get("outputs", []):
                if HEADLINE_MIME in o.get("data", {}):
                    return dict(o["data"][HEADLINE_MIME])
    return None


def _without_headline(nb):
    import nbformat

    d = copy.copy(nb)
    d.cells = [c for c in nb.cells if HEADLINE_TAG not in c.metadata.get("tags", [])]
    return nbformat.from_dict(d)


# --- the batch -----------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What a batch did: statuses of the reports run, how many were skipped, whether it was interrupted."""

    statuses: list[dict]
    skipped: int
    interrupted: bool = False


def ensure_assets(out: Path) -> None:
    """reports/_assets/plotly.min.js: the one copy of plotly.js the batch's reports share (offline)."""
    from plotly.offline import get_plotlyjs

    data = get_plotlyjs().encode("utf-8")
    path = out / ASSETS / PLOTLY_FILE
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


def run_batch(tasks: list[Task], opts: Options, *, jobs: int = 2, force: bool = False, retry_failed: bool = False,
              dask_scheduler: str | None = None, progress: bool | None = None, echo=print) -> Outcome:
    """Produce the reports of ``tasks`` that need it; write the statuses and the portfolio page."""
    out = Path(opts.out)
    shared = shared_fingerprint(opts)
    todo: list[tuple[Task, str]] = []
    skipped = 0
    for task in tasks:
        fp = fingerprint(task, shared)
        st = read_status(status_path(out, task))
        if retry_failed:
            run = st is not None and st.get("status") == "failed"
        else:
            run = force or not is_current(st, fp, out, task)
        if run:
            todo.append((task, fp))
        else:
            skipped += 1
    out.mkdir(parents=True, exist_ok=True)
    if not opts.self_contained:
        ensure_assets(out)
    result = Outcome([], skipped)
    if todo:
        opts = Options(**{**asdict(opts), "report_date": opts.report_date or dt.date.today().isoformat()})
        light_imports()
        if any(t.scenario for t, _ in todo):
            from .report import check_parameters

            first = next(t for t, _ in todo if t.scenario)
            check_parameters({"client": first.client, "scenario": first.scenario, "lang": first.lang, "data_dir": "",
                              "report_date": opts.report_date}, Path(opts.template))
        runner = _run_dask if dask_scheduler else _run_local
        result = runner(todo, opts, jobs, dask_scheduler, _Progress(len(todo), skipped, progress, echo))
        result.skipped = skipped
    write_index(out, self_contained=opts.self_contained)
    return result


class _Progress:
    """One overall bar (tqdm, on a terminal only) and one line per finished report, always."""

    def __init__(self, total: int, skipped: int, bar: bool | None, echo):
        self.total, self.done, self.echo = total, 0, echo
        bar = sys.stderr.isatty() if bar is None else bar
        self.bar = None
        if bar:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", desc="reports", file=sys.stderr)
        if skipped:
            self._line(f"{skipped} report(s) up to date, skipped")

    def _line(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text)
        else:
            self.echo(text, flush=True)

    def finished(self, task: Task, status: dict | None) -> None:
        self.done += 1
        if status is None:
            return
        what = f"[{self.done}/{self.total}] {task.client}/{task.stem}"
        if status["status"] == "ok":
            self._line(f"{what}: ok ({status['seconds']:.1f} s) {status.get('html', '')}")
        else:
            cell = f" in cell {status['cell']['index']}" if status.get("cell") else ""
            reason = status.get("reason", "").splitlines()[0] if status.get("reason") else ""
            self._line(f"{what}: FAILED ({status['kind']}{cell}): {reason}")
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run_local(todo, opts: Options, jobs: int, _address, progress: _Progress) -> Outcome:
    cancel = threading.Event()
    need = sum(1 for t, _ in todo if t.scenario)
    pool = KernelPool(opts.kernel_name, ready=jobs, total=need, starters=jobs)
    result = Outcome([], 0)
    previous = signal.signal(signal.SIGTERM, _raise_interrupt) if threading.current_thread() is threading.main_thread() else None
    ex = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="report")
    try:
        futures = {ex.submit(_work, task, fp, opts, pool, cancel): task for task, fp in todo}
        for f in as_completed(futures):
            status = f.result()
            progress.finished(futures[f], status)
            if status is not None:
                result.statuses.append(status)
    except KeyboardInterrupt:
        result.interrupted = True
        progress._line("interrupted: killing kernels; finished reports are kept, unfinished ones are not written")
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
    return result


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _work(task: Task, fp: str, opts: Options, pool: KernelPool, cancel: threading.Event) -> dict | None:
    if cancel.is_set():
        return None
    kernel = None
    if task.scenario is not None:
        try:
            kernel = pool.get()
        except KernelStartError as e:
            if cancel.is_set():
                return None
            status = {"client": task.client, "scenario": task.scenario, "lang": task.lang, "title": task.title,
                      "default_scenario": task.default, "fingerprint": fp, "version": __version__}
            return _finish(Path(opts.out), task, status, time.time(), {"status": "failed", "kind": "kernel_start", "reason": str(e)}, cancel)
    return produce(task, fp, opts, kernel, cancel)


def _run_dask(todo, opts: Options, jobs: int, address: str, progress: _Progress) -> Outcome:
    """The same reports as tasks of a Dask cluster: each task starts its own kernel where it runs."""
    from dask.distributed import Client, as_completed as dask_completed

    result = Outcome([], 0)
    with Client(address) as client:
        futures = {client.submit(produce, task, fp, opts, key=f"impactlib-{task.client}-{task.stem}-{fp[:12]}", pure=False): task
                   for task, fp in todo}
        try:
            for f in dask_completed(list(futures)):
                task = futures[f]
                try:
                    status = f.result()
                except Exception as e:  # noqa: BLE001 - the worker itself failed (lost, out of memory)
                    status = {"client": task.client, "scenario": task.scenario, "lang": task.lang, "status": "failed",
                              "kind": "worker_error", "reason": f"{type(e).__name__}: {e}"[:1000], "seconds": 0.0}
                progress.finished(task, status)
                if status is not None:
                    result.statuses.append(status)
        except KeyboardInterrupt:
            result.interrupted = True
            client.cancel(list(futures))
        finally:
            progress.close()
    return result


# --- the portfolio page --------------------------------------------------------------------------

VERDICT_LABELS = {"go": "Go", "go_with_conditions": "Go with conditions", "not_ready": "Not ready", "failed": "Report failed"}
VERDICT_COLOURS = {"go": "#2e7d32", "go_with_conditions": "#f9a825", "not_ready": "#c62828", "failed": "#616161"}


def load_statuses(out: Path) -> list[dict]:
    """Every status file under ``out`` (one folder per client), sorted by client, scenario, language."""
    found = []
    for path in sorted(out.glob(f"*/*{STATUS_SUFFIX}")):
        st = read_status(path)
        if st is not None and isinstance(st.get("client"), str):
            found.append(st)
    return sorted(found, key=lambda s: (s["client"], s.get("scenario") or "", s.get("lang") or ""))


def portfolio_rows(statuses: list[dict]) -> list[dict]:
    """One status per client for the charts: its default scenario's report (else its first), failures counted once."""
    by_client: dict[str, dict] = {}
    for st in statuses:
        best = by_client.get(st["client"])
        rank = (st.get("status") != "ok", not st.get("default_scenario", False))
        if best is None or rank < (best.get("status") != "ok", not best.get("default_scenario", False)):
            by_client[st["client"]] = st
    return [by_client[c] for c in sorted(by_client)]


def write_index(out: Path, self_contained: bool = False) -> Path:
    """reports/index.html: every report with status, verdict, headline figures and links; two portfolio charts."""
    statuses = load_statuses(out)
    page = render_index(statuses, _plotly_head(out, self_contained))
    path = out / "index.html"
    write_atomic(path, page.encode("utf-8"))
    return path


def _plotly_head(out: Path, self_contained: bool) -> str:
    if self_contained or not (out / ASSETS / PLOTLY_FILE).is_file():
        from plotly.offline import get_plotlyjs

        return f'<script type="text/javascript">{get_plotlyjs()}</script>'
    return f'<script type="text/javascript" src="{ASSETS}/{PLOTLY_FILE}"></script>'


def _num(v, digits: int = 0) -> str:
    return "—" if v is None else f"{v:,.{digits}f}"


def render_index(statuses: list[dict], plotly_head: str) -> str:
    """The portfolio page as a string; every client-supplied string is escaped."""
    e = lambda v: html.escape("" if v is None else str(v), quote=True)  # noqa: E731
    rows = []
    for st in statuses:
        h = st.get("headline") or {}
        ok = st.get("status") == "ok"
        verdict = h.get("verdict") if ok else "failed"
        findings = h.get("findings") or {}
        links = []
        if st.get("html") and ok:
            links.append(f'<a href="{e(quote(st["html"]))}">report</a>')
        if st.get("notebook"):
            links.append(f'<a href="{e(quote(st["notebook"]))}">notebook</a>')
        reason = ""
        if not ok:
            cell = f" (cell {st['cell']['index']}: <code>{e(st['cell']['source'][:80])}</code>)" if st.get("cell") else ""
            reason = f'<div class="reason">{e(st.get("kind"))}: {e((st.get("reason") or "").splitlines()[0][:300] if st.get("reason") else "")}{cell}</div>'
        rows.append(
            f'<tr class="{"ok" if ok else "failed"}"><td>{e(st.get("title") or st["client"])}<br><code>{e(st["client"])}</code></td>'
            f'<td>{e(st.get("scenario") or "—")}</td><td>{e(st.get("lang") or "—")}</td>'
            f'<td><span class="badge" style="background:{VERDICT_COLOURS.get(verdict, "#999")}">{e(VERDICT_LABELS.get(verdict, verdict or "—"))}</span>{reason}</td>'
            f'<td class="n">{_num(findings.get("blocker"))}</td><td class="n">{_num(findings.get("high"))}</td>'
            f'<td class="n">{_num(h.get("cost_p50"))} {e(h.get("currency") or "")}</td><td>{e(h.get("first_go_live") or "—")}</td>'
            f'<td class="n">{_num(h.get("people_affected"))}</td><td class="n">{_num(h.get("trainer_hours"), 1)}</td>'
            f'<td>{" · ".join(links)}</td></tr>')
    clients = portfolio_rows(statuses)
    counts = {k: 0 for k in VERDICT_LABELS}
    months: dict[str, float] = {}
    for st in clients:
        v = (st.get("headline") or {}).get("verdict") if st.get("status") == "ok" else "failed"
        counts[v if v in counts else "failed"] += 1
        if st.get("status") == "ok":
            for m, hours in ((st.get("headline") or {}).get("trainer_hours_by_month") or {}).items():
                months[m] = months.get(m, 0.0) + float(hours)
    risk = {"data": [{"type": "bar", "x": [VERDICT_LABELS[k] for k in counts], "y": list(counts.values()),
                      "marker": {"color": [VERDICT_COLOURS[k] for k in counts]}}],
            "layout": {"title": {"text": "Clients by readiness (default scenario)"}, "yaxis": {"title": {"text": "clients"}, "dtick": 1},
                       "margin": {"t": 50, "b": 60}, "height": 360}}
    ms = sorted(months)
    hours = {"data": [{"type": "bar", "x": ms, "y": [round(months[m], 1) for m in ms], "marker": {"color": "#1565c0"}}],
             "layout": {"title": {"text": "Trainer hours the provider must deliver per month (all clients)"},
                        "yaxis": {"title": {"text": "trainer hours"}}, "xaxis": {"type": "category"}, "margin": {"t": 50, "b": 60}, "height": 360}}
    total = len(statuses)
    failed = sum(1 for s in statuses if s.get("status") != "ok")
    charts = "".join(
        f'<div id="{name}" class="chart"></div><script>Plotly.newPlot("{name}", {_js(fig["data"])}, {_js(fig["layout"])}, '
        f'{{"displaylogo": false, "responsive": true}});</script>' for name, fig in (("risk-chart", risk), ("hours-chart", hours)))
    head = ("<th>Client</th><th>Scenario</th><th>Lang</th><th>Status / verdict</th><th>Blockers</th><th>High</th><th>Cost P50</th>"
            "<th>First go-live</th><th>People affected</th><th>Trainer hours</th><th>Links</th>")
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' 'self'; style-src 'unsafe-inline' 'self'; img-src data: 'self'; font-src data: 'self'">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Portfolio — impact reports</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}} table{{border-collapse:collapse;width:100%;font-size:.9rem}}
th,td{{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}} td.n{{text-align:right}}
.badge{{color:#fff;border-radius:.3rem;padding:.1rem .4rem;white-space:nowrap}} tr.failed{{background:#fff3f3}}
.reason{{font-size:.8rem;color:#8a1c1c;margin-top:.2rem}} .charts{{display:grid;grid-template-columns:1fr 1fr;gap:1rem}}
</style>
{plotly_head}
</head><body>
<h1>Portfolio — impact reports</h1>
<p>{total} report(s), {total - failed} produced, {failed} failed. Generated {e(generated)} by impactlib {e(__version__)}. Confidential: for the provider's staff.</p>
<div class="charts">{charts}</div>
<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>
</body></html>
"""


def _js(value) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- command line --------------------------------------------------------------------------------

def main(args) -> int:
    """``impactlib batch``: exit 0 all produced or up to date, 1 a report failed, 2 bad input, 130 interrupted."""
    data_dir = Path(args.data_dir)
    if not args.all and not args.clients:
        print("error: name at least one CLIENT, or use --all", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print("error: -j must be at least 1", file=sys.stderr)
        return 2
    tasks, problems = discover(data_dir, None if args.all else list(args.clients), args.scenario, args.lang)
    if problems:
        print("unknown in the request (nothing started for these):", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        if args.strict:
            print("--strict: nothing run", file=sys.stderr)
            return 2
    opts = Options(out=str(args.out), timeout=float(args.timeout), self_contained=args.self_contained)
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)  # kill -TERM cleans up like Ctrl-C
    try:
        outcome = run_batch(tasks, opts, jobs=args.jobs, force=args.force, retry_failed=args.retry_failed,
                            dask_scheduler=args.dask_scheduler)
    except KeyboardInterrupt:
        kill_all_kernels()
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    failed = [s for s in outcome.statuses if s.get("status") != "ok"]
    ok = len(outcome.statuses) - len(failed)
    print(f"{ok} produced, {len(failed)} failed, {outcome.skipped} up to date; portfolio: {Path(args.out) / 'index.html'}")
    if outcome.interrupted:
        return 130
    if problems or any(s.get("kind") == "bad_input" for s in failed):
        return 2
    return 1 if failed else 0

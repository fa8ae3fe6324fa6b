"""The one notebook runner: a report template run with its parameters on a fresh kernel, then written out.

``impactlib report``, ``compare`` and ``batch`` (locally or on Dask workers) all produce a report through
:func:`run_notebook`: parameterise the template, execute it on a kernel that serves this report only, read
the headline the template recorded (a cell tagged HEADLINE_TAG) from the executed notebook, export the
HTML without that cell, and write ``<stem>.html`` and ``<stem>.ipynb`` atomically (``<stem>.failed.ipynb``
when a cell failed). Nothing is injected into the client's kernel: the template records its own headline.

A batch also keeps, beside its status files, each scenario's recorded headline under the fingerprint of
its inputs (impactlib's code and the client's files), and hands those of the other scenarios to the next
report of the same inputs, whose comparison section then need not assess them again.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import json
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from impactlib import __version__
from impactlib.errors import CellError, ExportError, KernelDied, ReportError, ReportTimeout
from impactlib.io.files import write_atomic
from impactlib.run.kernels import KERNEL

PACKAGE = Path(__file__).resolve().parents[1]
TEMPLATE = PACKAGE / "notebooks" / "client_report.ipynb"  # report templates ship inside the package
COMPARISON = PACKAGE / "notebooks" / "comparison.ipynb"
TEMPLATES_DIR = PACKAGE / "report" / "templates"  # the nbconvert template of the HTML export
ASSETS = "_assets"
PLOTLY_FILE = "plotly.min.js"
STATUS_SUFFIX = ".status.json"
HEADLINE_SUFFIX = ".headline.json"
CLIENT_STEM = "_client"  # status of a client whose folder could not even tell its default scenario
EXCERPT = 300
# libraries whose version can change a report's figures or HTML: part of the code fingerprint
LIBRARIES = ("pandas", "numpy", "pandera", "pydantic", "pyyaml", "babel", "plotly", "nbconvert")


# --- what to produce -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    """One report: a client, a scenario and a language; or, with ``compared``, a comparison of those scenarios.

    ``client_dir`` is absolute (a Dask worker may run in another folder); ``scenario`` None means the
    client folder could not even tell its default scenario (the pre-flight then says why).
    """

    client: str
    client_dir: str
    scenario: str | None
    lang: str | None
    title: str = ""
    default: bool = True  # the client's default scenario (the portfolio charts count that one)
    compared: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        if self.compared:
            return f"compare.{'+'.join(self.compared)}.{self.lang}"
        return f"{self.scenario}.{self.lang}" if self.scenario and self.lang else CLIENT_STEM


@dataclass(frozen=True)
class Options:
    """Settings shared by every report of a run (picklable: sent to Dask workers); paths absolute.

    ``record``: write a status file per report and keep the recorded headlines (a batch); a single
    ``impactlib report`` writes only the report's own files.
    """

    out: str = "reports"
    timeout: float = 600.0
    template: str = str(TEMPLATE)
    self_contained: bool = False
    kernel_name: str = KERNEL
    report_date: str = ""
    record: bool = True
    exports: tuple[str, ...] = ()  # spreadsheets asked of every report ("xlsx"); a big client's departments workbook always

    def resolved(self) -> Options:
        """The same options with absolute paths and today's date when none was given."""
        return Options(str(Path(self.out).resolve()), self.timeout, str(Path(self.template).resolve()), self.self_contained,
                       self.kernel_name, self.report_date or dt.date.today().isoformat(), self.record, tuple(self.exports))


def template_of(task: Task, opts: Options) -> Path:
    return COMPARISON if task.compared else Path(opts.template)


def status_path(out: Path | str, task: Task) -> Path:
    return Path(out) / task.client / f"{task.stem}{STATUS_SUFFIX}"


def write_status(out: Path, task: Task, status: dict) -> None:
    """The report's status file, written last; a client-level status (CLIENT_STEM) goes once a report has one."""
    folder = Path(out) / task.client
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(status_path(out, task), json.dumps(status, indent=1, ensure_ascii=False, default=str).encode("utf-8"))
    if task.stem != CLIENT_STEM:
        (folder / f"{CLIENT_STEM}{STATUS_SUFFIX}").unlink(missing_ok=True)


# --- fingerprints and the headline cache ---------------------------------------------------------

_CODE: list[str] = []


def code_fingerprint() -> str:
    """Hash of the code a report runs: impactlib's files (code, catalog, templates, notebooks), its version,
    Python's and the libraries' (LIBRARIES) versions. Computed once per process."""
    if not _CODE:
        from importlib.metadata import PackageNotFoundError, version

        h = hashlib.sha256(f"{__version__}|{sys.version}".encode())
        for lib in LIBRARIES:
            try:
                h.update(f"|{lib} {version(lib)}".encode())
            except PackageNotFoundError:
                h.update(f"|{lib} -".encode())
        for p in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(str(p.relative_to(PACKAGE)).encode())
            h.update(p.read_bytes())
        _CODE.append(h.hexdigest())
    return _CODE[0]


def inputs_key(client_fingerprint: str) -> str:
    """What a scenario's headline depends on: impactlib's code and the client's files (a stale key never matches)."""
    return hashlib.sha256(f"{code_fingerprint()}|{client_fingerprint}".encode()).hexdigest()


def headline_path(out: Path | str, client: str, scenario: str) -> Path:
    return Path(out) / client / f"{scenario}{HEADLINE_SUFFIX}"


def cached_headlines(out: Path | str, client, scenarios) -> dict:
    """The kept headlines of ``scenarios`` of ``client`` (a loaded Client) whose inputs are these very ones,
    as the report template's ``known`` parameter: ``{"fingerprint": ..., "headlines": {scenario: headline}}``."""
    key = inputs_key(client.fingerprint)
    found = {}
    for name in scenarios:
        try:
            kept = json.loads(headline_path(out, client.id, name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(kept, dict) and kept.get("key") == key and isinstance(kept.get("headline"), dict) \
                and kept["headline"].get("scenario") == name:
            found[name] = kept["headline"]
    return {"fingerprint": client.fingerprint, "headlines": found} if found else {}


def keep_headlines(out: Path | str, client: str, recorded: dict) -> None:
    """Keep the headlines a report recorded (its own and those it assessed) under their inputs' key."""
    key = inputs_key(recorded["fingerprint"])
    for head in (_own(recorded), *(recorded.get("assessed") or {}).values()):
        body = json.dumps({"key": key, "version": __version__, "headline": head}, ensure_ascii=False, sort_keys=True)
        write_atomic(headline_path(out, client, head["scenario"]), body.encode("utf-8"))


def _own(recorded: dict) -> dict:
    """The report's own headline, as the status file and the portfolio page carry it."""
    return {k: v for k, v in recorded.items() if k not in ("assessed", "fingerprint", "exports")}


EXPORTS = "exports"  # the template parameter that receives where its kernel writes the report's spreadsheets


def _written_tables(params: dict, headline: dict | None) -> dict[str, bytes]:
    """The spreadsheets the template's kernel wrote into its private folder (named in its headline record), by file
    name; only plain names of files in that folder (a name with a path in it is ignored)."""
    where = (params.get(EXPORTS) or {}).get("folder")
    if not where or not headline:
        return {}
    folder = Path(where)
    names = [n for n in headline.get("exports") or () if isinstance(n, str) and n == Path(n).name and n.endswith(".xlsx")]
    return {n: (folder / n).read_bytes() for n in names if (folder / n).is_file()}


def light_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` (~0.75 s, measured), before anything imports jsonschema.

    jsonschema imports it only to check the "iri" string format, which no notebook schema uses; it is
    installed because jupyterlab's event schemas want it. Harmless if jsonschema is already imported.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


# --- executing a notebook ------------------------------------------------------------------------

class _Template:
    """Report templates, read once per process while their files are unchanged."""

    _cache: dict = {}
    _lock = threading.Lock()

    @classmethod
    def get(cls, path: Path):
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with cls._lock:
            if key not in cls._cache:
                from papermill.iorw import load_notebook_node  # as papermill reads it (adds the tags lists it expects)

                cls._cache[key] = load_notebook_node(str(path))
            return cls._cache[key]


def parameterised(template: Path, params: dict, kernel_name: str):
    """A copy of ``template`` with ``params`` injected after its parameters cell, as papermill does."""
    import copy

    from papermill.parameterize import parameterize_notebook  # start-up speed: ~0.28 s, only for a report that runs

    return parameterize_notebook(copy.deepcopy(_Template.get(template)), params, kernel_name=kernel_name)


def execute(nb, kernel, timeout: float, cancel: threading.Event) -> tuple[ReportError | None, int | None]:
    """Run ``nb`` in place on ``kernel`` (started, used for this notebook only); past ``timeout`` seconds the
    kernel is killed. Returns the failure (None when every cell ran) and the index of the cell running then."""
    # start-up speed: nbclient (~0.17 s) only for a report that runs; a no-change batch rerun runs none
    from nbclient.exceptions import CellControlSignal, CellExecutionError, CellTimeoutError, DeadKernelError

    current = {"index": None}
    timed_out = threading.Event()

    def on_timeout():
        timed_out.set()
        kernel.kill()

    async def no_other_kernel(*args, **kwargs):
        raise DeadKernelError("the report's kernel is gone (killed: the batch stopping, or the timeout)")

    # nbclient starts a kernel of its own when the manager has none: when the report's kernel has just been killed
    # (Ctrl-C or SIGTERM stopping the batch), that kernel would be started without the report's private folder and
    # outlive the batch's clean-up; the report fails instead (KernelDied)
    kernel.km.start_kernel = no_other_kernel
    client = report_client()(nb, km=kernel.km, kernel_name=kernel.km.kernel_name, timeout=int(max(1, timeout)),
                            allow_errors=False, on_cell_start=lambda cell, cell_index: current.update(index=cell_index))
    watchdog = threading.Timer(timeout, on_timeout)
    watchdog.daemon = True
    watchdog.start()
    failure: ReportError | None = None
    try:
        client.execute()
    except CellExecutionError as e:
        failure = CellError(f"{e.ename}: {e.evalue}"[:4000])
    except CellTimeoutError:
        failure = ReportTimeout(f"a cell ran longer than the {timeout:g} s timeout")
    except (DeadKernelError, CellControlSignal, RuntimeError, OSError) as e:
        if timed_out.is_set():
            failure = ReportTimeout(f"the report ran longer than the {timeout:g} s timeout")
        else:
            failure = KernelDied(f"the kernel died: {type(e).__name__}: {e}"[:1000])
    finally:
        watchdog.cancel()
        if client.kc is not None:
            client.kc.stop_channels()
        atexit.unregister(client._cleanup_kernel)  # left registered by nbclient when its setup failed (no_other_kernel)
    return failure, current["index"]


# the fields of an output of each kind, in the order nbformat.v4.new_output sets them (the kernel's message content)
_OUTPUT_FIELDS = {"display_data": ("metadata", "data"), "execute_result": ("metadata", "data", "execution_count"),
                  "stream": ("name", "text"), "error": ("ename", "evalue", "traceback")}
_OUTPUT_CHECKED = ("0.11.",)  # the nbclient releases whose NotebookClient.output ReportClient.output was checked against


@functools.cache
def report_client():
    """nbclient's NotebookClient, whose outputs are checked against nbformat's schema by fastjsonschema instead of
    jsonschema (nbformat's default validator for a notebook; an output is checked through a ``$ref``, which only
    jsonschema takes). nbformat's ``output_from_msg`` validated each output with jsonschema: ~0.23 ms an output,
    8.8 of the batch process's ~110 CPU-ms a report (40 outputs); ~10 µs with fastjsonschema. Outputs the plain path
    would not take alike (a display id, a pending clear_output, an output hook such as a widget's) and nbclient
    releases not checked (_OUTPUT_CHECKED) go through nbclient's own ``output``."""
    # start-up speed: nbclient (~0.17 s) only for a report that runs, as in execute()
    import nbclient
    from nbclient import NotebookClient  # start-up speed, as above

    if not nbclient.__version__.startswith(_OUTPUT_CHECKED):
        return NotebookClient

    class ReportClient(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            """nbclient's output(), whose plain case (no hook, no pending clear, no display id) is these three lines."""
            if display_id or self.clear_before_next_output or msg["header"]["msg_type"] not in _OUTPUT_FIELDS \
                    or self.output_hook_stack[msg["parent_header"].get("msg_id")]:
                return super().output(outs, msg, display_id, cell_index)
            out = output_node(msg)  # what nbclient's output does then: the output appended to the cell's
            outs.append(out)
            return out

    return ReportClient


def output_node(msg: dict):
    """The output of IOPub message ``msg`` (display_data, execute_result, stream or error): the NotebookNode
    ``nbformat.v4.output_from_msg`` makes, checked against the same schema by fastjsonschema (ValidationError)."""
    from nbformat import NotebookNode  # start-up speed: imported already by nbclient when a report runs

    kind = msg["header"]["msg_type"]
    out = NotebookNode(output_type=kind)
    out.update((name, msg["content"][name]) for name in _OUTPUT_FIELDS[kind])
    _output_validator(kind).validate(out)
    return out


@functools.cache
def _output_validator(kind: str):
    """fastjsonschema's validator of nbformat's v4 schema definition of an output of ``kind``, built once."""
    # start-up speed: imported already by nbclient when a report runs
    import nbformat.v4
    from nbformat.json_compat import FastJsonSchemaValidator  # start-up speed, as above

    path = Path(nbformat.v4.__file__).parent / nbformat.v4.nbformat_schema[(nbformat.v4.nbformat, nbformat.v4.nbformat_minor)]
    return FastJsonSchemaValidator({**json.loads(path.read_text(encoding="utf-8")), "$ref": f"#/definitions/{kind}"})


def recorded_headline(nb) -> dict | None:
    """What the template's HEADLINE_TAG cell recorded (impactlib.report.summary.record), or None."""
    # start-up speed: the report package imports plotly, which a no-change batch never needs
    from impactlib.report.summary import HEADLINE_MIME, HEADLINE_TAG

    for cell in reversed(nb.cells):
        if HEADLINE_TAG in cell.metadata.get("tags", []):
            for o in cell.get("outputs", []):
                if HEADLINE_MIME in o.get("data", {}):
                    return dict(o["data"][HEADLINE_MIME])
    return None


_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")  # IPython's name for a frame of the cell's own code
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def failed_cell(cell, index: int) -> dict:
    """Where a report failed, for its status file: the cell's index and, where the cell's traceback names it, the
    line that raised (the template runs several sections per cell, one a line) and that line as ``source``; else
    the start of the cell's source."""
    lines = cell.source.splitlines()
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        for frame in output.get("traceback", []):
            found = _CELL_LINE.search(_ANSI.sub("", frame))
            if found and 1 <= int(found[1]) <= len(lines):
                line = int(found[1])
                return {"index": index, "line": line, "source": lines[line - 1].strip()[:EXCERPT]}
    return {"index": index, "source": cell.source[:EXCERPT]}


# --- the HTML export -----------------------------------------------------------------------------

class Exporter:
    """The offline HTML of executed reports: nbconvert's base templates with the report's own (impactlib),
    loaded once per process; outputs only (no code, prompts, stderr, the headline cell); plotly.js once."""

    _one: Exporter | None = None
    _lock = threading.Lock()

    def __init__(self):
        # start-up speed: nbconvert (~0.35 s) only when a report is exported, built once per process (prepare())
        from nbconvert.exporters import TemplateExporter

        self.exporter = TemplateExporter(template_name="impactlib", template_file="index.html.j2",
                                         extra_template_basedirs=[str(TEMPLATES_DIR)], exclude_input=True,
                                         exclude_input_prompt=True, exclude_output_prompt=True)
        self.exporter.output_mimetype = "text/html"
        self.exporter.display_data_priority = ["text/html", "text/plain"]
        self.css = "<style>" + report_css() + "</style>"
        self.template = self.exporter.template  # compiled here, once
        self.lock = threading.Lock()

    @classmethod
    def get(cls) -> Exporter:
        with cls._lock:
            if cls._one is None:
                cls._one = Exporter()
            return cls._one

    @classmethod
    def prepare(cls) -> None:
        """Build the exporter in a thread while a kernel runs (nbconvert's templates compiled and the report modules
        imported: ~0.6 CPU-s once per process, otherwise paid after the first report's last cell, on its path). A failure is left for
        :meth:`get`, where the report's HTML is made, to raise and report."""
        def build() -> None:
            try:
                cls.get()
                # and the report modules html() and recorded_headline() import (~0.4 s for a single report's runner)
                import impactlib.report.contents, impactlib.report.lean, impactlib.report.summary  # noqa: E401, F401
            except Exception:  # noqa: BLE001 - raised again by get() on the report's path
                pass

        if cls._one is None:
            threading.Thread(target=build, name="impactlib-exporter", daemon=True).start()

    def html(self, nb, title: str, lang: str, head: str) -> str:
        """The report page of executed notebook ``nb`` (not modified, not copied); ``head``: the scripts that load
        plotly.js and its locale (see :func:`scripts_head`)."""
        from nbformat import NotebookNode  # start-up speed: ~0.1 s, imported already by nbclient when a report is exported

        from impactlib.report.contents import with_contents  # start-up speed, as below
        from impactlib.report.lean import shared_templates  # start-up speed, as below
        from impactlib.report.summary import HEADLINE_TAG  # start-up speed (see recorded_headline)

        # one block (jp-Cell) per output, as when each section had its own cell: the template displays several
        # sections per cell (fewer kernel messages), the page and its contents list are unchanged by that
        cells = [NotebookNode(cell, outputs=[o]) for cell in nb.cells
                 if cell.get("cell_type") == "code" and HEADLINE_TAG not in cell.metadata.get("tags", [])
                 for o in cell.get("outputs", []) if _shown(o)]
        view = NotebookNode(cells=cells, metadata=nb.metadata, nbformat=nb.nbformat, nbformat_minor=nb.nbformat_minor)
        resources = {"impactlib_title": title, "impactlib_lang": lang, "impactlib_css": self.css,
                     "impactlib_head": head,
                     "global_content_filter": {"include_code": True, "include_markdown": True, "include_raw": True,
                                               "include_unknown": True, "include_input": False, "include_output": True,
                                               "include_output_stdin": False, "include_input_prompt": False,
                                               "include_output_prompt": False, "no_prompt": True},
                     "output_mimetype": "text/html"}
        with self.lock:
            page = self.template.render(nb=view, resources=resources).lstrip("\r\n")
        return with_contents(shared_templates(page), lang)


def _shown(output) -> bool:
    return not (output.get("output_type") == "stream" and output.get("name") == "stderr") and output.get("output_type") != "error"


@functools.cache
def report_css() -> str:
    """The report's stylesheet (report/templates/impactlib/report.css) minified: without its comments and the
    spaces that carry no meaning (rcssmin), ~2.5 kB less on every page. Read once per process."""
    import rcssmin  # start-up speed: only the exporter needs it, once per process

    return rcssmin.cssmin((TEMPLATES_DIR / "impactlib" / "report.css").read_text(encoding="utf-8"))


def locale_file(lang: str) -> Path | None:
    """plotly.js's locale of ``lang`` (month names, decimal comma), offline; None for English (plotly's own)."""
    path = TEMPLATES_DIR / "impactlib" / f"plotly-locale-{lang}.js"
    return path if path.is_file() else None


@functools.cache
def locale_head(lang: str, src: str | None = None) -> str:
    """The <script> setting plotly.js's locale of ``lang`` (dates and numbers in the report's language): inline,
    or, when ``src`` is the relative URL of the folder of a batch's shared assets, loaded from there (the batch
    writes it there beside plotly.js, :func:`ensure_assets`); empty for English."""
    path = locale_file(lang)
    if path is None:
        return ""
    if src is not None:
        return f'<script type="text/javascript" src="{src}/{path.name}"></script>'
    return f'<script type="text/javascript">{path.read_text(encoding="utf-8")}</script>'


def scripts_head(lang: str, assets: str | None = None) -> str:
    """The <script>s that load plotly.js and its locale of ``lang``: from ``assets``, the relative URL of a
    batch's shared assets folder, or inline when None (a self-contained page)."""
    return plotly_head(None if assets is None else f"{assets}/{PLOTLY_FILE}") + locale_head(lang, assets)


def plotly_head(src: str | None = None) -> str:
    """The <script> that loads plotly.js: the file at ``src`` (relative URL), or inline when None."""
    if src is not None:
        return f'<script type="text/javascript" src="{src}"></script>'
    from plotly.offline import get_plotlyjs  # start-up speed: ~20 ms, only for a self-contained page

    return f'<script type="text/javascript">{get_plotlyjs()}</script>'


def ensure_assets(out: Path) -> None:
    """<out>/_assets/plotly.min.js and plotly's locales: the one copy of each a batch's reports share (offline)."""
    files = [(PLOTLY_FILE, plotly_js_file())] + [(p.name, p) for p in sorted((TEMPLATES_DIR / "impactlib").glob("plotly-locale-*.js"))]
    for name, source in files:
        data = source.read_bytes()
        path = Path(out) / ASSETS / name
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)


def plotly_js_file() -> Path:
    """The plotly.js the installed plotly ships (what ``plotly.offline.get_plotlyjs`` reads), found without
    importing plotly (~0.3 s): a no-change batch checks the shared copy against it."""
    import importlib.util  # start-up speed: only a batch checks the shared plotly.js

    spec = importlib.util.find_spec("plotly")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"


def export_html(nb, title: str, lang: str, assets: str | None = None) -> str:
    """Offline HTML of an executed report notebook; ``assets`` None embeds plotly.js and its locale, else is the
    relative URL of the batch's shared assets folder they are loaded from."""
    return Exporter.get().html(nb, title, lang, scripts_head(lang, assets))


def notebook_text(nb) -> str:
    """The executed notebook as .ipynb JSON, keys sorted as nbformat writes them, without its indentation
    and its deep copy to split strings into lines (both optional in the format): written by json's C encoder,
    ~15x less CPU than ``nbformat.writes`` for a report (indentation makes json fall back to pure Python).
    The notebook is what nbclient executed from the validated template: no second validation."""
    return json.dumps(nb, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- one report, end to end ----------------------------------------------------------------------

def run_notebook(task: Task, params: dict, opts: Options, kernel, cancel: threading.Event | None = None) -> dict | None:
    """Execute the report of ``task`` with ``params`` (pre-flighted) on ``kernel`` and write its files.

    Returns the outcome: ``status`` "ok" with ``headline``, ``html``, ``notebook``; or "failed" with the
    ``kind`` of the failure (a ReportError's), ``reason`` and the ``cell`` that failed; ``timings``. None
    when cancelled. The kernel is the caller's to close. Writes ``<stem>.html`` then ``<stem>.ipynb``,
    or ``<stem>.failed.ipynb``, each atomically; an earlier report stays until a new one replaces it.
    """
    cancel = cancel or threading.Event()
    out, folder = Path(opts.out), Path(opts.out) / task.client
    timings: dict[str, float] = {}
    nb = parameterised(template_of(task, opts), params, opts.kernel_name)
    t0 = time.perf_counter()
    failure, index = execute(nb, kernel, opts.timeout, cancel)
    timings["execute"] = time.perf_counter() - t0
    headline = recorded_headline(nb) if failure is None else None
    tables = _written_tables(params, headline)  # read before the kernel's private folder goes with the kernel
    kernel.close()
    if cancel.is_set():
        return None
    outcome: dict = {"status": "ok"}
    if failure is None:
        t0 = time.perf_counter()
        try:
            assets = None if opts.self_contained or not (out / ASSETS / PLOTLY_FILE).is_file() else f"../{ASSETS}"
            title = f"{task.title or task.client} — {task.scenario if not task.compared else ', '.join(task.compared)}"
            body = export_html(nb, title=title, lang=task.lang, assets=assets)
        except Exception as e:  # noqa: BLE001 - an export failure fails this report only
            failure = ExportError(f"{type(e).__name__}: {e}"[:1000])
        timings["export"] = time.perf_counter() - t0
    if cancel.is_set():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    text = notebook_text(nb)
    if failure is None:
        write_atomic(folder / f"{task.stem}.html", body.encode("utf-8"))
        write_atomic(folder / f"{task.stem}.ipynb", text.encode("utf-8"))
        (folder / f"{task.stem}.failed.ipynb").unlink(missing_ok=True)
        for name, data in tables.items():  # the spreadsheets the kernel wrote, beside the report they go with
            write_atomic(folder / name, data)
        if tables:
            outcome["exports"] = [f"{task.client}/{name}" for name in tables]
        if headline is not None:
            if opts.record and "fingerprint" in headline:
                keep_headlines(out, task.client, headline)
            outcome["headline"] = _own(headline)
        outcome.update(html=f"{task.client}/{task.stem}.html", notebook=f"{task.client}/{task.stem}.ipynb")
    else:
        failed = folder / f"{task.stem}.failed.ipynb"
        write_atomic(failed, text.encode("utf-8"))
        outcome.update(status="failed", kind=failure.kind, reason=str(failure), notebook=f"{task.client}/{failed.name}")
        if index is not None and not isinstance(failure, ExportError):
            outcome["cell"] = failed_cell(nb.cells[index], index)
    outcome["timings"] = {k: round(v, 3) for k, v in timings.items()}
    return outcome

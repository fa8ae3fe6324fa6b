"""Producing a client's report: check the request, run the notebook with papermill, export offline HTML.

This is the shell that writes ``reports/``: outputs appear atomically (temporary file, then rename),
so a failed or interrupted run leaves the previous report intact and no partial file.
"""

from __future__ import annotations

import datetime as dt
import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from impactlib.model.client import Client
from impactlib.io.folder import load_client
from impactlib.errors import ReportError
from impactlib.io.files import write_atomic
from impactlib.report.summary import HEADLINE_TAG
from impactlib.io.load import check_name
from impactlib.model.schema import LANGUAGES

PACKAGE = Path(__file__).resolve().parents[1]
TEMPLATE = PACKAGE / "notebooks" / "client_report.ipynb"  # report templates ship inside the package
COMPARISON = PACKAGE / "notebooks" / "comparison.ipynb"
TEMPLATES_DIR = PACKAGE / "report" / "templates"  # the nbconvert template of the HTML export
KERNEL = "impactlib"


@dataclass(frozen=True)
class Report:
    """Where one produced report lives."""

    client: str
    scenario: str
    lang: str
    html: Path
    notebook: Path


def plan(client_dir: Path, scenario: str | None, lang: str | None) -> tuple[Client, dict]:
    """Load the client and check the request; return the client and the notebook parameters.

    Raises InvalidInput for bad data and ReportError for an unknown scenario or language, listing
    the available ones, before any kernel starts.
    """
    client = load_client(client_dir)
    name = scenario or client.profile.default_scenario
    if name not in client.scenarios:
        raise ReportError(f"{client.id}: no scenario '{scenario}'; available: {', '.join(sorted(client.scenarios))}")
    check_name(name, "scenario name")
    lang = lang or client.profile.language
    if lang not in LANGUAGES:
        raise ReportError(f"{client.id}: no language '{lang}'; available: {', '.join(LANGUAGES)}")
    return client, {"client": client.id, "scenario": name, "lang": lang,
                    "data_dir": str(Path(client_dir).resolve().parent), "report_date": dt.date.today().isoformat()}


def check_parameters(parameters: dict, template: Path = TEMPLATE) -> None:
    """Refuse parameters the notebook does not declare, or of another type than its default's."""
    import papermill

    declared = papermill.inspect_notebook(str(template))
    problems = []
    for key, value in parameters.items():
        if key not in declared:
            problems.append(f"unknown parameter '{key}' (declared: {', '.join(declared)})")
            continue
        expected = declared[key]["inferred_type_name"]  # from the cell's annotation, e.g. `lang: str = "en"`
        if expected != type(value).__name__:
            problems.append(f"parameter '{key}' must be {expected}, got {type(value).__name__} {value!r}")
    if problems:
        raise ReportError(f"{template.name}: " + "; ".join(problems))


def run(client_dir: str | Path, scenario: str | None = None, lang: str | None = None,
        out_dir: str | Path = "reports", *, template: Path = TEMPLATE, kernel_name: str = KERNEL,
        timeout: int = 600) -> Report:
    """Produce ``<out_dir>/<client>/<scenario>.<lang>.html`` and the executed notebook beside it."""
    client, params = plan(Path(client_dir), scenario, lang)
    return _produce(client, params, f"{params['scenario']}.{params['lang']}", template, Path(out_dir), kernel_name, timeout,
                    title=f"{client.profile.name} — {params['scenario']}", scenario=params["scenario"])


def _produce(client: Client, params: dict, stem: str, template: Path, out_dir: Path, kernel_name: str, timeout: int,
             title: str, scenario: str) -> Report:
    """Run ``template`` with ``params`` on a fresh IPC kernel; write <stem>.html and <stem>.ipynb atomically."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    check_parameters(params, template)
    folder = out_dir / client.id
    folder.mkdir(parents=True, exist_ok=True)
    final_nb, final_html = folder / f"{stem}.ipynb", folder / f"{stem}.html"
    tmp_nb = _temp_path(folder, stem, ".ipynb")
    try:
        try:
            with ipc_kernel(kernel_name) as km:
                nb = papermill.execute_notebook(str(template), str(tmp_nb), parameters=params, kernel_name=kernel_name,
                                                progress_bar=False, log_output=False, execution_timeout=timeout,
                                                cwd=str(folder), km=km)
        except PapermillExecutionError as e:
            failed = folder / f"{stem}.failed.ipynb"
            os.replace(tmp_nb, failed)
            raise ReportError(f"{client.id}/{stem}: cell {e.exec_count} raised {e.ename}: {e.evalue} "
                              f"(executed notebook kept in {failed})") from None
        html = export_html(nb, title=title, lang=params["lang"])
        write_atomic(final_html, html.encode("utf-8"))
        os.replace(tmp_nb, final_nb)
    finally:
        tmp_nb.unlink(missing_ok=True)
    return Report(client.id, scenario, params["lang"], final_html, final_nb)


def run_comparison(client_dir: str | Path, scenarios: list[str], lang: str | None = None, out_dir: str | Path = "reports", *,
                   kernel_name: str = KERNEL, timeout: int = 600) -> Report:
    """Produce ``<out_dir>/<client>/compare.<s1>+<s2>….<lang>.html`` comparing two or more scenarios."""
    client, params = plan(Path(client_dir), scenarios[0] if scenarios else None, lang)
    unknown = [s for s in scenarios if s not in client.scenarios]
    if unknown or len(set(scenarios)) < 2:
        raise ReportError(f"{client.id}: compare two or more distinct scenarios"
                          + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                          + f"; available: {', '.join(sorted(client.scenarios))}")
    for s in scenarios:
        check_name(s, "scenario name")
    params = {**params, "scenarios": ",".join(scenarios)}
    del params["scenario"]
    stem = f"compare.{'+'.join(scenarios)}.{params['lang']}"
    return _produce(client, params, stem, COMPARISON, Path(out_dir), kernel_name, timeout,
                    title=f"{client.profile.name} — {', '.join(scenarios)}", scenario="+".join(scenarios))


@contextlib.contextmanager
def ipc_kernel(kernel_name: str = KERNEL):
    """A kernel manager whose kernel talks over Unix sockets in a private folder, never TCP.

    The kernel runs ``python -m impactlib.run.kernel``: ipykernel without its loopback TCP pipe.

    The kernel is shut down and its sockets removed on exit, whatever happened.
    """
    km, folder = new_ipc_kernel(kernel_name)
    try:
        yield km
    finally:
        close_ipc_kernel(km, folder)


def new_ipc_kernel(kernel_name: str = KERNEL, asynchronous: bool = False):
    """A (not yet started) kernel manager over Unix sockets in a fresh private folder, and that folder.

    Split from :func:`ipc_kernel` so the batch can start kernels ahead of use in a pool; whoever
    gets the pair must call :func:`close_ipc_kernel`. ``asynchronous`` gives an AsyncKernelManager,
    which nbclient needs to notice a kernel that died (a blocking client waits for it forever).
    """
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    folder = tempfile.mkdtemp(prefix="impactlib-kernel-")  # mode 0700: only this user reaches the sockets
    cls = AsyncKernelManager if asynchronous else KernelManager
    km = cls(kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, "kernel"))
    # ipykernel's own launcher would still open a loopback TCP listener (see impactlib/kernel.py)
    km.kernel_spec.argv = ["impactlib.run.kernel" if a == "ipykernel_launcher" else a for a in km.kernel_spec.argv]
    return km, folder


def close_ipc_kernel(km, folder: str, now: bool = False) -> None:
    """Shut the kernel down (``now``: kill it, for a kernel used once with nothing to save) and remove its sockets."""
    from jupyter_core.utils import ensure_async, run_sync

    async def close():
        try:
            if km.has_kernel:
                await ensure_async(km.shutdown_kernel(now=now))
        finally:
            await ensure_async(km.cleanup_resources())

    try:
        run_sync(close)()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def export_html(nb, title: str, lang: str, plotly_js: str | None = None) -> str:
    """Offline HTML of an executed notebook: no code, no prompts, no stderr, plotly.js embedded once.

    ``plotly_js`` None embeds plotly.js inline; a string is used as the src of a local script.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.from_dict(nb) if isinstance(nb, dict) else nb.copy()
    nb.cells = [c for c in nb.cells if HEADLINE_TAG not in c.get("metadata", {}).get("tags", [])]  # the runner's, not the reader's
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    nb.metadata["title"] = title
    exporter = HTMLExporter(template_name="impactlib", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code=lang)
    if plotly_js is None:
        from plotly.offline import get_plotlyjs

        head = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    else:
        head = f'<script type="text/javascript" src="{plotly_js}"></script>'
    css = (TEMPLATES_DIR / "impactlib" / "report.css").read_text(encoding="utf-8")
    body, _ = exporter.from_notebook_node(nb, resources={"impactlib_head": head, "impactlib_css": f"<style>{css}</style>"})
    return body


def _temp_path(folder: Path, stem: str, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{stem}.", suffix=f".tmp{suffix}", dir=folder)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)  # a report is an ordinary file once renamed into place
    return Path(name)

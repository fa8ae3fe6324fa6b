"""The batch's reports as tasks of a Dask distributed cluster (``impactlib batch --dask-scheduler ADDRESS``).

Each task is the same per-report function as a local batch (impactlib.run.report.produce) with the same
options; every path in them is absolute (Options.resolved, discover), so a worker started in another folder
finds the client folders and writes where the batch reads. Workers must see the same file system (the data
and output folders) and have impactlib and its ``impactlib`` kernel installed. On each worker, report kernels
are forked from one zygote, as in a local batch: it starts with the worker's first report and stops with
the worker (a worker plugin); it imports modules only and never sees client data.
"""

from __future__ import annotations

import threading

from dask.distributed import Client, as_completed
from distributed import WorkerPlugin, get_worker

from impactlib.errors import WorkerError
from impactlib.run.kernels import start_kernel
from impactlib.run.runner import Options, Task, light_imports

PLUGIN = "impactlib-zygote"


class ZygotePlugin(WorkerPlugin):
    """A worker plugin holding the worker's kernel zygote (started on first use, closed with the worker)."""

    name = PLUGIN
    idempotent = True  # a second batch on the same cluster keeps the running zygote

    def setup(self, worker=None):
        """On the worker (the plugin is pickled on its way there: no lock or process before)."""
        self.zygote = None
        self.lock = threading.Lock()

    def teardown(self, worker=None):
        if not hasattr(self, "lock"):
            return
        with self.lock:
            if self.zygote is not None:
                self.zygote.close()
                self.zygote = None

    def get(self):
        """The zygote, started if needed; None when it cannot start (kernels then start as new processes)."""
        # start-up speed: the zygote's module and jupyter_client's provisioning (~45 ms) on a worker only, with its
        # first report; the batch process that submits the tasks never starts a zygote
        from impactlib.run.zygote import Zygote

        with self.lock:
            if self.zygote is None or self.zygote.proc.poll() is not None:
                try:
                    self.zygote = Zygote()
                except (OSError, RuntimeError):
                    self.zygote = None
            return self.zygote


def remote_report(task: Task, fp: str, opts: Options) -> dict | None:
    """One report on a Dask worker: the local batch's produce(), its kernel forked from the worker's zygote."""
    from impactlib.run.report import produce  # start-up speed: pandas and pydantic (~0.3 s) on the worker only, not in the submitting batch

    light_imports()
    plugin = get_worker().plugins.get(PLUGIN)
    zygote = plugin.get() if plugin is not None else None
    # in a thread of its own: a worker's thread may hold the worker's event loop, on which jupyter_client's
    # synchronous calls cannot run ("This event loop is already running")
    result: list = []
    t = threading.Thread(target=lambda: result.append(produce(task, opts, fp, get_kernel=lambda: start_kernel(opts.kernel_name, zygote=zygote))),
                         name=f"impactlib-{task.client}")
    t.start()
    t.join()
    return result[0] if result else None


def run_dask(todo: list[tuple[Task, str]], opts: Options, address: str, progress) -> tuple[list[dict], bool]:
    """Run ``todo`` (tasks and their fingerprints) on the scheduler at ``address``: the statuses, and
    whether the batch was interrupted."""
    statuses, interrupted = [], False
    with Client(address) as client:
        client.register_plugin(ZygotePlugin(), name=PLUGIN)
        futures = {client.submit(remote_report, task, fp, opts, key=f"impactlib-{task.client}-{task.stem}-{fp[:12]}", pure=False): (task, fp)
                   for task, fp in todo}
        try:
            for f in as_completed(list(futures)):
                task, fp = futures[f]
                try:
                    status = f.result()
                except Exception as e:  # noqa: BLE001 - the worker itself failed (lost, out of memory)
                    status = worker_failure(task, fp, e)
                progress.finished(task, status)
                if status is not None:
                    statuses.append(status)
        except KeyboardInterrupt:
            interrupted = True
            client.cancel(list(futures))
        finally:
            progress.close()
    return statuses, interrupted


def worker_failure(task: Task, fp: str, error: BaseException) -> dict:
    """The status of a report whose worker failed under it (lost, out of memory)."""
    return {"client": task.client, "scenario": task.scenario, "lang": task.lang, "title": task.title, "fingerprint": fp,
            "status": "failed", "kind": WorkerError.kind, "reason": f"{type(error).__name__}: {error}"[:1000], "seconds": 0.0}

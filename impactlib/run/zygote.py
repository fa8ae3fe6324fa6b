"""Fresh kernels in milliseconds: fork them from a process that has already imported impactlib.

A kernel costs ~0.9 s of CPU before it runs a line of a report: Python start-up, ipykernel, then
pandas, pandera, plotly and impactlib (docs/benchmarks.md). On a 2-core machine running reports in
parallel that CPU is not hidden by starting kernels ahead of time, only moved. The zygote pays it
once: it imports those modules, never reads client data and never starts a kernel itself; for each
report it forks a child that becomes a fresh kernel (its own session, its own sockets). Each kernel
still serves one report only, so nothing passes from one client to the next.

Plugged into jupyter_client as a kernel provisioner (its extension point for how kernels are
launched), so nbclient, interrupts, timeouts and shutdown work as with an ordinary kernel.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

from jupyter_client.provisioning import LocalProvisioner

from impactlib.run.warm import warm  # light: warm() imports the report layer itself, after the zygote's preloads

PRELOAD = ("ipykernel.kernelapp", "impactlib.run.kernel", "impactlib", "impactlib.report", "impactlib.run.exports",
           "impactlib.run.ahead",
           # the template's load_client and the batch's hand-over of the loaded client (impactlib's own __getattr__
           # imports them lazily); not the folder's readers (io/reader.py) nor pandera: kernels get their client loaded
           "impactlib.io.folder", "impactlib.io.snapshot")
# imported lazily during a report's first run (measured: a first report in a process takes ~0.6 s
# longer than the next one); modules only, no client data, so every forked kernel starts warm
LAZY = ("pandas.io.formats.string", "pandas.core.methods.to_dict", "pandas.core.reshape.reshape", "plotly.subplots", "plotly.io._html", "plotly.io._json",
        "plotly.offline", "plotly.graph_objs._figure", "plotly.graph_objs._bar", "plotly.graph_objs._scatter",
        "plotly.graph_objs._heatmap", "plotly.graph_objs._waterfall", "plotly.graph_objs.bar", "plotly.graph_objs.scatter",
        "plotly.graph_objs.heatmap", "plotly.graph_objs.waterfall", "plotly.graph_objs.layout", "plotly.graph_objs.layout.xaxis",
        "plotly.graph_objs.layout.yaxis", "plotly.graph_objs.layout.annotation", "plotly.graph_objs.layout.shape",
        "impactlib.report.rule_text", "jinja2", "numpy.fft")


def die_with_parent(parent: int) -> None:
    """Linux: get SIGKILL when the parent dies, even by SIGKILL, so no kernel outlives its batch (nor a kernel's forked
    child its kernel: run/ahead.py)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call
        os._exit(1)


def serve() -> None:
    """The zygote's loop: one JSON request per line on stdin, the forked kernel's pid per line on stdout."""
    die_with_parent(int(os.environ.get("IMPACTLIB_BATCH_PID", os.getppid())))
    from impactlib.run import kernel  # start-up speed: the zygote's own imports, in the order preload needs

    kernel.preload()  # ipykernel's modules, without its debugger
    for name in PRELOAD:
        __import__(name)
    for name in LAZY:
        try:
            __import__(name)
        except ImportError:  # another version of a library: that module is then imported when used
            pass
    warm()  # Babel's locales, plotly's encoder: no client data (no pandera: the kernels get their client loaded)
    import gc

    gc.freeze()  # the imported objects are never scanned by the kernels' GC: fewer copy-on-write page copies
    signal.signal(signal.SIGCHLD, _reap)
    out = sys.stdout
    print("ready", file=out, flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become_kernel(req)  # never returns
        print(pid, file=out, flush=True)
    _reap(block=True)  # stdin closed: the batch is done with its kernels (killed); wait for the last ones


def _reap(signum=None, frame=None, block: bool = False) -> None:
    """Wait for the kernels that ended: no zombie is left, and their CPU time counts in the zygote's resource
    usage, so in its batch's (with SIGCHLD ignored, Linux would drop it: benchmarks measure it)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_kernel(req: dict) -> None:
    try:
        zygote = os.getppid()
        os.setsid()
        die_with_parent(zygote)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.environ.update(req.get("env") or {})
        if req.get("cwd"):
            os.chdir(req["cwd"])
        cmd = req["cmd"]
        module = next(a for a in cmd if a in ("impactlib.run.kernel", "ipykernel_launcher"))
        sys.argv = [module, *cmd[cmd.index(module) + 1:]]
        from impactlib.run import kernel  # imported already by serve(), as the zygote's first module

        kernel.main(history=False)  # ipykernel with no TCP socket at all (impactlib/run/kernel.py), no history
    finally:
        os._exit(0)


class Zygote:
    """The running zygote process and a lock around its pipe (kernels are forked from several threads).

    Linux sends the parent-death signal when the *thread* that started a child ends, not the process: the
    zygote is started from a thread of its own that lives until :meth:`close`, so a zygote made by a
    short-lived thread (a Dask task's) does not die with it.
    """

    def __init__(self):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",  # no threads across fork
               "IMPACTLIB_BATCH_PID": str(os.getpid())}  # lets tests find the zygote and its kernels
        self.lock = threading.Lock()
        self.closed = threading.Event()
        started: list = []

        def keep():
            try:
                started.append(subprocess.Popen([sys.executable, "-c", "from impactlib.run.zygote import serve; serve()"],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                                                start_new_session=True))
            except OSError as e:
                started.append(e)
            self.closed.wait()

        self.keeper = threading.Thread(target=keep, daemon=True, name="kernel-zygote")
        self.keeper.start()
        while not started:
            time.sleep(0.005)
        if isinstance(started[0], OSError):
            self.closed.set()
            raise started[0]
        self.proc = started[0]
        if self.proc.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError("the kernel zygote did not start")

    def fork(self, cmd: list[str], env: dict, cwd: str | None) -> int:
        with self.lock:
            self.proc.stdin.write(json.dumps({"cmd": cmd, "env": env, "cwd": cwd}) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            raise RuntimeError("the kernel zygote stopped")
        return int(line)

    def close(self) -> None:
        """End the zygote: it waits for its (killed) kernels and exits; killed if it has not within 5 s."""
        try:
            with self.lock:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        try:
            self.proc.kill()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            self.closed.set()


class _Forked:
    """What LocalProvisioner expects of a Popen, for a kernel that is the zygote's child, not ours."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self):
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkProvisioner(LocalProvisioner):
    """A LocalProvisioner whose kernel is forked by the zygote instead of started by Popen."""

    zygote: Zygote | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs):
        env = {k: v for k, v in (kwargs.get("env") or {}).items() if k.startswith("JPY_") or os.environ.get(k) != v}
        pid = self.zygote.fork(cmd, env, kwargs.get("cwd"))
        self.process = _Forked(pid)
        self.pid = self.pgid = pid  # the kernel called setsid: its process group is its pid
        return self.connection_info

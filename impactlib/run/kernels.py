"""Report kernels: fresh IPC kernels (Unix sockets in a private folder, never TCP), one per report, and a pool of them.

A kernel serves one report and is then killed: modules, caches and plotly settings of one client must
not reach the next. A new kernel costs ~0.9 s of CPU before it runs a line (Python, ipykernel, pandas,
plotly, impactlib imports), so a batch forks them from a zygote that imported those once and never sees
client data (impactlib.run.zygote), and a pool gets them ready ahead of use while other reports run.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import tempfile
import threading

from impactlib.errors import KernelStartError

KERNEL = "impactlib"  # the named Jupyter kernel the reports run on (make install registers it)
WARM_CODE = "import impactlib, impactlib.report"  # modules only: no client data before the report
START_RETRIES = 3
SOCKET_DIR_MAX = 90  # longest socket in it: <folder>/kernel-<port>, and 107 bytes at most for a Unix socket path


def new_ipc_kernel(kernel_name: str = KERNEL, asynchronous: bool = False):
    """A (not yet started) kernel manager over Unix sockets in a fresh private folder, and that folder.

    The kernel runs ``python -m impactlib.run.kernel``: ipykernel without its loopback TCP pipe. Whoever
    gets the pair must call :func:`close_ipc_kernel`. ``asynchronous`` gives an AsyncKernelManager, which
    nbclient needs to notice a kernel that died (a blocking client waits for it forever).
    """
    # start-up speed: jupyter_client's managers (~0.1 s) only when a kernel starts; a no-change batch rerun starts none
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    folder = tempfile.mkdtemp(prefix="impactlib-kernel-")  # mode 0700: only this user reaches the sockets
    if len(folder.encode()) > SOCKET_DIR_MAX:  # a Unix socket's path is limited (107 bytes): a shorter private folder
        os.rmdir(folder)
        folder = tempfile.mkdtemp(prefix="impactlib-kernel-", dir=os.environ.get("XDG_RUNTIME_DIR") or "/tmp")
    cls = AsyncKernelManager if asynchronous else KernelManager
    # the sockets and the connection file (it holds the HMAC key) live in the folder and go with it
    km = cls(kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, "kernel"),
             connection_file=os.path.join(folder, "kernel.json"), kernel_spec_manager=_spec_manager())
    # ipykernel's own launcher would still open a loopback TCP listener (see impactlib/run/kernel.py)
    km.kernel_spec.argv = ["impactlib.run.kernel" if a == "ipykernel_launcher" else a for a in km.kernel_spec.argv]
    return km, folder


_SPECS: list = []
_SPECS_LOCK = threading.Lock()


def _spec_manager():
    """This process's one kernel spec manager, with the kernel folders jupyter_client would search: Jupyter's and
    the legacy ``~/.ipython/kernels``, found without importing IPython (jupyter_client's default imports it to
    find that folder: ~0.5 s of a batch process's start-up, measured with ``-X importtime``); each kernel spec
    is read once per process (a fresh copy per kernel manager, whose argv the caller changes)."""
    with _SPECS_LOCK:
        if not _SPECS:
            from jupyter_client.kernelspec import KernelSpec, KernelSpecManager  # start-up speed: only when a kernel starts
            from jupyter_core.paths import jupyter_path  # start-up speed, as above

            class Specs(KernelSpecManager):
                found: dict = {}

                def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
                    with _SPECS_LOCK:
                        if kernel_name not in self.found:
                            self.found[kernel_name] = super().get_kernel_spec(kernel_name)
                        spec = self.found[kernel_name]
                    return KernelSpec(resource_dir=spec.resource_dir, **spec.to_dict())

            ipython = os.environ.get("IPYTHONDIR") or os.path.join(os.path.expanduser("~"), ".ipython")
            _SPECS.append(Specs(kernel_dirs=[*jupyter_path("kernels"), os.path.join(ipython, "kernels")]))
        return _SPECS[0]


def close_ipc_kernel(km, folder: str, now: bool = False) -> None:
    """Shut the kernel down (``now``: kill it, for a kernel used once with nothing to save) and remove its sockets."""
    from jupyter_core.utils import ensure_async, run_sync  # start-up speed: ~20 ms, imported with jupyter_client once a kernel exists

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


@contextlib.contextmanager
def ipc_kernel(kernel_name: str = KERNEL):
    """A kernel manager over Unix sockets; the kernel is shut down and its sockets removed on exit, whatever happened."""
    km, folder = new_ipc_kernel(kernel_name)
    try:
        yield km
    finally:
        close_ipc_kernel(km, folder)


_LIVE: set = set()
_LIVE_LOCK = threading.Lock()


class Kernel:
    """A kernel over Unix sockets, started and warmed (impactlib imported), used for one report only.

    ``zygote`` given: forked from it (impactlib already imported) instead of started as a new Python.
    """

    def __init__(self, kernel_name: str = KERNEL, zygote=None):
        self.km, self.folder = new_ipc_kernel(kernel_name, asynchronous=True)
        self.closed = False
        self.forked = zygote is not None
        if zygote is not None:
            import uuid

            # start-up speed: the zygote's module and jupyter_client's provisioning (~90 ms) stay out of a batch that
            # forks nothing; here a zygote exists, so they are imported already
            from impactlib.run.zygote import ForkProvisioner

            self.km.kernel_id = str(uuid.uuid4())
            self.km.provisioner = ForkProvisioner(kernel_id=self.km.kernel_id, kernel_spec=self.km.kernel_spec, parent=self.km)
            self.km.provisioner.zygote = zygote
        with _LIVE_LOCK:
            _LIVE.add(self)

    def start(self, timeout: float = 60.0) -> Kernel:
        from jupyter_core.utils import run_sync  # start-up speed: ~20 ms, imported with jupyter_client in __init__ already

        # IMPACTLIB_KERNEL_DIR: impactlib.run.kernel puts its output pipe in this folder, removed when the kernel is killed
        run_sync(self.km.start_kernel)(cwd=self.folder, env={**os.environ, "IMPACTLIB_KERNEL_DIR": self.folder})
        kc = self.km.blocking_client()  # the warm-up only; nbclient makes its own (async) client
        # the shell and IOPub channels are all wait_for_ready and the warm-up use (liveness is asked of the kernel
        # manager, not the heartbeat): no heartbeat thread, stdin or control socket (-0.9 ms of CPU per kernel)
        kc.start_channels(stdin=False, hb=False, control=False)
        try:
            kc.wait_for_ready(timeout=timeout)
            if self.forked:  # the zygote imported impactlib before forking: nothing to warm
                return self
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
        elif self.km.has_kernel and getattr(self.km.provisioner, "process", None) is not None:
            try:  # a kernel started as a new process by jupyter_client (not in its own group)
                self.km.provisioner.process.kill()
            except (ProcessLookupError, OSError):
                pass

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.kill()
            close_ipc_kernel(self.km, self.folder, now=True)
        except Exception:  # noqa: BLE001 - already dead; the folder is removed in close_ipc_kernel's finally
            shutil.rmtree(self.folder, ignore_errors=True)
        with _LIVE_LOCK:
            _LIVE.discard(self)


def start_kernel(kernel_name: str = KERNEL, retries: int = START_RETRIES, zygote=None) -> Kernel:
    """A started, warmed kernel; a kernel that fails to start or answer is killed and another tried."""
    errors = []
    for _ in range(retries):
        k = Kernel(kernel_name, zygote)
        try:
            return k.start()
        except Exception as e:  # noqa: BLE001 - socket clash, kernel not answering: try a fresh one
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
    """Kernels started ahead of use, at most ``ready`` waiting, ``total`` in all; each is handed out once.

    ``fork``: kernels are forked from a zygote when more than one is needed (a zygote costs more than
    one kernel); a zygote that cannot start leaves kernels to start as new processes.
    """

    def __init__(self, kernel_name: str, ready: int, total: int, starters: int, fork: bool = True):
        self.kernel_name, self.remaining = kernel_name, total
        self.zygote = None
        if fork and total > 1:
            from impactlib.run.zygote import Zygote  # start-up speed: ~90 ms with jupyter_client's provisioning, only to fork kernels

            try:
                self.zygote = Zygote()
            except (OSError, RuntimeError):
                self.zygote = None
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

    def forgo(self) -> None:
        """One kernel fewer is needed (a report failed its pre-flight): do not start it if not yet started
        (one already started serves the next report, or is closed with the pool)."""
        with self.lock:
            self.remaining = max(0, self.remaining - 1)

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
            self.zygote = None

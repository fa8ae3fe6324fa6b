"""The report kernel: ipykernel, with its one loopback TCP socket moved to a private Unix socket.

Even when told to use IPC, ipykernel (7.x) binds a TCP listener on 127.0.0.1 to collect the output
of forked subprocesses (``IOPubThread._setup_pipe_in``): any local user could reach it, and client
data would pass through it. :mod:`impactlib.run.kernels` starts kernels with
``python -m impactlib.run.kernel``, which binds that pipe to ``ipc://`` in a folder only this user can
enter, then starts ipykernel as usual. tests/test_kernel.py checks that the kernel holds no TCP or
UDP socket at all.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile


def _setup_pipe_in(self) -> None:
    """Like ipykernel's, but bound to a Unix socket in a private folder (mode 0700)."""
    # start-up speed: zmq and its tornado stream (~90 ms) are ipykernel's, imported already when it calls this in a
    # kernel; not at the top, so that the zygote imports this module light, before preload()
    import zmq
    from zmq.eventloop.zmqstream import ZMQStream

    private = os.environ.get("IMPACTLIB_KERNEL_DIR")
    if private:  # the kernel's own private folder (mode 0700), removed with it even if the kernel is killed
        endpoint = os.path.join(private, "iopub")  # a short path: a Unix socket's is limited to 107 bytes
    else:
        folder = tempfile.mkdtemp(prefix="impactlib-iopub-")
        atexit.register(shutil.rmtree, folder, True)
        endpoint = os.path.join(folder, "pipe")
    self._pipe_uuid = os.urandom(16)
    self._pipe_endpoint = f"ipc://{endpoint}"
    pipe_in = self.socket.context.socket(zmq.PULL)
    pipe_in.linger = 0
    pipe_in.bind(self._pipe_endpoint)
    self._pipe_in = ZMQStream(pipe_in, self.io_loop)
    self._pipe_in.on_recv(self._handle_pipe_msg)


def _setup_pipe_out(self):
    """The forked child's end of the pipe (a new zmq context after fork, as ipykernel does)."""
    import zmq  # start-up speed, as in _setup_pipe_in: ipykernel has imported it when it calls this

    ctx = zmq.Context()
    pipe_out = ctx.socket(zmq.PUSH)
    pipe_out.linger = 3000
    pipe_out.connect(self._pipe_endpoint)
    return ctx, pipe_out


# imported by the zygote before it forks (impactlib.run.zygote), so that a forked kernel does not import them:
# what ipykernel imports while it sets up a kernel (measured with cProfile in a forked kernel)
PRELOAD = ("ipykernel.kernelapp", "impactlib.run.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "ipykernel.comm",
           "IPython.core.debugger", "IPython.core.oinspect", "IPython.core.completerlib", "IPython.extensions.storemagic",
           "tornado.platform.asyncio", "tornado.queues", "tornado.locks", "encodings.idna", "pdb")


# an installed library a report kernel never uses, which ipykernel would import anyway: its debugger module imports
# debugpy and pydevd (~0.1 CPU-s of every kernel's start); a kernel then runs without its debugger, as where debugpy
# is not installed. (pandera's hypothesis and dask are kept out by impactlib.model.schema, in every process.)
UNUSED = ("debugpy",)


def without_unused() -> None:
    """Make UNUSED unimportable in this process (a report kernel, or the zygote that forks them), unless already imported."""
    for name in UNUSED:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]  # import now raises ImportError


def preload() -> None:
    """Import, before the zygote forks, what each kernel would import while it starts (modules only); first of
    all, keep out the libraries a report never uses."""
    without_unused()
    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:  # another version of ipykernel or IPython: that module is then imported when used
            pass


def main(history: bool = True) -> None:
    """Run the kernel (ipykernel's, as impactlib.run.kernelapp sets it up); ``history``: False for a kernel that runs
    one report, which needs no history (nor a sqlite file of it)."""
    without_unused()
    # not at the top, and after without_unused(): ipykernel's debugger then finds no debugpy (~0.1 CPU-s of every
    # kernel's start, see UNUSED)
    from ipykernel import iostream
    from traitlets.config import Config

    from impactlib.run.kernelapp import ReportKernelApp  # after without_unused(), as above: it imports ipykernel

    iostream.IOPubThread._setup_pipe_in = _setup_pipe_in
    iostream.IOPubThread._setup_pipe_out = _setup_pipe_out
    ReportKernelApp.launch_instance(config=Config() if history else Config({"HistoryManager": {"enabled": False}}))


if __name__ == "__main__":
    main()

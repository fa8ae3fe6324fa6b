"""ipykernel's application for a report kernel: the same kernel, without the work a one-report kernel never needs.

A forked report kernel (impactlib.run.zygote) spends most of its own CPU in ipykernel's start-up and in
the round trips of its output streams, not in the report (measured on 30 synthetic clients: ~55 ms of
CPU per kernel running an empty notebook). :class:`ReportKernelApp` changes only how that work is done,
through ipykernel's own extension points (the application class, its ``kernel_class`` and ``outstream_class``);
what the kernel sends, and in which order, is unchanged (tests/test_kernel.py).

Imported by :func:`impactlib.run.kernel.main` once ipykernel may be imported (after ``without_unused``).
"""

from __future__ import annotations

import os
import sys
import threading

import comm
import ipykernel
from ipykernel import debugger, ipkernel
from ipykernel.iostream import OutStream
from ipykernel.ipkernel import IPythonKernel
from ipykernel.kernelapp import IPKernelApp
from ipykernel.kernelbase import Kernel
from traitlets import default
from traitlets.config import Config


class ReportOutStream(OutStream):
    """ipykernel's stdout/stderr, whose ``flush`` returns at once when all that was written has been sent already.

    ipykernel flushes both streams before every display, result and at the end of every cell; each flush
    from the kernel's thread hands two callbacks to the IOPub thread and waits for them (four IOPub wake-ups
    and two thread switches per display). A report writes nothing to them, so those round trips carry
    nothing. Written text is counted: while something written has not yet been handed to the IOPub thread,
    ``flush`` does what ipykernel's does, so a stream message still goes out before the display that follows.
    """

    def __init__(self, *args, **kwargs):
        self._count_lock = threading.Lock()
        self._written = self._sent = 0  # writes made, and writes whose text has been queued for sending
        super().__init__(*args, **kwargs)

    def write(self, string: str) -> int | None:
        n = super().write(string)
        with self._count_lock:  # counted once the text is in the buffer (written from several threads)
            self._written += 1
        return n

    def _flush(self) -> None:
        with self._count_lock:
            written = self._written  # every write counted here is in the buffers this flush takes
        super()._flush()
        self._sent = max(self._sent, written)

    def flush(self) -> None:
        if self.echo is None and self._sent == self._written:  # nothing waiting: no round trip to the IOPub thread
            return
        super().flush()


# the ipykernel versions whose IPythonKernel.__init__ ReportKernel.__init__ repeats (tests/test_kernel.py checks its source)
LEAN_INIT = {(7, 4)}


class ReportKernel(IPythonKernel):
    """IPythonKernel without the list of every imported module's file it makes for its debugger.

    That list (``_kernel_modules``) touches each of the ~1,200 modules a forked kernel inherits from its
    zygote: ~2,100 copy-on-write page faults, ~6 ms of CPU per kernel, for a debugger a report kernel does not
    have (debugpy is unimportable there: impactlib.run.kernel.UNUSED). With the debugger importable, or another
    ipykernel version than those of LEAN_INIT, this is IPythonKernel's own ``__init__``.
    """

    def __init__(self, **kwargs):
        if ipykernel.version_info[:2] not in LEAN_INIT or debugger._is_debugpy_available:
            super().__init__(**kwargs)
            return
        # ipykernel 7.4's IPythonKernel.__init__, less the module list and the debugger it is for
        Kernel.__init__(self, **kwargs)
        self._kernel_modules = []
        self.shell = self.shell_class.instance(parent=self, profile_dir=self.profile_dir, user_module=self.user_module,
                                               user_ns=self.user_ns, kernel=self, compiler_class=self.compiler_class)
        self.shell.displayhook.session = self.session
        jupyter_session_name = os.environ.get("JPY_SESSION_NAME")
        if jupyter_session_name:
            self.shell.user_ns["__session__"] = jupyter_session_name
        self.shell.displayhook.pub_socket = self.iopub_socket
        self.shell.displayhook.topic = self._topic("execute_result")
        self.shell.display_pub.session = self.session
        self.shell.display_pub.pub_socket = self.iopub_socket
        self.comm_manager = comm.get_comm_manager()
        self.shell.configurables.append(self.comm_manager)
        for msg_type in ("comm_open", "comm_msg", "comm_close"):
            self.shell_handlers[msg_type] = getattr(self.comm_manager, msg_type)
        if ipkernel._use_appnope() and self._darwin_app_nap:
            import appnope  # macOS only, as in ipykernel

            appnope.nope()


class ReportKernelApp(IPKernelApp):
    """IPKernelApp for a report kernel: a lean kernel object (:class:`ReportKernel`), streams that flush only when
    something was written (:class:`ReportOutStream`), no subshell thread, and a command line read without building
    traitlets' parser when it is the one report kernels get."""

    @default("kernel_class")
    def _report_kernel(self) -> type:
        return ReportKernel

    @default("outstream_class")
    def _report_outstream(self) -> str:
        return "impactlib.run.kernelapp.ReportOutStream"

    def init_control(self, context) -> None:
        """ipykernel's control channel, without the thread that receives shell requests for subshells: a report's
        requests come one at a time from nbclient and never ask for a subshell. The kernel then reads its shell
        socket in its own event loop, as ipykernel does when there is no such thread (its ``shell_channel_thread``
        None); measured: -1.4 ms of CPU per kernel running an empty notebook, ~0.1 ms less per cell."""
        super().init_control(context)
        unused, self.shell_channel_thread = self.shell_channel_thread, None
        if unused is not None:  # created, never started: its event loop's file descriptors closed
            unused.io_loop.close(all_fds=True)

    def parse_command_line(self, argv=None) -> None:
        """``-f <connection file>``, what impactlib.run.kernels starts every kernel with, read directly: traitlets
        builds an argparse parser of every configurable class's aliases and flags (~5 ms of CPU per kernel); any
        other command line is traitlets'."""
        argv = sys.argv[1:] if argv is None else list(argv)
        if len(argv) != 2 or argv[0] != "-f" or argv[1].startswith("-"):
            super().parse_command_line(argv)
            return
        self.argv = argv
        self.cli_config = Config({"IPKernelApp": {"connection_file": argv[1]}})
        self.update_config(self.cli_config)
        self.extra_args = []

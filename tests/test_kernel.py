"""Report kernels talk to the runner over Unix sockets (IPC): client data never crosses a TCP socket."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import psutil
import pytest

from conftest import FIXTURES
from impactlib.run import kernels, report
from test_report import private_tmp


def inet_sockets(pid: int) -> list:
    """Every TCP/UDP socket (listening or connected) of a process and its children."""
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    return [c for p in procs for c in p.net_connections(kind="inet")]


def test_socket_probe_sees_a_tcp_listener():
    """The probe used below can fail: it finds a TCP socket this test process opens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        assert any(c.laddr.port == s.getsockname()[1] and c.status == psutil.CONN_LISTEN for c in inet_sockets(os.getpid()))


@pytest.mark.e2e
def test_ipc_kernel_opens_no_tcp_socket(tmp_path_factory, monkeypatch):
    tmp = private_tmp(monkeypatch, tmp_path_factory.mktemp("tmp"))
    with kernels.ipc_kernel() as km:
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            info = km.get_connection_info()
            assert info["transport"] == "ipc"
            folder = Path(info["ip"]).parent
            assert folder.parent == tmp
            assert stat.S_IMODE(folder.stat().st_mode) & 0o777 == 0o700  # only this user reaches the sockets
            assert Path(km.connection_file).parent == folder  # the connection file (HMAC key) too
            sockets = [folder / f"kernel-{info[k]}" for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
            assert all(stat.S_ISSOCK(p.stat().st_mode) for p in sockets)
            msg = kc.execute_interactive("import os; print(os.getpid())", timeout=30, output_hook=lambda m: None)
            assert msg["content"]["status"] == "ok"
            pid = km.provisioner.process.pid
            assert inet_sockets(pid) == []
            # output of a forked subprocess still reaches the notebook, through the private Unix socket
            out: list[str] = []
            code = ("import multiprocessing as mp\n"
                    "p = mp.get_context('fork').Process(target=print, args=('from the child',)); p.start(); p.join()\n"
                    "print(get_ipython().kernel.iopub_thread._pipe_endpoint)")
            kc.execute_interactive(code, timeout=30, output_hook=lambda m: out.append(m["content"].get("text", "")))
            text = "".join(out)
            assert "from the child" in text
            pipe = Path(text.split("ipc://")[1].split()[0])
            assert stat.S_ISSOCK(pipe.stat().st_mode) and stat.S_IMODE(pipe.parent.stat().st_mode) == 0o700
            assert inet_sockets(pid) == []
        finally:
            kc.stop_channels()
    assert not folder.exists()  # sockets removed with the kernel
    assert not pipe.parent.exists()


@pytest.mark.e2e
def test_report_run_uses_an_ipc_kernel_and_leaves_nothing(tmp_path, tmp_path_factory, monkeypatch):
    tmp = private_tmp(monkeypatch, tmp_path_factory.mktemp("tmp"))
    used = []
    real = kernels.Kernel.start

    def spy(self, timeout=60.0):
        used.append(self.km)
        return real(self, timeout)

    monkeypatch.setattr(kernels.Kernel, "start", spy)
    done = report.run(FIXTURES / "tiny", out_dir=tmp_path / "out")
    assert done.html.is_file()
    assert [km.transport for km in used] == ["ipc"]
    assert [p.name for p in tmp.iterdir() if p.name != "runtime"] == []  # its socket folder went with the kernel


@pytest.mark.e2e
def test_a_long_temporary_folder_still_gives_a_working_kernel(tmp_path, monkeypatch):
    """A Unix socket's path is at most 107 bytes: under a too long TMPDIR the kernel's private folder goes elsewhere."""
    long = private_tmp(monkeypatch, tmp_path / ("deep-" * 14))
    k = kernels.start_kernel()
    try:
        folder = Path(k.folder)
        assert len(str(folder)) <= kernels.SOCKET_DIR_MAX and not folder.is_relative_to(long)
        assert stat.S_IMODE(folder.stat().st_mode) & 0o777 == 0o700
    finally:
        k.close()
    assert not folder.exists() and list(long.iterdir()) == []


# what a forked kernel imports while it runs a report, after the zygote's preloads: nothing (every import there is
# CPU paid again by every report); and neither the zygote nor the kernel imports pandera or the folder's readers (the
# kernel gets its client from the batch's pre-flight: ~23 MiB less in each). Run in a fresh interpreter, so that
# this process's imports do not hide one
_NOTHING_NEW = r'''
import json, re, sys
from pathlib import Path
from impactlib.run import kernel, zygote
kernel.preload()
for name in zygote.PRELOAD:
    __import__(name)
for name in zygote.LAZY:
    try:
        __import__(name)
    except ImportError:
        pass
from impactlib.run.warm import warm
warm()
import narwhals.plugins
discover = getattr(narwhals.plugins, "_discover_entrypoints", None)  # narwhals' search for plugins, once per process
searched = discover.cache_info().currsize if hasattr(discover, "cache_info") else None
from impactlib.run.runner import TEMPLATE
data, cid, given = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])  # a hand-over per report (read once)
before = set(sys.modules)
cells = re.split(r"^# %%.*$", TEMPLATE.with_suffix(".py").read_text(), flags=re.M)[1:]
shown = lambda *xs: [x._repr_mimebundle_() if hasattr(x, "_repr_mimebundle_") else x._repr_html_() for x in xs]
for lang in ("en", "fr"):
    ns = {"display": shown}
    exec(cells[0], ns)
    ns.update(client=cid, data_dir=str(data), lang=lang, report_date="2026-11-30", loaded=given[lang])
    for cell in cells[1:]:
        exec(cell, ns)
print(json.dumps({"new": sorted(set(sys.modules) - before), "searched": searched,
                  "searched_after": discover.cache_info().currsize if hasattr(discover, "cache_info") else None, "pandera": sorted(m for m in sys.modules if m.split(".")[0] == "pandera"),
                  "readers": sorted(m for m in ("impactlib.io.reader", "impactlib.io.load", "impactlib.model.schema") if m in sys.modules)}))
'''


@pytest.mark.timeout(240)
def test_a_forked_kernel_imports_nothing_the_zygote_did_not(tmp_path):
    import json
    import subprocess
    import sys

    from conftest import DEMO
    from impactlib import load_client
    from impactlib.io import snapshot

    client = load_client(DEMO / "acme-industrie")  # the batch's pre-flight, in the batch process
    (tmp_path / "en").mkdir(), (tmp_path / "fr").mkdir()
    given = {lang: snapshot.give(client, tmp_path / lang) for lang in ("en", "fr")}
    done = subprocess.run([sys.executable, "-c", _NOTHING_NEW, str(DEMO), "acme-industrie", json.dumps(given)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=220)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["new"] == [], f"imported by the report after the zygote's preloads (add them to zygote.PRELOAD or LAZY): {seen['new']}"
    assert seen["pandera"] == [] and seen["readers"] == [], seen
    # and the report does not make narwhals search every installed package's entry points (~10 ms a kernel): warm() did
    assert seen["searched"] == seen["searched_after"], seen


def test_warm_compiles_the_shipped_cpu_patterns_a_kernel_compiles():
    import re

    from impactlib.analysis import compat
    from impactlib.io.catalog import load_catalog
    from impactlib.run.warm import warm_cpu_patterns

    if not isinstance(getattr(re, "_cache", None), dict):
        pytest.skip("this Python keeps its compiled patterns elsewhere")
    cpus = load_catalog().cpus.copy()  # a kernel's catalog (unpickled): another frame, the same patterns
    re.purge()
    warm_cpu_patterns()
    kept = set(re._cache)
    compat._cpu_rules(cpus)
    assert set(re._cache) == kept  # every pattern the rules compile was in re's cache already


# a report kernel's own start-up and output work (impactlib.run.kernelapp): the same messages, in the same order
_STREAMS_AND_DISPLAYS = ("import sys\n"
                         "print('a'); display('x'); print('b', end='', file=sys.stderr); display('y')\n"
                         "print('c', end=''); 'z'\n")


def _outputs(kc, code: str) -> list:
    got: list = []
    reply = kc.execute_interactive(code, timeout=30, output_hook=lambda m: got.append(m))
    assert reply["content"]["status"] == "ok", reply["content"]
    return [(m["msg_type"], m["content"].get("name"), m["content"].get("text") or m["content"].get("data", {}).get("text/plain"))
            for m in got if m["msg_type"] in ("stream", "display_data", "execute_result", "error")]


@pytest.mark.e2e
@pytest.mark.parametrize("forked", [False, True], ids=["new process", "forked"])
def test_a_report_kernel_sends_what_ipykernel_sends_in_the_same_order(tmp_path_factory, monkeypatch, forked):
    from impactlib.run.zygote import Zygote

    private_tmp(monkeypatch, tmp_path_factory.mktemp("tmp"))
    zygote = Zygote() if forked else None
    k = kernels.start_kernel(zygote=zygote)
    kc = k.km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        assert _outputs(kc, _STREAMS_AND_DISPLAYS) == [
            ("stream", "stdout", "a\n"), ("display_data", None, "'x'"), ("stream", "stderr", "b"), ("display_data", None, "'y'"),
            ("stream", "stdout", "c"), ("execute_result", None, "'z'")]
        # nothing written: a flush hands nothing to the IOPub thread (impactlib.run.kernelapp.ReportOutStream)
        count = ("k = get_ipython().kernel; t = k.iopub_thread; calls = []; schedule = t.schedule\n"
                 "t.schedule = lambda f: (calls.append(f), schedule(f))[1]\n"
                 "sys.stdout.flush(); sys.stderr.flush(); t.schedule = schedule\n"
                 "print(len(calls), type(k).__name__, type(sys.stdout).__name__, get_ipython().history_manager.enabled,\n"
                 "      k.shell_channel_thread, [t.name for t in threading.enumerate() if 'hell' in t.name])")
        assert _outputs(kc, "import threading\n" + count) == [
            ("stream", "stdout", f"0 ReportKernel ReportOutStream {not forked} None []\n")]
    finally:
        kc.stop_channels()
        k.close()
        if zygote is not None:
            zygote.close()


def test_the_command_line_a_report_kernel_gets_is_read_as_traitlets_reads_it():
    from ipykernel.kernelapp import IPKernelApp

    from impactlib.run.kernelapp import ReportKernelApp

    for argv in (["-f", "/run/k/kernel.json"], ["-f", "kernel.json"]):
        ours, theirs = ReportKernelApp(), IPKernelApp()
        ours.parse_command_line(argv), theirs.parse_command_line(argv)
        assert (ours.config, ours.cli_config, ours.extra_args, ours.connection_file) == \
            (theirs.config, theirs.cli_config, theirs.extra_args, theirs.connection_file)
    other = ReportKernelApp()  # any other command line: traitlets' parser
    other.parse_command_line(["-f", "k.json", "--IPKernelApp.quiet=False"])
    assert (other.connection_file, other.quiet) == ("k.json", False)


def test_the_lean_kernel_init_repeats_the_ipykernel_it_was_written_for():
    """ReportKernel.__init__ repeats IPythonKernel.__init__ of the versions in LEAN_INIT: a change there must be read."""
    import hashlib
    import inspect

    import ipykernel
    from ipykernel.ipkernel import IPythonKernel

    from impactlib.run.kernelapp import LEAN_INIT

    if ipykernel.version_info[:2] not in LEAN_INIT:
        pytest.skip(f"ipykernel {ipykernel.__version__}: IPythonKernel's own __init__ runs")
    source = inspect.getsource(IPythonKernel.__init__)
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == "943995af8385790e", source


@pytest.mark.e2e
def test_a_forked_report_kernel_can_be_interrupted_and_goes_on(tmp_path_factory, monkeypatch):
    """No subshell thread (impactlib.run.kernelapp): an interrupt still stops the running cell, and the kernel serves the next."""
    import threading
    import time

    from jupyter_core.utils import run_sync

    from impactlib.run.zygote import Zygote

    private_tmp(monkeypatch, tmp_path_factory.mktemp("tmp"))
    zygote = Zygote()
    k = kernels.start_kernel(zygote=zygote)
    kc = k.km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        threading.Timer(1.0, lambda: run_sync(k.km.interrupt_kernel)()).start()
        started = time.monotonic()
        reply = kc.execute_interactive("import time; time.sleep(30)", timeout=30, output_hook=lambda m: None)
        assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - started < 20
        assert _outputs(kc, "print('on')") == [("stream", "stdout", "on\n")]
    finally:
        kc.stop_channels()
        k.close()
        zygote.close()

"""Big clients end to end: a real report of synthetic clients of 10,000 and 50,000 staff.

Run from the project root (the machine is shared: run it a few times at most):

    .venv/bin/python benchmarks/bench_big.py                         # this checkout, 10k and 50k
    .venv/bin/python benchmarks/bench_big.py --code main=/tmp/main-src --code this=.   # before / after, same run
    .venv/bin/python benchmarks/bench_big.py --sizes 10000 --clients /tmp/big   # keep the generated clients

For each size it writes a client with tests/synthetic.py ``write_client(staff=N, assets=2000, skills=300,
changes=40, seed=0)`` (about N / 50 departments), then, for each code checkout given (``--code
LABEL=PATH``: PYTHONPATH for the CLI and so for its kernel), runs

    python -m impactlib.cli --data-dir CLIENTS report big-<N> --scenario baseline --lang en --out OUT

as a process and records:

- the HTML size, and the largest cells' share of it (the executed notebook's outputs);
- wall time, and CPU-seconds: user + system of the CLI and everything it started and reaped (the kernel),
  from ``getrusage(RUSAGE_CHILDREN)`` before and after;
- the kernel's peak RSS: ``VmHWM`` of the kernel process (``python -m impactlib.run.kernel``, a child of
  the CLI), read from /proc every 20 ms while it lives (the high-water mark only grows, the last reading
  is its peak up to the last 20 ms);
- the slowest cells, from the executed notebook's timing metadata (nbclient's ``execution`` times);
- the load average (/proc/loadavg) at the start and the end.

It prints a markdown section; ``--doc`` writes it into docs/benchmarks.md between the
``bench-big:start`` / ``bench-big:end`` markers (added at the end of the page the first time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # synthetic.py, the synthetic clients' generator, lives with the tests
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench-big:start -->", "<!-- bench-big:end -->"
SHAPE = dict(assets=2000, skills=300, changes=40, seed=0)
PYTHON = Path(sys.executable)
KERNEL_MODULE = "impactlib.run.kernel"
POLL_S = 0.02
TARGETS = {50000: dict(html_mb=1.5, wall_s=15.0, kernel_mib=250.0), 10000: dict(kernel_mib=200.0)}


def client_id(staff: int) -> str:
    return f"big-{staff // 1000}k" if staff % 1000 == 0 else f"big-{staff}"


def generate(clients: Path, staff: int) -> Path:
    """The synthetic client of ``staff`` people under ``clients`` (reused when already there)."""
    from synthetic import write_client

    folder = clients / client_id(staff)
    if not (folder / "client.yaml").is_file():
        write_client(folder, staff=staff, **SHAPE)
    return folder


# --- one report as a process -------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _kernel_hwm(root: int) -> dict[int, tuple[int, bool]]:
    """VmHWM (KiB) of every kernel process below ``root``, and whether it is a kernel's forked child (run/ahead.py:
    the other scenarios assessed beside the report; it has the kernel's command line)."""
    found, todo = {}, [(root, False)]
    while todo:
        pid, under_kernel = todo.pop()
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            kernel = KERNEL_MODULE.encode() in cmd
            if kernel:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        found[pid] = (int(line.split()[1]), under_kernel)
        except OSError:
            kernel = False
        todo.extend((kid, under_kernel or kernel) for kid in _children(pid))
    return found


def run_report(code: Path, clients: Path, cid: str, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    cmd = [str(PYTHON), "-m", "impactlib.cli", "--data-dir", str(clients), "report", cid, "--scenario", "baseline",
           "--lang", "en", "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=code, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, int] = {}
    forked: set[int] = set()
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            for pid, (kib, child) in _kernel_hwm(proc.pid).items():
                peaks[pid] = max(peaks.get(pid, 0), kib)
                if child:
                    forked.add(pid)
            time.sleep(POLL_S)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{cid} with {code}: exit {proc.returncode}\n{stderr[-3000:]}")
    html = out / cid / "baseline.en.html"
    nb = json.loads((out / cid / "baseline.en.ipynb").read_text(encoding="utf-8"))
    page = html.read_bytes()
    js = plotly_js()
    return {"wall_s": wall, "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "html_bytes": len(page), "own_bytes": len(page) - (len(js) if js in page else 0),
            "kernel_peak_mib": max((v for p, v in peaks.items() if p not in forked), default=0) / 1024,
            "child_peak_mib": max((v for p, v in peaks.items() if p in forked), default=0) / 1024,
            "kernels_seen": len(peaks), "cells": cell_costs(nb)}


def plotly_js() -> bytes:
    """The plotly.js a self-contained report embeds (the installed plotly's), to tell the report's own bytes from it."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    return (Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js").read_bytes()


def cell_costs(nb: dict) -> list[dict]:
    """Each code cell's first line of code, seconds (nbclient's timing metadata) and output size in bytes."""
    rows = []
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        ex = cell.get("metadata", {}).get("execution", {})
        try:
            start = dt.datetime.fromisoformat(ex["iopub.execute_input"].replace("Z", "+00:00"))
            end = dt.datetime.fromisoformat(ex["shell.execute_reply"].replace("Z", "+00:00"))
            seconds = (end - start).total_seconds()
        except (KeyError, ValueError):
            seconds = float("nan")
        size = len(json.dumps(cell.get("outputs", [])))
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        code = [line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        # a cell named by its first line of code (its time and outputs are the whole cell's, several sections each)
        rows.append({"cell": code[0][:60] if code else "", "s": seconds, "bytes": size})
    return rows


# --- report ------------------------------------------------------------------------------------------

def loadavg() -> str:
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")
    ram = next((int(line.split()[1]) / 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    return f"{os.cpu_count()} CPUs, {cpu}, {ram:.1f} GiB RAM; Python {platform.python_version()}; {platform.system()} {platform.release()}"


def commit(code: Path) -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=code, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "impactlib"], cwd=code,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        marker = code / "COMMIT"  # a `git archive` export: the commit written beside it
        return marker.read_text().strip()[:12] if marker.is_file() else str(code)
    return head + (" + uncommitted changes in impactlib/" if dirty else "")


def verdict(size: int, r: dict) -> str:
    goals = TARGETS.get(size, {})
    checks = []
    if "html_mb" in goals:
        checks.append(r["own_bytes"] / 1e6 <= goals["html_mb"])
    if "wall_s" in goals:
        checks.append(r["wall_s"] <= goals["wall_s"])
    if "kernel_mib" in goals:
        checks.append(r["kernel_peak_mib"] <= goals["kernel_mib"])
    return "met" if all(checks) else "**not met**"


def section(results: list[dict], head: dict) -> str:
    lines = [f"## Big clients end to end (`benchmarks/bench_big.py`), {head['date']}", "",
             f"**Machine**: {head['machine']}. **Load average** (1 / 5 / 15 min) {head['load_start']} at the start, "
             f"{head['load_end']} at the end: the machine is shared, wall time swings with the load; read the CPU-seconds beside it.",
             "",
             "**Clients**: tests/synthetic.py `write_client(staff=N, assets=2000, skills=300, changes=40, seed=0)` (N / 50 departments). "
             "**What runs**: `impactlib report big-<N> --scenario baseline --lang en` as a process (pre-flight load, a fresh "
             "kernel, every cell of the template, the HTML export with plotly.js inline). CPU-seconds: user + system of that "
             "process and all it reaped (`getrusage(RUSAGE_CHILDREN)`); kernel peak: `VmHWM` of the kernel process (and of its "
             "forked child when it assesses the other scenarios beside the report: `run/ahead.py`).",
             "",
             "| code | staff | departments | HTML without plotly.js (with it) | wall | CPU-s | kernel peak RSS | slowest cell | targets |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in results:
        slow = max(r["cells"], key=lambda c: c["s"] if c["s"] == c["s"] else -1)
        lines.append(f"| {r['label']} ({r['commit']}) | {r['staff']:,} | {r['departments']:,} | {r['own_bytes'] / 1e6:.2f} MB ({r['html_bytes'] / 1e6:.2f} MB) | "
                     f"{r['wall_s']:.1f} s | {r['cpu_s']:.1f} | {r['kernel_peak_mib']:.0f} MiB"
                     + (f" (its child {r['child_peak_mib']:.0f})" if r.get("child_peak_mib") else "") + f" | `{slow['cell']}` {slow['s']:.1f} s | "
                     f"{verdict(r['staff'], r)} |")
    lines += ["", "Targets (issue 17 item 7): at 50,000 staff HTML ≤ 1.5 MB, report ≤ 15 s end to end, kernel ≤ 250 MiB; "
              "at 10,000 staff kernel ≤ 200 MiB. The HTML target is read without plotly.js (4.8 MB, shared by a batch's reports "
              "in `_assets/`; `impactlib report` embeds it).", ""]
    for r in results:
        top = sorted(r["cells"], key=lambda c: -c["bytes"])[:5]
        lines.append(f"- {r['label']}, {r['staff']:,} staff, largest cell outputs: "
                     + ", ".join(f"`{c['cell']}` {c['bytes'] / 1e3:,.0f} kB ({c['s']:.2f} s)" for c in top))
    return "\n".join(lines) + "\n"


def write_doc(text: str) -> None:
    page = DOC.read_text(encoding="utf-8")
    block = f"{START}\n{text}{END}"
    if START in page and END in page:
        page = page[: page.index(START)] + block + page[page.index(END) + len(END):]
    else:
        page = page.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    p.add_argument("--code", action="append", default=[], metavar="LABEL=PATH",
                   help="a checkout to run the report from (PYTHONPATH); repeat for before/after (default: this one)")
    p.add_argument("--runs", type=int, default=1, help="reports per code and size (alternating)")
    p.add_argument("--clients", type=Path, help="folder for the synthetic clients (kept; default: a temporary folder)")
    p.add_argument("--doc", action="store_true", help="write the section into docs/benchmarks.md")
    p.add_argument("--json", type=Path, help="also write the raw results as JSON")
    args = p.parse_args(argv)
    codes = [(c.split("=", 1)[0], Path(c.split("=", 1)[1]).resolve()) for c in args.code] or [("this", ROOT)]
    head = {"date": f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC", "machine": machine(), "load_start": loadavg()}
    with tempfile.TemporaryDirectory(prefix="impactlib-bench-big-") as tmp:
        clients = args.clients or Path(tmp) / "clients"
        clients.mkdir(parents=True, exist_ok=True)
        results = []
        for staff in args.sizes:
            folder = generate(clients, staff)
            departments = sum(1 for _ in (folder / "departments.csv").open(encoding="utf-8")) - 1
            for run in range(args.runs):
                for label, code in codes:
                    out = Path(tmp) / f"out-{label}-{run}"
                    r = run_report(code, clients, folder.name, out)
                    r.update(label=label, commit=commit(code), staff=staff, departments=departments, run=run)
                    print(f"{label} {staff:,} staff: HTML {r['own_bytes'] / 1e6:.2f} MB without plotly.js, wall {r['wall_s']:.1f} s, "
                          f"CPU {r['cpu_s']:.1f} s, kernel peak {r['kernel_peak_mib']:.0f} MiB"
                          + (f", its forked child {r['child_peak_mib']:.0f} MiB" if r["child_peak_mib"] else "") + f" (load {loadavg()})", flush=True)
                    results.append(r)
    head["load_end"] = loadavg()
    text = section(results, head)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"head": head, "results": results}, indent=1), encoding="utf-8")
    if args.doc:
        write_doc(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

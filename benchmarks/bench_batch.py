"""Portfolio batch throughput vs the naive pipeline, in the same run, with where a report's time goes.

    .venv/bin/python benchmarks/bench_batch.py                  # 100 clients, naive pipeline on 10 of them
    .venv/bin/python benchmarks/bench_batch.py --clients 20 --naive 4 --append   # append to docs/benchmarks.md

The naive pipeline is what a user would script: for each client, the ``papermill`` CLI then the
``jupyter nbconvert --to html`` CLI, one after the other. It takes ~10 s a report, so it runs on a
subset (``--naive``) and the comparison is per report (throughput = reports per second). The
batch is ``impactlib batch --all -j N`` as a subprocess; its peak memory is the largest sum of
resident memory over its whole process tree (parent and kernels), sampled every 0.1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # synthetic.py, the synthetic clients' generator, lives with the tests
BIN = Path(sys.executable).parent
SHAPE = {"staff": 120, "assets": 60, "skills": 30, "changes": 3}


def generate(folder: Path, n: int) -> None:
    from synthetic import write_client

    for i in range(n):
        write_client(folder / f"syn-{i:03d}", seed=i, **SHAPE)


def naive(data: Path, out: Path, n: int) -> list[float]:
    """papermill CLI then jupyter nbconvert CLI, client after client; seconds per report."""
    from impactlib.run.report import TEMPLATE

    times = []
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        cid = f"syn-{i:03d}"
        nb = out / f"{cid}.ipynb"
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "papermill"), str(TEMPLATE), str(nb), "-k", "impactlib", "-p", "client", cid,
                        "-p", "scenario", "baseline", "-p", "lang", "en", "-p", "data_dir", str(data), "--no-progress-bar"],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def tree_rss(proc) -> int:
    import psutil

    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def batch(data: Path, out: Path, jobs: int, extra: list[str] = ()) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory of the process tree (bytes), stdout of ``impactlib batch``."""
    import psutil

    cmd = [str(BIN / "impactlib"), "--data-dir", str(data), "batch", "--all", "-j", str(jobs), "--out", str(out), *extra]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc, peak = psutil.Process(p.pid), 0
    while p.poll() is None:
        peak = max(peak, tree_rss(proc))
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    stdout, stderr = p.communicate()
    if p.returncode != 0:
        raise SystemExit(f"batch failed ({p.returncode}):\n{stdout}\n{stderr}")
    return wall, peak, stdout


def kernel_breakdown(n: int = 4) -> dict[str, float]:
    """Median seconds to get a kernel ready: a new Python process, or forked from the zygote; then the warm-up import."""
    from jupyter_core.utils import run_sync

    from impactlib.run import batch as b
    from impactlib.run.zygote import Zygote

    out: dict[str, list[float]] = {"kernel_start": [], "kernel_imports": [], "kernel_fork": [], "fork_imports": []}
    t0 = time.perf_counter()
    zygote = Zygote()
    out["zygote_start"] = [time.perf_counter() - t0]
    try:
        for _ in range(n):
            for z, start_key, import_key in ((None, "kernel_start", "kernel_imports"), (zygote, "kernel_fork", "fork_imports")):
                k = b.Kernel("impactlib", z)
                try:
                    t0 = time.perf_counter()
                    # as batch.Kernel.start: the kernel's output pipe goes in its own folder, removed with it
                    run_sync(k.km.start_kernel)(cwd=k.folder, env={**os.environ, "IMPACTLIB_KERNEL_DIR": k.folder})
                    kc = k.km.blocking_client()
                    kc.start_channels()
                    kc.wait_for_ready(timeout=60)
                    t1 = time.perf_counter()
                    kc.execute_interactive(b.WARM_CODE, timeout=60)
                    t2 = time.perf_counter()
                    kc.stop_channels()
                    out[start_key].append(t1 - t0)
                    out[import_key].append(t2 - t1)
                finally:
                    k.close()
    finally:
        zygote.close()
    return {k: statistics.median(v) for k, v in out.items()}


def import_seconds(code: str) -> float:
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--naive", type=int, default=10, help="clients run through the naive pipeline (default 10)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--append", action="store_true", help="append the results to docs/benchmarks.md")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        data = work / "clients"
        t0 = time.perf_counter()
        generate(data, args.clients)
        gen = time.perf_counter() - t0
        print(f"generated {args.clients} clients in {gen:.1f} s", flush=True)

        naive_times = naive(data, work / "naive", min(args.naive, args.clients))
        print(f"naive: {statistics.mean(naive_times):.2f} s/report over {len(naive_times)}", flush=True)
        wall, peak, _ = batch(data, work / "reports", args.jobs)
        print(f"batch: {wall:.1f} s for {args.clients} ({wall / args.clients:.2f} s/report), peak {peak / 2**20:.0f} MiB", flush=True)
        rerun, _, rerun_out = batch(data, work / "reports", args.jobs)
        print(f"no-change rerun: {rerun:.2f} s ({rerun_out.strip().splitlines()[-1]})", flush=True)

        statuses = [json.loads(p.read_text()) for p in (work / "reports").glob("*/*.status.json")]
        execute = statistics.median(s["timings"]["execute"] for s in statuses)
        export = statistics.median(s["timings"]["export"] for s in statuses)
        per_report = statistics.median(s["seconds"] for s in statuses)
        kb = kernel_breakdown()
        sizes = [p.stat().st_size for p in (work / "reports").glob("*/*.html")]
        inline = (work / "reports" / "_assets" / "plotly.min.js").stat().st_size
        imp = {
            "import nbformat (parent, as installed)": import_seconds("import nbformat"),
            "import nbformat (parent, rfc3987_syntax skipped)": import_seconds(
                "import sys; sys.modules['rfc3987_syntax'] = None; import nbformat"),
            "import impactlib.report (what the kernel imports)": import_seconds("import impactlib.report"),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    naive_per = statistics.mean(naive_times)
    batch_per = wall / args.clients
    mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    lines = [
        f"## Portfolio batch ({dt.date.today().isoformat()})",
        "",
        f"Machine: {os.cpu_count()} cores (`nproc`), {mem} GB RAM (`free -g`), Python {platform.python_version()}, "
        f"shared with other jobs (so absolute times vary; the ratio is measured in the same run). "
        f"Clients: `tests/synthetic.py` `write_client({', '.join(f'{k}={v}' for k, v in SHAPE.items())})`, one report each "
        f"(baseline, en). Command: `benchmarks/bench_batch.py --clients {args.clients} --naive {args.naive} -j {args.jobs}`.",
        "",
        "| | reports | wall | per report | throughput vs naive |",
        "|---|---:|---:|---:|---:|",
        f"| naive: `papermill` CLI then `jupyter nbconvert --to html` CLI, one client after another | {len(naive_times)} | "
        f"{sum(naive_times):.1f} s | {naive_per:.2f} s | 1× |",
        f"| `impactlib batch --all -j {args.jobs}` | {args.clients} | {wall:.1f} s | {batch_per:.2f} s | **{naive_per / batch_per:.1f}×** |",
        f"| no-change rerun (`impactlib batch --all` again) | {args.clients} skipped | {rerun:.2f} s | | |",
        "",
        f"The naive pipeline ran on {len(naive_times)} of the {args.clients} clients (it takes ~10 s a report); "
        "throughput is compared per report.",
        f"Peak memory of the batch (parent + kernels, resident, summed over the process tree): {peak / 2**20:.0f} MiB "
        f"(at most 2 × {args.jobs} kernels alive: {args.jobs} running, {args.jobs} warming up in the pool).",
        f"Report size: {statistics.median(sizes) / 1e3:.0f} kB each with the shared plotly.js "
        f"({inline / 1e6:.1f} MB, once in reports/_assets/) instead of ~{(statistics.median(sizes) + inline) / 1e6:.1f} MB self-contained.",
        "",
        "Where a report's time goes (medians; kernel start and imports happen in the pool, ahead of use):",
        "",
        "| step | seconds |",
        "|---|---:|",
        f"| new kernel process until ready (IPC transport) | {kb['kernel_start']:.2f} |",
        f"| then imports in it (`impactlib`, `impactlib.report`) | {kb['kernel_imports']:.2f} |",
        f"| instead: kernel forked from the zygote until ready (what the batch does) | {kb['kernel_fork']:.2f} |",
        f"| then imports in it (already loaded) | {kb['fork_imports']:.2f} |",
        f"| zygote start-up, once per batch (Python + ipykernel + impactlib imports) | {kb['zygote_start']:.2f} |",
        f"| notebook execution (load, review, advice, charts; 30 cells) | {execute:.2f} |",
        f"| export to HTML + notebook write, in the batch process, no re-read | {export:.2f} |",
        f"| report wall time in the batch (kernel ready to status written, under -j {args.jobs} load) | {per_report:.2f} |",
        "",
        "One-off imports (process start included):",
        "",
        "| import | seconds |",
        "|---|---:|",
        *[f"| {k} | {v:.2f} |" for k, v in imp.items()],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()

"""Portfolio batch vs the naive pipeline, in the same run: CPU-seconds and wall time per report, and where the CPU goes.

    .venv/bin/python benchmarks/bench_batch.py                       # 100 clients, naive pipeline on 10 of them
    .venv/bin/python benchmarks/bench_batch.py --clients 20 --naive 4 --append   # append the results to docs/benchmarks.md
    .venv/bin/python benchmarks/bench_batch.py --clients 30 --naive 3 -j 2 --against /work/main   # A/B with another checkout

The naive pipeline is what a user would script: for each client, the ``papermill`` CLI then the
``jupyter nbconvert --to html`` CLI, one after the other (it runs on a subset, ``--naive``: half of it before the
first batch, half after, so that the machine's drift over the run weighs on both sides of the ratio). The batch is
``impactlib batch --all -j N``. CPU-seconds are user + system time of a command and every process it
started (``resource.getrusage(RUSAGE_CHILDREN)`` around it: the batch process, its kernel zygote and the
kernels, which the zygote reaps): on a shared 2-core machine wall time swings 2x with the load, CPU time
much less. Then: a second batch with ``--force`` (every other scenario's headline kept: what a client's
second report costs), a no-change rerun, the report size, and where one report's CPU goes, measured step
by step in this process (warm, as in a forked kernel).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # synthetic.py: the test-data generator
BIN = Path(sys.executable).parent
SHAPE = {"staff": 120, "assets": 60, "skills": 30, "changes": 3}
# the batch as a subprocess that also says how its CPU splits between itself and its children (zygote, kernels)
WRAP = ("import json, resource, sys; from impactlib import cli; rc = cli.main(sys.argv[1:]); "
        "u = lambda r: r.ru_utime + r.ru_stime; "
        "print('CPU', json.dumps([u(resource.getrusage(resource.RUSAGE_SELF)), u(resource.getrusage(resource.RUSAGE_CHILDREN))]), "
        "file=sys.stderr); sys.exit(rc)")


def generate(folder: Path, n: int) -> None:
    from synthetic import write_client

    for i in range(n):
        write_client(folder / f"syn-{i:03d}", seed=i, **SHAPE)


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measured(cmd: list[str], **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU-seconds (the command and all it started) and the finished process."""
    c0, t0 = children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    wall, cpu = time.perf_counter() - t0, children_cpu() - c0
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:3]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return wall, cpu, done


def naive(data: Path, out: Path, clients: range) -> tuple[float, float]:
    """papermill CLI then jupyter nbconvert CLI, client after client: wall and CPU seconds in all."""
    from impactlib.run.runner import TEMPLATE

    out.mkdir(parents=True, exist_ok=True)
    wall = cpu = 0.0
    for i in clients:
        cid = f"syn-{i:03d}"
        nb = out / f"{cid}.ipynb"
        for cmd in ([str(BIN / "papermill"), str(TEMPLATE), str(nb), "-k", "impactlib", "-p", "client", cid, "-p", "scenario",
                     "baseline", "-p", "lang", "en", "-p", "data_dir", str(data), "--no-progress-bar"],
                    [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)]):
            w, c, _ = measured(cmd)
            wall, cpu = wall + w, cpu + c
    return wall, cpu


def batch(data: Path, out: Path, jobs: int, *extra: str, code: Path = ROOT) -> dict:
    """``impactlib batch --all`` of the checkout ``code``: wall, CPU in all, CPU of the batch process itself and of its
    children."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    wall, cpu, done = measured([sys.executable, "-c", WRAP, "--data-dir", str(data), "batch", "--all", "-j", str(jobs),
                                "--out", str(out), *extra], cwd=out.parent, env=env)
    own, children = json.loads(next(line for line in done.stderr.splitlines() if line.startswith("CPU "))[4:])
    return {"wall": wall, "cpu": cpu, "own": own, "children": children, "stdout": done.stdout}


def steps(data: Path, out: Path) -> dict[str, float]:
    """CPU-seconds of each step of one report, in this process (warm, as in a forked kernel), median of 5 clients."""
    import datetime as dt_

    import nbformat

    from impactlib import assess, load_client, report
    from impactlib.run.runner import Exporter, notebook_text
    from impactlib.run.warm import warm

    warm()
    # the template's sections that take (analysis, lang)
    sections = ["needs", "timeline_chart", "organisation", "os_support_chart", "usage_chart", "flow_chart", "warnings",
                "risk_chart", "drawbacks_section", "validation", "impact_chart", "load_chart", "gaps_chart", "training_chart",
                "training_section", "staffing_section", "reorganisation_section", "systems_section", "devices_section",
                "options_chart", "protection_summary", "protection_chart", "protection_actions", "cost_chart", "cost_table",
                "horizon_section", "cumulative_chart", "objectives_section", "effort_section", "confidentiality_section",
                "appendix", "footer"]
    runs: dict[str, list[float]] = {}

    def timed(name, f):
        t0 = time.process_time()
        value = f()
        runs.setdefault(name, []).append(time.process_time() - t0)
        return value

    def shown(x):
        return x._repr_mimebundle_() if hasattr(x, "_repr_mimebundle_") else x._repr_html_()

    folders = sorted(p for p in data.iterdir() if p.is_dir())[:6]  # fewer with --clients under 6
    for folder in folders:
        c = timed("load_client (the pre-flight, in the batch process; the kernel gets it handed over)", lambda: load_client(folder))
        an = assess(c, "baseline")
        timed("the report's own analysis (headline, findings, training, costs...)", lambda: an.headline)
        others = timed("the other scenario, assessed for the comparison section (none when its headline is kept)",
                       lambda: [assess(c, s, like=an).headline for s in sorted(c.scenarios) if s != "baseline"])
        timed("the sections: HTML fragments and charts (what the report shows)",
              lambda: [shown(report.cover(an, "en", dt_.date.today())), shown(report.executive_summary(an, "en")),
                       *[shown(getattr(report, s)(an, "en")) for s in sections]])
        del others
    nb = nbformat.read(next(out.glob("*/baseline.en.ipynb")), as_version=4)
    Exporter.get()
    from impactlib.io import snapshot  # the hand-over of the loaded client to the kernel

    for folder in folders:
        with tempfile.TemporaryDirectory() as tmp:
            c = load_client(folder)
            given = timed("client handed over: pickled by the batch process", lambda: snapshot.give(c, tmp))
            timed("client handed over: checked and unpickled by the kernel", lambda: load_client(folder, given))
    for _ in range(6):
        timed("HTML export (batch process, one exporter)", lambda: Exporter.get().html(nb, "t", "en", ""))
        timed("notebook written as JSON (batch process)", lambda: notebook_text(nb))
    return {k: statistics.median(v[1:] or v) for k, v in runs.items()}  # the first run pays one-off costs


def kernel_costs(kernels: int = 6, cells: int = 10) -> dict[str, float]:
    """A forked kernel's own CPU-seconds from the fork to its first answer, and per executed cell (a one-line cell with
    one output: request, reply and IOPub messages on the kernel's side), and this process's CPU per kernel (starting
    it and running the cells through nbclient); medians over ``kernels`` kernels forked from one zygote."""
    import nbformat
    from nbclient import NotebookClient

    from impactlib.run.kernels import start_kernel
    from impactlib.run.zygote import Zygote

    def cpu_of(pid: int) -> float:  # user + system time of a live process, from /proc (Linux)
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    zygote = Zygote()
    started, per_cell, here = [], [], []
    try:
        for _ in range(kernels):
            t0 = time.process_time()
            k = start_kernel(zygote=zygote)
            try:
                pid = k.km.provisioner.pid
                first = cpu_of(pid)
                nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x{j} = {j}\nx{j}") for j in range(cells)])
                NotebookClient(nb, km=k.km, kernel_name=k.km.kernel_name).execute()
                started.append(first)
                per_cell.append((cpu_of(pid) - first) / cells)
            finally:
                k.close()
            here.append(time.process_time() - t0)
    finally:
        zygote.close()
    return {"a forked kernel, from the fork to its first answer (kernel)": statistics.median(started),
            "one executed cell, kernel side (request, reply, IOPub messages)": statistics.median(per_cell),
            f"a kernel started and {cells} cells run, batch side (jupyter_client, nbclient)": statistics.median(here)}


def gauge() -> float:
    """CPU-seconds of a fixed pure-Python workload (dicts, strings, sorting, JSON), the least of 3 runs: how fast the
    machine ran at that moment. Absolute CPU-seconds of two runs compare only at similar gauges (on this shared VM
    the naive pipeline took 4.6 CPU-s a report one morning and 11.7 that afternoon); the ratio to the naive pipeline,
    measured in the same run, needs no gauge."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        counts: dict[str, int] = {}
        for i in range(1_000_000):
            key = f"k{i % 4999}"
            counts[key] = counts.get(key, 0) + i
        text = json.dumps(sorted(counts.items(), key=lambda kv: str(kv[1])))
        assert len(json.loads(text)) == len(counts)
        best = min(best, time.process_time() - t0)
    return best


def _commit(code: Path) -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=code, capture_output=True, text=True).stdout.strip()
    return found or "not a git checkout"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--naive", type=int, default=10, help="clients run through the naive pipeline (default 10)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--append", action="store_true", help="append the results to docs/benchmarks.md")
    ap.add_argument("--against", type=Path, default=None,
                    help="another checkout (e.g. main's): its batch runs alternately with this one's on the same clients")
    ap.add_argument("--no-force", action="store_true", help="skip the --force batch (e.g. to time a 100-client rerun)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    load = []
    gauges = [gauge()]
    try:
        data = work / "clients"
        generate(data, args.clients)
        print(f"generated {args.clients} clients", flush=True)
        load.append(os.getloadavg()[0])
        # the naive pipeline in two halves, one before the first batches and one after: a shared machine's speed drifts
        # over minutes, and the ratio compares the batch with the naive pipeline run around it
        n = min(args.naive, args.clients)
        halves = [range(0, (n + 1) // 2), range((n + 1) // 2, n)]
        naive_runs = [naive(data, work / "naive", halves[0])]
        print(f"naive, first half: {naive_runs[0][1] / len(halves[0]):.2f} CPU-s per report over {len(halves[0])}", flush=True)
        load.append(os.getloadavg()[0])
        other: dict[str, dict] = {}
        if args.against:
            (work / "against").mkdir()
            other["cold"] = batch(data, work / "against" / "reports", args.jobs, code=args.against)
            print(f"against, batch: {other['cold']['cpu'] / args.clients:.2f} CPU-s per report", flush=True)
        cold = batch(data, work / "reports", args.jobs)
        print(f"batch: {cold['cpu'] / args.clients:.2f} CPU-s, {cold['wall'] / args.clients:.2f} s wall per report", flush=True)
        load.append(os.getloadavg()[0])
        if len(halves[1]):
            naive_runs.append(naive(data, work / "naive", halves[1]))
            print(f"naive, second half: {naive_runs[1][1] / len(halves[1]):.2f} CPU-s per report over {len(halves[1])}", flush=True)
        naive_wall, naive_cpu = sum(w for w, _ in naive_runs), sum(c for _, c in naive_runs)
        print(f"naive: {naive_cpu / n:.2f} CPU-s, {naive_wall / n:.2f} s wall per report over {n}", flush=True)
        if args.against and not args.no_force:
            other["warm"] = batch(data, work / "against" / "reports", args.jobs, "--force", code=args.against)
            print(f"against, batch --force: {other['warm']['cpu'] / args.clients:.2f} CPU-s per report", flush=True)
        warm = None if args.no_force else batch(data, work / "reports", args.jobs, "--force")
        if warm is not None:
            print(f"batch --force (headlines kept): {warm['cpu'] / args.clients:.2f} CPU-s per report", flush=True)
        rerun = batch(data, work / "reports", args.jobs)
        print(f"no-change rerun: {rerun['wall']:.2f} s ({rerun['stdout'].strip().splitlines()[-1]})", flush=True)
        load.append(os.getloadavg()[0])
        gauges.append(gauge())
        if args.against:
            other["sizes"] = [p.stat().st_size for p in (work / "against" / "reports").glob("*/*.html")]
        sizes = [p.stat().st_size for p in (work / "reports").glob("*/*.html")]
        plotly = (work / "reports" / "_assets" / "plotly.min.js").stat().st_size
        naive_sizes = [p.stat().st_size for p in (work / "naive").glob("*.html")]
        timings = [json.loads(p.read_text())["timings"] for p in (work / "reports").glob("*/*.status.json")]
        parts = steps(data, work / "reports")
        parts.update(kernel_costs())
    finally:
        shutil.rmtree(work, ignore_errors=True)

    per = lambda r: r["cpu"] / args.clients  # noqa: E731
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout
    mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    lines = [
        f"## Portfolio batch ({dt.date.today().isoformat()}, commit {commit}{' + uncommitted changes' if dirty else ''})",
        "",
        f"Machine: {os.cpu_count()} cores (`nproc`), {mem} GB RAM (`free -g`), Python {platform.python_version()}, shared with "
        f"other jobs: load average {load[0]:.1f} at the start, {load[-1]:.1f} at the end ({min(load):.1f}–{max(load):.1f} during the run); speed gauge (`gauge()`: a fixed Python workload) {gauges[0]:.3f} CPU-s at the start, {gauges[-1]:.3f} at the end. Clients: `tests/synthetic.py` "
        f"`write_client({', '.join(f'{k}={v}' for k, v in SHAPE.items())})` (two scenarios each), one report each "
        f"(baseline, en). Command: `benchmarks/bench_batch.py --clients {args.clients} --naive {args.naive} -j {args.jobs}{' --no-force' if args.no_force else ''}`.",
        "",
        "| | reports | CPU-s per report | wall per report | CPU vs naive |",
        "|---|---:|---:|---:|---:|",
        f"| naive: `papermill` CLI then `jupyter nbconvert --to html` CLI (half before the batch, half after: "
        f"{' and '.join(f'{c / len(h):.2f}' for (_, c), h in zip(naive_runs, halves))} CPU-s) | {n} | {naive_cpu / n:.2f} | "
        f"{naive_wall / n:.2f} s | 1× |",
        f"| `impactlib batch --all -j {args.jobs}` | {args.clients} | **{per(cold):.2f}** | {cold['wall'] / args.clients:.2f} s | "
        f"**{naive_cpu / n / per(cold):.1f}×** |",
        *([f"| the same with `--force`: each report gets the other scenario's kept headline | {args.clients} | {per(warm):.2f} | "
           f"{warm['wall'] / args.clients:.2f} s | {naive_cpu / n / per(warm):.1f}× |"] if warm is not None else []),
        f"| no-change rerun (`impactlib batch --all` again, {args.clients} skipped) | 0 | {rerun['cpu']:.2f} in all | "
        f"{rerun['wall']:.2f} s in all | |",
        "",
        *([f"Against `{args.against}` (commit {_commit(args.against)}), run alternately on the same clients: batch "
           f"{other['cold']['cpu'] / args.clients:.2f} CPU-s per report ({other['cold']['own'] / args.clients:.2f} batch process + "
           f"{other['cold']['children'] / args.clients:.2f} kernels), {other['cold']['wall'] / args.clients:.2f} s wall"
           + (f"; with `--force` {other['warm']['cpu'] / args.clients:.2f} CPU-s" if "warm" in other else "")
           + f"; report size {statistics.median(other['sizes']) / 1e3:.0f} kB (median). This checkout: "
           f"{per(cold):.2f} ({cold['own'] / args.clients:.2f} + {cold['children'] / args.clients:.2f})"
           + (f", `--force` {per(warm):.2f}" if not args.no_force else "") + ".", ""] if args.against else []),
        f"CPU of the first batch: {cold['own'] / args.clients:.2f} s per report in the batch process (pre-flight, nbclient, "
        f"export, writes), {cold['children'] / args.clients:.2f} s in the kernel zygote and the kernels. Report size: "
        f"{statistics.median(sizes) / 1e3:.0f} kB (median; largest {max(sizes) / 1e3:.0f} kB) plus the shared plotly.js "
        f"({plotly / 1e6:.1f} MB, once in reports/_assets/); the naive pipeline's: {statistics.median(naive_sizes) / 1e3:.0f} kB "
        f"each. Median step wall times in the batch (status files): pre-flight {statistics.median(t['preflight'] for t in timings):.2f} s, "
        f"execution {statistics.median(t['execute'] for t in timings):.2f} s, export {statistics.median(t['export'] for t in timings):.3f} s.",
        "",
        "Where one report's CPU goes (measured step by step in one warm process, median of 5 clients; then a forked "
        "kernel's own costs, median of 6 kernels):",
        "",
        "| step | CPU-s |",
        "|---|---:|",
        *[f"| {k} | {v:.3f} |" for k, v in parts.items()],
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()

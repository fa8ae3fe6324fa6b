"""Scale benchmark of the analysis: synthetic clients of 5,000 and 50,000 staff.

Run from the project root:

    .venv/bin/python benchmarks/bench_analysis.py            # 5k and 50k, writes docs/benchmarks.md
    .venv/bin/python benchmarks/bench_analysis.py --sizes 5000 --no-doc

For each size it generates a client (2,000 assets, 300 skills, 40 changes; tests/synthetic.py) in a
temporary folder, then, in one worker process per size (so that the process max RSS belongs to that
size alone), times with time.perf_counter the median of 3 runs of:

    load      impactlib.load_client
    review    Analysis.findings                      (the duty to warn: every rule)
    drawbacks Analysis.drawbacks
    skills    Analysis.gaps + training_need          (advice: who lacks what, which courses)
    costs     Analysis.cost_lines                    (advice: first-year cost)
    advice    the rest of report section 3: change load, training plan, staffing, organisation, cost figures

Each step is timed cold: it reads a fresh ``impactlib.assess(client, scenario)`` (results live on the
Analysis, nothing on the client), so a step pays for everything it needs. "analysis" is review,
drawbacks, skills, costs and advice read in a row from one fresh Analysis, as a report reads them
(later steps reuse what earlier ones computed): that is the number the targets are about.
Memory: the tracemalloc peak of one more cold run of the analysis, and the process max RSS
(resource.getrusage) after the first load and at the end.

docs/benchmarks.md: the part between the ``bench:start`` / ``bench:end`` markers is rewritten; the
rest of the page (e.g. profiling notes) is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # synthetic.py, the synthetic clients' generator, lives with the tests
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SHAPE = dict(assets=2000, skills=300, changes=40)
STEPS = ("load", "review", "drawbacks", "skills", "costs", "analysis")
ANALYSIS = ("review", "drawbacks", "skills", "costs", "advice")  # review + advice, in report order
TARGET_ANALYSIS_S, TARGET_RATIO, TARGET_REVIEW_S = 2.0, 12.0, 0.75  # "well under 1 s": a quarter of margin
# each analysis step as what it reads of an Analysis (and so computes, when the Analysis is fresh)
READS = {
    "review": lambda an: an.findings,
    "drawbacks": lambda an: an.drawbacks,
    "skills": lambda an: (an.gaps, an.training_need),
    "costs": lambda an: an.cost_lines,
    # the rest of the advice, as report section 3 reads it
    "advice": lambda an: (an.change_load, an.sessions, an.staffing_advice, an.reorganisation, an.figures),
}


# --- worker: one client, in its own process ---------------------------------------------------------

def measure(folder: Path, scenario: str | None, repeat: int) -> dict:
    import impactlib

    def run_load():
        return impactlib.load_client(folder)

    client = run_load()  # warm-up: imports, catalog, pandera schemas
    rss_base = _maxrss_mb()
    scenario = scenario or client.profile.default_scenario
    # cold: each step reads a fresh Analysis, so it computes everything it needs
    steps = {"load": run_load, **{name: (lambda read=read: read(impactlib.assess(client, scenario))) for name, read in READS.items()}}
    times: dict[str, list[float]] = {k: [] for k in (*steps, "analysis")}
    info: dict = {}
    for _ in range(repeat):
        for name, fn in steps.items():
            gc.collect()
            t0 = time.perf_counter()
            out = fn()
            times[name].append(time.perf_counter() - t0)
            if name == "review":
                info["findings"] = len(out)
            elif name == "skills":
                info["gap_rows"], info["training_rows"] = len(out[0]), len(out[1])
            del out
        # the analysis as a report runs it: one fresh Analysis, the steps in a row sharing what they computed
        gc.collect()
        t0 = time.perf_counter()
        an = impactlib.assess(client, scenario)
        for name in ANALYSIS:
            READS[name](an)
        times["analysis"].append(time.perf_counter() - t0)
        del an
    rss_after_load = _maxrss_mb()

    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    an = impactlib.assess(client, scenario)
    for name in ANALYSIS:
        READS[name](an)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    changes = len(an.changes)
    del an
    return {
        "median_s": {k: statistics.median(v) for k, v in times.items()},
        "runs_s": times,
        "tracemalloc_peak_mb": peak / 2**20,
        "maxrss_mb_after_first_load": rss_base,
        "maxrss_mb": _maxrss_mb(),
        "maxrss_mb_after_timed_runs": rss_after_load,
        "staff": len(client.staff), "departments": len(client.departments), "assets": len(client.assets),
        "skill_rows": len(client.skills), "skill_ids": int(client.skills["skill_id"].nunique()),
        "usage_rows": len(client.usage), "dependency_rows": len(client.dependencies),
        "changes": changes, "scenario": scenario, **info,
    }


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# --- driver ------------------------------------------------------------------------------------------

def machine() -> dict:
    import numpy
    import pandas

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    try:
        nproc = int(subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout)
    except (OSError, ValueError, subprocess.CalledProcessError):
        nproc = len(os.sched_getaffinity(0))
    return {"nproc": nproc, "cpu": cpu, "ram": ram, "python": platform.python_version(), "pandas": pandas.__version__,
            "numpy": numpy.__version__, "platform": platform.platform()}


def code_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "impactlib"], capture_output=True, text=True, cwd=ROOT,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head}" + (f" with uncommitted changes in impactlib/ ({len(dirty.splitlines())} files)" if dirty else "")


def generate(folder: Path, staff: int, seed: int) -> float:
    from synthetic import write_client

    t0 = time.perf_counter()
    write_client(folder, staff=staff, seed=seed, **SHAPE)
    return time.perf_counter() - t0


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    head = "| step | " + " | ".join(f"{s:,} staff" for s in sizes) + (" | ratio" if len(sizes) > 1 else "") + " |"
    rule = "|---|" + "---:|" * len(sizes) + ("---:|" if len(sizes) > 1 else "")
    rows = [head, rule]

    def line(label, values, fmt, ratio=True):
        cells = [fmt(v) for v in values]
        r = f" | {values[-1] / values[0]:.1f}×" if len(values) > 1 and ratio and values[0] else (" | " if len(values) > 1 else "")
        rows.append(f"| {label} | " + " | ".join(cells) + r + " |")

    sec = lambda v: f"{v:.3f} s"  # noqa: E731
    mb = lambda v: f"{v:,.0f} MB"  # noqa: E731
    line("generate (write_client, once)", [results[s]["generate_s"] for s in sizes], sec)
    for k, label in (("load", "load_client"), ("review", "review"), ("drawbacks", "drawbacks"),
                     ("skills", "gaps + training_need"), ("costs", "costs.estimate"),
                     ("advice", "impact, load, training plan, staffing, organisation, cost ranges")):
        line(label, [results[s]["median_s"][k] for s in sizes], sec)
    line("sum of the steps, each cold", [analysis_sum(results[s]) for s in sizes], sec)
    line("**analysis** (review and all advice in a row)", [analysis(results[s]) for s in sizes], lambda v: f"**{v:.3f} s**")
    line("tracemalloc peak of the analysis", [results[s]["tracemalloc_peak_mb"] for s in sizes], mb)
    line("process max RSS after the first load", [results[s]["maxrss_mb_after_first_load"] for s in sizes], mb)
    line("process max RSS (end)", [results[s]["maxrss_mb"] for s in sizes], mb)
    for k, label in (("findings", "findings"), ("staff", "staff rows"), ("departments", "departments"), ("skill_rows", "skills.csv rows"),
                     ("usage_rows", "usage.csv rows"), ("dependency_rows", "dependencies.csv rows"), ("gap_rows", "gap rows"),
                     ("training_rows", "training rows")):
        line(label, [results[s][k] for s in sizes], lambda v: f"{v:,}", ratio=k in ("gap_rows", "training_rows"))
    return "\n".join(rows)


def analysis(r: dict) -> float:
    """Review + advice as a report runs it: one fresh Analysis, the steps in a row (sharing its results)."""
    return r["median_s"]["analysis"]


def analysis_sum(r: dict) -> float:
    """Each step cold, added up (what the steps cost when nothing is shared)."""
    return sum(r["median_s"][k] for k in ANALYSIS)


def _k(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else f"{n:,}"


def verdicts(results: dict[int, dict]) -> list[str]:
    sizes = sorted(results)
    big = results[sizes[-1]]
    out = []
    a = analysis(big)
    out.append(f"- review + advice at {sizes[-1]:,} staff: {a:.2f} s (target ≤ {TARGET_ANALYSIS_S:g} s): "
               + ("**met**" if a <= TARGET_ANALYSIS_S else "**missed**"))
    rv = big["median_s"]["review"]
    out.append(f"- review alone at {sizes[-1]:,} staff: {rv:.2f} s (target well under 1 s, read as ≤ {TARGET_REVIEW_S:g} s): "
               + ("**met**" if rv <= TARGET_REVIEW_S else "**missed**"))
    if len(sizes) > 1:
        small = results[sizes[0]]
        ratio = a / analysis(small)
        out.append(f"- ratio time({_k(sizes[-1])}) / time({_k(sizes[0])}) of the analysis: {ratio:.1f} "
                   f"(target ≤ {TARGET_RATIO:g}; staff ratio {sizes[-1] / sizes[0]:g}): " + ("**met**" if ratio <= TARGET_RATIO else "**missed**"))
        out.append(f"- ratio of review alone: {rv / small['median_s']['review']:.1f}")
    return out


def render(results: dict[int, dict], mach: dict, args) -> str:
    sizes = sorted(results)
    lines = [
        START,
        f"Generated by `.venv/bin/python benchmarks/bench_analysis.py` on {dt.date.today().isoformat()}.",
        "",
        "**Machine**: " + f"{mach['nproc']} CPUs (nproc), {mach['cpu']}, {mach['ram']} RAM; Python {mach['python']}, "
        f"pandas {mach['pandas']}, numpy {mach['numpy']}; {mach['platform']}.",
        "",
        f"**Clients**: `tests/synthetic.py` `write_client(staff=N, assets={SHAPE['assets']}, skills={SHAPE['skills']}, "
        f"changes={SHAPE['changes']}, seed={args.seed})`, scenario `{results[sizes[0]]['scenario']}`. "
        f"Times are the median of {args.repeat} runs in one process (time.perf_counter), after a warm-up load; "
        "each step is timed cold (it reads a fresh `assess(client, scenario)`); "
        "**analysis** is the five analysis steps read in a row from one fresh Analysis, as a report reads them. "
        "The tracemalloc peak is one more cold run of the analysis; the max RSS is that of a worker process "
        "dedicated to one client size (it includes the loaded client and the imports).",
        "",
        f"**Code**: {code_state()}.",
        "",
        table(results),
        "",
        "**Targets**",
        "",
        *verdicts(results),
        "",
        "Runs (seconds): " + "; ".join(f"{s:,}: " + ", ".join(f"{k} " + "/".join(f"{x:.2f}" for x in results[s]['runs_s'][k])
                                                              for k in STEPS) for s in sizes),
        END,
    ]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        if START in text and END in text:
            before, rest = text.split(START, 1)
            after = rest.split(END, 1)[1]
            DOC.write_text(before + block + after, encoding="utf-8")
            return
    DOC.write_text("# Benchmarks\n\nScale of the analysis on synthetic clients (`tests/synthetic.py`).\n\n"
                   "## Latest run\n\n" + block + "\n", encoding="utf-8")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000], help="staff sizes (default 5000 50000)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--scenario", default=None, help="scenario to analyse (default: the client's default)")
    p.add_argument("--keep", type=Path, default=None, help="generate into this folder and keep the clients")
    p.add_argument("--no-doc", action="store_true", help="do not update docs/benchmarks.md")
    p.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.worker:  # child process: measure one client, print JSON
        print(json.dumps(measure(args.worker, args.scenario, args.repeat)))
        return 0

    mach = machine()
    print(f"machine: {mach}")
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="impactlib-bench-") as tmp:
        base = args.keep or Path(tmp)
        for staff in sorted(args.sizes):
            folder = base / f"bench-{staff}"
            gen = generate(folder, staff, args.seed)
            print(f"{staff:>7,} staff: generated in {gen:.2f} s at {folder}; measuring...", flush=True)
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(folder), "--repeat", str(args.repeat)]
            if args.scenario:
                cmd += ["--scenario", args.scenario]
            done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if done.returncode:
                print(done.stdout, done.stderr, file=sys.stderr)
                return done.returncode
            results[staff] = {**json.loads(done.stdout.strip().splitlines()[-1]), "generate_s": gen}
    print()
    print(table(results))
    print()
    print("\n".join(verdicts(results)))
    if not args.no_doc:
        write_doc(render(results, mach, args))
        print(f"\nwritten: {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

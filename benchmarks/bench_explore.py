"""Explorer recompute time on the demo manufacturer: each kind of tweak, against a full computation.

Run: .venv/bin/python benchmarks/bench_explore.py [--write]   (--write appends the results to docs/benchmarks.md)
Each tweak is a new Scenario assessed as the explorer does (``Explorer.assess``: the previous tweak's
Analysis passed as ``like=``, nothing of the new tweak itself computed before), median of N repeats; the
baseline is the same headline of a fresh ``assess`` on a freshly loaded client in the same run (everything
computed), so the ratio holds on a noisy machine.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from impactlib import assess, load_client, report  # noqa: E402
from impactlib.explore import Explorer  # noqa: E402

CLIENT = ROOT / "data" / "clients" / "acme-industrie"
REPEATS = 15
TWEAKS = {
    "assumption (dip scale)": lambda i: {"dip_scale": 1 + (i + 1) / 50},
    "provider rate": lambda i: {"provider_hourly_rate": 80.0 + i},
    "training budget": lambda i: {"training_budget": 5000.0 + 100 * i},
    "go-live shift": lambda i: {"shift_weeks": (i % 12) + 1},
    "rollout": lambda i: {"rollout": ("phased", "big_bang", "pilot_then_big_bang")[i % 3], "shift_weeks": -(i + 1)},
    "exclude a change": lambda i: {"exclude": ("C3",), "dip_scale": 1 + (i + 1) / 50},
}


def main(write: bool) -> None:
    c = load_client(CLIENT)
    ex = Explorer.open(c, "baseline")
    ex.headline(ex.tweak())  # what the notebook does when it opens: the base is computed once
    rows = []
    for name, make in TWEAKS.items():
        times, drawn = [], []
        for i in range(REPEATS):
            sc = ex.tweak(**make(i))
            t0 = time.perf_counter()
            an = ex.assess(sc)
            an.headline
            t1 = time.perf_counter()
            # what the explorer then draws (ExplorerUI.update): tiles, cost and change-load figures
            report.headline_tiles(an, "fr")
            report.cost_chart(an, "fr")
            report.load_chart(an, "fr")
            times.append((t1 - t0) * 1000)
            drawn.append((time.perf_counter() - t0) * 1000)
        rows.append((name, statistics.median(times), max(times), statistics.median(drawn)))
    full = []
    for _ in range(5):
        fresh = load_client(CLIENT)
        t0 = time.perf_counter()
        assess(fresh, "baseline").headline
        full.append((time.perf_counter() - t0) * 1000)
    base = statistics.median(full)
    lines = [f"| {n} | {m:.0f} | {x:.0f} | {m / base:.2f} | {d:.0f} |" for n, m, x, d in rows]
    table = "\n".join(["| tweak | recompute, median ms | max ms | ratio to a full computation | with the figures built, median ms |",
                        "|---|---|---|---|---|", *lines,
                       f"| full computation (fresh client) | {base:.0f} | {max(full):.0f} | 1.00 | |"])
    print(table)
    if write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        section = (f"\n## Explorer recompute (demo manufacturer), {dt.date.today().isoformat()}\n\n"
                   f"Machine: {machine}. `benchmarks/bench_explore.py`, {REPEATS} tweaks of each kind, each new "
                   f"(nothing of it cached); target ≤ 100 ms.\n\n{table}\n")
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as f:
            f.write(section)


if __name__ == "__main__":
    main("--write" in sys.argv)

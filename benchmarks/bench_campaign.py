"""The campaign step over many clients: ``impactlib campaign`` on a batch's status files, time and memory.

    .venv/bin/python benchmarks/bench_campaign.py                 # 500 clients from 25 synthetic ones
    .venv/bin/python benchmarks/bench_campaign.py --clients 500 --real 25 --runs 3

What is measured is the campaign step itself, not the reports: the status files are written first, each
with the campaign record a report would record (``impactlib.analysis.campaign.client_record`` of a real
``assess`` of a synthetic client, tests/synthetic.py ``write_client``). Assessing 500 synthetic clients costs
~2.5 s each here, so ``--real`` clients are assessed and their records are reused under distinct client ids,
each copy's own-plan dates shifted by 0-5 months (urgency and months differ); the campaign's cost depends
on the number of clients and device groups, which are those of real records.

Printed: the command as a subprocess (wall, CPU-seconds of the process, max RSS), and in this process each
part (reading the status files, planning, the two pages, the workbook) with the tracemalloc peak. Median of
``--runs``. The machine, load average and date are printed with them (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
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
sys.path.insert(0, str(ROOT / "tests"))
SHAPE = {"staff": 30, "assets": 40, "skills": 20, "changes": 3}
PROVIDER = """name: Benchmark IT Services
technician_hours_per_month: {hours}
working_months: [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
start: 2026-12-01
deadline: 2027-10-12
"""


def _shift(day: str, months: int) -> str:
    d = dt.date.fromisoformat(day)
    y, m = divmod(d.month - 1 + months, 12)
    return d.replace(year=d.year + y, month=m + 1, day=min(d.day, 28)).isoformat()


def records(folder: Path, n: int) -> list[dict]:
    from synthetic import write_client

    from impactlib.analysis import campaign
    from impactlib.analysis.assess import assess
    from impactlib.io.folder import load_client

    out = []
    for i in range(n):
        path = write_client(folder / f"syn-{i:03d}", seed=i, **SHAPE)
        out.append(campaign.client_record(assess(load_client(path), as_of=dt.date(2026, 11, 30))))
    return out


def write_statuses(out: Path, recs: list[dict], clients: int) -> None:
    for i in range(clients):
        rec = json.loads(json.dumps(recs[i % len(recs)]))
        k = (i // len(recs)) % 6
        rec["due"], rec["start"] = _shift(rec["due"], k), _shift(rec["start"], k)
        rec["technician_hours"] = {_shift(m + "-01", k)[:7]: h for m, h in rec["technician_hours"].items()}
        cid = f"client-{i:04d}"
        status = {"client": cid, "scenario": "baseline", "default_scenario": True, "lang": "en", "status": "ok",
                  "title": f"Client {i:04d}", "headline": {"verdict": "not_ready", "campaign": rec}}
        (out / cid).mkdir(parents=True, exist_ok=True)
        (out / cid / "baseline.en.status.json").write_text(json.dumps(status), encoding="utf-8")


def run_cli(reports: Path, provider: Path) -> tuple[float, float, int]:
    """Wall, CPU-seconds and max RSS (KiB) of ``impactlib campaign`` as its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "impactlib.cli", "campaign", "--reports", str(reports), "--provider", str(provider),
                           "--lang", "en", "fr"], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss, done.stdout.splitlines()[0]


def parts(reports: Path, provider: Path, trace: bool = False) -> dict[str, float]:
    from impactlib.report.campaign import campaign_page, purchasing_frames
    from impactlib.analysis.campaign import plan
    from impactlib.io.files import write_table
    from impactlib.io.provider import load_provider
    from impactlib.report.portfolio import portfolio_rows
    from impactlib.run.batch import load_statuses

    got = {}
    if trace:
        tracemalloc.start()
    t = time.perf_counter()
    statuses = portfolio_rows(load_statuses(reports))
    got["read status files"] = time.perf_counter() - t
    t = time.perf_counter()
    c = plan(statuses, load_provider(provider))
    got["plan (urgency, schedule, totals)"] = time.perf_counter() - t
    t = time.perf_counter()
    for lang in ("en", "fr"):
        campaign_page(c, lang, "", dt.datetime.now(dt.timezone.utc))
    got["two pages (en, fr)"] = time.perf_counter() - t
    t = time.perf_counter()
    write_table(purchasing_frames(c, "en"), reports / "bench.xlsx")
    got["purchasing workbook"] = time.perf_counter() - t
    if trace:
        got["tracemalloc peak (MB), all parts"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    got["groups"] = sum(len((s["headline"]["campaign"] or {}).get("groups", [])) for s in statuses)
    return got


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=500)
    ap.add_argument("--real", type=int, default=25)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--hours", type=int, default=6000, help="provider's technician hours per month")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        recs = records(tmp / "clients", a.real)
        print(f"setup: {a.real} synthetic clients assessed in {time.perf_counter() - t0:.1f} s")
        reports = tmp / "reports"
        write_statuses(reports, recs, a.clients)
        provider = tmp / "provider.yaml"
        provider.write_text(PROVIDER.format(hours=a.hours), encoding="utf-8")
        cli = [run_cli(reports, provider) for _ in range(a.runs)]
        inproc = [parts(reports, provider) for _ in range(a.runs)]
        peak = parts(reports, provider, trace=True)["tracemalloc peak (MB), all parts"]
        size = sum(p.stat().st_size for p in reports.glob("campaign.*"))
    print(f"date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, Python {platform.python_version()}, {platform.platform()}")
    print(f"clients: {a.clients} status files ({a.real} real records reused), {inproc[0]['groups']} device groups; outcome: {cli[0][3]}")
    print(f"impactlib campaign (subprocess, {a.runs} runs): wall {', '.join(f'{w:.2f}' for w, *_ in cli)} s; "
          f"CPU {', '.join(f'{c:.2f}' for _, c, *_ in cli)} s; max RSS {max(r for _, _, r, _ in cli) / 1024:.0f} MB; output {size / 1e6:.1f} MB")
    for k in inproc[0]:
        if k != "groups":
            print(f"  {k}: median {statistics.median(x[k] for x in inproc):.3f} s (runs {', '.join(f'{x[k]:.3f}' for x in inproc)})")
    print(f"  tracemalloc peak of the parts in a row: {peak:.0f} MB")


if __name__ == "__main__":
    main()

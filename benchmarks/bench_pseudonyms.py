"""What pseudonymising staff names costs at load: a synthetic client with and without names and e-mails.

Run from the project root:

    .venv/bin/python benchmarks/bench_pseudonyms.py               # 50,000 staff, appends to docs/benchmarks.md
    .venv/bin/python benchmarks/bench_pseudonyms.py --staff 5000 --no-doc

The client is write_client(staff=N, assets=2000, skills=300, changes=40, seed=0) of tests/synthetic.py, whose
staff.csv gives a fictitious name and e-mail on every row. The baseline is a copy with both columns
emptied (no key is read, nothing is hashed). Each load_client is timed with time.perf_counter, median of 3
after a warm-up, in this one process; the result is the ratio of the two medians (same command, same machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # synthetic.py, the synthetic clients' generator, lives with the tests

from impactlib import load_client  # noqa: E402
from synthetic import write_client  # noqa: E402


def timed(folder: Path, runs: int = 3) -> float:
    load_client(folder)  # warm-up: imports, catalog cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_client(folder)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def without_names(src: Path, dest: Path) -> None:
    import pandas as pd

    shutil.copytree(src, dest)
    staff = pd.read_csv(dest / "staff.csv", dtype="str", keep_default_na=False)
    staff.assign(name="", email="").to_csv(dest / "staff.csv", index=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--staff", type=int, default=50_000)
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["IMPACTLIB_KEY_DIR"] = str(Path(tmp) / "keys")
        named = Path(tmp) / "bench-named"
        write_client(named, staff=args.staff, assets=2000, skills=300, changes=40, seed=0)
        plain = Path(tmp) / "bench-plain"
        without_names(named, plain)
        (plain / "client.yaml").write_text((plain / "client.yaml").read_text(encoding="utf-8")
                                           .replace("id: bench-named", "id: bench-plain"), encoding="utf-8")
        assert load_client(plain).staff["pseudonym"].isna().all() and load_client(named).staff["pseudonym"].notna().all()
        base, pseud = timed(plain), timed(named)
    line = (f"| {dt.date.today().isoformat()} | {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} "
            f"| {args.staff:,} | {base:.2f} s | {pseud:.2f} s | {pseud / base:.2f} |")
    print(line)
    if not args.no_doc:
        doc = ROOT / "docs" / "benchmarks.md"
        text = doc.read_text(encoding="utf-8")
        header = ("\n## Pseudonymisation at load (benchmarks/bench_pseudonyms.py)\n\n"
                  "load_client of the same synthetic client without names (baseline) and with a name and an e-mail on every "
                  "staff row (keyed HMAC-SHA256 per person, impactlib/io/privacy.py); median of 3, same process.\n\n"
                  "| date | machine | staff | load, no names | load, names | ratio |\n|---|---|---:|---:|---:|---:|\n")
        if "## Pseudonymisation at load" not in text:
            text = text.rstrip("\n") + "\n" + header
        doc.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

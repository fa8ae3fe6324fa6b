"""Profile the analysis of one client folder with cProfile (cold: the step reads a fresh Analysis).

    .venv/bin/python benchmarks/profile_analysis.py FOLDER [--step review|drawbacks|skills|costs|advice|analysis]
        [--sort cumtime|tottime] [--limit 40] [--out FILE.prof]

Generate a folder first, e.g. ``benchmarks/bench_analysis.py --sizes 50000 --keep /tmp/bench --no-doc``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analysis import ANALYSIS, READS  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("folder", type=Path)
    p.add_argument("--step", default="review", choices=["review", "drawbacks", "skills", "costs", "advice", "analysis"])
    p.add_argument("--scenario", default=None)
    p.add_argument("--sort", default="cumtime")
    p.add_argument("--limit", type=int, default=40)
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)

    import impactlib

    client = impactlib.load_client(args.folder)
    sc = args.scenario or client.profile.default_scenario
    # the steps of benchmarks/bench_analysis.py; "analysis" reads them all from one Analysis, as a report does
    steps = {**READS, "analysis": lambda an: [READS[k](an) for k in ANALYSIS]}
    steps[args.step](impactlib.assess(client, sc))  # warm-up (imports, regex compilation)
    prof = cProfile.Profile()
    prof.runcall(steps[args.step], impactlib.assess(client, sc))  # a fresh Analysis: the step computes what it needs
    if args.out:
        prof.dump_stats(args.out)
    pstats.Stats(prof).strip_dirs().sort_stats(args.sort).print_stats(args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())

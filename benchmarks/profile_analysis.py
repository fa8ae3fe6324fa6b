"""Profile the analysis of one client folder with cProfile (cold: memoized results dropped first).

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
from bench_analysis import forget  # noqa: E402


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
    from impactlib.analysis import costs, impact, skills, staffing, training, validation

    client = impactlib.load_client(args.folder)
    sc = args.scenario or client.profile.default_scenario
    steps = {
        "review": lambda: impactlib.review(client, sc),
        "drawbacks": lambda: validation.drawbacks(client, sc),
        "skills": lambda: (skills.gaps(client, sc), skills.training_need(client, sc)),
        "costs": lambda: costs.estimate(client, sc),
        # the rest of the advice, as benchmarks/bench_analysis.py (report section 3) computes it
        "advice": lambda: (impact.change_load(client, sc), training.sessions(client, sc),
                           staffing.staffing_advice(client, sc), staffing.reorganisation(client, sc),
                           costs.ranges(costs.items(client, sc), 2000, 42)),
    }
    steps["analysis"] = lambda: [steps[k]() for k in ("review", "drawbacks", "skills", "costs", "advice")]
    steps[args.step]()  # warm-up (imports, regex compilation)
    forget(client)
    prof = cProfile.Profile()
    prof.runcall(steps[args.step])
    if args.out:
        prof.dump_stats(args.out)
    pstats.Stats(prof).strip_dirs().sort_stats(args.sort).print_stats(args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())

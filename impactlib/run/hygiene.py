"""Repository hygiene: committed notebooks hold no outputs, no execution counts, no papermill traces.

An executed notebook carries client data in its outputs and its injected parameters; committing one
would publish it. ``python -m impactlib.run.hygiene`` checks every notebook git tracks and exits 1 listing
each problem (CI runs the same check through tests/test_hygiene.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from impactlib.model.names import count


def notebook_problems(nb: dict) -> list[str]:
    """What makes a notebook unfit to commit, one line each (empty when clean)."""
    found = []
    if "papermill" in nb.get("metadata", {}):
        found.append("notebook metadata holds a papermill record (an executed copy)")
    for i, cell in enumerate(nb.get("cells", [])):
        meta = cell.get("metadata", {})
        if cell.get("outputs"):
            found.append(f"cell {i}: has {count(len(cell['outputs']), 'output')}")
        if cell.get("execution_count") is not None:
            found.append(f"cell {i}: has an execution count ({cell['execution_count']})")
        if "injected-parameters" in meta.get("tags", []):
            found.append(f"cell {i}: is a papermill injected-parameters cell")
        if "papermill" in meta or "execution" in meta:
            found.append(f"cell {i}: metadata holds an execution record ({', '.join(k for k in ('papermill', 'execution') if k in meta)})")
    return found


def tracked_notebooks(root: Path) -> list[Path]:
    """Notebooks git tracks (committed or staged) under ``root``."""
    out = subprocess.run(["git", "ls-files", "-z", "--", "*.ipynb"], cwd=root, capture_output=True, check=True).stdout
    return [root / p for p in out.decode("utf-8").split("\0") if p]


def check(root: Path) -> list[str]:
    """Every problem of every tracked notebook, as ``path: problem`` lines."""
    problems = []
    for path in tracked_notebooks(root):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            problems.append(f"{path.relative_to(root)}: cannot be read as a notebook ({e})")
            continue
        problems += [f"{path.relative_to(root)}: {p}" for p in notebook_problems(nb)]
    return problems


def main(argv: list[str] | None = None) -> int:
    root = Path(argv[0] if argv else ".").resolve()
    problems = check(root)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

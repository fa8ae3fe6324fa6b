"""Diff the visible text of two folders of reports (e.g. the demo reports before and after a change).

    python tools/report_text_diff.py reports-before/ reports-after/

Each ``*.html`` present in both folders is reduced to what a reader sees (no scripts, styles or tags; one
line per block) and the two are diffed line by line; the plotly chart data is compared too (labels and
values of every trace). Prints a unified diff per report and exits 1 when anything differs.
"""

from __future__ import annotations

import difflib
import html
import json
import re
import sys
from pathlib import Path

_BLOCK = re.compile(r"</?(p|div|li|tr|h[1-6]|section|table|dt|dd|figcaption|ol|ul|footer|br)\b[^>]*>", re.I)


def visible_text(page: str) -> list[str]:
    """The lines a reader sees: scripts and styles dropped, tags removed, entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = _BLOCK.sub("\n", page)
    page = re.sub(r"<[^>]+>", " ", page)
    lines = (re.sub(r"\s+", " ", html.unescape(x)).strip() for x in page.splitlines())
    return [x for x in lines if x]


def chart_data(page: str) -> list[str]:
    """One line per plotly trace: its type, name and the x/y/labels/values it draws."""
    out = []
    for m in re.finditer(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\])\s*,\s*\{", page, flags=re.S):
        try:
            traces = json.loads(m.group(1))
        except json.JSONDecodeError:
            continue
        for t in traces:
            out.append(json.dumps({k: t.get(k) for k in ("type", "name", "x", "y", "labels", "values", "z", "text")
                                   if t.get(k) is not None}, sort_keys=True, ensure_ascii=False)[:2000])
    return out


def main(argv: list[str]) -> int:
    before, after = (Path(a) for a in argv[:2])
    differs = 0
    for old in sorted(before.rglob("*.html")):
        rel = old.relative_to(before)
        new = after / rel
        if not new.exists() or rel.name == "index.html":
            continue
        a, b = old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8")
        for what, fa, fb in (("text", visible_text(a), visible_text(b)), ("charts", chart_data(a), chart_data(b))):
            diff = list(difflib.unified_diff(fa, fb, f"before/{rel} ({what})", f"after/{rel} ({what})", lineterm="", n=0))
            if diff:
                differs += 1
                print("\n".join(diff))
    print(f"{differs} difference block(s)")
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The executive summary: the verdict rule as a table, the headline figures, the recommendations."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import DEMO, DEMO_CLIENTS, apply
from impactlib import assess, load_client
from impactlib.analysis import summary
from impactlib.model.finding import Finding


def _f(id_: str, severity: str, rule: str = "R") -> Finding:
    return Finding(id_, rule, severity, 3, 3, "schedule")


def _sheet(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "kind", "status"])


@pytest.mark.parametrize("findings, sheet, late, expected, reasons", [
    ((), [], 0, "go", []),
    ((_f("A", "medium"), _f("B", "low")), [("A", "finding", "pending")], 0, "go", []),
    ((_f("A", "high"),), [("A", "finding", "accepted")], 0, "go", []),
    ((_f("A", "high"),), [("A", "finding", "pending")], 0, "go_with_conditions", [("high_open", 1)]),
    ((_f("A", "high"),), [("A", "finding", "rejected")], 0, "go_with_conditions", [("high_open", 1)]),
    ((), [("DRW-C1", "drawback", "pending")], 0, "go_with_conditions", [("pending_drawbacks", 1)]),
    ((), [("DRW-C1", "drawback", "accepted")], 0, "go", []),
    ((), [], 3, "go_with_conditions", [("late_sessions", 3)]),
    # a signature does not make hardware compatible: an accepted blocker still blocks
    ((_f("A", "blocker"),), [("A", "finding", "accepted")], 0, "not_ready", [("blockers", 1)]),
    ((_f("A", "blocker"), _f("B", "high")), [], 2, "not_ready", [("blockers", 1), ("high_open", 1), ("late_sessions", 2)]),
])
def test_verdict_rule(findings, sheet, late, expected, reasons):
    assert summary.verdict(findings, _sheet(sheet), late) == (expected, reasons)


def test_top_findings_order_and_no_info():
    fs = (_f("Z", "info"), Finding("L", "R", "high", 2, 2, "budget"), Finding("K", "R", "high", 5, 4, "budget"),
          _f("B", "blocker"), _f("M", "medium"))
    assert [f.id for f in summary.top_findings(fs, 3)] == ["B", "K", "L"]
    assert "Z" not in [f.id for f in summary.top_findings(fs, 10)]


def test_clean_client_is_go_once_its_drawback_is_accepted(clean):
    h = assess(load_client(clean)).headline
    assert h["findings"]["blocker"] == h["findings"]["high"] == 0
    assert (h["verdict"], h["reasons"]) == ("go_with_conditions", [("pending_drawbacks", 1)])
    apply(clean, [("acknowledgements.csv", None, "finding_id,scenario,decision,decided_by,decided_on,comment\n"
                                               "DRW-C1,baseline,accepted,Direction,2026-11-01,\n")])
    assert assess(load_client(clean)).headline["verdict"] == "go"


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_headline_agrees_with_the_parts(cid):
    from impactlib.analysis import costs

    c = load_client(DEMO / cid)
    for name in c.scenarios:
        an = assess(c, name)
        h = an.headline
        found = an.findings
        assert h["findings"] == {s: sum(f.severity == s for f in found) for s in summary.SEVERITIES}
        a = an.assumptions
        # the ranges the cost chart and table show are the seeded Monte Carlo over the first-year items
        pd.testing.assert_frame_equal(an.figures.ranges, costs.ranges(an.cost_items, a.monte_carlo_runs, a.seed))
        total = an.figures.ranges.set_index("item").loc["total"]
        assert h["cost_p10"] <= h["cost_p50"] <= h["cost_p90"] and h["cost_p50"] == pytest.approx(total["p50"])
        assert 0 < h["people_affected"] <= c.departments["headcount"].sum()
        assert h["trainer_hours"] == pytest.approx(an.sessions["trainer_hours"].sum())
        assert h["first_go_live"] <= h["last_go_live"]
        assert 0 <= h["decisions_pending"] <= h["decisions_total"]
        # the planted demo problems include blockers: none of them is ready
        assert h["verdict"] == "not_ready" and h["reasons"][0][0] == "blockers"


def test_recommendations_put_blockers_first_and_never_repeat_a_rule():
    recs = assess(load_client(DEMO / "acme-industrie"), "baseline").recommendations
    assert len(recs) == 5
    ids = [v["id"] for k, v in recs if k == "finding"]
    assert ids[0] == "BUD-TOTAL"  # budget exceeded by more than half: the first blocker
    rules = [i.split("-")[0] for i in ids]
    assert len(rules) == len(set(rules))
    assert ("rec.late_training", {"n": 7, "changes": ("C3",)}) in recs


def test_a_scenario_without_any_change_has_a_headline_and_a_go(clean):
    """The explorer can exclude every change: nothing to warn about but the spec itself, nothing to pay."""
    apply(clean, [("scenarios/baseline.yaml", "title: As specified", "title: As specified\nexclude: [C1]")])
    h = assess(load_client(clean)).headline
    assert h["changes"] == 0 and h["first_go_live"] is None and h["spend_base"] == 0 and h["people_affected"] == 0
    assert h["verdict"] == "go" and h["trainees"] == 0


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_confidentiality_section_asks_hds_exactly_where_the_review_warns(cid):
    """A Windows 11 upgrade of PCs holding health data needs no certified host; moving it to a cloud does."""
    import re

    from impactlib import report

    c = load_client(DEMO / cid)
    for name in c.scenarios:
        an = assess(c, name)
        html = str(report.confidentiality_section(an, "en"))
        asked = {m.group(1) for m in re.finditer(r"<tr><td>(\w+)</td>.*?</tr>", html, re.S) if "HDS" in m.group(0)}
        assert asked == {f.change_id for f in an.findings if f.rule == "SEC-HDS"}

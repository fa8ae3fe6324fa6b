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


# the verdict of every demo scenario, its first reason and its blockers (issue #13: the verdict a senior consultant
# would give on the data)
ACME_HW = ("HW-C1-LAP-2017", "HW-C1-PC-ATELIER", "HW-C1-PC-CN", "HW-C1-PC-LOT2016")  # PCs that cannot run Windows 11
DEMO_VERDICTS = {
    # the one-off spend over 1.5 x the budget, LibreOffice 25.8 ended before go-live, the PCs, the Odoo go-live
    # inside the year-end closing
    ("acme-industrie", "baseline"): ("not_ready", "blockers",
                                     ("BUD-TOTAL", "EOL-C2-libreoffice", *ACME_HW, "SCH-BLACKOUT-C3-cloture-annuelle-des-comptes")),
    # Microsoft 365 instead of LibreOffice (a supported suite) and Odoo live after the closing: budget and PCs stay
    ("acme-industrie", "microsoft-365"): ("not_ready", "blockers", ("BUD-TOTAL", *ACME_HW)),
    # Odoo moved after the closing (no SCH-BLACKOUT); the budget, LibreOffice and hardware blockers stay
    ("acme-industrie", "phased"): ("not_ready", "blockers", ("BUD-TOTAL", "EOL-C2-libreoffice", *ACME_HW)),
    # the budget and the reception PC that cannot run Windows 11
    ("cabinet-medical-rives", "baseline"): ("not_ready", "blockers", ("BUD-TOTAL", "HW-C3-PC-ACCUEIL")),
    ("cabinet-medical-rives", "progressif"): ("not_ready", "blockers", ("BUD-TOTAL", "HW-C3-PC-ACCUEIL")),
    # the seven 2017 laptops cannot run Windows 11
    ("lex-partners", "baseline"): ("not_ready", "blockers", ("HW-C2-LAP-2017",)),
    # this scenario replaces those seven laptops (its blocker): none left, high warnings still open
    ("lex-partners", "replace-laptops"): ("go_with_conditions", "high_open", ()),
}


def test_every_demo_scenario_has_its_verdict_in_the_table():
    assert {(cid, name) for cid in DEMO_CLIENTS for name in load_client(DEMO / cid).scenarios} == set(DEMO_VERDICTS)


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
        # the ranges the cost chart and table show are the seeded Monte Carlo over the items over the horizon
        pd.testing.assert_frame_equal(an.figures.ranges, costs.ranges(an.cost_items, a.monte_carlo_runs, a.seed))
        total = an.figures.ranges.set_index("item").loc["total"]
        assert h["cost_p10"] <= h["cost_p50"] <= h["cost_p90"] and h["cost_p50"] == pytest.approx(total["p50"])
        # the one-off spend the tiles show is the budget rule's: the one-off items summed
        assert h["spend_base"] == pytest.approx(costs.spend_items(an).sum())
        assert 0 < h["people_affected"] <= c.departments["headcount"].sum()
        assert h["trainer_hours"] == pytest.approx(an.sessions["trainer_hours"].sum())
        assert h["first_go_live"] <= h["last_go_live"]
        assert 0 <= h["decisions_pending"] <= h["decisions_total"]
        verdict, first_reason, blockers = DEMO_VERDICTS[(cid, name)]
        assert (h["verdict"], h["reasons"][0][0]) == (verdict, first_reason), name
        assert sorted(f.id for f in found if f.severity == "blocker") == list(blockers), name
        # what would turn the light green: every blocker, else every high warning not accepted
        status = dict(zip(an.validation_sheet["id"], an.validation_sheet["status"]))
        open_high = [f.id for f in found if f.severity == "high" and status.get(f.id, "pending") != "accepted"]
        assert sorted(h["to_green"]) == sorted(blockers or open_high) and h["to_green"], name


def test_recommendations_put_blockers_first_and_never_repeat_a_rule():
    an = assess(load_client(DEMO / "acme-industrie"), "baseline")
    recs = an.recommendations
    # ordered by the risk each removes: severity, then likelihood x impact, then id. Four blockers of 5 x 4 (one per
    # rule: the first HW of four by id), then the high end of life of 5 x 4 that also resolves its SEC-EXPOSED
    # (high, 4 x 5): it comes before the high 4 x 4 findings and the late training (high, 4 x 4)
    assert recs == [("finding", {"id": "BUD-TOTAL"}), ("finding", {"id": "EOL-C2-libreoffice"}), ("finding", {"id": "HW-C1-LAP-2017"}),
                    ("finding", {"id": "SCH-BLACKOUT-C3-cloture-annuelle-des-comptes"}),
                    ("finding", {"id": "EOL-EXCH2016-exchange-server-2016"})]
    every = summary.recommendations(an, n=100)
    assert every[:5] == recs
    by_id = {f.id: f for f in an.findings}
    rules = [by_id[v["id"]].rule for k, v in every if k == "finding"]
    assert len(rules) == len(set(rules))  # EOL and EOL-PLANNED are two rules, the four HW findings one
    assert not any(r == "SEC-EXPOSED" for r in rules)  # resolved by the advice of its end of life
    # 6 late sessions, needed before the earliest date 2026-10-19 (report 2026-10-05 + 14 days): odoo-use-0-2 for COM
    # and DIR, odoo-use-1-2 for COM, DIR, FIN and LOG; high 4 x 4, placed after the last high 4 x 4 finding
    # (SCH-TRAINING-C3: findings first on a tie) and before the high 5 x 3 ones
    late = every.index(("rec.late_training", {"n": 6, "changes": ("C3",)}))
    assert every[late - 1] == ("finding", {"id": "SCH-TRAINING-C3"}) and every[late + 1] == ("finding", {"id": "BUD-TRAINING"})
    # the weights never rise down the list
    weight = summary.ADVICE_WEIGHT
    rank = [(summary.SEVERITIES.index(by_id[v["id"]].severity), -by_id[v["id"]].likelihood * by_id[v["id"]].impact) if k == "finding"
            else (summary.SEVERITIES.index(weight[k][0]), -weight[k][1]) for k, v in every]
    assert rank == sorted(rank)


def test_a_scenario_without_any_change_has_a_headline_and_a_go(clean):
    """The explorer can exclude every change: nothing to warn about but the spec itself, nothing to pay."""
    apply(clean, [("scenarios/baseline.yaml", "title: As specified", "title: As specified\nexclude: [C1]")])
    h = assess(load_client(clean)).headline
    assert h["changes"] == 0 and h["first_go_live"] is None and h["spend_base"] == 0 and h["people_affected"] == 0
    assert h["verdict"] == "go" and h["trainees"] == 0


# what the confidentiality section says of each status of rules.hds_status (English text of report/text.py)
HDS_SAYS = {"certified": "whose host holds the HDS certificate", "unknown": "to be obtained and kept on file",
            "expired": "before go-live: renewed certificate", "uncertified": "is not HDS-certified"}
# health data moved to a third party's host, per demo scenario: Microsoft 365 (Business Premium, Exchange Online) is
# certified, the generic practice software's host's certificate is on file (cabinet-medical-rives/certificates.csv,
# valid until 2028-03-14); a Windows 11 upgrade of PCs holding health data has no host to certify
DEMO_HDS = {("cabinet-medical-rives", "baseline"): {"C1": "certified", "C2": "certified"},
            ("cabinet-medical-rives", "progressif"): {"C1": "certified", "C2": "certified"}}


@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_confidentiality_section_states_the_hds_status_the_review_reads(cid):
    """The section's HDS precaution and the SEC-HDS warnings both follow rules.hds_status: a certified host gets
    a precaution and no warning; a certificate not on file, expired or refused gets both."""
    import re

    from impactlib import report
    from impactlib.analysis import compat, rules

    c = load_client(DEMO / cid)
    for name in c.scenarios:
        an = assess(c, name)
        status = {}
        for ch in an.changes:
            data = set(compat.data_touched(c, ch, an.touched[ch.id]["asset_id"]))
            s = rules.hds_status(c, ch, c.catalog.products.get(ch.product_id), data)
            if s is not None:
                status[ch.id] = s
        assert status == DEMO_HDS.get((cid, name), {}), name
        html = str(report.confidentiality_section(an, "en"))
        shown = {m.group(1): [s for s, words in HDS_SAYS.items() if words in m.group(0)]
                 for m in re.finditer(r"<tr><td>(\w+)</td>.*?</tr>", html, re.S) if "HDS" in m.group(0)}
        assert shown == {ch_id: [s] for ch_id, s in status.items()}, name
        warned = {f.change_id: f.rule for f in an.findings if f.rule.startswith("SEC-HDS")}
        assert warned == {ch_id: rules.HDS_RULES[s][0] for ch_id, s in status.items() if s in rules.HDS_RULES}, name

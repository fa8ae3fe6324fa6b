"""The warnings section: findings of one severity and rule with the same recommendation share a card, and no finding's
information is lost by it (issue 12 point 6: the report of a client with ~100 warnings within 150 kB).

Every finding above information level keeps, in the section: its reference (once), its title, its evidence, and its
recommendation — word for word, or for a rule of GROUPED_ADVICE the shared recommendation and the finding's figure in
the card's table, or a reference to the card above that says it word for word.
"""

from __future__ import annotations

import re

import pytest

from conftest import DEMO, DEMO_CLIENTS
from impactlib import assess, load_client
from impactlib.report import departments
from impactlib.report.html import evidence_value, finding_text
from impactlib.report.rule_text import GROUPED_ADVICE
from impactlib.report.sections import warnings
from impactlib.report.text import esc, t

_CARD = re.compile(r'<div class="finding sev-(\w+)( more)?">(.*?)</div>(?=<div class="finding|</div>)', re.S)


def _synthetic(tmp_path_factory):
    from synthetic import write_client

    return write_client(tmp_path_factory.mktemp("syn") / "syn-000", seed=0, staff=120, assets=60, skills=30, changes=3)


@pytest.fixture(scope="module")
def analyses(tmp_path_factory):
    out = {c: assess(load_client(DEMO / c)) for c in DEMO_CLIENTS}
    out["syn-000"] = assess(load_client(_synthetic(tmp_path_factory)))
    return out


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("client", [*DEMO_CLIENTS, "syn-000"])
def test_every_finding_keeps_its_reference_title_evidence_and_recommendation(analyses, client, lang):
    an = analyses[client]
    cur, catalog = an.client.profile.currency, an.client.catalog
    section = warnings(an, lang).html
    cards = [(m[1], bool(m[2]), m[3]) for m in _CARD.finditer(section)]
    shown = [f for f in an.findings if f.severity != "info"]
    hidden = {i for i, n in departments.findings_grouped(shown).items() if n < 0}
    shown = [f for f in shown if f.id not in hidden]
    assert sum(1 for _, more, _ in cards if not more) <= len(shown)
    where: dict[str, int] = {}
    for f in shown:
        code = f"<code>{esc(f.id)}</code>"
        holding = [i for i, (_, more, body) in enumerate(cards) if not more and (f"{code} <span>" in body or f"<td>{code}</td>" in body)]
        assert len(holding) == 1, f.id
        i = where[f.id] = holding[0]
        sev, _, body = cards[i]
        assert sev == f.severity
        title, evidence, advice = (esc(finding_text(f, part, lang, cur, catalog)) for part in ("title", "evidence", "advice"))
        assert title in body and evidence in body, f.id
        if advice in body:
            continue
        if f.rule in GROUPED_ADVICE and "<table>" in body:  # the shared recommendation and this finding's figure in its row
            rule = GROUPED_ADVICE[f.rule]
            figure = esc(evidence_value(rule["key"], f.evidence.get(rule["key"]), lang, cur))
            row = body.split(f"<td>{code}</td>", 1)[1].split("</tr>", 1)[0]
            assert row.endswith(f"<td>{figure}</td>") and esc(rule["advice"][lang == "fr"]) in body, f.id
            continue
        # a recommendation said word for word on a card above: this card names that card's first finding
        said = re.search(rf"{re.escape(esc(t('same_advice_as', lang)))} <code>([^<]+)</code>\.</p>$", body)
        assert said, f.id
        above = next(g for g in shown if esc(g.id) == said[1])
        assert where[above.id] < i and advice in cards[where[above.id]][2], f.id


@pytest.mark.parametrize("client", [*DEMO_CLIENTS, "syn-000"])
def test_a_shared_card_holds_findings_of_one_severity_and_rule_and_says_how_many(analyses, client):
    an = analyses[client]
    by_id = {esc(f.id): f for f in an.findings}
    shared = 0
    for sev, _, body in (m.groups() for m in _CARD.finditer(warnings(an, "en").html)):
        refs = re.findall(r"<td><code>([^<]+)</code></td>", body)
        if not refs:
            continue
        shared += 1
        found = [by_id[r] for r in refs]
        assert len(found) >= 2 and {(f.severity, f.rule) for f in found} == {(sev, found[0].rule)}
        assert f"<h3>{len(found)} “" in body and f"for each of these {len(found)} findings" in body
    if client == "syn-000":
        assert shared >= 5  # end-of-life systems, devices that cannot run Windows 11, ... (the benchmark client)


def test_the_synthetic_report_says_less_than_one_card_per_finding(analyses):
    """The benchmark client's section: its ~90 warnings on far fewer cards, and much shorter than one card each."""
    an = analyses["syn-000"]
    html = warnings(an, "fr").html
    shown = [f for f in an.findings if f.severity != "info"]
    assert len(shown) >= 80
    assert html.count('<div class="finding sev-') < 0.75 * len(shown)

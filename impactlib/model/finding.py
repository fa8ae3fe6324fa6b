"""A finding (a warning of the review): what is wrong, how bad, the numbers behind it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

SEVERITIES = ("blocker", "high", "medium", "low", "info")
CATEGORIES = ("incompatibility", "end-of-life", "budget", "schedule", "blackout conflict", "spec quality",
              "dependency", "security", "confidentiality", "licensing", "data migration", "skills", "objective", "cooperation",
              "legal", "change control")


@dataclass(frozen=True)
class Finding:
    """One warning: what is wrong, how bad, the numbers behind it. Text comes from text.RULE_TEXTS[rule]."""

    id: str
    rule: str
    severity: str
    likelihood: int  # 1 (rare) to 5 (almost certain)
    impact: int  # 1 (negligible) to 5 (severe)
    category: str
    change_id: str | None = None
    assets: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    evidence: dict = field(default_factory=dict, hash=False, compare=False)


# --- evidence digest (issue 16: decisions bound to evidence) -------------------------------------

DIGEST_HEX = 16  # 64 bits: what a client's decision answered, not a secret
# evidence that follows from the report date alone (the clock moves, the facts do not): left out of the digest,
# or a decision on a tight schedule would lapse every morning. The facts stay in: months or hours needed,
# go-live, units, lead time. tests/test_register.py checks every demo digest holds from one report date to the next.
CLOCK_EVIDENCE: dict[str, frozenset[str]] = {
    "SCH-TRAINING": frozenset({"available", "start", "finish", "feasible", "weeks"}),
    "SCH-DURATION": frozenset({"weeks_available"}),
    "HW-DELIVERY": frozenset({"arrival", "start"}),
}


def evidence_digest(finding: Finding) -> str:
    """A stable hash of a finding's id and evidence: the same facts give the same digest from one run, one
    machine and one Python to the next (canonical JSON, keys sorted); any change of an evidence value (5
    PCs now 40, another end-of-support date) gives another. A client's decision records the digest it
    answered and lapses when the finding's digest changes (:mod:`impactlib.analysis.issued`). Evidence that
    only follows from the report date (CLOCK_EVIDENCE) is left out."""
    clock = CLOCK_EVIDENCE.get(finding.rule, frozenset())
    facts = {k: v for k, v in finding.evidence.items() if k not in clock}
    text = json.dumps({"id": finding.id, "evidence": _canonical(facts)}, sort_keys=True,
                      ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:DIGEST_HEX]


def _canonical(value):
    """Evidence values as JSON-stable plain values: numpy scalars as Python ones, floats rounded to 6 places
    (so that 0.1 + 0.2 computed two ways digests alike), dates as ISO text, tuples and sets as lists."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return None if value != value else round(value, 6)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)

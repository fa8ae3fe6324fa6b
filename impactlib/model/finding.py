"""A finding (a warning of the review): what is wrong, how bad, the numbers behind it."""

from __future__ import annotations

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

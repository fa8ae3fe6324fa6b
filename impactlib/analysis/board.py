"""What a board is shown per area: each finding's area, and a red/amber/green status per area.

The rule is one an executive can check by hand (docs/methodology.md, "Board deck"): an area is **red** when
a blocker finding of it stands, **amber** when a high one stands (accepted or not: an accepted risk is still
run), **green** otherwise. A finding's area follows its category; an incompatibility found by a hardware rule
is hardware, any other is software.
"""

from __future__ import annotations

from impactlib.model.finding import SEVERITIES, Finding

AREAS = ("hardware", "software", "people", "budget", "schedule", "data_protection")
HARDWARE_RULES = frozenset({"HW", "HW-OPTION", "HWUNK"})  # incompatibilities of the hosts, not of the software
AREA_OF_CATEGORY: dict[str, str] = {
    "incompatibility": "software",  # HARDWARE_RULES: hardware
    "end-of-life": "software", "dependency": "software", "licensing": "software", "data migration": "software",
    "skills": "people", "cooperation": "people",
    "budget": "budget", "objective": "budget",  # the spec's measurable objectives: costs, savings, hours lost, go-live
    "schedule": "schedule", "blackout conflict": "schedule", "change control": "schedule", "spec quality": "schedule",
    "security": "data_protection", "confidentiality": "data_protection", "legal": "data_protection",
}
STATUS = {"blocker": "red", "high": "amber"}  # any other severity: green
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def area(finding: Finding) -> str:
    """The area of ``finding``: one of AREAS."""
    if finding.category == "incompatibility" and finding.rule in HARDWARE_RULES:
        return "hardware"
    return AREA_OF_CATEGORY[finding.category]


def area_status(findings: tuple[Finding, ...]) -> list[dict]:
    """One row per area of AREAS, in that order: ``area``, ``status`` (red, amber or green), ``worst`` (the most
    severe finding of the area, most severe first as the review orders them; None when there is none),
    ``counts`` (findings of the area per severity)."""
    rows = []
    for name in AREAS:
        found = sorted((f for f in findings if area(f) == name), key=lambda f: (_RANK[f.severity], -f.likelihood * f.impact, f.id))
        worst = found[0] if found else None
        rows.append({"area": name, "status": STATUS.get(worst.severity, "green") if worst else "green", "worst": worst,
                     "counts": {s: sum(1 for f in found if f.severity == s) for s in SEVERITIES}})
    return rows

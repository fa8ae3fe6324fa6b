"""The Analysis of one scenario of one client: every computed result, each computed once and only when asked.

``assess(client, scenario)`` returns a frozen :class:`Analysis`. Each result is a cached property that
calls one pure function of the analysis modules with the Analysis itself, so a function reads the
results it needs (``an.gaps``, ``an.cost_lines``...) and nothing is ever computed twice for one Analysis.
Every figure a report, an export, the portfolio page or the explorer shows is read from here, so no two
outputs disagree (the named cost figures are :attr:`Analysis.figures`).

Nothing is kept on the Client: an Analysis is dropped with its results. The explorer passes the previous
Analysis of a tweak as ``like=``: results that depend only on what the changes touch (STRUCTURE) or on the
changes whole (CHANGES) are carried over when that part of the scenario is unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from impactlib.analysis import (compat, costs, impact, money, objectives, overview, rules, skills, staffing, summary,
                                training, validation)
from impactlib.analysis import protection as guard
from impactlib.analysis import readiness as ready
from impactlib.analysis import shared as share
from impactlib.model.client import Client
from impactlib.model.documents import Assumptions, Change, Constraints, Scenario

# results that depend only on what the changes touch (products, assets, departments, versions, volumes)
STRUCTURE = ("touched", "host_checks", "verdicts", "readiness", "graph", "demand", "gaps", "training_need", "exposure",
             "department_impact")
# results that read the changes whole (dates and rollout too) but no assumption and no budget
CHANGES = ("participants", "sessions", "capability_needs")


@dataclass(frozen=True, eq=False)
class Analysis:
    """One scenario of one client, assessed on a date. ``scenario`` is its name, ``definition`` the Scenario
    itself (a tweak of the explorer has a definition that is in no file), ``as_of`` the report date: nothing is
    planned before it (plus the scenario's lead_days). Build it with :func:`assess`."""

    client: Client
    scenario: str
    definition: Scenario
    as_of: dt.date

    @cached_property
    def earliest(self) -> dt.date:
        """The first date anything can be planned on: the report date plus the scenario's lead time."""
        return self.as_of + dt.timedelta(days=self.assumptions.lead_days)

    # --- what the scenario says -----------------------------------------------------------------
    @cached_property
    def changes(self) -> tuple[Change, ...]:
        """The planned changes: the spec's, with the scenario's edits, exclusions and additions."""
        return self.client.changes(self.definition)

    @cached_property
    def assumptions(self) -> Assumptions:
        return self.definition.assumptions

    @cached_property
    def constraints(self) -> Constraints:
        """The spec's constraints, with the budgets the scenario assumes instead."""
        return self.client.constraints(self.definition)

    @cached_property
    def touched(self) -> dict[str, pd.DataFrame]:
        """Assets each change acts on, by change id (see compat.touched_assets)."""
        return {c.id: share.once(self, ("touched", share.change_key(self, c)), lambda c=c: compat.touched_assets(self.client, c))
                for c in self.changes}

    @cached_property
    def change_keys(self) -> dict[str, tuple]:
        """Each change's structure key (shared.structure_key) by change id, computed once (see shared.change_key)."""
        return {c.id: share.structure_key(c) for c in self.changes}

    @cached_property
    def structure_key(self) -> tuple:
        """What the changes touch, without their timing: equal keys give equal STRUCTURE results."""
        return tuple(self.change_keys.values())

    @cached_property
    def changes_key(self) -> tuple:
        """The changes whole: equal keys give equal CHANGES results."""
        return tuple(tuple(sorted(c.model_dump().items())) for c in self.changes)

    # --- compatibility and lifecycle ------------------------------------------------------------
    host_checks = cached_property(compat.host_checks)
    verdicts = cached_property(compat.verdicts)
    lifecycle = cached_property(compat.lifecycle)
    graph = cached_property(compat.graph)
    readiness = cached_property(ready.readiness)  # Windows 11 verdict per device group (ready, firmware, ...)
    device_options = cached_property(ready.device_options)  # options per device group, priced, recommended
    device_plan_lines = cached_property(ready.plan_lines)  # money lines of the recommended options

    # --- people: skills, impact, training, staffing ---------------------------------------------
    demand = cached_property(skills.demand)
    gaps = cached_property(skills.gaps)
    training_need = cached_property(skills.training_need)
    exposure = cached_property(impact.exposure)
    department_impact = cached_property(impact.department_impact)
    change_load = cached_property(impact.change_load)
    participants = cached_property(training.participants)
    sessions = cached_property(training.sessions)
    capability_needs = cached_property(staffing.capability_needs)
    staffing_advice = cached_property(staffing.staffing_advice)
    recruit_profiles = cached_property(staffing.recruit_profiles)
    reorganisation = cached_property(staffing.reorganisation)
    coverage = cached_property(staffing.coverage)
    training = cached_property(staffing.training)  # what the plan trains: capabilities decided "train"
    holders = cached_property(staffing.holders)
    unused_systems = cached_property(skills.unused_systems)

    # --- money ----------------------------------------------------------------------------------
    devices = cached_property(costs.devices)  # devices each change buys, per class, with price and delivery time
    cost_lines = cached_property(costs.estimate)
    run_costs = cached_property(money.run_costs)  # the client's run costs today, and which change ends each
    money_lines = cached_property(money.lines)  # the changes' costs, dated, one-off or recurring
    cash_flows = cached_property(money.flows)  # month by month over the horizon: scenario and status quo
    cost_items = cached_property(costs.horizon_items)  # total per item over the horizon
    figures = cached_property(costs.figures)

    # --- the client's objectives and effort -----------------------------------------------------
    objective_checks = cached_property(objectives.objectives)  # each measurable objective: value, target, met
    effort = cached_property(objectives.effort)  # the client's staff time the plan needs, against what it gives

    # --- warnings, drawbacks, decisions, verdict ------------------------------------------------
    findings = cached_property(rules.review)  # tuple[Finding, ...], most severe first
    losses = cached_property(validation.losses)  # working time lost per change and department
    drawbacks = cached_property(validation.drawbacks)
    validation_sheet = cached_property(validation.validation_sheet)
    orphan_acknowledgements = cached_property(validation.orphan_acknowledgements)
    headline = cached_property(summary.headline)
    recommendations = cached_property(summary.recommendations)

    # --- protection: the client's controls against the baseline, what the changes require, the actions ----------
    protection = cached_property(guard.controls)  # one row per catalog control: state, reasons, required
    protection_requirements = cached_property(guard.requirements)  # per change (or EOL system kept) and control
    protection_actions = cached_property(guard.actions)  # every gap as an action, most risk removed first
    protection_top = cached_property(guard.top_actions)  # the five the executive sees, with their decision id
    protection_coverage = cached_property(guard.coverage)  # each baseline measure: met, partial, missing...
    protection_summary = cached_property(guard.summary)
    protection_scratch = cached_property(guard.scratch)  # kept results the functions above ask for many times over
    shared = cached_property(share.store)  # results that depend on the client or on one change, shared through like=
    codes = cached_property(share.store)  # this Analysis' own: the staff ids of big results as codes (shared.keep_codes)

    # --- what the report shows of the system ----------------------------------------------------
    system_overview = cached_property(overview.headline)
    os_support = cached_property(overview.os_support)
    usage_matrix = cached_property(overview.usage_matrix)
    timeline = cached_property(overview.timeline)
    flows = cached_property(overview.flows)


def assess(client: Client, scenario: str | Scenario | None = None, *, name: str | None = None,
           as_of: dt.date | None = None, like: Analysis | None = None) -> Analysis:
    """The Analysis of ``scenario`` (a name of the client's scenarios, default the profile's default one,
    or a Scenario object such as an explorer tweak, then called ``name``).

    ``as_of``: the report date (default: the spec's date); training and work are never planned before it
    plus the scenario's lead_days. ``like``: an earlier Analysis of the same client whose results are reused
    where this scenario's changes have the same structure (STRUCTURE) or are the same, on the same date
    (CHANGES), and whose store of per-client and per-change results (analysis/shared.py) this one shares.
    Raises InvalidInput for an unknown scenario name, listing the available ones.
    """
    day = as_of or client.spec.date
    if isinstance(scenario, Scenario):
        an = Analysis(client, name or "explored", scenario, day)
    else:
        key = scenario or client.profile.default_scenario
        an = Analysis(client, key, client.scenario(key), day)
    if like is not None and like.client is client:
        an.__dict__["shared"] = share.handed(like)
        kept = dict(like.__dict__)
        for group, key in ((STRUCTURE, "structure_key"), (CHANGES, "changes_key")):
            if getattr(like, key) == getattr(an, key) and (group is STRUCTURE or like.earliest == an.earliest):
                an.__dict__.update({k: kept[k] for k in group if k in kept})
    return an

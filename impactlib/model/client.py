"""What a client is: profile, organisation, inventory, usage, spec, scenarios and its catalog (no I/O here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from impactlib.errors import InvalidInput, Problem
from impactlib.model.catalog import Catalog
from impactlib.model.documents import Change, Constraints, Profile, Scenario, Spec


@dataclass(frozen=True)
class Client:
    """Everything known about one client. Frames are never modified in place by impactlib.

    ``staff`` holds no names or e-mails: at load they are checked, then replaced by a keyed
    ``pseudonym`` (see :mod:`impactlib.privacy`).
    """

    id: str
    profile: Profile
    spec: Spec
    scenarios: Mapping[str, Scenario]
    departments: pd.DataFrame
    staff: pd.DataFrame
    skills: pd.DataFrame
    assets: pd.DataFrame
    dependencies: pd.DataFrame
    usage: pd.DataFrame
    acknowledgements: pd.DataFrame
    contracts: pd.DataFrame  # managed-services contracts in force (empty: none recorded)
    run_costs: pd.DataFrame  # what running the system costs today, besides the contracts (empty: none recorded)
    catalog: Catalog
    fingerprint: str
    processings: pd.DataFrame = None  # processings of personal data (empty: none recorded), docs/data-format.md
    certificates: pd.DataFrame = None  # HDS certificates on file for the hosts of products (empty: none recorded)

    def scenario(self, name: str | None = None) -> Scenario:
        """The named scenario (default: the profile's default_scenario)."""
        name = name or self.profile.default_scenario
        if name not in self.scenarios:
            raise InvalidInput([Problem(f"{self.id}/scenarios", None, None,
                                        f"no scenario '{name}'; available: {', '.join(sorted(self.scenarios))}")],
                               what="scenario")
        return self.scenarios[name]

    def changes(self, scenario: Scenario) -> tuple[Change, ...]:
        """The planned changes of ``scenario``: the spec's changes with the scenario's edits applied."""
        out = []
        for c in self.spec.changes:
            if c.id in scenario.exclude:
                continue
            # overrides were validated at load, so this cannot fail here
            out.append(Change.model_validate({**c.model_dump(), **scenario.changes[c.id]}) if c.id in scenario.changes else c)
        return tuple(out) + tuple(scenario.add)

    def constraints(self, scenario: Scenario) -> Constraints:
        """The spec's constraints, with the budget and training budget ``scenario`` may assume instead."""
        update = {k: getattr(scenario, k) for k in ("budget", "run_budget", "training_budget") if getattr(scenario, k) is not None}
        return self.spec.constraints.model_copy(update=update) if update else self.spec.constraints

"""The shape the analysis functions read: an assessed scenario (``impactlib.analysis.assess.Analysis``).

The analysis modules annotate their argument with this protocol, not with the class itself, so that no
analysis module refers back to ``assess``, which imports them all: the import graph stays acyclic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from impactlib.model.client import Client
from impactlib.model.documents import Scenario


class Analysis(Protocol):
    """One scenario of one client assessed on a date; every other attribute is one of its computed results."""

    client: Client
    scenario: str
    definition: Scenario
    as_of: dt.date

    def __getattr__(self, name: str) -> Any: ...


class RuleContext(Protocol):
    """What a review rule reads (``impactlib.analysis.rules.Context``): the Analysis, the client, the scenario's
    changes and shared lookups; rule modules beside ``rules`` annotate with this, so they never import it back."""

    an: Analysis
    client: Client

    def __getattr__(self, name: str) -> Any: ...

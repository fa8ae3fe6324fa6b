"""The provider's settings for the Windows 10 campaign (``data/provider.yaml``): its technician capacity,
its working months and the date by which it wants every client moved. Format: docs/data-format.md."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from impactlib.model.documents import _Doc


class Provider(_Doc):
    """What the campaign schedules against: ``technician_hours_per_month`` in each of ``working_months``
    (1-12) from the ``start`` month to the ``deadline`` month; clients not done by then are listed."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    technician_hours_per_month: Annotated[float, Field(gt=0, le=100_000)]
    working_months: tuple[Annotated[int, Field(ge=1, le=12)], ...] = tuple(range(1, 13))
    start: dt.date
    deadline: dt.date

    @field_validator("working_months")
    @classmethod
    def _some_months(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if not v:
            raise ValueError("must list at least one month (1-12)")
        if len(set(v)) != len(v):
            raise ValueError("lists a month twice")
        return tuple(sorted(v))

    @model_validator(mode="after")
    def _ordered(self):
        if self.deadline < self.start:
            raise ValueError("@deadline: must not be before start")
        if not any(m in self.working_months for m in _month_numbers(self.start, self.deadline)):
            raise ValueError("@working_months: no working month between start and deadline")
        return self


def _month_numbers(start: dt.date, end: dt.date) -> set[int]:
    n = (end.year - start.year) * 12 + end.month - start.month + 1
    return {(start.month - 1 + i) % 12 + 1 for i in range(min(n, 12))}

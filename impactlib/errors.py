"""The one exception family of impactlib, and the problems it carries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the input: where it is and what is wrong.

    ``row`` is the line as a spreadsheet shows it (header = 1) for CSV files, ``None`` for
    YAML files; ``column`` is a CSV column or a YAML key path such as ``changes[2].go_live``.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}" if self.row is not None else self.column)
        return f"{', '.join(where)}: {self.message}"


class ImpactlibError(Exception):
    """Base of every error impactlib raises on purpose; the CLI shows it without a traceback."""


class InvalidInput(ImpactlibError):
    """Input that breaks the data contract; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], what: str = "input"):
        self.problems = sorted(set(problems), key=_problem_key)
        self.what = what
        super().__init__(f"{what}: {len(self.problems)} problem(s)\n" + "\n".join(f"  {p}" for p in self.problems))


class ReportError(ImpactlibError):
    """A report could not be produced (bad parameters, a failing cell, an export error)."""


def _problem_key(p: Problem) -> tuple:
    return (p.file, p.row if p.row is not None else -1, p.column or "", p.message)

"""The one exception family of impactlib, the problems it carries, and the exit code of each kind of error.

Every error says by its type what went wrong and how the command line ends: ``exit_code`` 2 for what
the user gave (bad data, an unknown client, scenario or language, a parameter the template does not
declare), 1 for a report that failed for another reason. ``kind`` is the word a batch status file
uses for it; :func:`error_kind` maps that word back to the type.
"""

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

    exit_code = 1
    kind = "error"


class InvalidInput(ImpactlibError):
    """Input that breaks the data contract; carries every problem found, not just the first."""

    exit_code = 2
    kind = "bad_input"

    def __init__(self, problems: list[Problem], what: str = "input"):
        self.problems = _capped(sorted(set(problems), key=_problem_key))
        self.what = what
        super().__init__(f"{what}: {len(self.problems)} {'problem' if len(self.problems) == 1 else 'problems'}\n" + "\n".join(f"  {p}" for p in self.problems))


class ReportError(ImpactlibError):
    """A report could not be produced (bad parameters, a failing cell, an export error)."""

    kind = "report_error"


class BadRequest(ReportError):
    """A report asked for what does not exist or cannot be: an unknown client, scenario or language, a
    parameter the template does not declare. Found before any kernel starts; nothing is written."""

    exit_code = 2
    kind = "bad_request"


class CellError(ReportError):
    """A cell of the report notebook raised; the executed notebook is kept for diagnosis."""

    kind = "cell_error"


class KernelDied(ReportError):
    """The kernel running the report died (killed, out of memory)."""

    kind = "kernel_died"


class ReportTimeout(ReportError):
    """The report ran longer than its timeout; its kernel was killed."""

    kind = "timeout"


class KernelStartError(ReportError):
    """No kernel could be started (after retries)."""

    kind = "kernel_start"


class ExportError(ReportError):
    """The executed notebook could not be exported to HTML."""

    kind = "export_error"


class InternalError(ReportError):
    """A bug or an I/O error of the runner itself while producing one report (the others go on)."""

    kind = "internal_error"


class WorkerError(ReportError):
    """A Dask worker failed to run the report (lost, out of memory)."""

    kind = "worker_error"


def error_kind(kind: str) -> type[ImpactlibError]:
    """The error type a status file's ``kind`` stands for (ImpactlibError for a word it does not know)."""
    todo, found = [ImpactlibError], {}
    while todo:
        cls = todo.pop()
        found.setdefault(cls.kind, cls)
        todo.extend(cls.__subclasses__())
    return found.get(kind, ImpactlibError)


def _problem_key(p: Problem) -> tuple:
    return (p.file, p.row if p.row is not None else -1, p.column or "", p.message)


MAX_PER_COLUMN = 20  # problems listed per file and column; the rest are counted (a million bad rows print 21 lines)


def _capped(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PER_COLUMN problems of each (file, column), then one line counting the others."""
    seen: dict[tuple, int] = {}
    out = []
    for p in problems:
        key = (p.file, p.column)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= MAX_PER_COLUMN:
            out.append(p)
    for (file, column), n in seen.items():
        if n > MAX_PER_COLUMN:
            out.append(Problem(file, None, column, f"and {n - MAX_PER_COLUMN:,} more problems of this kind"))
    return sorted(out, key=_problem_key)

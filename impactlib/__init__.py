"""impactlib: the IT provider's duty to inform a client before changing its IT system, as data and reports."""

__version__ = "0.1.0"

from .client import Client, assumptions, changes, load_client  # noqa: E402
from .rules import Finding, review  # noqa: E402
from .validation import drawbacks  # noqa: E402
from .errors import ImpactlibError, InvalidInput, Problem, ReportError  # noqa: E402

__all__ = ["Client", "Finding", "ImpactlibError", "InvalidInput", "Problem", "ReportError", "assumptions", "changes", "drawbacks", "review",
           "load_client", "__version__"]

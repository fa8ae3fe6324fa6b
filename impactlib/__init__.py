"""impactlib: the IT provider's duty to inform a client before changing its IT system, as data and reports.

The verbs a notebook needs: ``load_client(folder)`` reads and checks a client, ``assess(client, scenario)``
returns the :class:`Analysis` every report section reads (``impactlib.report``).
"""

__version__ = "0.2.0"

from impactlib.analysis.assess import Analysis, assess  # noqa: E402
from impactlib.analysis.issued import bind_decisions  # noqa: E402
from impactlib.errors import ImpactlibError, InvalidInput, Problem, ReportError  # noqa: E402
from impactlib.io.folder import load_client  # noqa: E402
from impactlib.model.client import Client  # noqa: E402
from impactlib.model.finding import Finding  # noqa: E402

__all__ = ["Analysis", "Client", "Finding", "ImpactlibError", "InvalidInput", "Problem", "ReportError", "assess", "bind_decisions", "load_client",
           "__version__"]

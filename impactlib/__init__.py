"""impactlib: the IT provider's duty to inform a client before changing its IT system, as data and reports.

The verbs a notebook needs: ``load_client(folder)`` reads and checks a client, ``assess(client, scenario)``
returns the :class:`Analysis` every report section reads (``impactlib.report``).
"""

__version__ = "0.2.0"

# the verbs are imported on first use (PEP 562): ``import impactlib`` alone, as a no-change batch does through
# impactlib.run, must not import pandas, pandera and the analysis (~1 s); ``from impactlib import assess`` works as before
_EXPORTS = {"Analysis": "impactlib.analysis.assess", "assess": "impactlib.analysis.assess", "ImpactlibError": "impactlib.errors",
            "InvalidInput": "impactlib.errors", "Problem": "impactlib.errors", "ReportError": "impactlib.errors",
            "load_client": "impactlib.io.folder", "bind_decisions": "impactlib.analysis.issued", "Client": "impactlib.model.client", "Finding": "impactlib.model.finding"}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib  # start-up speed: the module behind a verb only when the verb is used

        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'impactlib' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_EXPORTS])


__all__ = ["Analysis", "Client", "Finding", "ImpactlibError", "InvalidInput", "Problem", "ReportError", "assess", "bind_decisions", "load_client",
           "__version__"]

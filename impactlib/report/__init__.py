"""The report layer: an Analysis and a language in, HTML fragments, charts with their reading, export frames out.

It never computes a figure (every number comes from the :class:`~impactlib.analysis.assess.Analysis`),
never reads or writes a file, and holds all the wording in English and French (``text``, ``rule_text``).
A report notebook calls one of these per section, e.g. ``report.cover(an, lang, day)``.
"""

from impactlib.report.advice import (advice_intro, comparison, comparison_table, cost_chart, cost_table, gaps_chart,
                                     impact_chart, load_chart, reorganisation_section, staffing_section, training_chart,
                                     training_section)
from impactlib.report.closing import appendix, confidentiality_section, systems_section
from impactlib.report.protection import protection_actions, protection_chart, protection_summary
from impactlib.report.devices import devices_section, options_chart
from impactlib.report.money import cumulative_chart, effort_section, horizon_section, objectives_section
from impactlib.report.compare import comparison_cover, comparison_summary, findings_diff
from impactlib.report.sections import (cover, drawbacks_section, footer, needs, organisation, os_support_chart, risk_chart,
                                       timeline_chart, usage_chart, validation, warnings)
from impactlib.report.issued import since_section
from impactlib.report.summary import assessed, executive_summary, flow_chart, headline_tiles, known_headlines, record

__all__ = ["advice_intro", "appendix", "assessed", "comparison", "comparison_cover", "comparison_summary", "comparison_table",
           "confidentiality_section", "cost_chart", "cost_table", "cover", "cumulative_chart", "devices_section", "drawbacks_section", "effort_section",
           "executive_summary", "findings_diff", "flow_chart", "footer", "gaps_chart", "headline_tiles", "horizon_section", "impact_chart",
           "known_headlines", "load_chart", "needs", "objectives_section",
           "options_chart", "organisation", "os_support_chart", "protection_actions", "protection_chart", "protection_summary", "record",
           "reorganisation_section", "risk_chart", "since_section", "staffing_section", "systems_section",
           "timeline_chart", "training_chart", "training_section", "usage_chart", "validation", "warnings"]

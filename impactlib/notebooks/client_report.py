# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: impactlib
#     language: python
#     name: impactlib
# ---

# %% tags=["parameters"]
client: str = "acme-industrie"  # client id: a folder under data_dir
scenario: str = "baseline"  # scenario name: a file scenarios/<name>.yaml of the client
lang: str = "fr"  # report language: "en" or "fr"
data_dir: str = "../../data/clients"  # folder holding the client folders
report_date: str = "2026-11-26"  # date printed on the cover (ISO); the runner sets today's
known: dict = {}  # other scenarios' headlines the runner already has for these input files (see report.known_headlines)
issued: dict = {}  # from the client's register: the last issued report and the recorded decisions, roles only (see io.register.kernel_view)
loaded: dict = {}  # the client as the runner's pre-flight loaded it, if it still matches the files (see io/snapshot.py)
exports: dict = {}  # where the kernel writes the report's spreadsheets, and which (see run/exports.in_kernel); none when empty
parallel: bool = False  # the other scenarios assessed by a forked copy of the kernel meanwhile (a core to spare; see run/ahead.py)

# %%
import datetime as dt
from pathlib import Path

from impactlib import assess, bind_decisions, load_client, report
from impactlib.run import ahead

c = bind_decisions(load_client(Path(data_dir) / client, loaded), issued.get("decisions", []))
day = dt.date.fromisoformat(report_date)
an = assess(c, scenario, as_of=day)
# every other scenario of the client, for the comparison section: the headline the runner passed for these input
# files, else assessed here and kept as its headline only (its person-level results are dropped at once), or with
# `parallel` by a forked copy of this kernel while the sections below are built
others = ahead.others(an, report.known_headlines(c, known, day), parallel)

# %%
# the report's sections in order, one display each, in one cell (each cell run costs kernel messages and IPython's
# per-cell work: measured ~2 ms of the kernel's CPU a cell, ~10 ms a report for the five cells this was); a section
# that fails is named by its line in the status file (runner.failed_cell)
# what changes
display(report.cover(an, lang, day))
display(report.executive_summary(an, lang))
display(report.needs(an, lang))
display(report.timeline_chart(an, lang))
display(report.organisation(an, lang))
display(report.os_support_chart(an, lang))
display(report.usage_chart(an, lang))
display(report.flow_chart(an, lang))

# warnings
display(report.warnings(an, lang))
display(report.risk_chart(an, lang))
display(report.drawbacks_section(an, lang))
display(report.since_section(an, issued, lang))
display(report.validation(an, lang))

# advice: people
display(report.advice_intro(lang))
display(report.impact_chart(an, lang))
display(report.load_chart(an, lang))
display(report.gaps_chart(an, lang))
display(report.training_chart(an, lang))
display(report.training_section(an, lang))
display(report.staffing_section(an, lang))
display(report.reorganisation_section(an, lang))

# advice: systems, devices, protection
display(report.systems_section(an, lang))
display(report.devices_section(an, lang))
display(report.options_chart(an, lang))
display(report.protection_summary(an, lang))
display(report.protection_chart(an, lang))
display(report.protection_actions(an, lang))

# costs, objectives, effort
display(report.cost_chart(an, lang))
display(report.cost_table(an, lang))
display(report.horizon_section(an, lang))
display(report.cumulative_chart(an, lang))
display(report.objectives_section(an, lang))
display(report.effort_section(an, lang))

# the scenarios compared, and the closing sections
scenarios = others.scenarios()
display(report.comparison(scenarios, lang))
display(report.comparison_table(scenarios, lang))
display(report.confidentiality_section(an, lang))
display(report.appendix(an, lang))
display(report.footer(an, lang))

# %% tags=["impactlib-headline"]
# the headline of this report and of the scenarios assessed here, for the runner (status file, portfolio
# page, the next report of these inputs), and the spreadsheets written from this analysis (a big client's
# departments workbook, the --xlsx exports); not shown in the report
from impactlib.run.exports import in_kernel

report.record(an, scenarios, in_kernel(an, lang, exports))

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

# %%
import datetime as dt
from pathlib import Path

from impactlib import assess, bind_decisions, load_client, report

# %%
c = bind_decisions(load_client(Path(data_dir) / client, loaded), issued.get("decisions", []))
day = dt.date.fromisoformat(report_date)
an = assess(c, scenario, as_of=day)
# every scenario of the client, for the comparison section: the headline the runner passed for these input
# files, else assessed here and kept as its headline only (its person-level results are dropped at once)
headlines = report.known_headlines(c, known, day)
scenarios = [an if name == an.scenario else headlines.get(name) or report.assessed(assess(c, name, as_of=day, like=an)) for name in sorted(c.scenarios)]

# %%
report.cover(an, lang, day)

# %%
report.executive_summary(an, lang)

# %%
report.needs(an, lang)

# %%
report.timeline_chart(an, lang)

# %%
report.organisation(an, lang)

# %%
report.os_support_chart(an, lang)

# %%
report.usage_chart(an, lang)

# %%
report.flow_chart(an, lang)

# %%
report.warnings(an, lang)

# %%
report.risk_chart(an, lang)

# %%
report.drawbacks_section(an, lang)

# %%
report.since_section(an, issued, lang)

# %%
report.validation(an, lang)

# %%
report.advice_intro(lang)

# %%
report.impact_chart(an, lang)

# %%
report.load_chart(an, lang)

# %%
report.gaps_chart(an, lang)

# %%
report.training_chart(an, lang)

# %%
report.training_section(an, lang)

# %%
report.staffing_section(an, lang)

# %%
report.reorganisation_section(an, lang)

# %%
report.systems_section(an, lang)

# %%
report.devices_section(an, lang)

# %%
report.options_chart(an, lang)

# %%
report.protection_summary(an, lang)

# %%
report.protection_chart(an, lang)

# %%
report.protection_actions(an, lang)

# %%
report.cost_chart(an, lang)

# %%
report.cost_table(an, lang)

# %%
report.horizon_section(an, lang)

# %%
report.cumulative_chart(an, lang)

# %%
report.objectives_section(an, lang)

# %%
report.effort_section(an, lang)

# %%
report.comparison(scenarios, lang)

# %%
report.comparison_table(scenarios, lang)

# %%
report.confidentiality_section(an, lang)

# %%
report.appendix(an, lang)

# %%
report.footer(an, lang)

# %% tags=["impactlib-headline"]
# the headline of this report and of the scenarios assessed here, for the runner (status file, portfolio
# page, the next report of these inputs); not shown in the report
report.record(an, scenarios)

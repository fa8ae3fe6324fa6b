# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
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

# %%
import datetime as dt
from pathlib import Path

from impactlib import drawbacks, load_client, render, review

# %%
c = load_client(Path(data_dir) / client)
day = dt.date.fromisoformat(report_date)
findings = review(c, scenario)
drawn = drawbacks(c, scenario)

# %%
render.cover(c, scenario, lang, day)

# %%
render.executive_summary(c, scenario, lang, findings)

# %%
render.needs(c, scenario, lang)

# %%
render.timeline_chart(c, scenario, lang)

# %%
render.organisation(c, scenario, lang)

# %%
render.os_support_chart(c, scenario, lang)

# %%
render.usage_chart(c, scenario, lang)

# %%
render.flow_chart(c, scenario, lang)

# %%
render.warnings(c, scenario, lang, findings)

# %%
render.risk_chart(findings, lang)

# %%
render.drawbacks_section(c, scenario, lang, drawn)

# %%
render.validation(c, scenario, lang, findings, drawn)

# %%
render.advice_intro(lang)

# %%
render.impact_chart(c, scenario, lang)

# %%
render.load_chart(c, scenario, lang)

# %%
render.gaps_chart(c, scenario, lang)

# %%
render.training_chart(c, scenario, lang)

# %%
render.training_section(c, scenario, lang)

# %%
render.staffing_section(c, scenario, lang)

# %%
render.reorganisation_section(c, scenario, lang)

# %%
render.systems_section(c, scenario, lang)

# %%
render.cost_chart(c, scenario, lang)

# %%
render.cost_table(c, scenario, lang)

# %%
render.comparison(c, lang)

# %%
render.comparison_table(c, lang)

# %%
render.confidentiality_section(c, scenario, lang)

# %%
render.appendix(c, scenario, lang)

# %%
render.footer(c, lang)

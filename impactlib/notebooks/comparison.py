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
scenarios: str = "baseline,phased"  # two or more scenario names, comma-separated
lang: str = "fr"  # report language: "en" or "fr"
data_dir: str = "../../data/clients"  # folder holding the client folders
report_date: str = "2026-11-26"  # date printed on the cover (ISO); the runner sets today's

# %%
import datetime as dt
from pathlib import Path

from impactlib import assess, load_client, report

# %%
c = load_client(Path(data_dir) / client)
day = dt.date.fromisoformat(report_date)
compared = [assess(c, name, as_of=day) for name in scenarios.split(",")]

# %%
report.comparison_cover(compared, lang, day)

# %%
report.comparison_summary(compared, lang)

# %%
report.comparison(compared, lang)

# %%
report.comparison_table(compared, lang)

# %%
report.findings_diff(compared, lang)

# %%
report.footer(compared[0], lang)

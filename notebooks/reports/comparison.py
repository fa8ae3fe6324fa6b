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

from impactlib import load_client, render

# %%
c = load_client(Path(data_dir) / client)
names = scenarios.split(",")
day = dt.date.fromisoformat(report_date)

# %%
render.comparison_cover(c, names, lang, day)

# %%
render.comparison_summary(c, names, lang)

# %%
render.comparison(c, lang, names)

# %%
render.comparison_table(c, lang, names)

# %%
render.findings_diff(c, names, lang)

# %%
render.comparison_footer(c, lang)

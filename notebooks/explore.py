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

# %% [markdown]
# # Scenario explorer
#
# Pick a client and a scenario in the parameters cell, then move the controls: the verdict, the KPI
# tiles, the cost and the change-load charts are recomputed for the tweaked scenario. **Save as new
# scenario** writes `scenarios/<name>.yaml` in the client folder — it never overwrites a file.
# Staff appear only as counts, as in the reports.

# %% tags=["parameters"]
client: str = "acme-industrie"  # client id: a folder under data_dir
scenario: str = ""  # scenario to start from ("" = the client's default scenario)
lang: str = "fr"  # "en" or "fr"
data_dir: str = "../data/clients"  # folder holding the client folders
demo_tweak: bool = False  # apply one tweak at the end (headless runs use it to exercise the recompute path)

# %%
from pathlib import Path

from IPython.display import display

from impactlib import load_client
from impactlib.explore import Explorer, ExplorerUI

ui = ExplorerUI(Explorer.open(load_client(Path(data_dir) / client), scenario or None), lang, Path(data_dir))
display(ui.box)
ui.update()

# %%
if demo_tweak:  # as a user moving the controls: each change recomputes through the same observer
    ui.controls["shift_weeks"].value = 8
    ui.controls["rollout"].value = "phased"
    print(ui.timing.value)

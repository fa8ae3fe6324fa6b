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

# %% [markdown]
# # Scenario explorer
#
# Run all, pick a client and its starting scenario in the lists, then move the controls: every headline
# tile is shown as *starting value → tweaked value* with the difference, then the tweak's verdict, tiles,
# cost and change-load charts. Changes are listed by name. **Save as new scenario** writes
# `scenarios/<name>.yaml` in the client folder — the YAML it writes is shown beside it, and it never
# overwrites a file. Staff appear only as counts, as in the reports. Start it with `make explore` (the
# project's JupyterLab settings: no Jupyter-news pop-up).

# %% tags=["parameters"]
client: str = "acme-industrie"  # client shown first ("" = the first client of data_dir); the list offers all of them
scenario: str = ""  # scenario to start from ("" = the client's default scenario)
lang: str = "fr"  # "en" or "fr"
data_dir: str = "../data/clients"  # folder holding the client folders
demo_tweak: bool = False  # apply one tweak at the end (headless runs use it to exercise the recompute path)

# %%
from pathlib import Path

from IPython.display import display

from impactlib import load_client
from impactlib.explore import Explorer, ExplorerUI
from impactlib.io.clients import client_entries

client = client or client_entries(data_dir)[0].id
ui = ExplorerUI(Explorer.open(load_client(Path(data_dir) / client), scenario or None), lang, Path(data_dir))
display(ui.box)

# %%
if demo_tweak:  # as a user moving the controls: each change recomputes through the same observer
    ui.controls["shift_weeks"].value = 8
    ui.controls["rollout"].value = "phased"
    print(ui.timing.value)

# The project's Jupyter configuration: `make explore` starts JupyterLab with JUPYTER_CONFIG_DIR set to this folder.
# Its settings overrides (lab/settings/overrides.json) switch off the "Would you like to receive official Jupyter
# news?" pop-up and the update check: the setting is fetchNews = "false" ("Never") of the plugin
# @jupyterlab/apputils-extension:notification (schema: share/jupyter/lab/schemas/@jupyterlab/apputils-extension/
# notification.json; https://jupyterlab.readthedocs.io/en/stable/user/announcements.html).
# The notebook starts its preferred kernel (impactlib) without the "Select Kernel" dialog (autoStartDefaultKernel).
# User settings and workspaces of this JupyterLab land in lab/user-settings and lab/workspaces (not committed).
from pathlib import Path

c = get_config()  # noqa: F821 (provided by Jupyter when it reads this file)
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "lab" / "settings")
# and the server never asks pypi.org for a newer JupyterLab (documented on the page above)
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"

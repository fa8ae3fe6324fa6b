"""Names and languages, with nothing to import: what a no-change batch checks before (and instead of) loading pandas."""

from __future__ import annotations

CLIENT_ID = r"^[a-z0-9][a-z0-9-]{1,62}$"  # a client id or scenario name: also a folder or file name
LANGUAGES = ("en", "fr")

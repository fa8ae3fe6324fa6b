"""Names and languages, with nothing to import: what a no-change batch checks before (and instead of) loading pandas."""

from __future__ import annotations

CLIENT_ID = r"^[a-z0-9][a-z0-9-]{1,62}$"  # a client id or scenario name: also a folder or file name
LANGUAGES = ("en", "fr")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 problem``, ``3 problems``: the English of the CLI's and the shell's messages (reports are localised by
    Babel's plural rules in report/text.py)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"

"""Reading the provider's campaign settings (``data/provider.yaml``, see impactlib.model.provider)."""

from __future__ import annotations

from pathlib import Path

from impactlib.errors import InvalidInput, Problem
from impactlib.io.load import read_yaml
from impactlib.model.provider import Provider


def load_provider(path: Path | str) -> Provider:
    """The provider settings at ``path``; raises InvalidInput naming the file and every field that is wrong."""
    path = Path(path)
    problems: list[Problem] = []
    if not path.is_file():
        raise InvalidInput([Problem(str(path), None, None, "no such file: write the provider's campaign settings "
                                    "(docs/data-format.md, provider.yaml)")], what="provider settings")
    provider = read_yaml(path, str(path), Provider, problems)
    if problems or provider is None:
        raise InvalidInput(problems or [Problem(str(path), None, None, "could not be read")], what="provider settings")
    return provider

"""The clients of a data folder, as a picker lists them: id, name and scenarios, read from client.yaml and
scenarios/*.yaml only (no table is loaded; a folder with problems is still listed, loading it says what is wrong)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from impactlib.errors import InvalidInput, Problem
from impactlib.io.load import check_name, read_yaml
from impactlib.model.documents import Profile, Scenario


@dataclasses.dataclass(frozen=True)
class ClientEntry:
    id: str
    name: str  # the client's name, or its id when client.yaml cannot be read
    default_scenario: str | None
    scenarios: tuple[tuple[str, str], ...]  # (name, title), sorted by name; title = name when the file is unreadable


def client_entries(data_dir: str | Path) -> tuple[ClientEntry, ...]:
    """Every client folder (a valid client id holding a client.yaml) of ``data_dir``, sorted by id."""
    root = Path(data_dir)
    if not root.is_dir():
        raise InvalidInput([Problem(str(root), None, None, "no such data folder")], what="data folder")
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and (p / "client.yaml").is_file()):
        try:
            check_name(folder.name)
        except InvalidInput:
            continue  # not a client id: never offered (loading it would be refused)
        problems: list[Problem] = []
        profile = read_yaml(folder / "client.yaml", f"{folder.name}/client.yaml", Profile, problems)
        scenarios = []
        for f in sorted((folder / "scenarios").glob("*.yaml")):
            sc = read_yaml(f, f"{folder.name}/scenarios/{f.name}", Scenario, problems)
            scenarios.append((f.stem, sc.title if sc is not None else f.stem))
        out.append(ClientEntry(folder.name, profile.name if profile else folder.name,
                               profile.default_scenario if profile else None, tuple(scenarios)))
    return tuple(out)

"""The synthetic client generator writes a valid, deterministic client folder of the requested size."""

from __future__ import annotations

from pathlib import Path

import pytest

import impactlib
from impactlib.io.catalog import load_catalog
from impactlib.model.finding import SEVERITIES
from synthetic import MIN_ASSETS, write_client

SIZE = dict(staff=300, assets=80, skills=40, changes=5)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return write_client(tmp_path_factory.mktemp("a") / "syn-client", seed=3, **SIZE)


def test_loads_and_has_the_requested_size(generated):
    client = impactlib.load_client(generated)
    assert len(client.staff) == SIZE["staff"]
    assert int(client.departments["headcount"].sum()) == SIZE["staff"]
    assert len(client.departments) == 6  # ~ staff / 50
    assert len(client.assets) == SIZE["assets"]
    assert len(client.spec.changes) == SIZE["changes"]
    assert client.skills["skill_id"].nunique() <= SIZE["skills"]
    per_person = client.skills.groupby("staff_id").size()
    assert per_person.between(4, 8).all()
    assert set(client.scenarios) == {"baseline", "alt"}


def test_more_skills_than_the_catalog_adds_synthetic_skills(generated):
    shipped = len(load_catalog().skills)
    assert SIZE["skills"] > shipped
    client = impactlib.load_client(generated)
    assert len(client.catalog.skills) == SIZE["skills"]
    synthetic = client.catalog.skills["skill_id"].str.startswith("syn_skill_")
    assert synthetic.sum() == SIZE["skills"] - shipped
    chains = client.catalog.courses.loc[client.catalog.courses["skill_id"].str.startswith("syn_skill_")]
    assert set(zip(chains["from_level"], chains["to_level"])) == {(0, 2), (2, 4)}


def test_people_are_obviously_fake(generated):
    text = (generated / "staff.csv").read_text(encoding="utf-8")
    lines = text.splitlines()[1:]
    assert all(",Synthetic Person " in line and line.endswith("@example.invalid") for line in lines)


def test_review_and_drawbacks_run(generated):
    client = impactlib.load_client(generated)
    for scenario in ("baseline", "alt"):
        an = impactlib.assess(client, scenario)
        assert an.findings, "a synthetic client plants problems (old CPUs, unsupported servers, vague objectives)"
        assert len(an.drawbacks) == len(an.changes) > 0
    rules = {f.rule for f in impactlib.assess(client).findings}
    assert {"HW", "EOL", "SPEC-VAGUE"} <= rules


def test_same_seed_same_bytes_other_seed_other_bytes(generated, tmp_path):
    again = write_client(tmp_path / "same" / "syn-client", seed=3, **SIZE)
    assert _files(again) == _files(generated)
    other = write_client(tmp_path / "other" / "syn-client", seed=4, **SIZE)
    a, b = _files(generated), _files(other)
    assert a.keys() == b.keys()
    for name in ("staff.csv", "skills.csv", "assets.csv", "usage.csv", "spec.yaml"):
        assert a[name] != b[name], name


def test_few_skills_no_catalog_override(tmp_path):
    folder = write_client(tmp_path / "syn-small", staff=40, assets=MIN_ASSETS, skills=6, changes=1, departments=4)
    assert not (folder / "catalog").exists()
    client = impactlib.load_client(folder)
    assert len(client.departments) == 4 and len(client.assets) == MIN_ASSETS
    assert client.skills["skill_id"].nunique() <= 6
    assert {f.severity for f in impactlib.assess(client).findings} <= set(SEVERITIES)  # the review runs on a small client too


def test_refuses_a_bad_folder_name_or_too_few_assets(tmp_path):
    with pytest.raises(ValueError):
        write_client(tmp_path / "Not_A_Client", **SIZE)
    with pytest.raises(ValueError):
        write_client(tmp_path / "syn-x", staff=10, assets=MIN_ASSETS - 1, skills=5, changes=1)

"""docs/data-format.md covers every declared column and key; the glossary exists."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from impactlib.model import documents, schema

DOC = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
TOKENS = re.findall(r"`([a-z_][a-z0-9_.\[\]]*)`", DOC)
# a documented key path such as `changes[].go_live` documents each of its parts
DOCUMENTED = {part for token in TOKENS for part in re.split(r"\[\]\.?|\.", token) if part}
TABLES = [schema.Departments, schema.Staff, schema.Skills, schema.Assets, schema.Dependencies, schema.Usage,
          schema.Acknowledgements, schema.CatalogSkills, schema.Courses]


@pytest.mark.parametrize("model", TABLES, ids=lambda m: m.__name__)
def test_every_column_is_documented(model):
    missing = [c for c in model.to_schema().columns if c not in DOCUMENTED]
    assert missing == []


@pytest.mark.parametrize("model", [documents.Profile, documents.Spec, documents.Change, documents.Objective,
                                   documents.Constraints, documents.Means, documents.Scenario, documents.Assumptions,
                                   documents.Product, documents.Version, documents.Licence, documents.ChangeFacts],
                         ids=lambda m: m.__name__)
def test_every_yaml_key_is_documented(model):
    missing = [k for k in model.model_fields if k.rstrip("_") not in DOCUMENTED]
    assert missing == []


def test_glossary_defines_the_domain_words():
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").lower()
    for word in ("change", "finding", "drawback", "gap", "key user", "scenario", "blackout period", "acknowledgement",
                 "department impact", "end of support"):
        assert f"**{word}**" in glossary, word


def test_report_glossary_words_are_in_the_project_glossary():
    from impactlib.report.text import GLOSSARY

    doc = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    missing = [en for en, _, _, _ in GLOSSARY if f"**{en}**" not in doc]
    assert missing == []

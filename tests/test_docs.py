"""docs/data-format.md covers every declared column and key; the glossary exists; the code the docs name exists."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import impactlib
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


# --- names of code in the docs -------------------------------------------------------------------

# benchmarks.md is a record of what was measured at a given commit, in that commit's names
PAGES = sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "benchmarks.md")
MODULES = sorted(m.name for m in pkgutil.walk_packages(impactlib.__path__, "impactlib."))
SHORT = {m.rsplit(".", 1)[-1] for m in MODULES}  # costs, summary, glpi...: docs name functions by their module's short name
FILES = (".csv", ".yaml", ".xlsx", ".json", ".md", ".html", ".ipynb", ".key", ".pdf")


def code_names(page) -> list[str]:
    """Every `code` span of a page that names impactlib code: a dotted name (module, function, attribute),
    ``python -m`` module, or a file or folder of the package; call arguments and command-line options dropped."""
    spans = re.findall(r"`([^`\n]+)`", page.read_text(encoding="utf-8"))
    names = []
    for span in spans:
        name = re.sub(r"^python -m ", "", span).split("(")[0].split(" ")[0]
        if name.endswith(FILES) or not re.fullmatch(r"[A-Za-z_][\w./]*", name):
            continue
        if (name.startswith("impactlib") and name != "impactlib") or name.endswith(".py") or (
                "." in name and name.split(".")[0] in SHORT):
            names.append(name)
    return names


def resolves(name: str) -> bool:
    """A file or folder of the package that exists, or a dotted name that imports: fully qualified
    (impactlib.io.glpi.SOFTWARE_PRODUCTS) or from a module's short name (costs.estimate: in a module called costs)."""
    if "/" in name or name.endswith(".py"):
        return (ROOT / name).exists() if name.startswith("impactlib/") else any((ROOT / "impactlib").rglob(name))
    first, *rest = name.split(".")
    return any(lookup(module, rest) for module in (["impactlib"] if first == "impactlib" else
                                                   [m for m in MODULES if m.endswith("." + first)]))


def lookup(module: str, attributes: list[str]) -> bool:
    """Whether ``module.a.b...`` exists: attributes, or submodules a package does not import itself."""
    obj = importlib.import_module(module)
    for attr in attributes:
        if hasattr(obj, attr):
            obj = getattr(obj, attr)
        elif f"{getattr(obj, '__name__', '')}.{attr}" in MODULES:  # a submodule not imported by its package
            obj = importlib.import_module(f"{obj.__name__}.{attr}")
        else:
            return False
    return True


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_code_named_in_the_docs_exists(page):
    names = code_names(page)
    assert names, "no code named: the extraction is broken"
    assert [n for n in names if not resolves(n)] == []


SNIPPETS = [(page.name, code) for page in PAGES for code in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)]


@pytest.mark.parametrize("page, code", SNIPPETS, ids=[f"{name}-{i}" for i, (name, _) in enumerate(SNIPPETS)])
def test_python_snippets_of_the_docs_run(page, code, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)  # the snippets read the demo clients from the project root
    exec(compile(code, f"docs/{page} snippet", "exec"), {})
    assert capsys.readouterr().out  # each prints what it shows

"""The shipped catalog: it loads, its key facts stay right, every fact is sourced, and a broken
per-client override is reported with file and place."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from impactlib import InvalidInput
from impactlib.io.catalog import SHIPPED, load_catalog

CATALOG = load_catalog()


def test_shipped_catalog_loads():
    assert len(CATALOG.products) >= 20
    assert not CATALOG.skills.empty and not CATALOG.courses.empty
    assert CATALOG.sources == ("catalog",)


# --- lifecycle facts that must stay correct ----------------------------------------------------------

@pytest.mark.parametrize("product_id,version,end_of_support", [
    ("windows-10", "22H2", "2025-10-14"),
    ("office-2016", "2016", "2025-10-14"),
    ("office-2019", "2019", "2025-10-14"),
    ("exchange-server-2016", "2016", "2025-10-14"),
    ("exchange-server-2019", "2019", "2025-10-14"),
    ("office-ltsc-2021", "2021", "2026-10-13"),
    ("windows-server-2012-r2", "2012 R2", "2023-10-10"),
    ("windows-server-2016", "2016", "2027-01-12"),
    ("sql-server-2014", "2014", "2024-07-09"),
    ("sql-server-2016", "2016", "2026-07-14"),
    ("windows-11", "24H2", "2026-10-13"),
    ("windows-8.1", "8.1", "2023-01-10"),
])
def test_end_of_support(product_id, version, end_of_support):
    v = CATALOG.products[product_id].version(version)
    assert v is not None, f"{product_id} has no version {version}"
    assert v.end_of_support == dt.date.fromisoformat(end_of_support)


def test_windows_11_requirements():
    r = CATALOG.products["windows-11"].requirements
    assert (r.tpm_version, r.uefi, r.secure_boot, r.ram_gb, r.storage_gb) == ("2.0", True, True, 4, 64)
    assert (r.cpu.intel_core_min_generation, r.cpu.amd_ryzen_min_series) == (8, 2000)


# --- every fact carries its source -------------------------------------------------------------------

@pytest.mark.parametrize("product_id", sorted(CATALOG.products))
def test_every_fact_is_sourced(product_id):
    p = CATALOG.products[product_id]
    sources = {"product": p.source, "licence": p.licence.source}
    sources |= {f"version {v.version}": v.source for v in p.versions}
    if p.requirements is not None:
        sources["requirements"] = p.requirements.source
    if p.change is not None:
        sources["change"] = p.change.source
    if p.features:
        sources["features"] = p.features_source
    assert [k for k, s in sources.items() if not (s and s.strip())] == []


# --- training: every required level can be reached -------------------------------------------------

def _reachable_levels(skill_id: str) -> set[int]:
    courses = CATALOG.courses[CATALOG.courses["skill_id"] == skill_id]
    reached, todo = {0}, [0]
    while todo:
        level = todo.pop()
        for to in courses.loc[courses["from_level"] == level, "to_level"]:
            if to not in reached:
                reached.add(int(to))
                todo.append(int(to))
    return reached


REQUIRED = CATALOG.required_skills().groupby("skill_id")["level"].max()


@pytest.mark.parametrize("skill_id,level", sorted(REQUIRED.items()))
def test_required_level_has_a_course_path_from_zero(skill_id, level):
    assert max(_reachable_levels(skill_id)) >= level, f"no chain of courses takes {skill_id} from 0 to {level}"


# --- skills.csv holds codes, never SFIA / e-CF texts -------------------------------------------------

def test_skills_csv_has_only_the_contract_columns():
    with open(SHIPPED / "skills.csv", encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["skill_id", "name", "name_fr", "category", "sfia_code", "sfia_level", "ecf_code"]


def test_skills_carry_codes_not_descriptions():
    s = CATALOG.skills
    assert s["sfia_code"].dropna().str.fullmatch(r"[A-Z]{4}").all()
    assert s["ecf_code"].dropna().str.fullmatch(r"[A-E]\.\d{1,2}").all()
    assert s["name"].str.len().max() <= 100  # a short name of our own
    assert s["name_fr"].str.len().max() <= 100 and s["name_fr"].notna().all()  # every shipped skill named in French too


# --- a broken per-client override --------------------------------------------------------------------

LICENCE = "  licence: {model: free, unit_cost: 0, period: once, currency: EUR, as_of: 2026-01-01, source: test}\n"
BAD_DATES = """\
- id: broken-os
  name: Broken OS
  vendor: Nobody
  category: os
  source: test
  versions:
    - {version: "1", released: 2020-01-01, end_of_support: 2019-01-01, source: test}
""" + LICENCE
UNKNOWN_SKILL = """\
- id: needs-magic
  name: Magic
  vendor: Nobody
  category: other
  source: test
  versions:
    - {version: "1", source: test}
""" + LICENCE + """\
  skills:
    - {role: end_user, skill_id: magic, level: 2}
"""
COURSES = ("course_id,skill_id,from_level,to_level,hours,cost,currency,format,group_size,source\n"
           "win11-extra,win11_use,0,2,3,45,EUR,elearning,100,\n"
           "ghost-0-2,ghost,0,2,3,45,EUR,elearning,100,\n")

# (what is broken, files of the override folder, expected file, row, column, message)
BAD_DATES_PROBLEM = ("acme/catalog/products.yaml", None, "[0] (broken-os).versions[0].end_of_support",
                     "is before released")
UNKNOWN_SKILL_PROBLEM = ("acme/catalog/products.yaml", None, "(needs-magic).skills[0].skill_id", "unknown skill 'magic'")
COURSE_PROBLEM = ("acme/catalog/courses.csv", 3, "skill_id", "unknown skill 'ghost'")

OVERRIDES = [
    pytest.param({"products.yaml": BAD_DATES}, *BAD_DATES_PROBLEM, id="end_of_support-before-released"),
    pytest.param({"products.yaml": UNKNOWN_SKILL}, *UNKNOWN_SKILL_PROBLEM, id="product-requires-unknown-skill"),
    pytest.param({"courses.csv": COURSES}, *COURSE_PROBLEM, id="course-of-unknown-skill"),
]


def override(tmp_path: Path, files: dict[str, str]) -> list:
    folder = tmp_path / "acme" / "catalog"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        load_catalog(folder, label_prefix="acme/")
    return e.value.problems


@pytest.mark.parametrize("files,file,row,column,message", OVERRIDES)
def test_override_rule_is_enforced(tmp_path, files, file, row, column, message):
    problems = override(tmp_path, files)
    assert any(p.column == column and message in p.message for p in problems), problems


@pytest.mark.parametrize("files,file,row,column,message", [
    OVERRIDES[0],
    OVERRIDES[1],
    OVERRIDES[2],
])
def test_override_problem_names_file_and_place(tmp_path, files, file, row, column, message):
    problems = override(tmp_path, files)
    assert any((p.file, p.row, p.column) == (file, row, column) and message in p.message for p in problems), problems


def test_broken_override_reports_all_three_problems(tmp_path):
    problems = override(tmp_path, {"products.yaml": BAD_DATES + UNKNOWN_SKILL, "courses.csv": COURSES})
    found = {(p.file, p.row, p.column) for p in problems}
    assert {problem[:3] for problem in (BAD_DATES_PROBLEM, UNKNOWN_SKILL_PROBLEM, COURSE_PROBLEM)} <= found


def test_bad_version_gives_one_problem(tmp_path):
    problems = override(tmp_path, {"products.yaml": BAD_DATES})
    assert [p.column for p in problems] == ["[0] (broken-os).versions[0].end_of_support"]


@pytest.mark.parametrize("files,column,message", [
    ({"products.yaml": UNKNOWN_SKILL + UNKNOWN_SKILL}, "[1].id", "'needs-magic' is listed twice"),
    ({"products.yaml": "id: x\n"}, None, "must be a YAML list of products"),
    ({"products.yaml": UNKNOWN_SKILL.replace("  skills:", "  features: {vba_macros: full}\n  skills:")},
     "[0] (needs-magic).features_source", "is required when features are given"),
    ({"courses.csv": COURSES.replace("ghost-0-2,ghost,0,2", "bad,win11_use,3,2")}, "to_level",
     "must be above from_level"),
    ({"skills.csv": "skill_id,name,category,sfia_code,sfia_level,ecf_code\nnew_skill,New,wizardry,,,\n"},
     "category", "'wizardry' is not one of"),
    ({"skills.csv": "skill_id,name,category,sfia_code,sfia_level,ecf_code\nnew_skill,New,business,Programming,,\n"},
     "sfia_code", "'Programming' is not a SFIA code"),
], ids=["product-listed-twice", "products-not-a-list", "features-without-source", "course-levels-reversed",
        "skill-category-unknown", "sfia-description-instead-of-code"])
def test_other_override_rules(tmp_path, files, column, message):
    problems = override(tmp_path, files)
    assert any(p.column == column and message in p.message for p in problems), problems


def test_integration_with_unknown_product_is_refused(tmp_path):
    product = UNKNOWN_SKILL.replace("magic", "win11_use").replace(
        "  skills:", "  integrations: [{with: no-such-product, kind: api, source: test}]\n  skills:")
    problems = override(tmp_path, {"products.yaml": product})
    assert any("no-such-product" in p.message for p in problems)


def test_shipped_catalog_is_read_once_and_again_when_a_file_changes(tmp_path, monkeypatch):
    import shutil

    from impactlib.io import catalog as cat

    copy = tmp_path / "catalog"
    shutil.copytree(cat.SHIPPED, copy)
    monkeypatch.setattr(cat, "SHIPPED", copy)
    monkeypatch.setattr(cat, "_SHIPPED_CACHE", {})
    first = cat.load_catalog()
    assert cat.load_catalog().products is first.products  # read once
    skills = copy / "skills.csv"
    skills.write_text(skills.read_text(encoding="utf-8") + "zz_test_skill,Test skill,,end_user,,,\n", encoding="utf-8")
    again = cat.load_catalog()
    assert again.products is not first.products and "zz_test_skill" in set(again.skills["skill_id"])
    # the cross-reference check is kept with it, and made again on the new files: a course of an unknown skill
    courses = copy / "courses.csv"
    row = next(line for line in courses.read_text(encoding="utf-8").splitlines()[1:] if line.strip())
    rest = row.split(",", 2)[2]  # after course_id and skill_id
    courses.write_text(courses.read_text(encoding="utf-8") + f"zz_course,zz_unknown,{rest}\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="zz_unknown"):
        cat.load_catalog()
    with pytest.raises(InvalidInput, match="zz_unknown"):
        cat.load_catalog()  # from the cache: the same problem


def test_warm_builds_what_a_first_load_needs_without_client_data():
    from impactlib.io import catalog as cat
    from impactlib.run.warm import warm_loader

    warm_loader()
    assert len(cat._SHIPPED_CACHE) == 1
    (catalog, problems, cross), = cat._SHIPPED_CACHE.values()
    assert problems == () and cross == () and catalog.sources == ("catalog",)

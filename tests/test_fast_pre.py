"""The pre-flight's fast paths give what the paths they shortcut give: tables of plain cells (io/load._plain_table,
_plain_cells), a client's catalog folder checked alone over a shipped catalog that passed (io/catalog._check_catalog),
the headcount counts by plain Python (io/reader._plain)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic import write_client

from impactlib.errors import InvalidInput, Problem
from impactlib.io import catalog as cat
from impactlib.io import load, reader
from impactlib.io.folder import load_client
from impactlib.model import schema

SHIPPED = Path(cat.SHIPPED)


def _same_frames(a: pd.DataFrame | None, b: pd.DataFrame | None, what: str) -> None:
    if a is None or b is None:
        assert a is None and b is None, what
        return
    pd.testing.assert_frame_equal(a, b, check_dtype=True, check_index_type=True, check_exact=True, obj=what)
    assert a.dtypes.to_dict() == b.dtypes.to_dict() and type(a.index) is type(b.index), what
    for c in a.columns:
        assert type(a[c].array) is type(b[c].array), (what, c)


def _read_both(path: Path, model, monkeypatch) -> tuple[pd.DataFrame | None, list[Problem]]:
    """read_table with the plain paths, and without them (column-wise conversion of pandas' reading): the same."""
    fast: list[Problem] = []
    frame = load.read_table(path, path.name, model, fast)
    with monkeypatch.context() as m:
        m.setattr(load, "_plain_table", lambda *a, **k: None)
        slow: list[Problem] = []
        expected = load.read_table(path, path.name, model, slow)
    assert fast == slow, path
    _same_frames(frame, expected, str(path))
    return frame, fast


def _model(path: Path):
    if path.parent.name == "catalog" or path.parent == SHIPPED:
        return schema.CATALOG_TABLES.get(path.name)
    return (schema.CLIENT_TABLES.get(path.name) or (None,))[0]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return write_client(tmp_path_factory.mktemp("fastpre") / "syn-fast", seed=5, staff=120, assets=60, skills=30, changes=3)


def _tables(synthetic: Path) -> list[Path]:
    found = [p for root in (DEMO, synthetic, SHIPPED) for p in sorted(root.rglob("*.csv")) if _model(p) is not None]
    assert len(found) > 40
    return found


def test_every_shipped_demo_and_synthetic_table_reads_alike(synthetic, monkeypatch):
    taken = []
    original = load._plain_table
    monkeypatch.setattr(load, "_plain_table", lambda *a, **k: taken.append(original(*a, **k) is not None) or original(*a, **k))
    for path in _tables(synthetic):
        frame, problems = _read_both(path, _model(path), monkeypatch)
        assert problems == [] and frame is not None, path
    assert sum(taken) > 40  # the plain path did take them


CELLS = ["", " ", "abc", "-0", "-0.0", "-00", "0", "1,5", "1 000", "1\u00a0000", "3.0", "3.", ".5", "1e3", "+5", "-3", "-2.25",
         "0x10", "\u0661\u0662", "\u00b2", "12345678901234567", "123456789012345", "1234567890123.45", "nan", "inf",
         "2027-02-30", "2026-11-30", "1899-12-31", "2262-04-12", "05/03/2021", "2026-1-5", "yes", "Oui", "NON", "maybe",
         "vrai", "é", "a|b", "a||b", " a | b ", "high", "permanent", "ITOP", "present", "enabled", "Yes",
         '"quoted, cell"', '""', "x;y", "P1", "sk1", "Jean Dupont", "\t"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_tables_with_cells_changed_read_alike(data, synthetic, monkeypatch, tmp_path_factory):
    """A table with a few cells replaced by numbers, dates, words and lists of every kind (and its French form,
    ;-separated with decimal commas): the same frame and the same problems as the column-wise path."""
    tables = _tables(synthetic)
    source = tables[data.draw(st.integers(0, len(tables) - 1))]
    lines = source.read_text(encoding="utf-8").splitlines()
    if len(lines) < 2 or '"' in lines[0]:
        return
    rows = [line.split(",") for line in lines]
    for _ in range(data.draw(st.integers(1, 4))):
        r = data.draw(st.integers(1, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(st.sampled_from(CELLS))
    sep = data.draw(st.sampled_from([",", ";"]))
    if sep == ";":
        rows = [[cell.replace(".", ",") if cell.replace(".", "").replace("-", "").isdigit() else cell for cell in row]
                for row in rows]
    if data.draw(st.booleans()):  # a blank line, or a line of blanks
        rows.insert(data.draw(st.integers(1, len(rows))), [""] * (len(rows[0]) if data.draw(st.booleans()) else 1))
    path = tmp_path_factory.mktemp("mutated") / source.name
    path.write_text("\n".join(sep.join(row) for row in rows) + "\n", encoding="utf-8")
    _read_both(path, _model(source), monkeypatch)


def _problems(folder: Path, monkeypatch=None, full: bool = False):
    """The catalog read with ``folder`` over the shipped one, and its problems; ``full``: every entry checked."""
    problems: list[Problem] = []
    if full:
        check = cat._check_catalog
        monkeypatch.setattr(cat, "_check_catalog", lambda catalog, found, over=None: check(catalog, found))
    try:
        return cat.read_catalog(folder, "c/", problems), problems
    finally:
        if full:
            monkeypatch.setattr(cat, "_check_catalog", check)


def _row(path: Path, n: int = 1) -> str:
    return path.read_text(encoding="utf-8").splitlines()[n]


OVERRIDES = {
    "clean": {"skills.csv": "skill_id,name,name_fr,category,sfia_code,sfia_level,ecf_code\nnew_skill,New,,end_user,,,\n"},
    "courses": {"courses.csv": (SHIPPED / "courses.csv").read_text(encoding="utf-8").splitlines()[0]
                + "\nbad-course,no_such_skill,3,2,7,350,EUR,elearning,100,x\nok-course,win10_use,0,2,7,350,EUR,elearning,100,x\n"},
    "loop": {"skill_transfers.csv": "from_skill_id,to_skill_id,delta,source\nwin11_use,win10_use,0,x\nwin10_use,nope,0,x\n"},
    "admin": {"skills.csv": "skill_id,name,name_fr,category,sfia_code,sfia_level,ecf_code\n"
              + ",".join(_row(SHIPPED / "skill_transfers.csv").split(",")[1:2]) + ",Now admin,,it_admin,,,\n"},
    "blank ids": {"skills.csv": "skill_id,name,name_fr,category,sfia_code,sfia_level,ecf_code\n,Nameless,,end_user,,,\nwin10_use,W,,it_admin,,,\n"},
    "protection": {
        "controls.csv": (SHIPPED / "controls.csv").read_text(encoding="utf-8").splitlines()[0]
        + "\nbackup,recover,essential,high,5,yes,37|999,,11.1|99.9\n",
        "protection_tools.csv": (SHIPPED / "protection_tools.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
        + ",".join(_row(SHIPPED / "protection_tools.csv").split(",")[:5]) + ",nothing|other," + ",".join(_row(SHIPPED / "protection_tools.csv").split(",")[6:]) + "\n"},
    "products": {"products.yaml": "- id: bad one\n  name: 3\n"},
}


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_a_catalog_folder_checked_alone_gives_the_problems_of_the_whole_check(name, tmp_path, monkeypatch):
    """Broken client catalog folders (unknown skills and measures, a course's levels, a transfer loop, a shipped
    transfer that a client's skill makes lead to an administration skill, blank ids): the same catalog and the
    same problems, in the same order, as when every entry of the merged catalog is checked."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    for file, text in OVERRIDES[name].items():
        (folder / file).write_text(text, encoding="utf-8")
    catalog, problems = _problems(folder)
    whole, expected = _problems(folder, monkeypatch, full=True)
    assert problems == expected
    assert (problems == []) == (name == "clean"), problems
    assert catalog.products == whole.products and catalog.origin == whole.origin
    for table in ("skills", "courses", "transfers", "controls", "tools", "measures"):
        _same_frames(getattr(catalog, table), getattr(whole, table), table)


def test_a_shipped_catalog_that_fails_its_check_has_every_entry_checked_again(tmp_path, monkeypatch):
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "skills.csv").write_text(OVERRIDES["clean"]["skills.csv"], encoding="utf-8")
    calls = []
    check = cat._check_catalog
    monkeypatch.setattr(cat, "_check_catalog", lambda catalog, found, over=None: calls.append(over) or check(catalog, found, over))
    cat.read_catalog(folder, "c/", [])
    entry = cat._shipped_entry()
    monkeypatch.setattr(cat, "_shipped_entry", lambda: (entry[0], entry[1], (Problem("catalog/x", None, None, "broken"),)))
    cat.read_catalog(folder, "c/", [])
    assert calls[0] is not None and calls[1] is None


def _loaded(folder: Path):
    try:
        return load_client(folder), None
    except InvalidInput as e:
        return None, e.problems


@pytest.mark.parametrize("edit", ["none", "headcount", "users", "blank department"])
def test_headcount_counts_by_plain_python_give_pandas_counts(edit, synthetic, tmp_path, monkeypatch):
    """Departments with more people than their headcount, usage rows over it, a blank department: the same
    problems with the plain-Python counts as with pandas' grouping (io/reader._plain)."""
    folder = tmp_path / "syn-fast"
    shutil.copytree(synthetic, folder)
    deps = (folder / "departments.csv").read_text(encoding="utf-8").splitlines()
    cells = deps[1].split(",")
    if edit == "headcount":
        cells[2] = "1"
    if edit == "blank department":
        cells[0] = ""
    deps[1] = ",".join(cells)
    (folder / "departments.csv").write_text("\n".join(deps) + "\n", encoding="utf-8")
    if edit == "users":
        usage = (folder / "usage.csv").read_text(encoding="utf-8").splitlines()
        header = usage[0].split(",")
        cells = usage[1].split(",")
        cells[header.index("users")] = "100000"
        usage[1] = ",".join(cells)
        (folder / "usage.csv").write_text("\n".join(usage) + "\n", encoding="utf-8")
    client, problems = _loaded(folder)
    monkeypatch.setattr(reader, "_plain", lambda *a, **k: False)
    expected_client, expected = _loaded(folder)
    assert problems == expected
    assert (problems is None) == (edit == "none")
    if edit in ("headcount", "users"):
        assert any(p.column in ("headcount", "users") for p in problems)
    for demo in sorted(DEMO.iterdir()):
        assert _loaded(demo)[1] is None


def test_the_plain_path_takes_ascii_digits_only():
    """Other scripts' digits ('١٢', Arabic-Indic) are left to the column-wise path, which refuses them (float() would
    read them: Hypothesis found a whole-number column the plain path accepted and the column-wise path refused)."""
    from impactlib.io import load

    for pattern, good, bad in ((load._PLAIN_WHOLE, "12", "١٢"), (load._PLAIN_NUMBER, "1.5", "١.٥"),
                               (load._PLAIN_DATE, "2027-01-04", "٢٠٢٧-01-04")):
        assert pattern.fullmatch(good) and not pattern.fullmatch(bad)

"""Reading CSV and YAML files: encodings, French Excel files, row numbers, unreadable files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactlib.io import load
from impactlib.model import schema
from impactlib.errors import InvalidInput, Problem

HEADER = "department_id,name,headcount,criticality,hourly_cost,training_hours_per_month\n"


def read(path: Path, model=schema.Departments):
    problems: list[Problem] = []
    frame = load.read_table(path, path.name, model, problems)
    return frame, problems


def test_reference_csv_is_typed(tmp_path):
    p = tmp_path / "departments.csv"
    p.write_text(HEADER + "FIN,Finance,3,critical,45.5,6\n", encoding="utf-8")
    frame, problems = read(p)
    assert problems == []
    assert frame.loc[2, "hourly_cost"] == 45.5
    assert frame.loc[2, "change_capacity"] == 3.0  # default filled
    assert str(frame["name"].dtype) == "str"
    assert str(frame["headcount"].dtype) == "int64"


@pytest.mark.parametrize("encoding,bom", [("utf-8", True), ("cp1252", False), ("utf-8", False)])
def test_french_excel_csv_loads(tmp_path, encoding, bom):
    text = HEADER.replace(",", ";") + "COMPTA;Comptabilité générale;12;critical;45,5;6\n"
    data = text.encode(encoding)
    p = tmp_path / "departments.csv"
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    frame, problems = read(p)
    assert problems == []
    assert frame.loc[2, "name"] == "Comptabilité générale"
    assert frame.loc[2, "hourly_cost"] == 45.5


def test_french_dates_and_yes_no(tmp_path):
    p = tmp_path / "acknowledgements.csv"
    p.write_text("finding_id;decision;decided_by;decided_on\nEOL-1;accepted;Gérant;04/01/2027\n", encoding="utf-8")
    frame, problems = read(p, schema.Acknowledgements)
    assert problems == []
    assert frame.loc[2, "decided_on"].isoformat()[:10] == "2027-01-04"


def test_row_numbers_count_blank_lines_and_header(tmp_path):
    p = tmp_path / "departments.csv"
    p.write_text(HEADER + "FIN,Finance,3,critical,45,6\n\nOPS,Ops,x,high,30,4\n", encoding="utf-8")
    _, problems = read(p)
    assert problems == [Problem("departments.csv", 4, "headcount", "'x' is not a whole number")]


def test_every_problem_is_reported_at_once(tmp_path):
    p = tmp_path / "departments.csv"
    p.write_text(HEADER + "FIN,Finance,-3,urgent,45,6\nFIN,,2,low,abc,6\n", encoding="utf-8")
    _, problems = read(p)
    found = {(x.row, x.column) for x in problems}
    assert {(2, "headcount"), (2, "criticality"), (2, "department_id"), (3, "department_id"), (3, "name"),
            (3, "hourly_cost")} <= found


@pytest.mark.parametrize("content,message", [
    (b"", "is empty"),
    (b"\x00\x01\x02binary\x00junk", "binary file"),
    (b"department_id,name\n\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
    ('department_id,name,headcount,criticality,hourly_cost,training_hours_per_month\nA,"unclosed,1,low,1,1\n'.encode(),
     "not a well-formed CSV"),
])
def test_unreadable_files_are_named(tmp_path, content, message):
    p = tmp_path / "departments.csv"
    p.write_bytes(content)
    frame, problems = read(p)
    assert frame is None
    assert len(problems) == 1 and message in problems[0].message and problems[0].file == "departments.csv"


def test_too_large_file_is_refused_without_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 100)
    p = tmp_path / "departments.csv"
    p.write_text(HEADER + "FIN,Finance,3,critical,45,6\n" * 10, encoding="utf-8")
    _, problems = read(p)
    assert "more than the" in problems[0].message


@pytest.mark.parametrize("header,column,message", [
    (HEADER.replace("headcount", "head_count"), "head_count", "unknown column"),
    (HEADER.replace(",headcount", ""), "headcount", "required column is missing"),
    (HEADER.strip() + ",name\n", "name", "appears twice"),
])
def test_header_problems(tmp_path, header, column, message):
    p = tmp_path / "departments.csv"
    p.write_text(header + "FIN,Finance,3,critical,45,6\n", encoding="utf-8")
    _, problems = read(p)
    assert any(x.row == 1 and x.column == column and message in x.message for x in problems), problems


@pytest.mark.parametrize("value", ["ACME", "../etc", "/abs", "a/b", "a", "café", "acme\x00", "аcme", "acme industrie", ""])
def test_unsafe_client_ids_are_refused(value):
    with pytest.raises(InvalidInput) as e:
        load.check_name(value)
    assert "is not a valid client id" in str(e.value)


@pytest.mark.parametrize("value", ["acme-industrie", "c2", "lex-partners-2026"])
def test_safe_client_ids_pass(value):
    assert load.check_name(value) == value


def test_yaml_is_loaded_safely(tmp_path):
    p = tmp_path / "client.yaml"
    p.write_text("id: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    problems: list[Problem] = []
    from impactlib.model.documents import Profile
    assert load.read_yaml(p, "client.yaml", Profile, problems) is None
    assert "not valid YAML" in problems[0].message


@pytest.mark.parametrize("text,message", [("- a\n- b\n", "must be a YAML mapping"), ("", "must be a YAML mapping"),
                                          ("id: [unclosed\n", "not valid YAML: line")])
def test_yaml_shape_problems(tmp_path, text, message):
    from impactlib.model.documents import Profile
    p = tmp_path / "client.yaml"
    p.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    load.read_yaml(p, "client.yaml", Profile, problems)
    assert message in problems[0].message


# --- a client's YAML is parsed by libyaml where it agrees with PyYAML (load._LIBYAML_LAX) -------------------------
_DOCS = sorted(p for p in (Path(__file__).resolve().parents[1] / "data" / "clients").glob("**/*.yaml"))


def _parsed(text: str, pyyaml_only: bool, monkeypatch) -> tuple[str, list[str]]:
    with monkeypatch.context() as m:
        if pyyaml_only:
            m.setattr(load, "_LIBYAML_LAX", re.compile(""))  # matches every text: PyYAML alone, as before
        problems: list[Problem] = []
        data = load.parse_yaml(text, "x.yaml", problems)
    return repr(data), [str(p) for p in problems]


@pytest.mark.parametrize("text", [
    "title: a\tb\n",  # a tab inside a plain value
    "departments: [FIN, CO?M]\n",  # a ? inside a flow sequence
    "changes: [{id: C1, title: Why?}]\n",
    "title: x\n\ufeff  - y\nchanges: []\n",  # a byte-order mark past the start
])
def test_where_libyaml_is_lax_pyyaml_decides(text, monkeypatch):
    assert load._LIBYAML_LAX.search(text)
    assert _parsed(text, False, monkeypatch) == _parsed(text, True, monkeypatch)
    assert "is not valid YAML" in _parsed(text, False, monkeypatch)[1][0]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_documents_parse_as_with_pyyaml_alone(data, monkeypatch):
    """The demo clients' documents with a few characters inserted, replaced or deleted (YAML's indicators among
    them): the same data and the same problems as PyYAML alone gave."""
    text = _DOCS[data.draw(st.integers(0, len(_DOCS) - 1))].read_text(encoding="utf-8")
    pieces = st.sampled_from([":", "-", " ", "\t", "\n", "'", '"', "[", "]", "{", "}", "#", "&a ", "*a", "!", "|", ">", "?",
                              ",", "%", "@", "`", "\x07", "é", "\ufeff", "\r", "\x85", "\u2028", "---", "...", "!!binary ",
                              "<<: ", "~", "2027-13-01", "\x00", "\U0001F600"])
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 3)))
        text = text[:i] + data.draw(pieces) + text[j:]
    assert _parsed(text, False, monkeypatch) == _parsed(text, True, monkeypatch)


def test_an_id_pattern_is_checked_once_per_value_and_reported_on_every_row(tmp_path):
    """load._matches matches each distinct id once: a bad id on two rows is still named on both, a blank id is
    'required', not 'not a valid identifier'."""
    p = tmp_path / "skills.csv"
    p.write_text("staff_id,skill_id,level\nP1,sk1,3\nbad id!,sk1,2\n,sk2,1\nbad id!,sk2,2\nP2,x y,1\n", encoding="utf-8")
    problems: list[Problem] = []
    load.read_table(p, "skills.csv", schema.CLIENT_TABLES["skills.csv"][0], problems)
    said = sorted((x.row, x.column, x.message) for x in problems)
    bad = "'bad id!' is not a valid identifier (letters, digits, _ . -; max 40)"
    assert said == [(3, "staff_id", bad), (4, "staff_id", "is required"), (5, "staff_id", bad),
                    (6, "skill_id", "'x y' is not a valid identifier (letters, digits, _ . -; max 40)")]


def _cross_checked(monkeypatch) -> list[bool]:
    """load._passes, checked against pandera on every table it is asked about: a table it passes, pandera passes."""
    seen: list[bool] = []
    fast = load._passes

    def both(checked, frame):
        ok = fast(checked, frame)
        try:
            checked.validate(frame, lazy=True)
            valid = True
        except schema.pa.errors.SchemaErrors:
            valid = False
        assert ok == valid, (checked.name, ok, valid)
        seen.append(ok)
        return ok

    monkeypatch.setattr(load, "_passes", both)
    return seen


def test_the_fast_check_of_clean_tables_agrees_with_pandera(monkeypatch):
    from impactlib import load_client

    seen = _cross_checked(monkeypatch)
    for folder in sorted((Path(__file__).resolve().parents[1] / "data" / "clients").iterdir()):
        if (folder / "spec.yaml").exists():
            load_client(folder)
    assert seen and all(seen)


def test_the_fast_check_of_the_bad_input_corpus_agrees_with_pandera(clean, tmp_path, monkeypatch):
    import shutil

    from impactlib import load_client
    from impactlib.errors import ImpactlibError
    from test_bad_input import CORPUS  # every malformed folder: tables that fail pandera's checks among them

    seen = _cross_checked(monkeypatch)
    for i, (_, mutate, _expected) in enumerate(CORPUS):
        folder = tmp_path / f"c{i}" / "clean"
        shutil.copytree(clean, folder)
        mutate(folder)
        try:
            load_client(folder)
        except ImpactlibError:
            pass
    assert True in seen and False in seen

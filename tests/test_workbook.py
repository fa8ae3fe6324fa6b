"""The data-collection workbook: new-client --xlsx, and a filled client.xlsx loading like the CSV folder."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import DEMO, DEMO_CLIENTS
from impactlib import cli
from impactlib.model import schema
from impactlib.io import workbook
from impactlib.io.folder import load_client
from impactlib.errors import InvalidInput

TABLES = [name.removesuffix(".csv") for name in schema.CLIENT_TABLES]


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def csv_to_workbook(folder: Path, typed: bool = True) -> None:
    """Move a client folder's tables into client.xlsx: typed cells (numbers, dates) as an analyst types them,
    or every cell as text (as pasted from a CSV)."""
    if typed:
        client = load_client(folder)
        frames = {t: getattr(client, t) for t in TABLES}
        # the client holds pseudonyms, not names: the names the analyst would type come from staff.csv
        raw = pd.read_csv(folder / "staff.csv", dtype="str", keep_default_na=False).replace("", None)
        frames["staff"] = frames["staff"].drop(columns="pseudonym").assign(name=raw["name"].to_numpy(), email=raw["email"].to_numpy())
    else:
        frames = {t: pd.read_csv(folder / f"{t}.csv", dtype="str", keep_default_na=False).replace("", None)
                  for t in TABLES if (folder / f"{t}.csv").exists()}
    for t in TABLES:
        (folder / f"{t}.csv").unlink(missing_ok=True)
    workbook.write_workbook(folder / workbook.WORKBOOK, frames)


def assert_same_client(a, b):
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(a, t), getattr(b, t), check_exact=True, obj=t)
    assert (a.profile, a.spec, dict(a.scenarios)) == (b.profile, b.spec, dict(b.scenarios))


# --- the template --------------------------------------------------------------------------------

def test_new_client_xlsx_writes_the_workbook_and_never_overwrites_it(tmp_path, capsys):
    code, out, _ = run(["new-client", "acme", "--xlsx", "--data-dir", str(tmp_path)], capsys)
    path = tmp_path / "acme" / "client.xlsx"
    assert code == 0 and str(path) in out
    wb = load_workbook(path)
    assert wb.sheetnames == ["instructions", *TABLES]
    for t in TABLES:
        headers = [c.value for c in wb[t][1]]
        assert headers == list(schema.CLIENT_TABLES[f"{t}.csv"][0].to_schema().columns), t
    # enumerations offer their values as a drop-down list
    lists = {str(dv.sqref): dv.formula1 for dv in wb["assets"].data_validations.dataValidation}
    kind_col = "C"  # asset_id, name, kind
    assert lists[f"{kind_col}2:{kind_col}{workbook.MAX_ROWS}"] == '"' + ",".join(schema.ASSET_KINDS) + '"'
    assert any(f == '"' + ",".join(schema.CRITICALITY) + '"' for f in lists.values())
    assert any("oui" in f for f in lists.values())  # uefi, secure_boot
    text = " ".join(str(c.value) for row in wb["instructions"].iter_rows() for c in row if c.value)
    assert "Keep the header row" in text and "Ne modifiez pas la ligne d'en-tête" in text
    assert "ram_gb" in text  # the column reference lists every column

    path.write_bytes(b"filled by the analyst")
    code, _, err = run(["new-client", "acme", "--xlsx", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and "already exist" in err
    assert path.read_bytes() == b"filled by the analyst"


def test_new_client_without_xlsx_writes_header_only_csv_files(tmp_path, capsys):
    assert run(["new-client", "acme", "--data-dir", str(tmp_path)], capsys)[0] == 0
    names = sorted(p.name for p in (tmp_path / "acme").iterdir())
    assert names == sorted(schema.CLIENT_TABLES)
    assert (tmp_path / "acme" / "skills.csv").read_text(encoding="utf-8") == "staff_id,skill_id,level\n"


@pytest.mark.parametrize("cid", ["../x", "Acme", "a"])
def test_new_client_refuses_a_bad_client_id(tmp_path, capsys, cid):
    code, _, err = run(["new-client", cid, "--xlsx", "--data-dir", str(tmp_path / "c")], capsys)
    assert code == 2 and "not a valid client id" in err and not (tmp_path / "c").exists()


def test_the_template_with_csv_files_beside_it_gives_way_to_them(tiny):
    """Empty sheets (the template's) never hide the CSV files, e.g. assets.csv from import-glpi."""
    before = load_client(tiny)
    workbook.write_workbook(tiny / workbook.WORKBOOK)
    assert_same_client(before, load_client(tiny))


# --- a filled workbook is the same client --------------------------------------------------------

@pytest.mark.parametrize("cid", DEMO_CLIENTS)
def test_a_demo_client_as_a_workbook_is_the_same_client(tmp_path, cid):
    folder = tmp_path / cid
    shutil.copytree(DEMO / cid, folder)
    csv_to_workbook(folder, typed=True)
    assert not list(folder.glob("*.csv")) and (folder / "client.xlsx").is_file()
    assert_same_client(load_client(DEMO / cid), load_client(folder))


def test_text_cells_as_pasted_from_csv_give_the_same_client(tiny):
    before = load_client(tiny)
    csv_to_workbook(tiny, typed=False)
    assert_same_client(before, load_client(tiny))


# --- errors point to sheet, row and column -------------------------------------------------------

def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InvalidInput) as e:
        load_client(folder)
    return [str(p) for p in e.value.problems]


def edit_cells(path: Path, sheet: str, edits: dict[str, object]) -> None:
    wb = load_workbook(path)
    for ref, value in edits.items():
        wb[sheet][ref] = value
    wb.save(path)


def test_problems_name_the_sheet_row_and_column(tiny):
    csv_to_workbook(tiny)
    book = tiny / "client.xlsx"
    edit_cells(book, "assets", {"O3": "lots"})  # ram_gb of the second asset (Excel row 3)
    edit_cells(book, "staff", {"B2": "NOPE"})  # department_id of S1
    found = problems_of(tiny)
    assert "tiny/client.xlsx[assets], row 3, column ram_gb: 'lots' is not a number" in found
    assert "tiny/client.xlsx[staff], row 2, column department_id: unknown department 'NOPE'" in found


def test_unknown_sheet_and_headerless_column_are_reported(tiny):
    csv_to_workbook(tiny)
    book = tiny / "client.xlsx"
    wb = load_workbook(book)
    wb.create_sheet("asets")
    wb["skills"]["E3"] = "stray value"
    wb.save(book)
    found = problems_of(tiny)
    assert any(p.startswith("tiny/client.xlsx[asets]: unknown sheet") for p in found)
    assert "tiny/client.xlsx[skills], row 1, column E: a column holds values but has no header" in found


def test_a_table_in_both_the_workbook_and_a_csv_file_is_a_conflict(tiny):
    shutil.copy(tiny / "assets.csv", tiny / "keep.csv")
    csv_to_workbook(tiny)
    shutil.copy(tiny / "keep.csv", tiny / "assets.csv")
    (tiny / "keep.csv").unlink()
    assert "tiny/client.xlsx[assets]: has rows and assets.csv exists too: keep one of them" in problems_of(tiny)


def test_a_file_that_is_not_a_workbook_is_reported_without_traceback(tiny, capsys):
    (tiny / "client.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert any(re.match(r"tiny/client.xlsx: is not a readable .xlsx workbook", p) for p in problems_of(tiny))
    code, out, _ = run(["--data-dir", str(tiny.parent), "validate", "tiny"], capsys)
    assert code == 2 and "client.xlsx: is not a readable .xlsx workbook" in out


# --- formulas ------------------------------------------------------------------------------------

def test_a_formula_is_read_by_its_saved_value_never_calculated(tiny):
    before = load_client(tiny)
    csv_to_workbook(tiny)
    book = tiny / "client.xlsx"
    edit_cells(book, "departments", {"C2": "=1+2"})  # FIN headcount, 3, as a formula
    # openpyxl saves formulas without a value: add the value Excel would have saved with it
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/") and b"<f>1+2</f>" in parts[n])
    parts[sheet] = re.sub(rb"<f>1\+2</f>(<v\s*/>|<v></v>)?", b"<f>1+2</f><v>3</v>", parts[sheet])
    with zipfile.ZipFile(book, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert_same_client(before, load_client(tiny))


def test_a_formula_without_a_saved_value_and_formula_like_text_are_refused(tiny):
    csv_to_workbook(tiny)
    book = tiny / "client.xlsx"
    edit_cells(book, "departments", {"C2": "=1+2"})
    wb = load_workbook(book)
    sheet = wb["assets"]
    notes = next(c.column_letter for c in sheet[1] if c.value == "notes")  # found by its header: columns get added
    cell = sheet[f"{notes}2"]
    cell.value = '=HYPERLINK("http://evil.invalid","click")'
    cell.data_type = "s"  # typed as text (Excel: a leading apostrophe)
    wb.save(book)
    found = problems_of(tiny)
    assert any(p.startswith("tiny/client.xlsx[departments], row 2, column headcount: is a formula without a saved value")
               for p in found)
    assert any(p.startswith("tiny/client.xlsx[assets], row 2, column notes: '=HYPERLINK") and "starts with '='" in p
               for p in found)


def test_a_damaged_sheet_is_reported_without_traceback(tiny, capsys):
    csv_to_workbook(tiny)
    book = tiny / "client.xlsx"
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet2.xml"  # departments (sheet1 is the instructions)
    assert b"department_id" in parts[sheet] or b"<sheetData>" in parts[sheet]
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]  # truncated XML
    with zipfile.ZipFile(book, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    found = problems_of(tiny)
    assert any(p.startswith("tiny/client.xlsx[departments]: cannot be read") for p in found), found
    code, out, _ = run(["--data-dir", str(tiny.parent), "validate", "tiny"], capsys)
    assert code == 2 and "client.xlsx[departments]: cannot be read" in out

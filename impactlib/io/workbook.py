"""The data-collection workbook: one Excel sheet per client table, read exactly like the CSV files.

Analysts collect organisation and skills data in Excel; retyping it into CSV is where errors creep in.
``new-client --xlsx`` writes ``client.xlsx`` (headers, drop-down lists for enumerations, instructions in
English and French); ``load_client`` reads a folder's ``client.xlsx`` through the same conversion and
checks as the CSV files (impactlib.load), so a filled workbook gives the same Client as the CSV folder.
Problems name the sheet, row and column: ``acme/client.xlsx[assets], row 4, column ram_gb: ...``.

Formulas are never evaluated: a formula cell is read by the value Excel (or LibreOffice) saved with
it; one without a saved value is a problem. A text starting with ``=`` is a problem too (it would run
as a formula wherever the value is exported to a spreadsheet). openpyxl is imported only when a
workbook is read or written (0.18 s), never by a client folder without one. openpyxl parses the
workbook's XML with defusedxml (installed for import-glpi), so a workbook cannot carry an
entity-expansion attack either.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from impactlib.model import schema as s
from impactlib.errors import ImpactlibError, Problem
from impactlib.io.files import atomic, write_all
from impactlib.io.load import MAX_COLUMNS, MAX_FILE_BYTES, _convert, short

MAX_INFLATED_BYTES = 64 * 1024 * 1024  # the workbook's XML once unzipped: checked before anything is parsed
MAX_TABLE_ROWS = 100_000  # rows of one sheet (openpyxl reads about 12,000 rows a CPU second; CSV tables allow more)

WORKBOOK = "client.xlsx"
INSTRUCTIONS = "instructions"
MAX_ROWS = 2000  # rows that carry drop-down lists and formats in a new workbook
SHEETS: dict[str, str] = {name.removesuffix(".csv"): name for name in s.CLIENT_TABLES}  # sheet -> table file

_REQUIRED_FILL = "FCE4D6"
_HEADER_FILL = "DDEBF7"
_BOOLEAN_LIST = ("yes", "no", "oui", "non", "true", "false")


# --- what each column is -------------------------------------------------------------------------

def columns(model) -> list[dict]:
    """Each column of a table model: name, kind (text, integer, number, boolean, date, list), required, allowed."""
    out = []
    for name, col in model.to_schema().columns.items():
        dtype = str(col.dtype)
        list_of = (col.metadata or {}).get("list_of", "absent")
        kind = ("list" if list_of != "absent" else "integer" if dtype in ("int64", "Int64") else "number" if dtype == "float64"
                else "boolean" if dtype in ("bool", "boolean") else "date" if dtype.startswith("datetime") else "text")
        allowed = next((tuple(str(v) for v in c.statistics["allowed_values"]) for c in col.checks if c.name == "isin"), None)
        if kind == "list" and list_of not in ("absent", None):
            allowed = tuple(list_of)
        out.append({"name": name, "kind": kind, "required": not col.nullable and col.default is None,
                    "default": col.default, "allowed": allowed})
    return out


# --- writing -------------------------------------------------------------------------------------

INSTRUCTIONS_TEXT: tuple[tuple[str, str], ...] = (
    ("impactlib data-collection workbook", "Classeur de collecte de données impactlib"),
    ("One sheet per table of the client folder (docs/data-format.md). Keep the header row (row 1) as it is; "
     "one line per row from row 2.",
     "Une feuille par table du dossier client (docs/data-format.md). Ne modifiez pas la ligne d'en-tête (ligne 1) ; "
     "une ligne par enregistrement à partir de la ligne 2."),
    ("Orange headers are required columns; the others may stay blank. A blank cell means 'not known' (never zero).",
     "Les en-têtes orange sont des colonnes obligatoires ; les autres peuvent rester vides. Une cellule vide signifie "
     "« inconnu » (jamais zéro)."),
    ("Columns with a fixed list of values offer a drop-down list. Yes/no columns accept yes, no, oui, non, true, false.",
     "Les colonnes à valeurs imposées proposent une liste déroulante. Les colonnes oui/non acceptent yes, no, oui, non, "
     "true, false."),
    ("Several values in one cell (e.g. sensitive_data, features) are separated by |, e.g. health|personal_data.",
     "Plusieurs valeurs dans une cellule (ex. sensitive_data, features) sont séparées par |, ex. health|personal_data."),
    ("Dates: enter a date, or type YYYY-MM-DD or DD/MM/YYYY. Numbers: plain numbers, no units.",
     "Dates : saisissez une date, ou AAAA-MM-JJ ou JJ/MM/AAAA. Nombres : sans unité."),
    ("Formulas are not calculated by impactlib: it reads the value Excel saved. Save the workbook in Excel or "
     "LibreOffice before loading it. A text starting with '=' is refused.",
     "impactlib ne calcule pas les formules : il lit la valeur enregistrée par Excel. Enregistrez le classeur dans "
     "Excel ou LibreOffice avant de le charger. Un texte commençant par « = » est refusé."),
    ("Staff names and e-mails (sheet staff) are optional: they are checked, then replaced by a keyed pseudonym, and "
     "never appear in a report.",
     "Les noms et e-mails du personnel (feuille staff) sont facultatifs : ils sont vérifiés puis remplacés par un "
     "pseudonyme à clé, et n'apparaissent jamais dans un rapport."),
    ("client.yaml, spec.yaml and scenarios/*.yaml stay YAML files beside this workbook. A sheet left empty lets the "
     "matching CSV file of the folder (e.g. assets.csv from import-glpi) be used instead; a table cannot be in both.",
     "client.yaml, spec.yaml et scenarios/*.yaml restent des fichiers YAML à côté de ce classeur. Une feuille laissée "
     "vide laisse place au fichier CSV correspondant du dossier (ex. assets.csv de import-glpi) ; une table ne peut "
     "pas être aux deux endroits."),
    ("Check the workbook with: impactlib validate CLIENT (each problem names the sheet, row and column).",
     "Vérifiez le classeur avec : impactlib validate CLIENT (chaque problème indique la feuille, la ligne et la colonne)."),
)


def build_workbook(frames: dict[str, pd.DataFrame] | None = None):
    """An openpyxl Workbook: the instructions sheet, then one sheet per client table (with rows when given).

    ``frames`` maps sheet names (``assets``...) to typed frames as load_client returns them; used to
    turn an existing client into a workbook. Text is always written as text, never as a formula.
    """
    # openpyxl (+0.15 s): only where a workbook is built or read, never in a report kernel
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = INSTRUCTIONS
    info.append(["English", "Français"])
    for en, fr in INSTRUCTIONS_TEXT:
        info.append([en, fr])
    info.append([])
    info.append(["sheet / feuille", "column / colonne", "required / obligatoire", "type", "allowed values / valeurs permises"])
    header_row = info.max_row
    for sheet, table in SHEETS.items():
        for c in columns(s.CLIENT_TABLES[table][0]):
            info.append([sheet, c["name"], "yes / oui" if c["required"] else "", c["kind"], ", ".join(c["allowed"] or ())])
    for cell in (*info[1], *info[header_row]):
        cell.font = Font(bold=True)
    info.column_dimensions["A"].width = 70
    info.column_dimensions["B"].width = 70
    for row in info.iter_rows(min_row=2, max_row=len(INSTRUCTIONS_TEXT) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    for sheet, table in SHEETS.items():
        ws = wb.create_sheet(sheet)
        cols = columns(s.CLIENT_TABLES[table][0])
        ws.append([c["name"] for c in cols])
        ws.freeze_panes = "A2"
        for i, c in enumerate(cols, start=1):
            letter = get_column_letter(i)
            head = ws.cell(row=1, column=i)
            head.font = Font(bold=True)
            head.fill = PatternFill("solid", fgColor=_REQUIRED_FILL if c["required"] else _HEADER_FILL)
            ws.column_dimensions[letter].width = max(12, len(c["name"]) + 3)
            if c["kind"] in ("text", "list"):
                ws.column_dimensions[letter].number_format = "@"  # "17.0" or "24.8" stay text, not numbers or dates
            elif c["kind"] == "date":
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
            choices = c["allowed"] if c["kind"] != "list" else None
            if c["kind"] == "boolean":
                choices = _BOOLEAN_LIST
            if choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle=c["name"],
                                    error=f"{c['name']}: one of / une valeur parmi {', '.join(choices)}")
                dv.add(f"{letter}2:{letter}{MAX_ROWS}")
                ws.add_data_validation(dv)
        frame = (frames or {}).get(sheet)
        if frame is not None:
            names = [c["name"] for c in cols if c["name"] in frame.columns]
            for r, values in enumerate(frame[names].itertuples(index=False), start=2):
                for name, value in zip(names, values):
                    cell = ws.cell(row=r, column=[c["name"] for c in cols].index(name) + 1)
                    cell.value = _to_cell(value)
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # never a formula, whatever the text starts with
    return wb


def _to_cell(value):
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return value.item()
    return value


def write_workbook(path: Path, frames: dict[str, pd.DataFrame] | None = None) -> None:
    """Write the workbook to ``path`` atomically (a temporary file renamed into place)."""
    with atomic(path) as tmp:
        build_workbook(frames).save(tmp)


def new_client(folder: Path, xlsx: bool) -> list[Path]:
    """Start a client folder: ``client.xlsx`` (xlsx) or one header-only CSV per table. Never overwrites."""
    targets = [folder / WORKBOOK] if xlsx else [folder / name for name in s.CLIENT_TABLES]
    existing = [p for p in targets if p.exists()]
    if existing:
        raise ImpactlibError(f"{', '.join(map(str, existing))} {'already exists' if len(existing) == 1 else 'already exist'}: nothing written")
    folder.mkdir(parents=True, exist_ok=True)
    if xlsx:
        write_workbook(targets[0])
        return targets
    write_all(folder, {p.name: (",".join(c["name"] for c in columns(s.CLIENT_TABLES[p.name][0])) + "\n").encode("utf-8")
                       for p in targets}, force=False)
    return targets


# --- reading -------------------------------------------------------------------------------------

def read_workbook(path: Path, label: str, problems: list[Problem]) -> dict[str, tuple[pd.DataFrame | None, int]]:
    """Every table sheet of a workbook: table file name -> (frame or None when invalid, number of data rows).

    Frames have the declared types and are indexed by the Excel row number, like read_table's.
    """
    from zipfile import BadZipFile

    # openpyxl (+0.15 s): only where a workbook is built or read, never in a report kernel
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException


    from zipfile import ZipFile

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(label, None, None, f"file is {size / 1e6:.0f} MB, more than the {MAX_FILE_BYTES / 1e6:.0f} MB limit"))
            return {}
        with ZipFile(path) as z:  # a zip bomb: its members' declared sizes, before any XML is parsed
            inflated = sum(i.file_size for i in z.infolist())
        if inflated > MAX_INFLATED_BYTES:
            problems.append(Problem(label, None, None, f"inflates to {inflated / 2**20:,.0f} MiB, more than the "
                                                       f"{MAX_INFLATED_BYTES / 2**20:.0f} MiB limit of a workbook"))
            return {}
        # opened once; each sheet is read twice: which cells hold formulas, then the values Excel saved with them
        book = load_workbook(path, read_only=True, data_only=False)
    except (OSError, BadZipFile, InvalidFileException, KeyError, ValueError) as e:
        problems.append(Problem(label, None, None, f"is not a readable .xlsx workbook: {short(e, 200)}"))
        return {}
    formulas = values = book
    out = {}
    try:
        for sheet in values.sheetnames:
            if sheet.strip().lower() == INSTRUCTIONS:
                continue
            where = f"{label}[{sheet}]"
            if sheet not in SHEETS:
                problems.append(Problem(where, None, None, f"unknown sheet; expected: {', '.join(SHEETS)} (and {INSTRUCTIONS})"))
                continue
            table = SHEETS[sheet]
            try:
                book._data_only = False  # openpyxl reads it per sheet pass (ReadOnlyWorksheet._cells_by_row)
                is_formula = set()
                for r, row in enumerate(formulas[sheet].iter_rows(max_col=MAX_COLUMNS + 1), start=1):
                    if r > MAX_TABLE_ROWS + 1:
                        raise _TooBig(f"has more than {MAX_TABLE_ROWS:,} rows, the limit of a table")
                    is_formula |= {(r, c) for c, cell in enumerate(row, start=1) if getattr(cell, "data_type", None) == "f"}
                book._data_only = True  # the same archive, read for the values saved with the formulas
                rows = list(values[sheet].iter_rows(values_only=True, max_row=MAX_TABLE_ROWS + 1, max_col=MAX_COLUMNS + 1))
                if any(v is not None for r in rows for v in r[MAX_COLUMNS:]):
                    raise _TooBig(f"has more than {MAX_COLUMNS} columns, the limit of a table")
                width = max((max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows), default=0)
                rows = [r[:width] for r in rows]  # iter_rows pads every row to max_col
            except _TooBig as e:
                problems.append(Problem(where, None, None, str(e)))
                out[table] = (None, 0)
                continue
            except Exception as e:  # noqa: BLE001 - a damaged sheet of an untrusted file: reported, never a traceback
                problems.append(Problem(where, None, None, f"cannot be read: {type(e).__name__}: {short(e, 200)}"))
                out[table] = (None, 0)
                continue
            raw, n = _sheet_frame(rows, is_formula, where, problems, get_column_letter)
            if raw is None:
                out[table] = (None, n)
                continue
            out[table] = (_convert(raw, where, s.CLIENT_TABLES[table][0], decimal_comma=True, problems=problems), n)
    finally:
        book.close()
    return out


class _TooBig(Exception):
    pass


def _sheet_frame(rows: list[tuple], is_formula: set, where: str, problems: list[Problem], letter) -> tuple[pd.DataFrame | None, int]:
    """The sheet as a frame of text cells (as a CSV would give them), indexed by Excel row number."""
    if not rows or all(v is None for v in rows[0]):
        problems.append(Problem(where, 1, None, "the header row is missing (row 1 must hold the column names)"))
        return None, 0
    header = [short((_text(v) or "").strip()) for v in rows[0]]  # a 256 MiB header cell is never printed
    width = max(len(r) for r in rows)
    header += [""] * (width - len(header))
    body = [list(r) + [None] * (width - len(r)) for r in rows[1:]]
    keep = [i for i, h in enumerate(header) if h]
    bad = False
    for i, h in enumerate(header):
        if not h and any(r[i] is not None and str(r[i]).strip() for r in body):
            problems.append(Problem(where, 1, letter(i + 1), "a column holds values but has no header"))
            bad = True
    cells: dict[int, list[str]] = {}
    for r, row in enumerate(body, start=2):
        texts = []
        for i in keep:
            v = row[i]
            name = header[i]
            if (r, i + 1) in is_formula and v is None:
                problems.append(Problem(where, r, name, "is a formula without a saved value: impactlib never calculates "
                                                        "formulas; open and save the workbook in Excel or LibreOffice, or type the value"))
                bad = True
            t = _text(v)
            if t.lstrip().startswith("="):
                problems.append(Problem(where, r, name, f"'{t[:40]}' starts with '=': formula-like text is refused "
                                                        "(it would run as a formula when exported); remove the '='"))
                bad = True
            texts.append(t)
        if any(t.strip() for t in texts):
            cells[r] = texts
    n = len(cells)
    if bad:
        return None, n
    frame = pd.DataFrame.from_dict(cells, orient="index", columns=[header[i] for i in keep], dtype="str") if cells else \
        pd.DataFrame({header[i]: pd.Series(dtype="str") for i in keep})
    return frame.astype("str"), n


def _text(v) -> str:
    """A cell value as the text a CSV would hold: 12.5, 8 (not 8.0), 2026-03-01, true."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)

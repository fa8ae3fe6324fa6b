"""Reading a client folder and the catalog from disk, checked against the data contract.

This is the only module that reads input files. Every problem found is collected with its file,
row and column, and raised together as one :class:`InvalidInput`.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import stat
import unicodedata
import warnings
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml
from pydantic import BaseModel, ValidationError

from impactlib.model import schema as s
from impactlib.errors import InvalidInput, Problem

MAX_FILE_BYTES = 100 * 1024 * 1024
_HUGE = 1e15  # numbers at or beyond this (or infinite) are refused: no count, amount or size is that large
_TRUE = {"true", "yes", "oui", "1", "vrai", "y", "o"}
_FALSE = {"false", "no", "non", "0", "faux", "n"}


# --- names ---------------------------------------------------------------------------------------

def check_name(value: str, what: str = "client id") -> str:
    """Return ``value`` if it is a safe client id or scenario name, else raise InvalidInput.

    Refuses before any file is touched: path separators, ``..``, absolute paths, upper case,
    control or non-ASCII (look-alike) characters.
    """
    if not isinstance(value, str) or not re.fullmatch(s.CLIENT_ID, value):
        shown = "".join(c if c.isprintable() and c.isascii() else f"\\u{ord(c):04x}" for c in str(value))
        raise InvalidInput([Problem(what, None, None,
                                    f"'{shown}' is not a valid {what}: use 2-63 characters a-z, 0-9 and '-', "
                                    "starting with a letter or digit")], what=what)
    return value


def unknown_client(data_dir: Path, cid: str) -> str:
    """Why ``cid`` is no client of ``data_dir``: the folder, the closest known ids ("did you mean") and the known ones."""
    import difflib

    try:
        known = sorted(p.name for p in Path(data_dir).iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError:
        return f"no client folder at {Path(data_dir) / cid} (and no folder {data_dir})"
    close = difflib.get_close_matches(cid, known, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else "."
    listed = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    return f"no client folder at {Path(data_dir) / cid}{hint} Known clients: {listed or 'none'}"


# --- raw files -----------------------------------------------------------------------------------

def read_text(path: Path, label: str, problems: list[Problem]) -> str | None:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a device (/dev/zero), a pipe: reading could never end
            problems.append(Problem(label, None, None, "is not a regular file"))
            return None
        if info.st_size > MAX_FILE_BYTES:
            problems.append(_too_big(label, info.st_size))
            return None
        with path.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)  # never more than the limit, even if the file grew since stat()
        if len(raw) > MAX_FILE_BYTES:
            problems.append(_too_big(label, len(raw)))
            return None
    except OSError as e:
        problems.append(Problem(label, None, None, f"cannot be read: {e.strerror or e}"))
        return None
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        problems.append(Problem(label, None, None, f"is a binary file, not text (CSV or YAML expected): NUL byte on line {line}"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as e:
        problems.append(Problem(label, None, None, f"is neither UTF-8 nor Windows-1252 text (byte {e.start})"))
        return None


def _too_big(label: str, size: int) -> Problem:
    return Problem(label, None, None, f"file is {size / 1e6:.0f} MB, more than the {MAX_FILE_BYTES / 1e6:.0f} MB limit")


def read_table(path: Path, label: str, model: type[pa.DataFrameModel], problems: list[Problem]) -> pd.DataFrame | None:
    """Read one CSV into a frame of the model's declared types, indexed by spreadsheet row number.

    Problems are appended to ``problems``; returns None when the file cannot be read as a table.
    """
    text = read_text(path, label, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(label, None, None, "is empty: a header row is required"))
        return None
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]  # the C parser also ends a line at a lone \r
    sep = ";" if header.count(";") > header.count(",") else ","
    try:
        with warnings.catch_warnings():
            # a first data row longer than the header would silently become the index (shifting every
            # column) or lose its last cells: refuse it, as pandas refuses any later long row
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(io.StringIO(text), sep=sep, dtype="str", keep_default_na=False, na_filter=False,
                              skip_blank_lines=False, engine="c", index_col=False)
    except pd.errors.ParserWarning:
        names = _fields(header, sep)
        before = len(problems)
        # a header missing a name is the usual cause: say that rather than blame the rows
        _convert(pd.DataFrame({n: pd.Series(dtype="str") for n in names}), label, model, False, problems)
        if len(problems) == before:
            try:
                row = next((i for i, r in enumerate(csv.reader(io.StringIO(text), delimiter=sep), 1) if len(r) > len(names)), None)
            except csv.Error:
                row = None
            problems.append(Problem(label, row, None, f"is not a well-formed CSV table: more fields than the {len(names)} of the header"))
        return None
    except (pd.errors.ParserError, ValueError) as e:
        problems.append(Problem(label, _bad_line(str(e)), None, f"is not a well-formed CSV table: {_first_line(e)}"))
        return None
    names = _fields(header, sep)
    raw.columns = names if len(names) == len(raw.columns) else [str(c).strip() for c in raw.columns]
    raw.index = pd.RangeIndex(2, len(raw) + 2)
    blank = (raw.apply(lambda col: col.str.strip()) == "").all(axis=1) if len(raw.columns) else raw.index.notna()
    raw = raw.loc[~blank]
    return _convert(raw, label, model, decimal_comma=(sep == ";"), problems=problems)


def _fields(line: str, sep: str) -> list[str]:
    """The cells of one CSV line, stripped (a plain split if the csv module refuses the line)."""
    try:
        return [c.strip() for c in next(csv.reader([line], delimiter=sep), [])]
    except csv.Error:
        return [c.strip() for c in line.split(sep)]


def _bad_line(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _convert(raw: pd.DataFrame, label: str, model: type[pa.DataFrameModel], decimal_comma: bool,
             problems: list[Problem]) -> pd.DataFrame | None:
    schema = model.to_schema()
    declared = schema.columns
    dup = raw.columns[raw.columns.duplicated()].unique().tolist()
    for c in dup:
        problems.append(Problem(label, 1, c, "column appears twice in the header"))
    unknown = [c for c in raw.columns if c not in declared]
    for c in unknown:
        problems.append(Problem(label, 1, c or "(blank)", "unknown column; expected: " + ", ".join(declared)))
    missing = [n for n, col in declared.items() if n not in raw.columns and not col.nullable and col.default is None]
    for n in missing:
        problems.append(Problem(label, 1, n, "required column is missing"))
    if dup or unknown or missing:
        return None

    failed: set[tuple[int, str]] = set()
    out = {}
    for name, col in declared.items():
        text = raw[name].str.strip() if name in raw.columns else pd.Series("", index=raw.index, dtype="str")
        blank = text == ""
        kind = str(col.dtype)
        if kind in ("int64", "Int64", "float64"):
            cleaned = text.str.replace("\u00a0", "").str.replace(" ", "")
            if decimal_comma:
                cleaned = cleaned.str.replace(",", ".")
            values = pd.to_numeric(cleaned.where(~blank), errors="coerce")
            bad = values.isna() & ~blank
            if kind != "float64":
                bad |= values.notna() & (values % 1 != 0)
            huge = values.notna() & ~bad & ~values.abs().lt(_HUGE)  # also inf: beyond any count or amount
            for row in text.index[bad]:
                expected = "a number" if kind == "float64" else "a whole number"
                problems.append(Problem(label, int(row), name, f"'{text[row]}' is not {expected}"))
            for row in text.index[huge]:
                problems.append(Problem(label, int(row), name, f"'{text[row]}' is too large (limit {_HUGE:.0e})"))
            bad |= huge
            values = values.where(~bad)
        elif kind == "boolean" or kind == "bool":
            low = text.str.lower()
            values = pd.Series(pd.NA, index=text.index, dtype="boolean")
            values[low.isin(_TRUE)] = True
            values[low.isin(_FALSE)] = False
            bad = values.isna() & ~blank
            for row in text.index[bad]:
                problems.append(Problem(label, int(row), name, f"'{text[row]}' is not a yes/no value"))
        elif kind.startswith("datetime64"):
            iso = pd.to_datetime(text.where(~blank), format="%Y-%m-%d", errors="coerce")
            fr = pd.to_datetime(text.where(~blank), format="%d/%m/%Y", errors="coerce")
            values = iso.fillna(fr)
            bad = values.isna() & ~blank
            for row in text.index[bad]:
                problems.append(Problem(label, int(row), name, f"'{text[row]}' is not a date (YYYY-MM-DD)"))
        else:
            values = text.where(~blank)
            bad = pd.Series(False, index=text.index)
            allowed = (col.metadata or {}).get("list_of", "absent")
            if allowed != "absent":
                values, list_bad = _check_list(values, allowed, label, name, problems)
                bad |= list_bad
        failed.update((int(r), name) for r in text.index[bad])
        if col.default is not None:
            values = values.where(~blank, col.default)
        out[name] = values
    frame = pd.DataFrame(out, index=raw.index).astype(
        {n: _LOOSE.get(str(c.dtype), str(c.dtype)) for n, c in declared.items()})
    try:
        _loose_schema(model).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as e:
        for p in _pandera_problems(e.failure_cases, label, list(_loose_schema(model).unique or [])):
            if (p.row, p.column) not in failed:
                problems.append(p)
    if any(p.file == label for p in problems):
        return frame
    return frame.astype({n: "str" if str(c.dtype).startswith("string") else str(c.dtype)
                         for n, c in declared.items()})


# Required int and bool columns are checked in their nullable form, so that a blank cell is
# reported as "is required" instead of breaking the conversion; cast back once clean.
_LOOSE = {"int64": "Int64", "bool": "boolean"}


@functools.cache
def _loose_schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    schema = model.to_schema()
    return schema.update_columns({n: {"dtype": _LOOSE[str(c.dtype)]} for n, c in schema.columns.items()
                                  if str(c.dtype) in _LOOSE})


def _check_list(values: pd.Series, allowed, label: str, name: str, problems: list[Problem]):
    normalised = values.copy()
    bad = pd.Series(False, index=values.index)
    for row, cell in values.dropna().items():
        items = [i.strip() for i in cell.split("|")]
        wrong = [i for i in items if not i or (allowed is not None and i not in allowed)
                 or (allowed is None and not re.fullmatch(s.ID, i))]
        if wrong:
            hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
            problems.append(Problem(label, int(row), name, f"{', '.join(repr(w) for w in wrong)} not allowed in the list{hint}"))
            bad[row] = True
        normalised[row] = "|".join(items)
    return normalised, bad


_CHECK_MESSAGES = [
    (r"^not_nullable$", lambda a, v: "is required"),
    (r"^field_uniqueness$", lambda a, v: f"'{v}' is a duplicate: each value must be unique"),

    (r"^greater_than_or_equal_to\((.*)\)$", lambda a, v: f"{_fmt(v)} must be ≥ {a}"),
    (r"^greater_than\((.*)\)$", lambda a, v: f"{_fmt(v)} must be > {a}"),
    (r"^less_than_or_equal_to\((.*)\)$", lambda a, v: f"{_fmt(v)} must be ≤ {a}"),
    (r"^less_than\((.*)\)$", lambda a, v: f"{_fmt(v)} must be < {a}"),
    (r"^isin\((.*)\)$", lambda a, v: f"'{_fmt(v)}' is not one of {a.strip('[]()')}"),
    (r"^str_matches\((.*)\)$", lambda a, v: f"'{v}' is not {_PATTERNS.get(a.strip(chr(39) + chr(34)), 'in the expected form')}"),
    (r"^str_length\((.*)\)$", lambda a, v: f"'{v}' has a length outside {a}"),
]


_PATTERNS = {
    s.ID: "a valid identifier (letters, digits, _ . -; max 40)",
    s.CLIENT_ID: "a valid name (2-63 characters a-z, 0-9 and -)",
    r"^[A-Z]{4}$": "a SFIA code (four capital letters, e.g. ITOP)",
    r"^[A-E]\.\d{1,2}$": "an e-CF code (e.g. C.1)",
    r"^[A-Z]{3}$": "a currency code (ISO 4217, e.g. EUR)",
}


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _pandera_problems(cases: pd.DataFrame, label: str, unique: list[str] | None = None) -> list[Problem]:
    found = []
    pairs = cases.loc[cases["check"].astype("str") == "multiple_fields_uniqueness"]
    for row, grp in pairs.groupby("index"):
        values = dict(zip(grp["column"], grp["failure_case"]))
        cols = unique or list(values)
        shown = ", ".join(str(values[c]) if c in values and pd.notna(values[c]) else "(blank)" for c in cols)
        found.append(Problem(label, int(row), None, f"duplicate ({', '.join(cols)}) = ({shown}): "
                                                      "each combination must appear once"))
    for case in cases.loc[cases["check"].astype("str") != "multiple_fields_uniqueness"].itertuples(index=False):
        check = str(case.check)
        row = int(case.index) if pd.notna(case.index) else None
        column = None if pd.isna(case.column) else str(case.column)
        value = case.failure_case
        message = f"fails check {check} ({value})"
        for pattern, render in _CHECK_MESSAGES:
            m = re.match(pattern, check)
            if m:
                message = render(m.group(1) if m.groups() else "", value)
                break
        found.append(Problem(label, row, column, message))
    return found


def read_yaml(path: Path, label: str, model: type[BaseModel], problems: list[Problem]):
    """Read one YAML document with a safe loader and check it against ``model``."""
    text = read_text(path, label, problems)
    if text is None:
        return None
    before = len(problems)
    data = parse_yaml(text, label, problems)
    if len(problems) > before:
        return None
    if not isinstance(data, dict):
        problems.append(Problem(label, None, None, "must be a YAML mapping (key: value lines)"))
        return None
    return validate_document(data, label, model, problems)


def parse_yaml(text: str, label: str, problems: list[Problem]):
    """Parse YAML with the safe loader (no tags, no objects); None and a problem when invalid."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problems.append(Problem(label, None, None, f"is not valid YAML: {where}{getattr(e, 'problem', None) or e}"))
        return None
    except RecursionError:  # the composer recurses once per nesting level
        problems.append(Problem(label, None, None, "is not valid YAML: nested too deeply"))
        return None


def validate_document(data: dict, label: str, model: type[BaseModel], problems: list[Problem]):
    try:
        return model.model_validate(data)
    except ValidationError as e:
        errors = e.errors()
        failed = [_loc(err["loc"]) for err in errors if err["type"] != "too_short"]
        for err in errors:
            where = _loc(err["loc"])
            # a list that lost an invalid item is not also "too short": that is a follow-on
            if err["type"] == "too_short" and any(f.startswith(where + "[") for f in failed):
                continue
            message = _pydantic_message(err)
            if message.startswith("@"):  # a cross-field check names the key it is about
                key, message = message[1:].split(": ", 1)
                where = f"{where}.{key}" if where else key
            problems.append(Problem(label, None, where or None, message))
        return None


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-", "literal[", "tuple[", "list[")):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _pydantic_message(err: dict) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    if msg.startswith("@"):
        return msg
    if err["type"] in ("missing",):
        return "is required"
    if err["type"] == "extra_forbidden":
        return "unknown key (check the spelling against docs/data-format.md)"
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and len(str(value)) < 80:
        return f"{msg} (got {value!r})"
    return msg


def fingerprint(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of the given files: the input fingerprint of a report."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    """The input fingerprint of a client folder (every file in it): ``Client.fingerprint``, and what the
    batch compares to skip an unchanged report, without loading the client."""
    return fingerprint([p for p in Path(folder).rglob("*") if p.is_file()])


def is_safe_text(value: str) -> bool:
    """No control characters (other than tab/newline) in free text."""
    return not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value)

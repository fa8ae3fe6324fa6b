"""Reading a client folder and the catalog from disk, checked against the data contract.

This is the only module that reads input files. Every problem found is collected with its file,
row and column, and raised together as one :class:`InvalidInput`.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import stat
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from impactlib.model import schema as s
from impactlib.model.schema import pa  # pandera, imported by the schema module without what it need not import
from impactlib.errors import Problem
from impactlib.io.fingerprint import check_name, fingerprint, folder_fingerprint, unknown_client  # noqa: F401 - where callers find them

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 500_000  # rows of one table (CSV or sheet): a 50,000-person company's skills.csv (benchmarks) fits
MAX_COLUMNS = 200  # columns of a header (the widest table declares fewer than 40)
MAX_DEPTH = 64  # nesting of a JSON inventory or a YAML document (real ones: under 10)
SHOWN = 40  # characters of a value or a header quoted in a message; a longer one is never printed
_HUGE = 1e15  # numbers at or beyond this (or infinite) are refused: no count, amount or size is that large
MAX_SHOWN = 20  # unknown columns listed one by one; the rest are counted
_TRUE = {"true", "yes", "oui", "1", "vrai", "y", "o"}
_FALSE = {"false", "no", "non", "0", "faux", "n"}


# --- names ---------------------------------------------------------------------------------------

# --- what a message may show --------------------------------------------------------------------

def is_personal(columns) -> bool:
    """Whether a table's rows are about people (staff.csv, skills.csv...): any of its cells may hold a
    name (a shifted row puts a name in the department or FTE column), so no cell value is quoted."""
    return bool({"staff_id", "email"} & set(columns))  # a catalog's or a department's `name` names no person


_PROPER_NAME = re.compile(r"(?<![^\W\d_])[A-ZÀ-Þ][a-zß-ÿ]+")


def shown(value, personal: bool = False) -> str:
    """A cell value as a message may quote it: ``'abc'``; a value longer than SHOWN characters is never
    printed, nor, in a table about people, one that could be a name (a capitalised word, a first name, an @)."""
    text = str(value)
    if len(text) > SHOWN:
        return f"a value of {len(text)} characters (not shown)"
    if personal and ("@" in text or _PROPER_NAME.search(text) or _names_a_person(text)):
        return "the value (not shown: it may name a person)"
    return "'" + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text) + "'"


def short(text: str, limit: int = SHOWN) -> str:
    """A header name or an error text cut to ``limit`` characters (a 256 MiB header is never printed)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def _names_a_person(text: str) -> bool:
    from impactlib.io.screen import names_a_person  # the first-name list is read only when a message needs it

    return names_a_person(text)


# --- files that may be opened --------------------------------------------------------------------

def regular_file(path: Path, label: str, problems: list[Problem], root: Path | None = None) -> bool:
    """Whether ``path`` may be opened: it resolves to a regular file (not a device, a pipe or a folder) and,
    with ``root``, inside ``root`` (a symbolic link leaving the folder is refused). Else a problem."""
    try:
        info = path.stat()
    except OSError:
        problems.append(Problem(label, None, None, "is a symbolic link to nothing" if path.is_symlink() else "file is missing"))
        return False
    if root is not None and not path.resolve().is_relative_to(Path(root).resolve()):
        problems.append(Problem(label, None, None, "is a symbolic link to a file outside the folder: refused"))
        return False
    if not stat.S_ISREG(info.st_mode):
        problems.append(Problem(label, None, None, "is not a regular file (a device, a pipe or a folder): refused"))
        return False
    return True


def unsafe_entries(folder: Path, label) -> list[Problem]:
    """Every entry of a client folder (recursively, links not followed) that is not a regular file or folder
    inside it: a symbolic link leaving the folder, a device, a pipe, a socket. ``label(relative name)``."""
    found = []
    root = folder.resolve()
    for entry in sorted(folder.rglob("*")):
        name = entry.relative_to(folder).as_posix()
        try:
            info = entry.stat()
        except OSError:
            found.append(Problem(label(name), None, None, "is a symbolic link to nothing: refused"))
            continue
        if entry.is_symlink() and not entry.resolve().is_relative_to(root):
            found.append(Problem(label(name), None, None, "is a symbolic link to a file outside the client folder: refused"))
        elif not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            found.append(Problem(label(name), None, None, "is not a regular file (a device, a pipe or a socket): refused"))
    return found


def nesting_depth(data: bytes | str) -> int:
    """The deepest nesting of [ ] and { } outside double-quoted strings (JSON; YAML flow style), in C-speed
    passes: a document nested 100,000 levels deep is measured in milliseconds, never parsed."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    bare = re.sub(rb'"(?:[^"\\\n]|\\.)*"', b"", raw)
    brackets = bare.translate(None, delete=bytes(b for b in range(256) if b not in b"[]{}"))
    if not brackets:
        return 0
    a = np.frombuffer(brackets, dtype=np.uint8)
    return int(np.cumsum(np.where((a == ord("[")) | (a == ord("{")), 1, -1)).max())


def _depth(data) -> int:
    """Nesting depth of a parsed document: iterative (no recursion to exhaust) and each shared node (a YAML
    alias) measured once, so that a billion-laughs document costs its distinct nodes only; a node that
    contains itself (a recursive alias) counts as too deep."""
    height: dict[int, int] = {}
    on_path: set[int] = set()
    todo = [(data, False)]
    while todo:
        node, done = todo.pop()
        if not isinstance(node, (dict, list)):
            continue
        key = id(node)
        kids = [c for c in (node.values() if isinstance(node, dict) else node) if isinstance(c, (dict, list))]
        if done:
            on_path.discard(key)
            height[key] = 1 + max((height.get(id(c), 0) for c in kids), default=0)
            if height[key] > MAX_DEPTH:
                return height[key]
            continue
        if key in height:
            continue
        if key in on_path:
            return MAX_DEPTH + 1
        on_path.add(key)
        todo.append((node, True))
        todo += [(c, False) for c in kids]
    return height.get(id(data), 0)


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
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    if lines > MAX_ROWS + 1:
        problems.append(Problem(label, None, None, f"has {lines:,} lines, more than the {MAX_ROWS:,}-row limit of a table"))
        return None
    if header.count(sep) + 1 > MAX_COLUMNS:
        problems.append(Problem(label, 1, None, f"the header has {header.count(sep) + 1:,} columns, more than the "
                                                f"{MAX_COLUMNS} limit"))
        return None
    cells = _plain_cells(text, header, sep)
    if cells is not None:
        plain = _plain_table(*cells, model, decimal_comma=(sep == ";"))
        if plain is not None:
            return plain
    try:
        with warnings.catch_warnings():
            # a first data row longer than the header would silently become the index (shifting every
            # column) or lose its last cells: refuse it, as pandas refuses any later long row
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # bytes, not a StringIO: pandas reads a StringIO through a UCS-4 copy of the text (4 bytes a character,
            # ~20 MiB more at the peak of a 300,000-row skills.csv)
            raw = pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=sep, encoding="utf-8", dtype="str", keep_default_na=False, na_filter=False,
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
        problems.append(Problem(label, _bad_line(str(e)), None, f"is not a well-formed CSV table: {short(_first_line(e), 200)}"))
        return None
    names = _fields(header, sep)
    raw.columns = names if len(names) == len(raw.columns) else [str(c).strip() for c in raw.columns]
    raw.index = pd.RangeIndex(2, len(raw) + 2)
    # rows with a cell that is not blank (Python's whitespace: the str dtype's strip), each column looked at only
    # in the rows no column before it filled (most rows are filled by their first cell)
    filled = np.zeros(len(raw), dtype=bool)
    for i in range(raw.shape[1]):
        open_rows = np.flatnonzero(~filled)
        if not len(open_rows):
            break
        cells = raw.iloc[:, i].to_numpy(dtype=object)[open_rows]
        filled[open_rows] = [v != "" and not v.isspace() for v in cells]
    raw = raw.loc[filled]
    return _convert(raw, label, model, decimal_comma=(sep == ";"), problems=problems)


def _plain_cells(text: str, header: str, sep: str) -> tuple[dict[str, list[str]], pd.Index] | None:
    """The cells by column of the rows with a cell not blank, and their row numbers, of a CSV text that pandas' C
    parser reads as its lines split on ``sep``: no quote, no carriage return, no byte-order mark, a header of unique
    names and every line of its number of fields; else None (then pandas reads it). ~1 ms less a table than
    pandas.read_csv and the frame it makes, for the tables of most clients (written by a spreadsheet or a script)."""
    if '"' in text or "\r" in text or "\ufeff" in text:
        return None
    names = [c.strip() for c in header.split(sep)]
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    rows = [line.split(sep) for line in lines[1:]]
    width = len(names)
    if width < 2 or len(set(names)) < width or any(len(r) != width for r in rows):
        return None
    filled = [not cells.isspace() and cells != "" for cells in (line.replace(sep, "") for line in lines[1:])]
    index = pd.RangeIndex(2, len(rows) + 2)
    if not all(filled):
        rows = [r for r, keep in zip(rows, filled) if keep]
        index = index[np.array(filled, dtype=bool)]
    columns = list(zip(*rows)) if rows else [()] * width
    return dict(zip(names, columns)), index


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
    personal = is_personal(declared)
    q = lambda v: shown(v, personal)  # noqa: E731
    dup = raw.columns[raw.columns.duplicated()].unique().tolist()
    for c in dup[:MAX_SHOWN]:
        problems.append(Problem(label, 1, short(c), "column appears twice in the header"))
    unknown = [c for c in raw.columns if c not in declared]
    for c in unknown[:MAX_SHOWN]:
        problems.append(Problem(label, 1, short(c) or "(blank)", "unknown column; expected: " + ", ".join(declared)))
    if len(unknown) > MAX_SHOWN:
        problems.append(Problem(label, 1, None, f"{len(unknown) - MAX_SHOWN} more unknown columns"))
    missing = [n for n, col in declared.items() if n not in raw.columns and not col.nullable and col.default is None]
    for n in missing:
        problems.append(Problem(label, 1, n, "required column is missing"))
    if dup or unknown or missing:
        return None
    plain = _plain_table({c: cells.tolist() for c, cells in raw.items()}, raw.index, model, decimal_comma)
    if plain is not None:
        return plain

    # each column converted as Python lists (the cells of a client's table are few: a pandas string operation per
    # step cost more than the cells), then built once in its loose declared dtype; the same values, messages and
    # order of messages as column-wise pandas operations
    failed: set[tuple[int, str]] = set()
    rows = raw.index.tolist()
    n = len(rows)
    loose: dict[str, object] = {}
    final: dict[str, str] = {}
    for name, col in declared.items():
        text = [v.strip() for v in raw[name].tolist()] if name in raw.columns else [""] * n
        blank = [v == "" for v in text]
        kind = str(col.dtype)
        bad = [False] * n
        if kind in ("int64", "Int64", "float64"):
            if decimal_comma:
                cleaned = [None if b else v.replace("\u00a0", "").replace(" ", "").replace(",", ".") for v, b in zip(text, blank)]
            else:
                cleaned = [None if b else v.replace("\u00a0", "").replace(" ", "") for v, b in zip(text, blank)]
            numbers = pd.to_numeric(pd.Series(cleaned, dtype="str"), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            missing = np.isnan(numbers)
            wrong = missing & ~np.array(blank, dtype=bool)
            if kind != "float64":
                with np.errstate(invalid="ignore"):
                    wrong |= ~missing & (numbers % 1 != 0)
            with np.errstate(invalid="ignore"):
                huge = ~missing & ~wrong & ~(np.abs(numbers) < _HUGE)  # also inf: beyond any count or amount
            expected = "a number" if kind == "float64" else "a whole number"
            for i in np.flatnonzero(wrong):
                problems.append(Problem(label, int(rows[i]), name, f"{q(text[i])} is not {expected}"))
            for i in np.flatnonzero(huge):
                problems.append(Problem(label, int(rows[i]), name, f"{q(text[i])} is too large (limit {_HUGE:.0e})"))
            wrong |= huge
            bad = wrong.tolist()
            values = np.where(wrong, np.nan, numbers)
            if col.default is not None:
                values = np.where(blank, col.default, values)
            array = pd.array(values, dtype=_LOOSE.get(kind, kind))
        elif kind == "boolean" or kind == "bool":
            values = [True if v.lower() in _TRUE else False if v.lower() in _FALSE else None for v in text]
            for i, (v, b) in enumerate(zip(values, blank)):
                if v is None and not b:
                    bad[i] = True
                    problems.append(Problem(label, int(rows[i]), name, f"{q(text[i])} is not a yes/no value"))
            if col.default is not None:
                values = [col.default if b else v for v, b in zip(values, blank)]
            array = pd.array(values, dtype="boolean")
        elif kind.startswith("datetime64"):
            given = pd.Series([None if b else v for v, b in zip(text, blank)], dtype="str")
            dates = pd.to_datetime(given, format="%Y-%m-%d", errors="coerce")
            if dates.isna().sum() > sum(blank):  # only then may a day-first date be there
                dates = dates.fillna(pd.to_datetime(given, format="%d/%m/%Y", errors="coerce"))
            for i in np.flatnonzero(dates.isna().to_numpy() & ~np.array(blank, dtype=bool)):
                bad[i] = True
                problems.append(Problem(label, int(rows[i]), name, f"{q(text[i])} is not a date (YYYY-MM-DD)"))
            # a date the table's type cannot hold (nanoseconds: 1677-09-22 to 2262-04-11) is said, not a traceback
            beyond = (dates.notna() & ((dates < pd.Timestamp.min) | (dates > pd.Timestamp.max))).to_numpy()
            for i in np.flatnonzero(beyond):
                bad[i] = True
                problems.append(Problem(label, int(rows[i]), name,
                                        f"{q(text[i])} is out of the dates a table can hold (1678-01-01 to 2262-04-11)"))
            if beyond.any():
                dates = dates.where(~beyond)
            if col.default is not None:
                dates = dates.where(~np.array(blank, dtype=bool), col.default)
            array = dates.astype(kind).array
        else:
            values = [None if b else v for v, b in zip(text, blank)]
            aliases = (col.metadata or {}).get("aliases")
            if aliases:  # words a column accepts for its values (secure_boot: yes -> enabled...)
                values = [aliases.get(v.lower(), v) if v is not None else v for v in values]
            allowed = (col.metadata or {}).get("list_of", "absent")
            if allowed != "absent":
                values, bad = _check_list(values, rows, allowed, label, name, problems, personal)
            if col.default is not None:
                values = [col.default if b else v for v, b in zip(values, blank)]
            array = pd.array(values, dtype=kind)
        failed.update((int(rows[i]), name) for i in range(n) if bad[i])
        loose[name] = array
        final[name] = "str" if kind.startswith("string") else kind
    checked = _loose_schema(model)
    frame = pd.DataFrame({n: loose[n] for n in checked.columns}, index=raw.index, copy=False)
    if not _passes(checked, frame):  # pandera only for a table that fails a check: its messages, failure cases, order
        try:
            checked.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as e:
            for p in _pandera_problems(e.failure_cases, label, list(checked.unique or []), personal):
                if (p.row, p.column) not in failed:
                    problems.append(p)
    if any(p.file == label for p in problems):
        return pd.DataFrame(loose, index=raw.index, copy=False)
    return pd.DataFrame({n: a if str(a.dtype) == final[n] else a.astype(final[n]) for n, a in loose.items()},
                        index=raw.index, copy=False)


# the cells _plain_table converts itself: a plain decimal number of at most 15 digits (float() and pandas' to_numeric
# then give the same float, the one nearest the decimal; a signed zero is left to to_numeric, which reads -0 as the int
# 0), digits only in a whole-number column, and an ISO date of 1900-2199 (in datetime64[ns]'s range; numpy refuses the
# impossible days pandas coerces to a blank). ASCII digits only: a str pattern's \d also takes other scripts' digits
# ('١٢'), which float() reads and the column-wise path refuses
_PLAIN_NUMBER = re.compile(r"(?!-[0.]+$)-?(?=[\d.]{1,16}$)\d+(?:\.\d+)?", re.ASCII)
_PLAIN_WHOLE = re.compile(r"(?!-0+$)-?\d{1,15}", re.ASCII)
_PLAIN_DATE = re.compile(r"(?:19|20|21)\d\d-\d\d-\d\d", re.ASCII)


@functools.cache
def _dtype(kind: str):
    """The pandas dtype named ``kind``, resolved once (pd.array resolves a dtype's name anew each call: ~50 µs)."""
    return pd.api.types.pandas_dtype(kind)


def _plain_table(given: dict[str, list[str]], index: pd.Index, model: type[pa.DataFrameModel],
                 decimal_comma: bool) -> pd.DataFrame | None:
    """The table :func:`_convert` makes of the cells ``given`` by column (the rows of ``index``), when the header is
    right and every cell is plain (a number _PLAIN_NUMBER takes, an ISO date, a yes/no word, a list of allowed items)
    and the table passes every check of the model; else None, and _convert's own column-wise path converts it and
    says what is wrong. Built straight in the final dtypes, with neither the loose columns nor their casts: a
    120-person client's nine tables in ~8 ms instead of ~35 ms, in every batch pre-flight (tests/test_fast_pre.py
    compares both paths)."""
    declared = model.to_schema().columns
    if any(c not in declared for c in given) or any(n not in given and not col.nullable and col.default is None
                                                    for n, col in declared.items()):
        return None
    n = len(index)
    columns: dict[str, object] = {}
    for name, col in declared.items():
        text = [v.strip() for v in given[name]] if name in given else [""] * n
        blank = [v == "" for v in text]
        kind, default = str(col.dtype), col.default
        if kind in ("int64", "Int64", "float64"):
            cleaned = [v.replace("\u00a0", "").replace(" ", "") for v in text]
            if decimal_comma:
                cleaned = [v.replace(",", ".") for v in cleaned]
            plain = (_PLAIN_NUMBER if kind == "float64" else _PLAIN_WHOLE).fullmatch
            if not all(b or plain(v) for v, b in zip(cleaned, blank)):
                return None
            fill = np.nan if default is None else default
            values = np.array([fill if b else float(v) for v, b in zip(cleaned, blank)], dtype="float64")
            if kind == "int64":
                if np.isnan(values).any():
                    return None
                columns[name] = values.astype("int64")
            else:
                columns[name] = values if kind == "float64" else pd.array(values, dtype=_dtype("Int64"))
        elif kind in ("boolean", "bool"):
            values = [True if v.lower() in _TRUE else False if v.lower() in _FALSE else None for v in text]
            if any(v is None and not b for v, b in zip(values, blank)):
                return None
            if default is not None:
                values = [default if b else v for v, b in zip(values, blank)]
            if kind == "bool":
                if None in values:
                    return None
                columns[name] = np.array(values, dtype=bool)
            else:
                columns[name] = pd.array(values, dtype=_dtype("boolean"))
        elif kind == "datetime64[ns]" and default is None:
            if not all(b or _PLAIN_DATE.fullmatch(v) for v, b in zip(text, blank)):
                return None
            try:
                columns[name] = np.array([None if b else v for v, b in zip(text, blank)], dtype="datetime64[ns]")
            except ValueError:  # an impossible day (2027-02-30): pandas coerces it, _convert says so
                return None
        elif kind.startswith("string"):
            # equal cells as one string object, as pandas' C parser makes them (ids repeat: a 50,000-staff client's
            # kernel held ~45 MiB more with a string per cell)
            same: dict[str, str] = {}
            values = [None if b else same.setdefault(v, v) for v, b in zip(text, blank)]
            aliases = (col.metadata or {}).get("aliases")
            if aliases:
                values = [aliases.get(v.lower(), v) if v is not None else v for v in values]
            allowed = (col.metadata or {}).get("list_of", "absent")
            if allowed != "absent":
                values, bad = _check_list(values, [0] * n, allowed, "", name, [], False)
                if any(bad):  # a list with an item not allowed: _convert says which
                    return None
            if default is not None:
                values = [default if b else v for v, b in zip(values, blank)]
            columns[name] = pd.array(values, dtype=_dtype("str"))
        else:
            return None
    checked = _loose_schema(model)
    if not _passes(checked, pd.DataFrame({n: columns[n] for n in checked.columns}, index=index, copy=False)):
        return None
    return pd.DataFrame(columns, index=index, copy=False)


def _cast(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """``frame.astype(types)``, leaving alone the columns already of their type (most of them: a cast is a copy)."""
    change = {n: t for n, t in types.items() if str(frame[n].dtype) != t}
    return frame.astype(change) if change else frame


# Required int and bool columns are checked in their nullable form, so that a blank cell is
# reported as "is required" instead of breaking the conversion; cast back once clean.
_LOOSE = {"int64": "Int64", "bool": "boolean"}


@functools.cache
def _loose_schema(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    # no dtype check: _convert builds each column in its (loose) declared dtype itself, so pandera's dtype check
    # could never fail and cost ~40 % of the validation; the value checks, required and unique columns stay.
    # A column pandera has nothing to check on (nullable, no check, not unique alone or with others: free text,
    # an optional date _convert parsed) is left out of the validated frame: its validation could never fail
    schema = model.to_schema()
    together = set(schema.unique or [])
    free = [n for n, c in schema.columns.items() if c.nullable and not c.checks and not c.unique and n not in together]
    return schema.update_columns({n: {"dtype": None, "checks": [_per_value(k) for k in c.checks]}
                                  for n, c in schema.columns.items()}).remove_columns(free)


# pandera's checks that _convert's tables use, as the pandas operation each applies to the non-NA values of a column
# (the column's array: a Series and its index cost more than the cells of a client's table)
_TESTS = {
    "greater_than_or_equal_to": lambda v, min_value: v >= min_value,
    "greater_than": lambda v, min_value: v > min_value,
    "less_than_or_equal_to": lambda v, max_value: v <= max_value,
    "isin": lambda v, allowed_values: v.isin(allowed_values),
    "str_matches": lambda v, pattern: _matching(np.asarray(v, dtype=object), pattern),
    "str_length": lambda v, min_value=None, max_value=None, exact_value=None: _str_length(pd.Series(v).str.len(), min_value, max_value, exact_value),
}


def _str_length(n: pd.Series, low, high, exact) -> pd.Series:
    if exact is not None:
        return n == exact
    return (n >= (low if low is not None else 0)) & (n <= (high if high is not None else np.inf))


def _passes(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> bool:
    """Whether ``frame`` passes every check of ``schema`` (a :func:`_loose_schema`: no dtype, no dataframe-wide check),
    tested with the pandas operations pandera applies, without its machinery (a 120-person client's tables: ~5 ms
    instead of ~14 ms, in every pre-flight of a batch). False as soon as one check fails, or when
    unsure (a check not in _TESTS): pandera then validates the table and says why. As pandera: a column's NA values
    take its default first, a unique column has no value twice (NA included), a check skips NA values, the unique
    columns together have no row twice."""
    together = list(schema.unique or [])
    if schema.checks or schema.parsers or any(col.parsers for col in schema.columns.values()):
        return False
    try:
        return _checked(schema, frame, together)
    except (TypeError, ValueError):  # a value a pandas operation refuses: pandera's own reading of it
        return False


def _checked(schema: pa.DataFrameSchema, frame: pd.DataFrame, together: list[str]) -> bool:
    for name, col in schema.columns.items():
        v = frame[name].array  # pandas' array operations, without a Series' index (~2x less CPU for a client's tables)
        na = v.isna()
        if col.default is not None and na.any():
            if name in together:  # pandera's frame-wide check would see the defaults too: unsure
                return False
            v = v.fillna(col.default)
            na = v.isna()
        if col.unique and len(v.unique()) != len(v):  # Series.is_unique: NA counted as a value
            return False
        if na.any():
            if not col.nullable:
                return False
            v = v[~na]
        for check in col.checks:
            test = _TESTS.get(check.name)
            if test is None or not check.ignore_na or check.element_wise or check.groupby is not None \
                    or not test(v, **check.statistics).all():
                return False
    return not together or not frame.duplicated(together).any()


def _per_value(check: pa.Check) -> pa.Check:
    """pandera's str_matches as a check that matches each distinct value once (a 300,000-row skills table holds
    50,000 staff ids and a few dozen skill ids: pandera's own matches every cell); the same name, message and
    failure cases."""
    if check.name != "str_matches":
        return check
    return pa.Check(_matches, name=check.name, error=check.error, **check.statistics)


def _matches(column: pd.Series, pattern: str) -> pd.Series:
    return pd.Series(_matching(column.to_numpy(dtype=object), pattern), index=column.index)


def _matching(values: np.ndarray, pattern: str) -> np.ndarray:
    """Whether each value (an object array) matches ``pattern``; each distinct value matched once; a blank is."""
    codes, distinct = pd.factorize(values)
    match = re.compile(pattern).match
    ok = np.array([match(v) is not None for v in distinct] + [True], dtype=bool)  # the last: a blank cell (code -1)
    return ok[codes]


def _check_list(values: list, rows: list, allowed, label: str, name: str, problems: list[Problem], personal: bool = False):
    """The cells of a list column (``a|b``) with their items stripped, and which rows hold an item not allowed."""
    normalised = list(values)
    bad = [False] * len(values)
    for i, cell in enumerate(values):
        if cell is None:
            continue
        items = [x.strip() for x in cell.split("|")]
        wrong = [x for x in items if not x or (allowed is not None and x not in allowed)
                 or (allowed is None and not re.fullmatch(s.ID, x))]
        if wrong:
            hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
            problems.append(Problem(label, int(rows[i]), name, f"{', '.join(shown(w, personal) for w in wrong[:5])} not allowed in the list{hint}"))
            bad[i] = True
        normalised[i] = "|".join(items)
    return normalised, bad


# ``v`` is the failing value as a message may quote it (shown()): 'abc', or a word saying it is not shown
_CHECK_MESSAGES = [
    (r"^not_nullable$", lambda a, v: "is required"),
    (r"^field_uniqueness$", lambda a, v: f"{v} is a duplicate: each value must be unique"),

    (r"^greater_than_or_equal_to\((.*)\)$", lambda a, v: f"{_fmt(v)} must be ≥ {a}"),
    (r"^greater_than\((.*)\)$", lambda a, v: f"{_fmt(v)} must be > {a}"),
    (r"^less_than_or_equal_to\((.*)\)$", lambda a, v: f"{_fmt(v)} must be ≤ {a}"),
    (r"^less_than\((.*)\)$", lambda a, v: f"{_fmt(v)} must be < {a}"),
    (r"^isin\((.*)\)$", lambda a, v: f"{v} is not one of {a.strip('[]()')}"),
    (r"^str_matches\((.*)\)$", lambda a, v: f"{v} is not {_PATTERNS.get(a.strip(chr(39) + chr(34)), 'in the expected form')}"),
    (r"^str_length\((.*)\)$", lambda a, v: f"{v} has a length outside {a}"),
]
_NUMERIC_CHECK = re.compile(r"^(greater|less)_than")


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


def _pandera_problems(cases: pd.DataFrame, label: str, unique: list[str] | None = None,
                      personal: bool = False) -> list[Problem]:
    found = []
    pairs = cases.loc[cases["check"].astype("str") == "multiple_fields_uniqueness"]
    for row, grp in pairs.groupby("index"):
        values = dict(zip(grp["column"], grp["failure_case"]))
        cols = unique or list(values)
        parts = [shown(values[c], personal).removeprefix("'").removesuffix("'") if c in values and pd.notna(values[c]) else "(blank)" for c in cols]
        found.append(Problem(label, int(row), None, f"duplicate ({', '.join(cols)}) = ({', '.join(parts)}): "
                                                      "each combination must appear once"))
    for case in cases.loc[cases["check"].astype("str") != "multiple_fields_uniqueness"].itertuples(index=False):
        check = str(case.check)
        row = int(case.index) if pd.notna(case.index) else None
        column = None if pd.isna(case.column) else str(case.column)
        value = case.failure_case
        quoted = _fmt(value) if _NUMERIC_CHECK.match(check) and pd.api.types.is_number(value) else shown(_fmt(value), personal)
        message = f"fails check {short(check)} ({quoted})"
        for pattern, render in _CHECK_MESSAGES:
            m = re.match(pattern, check)
            if m:
                message = render(m.group(1) if m.groups() else "", quoted)
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


# where libyaml accepts a document PyYAML refuses (found by mutating the demo documents: tools in docs/benchmarks.md)
_LIBYAML_LAX = re.compile("[\t?\ufeff]")


def parse_yaml(text: str, label: str, problems: list[Problem], shipped: bool = False):
    """Parse YAML with the safe loader (no tags, no objects); None and a problem when invalid or nested
    more than MAX_DEPTH levels (flow style measured before parsing, block style after).

    Parsed by libyaml's C parser when installed (~8x less CPU: 0.4 s of a 50,000-staff client's pre-flight),
    except a client's document holding a character where libyaml accepts what PyYAML refuses (``_LIBYAML_LAX``:
    a tab inside a plain value, a ``?`` inside a flow collection, a byte-order mark past the start: 79-85 of
    3,000 mutated demo documents each time), which PyYAML parses, as it does any document libyaml refuses: the
    same data and the same messages as PyYAML alone (tests/test_load.py). ``shipped``: the package's own
    catalog, always given to libyaml first."""
    deep = f"is refused: YAML nested more than {MAX_DEPTH} levels deep"
    if nesting_depth(text) > MAX_DEPTH:
        problems.append(Problem(label, None, None, deep))
        return None
    if (shipped or not _LIBYAML_LAX.search(text)) and hasattr(yaml, "CSafeLoader"):
        try:
            data = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the safe loader, in C
            if _depth(data) <= MAX_DEPTH:
                return data
        except Exception:  # noqa: BLE001 - PyYAML below says what is wrong, as for any other file
            pass
    try:
        data = yaml.safe_load(text)
        if _depth(data) > MAX_DEPTH:
            problems.append(Problem(label, None, None, deep))
            return None
        return data
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problems.append(Problem(label, None, None, f"is not valid YAML: {where}{short(getattr(e, 'problem', None) or e, 200)}"))
        return None
    except RecursionError:  # the composer recurses once per nesting level
        problems.append(Problem(label, None, None, "is not valid YAML: nested too deeply"))
        return None
    except ValueError as e:  # a date-like value that is no date (2027-13-01): PyYAML's date constructor raises
        problems.append(Problem(label, None, None, f"is not valid YAML: {e} (a date is written YYYY-MM-DD)"))
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
    key = str(err["loc"][-1]).lower() if err.get("loc") else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{msg} (got {short(value)})"
    if isinstance(value, str) and len(value) <= SHOWN and not any(w in key for w in _PERSON_KEYS):
        return f"{msg} (got {shown(value, personal=True)})"
    return msg


# YAML keys that may hold a person's name or address: their values are never quoted
_PERSON_KEYS = ("name", "email", "contact", "owner", "signed", "person", "by")


def is_safe_text(value: str) -> bool:
    """No control characters (other than tab/newline) in free text."""
    return not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value)

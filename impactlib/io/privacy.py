"""Personal data: keyed pseudonyms for staff, the per-client key, and a scan of outputs for leaks.

Staff names and e-mails are replaced at load by ``HMAC-SHA256(client key, identity)``: the same
person keeps the same pseudonym from one run to the next while the key is kept, two clients (two
keys) cannot be linked, and without the key a pseudonym cannot be turned back into a name, even by
trying every name of a phone book (which a plain hash would allow).

Where the key of client ``<id>`` comes from, first match wins (docs/security.md):

1. the environment variable ``IMPACTLIB_KEY_<ID>`` (id upper-cased, ``-`` → ``_``): at least 32
   characters, used as UTF-8 bytes;
2. the file ``<key dir>/<id>.key``, key dir = ``$IMPACTLIB_KEY_DIR``, else
   ``$XDG_CONFIG_HOME/impactlib/keys``, else ``~/.config/impactlib/keys``: never under ``data/`` or
   ``reports/``, so it is never committed nor shipped with a report. When absent it is created with
   32 random bytes (``os.urandom``), mode 0600; an existing key readable by others is refused.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import html
import io
import json
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impactlib.errors import InvalidInput, Problem
from impactlib.io import screen
from impactlib.io.load import read_text

KEY_BYTES = 32
MIN_ENV_KEY_CHARS = 32
PSEUDONYM_HEX = 16  # 64 bits: no collision expected below ~10^9 people per client


# --- the key -------------------------------------------------------------------------------------

def key_env_var(client_id: str) -> str:
    """Name of the environment variable holding the key of ``client_id``."""
    return "IMPACTLIB_KEY_" + client_id.upper().replace("-", "_")


def key_dir() -> Path:
    """Folder of the per-client key files (see the module docstring)."""
    if os.environ.get("IMPACTLIB_KEY_DIR"):
        return Path(os.environ["IMPACTLIB_KEY_DIR"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "impactlib" / "keys"


def client_key(client_id: str) -> bytes:
    """The pseudonymisation key of a client (already a checked client id), created when absent.

    Raises InvalidInput when the configured key is unusable (too short, readable by others).
    """
    env = os.environ.get(key_env_var(client_id))
    if env is not None:
        if len(env) < MIN_ENV_KEY_CHARS:
            raise _key_problem(key_env_var(client_id), f"is {len(env)} characters; a key needs at least {MIN_ENV_KEY_CHARS}")
        return env.encode("utf-8")
    path = key_dir() / f"{client_id}.key"
    if not path.exists():
        _create_key(path)
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise _key_problem(str(path), "is not a regular file")
        if mode & 0o077:
            raise _key_problem(str(path), f"is readable by others (mode {stat.S_IMODE(mode):04o}): chmod 600 it")
        key = path.read_bytes()
    except OSError as e:
        raise _key_problem(str(path), f"cannot be read: {e.strerror or e}") from None
    if len(key) < KEY_BYTES:
        raise _key_problem(str(path), f"holds {len(key)} bytes; a key needs at least {KEY_BYTES}")
    return key


def _create_key(path: Path) -> None:
    """Write a new random key without ever exposing a partial or world-readable file.

    Two processes may create the same key at once (a parallel batch): the first link wins and the
    other one reads it.
    """
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".new-", dir=path.parent)  # mkstemp creates with mode 0600
        try:
            os.write(fd, os.urandom(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # fails if the key appeared meanwhile: never overwrite a key
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    except OSError as e:
        raise _key_problem(str(path), f"cannot be created: {e.strerror or e}") from None


def _key_problem(where: str, message: str) -> InvalidInput:
    return InvalidInput([Problem("pseudonymisation key", None, where, message)], what="pseudonymisation key")


# --- pseudonyms ----------------------------------------------------------------------------------

def identity(name, email) -> str | None:
    """What identifies a person: the e-mail when given (case-insensitive), else the name.

    Unicode-normalised (NFC), case-folded and with runs of blanks collapsed, so ``Bruno  Modèle``
    and ``bruno modèle`` are the same person.
    """
    for value, prefix in ((email, "email:"), (name, "name:")):
        if isinstance(value, str) and value.strip():
            return prefix + " ".join(unicodedata.normalize("NFC", value).casefold().split())
    return None


def pseudonym(key: bytes, ident: str) -> str:
    """``p-`` and the first 16 hex digits of HMAC-SHA256(key, identity)."""
    return "p-" + hmac.new(key, ident.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]


def pseudonymise(names: pd.Series, emails: pd.Series, key: bytes) -> pd.Series:
    """One pseudonym per row (NA where neither name nor e-mail is given), same index as ``names``."""
    idents = [identity(n, e) for n, e in zip(names.to_numpy(dtype=object), emails.to_numpy(dtype=object))]
    keyed = hmac.new(key, digestmod=hashlib.sha256)  # copying a keyed state is a third faster than re-keying

    def one(ident: str) -> str:
        h = keyed.copy()
        h.update(ident.encode("utf-8"))
        return "p-" + h.hexdigest()[:PSEUDONYM_HEX]

    unique = {i: one(i) for i in set(idents) if i is not None}
    return pd.Series([unique.get(i) if i is not None else None for i in idents], index=names.index, dtype="str")


# --- leak scan -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Leak:
    """A sensitive string found in an output file."""

    path: Path
    needle: str


_ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\/")


def fold(text: str) -> str:
    """Lower case, no accents, blanks collapsed: the form both sides of a scan are compared in."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")  # é -> e, in C
    return " ".join(ascii_.casefold().split())


def _views(data: bytes) -> list[str]:
    """The texts a reader or a program could recover from one file's bytes.

    Raw text in the usual encodings, HTML entities decoded, JSON/JS ``\\u00e9`` escapes decoded (plotly
    figures, notebooks), every member of a zip (xlsx, docx) the same way, and the text of a PDF.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    unescaped = _ESCAPED.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2)) else "/", text)
    out = [text, html.unescape(unescaped)]
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for member in z.namelist():
                    out += _views(z.read(member))
        except (zipfile.BadZipFile, OSError, RuntimeError):
            pass
    if data[:5] == b"%PDF-":
        out.append(_pdf_text(data))
    if data[:1] in (b"{", b"["):
        try:
            out.append("\n".join(_strings(json.loads(data))))
        except (ValueError, RecursionError):
            pass
    return out


def _pdf_text(data: bytes) -> str:
    """The text of a PDF (its streams are compressed, so the raw bytes hide it); needs pypdf (test extra)."""
    try:
        from pypdf import PdfReader  # only to scan a PDF export for leaks (tests, the demo scan)
    except ImportError:
        return ""
    try:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    except Exception:  # noqa: BLE001  (a PDF pypdf cannot read is scanned as raw bytes only)
        return ""


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in _strings(k) + _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def scan_text(text: str, needles: list[str], where: Path | str = "<text>") -> list[Leak]:
    """Leaks of ``needles`` in one text (stdout of a command, a status message...)."""
    return _find(_views(text.encode("utf-8")), needles, Path(where))


def _find(views: list[str], needles: list[str], where: Path) -> list[Leak]:
    # the views folded once and joined by NUL, which no folded needle holds: one search per needle, none across views
    text = "\0".join(fold(v) for v in dict.fromkeys(views))
    folded = {n: fold(n) for n in sorted(set(needles))}
    return [Leak(where, n) for n, f in folded.items() if f and f in text]


def scan_outputs(folder: str | Path, needles: list[str], skip: tuple[Path, ...] = ()) -> list[Leak]:
    """Every file under ``folder`` (any type: html, ipynb, logs, csv, xlsx, hidden files) searched
    for every needle, case- and accent-insensitively, through the encodings a reader could undo.

    Returns one Leak per (file, needle) found; an empty list means nothing leaked. Files under a folder of
    ``skip`` (one already scanned) are left out.
    """
    needles = [n for n in needles if n and n.strip()]
    leaks = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not path.is_symlink() and not any(f in path.parents for f in skip):
            leaks += _find(_views(path.read_bytes()), needles, path)
    return leaks


def staff_identities(staff_csv: str | Path) -> list[str]:
    """Every name and e-mail in a client's staff.csv (read leniently: this is for scanning outputs)."""
    return sorted({(r.get(c) or "").strip() for r in _lenient_rows(staff_csv) for c in ("name", "email")} - {""})


def _lenient_rows(path: str | Path) -> list[dict]:
    """The rows of a client CSV as dicts, read leniently (either separator, nothing on a broken file): for
    scanning outputs, never for loading a client."""
    text = read_text(Path(path), str(path), [])
    if text is None:
        return []
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    try:
        return list(csv.DictReader(io.StringIO(text), delimiter=sep))
    except csv.Error:
        return []


def signatories(register_root: str | Path) -> list[str]:
    """Every signatory name recorded in any client's register under ``register_root`` (the ``decided_by`` of
    the decisions read from returned validation sheets, :mod:`impactlib.io.register`): what the leak scan
    looks for outside each client's own register (reports, the portfolio, logs, status files, HR exports)."""
    names = set()
    for path in sorted(Path(register_root).glob("*/register.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                e = json.loads(line)
            except ValueError:
                continue
            for d in e.get("decisions", []) if isinstance(e, dict) else []:
                if isinstance(d, dict) and str(d.get("decided_by") or "").strip():
                    names.add(str(d["decided_by"]).strip())
    return sorted(names)


# --- asset names that name a person (issue 18): what the scan of outputs also looks for ----------

def _person_needles(values) -> list[str]:
    """The values that name a person (impactlib.io.screen) and the first names in them (4+ letters: a
    shorter one, "lea", "tom", would be found inside ordinary words of a report)."""
    out = set()
    for v in values:
        if isinstance(v, str) and v.strip() and screen.names_a_person(v):
            out.add(v.strip())
            out |= {w for w in screen.words(v) if len(w) >= 4 and w in screen.first_names()}
    return sorted(out)


def asset_identities(assets_csv: str | Path) -> list[str]:
    """Asset ids, names and host names of a client's assets.csv that name a person ("Portable de Sophie"),
    and the first names in them: a scan of the outputs looks for them as for staff names."""
    return _person_needles(r.get(c) for r in _lenient_rows(assets_csv) for c in ("asset_id", "name", "hostname"))


def inventory_host_names(paths: list[str | Path]) -> list[str]:
    """Host names of GLPI inventories (JSON or XML, hardware.name) that name a person, and the first names in
    them: what the scan of a report made from those inventories must not find."""
    found = []
    for p in sorted(Path(x) for x in paths):
        files = sorted(p.glob("*.json")) + sorted(p.glob("*.xml")) if p.is_dir() else [p]
        for f in files:
            try:
                raw = f.read_bytes()
                if raw.lstrip().startswith(b"{"):
                    data = json.loads(raw)
                    hw = ((data.get("content") or {}).get("hardware") or {}) if isinstance(data, dict) else {}
                    found.append(hw.get("name") if isinstance(hw, dict) else None)
                else:
                    found += re.findall(r"<HARDWARE>.*?<NAME>([^<]+)</NAME>", raw.decode("utf-8", "replace"), re.S)
            except (OSError, ValueError, RecursionError):
                continue
    return _person_needles(found)

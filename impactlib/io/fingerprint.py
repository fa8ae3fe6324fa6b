"""Client ids checked and client folders fingerprinted without pandas or pandera: a no-change batch rerun
needs only these (and the status files) to skip every report."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from impactlib.errors import InvalidInput, Problem
from impactlib.model.names import CLIENT_ID


def check_name(value: str, what: str = "client id") -> str:
    """Return ``value`` if it is a safe client id or scenario name, else raise InvalidInput.

    Refuses before any file is touched: path separators, ``..``, absolute paths, upper case,
    control or non-ASCII (look-alike) characters.
    """
    if not isinstance(value, str) or not re.fullmatch(CLIENT_ID, value):
        text = str(value)
        text = text if len(text) <= 40 else text[:40] + f"… ({len(text)} characters)"  # a long value is never printed whole
        shown = "".join(c if c.isprintable() and c.isascii() else f"\\u{ord(c):04x}" for c in text)
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


def fingerprint(paths: list[Path]) -> str:
    """SHA-256 over the names and bytes of the given files: the input fingerprint of a report."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    """The input fingerprint of a client folder (every file in it): ``Client.fingerprint``, and what the
    batch compares to skip an unchanged report, without loading the client. Links are not followed (one
    leaving the folder could lead to a file that never ends); the loader refuses them anyway."""
    return fingerprint([p for p in Path(folder).rglob("*") if p.is_file() and not p.is_symlink()])

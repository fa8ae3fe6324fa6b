"""The register of what the provider sent a client and what the client answered: append-only, hash-chained.

One folder per client, ``<register dir>/<client>/`` (``register/`` by default, ``--register-dir`` or
``$IMPACTLIB_REGISTER``; never under ``data/`` or ``reports/``): ``register.jsonl``, one JSON entry a line,
and the files the entries name, archived beside it read-only (``v<n>/`` for an issued report and its
validation sheet, ``answers/`` for the sheets the client returned, ``letters/`` for warning letters).

Each entry carries ``seq`` (1, 2, ...), ``prev`` (the previous entry's hash; 64 zeros for the first) and
``hash`` = SHA-256 of the entry's canonical JSON without ``hash``. Reading verifies every link: an entry
rewritten, removed, inserted or reordered breaks the chain and :func:`read` raises :class:`RegisterError`
naming the line. Archived files are checked against the SHA-256 their entry recorded. Appending re-reads
and verifies the whole file under a lock, then writes the file with the new line atomically
(:func:`impactlib.io.files.write_atomic`): an interrupted append leaves the register as it was.

The chain detects a rewrite; it cannot stop someone who rewrites an entry AND recomputes every later hash.
Against that, the head hash :func:`append` returns is printed by every command that writes the register:
keep it outside the machine (the e-mail that sends the report, the ticket) and compare (docs/security.md).

Kinds of entry: ``issue`` (a report sent), ``decisions`` (a validation sheet the client returned: the
decisions with the signatory's name, which stays here), ``letter`` (a warning letter).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import stat
from pathlib import Path

from impactlib.errors import ImpactlibError
from impactlib.io.files import write_atomic
from impactlib.io.fingerprint import check_name  # not io.load: a no-change batch rerun reads the register head without pandas

REGISTER_DIR = Path("register")
REGISTER_ENV = "IMPACTLIB_REGISTER"
FILE = "register.jsonl"
GENESIS = "0" * 64
KINDS = ("issue", "decisions", "letter")


class RegisterError(ImpactlibError):
    """The register of a client is broken (an entry rewritten, removed or reordered, an archived file changed)
    or refuses what was asked (no such version). Nothing is written."""

    exit_code = 2
    kind = "register"


def register_dir(given: str | Path | None = None) -> Path:
    """The folder holding every client's register: ``given``, else ``$IMPACTLIB_REGISTER``, else ``register``."""
    return Path(given or os.environ.get(REGISTER_ENV) or REGISTER_DIR)


def client_folder(root: str | Path, client_id: str) -> Path:
    """``<root>/<client>/``, the client id checked (no path tricks)."""
    return Path(root) / check_name(client_id)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def entry_hash(entry: dict) -> str:
    """SHA-256 of the entry's canonical JSON (keys sorted, no blanks), ``hash`` left out."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def read(folder: str | Path, check_files: bool = True) -> list[dict]:
    """Every entry of the register in ``folder`` (a client's), oldest first, verified: each line parses,
    ``seq`` counts from 1, ``prev`` is the previous entry's hash, ``hash`` is the entry's; with
    ``check_files`` every archived file still has the SHA-256 its entry recorded. Raises RegisterError
    naming the file and line of the first break. An absent register is an empty one."""
    path = Path(folder) / FILE
    if not path.exists():
        return []
    entries, prev = [], GENESIS
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}, line {n}"
        try:
            e = json.loads(line)
        except ValueError:
            raise RegisterError(f"{where}: not a register entry (unreadable JSON): the register was altered") from None
        if not isinstance(e, dict) or e.get("kind") not in KINDS:
            raise RegisterError(f"{where}: not a register entry: the register was altered")
        if e.get("seq") != n:
            raise RegisterError(f"{where}: entry number {e.get('seq')!r} where {n} was expected: an entry was removed, inserted or moved")
        if e.get("prev") != prev:
            raise RegisterError(f"{where}: does not chain to the entry before it (prev {str(e.get('prev'))[:12]}…, "
                                f"expected {prev[:12]}…): an earlier entry was rewritten, removed or reordered")
        if e.get("hash") != entry_hash(e):
            raise RegisterError(f"{where}: its content does not match its hash: this entry was rewritten after it was written")
        prev = e["hash"]
        entries.append(e)
    if check_files:
        for e in entries:
            for f in e.get("files", []):
                p = Path(folder) / f["path"]
                if not p.is_file():
                    raise RegisterError(f"{p}: archived by entry {e['seq']} ({e['kind']}) but missing")
                if sha256_file(p) != f["sha256"]:
                    raise RegisterError(f"{p}: archived by entry {e['seq']} ({e['kind']}) with SHA-256 {f['sha256'][:12]}…, "
                                        "now different: the archived file was altered")
    return entries


@contextlib.contextmanager
def locked(folder: Path):
    """An exclusive lock on a client's register while a command reads, archives and appends."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def append(folder: str | Path, entry: dict) -> dict:
    """Append one entry (``kind`` and its fields) to the register in ``folder``, verified first, under the
    caller's :func:`locked`; returns the entry as written, with ``seq``, ``prev`` and ``hash``."""
    folder = Path(folder)
    if entry.get("kind") not in KINDS:
        raise ValueError(f"unknown register entry kind {entry.get('kind')!r}")
    entries = read(folder)
    folder.mkdir(parents=True, exist_ok=True)
    prev = entries[-1]["hash"] if entries else GENESIS
    full = {**entry, "seq": len(entries) + 1, "prev": prev}
    full["hash"] = entry_hash(full)
    path = folder / FILE
    old = path.read_bytes() if path.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    write_atomic(path, old + (json.dumps(full, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
    return full


def archive(folder: Path, sub: str, name: str, data: bytes) -> dict:
    """Write ``data`` to ``<folder>/<sub>/<name>`` atomically and read-only, refusing to replace a file;
    returns ``{"path", "sha256", "bytes"}`` for the entry that names it."""
    target = folder / sub / name
    if target.exists():
        raise RegisterError(f"{target} is already archived: the register never replaces a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP)
    return {"path": f"{sub}/{name}", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def issues(entries: list[dict]) -> list[dict]:
    """The ``issue`` entries, oldest first."""
    return [e for e in entries if e["kind"] == "issue"]


def issue(entries: list[dict], version: str) -> dict:
    """The issue entry of ``version`` (``v3`` or ``3``); RegisterError listing the issued ones otherwise."""
    want = version if version.startswith("v") else f"v{version}"
    for e in issues(entries):
        if e["version"] == want:
            return e
    known = ", ".join(e["version"] for e in issues(entries)) or "none yet"
    raise RegisterError(f"no issued version {version!r}; issued: {known}")


def last_issue(entries: list[dict], scenario: str | None = None, lang: str | None = None) -> dict | None:
    """The latest issue entry (of ``scenario`` and ``lang`` when given), or None."""
    found = [e for e in issues(entries) if (scenario is None or e["scenario"] == scenario) and (lang is None or e["lang"] == lang)]
    return found[-1] if found else None


def decisions(entries: list[dict]) -> list[dict]:
    """Every decision recorded from a returned sheet, the latest per (finding, scenario) winning; each a dict
    with finding_id, scenario, version, digest, decision, decided_by (the signatory's name), role,
    decided_on, how, comment, recorded (the entry's time)."""
    latest: dict[tuple, dict] = {}
    for e in entries:
        if e["kind"] == "decisions":
            for d in e["decisions"]:
                latest[(d["finding_id"], d["scenario"])] = {**d, "version": e["version"], "recorded": e["at"]}
    return list(latest.values())


def kernel_view(root: str | Path, client_id: str, scenario: str, lang: str) -> dict:
    """What a report's kernel gets from the client's register (the template's ``issued`` parameter): the
    last issued report of this scenario and language (version, date, findings) and the recorded decisions
    with the signatory's ROLE only (the name stays in the register). Empty when nothing was issued."""
    entries = read(client_folder(root, client_id), check_files=False)
    if not entries:
        return {}
    last = last_issue(entries, scenario, lang)
    view = {"decisions": [nameless(d) for d in decisions(entries)]}
    if last is not None:
        view["previous"] = {"version": last["version"], "date": last["date"], "findings": last["findings"]}
    return view


def nameless(d: dict) -> dict:
    """A recorded decision without the signatory's name: what may leave the register (role, digest, how...)."""
    return {k: d.get(k) for k in ("finding_id", "scenario", "decision", "role", "decided_on", "how", "comment", "digest")}

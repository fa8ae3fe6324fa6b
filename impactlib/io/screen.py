"""Screening inventory text for what names a person or a device: host names such as "MacBook-Pro-de-Marie",
"PC-JEAN", "jdupont-laptop" or a BIOS serial used as host name never become an asset id, name or host name.

A text names a person when one of its words is a first name of the shipped list (French and English,
``impactlib/catalog/first-names.txt``, with its sources and licences in its header), or when it contains a
login or the local part of an e-mail address found in the same inventory. It names a device when it holds a
UUID, a long run of hex digits, or the machine's serial number. Such a text is not kept: the caller puts a
neutral id in its place and counts the replacement, never the value (docs/data-format.md).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from impactlib.io.files import CATALOG

FIRST_NAMES_FILE = CATALOG / "first-names.txt"
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
_HEX_RUN = re.compile(r"(?<![0-9a-z])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}(?![0-9a-z])", re.I)
_MIN_SERIAL = 5  # a shorter "serial" (0, 123, none) is a placeholder, not an identifier


def fold(text: str) -> str:
    """Lower case, accents removed (é → e), as the first-name list is written."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@functools.cache
def first_names() -> frozenset[str]:
    """The shipped first names (lower case, no accents)."""
    lines = FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def words(text: str) -> list[str]:
    """The words of a host or asset name: split at every non-letter and at lower→upper case changes
    ("MacBookProDeMarie" → mac, book, pro, de, marie; "PC_JEAN-02" → pc, jean), folded."""
    spaced = re.sub(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])", " ", text)
    return [w for w in re.split(r"[^a-z]+", fold(spaced)) if w]


def names_a_person(text: str | None, people: set[str] = frozenset()) -> bool:
    """Whether ``text`` holds a first name as a word, or a login / e-mail local part of ``people`` anywhere."""
    if not text:
        return False
    names = first_names()
    if any(w in names for w in words(text)):
        return True
    low = fold(text)
    return any(p in low for p in people_parts(people))


def people_parts(people: set[str]) -> set[str]:
    """Logins and the local parts of e-mail addresses (jean.dupont@x.fr → jean.dupont, jean, dupont), folded,
    at least 3 characters."""
    out = set()
    for p in people:
        p = fold(str(p)).strip()
        local = p.split("@", 1)[0]
        out |= {p, local} | set(re.split(r"[._\-+]", local)) if "@" in p else {p}
    return {x for x in out if len(x) >= 3}


def names_a_device(text: str | None, serials: set[str] = frozenset()) -> bool:
    """Whether ``text`` holds a UUID, a run of 12+ hex digits (a MAC address, a device id) or a serial number."""
    if not text:
        return False
    bare = text.replace(":", "")
    if _UUID.search(text) or _HEX_RUN.search(bare) or _HEX_RUN.search(bare.replace("-", "")):
        return True
    low = text.lower()
    return any(len(sn) >= _MIN_SERIAL and sn.lower() in low for sn in serials)

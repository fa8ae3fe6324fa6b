"""The client folder loader: the client a batch's pre-flight handed over (io/snapshot.py), else every file of the
folder read and checked (io/reader.py).

A report kernel given the client by its batch imports neither the readers nor pandera (~14 MiB and ~0.3 CPU-s
in every kernel; tests/test_kernel.py checks that a report imports nothing the zygote did not preload).
"""

from __future__ import annotations

from pathlib import Path

from impactlib.errors import InvalidInput, Problem
from impactlib.io.fingerprint import check_name
from impactlib.model.client import Client


def load_client(path: str | Path, handover: dict | None = None) -> Client:
    """Load and check the client folder at ``path`` (see docs/data-format.md).

    Raises :class:`InvalidInput` listing every problem, each with file, row and column. ``handover``: the
    client as a batch's pre-flight already loaded it (:mod:`impactlib.io.snapshot`), used only if it is
    this folder's with its files unchanged; else the folder is loaded.
    """
    path = Path(path)
    cid = check_name(path.name, "client id")
    if path.is_symlink():  # it could lead anywhere, outside the data folder too
        raise InvalidInput([Problem(cid, None, None, "the client folder is a symbolic link: refused")], what=f"client {cid}")
    if handover:
        from impactlib.io.snapshot import take  # start-up speed: pickle and hashlib only when a batch hands a client over

        client = take(path, handover)
        if client is not None:
            return client
    from impactlib.io.reader import read_client  # memory and start-up speed: pandera and the readers only to read a folder

    return read_client(path, cid)

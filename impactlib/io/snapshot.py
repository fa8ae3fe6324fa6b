"""A loaded client handed from the batch's pre-flight to the report kernel, so the kernel does not load it again.

The pre-flight has just read and checked every file of the client folder (:func:`impactlib.io.folder.load_client`,
~0.3 CPU-s for a 120-person client, most of it pandera's checks); the report kernel would do the same work
again. Instead the batch writes the loaded :class:`Client` (pickled) into the kernel's private folder (mode
0700, removed with the kernel) and passes its SHA-256 and the folder fingerprint as a notebook parameter.
:func:`take` uses it only if

- the file's bytes have that SHA-256 (what the batch wrote, not something put there since),
- it holds a Client of that very folder (id) whose fingerprint is the folder's fingerprint *now* (the
  client's files have not changed since the pre-flight),

and deletes the file as soon as it is read (no copy of client data outlives the read, even if the
kernel is then killed). In any other case the kernel loads the folder as usual: a hand-over that does not
match is never trusted. The Client holds no names or e-mails (pseudonymised at load), like the kernel's memory.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import pickle
from pathlib import Path
from types import MappingProxyType

from impactlib.io.files import write_atomic
from impactlib.io.fingerprint import folder_fingerprint
from impactlib.model.client import Client

FILE = "client.pickle"


def _read_only(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


class _Pickler(pickle.Pickler):
    # Client.scenarios and Catalog.products are read-only mappings, which pickle cannot handle by itself
    dispatch_table = {**copyreg.dispatch_table, MappingProxyType: lambda m: (_read_only, (dict(m),))}


def give(client: Client, folder: str | Path) -> dict:
    """Write ``client`` into ``folder`` (a kernel's private folder); the hand-over parameter for :func:`take`."""
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(client)
    data = buf.getvalue()
    path = write_atomic(Path(folder) / FILE, data)
    return {"path": str(path), "sha256": hashlib.sha256(data).hexdigest(), "fingerprint": client.fingerprint}


def take(folder: str | Path, handover: dict) -> Client | None:
    """The Client the batch handed over for the client folder ``folder``, or None if there is none or it does not
    match (see the module's docstring); the file is deleted either way."""
    if not handover or not isinstance(handover.get("path"), str):
        return None
    path = Path(handover["path"])
    try:
        data = path.read_bytes()
    except OSError:
        return None
    finally:
        path.unlink(missing_ok=True)
    if path.name != FILE or hashlib.sha256(data).hexdigest() != handover.get("sha256"):
        return None
    folder = Path(folder)
    if handover.get("fingerprint") != folder_fingerprint(folder):
        return None
    client = pickle.loads(data)
    if not isinstance(client, Client) or client.id != folder.name or client.fingerprint != handover["fingerprint"]:
        return None
    return client

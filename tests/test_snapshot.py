"""The loaded client handed from the batch's pre-flight to the report kernel (impactlib.io.snapshot): used only
when it is exactly what the batch wrote, for this folder, with the folder's files unchanged; deleted on read."""

from __future__ import annotations

import shutil

import pandas as pd

from impactlib.io import snapshot
from impactlib.io.folder import load_client


def _same(a, b) -> None:
    assert a.id == b.id and a.fingerprint == b.fingerprint and a.profile == b.profile and a.spec == b.spec
    assert dict(a.scenarios) == dict(b.scenarios) and dict(a.catalog.products) == dict(b.catalog.products)
    for name in ("departments", "staff", "skills", "assets", "dependencies", "usage", "acknowledgements", "contracts", "run_costs"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    pd.testing.assert_frame_equal(a.catalog.courses, b.catalog.courses)


def test_handed_over_client_is_the_loaded_one_and_the_file_is_gone(tiny, tmp_path):
    c = load_client(tiny)
    private = tmp_path / "kernel"
    private.mkdir()
    given = snapshot.give(c, private)
    assert given["fingerprint"] == c.fingerprint and (private / snapshot.FILE).is_file()
    got = load_client(tiny, given)
    _same(got, c)
    assert "name" not in got.staff.columns and "email" not in got.staff.columns  # pseudonymised, as loaded
    assert list(private.iterdir()) == []  # deleted as soon as read


def test_a_tampered_hand_over_is_not_trusted(tiny, tmp_path):
    c = load_client(tiny)
    given = snapshot.give(c, tmp_path)
    path = tmp_path / snapshot.FILE
    path.write_bytes(path.read_bytes() + b"x")  # not the bytes the batch wrote: never unpickled
    assert snapshot.take(tiny, given) is None
    assert not path.exists()


def test_a_hand_over_of_changed_files_is_not_used(tiny, tmp_path):
    c = load_client(tiny)
    given = snapshot.give(c, tmp_path)
    (tiny / "notes.txt").write_text("changed after the pre-flight", encoding="utf-8")
    assert snapshot.take(tiny, given) is None
    again = load_client(tiny, snapshot.give(c, tmp_path))  # the folder is loaded instead: its new fingerprint
    assert again.fingerprint != c.fingerprint


def test_a_hand_over_for_another_folder_is_not_used(tiny, tmp_path):
    other = tmp_path / "clients" / "other"
    shutil.copytree(tiny, other)
    c = load_client(tiny)
    given = snapshot.give(c, tmp_path)  # same files (same fingerprint), another client id
    assert snapshot.take(other, given) is None


def test_no_hand_over_or_a_missing_file_loads_the_folder(tiny, tmp_path):
    c = load_client(tiny)
    assert snapshot.take(tiny, {}) is None
    assert snapshot.take(tiny, {"path": str(tmp_path / snapshot.FILE), "sha256": "0", "fingerprint": c.fingerprint}) is None
    _same(load_client(tiny, {"path": str(tmp_path / "missing"), "sha256": "", "fingerprint": ""}), c)

"""The store of files named by their hash (kiosk.store): what a bundle of files leaves in the folder when one
of them is not what its name says."""
import hashlib

import pytest

from kiosk import store
from kiosk.store import FileStore, Mismatch


def named(data):
    return hashlib.sha256(data).hexdigest(), data


def test_a_bundle_is_stored_up_to_the_file_that_does_not_match_its_name_and_nothing_half_written(tmp_path):
    files = FileStore(tmp_path / "evidence")
    good, bad, after = named(b"photo one"), (named(b"photo two")[0], b"not photo two"), named(b"photo three")
    with pytest.raises(Mismatch) as refused:
        files.put_all([good, bad, after])
    assert refused.value.expected == bad[0]
    assert sorted(p.name for p in (tmp_path / "evidence").iterdir()) == [good[0]]  # no .part- file left
    assert (tmp_path / "evidence" / good[0]).read_bytes() == b"photo one"


def test_a_bundle_flushes_the_folder_once_for_all_its_new_names(tmp_path, monkeypatch):
    files = FileStore(tmp_path / "evidence")
    files.put_bytes(b"held already")
    flushed, flush = [], store.fsync
    monkeypatch.setattr(store, "fsync", lambda path: (flushed.append(path), flush(path)))  # counted, and done
    bundle = [named(f"photo {n}".encode()) for n in range(16)] + [named(b"held already")]
    files.put_all(bundle)
    assert files.hashes() == sorted(sha for sha, _ in bundle)
    assert flushed == [files.folder]
    files.put_all([named(b"held already")])  # nothing new: no name to flush
    assert flushed == [files.folder]

"""The validated-label cache: an entry is used only while every file it was built from is unchanged, and one
that is corrupt, tampered with by someone else or writable by others is ignored and written again."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from clonaguard.errors import LabelError
from clonaguard.labels import cache, load
from clonaguard.labels.load import LABELS_DIR, available_labels, load_label
from clonaguard.labels.schema import Label

CLINIC = Path(__file__).parent / "labels" / "clinic-slow-taper.yaml"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLONAGUARD_CACHE_DIR", str(folder))
    monkeypatch.delenv("CLONAGUARD_NO_CACHE", raising=False)
    load._load.cache_clear()  # each load below is a new process's first
    yield folder
    load._load.cache_clear()


def _profile(tmp_path: Path) -> Path:
    """A copy of the clinic profile (over the shipped one), with its document, to edit."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(CLINIC.parent / "clinic-protocol.txt", folder)
    return Path(shutil.copy(CLINIC, folder)).resolve()


def _fresh(path: Path) -> Label:
    load._load.cache_clear()
    return load_label(str(path))


def _entry(folder: Path) -> Path:
    (entry,) = folder.glob("*.json")
    return entry


def _retitle(entry: Path, title: str) -> None:
    """Change the cached label's title but nothing else, so a label read with that title came from the entry."""
    header, body = entry.read_bytes().split(b"\n", 1)
    data = json.loads(body)
    data["profile"]["title"] = title
    entry.write_bytes(header + b"\n" + json.dumps(data).encode())


@pytest.mark.parametrize("name", available_labels())
def test_a_cached_label_equals_the_one_validated_from_its_files(cache_dir: Path, name: str) -> None:
    loaded = _fresh(LABELS_DIR / f"{name}.yaml")
    cached = cache.read((LABELS_DIR / f"{name}.yaml").resolve())
    assert cached is not None and cached == loaded and cached.limits == loaded.limits


def test_the_next_load_reads_the_entry(tmp_path: Path, cache_dir: Path) -> None:
    path = _profile(tmp_path)
    first = _fresh(path)
    entry = _entry(cache_dir)
    assert json.loads(entry.read_bytes().split(b"\n", 1)[0])["files"].keys() == {
        str(path),
        str(path.parent / "clinic-protocol.txt"),
        str((LABELS_DIR / "clonazepam-leaflet.yaml").resolve()),
        str((LABELS_DIR / "klonopin-leaflet.txt").resolve()),
    }
    _retitle(entry, "Read from the cache")
    again = _fresh(path)
    assert again.profile.title == "Read from the cache"
    assert again.model_copy(update={"profile": first.profile}) == first


@pytest.mark.parametrize("changed", ["clinic-slow-taper.yaml", "clinic-protocol.txt"])
def test_an_entry_is_stale_once_a_file_it_was_built_from_changes(tmp_path: Path, cache_dir: Path, changed: str) -> None:
    path = _profile(tmp_path)
    _fresh(path)
    _retitle(_entry(cache_dir), "Stale")
    edited = path.parent / changed
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _fresh(path).profile.title == "Clinic protocol for stopping clonazepam"
    assert cache.read(path) is not None  # written again for the files as they are now


def test_an_edit_that_breaks_the_profile_is_refused_not_served_from_the_cache(tmp_path: Path) -> None:
    path = _profile(tmp_path)
    _fresh(path)
    path.write_text(path.read_text(encoding="utf-8").replace("interval_days: 7", "interval_days: -7"))
    with pytest.raises(LabelError, match="interval_days"):
        _fresh(path)


@pytest.mark.parametrize("garbage", [b"", b"not json", b'{"format": 1}\n{"profile": 3}', b"\xff\xfe\n{}"])
def test_a_corrupt_entry_is_ignored_and_rewritten(tmp_path: Path, cache_dir: Path, garbage: bytes) -> None:
    path = _profile(tmp_path)
    expected = _fresh(path)
    entry = _entry(cache_dir)
    entry.write_bytes(garbage)
    assert _fresh(path) == expected
    assert cache.read(path) == expected


def test_an_entry_others_may_write_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    path = _profile(tmp_path)
    _fresh(path)
    entry = _entry(cache_dir)
    _retitle(entry, "Written by someone else")
    entry.chmod(0o666)
    assert _fresh(path).profile.title == "Clinic protocol for stopping clonazepam"
    _retitle(entry, "Written by someone else")
    cache_dir.chmod(0o777)
    assert _fresh(path).profile.title == "Clinic protocol for stopping clonazepam"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_an_entry_owned_by_another_user_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    path = _profile(tmp_path)
    _fresh(path)
    entry = _entry(cache_dir)
    _retitle(entry, "Owned by someone else")
    os.chown(entry, 4321, 4321)
    assert _fresh(path).profile.title == "Clinic protocol for stopping clonazepam"


def test_entries_are_private_and_no_cache_turns_it_off(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLONAGUARD_NO_CACHE", "1")
    path = _profile(tmp_path)
    _fresh(path)
    assert not cache_dir.exists()
    monkeypatch.delenv("CLONAGUARD_NO_CACHE")
    _fresh(path)
    assert (cache_dir.stat().st_mode & 0o777, _entry(cache_dir).stat().st_mode & 0o777) == (0o700, 0o600)
    assert [item.name for item in cache_dir.iterdir() if item.suffix != ".json"] == []  # no temporary file left


def test_an_unwritable_cache_only_costs_the_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CLONAGUARD_CACHE_DIR", str(blocker / "cache"))
    assert _fresh(_profile(tmp_path)).profile.name == "clinic-slow-taper"

"""A validated label kept on disk, so a command-line start neither re-parses the YAML nor re-checks every cited
sentence against its document.

An entry is JSON (read back with `model_validate_json`, never unpickled) in the user's cache directory
(`$XDG_CACHE_HOME/clonaguard`, or `CLONAGUARD_CACHE_DIR`). It is used only when every file it was built from
(the profile, each profile it extends, their documents) still has the SHA-256 recorded, and the code that
validates labels, pydantic and clonaguard are the versions that wrote it. An entry that is corrupt, stale, not
owned by this user, or writable by group or others is ignored and rewritten, atomically. `CLONAGUARD_NO_CACHE=1`
turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pydantic
from pydantic import ValidationError

from clonaguard import __version__
from clonaguard.labels.schema import Label

_FORMAT = 1
_CODE = ("cache.py", "load.py", "schema.py")  # the code that turns a label file into a validated Label


def enabled() -> bool:
    return os.environ.get("CLONAGUARD_NO_CACHE", "") in {"", "0"}


def cache_dir() -> Path:
    """Where entries live: CLONAGUARD_CACHE_DIR, else the platform's user cache directory."""
    configured = os.environ.get("CLONAGUARD_CACHE_DIR")
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "clonaguard" / "labels"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _writer() -> str:
    """What else an entry must have been written by: this validating code, pydantic and clonaguard."""
    code = hashlib.sha256()
    for name in _CODE:
        code.update((Path(__file__).parent / name).read_bytes())
    return f"{code.hexdigest()} pydantic {pydantic.VERSION} clonaguard {__version__}"


def _entry(path: Path) -> Path:
    return cache_dir() / f"{hashlib.sha256(str(path).encode()).hexdigest()}.json"


def _private(status: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (on Windows the directory's ACL decides)."""
    if not hasattr(os, "geteuid"):
        return True
    return status.st_uid == os.geteuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(path: Path) -> Label | None:
    """The label cached for the profile at `path` (resolved), or None when there is no entry fit to use."""
    if not enabled():
        return None
    try:
        entry = _entry(path)
        if not _private(os.stat(entry.parent)):
            return None
        with open(entry, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or not _private(status):
                return None
            header, _, body = file.read().partition(b"\n")
        meta = json.loads(header)
        if meta.get("format") != _FORMAT or meta.get("writer") != _writer() or meta.get("path") != str(path):
            return None
        if any(sha256_of(Path(name)) != digest for name, digest in meta["files"].items()):
            return None
        return Label.model_validate_json(body)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, ValidationError, RuntimeError, ImportError):
        return None  # absent, unreadable, corrupt, or from a schema that has changed: load afresh


def write(path: Path, label: Label, files: Mapping[Path, str]) -> None:
    """Keep `label`, built from `files` (each with the SHA-256 of the bytes read), for the profile at `path`; a
    cache that cannot be written is skipped."""
    if not enabled():
        return
    try:
        folder = cache_dir()
        meta = {
            "format": _FORMAT,
            "writer": _writer(),
            "path": str(path),
            "files": {str(name): digest for name, digest in files.items()},
        }
        data = json.dumps(meta).encode() + b"\n" + label.model_dump_json().encode()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.stat(folder)):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".label-", suffix=".tmp")  # created mode 0600
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, _entry(path))
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, RuntimeError, ImportError):  # no home directory; clonaguard run without being installed
        return

"""The key of the patient-id hash: from configuration or a key file, never from the database it protects.

Kept apart from the audit database so that a copy of the database alone cannot re-identify a patient by hashing
candidate ids. The file is created once with permissions 0600 (owner read/write only).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from clonaguard.errors import InvalidInputError

KEY_BYTES = 32


def load_hash_key(configured: str | None, key_file: Path) -> bytes:
    """The configured key, else the key file's (created when missing)."""
    if configured:
        return configured.encode()
    return _read_or_create(key_file)


def _read_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InvalidInputError(
            f"CLONAGUARD_AUDIT_KEY_FILE: {path} can be read by others (mode {mode:o}); accepted: 0600 or 0400"
        )
    key = path.read_text(encoding="ascii").strip()
    try:
        raw = bytes.fromhex(key)
    except ValueError as exc:
        raise InvalidInputError(f"CLONAGUARD_AUDIT_KEY_FILE: {path} does not hold a hex key") from exc
    if len(raw) < 16:
        raise InvalidInputError(f"CLONAGUARD_AUDIT_KEY_FILE: {path} holds a key shorter than 16 bytes")
    return raw


def _create(path: Path) -> None:
    """Write a new random key beside the target, then link it into place: two servers starting at once agree."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(KEY_BYTES) + "\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process created it first: use theirs
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)

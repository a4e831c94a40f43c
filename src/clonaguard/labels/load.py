"""Find, read and validate label profiles (a profile is a YAML file; no code per profile).

A profile may `extends:` another (a shipped name, or a path relative to its own file): it then gives its own
`profile` section in full and only what differs elsewhere. Mappings merge key by key; a list or a number the
profile gives replaces the base's whole.
The merged profile is validated as one, and every `source` the profile itself gives must be verbatim in its
own `profile.document`, while those it inherits were checked against the base's.
A validated profile is kept in the user's cache (`clonaguard.labels.cache`), keyed by the SHA-256 of every file
it was built from, so the next process reads it back without parsing or checking again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from clonaguard.errors import LabelError
from clonaguard.labels import cache
from clonaguard.labels.schema import Label, collect_sources

if TYPE_CHECKING:
    import yaml

LABELS_DIR = Path(__file__).parent
DEFAULT_LABEL = "clonazepam-leaflet"
MAX_EXTENDS_DEPTH = 8


def available_labels() -> list[str]:
    """Names of the profiles shipped with clonaguard."""
    return sorted(path.stem for path in LABELS_DIR.glob("*.yaml"))


def resolve_label_path(name_or_path: str, relative_to: Path | None = None) -> Path:
    """A shipped profile name, or a path to a YAML file of one (relative to `relative_to` when given)."""
    candidate = Path(name_or_path)
    if relative_to is not None and not candidate.is_absolute():
        candidate = relative_to / candidate
    if candidate.suffix in {".yaml", ".yml"} or candidate.exists():
        if not candidate.is_file():
            raise LabelError(f"label: file {name_or_path!r} not found")
        return candidate
    shipped = LABELS_DIR / f"{name_or_path}.yaml"
    if not shipped.is_file():
        raise LabelError(f"label: no profile named {name_or_path!r}; available: {', '.join(available_labels())}")
    return shipped


def load_label(name_or_path: str = DEFAULT_LABEL) -> Label:
    """Load a profile by name or path; cached, so every check after the first reuses it."""
    if name_or_path == DEFAULT_LABEL:
        return _default()
    return _load(resolve_label_path(name_or_path).resolve())


@lru_cache(maxsize=1)
def _default() -> Label:
    """The shipped default profile, without looking its path up again on every call."""
    return _load((LABELS_DIR / f"{DEFAULT_LABEL}.yaml").resolve())


@lru_cache(maxsize=16)
def _load(path: Path) -> Label:
    cached = cache.read(path)
    if cached is not None:
        return cached
    files: dict[Path, str] = {}
    raw = _merged(path, (), files)
    try:
        label = Label.model_validate(raw)
    except ValidationError as exc:
        raise LabelError(f"label {path.name}: {exc}") from exc
    cache.write(path, label, files)
    return label


def _merged(path: Path, chain: tuple[Path, ...], files: dict[Path, str]) -> dict[str, Any]:
    """The profile at `path` over the whole chain of profiles it extends, each checked against its document.

    The SHA-256 of every file read (profiles and documents) is added to `files`.
    """
    if path in chain:
        raise LabelError(f"label {path.name}: extends itself through {' -> '.join(p.name for p in (*chain, path))}")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise LabelError(f"label {path.name}: extends more than {MAX_EXTENDS_DEPTH} profiles deep")
    data = path.read_bytes()
    files[path] = hashlib.sha256(data).hexdigest()
    raw = _parse_yaml(_text(data), path.name)
    base_name = raw.pop("extends", None)
    _check_cited(path, raw, files)
    if base_name is None:
        return raw
    if not isinstance(base_name, str):
        raise LabelError(f"label {path.name}: extends must be a profile name or a path, not {base_name!r}")
    base_path = resolve_label_path(base_name, relative_to=path.parent).resolve()
    base = _merged(base_path, (*chain, path), files)
    return {**_overlay(base, raw), "profile": raw["profile"], "extends": base["profile"]["name"]}


def read_yaml(path: Path, loader: type[yaml.SafeLoader] | None = None) -> dict[str, Any]:
    """A YAML mapping without anchors or aliases: a label spells every entry out (and an alias bomb is refused).

    The events are scanned before anything is built, so a refusal costs one pass over the text.
    """
    return _parse_yaml(path.read_text(encoding="utf-8"), path.name, loader)


def _text(data: bytes) -> str:
    """The bytes of a file as `Path.read_text` gives them: UTF-8, universal newlines."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _parse_yaml(text: str, name: str, loader: type[yaml.SafeLoader] | None = None) -> dict[str, Any]:
    """The mapping in `text` (read with libyaml's safe loader when PyYAML was built with it, unless `loader` given).

    PyYAML is imported here, not at start-up: a label read back from the cache needs no YAML.
    """
    import yaml

    safe: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if loader is None else loader
    try:
        for event in yaml.parse(text, Loader=safe):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise LabelError(
                    f"label {name}: line {line}: YAML anchors and aliases are not accepted in a "
                    "label; write each entry out"
                )
        raw = yaml.load(text, Loader=safe)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise LabelError(f"label {name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise LabelError(f"label {name}: must be a mapping of sections")
    return raw


def _check_cited(path: Path, raw: dict[str, Any], files: dict[Path, str]) -> None:
    """Every source this file gives is verbatim in the document its own `profile` names."""
    profile = raw.get("profile")
    document_name = profile.get("document") if isinstance(profile, dict) else None
    if not isinstance(document_name, str):
        raise LabelError(f"label {path.name}: profile.document: required; the file every source is quoted from")
    document = path.parent / document_name
    if not document.is_file():
        raise LabelError(f"label {path.name}: document {document_name!r} not found beside it")
    data = document.read_bytes()
    raw["profile"]["document_sha256"] = files[document.resolve()] = hashlib.sha256(data).hexdigest()
    text = _text(data)
    found: list[str] = []
    collect_sources(raw, found)
    missing = [source for source in found if source not in text]
    if missing:
        raise LabelError(f"label {path.name}: sources not found verbatim in {document.name}: {missing}")


def _overlay(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` over `base`: mappings merge key by key; anything else in `override` replaces the base's."""
    merged = dict(base)
    for key, value in override.items():
        below = merged.get(key)
        merged[key] = _overlay(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged

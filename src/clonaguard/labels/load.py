"""Find, read and validate label profiles (a profile is a YAML file; no code per profile)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from clonaguard.errors import LabelError
from clonaguard.labels.schema import Label

LABELS_DIR = Path(__file__).parent
DEFAULT_LABEL = "clonazepam-leaflet"
# libyaml's loader where PyYAML was built with it (several times faster), the pure-Python one otherwise.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def available_labels() -> list[str]:
    """Names of the profiles shipped with clonaguard."""
    return sorted(path.stem for path in LABELS_DIR.glob("*.yaml"))


def resolve_label_path(name_or_path: str) -> Path:
    """A shipped profile name, or a path to a YAML file of one."""
    candidate = Path(name_or_path)
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
    return _load(resolve_label_path(name_or_path).resolve())


@lru_cache(maxsize=16)
def _load(path: Path) -> Label:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise LabelError(f"label {path.name}: not valid YAML: {exc}") from exc
    try:
        label = Label.model_validate(raw)
    except ValidationError as exc:
        raise LabelError(f"label {path.name}: {exc}") from exc
    document = path.parent / label.profile.document
    if not document.is_file():
        raise LabelError(f"label {path.name}: document {label.profile.document!r} not found beside it")
    text = document.read_text(encoding="utf-8")
    missing = [source for source in label.sources() if source not in text]
    if missing:
        raise LabelError(f"label {path.name}: sources not found verbatim in {document.name}: {missing}")
    return label

"""Input validation with messages a person can act on: each names the field, what is wrong and what is accepted.

Every adapter (command line, REST, CDS Hooks) words a validation error through `describe_errors`, so a missing
field reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from clonaguard.errors import InvalidInputError

M = TypeVar("M", bound=BaseModel)


def validated_already(model: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    """A model of field values already validated, built as pydantic's `__copy__` builds one, without validating
    them again (plans, the safer-regimen search and the sig reader build many). `values` (every field) and
    `fields_set` (the fields given) become the model's own; the model has no extra fields or private attributes."""
    built = model.__new__(model)
    _set_slot(built, "__dict__", values)
    _set_slot(built, "__pydantic_fields_set__", fields_set)
    _set_slot(built, "__pydantic_extra__", None)
    _set_slot(built, "__pydantic_private__", None)
    return built


_set_slot = object.__setattr__  # past a frozen model's own __setattr__, as pydantic's copy does


def validate_input(model: type[M], data: str | bytes | dict[str, Any], context: dict[str, Any] | None = None) -> M:
    """Validate any input model from JSON text or a parsed object, as InvalidInputError naming each field."""
    try:
        if isinstance(data, dict):
            return model.model_validate(data, context=context)
        return model.model_validate_json(data, context=context)
    except ValidationError as exc:
        raise InvalidInputError(describe_errors(exc, model)) from exc


def describe_errors(exc: ValidationError, model: type[BaseModel] | None) -> str:
    """One line per error: the field's path, what is wrong, what was given and what is accepted."""
    return "\n".join(describe_error_list(exc.errors(include_url=False), model))


def describe_error_list(errors: Sequence[Any], model: type[BaseModel] | None) -> list[str]:
    """The lines of `describe_errors` for pydantic's error dicts (as FastAPI also reports them)."""
    lines = []
    for error in errors:
        path = field_path(error["loc"])
        message = _MESSAGES.get(error["type"], error["msg"])
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        scalar = isinstance(error.get("input"), str | int | float | bool)
        if error["type"] not in {"missing", "extra_forbidden"} and scalar:
            message += f" (got {error['input']!r})"
        accepted = _accepted(model, error["loc"]) if model is not None else None
        if accepted:
            message += f"; accepted: {accepted}"
        lines.append(f"{path}: {message}" if path else message)
    return lines


_MESSAGES = {
    "extra_forbidden": "unknown field",
    "missing": "required field is missing",
    "json_invalid": "not valid JSON",
}


def field_path(loc: tuple[int | str, ...]) -> str:
    """("orders", 0, "dose_mg") -> "orders[0].dose_mg", leaving out pydantic's internal steps."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not str(part).startswith(("function-", "json-or-python")):
            text += f".{part}" if text else str(part)
    return text


def _accepted(model: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """The field's bounds, read from the model's own constraints so the two cannot disagree."""
    current: Any = model
    field = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        field = fields[part]
        current = _inner_model(field.annotation)
    if field is None:
        return None
    bounds = []
    for item in field.metadata:
        for attribute, words in (("gt", "above"), ("ge", "at least"), ("lt", "below"), ("le", "at most")):
            value = getattr(item, attribute, None)
            if value is not None:
                bounds.append(f"{words} {value:g}")
    return " and ".join(bounds) or None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        inner = _inner_model(argument)
        if inner is not None:
            return inner
    return None

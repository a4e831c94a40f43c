"""check(case, label) -> Report: the one entry point every adapter calls."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from clonaguard.errors import InvalidInputError
from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Report
from clonaguard.rules import ORDER_RULES

M = TypeVar("M", bound=BaseModel)


def check(case: Case, label: Label | None = None) -> Report:
    """Run every rule on the case; findings come most severe first, in rule order within a severity."""
    label = label or load_label()
    findings: list[Finding] = []
    for rule in ORDER_RULES:
        findings.extend(rule(label, case))
    if len(findings) > 1:
        findings.sort(key=_most_severe_first)
    order = case.checked_order
    return Report(order.daily_dose_mg, tuple(findings), order.dose_basis)


def _most_severe_first(finding: Finding) -> int:
    return -finding.severity.rank


def parse_case(data: str | bytes | dict[str, Any]) -> Case:
    """Validate a case given as JSON text or a parsed object; errors name each field at fault."""
    return validate_input(Case, data)


def validate_input(model: type[M], data: str | bytes | dict[str, Any]) -> M:
    """Validate any input model from JSON text or a parsed object, as InvalidInputError naming each field."""
    try:
        if isinstance(data, dict):
            return model.model_validate(data)
        return model.model_validate_json(data)
    except ValidationError as exc:
        raise InvalidInputError(describe_errors(exc, model)) from exc


def describe_errors(exc: ValidationError, model: type[BaseModel]) -> str:
    """One line per error: the field's path, what is wrong, what was given and what is accepted."""
    lines = []
    for error in exc.errors(include_url=False):
        path = field_path(error["loc"])
        message = _MESSAGES.get(error["type"], error["msg"])
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        scalar = isinstance(error.get("input"), str | int | float | bool)
        if error["type"] not in {"missing", "extra_forbidden"} and scalar:
            message += f" (got {error['input']!r})"
        accepted = _accepted(model, error["loc"])
        if accepted:
            message += f"; accepted: {accepted}"
        lines.append(f"{path}: {message}" if path else message)
    return "\n".join(lines)


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

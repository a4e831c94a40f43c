"""Resources as EHRs send them, made R4 where the meaning is certain, else the reason they cannot be read.

Only the resources a check reads go through here (clonazepam orders, patient data), and of them only the fields
a check reads are validated (`read`, with the models of `clonaguard.fhir.fields`); everything else an EHR sends is
passed over unread. A whole resource is validated as R4 (`as_r4`, with `fhir.resources`) only where the whole of
it is given back: a corrected order. Two older shapes are read because their meaning is unambiguous:

- STU3 Dosage: `doseQuantity` / `doseRange` directly under a dosage become one R4 `doseAndRate` entry;
- one object where R4 wants a list (`dosageInstruction`, `dosage`, `doseAndRate`, `category`) is a list of one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.medicationdispense import MedicationDispense
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

from clonaguard.fhir import fields

MODELS: dict[str, Any] = {
    "MedicationRequest": MedicationRequest,
    "MedicationStatement": MedicationStatement,
    "MedicationDispense": MedicationDispense,
    "Observation": Observation,
    "Condition": Condition,
    "Patient": Patient,
}
_DOSAGE_LISTS = ("dosageInstruction", "dosage")
_STU3_DOSE = ("doseQuantity", "doseRange", "rateRatio", "rateRange", "rateQuantity")


class NotR4Error(ValueError):
    """A resource that is not valid FHIR R4 (after the older shapes above); the message says where."""


def describe_fhir_errors(exc: ValidationError, limit: int = 5) -> str:
    parts = []
    for error in exc.errors(include_url=False)[:limit]:
        location = ".".join(str(part) for part in error["loc"] if not str(part).startswith("function-"))
        parts.append(f"{location}: {error['msg']}" if location else error["msg"])
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, Mapping) else value


def _dosage(dosage: Any) -> Any:
    if not isinstance(dosage, Mapping):
        return dosage
    result = dict(dosage)
    if "doseAndRate" in result:
        result["doseAndRate"] = _as_list(result["doseAndRate"])
    older = {key: result.pop(key) for key in _STU3_DOSE if key in result}
    if older and "doseAndRate" not in result:
        result["doseAndRate"] = [older]
    elif older:
        result.update(older)  # both shapes at once: left for R4 validation to refuse
    return result


def newer_shape(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The resource with the older shapes above rewritten as R4; nothing else is changed."""
    result = dict(resource)
    for key in _DOSAGE_LISTS:
        if key in result:
            dosages = _as_list(result[key])
            result[key] = [_dosage(d) for d in dosages] if isinstance(dosages, list) else dosages
    if "category" in result and result.get("resourceType") == "MedicationRequest":
        result["category"] = _as_list(result["category"])
    return result


def _validated(resource: Any, expected: str | None, models: Mapping[str, Any]) -> Any:
    if not isinstance(resource, Mapping):
        raise NotR4Error("not a FHIR resource (a JSON object with resourceType)")
    kind = resource.get("resourceType")
    if expected is not None and kind != expected:
        raise NotR4Error(f"expected a {expected}, got {kind or 'no resourceType'}")
    model = models.get(str(kind))
    if model is None:
        raise NotR4Error(f"resourceType {kind!r} is not read here")
    try:
        return model.model_validate(newer_shape(resource))
    except ValidationError as exc:
        raise NotR4Error(f"not a valid FHIR R4 {kind}: {describe_fhir_errors(exc)}") from exc
    except (ValueError, TypeError) as exc:
        raise NotR4Error(f"not a valid FHIR R4 {kind}: {exc}") from exc


def read(resource: Any, expected: str | None = None) -> Any:
    """The fields of the resource that a check reads, each validated as R4 (`clonaguard.fhir.fields`);
    NotR4Error naming the problem otherwise. Fields that are not read are neither validated nor kept."""
    return _validated(resource, expected, fields.MODELS)


def as_r4(resource: Any, expected: str | None = None) -> Any:
    """The whole resource validated as R4 (`fhir.resources.R4B`); NotR4Error naming the problem otherwise."""
    return _validated(resource, expected, MODELS)

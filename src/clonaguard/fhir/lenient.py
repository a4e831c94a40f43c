"""Resources as EHRs send them, made R4 where the meaning is certain, else the reason they cannot be read.

Only the resources a check reads go through here (clonazepam orders, patient data); everything else an EHR
sends is passed over unread. Two older shapes are read because their meaning is unambiguous:

- STU3 Dosage: `doseQuantity` / `doseRange` directly under a dosage become one R4 `doseAndRate` entry;
- one object where R4 wants a list (`dosageInstruction`, `dosage`, `doseAndRate`, `category`) is a list of one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.medicationdispense import MedicationDispense
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from pydantic import ValidationError

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


@dataclass(frozen=True, slots=True)
class ReadOrder:
    """A clonazepam order as R4; `complete` is False when only its medication and dosage were valid R4."""

    resource: Any
    complete: bool
    problem: str | None = None


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


def as_r4(resource: Any, expected: str | None = None) -> Any:
    """The resource validated as R4 (`fhir.resources.R4B`); NotR4Error naming the problem otherwise."""
    if not isinstance(resource, Mapping):
        raise NotR4Error("not a FHIR resource (a JSON object with resourceType)")
    kind = resource.get("resourceType")
    if expected is not None and kind != expected:
        raise NotR4Error(f"expected a {expected}, got {kind or 'no resourceType'}")
    model = MODELS.get(str(kind))
    if model is None:
        raise NotR4Error(f"resourceType {kind!r} is not read here")
    try:
        return model.model_validate(newer_shape(resource))
    except ValidationError as exc:
        raise NotR4Error(f"not a valid FHIR R4 {kind}: {describe_fhir_errors(exc)}") from exc
    except (ValueError, TypeError) as exc:
        raise NotR4Error(f"not a valid FHIR R4 {kind}: {exc}") from exc


_READ_FIELDS = ("id", "medicationCodeableConcept", "medicationReference", "dosageInstruction", "authoredOn")


def read_medication_request(resource: Mapping[str, Any]) -> ReadOrder:
    """A clonazepam order as R4. When only fields this service does not read are invalid, the fields it reads
    (medication, dosage, date, category) are enough to check the dose, but no corrected order can be offered."""
    try:
        return ReadOrder(as_r4(resource, "MedicationRequest"), complete=True)
    except NotR4Error as exc:
        problem = str(exc)
    reduced: dict[str, Any] = {key: resource[key] for key in _READ_FIELDS if key in resource}
    reduced.update(resourceType="MedicationRequest", status="draft", intent="order", subject={"reference": "Patient/x"})
    if "category" in resource:
        reduced["category"] = resource["category"]
    contained = [c for c in _as_list(resource.get("contained")) or [] if isinstance(c, Mapping)]
    reduced["contained"] = [c for c in contained if c.get("resourceType") == "Medication"]
    try:
        return ReadOrder(as_r4(reduced), complete=False, problem=problem)
    except NotR4Error:
        raise NotR4Error(problem) from None

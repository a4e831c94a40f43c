"""A parsed sig as FHIR R4 Dosage (built with fhir.resources.R4B): one Dosage per step, with a sequence."""

from __future__ import annotations

from typing import Any

from clonaguard.fhir.outcome import operation_outcome
from clonaguard.sig.model import ParsedSig, SigStep
from clonaguard.units import mass_unit

UCUM = "http://unitsofmeasure.org"
_FORM_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm"
_SNOMED = "http://snomed.info/sct"
_ROUTES = {"oral": ("26643006", "Oral route"), "sublingual": ("37839007", "Sublingual route")}
_UNITS: dict[str, tuple[str, str, str]] = {
    "mg": (UCUM, mass_unit("mg"), "mg"),
    "tablet": (_FORM_SYSTEM, "TAB", "tablet"),
    "capsule": (_FORM_SYSTEM, "CAP", "capsule"),
    "ml": (UCUM, "mL", "mL"),
    "drop": (UCUM, "[drp]", "drop"),
    "dose": (UCUM, "{dose}", "dose"),
}


def _quantity(value: float, unit: str) -> dict[str, Any]:
    system, code, words = _UNITS[unit]
    return {"value": value, "unit": words, "system": system, "code": code}


def _dosage(step: SigStep, sequence: int | None) -> dict[str, Any]:
    text = " ".join(step.text.split())  # FHIR strings allow no whitespace but space, tab and line breaks
    dosage: dict[str, Any] = {"text": text} if text else {}
    if sequence is not None:
        dosage["sequence"] = sequence
    repeat: dict[str, Any] = {}
    if step.timing is not None:
        timing = step.timing
        for key, name in (
            ("frequency", "frequency"),
            ("frequency_max", "frequencyMax"),
            ("period", "period"),
            ("period_max", "periodMax"),
            ("period_unit", "periodUnit"),
        ):
            value = getattr(timing, key)
            if value is not None:
                repeat[name] = value
        if timing.when:
            repeat["when"] = list(timing.when)
    if step.duration is not None:
        repeat["boundsDuration"] = {
            "value": step.duration.value,
            "unit": step.duration.unit,
            "system": UCUM,
            "code": step.duration.unit,
        }
    if repeat:
        dosage["timing"] = {"repeat": repeat}
    if step.as_needed:
        if step.as_needed_for:
            dosage["asNeededCodeableConcept"] = {"text": step.as_needed_for}
        else:
            dosage["asNeededBoolean"] = True
    if step.route is not None:
        code, display = _ROUTES[step.route]
        dosage["route"] = {"coding": [{"system": _SNOMED, "code": code, "display": display}], "text": step.route}
    if step.dose is not None:
        if step.dose.min == step.dose.max:
            dose_and_rate: dict[str, Any] = {"doseQuantity": _quantity(step.dose.max, step.dose.unit)}
        else:
            dose_range: dict[str, Any] = {"high": _quantity(step.dose.max, step.dose.unit)}
            if step.dose.min is not None:
                dose_range["low"] = _quantity(step.dose.min, step.dose.unit)
            dose_and_rate = {"doseRange": dose_range}
        dosage["doseAndRate"] = [dose_and_rate]
    if step.max_per_day is not None:
        dosage["maxDosePerPeriod"] = {
            "numerator": _quantity(step.max_per_day.value, step.max_per_day.unit),
            "denominator": {"value": 1, "unit": "d", "system": UCUM, "code": "d"},
        }
    if step.instructions:
        dosage["additionalInstruction"] = [{"text": instruction} for instruction in step.instructions]
    return dosage


def to_fhir_dosage(parsed: ParsedSig) -> list[Any]:
    """FHIR R4 Dosage resources (`fhir.resources.R4B.dosage.Dosage`), one per dosing step.

    A "then stop" step gives no Dosage: the step before it ends with its boundsDuration. A step with an extra
    as-needed part gives two Dosages with one sequence number (FHIR: instructions that apply together).
    """
    from fhir.resources.R4B.dosage import Dosage

    dosages = []
    for index, step in enumerate(parsed.dosing_steps()):
        extra = step.as_needed_extra
        # An extra as-needed part is a second Dosage with the same sequence: both apply at the same time.
        sequence = index + 1 if parsed.is_multi_step or extra is not None else None
        dosages.append(Dosage.model_validate(_dosage(step, sequence)))
        if extra is not None:
            dosages.append(Dosage.model_validate(_dosage(extra, sequence)))
    return dosages


def doubt_outcome(problems: list[str]) -> dict[str, Any]:
    """A FHIR R4 OperationOutcome listing why a sig cannot be read with certainty (never a Dosage then)."""
    return operation_outcome(problems, code="processing")

"""A corrected MedicationRequest: the original order with one structured dosage for a safer regimen."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.medicationrequest import MedicationRequest

from clonaguard.fhir.codes import UCUM
from clonaguard.regimens import describe


def corrected_medication_request(
    original: dict[str, Any], dose_mg: float, times_per_day: int, instructions: str | None = None
) -> dict[str, Any]:
    """Keep everything of the original order but its dosage; the result is validated as R4 before it is given."""
    previous = (original.get("dosageInstruction") or [{}])[0]
    text = describe(dose_mg, times_per_day) + (f", {instructions}" if instructions else "")
    dosage: dict[str, Any] = {
        "text": text,
        "timing": {"repeat": {"frequency": times_per_day, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": {"value": dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}}],
    }
    if instructions:
        dosage["patientInstruction"] = instructions
    if isinstance(previous, dict) and "route" in previous:
        dosage["route"] = previous["route"]
    corrected = {**original, "dosageInstruction": [dosage]}
    return MedicationRequest.model_validate(corrected).model_dump(mode="json", exclude_none=True)

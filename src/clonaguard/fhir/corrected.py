"""A corrected MedicationRequest: the original order with one structured dosage for a safer regimen."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.dosage import Dosage

from clonaguard.fhir.codes import UCUM
from clonaguard.regimens import describe


def corrected_medication_request(
    original: Any, dose_mg: float, times_per_day: int, instructions: str | None = None
) -> dict[str, Any]:
    """Keep everything of the original order (a validated R4 MedicationRequest) but its dosage.

    The new dosage is validated as R4 before it is given; the rest of the order already was, when it was read.
    """
    previous = (original.dosageInstruction or [None])[0]
    text = describe(dose_mg, times_per_day) + (f", {instructions}" if instructions else "")
    dosage: dict[str, Any] = {
        "text": text,
        "timing": {"repeat": {"frequency": times_per_day, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": {"value": dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}}],
    }
    if instructions:
        dosage["patientInstruction"] = instructions
    if previous is not None and previous.route is not None:
        dosage["route"] = previous.route
    corrected = original.model_copy(update={"dosageInstruction": [Dosage.model_validate(dosage)]})
    result: dict[str, Any] = corrected.model_dump(mode="json", exclude_none=True)
    return result

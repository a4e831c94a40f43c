"""A corrected MedicationRequest: the original order with one structured dosage for a safer regimen."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import orjson
from fhir.resources.R4B.dosage import Dosage

from clonaguard.fhir.codes import UCUM
from clonaguard.regimens import describe


def corrected_medication_request(
    original: Mapping[str, Any], dose_mg: float, times_per_day: int, instructions: str | None = None
) -> dict[str, Any]:
    """Keep everything of the original order (the JSON of an R4 MedicationRequest already validated in full, as
    sent: it is not serialised again) but its dosage: the new one, validated as R4, with the original's route."""
    dosage: dict[str, Any] = orjson.loads(_new_dosage(dose_mg, times_per_day, instructions))
    previous = (original.get("dosageInstruction") or [None])[0]
    if isinstance(previous, Mapping) and previous.get("route") is not None:
        dosage["route"] = _without_nulls(previous["route"])
    return {**_without_nulls(original), "dosageInstruction": [dosage]}


@functools.lru_cache(maxsize=256)
def _new_dosage(dose_mg: float, times_per_day: int, instructions: str | None) -> bytes:
    """The dosage of a regimen, validated as R4 once per regimen, kept as JSON text: each corrected order is
    given a fresh copy of it, so that no answer shares, or could change, another's dosage."""
    text = describe(dose_mg, times_per_day) + (f", {instructions}" if instructions else "")
    dosage: dict[str, Any] = {
        "text": text,
        "timing": {"repeat": {"frequency": times_per_day, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": {"value": dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}}],
    }
    if instructions:
        dosage["patientInstruction"] = instructions
    return orjson.dumps(Dosage.model_validate(dosage).model_dump(mode="json", exclude_none=True))


def _without_nulls(value: Any) -> Any:
    """R4 validation lets an optional field be null; R4 JSON gives none, so the corrected order has none."""
    if isinstance(value, Mapping):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value

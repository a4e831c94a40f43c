"""Earlier clonazepam use from what EHRs send: MedicationRequest, MedicationStatement and MedicationDispense.

Where the dose and the date come from (the regimen is read from the dosage as for a draft order):

- MedicationRequest: dosage `dosageInstruction`; start `dosageInstruction.timing.repeat.boundsPeriod.start`,
  else `authoredOn`; passed over when cancelled or entered-in-error.
- MedicationStatement: dosage `dosage`; start `dosage.timing.repeat.boundsPeriod.start`, else
  `effectivePeriod.start`, else `effectiveDateTime`; passed over when entered-in-error or not-taken.
- MedicationDispense: dosage `dosageInstruction`; start `dosageInstruction.timing.repeat.boundsPeriod.start`,
  else `whenHandedOver`, else `whenPrepared`; passed over when cancelled, declined or entered-in-error.

Every one of them, readable or not, means the patient has had clonazepam (the course is continuing).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from clonaguard.fhir.lenient import read
from clonaguard.fhir.orders import OrderReading, SigReader, as_date, dosage_start, read_regimen
from clonaguard.labels.schema import Label

HISTORY_TYPES = ("MedicationRequest", "MedicationStatement", "MedicationDispense")
_PASSED_OVER = {
    "MedicationRequest": {"cancelled", "entered-in-error"},
    "MedicationStatement": {"entered-in-error", "not-taken"},
    "MedicationDispense": {"cancelled", "declined", "entered-in-error"},
}


def counts_as_use(resource: Mapping[str, Any]) -> bool:
    """False for a record that says the medicine was not used (cancelled, declined, not taken, an error)."""
    return str(resource.get("status")) not in _PASSED_OVER.get(str(resource.get("resourceType")), set())


def _start(kind: str, parsed: Any) -> date | None:
    if kind == "MedicationStatement":
        period = parsed.effectivePeriod
        return (
            dosage_start(parsed.dosage)
            or as_date(period.start if period is not None else None)
            or as_date(parsed.effectiveDateTime)
        )
    if kind == "MedicationDispense":
        return dosage_start(parsed.dosageInstruction) or as_date(parsed.whenHandedOver) or as_date(parsed.whenPrepared)
    return dosage_start(parsed.dosageInstruction) or as_date(parsed.authoredOn)


def read_history_entry(resource: Mapping[str, Any], label: Label, sig_reader: SigReader | None) -> OrderReading:
    """The regimen and start of one earlier clonazepam resource (its fields read validated as R4); NotR4Error
    or UnreadableOrderError if not."""
    return history_reading(read(resource), label, sig_reader)


def history_reading(parsed: Any, label: Label, sig_reader: SigReader | None) -> OrderReading:
    """The regimen and start of a validated request, statement or dispense."""
    kind = parsed.get_resource_type()
    dosages = parsed.dosage if kind == "MedicationStatement" else parsed.dosageInstruction
    return read_regimen(parsed, dosages, _start(kind, parsed), label, sig_reader)

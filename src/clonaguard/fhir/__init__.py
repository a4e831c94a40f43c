"""FHIR R4 in and out: MedicationRequest to Order, patient facts, OperationOutcome. Read: only the fields used, as
R4 (`clonaguard.fhir.fields`); written: with `fhir.resources.R4B`."""

from clonaguard.fhir.corrected import corrected_medication_request
from clonaguard.fhir.orders import OrderReading, UnreadableOrderError, is_clonazepam, read_order
from clonaguard.fhir.outcome import operation_outcome
from clonaguard.fhir.patient import PatientFacts, age_on, read_patient_facts

__all__ = [
    "OrderReading",
    "PatientFacts",
    "UnreadableOrderError",
    "age_on",
    "corrected_medication_request",
    "is_clonazepam",
    "operation_outcome",
    "read_order",
    "read_patient_facts",
]

"""FHIR R4 test data: small builders for the resources an EHR sends (no clinical logic here)."""

from __future__ import annotations

from typing import Any

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
PATIENT_ID = "pat-4711"


def medication_request(
    *,
    id: str = "draft-1",
    rxcui: str | None = "197528",
    name: str | None = None,
    dose: float | None = 0.5,
    unit: str = "mg",
    frequency: int | None = 3,
    period: float = 1,
    period_unit: str = "d",
    text: str | None = None,
    status: str = "draft",
    authored_on: str | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    concept: dict[str, Any] = {}
    if rxcui is not None:
        concept["coding"] = [{"system": RXNORM, "code": rxcui}]
    if name is not None:
        concept["text"] = name
    dosage: dict[str, Any] = {}
    if text is not None:
        dosage["text"] = text
    if frequency is not None:
        dosage["timing"] = {"repeat": {"frequency": frequency, "period": period, "periodUnit": period_unit}}
    if dose is not None:
        dosage["doseAndRate"] = [{"doseQuantity": {"value": dose, "unit": unit, "system": UCUM, "code": unit}}]
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": id,
        "status": status,
        "intent": "order",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "medicationCodeableConcept": concept,
        "dosageInstruction": [dosage],
    }
    if authored_on is not None:
        resource["authoredOn"] = authored_on
    if category is not None:
        resource["category"] = [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/medicationrequest-category", "code": category}
                ]
            }
        ]
    return resource


def bundle(*resources: dict[str, Any], type: str = "searchset") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": type, "entry": [{"resource": r} for r in resources]}


def patient(birth_date: str = "1986-05-20", id: str = PATIENT_ID) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": id,
        "birthDate": birth_date,
        "name": [{"family": "Zzyzx-Testname", "given": ["Quentinella"]}],
    }


def observation(
    loinc: str,
    *,
    code: str | None = None,
    system: str = SNOMED,
    quantity: tuple[float, str] | None = None,
    when: str = "2026-02-01",
    id: str | None = None,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": id or f"obs-{loinc}-{code or 'q'}",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": loinc}]},
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "effectiveDateTime": when,
    }
    if code is not None:
        resource["valueCodeableConcept"] = {"coding": [{"system": system, "code": code}]}
    if quantity is not None:
        resource["valueQuantity"] = {"value": quantity[0], "unit": quantity[1], "system": UCUM, "code": quantity[1]}
    return resource


def condition(system: str, code: str, *, clinical_status: str = "active", id: str = "cond-1") -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": id,
        "clinicalStatus": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": clinical_status}]
        },
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
    }


NOT_PREGNANT = ("82810-3", "60001007", SNOMED)
NOT_BREASTFEEDING = ("63895-7", "LA29253-4", LOINC)


def prefetch(
    *,
    patient_resource: dict[str, Any] | None = None,
    medications: list[dict[str, Any]] = (),  # type: ignore[assignment]
    observations: list[dict[str, Any]] = (),  # type: ignore[assignment]
    conditions: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """Every prefetch key the service asks for; observations are offered under each observation key.

    Unless the caller gives one, a pregnancy and a breastfeeding status are recorded as "no", so that a test
    sees only the cards its own data calls for."""
    given = {_loinc(o) for o in observations}
    defaults = [
        observation(loinc, code=code, system=system) for loinc, code, system in (NOT_PREGNANT, NOT_BREASTFEEDING)
    ]
    observations = [*observations, *(o for o in defaults if _loinc(o) not in given)]
    return {
        "patient": patient_resource or patient(),
        "medications": bundle(*medications),
        "pregnancy": bundle(*[o for o in observations if _loinc(o) == "82810-3"]),
        "lactation": bundle(*[o for o in observations if _loinc(o) == "63895-7"]),
        "alcoholObservations": bundle(*[o for o in observations if _loinc(o) in {"74013-4", "11331-6"}]),
        "alcoholConditions": bundle(*conditions),
    }


def _loinc(resource: dict[str, Any]) -> str:
    return str(resource["code"]["coding"][0]["code"])


def hook_request(
    *orders: dict[str, Any],
    hook: str = "order-sign",
    prefetch_data: dict[str, Any] | None = None,
    instance: str = "6e9c4c1a-5d1e-4a59-9c43-0c2f5b0d7f10",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": instance,
        "context": {
            "userId": "Practitioner/dr-1",
            "patientId": PATIENT_ID,
            "draftOrders": bundle(*orders, type="collection"),
        },
    }
    if prefetch_data is not None:
        body["prefetch"] = prefetch_data
    body.update(extra)
    return body

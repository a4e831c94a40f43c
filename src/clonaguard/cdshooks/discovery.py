"""The services this CDS Hooks endpoint offers, and the FHIR data each one asks the EHR to prefetch.

Codes (documented in the README): LOINC 29463-7 body weight, 82810-3 pregnancy status, 63895-7
breastfeeding status, 74013-4 alcoholic drinks per day, 11331-6 alcohol use status; conditions
ICD-10-CM / ICD-10 F10 and below (alcohol-related disorders), SNOMED CT 7200002 alcoholism,
15167005 alcohol abuse, 66590003 alcohol dependence.
"""

from __future__ import annotations

from typing import Any

from clonaguard.fhir.codes import (
    ALCOHOL_USE_STATUS,
    ALCOHOLIC_DRINKS_PER_DAY,
    BODY_WEIGHT,
    BREASTFEEDING_STATUS,
    ICD10,
    ICD10_CM,
    LOINC,
    PREGNANCY_STATUS,
    SNOMED,
)

_PATIENT = "{{context.patientId}}"
_ALCOHOL_CONDITION_CODES = ",".join(
    [f"{ICD10_CM}|F10", f"{ICD10}|F10", f"{SNOMED}|7200002", f"{SNOMED}|15167005", f"{SNOMED}|66590003"]
)

PREFETCH: dict[str, str] = {
    "patient": f"Patient/{_PATIENT}",
    "medications": f"MedicationRequest?patient={_PATIENT}&status=active",
    "weight": f"Observation?patient={_PATIENT}&code={LOINC}|{BODY_WEIGHT}&_sort=-date&_count=1",
    "pregnancy": f"Observation?patient={_PATIENT}&code={LOINC}|{PREGNANCY_STATUS}&_sort=-date&_count=1",
    "lactation": f"Observation?patient={_PATIENT}&code={LOINC}|{BREASTFEEDING_STATUS}&_sort=-date&_count=1",
    "alcoholObservations": (
        f"Observation?patient={_PATIENT}&code={LOINC}|{ALCOHOLIC_DRINKS_PER_DAY},{LOINC}|{ALCOHOL_USE_STATUS}"
        "&_sort=-date"
    ),
    "alcoholConditions": f"Condition?patient={_PATIENT}&clinical-status=active&code:below={_ALCOHOL_CONDITION_CODES}",
}
"""Every key is needed: when the EHR leaves one out and gives no fhirServer, the answer is 412."""

SERVICE_IDS = {"order-select": "clonaguard-order-select", "order-sign": "clonaguard-order-sign"}
HOOK_OF_SERVICE = {service: hook for hook, service in SERVICE_IDS.items()}

_DESCRIPTION = (
    "Checks draft clonazepam (Klonopin) orders against the Klonopin leaflet: daily dose for age and setting, "
    "frequency, start dose, pregnancy, breastfeeding and alcohol. One card per finding, each quoting the leaflet."
)


def discovery() -> dict[str, Any]:
    """The discovery document (GET /cds-services)."""
    return {
        "services": [
            {
                "hook": hook,
                "title": f"clonaguard: clonazepam order check ({hook})",
                "description": _DESCRIPTION,
                "id": service_id,
                "prefetch": dict(PREFETCH),
                "usageRequirements": (
                    "Send the draft MedicationRequests in context.draftOrders (FHIR R4). Every prefetch key is "
                    "needed; keys left out are read from fhirServer when one is given."
                ),
            }
            for hook, service_id in SERVICE_IDS.items()
        ]
    }

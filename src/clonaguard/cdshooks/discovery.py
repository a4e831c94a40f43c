"""The services this CDS Hooks endpoint offers, and the FHIR data each one asks the EHR to prefetch.

Codes (documented in docs/how-to/connect-an-ehr.md): LOINC 82810-3 pregnancy status, 63895-7
breastfeeding status, 74013-4 alcoholic drinks per day, 11331-6 alcohol use status; conditions
ICD-10-CM / ICD-10 F10 and below (alcohol-related disorders), SNOMED CT 7200002 alcoholism,
15167005 alcohol abuse, 66590003 alcohol dependence.
"""

from __future__ import annotations

from typing import Any

from clonaguard.cdshooks.models import MAX_BUNDLE_ENTRIES, MAX_DRAFT_ENTRIES
from clonaguard.fhir.codes import (
    ALCOHOL_USE_STATUS,
    ALCOHOLIC_DRINKS_PER_DAY,
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
    "pregnancy": f"Observation?patient={_PATIENT}&code={LOINC}|{PREGNANCY_STATUS}&_sort=-date&_count=1",
    "lactation": f"Observation?patient={_PATIENT}&code={LOINC}|{BREASTFEEDING_STATUS}&_sort=-date&_count=1",
    "alcoholObservations": (
        f"Observation?patient={_PATIENT}&code={LOINC}|{ALCOHOLIC_DRINKS_PER_DAY},{LOINC}|{ALCOHOL_USE_STATUS}"
        "&_sort=-date"
    ),
    "alcoholConditions": f"Condition?patient={_PATIENT}&clinical-status=active&code:below={_ALCOHOL_CONDITION_CODES}",
}
"""What each key is for. None is required: a key that cannot be had is named in an info card, with the leaflet
statements that therefore were not checked (`clonaguard.cdshooks.availability`). No body weight is asked for:
the leaflet doses by age, not by weight."""

SERVICE_IDS = {"order-select": "clonaguard-order-select", "order-sign": "clonaguard-order-sign"}
HOOK_OF_SERVICE = {service: hook for hook, service in SERVICE_IDS.items()}

_DESCRIPTION = (
    "Checks draft clonazepam (Klonopin) orders against the Klonopin leaflet: daily dose for age and setting, "
    "frequency, start dose, pregnancy, breastfeeding and alcohol. One card per finding, each quoting the leaflet."
)


_USAGE = (
    f"Send the draft orders in context.draftOrders (a FHIR Bundle, at most {MAX_DRAFT_ENTRIES} entries); clonazepam "
    "MedicationRequests (R4; the STU3 dosage shape is read too) are checked, other entries are passed over. "
    "Every prefetch key is optional: a key left out, answered with an OperationOutcome or not valid R4 is read "
    "from fhirServer when this service may read it (CLONAGUARD_FHIR_SERVERS), else the cards say which leaflet "
    "statements could not be checked. null or an empty Bundle means nothing is recorded. Medication history may "
    f"hold MedicationRequest, MedicationStatement and MedicationDispense (at most {MAX_BUNDLE_ENTRIES} entries per "
    "Bundle)."
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
                "usageRequirements": _USAGE,
            }
            for hook, service_id in SERVICE_IDS.items()
        ]
    }

"""What was not available for a check, and which leaflet statements were therefore not checked.

Pregnancy and breastfeeding are named only for a patient who could be pregnant: one who may be female (a sex
other than male, or none recorded) and whose age is unknown or, in whole years, within the label's
`childbearing_policy` band (12 to 55: from the 12th birthday to the day before the 56th).
"""

from __future__ import annotations

from clonaguard.cdshooks.prefetch import PatientData
from clonaguard.fhir.patient import PatientFacts
from clonaguard.labels.schema import Label
from clonaguard.regimens import format_mg

_WHAT = {
    "patient": "The Patient (birth date, sex)",
    "medications": "Earlier clonazepam orders",
    "pregnancy": "The pregnancy status",
    "lactation": "The breastfeeding status",
    "alcoholObservations": "Alcohol use observations (drinks a day, alcohol use status)",
    "alcoholConditions": "Alcohol-related conditions",
}


def _not_checked(key: str, label: Label) -> str:
    """What the check could not do without the key, as a sentence."""
    advice = label.recommendations
    alcohol = advice.alcohol.advice.rstrip(".")
    return {
        "patient": "The daily dose was not checked for the patient's age (see the age band card).",
        "medications": (
            "Titration pace, course length and taper steps were not checked against earlier orders; "
            "the start dose was checked as for a new course."
        ),
        "pregnancy": f"Not checked: “{advice.pregnancy.advice.rstrip('.')}”.",
        "lactation": f"Not checked: “{advice.breastfeeding.advice.rstrip('.')}”.",
        "alcoholObservations": f"Not checked against these observations: “{alcohol}”.",
        "alcoholConditions": f"Not checked against these conditions: “{alcohol}”.",
    }[key]


def could_be_pregnant(facts: PatientFacts, label: Label) -> bool:
    band = label.childbearing_policy.age_years
    return facts.may_be_female and (facts.age_years is None or int(facts.age_years) in band)


def availability_notes(data: PatientData, facts: PatientFacts, label: Label) -> list[str]:
    """One line per key that could not be had or holds nothing where something matters, with what was not checked."""
    pregnancy_matters = could_be_pregnant(facts, label)
    notes = []
    for key, why in data.unavailable.items():
        if key in {"pregnancy", "lactation"} and not pregnancy_matters:
            continue
        notes.append(f"{_WHAT[key]} (prefetch `{key}`): not available ({why}). {_not_checked(key, label)}")
    if "patient" in data.empty:
        notes.append(f"No Patient is recorded (prefetch `patient`). {_not_checked('patient', label)}")
    if pregnancy_matters:
        band = label.childbearing_policy.age_years
        who = f"a patient who may be female, aged {format_mg(band.min)}–{format_mg(band.max)} years or of unknown age"
        for key, recorded in (("pregnancy", facts.pregnancy_recorded), ("lactation", facts.breastfeeding_recorded)):
            if key not in data.unavailable and not recorded:
                notes.append(
                    f"{_WHAT[key]} is not recorded (prefetch `{key}` found nothing) for {who}. "
                    f"{_not_checked(key, label)}"
                )
    return notes

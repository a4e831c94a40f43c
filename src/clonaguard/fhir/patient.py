"""What a case needs to know about the patient, read from FHIR resources the EHR prefetched.

Values that are present but cannot be read (an unknown unit, an unknown answer code) are listed in
`notes` so the card can say so; they are never turned into a yes or a no.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clonaguard.errors import PatientDataError as PatientDataError  # raised here; defined with the others
from clonaguard.fhir.codes import (
    ALCOHOL_ICD10_PREFIX,
    ALCOHOL_SNOMED_CONDITIONS,
    ALCOHOL_USE_STATUS,
    ALCOHOLIC_DRINKS_PER_DAY,
    BREASTFEEDING_STATUS,
    CURRENTLY_BREASTFEEDING,
    DRINKER_CODES,
    ICD10,
    ICD10_CM,
    LOINC,
    NON_DRINKER_CODES,
    NOT_BREASTFEEDING,
    NOT_PREGNANT,
    PREGNANCY_STATUS,
    PREGNANT,
    SNOMED,
)

_IGNORED_STATUS = {"entered-in-error", "cancelled"}
_INACTIVE_CONDITION = {"inactive", "resolved", "remission"}
_REFUTED = {"refuted", "entered-in-error"}


@dataclass(slots=True)
class PatientFacts:
    """What is known of the patient; `age_years` is None when the age cannot be known (`age_problem` says why)."""

    age_years: float | None
    age_problem: str | None = None
    may_be_female: bool = True
    pregnancy_recorded: bool = False
    breastfeeding_recorded: bool = False
    pregnant: bool = False
    breastfeeding: bool = False
    alcohol_use: bool = False
    notes: list[str] = field(default_factory=list)


def age_on(birth: date, on: date) -> float:
    """Age in years on a day: whole years since birth plus the elapsed share of the current year of age."""
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if years < 0:
        raise PatientDataError(f"the birth date {birth.isoformat()} is after the date of the check")
    last = _anniversary(birth, birth.year + years)
    following = _anniversary(birth, birth.year + years + 1)
    return years + (on - last).days / (following - last).days


def _anniversary(birth: date, year: int) -> date:
    try:
        return birth.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 3, 1)


def _coded(concept: Any, system: str, code: str) -> bool:
    return any(c.system == system and c.code == code for c in (getattr(concept, "coding", None) or []))


def _when(observation: Any) -> str:
    value = observation.effectiveDateTime or observation.issued
    if value is None and observation.effectivePeriod is not None:
        value = observation.effectivePeriod.end or observation.effectivePeriod.start
    return value.isoformat() if isinstance(value, date | datetime) else str(value or "")


def _latest(observations: list[Any], code: str) -> Any | None:
    matching = [
        o for o in observations if _coded(o.code, LOINC, code) and str(o.status or "final") not in _IGNORED_STATUS
    ]
    return max(matching, key=_when, default=None)


def _value_codes(observation: Any) -> set[str]:
    return {str(c.code) for c in (getattr(observation.valueCodeableConcept, "coding", None) or [])}


def read_age(patient: Any, on: date) -> float:
    """The patient's age on the day of the check; PatientDataError when it cannot be known."""
    if patient is None:
        raise PatientDataError("the Patient resource is not available")
    birth = patient.birthDate
    if not isinstance(birth, date):
        raise PatientDataError("the patient's birth date is missing or not a full date (YYYY-MM-DD)")
    return age_on(birth, on)


def read_patient_facts(patient: Any, observations: list[Any], conditions: list[Any], on: date) -> PatientFacts:
    """Age on the day of the check (or why not), sex, pregnancy, breastfeeding and alcohol use.

    A sex recorded as other than male, or not recorded, may be female: unknown is never taken as male."""
    try:
        facts = PatientFacts(age_years=read_age(patient, on))
    except PatientDataError as exc:
        facts = PatientFacts(age_years=None, age_problem=str(exc))
    facts.may_be_female = patient is None or patient.gender != "male"
    pregnancy = _latest(observations, PREGNANCY_STATUS)
    breastfeeding = _latest(observations, BREASTFEEDING_STATUS)
    facts.pregnancy_recorded, facts.breastfeeding_recorded = pregnancy is not None, breastfeeding is not None
    facts.pregnant = _status(
        facts,
        pregnancy,
        PREGNANT,
        NOT_PREGNANT,
        "The pregnancy status is recorded as unknown or in a code this service does not read.",
    )
    facts.breastfeeding = _status(
        facts,
        breastfeeding,
        CURRENTLY_BREASTFEEDING,
        NOT_BREASTFEEDING,
        "The breastfeeding status is recorded in a code this service does not read.",
    )
    _alcohol(facts, observations, conditions)
    return facts


def _status(facts: PatientFacts, observation: Any | None, yes: str, no: str, unreadable: str) -> bool:
    """A yes/no status observation: True only for the `yes` code; any code but `no` is noted as unreadable."""
    if observation is None:
        return False
    codes = _value_codes(observation)
    if yes in codes:
        return True
    if no not in codes:
        facts.notes.append(unreadable)
    return False


def _alcohol(facts: PatientFacts, observations: list[Any], conditions: list[Any]) -> None:
    for condition in conditions:
        if _alcohol_condition(condition):
            facts.alcohol_use = True
    drinks = _latest(observations, ALCOHOLIC_DRINKS_PER_DAY)
    if drinks is not None:
        quantity = drinks.valueQuantity
        if quantity is not None and quantity.value is not None:
            facts.alcohol_use = facts.alcohol_use or quantity.value > 0
        else:
            facts.notes.append("The number of alcoholic drinks a day could not be read.")
    status = _latest(observations, ALCOHOL_USE_STATUS)
    if status is not None:
        codes = _value_codes(status)
        if codes & DRINKER_CODES:
            facts.alcohol_use = True
        elif not codes & NON_DRINKER_CODES:
            facts.notes.append("The alcohol use status is recorded in a code this service does not read.")


def _status_code(concept: Any) -> str | None:
    codings = getattr(concept, "coding", None) or []
    return str(codings[0].code) if codings else None


def _alcohol_condition(condition: Any) -> bool:
    if _status_code(condition.clinicalStatus) in _INACTIVE_CONDITION:
        return False
    if _status_code(condition.verificationStatus) in _REFUTED:
        return False
    for coding in getattr(condition.code, "coding", None) or []:
        code = str(coding.code or "")
        if coding.system in {ICD10, ICD10_CM} and code.upper().startswith(ALCOHOL_ICD10_PREFIX):
            return True
        if coding.system == SNOMED and code in ALCOHOL_SNOMED_CONDITIONS:
            return True
    return False

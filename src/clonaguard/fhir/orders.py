"""An R4 MedicationRequest read as a clonazepam regimen (dose in mg, times a day), or the reason it cannot be.

Structured dosage is read when present; otherwise `dosageInstruction.text` goes through the sig reader
given by the caller. Ranges, as-needed orders and periods that do not give whole administrations a day
are refused with a reason, never rounded or guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Literal

from clonaguard.errors import UnreadableOrderError as UnreadableOrderError  # raised here; defined with the others
from clonaguard.fhir.codes import (
    ATC,
    GTS_ABBREVIATION,
    RXNORM,
    SNOMED,
    TABLET_UNITS,
    TIMES_PER_DAY_ABBREVIATIONS,
)
from clonaguard.labels.schema import Label
from clonaguard.model import DoseBasis
from clonaguard.units import DAYS_PER_UNIT, Mass, mass_unit


@dataclass(frozen=True, slots=True)
class OrderReading:
    dose_mg: float
    times_per_day: int
    start: date | None
    source: Literal["structured", "text"]
    dose_basis: DoseBasis = "scheduled"  # a text with as-needed doses is checked at the most it allows


SigReader = Callable[[str, float | None], tuple[float, int, DoseBasis]]
"""Reads a sig text (with the product's tablet strength when known) as (mg per dose, times a day, basis)."""

PERIOD_UNITS = ("s", "min", "h", "d", "wk")
"""Timing period units of a fixed length in days (a month or a year is not: its days vary)."""


def _codings(concept: Any) -> list[Any]:
    return list(getattr(concept, "coding", None) or []) if concept is not None else []


def _medication_concepts(request: Any) -> tuple[list[Any], list[str]]:
    """The medication's codings and its human-readable names (text, displays, contained Medication)."""
    concept = request.medicationCodeableConcept
    codings = _codings(concept)
    texts = [concept.text] if concept is not None and concept.text else []
    reference = request.medicationReference
    if reference is not None:
        if reference.display:
            texts.append(reference.display)
        target = (reference.reference or "").removeprefix("#")
        for resource in request.contained or []:
            if getattr(resource, "id", None) == target and resource.get_resource_type() == "Medication":
                codings += _codings(resource.code)
                if resource.code is not None and resource.code.text:
                    texts.append(resource.code.text)
    texts += [coding.display for coding in codings if coding.display]
    return codings, texts


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    """The objects of a JSON value that should be a list of objects (one object alone counts as one)."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, Mapping)]


def _raw_concept(concept: Any) -> tuple[list[tuple[Any, str]], list[str]]:
    """The (system, code) pairs and names of a concept as sent; a code that is not a string (a list, an object)
    names nothing, so it is passed over here and refused as not R4 when the order is read."""
    if not isinstance(concept, Mapping):
        return [], []
    codings = _dicts(concept.get("coding"))
    texts = [text for text in [concept.get("text"), *(c.get("display") for c in codings)] if isinstance(text, str)]
    return [(c.get("system"), c["code"]) for c in codings if isinstance(c.get("code"), str)], texts


def medications_by_reference(resources: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The Medication resources of a Bundle, by the reference an order would use ("Medication/{id}")."""
    return {
        f"Medication/{r['id']}": r
        for r in resources
        if r.get("resourceType") == "Medication" and isinstance(r.get("id"), str)
    }


def is_clonazepam(
    resource: Mapping[str, Any], label: Label, medications: Mapping[str, Mapping[str, Any]] | None = None
) -> bool:
    """By code (RxNorm ingredient or clinical drug, SNOMED CT substance, ATC) or by one of the label's names.

    Reads the JSON as sent, before any validation, so that resources of any shape are told apart safely:
    MedicationRequest, MedicationStatement and MedicationDispense name their medication alike, in
    `medicationCodeableConcept` or a `medicationReference` to a contained Medication or one of `medications`
    (the Medication resources sent beside it, by reference).
    """
    codings, texts = _raw_concept(resource.get("medicationCodeableConcept"))
    reference = resource.get("medicationReference")
    if isinstance(reference, Mapping):
        if isinstance(reference.get("display"), str):
            texts.append(reference["display"])
        target = str(reference.get("reference") or "")
        found = [c for c in _dicts(resource.get("contained")) if f"#{c.get('id')}" == target]
        found += [(medications or {})[target]] if target in (medications or {}) else []
        for medication in found:
            if medication.get("resourceType") == "Medication":
                more_codings, more_texts = _raw_concept(medication.get("code"))
                codings, texts = codings + more_codings, texts + more_texts
    codes = label.identity.codes
    other_codes = ((SNOMED, codes.snomed_ct), (ATC, codes.atc))
    for system, code in codings:
        if (system == RXNORM and code in codes.rxcuis) or (system, code) in other_codes:
            return True
    return any(label.identity.name_pattern.search(text) for text in texts)


def tablet_strength_mg(request: Any, label: Label) -> float | None:
    """The strength of the ordered clinical drug when its RxNorm code says it (e.g. 197527 = 0.5 mg tablet)."""
    strengths = label.identity.codes.strength_mg_of_rxcui
    found = {strengths[c.code] for c in _medication_concepts(request)[0] if c.system == RXNORM and c.code in strengths}
    return found.pop() if len(found) == 1 else None


def order_start(request: Any) -> date | None:
    """When a (past) order started: its dosage's boundsPeriod.start, else the day it was written."""
    return dosage_start(request.dosageInstruction) or as_date(request.authoredOn)


def dosage_start(dosages: list[Any] | None) -> date | None:
    """The first dosage's timing.repeat.boundsPeriod.start, when given."""
    for dosage in dosages or []:
        repeat = dosage.timing.repeat if dosage.timing is not None else None
        if repeat is not None and repeat.boundsPeriod is not None and repeat.boundsPeriod.start is not None:
            return as_date(repeat.boundsPeriod.start)
    return None


def as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    return date.fromisoformat(text[:10]) if len(text) >= 10 else None


def read_order(request: Any, label: Label, sig_reader: SigReader | None = None) -> OrderReading:
    """The regimen of a clonazepam MedicationRequest; raises UnreadableOrderError with the reason."""
    return read_regimen(request, request.dosageInstruction, order_start(request), label, sig_reader)


def read_regimen(
    resource: Any, dosages: list[Any] | None, start: date | None, label: Label, sig_reader: SigReader | None
) -> OrderReading:
    """The regimen of the dosages of a clonazepam resource (request, statement or dispense)."""
    dosages = list(dosages or [])
    if not dosages:
        raise UnreadableOrderError("the order has no dosage instructions")
    if len(dosages) > 1:
        raise UnreadableOrderError("the order has several dosage instructions; check one regimen at a time")
    dosage = dosages[0]
    if dosage.asNeededBoolean or dosage.asNeededCodeableConcept is not None:
        raise UnreadableOrderError("an as-needed order has no fixed daily dose to check")
    strength = tablet_strength_mg(resource, label)
    if dosage.doseAndRate or dosage.timing is not None:
        dose = _structured_dose(dosage, strength)
        times = _times_per_day(dosage.timing)
        return OrderReading(dose.mg, times, start, "structured")
    if dosage.text:
        if sig_reader is None:
            raise UnreadableOrderError("the dosage is free text only, and the sig reader is not available")
        dose_mg, times, basis = sig_reader(dosage.text, strength)
        return OrderReading(dose_mg, times, start, "text", basis)
    raise UnreadableOrderError("the dosage instruction has neither a structured dose nor a text")


def _structured_dose(dosage: Any, strength: float | None) -> Mass:
    entries = list(dosage.doseAndRate or [])
    if len(entries) != 1:
        raise UnreadableOrderError("the dosage needs exactly one doseAndRate entry with a doseQuantity")
    entry = entries[0]
    if entry.doseRange is not None:
        raise UnreadableOrderError("a dose range cannot be checked as one dose; give a single dose")
    quantity = entry.doseQuantity
    if quantity is None or quantity.value is None:
        raise UnreadableOrderError("the dosage has no doseQuantity value")
    if quantity.comparator is not None:
        raise UnreadableOrderError(f"a dose of {quantity.comparator} {quantity.value} is a bound, not one dose")
    unit = (quantity.code or quantity.unit or "").strip()
    try:
        dose = Mass.of(quantity.value, mass_unit(unit))
    except KeyError:
        if unit not in TABLET_UNITS and unit.lower() not in TABLET_UNITS:
            raise UnreadableOrderError(f"the dose unit {unit or '(none)'!r} is not a mass (mg) or a tablet") from None
        if strength is None:
            raise UnreadableOrderError(
                "the dose is in tablets, but the order's code does not give the tablet strength"
            ) from None
        dose = Mass(round(Fraction(str(quantity.value)) * Mass.of(strength).ng))
    if dose.ng <= 0:
        raise UnreadableOrderError("the dose must be above 0 mg")
    return dose


def _times_per_day(timing: Any) -> int:
    if timing is None:
        raise UnreadableOrderError("the dosage has a dose but no timing (how often a day)")
    repeat = timing.repeat
    if repeat is None or (repeat.frequency is None and repeat.period is None):
        return _times_without_frequency(timing)
    if repeat.frequencyMax is not None and repeat.frequencyMax != repeat.frequency:
        raise UnreadableOrderError("a range of frequencies cannot be checked; give one frequency")
    if repeat.periodMax is not None and repeat.periodMax != repeat.period:
        raise UnreadableOrderError("a range of periods cannot be checked; give one period")
    frequency = Fraction(repeat.frequency if repeat.frequency is not None else 1)
    if repeat.period is None or repeat.periodUnit not in PERIOD_UNITS:
        raise UnreadableOrderError(f"the timing needs a period in {', '.join(PERIOD_UNITS[:-1])} or {PERIOD_UNITS[-1]}")
    per_day = frequency / (Fraction(str(repeat.period)) * DAYS_PER_UNIT[repeat.periodUnit])
    if per_day.denominator != 1 or per_day < 1:
        raise UnreadableOrderError(
            "the timing does not give a whole number of administrations every day "
            f"({repeat.frequency} per {repeat.period} {repeat.periodUnit})"
        )
    return int(per_day)


def _times_without_frequency(timing: Any) -> int:
    repeat = timing.repeat
    if repeat is not None and repeat.timeOfDay:
        return len(set(repeat.timeOfDay))
    if repeat is not None and repeat.when:
        return len(set(repeat.when))
    for coding in _codings(timing.code):
        if coding.system == GTS_ABBREVIATION and coding.code in TIMES_PER_DAY_ABBREVIATIONS:
            return TIMES_PER_DAY_ABBREVIATIONS[coding.code]
    raise UnreadableOrderError("the timing does not say how many times a day")

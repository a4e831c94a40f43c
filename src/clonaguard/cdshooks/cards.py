"""Findings as CDS Hooks cards: calm summaries under 140 characters, the leaflet quoted in the detail."""

from __future__ import annotations

import uuid
from typing import Any

from clonaguard.labels.schema import Label
from clonaguard.model import DOSE_BASIS_WORDS, FINDING_CODES, DoseBasis, Finding
from clonaguard.regimens import describe, format_mg
from clonaguard.units import daily_mg

FINDING_SYSTEM = "urn:clonaguard:finding-code"
OVERRIDE_SYSTEM = "urn:clonaguard:override-reason"
NOT_CHECKED = "ORDER_NOT_CHECKED"
DATA_NOT_READ = "PATIENT_DATA_NOT_READ"
AGE_NOT_CHECKED = "AGE_NOT_CHECKED"

OVERRIDE_REASONS: list[dict[str, str]] = [
    {
        "system": OVERRIDE_SYSTEM,
        "code": "benefit-outweighs-risk",
        "display": "Benefit outweighs the risk for this patient",
    },
    {"system": OVERRIDE_SYSTEM, "code": "supervised", "display": "Given under specialist or hospital supervision"},
    {"system": OVERRIDE_SYSTEM, "code": "discussed-with-patient", "display": "Discussed with the patient"},
    {"system": OVERRIDE_SYSTEM, "code": "data-incorrect", "display": "The patient data used here is not correct"},
]
SUMMARY_LIMIT = 139


def _summary(text: str, fallback: str) -> str:
    """The message when it fits; else its first clause; else the code's meaning. Never cut mid-word."""
    for candidate in (text, text.split(":", 1)[0].rstrip(".") + ".", fallback):
        if len(candidate) <= SUMMARY_LIMIT:
            return candidate
    return fallback[:SUMMARY_LIMIT]


PROVENANCE_EXTENSION = "clonaguard-provenance"


def _extension(label: Label) -> dict[str, Any]:
    """The card's CDS Hooks `extension`: the label profile, its version, its document's SHA-256 and clonaguard's
    version."""
    return {PROVENANCE_EXTENSION: label.profile.provenance()}


def _source(label: Label, code: str, display: str) -> dict[str, Any]:
    return {
        "label": label.profile.title,
        "url": label.profile.url,
        "topic": {"system": FINDING_SYSTEM, "code": code, "display": display},
    }


def _quote(sentence: str) -> str:
    return "\n".join(f"> {line}" for line in sentence.splitlines() or [""])


def finding_card(
    finding: Finding,
    label: Label,
    ordered: tuple[float, int],
    update: tuple[float, int, dict[str, Any]] | None,
    dose_basis: DoseBasis = "scheduled",
) -> dict[str, Any]:
    """One card: `update` is (dose, times a day, corrected MedicationRequest) when a safe regimen exists.

    A dose read with as-needed doses is checked at the most the order allows, and the card says so."""
    info = FINDING_CODES[finding.code]
    meaning = info.meaning[0].upper() + info.meaning[1:] + "."
    dose, times = ordered
    detail = [finding.message, "", "The leaflet says:", "", _quote(finding.source), ""]
    if finding.suggestion:
        detail += [f"**Suggestion:** {finding.suggestion}", ""]
    standards = f"NCPDP DUR {info.dur_code}" + (f", HL7 {info.hl7_code}" if info.hl7_code else "")
    basis = "" if dose_basis == "scheduled" else f", {DOSE_BASIS_WORDS[dose_basis]}"
    detail.append(
        f"Checked: {describe(dose, times)} ({format_mg(daily_mg(dose, times))} mg a day{basis}). "
        f"Code {finding.code} ({standards})."
    )
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": _summary(finding.message, meaning),
        "indicator": finding.severity.value,
        "detail": "\n".join(detail),
        "source": _source(label, finding.code, meaning.rstrip(".")),
        "extension": _extension(label),
        "overrideReasons": OVERRIDE_REASONS,
    }
    if update is not None:
        new_dose, new_times, resource = update
        regimen = describe(new_dose, new_times)
        card["suggestions"] = [
            {
                "label": f"Change to {regimen}",
                "uuid": str(uuid.uuid4()),
                "isRecommended": True,
                "actions": [
                    {
                        "type": "update",
                        "description": (
                            f"Change the dosage to {regimen} ({format_mg(daily_mg(new_dose, new_times))} mg a day), "
                            "the nearest whole-tablet regimen that draws no warning for this patient."
                        ),
                        "resource": resource,
                    }
                ],
            }
        ]
        card["selectionBehavior"] = "at-most-one"
    return card


def not_checked_card(reason: str, label: Label) -> dict[str, Any]:
    """A clonazepam order the service could not read: said plainly, never guessed."""
    return {
        "uuid": str(uuid.uuid4()),
        "summary": "This clonazepam order could not be checked automatically.",
        "indicator": "warning",
        "detail": (
            f"The order could not be checked against the leaflet: {reason}.\n\n"
            "Enter the dose in mg and how many times a day as structured fields, "
            "or check the order against the leaflet by hand."
        ),
        "source": _source(label, NOT_CHECKED, "Order not checked"),
        "extension": _extension(label),
        "overrideReasons": OVERRIDE_REASONS,
    }


def not_available_card(notes: list[str], label: Label) -> dict[str, Any]:
    """One card for the request: the data that was not available or not read, and what was not checked."""
    return {
        "uuid": str(uuid.uuid4()),
        "summary": "Some patient data was not available; the leaflet statements listed here were not checked.",
        "indicator": "info",
        "detail": "\n".join(f"- {note}" for note in notes),
        "source": _source(label, DATA_NOT_READ, "Patient data not available"),
        "extension": _extension(label),
    }


def age_not_checked_card(reason: str, ordered: tuple[float, int], label: Label) -> dict[str, Any]:
    """The age decides which dose band applies; without it only what holds at every age was checked."""
    dose, times = ordered
    bands = [f"> {band.source}" for band in label.pediatric.bands]
    standard = label.adult_dosing.standard.source
    return {
        "uuid": str(uuid.uuid4()),
        "summary": "This clonazepam order could not be checked against the age bands.",
        "indicator": "warning",
        "detail": "\n".join(
            [
                f"The patient's age is not known: {reason}. The order, {describe(dose, times)} "
                f"({format_mg(daily_mg(dose, times))} mg a day), was not checked against the leaflet's daily dose for "
                "the patient's age. Cards shown beside this one hold at every age.",
                "",
                "The leaflet says:",
                "",
                *bands,
                f"> {standard}",
            ]
        ),
        "source": _source(label, AGE_NOT_CHECKED, "Age bands not checked"),
        "extension": _extension(label),
        "overrideReasons": OVERRIDE_REASONS,
    }

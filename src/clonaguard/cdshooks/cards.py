"""Findings as CDS Hooks cards: calm summaries under 140 characters, the leaflet quoted in the detail."""

from __future__ import annotations

import uuid
from typing import Any

from clonaguard.labels.schema import Label
from clonaguard.model import FINDING_CODES, Finding
from clonaguard.regimens import describe, format_mg

FINDING_SYSTEM = "urn:clonaguard:finding-code"
OVERRIDE_SYSTEM = "urn:clonaguard:override-reason"
NOT_CHECKED = "ORDER_NOT_CHECKED"
DATA_NOT_READ = "PATIENT_DATA_NOT_READ"

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
) -> dict[str, Any]:
    """One card: `update` is (dose, times a day, corrected MedicationRequest) when a safe regimen exists."""
    info = FINDING_CODES[finding.code]
    meaning = info.meaning[0].upper() + info.meaning[1:] + "."
    dose, times = ordered
    detail = [finding.message, "", "The leaflet says:", "", _quote(finding.source), ""]
    if finding.suggestion:
        detail += [f"**Suggestion:** {finding.suggestion}", ""]
    standards = f"NCPDP DUR {info.dur_code}" + (f", HL7 {info.hl7_code}" if info.hl7_code else "")
    detail.append(
        f"Checked: {describe(dose, times)} ({format_mg(dose * times)} mg a day). Code {finding.code} ({standards})."
    )
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "summary": _summary(finding.message, meaning),
        "indicator": finding.severity.value,
        "detail": "\n".join(detail),
        "source": _source(label, finding.code, meaning.rstrip(".")),
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
                            f"Change the dosage to {regimen} ({format_mg(new_dose * new_times)} mg a day), "
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
        "overrideReasons": OVERRIDE_REASONS,
    }


def data_notes_card(notes: list[str], label: Label) -> dict[str, Any]:
    """Patient data that was present but could not be read, so the clinician knows what the check did not use."""
    return {
        "uuid": str(uuid.uuid4()),
        "summary": "Some patient data could not be read; the check did not use it.",
        "indicator": "info",
        "detail": "\n".join(f"- {note}" for note in notes),
        "source": _source(label, DATA_NOT_READ, "Patient data not read"),
    }

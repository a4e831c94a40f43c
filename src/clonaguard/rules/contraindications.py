"""Pregnancy, breastfeeding and alcohol: always critical, whatever the dose; the words are the label's."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Severity


def contraindications(label: Label, case: Case) -> list[Finding]:
    patient = case.patient
    if not (patient.pregnant or patient.breastfeeding or patient.alcohol_use):
        return []
    advice = label.recommendations
    facts = (
        (patient.pregnant, "PREGNANCY", advice.pregnancy),
        (patient.breastfeeding, "BREASTFEEDING", advice.breastfeeding),
        (patient.alcohol_use, "ALCOHOL_USE", advice.alcohol),
    )
    index = len(case.orders) - 1
    return [
        Finding(code, Severity.CRITICAL, entry.finding, entry.source, entry.suggestion, index)
        for present, code, entry in facts
        if present
    ]

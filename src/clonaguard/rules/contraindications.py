"""Pregnancy, breastfeeding and alcohol: always critical, whatever the dose; the words are the label's."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding
from clonaguard.rules.severities import CRITICAL
from clonaguard.rules.tables import tables_for


def contraindications(label: Label, case: Case) -> list[Finding]:
    patient = case.patient
    if not (patient.pregnant or patient.breastfeeding or patient.alcohol_use):
        return []
    index = len(case.orders) - 1
    return [
        Finding(entry.code, CRITICAL, entry.finding, entry.source, entry.suggestion, index)
        for entry in tables_for(label).contraindications
        if getattr(patient, entry.fact)
    ]

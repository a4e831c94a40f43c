"""Pregnancy, breastfeeding and alcohol: always critical, whatever the dose; the words are the label's."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding
from clonaguard.rules.severities import CRITICAL
from clonaguard.rules.tables import tables_for


def contraindications(label: Label, case: Case) -> list[Finding]:
    fields = case.__dict__  # pydantic's own store of the fields: reading them as attributes costs a call each
    patient = fields["patient"].__dict__
    if not (patient["pregnant"] or patient["breastfeeding"] or patient["alcohol_use"]):
        return []
    index = len(fields["orders"]) - 1
    return [
        Finding(entry.code, CRITICAL, entry.finding, entry.source, entry.suggestion, index)
        for entry in tables_for(label).contraindications
        if patient[entry.fact]
    ]

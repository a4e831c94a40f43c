"""Pregnancy, breastfeeding and alcohol: always critical, whatever the dose."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Severity


def contraindications(label: Label, case: Case) -> list[Finding]:
    patient = case.patient
    advice = label.recommendations
    index = len(case.orders) - 1
    findings = []
    if patient.pregnant:
        findings.append(
            Finding(
                "PREGNANCY",
                Severity.CRITICAL,
                "Clonazepam is not prescribed during pregnancy: it passes through the placenta.",
                advice.pregnancy.source,
                "Discuss a treatment other than clonazepam with the patient.",
                index,
            )
        )
    if patient.breastfeeding:
        findings.append(
            Finding(
                "BREASTFEEDING",
                Severity.CRITICAL,
                "Clonazepam is not prescribed during breastfeeding: it passes into breast milk.",
                advice.breastfeeding.source,
                "Discuss a treatment other than clonazepam with the patient.",
                index,
            )
        )
    if patient.alcohol_use:
        findings.append(
            Finding(
                "ALCOHOL_USE",
                Severity.CRITICAL,
                "Alcohol is strictly contraindicated: even a little can severely depress the central nervous system.",
                advice.alcohol.source,
                "No alcohol or ethanol-containing products during the treatment.",
                index,
            )
        )
    return findings

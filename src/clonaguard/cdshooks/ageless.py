"""A check when the patient's age is not known: only the findings that hold at every age.

The case is checked once for each age group of the label (each children's band and adults). A finding is kept
when every group draws it (the mildest of them), or when every group draws a critical finding (then the adult
one, whose limits are the largest, without its adult-only suggestion): a daily dose above 20 mg is critical for
anyone. Nothing is kept that depends on the age.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from clonaguard.check import check, parse_case
from clonaguard.labels.schema import Label
from clonaguard.model import Finding, Report, Severity


def _group_ages(label: Label) -> list[float]:
    return sorted({band.min_age_years for band in label.pediatric.bands} | {label.pediatric.adult_from_age_years})


def check_at_every_age(case: dict[str, Any], label: Label, today: date) -> Report:
    """`case` is a case as data whose patient has no `age_years`. Errors as `parse_case`."""
    reports = [
        check(parse_case({**case, "patient": {**case["patient"], "age_years": age}}, label, today=today), label)
        for age in _group_ages(label)
    ]
    adult = reports[-1]
    everywhere = set.intersection(*({f.code for f in report.findings} for report in reports))
    critical_everywhere = all(any(f.severity is Severity.CRITICAL for f in report.findings) for report in reports)
    kept: list[Finding] = []
    for finding in adult.findings:
        if finding.code in everywhere:
            same = [f for report in reports for f in report.findings if f.code == finding.code]
            kept.append(min(same, key=lambda f: f.severity.rank))
        elif critical_everywhere and finding.severity is Severity.CRITICAL:
            kept.append(replace(finding, suggestion=None))
    kept.sort(key=lambda f: -f.severity.rank)
    return Report(adult.daily_dose_mg, tuple(kept))

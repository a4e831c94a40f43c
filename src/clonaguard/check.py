"""check(case, label) -> Report: the one entry point every adapter calls."""

from __future__ import annotations

from typing import Any

from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Report
from clonaguard.rules import ORDER_RULES
from clonaguard.validation import validate_input


def check(case: Case, label: Label | None = None) -> Report:
    """Run every rule on the case; findings come most severe first, in rule order within a severity."""
    label = label or load_label()
    findings: list[Finding] = []
    for rule in ORDER_RULES:
        findings.extend(rule(label, case))
    if len(findings) > 1:
        findings.sort(key=_most_severe_first)
    order = case.checked_order
    return Report(order.daily_dose_mg, tuple(findings), order.dose_basis)


def _most_severe_first(finding: Finding) -> int:
    return -finding.severity.rank


def parse_case(data: str | bytes | dict[str, Any], label: Label | None = None) -> Case:
    """Validate a case given as JSON text or a parsed object against a label (the default profile when None).

    Errors name each field at fault; the label is what an `indication` must be one of.
    """
    return validate_input(Case, data, {"label": label or load_label()})

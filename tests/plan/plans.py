"""Building plan requests for tests: every field at the CLI's default unless given."""

from __future__ import annotations

from typing import Any

from clonaguard.check import check
from clonaguard.labels.schema import Label
from clonaguard.model import Finding, Severity
from clonaguard.plan import Plan, TaperRequest, TitrationRequest, parse_request, plan_taper, plan_titration

START = "2026-12-01"


def titration(label: Label, age: float = 34, target: float | str = 6, **fields: Any) -> Plan:
    data = {"age_years": age, "target_mg": target, "start": START, **fields}
    return plan_titration(parse_request(TitrationRequest, data), label)


def taper(label: Label, dose_mg: float = 2, times_per_day: int = 3, **fields: Any) -> Plan:
    data = {"dose_mg": dose_mg, "times_per_day": times_per_day, "start": START, **fields}
    return plan_taper(parse_request(TaperRequest, data), label)


def attention(plan: Plan, label: Label) -> list[Finding]:
    """The warning and critical findings of the plan's case (there should be none)."""
    return [f for f in check(plan.to_case(), label).findings if f.severity is not Severity.INFO]


def tablet_total(plan: Plan) -> list[float]:
    """Per step: the daily dose added up from the tablets themselves (halves counted as halves)."""
    return [
        round(sum(t.strength_mg * t.count for dose in step.administrations for t in dose.tablets), 6)
        for step in plan.steps
    ]

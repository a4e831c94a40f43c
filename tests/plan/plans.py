"""Building plan requests for tests: every field at the CLI's default unless given."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clonaguard.check import check
from clonaguard.labels.schema import Label
from clonaguard.model import Finding, Severity
from clonaguard.plan import Plan, TaperRequest, TitrationRequest, parse_request, plan_taper, plan_titration
from clonaguard.plan.models import TabletCount
from clonaguard.units import Mass

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


def tablets_mass(tablets: Iterable[TabletCount]) -> Mass:
    """What the tablets add up to, exactly (halves counted as halves)."""
    halves = sum((Mass.of(tablet.strength_mg) * tablet.halves for tablet in tablets), Mass(0))
    whole = halves.share(2)
    assert whole is not None, "half of a tablet is always a whole number of nanograms"
    return whole


def assert_in_real_tablets(plan: Plan) -> None:
    """Every dose is exactly its tablets, and every step's daily dose exactly its doses: no rounding."""
    for step in plan.steps:
        for dose in step.administrations:
            assert tablets_mass(dose.tablets) == Mass.of(dose.dose_mg), (step.number, dose)
            assert Mass.of(dose.dose_mg).mg == dose.dose_mg, "a dose is the float its nanograms give"
        doses = sum((Mass.of(dose.dose_mg) for dose in step.administrations), Mass(0))
        assert doses == Mass.of(step.daily_mg), step.number
        assert Mass.of(step.daily_mg).mg == step.daily_mg

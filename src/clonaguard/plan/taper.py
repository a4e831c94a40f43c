"""A gradual stop in real tablets: lower by at most the step every interval, hold the final step, then stop.

The step, interval and final step come from the label's taper policy (the leaflet says not to stop abruptly but
gives no schedule). A step never lowers the dose by more than `step`, so a current dose real tablets cannot give
comes down to the nearest dose they can give within one step.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.model import Order, Patient, Taper
from clonaguard.plan.models import Plan, PlanStep, TaperRequest
from clonaguard.plan.steps import WEIGHT_NOTE, Limits, build_step, resolve_step, resolve_times
from clonaguard.plan.tablets import tablet_set
from clonaguard.regimens import describe, format_mg
from clonaguard.units import Mass


def _interval(label: Label, requested: int | None) -> int:
    policy = label.taper_policy
    if requested is None:
        return policy.interval_days
    if requested < policy.interval_days:
        raise InvalidInputError(
            f"interval_days: {requested} days is outside the accepted range; accepted: at least "
            f"{policy.interval_days} days between steps (project policy for a taper)"
        )
    return requested


def plan_taper(request: TaperRequest, label: Label) -> Plan:
    """Lower the current daily dose by `step` every `interval` days down to the final step, hold it, then stop."""
    policy = label.taper_policy
    _within_maximum(request, label)
    tablets = tablet_set(label, request.form)
    has_odt = bool(label.identity.products.odt_mg)
    fallback = tablet_set(label, "odt") if request.form == "tablet" and has_odt else None
    times, min_times = resolve_times(label, request.times, request.times_per_day)
    notes: list[str] = []
    step_units = resolve_step(tablets, request.step_mg, policy.step_daily_mg, policy.step_daily_mg, notes, "taper")
    interval = _interval(label, request.interval_days)
    limits = Limits(tablets, times, min_times, fallback)
    steps, stop = _reductions(limits, request, step_units, interval, Mass.of(policy.final_daily_mg), notes)
    if not steps:
        notes.append(
            f"{format_mg(request.daily_mg)} mg a day is already at or below the taper's final step "
            f"({format_mg(policy.final_daily_mg)} mg a day): the course can stop on {request.start}."
        )
    if request.age_years is None:
        notes.append("No age given: the plan is checked as an adult's.")
    if request.weight_kg is not None:
        notes.append(WEIGHT_NOTE)
    age = request.age_years if request.age_years is not None else label.pediatric.adult_from_age_years
    current = Order(
        start=request.start - timedelta(days=interval),
        end=request.start - timedelta(days=1),
        dose_mg=request.dose_mg,
        times_per_day=request.times_per_day,
    )
    return Plan(
        kind="taper",
        patient=Patient(age_years=age, weight_kg=request.weight_kg),
        setting=request.setting,
        acute=request.acute,
        form=request.form,
        steps=steps,
        instructions=label.administration.instructions,
        instructions_source=label.administration.instructions_source,
        notes=tuple(notes),
        current=current,
        stop=stop,
        taper=Taper(step_daily_mg=tablets.mass_of(step_units).mg, interval_days=interval),
        age_given=request.age_years is not None,
    )


def _within_maximum(request: TaperRequest, label: Label) -> None:
    maximum = label.adult_dosing.overdose_above.daily_mg
    if request.daily_mg > maximum:
        raise InvalidInputError(
            f"dose_mg: the current regimen, {describe(request.dose_mg, request.times_per_day)} "
            f"({format_mg(request.daily_mg)} mg a day), is above the leaflet's maximum; accepted: up to "
            f"{format_mg(maximum)} mg a day"
        )


def _reductions(
    limits: Limits, request: TaperRequest, step_units: int, interval: int, final: Mass, notes: list[str]
) -> tuple[tuple[PlanStep, ...], date]:
    """The decreasing steps, one every `interval` days, down to the final step; and the day of the stop."""
    tablets = limits.tablets
    quantum, step = tablets.quantum, tablets.mass_of(step_units)
    steps: list[PlanStep] = []
    level = Mass.of(request.daily_mg)
    day = request.start
    while level > final:
        # The lowest daily dose at most one step below the current one that real tablets give in enough doses.
        lowest = max(math.ceil((level - step).count_of(quantum)), 1)
        highest = math.ceil(level.count_of(quantum)) - 1
        end = day + timedelta(days=interval - 1)
        made = None
        for units in range(lowest, highest + 1):
            made = build_step(limits, len(steps) + 1, "decrease", day, end, units, notes)
            if made is not None:
                break
        if made is None:
            raise InvalidInputError(
                f"form: no combination of {tablets.describe()} lowers {format_mg(level.mg)} mg a day by at most "
                f"{format_mg(step.mg)} mg in {limits.min_times} or more doses"
            )
        steps.append(made)
        level = Mass.of(made.daily_mg)
        day += timedelta(days=interval)
    return tuple(steps), day


__all__ = ["plan_taper"]

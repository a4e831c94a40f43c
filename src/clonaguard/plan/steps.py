"""What titration and taper share: the times of day, the step size in real tablets, and one step of a plan."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.plan.models import PlanStep, StepKind, TimedDose
from clonaguard.plan.tablets import TabletSet, day_times, split_daily
from clonaguard.regimens import format_mg
from clonaguard.units import Mass

WEIGHT_NOTE = "The leaflet gives no dose by body weight; the weight is recorded but does not change the plan."


@dataclass(frozen=True, slots=True)
class Limits:
    """How a plan's steps are given: the tablets, the times of day, the fewest doses a day, a fallback form."""

    tablets: TabletSet
    times: tuple[time, ...]
    min_times: int
    fallback: TabletSet | None


def resolve_times(label: Label, times: Sequence[time] | None, default_count: int) -> tuple[tuple[time, ...], int]:
    """The times of day (given, or spread over the day) and the fewest doses a day, both within the label's range."""
    allowed = label.administration.times_per_day
    low, high = math.ceil(allowed.min), math.floor(allowed.max)
    if times is None:
        times = day_times(min(max(default_count, low), high))
    if not low <= len(times) <= high:
        raise InvalidInputError(
            f"times: {len(times)} times of day given; accepted: {low} to {high} times of day, HH:MM, earliest "
            f"first (the leaflet gives clonazepam {low}-{high} times per day)"
        )
    return tuple(times), low


def resolve_step(
    tablets: TabletSet, requested: float | None, default: float, maximum: float, notes: list[str], what: str
) -> int:
    """The step in quanta of the tablets: the label's default, never above its maximum, never zero."""
    step = default if requested is None else requested
    largest = Mass.of(maximum)
    if Mass.of(step) > largest:
        raise InvalidInputError(
            f"step_mg: {format_mg(step)} mg a day is outside the accepted range; accepted: above 0 and at most "
            f"{format_mg(maximum)} mg a day per step (project policy for a {what})"
        )
    units = tablets.whole_units(step)
    if units < 1:
        head = f"step_mg: no combination of {tablets.describe()} changes the daily dose by {format_mg(step)} mg"
        if tablets.quantum > largest:
            raise InvalidInputError(
                f"{head}; their smallest change, {format_mg(tablets.quantum_mg)} mg, is above the largest "
                f"{what} step of {format_mg(maximum)} mg a day: choose another form"
            )
        raise InvalidInputError(
            f"{head}; accepted: {format_mg(tablets.quantum_mg)} to {format_mg(maximum)} mg a day per step"
        )
    if tablets.mass_of(units) != Mass.of(step):
        notes.append(
            f"No combination of {tablets.describe()} changes the daily dose by {format_mg(step)} mg; each {what} "
            f"step is the nearest lower one, {format_mg(tablets.mass_of(units).mg)} mg a day."
        )
    return units


def build_step(
    limits: Limits, number: int, kind: StepKind, start: date, end: date, units: int, notes: list[str]
) -> PlanStep | None:
    """One step: the daily dose (in quanta of the plan's tablets) over the times of day in real tablets.

    When the plan's form cannot give it in enough doses a day, the fallback form is tried (and a note says
    so); None when neither can.
    """
    tablets = limits.tablets
    administrations: tuple[TimedDose, ...] | None = split_daily(tablets, units, limits.times, limits.min_times)
    daily = tablets.mass_of(units).mg
    if administrations is None and limits.fallback is not None:
        fallback = limits.fallback
        fallback_units = fallback.exact_units(tablets.mass_of(units))
        if fallback_units is not None:
            administrations = split_daily(fallback, fallback_units, limits.times, limits.min_times)
        if administrations is not None:
            used = sorted({tablet.strength_mg for dose in administrations for tablet in dose.tablets})
            strengths = ", ".join(f"{format_mg(strength)} mg" for strength in used)
            note = (
                f"{format_mg(daily)} mg a day cannot be given in {limits.min_times} or more doses with "
                f"{tablets.describe()}; that step uses {strengths} orally disintegrating tablets."
            )
            if note not in notes:
                notes.append(note)
    if administrations is None:
        return None
    return PlanStep(number, kind, start, end, daily, administrations)


def make_step(
    limits: Limits, number: int, kind: StepKind, start: date, end: date, units: int, notes: list[str]
) -> PlanStep:
    """`build_step`, or an error naming the form when real tablets cannot give the step."""
    step = build_step(limits, number, kind, start, end, units, notes)
    if step is None:
        raise InvalidInputError(
            f"form: no combination of {limits.tablets.describe()} gives "
            f"{format_mg(limits.tablets.mass_of(units).mg)} mg a day in {limits.min_times} or more doses"
        )
    return step

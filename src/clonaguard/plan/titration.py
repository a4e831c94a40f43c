"""A new course in real tablets: the starting dose, a raise every interval, then maintenance to the course limit.

Every number comes from the label: the adult start dose, the children's age bands, the titration interval,
the step policy, the setting's ceiling (standard range, hospital-only dose, acute maximum) and the course limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import AgeBand, Label, Range
from clonaguard.model import Patient
from clonaguard.plan.models import Plan, PlanStep, StepKind, TitrationRequest
from clonaguard.plan.steps import WEIGHT_NOTE, Limits, make_step, resolve_step, resolve_times
from clonaguard.plan.tablets import TabletSet, tablet_set
from clonaguard.regimens import describe, format_mg
from clonaguard.rules.timeline import add_months
from clonaguard.units import Mass


def setting_ceiling_mg(label: Label, setting: str, acute: bool) -> tuple[float, str]:
    """The highest adult daily dose the setting allows without a warning, and why in words."""
    dosing = label.adult_dosing
    if acute and setting == "inpatient":
        return dosing.acute_maximum.daily_mg, "the maximum for an acute condition in hospital"
    if acute:
        return dosing.hospital_only_above.daily_mg, "the most the leaflet allows outside hospital"
    return dosing.standard.daily_mg.max, "the top of the standard range when the condition is not acute"


def _ceiling_note(label: Label, requested: float, ceiling: float, why: str, request: TitrationRequest) -> str:
    dosing = label.adult_dosing
    text = (
        f"The target of {format_mg(requested)} mg a day is above {format_mg(ceiling)} mg a day, {why}; "
        f"the plan stops at {format_mg(ceiling)} mg a day."
    )
    if not request.acute:
        return text + (
            f" In an acute condition the leaflet allows up to {format_mg(dosing.hospital_only_above.daily_mg)} mg "
            f"a day, and up to {format_mg(dosing.acute_maximum.daily_mg)} mg a day in hospital."
        )
    if request.setting == "outpatient":
        return text + f" Up to {format_mg(dosing.acute_maximum.daily_mg)} mg a day only in hospital."
    return text


@dataclass(frozen=True, slots=True)
class _Bounds:
    """Where a titration may start and go for this patient: in tablet units, with words for errors and notes."""

    start_units: int
    ceiling_mg: float
    why: str
    accepted: str
    step_policy: Range
    in_band: bool


def plan_titration(request: TitrationRequest, label: Label) -> Plan:
    """Raise from the start dose by `step` every `interval` days up to the target, then hold it (maintenance)."""
    tablets = tablet_set(label, request.form)
    times, min_times = resolve_times(label, request.times, label.adult_dosing.standard.divided_into)
    notes: list[str] = []
    band = label.band_for_age(request.age_years)
    bounds = (
        _adult_bounds(label, request, tablets, min_times, notes)
        if band is None
        else _child_bounds(label, tablets, band, min_times)
    )
    target_units = _target_units(label, request, tablets, bounds, notes)
    step_units = resolve_step(
        tablets, request.step_mg, bounds.step_policy.min, bounds.step_policy.max, notes, "titration"
    )
    interval = _interval(label, request.interval_days)

    limit = add_months(request.start, label.recommendations.course_limit.max_months)
    raises = math.ceil((target_units - bounds.start_units) / step_units)
    maintenance_start = request.start + timedelta(days=raises * interval)
    if maintenance_start > limit:
        raise InvalidInputError(
            _too_slow(
                label, request, tablets, (bounds.start_units, target_units), interval, bounds.step_policy.max, limit
            )
        )
    end = request.end or limit
    if not maintenance_start <= end <= limit:
        raise InvalidInputError(
            f"end: {end} is outside the accepted range; accepted: {maintenance_start} (the first day of "
            f"maintenance) to {limit} (the {label.recommendations.course_limit.max_months}-month course limit)"
        )
    limits = Limits(tablets, times, min_times, None)
    steps = _steps(limits, request.start, end, (bounds.start_units, target_units, step_units), interval, notes)
    if request.weight_kg is not None:
        notes.append(WEIGHT_NOTE)
    return Plan(
        kind="titration",
        patient=Patient(age_years=request.age_years, weight_kg=request.weight_kg),
        setting=request.setting,
        acute=request.acute,
        form=request.form,
        steps=steps,
        instructions=label.administration.instructions,
        instructions_source=label.administration.instructions_source,
        notes=tuple(notes),
        course_limit=limit,
    )


def _adult_bounds(
    label: Label, request: TitrationRequest, tablets: TabletSet, min_times: int, notes: list[str]
) -> _Bounds:
    """An adult starts at the minimal dose (or the nearest lower one the tablets give), up to the setting's ceiling."""
    start = label.adult_dosing.start
    start_units = tablets.whole_units(start.daily_mg)
    if start_units < min_times:
        raise InvalidInputError(
            f"form: no combination of {tablets.describe()} gives the minimal dose, "
            f"{describe(start.dose_mg, start.times_per_day)}, or a lower one in {min_times} or more doses"
        )
    start_mg = tablets.mass_of(start_units).mg
    if tablets.mass_of(start_units) != Mass.of(start.daily_mg):
        notes.append(
            f"No combination of {tablets.describe()} gives the minimal dose of {format_mg(start.daily_mg)} mg "
            f"a day; the plan starts at the nearest lower dose, {format_mg(start_mg)} mg a day."
        )
    ceiling, why = setting_ceiling_mg(label, request.setting, request.acute)
    accepted = (
        f"{format_mg(start_mg)} to {format_mg(label.adult_dosing.acute_maximum.daily_mg)} mg a day for an adult "
        f"(from the minimal dose, {describe(start.dose_mg, start.times_per_day)}, to the leaflet's maximum)"
    )
    return _Bounds(start_units, ceiling, why, accepted, label.titration_policy.step_daily_mg, in_band=False)


def _child_bounds(label: Label, tablets: TabletSet, band: AgeBand, min_times: int) -> _Bounds:
    """A child starts at the lowest dose of the age band the tablets give, up to the band's top."""
    start_units = max(tablets.whole_units(band.daily_mg.min, up=True), min_times)
    start_mg = tablets.mass_of(start_units).mg
    if start_mg > band.daily_mg.max:
        raise InvalidInputError(
            f"form: no combination of {tablets.describe()} gives a daily dose in the band of "
            f"{_range(band.daily_mg)} mg a day in {min_times} or more doses"
        )
    accepted = (
        f"{format_mg(start_mg)} to {format_mg(band.daily_mg.max)} mg a day "
        f"for {band.description} (the leaflet's band is {_range(band.daily_mg)} mg a day)"
    )
    why = f"the top of the band for {band.description}"
    return _Bounds(
        start_units, band.daily_mg.max, why, accepted, label.titration_policy.pediatric_step_daily_mg, in_band=True
    )


def _target_units(
    label: Label, request: TitrationRequest, tablets: TabletSet, bounds: _Bounds, notes: list[str]
) -> int:
    """The requested target in tablet units: refused outside the accepted range, lowered to the setting's ceiling."""
    target = request.target_mg
    too_high = target > label.adult_dosing.acute_maximum.daily_mg or (bounds.in_band and target > bounds.ceiling_mg)
    if too_high or Mass.of(target) < tablets.mass_of(bounds.start_units):
        raise InvalidInputError(
            f"target_mg: {format_mg(target)} mg a day is outside the accepted range; accepted: {bounds.accepted}"
        )
    if target > bounds.ceiling_mg:
        notes.append(_ceiling_note(label, target, bounds.ceiling_mg, bounds.why, request))
        target = bounds.ceiling_mg
    target_units = tablets.whole_units(target)
    if tablets.mass_of(target_units) != Mass.of(target):
        notes.append(
            f"No combination of {tablets.describe()} gives {format_mg(target)} mg a day; the plan's target is the "
            f"nearest lower dose, {format_mg(tablets.mass_of(target_units).mg)} mg a day."
        )
    return target_units


def _steps(
    limits: Limits, first: date, end: date, units: tuple[int, int, int], interval: int, notes: list[str]
) -> tuple[PlanStep, ...]:
    """The start, one raise every `interval` days (the last one capped at the target), then maintenance to `end`."""
    start_units, target_units, step_units = units
    raises = math.ceil((target_units - start_units) / step_units)
    steps: list[PlanStep] = []
    current, day = start_units, first
    for number in range(raises + 1):
        kind: StepKind = "maintenance" if number == raises else ("start" if number == 0 else "increase")
        last = end if number == raises else day + timedelta(days=interval - 1)
        steps.append(make_step(limits, number + 1, kind, day, last, current, notes))
        current = min(current + step_units, target_units)
        day += timedelta(days=interval)
    return tuple(steps)


def _range(value: Range) -> str:
    return f"{format_mg(value.min)}–{format_mg(value.max)}"


def _interval(label: Label, requested: int | None) -> int:
    """The label's titration interval (3-5 days): its shortest when not given."""
    allowed = label.adult_dosing.titration.interval_days
    if requested is None:
        return math.ceil(allowed.min)
    if requested not in allowed:
        raise InvalidInputError(
            f"interval_days: {requested} days is outside the accepted range; accepted: "
            f"{format_mg(allowed.min)} to {format_mg(allowed.max)} days (the leaflet raises the dose every "
            f"{_range(allowed)} days)"
        )
    return requested


def _too_slow(
    label: Label,
    request: TitrationRequest,
    tablets: TabletSet,
    units: tuple[int, int],
    interval: int,
    max_step_mg: float,
    limit: date,
) -> str:
    """Why the target cannot be reached within the course limit, and the smallest step that would."""
    start_units, target_units = units
    months = label.recommendations.course_limit.max_months
    target = format_mg(tablets.mass_of(target_units).mg)
    head = f"step_mg: at this pace {target} mg a day is reached after the {months}-month course limit ({limit})"
    raises_possible = (limit - request.start).days // interval
    needed = math.ceil((target_units - start_units) / raises_possible)
    needed_mg = tablets.mass_of(needed).mg
    if tablets.mass_of(needed) > Mass.of(max_step_mg):
        return (
            f"{head}; no step up to {format_mg(max_step_mg)} mg a day every {interval} days reaches it: "
            "choose a lower target"
        )
    return f"{head}; accepted: at least {format_mg(needed_mg)} mg a day every {interval} days"


__all__ = ["plan_titration", "setting_ceiling_mg"]

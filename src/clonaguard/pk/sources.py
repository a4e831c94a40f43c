"""What a sig, a plan or a case gives as doses: the inputs of `clonaguard simulate`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Order
from clonaguard.pk.dosing import Dose, Dosing, daily, every, from_clock
from clonaguard.plan.tablets import day_times

# The sig's first day: any date serves, since only hours after the first dose are reported.
SIG_START = date(2001, 1, 1)
MAX_PER_DAY = 24


def _regimen(order: Order | Any) -> tuple[tuple[time, ...], tuple[float, ...]]:
    times = day_times(order.times_per_day)
    return times, (float(order.dose_mg),) * len(times)


def from_sig(text: str, span_days: float) -> Dosing:
    """A sig read with certainty (the sig reader's `sig_orders`), or InvalidInputError saying why not."""
    from clonaguard.sig import parse_sig, sig_orders

    try:
        parsed = parse_sig(text)
        steps = parsed.dosing_steps()
        if any(step.as_needed for step in steps):
            raise InvalidInputError("sig: taken as needed; a level can only be predicted from doses at known times")
        orders, stop = sig_orders(parsed, SIG_START)
        if any(order.times_per_day > MAX_PER_DAY for order in orders):
            raise InvalidInputError(f"sig: more than {MAX_PER_DAY} doses a day; accepted: up to {MAX_PER_DAY}")
    except InvalidInputError as exc:
        message = str(exc)
        if not message.startswith("sig:"):
            message = f"sig: {text!r} does not read with certainty ({message})"
        raise InvalidInputError(message) from exc
    first_time = day_times(max(orders[0].times_per_day, 2))[0]
    horizon = datetime.combine(SIG_START, first_time) + timedelta(days=span_days + 1)
    doses: list[Dose] = []
    for index, (order, step) in enumerate(zip(orders, steps, strict=True)):
        start = datetime.combine(order.start, time(0))
        end = datetime.combine(orders[index + 1].start, time(0)) if index + 1 < len(orders) else None
        if end is None:
            end = datetime.combine(stop, time(0)) if stop is not None else _step_end(step, order.start, horizon)
        timing = step.timing
        if timing is not None and timing.period_unit == "h" and timing.period:
            interval = timing.period / (timing.frequency or 1)
            doses.extend(
                every(
                    start.replace(hour=first_time.hour, minute=first_time.minute), end, interval, float(order.dose_mg)
                )
            )
        else:
            times, mg = _regimen(order)
            doses.extend(daily(order.start, (end - timedelta(days=1)).date(), times, mg))
    return from_clock(doses)


def _step_end(step: Any, start: date, horizon: datetime) -> datetime:
    """The last step ends after its duration in days or weeks; without a duration it runs to the horizon."""
    duration = step.duration
    if duration is None:
        return horizon
    days = {"d": 1, "wk": 7}.get(duration.unit)
    if days is None:
        raise InvalidInputError(
            f"sig: a duration in {duration.unit!r} cannot be placed in hours; give it in days or weeks"
        )
    return datetime.combine(start + timedelta(days=int(duration.value * days)), time(0))


class _Administration(BaseModel):
    model_config = ConfigDict(extra="ignore")
    time: time
    dose_mg: float = Field(gt=0, le=1000)


class _Step(BaseModel):
    model_config = ConfigDict(extra="ignore")
    start: date
    end: date
    administrations: list[_Administration] = Field(min_length=1)


class _Current(BaseModel):
    model_config = ConfigDict(extra="ignore")
    dose_mg: float = Field(gt=0, le=1000)
    times_per_day: int = Field(ge=1, le=24)


class PlanDoses(BaseModel):
    """The parts of the planner's JSON (`clonaguard plan ... --json`) that give doses."""

    model_config = ConfigDict(extra="ignore")
    kind: str
    current: _Current | None = None
    steps: list[_Step] = Field(min_length=1, max_length=400)


def from_plan(data: Any) -> Dosing:
    """A titration from no clonazepam; a taper from its current regimen at steady state."""
    from clonaguard.validation import describe_errors

    try:
        plan = PlanDoses.model_validate(data)
    except ValidationError as exc:
        lines = describe_errors(exc, PlanDoses).splitlines()
        raise InvalidInputError("\n".join(f"plan.{line}" for line in lines)) from exc
    doses: list[Dose] = []
    for step in plan.steps:
        times = tuple(administration.time for administration in step.administrations)
        doses.extend(daily(step.start, step.end, times, [a.dose_mg for a in step.administrations]))
    running: list[tuple[time, float]] = []
    if plan.kind == "taper" and plan.current is not None:
        running = list(zip(*_regimen(plan.current), strict=True))
    return from_clock(doses, running)


@dataclass(frozen=True, slots=True)
class CaseCourses:
    """A case's history as given (stopping abruptly when it has a stop) and, with a stop, the planner's taper."""

    history: Dosing
    taper: Dosing | None
    stop: date | None
    taper_stop: date | None


def _history_doses(case: Case, until: date) -> list[Dose]:
    doses: list[Dose] = []
    for index, order in enumerate(case.orders):
        start = order.start or case.today
        following = case.orders[index + 1].start if index + 1 < len(case.orders) else None
        last = min(
            day
            for day in (
                following - timedelta(days=1) if following else None,
                order.end,
                until - timedelta(days=1),
            )
            if day is not None
        )
        if last >= start:
            doses.extend(daily(start, last, *_regimen(order)))
    return doses


def from_case(case: Case, label: Label, span_days: float | None) -> CaseCourses:
    """The history until its stop (or for the span), and the planner's taper from the stop date instead."""
    from clonaguard.plan import TaperRequest, plan_taper

    first = case.orders[0].start or case.today
    running = list(zip(*_regimen(case.orders[0]), strict=True)) if case.continuing else []
    horizon = case.stop or first + timedelta(days=int(span_days or 28))
    history_doses = _history_doses(case, horizon)
    if not history_doses:
        raise InvalidInputError("case.orders: no dose is given before the stop")
    history = from_clock(history_doses, running)
    if case.stop is None:
        return CaseCourses(history, None, None, None)
    last = case.orders[-1]
    request = TaperRequest(
        start=case.stop,
        dose_mg=last.dose_mg,
        times_per_day=last.times_per_day,
        age_years=case.patient.age_years,
        weight_kg=case.patient.weight_kg,
        setting=case.setting,
        acute=case.acute,
    )
    plan = plan_taper(request, label)
    taper_doses = list(history_doses)
    for step in plan.steps:
        times = tuple(administration.time for administration in step.administrations)
        taper_doses.extend(daily(step.start, step.end, times, [a.dose_mg for a in step.administrations]))
    return CaseCourses(history, from_clock(taper_doses, running), case.stop, plan.stop)


__all__ = ["SIG_START", "CaseCourses", "PlanDoses", "from_case", "from_plan", "from_sig"]

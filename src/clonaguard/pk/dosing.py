"""Dosing records for the engine from what clonaguard knows: a list of actual doses, a sig, a plan, a case.

Time 0 is the first dose. Doses taken "n times a day" are given at the planner's default times of day
(`clonaguard.plan.tablets.day_times`: once a day 20:00; otherwise evenly from 08:00 to 20:00, so tid is
08:00, 14:00, 20:00); an interval sig ("q8h") doses every interval from time 0. A regimen already running
before time 0 (a taper's current regimen, a continuing case) starts at steady state: its doses of the day
before carry `ss` records with a 24-hour interval, so the level at time 0 is the limit of repeated dosing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from clonaguard.errors import InvalidInputError
from clonaguard.pk.events import DEPOT, Event

Dose = tuple[datetime, float]
DAY_H = 24.0
# The longest course written out as doses: two years (a request simulates at most one year after it starts).
MAX_COURSE_DAYS = 731


@dataclass(frozen=True, slots=True)
class Dosing:
    """Engine records, and where the reported time 0 (the first dose) lies on the records' clock."""

    events: tuple[Event, ...]
    origin_h: float
    doses_h: tuple[float, ...]
    last_dose_h: float
    first_dose: datetime | None = None

    def internal(self, hours: float) -> float:
        return hours + self.origin_h


def from_doses(doses: Sequence[tuple[float, float]], field: str = "doses") -> Dosing:
    """Actual doses as (hours after the first dose, mg), missed ones left out and extra ones in: a diary."""
    if not doses:
        raise InvalidInputError(f"{field}: no dose given; accepted: at least one (time_h, dose_mg)")
    events = []
    for index, (hours, mg) in enumerate(doses):
        if not hours >= 0:
            raise InvalidInputError(f"{field}[{index}].time_h: {hours:g} is before time 0; accepted: 0 or later")
        if not mg > 0:
            raise InvalidInputError(f"{field}[{index}].dose_mg: a dose of {mg:g} mg; accepted: above 0")
        events.append(Event(time=float(hours), amt=float(mg), cmt=DEPOT))
    times = tuple(sorted(event.time for event in events))
    return Dosing(tuple(events), 0.0, times, times[-1])


def from_clock(doses: Sequence[Dose], running: Sequence[tuple[time, float]] = ()) -> Dosing:
    """Doses at clock times; `running` is the daily regimen in force before the first dose, at steady state."""
    doses = sorted(doses)
    if not doses:
        raise InvalidInputError("doses: the regimen gives no dose in the simulated span")
    first = doses[0][0]
    base = first
    events: list[Event] = []
    if running:
        day_before = first.date() - timedelta(days=1)
        base = datetime.combine(day_before, running[0][0])
        for index, (clock, mg) in enumerate(running):
            at = (datetime.combine(day_before, clock) - base).total_seconds() / 3600
            events.append(Event(time=at, amt=mg, cmt=DEPOT, ii=DAY_H, ss=1 if index == 0 else 2))
    origin = (first - base).total_seconds() / 3600
    for moment, mg in doses:
        events.append(Event(time=(moment - base).total_seconds() / 3600, amt=mg, cmt=DEPOT))
    reported = tuple((moment - first).total_seconds() / 3600 for moment, _ in doses)
    return Dosing(tuple(events), origin, reported, reported[-1], first)


def daily(start: date, end: date, times: Sequence[time], doses_mg: Sequence[float]) -> list[Dose]:
    """The same doses at the same times every day from `start` to `end` (both included)."""
    if (end - start).days > MAX_COURSE_DAYS:
        raise InvalidInputError(
            f"doses: a course from {start} to {end} is longer than {MAX_COURSE_DAYS} days; accepted: up to "
            f"{MAX_COURSE_DAYS} days"
        )
    result: list[Dose] = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        result.extend((datetime.combine(day, clock), mg) for clock, mg in zip(times, doses_mg, strict=True))
    return result


def every(start: datetime, until: datetime, interval_h: float, mg: float) -> list[Dose]:
    """A dose every `interval_h` hours from `start`, before `until`."""
    if (until - start).days > MAX_COURSE_DAYS:
        raise InvalidInputError(
            f"doses: a course longer than {MAX_COURSE_DAYS} days; accepted: up to {MAX_COURSE_DAYS}"
        )
    result: list[Dose] = []
    moment, step = start, timedelta(hours=interval_h)
    while moment < until:
        result.append((moment, mg))
        moment += step
    return result


__all__ = ["DAY_H", "MAX_COURSE_DAYS", "Dose", "Dosing", "daily", "every", "from_clock", "from_doses"]

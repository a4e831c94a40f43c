"""A case's orders as a course over time: dated daily doses, dose changes, the taper in force.

The course rules and the dose rules read a history the same way, so the reading lives here once:
- an order applies from its `start` (the case's `today` when a single order has none) until the next
  order starts; of several orders starting on the same day, the last one applies;
- the course starts with the first order (or earlier, when the case says it is `continuing`) and ends on
  `stop` (the first day without clonazepam), else on the last order's `end`, else it runs on to `today`;
- a dose change is a step whose daily dose differs from the step before it.

Daily doses are exact amounts (`CourseStep.daily_ng`, whole nanograms), so no comparison here needs a
tolerance, and a difference or a sum of doses is integer arithmetic (or `Mass`, for the words of a finding).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

from clonaguard.labels.schema import Label
from clonaguard.model import Case, CourseStep
from clonaguard.rules.tables import TaperLimits, tables_for
from clonaguard.units import Mass


def add_months(day: date, months: int) -> date:
    """Calendar months: 2026-01-31 + 1 month is 2026-02-28 (the day is clipped to the month's length).

    Past the calendar's last day (9999-12-31) the result is that day, so a rule never fails on a date.
    """
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def day_text(day: date) -> str:
    """A date as a finding writes it (ISO, as `str` gives it), kept: formatting a date costs more than a finding."""
    return day.isoformat()


def add_days(day: date, days: int) -> date:
    """`day` plus `days`, stopping at the calendar's last day rather than failing."""
    return day + timedelta(days=days) if (date.max - day).days >= days else date.max


def is_raise(before: CourseStep, after: CourseStep) -> bool:
    return after.daily_ng > before.daily_ng


def is_reduction(before: CourseStep, after: CourseStep) -> bool:
    return after.daily_ng < before.daily_ng


def last_change(course: list[CourseStep], position: int) -> date:
    """When the dose in force at `course[position]` began: its last change, or the course start."""
    while position > 0 and course[position].daily_ng == course[position - 1].daily_ng:
        position -= 1
    return course[position].start


def checked_order_reduces_dose(case: Case) -> bool:
    """The checked order lowers the daily dose from the order in force before it (as in a taper)."""
    course = case.steps
    return len(course) > 1 and course[-1].order_index == len(case.orders) - 1 and is_reduction(course[-2], course[-1])


def taper_start(case: Case, course: list[CourseStep], max_hold_days: int) -> date | None:
    """When a course that stops began coming down, else None (no stop).

    That is the start of its last unbroken run of reductions in which each reduced dose is held at most
    `max_hold_days` (until the next change, or the stop); a longer hold is a pause, not a taper. With no
    such run it is the stop itself.
    """
    if case.stop is None:
        return None
    position, held_until = len(course) - 1, case.stop
    while (
        position > 0
        and is_reduction(course[position - 1], course[position])
        and (held_until - course[position].start).days <= max_hold_days
    ):
        held_until = course[position].start
        position -= 1
    return course[position + 1].start if position < len(course) - 1 else case.stop


def course_end(stop: date | None, last_end: date | None, today: date, last_start: date) -> tuple[date, str]:
    """The last date a course reaches, and how it is known: "stop", "end" (of the last order) or "today".

    From the case's `stop` and `today`, the last order's `end`, and the start of the course's last step.
    """
    if stop is not None:
        return stop, "stop"
    if last_end is not None:
        return last_end, "end"
    return (today if today >= last_start else last_start), "today"  # the later of the two (max() costs more)


def taper_limits(label: Label, case: Case) -> TaperLimits:
    """The label's taper policy, tightened by the case's own taper where that is stricter.

    A case may ask for smaller or slower steps (a clinic's own policy, or the plan it was made from),
    never larger or sooner ones: loosening the policy takes a label profile of its own.
    """
    label_taper = tables_for(label).taper
    if case.taper is None:
        return label_taper
    step = min(Mass.of_mg(case.taper.step_daily_mg), label_taper.step)
    return TaperLimits(step, max(case.taper.interval_days, label_taper.interval_days), label_taper.final, True)

"""Rules on the whole course: how fast the dose rises, how long it lasts, how it comes down and stops.

Each rule reads the case's `orders` history (see `rules.timeline` for how dates are read), its `stop`
and `today`, and every number from the label. A course draws none of these findings when all of this
holds (numbers shown are those of the shipped leaflet profile):

1. TITRATION_TOO_FAST: every raise of the daily dose starts at least
   `adult_dosing.titration.interval_days.min` (3) days after the previous change of the daily dose,
   or after the first order's start.
2. TITRATION_STEP_TOO_LARGE: every raise of the daily dose is at most `titration_policy.step_daily_mg.max`
   (1 mg) for an adult, `titration_policy.pediatric_step_daily_mg.max` (0.5 mg) for a child.
3. DURATION_EXCEEDED: the course's counted end is on or before its first order's start plus
   `recommendations.course_limit.max_months` (3) calendar months (2026-01-31 + 1 month = 2026-02-28).
   The counted end is `stop`, else the last order's `end` (a sig's own duration), else the later of
   `today` and the last order's start. An `end` is not a `stop`: it draws no stop finding. Tapering time
   is not counted while the taper proceeds: when the case has a `stop`, the count ends where its last
   unbroken run of reductions begins, each reduced dose held at most `taper_policy.proceeds.max_hold_days`
   (28) days; a dose held longer is a pause, and the time before it counts.
4. TOLERANCE_DOSE_INCREASE: when `patient.reduced_efficacy_reported`, an adult's checked order does
   not raise the daily dose from one within `adult_dosing.standard.daily_mg` (4-8 mg).
5. ABRUPT_DISCONTINUATION: with a `stop`, the last order's daily dose is at most
   `taper_policy.final_daily_mg` (0.25 mg). A zero dose is not an order: a course ends with `stop`.
6. TAPER_STEP_TOO_LARGE: every reduction of the daily dose is at most the taper step and starts at
   least the taper interval after the previous change of the daily dose (or the first order's start);
   the `stop`, when the last dose is within the final step, also comes at least the interval after the
   last change. The taper step and interval are the case's `taper` when given, else the label's
   `taper_policy` (0.25 mg a day every 3 days). A warning in a course that stops; info in one that does
   not, since the leaflet allows lowering the dose for a while to ease side effects.

So a compliant taper of a running course (`continuing: true`, so no START_DOSE_ABOVE_MINIMUM for its
first order) holds each daily dose for at least the interval, lowers it by at most the step, ends on a
daily dose of at most the final step, holds that for at least the interval, then stops. Dates: `stop`
is the first day without clonazepam; an order's `end` may be its last day (the next order may start the
day after, or earlier; a later start is a gap and the case is refused). A checked order that lowers the
daily dose draws no DOSE_BELOW_MINIMUM or PEDIATRIC_DOSE_BELOW_RANGE: a taper goes below them.
"""

from __future__ import annotations

import math
from datetime import date

from clonaguard.labels.schema import Label
from clonaguard.model import Case, CourseStep, Finding
from clonaguard.regimens import format_mg
from clonaguard.rules.dose import is_adult
from clonaguard.rules.severities import CRITICAL, INFO, WARNING
from clonaguard.rules.tables import RuleTables, TaperLimits, tables_for
from clonaguard.rules.timeline import (
    add_days,
    add_months,
    course_end,
    day_text,
    is_raise,
    is_reduction,
    last_change,
    taper_limits,
    taper_start,
)
from clonaguard.units import NG_PER_MG, Mass


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def titration_pace(label: Label, case: Case) -> list[Finding]:
    """A raise of the daily dose sooner than the leaflet's interval after the previous change."""
    if len(case.orders) < 2:  # one order: no raise to time
        return []
    tables = tables_for(label)
    course = case.steps
    shortest = tables.titration_interval_min
    findings = []
    for position in range(1, len(course)):
        before, after = course[position - 1], course[position]
        if not is_raise(before, after):
            continue
        since = last_change(course, position - 1)
        elapsed = (after.start - since).days
        if elapsed < shortest:
            findings.append(_too_fast(tables, before, after, since, elapsed))
    return findings


def _too_fast(tables: RuleTables, before: CourseStep, after: CourseStep, since: date, elapsed: int) -> Finding:
    earliest = add_days(since, math.ceil(tables.titration_interval_min))
    return Finding(
        "TITRATION_TOO_FAST",
        WARNING,
        f"The daily dose rises from {format_mg(before.daily_mg)} to {format_mg(after.daily_mg)} mg on "
        f"{day_text(after.start)}, {_days(elapsed)} after the last change; the leaflet raises it every "
        f"{tables.interval_text} days.",
        tables.titration_source,
        f"Raise it on {day_text(earliest)} at the earliest.",
        after.order_index,
    )


def titration_step(label: Label, case: Case) -> list[Finding]:
    """A raise of the daily dose larger than the titration policy's step: the leaflet raises it gradually."""
    if len(case.orders) < 2:  # one order: no raise to measure
        return []
    tables = tables_for(label)
    largest = (tables.titration_step if is_adult(label, case) else tables.pediatric_titration_step).ng
    course = case.steps
    findings = []
    for position in range(1, len(course)):
        before, after = course[position - 1], course[position]
        if after.daily_ng - before.daily_ng > largest:  # a raise, and too large (the step is never negative)
            findings.append(_step_too_large(tables, before, after, largest))
    return findings


def _step_too_large(tables: RuleTables, before: CourseStep, after: CourseStep, largest_ng: int) -> Finding:
    largest = format_mg(largest_ng / NG_PER_MG)
    return Finding(
        "TITRATION_STEP_TOO_LARGE",
        WARNING,
        f"The daily dose rises from {format_mg(before.daily_mg)} to {format_mg(after.daily_mg)} mg on "
        f"{day_text(after.start)}, {format_mg((after.daily_ng - before.daily_ng) / NG_PER_MG)} mg at once; "
        f"the titration policy raises it by at most {largest} mg.",
        tables.titration_policy_source,
        f"Raise it to {format_mg((before.daily_ng + largest_ng) / NG_PER_MG)} mg a day at most, then by at "
        f"most {largest} mg every {tables.interval_text} days.",
        after.order_index,
    )


def course_duration(label: Label, case: Case) -> list[Finding]:
    """A course that runs past the leaflet's limit in calendar months; the message says when it is reached."""
    fields = case.__dict__  # pydantic's own store of the fields: reading them as attributes costs a call each
    orders, today = fields["orders"], fields["today"]
    last = orders[-1].__dict__
    # the first and the last step's start (`Case.steps`), read from the orders: a short course needs no steps
    first, last_start = orders[0].start or today, last["start"] or today
    end, known_from = course_end(fields["stop"], last["end"], today, last_start)
    reach = end if end >= last_start else last_start  # the later of the two (max() costs more, on every check)
    if (reach - first).days <= tables_for(label).course_days_within:
        return []  # within the limit whatever the months' lengths: no calendar arithmetic needed
    course = case.steps
    limit = label.recommendations.course_limit
    limit_date = add_months(first, limit.max_months)
    tapering_from = taper_start(case, course, label.taper_policy.proceeds.max_hold_days)
    counted = tapering_from if tapering_from is not None else end
    if counted <= limit_date:
        return []
    if tapering_from is not None and tapering_from < end:
        until = f"its taper begins on {day_text(counted)}"
    elif known_from == "stop":
        until = f"it stops on {day_text(counted)}"
    elif known_from == "end":
        until = f"its last order ends on {day_text(counted)}"
    elif counted == case.today:
        until = f"it is still running on {day_text(counted)}"
    else:
        until = f"it is planned to run on {day_text(counted)}"
    started = f"on or before {day_text(first)}" if case.continuing else f"on {day_text(first)}"
    when = f"by {day_text(limit_date)}" if limit_date >= case.today else "now"
    return [
        Finding(
            "DURATION_EXCEEDED",
            WARNING,
            f"The course started {started} and {until}, past its {limit.max_months}-month limit, "
            f"reached on {day_text(limit_date)}.",
            limit.source,
            f"Begin a gradual stop {when}, then replace the medicine, as the leaflet advises.",
            len(case.orders) - 1,
        )
    ]


def tolerance_increase(label: Label, case: Case) -> list[Finding]:
    """Reduced efficacy reported and the checked order raises an adult's daily dose from a standard one."""
    if not (case.patient.reduced_efficacy_reported and is_adult(label, case)):
        return []
    course = case.steps
    checked = len(case.orders) - 1
    if len(course) < 2 or course[-1].order_index != checked:
        return []
    before, after = course[-2], course[-1]
    standard = label.adult_dosing.standard.daily_mg
    if not (is_raise(before, after) and before.daily_mg in standard):
        return []
    tolerance = label.recommendations.tolerance
    return [
        Finding(
            "TOLERANCE_DOSE_INCREASE",
            WARNING,
            f"Reduced efficacy was reported at {format_mg(before.daily_mg)} mg a day, a standard dose, and the "
            f"order raises it to {format_mg(after.daily_mg)} mg; the leaflet advises against this.",
            tolerance.source,
            f"Keep {format_mg(before.daily_mg)} mg a day and review the symptoms with the patient.",
            after.order_index,
        )
    ]


def _owner(limits: TaperLimits) -> str:
    return "this case's taper" if limits.from_case else "the taper policy"


def _policy_text(limits: TaperLimits) -> str:
    """The taper in words, to open a suggestion."""
    owner = _owner(limits)
    return (
        f"{owner[0].upper()}{owner[1:]} lowers the daily dose by at most {format_mg(limits.step.mg)} mg "
        f"every {_days(limits.interval_days)}"
    )


def abrupt_stop(label: Label, case: Case) -> list[Finding]:
    """The course stops from a daily dose above the taper's final step: always critical."""
    if case.stop is None:
        return []
    limits = taper_limits(label, case)
    last = case.steps[-1]
    if last.daily_ng <= limits.final.ng:
        return []
    above_final = Mass(last.daily_ng) - limits.final
    reductions = math.ceil(above_final.count_of(limits.step))
    shortest = (reductions + 1) * limits.interval_days
    no_abrupt_stop = label.recommendations.no_abrupt_stop
    return [
        Finding(
            "ABRUPT_DISCONTINUATION",
            CRITICAL,
            f"The course stops on {day_text(case.stop)} from {format_mg(last.daily_mg)} mg a day; "
            f"{no_abrupt_stop.reason}.",
            no_abrupt_stop.source,
            f"Lower the daily dose by at most {format_mg(limits.step.mg)} mg every "
            f"{_days(limits.interval_days)} to {format_mg(limits.final.mg)} mg a day, hold it "
            f"{_days(limits.interval_days)}, then stop: at least {shortest} days from "
            f"{format_mg(last.daily_mg)} mg a day.",
            last.order_index,
        )
    ]


def taper_pace(label: Label, case: Case) -> list[Finding]:
    """Reductions larger than the taper step or sooner than its interval, and a stop sooner than it."""
    if len(case.orders) < 2 and case.stop is None:  # one order and no stop: nothing is lowered
        return []
    limits = taper_limits(label, case)
    source = tables_for(label).taper_source
    severity = INFO if case.stop is None else WARNING  # lowering for a while is allowed
    course = case.steps
    findings = []
    for position in range(1, len(course)):
        before, after = course[position - 1], course[position]
        if not is_reduction(before, after):
            continue
        elapsed = (after.start - last_change(course, position - 1)).days
        too_large = before.daily_ng - after.daily_ng > limits.step.ng
        too_soon = elapsed < limits.interval_days
        if not (too_large or too_soon):
            continue
        when = day_text(after.start)
        if too_soon:
            when = f"{when}, {_days(elapsed)} after the last change"
        why = "larger and sooner" if too_large and too_soon else ("a larger step" if too_large else "sooner")
        findings.append(
            Finding(
                "TAPER_STEP_TOO_LARGE",
                severity,
                f"Daily dose lowered from {format_mg(before.daily_mg)} to {format_mg(after.daily_mg)} mg on {when}: "
                f"{why} than {_owner(limits)} allows.",
                source,
                _step_suggestion(before.daily_mg, after.start, last_change(course, position - 1), limits),
                after.order_index,
            )
        )
    if case.stop is not None:
        findings.extend(_stop_pace(case, course, limits, source))
    return findings


def _step_suggestion(daily_mg: float, planned: date, since: date, limits: TaperLimits) -> str:
    """The step the taper allows instead: from the same dose, no larger, and not before the interval is over."""
    lower = Mass.of_mg(daily_mg) - limits.step
    earliest = add_days(since, limits.interval_days)
    when = f"on {day_text(earliest)} at the earliest" if earliest > planned else f"on {day_text(planned)}"
    if lower.ng <= 0:  # no smaller dose within one step: the next change is the stop
        action = f"keep {format_mg(daily_mg)} mg a day until {day_text(earliest)} at the earliest"
    else:
        action = f"lower {format_mg(daily_mg)} mg a day to {format_mg(lower.mg)} mg a day {when}"
    return f"{_policy_text(limits)}: {action}."


def _stop_pace(case: Case, course: list[CourseStep], limits: TaperLimits, source: str) -> list[Finding]:
    """The stop is the taper's last step: held for the interval, like the others (its size is the abrupt rule's)."""
    if case.stop is None or course[-1].daily_ng > limits.final.ng:
        return []
    since = last_change(course, len(course) - 1)
    elapsed = (case.stop - since).days
    if elapsed >= limits.interval_days:
        return []
    return [
        Finding(
            "TAPER_STEP_TOO_LARGE",
            WARNING,
            f"The course stops on {day_text(case.stop)}, {_days(elapsed)} after the last change: sooner than "
            f"{_owner(limits)} allows.",
            source,
            f"{_policy_text(limits)}: stop on {day_text(add_days(since, limits.interval_days))} at the earliest.",
            course[-1].order_index,
        )
    ]

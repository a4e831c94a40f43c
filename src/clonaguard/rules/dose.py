"""Adult daily-dose bands and the starting dose of a new course."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Severity
from clonaguard.regimens import describe, format_mg, largest_dose_within
from clonaguard.rules.timeline import checked_order_reduces_dose, steps


def is_adult(label: Label, case: Case) -> bool:
    return case.patient.age_years >= label.pediatric.adult_from_age_years


def setting_ceiling_mg(label: Label, case: Case) -> float:
    """The highest adult daily dose that draws no warning in this case's setting."""
    dosing = label.adult_dosing
    if case.acute and case.setting == "inpatient":
        return dosing.acute_maximum.daily_mg
    if case.acute:
        return dosing.hospital_only_above.daily_mg
    return dosing.standard.daily_mg.max


def _within_ceiling(label: Label, case: Case) -> str | None:
    ceiling = setting_ceiling_mg(label, case)
    times = label.adult_dosing.standard.divided_into
    dose = largest_dose_within(label, ceiling, times)
    if dose is None:
        return None
    return f"At most {describe(dose, times)} ({format_mg(dose * times)} mg a day) in this setting."


def adult_daily_dose(label: Label, case: Case) -> list[Finding]:
    """At most one of: below the minimum, above the standard, hospital only, above the maximum."""
    if not is_adult(label, case):
        return []
    dosing = label.adult_dosing
    daily = case.checked_order.daily_dose_mg
    index = len(case.orders) - 1
    if daily < dosing.start.daily_mg and not checked_order_reduces_dose(case):  # a taper goes below it
        start = dosing.start
        return [
            Finding(
                "DOSE_BELOW_MINIMUM",
                Severity.INFO,
                f"Daily dose {format_mg(daily)} mg is below the leaflet's minimal dose of "
                f"{format_mg(start.daily_mg)} mg a day.",
                start.source,
                f"The minimal dose is {describe(start.dose_mg, start.times_per_day)}.",
                index,
            )
        ]
    if daily > dosing.overdose_above.daily_mg:
        return [
            Finding(
                "DOSE_ABOVE_MAXIMUM",
                Severity.CRITICAL,
                f"Daily dose {format_mg(daily)} mg is above {format_mg(dosing.overdose_above.daily_mg)} mg a day, "
                "which may cause an overdose.",
                dosing.overdose_above.source,
                _within_ceiling(label, case),
                index,
            )
        ]
    if daily > dosing.hospital_only_above.daily_mg:
        if case.setting == "outpatient":
            severity = Severity.CRITICAL
        else:
            severity = Severity.INFO if case.acute else Severity.WARNING
        return [
            Finding(
                "DOSE_REQUIRES_HOSPITAL",
                severity,
                f"Daily dose {format_mg(daily)} mg is above {format_mg(dosing.hospital_only_above.daily_mg)} mg a day, "
                "which the leaflet allows only in hospital.",
                dosing.hospital_only_above.source,
                _within_ceiling(label, case),
                index,
            )
        ]
    standard = dosing.standard.daily_mg
    if daily > standard.max:
        return [
            Finding(
                "DOSE_ABOVE_STANDARD",
                Severity.INFO if case.acute else Severity.WARNING,
                f"Daily dose {format_mg(daily)} mg is above the standard "
                f"{format_mg(standard.min)}–{format_mg(standard.max)} mg a day.",
                dosing.standard.source,
                _within_ceiling(label, case),
                index,
            )
        ]
    return []


def start_dose(label: Label, case: Case) -> list[Finding]:
    """A new adult course starts at the minimal dose: the first order, unless the case continues a course."""
    if case.continuing or not is_adult(label, case):
        return []
    start = label.adult_dosing.start
    first = steps(case)[0]
    daily = first.daily_mg
    if daily <= start.daily_mg:
        return []
    interval = label.adult_dosing.titration.interval_days
    return [
        Finding(
            "START_DOSE_ABOVE_MINIMUM",
            Severity.WARNING,
            f"A new course starts at {format_mg(daily)} mg a day; the leaflet starts at "
            f"{format_mg(start.daily_mg)} mg a day.",
            start.source,
            f"Start at {describe(start.dose_mg, start.times_per_day)} and raise it every "
            f"{format_mg(interval.min)}–{format_mg(interval.max)} days.",
            first.index,
        )
    ]

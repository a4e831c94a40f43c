"""Adult daily-dose bands and the starting dose of a new course."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Severity
from clonaguard.regimens import format_mg
from clonaguard.rules.tables import tables_for
from clonaguard.rules.timeline import checked_order_reduces_dose


def is_adult(label: Label, case: Case) -> bool:
    return case.patient.age_years >= tables_for(label).adult_from_age_years


def adult_daily_dose(label: Label, case: Case) -> list[Finding]:
    """At most one of: below the minimum, above the standard, hospital only, above the maximum."""
    tables = tables_for(label)
    if case.patient.age_years < tables.adult_from_age_years:
        return []
    daily = case.checked_order.daily_dose_mg
    if daily < tables.start_daily_mg and not checked_order_reduces_dose(case):  # a taper goes below it
        return [_below(label, case, daily)]
    if daily > tables.standard_max_mg:
        return [_above(label, case, daily)]
    return []


def _words(indication: str) -> str:
    return indication.replace("_", " ")


def start_scope(label: Label, case: Case) -> tuple[str, str] | None:
    """(the indications the starting dose is given for, the case's) when the case's is not one of them."""
    given = label.adult_dosing.start.indications
    if given is None or case.indication in given:
        return None
    return " or ".join(_words(indication) for indication in given), _words(case.indication)


def _below(label: Label, case: Case, daily: float) -> Finding:
    start = label.adult_dosing.start
    scope = start_scope(label, case)
    minimal = f"{format_mg(start.daily_mg)} mg a day"
    return Finding(
        "DOSE_BELOW_MINIMUM",
        Severity.INFO,
        f"Daily dose {format_mg(daily)} mg is below the leaflet's minimal dose of {minimal}."
        if scope is None
        else f"Daily dose {format_mg(daily)} mg is below the leaflet's minimal dose for {scope[0]}, {minimal}; "
        f"it gives none for {scope[1]}.",
        start.source,
        f"The minimal dose is {tables_for(label).start_text}.",
        len(case.orders) - 1,
    )


def _above(label: Label, case: Case, daily: float) -> Finding:
    """The one finding of a daily dose above the standard range: the highest threshold it passes decides."""
    dosing = label.adult_dosing
    suggestion = tables_for(label).within_ceiling[case.setting, case.acute]
    index = len(case.orders) - 1
    if daily > dosing.overdose_above.daily_mg:
        limit = dosing.overdose_above
        message = f"is above {format_mg(limit.daily_mg)} mg a day, which may cause an overdose."
        return Finding("DOSE_ABOVE_MAXIMUM", Severity.CRITICAL, _daily(daily, message), limit.source, suggestion, index)
    if daily > dosing.hospital_only_above.daily_mg:
        limit = dosing.hospital_only_above
        if case.setting == "outpatient":
            severity = Severity.CRITICAL
        else:
            severity = Severity.INFO if case.acute else Severity.WARNING
        message = f"is above {format_mg(limit.daily_mg)} mg a day, which the leaflet allows only in hospital."
        return Finding("DOSE_REQUIRES_HOSPITAL", severity, _daily(daily, message), limit.source, suggestion, index)
    standard = dosing.standard
    message = f"is above the standard {format_mg(standard.daily_mg.min)}–{format_mg(standard.daily_mg.max)} mg a day."
    severity = Severity.INFO if case.acute else Severity.WARNING
    return Finding("DOSE_ABOVE_STANDARD", severity, _daily(daily, message), standard.source, suggestion, index)


def _daily(daily: float, rest: str) -> str:
    return f"Daily dose {format_mg(daily)} mg {rest}"


def start_dose(label: Label, case: Case) -> list[Finding]:
    """A new adult course starts at the minimal dose: the first order, unless the case continues a course."""
    tables = tables_for(label)
    if case.continuing or case.patient.age_years < tables.adult_from_age_years:
        return []
    first = case.steps[0]
    daily = first.daily_mg
    if daily <= tables.start_daily_mg:
        return []
    scope = start_scope(label, case)
    starts = (
        f"A new course starts at {format_mg(daily)} mg a day; the leaflet starts at {format_mg(tables.start_daily_mg)}"
    )
    return [
        Finding(
            "START_DOSE_ABOVE_MINIMUM",
            Severity.WARNING,
            f"{starts} mg a day."
            if scope is None
            else f"{starts} mg a day for {scope[0]} and gives no start for {scope[1]}.",
            label.adult_dosing.start.source,
            f"Start at {tables.start_text} and raise it every {tables.interval_text} days.",
            first.order_index,
        )
    ]

"""Adult daily-dose bands and the starting dose of a new course."""

from __future__ import annotations

from typing import Any

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding
from clonaguard.regimens import format_mg
from clonaguard.rules.severities import CRITICAL, INFO, WARNING
from clonaguard.rules.tables import RuleTables, Threshold, indication_words, tables_for
from clonaguard.rules.timeline import checked_order_reduces_dose


def is_adult(label: Label, case: Case) -> bool:
    return case.patient.age_years >= tables_for(label).adult_from_age_years


def adult_daily_dose(label: Label, case: Case) -> list[Finding]:
    """At most one of: below the minimum, above the standard, hospital only, above the maximum."""
    tables = tables_for(label)
    fields = case.__dict__  # pydantic's own store of the fields: reading them as attributes costs a call each
    if fields["patient"].age_years < tables.adult_from_age_years:  # tables in hand: is_adult would fetch them again
        return []
    daily = fields["orders"][-1].daily_dose_mg  # the checked order's
    if daily < tables.start_daily_mg and not checked_order_reduces_dose(case):  # a taper goes below it
        return [_below(tables, fields, daily)]
    if daily > tables.standard_max_mg:
        return [_above(tables, fields, daily)]
    return []


def _scope(tables: RuleTables, indication: str) -> tuple[str, str] | None:
    """(the indications the starting dose is given for, the case's) when the case's is not one of them."""
    given = tables.start_indications
    if given is None or indication in given:
        return None
    return tables.start_indications_text, indication_words(indication)


def _below(tables: RuleTables, fields: dict[str, Any], daily: float) -> Finding:
    scope = _scope(tables, fields["indication"])
    minimal = tables.minimal_text
    return Finding(
        "DOSE_BELOW_MINIMUM",
        INFO,
        f"Daily dose {format_mg(daily)} mg is below the leaflet's minimal dose of {minimal}."
        if scope is None
        else f"Daily dose {format_mg(daily)} mg is below the leaflet's minimal dose for {scope[0]}, {minimal}; "
        f"it gives none for {scope[1]}.",
        tables.start_source,
        tables.below_minimum_suggestion,
        len(fields["orders"]) - 1,
    )


def _above(tables: RuleTables, fields: dict[str, Any], daily: float) -> Finding:
    """The one finding of a daily dose above the standard range: the highest threshold it passes decides."""
    setting, acute = fields["setting"], fields["acute"]
    limit: Threshold
    if daily > tables.overdose.daily_mg:
        limit, severity = tables.overdose, CRITICAL
    elif daily > tables.hospital_only.daily_mg:
        limit = tables.hospital_only
        severity = CRITICAL if setting == "outpatient" else (INFO if acute else WARNING)
    else:
        limit, severity = tables.above_standard, INFO if acute else WARNING
    suggestion = tables.within_ceiling[setting, acute]
    message = f"Daily dose {format_mg(daily)} mg {limit.rest}"
    return Finding(limit.code, severity, message, limit.source, suggestion, len(fields["orders"]) - 1)


def start_dose(label: Label, case: Case) -> list[Finding]:
    """A new adult course starts at the minimal dose: the first order, unless the case continues a course."""
    tables = tables_for(label)
    fields = case.__dict__
    if fields["continuing"] or fields["patient"].age_years < tables.adult_from_age_years:
        return []
    orders = fields["orders"]
    if len(orders) == 1:  # the course's one step is the order's (`Case.steps`): its daily dose, without the steps
        first_mg, index = orders[0].daily_dose_mg, 0
        if first_mg <= tables.start_daily_mg:  # whole nanograms, in mg: the same test as in nanograms below
            return []
    else:
        first = case.steps[0]
        if first.daily_ng <= tables.start_daily_ng:
            return []
        first_mg, index = first.daily_mg, first.order_index
    scope = _scope(tables, fields["indication"])
    starts = f"A new course starts at {format_mg(first_mg)} mg a day; the leaflet starts at {tables.minimal_text}"
    return [
        Finding(
            "START_DOSE_ABOVE_MINIMUM",
            WARNING,
            f"{starts}." if scope is None else f"{starts} for {scope[0]} and gives no start for {scope[1]}.",
            tables.start_source,
            tables.start_suggestion,
            index,
        )
    ]

"""How often a day, and whether a standard daily dose is divided as the leaflet says."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding
from clonaguard.regimens import describe, format_mg, times_text
from clonaguard.rules.severities import INFO, WARNING
from clonaguard.rules.tables import RuleTables, tables_for
from clonaguard.units import NG_PER_MG, ng_of_mg


def _split(tables: RuleTables, daily_mg: float, parts: int) -> str | None:
    """The same daily dose in `parts` equal doses, when whole tablets can give them exactly."""
    dose, rest = divmod(ng_of_mg(daily_mg), parts)
    if rest or not dose or dose % tables.increment.ng:
        return None
    return describe(dose / NG_PER_MG, parts)


def frequency(label: Label, case: Case) -> list[Finding]:
    tables = tables_for(label)
    orders = case.orders
    checked = orders[-1]
    times = checked.times_per_day
    if tables.times_min <= times <= tables.times_max:
        return []
    split = _split(tables, checked.daily_dose_mg, tables.divided_into)
    bounds = tables.times_text
    return [
        Finding(
            "FREQUENCY_OUT_OF_RANGE",
            WARNING,
            f"Given {times_text(times)}; the leaflet gives clonazepam {bounds} times a day.",
            tables.administration_source,
            f"Give the same daily dose as {split}." if split else f"Give the daily dose in {bounds} administrations.",
            len(orders) - 1,
        )
    ]


def divided_in_three(label: Label, case: Case) -> list[Finding]:
    tables = tables_for(label)
    fields = case.__dict__  # pydantic's own store of the fields: reading them as attributes costs a call each
    orders = fields["orders"]
    checked = orders[-1]
    times, parts = checked.times_per_day, tables.divided_into
    if fields["patient"].age_years < tables.adult_from_age_years or times == parts:
        return []
    daily = checked.daily_dose_mg
    if not tables.standard_min_mg <= daily <= tables.standard_max_mg:
        return []
    split = _split(tables, daily, parts)
    return [
        Finding(
            "DOSES_NOT_DIVIDED_IN_THREE",
            INFO,
            f"The standard daily dose of {format_mg(daily)} mg is given {times_text(times)}, not in {parts} parts.",
            tables.standard_source,
            f"Give it as {split}." if split else f"Divide the daily dose into {parts} parts.",
            len(orders) - 1,
        )
    ]

"""Children's daily dose against the leaflet's age band."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Severity
from clonaguard.regimens import format_mg
from clonaguard.rules.tables import tables_for
from clonaguard.rules.timeline import checked_order_reduces_dose


def pediatric_daily_dose(label: Label, case: Case) -> list[Finding]:
    tables = tables_for(label)
    entry = tables.band_for_age(case.patient.age_years)
    if entry is None:
        return []
    band = entry.band
    order = case.checked_order
    daily = order.daily_dose_mg
    index = len(case.orders) - 1
    if daily < band.daily_mg.min and not checked_order_reduces_dose(case):  # a taper goes below the band
        return [
            Finding(
                "PEDIATRIC_DOSE_BELOW_RANGE",
                Severity.INFO,
                f"Daily dose {format_mg(daily)} mg is below the {entry.text}.",
                band.source,
                entry.below.get(tables.times_for_suggestion(order.times_per_day)),
                index,
            )
        ]
    if daily > band.daily_mg.max:
        return [
            Finding(
                "PEDIATRIC_DOSE_ABOVE_RANGE",
                Severity.CRITICAL,
                f"Daily dose {format_mg(daily)} mg is above the {entry.text}.",
                band.source,
                entry.above.get(tables.times_for_suggestion(order.times_per_day)),
                index,
            )
        ]
    return []

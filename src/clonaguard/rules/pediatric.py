"""Children's daily dose against the leaflet's age band."""

from __future__ import annotations

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding
from clonaguard.regimens import format_mg
from clonaguard.rules.severities import CRITICAL, INFO
from clonaguard.rules.tables import tables_for
from clonaguard.rules.timeline import checked_order_reduces_dose


def pediatric_daily_dose(label: Label, case: Case) -> list[Finding]:
    tables = tables_for(label)
    entry = tables.band_for_age(case.patient.age_years)
    if entry is None:
        return []
    order = case.checked_order
    daily = order.daily_dose_mg
    if daily < entry.daily_min_mg and not checked_order_reduces_dose(case):  # a taper goes below the band
        code, severity, side, suggestions = "PEDIATRIC_DOSE_BELOW_RANGE", INFO, "below", entry.below
    elif daily > entry.daily_max_mg:
        code, severity, side, suggestions = "PEDIATRIC_DOSE_ABOVE_RANGE", CRITICAL, "above", entry.above
    else:
        return []
    return [
        Finding(
            code,
            severity,
            f"Daily dose {format_mg(daily)} mg is {side} the {entry.text}.",
            entry.source,
            suggestions.get(tables.times_for_suggestion(order.times_per_day)),
            len(case.orders) - 1,
        )
    ]

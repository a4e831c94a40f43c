"""Children's daily dose against the leaflet's age band."""

from __future__ import annotations

from clonaguard.labels.schema import AgeBand, Label
from clonaguard.model import Case, Finding, Severity
from clonaguard.regimens import describe, format_mg, largest_dose_within, smallest_dose_from
from clonaguard.rules.timeline import checked_order_reduces_dose


def _times_for_suggestion(label: Label, times_per_day: int) -> int:
    allowed = label.administration.times_per_day
    return int(min(max(times_per_day, allowed.min), allowed.max))


def _band_text(band: AgeBand) -> str:
    return f"{format_mg(band.daily_mg.min)}–{format_mg(band.daily_mg.max)} mg a day for {band.description}"


def pediatric_daily_dose(label: Label, case: Case) -> list[Finding]:
    band = label.limits.band_for_age(case.patient.age_years)
    if band is None:
        return []
    order = case.checked_order
    daily = order.daily_dose_mg
    index = len(case.orders) - 1
    if daily < band.daily_mg.min and not checked_order_reduces_dose(case):  # a taper goes below the band
        times = _times_for_suggestion(label, order.times_per_day)
        dose = smallest_dose_from(label, band.daily_mg.min, band.daily_mg.max, times)
        return [
            Finding(
                "PEDIATRIC_DOSE_BELOW_RANGE",
                Severity.INFO,
                f"Daily dose {format_mg(daily)} mg is below the {_band_text(band)}.",
                band.source,
                None if dose is None else f"The lowest dose in the band with whole tablets is {describe(dose, times)}.",
                index,
            )
        ]
    if daily > band.daily_mg.max:
        times = _times_for_suggestion(label, order.times_per_day)
        dose = largest_dose_within(label, band.daily_mg.max, times)
        return [
            Finding(
                "PEDIATRIC_DOSE_ABOVE_RANGE",
                Severity.CRITICAL,
                f"Daily dose {format_mg(daily)} mg is above the {_band_text(band)}.",
                band.source,
                None if dose is None else f"At most {describe(dose, times)} ({format_mg(dose * times)} mg a day).",
                index,
            )
        ]
    return []

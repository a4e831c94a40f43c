"""What every check would otherwise recompute from the label, computed once per label object.

The label is frozen and a copy of it is validated afresh (a new object), so a table built for one label
object can never describe another; the cache holds the label itself, so an id is never reused under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from clonaguard.labels.schema import AgeBand, Label
from clonaguard.regimens import describe, format_mg, largest_dose_within


@dataclass(frozen=True, slots=True)
class Ceiling:
    """The highest adult daily dose that draws no warning in one setting, and the suggestion that keeps within it."""

    daily_mg: float
    suggestion: str | None


@dataclass(frozen=True, slots=True)
class RuleTables:
    adult_from_age_years: float
    outpatient: Ceiling  # not acute: the top of the standard range
    acute_outpatient: Ceiling  # acute, outside hospital: the hospital-only threshold
    acute_inpatient: Ceiling  # acute, in hospital: the acute maximum
    bands: tuple[AgeBand, ...]

    def ceiling(self, setting: str, acute: bool) -> Ceiling:
        if not acute:
            return self.outpatient
        return self.acute_inpatient if setting == "inpatient" else self.acute_outpatient

    def band_for_age(self, age_years: float) -> AgeBand | None:
        """The pediatric band of an age, or None for an adult."""
        if age_years >= self.adult_from_age_years:
            return None
        return next((band for band in self.bands if band.min_age_years <= age_years < band.max_age_years), None)


_CACHE: dict[int, tuple[Label, RuleTables]] = {}
_CACHE_SIZE = 32


def tables(label: Label) -> RuleTables:
    """The tables of this label object, built on its first check."""
    entry = _CACHE.get(id(label))
    if entry is not None and entry[0] is label:
        return entry[1]
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    built = _build(label)
    _CACHE[id(label)] = (label, built)
    return built


def _build(label: Label) -> RuleTables:
    dosing = label.adult_dosing
    return RuleTables(
        adult_from_age_years=label.pediatric.adult_from_age_years,
        outpatient=_ceiling(label, dosing.standard.daily_mg.max),
        acute_outpatient=_ceiling(label, dosing.hospital_only_above.daily_mg),
        acute_inpatient=_ceiling(label, dosing.acute_maximum.daily_mg),
        bands=tuple(label.pediatric.bands),
    )


def _ceiling(label: Label, daily_mg: float) -> Ceiling:
    times = label.adult_dosing.standard.divided_into
    dose = largest_dose_within(label, daily_mg, times)
    if dose is None:
        return Ceiling(daily_mg, None)
    return Ceiling(daily_mg, f"At most {describe(dose, times)} ({format_mg(dose * times)} mg a day) in this setting.")

"""Plausibility of a reading against the label: product strengths and forms, units per administration,
how long a sig may last. A reading outside them is refused with the reason, never read literally."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from clonaguard.labels.load import load_label
from clonaguard.labels.schema import Label
from clonaguard.units import DAYS_PER_UNIT, Mass

_DAYS_PER_UNIT = {unit: float(days) for unit, days in DAYS_PER_UNIT.items()}  # compared with float durations

_FORM_WORDS = {"capsule": "capsules", "ml": "oral liquids (ml)", "drop": "oral drops"}


@lru_cache(maxsize=1)
def _label() -> Label:
    return load_label()


@lru_cache(maxsize=1)
def strengths_mg() -> tuple[float, ...]:
    products = _label().identity.products
    return tuple(sorted({*products.tablet_mg, *products.odt_mg}))


@lru_cache(maxsize=1)
def _strengths() -> frozenset[Mass]:
    return frozenset(Mass.of(value) for value in strengths_mg())


def strength_problem(strength_mg: float) -> str | None:
    """A tablet strength no product of the label has ("0.75 mg tablets") is a typo or another product."""
    if Mass.of(strength_mg) in _strengths():
        return None
    known = ", ".join(f"{value:g}" for value in strengths_mg())
    return f"no clonazepam tablet of {strength_mg:g} mg exists (the label's tablets and ODT: {known} mg)"


def dose_problems(dose: dict[str, Any] | None, strength_mg: float | None) -> list[str]:
    """The form must be one the label's products have; a count of units per administration has a bound."""
    if dose is None:
        return []
    unit = dose["unit"]
    if unit in _FORM_WORDS:
        return [f"clonazepam {_FORM_WORDS[unit]}: not among the label's products (tablets and ODT)"]
    bound = _label().sig_reading_policy.max_units_per_administration
    if unit == "tablet" and dose["max"] > bound:
        return [
            f"{dose['max']:g} tablets at once is more than the {bound:g} per administration the label's policy "
            "reads; write the dose in mg, or check the count"
        ]
    return []


def part_of_a_tablet(dose_mg: float, strength_mg: float) -> bool:
    """A dose in mg that whole or half tablets of the strength give ("Klonopin 2 mg: 1 mg" is half a tablet)."""
    halves = Mass.of(dose_mg).count_of(Mass.of(strength_mg)) * 2
    return halves >= 1 and halves.denominator == 1


def duration_problem(value: float, unit: str) -> str | None:
    bound = _label().sig_reading_policy.max_duration_days
    if value * _DAYS_PER_UNIT[unit] > bound:
        return f"a duration of {value:g} {unit} is longer than the {bound} days the label's policy reads"
    return None

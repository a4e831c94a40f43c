"""Regimens people can give with real tablets, described in words ("0.5 mg three times a day")."""

from __future__ import annotations

import math
from functools import lru_cache

from clonaguard.labels.schema import Label
from clonaguard.units import Mass

_TIMES_WORDS = {1: "once a day", 2: "twice a day", 3: "three times a day", 4: "four times a day"}


@lru_cache(maxsize=4096)
def format_mg(value: float) -> str:
    """0.5 -> "0.5", 2.0 -> "2", 0.125 -> "0.125": no trailing zeros, no float noise."""
    return f"{round(value, 6):g}"


def times_text(times_per_day: int) -> str:
    """1 -> "once a day", 3 -> "three times a day", 6 -> "6 times a day"."""
    return _TIMES_WORDS.get(times_per_day, f"{times_per_day} times a day")


@lru_cache(maxsize=4096)
def describe(dose_mg: float, times_per_day: int) -> str:
    return f"{format_mg(dose_mg)} mg {times_text(times_per_day)}"


def dose_increment_mg(label: Label) -> float:
    """The smallest dose step whole tablets (or halves of scored ones) can give."""
    return label.identity.products.smallest_step_mg


def largest_dose_within(label: Label, daily_max_mg: float, times_per_day: int) -> float | None:
    """The largest dose per administration, in tablet steps, whose daily total stays <= daily_max_mg."""
    step = Mass.of(dose_increment_mg(label))
    steps = math.floor(Mass.of(daily_max_mg).count_of(step * times_per_day))
    return (step * steps).mg if steps > 0 else None


def smallest_dose_from(label: Label, daily_min_mg: float, daily_max_mg: float, times_per_day: int) -> float | None:
    """The smallest dose per administration, in tablet steps, with a daily total inside the range."""
    step = Mass.of(dose_increment_mg(label))
    dose = step * max(1, math.ceil(Mass.of(daily_min_mg).count_of(step * times_per_day)))
    return dose.mg if dose * times_per_day <= Mass.of(daily_max_mg) else None

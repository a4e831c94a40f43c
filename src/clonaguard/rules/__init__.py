"""The rules: small pure functions `(label, case) -> findings`, one concern each."""

from __future__ import annotations

from collections.abc import Callable

from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding
from clonaguard.rules.administration import between_meals
from clonaguard.rules.contraindications import contraindications
from clonaguard.rules.course import (
    abrupt_stop,
    course_duration,
    taper_pace,
    titration_pace,
    titration_step,
    tolerance_increase,
)
from clonaguard.rules.dose import adult_daily_dose, start_dose
from clonaguard.rules.frequency import divided_in_three, frequency
from clonaguard.rules.pediatric import pediatric_daily_dose

Rule = Callable[[Label, Case], list[Finding]]

ORDER_RULES: tuple[Rule, ...] = (
    adult_daily_dose,
    start_dose,
    pediatric_daily_dose,
    frequency,
    divided_in_three,
    contraindications,
    between_meals,
    titration_pace,
    titration_step,
    course_duration,
    tolerance_increase,
    abrupt_stop,
    taper_pace,
)

__all__ = ["ORDER_RULES", "Rule"]

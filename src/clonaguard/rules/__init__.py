"""The rules: small pure functions `(label, case) -> findings`, one concern each.

`ORDER_RULES` is every rule in the order their findings are listed (within a severity). A rule that cannot
find anything in a case is not run at all: `applicable_rules` picks the rules by a few facts of the case
(adult or child, history or single order, a stop, ...), and the pick for each combination of facts is kept
with the label's tables. Each rule still checks its own conditions, so skipping one never changes a finding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

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
from clonaguard.rules.tables import tables_for

Rule = Callable[[Label, Case], list[Finding]]


class Facts(NamedTuple):
    """What decides which rules can find anything in a case."""

    adult: bool
    continuing: bool
    frequency_allowed: bool
    contraindicated: bool
    instructed: bool  # food or drink instructions on the checked order
    history: bool  # more than one order
    stopping: bool
    reduced_efficacy: bool


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

# When each rule can find anything; outside these facts it returns no finding (see each rule's first lines).
APPLIES: dict[Rule, Callable[[Facts], bool]] = {
    adult_daily_dose: lambda facts: facts.adult,
    start_dose: lambda facts: facts.adult and not facts.continuing,
    pediatric_daily_dose: lambda facts: not facts.adult,
    frequency: lambda facts: not facts.frequency_allowed,
    divided_in_three: lambda facts: facts.adult,
    contraindications: lambda facts: facts.contraindicated,
    between_meals: lambda facts: facts.instructed,
    titration_pace: lambda facts: facts.history,
    titration_step: lambda facts: facts.history,
    course_duration: lambda facts: True,
    tolerance_increase: lambda facts: facts.adult and facts.history and facts.reduced_efficacy,
    abrupt_stop: lambda facts: facts.stopping,
    taper_pace: lambda facts: facts.history or facts.stopping,
}


# The rules that read nothing of the checked order's dose or times a day: they find the same whatever the regimen.
REGIMEN_FREE_RULES: frozenset[Rule] = frozenset({contraindications, between_meals})


def applicable_rules(label: Label, case: Case) -> tuple[Rule, ...]:
    """The rules of `ORDER_RULES`, in order, that can find anything in the case."""
    tables = tables_for(label)
    patient, order = case.patient, case.checked_order
    key = (
        patient.age_years >= tables.adult_from_age_years,
        case.continuing,
        tables.times_min <= order.times_per_day <= tables.times_max,
        patient.pregnant or patient.breastfeeding or patient.alcohol_use,
        bool(order.food_drink),
        len(case.orders) > 1,
        case.stop is not None,
        patient.reduced_efficacy_reported,
    )
    rules = tables.selections.get(key)
    if rules is None:
        facts = Facts(*key)
        rules = tables.selections[key] = tuple(rule for rule in ORDER_RULES if APPLIES[rule](facts))
    return rules


__all__ = ["APPLIES", "ORDER_RULES", "REGIMEN_FREE_RULES", "Facts", "Rule", "applicable_rules"]

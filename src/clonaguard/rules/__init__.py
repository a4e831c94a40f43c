"""The rules: small pure functions `(label, case) -> findings`, one concern each.

`ORDER_RULES` is every rule in the order their findings are listed (within a severity). A rule that cannot
find anything in a case is not run at all: `applicable_rules` picks the rules by a few facts of the case
(adult or child, history or single order, a stop, an adult's daily dose against the minimal dose and the
standard range, a raise or a reduction in the course, ...), and the pick for each combination of facts is kept
with the label's tables. Each rule still checks its own conditions, so skipping one never changes a finding;
for an adult's single order with nothing to find, only the course's quick bound runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from clonaguard.labels.schema import Label
from clonaguard.model import Case, CourseStep, Finding
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
from clonaguard.rules.tables import RuleTables, tables_for

Rule = Callable[[Label, Case], list[Finding]]


class Facts(NamedTuple):
    """What decides which rules can find anything in a case."""

    adult: bool
    continuing: bool
    frequency_allowed: bool
    contraindicated: bool
    instructed: bool  # food or drink instructions on the checked order
    history: bool  # more than one order
    raised: bool  # the course raises the daily dose at some step
    lowered: bool  # the course lowers it at some step
    stopping: bool
    reduced_efficacy: bool
    # an adult's checked order against the adult doses (all False for a child)
    outside_adult_range: bool  # below the minimal daily dose or above the standard range
    undivided_standard: bool  # a standard daily dose, given other than as often as the leaflet divides it
    starts_high: bool  # a single order above the minimal daily dose


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
    adult_daily_dose: lambda facts: facts.outside_adult_range,
    start_dose: lambda facts: facts.adult and not facts.continuing and (facts.history or facts.starts_high),
    pediatric_daily_dose: lambda facts: not facts.adult,
    frequency: lambda facts: not facts.frequency_allowed,
    divided_in_three: lambda facts: facts.undivided_standard,
    contraindications: lambda facts: facts.contraindicated,
    between_meals: lambda facts: facts.instructed,
    titration_pace: lambda facts: facts.raised,
    titration_step: lambda facts: facts.raised,
    course_duration: lambda facts: True,
    tolerance_increase: lambda facts: facts.adult and facts.raised and facts.reduced_efficacy,
    abrupt_stop: lambda facts: facts.stopping,
    taper_pace: lambda facts: facts.lowered or facts.stopping,
}


# The rules that read nothing of the checked order's dose or times a day: they find the same whatever the regimen.
REGIMEN_FREE_RULES: frozenset[Rule] = frozenset({contraindications, between_meals})


def applicable_rules(label: Label, case: Case) -> tuple[Rule, ...]:
    """The rules of `ORDER_RULES`, in order, that can find anything in the case."""
    tables = tables_for(label)
    key = _facts(tables, case)
    rules = tables.selections.get(key)
    if rules is None:
        facts = Facts(*key)
        rules = tables.selections[key] = tuple(rule for rule in ORDER_RULES if APPLIES[rule](facts))
    return rules


def _facts(tables: RuleTables, case: Case) -> tuple[bool, ...]:
    """The `Facts` of a case, as a plain tuple (the key its rules are kept under).

    The models' fields are read from their `__dict__`, where pydantic keeps them: reading a field as an attribute
    of a pydantic model costs about as much as a function call, and this reads a dozen.
    """
    fields = case.__dict__
    patient, orders = fields["patient"].__dict__, fields["orders"]
    checked = orders[-1]
    order, daily = checked.__dict__, checked.daily_dose_mg
    times = order["times_per_day"]
    adult = patient["age_years"] >= tables.adult_from_age_years
    history = len(orders) > 1
    raised, lowered = _dose_changes(case.steps) if history else (False, False)
    return (
        adult,
        fields["continuing"],
        tables.times_min <= times <= tables.times_max,
        patient["pregnant"] or patient["breastfeeding"] or patient["alcohol_use"],
        bool(order["food_drink"]),
        history,
        raised,
        lowered,
        fields["stop"] is not None,
        patient["reduced_efficacy_reported"],
        adult and (daily < tables.start_daily_mg or daily > tables.standard_max_mg),
        adult and times != tables.divided_into and tables.standard_min_mg <= daily <= tables.standard_max_mg,
        # the daily doses are whole nanograms in mg, so this is start_dose's own test of the (single) first step
        adult and not history and not fields["continuing"] and daily > tables.start_daily_mg,
    )


def _dose_changes(course: list[CourseStep]) -> tuple[bool, bool]:
    """Whether the course raises the daily dose at some step, and whether it lowers it at some step."""
    raised = lowered = False
    before = course[0].daily_ng
    for step in course:
        after = step.daily_ng
        if after > before:
            raised = True
        elif after < before:
            lowered = True
        before = after
    return raised, lowered


__all__ = ["APPLIES", "ORDER_RULES", "REGIMEN_FREE_RULES", "Facts", "Rule", "applicable_rules"]

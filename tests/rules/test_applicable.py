"""Skipping a rule never drops a finding: a rule `check` skips finds nothing; a regimen-free one ignores doses."""

from __future__ import annotations

from typing import Any

from clonaguard.check import check, parse_case
from clonaguard.labels.schema import Label
from clonaguard.rules import ORDER_RULES, REGIMEN_FREE_RULES, applicable_rules
from clonaguard.rules.course import course_duration
from clonaguard.rules.tables import tables_for
from tests.rules.test_report_snapshot import generated_cases


def test_every_skipped_rule_finds_nothing_and_the_rest_keep_their_order(label: Label) -> None:
    skipped_somewhere = set()
    for data in generated_cases():
        case = parse_case(data, label)
        chosen = applicable_rules(label, case)
        assert list(chosen) == [rule for rule in ORDER_RULES if rule in chosen]
        for rule in set(ORDER_RULES) - set(chosen):
            skipped_somewhere.add(rule)
            assert rule(label, case) == [], (rule.__name__, data)
    assert skipped_somewhere == set(ORDER_RULES) - {course_duration}  # it has a quick bound of its own


def test_a_copy_of_a_label_gets_tables_of_its_own(label: Label) -> None:
    start: dict[str, Any] = {"dose_mg": 0.25, "times_per_day": 2, "source": label.adult_dosing.start.source}
    lower_start = label.model_copy(update={"adult_dosing": {**label.adult_dosing.model_dump(), "start": start}})
    data = {"today": "2026-03-01", "patient": {"age_years": 40}, "orders": [{"dose_mg": 0.5, "times_per_day": 3}]}
    case = parse_case(data, label)
    assert check(case, label).findings == ()
    finding = check(case, lower_start).findings[0]
    assert finding.code == "START_DOSE_ABOVE_MINIMUM"
    assert finding.suggestion == "Start at 0.25 mg twice a day and raise it every 3–5 days."


def test_the_regimen_free_rules_find_the_same_whatever_the_regimen(label: Label) -> None:
    regimens = tables_for(label).regimens
    for number, data in enumerate(generated_cases()[:200]):
        case = parse_case(data, label)
        for regimen in (regimens[number % len(regimens)], regimens[-1 - number % len(regimens)]):
            order = {**data["orders"][-1], "dose_mg": regimen.dose_mg, "times_per_day": regimen.times_per_day}
            other = parse_case({**data, "orders": [*data["orders"][:-1], order]}, label)
            for rule in REGIMEN_FREE_RULES:
                assert rule(label, other) == rule(label, case), (rule.__name__, data, regimen)


def test_no_rule_is_skipped_that_would_find_something_at_the_adult_thresholds(label: Label) -> None:
    """At the minimal daily dose and at both ends of the standard range, and a nanogram and a microgram a day
    either side, for every number of administrations, new and continuing, single order and after a lower one:
    each rule the facts skip finds nothing, so a dose at a threshold never loses a finding to the pick."""
    tables = tables_for(label)
    thresholds_ng = {
        tables.start_daily_ng,
        *(round(mg * 1_000_000) for mg in (tables.standard_min_mg, tables.standard_max_mg)),
    }
    checked = 0
    for daily_ng in sorted({ng + offset for ng in thresholds_ng for offset in (-1000, -1, 0, 1, 1000)}):
        for times in range(1, 25):
            if daily_ng % times:
                continue  # not an exact dose per administration at this count
            order = {"start": "2026-02-01", "dose_mg": daily_ng / times / 1_000_000, "times_per_day": times}
            for continuing in (False, True):
                for history in ([], [{"start": "2026-01-01", "dose_mg": 0.25, "times_per_day": 1}]):
                    data = {"today": "2026-03-01", "continuing": continuing, "patient": {"age_years": 40}}
                    case = parse_case({**data, "orders": [*history, order]}, label)
                    for rule in set(ORDER_RULES) - set(applicable_rules(label, case)):
                        assert rule(label, case) == [], (rule.__name__, daily_ng, times, continuing, bool(history))
                    checked += 1
    assert checked > 100

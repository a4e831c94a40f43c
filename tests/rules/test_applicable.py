"""A rule `check` skips for a case is one that finds nothing in it: skipping never drops a finding."""

from __future__ import annotations

from typing import Any

from clonaguard.check import check, parse_case
from clonaguard.labels.schema import Label
from clonaguard.rules import ORDER_RULES, applicable_rules
from clonaguard.rules.course import course_duration
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

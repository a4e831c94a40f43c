"""Administrations per day (2-3) and the standard dose divided into 3 parts."""

from __future__ import annotations

import pytest

from clonaguard.check import check
from tests.cases import codes, make_case


@pytest.mark.parametrize(("times", "fires"), [(1, True), (2, False), (3, False), (4, True), (24, True)])
def test_frequency_range(times: int, fires: bool) -> None:
    found = codes(check(make_case(0.5, times, continuing=True)).findings)
    assert ("FREQUENCY_OUT_OF_RANGE" in found) is fires
    if fires:
        assert found["FREQUENCY_OUT_OF_RANGE"] == "warning"


def test_frequency_applies_to_children_too() -> None:
    assert "FREQUENCY_OUT_OF_RANGE" in codes(check(make_case(0.5, 4, age_years=3)).findings)


def test_frequency_suggests_the_same_daily_dose_in_three() -> None:
    finding = next(f for f in check(make_case(1.5, 4, continuing=True)).findings if f.code == "FREQUENCY_OUT_OF_RANGE")
    assert finding.message == "Given four times a day; the leaflet gives clonazepam 2–3 times a day."
    assert finding.suggestion == "Give the same daily dose as 2 mg three times a day."


@pytest.mark.parametrize(
    ("dose_mg", "times", "fires"),
    [
        (1.75, 2, False),  # 3.5 mg/day: below the standard range
        (2, 2, True),  # 4 mg/day: bottom of the standard range
        (3, 2, True),  # 6 mg/day
        (4, 2, True),  # 8 mg/day: top of the standard range
        (2, 3, False),  # 6 mg/day in three parts
        (4.25, 2, False),  # 8.5 mg/day: above the standard range, other rules apply
        (6, 1, True),
    ],
)
def test_divided_in_three(dose_mg: float, times: int, fires: bool) -> None:
    found = codes(check(make_case(dose_mg, times, continuing=True)).findings)
    assert ("DOSES_NOT_DIVIDED_IN_THREE" in found) is fires
    if fires:
        assert found["DOSES_NOT_DIVIDED_IN_THREE"] == "info"


def test_divided_in_three_not_for_children() -> None:
    assert "DOSES_NOT_DIVIDED_IN_THREE" not in codes(check(make_case(2, 2, age_years=12)).findings)


def test_divided_suggestion_uses_real_tablets() -> None:
    finding = next(
        f for f in check(make_case(3, 2, continuing=True)).findings if f.code == "DOSES_NOT_DIVIDED_IN_THREE"
    )
    assert finding.suggestion == "Give it as 2 mg three times a day."
    odd = next(f for f in check(make_case(2.5, 2, continuing=True)).findings if f.code == "DOSES_NOT_DIVIDED_IN_THREE")
    assert odd.suggestion == "Divide the daily dose into 3 parts."  # 5/3 mg cannot be given with tablets

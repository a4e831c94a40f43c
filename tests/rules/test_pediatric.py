"""Children's age bands at their boundaries: ages 0, 1, 5.99, 6, 15.99 and the band limits."""

from __future__ import annotations

import pytest

from clonaguard.check import check
from clonaguard.labels.schema import Label
from tests.cases import codes, make_case

PEDIATRIC = {"PEDIATRIC_DOSE_BELOW_RANGE", "PEDIATRIC_DOSE_ABOVE_RANGE"}


def pediatric(dose_mg: float, times: int, age: float) -> dict[str, str]:
    found = codes(check(make_case(dose_mg, times, age_years=age)).findings)
    return {code: severity for code, severity in found.items() if code in PEDIATRIC}


@pytest.mark.parametrize(
    ("age", "dose_mg", "times", "expected"),
    [
        # infants under 1 year: 0.1-1 mg a day
        (0, 0.05, 2, {}),  # 0.1 mg/day
        (0.5, 0.025, 3, {"PEDIATRIC_DOSE_BELOW_RANGE": "info"}),  # 0.075 mg/day
        (0.99, 0.5, 2, {}),  # 1 mg/day
        (0.99, 0.375, 3, {"PEDIATRIC_DOSE_ABOVE_RANGE": "critical"}),  # 1.125 mg/day
        # age 1 to 5: 1.5-3 mg a day
        (1, 0.5, 2, {"PEDIATRIC_DOSE_BELOW_RANGE": "info"}),  # 1 mg/day: the infant band no longer applies
        (1, 0.5, 3, {}),
        (5.99, 1, 3, {}),  # 3 mg/day
        (5.99, 1.25, 3, {"PEDIATRIC_DOSE_ABOVE_RANGE": "critical"}),
        # age 6 to 15: 3-6 mg a day
        (6, 1, 3, {}),
        (6, 0.5, 3, {"PEDIATRIC_DOSE_BELOW_RANGE": "info"}),  # 1.5 mg/day
        (15.99, 2, 3, {}),  # 6 mg/day
        (15.99, 2.5, 3, {"PEDIATRIC_DOSE_ABOVE_RANGE": "critical"}),
    ],
)
def test_bands(age: float, dose_mg: float, times: int, expected: dict[str, str]) -> None:
    assert pediatric(dose_mg, times, age) == expected


def test_adult_at_16_gets_no_pediatric_finding() -> None:
    assert pediatric(2.5, 3, 16) == {}


def test_children_get_no_adult_band_findings() -> None:
    found = codes(check(make_case(10, 3, age_years=10)).findings)
    assert "DOSE_ABOVE_MAXIMUM" not in found and "START_DOSE_ABOVE_MINIMUM" not in found
    assert found["PEDIATRIC_DOSE_ABOVE_RANGE"] == "critical"


def test_above_range_suggests_the_largest_regimen_in_band(label: Label) -> None:
    finding = check(make_case(2, 3, age_years=3)).findings[0]
    assert finding.code == "PEDIATRIC_DOSE_ABOVE_RANGE"
    assert finding.suggestion == "At most 1 mg three times a day (3 mg a day)."
    assert finding.source == label.pediatric.bands[1].source
    assert finding.dur_code == "HD" and finding.hl7_code == "DOSEHINDA"


def test_below_range_suggests_the_lowest_regimen_in_band() -> None:
    finding = check(make_case(0.25, 2, age_years=8)).findings[0]
    assert finding.code == "PEDIATRIC_DOSE_BELOW_RANGE"
    assert finding.suggestion == "The lowest dose in the band with whole tablets is 1.5 mg twice a day."

"""Adult dose bands and the starting dose, at the leaflet's boundaries (1.5, 8, 10, 20 mg a day)."""

from __future__ import annotations

from typing import Any

import pytest

from clonaguard.check import check
from clonaguard.labels.schema import Label
from tests.cases import codes, make_case
from tests.dates import TODAY

ADULT_BAND_CODES = {"DOSE_BELOW_MINIMUM", "DOSE_ABOVE_STANDARD", "DOSE_REQUIRES_HOSPITAL", "DOSE_ABOVE_MAXIMUM"}


def band_findings(dose_mg: float, times: int, **case: Any) -> dict[str, str]:
    found = codes(check(make_case(dose_mg, times, continuing=True, **case)).findings)
    return {code: severity for code, severity in found.items() if code in ADULT_BAND_CODES}


@pytest.mark.parametrize(
    ("dose_mg", "times", "expected"),
    [
        (0.25, 3, {"DOSE_BELOW_MINIMUM": "info"}),  # 0.75 mg/day
        (0.5, 2, {"DOSE_BELOW_MINIMUM": "info"}),  # 1 mg/day
        (0.5, 3, {}),  # 1.5 mg/day: the minimal dose itself
        (2, 3, {}),  # 6 mg/day, standard
        (4, 2, {}),  # 8 mg/day: top of the standard range
        (2.75, 3, {"DOSE_ABOVE_STANDARD": "warning"}),  # 8.25 mg/day
        (5, 2, {"DOSE_ABOVE_STANDARD": "warning"}),  # 10 mg/day: still not above 10
        (3.5, 3, {"DOSE_REQUIRES_HOSPITAL": "critical"}),  # 10.5 mg/day outpatient
        (10, 2, {"DOSE_REQUIRES_HOSPITAL": "critical"}),  # 20 mg/day: the acute maximum
        (6.75, 3, {"DOSE_ABOVE_MAXIMUM": "critical"}),  # 20.25 mg/day
    ],
)
def test_outpatient_bands(dose_mg: float, times: int, expected: dict[str, str]) -> None:
    assert band_findings(dose_mg, times) == expected


@pytest.mark.parametrize(
    ("dose_mg", "times", "setting", "acute", "expected"),
    [
        (5, 2, "outpatient", True, {"DOSE_ABOVE_STANDARD": "info"}),
        (5, 2, "inpatient", False, {"DOSE_ABOVE_STANDARD": "warning"}),
        (10, 2, "outpatient", True, {"DOSE_REQUIRES_HOSPITAL": "critical"}),
        (10, 2, "inpatient", False, {"DOSE_REQUIRES_HOSPITAL": "warning"}),
        (10, 2, "inpatient", True, {"DOSE_REQUIRES_HOSPITAL": "info"}),
        (6.75, 3, "inpatient", True, {"DOSE_ABOVE_MAXIMUM": "critical"}),
    ],
)
def test_setting_and_acute(dose_mg: float, times: int, setting: str, acute: bool, expected: dict[str, str]) -> None:
    assert band_findings(dose_mg, times, setting=setting, acute=acute) == expected


@pytest.mark.parametrize(("age", "adult"), [(15.99, False), (16, True), (120, True)])
def test_adult_rules_start_at_16(age: float, adult: bool) -> None:
    found = codes(check(make_case(7, 3, age_years=age, continuing=True)).findings)  # 21 mg/day
    assert ("DOSE_ABOVE_MAXIMUM" in found) is adult
    assert ("PEDIATRIC_DOSE_ABOVE_RANGE" in found) is not adult


def test_suggestion_is_the_largest_regimen_of_real_tablets(label: Label) -> None:
    finding = check(make_case(3, 3, continuing=True)).findings[0]  # 9 mg/day
    assert finding.code == "DOSE_ABOVE_STANDARD"
    # 8 mg a day in three equal doses of whole or half tablets: 2.5 mg (7.5 mg a day); 2.75 mg cannot be given.
    assert finding.suggestion == "At most 2.5 mg three times a day (7.5 mg a day) in this setting."


def test_inpatient_acute_suggestion_allows_up_to_the_acute_maximum() -> None:
    finding = check(make_case(7, 3, setting="inpatient", acute=True)).findings[0]
    assert finding.code == "DOSE_ABOVE_MAXIMUM"
    assert finding.suggestion is not None and "(19.5 mg a day)" in finding.suggestion


@pytest.mark.parametrize(
    ("dose_mg", "times", "continuing", "fires"),
    [
        (0.5, 3, False, False),  # exactly the start dose
        (0.75, 2, False, False),  # 1.5 mg/day in two doses: daily dose is not above the start
        (1, 2, False, True),  # 2 mg/day
        (2, 3, False, True),
        (2, 3, True, False),  # continuing a course
        (0.25, 3, False, False),  # below the minimum: DOSE_BELOW_MINIMUM instead
    ],
)
def test_start_dose(dose_mg: float, times: int, continuing: bool, fires: bool) -> None:
    report = check(make_case(dose_mg, times, continuing=continuing))
    assert ("START_DOSE_ABOVE_MINIMUM" in codes(report.findings)) is fires
    if fires:
        finding = next(f for f in report.findings if f.code == "START_DOSE_ABOVE_MINIMUM")
        assert finding.severity.value == "warning"
        assert finding.suggestion == "Start at 0.5 mg three times a day and raise it every 3–5 days."


def test_start_dose_applies_only_to_the_first_order() -> None:
    from clonaguard.check import parse_case

    case = parse_case(
        {
            "today": "2026-03-10",
            "patient": {"age_years": 40},
            "orders": [
                {"start": "2026-03-01", "dose_mg": 0.5, "times_per_day": 3},
                {"start": "2026-03-05", "dose_mg": 1, "times_per_day": 3},
            ],
        },
        today=TODAY,
    )
    assert "START_DOSE_ABOVE_MINIMUM" not in codes(check(case).findings)


def test_daily_dose_reported() -> None:
    assert check(make_case(0.5, 3)).daily_dose_mg == 1.5
    assert check(make_case(0.1, 3, age_years=0.5)).daily_dose_mg == pytest.approx(0.3)


def test_the_precomputed_tables_follow_a_copied_label(label: Label) -> None:
    """A label copied with a narrower standard range gets its own ceiling, age limit and suggestion."""
    case = make_case(2, 3, continuing=True)  # 6 mg a day
    assert "DOSE_ABOVE_STANDARD" not in codes(check(case, label).findings)
    standard = label.adult_dosing.standard.model_copy(update={"daily_mg": {"min": 3, "max": 4.5}})
    narrower = label.model_copy(update={"adult_dosing": label.adult_dosing.model_copy(update={"standard": standard})})
    (finding,) = [f for f in check(case, narrower).findings if f.code == "DOSE_ABOVE_STANDARD"]
    assert finding.suggestion == "At most 1.5 mg three times a day (4.5 mg a day) in this setting."
    younger = label.model_copy(
        update={"pediatric": label.pediatric.model_copy(update={"bands": label.pediatric.bands[:2]})}
    )
    child = make_case(3, 3, age_years=8, continuing=True)  # 9 mg a day at 8 years
    assert set(codes(check(child, label).findings)) == {"PEDIATRIC_DOSE_ABOVE_RANGE"}
    assert set(codes(check(child, younger).findings)) == {"DOSE_ABOVE_STANDARD"}  # adults from 6 years here


@pytest.mark.parametrize(
    ("indication", "scoped"),
    [("epilepsy", False), ("panic", True), ("anxiety", True), ("muscle_relaxation", True)],
)
def test_start_dose_findings_say_which_indication_the_leaflet_gives_it_for(indication: str, scoped: bool) -> None:
    """The starting dose is given "to control epilepsy": for another indication the finding says so, same severity."""
    starts_high = {f.code: f for f in check(make_case(1, 3, indication=indication)).findings}
    below = {f.code: f for f in check(make_case(0.25, 2, indication=indication)).findings}
    start, minimum = starts_high["START_DOSE_ABOVE_MINIMUM"], below["DOSE_BELOW_MINIMUM"]
    assert (start.severity.value, minimum.severity.value) == ("warning", "info")
    words = indication.replace("_", " ")
    if scoped:
        assert start.message == (
            f"A new course starts at 3 mg a day; the leaflet starts at 1.5 mg a day for epilepsy "
            f"and gives no start for {words}."
        )
        assert minimum.message == (
            "Daily dose 0.5 mg is below the leaflet's minimal dose for epilepsy, 1.5 mg a day; "
            f"it gives none for {words}."
        )
    else:
        assert start.message == "A new course starts at 3 mg a day; the leaflet starts at 1.5 mg a day."
        assert minimum.message == "Daily dose 0.5 mg is below the leaflet's minimal dose of 1.5 mg a day."


def test_a_starting_dose_without_indications_applies_to_every_one(label: Label) -> None:
    start = label.adult_dosing.start.model_copy(update={"indications": None})
    unscoped = label.model_copy(update={"adult_dosing": label.adult_dosing.model_copy(update={"start": start})})
    findings = check(make_case(1, 3, indication="panic"), unscoped).findings
    (finding,) = [f for f in findings if f.code == "START_DOSE_ABOVE_MINIMUM"]
    assert finding.message == "A new course starts at 3 mg a day; the leaflet starts at 1.5 mg a day."


def test_a_starting_dose_for_an_unknown_indication_is_refused(label: Label) -> None:
    start = label.adult_dosing.start.model_copy(update={"indications": ("insomnia",)})
    with pytest.raises(ValueError, match=r"adult_dosing\.start\.indications names insomnia"):
        label.model_copy(update={"adult_dosing": label.adult_dosing.model_copy(update={"start": start})})

"""Titration at the leaflet's boundaries: ages 1, 6 and 16; targets 1.5, 8, 10 and 20 mg a day."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.plan import Plan
from clonaguard.rules.timeline import add_months
from clonaguard.units import Mass
from tests.plan.plans import START, assert_in_real_tablets, attention, titration

FIRST_DAY = date.fromisoformat(START)


def assert_sound(plan: Plan, label: Label, target: float, step: float, interval: int) -> None:
    """Raises only, each at most `step`, `interval` days apart, ending on maintenance at the target."""
    dailies = [s.daily_mg for s in plan.steps]
    assert dailies == sorted(dailies)
    masses = [Mass.of(daily) for daily in dailies]
    assert all(Mass(0) < b - a <= Mass.of(step) for a, b in itertools.pairwise(masses))
    assert dailies[-1] == target
    assert [s.kind for s in plan.steps][-1] == "maintenance"
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert (after.start - before.start).days == interval
        assert after.start == before.end + timedelta(days=1)
    assert_in_real_tablets(plan)
    assert attention(plan, label) == []


def test_adult_starts_at_the_minimal_dose_and_reaches_the_target(label: Label) -> None:
    start = label.adult_dosing.start
    plan = titration(label, age=34, target=6)
    first = plan.steps[0]
    assert first.kind == "start"
    assert first.daily_mg == start.daily_mg
    assert [d.dose_mg for d in first.administrations] == [start.dose_mg] * start.times_per_day
    assert_sound(
        plan, label, 6, label.titration_policy.step_daily_mg.min, int(label.adult_dosing.titration.interval_days.min)
    )


def test_maintenance_runs_to_the_course_limit(label: Label) -> None:
    plan = titration(label)
    limit = add_months(FIRST_DAY, label.recommendations.course_limit.max_months)
    assert plan.steps[-1].end == limit == plan.course_limit
    assert plan.to_case().orders[-1].end == limit


def test_an_earlier_end_is_kept_and_one_past_the_limit_refused(label: Label) -> None:
    plan = titration(label, end="2027-01-15")
    assert plan.steps[-1].end == date(2027, 1, 15)
    with pytest.raises(InvalidInputError, match=r"^end: .*accepted: .* to 2027-03-01"):
        titration(label, end="2027-03-02")


@pytest.mark.parametrize("age", [1, 6])
def test_children_start_at_the_low_end_of_their_band(label: Label, age: float) -> None:
    band = label.band_for_age(age)
    assert band is not None
    plan = titration(label, age=age, target=band.daily_mg.max)
    assert plan.steps[0].daily_mg == band.daily_mg.min
    assert max(s.daily_mg for s in plan.steps) == band.daily_mg.max
    step = label.titration_policy.pediatric_step_daily_mg.min
    assert_sound(plan, label, band.daily_mg.max, step, int(label.adult_dosing.titration.interval_days.min))


def test_sixteen_is_an_adult(label: Label) -> None:
    assert label.pediatric.adult_from_age_years == 16
    plan = titration(label, age=16, target=8)
    assert plan.steps[0].daily_mg == label.adult_dosing.start.daily_mg


def test_an_infant_starts_on_the_fewest_real_tablets_in_the_band(label: Label) -> None:
    band = label.band_for_age(0.5)
    assert band is not None
    plan = titration(label, age=0.5, target=band.daily_mg.max)
    first = plan.steps[0]
    assert band.daily_mg.min <= first.daily_mg <= band.daily_mg.max
    assert len(first.administrations) >= label.administration.times_per_day.min
    assert attention(plan, label) == []


@pytest.mark.parametrize(("age", "target"), [(1, 3.25), (6, 6.5), (15.9, 7)])
def test_a_target_above_the_age_band_is_refused_with_the_band(label: Label, age: float, target: float) -> None:
    band = label.band_for_age(age)
    assert band is not None
    with pytest.raises(InvalidInputError, match=rf"^target_mg: .*accepted: .* to {band.daily_mg.max:g} mg a day"):
        titration(label, age=age, target=target)


def test_a_target_above_the_maximum_is_refused(label: Label) -> None:
    maximum = label.adult_dosing.acute_maximum.daily_mg
    with pytest.raises(InvalidInputError, match=rf"^target_mg: .*accepted: 1.5 to {maximum:g} mg a day"):
        titration(label, target=maximum + 0.5, setting="inpatient", acute=True, step_mg=1)


def test_target_of_the_minimal_dose_is_maintenance_from_the_first_day(label: Label) -> None:
    plan = titration(label, target=1.5)
    assert len(plan.steps) == 1
    assert plan.steps[0].kind == "maintenance"
    assert attention(plan, label) == []


def test_target_of_eight_is_the_top_of_the_standard_range(label: Label) -> None:
    plan = titration(label, target=8, step_mg=1)
    assert plan.steps[-1].daily_mg == label.adult_dosing.standard.daily_mg.max
    assert plan.notes == ()
    assert_sound(plan, label, 8, 1, 3)


def test_target_of_ten_outside_an_acute_condition_stops_at_the_standard_range(label: Label) -> None:
    plan = titration(label, target=10, step_mg=1)
    top = label.adult_dosing.standard.daily_mg.max
    assert plan.steps[-1].daily_mg == top
    assert any("target of 10 mg a day" in note and f"stops at {top:g} mg a day" in note for note in plan.notes)
    assert attention(plan, label) == []


def test_target_of_ten_in_an_acute_condition(label: Label) -> None:
    plan = titration(label, target=10, step_mg=1, acute=True)
    assert plan.steps[-1].daily_mg == 10
    assert plan.notes == ()
    assert_sound(plan, label, 10, 1, 3)


def test_target_of_twenty_outside_hospital_stops_at_the_hospital_limit(label: Label) -> None:
    plan = titration(label, target=20, step_mg=1, acute=True)
    assert plan.steps[-1].daily_mg == label.adult_dosing.hospital_only_above.daily_mg
    assert any("only in hospital" in note for note in plan.notes)


def test_target_of_twenty_in_hospital_needs_a_step_that_reaches_it_within_the_course(label: Label) -> None:
    plan = titration(label, target=20, step_mg=1, acute=True, setting="inpatient")
    assert_sound(plan, label, 20, 1, 3)
    with pytest.raises(InvalidInputError, match=r"^step_mg: .*course limit.*accepted: at least 0.75 mg a day"):
        titration(label, target=20, acute=True, setting="inpatient")


@pytest.mark.parametrize("interval", [2, 6])
def test_interval_outside_the_leaflets_range_is_refused(label: Label, interval: int) -> None:
    with pytest.raises(InvalidInputError, match=r"^interval_days: .*accepted: 3 to 5 days"):
        titration(label, interval_days=interval)


def test_a_longer_interval_within_the_range(label: Label) -> None:
    plan = titration(label, interval_days=5)
    assert_sound(plan, label, 6, 0.5, 5)


def test_step_above_policy_is_refused(label: Label) -> None:
    largest = label.titration_policy.step_daily_mg.max
    with pytest.raises(InvalidInputError, match=rf"^step_mg: .*at most {largest:g} mg a day"):
        titration(label, step_mg=largest + 0.5)


def test_step_no_tablet_gives_is_refused_and_an_odd_step_rounded_down(label: Label) -> None:
    with pytest.raises(InvalidInputError, match=r"^step_mg: no combination .*accepted: 0.25 to"):
        titration(label, step_mg=0.1)
    plan = titration(label, step_mg=0.3)
    assert any("nearest lower one, 0.25 mg a day" in note for note in plan.notes)
    assert_sound(plan, label, 6, 0.25, 3)


@pytest.mark.parametrize("step", [0, -0.5, "abc"])
def test_step_of_zero_negative_or_not_a_number_is_refused(label: Label, step: object) -> None:
    with pytest.raises(InvalidInputError, match=r"^step_mg: "):
        titration(label, step_mg=step)


def test_target_no_tablet_gives_becomes_the_nearest_lower(label: Label) -> None:
    plan = titration(label, target=6.1)
    assert plan.steps[-1].daily_mg == 6
    assert any("6.1 mg a day" in note and "nearest lower dose, 6 mg a day" in note for note in plan.notes)


def test_decimal_comma_in_target(label: Label) -> None:
    assert titration(label, target="5,5").steps[-1].daily_mg == 5.5


def test_two_times_a_day(label: Label) -> None:
    plan = titration(label, times=["07:30", "19:30"])
    assert {len(s.administrations) for s in plan.steps} == {2}
    assert attention(plan, label) == []


@pytest.mark.parametrize("times", [["08:00"], ["06:00", "10:00", "14:00", "18:00"]])
def test_times_outside_the_leaflets_range_are_refused(label: Label, times: list[str]) -> None:
    with pytest.raises(InvalidInputError, match=r"^times: .*accepted: 2 to 3 times of day"):
        titration(label, times=times)


@pytest.mark.parametrize("times", [["8", "14"], ["20:00", "08:00"], ["08:00", "08:00"], ["25:00", "26:00"]])
def test_bad_times_are_refused(label: Label, times: list[str]) -> None:
    with pytest.raises(InvalidInputError, match=r"^times: "):
        titration(label, times=times)


@pytest.mark.parametrize("start", ["2026-13-01", "tomorrow", "20261201", 20261201, "9999-12-01"])
def test_a_start_that_is_not_a_date_is_refused(label: Label, start: object) -> None:
    with pytest.raises(InvalidInputError, match=r"^start: "):
        titration(label, start=start)


def test_odt_plan_uses_only_orally_disintegrating_tablets(label: Label) -> None:
    plan = titration(label, form="odt", age=3, target=2.875)
    forms = {t.form for s in plan.steps for d in s.administrations for t in d.tablets}
    assert forms == {"odt"}
    assert plan.steps[-1].daily_mg == 2.875
    assert attention(plan, label) == []


def test_weight_is_recorded_and_said_not_to_change_the_plan(label: Label) -> None:
    plan = titration(label, weight_kg=70)
    assert plan.patient.weight_kg == 70
    assert any("body weight" in note for note in plan.notes)
    assert [s.daily_mg for s in plan.steps] == [s.daily_mg for s in titration(label).steps]


def test_a_step_a_hair_above_the_policy_maximum_is_the_maximum(label: Label) -> None:
    """2.2 - 1.2 is 1.0000000000000002 in binary: the same nanograms as 1 mg, so it is 1 mg, with no note."""
    largest = label.titration_policy.step_daily_mg.max
    noisy = 2.2 - 1.2
    assert noisy > largest == 1
    plan = titration(label, step_mg=noisy)
    assert not any("nearest lower one" in note for note in plan.notes)
    assert_sound(plan, label, 6, largest, 3)
    assert plan.steps[1].daily_mg - plan.steps[0].daily_mg == largest


def test_a_step_over_unequal_doses_checks_as_its_daily_dose(label: Label) -> None:
    """1.75 mg a day in three doses (0.5, 0.5, 0.75) is an order of 1.75/3 mg three times a day: 1.75 mg a day."""
    plan = titration(label, target=1.75, step_mg=0.25)
    unequal = [step for step in plan.steps if len({dose.dose_mg for dose in step.administrations}) > 1]
    assert unequal, "the plan has a step of unequal doses"
    for step in unequal:
        assert step.as_order().daily_dose_mg == step.daily_mg

"""Taper: at most one policy step down every interval, the final step held, then a stop."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.plan import Plan
from clonaguard.units import Mass
from tests.plan.plans import START, assert_in_real_tablets, attention, taper

FIRST_DAY = date.fromisoformat(START)


def assert_sound(plan: Plan, label: Label, step: float, interval: int) -> None:
    assert plan.current is not None
    dailies = [plan.current.daily_dose_mg] + [s.daily_mg for s in plan.steps]
    masses = [Mass.of(daily) for daily in dailies]
    assert all(Mass(0) < a - b <= Mass.of(step) for a, b in itertools.pairwise(masses))
    assert plan.steps[-1].daily_mg <= label.taper_policy.final_daily_mg
    for index, current in enumerate(plan.steps):
        assert current.start == FIRST_DAY + timedelta(days=index * interval)
        assert current.days == interval
    assert plan.stop == plan.steps[-1].end + timedelta(days=1)
    assert_in_real_tablets(plan)
    assert attention(plan, label) == []


def test_default_taper_follows_the_label_policy(label: Label) -> None:
    policy = label.taper_policy
    plan = taper(label, dose_mg=2, times_per_day=3)
    assert_sound(plan, label, policy.step_daily_mg, policy.interval_days)
    assert [s.daily_mg for s in plan.steps][:2] == [5.75, 5.5]
    assert plan.steps[-1].daily_mg == policy.final_daily_mg


def test_the_final_step_with_tablets_switches_to_orally_disintegrating_tablets_and_says_so(label: Label) -> None:
    plan = taper(label)
    final = plan.steps[-1]
    assert len(final.administrations) >= label.administration.times_per_day.min
    assert {t.form for d in final.administrations for t in d.tablets} == {"odt"}
    assert any("orally disintegrating" in note for note in plan.notes)
    earlier = {t.form for s in plan.steps[:-1] for d in s.administrations for t in d.tablets}
    assert earlier == {"tablet"}


def test_odt_taper_needs_no_switch(label: Label) -> None:
    plan = taper(label, form="odt", step_mg=0.125)
    assert_sound(plan, label, 0.125, label.taper_policy.interval_days)
    assert not any("orally disintegrating" in note for note in plan.notes)


def test_a_current_dose_no_tablets_give_comes_down_by_at_most_one_step(label: Label) -> None:
    plan = taper(label, dose_mg=0.3, times_per_day=3)  # 0.9 mg a day
    assert plan.steps[0].daily_mg == 0.75
    assert_sound(plan, label, label.taper_policy.step_daily_mg, label.taper_policy.interval_days)


def test_a_dose_at_the_final_step_stops_on_the_start_day(label: Label) -> None:
    plan = taper(label, dose_mg=0.125, times_per_day=2, form="odt")
    assert plan.steps == ()
    assert plan.stop == FIRST_DAY
    assert any("already at or below" in note for note in plan.notes)
    assert attention(plan, label) == []


def test_largest_taper_from_twenty_mg(label: Label) -> None:
    policy = label.taper_policy
    plan = taper(label, dose_mg=10, times_per_day=2, setting="inpatient", acute=True)
    expected_steps = round((20 - policy.final_daily_mg) / policy.step_daily_mg)  # 19.75 down to the final step
    assert len(plan.steps) == expected_steps
    assert_sound(plan, label, policy.step_daily_mg, policy.interval_days)


def test_a_longer_interval_and_smaller_step_are_kept_in_the_check(label: Label) -> None:
    plan = taper(label, dose_mg=1, times_per_day=2, step_mg=0.125, interval_days=7, form="odt")
    assert plan.taper is not None
    assert (plan.taper.step_daily_mg, plan.taper.interval_days) == (0.125, 7)
    assert plan.to_case().taper == plan.taper
    assert_sound(plan, label, 0.125, 7)


def test_a_taper_continues_a_course_and_stops(label: Label) -> None:
    case = taper(label).to_case()
    assert case.continuing
    assert case.stop is not None
    assert case.orders[0].daily_dose_mg == 6


def test_a_regimen_above_the_maximum_is_refused(label: Label) -> None:
    with pytest.raises(InvalidInputError, match=r"^dose_mg: .*accepted: up to 20 mg a day"):
        taper(label, dose_mg=7, times_per_day=3)


def test_a_step_above_the_policy_is_refused(label: Label) -> None:
    with pytest.raises(InvalidInputError, match=r"^step_mg: .*at most 0.25 mg a day"):
        taper(label, step_mg=0.5)


@pytest.mark.parametrize("step", [0, -0.25])
def test_a_step_of_zero_or_negative_is_refused(label: Label, step: float) -> None:
    with pytest.raises(InvalidInputError, match=r"^step_mg: .*greater than 0"):
        taper(label, step_mg=step)


def test_an_interval_below_the_policy_is_refused(label: Label) -> None:
    with pytest.raises(InvalidInputError, match=r"^interval_days: .*at least 3 days"):
        taper(label, interval_days=2)


def test_no_age_is_checked_as_an_adult_and_said(label: Label) -> None:
    plan = taper(label)
    assert not plan.age_given
    assert plan.patient.age_years == label.pediatric.adult_from_age_years
    assert any("No age given" in note for note in plan.notes)


def test_a_child_taper(label: Label) -> None:
    plan = taper(label, dose_mg=1, times_per_day=3, age_years=4)
    assert plan.age_given
    assert_sound(plan, label, label.taper_policy.step_daily_mg, label.taper_policy.interval_days)


@pytest.mark.parametrize("noisy", [0.55 - 0.3, 0.35 - 0.1])
def test_a_step_written_with_binary_noise_is_the_policy_step(label: Label, noisy: float) -> None:
    """0.25000000000000006 and 0.24999999999999997 are 0.25 mg to the nanogram: accepted, each step 0.25 mg."""
    policy = label.taper_policy
    assert noisy != policy.step_daily_mg
    plan = taper(label, step_mg=noisy)
    assert not any("nearest lower one" in note for note in plan.notes)
    assert plan.taper is not None and plan.taper.step_daily_mg == policy.step_daily_mg
    assert_sound(plan, label, policy.step_daily_mg, policy.interval_days)


def test_a_current_dose_written_with_binary_noise_is_its_exact_daily_dose(label: Label) -> None:
    """0.1 x 3 is 0.30000000000000004 in binary; three of them a day is 0.9 mg, lowered to 0.75 mg first."""
    plan = taper(label, dose_mg=0.1 * 3, times_per_day=3)
    assert plan.current is not None and plan.current.daily_dose_mg == 0.9
    assert plan.steps[0].daily_mg == 0.75
    assert_sound(plan, label, label.taper_policy.step_daily_mg, label.taper_policy.interval_days)

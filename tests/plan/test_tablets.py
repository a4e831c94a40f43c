"""Real tablets: every dose is a sum of strengths the label lists, halves only of scored tablets."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clonaguard.labels.schema import Label
from clonaguard.plan import tablets_for
from clonaguard.plan.tablets import day_times, split_daily, tablet_set
from clonaguard.units import Mass
from tests.plan.plans import tablets_mass


@pytest.mark.parametrize("form", ["tablet", "odt"])
def test_every_step_of_the_smallest_piece_up_to_the_maximum_is_made_of_real_tablets(label: Label, form: str) -> None:
    products = label.identity.products
    strengths = products.tablet_mg if form == "tablet" else products.odt_mg
    quantum = tablet_set(label, form).quantum  # type: ignore[arg-type]
    dose = quantum
    while dose <= Mass.of(label.adult_dosing.acute_maximum.daily_mg):
        choice = tablets_for(dose.mg, label, form)  # type: ignore[arg-type]
        assert choice.exact, dose
        assert tablets_mass(choice.tablets) == dose
        for tablet in choice.tablets:
            assert tablet.strength_mg in strengths
            assert tablet.form == form
            if tablet.halves % 2:
                assert form == "tablet" and tablet.strength_mg in products.scored_tablet_mg
        dose += quantum


def test_a_half_of_the_scored_tablet_is_the_smallest_tablet_dose(label: Label) -> None:
    scored = min(label.identity.products.scored_tablet_mg)
    choice = tablets_for(scored / 2, label)
    assert choice.exact
    assert [(t.strength_mg, t.count) for t in choice.tablets] == [(scored, 0.5)]
    assert choice.tablets_text == f"½ × {scored:g} mg tablet"


def test_unscored_tablets_are_never_halved(label: Label) -> None:
    """1.5 mg is one 1 mg and one 0.5 mg tablet, never one and a half 1 mg tablets."""
    choice = tablets_for(1.5, label)
    assert {(t.strength_mg, t.count) for t in choice.tablets} == {(1.0, 1.0), (0.5, 1.0)}


def test_fewest_tablets_largest_first(label: Label) -> None:
    choice = tablets_for(6, label)
    assert [(t.strength_mg, t.count) for t in choice.tablets] == [(2.0, 3.0)]
    assert choice.tablets_text == "3 × 2 mg tablets"


@pytest.mark.parametrize(
    ("requested", "form", "nearest"), [(0.3, "tablet", 0.25), (6.1, "tablet", 6.0), (0.2, "odt", 0.125)]
)
def test_a_dose_no_tablets_give_offers_the_nearest_lower_one(
    label: Label, requested: float, form: str, nearest: float
) -> None:
    choice = tablets_for(requested, label, form)  # type: ignore[arg-type]
    assert not choice.exact
    assert choice.dose_mg == nearest
    assert tablets_mass(choice.tablets) == Mass.of(nearest)
    assert choice.message is not None
    assert f"gives {requested:g} mg" in choice.message
    assert f"nearest lower dose is {nearest:g} mg" in choice.message


def test_a_dose_below_every_tablet_says_so(label: Label) -> None:
    choice = tablets_for(0.1, label)
    assert choice.dose_mg == 0 and choice.tablets == ()
    assert choice.message is not None and "below the smallest dose" in choice.message


def test_default_times_spread_over_the_waking_day() -> None:
    assert day_times(3) == (time(8), time(14), time(20))
    assert day_times(2) == (time(8), time(20))
    assert day_times(1) == (time(20),)


@settings(max_examples=200, deadline=None)
@given(units=st.integers(1, 200), count=st.integers(1, 4), form=st.sampled_from(["tablet", "odt"]))
def test_a_day_split_is_equal_where_possible_and_largest_in_the_evening(
    label: Label, units: int, count: int, form: str
) -> None:
    tablets = tablet_set(label, form)  # type: ignore[arg-type]
    times = day_times(count)
    doses = split_daily(tablets, units, times, 1)
    assert doses is not None
    amounts = [Mass.of(dose.dose_mg) for dose in doses]
    assert sum(amounts, Mass(0)) == tablets.quantum * units
    assert amounts == sorted(amounts), "a larger dose never comes before a smaller one"
    assert max(amounts) - min(amounts) <= tablets.quantum
    assert [dose.time for dose in doses] == sorted(dose.time for dose in doses)
    assert len(doses) == min(count, units)
    assert doses[-1].time == times[-1], "the evening dose is always given"
    for dose in doses:
        assert tablets_mass(dose.tablets) == Mass.of(dose.dose_mg)


def test_a_daily_dose_too_small_for_every_time_uses_fewer_times(label: Label) -> None:
    tablets = tablet_set(label, "tablet")
    doses = split_daily(tablets, 2, day_times(3), 2)
    assert doses is not None
    assert [dose.time for dose in doses] == [time(8), time(20)]
    assert split_daily(tablets, 1, day_times(3), 2) is None

"""ss=1 is the limit of repeated dosing; ss=2 adds a second series' steady state to the first."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clonaguard.errors import InvalidInputError
from clonaguard.pk.engine import Subjects, disposition_rates, simulate
from clonaguard.pk.events import Event


@st.composite
def cases(draw: st.DrawFn) -> tuple[Subjects, Event]:
    two = draw(st.booleans())
    group = Subjects(
        "2cmt" if two else "1cmt",
        cl=np.array([draw(st.floats(2.0, 20.0))]),
        v=np.array([draw(st.floats(10.0, 100.0))]),
        ka=np.array([draw(st.floats(0.3, 3.0))]),
        q=np.array([draw(st.floats(1.0, 10.0))]) if two else None,
        v2=np.array([draw(st.floats(10.0, 100.0))]) if two else None,
        bioavailability={1: draw(st.floats(0.3, 1.0))},
        lag={1: draw(st.floats(0.0, 3.0))},
    )
    ii = draw(st.floats(6.0, 24.0))
    amt = draw(st.floats(1.0, 100.0))
    infusion_h = draw(st.floats(0.5, 0.9 * ii))  # a steady-state infusion must end within its interval
    rate = draw(st.sampled_from([0.0, amt / infusion_h]))
    return group, Event(time=0.0, amt=amt, cmt=draw(st.sampled_from([1, 2])), ii=ii, rate=rate)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases())
@example(  # ka 0.5 below k 1.1: five doses (paced by k) left 2.5e-7 of the way to steady state
    (
        Subjects("1cmt", np.array([11.0]), np.array([10.0]), np.array([0.5]), bioavailability={1: 1.0}, lag={1: 0.0}),
        Event(time=0.0, amt=1.0, cmt=1, ii=6.0, rate=1.0),
    )
)
def test_ss1_equals_the_limit_of_repeated_dosing(case: tuple[Subjects, Event]) -> None:
    group, dose = case
    # Absorption slower than elimination (flip-flop) sets the pace of the approach to steady state.
    slowest = min(float(np.min(disposition_rates(group))), float(np.min(group.ka)))
    repeats = math.ceil(32 / (slowest * dose.ii))  # e^-32: what is left of the first dose is below 1e-13
    start = repeats * dose.ii
    long_run = Event(time=0.0, amt=dose.amt, cmt=dose.cmt, ii=dose.ii, addl=repeats + 2, rate=dose.rate)
    steady = Event(time=start, amt=dose.amt, cmt=dose.cmt, ii=dose.ii, addl=2, rate=dose.rate, ss=1)
    times = start + dose.ii * (np.arange(39) + 0.5) / 13  # never at a dose's instant
    np.testing.assert_allclose(simulate(group, [steady], times), simulate(group, [long_run], times), rtol=1e-8)


def test_ss2_adds_a_second_series_to_the_first() -> None:
    """Doses at 08:00 and 20:00 of different sizes: ss=1 then ss=2 is the limit of both given for ever."""
    group = Subjects("1cmt", np.array([4.9]), np.array([210.0]), np.array([1.5]))
    days = 60
    long_run = [Event(time=0.0, amt=1.0, ii=24.0, addl=days), Event(time=12.0, amt=2.0, ii=24.0, addl=days)]
    steady = [Event(time=24.0 * days, amt=1.0, ii=24.0, ss=1), Event(time=24.0 * days + 12, amt=2.0, ii=24.0, ss=2)]
    times = 24.0 * days + 12 + np.linspace(0.0, 12.0, 13)
    np.testing.assert_allclose(simulate(group, steady, times), simulate(group, long_run, times), rtol=1e-9)


def test_a_lag_as_long_as_the_interval_is_refused_for_a_steady_state_dose() -> None:
    group = Subjects("1cmt", np.array([4.9]), np.array([210.0]), np.array([1.5]), lag={1: 12.0})
    with pytest.raises(InvalidInputError, match="tlag"):
        simulate(group, [Event(time=0.0, amt=1.0, ii=12.0, ss=1)], [1.0])

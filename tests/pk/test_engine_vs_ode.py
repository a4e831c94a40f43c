"""The closed form against scipy's solve_ivp on generated regimens: relative error below 1e-6.

Regimens mix oral and intravenous boluses, infusions, additional doses, irregular (missed and extra) doses,
lag times, bioavailability and resets, for both models.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clonaguard.pk.engine import Subjects, simulate
from clonaguard.pk.events import Event
from tests.pk.ode import ode_concentrations

rates = st.floats(0.05, 5.0)
volumes = st.floats(5.0, 300.0)


@st.composite
def subjects(draw: st.DrawFn, structure: str) -> Subjects:
    two = structure == "2cmt"
    return Subjects(
        structure="2cmt" if two else "1cmt",
        cl=np.array([draw(st.floats(0.5, 30.0))]),
        v=np.array([draw(volumes)]),
        ka=np.array([draw(rates)]),
        q=np.array([draw(st.floats(0.5, 30.0))]) if two else None,
        v2=np.array([draw(volumes)]) if two else None,
        bioavailability={1: draw(st.floats(0.2, 1.0)), 2: draw(st.floats(0.5, 1.0))},
        lag={1: draw(st.sampled_from([0.0, draw(st.floats(0.01, 3.0))])), 2: 0.0},
    )


@st.composite
def doses(draw: st.DrawFn) -> Event:
    infusion = draw(st.booleans())
    return Event(
        time=draw(st.floats(0.0, 96.0)),
        amt=draw(st.floats(0.1, 100.0)),
        evid=draw(st.sampled_from([1, 1, 1, 4])),
        cmt=draw(st.sampled_from([1, 2])),
        ii=draw(st.floats(2.0, 24.0)),
        addl=draw(st.integers(0, 4)),
        rate=draw(st.floats(1.0, 50.0)) if infusion else 0.0,
    )


regimens = st.tuples(
    st.lists(doses(), min_size=1, max_size=6),
    st.lists(st.floats(1.0, 120.0), max_size=2).map(lambda ts: [Event(time=t, evid=3) for t in ts]),
)


def _agree(group: Subjects, regimen: tuple[list[Event], list[Event]]) -> None:
    events = regimen[0] + regimen[1]
    times = list(np.linspace(0.0, 150.0, 16)) + [e.time + 0.37 for e in events]
    closed = simulate(group, events, times)[0]
    reference = ode_concentrations(group, events, times)
    # relative error below 1e-6; the absolute floor is rounding at the scale of a dose (amount / volume)
    floor = 1e-12 * max(e.amt for e in events) / float(group.v[0])
    np.testing.assert_allclose(closed, reference, rtol=1e-6, atol=floor)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(subjects("1cmt"), regimens)
def test_one_compartment_closed_form_matches_the_ode(group: Subjects, regimen: tuple[list[Event], list[Event]]) -> None:
    _agree(group, regimen)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(subjects("2cmt"), regimens)
def test_two_compartment_closed_form_matches_the_ode(group: Subjects, regimen: tuple[list[Event], list[Event]]) -> None:
    _agree(group, regimen)


def test_a_missed_dose_takes_away_exactly_its_own_curve() -> None:
    """Linear kinetics: the regimen without one dose is the regimen minus that dose's single-dose curve."""
    group = Subjects("2cmt", np.array([4.9]), np.array([210.0]), np.array([1.5]), np.array([8.0]), np.array([90.0]))
    times = np.linspace(0, 96, 97)
    full = [Event(time=8.0 * k, amt=0.5) for k in range(12)]
    missed = full[:5] + full[6:]
    alone = simulate(group, [full[5]], times)
    np.testing.assert_allclose(simulate(group, missed, times), simulate(group, full, times) - alone, atol=1e-15)


def test_equal_absorption_and_elimination_rates_give_the_limit_curve() -> None:
    """ka = k makes the usual formula 0/0; the answer is the limit D·ka·t·e^(−kt)/V."""
    k = 0.1
    group = Subjects("1cmt", np.array([k * 50.0]), np.array([50.0]), np.array([k]))
    times = np.array([0.5, 3.0, 10.0, 40.0])
    expected = 100 * k * times * np.exp(-k * times) / 50.0
    np.testing.assert_allclose(simulate(group, [Event(time=0.0, amt=100.0)], times)[0], expected, rtol=1e-6)

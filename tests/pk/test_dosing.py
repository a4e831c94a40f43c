"""Dosing records from actual doses, sigs, plans and cases: times of day, steady state before a taper, stops."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from numpy.typing import NDArray
from typer.testing import CliRunner

from clonaguard.check import parse_case
from clonaguard.cli import app
from clonaguard.errors import InvalidInputError
from clonaguard.labels.load import load_label
from clonaguard.pk.dosing import Dosing, from_doses
from clonaguard.pk.engine import Subjects, simulate
from clonaguard.pk.sources import from_case, from_plan, from_sig
from tests.dates import TODAY

TYPICAL = Subjects("1cmt", np.array([4.93]), np.array([210.0]), np.array([1.5]))


def _level(dosing: Dosing, hours: list[float] | NDArray[np.float64]) -> NDArray[np.float64]:
    levels: NDArray[np.float64] = simulate(TYPICAL, dosing.events, np.asarray(hours, dtype=float) + dosing.origin_h)[0]
    return levels


def test_actual_doses_with_a_missed_and_an_extra_one() -> None:
    """A diary's doses: 08:00/14:00/20:00 on day one, the 14:00 dose of day two missed, an extra dose at 22:00."""
    taken = [(0.0, 0.5), (6.0, 0.5), (12.0, 0.5), (24.0, 0.5), (36.0, 0.5), (38.0, 0.25)]
    planned = [(0.0, 0.5), (6.0, 0.5), (12.0, 0.5), (24.0, 0.5), (30.0, 0.5), (36.0, 0.5)]
    hours = np.arange(0.0, 72.0, 0.5)
    difference = _level(from_doses(planned), hours) - _level(from_doses(taken), hours)
    missed_alone = _level(from_doses([(30.0, 0.5)]), hours)
    extra_alone = _level(from_doses([(38.0, 0.25)]), hours)
    np.testing.assert_allclose(difference, missed_alone - extra_alone, atol=1e-15)
    assert from_doses(taken).doses_h == (0.0, 6.0, 12.0, 24.0, 36.0, 38.0)


@pytest.mark.parametrize(
    ("doses", "field"), [([(-1.0, 0.5)], "doses[0].time_h"), ([(0.0, 0.0)], "doses[0].dose_mg"), ([], "doses")]
)
def test_bad_actual_doses_name_the_field(doses: list[tuple[float, float]], field: str) -> None:
    with pytest.raises(InvalidInputError, match=rf"^{field.replace('[', '.').replace(']', '.')}"):
        from_doses(doses)


def test_tid_is_given_at_the_planners_default_times() -> None:
    dosing = from_sig("0.5 mg tid", 2)
    assert dosing.doses_h[:4] == (0.0, 6.0, 12.0, 24.0)
    assert dosing.first_dose is not None and dosing.first_dose.hour == 8


def test_an_interval_sig_doses_every_interval_from_time_zero() -> None:
    assert from_sig("0.5 mg q8h", 2).doses_h[:4] == (0.0, 8.0, 16.0, 24.0)


def test_a_sig_that_ends_with_stop_ends_its_doses() -> None:
    dosing = from_sig("0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop", 21)
    assert len(dosing.doses_h) == 12
    assert dosing.last_dose_h == 5 * 24 + 12


@pytest.mark.parametrize("text", ["0.5 mg tid prn anxiety", "0.5-1 mg tid", "take as directed", "2 tabs tid"])
def test_a_sig_not_read_with_certainty_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError, match=r"^sig:"):
        from_sig(text, 21)


def test_a_taper_plan_starts_at_the_steady_state_of_its_current_regimen() -> None:
    printed = CliRunner().invoke(app, ["plan", "taper", "--from", "2 mg tid", "--start", "2026-12-01", "--json"])
    dosing = from_plan(json.loads(printed.stdout))
    long_run = from_doses([(24.0 * day + hour, 2.0) for day in range(60) for hour in (0.0, 6.0, 12.0)])
    assert dosing.origin_h > 0  # its clock starts on the day before, with the steady-state records
    np.testing.assert_allclose(_level(dosing, [0.0]), _level(long_run, [24.0 * 60]), rtol=1e-8)


def test_a_titration_plan_starts_from_no_clonazepam() -> None:
    printed = CliRunner().invoke(
        app, ["plan", "titrate", "--age", "34", "--target-mg", "3", "--start", "2026-12-01", "--json"]
    )
    dosing = from_plan(json.loads(printed.stdout))
    assert _level(dosing, [0.0])[0] == pytest.approx(0.0, abs=1e-15)
    assert dosing.origin_h == 0.0


def test_a_plan_with_bad_fields_names_them() -> None:
    with pytest.raises(InvalidInputError, match=r"^plan\.steps"):
        from_plan({"kind": "titration", "steps": []})


CASE = {
    "today": "2026-03-01",
    "patient": {"age_years": 34, "weight_kg": 70},
    "orders": [
        {"start": "2026-01-01", "dose_mg": 0.5, "times_per_day": 3},
        {"start": "2026-01-05", "dose_mg": 1, "times_per_day": 3},
    ],
    "stop": "2026-02-01",
}


def test_a_case_stops_abruptly_beside_the_planners_taper() -> None:
    courses = from_case(parse_case(CASE, today=TODAY), load_label(), None)
    assert courses.taper is not None and courses.stop == date(2026, 2, 1)
    assert courses.history.last_dose_h == 30 * 24 + 12  # 20:00 on 31 January
    before, after = np.array([24.0 * 30]), np.array([24.0 * 33])
    np.testing.assert_allclose(_level(courses.history, before), _level(courses.taper, before))
    assert _level(courses.taper, after)[0] > 2 * _level(courses.history, after)[0]

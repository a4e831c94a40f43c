"""The safer-regimen search gives what asking `check` about every whole-tablet regimen gives (the reference)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from clonaguard.alternatives import safer_regimen
from clonaguard.check import check, parse_case
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Report, Severity
from clonaguard.rules.tables import tables_for

TODAY = "2026-03-01"


def _reference(case: Case, label: Label) -> tuple[tuple[float, int, set[str]] | None, set[str]]:
    """Every candidate through `check`, nearest first: the first with no finding, else the mildest safe one."""
    ordered = case.checked_order
    divided_into = label.adult_dosing.standard.divided_into

    def preference(regimen: tuple[float, int]) -> tuple[float, bool, bool, bool, float]:
        dose, times = regimen
        daily = round(dose * times, 6)
        return (
            round(abs(daily - ordered.daily_dose_mg), 6),
            daily > ordered.daily_dose_mg,
            times != ordered.times_per_day,
            times != divided_into,
            dose,
        )

    def attention(report: Report) -> set[str]:
        return {f.code for f in report.findings if f.severity is not Severity.INFO}

    checked: list[tuple[float, int, Report]] = []
    regimens = [(regimen.dose_mg, regimen.times_per_day) for regimen in tables_for(label).regimens]
    for dose, times in sorted(regimens, key=preference):
        data: dict[str, Any] = case.model_dump(exclude_unset=True)
        data["orders"][-1].update(dose_mg=dose, times_per_day=times)
        report = check(Case.model_validate(data), label)
        if not report.findings:
            return (dose, times, set()), set()
        checked.append((dose, times, report))
    unavoidable = set.intersection(*(attention(report) for _, _, report in checked))
    safe = [c for c in checked if attention(c[2]) <= unavoidable]
    if not safe:
        return None, unavoidable

    def rank(candidate: tuple[float, int, Report]) -> tuple[int, int]:
        avoidable = [f for f in candidate[2].findings if f.code not in unavoidable]
        return max((f.severity.rank for f in avoidable), default=-1), len(avoidable)

    dose, times, report = min(safe, key=rank)
    return (dose, times, {f.code for f in report.findings}), unavoidable


def _cases() -> list[dict[str, Any]]:
    patients = [
        {"age_years": 0.5},
        {"age_years": 3},
        {"age_years": 10},
        {"age_years": 40},
        {"age_years": 40, "pregnant": True},
        {"age_years": 70, "alcohol_use": True},
    ]
    histories: list[list[dict[str, Any]]] = [
        [],
        [{"start": "2026-02-27", "dose_mg": 1, "times_per_day": 3}],  # changed 2 days ago: a raise is too fast
        [{"start": "2026-02-01", "dose_mg": 2, "times_per_day": 3}],  # 6 mg a day for a month
        [{"start": "2025-10-01", "dose_mg": 1, "times_per_day": 3}],  # running for 5 months
    ]
    regimens = [(0.25, 1), (0.5, 3), (1, 2), (3, 3), (2, 4), (4, 3), (0.3, 3)]
    cases = []
    for patient, history, (dose, times), setting in itertools.product(
        patients, histories, regimens, ["outpatient", "inpatient"]
    ):
        cases.append(
            {
                "today": TODAY,
                "patient": patient,
                "setting": setting,
                "continuing": bool(history),
                "orders": [*history, {"start": TODAY, "dose_mg": dose, "times_per_day": times}],
            }
        )
    return cases


@pytest.mark.parametrize("data", _cases())
def test_safer_regimen_matches_checking_every_regimen(data: dict[str, Any], label: Label) -> None:
    case = parse_case(data)
    alternative, unavoidable = safer_regimen(case, label)
    expected, expected_unavoidable = _reference(case, label)
    found = None if alternative is None else (alternative.dose_mg, alternative.times_per_day, alternative.codes)
    assert (found, unavoidable) == (expected, expected_unavoidable)
    if alternative is not None:  # and its report is check's own
        regimen = {"start": TODAY, "dose_mg": alternative.dose_mg, "times_per_day": alternative.times_per_day}
        assert alternative.report == check(parse_case({**data, "orders": [*data["orders"][:-1], regimen]}), label)

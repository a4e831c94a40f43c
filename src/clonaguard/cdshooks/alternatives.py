"""A safer regimen for a checked order, found by asking `check` itself: no rule logic lives here.

Candidates are whole-tablet doses (tablet strengths and halves of scored tablets) given as often a day as
the label allows. A candidate is safe when `check` finds nothing of warning or worse in it beyond what no
regimen can avoid (a contraindication stays whatever the dose). Among safe candidates the one with the
mildest findings and the daily dose nearest to the ordered one wins; on a tie, the lower dose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clonaguard.check import check
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Report, Severity
from clonaguard.regimens import dose_increment_mg


@dataclass(frozen=True, slots=True)
class Alternative:
    dose_mg: float
    times_per_day: int
    report: Report

    @property
    def codes(self) -> set[str]:
        return {finding.code for finding in self.report.findings}


def _with_regimen(case: Case, dose_mg: float, times_per_day: int) -> Case:
    data: dict[str, Any] = case.model_dump(exclude_unset=True)
    data["orders"][-1].update(dose_mg=dose_mg, times_per_day=times_per_day)
    return Case.model_validate(data)


def _attention_codes(report: Report) -> set[str]:
    return {finding.code for finding in report.findings if finding.severity is not Severity.INFO}


def safer_regimen(case: Case, label: Label) -> tuple[Alternative | None, set[str]]:
    """The best safe alternative (or None) and the codes no candidate regimen avoids.

    Candidates are tried nearest first, so the search stops at the first one `check` finds nothing in
    (no later candidate can rank better); only when none is clean are all of them compared.
    """
    ordered = case.checked_order
    divided_into = label.adult_dosing.standard.divided_into

    def preference(regimen: tuple[float, int]) -> tuple[float, bool, bool, bool, float]:
        dose, times = regimen
        daily = round(dose * times, 6)
        distance = round(abs(daily - ordered.daily_dose_mg), 6)
        return (distance, daily > ordered.daily_dose_mg, times != ordered.times_per_day, times != divided_into, dose)

    candidates: list[Alternative] = []
    for dose, times in sorted(_regimens(label), key=preference):
        candidate = Alternative(dose, times, check(_with_regimen(case, dose, times), label))
        if not candidate.report.findings:
            return candidate, set()
        candidates.append(candidate)
    if not candidates:
        return None, set()
    unavoidable = set.intersection(*(_attention_codes(c.report) for c in candidates))
    safe = [c for c in candidates if _attention_codes(c.report) <= unavoidable]
    if not safe:
        return None, unavoidable

    def rank(candidate: Alternative) -> tuple[int, int]:
        avoidable = [f for f in candidate.report.findings if f.code not in unavoidable]
        return max((f.severity.rank for f in avoidable), default=-1), len(avoidable)

    return min(safe, key=rank), unavoidable  # min is stable: equal ranks keep the nearest-first order


def _regimens(label: Label) -> list[tuple[float, int]]:
    """Whole-tablet doses, as often a day as the label allows, up to the label's overdose threshold."""
    step = dose_increment_mg(label)
    allowed = label.administration.times_per_day
    ceiling = label.adult_dosing.overdose_above.daily_mg
    regimens = []
    for times in range(int(allowed.min), int(allowed.max) + 1):
        steps = 1
        while round(steps * step * times, 6) <= ceiling:
            regimens.append((round(steps * step, 6), times))
            steps += 1
    return regimens

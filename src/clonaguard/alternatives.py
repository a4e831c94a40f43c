"""A safer regimen for a checked order, found by asking the rules themselves: no rule logic lives here.

Candidates are whole-tablet doses (tablet strengths and halves of scored tablets) given as often a day as
the label allows. A candidate is safe when the rules find nothing of warning or worse in it beyond what no
regimen can avoid (a contraindication stays whatever the dose). Among safe candidates the one with the
mildest findings and the daily dose nearest to the ordered one wins; on a tie, the lower dose.

The rules are the ones `check` runs (`ORDER_RULES`), so a candidate's findings are exactly `check`'s. They
are worked out lazily: walking the candidates nearest first, a candidate is dropped at its first finding,
which usually takes one or two rules instead of all of them. Only when no candidate is clean are the
remaining rules run, so that all candidates can be compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from clonaguard.check import check
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Order, Report, Severity
from clonaguard.regimens import describe, dose_increment_mg
from clonaguard.rules import ORDER_RULES


@dataclass(frozen=True, slots=True)
class Alternative:
    dose_mg: float
    times_per_day: int
    report: Report

    @property
    def codes(self) -> set[str]:
        return {finding.code for finding in self.report.findings}

    def resolves_any(self, report: Report) -> bool:
        """Whether this regimen avoids at least one of the report's findings."""
        return any(finding.code not in self.codes for finding in report.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dose_mg": self.dose_mg,
            "times_per_day": self.times_per_day,
            "daily_dose_mg": self.report.daily_dose_mg,
            "text": describe(self.dose_mg, self.times_per_day),
        }


def offered_alternative(case: Case, label: Label, report: Report) -> Alternative | None:
    """The safer regimen a report offers beside its findings: None when there are none, when no regimen is
    safe, or when the best one avoids none of them (a contraindication stays whatever the dose)."""
    if not report.findings:
        return None
    alternative, _ = safer_regimen(case, label)
    return alternative if alternative is not None and alternative.resolves_any(report) else None


def _with_regimen(case: Case, dose_mg: float, times_per_day: int) -> Case:
    """The case with its checked order changed to the regimen, validated like any case.

    Built from the case's validated parts (the fields it was given), as a dump and a fresh validation would be.
    """
    checked = case.checked_order
    order = {name: getattr(checked, name) for name in checked.model_fields_set}
    order.update(dose_mg=dose_mg, times_per_day=times_per_day)
    data: dict[str, Any] = {name: getattr(case, name) for name in case.model_fields_set}
    data["orders"] = [*case.orders[:-1], Order.model_validate(order)]
    return Case.model_validate(data)


class _Candidate:
    """A regimen whose findings are worked out rule by rule, only as far as the search needs them."""

    __slots__ = ("_pending", "case", "dose_mg", "findings", "times_per_day")

    def __init__(self, case: Case, label: Label, dose_mg: float, times_per_day: int) -> None:
        self.dose_mg = dose_mg
        self.times_per_day = times_per_day
        self.case = _with_regimen(case, dose_mg, times_per_day)
        self.findings: list[Finding] = []
        self._pending: Iterator[list[Finding]] = (rule(label, self.case) for rule in ORDER_RULES)

    def is_clean(self) -> bool:
        """Whether no rule finds anything; stops at the first rule that does."""
        while not self.findings:
            found = next(self._pending, None)
            if found is None:
                return True
            self.findings.extend(found)
        return False

    def all_findings(self) -> list[Finding]:
        self.findings.extend(finding for found in self._pending for finding in found)
        return self.findings


def _attention_codes(findings: list[Finding]) -> set[str]:
    return {finding.code for finding in findings if finding.severity is not Severity.INFO}


def safer_regimen(case: Case, label: Label) -> tuple[Alternative | None, set[str]]:
    """The best safe alternative (or None) and the codes no candidate regimen avoids.

    Candidates are tried nearest first, so the search stops at the first one the rules find nothing in
    (no later candidate can rank better); only when none is clean are all of them compared.
    """
    ordered = case.checked_order
    divided_into = label.adult_dosing.standard.divided_into

    def preference(regimen: tuple[float, int]) -> tuple[float, bool, bool, bool, float]:
        dose, times = regimen
        daily = round(dose * times, 6)
        distance = round(abs(daily - ordered.daily_dose_mg), 6)
        return (distance, daily > ordered.daily_dose_mg, times != ordered.times_per_day, times != divided_into, dose)

    candidates: list[_Candidate] = []
    for dose, times in sorted(_regimens(label), key=preference):
        candidate = _Candidate(case, label, dose, times)
        if candidate.is_clean():
            return _alternative(candidate, label), set()
        candidates.append(candidate)
    if not candidates:
        return None, set()
    attention = [_attention_codes(c.all_findings()) for c in candidates]
    unavoidable = set.intersection(*attention)
    safe = [c for c, codes in zip(candidates, attention, strict=True) if codes <= unavoidable]
    if not safe:
        return None, unavoidable

    def rank(candidate: _Candidate) -> tuple[int, int]:
        avoidable = [f for f in candidate.findings if f.code not in unavoidable]
        return max((f.severity.rank for f in avoidable), default=-1), len(avoidable)

    # min is stable: equal ranks keep the nearest-first order
    return _alternative(min(safe, key=rank), label), unavoidable


def _alternative(candidate: _Candidate, label: Label) -> Alternative:
    """The chosen regimen with `check`'s own report of it."""
    return Alternative(candidate.dose_mg, candidate.times_per_day, check(candidate.case, label))


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

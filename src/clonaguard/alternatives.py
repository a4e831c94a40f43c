"""A safer regimen for a checked order, found by asking the rules themselves: no rule logic lives here.

Candidates are whole-tablet doses (tablet strengths and halves of scored tablets) given as often a day as
the label allows. A candidate is safe when the rules find nothing of warning or worse in it beyond what no
regimen can avoid (a contraindication stays whatever the dose). Among safe candidates the one with the
mildest findings and the daily dose nearest to the ordered one wins; on a tie, the lower dose.

The rules are the ones `check` runs, so a candidate's findings are exactly `check`'s. The candidates of a
label come ranked nearest first (worked out once per label and ordered regimen). The rules that read
nothing of the checked regimen (`REGIMEN_FREE_RULES`) find the same in every candidate as in the case, so
they run once, on the case. The others run lazily: walking the candidates nearest first, a candidate is
dropped at its first finding, which usually takes one or two rules. The first candidate they find nothing
in wins, since every other candidate has all its findings and more; only when there is none are all the
remaining rules run, so that all candidates can be compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from clonaguard.check import check
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Order, Report, Severity
from clonaguard.regimens import describe
from clonaguard.rules import REGIMEN_FREE_RULES, applicable_rules
from clonaguard.rules.tables import Regimen, RuleTables, tables_for
from clonaguard.units import Mass


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


class _Regimens:
    """Copies of a case with its checked order changed to a regimen, each validated like any case.

    Built from the case's validated parts (the fields it was given), as a dump and a fresh validation would be;
    those parts are gathered once for all the candidates.
    """

    __slots__ = ("_case", "_history", "_order")

    def __init__(self, case: Case) -> None:
        checked = case.checked_order
        self._order = {name: getattr(checked, name) for name in checked.model_fields_set}
        self._case = {name: getattr(case, name) for name in case.model_fields_set}
        self._history = case.orders[:-1]

    def case(self, regimen: Regimen) -> Case:
        order = {**self._order, "dose_mg": regimen.dose_mg, "times_per_day": regimen.times_per_day}
        return Case.model_validate({**self._case, "orders": [*self._history, Order.model_validate(order)]})


class _Candidate:
    """A regimen whose findings are worked out rule by rule, only as far as the search needs them."""

    __slots__ = ("_pending", "case", "findings", "regimen")

    def __init__(self, case: Case, label: Label, regimen: Regimen) -> None:
        self.regimen = regimen
        self.case = case
        self.findings: list[Finding] = []
        rules = [rule for rule in applicable_rules(label, case) if rule not in REGIMEN_FREE_RULES]
        self._pending: Iterator[list[Finding]] = (rule(label, case) for rule in rules)

    def is_clean(self) -> bool:
        """Whether no rule that reads the regimen finds anything; stops at the first rule that does."""
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
    beyond the findings no regimen changes (no later candidate can rank better); only when none is clean
    are all of them compared.
    """
    shared = [
        finding for rule in applicable_rules(label, case) if rule in REGIMEN_FREE_RULES for finding in rule(label, case)
    ]
    shared_attention = _attention_codes(shared)
    with_regimen = _Regimens(case)
    candidates: list[_Candidate] = []
    for regimen in _nearest_first(label, case.checked_order):
        candidate = _Candidate(with_regimen.case(regimen), label, regimen)
        if candidate.is_clean():
            return _alternative(candidate, label), shared_attention
        candidates.append(candidate)
    if not candidates:
        return None, set()
    attention = [_attention_codes(c.all_findings()) | shared_attention for c in candidates]
    unavoidable = set.intersection(*attention)
    safe = [c for c, codes in zip(candidates, attention, strict=True) if codes <= unavoidable]
    if not safe:
        return None, unavoidable

    def rank(candidate: _Candidate) -> tuple[int, int]:
        avoidable = [f for f in (*shared, *candidate.findings) if f.code not in unavoidable]
        return max((f.severity.rank for f in avoidable), default=-1), len(avoidable)

    # min is stable: equal ranks keep the nearest-first order
    return _alternative(min(safe, key=rank), label), unavoidable


def _alternative(candidate: _Candidate, label: Label) -> Alternative:
    """The chosen regimen with `check`'s own report of it."""
    return Alternative(candidate.regimen.dose_mg, candidate.regimen.times_per_day, check(candidate.case, label))


def _nearest_first(label: Label, ordered: Order) -> tuple[Regimen, ...]:
    divided_into = label.adult_dosing.standard.divided_into
    return _ranked(tables_for(label), Mass.of(ordered.daily_dose_mg), ordered.times_per_day, divided_into)


@lru_cache(maxsize=4096)
def _ranked(tables: RuleTables, ordered_daily: Mass, ordered_times: int, divided_into: int) -> tuple[Regimen, ...]:
    """The label's regimens nearest the ordered one first: by daily dose (the lower on a tie), then the same
    times a day, then the standard division, then the lower dose."""

    def preference(regimen: Regimen) -> tuple[int, bool, bool, bool, float]:
        times = regimen.times_per_day
        distance = abs(regimen.daily.ng - ordered_daily.ng)
        return (distance, regimen.daily > ordered_daily, times != ordered_times, times != divided_into, regimen.dose_mg)

    return tuple(sorted(tables.regimens, key=preference))

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

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from clonaguard.check import check
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Finding, Order, Report, Severity
from clonaguard.regimens import describe
from clonaguard.rules import REGIMEN_FREE_RULES, Rule, applicable_rules
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
    """Copies of a case with its checked order changed to a regimen, each exactly the case validation would give.

    A regimen changes only the checked order's `dose_mg` and `times_per_day`, and no validator of an order or a
    case reads those two beside another field: so a copy of the valid case with them replaced is valid exactly
    when the two pass their own constraints. That is checked once per regimen (`_fits_an_order`); such a copy is
    made without validating the whole case again. A regimen that does not fit is validated in full, so it is
    refused exactly as before.
    """

    __slots__ = ("_case", "_case_fields", "_case_values", "_checked", "_history", "_order_fields", "_order_values")

    def __init__(self, case: Case) -> None:
        self._case = case
        self._checked = case.checked_order
        self._history = case.orders[:-1]
        # the fields of a copy (`model_copy`, so no derived value), and the fields it is given, gathered once
        order = self._checked.model_copy(update={"dose_mg": None, "times_per_day": None})
        self._order_values, self._order_fields = order.__dict__, order.model_fields_set
        copy = case.model_copy(update={"orders": None})
        self._case_values, self._case_fields = copy.__dict__, copy.model_fields_set

    def case(self, regimen: Regimen) -> Case:
        dose, times = regimen.dose_mg, regimen.times_per_day
        if not _fits_an_order(dose, times):
            return self.validated(regimen)
        order = Order.trusted({**self._order_values, "dose_mg": dose, "times_per_day": times}, {*self._order_fields})
        return Case.trusted({**self._case_values, "orders": [*self._history, order]}, {*self._case_fields})

    def validated(self, regimen: Regimen) -> Case:
        """The copy built from the case's given fields and validated in full, as any case is."""
        checked = self._checked
        order = {name: getattr(checked, name) for name in checked.model_fields_set}
        order.update(dose_mg=regimen.dose_mg, times_per_day=regimen.times_per_day)
        case = {name: getattr(self._case, name) for name in self._case.model_fields_set}
        return Case.model_validate({**case, "orders": [*self._history, Order.model_validate(order)]})


@lru_cache(maxsize=1024)
def _fits_an_order(dose_mg: float, times_per_day: int) -> bool:
    """Whether an order validates these two values to themselves: then they fit any order (see `_Regimens`)."""
    try:
        order = Order.model_validate({"dose_mg": dose_mg, "times_per_day": times_per_day})
    except ValidationError:
        return False
    return type(order.dose_mg) is float and order.dose_mg == dose_mg and order.times_per_day == times_per_day


class _Candidate:
    """A regimen whose findings are worked out rule by rule, only as far as the search needs them."""

    __slots__ = ("_label", "_next", "_rules", "case", "findings", "regimen")

    def __init__(self, case: Case, label: Label, regimen: Regimen) -> None:
        self.regimen = regimen
        self.case = case
        self.findings: list[Finding] = []
        self._label = label
        self._rules = _regimen_bound(applicable_rules(label, case))
        self._next = 0

    def is_clean(self) -> bool:
        """Whether no rule that reads the regimen finds anything; stops at the first rule that does."""
        rules, label, case = self._rules, self._label, self.case
        while not self.findings:
            if self._next == len(rules):
                return True
            self.findings.extend(rules[self._next](label, case))
            self._next += 1
        return False

    def all_findings(self) -> list[Finding]:
        for rule in self._rules[self._next :]:
            self.findings.extend(rule(self._label, self.case))
        self._next = len(self._rules)
        return self.findings


@lru_cache(maxsize=256)
def _regimen_bound(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Of the rules a case draws, those that read its regimen (the others run once, on the case)."""
    return tuple(rule for rule in rules if rule not in REGIMEN_FREE_RULES)


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

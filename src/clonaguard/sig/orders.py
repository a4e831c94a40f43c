"""From a parsed sig to the structured orders the check evaluates, only when nothing is uncertain."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from clonaguard.errors import InvalidInputError
from clonaguard.sig.model import Duration, ParsedSig, SigStep
from clonaguard.sig.parser import parse_sig


class SigError(InvalidInputError):
    """A sig that cannot be evaluated with certainty; `problems` lists each reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class SigOrder:
    """One regimen read from a sig: a whole number of administrations a day of one dose in mg."""

    start: date
    dose_mg: float
    times_per_day: int
    food_drink: tuple[str, ...]
    dose_basis: str = "scheduled"


@lru_cache(maxsize=4096)
def cached_parse(text: str) -> ParsedSig:
    """parse_sig for validators: the same text is read once (ParsedSig is immutable)."""
    return parse_sig(text)


def _step_problems(step: SigStep, label: str) -> list[str]:
    problems: list[str] = []
    if step.dose is None:
        problems.append(f"{label}no dose" + (" (as directed)" if step.as_directed else ""))
    elif step.dose.min != step.dose.max:
        unit = step.dose.unit if step.dose.unit == "mg" else f"{step.dose.unit}s"
        problems.append(f"{label}a dose range ({_range(step.dose.min, step.dose.max)} {unit})")
    elif step.dose_mg is None:
        problems.append(f"{label}the dose in mg is unknown (a {step.dose.unit} count without the tablet strength)")
    per_day = step.times_per_day
    if per_day is None:
        problems.append(f"{label}no frequency" + (" (as directed)" if step.as_directed else ""))
    else:
        if per_day.min != per_day.max and not step.as_needed:
            problems.append(f"{label}a frequency range ({_range(per_day.min, per_day.max)} times a day)")
        elif _daily_count(step) is None:
            problems.append(f"{label}not a whole number of administrations a day")
    return problems


def _range(low: float | None, high: float) -> str:
    return f"up to {high:g}" if low is None else f"{low:g}-{high:g}"


def _daily_count(step: SigStep) -> int | None:
    """Administrations a day; as needed, the most the sig allows (its frequency, capped by a daily maximum)."""
    per_day = step.times_per_day
    if per_day is None:
        return None
    count = per_day.max if step.as_needed else per_day.min
    if count is None or count != int(count) or count < 1:
        return None
    limit = step.max_per_day
    if step.as_needed and limit is not None and step.dose is not None and step.dose.max:
        doses = limit.value if limit.unit == "dose" else None
        if limit.unit == step.dose.unit:
            doses = limit.value / step.dose.max
        elif limit.unit == "mg" and step.dose_mg is not None:
            doses = limit.value / step.dose_mg.max
        if doses is not None and doses == int(doses) and doses < count:
            count = doses
    return int(count)


def uncertainties(parsed: ParsedSig) -> list[str]:
    """Every reason the sig cannot be evaluated without a guess; empty when it can."""
    problems = list(parsed.errors)
    if parsed.unparsed:
        problems.append("not understood: " + ", ".join(repr(fragment) for fragment in parsed.unparsed))
    if parsed.drug not in (None, "clonazepam") and not any("not covered" in e for e in problems):
        problems.append(f"{parsed.drug}: not covered")
    dosing = parsed.dosing_steps()
    if not dosing:
        problems.append("no dosing step")
    for index, step in enumerate(dosing):
        label = f"step {index + 1}: " if parsed.is_multi_step else ""
        problems.extend(_step_problems(step, label))
        is_last = index == len(dosing) - 1
        if parsed.is_multi_step and (not is_last or parsed.ends_with_stop) and _days(step.duration) is None:
            problems.append(f"{label}no duration in days, weeks or months, so the next step has no start date")
    return problems


def _days(duration: Duration | None) -> str | None:
    if duration is None or duration.unit not in {"d", "wk", "mo", "a"}:
        return None
    return duration.unit


def add_duration(start: date, duration: Duration) -> date:
    """The day after a step of this length ends: calendar months and years, 7-day weeks."""
    value = int(duration.value)
    if duration.unit == "d":
        return start + timedelta(days=value)
    if duration.unit == "wk":
        return start + timedelta(weeks=value)
    months = value * (12 if duration.unit == "a" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def sig_orders(sig: ParsedSig | str, start: date) -> tuple[list[SigOrder], date | None]:
    """The orders of a sig from `start`, and the stop date when it ends with "then stop".

    Raises `SigError` listing every uncertainty: nothing is evaluated from a guess.
    """
    parsed = cached_parse(sig) if isinstance(sig, str) else sig
    problems = uncertainties(parsed)
    if problems:
        raise SigError(problems)
    orders: list[SigOrder] = []
    day = start
    for step in parsed.dosing_steps():
        assert step.dose_mg is not None
        count = _daily_count(step)
        assert count is not None
        basis = "as_needed_maximum" if step.as_needed else "scheduled"
        orders.append(SigOrder(day, step.dose_mg.max, count, step.instructions, basis))
        if step.duration is not None and _days(step.duration):
            day = add_duration(day, step.duration)
    return orders, (day if parsed.ends_with_stop else None)

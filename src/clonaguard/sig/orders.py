"""From a parsed sig to the structured orders the check evaluates, only when nothing is uncertain."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from clonaguard.errors import InvalidInputError
from clonaguard.sig.model import Duration, ParsedSig, SigStep
from clonaguard.sig.written_numbers import exact_count
from clonaguard.units import Mass, daily_mg

if TYPE_CHECKING:
    from clonaguard.model import DoseBasis  # a name only: the case models load when a check needs them


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
    dose_basis: DoseBasis = "scheduled"
    end: date | None = None  # the last day, from the sig's own duration on its only or last step


# A single-step sig carries its step's fields itself: read from it directly, no SigStep built for it.
_Step = SigStep | ParsedSig


def _step_problems(step: _Step, label: str) -> list[str]:
    problems = _dose_problems(step, label)
    per_day = step.times_per_day
    if per_day is None:
        problems.append(f"{label}no frequency" + (" (as directed)" if step.as_directed else ""))
    elif per_day.min != per_day.max and not step.as_needed:
        problems.append(f"{label}a frequency range ({_range(per_day.min, per_day.max)} times a day)")
    elif not problems:
        _, problem = administrations(step)
        if problem:
            problems.append(label + problem)
    return problems


def _dose_problems(step: _Step, label: str) -> list[str]:
    if step.dose is None:
        return [f"{label}no dose" + (" (as directed)" if step.as_directed else "")]
    if step.dose.min != step.dose.max:
        unit = step.dose.unit if step.dose.unit == "mg" else f"{step.dose.unit}s"
        return [f"{label}a dose range ({_range(step.dose.min, step.dose.max)} {unit})"]
    if step.dose_mg is None:
        return [f"{label}the dose in mg is unknown (a {step.dose.unit} count without the tablet strength)"]
    return []


def _range(low: float | None, high: float) -> str:
    return f"up to {high:g}" if low is None else f"{low:g}-{high:g}"


def _whole(value: float | None) -> int | None:
    return int(value) if value is not None and value == int(value) and value >= 1 else None


def _cap_in_doses(step: _Step, extra: SigStep | None) -> tuple[float | None, str | None]:
    """A written daily maximum as a number of doses, or why it cannot be taken as written."""
    limits = {part.max_per_day for part in (step, extra) if part is not None and part.max_per_day is not None}
    if not limits:
        return None, None
    if len(limits) > 1:
        return None, "two different daily maximums are written"
    limit = limits.pop()
    assert step.dose is not None and step.dose_mg is not None
    written = f"max {limit.value:g} {limit.unit}/day"
    if limit.unit == "dose":
        doses = limit.value
    elif limit.unit == step.dose.unit:
        doses = exact_count(limit.value / step.dose.max)
    elif limit.unit == "mg":
        doses = float(Mass.of(limit.value).count_of(Mass.of(step.dose_mg.max)))
    else:
        return None, f"{written}: in other units than the dose ({step.dose.unit})"
    if _whole(doses) is None:
        return None, f"{written} is not a whole number of doses of {step.dose.max:g} {step.dose.unit}: not read"
    return doses, None


def administrations(step: _Step) -> tuple[int | None, str | None]:
    """Administrations a day the order allows at most, or why that cannot be said.

    Scheduled: its frequency, which a written maximum may not contradict. As needed: the frequency, capped
    by a whole-dose maximum. Scheduled plus an extra as needed: both, capped by the maximum.
    """
    extra = step.as_needed_extra
    cap, problem = _cap_in_doses(step, extra)
    if problem:
        return None, problem
    per_day = step.times_per_day
    if per_day is None:
        return None, "no frequency"
    count = _whole(per_day.max if step.as_needed and extra is None else per_day.min)
    if count is None:
        return None, "not a whole number of administrations a day"
    if extra is not None:
        return _with_extra(step, extra, count, cap)
    if step.as_needed:
        return (count if cap is None else int(min(count, cap))), None
    if cap is not None and cap < count and step.max_per_day is not None and step.dose_mg is not None:
        total = daily_mg(step.dose_mg.max, count)
        written = f"max {step.max_per_day.value:g} {step.max_per_day.unit}/day"
        return None, f"the scheduled {total:g} mg a day is above the written maximum ({written}): which one is meant?"
    return count, None


def _with_extra(step: _Step, extra: SigStep, scheduled: int, cap: float | None) -> tuple[int | None, str | None]:
    assert step.dose_mg is not None
    if extra.dose_mg is None or extra.dose_mg.max != step.dose_mg.max or extra.dose_mg.min != extra.dose_mg.max:
        return None, "the extra as-needed dose differs from the scheduled dose (an order holds one dose): not read"
    extra_count = _whole(extra.times_per_day.max) if extra.times_per_day is not None else None
    if extra_count is None and cap is None:
        return None, "the extra as-needed dose says neither how often nor a daily maximum"
    if cap is not None and cap < scheduled:
        return None, "the scheduled doses alone are above the written daily maximum"
    limits = [value for value in (scheduled + extra_count if extra_count else None, cap) if value is not None]
    return int(min(limits)), None


def dose_basis(step: SigStep) -> DoseBasis:
    if step.as_needed_extra is not None:
        return "scheduled_plus_as_needed"
    return "as_needed_maximum" if step.as_needed else "scheduled"


def uncertainties(parsed: ParsedSig) -> list[str]:
    """Every reason the sig cannot be evaluated without a guess; empty when it can."""
    problems = list(parsed.errors)
    if parsed.unparsed:
        problems.append("not understood: " + ", ".join(repr(fragment) for fragment in parsed.unparsed))
    if parsed.drug not in (None, "clonazepam") and not any("not covered" in e for e in problems):
        problems.append(f"{parsed.drug}: not covered")
    dosing: tuple[_Step, ...] = parsed.dosing_steps() if parsed.is_multi_step else (parsed,)
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
    if isinstance(sig, str):
        from clonaguard.sig.parser import parse_sig  # with the first sig: a case without one skips its patterns

        sig = parse_sig(sig)
    parsed = sig
    problems = uncertainties(parsed)
    if problems:
        raise SigError(problems)
    orders: list[SigOrder] = []
    day = start
    for step in parsed.dosing_steps():
        assert step.dose_mg is not None
        count, _ = administrations(step)
        assert count is not None
        orders.append(SigOrder(day, step.dose_mg.max, count, step.instructions, dose_basis(step)))
        if step.duration is not None and _days(step.duration):
            day = add_duration(day, step.duration)
    if not parsed.ends_with_stop and day != orders[-1].start:
        # "for 4 months": the order's end (a supply or a course length), not a stop.
        orders[-1] = replace(orders[-1], end=day - timedelta(days=1))
    return orders, (day if parsed.ends_with_stop else None)

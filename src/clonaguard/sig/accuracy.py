"""Field-level accuracy of the parser against a labelled corpus (JSON lines of {"sig", "expect"}).

Each record's `expect` was written by reading the sig as a pharmacist would. `dose`, `frequency`
and `as_needed` are scored on every record; the other fields only where the record gives them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from clonaguard.errors import InvalidInputError
from clonaguard.sig.model import ParsedSig, SigStep
from clonaguard.sig.orders import sig_orders, uncertainties
from clonaguard.sig.parser import parse_sig

ALWAYS = ("dose", "frequency", "as_needed")
_TIMING_KEYS = ("frequency", "frequency_max", "period", "period_max", "period_unit")


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def load_corpus(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _frequency(step: SigStep | ParsedSig) -> dict[str, Any] | None:
    if step.timing is None:
        return None
    values = {key: getattr(step.timing, key) for key in _TIMING_KEYS}
    return None if all(value is None for value in values.values()) else values


def _dump(value: Any) -> Any:
    return value.model_dump() if hasattr(value, "model_dump") else value


def _actual(parsed: ParsedSig) -> dict[str, Any]:
    """The parsed values in the corpus's shape."""
    actual: dict[str, Any] = {
        "dose": _dump(parsed.dose),
        "frequency": _frequency(parsed),
        "as_needed": parsed.as_needed,
        "as_needed_for": parsed.as_needed_for,
        "strength_mg": parsed.strength_mg,
        "dose_mg": _dump(parsed.dose_mg),
        "route": parsed.route,
        "duration": _dump(parsed.duration),
        "max_per_day": _dump(parsed.max_per_day),
        "instructions": list(parsed.instructions),
        "drug": parsed.drug,
        "indication": parsed.indication,
        "when": list(parsed.timing.when) if parsed.timing else [],
        "as_directed": parsed.as_directed,
        "checkable": not uncertainties(parsed),
    }
    if parsed.steps:
        actual["steps"] = [
            {"stop": True}
            if step.stop
            else {"dose": _dump(step.dose), "frequency": _frequency(step), "duration": _dump(step.duration)}
            for step in parsed.steps
        ]
        actual["as_needed"] = any(step.as_needed for step in parsed.steps)
    return actual


def _step_field(expected: list[dict[str, Any]], actual: list[dict[str, Any]] | None, key: str) -> bool:
    if actual is None or len(actual) != len(expected):
        return False
    return all(
        e.get(key) == a.get(key) and e.get("stop") == a.get("stop") for e, a in zip(expected, actual, strict=True)
    )


def score(records: Iterable[dict[str, Any]]) -> dict[str, FieldScore]:
    """Per field: how many records the parser read exactly as expected."""
    scores: dict[str, FieldScore] = {}
    for record in records:
        expect = record["expect"]
        actual = _actual(parse_sig(record["sig"]))
        compared: dict[str, tuple[Any, Any]] = {}
        if "steps" in expect:
            for key in ("dose", "frequency", "duration"):
                ok = _step_field(expect["steps"], actual.get("steps"), key)
                compared[key] = (True, ok)
        for key, value in expect.items():
            if key != "steps" and key not in compared:
                compared[key] = (value, actual.get(key))
        for key, (want, got) in compared.items():
            entry = scores.setdefault(key, FieldScore())
            entry.total += 1
            if want == got:
                entry.correct += 1
            else:
                entry.misses.append(f"{record['sig']!r}: {key} expected {want!r}, got {got!r}")
    return scores


def table(scores: dict[str, FieldScore]) -> list[tuple[str, int, int, float]]:
    """Rows (field, correct, total, accuracy), the always-scored fields first."""
    order = [*ALWAYS, *sorted(key for key in scores if key not in ALWAYS)]
    return [(key, scores[key].correct, scores[key].total, scores[key].accuracy) for key in order if key in scores]


# Order-level scoring of the adversarial and EHR sets: each record's `expect` is "refuse" or the orders a
# careful pharmacist reads ({"orders": [{"dose_mg", "times_per_day"}, ...], "dose_basis": ...}).
_START = date(2026, 1, 1)


@dataclass
class Verdicts:
    """Per set: right readings, right refusals, refusals of a readable sig, and silently wrong readings."""

    read: int = 0
    refused_rightly: int = 0
    refused_readable: int = 0
    wrong: int = 0
    crashed: int = 0
    dose_exact: int = 0
    frequency_exact: int = 0
    readable: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.read + self.refused_rightly + self.refused_readable + self.wrong + self.crashed


def order_reading(text: str) -> dict[str, Any] | None:
    """The orders the reader would let the check evaluate, or None when it refuses the sig."""
    parsed = parse_sig(text)
    try:
        orders, _ = sig_orders(parsed, _START)
    except InvalidInputError:
        return None
    except (OverflowError, ValueError) as exc:  # a bug, never a reading: scored apart
        return {"crash": type(exc).__name__}
    return {
        "orders": [{"dose_mg": o.dose_mg, "times_per_day": o.times_per_day} for o in orders],
        "dose_basis": orders[-1].dose_basis,
    }


def _fields(parsed: ParsedSig) -> tuple[float | None, float | None]:
    """The dose in mg and the times a day reported beside the reading, checkable or not."""
    dose = parsed.dose_mg.max if parsed.dose_mg is not None and parsed.dose_mg.min == parsed.dose_mg.max else None
    per_day = parsed.times_per_day
    times = per_day.max if per_day is not None and per_day.min == per_day.max else None
    return dose, times


def verdicts(records: Iterable[dict[str, Any]]) -> Verdicts:
    result = Verdicts()
    for record in records:
        expect, got = record["expect"], order_reading(record["sig"])
        if expect != "refuse":
            result.readable += 1
            dose, times = _fields(parse_sig(record["sig"]))
            first = expect["orders"][0]
            if len(expect["orders"]) == 1:
                result.dose_exact += dose == first["dose_mg"]
                result.frequency_exact += times == first["times_per_day"]
        if got is None:
            if expect == "refuse":
                result.refused_rightly += 1
            else:
                result.refused_readable += 1
                result.misses.append(f"refused, readable: {record['sig']!r}")
        elif "crash" in got:
            result.crashed += 1
            result.misses.append(f"CRASHED ({got['crash']}): {record['sig']!r}")
        elif got == expect:
            result.read += 1
        else:
            result.wrong += 1
            result.misses.append(f"SILENTLY WRONG: {record['sig']!r}: expected {expect}, read {got}")
    return result


def field_verdicts(records: Iterable[dict[str, Any]]) -> Verdicts:
    """The same verdicts on the field-labelled corpus: a checkable reading is right only if every field is."""
    result = Verdicts()
    for record in records:
        expect = record["expect"]
        parsed = parse_sig(record["sig"])
        actual = _actual(parsed)
        if not actual["checkable"]:
            if expect.get("checkable") is False:
                result.refused_rightly += 1
            else:
                result.refused_readable += 1
            continue
        wrong = [key for key, value in expect.items() if key != "steps" and actual.get(key) != value]
        wrong += [
            key
            for key in ("dose", "frequency", "duration")
            if "steps" in expect and not _step_field(expect["steps"], actual.get("steps"), key)
        ]
        if wrong:
            result.wrong += 1
            result.misses.append(f"SILENTLY WRONG: {record['sig']!r}: {', '.join(wrong)}")
        else:
            result.read += 1
    return result

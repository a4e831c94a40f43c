"""Small readers for sig tests: the parsed dose, frequency and per-day count as plain tuples."""

from __future__ import annotations

from clonaguard.sig import ParsedSig, parse_sig


def dose(text: str) -> tuple[float | None, float, str] | None:
    parsed = parse_sig(text)
    return None if parsed.dose is None else (parsed.dose.min, parsed.dose.max, parsed.dose.unit)


def dose_mg(text: str) -> float | None:
    parsed = parse_sig(text)
    if parsed.dose_mg is None or parsed.dose_mg.min != parsed.dose_mg.max:
        return None
    return parsed.dose_mg.max


def timing(text: str) -> tuple[int | None, int | None, float | None, float | None, str | None] | None:
    parsed = parse_sig(text)
    t = parsed.timing
    return None if t is None else (t.frequency, t.frequency_max, t.period, t.period_max, t.period_unit)


def per_day(parsed: ParsedSig) -> tuple[float | None, float] | None:
    return None if parsed.times_per_day is None else (parsed.times_per_day.min, parsed.times_per_day.max)

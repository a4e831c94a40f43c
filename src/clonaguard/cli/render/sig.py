"""A readable terminal view (Rich) of one parsed sig."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clonaguard.regimens import format_mg, times_text
from clonaguard.sig.model import Dose, MgRange, ParsedSig, PerDay, SigStep, Timing
from clonaguard.sig.orders import uncertainties
from clonaguard.units import TIME_UNIT_WORDS


def _amount(low: float | None, high: float) -> str:
    if low is None:
        return f"up to {format_mg(high)}"
    return format_mg(high) if low == high else f"{format_mg(low)}-{format_mg(high)}"


def _dose(dose: Dose | None, dose_mg: MgRange | None) -> str | None:
    if dose is None:
        return None
    text = f"{_amount(dose.min, dose.max)} {dose.unit}"
    if dose.unit not in {"mg"}:
        text += "s" if dose.max != 1 or dose.min != dose.max else ""
        if dose_mg is not None:
            text += f" ({_amount(dose_mg.min, dose_mg.max)} mg)"
    return text


def _timing(timing: Timing | None, per_day: PerDay | None) -> str | None:
    if timing is None:
        return None
    parts = []
    if timing.period is not None and timing.period_unit is not None and (timing.period, timing.period_unit) != (1, "d"):
        unit = TIME_UNIT_WORDS[timing.period_unit]
        period = _amount(timing.period, timing.period_max or timing.period)
        every = f"every {unit}" if period == "1" else f"every {period} {unit}s"
        parts.append(every if timing.frequency == 1 and not timing.frequency_max else f"{_times(timing)} {every}")
    if per_day is not None and (timing.period_unit in {"h", "min"} or (timing.period, timing.period_unit) == (1, "d")):
        whole = per_day.min == per_day.max and per_day.max == int(per_day.max)
        parts.append(times_text(int(per_day.max)) if whole else f"{_amount(per_day.min, per_day.max)} times a day")
    if timing.when:
        parts.append(", ".join(_WHEN.get(code, code) for code in timing.when))
    return "; ".join(parts)


_WHEN = {
    "MORN": "in the morning", "NOON": "at noon", "AFT": "in the afternoon", "EVE": "in the evening",
    "NIGHT": "at night", "HS": "at bedtime", "C": "with meals", "AC": "before meals", "PC": "after meals",
    "CM": "with breakfast", "CD": "with lunch", "CV": "with dinner", "ACM": "before breakfast",
    "ACD": "before lunch", "ACV": "before dinner", "PCM": "after breakfast", "PCD": "after lunch",
    "PCV": "after dinner",
}  # fmt: skip


def _duration(step: SigStep | ParsedSig) -> str | None:
    if step.duration is None:
        return None
    value = step.duration.value
    return f"{format_mg(value)} {TIME_UNIT_WORDS[step.duration.unit]}{'' if value == 1 else 's'}"


def _times(timing: Timing) -> str:
    return f"{_amount(timing.frequency, timing.frequency_max or timing.frequency or 1)} times"


def _rows(step: SigStep | ParsedSig) -> list[tuple[str, str | None]]:
    return [
        ("Dose", _dose(step.dose, step.dose_mg)),
        ("Frequency", _timing(step.timing, step.times_per_day)),
        (
            "As needed",
            ("yes" + (f", for {step.as_needed_for}" if step.as_needed_for else "")) if step.as_needed else None,
        ),
        ("As directed", "yes" if step.as_directed else None),
        ("Route", step.route),
        ("Duration", _duration(step)),
        (
            "Maximum a day",
            f"{format_mg(step.max_per_day.value)} {step.max_per_day.unit}" if step.max_per_day else None,
        ),
        ("Food and drink", ", ".join(step.instructions) or None),
    ]


def print_sig(parsed: ParsedSig, console: Console | None = None) -> None:
    console = console or Console()
    console.print(Text(f"Sig: {parsed.text}", style="bold"))
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    for name, value in (
        ("Drug", parsed.drug),
        ("Strength", f"{format_mg(parsed.strength_mg)} mg" if parsed.strength_mg is not None else None),
        ("Indication", parsed.indication),
    ):
        if value:
            table.add_row(name, value)
    if parsed.steps:
        for index, step in enumerate(parsed.steps, start=1):
            if step.stop:
                table.add_row(f"Step {index}", "stop")
                continue
            table.add_row(f"Step {index}", Text(step.text, style="italic"))
            for name, value in _rows(step):
                if value:
                    table.add_row(f"  {name}", value)
    else:
        for name, value in _rows(parsed):
            if value:
                table.add_row(name, value)
    console.print(table)
    if parsed.unparsed:
        console.print(Text("Not understood: " + ", ".join(f"“{f}”" for f in parsed.unparsed), style="yellow"))
    problems = uncertainties(parsed)
    if problems:
        console.print(Text("Not checkable as written: " + "; ".join(problems), style="yellow"))
    else:
        console.print(Text("Read in full: this sig can be checked.", style="green"))

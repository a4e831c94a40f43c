"""A plan for people: a Rich table of steps (dates, daily dose, tablets per administration) and a text chart."""

from __future__ import annotations

from datetime import time

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from clonaguard.labels.schema import Label
from clonaguard.plan.models import Plan, TimedDose
from clonaguard.regimens import describe, format_mg

CHART_WIDTH = 40
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, largest: float, width: int = CHART_WIDTH) -> str:
    """A horizontal bar in eighths of a character: `largest` fills `width` characters."""
    if largest <= 0:
        return ""
    eighths = round(value / largest * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def chart(plan: Plan, width: int = CHART_WIDTH) -> str:
    """The daily dose over time, one line per step: first day, daily dose, bar."""
    if not plan.steps:
        return ""
    largest = max([step.daily_mg for step in plan.steps] + ([plan.current.daily_dose_mg] if plan.current else []))
    shown = [format_mg(step.daily_mg) for step in plan.steps]
    pad = max(len(text) for text in shown)
    lines = [
        f"{step.start}  {text:>{pad}} mg  {bar(step.daily_mg, largest, width)}"
        for step, text in zip(plan.steps, shown, strict=True)
    ]
    if plan.current is not None:
        now = format_mg(plan.current.daily_dose_mg)
        pad = max(pad, len(now))
        lines = [
            f"{step.start}  {text:>{pad}} mg  {bar(step.daily_mg, largest, width)}"
            for step, text in zip(plan.steps, shown, strict=True)
        ]
        lines.insert(0, f"{'current':<10}  {now:>{pad}} mg  {bar(plan.current.daily_dose_mg, largest, width)}")
    if plan.stop is not None:
        lines.append(f"{plan.stop}  {'0':>{pad}} mg  (stop)")
    return "\n".join(lines)


def _caption(plan: Plan) -> str:
    tablets = [tablet for step in plan.steps for dose in step.administrations for tablet in dose.tablets]
    text = "Doses in tablets; dates are the first and last day of each step."
    halved = sorted({tablet.strength_mg for tablet in tablets if tablet.halves % 2})
    if halved:
        text += f" Halves are of the scored {', '.join(format_mg(s) for s in halved)} mg tablets."
    if any(tablet.form == "odt" for tablet in tablets):
        text += " ODT: orally disintegrating tablet."
    return text


def headline(plan: Plan) -> str:
    """One sentence: what the plan does, from when to when."""
    if plan.kind == "taper":
        current = plan.current
        assert current is not None  # a taper always starts from a regimen
        regimen = describe(current.dose_mg, current.times_per_day)
        head = f"Taper from {regimen} ({format_mg(current.daily_dose_mg)} mg a day)"
        if not plan.steps:
            return f"{head}: stop on {plan.stop}."
        return f"{head}: {plan.start} to {plan.last_day}, no clonazepam from {plan.stop}."
    first, last = plan.steps[0], plan.steps[-1]
    return (
        f"Titration from {format_mg(first.daily_mg)} to {format_mg(last.daily_mg)} mg a day: "
        f"maintenance from {last.start}, planned until {last.end}."
    )


def _cell(administration: TimedDose | None) -> Text:
    if administration is None:
        return Text("—", style="dim")
    cell = Text(f"{format_mg(administration.dose_mg)} mg", style="b")
    for tablet in administration.tablets:
        cell.append(f"\n{tablet.short_text}")
    return cell


def print_plan(plan: Plan, label: Label, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[b]{headline(plan)}[/b]")
    who = f"Patient aged {plan.patient.age_years:g}" if plan.age_given else "An adult patient (no age given)"
    console.print(f"{who}, {plan.setting}{', acute' if plan.acute else ''}.")
    times: list[time] = sorted({dose.time for step in plan.steps for dose in step.administrations})
    if plan.steps:
        # Step, dates and daily dose never wrap; the tablets fold onto a second line in a narrow terminal.
        table = Table(box=box.SIMPLE_HEAD, caption=_caption(plan), caption_justify="left")
        table.add_column("Step", justify="right", no_wrap=True, min_width=6)
        table.add_column("Dates", no_wrap=True, min_width=len("2026-12-01"))
        table.add_column("Daily", justify="right", no_wrap=True, min_width=len("0.125 mg"))
        for moment in times:
            table.add_column(moment.strftime("%H:%M"), min_width=len("½ × 0.5 mg"))
        for step in plan.steps:
            by_time = {dose.time: dose for dose in step.administrations}
            number = f"{step.number}" + ("\nmaint." if step.kind == "maintenance" else "")
            dates = f"{step.start}\n{step.end}" if step.days > 1 else f"{step.start}"
            cells = [_cell(by_time.get(moment)) for moment in times]
            table.add_row(number, dates, f"{format_mg(step.daily_mg)} mg", *cells, end_section=True)
        console.print(table)
    console.print(f"Take every dose {plan.instructions}.")
    for note in plan.notes:
        console.print(f"[yellow]Note:[/yellow] {note}")
    if plan.course_limit is not None:
        advice = label.recommendations.course_limit.advice
        console.print(
            f"{advice} This course reaches the limit on {plan.course_limit}: plan the next step with the doctor "
            f"before then. {label.recommendations.no_abrupt_stop.advice}"
        )
    drawn = chart(plan)
    if drawn:
        console.print()
        console.print("Daily dose over time", style="b")
        console.print(drawn, highlight=False)

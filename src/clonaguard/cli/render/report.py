"""A check report in the terminal (Rich): the daily dose, a table of findings, the safer regimen."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clonaguard.alternatives import Alternative
from clonaguard.model import DOSE_BASIS_WORDS, Case, Report, Severity
from clonaguard.regimens import describe, format_mg

_STYLE = {Severity.INFO: "cyan", Severity.WARNING: "yellow", Severity.CRITICAL: "bold red"}


def print_report(
    report: Report, case: Case, alternative: Alternative | None = None, console: Console | None = None
) -> None:
    console = console or Console()
    order = case.checked_order
    console.print(
        f"Daily dose: [b]{format_mg(report.daily_dose_mg)} mg[/b] "
        f"({describe(order.dose_mg, order.times_per_day)}), patient aged {case.patient.age_years:g}."
    )
    if report.dose_basis != "scheduled":
        console.print(f"The daily dose is {DOSE_BASIS_WORDS[report.dose_basis]}.")
    if not report.findings:
        console.print("No findings: the order agrees with the leaflet.")
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Finding", ratio=3)
    table.add_column("Suggestion", ratio=2)
    for finding in report.findings:
        detail = Text(finding.message)
        detail.append(f"\n{finding.code} · NCPDP {finding.dur_code}", style="dim")
        detail.append(f"\nLeaflet: “{finding.source}”", style="italic dim")
        table.add_row(Text(finding.severity.value, style=_STYLE[finding.severity]), detail, finding.suggestion or "")
    console.print(table)
    if alternative is not None:
        console.print(
            f"Safer regimen: [b]{describe(alternative.dose_mg, alternative.times_per_day)}[/b] "
            f"(daily dose {format_mg(alternative.report.daily_dose_mg)} mg)."
        )

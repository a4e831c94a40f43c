"""Readable terminal output (Rich) for reports and labels."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clonaguard.alternatives import Alternative
from clonaguard.labels.schema import Label
from clonaguard.model import Case, Report, Severity
from clonaguard.regimens import describe, format_mg

_BASIS = {
    "as_needed_maximum": "the most the as-needed order allows",
    "scheduled_plus_as_needed": "the scheduled doses plus the most the extra as-needed doses allow",
}
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
        console.print(f"The daily dose is {_BASIS[report.dose_basis]}.")
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


def print_label(label: Label, console: Console | None = None) -> None:
    console = console or Console()
    identity = label.identity
    console.rule(f"[b]{label.profile.title}[/b]")
    console.print(f"{identity.ingredient} ({', '.join(identity.names)}), a {identity.drug_class}.")
    codes = identity.codes
    console.print(
        f"RxNorm {codes.rxnorm_ingredient} · ATC {codes.atc} · SNOMED CT {codes.snomed_ct} · UNII {codes.unii}"
    )
    console.print(
        f"Tablets: {', '.join(format_mg(s) for s in identity.products.tablet_mg)} mg; "
        f"ODT: {', '.join(format_mg(s) for s in identity.products.odt_mg)} mg"
    )

    table = Table(title="Dosing", expand=True, show_lines=True)
    table.add_column("Statement", ratio=2)
    table.add_column("Leaflet", ratio=3, style="italic")
    dosing = label.adult_dosing
    admin = label.administration
    rows = [
        (
            f"{format_mg(admin.times_per_day.min)}–{format_mg(admin.times_per_day.max)} times a day, "
            f"{format_mg(admin.course_months.min)}–{format_mg(admin.course_months.max)} months",
            admin.source,
        ),
        (admin.instructions, admin.instructions_source),
        (f"Adult start: {describe(dosing.start.dose_mg, dosing.start.times_per_day)}", dosing.start.source),
        (
            f"Increase every {format_mg(dosing.titration.interval_days.min)}–"
            f"{format_mg(dosing.titration.interval_days.max)} days, gradually",
            dosing.titration.source,
        ),
        (
            f"Standard: {format_mg(dosing.standard.daily_mg.min)}–{format_mg(dosing.standard.daily_mg.max)} mg a day "
            f"in {dosing.standard.divided_into} parts",
            dosing.standard.source,
        ),
        (f"Acute conditions: up to {format_mg(dosing.acute_maximum.daily_mg)} mg a day", dosing.acute_maximum.source),
        (
            f"Above {format_mg(dosing.hospital_only_above.daily_mg)} mg a day: hospital only",
            dosing.hospital_only_above.source,
        ),
        (f"Above {format_mg(dosing.overdose_above.daily_mg)} mg a day: overdose risk", dosing.overdose_above.source),
    ]
    rows += [
        (
            f"{band.description.capitalize()}: {format_mg(band.daily_mg.min)}–{format_mg(band.daily_mg.max)} mg a day",
            band.source,
        )
        for band in label.pediatric.bands
    ]
    recs = label.recommendations
    rows += [
        (item.advice, item.source)
        for item in (
            recs.course_limit,
            recs.pregnancy,
            recs.breastfeeding,
            recs.alcohol,
            recs.tolerance,
            recs.no_abrupt_stop,
        )
    ]
    taper = label.taper_policy
    rows.append(
        (
            f"Taper (project policy): −{format_mg(taper.step_daily_mg)} mg a day every {taper.interval_days} days",
            taper.reference,
        )
    )
    rows.append((f"Side effects: {', '.join(label.side_effects.effects)}", label.side_effects.source))
    rows += [(item.advice, item.source) for item in label.side_effects.advice]
    for statement, source in rows:
        table.add_row(statement, source)
    console.print(table)
    console.print(Text(f"Mechanism (leaflet's wording): {label.mechanism.statement}", style="dim"))
    if label.mechanism.caveat:
        console.print(Text(f"Note: {label.mechanism.caveat}", style="dim"))

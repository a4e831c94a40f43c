"""A label profile in the terminal (Rich): identity, a table of dosing statements each beside its source."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clonaguard.labels.schema import Label
from clonaguard.regimens import describe, format_mg

Row = tuple[str, str]


def print_label(label: Label, console: Console | None = None) -> None:
    console = console or Console()
    _print_identity(label, console)
    table = Table(title="Dosing", expand=True, show_lines=True)
    table.add_column("Statement", ratio=2)
    table.add_column("Leaflet", ratio=3, style="italic")
    for statement, source in [*_dosing_rows(label), *_pediatric_rows(label), *_advice_rows(label)]:
        table.add_row(statement, source)
    console.print(table)
    console.print(Text(f"Mechanism (leaflet's wording): {label.mechanism.statement}", style="dim"))
    if label.mechanism.caveat:
        console.print(Text(f"Note: {label.mechanism.caveat}", style="dim"))


def _print_identity(label: Label, console: Console) -> None:
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


def _dosing_rows(label: Label) -> list[Row]:
    dosing = label.adult_dosing
    admin = label.administration
    return [
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


def _pediatric_rows(label: Label) -> list[Row]:
    return [
        (
            f"{band.description.capitalize()}: {format_mg(band.daily_mg.min)}–{format_mg(band.daily_mg.max)} mg a day",
            band.source,
        )
        for band in label.pediatric.bands
    ]


def _advice_rows(label: Label) -> list[Row]:
    recs = label.recommendations
    advice = (recs.course_limit, recs.pregnancy, recs.breastfeeding, recs.alcohol, recs.tolerance, recs.no_abrupt_stop)
    rows = [(item.advice, item.source) for item in advice]
    taper = label.taper_policy
    rows.append(
        (
            f"Taper (project policy): −{format_mg(taper.step_daily_mg)} mg a day every {taper.interval_days} days",
            taper.reference,
        )
    )
    rows.append((f"Side effects: {', '.join(label.side_effects.effects)}", label.side_effects.source))
    rows += [(item.advice, item.source) for item in label.side_effects.advice]
    return rows

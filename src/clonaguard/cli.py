"""The `clonaguard` command line: a thin adapter over the domain functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from clonaguard.errors import ClonaguardError, InvalidInputError

app = typer.Typer(
    help="Check clonazepam orders against the Klonopin leaflet, each finding citing its sentence.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

LabelOption = Annotated[str, typer.Option("--label", help="Label profile: a shipped name or a path to a YAML file.")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str) -> NoReturn:
    """Invalid input: say what is wrong on stderr and exit with status 2."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


def _flag_case(
    dose_mg: str | None,
    times_per_day: int | None,
    age: float | None,
    weight: float | None,
    flags: dict[str, bool],
    today: str | None,
) -> dict[str, Any]:
    missing = [
        name
        for name, value in (("--dose-mg", dose_mg), ("--times-per-day", times_per_day), ("--age", age))
        if value is None
    ]
    if missing:
        fail(f"missing {', '.join(missing)}: give --case FILE, or --dose-mg, --times-per-day and --age")
    patient: dict[str, Any] = {"age_years": age, "weight_kg": weight}
    patient.update({key: flags[key] for key in ("pregnant", "breastfeeding", "alcohol_use")})
    case: dict[str, Any] = {
        "patient": patient,
        "setting": "inpatient" if flags["inpatient"] else "outpatient",
        "acute": flags["acute"],
        "continuing": flags["continuing"],
        "orders": [{"dose_mg": dose_mg, "times_per_day": times_per_day}],
    }
    if today is not None:
        case["today"] = today
    return case


_FLAG_NAMES = {
    "orders[0].dose_mg": "--dose-mg",
    "orders[0].times_per_day": "--times-per-day",
    "patient.age_years": "--age",
    "patient.weight_kg": "--weight",
    "today": "--today",
}


def _as_flags(message: str) -> str:
    """Name the command-line option rather than the case field it fills."""
    for field, flag in _FLAG_NAMES.items():
        message = message.replace(f"{field}:", f"{flag}:")
    return message


def _read_case_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    file = Path(path)
    if not file.is_file():
        fail(f"--case: file {path!r} not found")
    return file.read_text(encoding="utf-8")


@app.command()
def check(
    case: Annotated[str | None, typer.Option("--case", help="Case JSON file, or - for standard input.")] = None,
    dose_mg: Annotated[
        str | None, typer.Option("--dose-mg", help="Dose per administration in mg (0.5 or 0,5).")
    ] = None,
    times_per_day: Annotated[int | None, typer.Option("--times-per-day", help="Administrations per day.")] = None,
    age: Annotated[float | None, typer.Option("--age", help="Age in years, 0 to 120.")] = None,
    weight: Annotated[float | None, typer.Option("--weight", help="Body weight in kg.")] = None,
    pregnant: Annotated[bool, typer.Option("--pregnant", help="The patient is pregnant.")] = False,
    breastfeeding: Annotated[bool, typer.Option("--breastfeeding", help="The patient is breastfeeding.")] = False,
    alcohol: Annotated[bool, typer.Option("--alcohol", help="The patient drinks alcohol.")] = False,
    inpatient: Annotated[bool, typer.Option("--inpatient", help="Hospital (inpatient) setting.")] = False,
    acute: Annotated[bool, typer.Option("--acute", help="An acute condition (epilepsy, panic attacks).")] = False,
    continuing: Annotated[bool, typer.Option("--continuing", help="The order continues a running course.")] = False,
    today: Annotated[str | None, typer.Option("--today", help="Date of the check, YYYY-MM-DD.")] = None,
    as_json: JsonFlag = False,
    label: LabelOption = "clonazepam-leaflet",
) -> None:
    """Check one clonazepam order (from a case file or from options) against the label.

    Exit status: 0 no warning or critical finding, 1 at least one, 2 invalid input.

    [b]Examples[/b]

      clonaguard check --dose-mg 2 --times-per-day 3 --age 34

      clonaguard check --case case.json --json
    """
    from clonaguard.check import check as run_check
    from clonaguard.check import parse_case
    from clonaguard.labels.load import load_label

    try:
        profile = load_label(label)
        if case is not None:
            parsed = parse_case(_read_case_text(case))
        else:
            flags = {
                "pregnant": pregnant,
                "breastfeeding": breastfeeding,
                "alcohol_use": alcohol,
                "inpatient": inpatient,
                "acute": acute,
                "continuing": continuing,
            }
            try:
                parsed = parse_case(_flag_case(dose_mg, times_per_day, age, weight, flags, today))
            except InvalidInputError as exc:
                raise InvalidInputError(_as_flags(str(exc))) from exc
    except ClonaguardError as exc:
        fail(str(exc))
    report = run_check(parsed, profile)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        from clonaguard.render import print_report

        print_report(report, parsed)
    raise typer.Exit(1 if report.needs_attention else 0)


@app.command("label")
def show_label(as_json: JsonFlag = False, label: LabelOption = "clonazepam-leaflet") -> None:
    """Show the label profile as structured information, each statement with its source.

    [b]Example[/b]

      clonaguard label --json
    """
    from clonaguard.labels.load import load_label

    try:
        profile = load_label(label)
    except ClonaguardError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(profile.model_dump_json(indent=2))
    else:
        from clonaguard.render import print_label

        print_label(profile)


@app.command("labels")
def list_labels() -> None:
    """List the label profiles shipped with clonaguard."""
    from clonaguard.labels.load import available_labels

    for name in available_labels():
        typer.echo(name)


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "fail", "main"]

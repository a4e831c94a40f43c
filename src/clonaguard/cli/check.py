"""`clonaguard check`: one order, from a case file or from options, checked against the label."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clonaguard.cli.common import JsonFlag, LabelOption, fail, local_today

if TYPE_CHECKING:
    from clonaguard.labels.schema import Label
    from clonaguard.model import Case

_FLAG_NAMES = {
    "orders[0].dose_mg": "--dose-mg",
    "orders[0].times_per_day": "--times-per-day",
    "orders[0].sig": "SIG",
    "patient.age_years": "--age",
    "patient.weight_kg": "--weight",
    "today": "--today",
    "stop": "--stop",
}


def check(
    sig: Annotated[
        str | None, typer.Argument(help='A free-text sig in quotes, e.g. "Klonopin 0,5 mg tid".', show_default=False)
    ] = None,
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
    stop: Annotated[
        str | None, typer.Option("--stop", help="Date the course stops (first day without clonazepam), YYYY-MM-DD.")
    ] = None,
    as_json: JsonFlag = False,
    label: LabelOption = "clonazepam-leaflet",
) -> None:
    """Check one clonazepam order (from a case file or from options) against the label.

    Exit status: 0 no warning or critical finding, 1 at least one, 2 invalid input, 3 internal error.

    [b]Examples[/b]

      clonaguard check --dose-mg 2 --times-per-day 3 --age 34

      clonaguard check "Klonopin 0,5 mg tid" --age 34

      clonaguard check --case case.json --json
    """
    from clonaguard.errors import ClonaguardError
    from clonaguard.labels.load import load_label

    try:
        profile = load_label(label)
        if case is not None:
            parsed = _case_from_file(case, profile, sig, stop)
        else:
            flags = {
                "pregnant": pregnant,
                "breastfeeding": breastfeeding,
                "alcohol_use": alcohol,
                "inpatient": inpatient,
                "acute": acute,
                "continuing": continuing,
            }
            data = _flag_case(dose_mg, times_per_day, age, weight, flags, today, sig, stop)
            parsed = _case_from_options(data, profile)
    except ClonaguardError as exc:
        fail(str(exc))
    _answer(parsed, profile, as_json)


def _case_from_file(path: str, profile: Label, sig: str | None, stop: str | None) -> Case:
    from clonaguard.check import parse_case
    from clonaguard.textinput import read_text

    if stop is not None:
        fail("--stop: give the stop date in the case file (its `stop` field) when using --case")
    if sig is not None:
        fail("SIG: give the sig in the case file (an order's `sig` field) when using --case")
    return parse_case(read_text(path, "--case"), profile, today=local_today())


def _case_from_options(data: dict[str, Any], profile: Label) -> Case:
    """The case the options describe; an error names the option (`--age:`) rather than the case field."""
    from clonaguard.check import parse_case
    from clonaguard.errors import InvalidInputError

    try:
        return parse_case(data, profile, today=local_today())
    except InvalidInputError as exc:
        raise InvalidInputError(_as_flags(str(exc))) from exc


def _flag_case(
    dose_mg: str | None,
    times_per_day: int | None,
    age: float | None,
    weight: float | None,
    flags: dict[str, bool],
    today: str | None,
    sig: str | None,
    stop: str | None,
) -> dict[str, Any]:
    if sig is not None and (dose_mg is not None or times_per_day is not None):
        fail("give the order either as a sig or as --dose-mg and --times-per-day, not both")
    required = () if sig is not None else (("--dose-mg", dose_mg), ("--times-per-day", times_per_day))
    missing = [name for name, value in (*required, ("--age", age)) if value is None]
    if missing:
        fail(f"missing {', '.join(missing)}: give --case FILE, or a SIG or --dose-mg and --times-per-day, and --age")
    patient: dict[str, Any] = {"age_years": age, "weight_kg": weight}
    patient.update({key: flags[key] for key in ("pregnant", "breastfeeding", "alcohol_use")})
    case: dict[str, Any] = {
        "patient": patient,
        "setting": "inpatient" if flags["inpatient"] else "outpatient",
        "acute": flags["acute"],
        "continuing": flags["continuing"],
        "orders": [{"sig": sig} if sig is not None else {"dose_mg": dose_mg, "times_per_day": times_per_day}],
    }
    if today is not None:
        case["today"] = today
    if stop is not None:
        case["stop"] = stop
    return case


def _as_flags(message: str) -> str:
    """Name the command-line option rather than the case field it fills."""
    for field, flag in _FLAG_NAMES.items():
        message = message.replace(f"{field}:", f"{flag}:")
    return message


def _answer(case: Case, profile: Label, as_json: bool) -> None:
    """Print the report (JSON, or a table with the safer regimen) and exit 1 when it needs attention."""
    from clonaguard.alternatives import offered_alternative
    from clonaguard.check import check as run_check

    report = run_check(case, profile)
    alternative = offered_alternative(case, profile, report)
    if as_json:
        answer = {
            **report.to_dict(),
            "alternative": alternative.to_dict() if alternative else None,
            "provenance": profile.profile.provenance(),
        }
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        from clonaguard.cli.render.report import print_report

        print_report(report, case, alternative)
    raise typer.Exit(1 if report.needs_attention else 0)

"""The `clonaguard` command line: a thin adapter over the domain functions."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from typing import Annotated, Any, NoReturn

import typer

from clonaguard.errors import ClonaguardError, InvalidInputError
from clonaguard.pk.cli import app as simulate_app
from clonaguard.plan.cli import app as plan_app
from clonaguard.textinput import read_text

# Exit statuses of every command (docs/reference/exit-codes.md).
EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    help="Check clonazepam orders against the Klonopin leaflet, each finding citing its sentence.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(plan_app, name="plan")
app.add_typer(simulate_app, name="simulate")

LabelOption = Annotated[str, typer.Option("--label", help="Label profile: a shipped name or a path to a YAML file.")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _print_version(value: bool) -> None:
    if value:
        from clonaguard import __version__

        typer.echo(f"clonaguard {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in the output (as NO_COLOR=1 does).")] = False,
) -> None:
    """Options for every command."""
    if no_color:
        os.environ["NO_COLOR"] = "1"  # read by every Rich console created after this


def local_today() -> date:
    """The command line's "today": the local date of the machine it runs on (the service uses the UTC date).

    A case without `today` is checked on this date, and sigs without a start date are dated from it.
    """
    return date.today()


def fail(message: str) -> NoReturn:
    """Invalid input: say what is wrong on stderr and exit with status 2."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(EXIT_INVALID)


def _flag_case(
    dose_mg: str | None,
    times_per_day: int | None,
    age: float | None,
    weight: float | None,
    flags: dict[str, bool],
    today: str | None,
    sig: str | None = None,
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
    return case


_FLAG_NAMES = {
    "orders[0].dose_mg": "--dose-mg",
    "orders[0].times_per_day": "--times-per-day",
    "orders[0].sig": "SIG",
    "patient.age_years": "--age",
    "patient.weight_kg": "--weight",
    "today": "--today",
    "stop": "--stop",
}


def _as_flags(message: str) -> str:
    """Name the command-line option rather than the case field it fills."""
    for field, flag in _FLAG_NAMES.items():
        message = message.replace(f"{field}:", f"{flag}:")
    return message


@app.command()
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
    from clonaguard.alternatives import offered_alternative
    from clonaguard.check import check as run_check
    from clonaguard.check import parse_case
    from clonaguard.labels.load import load_label

    try:
        profile = load_label(label)
        if case is not None:
            if stop is not None:
                fail("--stop: give the stop date in the case file (its `stop` field) when using --case")
            if sig is not None:
                fail("SIG: give the sig in the case file (an order's `sig` field) when using --case")
            parsed = parse_case(read_text(case, "--case"), today=local_today())
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
                data = _flag_case(dose_mg, times_per_day, age, weight, flags, today, sig)
                if stop is not None:
                    data["stop"] = stop
                parsed = parse_case(data, today=local_today())
            except InvalidInputError as exc:
                raise InvalidInputError(_as_flags(str(exc))) from exc
    except ClonaguardError as exc:
        fail(str(exc))
    report = run_check(parsed, profile)
    alternative = offered_alternative(parsed, profile, report)
    if as_json:
        answer = {
            **report.to_dict(),
            "alternative": alternative.to_dict() if alternative else None,
            "provenance": profile.profile.provenance(),
        }
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        from clonaguard.render import print_report

        print_report(report, parsed, alternative)
    raise typer.Exit(1 if report.needs_attention else 0)


@app.command("parse")
def parse(
    text: Annotated[str | None, typer.Argument(help="The sig, in quotes.", show_default=False)] = None,
    as_json: JsonFlag = False,
    fhir: Annotated[
        bool, typer.Option("--fhir", help="Print a FHIR R4 Dosage as JSON (a list of them for a multi-step sig).")
    ] = False,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help="File with one sig a line (- for standard input): one JSON object a line out."),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", help="With --jsonl: processes reading sigs, output in input order; 1 to 64.", min=1, max=64
        ),
    ] = 1,
) -> None:
    """Read a free-text sig into structured fields; what is not understood is listed, never guessed.

    Exit status: 0 read in full and checkable (every line with --jsonl), 1 any reading not understood or in
    doubt, 2 invalid input, 3 internal error. With --fhir a reading in doubt is a FHIR OperationOutcome listing
    why, never a Dosage.

    [b]Examples[/b]

      clonaguard parse "Klonopin 0,5 mg 1 tab po tid between meals"

      clonaguard parse "0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop" --fhir

      clonaguard parse --jsonl sigs.txt --jobs 2
    """
    from clonaguard.sig.cli import parse_lines, parse_one

    if as_json and fhir:
        fail("--json and --fhir: choose one")
    if (text is None) == (jsonl is None):
        fail("give either one sig (TEXT) or --jsonl FILE")
    try:
        if jsonl is not None:
            read_in_full = parse_lines(jsonl, fhir, jobs=jobs)
        else:
            assert text is not None
            read_in_full = parse_one(text, as_json, fhir)
    except ClonaguardError as exc:
        fail(str(exc))
    raise typer.Exit(0 if read_in_full else 1)


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


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on, 1 to 65535.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            envvar="CLONAGUARD_WORKERS",
            help="Server processes on one port and database, 1-64.",
            min=1,
            max=64,
        ),
    ] = 1,
) -> None:
    """Run the HTTP service (REST, CDS Hooks, FHIR) set by CLONAGUARD_* variables (see the configuration reference).

    [b]Example[/b]

      CLONAGUARD_DATABASE_URL=sqlite:///./var/clonaguard.db clonaguard serve --port 8000 --workers 2
    """
    import importlib.util

    import uvicorn
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from clonaguard.service import Settings, app_from_environment

    try:
        settings = Settings()
        application = app_from_environment()  # fails fast on bad config, and migrates before any worker starts
    except (ValidationError, SettingsError) as exc:
        fail(f"configuration (CLONAGUARD_* variables): {exc}")
    except ClonaguardError as exc:
        fail(str(exc))
    uvicorn.run(
        application if workers == 1 else "clonaguard.service:app_from_environment",
        factory=workers > 1,  # each worker process builds its own app from the same variables
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http="clonaguard.service.slowclients:EnvironmentBoundedProtocol",
        timeout_keep_alive=settings.keep_alive_seconds,
    )


def _status(exc: SystemExit) -> int:
    return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_INTERNAL)


def main() -> None:
    """Console-script entry point: every failure ends with one line on stderr and its exit status; an error
    nobody raised on purpose is an internal error (3), never mistaken for a finding (1)."""
    try:
        app()
        status = EXIT_OK
    except SystemExit as exc:
        status = _status(exc)
    except UnicodeDecodeError as exc:
        typer.echo(f"Error: the input is not UTF-8 text ({exc.reason} at byte {exc.start})", err=True)
        status = EXIT_INVALID
    except KeyboardInterrupt:
        status = 130
    except OSError as exc:
        where = f"file {exc.filename}" if exc.filename else "the output"
        typer.echo(f"Error: {where} could not be read or written ({exc.strerror or type(exc).__name__})", err=True)
        status = EXIT_INTERNAL
    except Exception as exc:
        typer.echo(f"Internal error: {type(exc).__name__}; please report it with the command that caused it", err=True)
        status = EXIT_INTERNAL
    sys.exit(_flushed(status))


def _flushed(status: int) -> int:
    """Output written to a full disk or a closed pipe fails only here, at the flush: say so, exit 3."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more may reach the failed stream
        typer.echo(f"Error: the output could not be written ({exc.strerror or type(exc).__name__})", err=True)
        return EXIT_INTERNAL
    return status


__all__ = ["app", "fail", "main"]

"""`clonaguard plan titrate|taper`: plans on the command line. Only typer is imported here; the rest on use."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clonaguard.cli.common import LabelOption, fail

if TYPE_CHECKING:
    from clonaguard.labels.schema import Label
    from clonaguard.plan.models import Plan

app = typer.Typer(
    help="Plan a titration or a taper in real tablets; show it, or export it as a calendar (.ics), CSV or JSON.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

_OPTIONS = {
    "age_years": "--age",
    "target_mg": "--target-mg",
    "start": "--start",
    "end": "--end",
    "interval_days": "--interval-days",
    "step_mg": "--step-mg",
    "weight_kg": "--weight",
    "form": "--form",
    "times": "--times",
    "tz": "--tz",
    "from": "--from",
    "dose_mg": "--from",
    "times_per_day": "--from",
}
_FIELD = re.compile(r"^([a-z_]+)((?:\[\d+\])?):", re.MULTILINE)

Start = Annotated[str, typer.Option("--start", help="First day of the plan, YYYY-MM-DD.", show_default=False)]
Interval = Annotated[str | None, typer.Option("--interval-days", help="Days between steps (default: the label's).")]
Weight = Annotated[str | None, typer.Option("--weight", help="Body weight in kg (recorded; the leaflet doses by age).")]
Form = Annotated[str, typer.Option("--form", help="tablet (scored ones may be halved) or odt (orally disintegrating).")]
Times = Annotated[
    str | None, typer.Option("--times", help="Times of day, HH:MM,HH:MM,... (default: spread from 08:00 to 20:00).")
]
Inpatient = Annotated[bool, typer.Option("--inpatient", help="Hospital (inpatient) setting.")]
Acute = Annotated[bool, typer.Option("--acute", help="An acute condition (epilepsy, panic attacks).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")]
AsCsv = Annotated[bool, typer.Option("--csv", help="Print the plan as CSV, one row per administration.")]
Ics = Annotated[str | None, typer.Option("--ics", help="Write an iCalendar file (- for standard output).")]
Tz = Annotated[
    str | None,
    typer.Option("--tz", help="Time zone of the calendar, e.g. Europe/Berlin (default: floating local times)."),
]


def as_options(message: str) -> str:
    """Name the command-line option ("--target-mg: ...") rather than the request field it fills."""

    def option(match: re.Match[str]) -> str:
        name = _OPTIONS.get(match.group(1))
        return f"{name}:" if name else match.group(0)

    return _FIELD.sub(option, message)


def _request_data(**values: Any) -> dict[str, Any]:
    data = {key: value for key, value in values.items() if value is not None}
    if "times" in data:
        data["times"] = [part.strip() for part in data["times"].split(",")]
    return data


def _emit(plan: Plan, profile: Label, outputs: tuple[bool, bool, str | None], tz: str | None) -> None:
    from clonaguard.plan.calendar import to_ics
    from clonaguard.plan.export import to_csv, to_json

    as_json, as_csv, ics = outputs
    if ics is not None:
        data = to_ics(plan, profile, tz)
        if ics == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        try:
            Path(ics).write_bytes(data)
        except OSError as exc:
            fail(f"--ics: cannot write {ics!r}: {exc.strerror}")
    if as_json:
        typer.echo(to_json(plan))
    elif as_csv:
        typer.echo(to_csv(plan), nl=False)
    else:
        from clonaguard.cli.render.plan import print_plan

        print_plan(plan, profile)
        if ics is not None:
            typer.echo(f"Calendar: {plan.administrations} doses written to {ics}.")


def _run(kind: str, data: dict[str, Any], label: str, outputs: tuple[bool, bool, str | None], tz: str | None) -> None:
    from clonaguard.errors import ClonaguardError
    from clonaguard.labels.load import load_label
    from clonaguard.plan.calendar import zone
    from clonaguard.plan.models import TaperRequest, TitrationRequest, parse_request
    from clonaguard.plan.taper import plan_taper
    from clonaguard.plan.titration import plan_titration

    as_json, as_csv, ics = outputs
    if as_json and as_csv:
        fail("--json and --csv: choose one of them")
    if ics == "-" and (as_json or as_csv):
        fail("--ics -: writes the calendar to standard output; it cannot be combined with --json or --csv")
    try:
        profile = load_label(label)
        zone(tz)
        if kind == "titrate":
            plan = plan_titration(parse_request(TitrationRequest, data), profile)
        else:
            plan = plan_taper(parse_request(TaperRequest, data), profile)
    except ClonaguardError as exc:
        fail(as_options(str(exc)))
    _emit(plan, profile, outputs, tz)


@app.command()
def titrate(
    age: Annotated[str, typer.Option("--age", help="Age in years, 0 to 120.", show_default=False)],
    target_mg: Annotated[str, typer.Option("--target-mg", help="Target daily dose in mg.", show_default=False)],
    start: Start,
    interval_days: Interval = None,
    step_mg: Annotated[
        str | None, typer.Option("--step-mg", help="Raise of the daily dose per step in mg (default: the label's).")
    ] = None,
    weight: Weight = None,
    form: Form = "tablet",
    times: Times = None,
    inpatient: Inpatient = False,
    acute: Acute = False,
    end: Annotated[
        str | None, typer.Option("--end", help="Last planned day, YYYY-MM-DD (default: the course limit).")
    ] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    ics: Ics = None,
    tz: Tz = None,
    label: LabelOption = "clonazepam-leaflet",
) -> None:
    """Start a course at the minimal dose and raise it every few days to the target, then maintain it.

    Adults start at the leaflet's minimal dose, children at the low end of their age band; the dose never
    goes above the target, the age band or the setting's limit, and maintenance ends by the course limit.
    Every step is in real tablets. Invalid input exits with status 2, naming the option and what it accepts.

    [b]Examples[/b]

      clonaguard plan titrate --age 34 --target-mg 6 --start 2026-12-01

      clonaguard plan titrate --age 8 --target-mg 4 --start 2026-12-01 --ics plan.ics --tz Europe/Berlin

      clonaguard plan titrate --age 34 --target-mg 8 --start 2026-12-01 --step-mg 1 --times 07:00,13:00,21:00 --csv
    """
    data = _request_data(
        age_years=age,
        target_mg=target_mg,
        start=start,
        end=end,
        interval_days=interval_days,
        step_mg=step_mg,
        weight_kg=weight,
        form=form,
        times=times,
        setting="inpatient" if inpatient else "outpatient",
        acute=acute,
    )
    _run("titrate", data, label, (as_json, as_csv, ics), tz)


@app.command()
def taper(
    current: Annotated[str, typer.Option("--from", help='The current regimen, e.g. "2 mg tid".', show_default=False)],
    start: Start,
    step_mg: Annotated[
        str | None, typer.Option("--step-mg", help="Reduction of the daily dose per step in mg (default: the label's).")
    ] = None,
    interval_days: Interval = None,
    age: Annotated[str | None, typer.Option("--age", help="Age in years, 0 to 120 (default: an adult).")] = None,
    weight: Weight = None,
    form: Form = "tablet",
    times: Times = None,
    inpatient: Inpatient = False,
    acute: Acute = False,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
    ics: Ics = None,
    tz: Tz = None,
    label: LabelOption = "clonazepam-leaflet",
) -> None:
    """Stop a course gradually: lower the daily dose step by step, hold the final step, then stop.

    By default the daily dose comes down by the label's taper policy (after the US prescribing information;
    see `clonaguard label`) to its final step, held for one interval. Invalid input exits with status 2.

    [b]Examples[/b]

      clonaguard plan taper --from "2 mg tid" --start 2026-12-01

      clonaguard plan taper --from "0,5 mg bid" --start 2026-12-01 --form odt --ics taper.ics
    """
    from datetime import date

    from clonaguard.errors import ClonaguardError
    from clonaguard.plan.current import read_current

    try:
        first_day = date.fromisoformat(start)
    except ValueError:
        first_day = date.today()  # only dates the sig's steps; a bad --start is reported by the request below
    try:
        dose_mg, times_per_day = read_current(current, first_day)
    except ClonaguardError as exc:
        fail(as_options(str(exc)))
    data = _request_data(
        dose_mg=dose_mg,
        times_per_day=times_per_day,
        start=start,
        interval_days=interval_days,
        step_mg=step_mg,
        age_years=age,
        weight_kg=weight,
        form=form,
        times=times,
        setting="inpatient" if inpatient else "outpatient",
        acute=acute,
    )
    _run("taper", data, label, (as_json, as_csv, ics), tz)


__all__ = ["app", "as_options"]

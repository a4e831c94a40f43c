"""`clonaguard simulate`: predicted clonazepam levels on the command line. Only typer is imported at start-up;
NumPy and Matplotlib are loaded when the command runs, so other commands start as fast as before."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from clonaguard.cli.common import fail, local_today

app = typer.Typer(add_completion=False, rich_markup_mode="rich")

_FIELD = re.compile(r"^(case|plan)\.|^([a-z0-9_]+)(?=[:\[.])", re.MULTILINE)


def as_options(message: str) -> str:
    """Name the option ("--weight: ...", "--case: orders[0]...") rather than the request field."""

    def option(match: re.Match[str]) -> str:
        if match.group(1):
            return f"--{match.group(1)}: "
        return f"--{match.group(2)}"

    return _FIELD.sub(option, message).replace("--png", "--png/--svg")


def _read_json(path: str, option: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"{option}: cannot read {path!r}: {exc.strerror}")
    try:
        return json.loads(text)
    except ValueError as exc:
        fail(f"{option}: {path!r} is not valid JSON ({exc})")


def _hours(text: str) -> list[float]:
    values = []
    for part in text.split(","):
        try:
            values.append(float(part.strip()))
        except ValueError:
            fail(f"--at: {part.strip()!r} is not a number of hours; accepted: hours separated by commas, e.g. 24,168")
    return values


Sig = Annotated[str | None, typer.Option("--sig", help='A sig, e.g. "0.5 mg tid".')]
PlanFile = Annotated[str | None, typer.Option("--plan", help="A plan JSON file (clonaguard plan ... --json).")]
CaseFile = Annotated[str | None, typer.Option("--case", help="A case JSON file: its history, and its stop.")]
Weight = Annotated[str | None, typer.Option("--weight", help="Body weight in kg.")]
Comedication = Annotated[
    str, typer.Option("--comedication", help="none, carbamazepine_or_valproate or two_or_more (changes CL/F).")
]
Days = Annotated[str | None, typer.Option("--days", help="Simulated days after the first dose (up to 365).")]
At = Annotated[str | None, typer.Option("--at", help="Output times in hours, e.g. 24,168,504 (default: hourly).")]
Chart = Annotated[str | None, typer.Option("--png", "--svg", help="Write a chart: PNG or SVG by extension.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Population = Annotated[
    str | None, typer.Option("--population", help="Simulate this many patients (5/50/95th percentiles).")
]
Seed = Annotated[str | None, typer.Option("--seed", help="Random seed of the population.")]
Residual = Annotated[bool, typer.Option("--residual", help="Add the model's residual error to the population.")]
Cl = Annotated[str | None, typer.Option("--cl", help="CL/F in L/h (replaces the model's).")]
V = Annotated[str | None, typer.Option("--v", help="V/F in L.")]
Ka = Annotated[str | None, typer.Option("--ka", help="Absorption rate constant, 1/h.")]
F = Annotated[str | None, typer.Option("--f", help="Bioavailability, above 0 to 1.")]
Tlag = Annotated[str | None, typer.Option("--tlag", help="Absorption lag time, h.")]
Model = Annotated[str | None, typer.Option("--model", help="1cmt or 2cmt (2cmt needs --q and --v2).")]
Q = Annotated[str | None, typer.Option("--q", help="Intercompartmental clearance Q, L/h (2cmt).")]
V2 = Annotated[str | None, typer.Option("--v2", help="Peripheral volume V2, L (2cmt).")]
LabelName = Annotated[str, typer.Option("--label", help="Label profile for the planner's taper (--case).")]


@app.callback(invoke_without_command=True)
def simulate(
    sig: Sig = None,
    plan: PlanFile = None,
    case: CaseFile = None,
    weight: Weight = None,
    comedication: Comedication = "none",
    days: Days = None,
    at: At = None,
    chart: Chart = None,
    as_json: AsJson = False,
    population: Population = None,
    seed: Seed = None,
    residual: Residual = False,
    cl: Cl = None,
    v: V = None,
    ka: Ka = None,
    f: F = None,
    tlag: Tlag = None,
    model: Model = None,
    q: Q = None,
    v2: V2 = None,
    label: LabelName = "clonazepam-leaflet",
) -> None:
    """Predict the clonazepam plasma level for a sig, a plan or a case (a model prediction, not a measurement).

    Exit status: 0 simulated, 2 invalid input (the message names the option).

    [b]Examples[/b]

      clonaguard simulate --sig "0.5 mg tid" --weight 70 --days 21 --at 24,168,504

      clonaguard simulate --plan plan.json --weight 70 --population 1000 --seed 1 --png levels.png

      clonaguard simulate --case case.json --png stop.png
    """
    data: dict[str, Any] = {
        "sig": sig,
        "weight": weight,
        "comedication": comedication,
        "days": days,
        "population": population,
        "seed": seed,
        "residual": residual,
        "cl": cl,
        "v": v,
        "ka": ka,
        "f": f,
        "tlag": tlag,
        "model": model,
        "q": q,
        "v2": v2,
        "plan": _read_json(plan, "--plan") if plan is not None else None,
        "case": _read_json(case, "--case") if case is not None else None,
        "at": _hours(at) if at is not None else None,
    }
    result = _simulated({key: value for key, value in data.items() if value is not None}, label, chart)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print(result, chart)


def _simulated(data: dict[str, Any], label: str, chart: str | None) -> dict[str, Any]:
    """The simulation the options ask for (and its chart written); an error names the option at fault."""
    from clonaguard.errors import ClonaguardError
    from clonaguard.labels.load import load_label
    from clonaguard.pk.request import SimulateRequest
    from clonaguard.validation import validate_input

    try:
        if chart is not None:
            from clonaguard.pk.chart import chart_format

            chart_format(chart)
        request = validate_input(SimulateRequest, data)
        return _run(request, load_label(label), chart)
    except ClonaguardError as exc:
        fail(as_options(str(exc)))


def _run(request: Any, label: Any, chart: str | None) -> dict[str, Any]:
    from clonaguard.pk.simulate import run

    result = run(request, label, today=local_today(), chart_points=2000 if chart else None)
    if chart is not None:
        from clonaguard.pk.chart import draw
        from clonaguard.pk.parameters import load_model

        band = load_model().therapeutic_range
        title = _title(request, result.body["parameters"]["weight_kg"])
        draw(result.panels, chart, title, (band.low_ng_ml, band.high_ng_ml), result.population)
    return result.body


def _title(request: Any, weight_kg: float | None) -> str:
    kind = (request.plan or {}).get("kind", "")
    what = {
        "sig": f"sig “{request.sig}”",
        "plan": f"the {kind} plan",
        "case": "the case's course",
        "doses": "the doses taken",
    }[request.source]
    weight = f", {weight_kg:g} kg" if weight_kg is not None else ""
    return f"Predicted clonazepam plasma level: {what}{weight}"


def _print(result: dict[str, Any], chart: str | None) -> None:
    columns = [("typical", result["concentration_ng_ml"])]
    if "percentiles" in result:
        columns += [(f"p{key}", result["percentiles"][key]) for key in ("5", "50", "95")]
    if "taper" in result:
        columns = [("abrupt stop", result["concentration_ng_ml"]), ("taper", result["taper"]["concentration_ng_ml"])]
    times = result["times_h"]
    step = max(1, len(times) // 40)
    typer.echo("time (h)  " + "  ".join(f"{name:>11}" for name, _ in columns) + "   (ng/mL)")
    for index in range(0, len(times), step):
        typer.echo(f"{times[index]:8g}  " + "  ".join(f"{values[index]:11.2f}" for _, values in columns))
    summary = result["summary"]
    fractions = (summary[key] for key in ("fraction_in_range", "fraction_below", "fraction_above"))
    typer.echo(
        f"\n90% of steady state after {summary['time_to_90pct_steady_state_h']:g} h; time in range "
        + "{:.0%}, below {:.0%}, above {:.0%}.".format(*fractions)
    )
    if chart is not None:
        typer.echo(f"Chart written to {chart}.")
    typer.echo(result["notice"])


__all__ = ["app", "as_options"]

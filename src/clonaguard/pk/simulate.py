"""One simulation request in, the JSON answer out: the typical subject, a population, the range summary."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.pk.dosing import DAY_H, Dosing, from_doses
from clonaguard.pk.engine import Array, Subjects, simulate
from clonaguard.pk.parameters import PkModel, Typical, load_model, typical, with_overrides
from clonaguard.pk.request import SimulateRequest
from clonaguard.pk.sources import from_case, from_plan, from_sig
from clonaguard.pk.summary import time_in_range, time_to_steady_state
from clonaguard.units import NG_PER_UNIT

SUMMARY_STEP_H = 0.1
DEFAULT_DAYS = 21.0
AFTER_LAST_DOSE_DAYS = 7.0
_ML_PER_L = 1000
_NG_ML_PER_MG_L = NG_PER_UNIT["mg"] / _ML_PER_L  # the model computes mg/L; levels are reported in ng/mL
NOTICE = (
    "Model prediction, not a measured level: the clonazepam plasma concentration a population model expects "
    "for a typical patient of this weight. A patient's own level can differ widely; only a blood test measures it."
)


@dataclass(frozen=True, slots=True)
class Courses:
    """The dosing to simulate, and (for a case with a stop) the planner's taper beside it."""

    main: Dosing
    taper: Dosing | None = None
    notes: tuple[str, ...] = ()
    stop_h: float | None = None
    titles: tuple[str, str] = ("", "")
    weight_kg: float | None = None


@dataclass(frozen=True, slots=True)
class Panel:
    """One course for the chart: the typical curve, the population's percentiles, the doses."""

    title: str
    times_h: Array
    typical: Array
    percentiles: Array | None
    doses_h: tuple[float, ...]
    stop_h: float | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """The JSON answer, and the chart's panels when asked for."""

    body: dict[str, Any]
    panels: tuple[Panel, ...] = ()
    population: int | None = None


def _courses(request: SimulateRequest, label: Label, today: date) -> Courses:
    from clonaguard.check import parse_case

    if request.doses is not None:
        return Courses(from_doses([(dose.time_h, dose.dose_mg) for dose in request.doses]))
    if request.sig is not None:
        return Courses(from_sig(request.sig, request.days or DEFAULT_DAYS))
    if request.plan is not None:
        return Courses(from_plan(request.plan))
    assert request.case is not None
    try:
        case = parse_case(request.case, today=today)
    except InvalidInputError as exc:
        raise InvalidInputError("\n".join(f"case.{line}" for line in str(exc).splitlines())) from exc
    courses = from_case(case, label, request.days)
    weight = case.patient.weight_kg
    if courses.taper is None:
        return Courses(courses.history, weight_kg=weight)
    note = (
        f"Abrupt stop on {courses.stop} beside the planner's taper from {courses.stop} "
        f"(stopping on {courses.taper_stop})."
    )
    first = courses.history.first_dose
    assert first is not None and courses.stop is not None
    stop_h = (datetime.combine(courses.stop, time(0)) - first).total_seconds() / 3600
    titles = (f"Abrupt stop on {courses.stop}", f"Planner's taper from {courses.stop} to {courses.taper_stop}")
    return Courses(courses.history, courses.taper, (note,), stop_h, titles, weight)


def _span_h(request: SimulateRequest, courses: Courses) -> float:
    if request.days is not None:
        return request.days * DAY_H
    if request.sig is not None:
        return DEFAULT_DAYS * DAY_H
    last = max(course.last_dose_h for course in (courses.main, courses.taper) if course is not None)
    return math.ceil(last / DAY_H + AFTER_LAST_DOSE_DAYS) * DAY_H


def output_times(request: SimulateRequest, span_h: float) -> Array:
    """The `at` times (each within the span) or every hour from 0 to the span's end."""
    if request.at is None:
        return np.arange(0.0, span_h + 0.5, 1.0)
    beyond = [t for t in request.at if t > span_h]
    if beyond:
        raise InvalidInputError(
            f"at: {beyond[0]:g} h is beyond the simulated span; accepted: 0 to {span_h:g} h (simulate more days)"
        )
    return np.asarray(request.at, dtype=float)


def subject_of(request: SimulateRequest, model: PkModel, weight_kg: float | None = None) -> Typical:
    """The typical subject of the request's weight (or the case's), with the request's overrides."""
    base = typical(model, request.weight or weight_kg, request.comedication)
    return with_overrides(
        base,
        cl=request.cl,
        v=request.v,
        ka=request.ka,
        f=request.f,
        tlag=request.tlag,
        structure=request.model,
        q=request.q,
        v2=request.v2,
    )


def subjects(subject: Typical, cl: Array | None = None) -> Subjects:
    """The engine's arrays; `cl` per subject for a population, the typical value otherwise."""
    count = 1 if cl is None else cl.shape[0]
    filled = np.full(count, 1.0)
    return Subjects(
        structure=subject.structure,
        cl=filled * subject.cl if cl is None else cl,
        v=filled * subject.v,
        ka=filled * subject.ka,
        q=None if subject.q is None else filled * subject.q,
        v2=None if subject.v2 is None else filled * subject.v2,
        bioavailability={1: subject.f},
        lag={1: subject.tlag},
    )


def levels_ng_ml(group: Subjects, dosing: Dosing, times_h: Array) -> Array:
    """Concentrations in ng/mL (mg/L × 1000) at the reported times, (subjects, times)."""
    return simulate(group, dosing.events, times_h + dosing.origin_h) * _NG_ML_PER_MG_L


def population_clearances(model: PkModel, subject: Typical, size: int, seed: int | None) -> Array:
    """Log-normal between-subject variability of CL/F with the model's CV: ω² = ln(1 + CV²)."""
    omega = math.sqrt(math.log1p(model.clearance.between_subject_cv**2))
    rng = np.random.default_rng(seed)
    return subject.cl * np.exp(rng.normal(0.0, omega, size))


def _course(model: PkModel, subject: Typical, dosing: Dosing, times: Array, span_h: float) -> dict[str, Any]:
    group = subjects(subject)
    band = model.therapeutic_range
    fine = levels_ng_ml(group, dosing, np.arange(0.0, span_h + 1e-9, SUMMARY_STEP_H))[0]
    summary = {
        "time_to_90pct_steady_state_h": round(float(time_to_steady_state(group)[0]), 2),
        **time_in_range(fine, band.low_ng_ml, band.high_ng_ml),
    }
    return {
        "times_h": [round(float(t), 4) for t in times],
        "concentration_ng_ml": _rounded(levels_ng_ml(group, dosing, times)[0]),
        "summary": summary,
    }


def _rounded(values: Array) -> list[float]:
    return [round(float(value), 4) for value in values]


def percentiles(model: PkModel, subject: Typical, request: SimulateRequest, dosing: Dosing, times: Array) -> Array:
    """The 5th, 50th and 95th percentiles over the population at each time, (3, times)."""
    assert request.population is not None
    clearances = population_clearances(model, subject, request.population, request.seed)
    levels = levels_ng_ml(subjects(subject, clearances), dosing, times)
    if request.residual:
        rng = np.random.default_rng(None if request.seed is None else request.seed + 1)
        levels = np.maximum(levels * (1 + rng.normal(0.0, model.residual.proportional_cv, levels.shape)), 0.0)
    result: Array = np.percentile(levels, [5, 50, 95], axis=0)
    return result


def notice(model: PkModel, request: SimulateRequest, weight: float | None, notes: tuple[str, ...]) -> str:
    """The notice every output carries, with what makes this prediction less certain."""
    studied = model.clearance.studied_weight_kg
    parts = [NOTICE]
    if weight is not None and not studied.min <= weight <= studied.max:
        parts.append(
            f"The weight of {weight:g} kg is outside the {studied.min:g}-{studied.max:g} kg in "
            "which the clearance model was estimated."
        )
    overridden = [
        name for name in ("cl", "v", "ka", "f", "tlag", "model", "q", "v2") if getattr(request, name) is not None
    ]
    if overridden:
        parts.append(f"Model values replaced by the caller: {', '.join(overridden)}.")
    return " ".join([*parts, *notes])


def _within(limit: int | None, request: SimulateRequest, times: Array) -> None:
    work = (request.population or 1) * times.size
    if limit is not None and work > limit:
        raise InvalidInputError(
            f"population: {request.population or 1} patients × {times.size} output times is {work} values; "
            f"accepted: at most {limit} per request (fewer patients, fewer `at` times or fewer days)"
        )


def run(
    request: SimulateRequest,
    label: Label,
    *,
    today: date,
    chart_points: int | None = None,
    limit: int | None = None,
) -> Result:
    """The answer of `clonaguard simulate --json` and `POST /v1/simulate`; with `chart_points`, the panels too.

    `today` dates a case's sigs (the caller's date); `limit` bounds population × output times (the service's
    per-request bound)."""
    model = load_model()
    courses = _courses(request, label, today)
    subject = subject_of(request, model, courses.weight_kg)
    weight = request.weight or courses.weight_kg
    span_h = _span_h(request, courses)
    times = output_times(request, span_h)
    _within(limit, request, times)
    main = _course(model, subject, courses.main, times, span_h)
    body: dict[str, Any] = {
        "model": subject.structure,
        "parameters": {
            **subject.to_dict(),
            "weight_kg": weight,
            "comedication": request.comedication,
            "source": model.title,
        },
        "times_h": main["times_h"],
        "concentration_ng_ml": main["concentration_ng_ml"],
        "summary": main["summary"],
        "notice": notice(model, request, weight, courses.notes),
    }
    if request.population is not None:
        values = percentiles(model, subject, request, courses.main, times)
        body["percentiles"] = {"5": _rounded(values[0]), "50": _rounded(values[1]), "95": _rounded(values[2])}
    if courses.taper is not None:
        taper = _course(model, subject, courses.taper, times, span_h)
        body["taper"] = {key: taper[key] for key in ("concentration_ng_ml", "summary")}
    if chart_points is None:
        return Result(body)
    grid = np.linspace(0.0, span_h, chart_points)
    panels = []
    runs = ((courses.main, courses.titles[0], courses.stop_h), (courses.taper, courses.titles[1], None))
    for dosing, title, stop in runs:
        if dosing is None:
            continue
        spread = None if request.population is None else percentiles(model, subject, request, dosing, grid)
        level = levels_ng_ml(subjects(subject), dosing, grid)[0]
        panels.append(Panel(title, grid, level, spread, dosing.doses_h, stop))
    return Result(body, tuple(panels), request.population)


__all__ = ["NOTICE", "Courses", "Panel", "Result", "levels_ng_ml", "output_times", "run", "subject_of", "subjects"]

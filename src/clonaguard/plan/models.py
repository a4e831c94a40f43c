"""What a plan is asked for (validated requests) and what it is (steps of real tablets), and its check case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from itertools import pairwise
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from clonaguard.errors import InvalidInputError
from clonaguard.model import Case, IsoDate, Milligrams, Order, Patient, Taper
from clonaguard.numbers import parse_decimal
from clonaguard.regimens import format_mg
from clonaguard.units import exact_mg

Form = Literal["tablet", "odt"]
Setting = Literal["outpatient", "inpatient"]
StepKind = Literal["start", "increase", "maintenance", "decrease"]

_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def parse_clock(value: object) -> object:
    """A time of day only as 24-hour "HH:MM" text (or a time): "8", "8am" and seconds counts are refused."""
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        match = _CLOCK.fullmatch(value.strip())
        if match:
            return time(int(match.group(1)), int(match.group(2)))
    raise ValueError("must be a time of day written HH:MM (00:00 to 23:59)")


def _times(value: object) -> object:
    """ "08:00,14:00,20:00" or a list of "HH:MM": every entry that is not a time of day is named at once."""
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, list | tuple):
        raise ValueError("must be a list of times of day written HH:MM")
    parsed, bad = [], []
    for part in parts:
        try:
            parsed.append(parse_clock(part))
        except ValueError:
            bad.append(part)
    if bad:
        raise ValueError(f"{', '.join(repr(item) for item in bad)}: not a time of day written HH:MM (00:00 to 23:59)")
    return tuple(parsed)


def _signed_mg(value: object) -> object:
    """A dose change in mg, "0,25" read as 0.25; a sign is kept so that "-1" is refused as not above 0."""
    if isinstance(value, str):
        text = value.strip()
        sign = -1.0 if text.startswith("-") else 1.0
        try:
            return sign * parse_decimal(text.lstrip("-+"), "mg")
        except InvalidInputError:
            raise ValueError("is not a number (write it like 0.5 or 0,5)") from None
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


Times = Annotated[tuple[time, ...] | None, BeforeValidator(_times)]
StepMg = Annotated[float | None, BeforeValidator(_signed_mg)]
SignedMg = Annotated[float, BeforeValidator(_signed_mg)]


FIRST_START = date(1900, 1, 1)
LAST_START = date(2999, 12, 31)


class _Request(BaseModel):
    """Fields every plan request shares; numbers the label bounds are checked by the planner against the label."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: IsoDate = Field(description="First day of the plan, YYYY-MM-DD, from 1900-01-01 to 2999-12-31.")
    step_mg: StepMg = Field(
        default=None,
        gt=0,
        allow_inf_nan=False,
        description="Change of the daily dose per step in mg; the label's policy when absent.",
    )
    interval_days: int | None = Field(
        default=None, ge=1, le=365, description="Days between steps; the label's interval when absent."
    )
    weight_kg: float | None = Field(default=None, gt=0, le=400, allow_inf_nan=False, description="Body weight in kg.")
    form: Form = Field(default="tablet", description="tablet, or odt (orally disintegrating): the label's strengths.")
    times: Times = Field(
        default=None,
        description="Times of day of the administrations, HH:MM, earliest first; spread over the day when absent.",
    )
    setting: Setting = "outpatient"
    acute: bool = Field(default=False, description="An acute condition (epilepsy, panic attacks).")

    @field_validator("start")
    @classmethod
    def _plannable(cls, value: date) -> date:
        """Far enough from the calendar's ends for any plan to fit after it."""
        if not FIRST_START <= value <= LAST_START:
            raise ValueError(f"must be a date from {FIRST_START} to {LAST_START}")
        return value

    @field_validator("times")
    @classmethod
    def _ascending(cls, value: tuple[time, ...] | None) -> tuple[time, ...] | None:
        if value is None:
            return None
        if not value:
            raise ValueError("at least one time of day is needed")
        if any(later <= earlier for earlier, later in pairwise(value)):
            raise ValueError("times of day must be different and in order, earliest first")
        return value


R = TypeVar("R", bound=_Request)


class TitrationRequest(_Request):
    """A new course: from the starting dose up to a target daily dose, then maintenance."""

    age_years: float = Field(ge=0, le=120, allow_inf_nan=False, description="Age in years, 0 to 120.")
    target_mg: SignedMg = Field(gt=0, allow_inf_nan=False, description="Target daily dose in mg.")
    end: IsoDate | None = Field(
        default=None, description="Last planned day; the last day of the label's course limit when absent."
    )


class TaperRequest(_Request):
    """A gradual stop from the current regimen (dose per administration × times a day)."""

    age_years: float | None = Field(
        default=None, ge=0, le=120, allow_inf_nan=False, description="Age in years, 0 to 120; an adult when absent."
    )
    dose_mg: Milligrams = Field(description="Current dose per administration in mg.")
    times_per_day: int = Field(ge=1, le=24, description="Current administrations per day, 1 to 24.")

    @property
    def daily_mg(self) -> float:
        """The current daily dose, exact to the nanogram like `Order.daily_dose_mg`."""
        return exact_mg(self.dose_mg * self.times_per_day)


def parse_request(model: type[R], data: dict[str, Any] | str | bytes) -> R:
    """Validate a request from a dict or JSON; errors name each field and its accepted range."""
    from clonaguard.validation import validate_input

    return validate_input(model, data)


@dataclass(frozen=True, slots=True)
class TabletCount:
    """So many tablets of one strength; `halves` counts half tablets (only scored tablets are halved)."""

    strength_mg: float
    form: Form
    halves: int

    @property
    def count(self) -> float:
        return self.halves / 2

    @property
    def _number(self) -> str:
        """3 halves -> "1½", 1 half -> "½", 4 halves -> "2"."""
        whole, half = divmod(self.halves, 2)
        return (str(whole) if whole else "") + ("½" if half else "")

    @property
    def short_text(self) -> str:
        """ "1½ × 0.5 mg", "2 × 0.125 mg ODT": for tables whose caption names the form."""
        return f"{self._number} × {format_mg(self.strength_mg)} mg" + (" ODT" if self.form == "odt" else "")

    @property
    def text(self) -> str:
        """ "1 × 2 mg tablet", "1½ × 0.5 mg tablets", "2 × 0.125 mg orally disintegrating tablets"."""
        number = self._number
        noun = "tablet" if self.form == "tablet" else "orally disintegrating tablet"
        plural = "s" if self.halves > 2 else ""
        return f"{number} × {format_mg(self.strength_mg)} mg {noun}{plural}"

    def to_dict(self) -> dict[str, Any]:
        return {"strength_mg": self.strength_mg, "form": self.form, "count": self.count}


@dataclass(frozen=True, slots=True)
class TimedDose:
    """One dose of a plan at one time of day, in real tablets (a plan step's `administrations`)."""

    time: time
    dose_mg: float
    tablets: tuple[TabletCount, ...]

    @property
    def tablets_text(self) -> str:
        return " + ".join(tablet.text for tablet in self.tablets)

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time.strftime("%H:%M"),
            "dose_mg": self.dose_mg,
            "tablets": [tablet.to_dict() for tablet in self.tablets],
            "tablets_text": self.tablets_text,
        }


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One step of a plan: a daily dose from `start` to `end` (both inclusive), split into timed doses."""

    number: int
    kind: StepKind
    start: date
    end: date
    daily_mg: float
    administrations: tuple[TimedDose, ...]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_order(self) -> Order:
        """The step as an `Order`: same daily dose, one dose per administration (which may be unequal)."""
        times = len(self.administrations)
        return Order(start=self.start, end=self.end, dose_mg=self.daily_mg / times, times_per_day=times)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "daily_mg": self.daily_mg,
            "administrations": [administration.to_dict() for administration in self.administrations],
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """A titration or taper in real tablets, with what the planner had to change and why (`notes`)."""

    kind: Literal["titration", "taper"]
    patient: Patient
    setting: Setting
    acute: bool
    form: Form
    steps: tuple[PlanStep, ...]
    instructions: str
    instructions_source: str
    notes: tuple[str, ...] = ()
    current: Order | None = None
    stop: date | None = None
    course_limit: date | None = None
    taper: Taper | None = None
    age_given: bool = True

    @property
    def start(self) -> date:
        return self.steps[0].start if self.steps else self.stop or date.min

    @property
    def last_day(self) -> date:
        """The last day with a dose (the day before `stop` in a taper)."""
        if self.steps:
            return self.steps[-1].end
        return self.stop - timedelta(days=1) if self.stop else date.min

    @property
    def administrations(self) -> int:
        """How many doses the whole plan gives (one calendar event each)."""
        return sum(step.days * len(step.administrations) for step in self.steps)

    def to_case(self) -> Case:
        """The plan as a checkable course: a taper continues the current regimen (`continuing`) and stops."""
        orders = [step.as_order() for step in self.steps]
        if self.current is not None:
            orders.insert(0, self.current)
        today = self.stop if self.stop is not None else self.last_day
        return Case(
            today=today,
            patient=self.patient,
            setting=self.setting,
            acute=self.acute,
            continuing=self.kind == "taper",
            orders=orders,
            stop=self.stop,
            taper=self.taper,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "patient": self.patient.model_dump(exclude_defaults=True) | ({} if self.age_given else {"age_years": None}),
            "setting": self.setting,
            "acute": self.acute,
            "form": self.form,
            "current": None
            if self.current is None
            else {
                "dose_mg": self.current.dose_mg,
                "times_per_day": self.current.times_per_day,
                "daily_mg": self.current.daily_dose_mg,
            },
            "start": self.start.isoformat(),
            "last_day": self.last_day.isoformat(),
            "stop": self.stop.isoformat() if self.stop else None,
            "course_limit": self.course_limit.isoformat() if self.course_limit else None,
            "taper": None if self.taper is None else self.taper.model_dump(),
            "administrations": self.administrations,
            "instructions": self.instructions,
            "instructions_source": self.instructions_source,
            "notes": list(self.notes),
            "steps": [step.to_dict() for step in self.steps],
        }

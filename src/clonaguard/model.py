"""The domain: a case (patient, orders over time, stop) in, findings out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Generic, Literal, NamedTuple, Self, TypeVar, overload

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from clonaguard.numbers import parse_decimal
from clonaguard.units import NG_PER_MG, exact_mg, ng_of_mg
from clonaguard.validation import validated_already

T = TypeVar("T")
# What a daily dose counts: the scheduled doses, the most an as-needed order allows, or both together.
DoseBasis = Literal["scheduled", "as_needed_maximum", "scheduled_plus_as_needed"]
DOSE_BASIS_WORDS: dict[DoseBasis, str] = {
    "scheduled": "the scheduled doses",
    "as_needed_maximum": "the most the as-needed order allows",
    "scheduled_plus_as_needed": "the scheduled doses plus the most the extra as-needed doses allow",
}
"""What a daily dose checked on a given basis is, in words every output uses."""


class Severity(StrEnum):
    """The CDS Hooks indicator vocabulary, ordered info < warning < critical."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """A finding code's place in the standards (NCPDP DUR reason for service, HL7 v3 DosageProblem) and when it
    takes which severity (the rule decides; a test holds the two together)."""

    dur_code: str
    hl7_code: str | None
    meaning: str
    severity: str


FINDING_CODES: dict[str, CodeInfo] = {
    "DOSE_BELOW_MINIMUM": CodeInfo("LD", "DOSEL", "adult daily dose below the leaflet minimum", "info"),
    "START_DOSE_ABOVE_MINIMUM": CodeInfo("SR", "DOSEH", "a new course starts above the minimal dose", "warning"),
    "DOSE_ABOVE_STANDARD": CodeInfo(
        "HD", "DOSEH", "adult daily dose above the standard range", "warning; info when acute"
    ),
    "DOSE_REQUIRES_HOSPITAL": CodeInfo(
        "HD",
        "DOSEH",
        "adult daily dose that needs hospital supervision",
        "critical outpatient; inpatient: warning, info when acute",
    ),
    "DOSE_ABOVE_MAXIMUM": CodeInfo("HD", "DOSEH", "daily dose above the maximum: overdose risk", "critical"),
    "PEDIATRIC_DOSE_BELOW_RANGE": CodeInfo("LD", "DOSEL", "child's daily dose below the age band", "info"),
    "PEDIATRIC_DOSE_ABOVE_RANGE": CodeInfo("HD", "DOSEHINDA", "child's daily dose above the age band", "critical"),
    "FREQUENCY_OUT_OF_RANGE": CodeInfo("SR", None, "administrations per day outside the leaflet's range", "warning"),
    "DOSES_NOT_DIVIDED_IN_THREE": CodeInfo("SR", None, "standard daily dose not split into 3 parts", "info"),
    "ADMINISTRATION_NOT_BETWEEN_MEALS": CodeInfo(
        "SR", None, "instructions contradict between meals, water only", "info"
    ),
    "PREGNANCY": CodeInfo("PG", None, "contraindicated in pregnancy", "critical"),
    "BREASTFEEDING": CodeInfo("NR", None, "contraindicated during lactation", "critical"),
    "ALCOHOL_USE": CodeInfo("OH", None, "alcohol strictly contraindicated", "critical"),
    "TITRATION_TOO_FAST": CodeInfo("SR", None, "dose raised sooner than the leaflet's interval", "warning"),
    "TITRATION_STEP_TOO_LARGE": CodeInfo("SR", None, "one raise larger than the label's titration step", "warning"),
    "DURATION_EXCEEDED": CodeInfo("MX", "DOSEDURH", "course longer than the leaflet's limit", "warning"),
    "TOLERANCE_DOSE_INCREASE": CodeInfo("SR", None, "dose raised although reduced efficacy was reported", "warning"),
    "ABRUPT_DISCONTINUATION": CodeInfo("SR", None, "treatment stopped without tapering", "critical"),
    "TAPER_STEP_TOO_LARGE": CodeInfo(
        "SR", None, "a reduction step too large or too soon", "warning; info when the course does not stop"
    ),
}


@dataclass(slots=True)
class Finding:
    """One problem with a case, citing the label sentence behind it (not frozen, for speed; never mutated)."""

    code: str
    severity: Severity
    message: str
    source: str
    suggestion: str | None = None
    order_index: int | None = None

    @property
    def dur_code(self) -> str:
        return FINDING_CODES[self.code].dur_code

    @property
    def hl7_code(self) -> str | None:
        return FINDING_CODES[self.code].hl7_code

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "dur_code": self.dur_code,
            "hl7_code": self.hl7_code,
            "message": self.message,
            "source": self.source,
            "suggestion": self.suggestion,
            "order_index": self.order_index,
        }


@dataclass(slots=True)
class Report:
    """The result of checking one case: the checked order's daily dose and every finding."""

    daily_dose_mg: float
    findings: tuple[Finding, ...]
    dose_basis: DoseBasis = "scheduled"

    @property
    def needs_attention(self) -> bool:
        """True when a finding is a warning or critical (the CLI's exit status 1)."""
        return any(f.severity is not Severity.INFO for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "daily_dose_mg": self.daily_dose_mg,
            "dose_basis": self.dose_basis,
            "findings": [f.to_dict() for f in self.findings],
        }


def _decimal(value: object) -> object:
    """Accept "0,5" as 0.5 in a dose; numbers and other strings go on to normal validation."""
    if isinstance(value, str):
        return parse_decimal(value)
    if isinstance(value, bool):
        raise ValueError("a dose must be a number, not true or false")
    return value


def _iso_date(value: object) -> object:
    """Dates only as ISO text (YYYY-MM-DD) or date objects: a bare number is never a date."""
    if isinstance(value, date) or (isinstance(value, str) and len(value) == 10):
        return value
    raise ValueError("must be a date written YYYY-MM-DD")


Milligrams = Annotated[float, Field(ge=0.001, le=1000, allow_inf_nan=False), BeforeValidator(_decimal)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class computed_once(Generic[T]):
    """A value derived from a frozen model, computed on first use and kept in the instance.

    Like functools.cached_property without its per-access lock (Python 3.11), which costs more than the
    values it guards; a frozen model cannot change under it, so there is nothing to lock against.
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> computed_once[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | computed_once[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(computed_once,))

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy whose derived values are computed afresh, so an update can never leave one stale.

        Not validated, as pydantic's own `model_copy` is not. The shallow copy is built here (`trusted`), as
        pydantic's `__copy__` builds it (these models have no extra fields and no private attributes), at a
        fraction of its cost: plans and the safer-regimen search make many copies of a case.
        """
        if deep:
            copy = super().model_copy(update=update, deep=True)
            for name in _derived_names(type(copy)):
                copy.__dict__.pop(name, None)
            return copy
        values = self.__dict__.copy()
        for name in _derived_names(type(self)):
            values.pop(name, None)
        fields_set = set(self.__pydantic_fields_set__)
        if update:
            values.update(update)
            fields_set.update(update)
        return self.trusted(values, fields_set)

    @classmethod
    def trusted(cls, values: dict[str, Any], fields_set: set[str]) -> Self:
        """A model of field values already validated (every field, no derived value), not validated again."""
        return validated_already(cls, values, fields_set)


@cache
def _derived_names(cls: type) -> tuple[str, ...]:
    """The `computed_once` values a model class keeps beside its fields."""
    return tuple(
        name for klass in cls.__mro__ for name, value in vars(klass).items() if isinstance(value, computed_once)
    )


class Patient(_Input):
    """The facts about the patient that the label's rules read."""

    age_years: float = Field(ge=0, le=120, allow_inf_nan=False, description="Age in years, 0 to 120.")
    weight_kg: float | None = Field(
        default=None,
        gt=0,
        le=400,
        allow_inf_nan=False,
        description="Body weight in kg, above 0 and up to 400; recorded, since the leaflet gives no dose by weight.",
    )
    pregnant: bool = Field(default=False, description="The patient is pregnant.")
    breastfeeding: bool = Field(default=False, description="The patient is breastfeeding.")
    alcohol_use: bool = Field(default=False, description="The patient drinks alcohol.")
    reduced_efficacy_reported: bool = Field(
        default=False, description="The patient reports that the same dose works less well than before (tolerance)."
    )


class Order(_Input):
    """One clonazepam regimen from its start date: the same dose a given number of times a day."""

    start: IsoDate | None = Field(default=None, description="First day of this regimen; the case's today when absent.")
    dose_mg: Milligrams = Field(description="Dose per administration in mg, 0.001 (1 microgram) to 1000.")
    times_per_day: int = Field(ge=1, le=24, description="Administrations per day, 1 to 24.")
    end: IsoDate | None = Field(default=None, description="Date this regimen ends, when known; not before its start.")
    sig: str | None = Field(
        default=None, max_length=2000, description="Free-text sig, in place of dose_mg and times_per_day."
    )  # read before validation by `clonaguard.check.parse_case`; kept here as the order's source text
    food_drink: tuple[str, ...] = Field(
        default=(), max_length=20, description='Food and drink instructions read from the sig ("with milk").'
    )
    dose_basis: DoseBasis = Field(
        default="scheduled",
        description="What times_per_day counts: scheduled doses, the most an as-needed order allows, or both.",
    )

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Order:
        if self.end is not None and self.start is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    @computed_once
    def daily_dose_mg(self) -> float:
        """Exact to the nanogram, so 0.1 x 3 is 0.3, not 0.30000000000000004.

        The product is taken before it is made exact: a plan step of 1 mg over 3 unequal doses is an order of
        1/3 mg three times a day, and its day is 1 mg, not 0.999999 mg.
        """
        return exact_mg(self.dose_mg * self.times_per_day)


class Taper(_Input):
    """This case's taper policy; it can tighten the label's (smaller or slower steps), never loosen it."""

    step_daily_mg: Milligrams = Field(description="Largest reduction of the daily dose in one step, in mg.")
    interval_days: int = Field(ge=1, le=365, description="Fewest days between two dose changes, 1 to 365.")


class CourseStep(NamedTuple):
    """A step of the case's course: the daily dose in force from `start` on, from the order at `order_index`.

    The dose is kept in whole nanograms, so the rules compare and subtract doses as integers (a tuple, since
    every check builds one per order and a tuple is the cheapest immutable record to build).
    """

    order_index: int
    start: date
    daily_ng: int

    @property
    def daily_mg(self) -> float:
        return self.daily_ng / NG_PER_MG


class Case(_Input):
    """A patient's clonazepam orders in time order; the last order is the one being checked."""

    today: IsoDate = Field(
        description="Date of the check. Given by the caller: the command line's local date, the service's UTC date."
    )
    patient: Patient = Field(description="The patient the orders are for.")
    setting: Literal["outpatient", "inpatient"] = Field(
        default="outpatient", description="Where the patient is treated: outpatient, or inpatient (in hospital)."
    )
    acute: bool = Field(default=False, description="The condition is acute (for example epilepsy or panic attacks).")
    indication: str = Field(default="epilepsy", description="What the order treats: one of the label's indications.")
    continuing: bool = Field(
        default=False,
        description="The course began before the first order (it continues a running course), so the first order is "
        "not checked as a starting dose.",
    )
    orders: list[Order] = Field(
        min_length=1,
        max_length=1000,
        description="The clonazepam orders, 1 to 1000, earliest first; the last one is the order checked.",
    )
    stop: IsoDate | None = Field(
        default=None, description="Date the course stops: the first day without clonazepam; after the last start."
    )
    taper: Taper | None = Field(default=None, description="Taper policy for this case; the label's when absent.")

    @field_validator("orders")
    @classmethod
    def _no_gap(cls, orders: list[Order]) -> list[Order]:
        """An earlier order's end may not leave days without clonazepam before the next order starts."""
        for index in range(len(orders) - 1):
            end, following = orders[index].end, orders[index + 1].start
            if end is not None and following is not None and (following - end).days > 1:
                raise ValueError(
                    f"orders[{index}].end {end} leaves a gap before orders[{index + 1}].start {following}; "
                    "a course is continuous"
                )
        return orders

    @field_validator("indication")
    @classmethod
    def _indication_on_the_label(cls, indication: str, info: ValidationInfo) -> str:
        """When validated against a label (`context={"label": ...}`), the indication must be one it lists."""
        label = (info.context or {}).get("label")
        if label is not None and indication not in label.indication_ids:
            raise ValueError(
                f"is not an indication of label {label.profile.name}; accepted: {', '.join(label.indication_ids)}"
            )
        return indication

    @field_validator("stop")
    @classmethod
    def _stop_after_last_start(cls, stop: date | None, info: ValidationInfo) -> date | None:
        orders, today = info.data.get("orders"), info.data.get("today")
        if stop is None or not orders or today is None:
            return stop
        start, end = orders[-1].start or today, orders[-1].end
        if stop <= start:
            raise ValueError(f"must be after the last order's start ({start})")
        if end is not None and (stop - end).days > 1:
            raise ValueError(f"leaves a gap after the last order's end ({end}); a course is continuous")
        return stop

    @model_validator(mode="after")
    def _dated_history(self) -> Case:
        if len(self.orders) > 1:
            for index, order in enumerate(self.orders):
                if order.start is None:
                    raise ValueError(f"orders[{index}].start is required when there are several orders")
            for index in range(1, len(self.orders)):
                if self.orders[index].start < self.orders[index - 1].start:  # type: ignore[operator]
                    raise ValueError(f"orders[{index}].start is earlier than the order before it")
        return self

    @computed_once
    def steps(self) -> list[CourseStep]:
        """The daily dose over time, one step per start date; of several orders starting on one day the last applies.

        Computed once per case, since the dose and course rules all read it.
        """
        today = self.today
        result: list[CourseStep] = []
        for index, order in enumerate(self.orders):
            step = CourseStep(index, order.start or today, ng_of_mg(order.dose_mg * order.times_per_day))
            if result and result[-1].start == step.start:
                result[-1] = step
            else:
                result.append(step)
        return result

    @property
    def checked_order(self) -> Order:
        return self.orders[-1]

"""What the components read in one step, before the step is decided (one mutable record per step).

Plain tuples and lists: the pydantic models are built once, at the end, from the decided values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Amount(NamedTuple):
    """A dose-like amount as written: a count of units or an amount in mg."""

    low: float
    high: float
    unit: str
    start: int
    text: str
    with_form: bool = False


class TimingSpec(NamedTuple):
    """FHIR Timing.repeat values, as read."""

    frequency: int | None
    frequency_max: int | None
    period: float | None
    period_max: float | None
    period_unit: str | None
    when: tuple[str, ...] = ()


@dataclass(slots=True)
class StepReading:
    """Raw findings of every component in one step; the `decide` functions turn them into fields."""

    text: str
    names_clonazepam: bool = False
    other_drugs: list[str] = field(default_factory=list)
    counts: list[Amount] = field(default_factory=list)
    masses: list[Amount] = field(default_factory=list)
    per_day: list[Amount] = field(default_factory=list)
    timings: list[TimingSpec] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)
    slot_marks: list[tuple[int, str]] = field(default_factory=list)  # (position, time of the day) of each slot
    schema_seen: bool = False
    as_needed_end: int | None = None
    as_directed: bool = False
    routes: list[str] = field(default_factory=list)
    durations: list[tuple[float, str]] = field(default_factory=list)
    maxima: list[tuple[float, str]] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    food_when: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    indication: str | None = None
    stray_numbers: list[str] = field(default_factory=list)
    extra: StepReading | None = None  # an extra as-needed part beside this scheduled one
    whole_text: str = ""  # the step as written, when `text` is only its scheduled part

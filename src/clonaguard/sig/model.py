"""The structured reading of a sig: what was read, what was not, and why it may not be used."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from clonaguard.validation import validated_already

PeriodUnit = Literal["min", "h", "d", "wk", "mo", "a"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dose(_Frozen):
    """Amount per administration as written: a number or a range, in mg or in dosage units."""

    min: float | None
    max: float
    unit: Literal["mg", "tablet", "capsule", "ml", "drop"]


class MgRange(_Frozen):
    """Amount per administration in mg (equal ends for a single dose)."""

    min: float | None
    max: float


class Timing(_Frozen):
    """FHIR Timing.repeat semantics: `frequency` (to `frequency_max`) times per `period` (to `period_max`)."""

    frequency: int | None = None
    frequency_max: int | None = None
    period: float | None = None
    period_max: float | None = None
    period_unit: PeriodUnit | None = None
    when: tuple[str, ...] = ()


class PerDay(_Frozen):
    """Administrations per day implied by the timing; min is None for "up to N times a day"."""

    min: float | None
    max: float


class Duration(_Frozen):
    """How long a step lasts, in UCUM time units as FHIR uses them."""

    value: float
    unit: PeriodUnit


class MaxPerDay(_Frozen):
    """A ceiling per day: "max 3 tablets per day" or "max 3/day" (unit "dose")."""

    value: float
    unit: Literal["mg", "tablet", "capsule", "ml", "drop", "dose"]


class SigStep(_Frozen):
    """One step of a multi-step sig ("0.5 mg bid x 3 days"); `stop` marks a final "then stop".

    `as_needed_extra` is an extra as-needed part beside a scheduled dose ("0.5 mg bid and 0.5 mg daily prn")."""

    text: str
    dose: Dose | None = None
    dose_mg: MgRange | None = None
    timing: Timing | None = None
    times_per_day: PerDay | None = None
    as_needed: bool = False
    as_needed_for: str | None = None
    as_directed: bool = False
    route: str | None = None
    duration: Duration | None = None
    max_per_day: MaxPerDay | None = None
    instructions: tuple[str, ...] = ()
    stop: bool = False
    as_needed_extra: SigStep | None = None


class ParsedSig(_Frozen):
    """A sig read component by component.

    For a single-step sig the dose and timing fields are at the top and `steps` is empty. For a
    multi-step sig the top-level dose and timing fields are empty and every step is in `steps`,
    so that nobody reads the first step as the whole prescription. `unparsed` lists every
    fragment that was not understood; `errors` says why a reading is not certain.
    """

    text: str
    drug: str | None = None
    strength_mg: float | None = None
    dose: Dose | None = None
    dose_mg: MgRange | None = None
    timing: Timing | None = None
    times_per_day: PerDay | None = None
    as_needed: bool = False
    as_needed_for: str | None = None
    as_directed: bool = False
    route: str | None = None
    duration: Duration | None = None
    max_per_day: MaxPerDay | None = None
    instructions: tuple[str, ...] = ()
    as_needed_extra: SigStep | None = None
    indication: str | None = None
    steps: tuple[SigStep, ...] = ()
    unparsed: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def is_multi_step(self) -> bool:
        return bool(self.steps)

    def dosing_steps(self) -> tuple[SigStep, ...]:
        """The steps that give a dose: the sig itself when it has one step; a final "stop" is left out."""
        if not self.steps:
            return (
                SigStep(
                    text=self.text,
                    dose=self.dose,
                    dose_mg=self.dose_mg,
                    timing=self.timing,
                    times_per_day=self.times_per_day,
                    as_needed=self.as_needed,
                    as_needed_for=self.as_needed_for,
                    as_directed=self.as_directed,
                    route=self.route,
                    duration=self.duration,
                    max_per_day=self.max_per_day,
                    instructions=self.instructions,
                    as_needed_extra=self.as_needed_extra,
                ),
            )
        return tuple(step for step in self.steps if not step.stop)

    @property
    def ends_with_stop(self) -> bool:
        return bool(self.steps) and self.steps[-1].stop


_Model = TypeVar("_Model", bound=_Frozen)


@cache
def _defaults(kind: type[_Frozen]) -> dict[str, Any]:
    """Every field's default, in field order (a required field's placeholder is always overwritten)."""
    return {name: field.default for name, field in kind.model_fields.items()}


def trusted(kind: type[_Model], data: dict[str, Any]) -> _Model:
    """`kind.model_validate(data)` for data the reader built with every value already of its field's exact type
    (validated parts, str, bool, float, tuples of str), without validating it again; `data` must give every
    required field and no other key. tests/sig/test_trusted.py proves the two equal, to the type of every value
    and the byte of the JSON."""
    return validated_already(kind, {**_defaults(kind), **data}, set(data))

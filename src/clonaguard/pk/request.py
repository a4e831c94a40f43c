"""What `clonaguard simulate` and `POST /v1/simulate` are asked: one validated request for both."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from clonaguard.pk.parameters import Comedication

SOURCES = ("sig", "plan", "case", "doses")
MAX_DAYS = 365


class ActualDose(BaseModel):
    """One dose as taken: hours after the first dose, and mg."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_h: float = Field(ge=0, allow_inf_nan=False, description="Hours after the first dose, 0 or later.")
    dose_mg: float = Field(gt=0, le=1000, allow_inf_nan=False, description="Dose in mg, above 0 and up to 1000.")


class SimulateRequest(BaseModel):
    """Exactly one source of doses (sig, plan, case or doses), the patient, the span and the model's options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sig: str | None = Field(default=None, min_length=1, max_length=2000, description='A sig, e.g. "0.5 mg tid".')
    plan: dict[str, Any] | None = Field(default=None, description="A plan as `clonaguard plan ... --json` prints it.")
    case: dict[str, Any] | None = Field(default=None, description="A case as `clonaguard check --case` reads it.")
    doses: list[ActualDose] | None = Field(
        default=None, min_length=1, max_length=10000, description="Actual doses (missed ones left out)."
    )
    weight: float | None = Field(default=None, gt=0, le=400, allow_inf_nan=False, description="Body weight in kg.")
    comedication: Comedication = Field(default="none", description="Other antiepileptics (changes CL/F).")
    days: float | None = Field(
        default=None, gt=0, le=MAX_DAYS, allow_inf_nan=False, description="Simulated span in days after the first dose."
    )
    at: list[float] | None = Field(
        default=None, min_length=1, max_length=10000, description="Output times in hours; hourly when absent."
    )
    population: int | None = Field(default=None, ge=1, le=100000, description="Simulated subjects, 1 to 100000.")
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1, description="Random seed of the population.")
    residual: bool = Field(default=False, description="Add the model's proportional residual error to the population.")
    cl: float | None = Field(default=None, gt=0, le=1000, allow_inf_nan=False, description="CL/F override, L/h.")
    v: float | None = Field(default=None, gt=0, le=10000, allow_inf_nan=False, description="V/F override, L.")
    ka: float | None = Field(default=None, gt=0, le=100, allow_inf_nan=False, description="ka override, 1/h.")
    f: float | None = Field(default=None, gt=0, le=1, allow_inf_nan=False, description="Bioavailability, above 0 to 1.")
    tlag: float | None = Field(default=None, ge=0, le=24, allow_inf_nan=False, description="Lag time override, h.")
    model: Literal["1cmt", "2cmt"] | None = Field(default=None, description="Structural model; the file's when absent.")
    q: float | None = Field(default=None, gt=0, le=1000, allow_inf_nan=False, description="Q (2cmt), L/h.")
    v2: float | None = Field(default=None, gt=0, le=10000, allow_inf_nan=False, description="V2 (2cmt), L.")

    @model_validator(mode="after")
    def _one_source(self) -> SimulateRequest:
        given = [name for name in SOURCES if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"sig, plan, case, doses: give exactly one source of doses (got {', '.join(given) or 'none'})"
            )
        if self.at is not None and any(not 0 <= t < float("inf") for t in self.at):
            raise ValueError("at: output times must be 0 or later, in hours")
        if self.seed is not None and self.population is None:
            raise ValueError("seed: applies to a population; give population too")
        return self

    @property
    def source(self) -> str:
        return next(name for name in SOURCES if getattr(self, name) is not None)


__all__ = ["MAX_DAYS", "SOURCES", "ActualDose", "SimulateRequest"]

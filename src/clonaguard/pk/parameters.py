"""The PK model file (parameters as data, each with its source) and the typical subject it gives."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from clonaguard.errors import InvalidInputError, LabelError

MODEL_FILE = Path(__file__).with_name("clonazepam-pk.yaml")
Comedication = Literal["none", "carbamazepine_or_valproate", "two_or_more"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    """An entry of the model file: its values and where they come from."""

    source: str = Field(min_length=10)


class Units(_Strict):
    amount: Literal["mg"]
    volume: Literal["L"]
    time: Literal["h"]
    concentration: Literal["ng/mL"]


class CoMedication(_Strict):
    factor: float = Field(gt=0)
    weight_exponent: float
    description: str


class WeightRange(_Strict):
    min: float = Field(gt=0)
    max: float = Field(gt=0)


class Clearance(_Sourced):
    description: str
    ml_per_kg_h: float = Field(gt=0)
    weight_exponent: float
    comedication: dict[Comedication, CoMedication]
    between_subject_cv: float = Field(ge=0, lt=2)
    studied_weight_kg: WeightRange

    @model_validator(mode="after")
    def _every_comedication(self) -> Clearance:
        missing = {"none", "carbamazepine_or_valproate", "two_or_more"} - set(self.comedication)
        if missing:
            raise ValueError(f"comedication lacks {sorted(missing)}")
        return self


class Volume(_Sourced):
    description: str
    l_per_kg: float = Field(gt=0)


class Absorption(_Sourced):
    description: str
    per_h: float = Field(gt=0)


class Bioavailability(_Sourced):
    value: float = Field(gt=0, le=1)


class Lag(_Sourced):
    value_h: float = Field(ge=0)


class Residual(_Sourced):
    proportional_cv: float = Field(ge=0, lt=2)


class TherapeuticRange(_Sourced):
    low_ng_ml: float = Field(gt=0)
    high_ng_ml: float = Field(gt=0)
    description: str

    @model_validator(mode="after")
    def _ordered(self) -> TherapeuticRange:
        if self.low_ng_ml >= self.high_ng_ml:
            raise ValueError("low_ng_ml must be below high_ng_ml")
        return self


class PkModel(_Strict):
    """The model file's schema: a number without a source does not load."""

    name: str
    title: str
    structure: Literal["1cmt", "2cmt"]
    units: Units
    clearance: Clearance
    volume: Volume
    absorption: Absorption
    bioavailability: Bioavailability
    lag: Lag
    residual: Residual
    therapeutic_range: TherapeuticRange


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> PkModel:
    try:
        return PkModel.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise LabelError(f"PK model {path.name}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Typical:
    """One subject's parameters in L, h and mg; `q` and `v2` only for the two-compartment model."""

    structure: Literal["1cmt", "2cmt"]
    cl: float
    v: float
    ka: float
    f: float
    tlag: float
    q: float | None = None
    v2: float | None = None

    def to_dict(self) -> dict[str, float | None]:
        return {
            "cl_l_per_h": self.cl,
            "v_l": self.v,
            "ka_per_h": self.ka,
            "f": self.f,
            "tlag_h": self.tlag,
            "q_l_per_h": self.q,
            "v2_l": self.v2,
        }


def typical(model: PkModel, weight_kg: float | None, comedication: Comedication = "none") -> Typical:
    """The model's typical subject of this weight; without a weight, CL and V must come as overrides."""
    if weight_kg is None:
        return Typical(
            model.structure,
            float("nan"),
            float("nan"),
            model.absorption.per_h,
            model.bioavailability.value,
            model.lag.value_h,
        )
    clearance = model.clearance
    co = clearance.comedication[comedication]
    ml_per_kg_h = (
        clearance.ml_per_kg_h * weight_kg**clearance.weight_exponent * co.factor * weight_kg**co.weight_exponent
    )
    return Typical(
        structure=model.structure,
        cl=ml_per_kg_h * weight_kg / 1000,
        v=model.volume.l_per_kg * weight_kg,
        ka=model.absorption.per_h,
        f=model.bioavailability.value,
        tlag=model.lag.value_h,
    )


def with_overrides(base: Typical, **overrides: float | str | None) -> Typical:
    """Overrides replace the model's values; the two-compartment model needs `q` and `v2`."""
    given = {name: value for name, value in overrides.items() if value is not None}
    subject = replace(base, **given)  # type: ignore[arg-type]
    for name in ("cl", "v"):
        if getattr(subject, name) != getattr(subject, name):
            raise InvalidInputError(f"weight: needed to compute {name.upper()} (or give both --cl and --v)")
    if subject.structure == "2cmt":
        missing = [name for name in ("q", "v2") if getattr(subject, name) is None]
        if missing:
            raise InvalidInputError(
                f"{missing[0]}: the two-compartment model needs Q (L/h) and V2 (L); the model file has no sourced "
                "values for them"
            )
    elif subject.q is not None or subject.v2 is not None:
        raise InvalidInputError("q: Q and V2 apply to the two-compartment model only (--model 2cmt)")
    return subject


__all__ = ["MODEL_FILE", "Comedication", "PkModel", "Typical", "load_model", "typical", "with_overrides"]

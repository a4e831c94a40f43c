"""The pydantic schema of a label profile: what a rule may read, each entry with its source."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from clonaguard import __version__
from clonaguard.units import Mass, daily_mg


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy validated afresh: its derived values and cross-checks follow the update, never go stale."""
        return self.model_validate({**self.model_dump(), **(update or {})})


class Range(_Strict):
    """An inclusive range of numbers."""

    min: float = Field(ge=0)
    max: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self

    def __contains__(self, value: float) -> bool:
        return self.min <= value <= self.max


class Profile(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    version: str | None = Field(
        default=None, min_length=1, max_length=40, description="This profile's own version; raise it on any edit."
    )
    document: str = Field(description="File name of the document every `source` is quoted from.")
    document_sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of `document`, set by the loader as it checks it."
    )
    url: str | None = None

    def provenance(self) -> dict[str, str | None]:
        """What every report and card names: the profile, its version, the quoted document's hash, clonaguard's
        version (essential once two profiles are in use)."""
        return {
            "label": self.name,
            "label_version": self.version,
            "document": self.document,
            "document_sha256": self.document_sha256,
            "clonaguard_version": __version__,
        }


class ClinicalDrug(_Strict):
    rxcui: str
    display: str
    strength_mg: float = Field(gt=0)


class Codes(_Strict):
    rxnorm_ingredient: str
    rxnorm_clinical_drugs: list[ClinicalDrug]
    atc: str
    snomed_ct: str
    unii: str
    reference: str

    @cached_property
    def rxcuis(self) -> frozenset[str]:
        """The RxNorm codes that name clonazepam: the ingredient and each clinical drug."""
        return frozenset({self.rxnorm_ingredient, *(drug.rxcui for drug in self.rxnorm_clinical_drugs)})

    @cached_property
    def strength_mg_of_rxcui(self) -> dict[str, float]:
        return {drug.rxcui: drug.strength_mg for drug in self.rxnorm_clinical_drugs}


class Products(_Strict):
    tablet_mg: list[float] = Field(min_length=1)
    scored_tablet_mg: list[float] = []
    odt_mg: list[float] = []
    reference: str

    @cached_property
    def smallest_step_mg(self) -> float:
        """The smallest dose step whole tablets (or halves of scored ones) can give."""
        return min([*self.tablet_mg, *(strength / 2 for strength in self.scored_tablet_mg)])

    @model_validator(mode="after")
    def _scored_are_tablets(self) -> Products:
        unknown = set(self.scored_tablet_mg) - set(self.tablet_mg)
        if unknown:
            raise ValueError(f"scored_tablet_mg {sorted(unknown)} are not in tablet_mg")
        uneven = [strength for strength in self.scored_tablet_mg if Mass.of(strength).share(2) is None]
        if uneven:
            raise ValueError(f"scored_tablet_mg {uneven}: half a tablet must be a whole number of nanograms")
        return self


class Identity(_Strict):
    ingredient: str
    names: list[str] = Field(min_length=1)
    drug_class: str
    source: str
    codes: Codes
    products: Products

    @cached_property
    def name_pattern(self) -> re.Pattern[str]:
        """Any of the names as a whole word, in any case."""
        return re.compile(r"\b(" + "|".join(re.escape(name) for name in self.names) + r")\b", re.IGNORECASE)


class Indication(_Strict):
    id: str
    statement: str
    source: str


class Mechanism(_Strict):
    statement: str
    sources: list[str]
    caveat: str | None = None


class Efficacy(_Strict):
    attack_reduction_factor: float = Field(gt=0)
    statement: str
    source: str
    caveat: str | None = None


class AdministrationAdvice(_Strict):
    """How the label says to take the drug: times a day, course length, and the instructions with their source."""

    times_per_day: Range
    course_months: Range
    source: str
    instructions: str
    instructions_source: str


class StartDose(_Strict):
    dose_mg: float = Field(gt=0)
    times_per_day: int = Field(ge=1)
    source: str
    indications: tuple[str, ...] | None = Field(
        default=None, description="The indications the source gives this starting dose for; none given: every one."
    )

    @cached_property
    def daily_mg(self) -> float:
        return daily_mg(self.dose_mg, self.times_per_day)


class Titration(_Strict):
    interval_days: Range
    source: str
    gradual_source: str


class StandardDose(_Strict):
    daily_mg: Range
    divided_into: int = Field(ge=1)
    source: str


class DailyLimit(_Strict):
    daily_mg: float = Field(gt=0)
    source: str


class AdultDosing(_Strict):
    start: StartDose
    titration: Titration
    standard: StandardDose
    acute_maximum: DailyLimit
    hospital_only_above: DailyLimit
    overdose_above: DailyLimit


class AgeBand(_Strict):
    id: str
    description: str
    min_age_years: float = Field(ge=0)
    max_age_years: float = Field(gt=0, description="Exclusive upper bound.")
    daily_mg: Range
    source: str

    def contains_age(self, age_years: float) -> bool:
        return self.min_age_years <= age_years < self.max_age_years


class Pediatric(_Strict):
    source: str
    bands: list[AgeBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _contiguous(self) -> Pediatric:
        expected = 0.0
        for band in self.bands:
            if band.min_age_years != expected or band.max_age_years <= band.min_age_years:
                raise ValueError(f"band {band.id!r} must start at {expected} years and end after it")
            expected = band.max_age_years
        return self

    @cached_property
    def adult_from_age_years(self) -> float:
        """Adults are everyone past the last pediatric band."""
        return self.bands[-1].max_age_years


class Advice(_Strict):
    advice: str
    source: str


class CourseLimit(Advice):
    max_months: int = Field(ge=1)


class Tolerance(Advice):
    advice_source: str


class NoAbruptStop(Advice):
    reason: str = Field(description="Why, in the words of the finding: the leaflet's `reason_source`.")
    reason_source: str


class Contraindication(Advice):
    """A patient fact that rules clonazepam out: the critical finding's words come from here."""

    finding: str
    suggestion: str


class Recommendations(_Strict):
    course_limit: CourseLimit
    pregnancy: Contraindication
    breastfeeding: Contraindication
    alcohol: Contraindication
    tolerance: Tolerance
    no_abrupt_stop: NoAbruptStop


class TaperProceeds(_Strict):
    """How long one reduced dose may be held while the taper still proceeds: policy, with its reference."""

    max_hold_days: int = Field(ge=1)
    policy: Literal[True]
    reference: str


class TaperPolicy(_Strict):
    """A schedule the document does not give: project policy, with its external reference."""

    step_daily_mg: float = Field(gt=0)
    interval_days: int = Field(ge=1)
    final_daily_mg: float = Field(ge=0)
    policy: Literal[True]
    reference: str
    source: str
    proceeds: TaperProceeds

    @model_validator(mode="after")
    def _hold_allows_the_interval(self) -> TaperPolicy:
        if self.proceeds.max_hold_days < self.interval_days:
            raise ValueError(
                f"proceeds.max_hold_days ({self.proceeds.max_hold_days}) is shorter than interval_days "
                f"({self.interval_days}): no taper could proceed"
            )
        return self


class TitrationPolicy(_Strict):
    """Step sizes the document does not give (it says only "gradually"): project policy, with its reference."""

    step_daily_mg: Range
    pediatric_step_daily_mg: Range
    policy: Literal[True]
    reference: str
    source: str


class SigReadingPolicy(_Strict):
    """Plausibility bounds of the sig reader the document does not give: project policy, with its reference."""

    max_units_per_administration: float = Field(gt=0)
    max_duration_days: int = Field(ge=1, le=36500)
    policy: Literal[True]
    reference: str
    source: str


class ChildbearingPolicy(_Strict):
    """Who could be pregnant, which the document does not say: project policy, with its reference."""

    age_years: Range
    policy: Literal[True]
    reference: str
    source: str


class SideEffectAdvice(Advice):
    id: str


class SideEffects(_Strict):
    effects: list[str]
    source: str
    cause_source: str
    advice: list[SideEffectAdvice]


@dataclass(frozen=True, slots=True)
class RuleLimits:
    """The numbers every check reads, in one flat structure built once per label (a copy builds its own)."""

    adult_from_age_years: float
    outpatient_ceiling_mg: float  # not acute: the top of the standard range
    acute_outpatient_ceiling_mg: float  # acute, outside hospital: the hospital-only threshold
    acute_inpatient_ceiling_mg: float  # acute, in hospital: the acute maximum
    bands: tuple[AgeBand, ...]

    def ceiling_mg(self, setting: str, acute: bool) -> float:
        """The highest adult daily dose that draws no warning in a setting."""
        if not acute:
            return self.outpatient_ceiling_mg
        return self.acute_inpatient_ceiling_mg if setting == "inpatient" else self.acute_outpatient_ceiling_mg

    def band_for_age(self, age_years: float) -> AgeBand | None:
        """The pediatric band of an age, or None for an adult."""
        if age_years >= self.adult_from_age_years:
            return None
        return next((band for band in self.bands if band.contains_age(age_years)), None)


class Label(_Strict):
    """A whole label profile. Rules read numbers from here and cite its `source` sentences."""

    profile: Profile
    extends: str | None = Field(default=None, description="Name of the profile this one overrides, if any.")
    identity: Identity
    indications: list[Indication]
    mechanism: Mechanism
    efficacy: Efficacy
    administration: AdministrationAdvice
    adult_dosing: AdultDosing
    pediatric: Pediatric
    recommendations: Recommendations
    taper_policy: TaperPolicy
    titration_policy: TitrationPolicy
    childbearing_policy: ChildbearingPolicy
    side_effects: SideEffects
    sig_reading_policy: SigReadingPolicy

    @model_validator(mode="after")
    def _repeated_numbers_agree(self) -> Label:
        """Numbers the document gives twice, or in an order, must agree wherever the file states them."""
        months = self.recommendations.course_limit.max_months
        if self.administration.course_months.max != months:
            raise ValueError(
                f"administration.course_months.max ({self.administration.course_months.max:g}) differs from "
                f"recommendations.course_limit.max_months ({months})"
            )
        dosing = self.adult_dosing
        ladder = [
            ("adult_dosing.standard.daily_mg.max", dosing.standard.daily_mg.max),
            ("adult_dosing.hospital_only_above.daily_mg", dosing.hospital_only_above.daily_mg),
            ("adult_dosing.acute_maximum.daily_mg", dosing.acute_maximum.daily_mg),
            ("adult_dosing.overdose_above.daily_mg", dosing.overdose_above.daily_mg),
        ]
        for (lower_name, lower), (upper_name, upper) in pairwise(ladder):
            if lower > upper:
                raise ValueError(f"{lower_name} ({lower:g}) is above {upper_name} ({upper:g})")
        unknown = set(dosing.start.indications or ()) - {indication.id for indication in self.indications}
        if unknown:
            raise ValueError(f"adult_dosing.start.indications names {', '.join(sorted(unknown))}, not an indication")
        return self

    @cached_property
    def limits(self) -> RuleLimits:
        dosing = self.adult_dosing
        return RuleLimits(
            adult_from_age_years=self.pediatric.adult_from_age_years,
            outpatient_ceiling_mg=dosing.standard.daily_mg.max,
            acute_outpatient_ceiling_mg=dosing.hospital_only_above.daily_mg,
            acute_inpatient_ceiling_mg=dosing.acute_maximum.daily_mg,
            bands=tuple(self.pediatric.bands),
        )

    @cached_property
    def indication_ids(self) -> tuple[str, ...]:
        """The ids a case's `indication` may take, in the label's order."""
        return tuple(indication.id for indication in self.indications)

    def band_for_age(self, age_years: float) -> AgeBand | None:
        """The pediatric band of an age, or None for an adult."""
        return self.limits.band_for_age(age_years)

    def sources(self) -> list[str]:
        """Every sentence this label cites from its document."""
        found: list[str] = []
        collect_sources(self.model_dump(), found)
        return found


def collect_sources(node: object, found: list[str]) -> None:
    """Every `*source` string and `sources` list in a label's data, in order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("source") and isinstance(value, str):
                found.append(value)
            elif key == "sources" and isinstance(value, list):
                found.extend(value)
            else:
                collect_sources(value, found)
    elif isinstance(node, list):
        for item in node:
            collect_sources(item, found)

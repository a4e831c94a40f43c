"""The parts of FHIR R4 resources this service reads, validated as R4 and nothing else.

Validating a whole resource with `fhir.resources` costs more than the check itself, and refuses a resource for
a field no rule reads. These small models hold only what is read (same names as `fhir.resources`, so the same
reading code serves both), typed with the primitive types `fhir.resources` itself uses (`fhir_core.types`), so a
value that field would refuse is refused here too. Inside every element read, a key that is not an R4 field of
that element is refused, as R4 validation does; fields of the element that are not read (`UNREAD`) are accepted
as sent. `null` counts as absent, as in `fhir.resources`; a `null` inside a list is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, get_args

from fhir_core.types import (
    BooleanType,
    CodeType,
    DateTimeType,
    DateType,
    DecimalType,
    InstantType,
    PositiveIntType,
    StringType,
    TimeType,
    UriType,
)
from pydantic import BaseModel, ConfigDict, model_validator

_ELEMENT = frozenset({"id", "extension", "modifierExtension"})
_NUMBER_TYPES = frozenset({PositiveIntType, DecimalType})


class Element(BaseModel):
    """An R4 element of which only the declared fields are read; any other key must be an R4 field (`UNREAD`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    UNREAD: ClassVar[frozenset[str]] = frozenset()
    """The element's other R4 fields: accepted as sent, not validated, not read."""
    CHOICES: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """Groups of choice-type fields (`value[x]`): at most one of each group may be given."""
    ANY_KEY: ClassVar[bool] = False
    _known: ClassVar[frozenset[str]] = frozenset()
    _numbers: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        names = cls.model_fields.keys() | cls.UNREAD | _ELEMENT
        cls._known = frozenset(names | {f"_{name}" for name in names})
        cls._numbers = frozenset(
            name for name, field in cls.model_fields.items() if _NUMBER_TYPES & set(get_args(field.annotation))
        )

    @model_validator(mode="before")
    @classmethod
    def _r4_keys(cls, data: Any) -> Any:
        if type(data) is not dict and not isinstance(data, Mapping):  # a dict first: the ABC check costs more
            return data
        for name in cls._numbers:
            if type(data.get(name)) is bool:  # the primitive types would read true as 1: a guess, refused
                raise ValueError(f"{name} must be a number, not {str(data[name]).lower()}")
        if not cls.ANY_KEY and not cls._known.issuperset(data):
            unknown = data.keys() - cls._known
            raise ValueError(f"{min(unknown, key=str)!r} is not a field of an R4 {cls.__name__}")
        for group in cls.CHOICES:
            if len(data.keys() & group) > 1:  # two of the group's names sent; null counts as absent
                given = [name for name in group if data.get(name) is not None]
                if len(given) > 1:
                    raise ValueError(f"only one of {', '.join(given)} may be given")
        return data


class Resource(Element):
    """A resource: its fields that are not read are passed over unvalidated, whatever their names."""

    ANY_KEY = True

    @classmethod
    def get_resource_type(cls) -> str:
        return cls.__name__


class Coding(Element):
    UNREAD = frozenset({"version", "userSelected"})
    system: UriType | None = None
    code: CodeType | None = None
    display: StringType | None = None


class CodeableConcept(Element):
    coding: list[Coding] | None = None
    text: StringType | None = None


class Quantity(Element):
    value: DecimalType | None = None
    comparator: CodeType | None = None
    unit: StringType | None = None
    system: UriType | None = None
    code: CodeType | None = None


class Period(Element):
    start: DateTimeType | None = None
    end: DateTimeType | None = None


class Reference(Element):
    UNREAD = frozenset({"type", "identifier"})
    reference: StringType | None = None
    display: StringType | None = None


class Range(Element):
    low: Quantity | None = None
    high: Quantity | None = None


class TimingRepeat(Element):
    UNREAD = frozenset(
        {"boundsDuration", "boundsRange", "count", "countMax", "duration", "durationMax", "durationUnit"}
        | {"dayOfWeek", "offset"}
    )
    CHOICES = (("boundsDuration", "boundsRange", "boundsPeriod"),)
    boundsPeriod: Period | None = None
    frequency: PositiveIntType | None = None
    frequencyMax: PositiveIntType | None = None
    period: DecimalType | None = None
    periodMax: DecimalType | None = None
    periodUnit: CodeType | None = None
    timeOfDay: list[TimeType] | None = None
    when: list[CodeType] | None = None


class Timing(Element):
    UNREAD = frozenset({"event"})
    repeat: TimingRepeat | None = None
    code: CodeableConcept | None = None


class DoseAndRate(Element):
    UNREAD = frozenset({"type", "rateRatio", "rateRange", "rateQuantity"})
    CHOICES = (("doseRange", "doseQuantity"), ("rateRatio", "rateRange", "rateQuantity"))
    doseRange: Range | None = None
    doseQuantity: Quantity | None = None


class Dosage(Element):
    UNREAD = frozenset(
        {"sequence", "additionalInstruction", "patientInstruction", "site", "method", "maxDosePerPeriod"}
        | {"maxDosePerAdministration", "maxDosePerLifetime"}
    )
    CHOICES = (("asNeededBoolean", "asNeededCodeableConcept"),)
    text: StringType | None = None
    timing: Timing | None = None
    asNeededBoolean: BooleanType | None = None
    asNeededCodeableConcept: CodeableConcept | None = None
    route: CodeableConcept | None = None
    doseAndRate: list[DoseAndRate] | None = None


class Medication(Resource):
    id: str | None = None
    code: CodeableConcept | None = None


def _medications(value: Any) -> Any:
    """Of contained resources only the Medications are read; the others are passed over unvalidated."""
    if not isinstance(value, list):
        return value
    return [item for item in value if not isinstance(item, Mapping) or item.get("resourceType") == "Medication"]


class _Ordered(Resource):
    """What MedicationRequest, MedicationStatement and MedicationDispense share: the medication, by concept or
    by reference (to a contained Medication)."""

    CHOICES: ClassVar[tuple[tuple[str, ...], ...]] = (("medicationCodeableConcept", "medicationReference"),)
    id: str | None = None
    medicationCodeableConcept: CodeableConcept | None = None
    medicationReference: Reference | None = None
    contained: list[Medication] | None = None

    @model_validator(mode="before")
    @classmethod
    def _contained_medications(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and "contained" in data:
            return {**data, "contained": _medications(data["contained"])}
        return data


class MedicationRequest(_Ordered):
    category: list[CodeableConcept] | None = None
    dosageInstruction: list[Dosage] | None = None
    authoredOn: DateTimeType | None = None


class MedicationStatement(_Ordered):
    CHOICES = (*_Ordered.CHOICES, ("effectiveDateTime", "effectivePeriod"))
    dosage: list[Dosage] | None = None
    effectiveDateTime: DateTimeType | None = None
    effectivePeriod: Period | None = None


class MedicationDispense(_Ordered):
    dosageInstruction: list[Dosage] | None = None
    whenPrepared: DateTimeType | None = None
    whenHandedOver: DateTimeType | None = None


class Patient(Resource):
    birthDate: DateType | None = None
    gender: CodeType | None = None


_OBSERVATION_VALUES = (
    "valueQuantity",
    "valueCodeableConcept",
    "valueString",
    "valueBoolean",
    "valueInteger",
    "valueRange",
    "valueRatio",
    "valueSampledData",
    "valueTime",
    "valueDateTime",
    "valuePeriod",
)


class Observation(Resource):
    CHOICES = (("effectiveDateTime", "effectivePeriod", "effectiveTiming", "effectiveInstant"), _OBSERVATION_VALUES)
    status: CodeType | None = None
    code: CodeableConcept | None = None
    effectiveDateTime: DateTimeType | None = None
    effectivePeriod: Period | None = None
    issued: InstantType | None = None
    valueQuantity: Quantity | None = None
    valueCodeableConcept: CodeableConcept | None = None


class Condition(Resource):
    clinicalStatus: CodeableConcept | None = None
    verificationStatus: CodeableConcept | None = None
    code: CodeableConcept | None = None


MODELS: dict[str, type[Resource]] = {
    model.__name__: model
    for model in (MedicationRequest, MedicationStatement, MedicationDispense, Observation, Condition, Patient)
}

"""The fields read (`clonaguard.fhir.fields`) give the same readings as whole-resource R4 validation
(`fhir.resources`) did: the same dose, times a day, start, setting and patient facts, or a refusal in both.

Old and new are run side by side on the same JSON: over the test fixtures and the specification's examples, and
over generated dosages and patient data that mix valid and invalid values of every field read."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clonaguard.errors import ClonaguardError
from clonaguard.fhir.history import history_reading, read_history_entry
from clonaguard.fhir.lenient import NotR4Error, as_r4, read
from clonaguard.fhir.orders import read_order
from clonaguard.fhir.patient import read_patient_facts
from clonaguard.labels.schema import Label
from clonaguard.model import DoseBasis
from tests.service.fhirdata import LOINC, SNOMED, UCUM, condition, medication_request, observation, patient
from tests.service.test_cds_ehr_traffic import earlier

TODAY = date(2026, 3, 1)
SPEC_EXAMPLES = Path(__file__).parent / "spec_examples"


def outcome(reading: Callable[[], Any]) -> Any:
    """The reading, or the kind of refusal (a refusal is a refusal, whichever words it uses)."""
    try:
        return reading()
    except (NotR4Error, ClonaguardError, ValueError, OverflowError):
        return "refused"


_NUMBER_KEYS = frozenset({"frequency", "frequencyMax", "period", "periodMax", "value"})


def true_for_a_number(value: Any) -> bool:
    """A JSON `true` where R4 wants a number: the old reading took it as 1, the new one refuses it."""
    if isinstance(value, dict):
        return any(
            (key in _NUMBER_KEYS and isinstance(item, bool)) or true_for_a_number(item) for key, item in value.items()
        )
    return isinstance(value, list) and any(true_for_a_number(item) for item in value)


def order_outcomes(resource: dict[str, Any], label: Label) -> tuple[Any, Any]:
    def with_(parse: Callable[..., Any]) -> Any:
        return outcome(lambda: read_order(parse(resource, "MedicationRequest"), label, _sig))

    return with_(as_r4), with_(read)


def _sig(text: str, strength: float | None) -> tuple[float, int, DoseBasis]:
    """A sig reader that knows one sig and refuses every other."""
    if text != "0.5 mg twice a day":
        raise ValueError(f"not read: {text}")
    return 0.5, 2, "scheduled"


def fixture_orders() -> list[dict[str, Any]]:
    orders = [
        medication_request(),
        medication_request(dose=4, frequency=3, category="inpatient", authored_on="2026-01-02"),
        medication_request(unit="ug", dose=125, frequency=2),
        medication_request(unit="tablet", dose=1.5, rxcui="197527"),
        medication_request(unit="tablet", dose=1, rxcui="2598"),
        medication_request(unit="mL", dose=2),
        medication_request(frequency=1, period=8, period_unit="h"),
        medication_request(frequency=1, period=5, period_unit="h"),
        medication_request(frequency=1, period=1, period_unit="mo"),
        medication_request(frequency=None),
        medication_request(dose=None, frequency=None, text="0.5 mg twice a day"),
        medication_request(dose=None, frequency=None, text="half a tablet whenever"),
        medication_request(rxcui=None, name="Klonopin 0.5 mg"),
    ]
    for example in sorted(SPEC_EXAMPLES.glob("*.json")):
        draft = json.loads(example.read_text())["context"]["draftOrders"]
        orders += [e["resource"] for e in draft["entry"] if e["resource"]["resourceType"] == "MedicationRequest"]
    return orders


@pytest.mark.parametrize("index", range(len(fixture_orders())))
def test_fixture_orders_read_alike(label: Label, index: int) -> None:
    old, new = order_outcomes(fixture_orders()[index], label)
    assert new == old


GTS = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation"
UNITS = ["mg", "ug", "mcg", "g", "MG", "tablet", "TAB", "{tbl}", "mL", "", " mg", "mg mg"]
REPEATS = st.one_of(
    st.fixed_dictionaries(
        {
            "frequency": st.integers(1, 6),
            "period": st.sampled_from([1, 0.5, 2, 8, 12, 24, 1.5]),
            "periodUnit": st.sampled_from(["s", "min", "h", "d", "wk", "mo", "a"]),
        },
        optional={"frequencyMax": st.integers(1, 6), "boundsPeriod": st.just({"start": "2026-01-02"})},
    ),
    st.fixed_dictionaries({"when": st.lists(st.sampled_from(["MORN", "HS", "EVE"]), min_size=1, max_size=3)}),
    st.fixed_dictionaries({"timeOfDay": st.lists(st.sampled_from(["08:00:00", "20:00:00"]), min_size=1)}),
)
TIMINGS = st.one_of(
    st.builds(dict, repeat=REPEATS),
    st.builds(lambda code: {"code": {"coding": [{"system": GTS, "code": code}]}}, st.sampled_from(["BID", "Q4H"])),
)
QUANTITIES = st.fixed_dictionaries(
    {"value": st.sampled_from([0.125, 0.25, 0.5, 1, 1.5, 2, 125, 0.001])},
    optional={"unit": st.sampled_from(UNITS), "code": st.sampled_from(UNITS), "system": st.just(UCUM)},
)
VALID_DOSAGES = st.one_of(
    st.fixed_dictionaries(
        {"timing": TIMINGS, "doseAndRate": st.builds(lambda q: [{"doseQuantity": q}], QUANTITIES)},
        optional={"route": st.just({"text": "oral"}), "sequence": st.just(1), "asNeededBoolean": st.booleans()},
    ),
    st.fixed_dictionaries({"timing": TIMINGS, "doseQuantity": QUANTITIES}),  # the STU3 shape
    st.fixed_dictionaries({"text": st.sampled_from(["0.5 mg twice a day", "half a tablet whenever"])}),
)
WRONG: st.SearchStrategy[Any] = st.sampled_from(
    ["three", "3", True, None, -1, 0, 2.5, [], {}, {"value": 1}, " d", "", "2026-13-01"]
)
PLACES = [
    ("timing", "repeat", "frequency"),
    ("timing", "repeat", "period"),
    ("timing", "repeat", "periodUnit"),
    ("timing", "repeat", "when"),
    ("timing", "repeat", "timeOfDay"),
    ("timing", "repeat", "boundsPeriod"),
    ("timing", "code"),
    ("doseAndRate",),
    ("doseAndRate", 0, "doseQuantity", "value"),
    ("doseAndRate", 0, "doseQuantity", "code"),
    ("doseAndRate", 0, "doseRange"),
    ("asNeededBoolean",),
    ("asNeededCodeableConcept",),
    ("text",),
    ("doseX",),
]


@st.composite
def dosages(draw: st.DrawFn) -> dict[str, Any]:
    """A valid dosage, half the time with one field (read or not, known or not) set to a wrong value."""
    dosage: dict[str, Any] = draw(VALID_DOSAGES)
    if draw(st.booleans()):
        *path, last = draw(st.sampled_from(PLACES))
        target: Any = dosage
        for step in path:
            target = target.get(step) if isinstance(target, dict) else None
            target = target[0] if isinstance(target, list) and target else target
        if isinstance(target, dict):
            target[last] = draw(WRONG)
    return dosage


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dosage_list=st.lists(dosages(), min_size=0, max_size=2), rxcui=st.sampled_from(["197527", "197528", "2598"]))
def test_generated_orders_read_alike(label: Label, dosage_list: list[dict[str, Any]], rxcui: str) -> None:
    resource = medication_request(rxcui=rxcui)
    resource["dosageInstruction"] = dosage_list
    old, new = order_outcomes(resource, label)
    assert new == ("refused" if true_for_a_number(dosage_list) else old)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dosage=dosages(), kind=st.sampled_from(["MedicationStatement", "MedicationDispense", "MedicationRequest"]))
def test_generated_history_entries_read_alike(label: Label, dosage: dict[str, Any], kind: str) -> None:
    resource = earlier(kind, "h-1")
    if kind == "MedicationRequest":
        resource.update(intent="order", authoredOn=resource.pop("whenHandedOver"))
    resource["dosage" if kind == "MedicationStatement" else "dosageInstruction"] = [dosage]
    old = outcome(lambda: history_reading(as_r4(resource), label, _sig))
    new = outcome(lambda: read_history_entry(resource, label, _sig))
    assert new == ("refused" if true_for_a_number([dosage]) else old)


def facts_outcome(parse: Callable[..., Any], data: dict[str, Any]) -> Any:
    def reading() -> Any:
        person = parse(data["patient"], "Patient")
        observations = [parse(o) for o in data["observations"]]
        conditions = [parse(c) for c in data["conditions"]]
        return read_patient_facts(person, observations, conditions, TODAY)

    return outcome(reading)


BIRTH_DATES = st.sampled_from(
    ["1986-05-20", "2015-02-28", "1990-05", "1990", "not a date", "2030-01-01", None, 19900101]
)
GENDERS = st.sampled_from(["female", "male", "other", "unknown", None, "f m", ""])
OBSERVATIONS = st.lists(
    st.builds(
        observation,
        st.sampled_from(["82810-3", "63895-7", "74013-4", "11331-6"]),
        code=st.sampled_from(["77386006", "60001007", "LA29252-6", "LA29253-4", "219006", "105542008", "x", None]),
        system=st.sampled_from([SNOMED, LOINC]),
        quantity=st.one_of(st.none(), st.tuples(st.sampled_from([0, 2, -1, "two"]), st.just("{drinks}/d"))),
        when=st.sampled_from(["2026-02-01", "2026-01-15T08:00:00Z", "2026-02", "last week"]),
    ),
    max_size=4,
)
CONDITIONS = st.lists(
    st.builds(
        condition,
        st.sampled_from(["http://hl7.org/fhir/sid/icd-10-cm", SNOMED]),
        st.sampled_from(["F10.20", "7200002", "I10"]),
        clinical_status=st.sampled_from(["active", "resolved"]),
    ),
    max_size=2,
)


@settings(max_examples=300, deadline=None)
@given(birth=BIRTH_DATES, gender=GENDERS, observations=OBSERVATIONS, conditions=CONDITIONS)
def test_generated_patient_data_reads_alike(
    birth: Any, gender: Any, observations: list[dict[str, Any]], conditions: list[dict[str, Any]]
) -> None:
    person = patient()
    person["birthDate"] = birth
    person["gender"] = gender
    data = {"patient": person, "observations": observations, "conditions": conditions}
    assert facts_outcome(read, data) == facts_outcome(as_r4, data)


def test_fields_not_read_are_not_validated(label: Label) -> None:
    """The deliberate difference: a field no rule reads no longer keeps an order or a Patient from being read."""
    order = {**medication_request(dose=2), "requester": "Dr Who", "note": [{"text": 7}]}
    old, new = order_outcomes(order, label)
    assert old == "refused" and (new.dose_mg, new.times_per_day) == (2, 3)
    person = {**patient(), "name": "not a list"}
    assert read(person, "Patient").birthDate == date(1986, 5, 20)
    with pytest.raises(NotR4Error):
        as_r4(person, "Patient")


@pytest.mark.parametrize(
    ("where", "value", "problem"),
    [
        (("timing", "repeat", "frequency"), "three", "frequency"),
        (("timing", "repeat", "timeOfDay"), ["08:00:00", None], "timeOfDay"),
        (("timing", "repeat", "periodUnitt"), "d", "periodUnitt"),
        (("doseAndRate", 0, "doseQuantity", "value"), "0.5 mg", "value"),
        (("doseAndRate", 0, "doseRange"), {"low": {"value": 1}}, "only one of doseRange, doseQuantity"),
    ],
)
def test_a_field_read_that_is_not_r4_is_refused_naming_it(where: tuple[Any, ...], value: Any, problem: str) -> None:
    order = copy.deepcopy(medication_request())
    target: Any = order["dosageInstruction"][0]
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    with pytest.raises(NotR4Error, match=problem):
        read(order, "MedicationRequest")

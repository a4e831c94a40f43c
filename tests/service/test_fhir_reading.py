"""Reading R4 MedicationRequests and patient data: exact values or a stated reason, never a guess."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.medicationrequest import MedicationRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from clonaguard.fhir import UnreadableOrderError, age_on, read_order
from clonaguard.fhir.corrected import corrected_medication_request
from clonaguard.fhir.history import read_history_entry
from clonaguard.fhir.lenient import NotR4Error, as_r4, newer_shape
from clonaguard.fhir.orders import is_clonazepam
from clonaguard.labels.schema import Label
from tests.service.fhirdata import medication_request


def parsed(resource: dict[str, Any]) -> Any:
    return MedicationRequest.model_validate(resource)


def with_dosage(dosage: dict[str, Any], rxcui: str = "197527") -> Any:
    resource = medication_request(rxcui=rxcui)
    resource["dosageInstruction"] = [dosage]
    return parsed(resource)


MG = {
    "doseAndRate": [{"doseQuantity": {"value": 0.5, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}]
}


@pytest.mark.parametrize(
    ("timing", "times"),
    [
        ({"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}}, 3),
        ({"repeat": {"frequency": 1, "period": 8, "periodUnit": "h"}}, 3),
        ({"repeat": {"frequency": 14, "period": 1, "periodUnit": "wk"}}, 2),
        ({"repeat": {"when": ["MORN", "HS"]}}, 2),
        ({"repeat": {"timeOfDay": ["08:00:00", "14:00:00", "20:00:00"]}}, 3),
        (
            {
                "code": {
                    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation", "code": "BID"}]
                }
            },
            2,
        ),
    ],
)
def test_timing_forms_give_administrations_a_day(label: Label, timing: dict[str, Any], times: int) -> None:
    reading = read_order(with_dosage({**MG, "timing": timing}), label)
    assert (reading.dose_mg, reading.times_per_day) == (0.5, times)


@pytest.mark.parametrize(
    ("dosage", "reason"),
    [
        ({**MG, "timing": {"repeat": {"frequency": 1, "period": 2, "periodUnit": "d"}}}, "whole number"),
        ({**MG, "timing": {"repeat": {"frequency": 1, "period": 5, "periodUnit": "h"}}}, "whole number"),
        ({**MG, "timing": {"repeat": {"frequency": 2, "frequencyMax": 3, "period": 1, "periodUnit": "d"}}}, "range"),
        ({**MG, "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "mo"}}}, "period"),
        (
            {**MG, "asNeededBoolean": True, "timing": {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}}},
            "as-needed",
        ),
        (
            {
                "doseAndRate": [
                    {"doseRange": {"low": {"value": 0.5, "unit": "mg"}, "high": {"value": 1, "unit": "mg"}}}
                ],
                "timing": {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}},
            },
            "range",
        ),
        (
            {
                "doseAndRate": [{"doseQuantity": {"value": 2, "unit": "mL"}}],
                "timing": {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}},
            },
            "unit",
        ),
        ({**MG}, "timing"),
        (
            {
                "doseAndRate": [{"doseQuantity": {"value": 2, "comparator": "<", "unit": "mg"}}],
                "timing": {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d"}},
            },
            "bound",
        ),
    ],
)
def test_doubtful_dosages_are_refused_with_a_reason(label: Label, dosage: dict[str, Any], reason: str) -> None:
    with pytest.raises(UnreadableOrderError, match=reason):
        read_order(with_dosage(dosage), label)


def test_tablets_need_a_known_strength(label: Label) -> None:
    tablets = {
        "doseAndRate": [{"doseQuantity": {"value": 1.5, "unit": "tablet"}}],
        "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
    }
    assert read_order(with_dosage(tablets, rxcui="197528"), label).dose_mg == 1.5
    with pytest.raises(UnreadableOrderError, match="strength"):
        read_order(with_dosage(tablets, rxcui="2598"), label)


def test_micrograms_are_converted_exactly(label: Label) -> None:
    dosage = {
        "doseAndRate": [{"doseQuantity": {"value": 125, "unit": "ug", "code": "ug"}}],
        "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
    }
    assert read_order(with_dosage(dosage), label).dose_mg == 0.125


@pytest.mark.parametrize(
    ("coding", "name", "expected"),
    [
        ({"system": "http://snomed.info/sct", "code": "387383007"}, None, True),
        ({"system": "http://www.whocc.no/atc", "code": "N03AE01"}, None, True),
        ({"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197694"}, None, False),
        (None, "Rivotril 2 mg", True),
        (None, "clonazepamide", False),
        ({"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": ["197528"]}, None, False),
        ({"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": {"code": "197528"}}, "Klonopin", True),
        ({"system": ["http://snomed.info/sct"], "code": "387383007"}, None, False),
    ],
)
def test_clonazepam_is_recognised_by_code_or_name(label: Label, coding: Any, name: str | None, expected: bool) -> None:
    resource = medication_request(rxcui=None, name=name)
    if coding is not None:
        resource["medicationCodeableConcept"]["coding"] = [coding]
    assert is_clonazepam(resource, label) is expected


@settings(max_examples=200, deadline=None)
@given(birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)), days=st.integers(0, 40000))
def test_age_grows_with_time_and_is_whole_on_birthdays(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    age = age_on(birth, on)
    assert age_on(birth, on + timedelta(days=1)) > age
    assert int(age) == on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if (on.month, on.day) == (birth.month, birth.day):
        assert age == int(age)


def _history(kind: str, **fields: Any) -> dict[str, Any]:
    resource = medication_request(id="h", dose=1, frequency=2, status="active")
    if kind != "MedicationRequest":
        del resource["intent"]
    resource["resourceType"] = kind
    dosage = resource.pop("dosageInstruction")
    resource["dosage" if kind == "MedicationStatement" else "dosageInstruction"] = dosage
    if kind == "MedicationDispense":
        resource["status"] = "completed"
    resource.update(fields)
    return resource


@pytest.mark.parametrize(
    ("kind", "fields", "start"),
    [
        ("MedicationRequest", {"authoredOn": "2026-01-02"}, date(2026, 1, 2)),
        ("MedicationStatement", {"effectiveDateTime": "2026-01-03T08:00:00Z"}, date(2026, 1, 3)),
        ("MedicationStatement", {"effectivePeriod": {"start": "2026-01-04"}}, date(2026, 1, 4)),
        ("MedicationDispense", {"whenPrepared": "2026-01-05"}, date(2026, 1, 5)),
        ("MedicationDispense", {"whenHandedOver": "2026-01-06", "whenPrepared": "2026-01-05"}, date(2026, 1, 6)),
        ("MedicationDispense", {}, None),
    ],
)
def test_history_entries_give_their_regimen_and_start(
    label: Label, kind: str, fields: dict[str, Any], start: date | None
) -> None:
    reading = read_history_entry(_history(kind, **fields), label, None)
    assert (reading.dose_mg, reading.times_per_day, reading.start) == (1, 2, start)


def test_the_dosage_start_comes_before_the_record_dates(label: Label) -> None:
    resource = _history("MedicationStatement", effectiveDateTime="2026-01-03")
    resource["dosage"][0]["timing"]["repeat"]["boundsPeriod"] = {"start": "2025-12-01"}
    assert read_history_entry(resource, label, None).start == date(2025, 12, 1)


@pytest.mark.parametrize(
    ("dosage", "expected"),
    [
        ({"doseQuantity": {"value": 1}}, {"doseAndRate": [{"doseQuantity": {"value": 1}}]}),
        ({"doseAndRate": {"doseQuantity": {"value": 1}}}, {"doseAndRate": [{"doseQuantity": {"value": 1}}]}),
        ({"text": "1 mg"}, {"text": "1 mg"}),
    ],
)
def test_older_dosage_shapes_become_r4(dosage: dict[str, Any], expected: dict[str, Any]) -> None:
    assert newer_shape({"resourceType": "MedicationRequest", "dosageInstruction": dosage})["dosageInstruction"] == [
        expected
    ]


def test_both_dosage_shapes_at_once_are_refused() -> None:
    both = {"doseQuantity": {"value": 1}, "doseAndRate": [{"doseQuantity": {"value": 2}}]}
    with pytest.raises(NotR4Error):
        as_r4({**medication_request(), "dosageInstruction": [both]})


def test_a_corrected_order_keeps_the_order_as_sent_but_its_dosage_and_gives_no_null() -> None:
    """R4 validation lets optional fields be null; the corrected order drops them, keeps every other field as sent
    (the route of the dosage too), and is valid R4."""
    order = medication_request(dose=4, frequency=3)
    order["dosageInstruction"][0]["route"] = {"coding": [{"system": "http://snomed.info/sct", "code": "26643006"}]}
    order |= {"authoredOn": None, "dispenseRequest": {"quantity": None, "numberOfRepeatsAllowed": 2}}
    as_r4(order)  # accepted as R4, nulls and all
    corrected = corrected_medication_request(newer_shape(order), 1.0, 2, "Swallow whole.")
    assert "authoredOn" not in corrected and corrected["dispenseRequest"] == {"numberOfRepeatsAllowed": 2}
    assert {k: v for k, v in corrected.items() if k not in {"dosageInstruction", "authoredOn", "dispenseRequest"}} == {
        k: v for k, v in order.items() if k not in {"dosageInstruction", "authoredOn", "dispenseRequest"}
    }
    (dosage,) = corrected["dosageInstruction"]
    assert dosage["route"] == order["dosageInstruction"][0]["route"]
    assert dosage["doseAndRate"][0]["doseQuantity"]["value"] == 1.0 and dosage["timing"]["repeat"]["frequency"] == 2
    assert parsed(corrected).id == order["id"]


def test_corrected_orders_of_one_regimen_share_nothing() -> None:
    """The dosage of a regimen is validated once and kept; each corrected order is given its own copy of it."""
    first = corrected_medication_request(medication_request(), 0.5, 3)
    first["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] = 99
    second = corrected_medication_request(medication_request(), 0.5, 3)
    assert second["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 0.5

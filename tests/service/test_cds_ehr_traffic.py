"""Requests shaped like real EHR traffic: other resources beside the order, older FHIR shapes, history from
statements and dispenses, unreadable history, and the per-request limits."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clonaguard.cdshooks.models import MAX_BUNDLE_ENTRIES, MAX_DRAFT_ENTRIES
from tests.service.fhirdata import RXNORM, hook_request, medication_request, observation, prefetch
from tests.service.test_cds_hooks import SIGN, assert_outcome, cards_of, codes
from tests.service.test_cds_prefetch_matrix import named_keys

CLONAZEPAM = medication_request(id="clz", dose=8, frequency=3)  # 24 mg a day: above the maximum
# Text without NUL: a NUL anywhere in a body is refused as a broken envelope (tests/service/test_hostile.py).
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
OTHER_TYPES = ["NutritionOrder", "ServiceRequest", "MedicationRequest", "Observation", "DeviceRequest", "Foo", ""]
OTHER_DRUGS = [
    {"coding": [{"system": RXNORM, "code": "617993", "display": "Amoxicillin 120 MG/ML Oral Suspension"}]},
    {"text": "sertraline 50 mg"},
    "not a CodeableConcept",
]


@st.composite
def unrelated_entry(draw: st.DrawFn) -> Any:
    """A draft entry that is not a clonazepam order: any type, any fields, valid FHIR or not, or not even an entry."""
    resource: dict[str, Any] = draw(st.dictionaries(TEXT, JSON, max_size=4))
    resource["resourceType"] = draw(st.sampled_from(OTHER_TYPES))
    if resource["resourceType"] == "MedicationRequest":
        resource["medicationCodeableConcept"] = draw(st.sampled_from(OTHER_DRUGS))
    return draw(st.sampled_from([{"resource": resource}, resource, {"fullUrl": "urn:x"}, "entry", None]))


def without_uuids(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cards = copy.deepcopy(cards)
    for card in cards:
        card.pop("uuid")
        for suggestion in card.get("suggestions", []):
            suggestion.pop("uuid")
    return cards


def sign_with(client: TestClient, entries: list[Any]) -> list[dict[str, Any]]:
    body = hook_request(prefetch_data=prefetch())
    body["context"]["draftOrders"]["entry"] = entries
    return cards_of(client.post(SIGN, json=body))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(unrelated_entry(), max_size=4), after=st.lists(unrelated_entry(), max_size=4))
def test_unrelated_draft_entries_never_change_the_clonazepam_cards(
    client: TestClient, before: list[Any], after: list[Any]
) -> None:
    alone = sign_with(client, [{"resource": CLONAZEPAM}])
    mixed = sign_with(client, [*before, {"resource": CLONAZEPAM}, *after])
    assert codes(mixed)["DOSE_ABOVE_MAXIMUM"] == "critical"
    assert without_uuids(mixed) == without_uuids(alone)


def test_only_unrelated_entries_get_no_cards(client: TestClient) -> None:
    assert sign_with(client, [{"resource": {"resourceType": "MedicationRequest", "status": 5}}, "x", None]) == []


def stu3(order: dict[str, Any]) -> dict[str, Any]:
    order = copy.deepcopy(order)
    dosage = order["dosageInstruction"][0]
    dosage["doseQuantity"] = dosage.pop("doseAndRate")[0]["doseQuantity"]
    return order


@pytest.mark.parametrize("shape", ["STU3 doseQuantity", "doseAndRate as one object", "category as one object"])
def test_older_shapes_of_a_clonazepam_order_are_read_with_certainty(client: TestClient, shape: str) -> None:
    order = medication_request(id="clz", dose=8, frequency=3, category="inpatient")
    expected = without_uuids(sign_with(client, [{"resource": order}]))
    if shape == "STU3 doseQuantity":
        order = stu3(order)
    elif shape == "doseAndRate as one object":
        order["dosageInstruction"][0]["doseAndRate"] = order["dosageInstruction"][0]["doseAndRate"][0]
    else:
        order["category"] = order["category"][0]
    assert without_uuids(sign_with(client, [{"resource": order}])) == expected


def test_a_clonazepam_order_invalid_outside_its_dosage_is_checked_without_a_corrected_order(client: TestClient) -> None:
    order = {**CLONAZEPAM, "requester": "Dr Who"}  # STU3 wrote a requester as an object with an agent
    cards = sign_with(client, [{"resource": order}])
    assert codes(cards)["DOSE_ABOVE_MAXIMUM"] == "critical"
    assert all("suggestions" not in card for card in cards)
    detail = next(c["detail"] for c in cards if c["source"]["topic"]["code"] == "PATIENT_DATA_NOT_READ")
    assert "MedicationRequest/clz is not valid FHIR R4" in detail and "requester" in detail


def test_a_clonazepam_order_whose_dosage_is_not_r4_is_not_checked_and_says_why(client: TestClient) -> None:
    order = copy.deepcopy(CLONAZEPAM)
    order["dosageInstruction"][0]["timing"]["repeat"]["frequency"] = "three"
    cards = sign_with(client, [{"resource": order}])
    assert [c["source"]["topic"]["code"] for c in cards] == ["ORDER_NOT_CHECKED"]
    assert "frequency" in cards[0]["detail"]


def earlier(kind: str, id: str, day: str = "2026-02-28", dose: float = 1) -> dict[str, Any]:
    """An earlier clonazepam 1 mg three times a day of the given type, started (or handed over) on `day`."""
    resource = medication_request(id=id, dose=dose, frequency=3, status="active")
    resource["resourceType"] = kind
    del resource["intent"]
    dosage = resource.pop("dosageInstruction")
    if kind == "MedicationStatement":
        resource.update(dosage=dosage, effectivePeriod={"start": day})
    else:
        resource.update(dosageInstruction=dosage, whenHandedOver=day, status="completed")
    return resource


@pytest.mark.parametrize("kind", ["MedicationStatement", "MedicationDispense"])
def test_statements_and_dispenses_give_the_history(client: TestClient, kind: str) -> None:
    draft = medication_request(dose=1.5, frequency=3)  # raised from 3 to 4.5 mg a day one day after the last change
    data = prefetch(medications=[earlier(kind, "e-1")])
    found = codes(cards_of(client.post(SIGN, json=hook_request(draft, prefetch_data=data))))
    assert found["TITRATION_TOO_FAST"] == "warning"
    assert "START_DOSE_ABOVE_MINIMUM" not in found


def test_a_not_taken_statement_is_not_history(client: TestClient) -> None:
    statement = {**earlier("MedicationStatement", "e-1"), "status": "not-taken"}
    body = hook_request(medication_request(dose=1.5, frequency=3), prefetch_data=prefetch(medications=[statement]))
    assert "START_DOSE_ABOVE_MINIMUM" in codes(cards_of(client.post(SIGN, json=body)))


@pytest.mark.parametrize(
    "unreadable",
    [
        medication_request(
            id="long", rxcui="197527", dose=None, frequency=None, text="0.5 mg bid x 9999999 days then 0.25 mg bid"
        ),
        {**earlier("MedicationStatement", "long"), "effectivePeriod": {"start": "last spring"}},
        {**earlier("MedicationDispense", "long"), "dosageInstruction": [{"doseAndRate": 5}]},
    ],
)
def test_an_unreadable_history_entry_is_passed_over_and_named(client: TestClient, unreadable: dict[str, Any]) -> None:
    unreadable["authoredOn"] = "2026-01-10"
    medications = [unreadable, earlier("MedicationStatement", "fine", day="2026-02-28")]
    body = hook_request(medication_request(dose=1.5, frequency=3), prefetch_data=prefetch(medications=medications))
    cards = cards_of(client.post(SIGN, json=body))
    assert codes(cards)["TITRATION_TOO_FAST"] == "warning"  # the readable statement was still used
    detail = next(c["detail"] for c in cards if c["source"]["topic"]["code"] == "PATIENT_DATA_NOT_READ")
    assert f"{unreadable['resourceType']}/long could not be read" in detail
    assert named_keys(cards) == set()


def test_draft_orders_are_bounded(client: TestClient) -> None:
    fine = hook_request(*[medication_request(id=f"o{i}", dose=0.5) for i in range(MAX_DRAFT_ENTRIES)])
    assert client.post(SIGN, json={**fine, "prefetch": prefetch()}).status_code == 200
    fine["context"]["draftOrders"]["entry"].append({"resource": medication_request(id="one-more")})
    assert_outcome(client.post(SIGN, json=fine), 422, "context.draftOrders.entry", str(MAX_DRAFT_ENTRIES))


def test_a_prefetch_bundle_is_bounded(client: TestClient) -> None:
    history = [earlier("MedicationStatement", f"e{i}", dose=0.5) for i in range(MAX_BUNDLE_ENTRIES + 1)]
    body = hook_request(CLONAZEPAM, prefetch_data=prefetch(medications=history))
    assert_outcome(client.post(SIGN, json=body), 422, "prefetch.medications.entry", str(MAX_BUNDLE_ENTRIES))


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        (lambda b: b.pop("hook"), 422, ["hook"]),
        (lambda b: b.pop("context"), 422, ["context"]),
        (lambda b: b["context"].update(draftOrders=[CLONAZEPAM]), 422, ["draftOrders"]),
        (lambda b: b["context"]["draftOrders"].update(entry={"resource": CLONAZEPAM}), 422, ["draftOrders.entry"]),
    ],
)
def test_a_broken_envelope_is_the_only_4xx(client: TestClient, change: Any, status: int, words: list[str]) -> None:
    body = hook_request(CLONAZEPAM, prefetch_data=prefetch())
    change(body)
    assert_outcome(client.post(SIGN, json=body), status, *words)


@pytest.mark.parametrize("birth", ["1986", "1986-05", None])
def test_without_a_full_birth_date_only_what_holds_at_every_age_is_shown(client: TestClient, birth: str | None) -> None:
    person = {"resourceType": "Patient", "id": "pat-4711", **({"birthDate": birth} if birth else {})}
    pregnant = observation("82810-3", code="77386006")
    data = prefetch(patient_resource=person, observations=[pregnant])
    for daily, order in ((1.5, medication_request(dose=0.5, frequency=3)), (24, CLONAZEPAM)):
        found = codes(cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=data))))
        assert found["AGE_NOT_CHECKED"] == "warning"
        assert found["PREGNANCY"] == "critical"  # whatever the age
        assert ("DOSE_ABOVE_MAXIMUM" in found) is (daily > 20)
        assert not {"START_DOSE_ABOVE_MINIMUM", "PEDIATRIC_DOSE_BELOW_RANGE"} & set(found)  # they depend on the age


def by_reference(order: dict[str, Any], medication_id: str) -> dict[str, Any]:
    """The order naming its medication only by a reference to a Medication resource sent beside it."""
    order = copy.deepcopy(order)
    order.pop("medicationCodeableConcept")
    order["medicationReference"] = {"reference": f"Medication/{medication_id}"}
    return order


MEDICATION = {
    "resourceType": "Medication",
    "id": "med-1",
    "code": {"coding": [{"system": RXNORM, "code": "197528", "display": "clonazepam 1 MG Oral Tablet"}]},
}


def test_a_medication_sent_beside_the_order_identifies_clonazepam(client: TestClient) -> None:
    order = by_reference(CLONAZEPAM, "med-1")
    assert sign_with(client, [{"resource": order}]) == []  # nothing says what the reference is
    found = codes(sign_with(client, [{"resource": MEDICATION}, {"resource": order}]))
    assert found["DOSE_ABOVE_MAXIMUM"] == "critical"


def test_a_medication_included_beside_the_history_identifies_clonazepam(client: TestClient) -> None:
    statement = by_reference(earlier("MedicationStatement", "e-1"), "med-1")
    data = prefetch(medications=[statement, MEDICATION])
    draft = medication_request(dose=1.5, frequency=3)
    assert codes(cards_of(client.post(SIGN, json=hook_request(draft, prefetch_data=data))))["TITRATION_TOO_FAST"]

"""CDS Hooks order-select / order-sign over HTTP: cards, prefetch, fhirServer, feedback, errors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from clonaguard.cdshooks.models import CardsResponse
from clonaguard.labels.schema import Label
from tests.service.conftest import AppFactory, FhirServer
from tests.service.fhirdata import (
    LOINC,
    PATIENT_ID,
    SNOMED,
    bundle,
    condition,
    hook_request,
    medication_request,
    observation,
    patient,
    prefetch,
)

SIGN = "/cds-services/clonaguard-order-sign"
SELECT = "/cds-services/clonaguard-order-select"


def cards_of(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    CardsResponse.model_validate(response.json())
    return list(response.json()["cards"])


def codes(cards: list[dict[str, Any]]) -> dict[str, str]:
    return {card["source"]["topic"]["code"]: card["indicator"] for card in cards}


def assert_outcome(response: Any, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    OperationOutcome.model_validate(response.json())
    text = " ".join(issue.get("diagnostics", "") for issue in response.json()["issue"])
    for word in words:
        assert word in text
    return text


def test_discovery_lists_both_order_hooks_with_standard_prefetch(client: TestClient) -> None:
    services = client.get("/cds-services").json()["services"]
    assert {s["hook"]: s["id"] for s in services} == {
        "order-select": "clonaguard-order-select",
        "order-sign": "clonaguard-order-sign",
    }
    prefetch_templates = services[0]["prefetch"]
    assert prefetch_templates["patient"] == "Patient/{{context.patientId}}"
    joined = " ".join(prefetch_templates.values())
    for code in ("82810-3", "63895-7", "74013-4", "11331-6", "F10", "7200002", "66590003"):
        assert code in joined
    assert "29463-7" not in joined  # no rule reads the body weight: it is not asked for
    assert "status=active" in prefetch_templates["medications"]
    assert "optional" in services[0]["usageRequirements"]


def test_order_without_clonazepam_gets_no_cards(client: TestClient) -> None:
    sertraline = medication_request(rxcui="312940", name="sertraline 50 MG Oral Tablet", dose=50, frequency=1)
    assert cards_of(client.post(SIGN, json=hook_request(sertraline))) == []


def test_new_course_above_start_dose_gets_cited_cards_and_a_safe_update(client: TestClient, label: Label) -> None:
    order = medication_request(dose=3, frequency=3)  # 9 mg a day, first order of a 39-year-old
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch())))
    found = codes(cards)
    assert found["DOSE_ABOVE_STANDARD"] == "warning"
    assert found["START_DOSE_ABOVE_MINIMUM"] == "warning"
    standard = next(c for c in cards if c["source"]["topic"]["code"] == "DOSE_ABOVE_STANDARD")
    assert f"> {label.adult_dosing.standard.source}" in standard["detail"]
    assert standard["source"]["label"] == label.profile.title
    assert standard["source"]["url"] == label.profile.url
    assert {r["code"] for r in standard["overrideReasons"]} >= {"benefit-outweighs-risk"}
    for card in cards:
        assert len(card["summary"]) < 140
    action = standard["suggestions"][0]["actions"][0]
    assert action["type"] == "update"
    corrected = MedicationRequest.model_validate(action["resource"])
    assert corrected.id == order["id"]
    concept = corrected.medicationCodeableConcept
    assert concept is not None and concept.coding is not None
    assert concept.coding[0].code == "197528"
    # The corrected order, signed in turn, draws no warning or critical card.
    again = cards_of(client.post(SIGN, json=hook_request(action["resource"], prefetch_data=prefetch())))
    assert all(card["indicator"] == "info" for card in again), again


def test_order_within_the_leaflet_gets_no_cards(client: TestClient) -> None:
    order = medication_request(dose=0.5, frequency=3)
    assert cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch()))) == []


def test_tablets_are_read_with_the_coded_strength(client: TestClient) -> None:
    # 197529 is clonazepam 2 MG Oral Tablet: 2 tablets three times a day is 12 mg a day, hospital only.
    order = medication_request(rxcui="197529", dose=2, unit="{tbl}", frequency=3)
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch())))
    assert codes(cards)["DOSE_REQUIRES_HOSPITAL"] == "critical"
    assert "12 mg a day" in " ".join(c["detail"] for c in cards)


def test_twelve_hourly_period_counts_as_twice_a_day(client: TestClient) -> None:
    order = medication_request(dose=1, frequency=1, period=12, period_unit="h")
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch())))
    assert "FREQUENCY_OUT_OF_RANGE" not in codes(cards)
    assert "2 mg a day" in cards[0]["detail"]


def test_free_text_dosage_goes_through_the_sig_reader(client: TestClient) -> None:
    order = medication_request(rxcui="197527", dose=None, frequency=None, text="2 tabs po bid")
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch())))
    assert "1 mg twice a day" in cards[0]["detail"]


@pytest.mark.parametrize(
    ("text", "checked"),
    [
        ("2 tabs po bid", "Checked: 1 mg twice a day (2 mg a day). "),
        (
            "clonazepam 1 mg bid and 1 mg once daily prn anxiety",
            "Checked: 1 mg three times a day (3 mg a day, the scheduled doses plus the most the extra as-needed "
            "doses allow). ",
        ),
    ],
)
def test_a_card_says_when_the_dose_checked_includes_as_needed_doses(
    client: TestClient, text: str, checked: str
) -> None:
    order = medication_request(rxcui="197527" if "tabs" in text else "197528", dose=None, frequency=None, text=text)
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch())))
    assert cards and all(checked in card["detail"] for card in cards), [card["detail"] for card in cards]


@pytest.mark.parametrize("field", ["frequency", "period"])
def test_true_for_a_number_is_reported_never_read_as_one(client: TestClient, field: str) -> None:
    order = medication_request(dose=1, frequency=2)
    order["dosageInstruction"][0]["timing"]["repeat"][field] = True
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch())))
    assert [c["source"]["topic"]["code"] for c in cards] == ["ORDER_NOT_CHECKED"]
    assert f"{field} must be a number, not true" in cards[0]["detail"]


def test_unreadable_dosage_is_reported_never_guessed(client: TestClient) -> None:
    order = medication_request(dose=None, frequency=None, text="as directed")
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch())))
    assert [c["source"]["topic"]["code"] for c in cards] == ["ORDER_NOT_CHECKED"]
    assert cards[0]["indicator"] == "warning"
    assert "suggestions" not in cards[0]


def test_clonazepam_found_by_name_when_not_coded(client: TestClient) -> None:
    order = medication_request(rxcui=None, name="Klonopin 2 mg tablet", dose=8, frequency=3)
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch())))
    assert codes(cards)["DOSE_ABOVE_MAXIMUM"] == "critical"


def test_pregnancy_is_critical_and_no_dose_change_is_offered_for_it(client: TestClient) -> None:
    pregnant = observation("82810-3", code="77386006")
    order = medication_request(dose=0.5, frequency=3)
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch(observations=[pregnant]))))
    card = next(c for c in cards if c["source"]["topic"]["code"] == "PREGNANCY")
    assert card["indicator"] == "critical"
    assert "suggestions" not in card


def test_breastfeeding_and_alcohol_from_observations_and_conditions(client: TestClient) -> None:
    data = prefetch(
        observations=[observation("63895-7", code="LA29252-6", system=LOINC)],
        conditions=[condition("http://hl7.org/fhir/sid/icd-10-cm", "F10.20")],
    )
    cards = cards_of(client.post(SIGN, json=hook_request(medication_request(), prefetch_data=data)))
    assert codes(cards) == {"BREASTFEEDING": "critical", "ALCOHOL_USE": "critical"}


def test_resolved_alcohol_condition_and_non_drinker_status_mean_no_alcohol(client: TestClient) -> None:
    data = prefetch(
        observations=[observation("11331-6", code="105542008"), observation("74013-4", quantity=(0, "/d"))],
        conditions=[condition(SNOMED, "7200002", clinical_status="resolved")],
    )
    assert cards_of(client.post(SIGN, json=hook_request(medication_request(), prefetch_data=data))) == []


def test_drinks_per_day_above_zero_means_alcohol_use(client: TestClient) -> None:
    data = prefetch(observations=[observation("74013-4", quantity=(2, "/d"))])
    cards = cards_of(client.post(SIGN, json=hook_request(medication_request(), prefetch_data=data)))
    assert codes(cards) == {"ALCOHOL_USE": "critical"}


def test_unknown_answer_codes_are_reported_not_guessed(client: TestClient) -> None:
    data = prefetch(observations=[observation("82810-3", code="261665006")])  # pregnancy status unknown
    cards = cards_of(client.post(SIGN, json=hook_request(medication_request(), prefetch_data=data)))
    assert codes(cards) == {"PATIENT_DATA_NOT_READ": "info"}
    assert "pregnancy status" in cards[0]["detail"]


def test_age_is_taken_from_birth_date_on_the_day_of_the_request(make_client: AppFactory) -> None:
    # 3 mg a day is inside the 6-15 band, but above the 1.5 mg a day an adult course starts at: the same order
    # draws START_DOSE_ABOVE_MINIMUM on the patient's 16th birthday and not the day before.
    order = medication_request(dose=1, frequency=3)
    data = prefetch(patient_resource=patient(birth_date="2010-03-02"))
    before = cards_of(make_client(today=date(2026, 3, 1)).post(SIGN, json=hook_request(order, prefetch_data=data)))
    on_birthday = cards_of(make_client(today=date(2026, 3, 2)).post(SIGN, json=hook_request(order, prefetch_data=data)))
    assert "START_DOSE_ABOVE_MINIMUM" not in codes(before)
    assert codes(on_birthday)["START_DOSE_ABOVE_MINIMUM"] == "warning"


def test_earlier_clonazepam_orders_make_the_course_continuing(client: TestClient) -> None:
    earlier = medication_request(id="old-1", dose=1, frequency=3, status="active", authored_on="2026-02-20")
    order = medication_request(dose=1.5, frequency=3)
    cards = cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=prefetch(medications=[earlier]))))
    assert "START_DOSE_ABOVE_MINIMUM" not in codes(cards)


def test_order_select_checks_only_the_selected_orders(client: TestClient) -> None:
    high = medication_request(id="high", dose=8, frequency=3)
    fine = medication_request(id="fine", dose=0.5, frequency=3)
    body = hook_request(high, fine, hook="order-select", prefetch_data=prefetch())
    body["context"]["selections"] = ["MedicationRequest/fine"]
    assert cards_of(client.post(SELECT, json=body)) == []
    body["context"]["selections"] = ["MedicationRequest/high"]
    assert "DOSE_ABOVE_MAXIMUM" in codes(cards_of(client.post(SELECT, json=body)))


def not_available(cards: list[dict[str, Any]]) -> str:
    [card] = [c for c in cards if c["source"]["topic"]["code"] == "PATIENT_DATA_NOT_READ"]
    assert card["indicator"] == "info"
    return str(card["detail"])


def test_missing_prefetch_without_fhir_server_is_checked_and_said(client: TestClient) -> None:
    data = prefetch()
    del data["pregnancy"]
    cards = cards_of(client.post(SIGN, json=hook_request(medication_request(dose=3, frequency=3), prefetch_data=data)))
    assert codes(cards)["DOSE_ABOVE_STANDARD"] == "warning"
    detail = not_available(cards)
    assert "`pregnancy`" in detail and "no fhirServer" in detail and "pregnancy" in detail
    assert "`lactation`" not in detail


def test_prefetch_is_read_from_the_fhir_server_with_its_token(make_client: AppFactory, fhir_server: FhirServer) -> None:
    client = make_client(fhir_servers=[fhir_server.base_url])
    fhir_server.required_token = "secret-access-token"
    fhir_server.resources = [
        patient(),
        observation("82810-3", code="77386006"),
        observation("63895-7", code="LA29253-4", system=LOINC),
        medication_request(id="other", rxcui="312940", name="sertraline", status="active"),
    ]
    body = hook_request(
        medication_request(),
        fhirServer=fhir_server.base_url,
        fhirAuthorization={
            "access_token": "secret-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read user/Observation.read",
            "subject": "clonaguard",
        },
    )
    cards = cards_of(client.post(SIGN, json=body))
    assert codes(cards) == {"PREGNANCY": "critical"}
    paths = [path for path, _ in fhir_server.seen]
    assert f"/fhir/Patient/{PATIENT_ID}" in paths
    assert len(paths) == 6
    assert {auth for _, auth in fhir_server.seen} == {"Bearer secret-access-token"}


def test_fhir_server_refusing_degrades_to_unknown(make_client: AppFactory, fhir_server: FhirServer) -> None:
    client = make_client(fhir_servers=[f"{fhir_server.base_url}/"])
    fhir_server.fail_with = 403
    body = hook_request(medication_request(dose=8, frequency=3), fhirServer=fhir_server.base_url)
    cards = cards_of(client.post(SIGN, json=body))
    assert codes(cards) == {
        "AGE_NOT_CHECKED": "warning",
        "DOSE_ABOVE_MAXIMUM": "critical",
        "PATIENT_DATA_NOT_READ": "info",
    }
    assert not_available(cards).count("HTTP 403") == 6


def test_only_missing_keys_are_fetched(make_client: AppFactory, fhir_server: FhirServer) -> None:
    client = make_client(fhir_servers=[fhir_server.base_url])
    fhir_server.resources = [observation("82810-3", code="60001007")]
    data = prefetch()
    del data["pregnancy"]
    body = hook_request(medication_request(), prefetch_data=data, fhirServer=fhir_server.base_url)
    assert cards_of(client.post(SIGN, json=body)) == []
    assert [path.split("?")[0] for path, _ in fhir_server.seen] == ["/fhir/Observation"]


@pytest.mark.parametrize(
    "allowed",
    [
        [],  # authentication off and no list: no fhirServer is read
        ["http://127.0.0.1:1/fhir"],  # another server
    ],
)
def test_a_fhir_server_not_allowed_is_never_contacted(
    make_client: AppFactory, fhir_server: FhirServer, allowed: list[str]
) -> None:
    client = make_client(fhir_servers=allowed)
    data = prefetch()
    del data["lactation"]
    body = hook_request(medication_request(), prefetch_data=data, fhirServer=fhir_server.base_url)
    assert "`lactation`" in not_available(cards_of(client.post(SIGN, json=body)))
    assert fhir_server.seen == []


def test_a_lookalike_of_an_allowed_server_is_refused(make_client: AppFactory, fhir_server: FhirServer) -> None:
    client = make_client(fhir_servers=[fhir_server.base_url])
    body = hook_request(medication_request(), fhirServer=f"{fhir_server.base_url}x")
    assert "not one this service may read" in not_available(cards_of(client.post(SIGN, json=body)))
    assert fhir_server.seen == []
    body = hook_request(medication_request(), fhirServer=f"{fhir_server.base_url.removesuffix('/fhir')}x/fhir")
    assert_outcome(client.post(SIGN, json=body), 422, "fhirServer: not a valid URL")


def test_feedback_is_stored_with_the_check_in_the_audit_log(client: TestClient) -> None:
    body = hook_request(medication_request(dose=8, frequency=3), prefetch_data=prefetch(), instance="hook-fb-1")
    cards = cards_of(client.post(SIGN, json=body))
    overridden, accepted = cards[0], cards[-1]
    feedback = {
        "feedback": [
            {
                "card": overridden["uuid"],
                "outcome": "overridden",
                "overrideReason": {"reason": overridden["overrideReasons"][1], "userComment": "Epilepsy unit"},
                "outcomeTimestamp": "2026-03-01T10:00:00Z",
            },
            {
                "card": accepted["uuid"],
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": accepted["suggestions"][0]["uuid"]}],
                "outcomeTimestamp": "2026-03-01T10:00:05Z",
            },
        ]
    }
    response = client.post(f"{SIGN}/feedback", json=feedback)
    assert response.status_code == 200, response.text
    store = client.app.state.clonaguard.store  # type: ignore[attr-defined]
    [logged] = store.checks("hook-fb-1")
    assert logged["hook"] == "order-sign"
    assert logged["daily_dose_mg"] == 24
    assert {f["code"] for f in logged["findings"]} == {c["source"]["topic"]["code"] for c in cards}
    assert PATIENT_ID not in str(logged) and logged["patient_hash"]
    outcomes = {f["card_uuid"]: f for f in logged["feedback"]}
    assert outcomes[overridden["uuid"]]["override_code"] == "supervised"
    assert outcomes[overridden["uuid"]]["comment"] is None  # free text is not stored unless configured
    assert outcomes[overridden["uuid"]]["override_display"] is None
    assert outcomes[accepted["uuid"]]["accepted_suggestions"] == [accepted["suggestions"][0]["uuid"]]


def test_feedback_on_an_unknown_card_stores_nothing(client: TestClient) -> None:
    feedback = {
        "feedback": [
            {"card": "00000000-0000-0000-0000-000000000000", "outcome": "accepted", "outcomeTimestamp": "2026-03-01"}
        ]
    }
    assert_outcome(client.post(f"{SIGN}/feedback", json=feedback), 404, "unknown card")


def test_same_patient_hashes_alike_and_differs_from_others(client: TestClient) -> None:
    order = medication_request(dose=0.5, frequency=3)
    client.post(SIGN, json=hook_request(order, prefetch_data=prefetch(), instance="a"))
    client.post(SIGN, json=hook_request(order, prefetch_data=prefetch(), instance="b"))
    other = hook_request(order, prefetch_data=prefetch(patient_resource=patient(id="someone-else")), instance="c")
    other["context"]["patientId"] = "someone-else"
    client.post(SIGN, json=other)
    store = client.app.state.clonaguard.store  # type: ignore[attr-defined]
    hashes = [store.checks(i)[0]["patient_hash"] for i in ("a", "b", "c")]
    assert hashes[0] == hashes[1] != hashes[2]


def test_errors_are_operation_outcomes(client: TestClient) -> None:
    order = medication_request()
    assert_outcome(client.post("/cds-services/unknown-service", json=hook_request(order)), 404, "unknown-service")
    assert_outcome(client.post(SIGN, json=hook_request(order, hook="order-select")), 400, "order-sign")
    assert_outcome(client.post(SIGN, content=b"{not json"), 400, "JSON")
    assert_outcome(client.post(SIGN, content=b"{not json", headers={"Content-Type": "application/json"}), 400, "JSON")
    assert_outcome(client.post(SIGN, json={"hook": 5}), 422, "hookInstance")
    assert_outcome(client.post(SIGN, json=[1, 2]), 422)
    not_bundle = hook_request(order)
    not_bundle["context"]["draftOrders"] = {"resourceType": "Patient"}
    assert_outcome(client.post(SIGN, json=not_bundle), 422, "context.draftOrders")
    assert_outcome(client.post(SIGN, json={**hook_request(order), "context": None}), 422, "context")


def test_invalid_resources_outside_the_clonazepam_order_never_fail_the_request(client: TestClient) -> None:
    order = medication_request(dose=8, frequency=3)
    broken = hook_request(order, prefetch_data=prefetch())
    broken["context"]["draftOrders"]["entry"].append(
        {"resource": {"resourceType": "MedicationRequest", "status": "draft"}}
    )
    assert codes(cards_of(client.post(SIGN, json=broken)))["DOSE_ABOVE_MAXIMUM"] == "critical"
    bad_patient = hook_request(
        order, prefetch_data={**prefetch(), "patient": {"resourceType": "Patient", "birthDate": 7}}
    )
    cards = cards_of(client.post(SIGN, json=bad_patient))
    assert codes(cards)["DOSE_ABOVE_MAXIMUM"] == "critical"
    assert "`patient`" in not_available(cards) and "birthDate" in not_available(cards)
    not_bundle = hook_request(order, prefetch_data={**prefetch(), "pregnancy": {"resourceType": "Patient"}})
    assert "`pregnancy`" in not_available(cards_of(client.post(SIGN, json=not_bundle)))


def test_oversized_request_is_413(make_client: AppFactory) -> None:
    client = make_client(max_body_bytes=4096)
    body = hook_request(medication_request(), prefetch_data=prefetch())
    body["context"]["padding"] = "x" * 5000
    assert_outcome(client.post(SIGN, json=body), 413, "4096")


def test_patient_without_birth_date_is_not_checked(client: TestClient) -> None:
    nameless = {"resourceType": "Patient", "id": PATIENT_ID}
    data = prefetch(patient_resource=nameless)
    cards = cards_of(client.post(SIGN, json=hook_request(medication_request(), prefetch_data=data)))
    assert codes(cards) == {"AGE_NOT_CHECKED": "warning"}
    assert "birth date" in cards[0]["detail"]


def test_draft_orders_bundle_may_hold_other_resources(client: TestClient) -> None:
    body = hook_request(medication_request(dose=0.5, frequency=3), prefetch_data=prefetch())
    body["context"]["draftOrders"]["entry"].append(
        {
            "resource": {
                "resourceType": "ServiceRequest",
                "status": "draft",
                "intent": "order",
                "subject": {"reference": f"Patient/{PATIENT_ID}"},
            }
        }
    )
    assert cards_of(client.post(SIGN, json=body)) == []
    assert bundle()["entry"] == []


@pytest.mark.parametrize("padding", [0, 40_000])
def test_an_order_sign_on_the_event_loop_or_in_a_worker_gives_the_same_cards_and_audit_rows(
    client: TestClient, padding: int
) -> None:
    """A small order-sign is checked on the event loop, one past ON_THE_LOOP_BYTES in a worker thread (here a
    non-clonazepam order's note makes it larger): the same cards, and each answered check's rows logged first."""
    other = medication_request(id="other-1", rxcui="197361")
    other["note"] = [{"text": "x" * padding}] if padding else []
    other = {key: value for key, value in other.items() if value != []}
    instance = f"loop-or-worker-{padding}"
    body = hook_request(medication_request(dose=4, frequency=3), other, prefetch_data=prefetch(), instance=instance)
    cards = cards_of(client.post(SIGN, json=body))
    assert "critical" in codes(cards).values()
    store = client.app.state.clonaguard.store  # type: ignore[attr-defined]
    [logged] = store.checks(instance)
    assert sorted(card["uuid"] for card in logged["cards"]) == sorted(card["uuid"] for card in cards)
    assert {finding["code"] for finding in logged["findings"]} == set(codes(cards))

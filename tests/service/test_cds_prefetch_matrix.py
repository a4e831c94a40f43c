"""Each prefetch key left out, null, an OperationOutcome, an empty Bundle or invalid FHIR: always 200, the dose
cards the known data supports, and one info card naming exactly the keys that were not available."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clonaguard.cdshooks.discovery import PREFETCH
from tests.service.conftest import AppFactory, FhirServer
from tests.service.fhirdata import (
    LOINC,
    SNOMED,
    bundle,
    hook_request,
    medication_request,
    observation,
    patient,
    prefetch,
)
from tests.service.test_cds_hooks import SIGN, cards_of, codes

KEYS = list(PREFETCH)
MODES = ["left out", "null", "OperationOutcome", "empty Bundle", "invalid FHIR"]
ORDER = medication_request(dose=4, frequency=3)  # 12 mg a day outpatient, a new course
WITH_AGE = {"DOSE_REQUIRES_HOSPITAL": "critical", "START_DOSE_ABOVE_MINIMUM": "warning"}
# Without an age: 12 mg a day outpatient is critical at every age (above 10 mg only in hospital for an adult,
# above every children's band), so the adult card stays; the new-course start dose is an adult rule and goes.
WITHOUT_AGE = {"AGE_NOT_CHECKED": "warning", "DOSE_REQUIRES_HOSPITAL": "critical"}
OUTCOME = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
INVALID = {
    "patient": {"resourceType": "Patient", "birthDate": "not a date"},
    "bundle": {"resourceType": "Bundle", "entry": {"resource": {"resourceType": "Observation"}}},
}
# null or an empty Bundle means "nothing recorded": said only where the absence matters.
NOTHING_RECORDED_MATTERS = {"patient", "pregnancy", "lactation"}


def with_mode(data: dict[str, Any], key: str, mode: str) -> None:
    if mode == "left out":
        del data[key]
    elif mode == "null":
        data[key] = None
    elif mode == "OperationOutcome":
        data[key] = OUTCOME
    elif mode == "empty Bundle":
        data[key] = bundle()
    else:
        data[key] = INVALID["patient" if key == "patient" else "bundle"]


def named_keys(cards: list[dict[str, Any]]) -> set[str]:
    details = [c["detail"] for c in cards if c["source"]["topic"]["code"] == "PATIENT_DATA_NOT_READ"]
    assert len(details) <= 1
    return set(re.findall(r"prefetch `(\w+)`", details[0])) if details else set()


def expected_named(modes: dict[str, str]) -> set[str]:
    return {
        key
        for key, mode in modes.items()
        if mode in {"left out", "OperationOutcome", "invalid FHIR"} or key in NOTHING_RECORDED_MATTERS
    }


def expected_cards(modes: dict[str, str]) -> dict[str, str]:
    found = dict(WITHOUT_AGE if "patient" in modes else WITH_AGE)
    if expected_named(modes):
        found["PATIENT_DATA_NOT_READ"] = "info"
    return found


def sign(client: TestClient, modes: dict[str, str], **extra: Any) -> list[dict[str, Any]]:
    data = prefetch()
    for key, mode in modes.items():
        with_mode(data, key, mode)
    return cards_of(client.post(SIGN, json=hook_request(ORDER, prefetch_data=data, **extra)))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("key", KEYS)
def test_one_key_at_a_time(client: TestClient, key: str, mode: str) -> None:
    cards = sign(client, {key: mode})
    assert codes(cards) == expected_cards({key: mode})
    assert named_keys(cards) == expected_named({key: mode})


def test_all_data_given_gives_only_the_dose_cards(client: TestClient) -> None:
    assert codes(sign(client, {})) == WITH_AGE


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(modes=st.dictionaries(st.sampled_from(KEYS), st.sampled_from(MODES)))
def test_any_combination_of_keys(client: TestClient, modes: dict[str, str]) -> None:
    cards = sign(client, modes)
    assert codes(cards) == expected_cards(modes)
    assert named_keys(cards) == expected_named(modes)


@pytest.fixture
def served(make_client: AppFactory, fhir_server: FhirServer) -> tuple[TestClient, FhirServer]:
    """A loopback FHIR server holding the patient and their recorded statuses; a service allowed to read it."""
    fhir_server.resources = [
        patient(),
        observation("82810-3", code="60001007", system=SNOMED),
        observation("63895-7", code="LA29253-4", system=LOINC),
    ]
    return make_client(fhir_servers=[fhir_server.base_url], fhir_timeout_seconds=0.3), fhir_server


@pytest.mark.parametrize("mode", ["left out", "OperationOutcome", "invalid FHIR"])
@pytest.mark.parametrize("key", KEYS)
def test_keys_not_given_are_read_from_the_fhir_server(
    served: tuple[TestClient, FhirServer], key: str, mode: str
) -> None:
    client, server = served
    cards = sign(client, {key: mode}, fhirServer=server.base_url)
    assert codes(cards) == WITH_AGE
    assert len(server.seen) == 1


@pytest.mark.parametrize("failure", ["HTTP 500", "timeout"])
def test_a_failing_fhir_server_degrades_like_no_server(served: tuple[TestClient, FhirServer], failure: str) -> None:
    client, server = served
    if failure == "HTTP 500":
        server.fail_with = 500
    else:
        server.delay_seconds = 1.0
    modes = {"patient": "left out", "pregnancy": "OperationOutcome", "alcoholConditions": "invalid FHIR"}
    cards = sign(client, modes, fhirServer=server.base_url)
    assert codes(cards) == expected_cards(modes)
    assert named_keys(cards) == set(modes)
    detail = next(c["detail"] for c in cards if c["source"]["topic"]["code"] == "PATIENT_DATA_NOT_READ")
    assert detail.count("HTTP 500" if failure == "HTTP 500" else "ReadTimeout") == 3


def test_a_server_dripping_its_answer_is_cut_off_at_the_total_deadline(served: tuple[TestClient, FhirServer]) -> None:
    """Every read arrives within the 0.3 s timeout, but the whole answer would take about 20 s per key."""
    client, server = served
    server.drip_seconds = 0.05
    modes = {"patient": "left out", "pregnancy": "OperationOutcome"}
    started = time.monotonic()
    cards = sign(client, modes, fhirServer=server.base_url)
    assert time.monotonic() - started < 5
    assert named_keys(cards) == set(modes)
    detail = next(c["detail"] for c in cards if c["source"]["topic"]["code"] == "PATIENT_DATA_NOT_READ")
    assert detail.count("did not answer in full within 0.3 s") == 2


@pytest.mark.parametrize("who", [{"gender": "male"}, {"gender": "female", "birthDate": "1970-02-28"}])
def test_nothing_is_said_of_pregnancy_for_a_patient_who_cannot_be_pregnant(client: TestClient, who: Any) -> None:
    data = prefetch(patient_resource={**patient(), **who})
    del data["pregnancy"]
    data["lactation"] = bundle()
    cards = cards_of(client.post(SIGN, json=hook_request(ORDER, prefetch_data=data)))
    assert named_keys(cards) == set()


@pytest.mark.parametrize(
    ("birth", "named"),
    [
        ("2014-03-02", set()),  # 11 years old on 2026-03-01 (the tests' today)
        ("2014-03-01", {"pregnancy"}),  # 12 today
        ("1970-03-02", {"pregnancy"}),  # 55 until tomorrow
        ("1970-03-01", set()),  # 56 today
    ],
)
def test_the_child_bearing_band_is_12_to_55_years(client: TestClient, birth: str, named: set[str]) -> None:
    data = prefetch(patient_resource={**patient(birth_date=birth), "gender": "female"})
    data["pregnancy"] = bundle()
    order = medication_request(dose=0.5, frequency=3)
    assert named_keys(cards_of(client.post(SIGN, json=hook_request(order, prefetch_data=data)))) == named

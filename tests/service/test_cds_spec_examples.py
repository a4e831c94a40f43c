"""The CDS Hooks specification's own order-sign and order-select examples, exactly as published (see
spec_examples/SOURCE.md): no clonazepam, no cards; a clonazepam order added in the same shape, its cards."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.fhirdata import patient
from tests.service.test_cds_hooks import cards_of, codes

EXAMPLES = Path(__file__).parent / "spec_examples"
SERVICE = {"order-sign": "/cds-services/clonaguard-order-sign", "order-select": "/cds-services/clonaguard-order-select"}
NAMES = ["order-sign-r4", "order-sign-stu3", "order-select-r4", "order-select-stu3"]


def published(name: str) -> tuple[str, dict[str, Any]]:
    """The example with the envelope the specification requires around its context, nothing else changed."""
    hook = name.rsplit("-", 1)[0]
    example = json.loads((EXAMPLES / f"{name}.json").read_text())
    return hook, {"hook": hook, "hookInstance": f"spec-{name}", **example}


def with_clonazepam(body: dict[str, Any], tablets: float, times: int) -> dict[str, Any]:
    """The example plus a clonazepam 2 mg tablet order written in the shape of the example's own order."""
    body = copy.deepcopy(body)
    entries = body["context"]["draftOrders"]["entry"]
    order = copy.deepcopy(entries[1]["resource"])
    order["id"] = "clonazepam-1"
    order.pop("text")
    order["medicationCodeableConcept"] = {
        "coding": [
            {
                "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                "code": "197529",
                "display": "clonazepam 2 MG Oral Tablet",
            }
        ]
    }
    dosage = order["dosageInstruction"][0]
    dosage["text"] = f"{tablets:g} tablets {times} times a day"
    dosage["timing"]["repeat"]["frequency"] = times
    quantity = dosage["doseAndRate"]["doseQuantity"] if "doseAndRate" in dosage else dosage["doseQuantity"]
    quantity.update(value=tablets, unit="tablet", code="{tbl}")
    entries.append({"resource": order})
    if "selections" in body["context"]:
        body["context"]["selections"].append("MedicationRequest/clonazepam-1")
    return body


@pytest.mark.parametrize("name", NAMES)
def test_the_published_example_gets_no_cards(client: TestClient, name: str) -> None:
    hook, body = published(name)
    response = client.post(SERVICE[hook], json=body)
    assert response.status_code == 200, response.text
    assert response.json() == {"cards": []}


@pytest.mark.parametrize("name", NAMES)
def test_a_clonazepam_order_added_to_the_example_gets_its_cards(client: TestClient, name: str) -> None:
    hook, body = published(name)
    # 24 mg a day: above the largest limit of every age band, so critical although no patient data is sent.
    cards = cards_of(client.post(SERVICE[hook], json=with_clonazepam(body, 4, 3)))
    assert codes(cards) == {
        "DOSE_ABOVE_MAXIMUM": "critical",
        "AGE_NOT_CHECKED": "warning",
        "PATIENT_DATA_NOT_READ": "info",
    }
    assert "24 mg a day" in " ".join(card["detail"] for card in cards)


@pytest.mark.parametrize("name", NAMES)
def test_the_patient_alone_is_enough_for_the_hospital_only_card(client: TestClient, name: str) -> None:
    hook, body = published(name)
    body = with_clonazepam(body, 2, 3)  # 12 mg a day outpatient: only in hospital
    body["prefetch"] = {"patient": patient(id=body["context"]["patientId"])}
    cards = cards_of(client.post(SERVICE[hook], json=body))
    assert codes(cards)["DOSE_REQUIRES_HOSPITAL"] == "critical"
    assert "AGE_NOT_CHECKED" not in codes(cards)
    detail = next(c["detail"] for c in cards if c["source"]["topic"]["code"] == "PATIENT_DATA_NOT_READ")
    for key in ("medications", "pregnancy", "lactation", "alcoholObservations", "alcoholConditions"):
        assert f"`{key}`" in detail
    assert "`patient`" not in detail

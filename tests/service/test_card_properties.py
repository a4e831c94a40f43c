"""Invariants of the CDS cards over generated orders and patients (hypothesis, bounded)."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clonaguard.cdshooks.models import CardsResponse
from clonaguard.labels.load import LABELS_DIR
from clonaguard.model import FINDING_CODES
from clonaguard.service import Settings, create_app
from tests.service.conftest import TODAY
from tests.service.fhirdata import hook_request, medication_request, observation, patient, prefetch

_APP = create_app(
    Settings(database_url=f"sqlite:///{Path(tempfile.mkdtemp(prefix='clonaguard-props-')) / 'audit.db'}"),
    today=lambda: TODAY,
)
CLIENT = TestClient(_APP)
SIGN = "/cds-services/clonaguard-order-sign"
LEAFLET = (LABELS_DIR / "klonopin-leaflet.txt").read_text(encoding="utf-8")

doses = st.sampled_from([0.125, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10])
ages = st.integers(min_value=0, max_value=95 * 365)


def sign(order: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    response = CLIENT.post(SIGN, json=hook_request(order, prefetch_data=data))
    assert response.status_code == 200, response.text
    CardsResponse.model_validate(response.json())
    return list(response.json()["cards"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dose=doses, times=st.integers(1, 5), age_days=ages, pregnant=st.booleans())
def test_cards_are_well_formed_and_suggested_orders_are_safe(
    dose: float, times: int, age_days: int, pregnant: bool
) -> None:
    birth = (TODAY - timedelta(days=age_days)).isoformat()
    observations = [observation("82810-3", code="77386006")] if pregnant else []
    data = prefetch(patient_resource=patient(birth_date=birth), observations=observations)
    cards = sign(medication_request(dose=dose, frequency=times), data)
    for card in cards:
        assert 0 < len(card["summary"]) < 140
        assert card["indicator"] in {"info", "warning", "critical"}
        if card["source"]["topic"]["code"] in FINDING_CODES:
            quoted = [line[2:] for line in card["detail"].splitlines() if line.startswith("> ")]
            assert quoted and all(sentence in LEAFLET for sentence in quoted)
    flagged = {c["source"]["topic"]["code"] for c in cards if c["indicator"] != "info"}
    without_update = {c["source"]["topic"]["code"] for c in cards if "suggestions" not in c}
    updates = [a["resource"] for c in cards for s in c.get("suggestions", []) for a in s["actions"]]
    if pregnant:
        assert "PREGNANCY" in flagged and "PREGNANCY" in without_update
    for resource in updates:
        again = sign(resource, data)
        still = {c["source"]["topic"]["code"] for c in again if c["indicator"] != "info"}
        # A suggested order leaves only what no dose avoids (the cards that offered no change).
        assert still <= without_update, (still, without_update)


@settings(max_examples=20, deadline=None)
@given(dose=doses, times=st.integers(1, 4))
def test_a_higher_dose_never_draws_a_milder_warning_for_an_adult(dose: float, times: int) -> None:
    data = prefetch(patient_resource=patient(birth_date=(TODAY - timedelta(days=40 * 365)).isoformat()))
    lower = sign(medication_request(dose=dose, frequency=times), data)
    higher = sign(medication_request(dose=dose * 2, frequency=times), data)

    def worst(cards: list[dict[str, Any]]) -> int:
        """The most severe warning or critical card; an info card (a dose below the minimum) does not count."""
        return max(({"info": 0, "warning": 1, "critical": 2}[c["indicator"]] for c in cards), default=0)

    assert worst(higher) >= worst(lower)

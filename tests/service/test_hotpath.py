"""The order services' hot path answers exactly as the route beneath it: the same status, the same cards (but for
their random uuids), the same audit row, for valid calls and for each kind of invalid one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clonaguard.service.hotpath import OrderServiceFastPath
from tests.service.conftest import AppFactory
from tests.service.fhirdata import hook_request, medication_request, prefetch

SIGN = "/cds-services/clonaguard-order-sign"
SELECT = "/cds-services/clonaguard-order-select"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _route_only(make_client: AppFactory) -> TestClient:
    """The same app without the hot path: every call goes through the framework's routing to the route."""
    client = make_client()
    assert client.app.middleware_stack is None, "built at the first request, from user_middleware as it is then"  # type: ignore[attr-defined]
    client.app.user_middleware = [m for m in client.app.user_middleware if m.cls is not OrderServiceFastPath]  # type: ignore[attr-defined]
    return client


def _without_uuids(value: Any) -> Any:
    if isinstance(value, str):
        return UUID.sub("<uuid>", value)
    if isinstance(value, dict):
        return {key: _without_uuids(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_uuids(item) for item in value]
    return value


def _last_audit_row(client: TestClient) -> dict[str, Any] | None:
    rows = client.app.state.clonaguard.store.checks()  # type: ignore[attr-defined]
    if not rows:
        return None
    row = dict(rows[-1])
    return {key: row[key] for key in ("channel", "hook", "patient_hash", "daily_dose_mg", "findings", "label")}


def _not_r4() -> dict[str, Any]:
    order = medication_request(dose=3)
    order["status"] = "signed-off"  # not an R4 status code
    return order


def _selected() -> dict[str, Any]:
    body = hook_request(medication_request(), medication_request(id="draft-2", dose=3), hook="order-select")
    body["context"]["selections"] = ["MedicationRequest/draft-2"]
    return body


def _draft_orders(draft: Any) -> dict[str, Any]:
    body = hook_request(medication_request(), prefetch_data=prefetch())
    body["context"]["draftOrders"] = draft
    return body


BODIES: dict[str, tuple[str, dict[str, Any]]] = {
    "no finding": (SIGN, hook_request(medication_request(), prefetch_data=prefetch())),
    "two findings, a corrected order": (SIGN, hook_request(medication_request(dose=3), prefetch_data=prefetch())),
    "prefetch left out": (SIGN, hook_request(medication_request(dose=1))),
    "not clonazepam": (SIGN, hook_request(medication_request(rxcui="197591"), prefetch_data=prefetch())),
    "free-text sig": (
        SIGN,
        hook_request(medication_request(dose=None, frequency=None, text="1 mg twice a day"), prefetch_data=prefetch()),
    ),
    "not R4, with a finding": (SIGN, hook_request(_not_r4(), prefetch_data=prefetch())),
    "order-select": (SELECT, _selected()),
    "wrong hook for the service": (SELECT, hook_request(medication_request(), prefetch_data=prefetch())),
    "no patientId": (SIGN, {**hook_request(medication_request()), "context": {"draftOrders": {}}}),
    "draftOrders not a Bundle": (SIGN, _draft_orders({"resourceType": "List"})),
}


@pytest.mark.parametrize("name", list(BODIES))
def test_the_hot_path_answers_as_the_route(make_client: AppFactory, name: str) -> None:
    path, body = BODIES[name]
    hot, route = make_client(), _route_only(make_client)
    answers = [client.post(path, json=body) for client in (hot, route)]
    assert answers[0].status_code == answers[1].status_code
    assert _without_uuids(answers[0].json()) == _without_uuids(answers[1].json())
    if answers[0].status_code == 200 and answers[0].json()["cards"]:
        assert _last_audit_row(hot) == _last_audit_row(route) is not None


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b'{"hook": ', "application/json"), (b"", "application/json"), (b"hook=order-sign", "text/plain")],
)
def test_a_body_that_is_not_json_is_answered_as_the_route_answers_it(
    make_client: AppFactory, content: bytes, content_type: str
) -> None:
    hot, route = make_client(), _route_only(make_client)
    answers = [client.post(SIGN, content=content, headers={"Content-Type": content_type}) for client in (hot, route)]
    assert answers[0].status_code == answers[1].status_code >= 400
    assert answers[0].json() == answers[1].json()

"""Issue 10 replayed: each hostile or clumsy request answered with the right 4xx (or 200), never a 5xx, with the
service on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from clonaguard.db.engine import make_engine
from clonaguard.db.migrate import upgrade
from clonaguard.service import Settings, create_app
from tests.service.conftest import TODAY, FhirServer
from tests.service.fhirdata import hook_request, medication_request, prefetch
from tests.service.test_auth import AUDIENCE, ISSUER, PUBLIC_URL, _pem, token

SIGN = "/cds-services/clonaguard-order-sign"
SELECT = "/cds-services/clonaguard-order-select"
JSON_POSTS = ["/v1/check", "/v1/parse", "/v1/plans/taper", "/v1/plans/titration", SIGN, SELECT, f"{SIGN}/feedback"]
Build = Callable[..., TestClient]


@pytest.fixture
def build(database_url: str) -> Iterator[Build]:
    """A client of the service on this test's database (SQLite, then PostgreSQL)."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        app = create_app(Settings(**{"database_url": database_url, **overrides}), today=lambda: TODAY)
        clients.append(TestClient(app, raise_server_exceptions=False))
        return clients[-1]

    yield make
    for client in clients:
        client.app.state.clonaguard.engine.dispose()  # type: ignore[attr-defined]


def outcome(response: Any, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    said = " ".join(issue.get("diagnostics", "") for issue in body["issue"])
    for word in words:
        assert word in said, said
    return said


def signed_cards(client: TestClient, instance: str = "hostile-1") -> list[dict[str, Any]]:
    body = hook_request(medication_request(dose=8, frequency=3), prefetch_data=prefetch(), instance=instance)
    response = client.post(SIGN, json=body)
    assert response.status_code == 200, response.text
    cards: list[dict[str, Any]] = response.json()["cards"]
    assert cards
    return cards


def feedback(card: str, outcome: str = "overridden", **reason: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"card": card, "outcome": outcome, "outcomeTimestamp": "2026-03-01T10:00:00Z"}
    if reason:
        item["overrideReason"] = reason
    return {"feedback": [item]}


# Item 3: calendar amplification.


def test_a_decades_long_taper_calendar_is_refused_at_once(build: Build) -> None:
    client = build()
    started = time.monotonic()
    response = client.post(
        "/v1/plans/taper?format=ics",
        json={"start": "2026-01-01", "dose_mg": 2, "times_per_day": 3, "interval_days": 365},
    )
    outcome(response, 422, "interval_days: the plan would last", "at most 3653 days")
    assert time.monotonic() - started < 5


def test_a_long_taper_calendar_holds_one_series_per_step(build: Build) -> None:
    client = build()
    body = {"start": "2026-01-01", "dose_mg": 2, "times_per_day": 3, "interval_days": 60}
    response = client.post("/v1/plans/taper?format=ics", json=body)
    assert response.status_code == 200
    assert len(response.content) < 100_000 and response.text.count("RRULE:FREQ=DAILY;COUNT=") > 1


# Item 4: what PostgreSQL cannot store is refused before it gets there; limits equal on both databases.


def test_a_nul_character_anywhere_is_400(build: Build) -> None:
    client = build(store_feedback_text=True)
    in_instance = hook_request(medication_request(), prefetch_data=prefetch(), instance="a\u0000b")
    in_user = hook_request(medication_request(), prefetch_data=prefetch())
    in_user["context"]["userId"] = "Practitioner/\u0000"
    in_draft = hook_request(medication_request(), prefetch_data=prefetch())
    in_draft["context"]["draftOrders"]["entry"][0]["resource"]["id"] = "x\u0000"
    for body in (in_instance, in_user, in_draft):
        outcome(client.post(SIGN, json=body), 400, "NUL character")
    card = signed_cards(client)[0]["uuid"]
    outcome(client.post(f"{SIGN}/feedback", json=feedback(card, userComment="ok\u0000")), 400, "NUL character")
    outcome(client.post("/v1/parse", json={"text": "0.5 mg\u0000 tid"}), 400, "NUL character")
    assert len(client.app.state.clonaguard.store.checks()) == 1  # type: ignore[attr-defined]  # signed_cards' only


def test_override_reasons_as_long_as_accepted_are_stored_on_every_database(build: Build) -> None:
    client = build(store_feedback_text=True)
    card = signed_cards(client)[0]["uuid"]
    reason = {"system": "https://" + "s" * 492, "code": "c" * 200, "display": "d" * 500}
    response = client.post(f"{SIGN}/feedback", json=feedback(card, reason=reason, userComment="x" * 5000))
    assert response.status_code == 200, response.text
    [logged] = client.app.state.clonaguard.store.checks("hostile-1")  # type: ignore[attr-defined]
    assert logged["feedback"][0]["override_code"] == "c" * 200
    too_long = client.post(f"{SIGN}/feedback", json=feedback(card, reason={**reason, "code": "c" * 201}))
    outcome(too_long, 422, "overrideReason.reason.code")


# Item 5: privacy of the audit log.


def test_feedback_free_text_is_not_stored_by_default(build: Build) -> None:
    client = build()
    card = signed_cards(client)[0]["uuid"]
    reason = {"system": "urn:x", "code": "other", "display": "Jane Roe, born 1950-02-03, MRN 12345"}
    response = client.post(f"{SIGN}/feedback", json=feedback(card, reason=reason, userComment="Jane Roe 12345"))
    assert response.status_code == 200
    [logged] = client.app.state.clonaguard.store.checks("hostile-1")  # type: ignore[attr-defined]
    stored = logged["feedback"][0]
    assert stored["override_code"] == "other"
    assert stored["comment"] is None and stored["override_display"] is None
    assert "Jane" not in str(logged) and "12345" not in str(logged)


def test_storing_feedback_text_is_announced_at_start(build: Build, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="clonaguard"):
        build(store_feedback_text=True)
    assert any("CLONAGUARD_STORE_FEEDBACK_TEXT is on" in record.getMessage() for record in caplog.records)


def test_the_hash_key_is_in_no_table_but_in_a_private_file(build: Build, private_key_file: Path) -> None:
    client = build()
    signed_cards(client)
    engine = client.app.state.clonaguard.engine  # type: ignore[attr-defined]
    key = private_key_file.read_text().strip()
    assert private_key_file.stat().st_mode & 0o777 == 0o600
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f"SELECT * FROM {table}")):
                assert key not in str(row)
    assert "audit_key" not in inspect(engine).get_table_names()


def test_a_key_file_others_can_read_is_refused_at_start(database_url: str, tmp_path: Path) -> None:
    key_file = tmp_path / "shared.key"
    key_file.write_text("00" * 32)
    key_file.chmod(0o644)
    with pytest.raises(ValueError, match="can be read by others"):
        create_app(Settings(database_url=database_url, audit_key_file=key_file))


# Item 6: deep JSON, hostile fhirServer values, a JWT whose algorithm does not fit the key.


def test_json_nested_950_deep_is_400_on_every_json_endpoint(build: Build) -> None:
    client = build()
    for deep in ("[" * 950 + "]" * 950, '{"a":' * 950 + "1" + "}" * 950):
        for path in JSON_POSTS:
            response = client.post(path, content=deep, headers={"Content-Type": "application/json"})
            outcome(response, 400, "nested deeper than")


MALFORMED_SERVERS = [
    ("https://ehr.example.org/fhir\r\nX-Injected: 1", "control characters"),
    ("http://[::1/fhir", "not a valid URL"),
    ("http://[zz::1]/fhir", "not a valid URL"),
    ("https://ehr.example.org:99999/fhir", "not a valid URL"),
    ("https://ehr.example.org/fhir/../admin", "dot segments"),
    ("https://ehr.example.org/fhir/%2e%2e/admin", "dot segments"),
    ("https://user:pw@ehr.example.org/fhir", "no user name"),
]


def test_a_malformed_fhir_server_is_422_naming_it(build: Build) -> None:
    client = build()
    for server, words in MALFORMED_SERVERS:
        body = hook_request(medication_request(), fhirServer=server)
        outcome(client.post(SIGN, json=body), 422, "fhirServer:", words)


def test_a_jwt_whose_algorithm_does_not_fit_the_issuers_key_is_401(build: Build) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP384R1())
    client = build(public_url=PUBLIC_URL, jwt_issuers={ISSUER: {"public_key_pem": _pem(rsa_key)}})
    body = hook_request(medication_request(), prefetch_data=prefetch())
    for bearer in (token(ec_key, algorithm="ES384"), token(rsa_key, algorithm="PS256", audience=AUDIENCE)):
        response = client.post(SIGN, json=body, headers={"Authorization": f"Bearer {bearer}"})
        assert response.status_code in {200, 401}, response.text
    mismatch = client.post(SIGN, json=body, headers={"Authorization": f"Bearer {token(ec_key, algorithm='ES384')}"})
    outcome(mismatch, 401)


# Item 7: two servers cold-starting on one fresh database.


def _start(engine: Any, errors: list[BaseException]) -> None:
    try:
        upgrade(engine)
    except BaseException as exc:  # collected and failed on by the test
        errors.append(exc)


def test_concurrent_first_starts_migrate_once(database_url: str) -> None:
    for _round in range(3):
        engines = [make_engine(database_url) for _ in range(3)]
        errors: list[BaseException] = []

        threads = [threading.Thread(target=_start, args=(engine, errors)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        with engines[0].connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        for engine in engines:
            engine.dispose()


# Item 9: the allow-list compared on normalised URLs.


def test_an_allowed_server_is_matched_in_any_spelling(build: Build, fhir_server: FhirServer) -> None:
    configured = fhir_server.base_url.replace("http://", "HTTP://").replace("/fhir", "/fhir/")
    client = build(fhir_servers=[configured])
    response = client.post(SIGN, json=hook_request(medication_request(), fhirServer=f"{fhir_server.base_url}/"))
    assert response.status_code == 200, response.text


def test_dot_segments_cannot_leave_the_allowed_path(build: Build, fhir_server: FhirServer) -> None:
    client = build(fhir_servers=[fhir_server.base_url])
    body = hook_request(medication_request(), fhirServer=f"{fhir_server.base_url}/../other")
    outcome(client.post(SIGN, json=body), 422, "dot segments")
    assert fhir_server.seen == []


# Item 10: jti hashed, token before body, feedback deduplicated and tied to its service.


def test_long_jtis_that_share_a_prefix_do_not_collide(build: Build) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    client = build(public_url=PUBLIC_URL, jwt_issuers={ISSUER: {"public_key_pem": _pem(key)}})
    body = hook_request(medication_request(), prefetch_data=prefetch())
    prefix = "j" * 300
    for jti in (f"{prefix}-1", f"{prefix}-2"):
        response = client.post(SIGN, json=body, headers={"Authorization": f"Bearer {token(key, jti=jti)}"})
        assert response.status_code == 200, response.text
    again = client.post(SIGN, json=body, headers={"Authorization": f"Bearer {token(key, jti=f'{prefix}-1')}"})
    outcome(again, 401, "replay")


def test_the_token_is_checked_before_the_body_is_read(build: Build) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    client = build(public_url=PUBLIC_URL, jwt_issuers={ISSUER: {"public_key_pem": _pem(key)}})
    for body in ("{not json", "[" * 950):
        response = client.post(SIGN, content=body, headers={"Content-Type": "application/json"})
        outcome(response, 401, "Authorization")
    outcome(client.post(f"{SIGN}/feedback", content="{"), 401)


def test_feedback_is_stored_once_and_a_contradiction_is_409(build: Build) -> None:
    client = build()
    card = signed_cards(client)[0]["uuid"]
    first = client.post(f"{SIGN}/feedback", json=feedback(card, "accepted"))
    assert first.json() == {"stored": 1}
    for _ in range(3):
        assert client.post(f"{SIGN}/feedback", json=feedback(card, "accepted")).json() == {"stored": 0}
    outcome(client.post(f"{SIGN}/feedback", json=feedback(card, "overridden")), 409, "already has the outcome")
    [logged] = client.app.state.clonaguard.store.checks("hostile-1")  # type: ignore[attr-defined]
    assert [f["outcome"] for f in logged["feedback"]] == ["accepted"]
    twice = {"feedback": [*feedback(card, "accepted")["feedback"], *feedback(card, "overridden")["feedback"]]}
    outcome(client.post(f"{SIGN}/feedback", json=twice), 409, "both accepted and overridden")


def test_feedback_goes_to_the_service_that_gave_the_card(build: Build) -> None:
    client = build()
    card = signed_cards(client, instance=str(uuid.uuid4()))[0]["uuid"]
    outcome(client.post(f"{SELECT}/feedback", json=feedback(card, "accepted")), 404, "unknown card")


@pytest.mark.parametrize("code", [["197528"], {"code": "197528"}, 197528])
def test_a_coding_whose_code_is_not_a_string_is_answered_not_500(build: Build, code: Any) -> None:
    """A code that is a list or an object names nothing; an order still named clonazepam by its text is then
    refused as not R4 in a card that says so, rather than failing the whole request."""
    order = medication_request(name="Klonopin 0.5 mg tablet")
    order["medicationCodeableConcept"]["coding"][0]["code"] = code
    response = build().post(SIGN, json=hook_request(order, prefetch_data=prefetch()))
    assert response.status_code == 200
    cards = response.json()["cards"]
    assert [card["source"]["topic"]["code"] for card in cards] == ["ORDER_NOT_CHECKED"]
    assert "code" in cards[0]["detail"]

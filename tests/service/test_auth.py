"""CDS Hooks JWT authentication: a trusted issuer's signed token for this service, once, before it expires."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from jwt.algorithms import ECAlgorithm

from tests.service.conftest import AppFactory, FhirServer
from tests.service.fhirdata import hook_request, medication_request, prefetch

ISSUER = "https://ehr.example.org"
SERVICE = "/cds-services/clonaguard-order-sign"
PUBLIC_URL = "https://cds.example.org"
AUDIENCE = f"{PUBLIC_URL}{SERVICE}"


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


def _pem(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def token(
    key: Any,
    *,
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    expires_in: int = 300,
    jti: str | None = None,
    algorithm: str = "ES384",
    kid: str = "k1",
    **claims: Any,
) -> str:
    now = int(time.time())
    payload = {
        "iss": issuer,
        "sub": "ehr-client",
        "aud": audience,
        "iat": now,
        "exp": now + expires_in,
        "jti": jti or str(uuid.uuid4()),
        **claims,
    }
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


@pytest.fixture
def secured(make_client: AppFactory, ec_key: ec.EllipticCurvePrivateKey) -> TestClient:
    return make_client(public_url=PUBLIC_URL, jwt_issuers={ISSUER: {"public_key_pem": _pem(ec_key)}})


def call(client: TestClient, bearer: str | None) -> Any:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return client.post(SERVICE, json=hook_request(medication_request(), prefetch_data=prefetch()), headers=headers)


def diagnostics(response: Any) -> str:
    return " ".join(issue["diagnostics"] for issue in response.json()["issue"])


def test_valid_token_is_accepted(secured: TestClient, ec_key: ec.EllipticCurvePrivateKey) -> None:
    assert call(secured, token(ec_key)).status_code == 200


def test_missing_token_is_401(secured: TestClient) -> None:
    response = call(secured, None)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["resourceType"] == "OperationOutcome"


def test_expired_token_is_401(secured: TestClient, ec_key: ec.EllipticCurvePrivateKey) -> None:
    response = call(secured, token(ec_key, expires_in=-120))
    assert response.status_code == 401
    assert "expired" in diagnostics(response)


def test_wrong_audience_is_401(secured: TestClient, ec_key: ec.EllipticCurvePrivateKey) -> None:
    response = call(secured, token(ec_key, audience="https://cds.example.org/cds-services/someone-else"))
    assert response.status_code == 401
    assert "audience" in diagnostics(response)


def test_unknown_issuer_is_401(secured: TestClient) -> None:
    stranger = ec.generate_private_key(ec.SECP384R1())
    response = call(secured, token(stranger, issuer="https://stranger.example.net"))
    assert response.status_code == 401
    assert "issuer" in diagnostics(response)


def test_trusted_issuer_with_a_foreign_key_is_401(secured: TestClient) -> None:
    forger = ec.generate_private_key(ec.SECP384R1())
    response = call(secured, token(forger))
    assert response.status_code == 401


def test_replayed_jti_is_401(secured: TestClient, ec_key: ec.EllipticCurvePrivateKey) -> None:
    jti = str(uuid.uuid4())
    assert call(secured, token(ec_key, jti=jti)).status_code == 200
    response = call(secured, token(ec_key, jti=jti))
    assert response.status_code == 401
    assert "jti" in diagnostics(response)


def test_a_body_that_is_not_a_hook_request_is_422_after_one_look_at_the_token(
    secured: TestClient, ec_key: ec.EllipticCurvePrivateKey
) -> None:
    """The token is verified once, before the body is read, and not again by the route that answers the
    validation error (a second look would find its jti used, and answer 401 instead of naming the field)."""
    body = hook_request(medication_request(), prefetch_data=prefetch())
    del body["context"]["patientId"]
    response = secured.post(SERVICE, json=body, headers={"Authorization": f"Bearer {token(ec_key)}"})
    assert response.status_code == 422
    assert "patientId" in diagnostics(response)


def test_a_body_that_is_not_json_is_400_after_a_valid_token(
    secured: TestClient, ec_key: ec.EllipticCurvePrivateKey
) -> None:
    headers = {"Authorization": f"Bearer {token(ec_key)}", "Content-Type": "application/json"}
    response = secured.post(SERVICE, content=b'{"hook": ', headers=headers)
    assert response.status_code == 400
    assert "not valid JSON" in diagnostics(response)


def test_a_body_is_not_read_before_the_token_is_verified(secured: TestClient) -> None:
    response = secured.post(SERVICE, content=b'{"hook": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 401


def test_symmetric_token_is_refused(secured: TestClient) -> None:
    forged = token("a-shared-secret-that-is-long-enough-for-hs256", algorithm="HS256")
    assert call(secured, forged).status_code == 401


def test_token_living_too_long_is_401(secured: TestClient, ec_key: ec.EllipticCurvePrivateKey) -> None:
    assert call(secured, token(ec_key, expires_in=7 * 86400)).status_code == 401


def test_feedback_needs_a_token_too(secured: TestClient) -> None:
    body = {"feedback": [{"card": "x", "outcome": "accepted", "outcomeTimestamp": "2026-03-01T10:00:00Z"}]}
    assert secured.post(f"{SERVICE}/feedback", json=body).status_code == 401


def test_discovery_stays_open(secured: TestClient) -> None:
    assert secured.get("/cds-services").status_code == 200


def test_keys_from_a_jwks_url(make_client: AppFactory, fhir_server: FhirServer) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
    fhir_server.jwks = {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "ES384"}]}
    jwks_url = fhir_server.base_url.removesuffix("/fhir") + "/jwks"
    client = make_client(public_url=PUBLIC_URL, jwt_issuers={ISSUER: {"jwks_url": jwks_url}})
    assert call(client, token(key)).status_code == 200
    other = ec.generate_private_key(ec.SECP384R1())
    assert call(client, token(other, kid="k2")).status_code == 401


def test_inline_jwks_with_rsa(make_client: AppFactory) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    client = make_client(public_url=PUBLIC_URL, jwt_issuers={ISSUER: {"jwks": {"keys": [{**jwk, "kid": "r1"}]}}})
    assert call(client, token(key, algorithm="RS384", kid="r1")).status_code == 200


def test_auth_off_is_announced_at_start(make_client: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="clonaguard"):
        make_client()
    assert any("authentication is OFF" in record.getMessage() for record in caplog.records)

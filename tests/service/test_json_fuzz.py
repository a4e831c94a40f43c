"""Hypothesis on every JSON body the service reads: arbitrary JSON, deep nesting, NUL characters, and mutations
of valid requests. Every answer is a 2xx or a 4xx OperationOutcome; never a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.service.conftest import AppFactory
from tests.service.fhirdata import hook_request, medication_request, prefetch

SIGN = "/cds-services/clonaguard-order-sign"
VALID: dict[str, dict[str, Any]] = {
    "/v1/check": {"patient": {"age_years": 34}, "orders": [{"dose_mg": 0.5, "times_per_day": 3}]},
    "/v1/parse": {"text": "Klonopin 0.5 mg tid"},
    "/v1/plans/taper": {"start": "2026-01-01", "dose_mg": 1, "times_per_day": 2},
    "/v1/plans/titration": {"start": "2026-01-01", "age_years": 30, "target_mg": 2},
    SIGN: hook_request(medication_request(), prefetch_data=prefetch()),
    f"{SIGN}/feedback": {
        "feedback": [{"card": "x", "outcome": "accepted", "outcomeTimestamp": "2026-03-01T10:00:00Z"}]
    },
}
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(["\x00", "a\x00b", "\r\n"])
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4))


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from clonaguard.service import Settings, create_app
    from tests.service.conftest import TODAY

    directory = tmp_path_factory.mktemp("fuzz")
    settings = Settings(database_url=f"sqlite:///{directory / 'audit.db'}", audit_key_file=directory / "audit.key")
    return TestClient(create_app(settings, today=lambda: TODAY), raise_server_exceptions=False)


def assert_answered(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.json()["resourceType"] == "OperationOutcome"


def _pick(key: str | int) -> int:
    return key if isinstance(key, int) else sum(map(ord, key))


def _mutate(valid: Any, path: list[str | int], value: Any) -> Any:
    """`valid` with the element at the end of `path` (as far as it leads) replaced by `value`."""
    if not path or not isinstance(valid, dict | list):
        return value
    key, rest = path[0], path[1:]
    if isinstance(valid, dict):
        name = list(valid)[_pick(key) % len(valid)] if valid else str(key)
        return {**valid, name: _mutate(valid.get(name), rest, value)}
    if not valid:
        return [value]
    index = _pick(key) % len(valid)
    return [*valid[:index], _mutate(valid[index], rest, value), *valid[index + 1 :]]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(sorted(VALID)), body=JSON)
def test_any_json_body_is_answered_without_a_5xx(fuzz_client: TestClient, path: str, body: Any) -> None:
    assert_answered(fuzz_client.post(path, json=body))


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(sorted(VALID)),
    where=st.lists(st.integers(0, 20) | TEXT, min_size=1, max_size=6),
    value=JSON,
)
def test_a_mutated_valid_body_is_answered_without_a_5xx(
    fuzz_client: TestClient, path: str, where: list[str | int], value: Any
) -> None:
    assert_answered(fuzz_client.post(path, json=_mutate(VALID[path], where, value)))


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(sorted(VALID)), depth=st.integers(150, 3000), opener=st.sampled_from(["[", '{"a":']))
def test_deep_nesting_is_answered_without_a_5xx(fuzz_client: TestClient, path: str, depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    body = opener * depth + "1" + closer * depth
    response = fuzz_client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert_answered(response)
    assert depth <= 200 or response.status_code == 400


def test_the_valid_bodies_are_valid(make_client: AppFactory) -> None:
    """The seeds of the mutations are themselves accepted, so mutations start from a real request."""
    client = make_client()
    for path, body in VALID.items():
        status = client.post(path, content=json.dumps(body), headers={"Content-Type": "application/json"}).status_code
        assert status == (404 if path.endswith("feedback") else 200), path  # card "x" was never given

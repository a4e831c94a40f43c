"""The REST API: the same answers as the command line, and every error an OperationOutcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.operationoutcome import OperationOutcome
from typer.testing import CliRunner

from clonaguard.cli import app as cli_app
from clonaguard.labels.load import available_labels
from tests.service.conftest import AppFactory

EXAMPLE = Path(__file__).parents[2] / "examples" / "case.json"

CASES: list[dict[str, Any]] = [
    json.loads(EXAMPLE.read_text()),
    {"today": "2026-03-01", "patient": {"age_years": 40}, "orders": [{"dose_mg": "0,5", "times_per_day": 3}]},
    {"today": "2026-03-01", "patient": {"age_years": 3}, "orders": [{"dose_mg": 2, "times_per_day": 3}]},
    {
        "today": "2026-03-01",
        "patient": {"age_years": 30, "pregnant": True, "alcohol_use": True},
        "orders": [{"dose_mg": 8, "times_per_day": 3}],
    },
]


def outcome_text(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    OperationOutcome.model_validate(response.json())
    return " ".join(issue["diagnostics"] for issue in response.json()["issue"])


@pytest.mark.parametrize("case", CASES)
def test_check_answers_what_the_command_line_prints(client: TestClient, case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    printed = CliRunner().invoke(cli_app, ["check", "--case", str(path), "--json"])
    assert printed.exit_code in (0, 1), printed.output
    response = client.post("/v1/check", json=case)
    assert response.status_code == 200
    assert response.json() == json.loads(printed.stdout)


def test_check_is_audited_without_patient_data(client: TestClient) -> None:
    response = client.post("/v1/check", json=CASES[3], headers={"X-Request-ID": "req-42"})
    assert response.status_code == 200
    [logged] = client.app.state.clonaguard.store.checks("req-42")  # type: ignore[attr-defined]
    assert logged["channel"] == "rest"
    assert logged["daily_dose_mg"] == 24
    assert logged["patient_hash"] is None
    assert {f["code"] for f in logged["findings"]} == {f["code"] for f in response.json()["findings"]}


def test_invalid_case_names_each_field_and_its_range(client: TestClient) -> None:
    body = {"patient": {"age_years": 130}, "orders": [{"dose_mg": 0.5, "times_per_day": 0}]}
    text = outcome_text(client.post("/v1/check", json=body), 422)
    assert "patient.age_years" in text and "at most 120" in text
    assert "orders[0].times_per_day" in text and "at least 1" in text


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{", 400), (b"[]", 422), (b'"text"', 422), (b'{"patient": "old", "orders": 3}', 422), (b"\xff\xfe", 400)],
)
def test_malformed_bodies_are_4xx_outcomes(client: TestClient, body: bytes, status: int) -> None:
    outcome_text(client.post("/v1/check", content=body, headers={"Content-Type": "application/json"}), status)


def test_oversized_body_is_413(make_client: AppFactory) -> None:
    client = make_client(max_body_bytes=2048)
    body = json.dumps({**CASES[0], "indication": "x" * 4000})
    assert "2048" in outcome_text(client.post("/v1/check", content=body), 413)


def test_labels_are_listed_and_served(client: TestClient) -> None:
    listed = client.get("/v1/labels").json()
    assert listed["labels"] == available_labels()
    assert listed["default"] in listed["labels"]
    profile = client.get(f"/v1/labels/{listed['default']}").json()
    assert profile["profile"]["name"] == listed["default"]
    assert profile["adult_dosing"]["standard"]["source"]


def test_unknown_label_is_404(client: TestClient) -> None:
    assert "available" in outcome_text(client.get("/v1/labels/no-such-label"), 404)
    assert "available" in outcome_text(client.post("/v1/check?label=no-such-label", json=CASES[0]), 404)


def test_label_query_cannot_name_a_file(client: TestClient) -> None:
    outcome_text(client.post("/v1/check?label=../../etc/passwd", json=CASES[0]), 422)


def test_unknown_route_and_wrong_method_are_outcomes(client: TestClient) -> None:
    outcome_text(client.get("/v1/nothing-here"), 404)
    outcome_text(client.get("/v1/check"), 405)


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/health/ready").json() == {"status": "ok"}


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert {"/v1/check", "/cds-services", "/cds-services/{service_id}", "/v1/labels"} <= set(document["paths"])
    body = document["paths"]["/v1/check"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    case = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert {"patient", "orders", "today"} <= set(case["properties"])
    assert set(case["required"]) == {"patient", "orders"}  # the service dates a case without `today` (UTC)
    assert client.get("/docs").status_code == 200


def test_oversized_streamed_body_without_length_is_413(make_client: AppFactory) -> None:
    client = make_client(max_body_bytes=2048)

    def chunks() -> Any:
        yield b'{"patient": {"age_years": 40}, "indication": "'
        for _ in range(10):
            yield b"x" * 512
        yield b'", "orders": [{"dose_mg": 1, "times_per_day": 3}]}'

    assert "2048" in outcome_text(client.post("/v1/check", content=chunks()), 413)

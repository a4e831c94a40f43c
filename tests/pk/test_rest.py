"""POST /v1/simulate over real HTTP handling: the command line's JSON; 422 OperationOutcomes naming the field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clonaguard.cli import app as cli_app
from clonaguard.service import Settings, create_app
from clonaguard.service.simulate import MAX_SUBJECT_TIMES


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    application = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'audit.db'}"))
    with TestClient(application, raise_server_exceptions=False) as test_client:
        yield test_client
    application.state.clonaguard.engine.dispose()


def test_the_answer_is_the_command_lines(client: TestClient) -> None:
    body = {"sig": "0.5 mg tid", "weight": 70, "days": 21, "at": [24, 168, 504], "population": 200, "seed": 3}
    answer = client.post("/v1/simulate", json=body)
    printed = CliRunner().invoke(
        cli_app,
        [
            "simulate",
            "--sig",
            "0.5 mg tid",
            "--weight",
            "70",
            "--days",
            "21",
            "--at",
            "24,168,504",
            "--population",
            "200",
            "--seed",
            "3",
            "--json",
        ],
    )
    assert answer.status_code == 200
    assert answer.json() == json.loads(printed.stdout)


def test_actual_doses_can_be_simulated(client: TestClient) -> None:
    doses = [{"time_h": 0, "dose_mg": 0.5}, {"time_h": 6, "dose_mg": 0.5}, {"time_h": 30, "dose_mg": 1}]
    answer = client.post("/v1/simulate", json={"doses": doses, "weight": 70, "at": [0, 6, 30, 31]})
    assert answer.status_code == 200
    assert answer.json()["concentration_ng_ml"][0] == 0.0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sig": "0.5 mg tid", "weight": -1}, "weight"),
        ({"sig": "0.5 mg tid", "weight": 70, "population": 0}, "population"),
        ({"sig": "0.5 mg tid", "weight": 70, "at": [10000]}, "at"),
        ({"doses": [{"time_h": -1, "dose_mg": 1}], "weight": 70}, "doses[0].time_h"),
        ({"doses": [{"time_h": 1, "dose_mg": 0}], "weight": 70}, "doses[0].dose_mg"),
        ({"sig": "0.5 mg tid prn", "weight": 70}, "sig"),
        ({"sig": "0.5 mg tid"}, "weight"),
        ({"sig": "0.5 mg tid", "weight": 70, "model": "2cmt"}, "q"),
    ],
)
def test_bad_requests_are_422_naming_the_field(client: TestClient, body: dict[str, Any], field: str) -> None:
    answer = client.post("/v1/simulate", json=body)
    assert answer.status_code == 422
    outcome = answer.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["diagnostics"].startswith(f"{field}:")


def test_work_beyond_the_limit_is_refused_before_it_is_done(client: TestClient) -> None:
    body = {"sig": "0.5 mg tid", "weight": 70, "days": 365, "population": 100000}
    answer = client.post("/v1/simulate", json=body)
    assert answer.status_code == 422
    assert f"at most {MAX_SUBJECT_TIMES}" in answer.json()["issue"][0]["diagnostics"]


def test_the_openapi_document_describes_the_request(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/v1/simulate"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert {"sig", "plan", "case", "doses", "weight", "population", "at"} <= set(schema["properties"])
    assert "$defs" not in json.dumps(document)

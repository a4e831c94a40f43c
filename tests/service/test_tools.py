"""POST /v1/parse and /v1/plans/*: the sig reader's and the planner's answers over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clonaguard.check import check
from clonaguard.cli import app as cli_app
from clonaguard.model import Severity
from clonaguard.plan import TaperRequest, TitrationRequest, plan_taper, plan_titration

SIGS = ["Klonopin 0,5 mg 1 tab po tid between meals", "0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop", "?"]


@pytest.mark.parametrize("text", SIGS)
def test_parse_reads_as_the_command_line_does(client: TestClient, text: str) -> None:
    printed = CliRunner().invoke(cli_app, ["parse", text, "--json"])
    answer = client.post("/v1/parse", json={"text": text}).json()
    reading = json.loads(printed.stdout)
    assert answer["checkable"] == reading.pop("checkable") == (printed.exit_code == 0)
    assert answer["uncertainties"] == reading.pop("uncertainties")
    assert answer["reading"] == reading
    assert answer["checkable"] == (answer["uncertainties"] == [])


def test_parse_gives_fhir_dosage_on_request(client: TestClient) -> None:
    printed = CliRunner().invoke(cli_app, ["parse", SIGS[1], "--fhir"])
    answer = client.post("/v1/parse", json={"text": SIGS[1], "fhir": True}).json()
    assert answer["reading"] == json.loads(printed.stdout)


@pytest.mark.parametrize("text", ["2 (two) times daily", "clonazepam 1 mg q12h and 1 tab prn anxiety"])
def test_a_reading_in_doubt_is_an_operation_outcome_in_fhir_mode_never_a_dosage(client: TestClient, text: str) -> None:
    printed = CliRunner().invoke(cli_app, ["parse", text, "--fhir"])
    answer = client.post("/v1/parse", json={"text": text, "fhir": True}).json()
    assert printed.exit_code == 1 and answer["checkable"] is False
    assert answer["reading"] == json.loads(printed.stdout)
    assert answer["reading"]["resourceType"] == "OperationOutcome"
    assert [issue["diagnostics"] for issue in answer["reading"]["issue"]] == answer["uncertainties"] != []


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x" * 2001}, {"text": "0.5 mg tid", "extra": 1}])
def test_parse_refuses_bad_requests_naming_the_field(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/v1/parse", json=body)
    assert response.status_code == 422
    assert response.json()["resourceType"] == "OperationOutcome"


TITRATION = {"start": "2026-03-02", "age_years": 40, "target_mg": 6}
TAPER = {"start": "2026-03-02", "age_years": 40, "dose_mg": 1, "times_per_day": 3}


def test_titration_plan_is_the_planners_and_passes_the_check(client: TestClient, label: Any) -> None:
    answer = client.post("/v1/plans/titration", json=TITRATION)
    assert answer.status_code == 200, answer.text
    expected = plan_titration(TitrationRequest.model_validate(TITRATION), label)
    assert answer.json() == json.loads(json.dumps(expected.to_dict()))
    report = check(expected.to_case(), label)
    assert all(f.severity is Severity.INFO for f in report.findings)


def test_taper_plan_as_calendar_and_csv(client: TestClient, label: Any) -> None:
    calendar = client.post("/v1/plans/taper?format=ics", json=TAPER)
    assert calendar.status_code == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert calendar.content.startswith(b"BEGIN:VCALENDAR")
    table = client.post("/v1/plans/taper?format=csv", json=TAPER)
    assert table.headers["content-type"].startswith("text/csv")
    plan = plan_taper(TaperRequest.model_validate(TAPER), label)
    rows = sum(len(step.administrations) for step in plan.steps)  # one row per administration of each step
    assert len(table.text.strip().splitlines()) == 1 + rows


def test_plan_errors_name_the_field(client: TestClient) -> None:
    response = client.post("/v1/plans/taper", json={**TAPER, "times_per_day": 0})
    assert response.status_code == 422
    assert "times_per_day" in response.json()["issue"][0]["diagnostics"]
    assert client.post("/v1/plans/titration", json=[1]).status_code == 422

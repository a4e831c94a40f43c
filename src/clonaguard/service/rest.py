"""The plain REST API: thin translations to the domain functions the command line also calls."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from clonaguard.check import check, parse_case
from clonaguard.errors import ClonaguardError, InvalidInputError
from clonaguard.labels.load import available_labels, load_label
from clonaguard.labels.schema import Label
from clonaguard.service.errors import ProblemError, error_responses
from clonaguard.service.state import ServiceState, get_state

router = APIRouter()
State = Annotated[ServiceState, Depends(get_state)]
LabelName = Annotated[
    str | None, Query(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$", description="A shipped label profile.")
]
RequestId = Annotated[str | None, Header(alias="X-Request-ID", max_length=200)]


class FindingOut(BaseModel):
    code: str
    severity: str
    dur_code: str
    hl7_code: str | None
    message: str
    source: str
    suggestion: str | None
    order_index: int | None


class ReportOut(BaseModel):
    daily_dose_mg: float
    findings: list[FindingOut]


class LabelsOut(BaseModel):
    labels: list[str]
    default: str


class Health(BaseModel):
    status: str


def label_for(state: ServiceState, name: str | None) -> tuple[Label, str]:
    if name is None:
        return state.label, state.settings.label
    if name not in available_labels():
        raise ProblemError(404, f"label: no profile named {name!r}; available: {', '.join(available_labels())}")
    return load_label(name), name


async def json_body(request: Request) -> Any:
    """The body as JSON; 400 naming the problem when it is not."""
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProblemError(400, f"body: not valid JSON ({exc})") from exc


def as_object(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ProblemError(422, f"body: expected a JSON object ({what}), got {type(data).__name__}")
    return data


@router.get("/health", tags=["service"], response_model=Health)
async def health() -> dict[str, str]:
    """Liveness: answers without touching the database (also the no-op baseline of bench/service_load.py)."""
    return {"status": "ok"}


@router.get("/health/ready", tags=["service"], response_model=Health, responses=error_responses(503))
def ready(state: State) -> dict[str, str]:
    """Readiness: the database answers."""
    try:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        raise ProblemError(503, f"the database does not answer ({type(exc).__name__})") from exc
    return {"status": "ok"}


@router.post(
    "/v1/check",
    tags=["rest"],
    response_model=ReportOut,
    responses=error_responses(400, 404, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}},
        }
    },
)
def check_case(
    state: State, body: Annotated[Any, Depends(json_body)], label: LabelName = None, request_id: RequestId = None
) -> JSONResponse:
    """Check a case (the JSON of `clonaguard check --case`); answers the report of `clonaguard check --json`."""
    profile, name = label_for(state, label)
    try:
        case = parse_case(json.dumps(as_object(body, "a case")))
    except InvalidInputError as exc:
        raise ProblemError(422, str(exc).splitlines()) from exc
    report = check(case, profile)
    state.store.record_check(
        channel="rest",
        hook=None,
        hook_instance=request_id or str(uuid.uuid4()),
        patient_id=None,
        daily_dose_mg=report.daily_dose_mg,
        findings=[(f.code, f.severity.value) for f in report.findings],
        label=name,
    )
    return JSONResponse(report.to_dict())


@router.get("/v1/labels", tags=["rest"], response_model=LabelsOut)
def labels(state: State) -> dict[str, Any]:
    """The label profiles shipped with clonaguard."""
    return {"labels": available_labels(), "default": state.settings.label}


@router.get("/v1/labels/{name}", tags=["rest"], responses={200: {"model": Label}, **error_responses(404)})
def label_profile(name: Annotated[str, Path(max_length=100)], state: State) -> JSONResponse:
    """One label profile: every number and the leaflet sentence behind it."""
    try:
        profile, _ = label_for(state, name)
    except ClonaguardError as exc:
        raise ProblemError(404, str(exc)) from exc
    return JSONResponse(profile.model_dump(mode="json"))

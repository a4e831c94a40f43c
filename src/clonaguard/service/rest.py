"""The plain REST API: thin translations to the domain functions the command line also calls."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, GetJsonSchemaHandler, RootModel
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from clonaguard.alternatives import offered_alternative
from clonaguard.check import check, parse_case
from clonaguard.errors import NotFoundError, UnavailableError
from clonaguard.labels.load import available_labels, load_label
from clonaguard.labels.schema import Label
from clonaguard.model import Case
from clonaguard.service.errors import error_responses
from clonaguard.service.routing import JsonRoute
from clonaguard.service.state import ServiceState, get_state

router = APIRouter(route_class=JsonRoute)
State = Annotated[ServiceState, Depends(get_state)]
LabelName = Annotated[
    str | None, Query(max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$", description="A shipped label profile.")
]
RequestId = Annotated[str | None, Header(alias="X-Request-ID", max_length=200, pattern=r"^[\x21-\x7e]+$")]


class CaseBody(RootModel[dict[str, Any]]):
    """A case as sent: any JSON object, its sigs read (dated from the service's UTC today) before the case is
    validated by `parse_case`; OpenAPI describes it as the case schema."""

    @classmethod
    def __get_pydantic_json_schema__(cls, _core: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(Case.__pydantic_core_schema__)
        schema["required"] = [name for name in schema.get("required", []) if name != "today"]
        schema["properties"]["today"]["description"] = "Date of the check; the service's UTC date when absent."
        return schema


class FindingOut(BaseModel):
    code: str
    severity: str
    dur_code: str
    hl7_code: str | None
    message: str
    source: str
    suggestion: str | None
    order_index: int | None


class AlternativeOut(BaseModel):
    """A whole-tablet regimen the rules find safer, as `clonaguard check` shows it."""

    dose_mg: float
    times_per_day: int
    daily_dose_mg: float
    text: str


class ProvenanceOut(BaseModel):
    """What the report rests on: the label profile, its version, the quoted document's SHA-256, clonaguard's version."""

    label: str
    label_version: str | None
    document: str
    document_sha256: str | None
    clonaguard_version: str


class ReportOut(BaseModel):
    daily_dose_mg: float
    dose_basis: str
    findings: list[FindingOut]
    alternative: AlternativeOut | None
    provenance: ProvenanceOut


class LabelsOut(BaseModel):
    labels: list[str]
    default: str


class Health(BaseModel):
    status: str


def label_for(state: ServiceState, name: str | None) -> tuple[Label, str]:
    if name is None:
        return state.label, state.settings.label
    if name not in available_labels():
        raise NotFoundError(f"label: no profile named {name!r}; available: {', '.join(available_labels())}")
    return load_label(name), name


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
    except SQLAlchemyError as exc:
        raise UnavailableError(f"the database does not answer ({type(exc).__name__})") from exc
    return {"status": "ok"}


def _check_and_record(state: ServiceState, body: CaseBody, label: str | None, request_id: str | None) -> dict[str, Any]:
    profile, name = label_for(state, label)
    case = parse_case(body.root, profile, today=state.today())
    report = check(case, profile)
    alternative = offered_alternative(case, profile, report)
    record = state.store.check_record(
        channel="rest",
        hook=None,
        hook_instance=request_id or str(uuid.uuid4()),
        patient_id=None,
        daily_dose_mg=report.daily_dose_mg,
        findings=[(f.code, f.severity.value) for f in report.findings],
        label=name,
    )
    state.store.record_checks([record])
    return {
        **report.to_dict(),
        "alternative": alternative.to_dict() if alternative else None,
        "provenance": profile.profile.provenance(),
    }


@router.post("/v1/check", tags=["rest"], response_model=ReportOut, responses=error_responses(400, 404, 413, 422))
async def check_case(
    case: CaseBody, state: State, label: LabelName = None, request_id: RequestId = None
) -> JSONResponse:
    """Check a case (the JSON of `clonaguard check --case`); answers the report of `clonaguard check --json`."""
    return JSONResponse(await state.off_loop.run(_check_and_record, state, case, label, request_id))


@router.get("/v1/labels", tags=["rest"], response_model=LabelsOut)
async def labels(state: State) -> dict[str, Any]:
    """The label profiles shipped with clonaguard."""
    return {"labels": available_labels(), "default": state.settings.label}


@router.get("/v1/labels/{name}", tags=["rest"], responses={200: {"model": Label}, **error_responses(404)})
async def label_profile(name: Annotated[str, Path(max_length=100)], state: State) -> JSONResponse:
    """One label profile: every number and the leaflet sentence behind it."""
    profile, _ = label_for(state, name)
    return JSONResponse(profile.model_dump(mode="json"))

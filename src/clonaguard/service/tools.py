"""POST /v1/parse (the sig reader) and POST /v1/plans/* (the planner): the answers of `clonaguard parse` and plans.

Planning and export run in the thread pool; a client that has left before its plan is exported gets no export.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.plan import TaperRequest, TitrationRequest, plan_taper, plan_titration, to_csv, to_ics
from clonaguard.plan.export import check_exportable
from clonaguard.plan.models import Plan
from clonaguard.service.errors import error_responses
from clonaguard.service.rest import LabelName, State, label_for
from clonaguard.service.routing import JsonRoute
from clonaguard.sig import parse_sig, to_fhir_dosage, uncertainties
from clonaguard.sig.fhir import doubt_outcome

router = APIRouter(prefix="/v1", tags=["rest"], route_class=JsonRoute)


class ParseRequest(BaseModel):
    """A free-text sig; `fhir` asks for FHIR R4 Dosage (one per step; an OperationOutcome when in doubt)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="The sig, e.g. 'Klonopin 0,5 mg 1 tab po tid'.")
    fhir: bool = False


class ParseResponse(BaseModel):
    """The structured reading (as `clonaguard parse --json`) and every reason it may not be used as written."""

    reading: dict[str, Any] | list[dict[str, Any]]
    checkable: bool
    uncertainties: list[str]


def _read_sig(request: ParseRequest) -> dict[str, Any]:
    try:
        parsed = parse_sig(request.text)
    except InvalidInputError as exc:
        raise InvalidInputError(f"text: {exc}") from exc
    doubts = uncertainties(parsed)
    reading: Any = parsed.model_dump(mode="json")
    if request.fhir:  # a reading in doubt is an OperationOutcome listing why, never a Dosage
        reading = doubt_outcome(doubts) if doubts else [
            dosage.model_dump(mode="json", exclude_none=True) for dosage in to_fhir_dosage(parsed)
        ]
    return {"reading": reading, "checkable": not doubts, "uncertainties": doubts}


@router.post("/parse", response_model=ParseResponse, responses=error_responses(400, 413, 422))
async def parse(body: ParseRequest, state: State) -> dict[str, Any]:
    """Read a sig into structured fields; what is not understood is listed, never guessed."""
    answer: dict[str, Any] = await state.off_loop.run(_read_sig, body)
    return answer


PlanFormat = Annotated[Literal["json", "ics", "csv"], Query(description="json (default), ics (iCalendar) or csv")]
_PLAN_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The plan: JSON, an iCalendar file or CSV",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/calendar": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    },
    **error_responses(400, 404, 413, 422),
}


def _planned(body: TitrationRequest | TaperRequest, profile: Label) -> Plan:
    try:
        plan = plan_titration(body, profile) if isinstance(body, TitrationRequest) else plan_taper(body, profile)
    except ArithmeticError as exc:
        # e.g. a dose of 5e-324 mg: valid by the schema, but no plan can be computed from it.
        raise InvalidInputError(
            f"the request's numbers cannot be planned in real tablets ({type(exc).__name__})"
        ) from exc
    check_exportable(plan)
    return plan


def _exported(plan: Plan, profile: Label, output: str) -> Response:
    if output == "ics":
        return Response(to_ics(plan, profile), media_type="text/calendar")
    if output == "csv":
        return Response(to_csv(plan), media_type="text/csv")
    return JSONResponse(plan.to_dict())


async def _plan(
    request: Request, body: TitrationRequest | TaperRequest, state: State, label: str | None, output: str
) -> Response:
    profile, _ = label_for(state, label)
    plan = await state.off_loop.run(_planned, body, profile)
    if await request.is_disconnected():
        return Response(status_code=204)  # nobody is there to read it: no export is made
    response: Response = await state.off_loop.run(_exported, plan, profile, output)
    return response


@router.post("/plans/titration", response_class=Response, responses=_PLAN_RESPONSES)
async def titration(
    request: Request, body: TitrationRequest, state: State, label: LabelName = None, format: PlanFormat = "json"
) -> Response:
    """A titration plan in real tablets: from the starting dose to the target, each step a few days apart."""
    return await _plan(request, body, state, label, format)


@router.post("/plans/taper", response_class=Response, responses=_PLAN_RESPONSES)
async def taper(
    request: Request, body: TaperRequest, state: State, label: LabelName = None, format: PlanFormat = "json"
) -> Response:
    """A taper plan in real tablets: a gradual stop from the current regimen, never an abrupt one."""
    return await _plan(request, body, state, label, format)

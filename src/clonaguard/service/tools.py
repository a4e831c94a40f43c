"""POST /v1/parse (the sig reader) and POST /v1/plans/* (the planner): the answers of `clonaguard parse` and plans."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from clonaguard.errors import ClonaguardError, InvalidInputError
from clonaguard.service.errors import ProblemError, error_responses
from clonaguard.service.rest import LabelName, State, as_object, json_body, label_for

router = APIRouter(prefix="/v1", tags=["rest"])


class ParseRequest(BaseModel):
    """A free-text sig; `fhir` asks for FHIR R4 Dosage (one per step) instead of the structured reading."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="The sig, e.g. 'Klonopin 0,5 mg 1 tab po tid'.")
    fhir: bool = False


class ParseResponse(BaseModel):
    """The structured reading (as `clonaguard parse --json`) and every reason it may not be used as written."""

    reading: dict[str, Any] | list[dict[str, Any]]
    checkable: bool
    uncertainties: list[str]


def _body_schema(name: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    }


@router.post(
    "/parse",
    response_model=ParseResponse,
    responses=error_responses(400, 413, 422),
    openapi_extra=_body_schema("ParseRequest"),
)
def parse(body: Annotated[Any, Depends(json_body)]) -> dict[str, Any]:
    """Read a sig into structured fields; what is not understood is listed, never guessed."""
    from clonaguard.sig import parse_sig, to_fhir_dosage, uncertainties

    request = _validate(ParseRequest, body)
    try:
        parsed = parse_sig(request.text)
    except ClonaguardError as exc:
        raise ProblemError(422, f"text: {exc}") from exc
    doubts = uncertainties(parsed)
    reading: Any = parsed.model_dump(mode="json")
    if request.fhir:
        reading = [dosage.model_dump(mode="json", exclude_none=True) for dosage in to_fhir_dosage(parsed)]
    return {"reading": reading, "checkable": not doubts, "uncertainties": doubts}


def _validate(model: Any, body: Any) -> Any:
    from clonaguard.plan import parse_request

    data = as_object(body, model.__name__)
    try:
        if model is ParseRequest:
            from pydantic import ValidationError

            from clonaguard.check import describe_errors

            try:
                return ParseRequest.model_validate(data)
            except ValidationError as exc:
                raise InvalidInputError(describe_errors(exc, ParseRequest)) from exc
        return parse_request(model, json.dumps(data))
    except InvalidInputError as exc:
        raise ProblemError(422, str(exc).splitlines()) from exc


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


def _plan(kind: str, body: Any, state: Any, label: str | None, output: str) -> Response:
    from clonaguard.plan import TaperRequest, TitrationRequest, plan_taper, plan_titration, to_csv, to_ics, to_json

    profile, _ = label_for(state, label)
    try:
        if kind == "titration":
            plan = plan_titration(_validate(TitrationRequest, body), profile)
        else:
            plan = plan_taper(_validate(TaperRequest, body), profile)
    except InvalidInputError as exc:
        raise ProblemError(422, str(exc).splitlines()) from exc
    except ArithmeticError as exc:
        # e.g. a dose of 5e-324 mg: valid by the schema, but no plan can be computed from it.
        raise ProblemError(
            422, f"the request's numbers cannot be planned in real tablets ({type(exc).__name__})"
        ) from exc
    if output == "ics":
        return Response(to_ics(plan, profile), media_type="text/calendar")
    if output == "csv":
        return Response(to_csv(plan), media_type="text/csv")
    return JSONResponse(json.loads(to_json(plan)))


@router.post(
    "/plans/titration",
    response_class=Response,
    responses=_PLAN_RESPONSES,
    openapi_extra=_body_schema("TitrationRequest"),
)
def titration(
    state: State, body: Annotated[Any, Depends(json_body)], label: LabelName = None, format: PlanFormat = "json"
) -> Response:
    """A titration plan in real tablets: from the starting dose to the target, each step a few days apart."""
    return _plan("titration", body, state, label, format)


@router.post(
    "/plans/taper", response_class=Response, responses=_PLAN_RESPONSES, openapi_extra=_body_schema("TaperRequest")
)
def taper(
    state: State, body: Annotated[Any, Depends(json_body)], label: LabelName = None, format: PlanFormat = "json"
) -> Response:
    """A taper plan in real tablets: a gradual stop from the current regimen, never an abrupt one."""
    return _plan("taper", body, state, label, format)


def documented_models() -> dict[str, type[BaseModel]]:
    """Request bodies these routes read themselves (so errors name fields as the command line does)."""
    from clonaguard.plan import TaperRequest, TitrationRequest

    return {"ParseRequest": ParseRequest, "TitrationRequest": TitrationRequest, "TaperRequest": TaperRequest}

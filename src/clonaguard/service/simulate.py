"""POST /v1/simulate: the predicted clonazepam level, the answer of `clonaguard simulate --json`.

The model runs in a worker thread (never on the event loop), at most `CONCURRENT` at once, and one request
may ask for at most `MAX_SUBJECT_TIMES` simulated values (population × output times): beyond that, 422.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from clonaguard.errors import InvalidInputError
from clonaguard.service.errors import ProblemError, error_responses
from clonaguard.service.rest import LabelName, State, as_object, json_body, label_for

MAX_SUBJECT_TIMES = 2_000_000
CONCURRENT = 2
_limiter: anyio.CapacityLimiter | None = None

router = APIRouter(prefix="/v1", tags=["rest"])


def _field(message: str) -> str | None:
    head = message.split(":", 1)[0]
    return head if head and " " not in head else None


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON Schema with its local definitions written in place (OpenAPI has no `$defs` here)."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


_RESPONSE_SCHEMA = {
    "type": "object",
    "required": ["model", "parameters", "times_h", "concentration_ng_ml", "summary", "notice"],
    "properties": {
        "model": {"type": "string"},
        "parameters": {"type": "object"},
        "times_h": {"type": "array", "items": {"type": "number"}},
        "concentration_ng_ml": {"type": "array", "items": {"type": "number"}},
        "summary": {"type": "object"},
        "notice": {"type": "string"},
        "percentiles": {"type": "object"},
        "taper": {"type": "object"},
    },
}


def _request_schema() -> dict[str, Any]:
    from clonaguard.pk.request import SimulateRequest

    return _inlined(SimulateRequest.model_json_schema())


@router.post(
    "/simulate",
    response_class=JSONResponse,
    responses={
        200: {"description": "The predicted level", "content": {"application/json": {"schema": _RESPONSE_SCHEMA}}},
        **error_responses(400, 404, 413, 422),
    },
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _request_schema()}}}},
)
async def simulate(state: State, body: Annotated[Any, Depends(json_body)], label: LabelName = None) -> JSONResponse:
    """Predict the clonazepam plasma level over time (a model prediction, not a measured level)."""
    global _limiter
    from clonaguard.check import validate_input
    from clonaguard.pk.request import SimulateRequest
    from clonaguard.pk.simulate import run

    profile, _ = label_for(state, label)
    try:
        request = validate_input(SimulateRequest, as_object(body, "a simulation request"))
    except InvalidInputError as exc:
        lines = str(exc).splitlines()
        raise ProblemError(422, lines, expression=_field(lines[0])) from exc
    _limiter = _limiter or anyio.CapacityLimiter(CONCURRENT)
    try:
        result = await anyio.to_thread.run_sync(
            lambda: run(request, profile, limit=MAX_SUBJECT_TIMES), limiter=_limiter
        )
    except InvalidInputError as exc:
        lines = str(exc).splitlines()
        raise ProblemError(422, lines, expression=_field(lines[0])) from exc
    except (ArithmeticError, ValueError) as exc:
        raise ProblemError(422, f"the request's numbers cannot be simulated ({type(exc).__name__})") from exc
    return JSONResponse(result.body)


__all__ = ["CONCURRENT", "MAX_SUBJECT_TIMES", "router"]

"""POST /v1/simulate: the predicted clonazepam level, the answer of `clonaguard simulate --json`.

The model runs off the event loop, and one request may ask for at most `MAX_SUBJECT_TIMES` simulated values
(population × output times): beyond that, 422 before any simulation runs.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from clonaguard.errors import ClonaguardError, InvalidInputError
from clonaguard.pk.request import SimulateRequest
from clonaguard.service.errors import error_responses
from clonaguard.service.rest import LabelName, State, label_for
from clonaguard.service.routing import JsonRoute
from clonaguard.service.state import ServiceState

MAX_SUBJECT_TIMES = 2_000_000

router = APIRouter(route_class=JsonRoute)


class SimulateOut(BaseModel):
    model: str
    parameters: dict[str, Any]
    times_h: list[float]
    concentration_ng_ml: list[float]
    summary: dict[str, Any]
    notice: str
    percentiles: dict[str, list[float]] | None = None
    taper: dict[str, Any] | None = None


def _simulate(state: ServiceState, request: SimulateRequest, label: str | None) -> dict[str, Any]:
    from clonaguard.pk.simulate import run

    profile, _ = label_for(state, label)
    try:
        body: dict[str, Any] = run(request, profile, today=state.today(), limit=MAX_SUBJECT_TIMES).body
    except ClonaguardError:
        raise
    except (ArithmeticError, ValueError) as exc:
        raise InvalidInputError(f"the request's numbers cannot be simulated ({type(exc).__name__})") from exc
    return body


@router.post("/v1/simulate", tags=["rest"], response_model=SimulateOut, responses=error_responses(400, 404, 413, 422))
async def simulate(request: SimulateRequest, state: State, label: LabelName = None) -> JSONResponse:
    """Predict the clonazepam plasma level over time (a model prediction, not a measured level)."""
    return JSONResponse(await state.off_loop.run(_simulate, state, request, label))


__all__ = ["MAX_SUBJECT_TIMES", "router"]

"""CDS Hooks routes: discovery, the two order services and feedback. Translation only; see clonaguard.cdshooks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from clonaguard.cdshooks.auth import AuthenticationError
from clonaguard.cdshooks.discovery import HOOK_OF_SERVICE, discovery
from clonaguard.cdshooks.feedback import record_feedback
from clonaguard.cdshooks.hooks import HookDeps, HookMismatchError, handle_order_hook
from clonaguard.cdshooks.models import CardsResponse, DiscoveryResponse, FeedbackRequest, HookRequest
from clonaguard.cdshooks.prefetch import InvalidFhirError, missing_keys
from clonaguard.db.audit import UnknownCardError
from clonaguard.service.errors import ProblemError, error_responses
from clonaguard.service.state import ServiceState, get_state

router = APIRouter(prefix="/cds-services", tags=["cds-hooks"])
State = Annotated[ServiceState, Depends(get_state)]
ServiceId = Annotated[str, Path(max_length=100, description="clonaguard-order-select or clonaguard-order-sign")]


def service_url(request: Request, state: ServiceState, service_id: str) -> str:
    """The service endpoint as the EHR addresses it: the JWT audience."""
    base = state.settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/cds-services/{service_id}"


async def authenticated_service(
    request: Request,
    service_id: ServiceId,
    state: State,
    authorization: Annotated[str | None, Header(max_length=20_000)] = None,
) -> str:
    """The known service id, after the EHR's JWT is verified (when authentication is configured).

    Verification (a database write for the jti, perhaps a JWKS fetch) runs in the thread pool."""
    if service_id not in HOOK_OF_SERVICE:
        raise ProblemError(404, f"no CDS service {service_id!r}; see GET /cds-services", expression="id")
    if state.verifier is not None:
        try:
            await run_in_threadpool(state.verifier.verify, authorization, service_url(request, state, service_id))
        except AuthenticationError as exc:
            raise ProblemError(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
    return service_id


Service = Annotated[str, Depends(authenticated_service)]


@router.get("", response_model=DiscoveryResponse)
def list_services() -> dict[str, Any]:
    """CDS Hooks discovery: the services and the FHIR data each wants prefetched."""
    return discovery()


@router.post(
    "/{service_id}",
    response_model=CardsResponse,
    responses=error_responses(400, 401, 404, 413, 422),
)
async def call_service(service_id: Service, body: HookRequest, state: State) -> JSONResponse:
    """order-select / order-sign: one card per finding for each draft clonazepam order.

    With all prefetch given and the audit log in a local SQLite file, the work is a millisecond or two of CPU
    and one local write, done inline: a thread-pool hop would only add GIL hand-offs (measured: p99 latency
    under load several times lower). Waiting on a network (fhirServer, a database server): thread pool.
    """
    deps = HookDeps(
        label=state.label,
        label_name=state.settings.label,
        store=state.store,
        today=state.today(),
        fhir_timeout=state.settings.fhir_timeout_seconds,
        fhir_servers=state.settings.readable_fhir_servers,
        sig_reader=state.sig_reader,
    )
    try:
        if state.engine.dialect.name != "sqlite" or (missing_keys(body) and body.fhirServer is not None):
            return JSONResponse(await run_in_threadpool(handle_order_hook, service_id, body, deps))
        return JSONResponse(handle_order_hook(service_id, body, deps))
    except HookMismatchError as exc:
        raise ProblemError(400, str(exc), expression="hook") from exc
    except InvalidFhirError as exc:
        raise ProblemError(422, str(exc), expression=exc.expression) from exc


@router.post("/{service_id}/feedback", responses=error_responses(400, 401, 404, 413, 422))
def feedback(service_id: Service, body: FeedbackRequest, state: State) -> dict[str, int]:
    """Accepted or overridden cards, with the override reason and comment, into the audit log."""
    try:
        return {"stored": record_feedback(body, state.store)}
    except UnknownCardError as exc:
        raise ProblemError(404, f"feedback: unknown card uuid(s): {exc}; nothing was stored") from exc

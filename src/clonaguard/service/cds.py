"""CDS Hooks routes: discovery, the two order services and feedback. Translation only; see clonaguard.cdshooks.

A valid order-select or order-sign is answered by `answer_order_service` from beneath the framework's routing
(`clonaguard.service.hotpath`); the route answers the rest, with the same errors as every route. The caller's JWT
is verified before the body is read, once (`verify_caller`). A small order-select or order-sign that needs no
read from a fhirServer is checked on the event loop, where it takes well under a millisecond, and awaits the group
commit of its audit rows; a large one, or one that may wait on the network, runs in the thread pool, so that it
never holds up the event loop (and /health)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse

from clonaguard.cdshooks.discovery import HOOK_OF_SERVICE, discovery
from clonaguard.cdshooks.feedback import record_feedback
from clonaguard.cdshooks.hooks import HookDeps, answer_order_hook, handle_order_hook
from clonaguard.cdshooks.models import CardsResponse, DiscoveryResponse, FeedbackRequest, HookRequest
from clonaguard.cdshooks.prefetch import may_fetch
from clonaguard.errors import NotFoundError
from clonaguard.service.errors import error_responses
from clonaguard.service.fhirserver import normalise_fhir_server
from clonaguard.service.jsonresponse import FastJSONResponse
from clonaguard.service.routing import JsonRoute
from clonaguard.service.state import ServiceState, get_state

State = Annotated[ServiceState, Depends(get_state)]
ServiceId = Annotated[str, Path(max_length=100, description="clonaguard-order-select or clonaguard-order-sign")]

ON_THE_LOOP_BYTES = 32_768
ON_THE_LOOP_ORDERS = 2
"""An order-select or order-sign up to this size and this many draft orders, needing no fhirServer read, is checked
on the event loop (well under a millisecond without findings, a few with: less than the hand-over to a worker
thread and back); any other in a worker thread."""


def service_url(request: Request, state: ServiceState, service_id: str) -> str:
    """The service endpoint as the EHR addresses it: the JWT audience."""
    base = state.settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/cds-services/{service_id}"


class CdsRoute(JsonRoute):
    """A known service id and, when authentication is configured, the EHR's verified JWT, before any body is read.

    Verification (a database write for the jti, perhaps a JWKS fetch) runs in the thread pool."""

    async def before_body(self, request: Request) -> None:
        service_id = request.path_params.get("service_id")
        if service_id is None:
            return
        if service_id not in HOOK_OF_SERVICE:
            raise NotFoundError(f"id: no CDS service {service_id!r}; see GET /cds-services")
        await verify_caller(request, service_id)


CALLER_VERIFIED = "clonaguard.caller_verified"
"""Set in the request's scope once its JWT is verified, so that a request handed on is not verified twice (a
second look at the same token would find its jti used)."""


async def verify_caller(request: Request, service_id: str) -> None:
    """The EHR's JWT verified, when authentication is configured, in the thread pool (a database write for the jti,
    perhaps a JWKS fetch). AuthenticationError otherwise."""
    state: ServiceState = request.app.state.clonaguard
    if state.verifier is not None and not request.scope.get(CALLER_VERIFIED):
        authorization = request.headers.get("authorization")
        await state.off_loop.run(state.verifier.verify, authorization, service_url(request, state, service_id))
    request.scope[CALLER_VERIFIED] = True


router = APIRouter(prefix="/cds-services", tags=["cds-hooks"], route_class=CdsRoute)


@router.get("", response_model=DiscoveryResponse)
async def list_services() -> dict[str, Any]:
    """CDS Hooks discovery: the services and the FHIR data each wants prefetched."""
    return discovery()


async def answer_order_service(service_id: str, body: HookRequest, state: ServiceState, size: int) -> JSONResponse:
    """The cards, sent once their audit rows are committed; on the event loop when small and local (see above)."""
    if body.fhirServer is not None:
        body = body.model_copy(update={"fhirServer": normalise_fhir_server(body.fhirServer)})
    deps = HookDeps(
        label=state.label,
        label_name=state.settings.label,
        store=state.store,
        today=state.today(),
        fhir_timeout=state.settings.fhir_timeout_seconds,
        fhir_servers=state.fhir_servers,
        sig_reader=state.sig_reader,
    )
    if not _small(body, size) or may_fetch(body, state.fhir_servers):
        return FastJSONResponse(await state.off_loop.run(handle_order_hook, service_id, body, deps))
    answer = answer_order_hook(service_id, body, deps)
    if answer.checks:
        await state.store.record_checks_async(answer.checks)
    return FastJSONResponse(answer.response)


def _small(body: HookRequest, size: int) -> bool:
    entries = body.context.draftOrders.get("entry")
    return size <= ON_THE_LOOP_BYTES and (not isinstance(entries, list) or len(entries) <= ON_THE_LOOP_ORDERS)


async def call_service(service_id: ServiceId, body: HookRequest, state: State, request: Request) -> JSONResponse:
    """order-select / order-sign: one card per finding for each draft clonazepam order."""
    return await answer_order_service(service_id, body, state, len(await request.body()))


router.add_api_route(
    "/{service_id}",
    call_service,
    methods=["POST"],
    response_model=CardsResponse,
    responses=error_responses(400, 401, 404, 413, 422),
)


@router.post("/{service_id}/feedback", responses=error_responses(400, 401, 404, 409, 413, 422))
async def feedback(service_id: ServiceId, body: FeedbackRequest, state: State) -> dict[str, int]:
    """Accepted or overridden cards, with the coded override reason, into the audit log (free text only when
    CLONAGUARD_STORE_FEEDBACK_TEXT=true). A repeated item is not stored twice."""
    stored = await state.off_loop.run(
        record_feedback,
        body,
        state.store,
        HOOK_OF_SERVICE[service_id],
        store_text=state.settings.store_feedback_text,
    )
    return {"stored": stored}

"""The order services' hot path, answered beneath the framework's routing and exception layers.

A POST to an order service whose body validates as a HookRequest is answered here by the route's own code
(`clonaguard.service.cds.answer_order_service`): the same checks, the same cards, the same audit rows committed
before the answer. What is saved is the per-request work of routing, dependencies and exception handling: most of
the framework's own time in an order-sign (bench/order_sign_profile.py). Every other request, and an
order-service body that is not a HookRequest, goes to the app as before (the body replayed), so that each error is
answered as the routes answer it. The caller's JWT is verified here, before the body is read, and once only: the
app is told it was verified."""

from __future__ import annotations

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clonaguard.cdshooks.discovery import HOOK_OF_SERVICE
from clonaguard.cdshooks.models import HookRequest
from clonaguard.errors import ClonaguardError
from clonaguard.service.cds import answer_order_service, verify_caller
from clonaguard.service.errors import error_response
from clonaguard.service.routing import declares_json, parse_json

SERVICE_OF_PATH = {f"/cds-services/{service_id}": service_id for service_id in HOOK_OF_SERVICE}


class OrderServiceFastPath:
    """Pure ASGI middleware, innermost, so that the body limit and body timeout above it still bound the read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service_id = SERVICE_OF_PATH.get(scope["path"]) if scope["type"] == "http" else None
        if service_id is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            await verify_caller(request, service_id)
            answer = await _answer(request, service_id)
        except ClonaguardError as exc:
            answer = error_response(exc)
        if answer is None:
            await self.app(scope, _replay(await request.body(), receive), send)
        else:
            await answer(scope, receive, send)


async def _answer(request: Request, service_id: str) -> Response | None:
    """The cards for a JSON body that validates as a HookRequest; None for any other body (the route's to answer).
    A body that is not JSON at all is the same MalformedBodyError here as in the route."""
    if not declares_json(request):
        return None
    body = await request.body()
    if not body:
        return None
    try:
        hook_request = HookRequest.model_validate(parse_json(body))
    except ValidationError:
        return None
    return await answer_order_service(service_id, hook_request, request.app.state.clonaguard, len(body))


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body already read once, then whatever the connection sends next (a disconnect)."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed

"""Every error as a FHIR OperationOutcome with a 4xx status: one mapping from the error tree, one formatter."""

from __future__ import annotations

import json
import logging
import traceback
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fhir.resources.R4B.operationoutcome import OperationOutcome
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clonaguard.errors import (
    AuthenticationError,
    ClonaguardError,
    ConflictError,
    HookMismatchError,
    InvalidInputError,
    LabelError,
    NotFoundError,
    UnavailableError,
)
from clonaguard.fhir.outcome import issue_code, operation_outcome
from clonaguard.validation import describe_error_list

log = logging.getLogger("clonaguard.service")


class MalformedBodyError(InvalidInputError):
    """The request body is not JSON, or JSON the service will not read (nested too deep, a NUL character)."""


class PayloadTooLargeError(ClonaguardError):
    """The request body is larger than CLONAGUARD_MAX_BODY_BYTES."""


# The one mapping from the error tree to HTTP: the first class in an error's MRO found here decides.
HTTP_STATUS: dict[type[ClonaguardError], int] = {
    MalformedBodyError: 400,
    HookMismatchError: 400,
    AuthenticationError: 401,
    NotFoundError: 404,
    ConflictError: 409,
    LabelError: 404,
    PayloadTooLargeError: 413,
    InvalidInputError: 422,
    UnavailableError: 503,
}


def http_status(exc: ClonaguardError) -> int:
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 422


def outcome_response(
    status: int, message: str | list[str], expression: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = operation_outcome(message, code=issue_code(status), expression=expression)
    return JSONResponse(body, status_code=status, headers=headers)


def error_response(exc: ClonaguardError) -> JSONResponse:
    status = http_status(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return outcome_response(status, str(exc).splitlines(), exc.expression, headers)


def _body_model(request: Request) -> type[BaseModel] | None:
    """The route's typed body, so that a validation error names the field's accepted range as the CLI does."""
    field = getattr(request.scope.get("route"), "body_field", None)
    annotation = getattr(getattr(field, "field_info", None), "annotation", None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def describe_validation(errors: list[dict[str, Any]], model: type[BaseModel] | None) -> tuple[int, list[str]]:
    """400 when the body is not a JSON object at all, else 422; one line per error, naming the field."""
    if any(error.get("type") == "json_invalid" for error in errors):
        return 400, ["body: not valid JSON"]
    for error in errors:
        if tuple(error.get("loc", ())) == ("body",) and isinstance(error.get("input"), bytes):
            return 400, ["body: not a JSON object (send JSON with Content-Type: application/json)"]
    in_body = [error for error in errors[:20] if tuple(error.get("loc", ()))[:1] == ("body",)]
    others = [error for error in errors[:20] if error not in in_body]
    lines = describe_error_list([{**error, "loc": tuple(error["loc"])[1:]} for error in in_body], model)
    return 422, [*lines, *describe_error_list(others, None)]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ClonaguardError)
    async def _known(_request: Request, exc: ClonaguardError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, lines = describe_validation(list(exc.errors()), _body_model(request))
        return outcome_response(status, lines)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "the request cannot be answered"
        if exc.status_code == 404 and message == "Not Found":
            message = "no such endpoint; see /docs for the endpoints"
        return outcome_response(exc.status_code, message, headers=getattr(exc, "headers", None))


class ContainErrorsMiddleware:
    """An unexpected error becomes a 500 OperationOutcome; the log names its type and place, never its message
    (which could quote request data) and never the body. A client that left mid-upload is not an error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            log.info("client left before its request was read: %s %s", scope["method"], scope["path"])
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "unknown"
            log.error("unexpected %s at %s on %s %s", type(exc).__name__, where, scope["method"], scope["path"])
            if not response_started:
                body = json.dumps(
                    operation_outcome("the service could not process the request; it has been logged", code="exception")
                ).encode()
                await send_json(send, 500, body)


async def send_json(send: Send, status: int, body: bytes, *, close: bool = False) -> None:
    """A whole JSON answer from middleware, below the app; `close` ends the connection after it."""
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuse request bodies over `limit` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await self._refuse(send)
                    return
        received = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    refused = True
                    await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:  # after a 413 the app's own answer to the cut-off body is dropped
                await send(message)

        await self.app(scope, limited_receive, guarded_send)

    async def _refuse(self, send: Send) -> None:
        response = error_response(PayloadTooLargeError(f"the request body is larger than {self.limit} bytes"))
        await send_json(send, 413, bytes(response.body))


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer, each an OperationOutcome (fhir.resources)."""
    return {
        status: {"description": "FHIR OperationOutcome naming the problem", "model": OperationOutcome}
        for status in statuses
    }

"""Every error as a FHIR OperationOutcome with a 4xx status; a body-size limit that answers 413."""

from __future__ import annotations

import json
import logging
import traceback
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clonaguard.check import field_path
from clonaguard.fhir.outcome import issue_code, operation_outcome

log = logging.getLogger("clonaguard.service")


class ProblemError(Exception):
    """An error the service answers on purpose: HTTP status, message(s), and the element at fault."""

    def __init__(
        self,
        status: int,
        message: str | list[str],
        *,
        expression: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message if isinstance(message, str) else "; ".join(message))
        self.status = status
        self.messages = [message] if isinstance(message, str) else message
        self.expression = expression
        self.headers = headers


def outcome_response(
    status: int, message: str | list[str], expression: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = operation_outcome(message, code=issue_code(status), expression=expression)
    return JSONResponse(body, status_code=status, headers=headers)


def describe_validation(errors: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """400 when the body is not JSON at all, else 422; one line per error, naming the field."""
    if any(error.get("type") == "json_invalid" for error in errors):
        return 400, ["body: not valid JSON"]
    for error in errors:
        if tuple(error.get("loc", ())) == ("body",) and isinstance(error.get("input"), bytes | str):
            return 400, ["body: not a JSON object (send JSON with Content-Type: application/json)"]
    lines = []
    for error in errors[:20]:
        where = field_path(tuple(error.get("loc", ())))
        message = "unknown field" if error.get("type") == "extra_forbidden" else str(error.get("msg", "invalid"))
        lines.append(f"{where}: {message}" if where else message)
    return 422, lines


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return outcome_response(exc.status, exc.messages, exc.expression, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        status, lines = describe_validation(list(exc.errors()))
        return outcome_response(status, lines)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "the request cannot be answered"
        if exc.status_code == 404 and message == "Not Found":
            message = "no such endpoint; see /docs for the endpoints"
        return outcome_response(exc.status_code, message, headers=getattr(exc, "headers", None))


class ContainErrorsMiddleware:
    """An unexpected error becomes a 500 OperationOutcome; the log names its type and place, never its message
    (which could quote request data) and never the body."""

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
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "unknown"
            log.error("unexpected %s at %s on %s %s", type(exc).__name__, where, scope["method"], scope["path"])
            if not response_started:
                body = json.dumps(
                    operation_outcome("the service could not process the request; it has been logged", code="exception")
                ).encode()
                await _send_json(send, 500, body)


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
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
        body = json.dumps(
            operation_outcome(f"the request body is larger than {self.limit} bytes", code=issue_code(413))
        ).encode()
        await _send_json(send, 413, body)


OUTCOME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["resourceType", "issue"],
    "properties": {
        "resourceType": {"type": "string", "enum": ["OperationOutcome"]},
        "issue": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["severity", "code"],
                "properties": {
                    "severity": {"type": "string"},
                    "code": {"type": "string"},
                    "diagnostics": {"type": "string"},
                    "expression": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer, each an OperationOutcome."""
    return {
        status: {
            "description": "FHIR OperationOutcome naming the problem",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}},
        }
        for status in statuses
    }

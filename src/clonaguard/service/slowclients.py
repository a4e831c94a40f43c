"""Bounds on slow and broken clients: request headers must be complete within a timeout (else the connection
closes), a body must arrive within a timeout (else 408), and the server's own 400 for a malformed request is a
FHIR OperationOutcome like every other error. Idle keep-alive connections close after `keep_alive_seconds`
(uvicorn's own setting)."""

from __future__ import annotations

import asyncio
import functools
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from clonaguard.fhir.outcome import issue_code, operation_outcome
from clonaguard.service.errors import send_json


class _BoundedProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol on httptools (the C parser of Node.js) with a deadline for each request's
    headers, which uvicorn does not have: from the connection's start, and from the first byte of each next
    request on a kept-alive connection, until the headers are complete."""

    header_timeout = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:
            self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        body = json.dumps(operation_outcome(f"the HTTP request is malformed: {msg}", code=issue_code(400))).encode()
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        head += [name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers]
        head.append(b"content-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n" % len(body))
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def bounded_protocol(header_timeout: float) -> type[HttpToolsProtocol]:
    """The protocol class to give uvicorn (`http=`), with this header deadline in seconds."""
    return type("BoundedProtocol", (_BoundedProtocol,), {"header_timeout": header_timeout})


@functools.cache
def _header_timeout_from_environment() -> float:
    from clonaguard.service.settings import Settings

    return Settings().header_timeout_seconds


class EnvironmentBoundedProtocol(_BoundedProtocol):
    """The bounded protocol by import path, for `clonaguard serve` (each worker process imports it afresh):
    its deadline is CLONAGUARD_HEADER_TIMEOUT_SECONDS, read once per process."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.header_timeout = _header_timeout_from_environment()
        super().connection_made(transport)


class BodyTimeoutMiddleware:
    """A request body not received in full within `seconds` is answered 408 (OperationOutcome)."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        timed_out = False

        async def timed_receive() -> Message:
            nonlocal timed_out
            try:
                async with asyncio.timeout_at(deadline):  # no task of its own, unlike wait_for
                    return await receive()
            except TimeoutError:
                timed_out = True
                body = json.dumps(
                    operation_outcome(f"the request body did not arrive within {self.seconds:g} s", code="timeout")
                ).encode()
                await send_json(send, 408, body, close=True)
                return {"type": "http.disconnect"}

        async def guarded_send(message: Message) -> None:
            if not timed_out:
                await send(message)

        await self.app(scope, timed_receive, guarded_send)

"""How every route reads its body: checks that need no body first (a route's `before_body`), then JSON read once
with a nesting bound and NUL refused, then FastAPI's typed validation of the parsed value."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import pydantic_core
from fastapi import Request, Response
from fastapi.routing import APIRoute

from clonaguard.service.errors import MalformedBodyError

# pydantic-core's JSON reader refuses nesting deeper than this (a FHIR Bundle needs about 15 levels).
MAX_JSON_DEPTH = 200


def parse_json(raw: bytes) -> Any:
    """The body as JSON. Deeper than MAX_JSON_DEPTH, not UTF-8, NaN, or a NUL in any string: MalformedBodyError."""
    try:
        data = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        reason = f"nested deeper than {MAX_JSON_DEPTH} levels" if "recursion limit" in str(exc) else str(exc)
        raise MalformedBodyError(f"body: not valid JSON ({reason})") from exc
    if b"\\u0000" in raw and _holds_nul(data):
        raise MalformedBodyError("body: a string holds a NUL character (\\u0000), which is not accepted")
    return data


def _holds_nul(data: Any) -> bool:
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


class JsonRequest(Request):
    """A request whose `json()` is `parse_json` of its body, read once."""

    _parsed: Any

    async def json(self) -> Any:
        if not hasattr(self, "_parsed"):
            self._parsed = parse_json(await self.body())
        return self._parsed


def declares_json(request: Request) -> bool:
    content_type = request.headers.get("content-type")
    if content_type is None:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class JsonRoute(APIRoute):
    """A route that reads its JSON body with `parse_json`, after `before_body` (e.g. authentication) passed."""

    async def before_body(self, request: Request) -> None:
        """Checks that need no body; raise a ClonaguardError to answer without reading it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def read_json_first(request: Request) -> Response:
            request = JsonRequest(request.scope, request.receive)
            await self.before_body(request)
            if self.body_field is not None and declares_json(request) and await request.body():
                await request.json()
            return await handler(request)

        return read_json_first

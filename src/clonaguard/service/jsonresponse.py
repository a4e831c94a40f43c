"""JSON responses serialised by orjson: the answer of every order-sign is encoded once, in native code."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


class FastJSONResponse(JSONResponse):
    """Like Starlette's JSONResponse (UTF-8, no NaN: orjson writes none), about ten times faster to encode."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)

"""What every route needs, built once when the app is created."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request
from sqlalchemy import Engine

from clonaguard.cdshooks.auth import JwtVerifier
from clonaguard.db.audit import AuditStore
from clonaguard.fhir.orders import SigReader
from clonaguard.labels.schema import Label
from clonaguard.service.settings import Settings

T = TypeVar("T")


class OffLoop:
    """Runs blocking work (checks, plans, database writes) in worker threads, at most `limit` at once, so that
    the event loop stays free for /health and new connections, and many heavy requests queue rather than crowd
    each other out of the interpreter."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._limiter: anyio.CapacityLimiter | None = None

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._limiter is None:  # made inside the event loop, where anyio can create it
            self._limiter = anyio.CapacityLimiter(self.limit)
        return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs), limiter=self._limiter)


@dataclass(frozen=True, slots=True)
class ServiceState:
    settings: Settings
    label: Label
    engine: Engine
    store: AuditStore
    verifier: JwtVerifier | None
    today: Callable[[], date]
    sig_reader: SigReader | None
    fhir_servers: tuple[str, ...] | None
    off_loop: OffLoop = field(default_factory=lambda: OffLoop(4))


async def get_state(request: Request) -> ServiceState:
    """Async on purpose: a plain def dependency would cost a thread-pool hop on every request."""
    state: ServiceState = request.app.state.clonaguard
    return state

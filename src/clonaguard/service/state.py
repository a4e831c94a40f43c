"""What every route needs, built once when the app is created."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fastapi import Request
from sqlalchemy import Engine

from clonaguard.cdshooks.auth import JwtVerifier
from clonaguard.db.audit import AuditStore
from clonaguard.fhir.orders import SigReader
from clonaguard.labels.schema import Label
from clonaguard.service.settings import Settings


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


async def get_state(request: Request) -> ServiceState:
    """Async on purpose: a plain def dependency would cost a thread-pool hop on every request."""
    state: ServiceState = request.app.state.clonaguard
    return state

"""The CDS Hooks 2.0 wire format: requests, cards and feedback as typed models (they also document the API)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_DRAFT_ENTRIES = 100
"""At most this many entries in `context.draftOrders`; a request with more is refused (422)."""
MAX_BUNDLE_ENTRIES = 500
"""At most this many entries in each prefetch Bundle (the medication history, observations, conditions)."""


class _Open(BaseModel):
    """The spec lets clients add fields (extensions); they are kept, not refused."""

    model_config = ConfigDict(extra="allow")


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Coding(_Open):
    system: str | None = Field(default=None, max_length=500)
    code: str = Field(min_length=1, max_length=200)
    display: str | None = Field(default=None, max_length=500)


class FhirAuthorization(_Open):
    access_token: str = Field(min_length=1, max_length=20_000)
    token_type: Literal["Bearer"]
    expires_in: int = Field(ge=0)
    scope: str = Field(max_length=5000)
    subject: str = Field(max_length=500)
    patient: str | None = Field(default=None, max_length=200)


class OrderContext(_Open):
    """Context of order-select and order-sign: whose orders, and the draft orders as a FHIR Bundle."""

    userId: str = Field(min_length=1, max_length=500)
    patientId: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9\-\.]{1,64}$")
    encounterId: str | None = Field(default=None, max_length=200)
    selections: list[str] | None = Field(default=None, max_length=1000)
    draftOrders: dict[str, Any] = Field(
        description=f"A FHIR Bundle of the draft orders; clonazepam MedicationRequests are checked, everything "
        f"else is passed over unread. At most {MAX_DRAFT_ENTRIES} entries."
    )


class HookRequest(_Open):
    hook: str = Field(min_length=1, max_length=100)
    hookInstance: str = Field(min_length=1, max_length=200)
    fhirServer: str | None = Field(default=None, max_length=2000, pattern=r"^https?://")
    fhirAuthorization: FhirAuthorization | None = None
    context: OrderContext
    prefetch: dict[str, Any] | None = Field(
        default=None,
        description="Prefetch key -> FHIR resource, OperationOutcome or null. A value that cannot be read is "
        "treated like a key left out, and named in the card that says what was not available.",
    )


class Topic(_Closed):
    system: str
    code: str
    display: str


class Source(_Closed):
    label: str
    url: str | None = None
    topic: Topic


class Action(_Closed):
    type: Literal["create", "update", "delete"]
    description: str
    resource: dict[str, Any] | None = None


class Suggestion(_Closed):
    label: str
    uuid: str
    isRecommended: bool = False
    actions: list[Action]


class Card(_Closed):
    uuid: str
    summary: str = Field(max_length=139)
    indicator: Literal["info", "warning", "critical"]
    detail: str
    source: Source
    suggestions: list[Suggestion] | None = None
    selectionBehavior: Literal["at-most-one", "any"] | None = None
    overrideReasons: list[Coding] | None = None
    extension: dict[str, dict[str, str | None]] | None = Field(
        default=None, description="CDS Hooks extension: `clonaguard-provenance` names the label and versions."
    )


class CardsResponse(_Closed):
    cards: list[Card]


class ServiceDescription(_Closed):
    hook: str
    title: str
    description: str
    id: str
    prefetch: dict[str, str]
    usageRequirements: str


class DiscoveryResponse(_Closed):
    services: list[ServiceDescription]


class AcceptedSuggestion(_Open):
    id: str = Field(min_length=1, max_length=200)


class OverrideReason(_Open):
    reason: Coding | None = None
    userComment: str | None = Field(default=None, max_length=5000)


class FeedbackItem(_Open):
    card: str = Field(min_length=1, max_length=36)
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] = Field(default_factory=list, max_length=100)
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: datetime


class FeedbackRequest(_Open):
    feedback: list[FeedbackItem] = Field(min_length=1, max_length=100)

"""Every error clonaguard raises on purpose, in one tree. Adapters map a class to an answer in one place each:
the HTTP status and OperationOutcome in `clonaguard.service.errors`, the exit status in `clonaguard.cli`.

    ClonaguardError                 an error raised on purpose (anything else is an internal error: exit 3, 500)
    ├── InvalidInputError           input that cannot be checked; names the field (exit 2, HTTP 422)
    │   ├── HookMismatchError       the request's `hook` is not the hook of the service it was sent to (400)
    │   ├── InvalidFhirError        a FHIR resource in the request is not valid R4; `expression` says where (422)
    │   └── sig.orders.SigError     a sig that cannot be evaluated with certainty (422)
    ├── LabelError                  a label profile that is missing, malformed or misquotes its document (exit 2)
    ├── NotFoundError               a named thing does not exist (404)
    │   └── UnknownCardError        feedback names a card this service never gave (404)
    ├── ConflictError               contradicts what is stored (feedback: a card both accepted and overridden) (409)
    ├── AuthenticationError         the caller's JWT is missing or not acceptable; never echoes the token (401)
    │   └── ReplayedTokenError      a JWT id (jti) presented a second time (401)
    ├── UnavailableError            a service the answer depends on does not answer (503)
    ├── UnreadableOrderError        an order whose regimen cannot be read with certainty (a "not checked" card)
    └── PatientDataError            the patient's age cannot be known (a "not checked" card)
"""

from __future__ import annotations


class ClonaguardError(Exception):
    """Base of every error clonaguard raises on purpose; `expression` names the element at fault, when known."""

    expression: str | None = None


class InvalidInputError(ClonaguardError, ValueError):
    """Input that cannot be checked; the message names the field and what it accepts."""


class HookMismatchError(InvalidInputError):
    """The request's `hook` is not the hook of the service it was sent to."""

    expression = "hook"


class InvalidFhirError(InvalidInputError):
    """A resource in the request is not valid FHIR R4; `expression` names where it is."""

    def __init__(self, expression: str, message: str) -> None:
        super().__init__(f"{expression}: {message}")
        self.expression = expression


class LabelError(ClonaguardError):
    """A label profile that is missing, malformed or cites text its document does not contain."""


class NotFoundError(ClonaguardError):
    """A named thing (a label profile, a CDS service, a card) does not exist."""


class UnknownCardError(NotFoundError):
    """Feedback names a card this service never gave."""


class ConflictError(ClonaguardError):
    """The request contradicts what is already stored (a second, different outcome for one card)."""


class AuthenticationError(ClonaguardError):
    """The request's JWT is missing or not acceptable; the message says why (never echoes the token)."""


class ReplayedTokenError(AuthenticationError):
    """A JWT id (jti) was presented a second time."""


class UnavailableError(ClonaguardError):
    """A service the answer depends on (the database) does not answer."""


class UnreadableOrderError(ClonaguardError):
    """A clonazepam order whose daily regimen cannot be read with certainty; the message says why."""


class PatientDataError(ClonaguardError, ValueError):
    """The patient's age cannot be known (no Patient, no or partial birthDate)."""

"""Feedback on cards (accepted, or overridden with a coded reason) into the audit log.

Free text (the reason's display, the user's comment) can name a patient: it is stored only when the service is
configured to (CLONAGUARD_STORE_FEEDBACK_TEXT=true), and says so when it starts.
"""

from __future__ import annotations

from clonaguard.cdshooks.models import FeedbackRequest
from clonaguard.db.audit import AuditStore, FeedbackRecord


def record_feedback(request: FeedbackRequest, store: AuditStore, hook: str, *, store_text: bool = False) -> int:
    """Store each new item for cards the `hook` service gave; returns how many were stored (repeats are not).
    Raises UnknownCardError or ConflictError, and then stores nothing."""
    records = []
    for item in request.feedback:
        override = item.overrideReason
        reason = override.reason if override is not None else None
        records.append(
            FeedbackRecord(
                card_uuid=item.card,
                outcome=item.outcome,
                outcome_at=item.outcomeTimestamp,
                accepted_suggestions=[suggestion.id for suggestion in item.acceptedSuggestions],
                override_system=reason.system if reason is not None else None,
                override_code=reason.code if reason is not None else None,
                override_display=reason.display if reason is not None and store_text else None,
                comment=override.userComment if override is not None and store_text else None,
            )
        )
    return store.record_feedback(records, hook)

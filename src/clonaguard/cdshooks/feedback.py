"""Feedback on cards (accepted, or overridden with a reason and comment) into the audit log."""

from __future__ import annotations

from clonaguard.cdshooks.models import FeedbackRequest
from clonaguard.db.audit import AuditStore, FeedbackRecord


def record_feedback(request: FeedbackRequest, store: AuditStore) -> int:
    """Store every item; raises UnknownCardError (nothing stored) when a card was never given."""
    records = []
    for item in request.feedback:
        reason = item.overrideReason.reason if item.overrideReason is not None else None
        records.append(
            FeedbackRecord(
                card_uuid=item.card,
                outcome=item.outcome,
                outcome_at=item.outcomeTimestamp,
                accepted_suggestions=[suggestion.id for suggestion in item.acceptedSuggestions],
                override_system=reason.system if reason is not None else None,
                override_code=reason.code if reason is not None else None,
                override_display=reason.display if reason is not None else None,
                comment=item.overrideReason.userComment if item.overrideReason is not None else None,
            )
        )
    store.record_feedback(records)
    return len(records)

"""The audit fields of one order-sign check, for tests that write many of them."""

from __future__ import annotations

from typing import Any

from clonaguard.db import CardRecord


def check_fields(instance: str, card: str | None = None) -> dict[str, Any]:
    """The keyword arguments of `AuditStore.check_record`/`record_check`: one critical finding and its card when
    `card` is given, else none."""
    return {
        "channel": "test",
        "hook": "order-sign",
        "hook_instance": instance,
        "patient_id": "p-1",
        "daily_dose_mg": 1.5,
        "findings": [("DOSE_ABOVE_MAXIMUM", "critical")] if card else [],
        "label": "l",
        "cards": [CardRecord(card, "DOSE_ABOVE_MAXIMUM", "critical")] if card else [],
    }

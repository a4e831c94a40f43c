"""Building cases for tests: one order with the given daily shape, everything else at its default."""

from __future__ import annotations

from typing import Any

from clonaguard.check import parse_case
from clonaguard.labels.load import LABELS_DIR
from clonaguard.model import Case
from tests.dates import TODAY

PACKAGED_LEAFLET = LABELS_DIR / "klonopin-leaflet.txt"


def make_case(
    dose_mg: float = 0.5,
    times_per_day: int = 3,
    age_years: float = 34,
    *,
    patient: dict[str, Any] | None = None,
    **case: Any,
) -> Case:
    data: dict[str, Any] = {
        "today": "2026-03-01",
        "patient": {"age_years": age_years, **(patient or {})},
        "orders": [{"start": "2026-03-01", "dose_mg": dose_mg, "times_per_day": times_per_day}],
        **case,
    }
    return parse_case(data, today=TODAY)


def codes(findings: Any) -> dict[str, str]:
    """Finding code -> severity, for compact assertions."""
    return {finding.code: finding.severity.value for finding in findings}

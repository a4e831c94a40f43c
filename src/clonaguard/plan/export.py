"""A plan as JSON (the whole structure) or CSV (one row per administration of each step)."""

from __future__ import annotations

import csv
import io
import json

from clonaguard.plan.models import Plan
from clonaguard.regimens import format_mg

CSV_COLUMNS = ("step", "kind", "start", "end", "days", "daily_mg", "time", "dose_mg", "tablets")


def to_json(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), ensure_ascii=False, indent=2)


def to_csv(plan: Plan) -> str:
    """One row per administration of each step; doses written without float noise ("0.25", not "0.250000")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for step in plan.steps:
        for administration in step.administrations:
            writer.writerow(
                (
                    step.number,
                    step.kind,
                    step.start.isoformat(),
                    step.end.isoformat(),
                    step.days,
                    format_mg(step.daily_mg),
                    administration.time.strftime("%H:%M"),
                    format_mg(administration.dose_mg),
                    administration.tablets_text,
                )
            )
    return buffer.getvalue()

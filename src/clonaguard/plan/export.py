"""A plan as JSON (the whole structure) or CSV (one row per administration of each step), and the bounds every
export keeps so that one small request cannot ask for an unbounded answer."""

from __future__ import annotations

import csv
import io
import json

from clonaguard.errors import InvalidInputError
from clonaguard.plan.models import Plan
from clonaguard.regimens import format_mg

CSV_COLUMNS = ("step", "kind", "start", "end", "days", "daily_mg", "time", "dose_mg", "tablets")

# Bounds on work, not clinical limits: the longest plan exported (ten years) and the most rows or calendar series
# (one per administration time of each step) an export holds.
MAX_PLAN_DAYS = 3653
MAX_EXPORT_ROWS = 2000


def check_exportable(plan: Plan) -> None:
    """InvalidInputError naming the fields to change when the plan is longer or larger than an export holds."""
    days = (plan.last_day - plan.start).days + 1 if plan.steps else 0
    if days > MAX_PLAN_DAYS:
        raise InvalidInputError(
            f"interval_days: the plan would last {days} days; accepted: at most {MAX_PLAN_DAYS} days "
            "(choose fewer days between steps or a larger step_mg)"
        )
    rows = sum(len(step.administrations) for step in plan.steps)
    if rows > MAX_EXPORT_ROWS:
        raise InvalidInputError(
            f"step_mg: the plan would have {rows} administration times over its steps; accepted: at most "
            f"{MAX_EXPORT_ROWS} (choose a larger step_mg or fewer times a day)"
        )


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

"""Titration and taper plans in real tablets, with calendar (iCalendar), CSV and JSON export.

The public surface:

- `plan_titration(request, label) -> Plan` and `plan_taper(request, label) -> Plan`; both raise
  `InvalidInputError` naming the field and its accepted range when the label does not allow the request.
- `TitrationRequest`, `TaperRequest`: pydantic request models; `parse_request(model, data)` validates a
  dict or JSON and raises `InvalidInputError` whose message names each bad field.
- `Plan.to_case()`: the plan as a `Case` that `check` accepts without a warning or critical finding.
- `tablets_for(dose_mg, label, form)`: one dose in real tablets, or the nearest lower dose that exists.
- `to_ics(plan, label)`, `to_csv(plan)`, `to_json(plan)`: the exports.

Names are loaded on first use so that importing the command line stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clonaguard.lazy import lazy_exports

if TYPE_CHECKING:
    from clonaguard.plan.calendar import to_ics
    from clonaguard.plan.export import to_csv, to_json
    from clonaguard.plan.models import (
        Plan,
        PlanStep,
        TabletCount,
        TaperRequest,
        TimedDose,
        TitrationRequest,
        parse_request,
    )
    from clonaguard.plan.tablets import TabletChoice, tablets_for
    from clonaguard.plan.taper import plan_taper
    from clonaguard.plan.titration import plan_titration

_WHERE = {
    "TimedDose": "models",
    "Plan": "models",
    "PlanStep": "models",
    "TabletCount": "models",
    "TaperRequest": "models",
    "TitrationRequest": "models",
    "parse_request": "models",
    "TabletChoice": "tablets",
    "tablets_for": "tablets",
    "plan_taper": "taper",
    "plan_titration": "titration",
    "to_ics": "calendar",
    "to_csv": "export",
    "to_json": "export",
}


__getattr__ = lazy_exports(__name__, _WHERE)


__all__ = [
    "Plan",
    "PlanStep",
    "TabletChoice",
    "TabletCount",
    "TaperRequest",
    "TimedDose",
    "TitrationRequest",
    "parse_request",
    "plan_taper",
    "plan_titration",
    "tablets_for",
    "to_csv",
    "to_ics",
    "to_json",
]

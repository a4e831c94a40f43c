"""A plan as an iCalendar file (RFC 5545): one daily repeating event (RRULE) per administration time of each step,
the dose in tablets in its title; the file grows with the number of steps, not with the plan's days.

Events carry stable UIDs (the same plan imported twice updates rather than duplicates), a DTSTAMP, and either
a named time zone (with its VTIMEZONE, so that Outlook, Google Calendar and Apple Calendar agree) or floating
local times ("08:00 wherever the patient is") when no zone is given.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.plan.export import check_exportable, to_json
from clonaguard.plan.models import Plan, PlanStep, TimedDose
from clonaguard.regimens import format_mg

PRODID = "-//clonaguard//clonazepam plan//EN"
EVENT_MINUTES = 15


def zone(name: str | None) -> tzinfo | None:
    """An IANA time zone ("Europe/Berlin"), or None for floating local times."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInputError(
            f"tz: {name!r} is not a time zone; accepted: an IANA name such as Europe/Berlin"
        ) from exc


def event_title(administration: TimedDose) -> str:
    """ "Clonazepam 0.75 mg: 1½ × 0.5 mg tablets"."""
    return f"Clonazepam {format_mg(administration.dose_mg)} mg: {administration.tablets_text}"


def _description(plan: Plan, label: Label, step: PlanStep, administration: TimedDose) -> str:
    lines = [
        f"Take {administration.tablets_text} ({format_mg(administration.dose_mg)} mg of clonazepam) "
        f"{plan.instructions}.",
        f"Daily dose {format_mg(step.daily_mg)} mg, step {step.number} of {len(plan.steps)} "
        f"({step.start} to {step.end}).",
        f"Leaflet: “{plan.instructions_source}”",
    ]
    if step is plan.steps[-1] and administration is step.administrations[-1]:
        if plan.stop is not None:
            lines.append(f"The last dose of the plan is this one on {plan.last_day}: the course stops on {plan.stop}.")
        else:
            advice = label.recommendations.no_abrupt_stop.advice
            lines.append(
                f"{plan.last_day} is the last planned day of the course: see your doctor about what comes next. "
                f"{advice}"
            )
    return "\n".join(lines)


def to_ics(plan: Plan, label: Label, tz: str | None = None, stamp: datetime | None = None) -> bytes:
    """The plan as iCalendar bytes; `stamp` (UTC, default now) is each event's DTSTAMP."""
    check_exportable(plan)
    where = zone(tz)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    key = hashlib.sha256(to_json(plan).encode("utf-8")).hexdigest()[:16]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Clonazepam {plan.kind} plan")
    if tz is not None:
        calendar.add("x-wr-timezone", tz)
    duration = timedelta(minutes=EVENT_MINUTES)
    for step in plan.steps:
        for administration in step.administrations:
            start = datetime.combine(step.start, administration.time, tzinfo=where)
            event = Event()
            event.add("uid", f"{key}-{step.start:%Y%m%d}-{administration.time:%H%M}@clonaguard")
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", start + duration)
            event.add("rrule", {"freq": "daily", "count": step.days})
            event.add("summary", event_title(administration))
            event.add("description", _description(plan, label, step, administration))
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", event_title(administration))
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
            calendar.add_component(event)
    if where is not None and plan.steps:
        calendar.add_missing_timezones(first_date=plan.start, last_date=plan.last_day + timedelta(days=1))
    data: bytes = calendar.to_ical()
    return data


__all__ = ["PRODID", "event_title", "to_ics", "zone"]

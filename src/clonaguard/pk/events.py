"""NONMEM-style dosing records (time, amt, evid, cmt, ii, addl, ss, rate) and their expansion.

Compartments are numbered as in ADVAN2/ADVAN4: 1 the depot (gut), 2 the central compartment, 3 the
peripheral one. A dose into compartment 2 is an intravenous dose (the ADVAN1/ADVAN3 case).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from clonaguard.errors import InvalidInputError

OBSERVATION, DOSE, OTHER, RESET, RESET_DOSE = 0, 1, 2, 3, 4
DEPOT, CENTRAL, PERIPHERAL = 1, 2, 3


@dataclass(frozen=True, slots=True)
class Event:
    """One data record. `addl` more doses follow every `ii` hours; `ss` 1 resets to steady state, 2 adds it;
    `rate` above 0 makes the dose an infusion of `rate` amount units per hour."""

    time: float
    amt: float = 0.0
    evid: int = DOSE
    cmt: int = DEPOT
    ii: float = 0.0
    addl: int = 0
    ss: int = 0
    rate: float = 0.0

    @property
    def is_dose(self) -> bool:
        return self.evid in (DOSE, RESET_DOSE)

    @property
    def resets(self) -> bool:
        return self.evid in (RESET, RESET_DOSE) or (self.is_dose and self.ss == 1)


def validate(events: Iterable[Event], compartments: int, field: str = "events") -> list[Event]:
    """The records in time order (stable), or InvalidInputError naming the first bad record and field."""
    checked = []
    for index, event in enumerate(events):
        where = f"{field}[{index}]"
        problems = _problems(event, compartments)
        if problems:
            raise InvalidInputError(f"{where}.{problems[0]}")
        checked.append(event)
    return sorted(checked, key=lambda event: event.time)


def _problems(event: Event, compartments: int) -> list[str]:
    problems = []
    if not event.time >= 0:
        problems.append(f"time: {event.time:g} h is before time 0 (the first dose); accepted: 0 or later")
    if event.evid not in (OBSERVATION, DOSE, OTHER, RESET, RESET_DOSE):
        problems.append(f"evid: {event.evid}; accepted: 0 to 4")
    if not 1 <= event.cmt <= compartments:
        problems.append(f"cmt: {event.cmt}; accepted: 1 to {compartments}")
    if event.is_dose:
        if not event.amt > 0:
            problems.append(f"amt: a dose of {event.amt:g}; accepted: above 0")
        if not event.rate >= 0:
            problems.append(f"rate: {event.rate:g}; accepted: 0 (a bolus) or above (an infusion)")
        if event.ss not in (0, 1, 2):
            problems.append(f"ss: {event.ss}; accepted: 0, 1 or 2")
        if (event.addl or event.ss) and not event.ii > 0:
            problems.append("ii: the dosing interval must be above 0 for addl or ss doses")
    if event.addl < 0:
        problems.append(f"addl: {event.addl}; accepted: 0 or more")
    return problems


def expand(events: Iterable[Event]) -> list[Event]:
    """Every `addl` written out as its own record; the first keeps `ss`, the others are plain doses."""
    expanded: list[Event] = []
    for event in events:
        expanded.append(replace(event, addl=0))
        for k in range(1, event.addl + 1):
            expanded.append(replace(event, time=event.time + k * event.ii, addl=0, ss=0, evid=DOSE))
    return sorted(expanded, key=lambda event: event.time)


__all__ = [
    "CENTRAL",
    "DEPOT",
    "DOSE",
    "OBSERVATION",
    "OTHER",
    "PERIPHERAL",
    "RESET",
    "RESET_DOSE",
    "Event",
    "expand",
    "validate",
]

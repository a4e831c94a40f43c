"""A daily maximum: "max 3 tablets per day", "max 3/day", "not to exceed 2 mg in 24 hours"."""

from __future__ import annotations

import re

from clonaguard.sig.dose import FORM, MASS_UNIT, form_unit, written_mass
from clonaguard.sig.phrases import PhrasePattern, pattern
from clonaguard.sig.reading import StepReading
from clonaguard.sig.written_numbers import NUMBER, number_value


def _maximum(match: re.Match[str], reading: StepReading) -> None:
    value = number_value(match.group("n"))
    if match.group("mass"):
        reading.maxima.append((written_mass(value, match.group("mass")).mg, "mg"))
    elif match.group("form"):
        reading.maxima.append((value, form_unit(match.group("form"))))
    elif match.group().startswith("up to"):
        reading.unparsed.append(match.group())
        reading.errors.append(f"{match.group()!r}: up to how many of what is not said")
    else:
        reading.maxima.append((value, "dose"))


PATTERNS: tuple[PhrasePattern, ...] = (
    pattern(
        r"\b(?:max(?:imum)?(?: dose)?(?: of)?|mdd|nte|not to exceed|do not exceed|don't exceed|no more than"
        r"|not more than|up to)[:.]? ?(?P<n>"
        + NUMBER
        + r") ?(?:(?P<mass>"
        + MASS_UNIT
        + r")|(?P<form>"
        + FORM
        + r")|(?P<doses>doses?|times))?\b ?(?:/|per|a|in|each|every|in any|within)? ?(?:day|daily|d|24 ?(?:h|hrs?"
        r"|hours?))\b",
        "max maximum mdd nte not do don't no up",
        _maximum,
    ),
    # Epic: "Max Daily Amount: 1 mg".
    pattern(
        r"\bmax(?:imum)? daily (?:amount|dose)[:.]? ?(?P<n>"
        + NUMBER
        + r") ?(?:(?P<mass>"
        + MASS_UNIT
        + r")|(?P<form>"
        + FORM
        + r"))\b",
        "max maximum",
        _maximum,
    ),
)


def decide(reading: StepReading) -> tuple[float, str] | None:
    found = set(reading.maxima)
    if len(found) > 1:
        reading.errors.append("two different daily maximums are written")
        return None
    return found.pop() if found else None

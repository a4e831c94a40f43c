"""How long a step lasts: "for 3 months", "x 10 days", UK "for 2/52"."""

from __future__ import annotations

import re

from clonaguard.sig.model import PeriodUnit
from clonaguard.sig.phrases import PhrasePattern, pattern
from clonaguard.sig.reading import StepReading
from clonaguard.sig.written_numbers import NUMBER, number_value

_UNIT = r"(?P<unit>days?|dys|d|weeks?|wks?|w|months?|mths?|mos?|years?|yrs?|y)"
_UNITS: dict[str, PeriodUnit] = {"d": "d", "w": "wk", "m": "mo", "y": "a"}
_FRACTION_UNITS: dict[str, PeriodUnit] = {"7": "d", "52": "wk", "12": "mo"}


def _fraction(match: re.Match[str], reading: StepReading) -> None:
    reading.durations.append((int(match.group("n")), _FRACTION_UNITS[match.group("d")]))


def _duration(match: re.Match[str], reading: StepReading) -> None:
    text = match.group().strip()
    if match.group("range"):
        reading.unparsed.append(text)
        reading.errors.append(f"a duration range ({text}) is not a single duration")
        return
    words = match.group("n")
    value = 1.0 if words in {"a", "an"} else number_value(words)
    if value <= 0 or value != int(value):
        reading.unparsed.append(text)
        reading.errors.append(f"the duration {text!r} is not a whole number")
        return
    reading.durations.append((value, _UNITS[match.group("unit")[0]]))


_PREFIX = r"\b(?:for|x|during|over)(?: the next| a period of)? ?"
_RANGE = r"(?P<range> ?(?:-|to) ?" + NUMBER + r")?"
# With "for" or "x": read before frequencies, so "x 3 days" is never "every 3 days".
PREFIXED: tuple[PhrasePattern, ...] = (
    pattern(r"\b(?:for|x) ?(?P<n>\d{1,3})/(?P<d>7|52|12)\b", "for x", _fraction),
    pattern(_PREFIX + r"(?P<n>" + NUMBER + r"|an?)" + _RANGE + r" ?" + _UNIT + r"\b", "for x during over", _duration),
)
# "10 days" without "for": tried after frequencies and doses at the same word.
BARE = pattern(
    r"(?<![\w.,/-])(?P<n>" + NUMBER + r")" + _RANGE + r" ?" + _UNIT + r"\b",
    "#",
    _duration,
    ("d", "w", "mo", "mth", "y"),
)

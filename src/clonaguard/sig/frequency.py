"""Frequency and interval with FHIR Timing semantics: "tid", "q8h", "three times a day", "nocte", "1-0-1"."""

from __future__ import annotations

import re
from functools import lru_cache

from clonaguard.errors import InvalidInputError
from clonaguard.sig.model import PeriodUnit
from clonaguard.sig.phrases import PhrasePattern, pattern
from clonaguard.sig.reading import Amount, StepReading, TimingSpec
from clonaguard.sig.written_numbers import NUMBER, RANGE_SEPARATOR, exact_count, number_value
from clonaguard.units import DAYS_PER_UNIT


def _quantity(prefix: str) -> str:
    return rf"(?P<{prefix}low>{NUMBER})(?:{RANGE_SEPARATOR}(?P<{prefix}high>{NUMBER}))?"


_START = r"(?<![\w.,/-])"
_ABBREVIATIONS: dict[str, tuple[int, str | None]] = {
    "qd": (1, None), "od": (1, None), "daily": (1, None), "every day": (1, None), "each day": (1, None),
    "qday": (1, None), "q day": (1, None), "bid": (2, None), "bd": (2, None), "tid": (3, None), "tds": (3, None),
    "qid": (4, None), "qds": (4, None), "qam": (1, "MORN"), "q am": (1, "MORN"), "qpm": (1, "EVE"),
    "q pm": (1, "EVE"), "qhs": (1, "HS"), "q hs": (1, "HS"), "nightly": (1, "NIGHT"),
}  # fmt: skip
_SLOT_CODES = {
    "morning": "MORN", "mornings": "MORN", "am": "MORN", "mane": "MORN", "noon": "NOON", "midday": "NOON",
    "lunchtime": "NOON", "afternoon": "AFT", "afternoons": "AFT", "evening": "EVE", "evenings": "EVE", "pm": "EVE",
    "night": "NIGHT", "nights": "NIGHT", "nocte": "NIGHT", "bedtime": "HS", "bed": "HS", "hs": "HS",
}  # fmt: skip
# Each code is one time of the day; bedtime and night are the same time of the day.
_SLOT_OF = {"MORN": "MORN", "NOON": "NOON", "AFT": "AFT", "EVE": "EVE", "NIGHT": "NIGHT", "HS": "NIGHT"}
_SCHEMA_PART = re.compile(r"\d+/\d|\d+(?:[.,]\d+)?")
_SCHEMA_SLOTS = {3: ("MORN", "NOON", "EVE"), 4: ("MORN", "NOON", "EVE", "NIGHT")}
_UNIT_OF: dict[str, PeriodUnit] = {"d": "d", "w": "wk", "m": "mo"}


def _range(match: re.Match[str], prefix: str) -> tuple[float, float | None]:
    low = number_value(match.group(f"{prefix}low"))
    high_text = match.group(f"{prefix}high")
    high = number_value(high_text) if high_text else None
    if high is not None and high <= low:
        raise InvalidInputError(f"{match.group().strip()!r} is not a range from low to high")
    return low, high


def _whole(value: float, text: str) -> int:
    if value != int(value) or value <= 0:
        raise InvalidInputError(f"{text!r}: a number of times must be a whole number")
    return int(value)


def _positive(value: float, text: str) -> float:
    if value <= 0:
        raise InvalidInputError(f"{text!r}: an interval must be longer than zero")
    return value


def _schema(match: re.Match[str], reading: StepReading) -> None:
    reading.schema_seen = True
    parts = [number_value(part) for part in _SCHEMA_PART.findall(match.group())]
    given = {value for value in parts if value}
    if len(given) != 1:
        reading.unparsed.append(match.group())
        reading.errors.append(f"{match.group()!r} gives different doses at different times of the day")
        return
    count = given.pop()
    reading.counts.append(Amount(count, count, "tablet", match.start(), match.group()))
    when = tuple(code for code, value in zip(_SCHEMA_SLOTS[len(parts)], parts, strict=True) if value)
    reading.timings.append(TimingSpec(len(when), None, 1, None, "d", when))


def _times(match: re.Match[str], reading: StepReading) -> None:
    low, high = _range(match, "f")
    word = match.group("per")
    period, unit = (24.0, "h") if word.startswith("24") else (1.0, "wk" if word.startswith("w") else "d")
    frequency_max = None if high is None else _whole(high, match.group())
    reading.timings.append(TimingSpec(_whole(low, match.group()), frequency_max, period, None, unit))


def _word_times(match: re.Match[str], reading: StepReading) -> None:
    count = {"once": 1, "twice": 2, "thrice": 3}[match.group("w")]
    word = match.group("per")
    when = ("NIGHT",) if word == "nightly" else ()
    unit: PeriodUnit = "wk" if word.startswith("week") else "d"
    reading.timings.append(TimingSpec(count, None, 1, None, unit, when))


_DAILY = TimingSpec(1, None, 1, None, "d")


def _once(match: re.Match[str], reading: StepReading) -> None:
    reading.timings.append(_DAILY)


def _up_to(match: re.Match[str], reading: StepReading) -> None:
    count = _whole(number_value(match.group("n")), match.group())
    reading.timings.append(TimingSpec(None, count, 1, None, "d"))


def _hours(match: re.Match[str], reading: StepReading) -> None:
    low, high = _range(match, "p")
    reading.timings.append(TimingSpec(1, None, _positive(low, match.group()), high, "h"))


def _days(match: re.Match[str], reading: StepReading) -> None:
    low, high = _range(match, "p")
    unit = _UNIT_OF[match.group("unit")[0]]
    reading.timings.append(TimingSpec(1, None, _positive(low, match.group()), high, unit))


def _other_day(match: re.Match[str], reading: StepReading) -> None:
    reading.timings.append(TimingSpec(1, None, 2, None, "d"))


def _weekly(match: re.Match[str], reading: StepReading) -> None:
    reading.timings.append(TimingSpec(1, None, 1, None, "wk"))


def _abbreviation(match: re.Match[str], reading: StepReading) -> None:
    count, code = _ABBREVIATIONS[match.group("a")]
    reading.timings.append(TimingSpec(count, None, 1, None, "d", (code,) if code else ()))


def _slot(match: re.Match[str], reading: StepReading) -> None:
    code = _SLOT_CODES[match.group("slot")]
    reading.slots.append(code)
    reading.slot_marks.append((match.start(), _SLOT_OF[code]))


_SLOT_WORDS = " ".join(_SLOT_CODES)
SCHEMA = pattern(
    r"(?<![\w.,/-])(?:\d+(?:[.,]\d+)?|1/[24])(?: ?- ?(?:\d+(?:[.,]\d+)?|1/[24])){2,3}(?![\w.,/-])",
    "#",
    _schema,
    ("-",),
)
_UP_TO_WORDS = {"bd": 2, "bid": 2, "tds": 3, "tid": 3, "qds": 4, "qid": 4}


def _up_to_abbreviation(match: re.Match[str], reading: StepReading) -> None:
    reading.timings.append(TimingSpec(None, _UP_TO_WORDS[match.group("a")], 1, None, "d"))


def _times_before(match: re.Match[str], reading: StepReading) -> None:
    reading.timings.append(TimingSpec(int(match.group("n")), None, 1, None, "d"))


UP_TO: tuple[PhrasePattern, ...] = (
    pattern(r"\bup to (?P<n>" + NUMBER + r") ?(?:x|times) ?(?:a |per |each |/ ?)?(?:day|daily)\b", "up", _up_to),
    pattern(r"\b(?:up to|max(?:imum)?) (?P<a>bd|bid|tds|tid|qds|qid)\b", "up max maximum", _up_to_abbreviation),
    pattern(r"\bx ?(?P<n>[1-9]) ?(?:/ ?|a |per )(?:day|d)\b", "x", _times_before),
)
# UK "ON" (omni nocte) and "OM" (omni mane) only as the last word of a phrase, never the English "on".
_END_SLOTS = {"on": "NIGHT", "om": "MORN"}


def _end_slot(match: re.Match[str], reading: StepReading) -> None:
    code = _END_SLOTS[match.group("slot")]
    reading.slots.append(code)
    reading.slot_marks.append((match.start(), _SLOT_OF[code]))


END_SLOT = pattern(r"\b(?P<slot>on|om)(?= ?(?:$|[,;.]))", "on om", _end_slot)
PATTERNS: tuple[PhrasePattern, ...] = (
    pattern(
        r"(?:\bx ?(?=\d+ ?times?\b))?"
        + _START
        + _quantity("f")
        + r" ?(?:x|times?) ?(?:a |per |each |every |/ ?|in (?:a |the )?)?"
        r"(?P<per>day|daily|d|week|weekly|wk|24 ?h(?:ours|rs|r)?|täglich|tgl)(?![\w])",
        "# x",
        _times,
        ("x", "time"),
    ),
    pattern(
        r"\b(?:once weekly|weekly|every week|each week|qw|q ?week)\b", "once weekly every each qw q qweek", _weekly
    ),
    pattern(
        r"\b(?P<w>once|twice|thrice) ?(?:a |per |each |every |/ ?)?(?P<per>day|daily|week|weekly|nightly)\b",
        "once twice thrice",
        _word_times,
    ),
    pattern(r"\bonce(?= (?:at |in the |every |each )?(?:night|bedtime|morning|evening|hs)\b)", "once", _once),
    pattern(r"\b(?:every|each|q) ?" + _quantity("p") + r" ?(?:h|hr|hrs|hours?)\b", "every each q", _hours),
    pattern(_START + _quantity("p") + r" ?-?hourly\b", "#", _hours, ("hourly",)),
    pattern(r"\b(?:every|q) ?" + _quantity("p") + r" ?(?P<unit>days?|d|weeks?|wks?|months?)\b", "every q", _days),
    pattern(
        r"\b(?:(?:every|each|on) )?(?:other|alternate|second|2nd) days?\b|\bqod\b|\beod\b",
        "every each on other alternate second 2nd qod eod",
        _other_day,
    ),
    pattern(
        r"\b(?P<a>qd|od|daily|every day|each day|q ?day|bid|bd|tid|tds|qid|qds|qam|qpm|qhs|q ?am|q ?pm|q ?hs"
        r"|nightly)\b",
        "qd od daily every each q qday bid bd tid tds qid qds qam qpm qhs nightly",
        _abbreviation,
    ),
    pattern(
        r"(?:\b|(?<=\d))(?:in the |every |each |at |before )?(?P<slot>"
        + "|".join(sorted(_SLOT_CODES, key=len, reverse=True))
        + r")\b",
        "in every each at before " + _SLOT_WORDS,
        _slot,
    ),
)


def decide(reading: StepReading, food_when: list[str], once_a_day: bool) -> TimingSpec | None:
    """One timing from the step's frequency phrases and times of day, or an error when they disagree."""
    if not reading.slots and not once_a_day and len(reading.timings) <= 1:  # the common case, read directly
        if not reading.timings:
            return TimingSpec(None, None, None, None, None, tuple(food_when)) if food_when else None
        only = reading.timings[0]
        return only._replace(when=(*only.when, *(c for c in food_when if c not in only.when))) if food_when else only
    explicit = list(dict.fromkeys(reading.timings))
    if once_a_day:
        explicit.append(_DAILY)
    codes = list(dict.fromkeys(reading.slots))
    for timing in explicit:
        codes.extend(code for code in timing.when if code not in codes)
    slot_count = len({_SLOT_OF[code] for code in codes})
    counts = {timing[:5] for timing in explicit}
    if len(counts) > 1:
        reading.errors.append("two different frequencies are written")
        return None
    when = tuple(codes + [code for code in food_when if code not in codes])
    if counts:
        frequency, frequency_max, period, period_max, unit = counts.pop()
        daily = (period, unit, frequency_max, period_max) == (1, "d", None, None)
        if slot_count and daily and frequency != slot_count:
            written = ", ".join(codes)
            reading.errors.append(f"{frequency} times a day disagrees with the times of day written ({written})")
            return None
        if slot_count and not daily and (unit not in {"d", "wk"} or frequency != slot_count or frequency_max):
            reading.errors.append("an interval and times of the day are both written")
            return None
        return TimingSpec(frequency, frequency_max, period, period_max, unit, when)
    if slot_count:
        return TimingSpec(slot_count, None, 1, None, "d", when)
    if when:
        return TimingSpec(None, None, None, None, None, when)
    return None


_PER_DAY_FACTOR = {unit: float(1 / DAYS_PER_UNIT[unit]) for unit in ("min", "h", "d", "wk")}


@lru_cache(maxsize=256)  # a few dozen rhythms recur from sig to sig; equal specs give equal counts
def times_per_day(timing: TimingSpec | None) -> tuple[float | None, float] | None:
    """Administrations per day (a range for "q4-6h" or "1-2 times a day"); None when not a daily rhythm."""
    if timing is None or timing.period is None or timing.period_unit not in _PER_DAY_FACTOR:
        return None
    high_count = timing.frequency_max or timing.frequency
    if high_count is None:
        return None
    factor = _PER_DAY_FACTOR[timing.period_unit]
    high = exact_count(high_count * factor / timing.period)
    if timing.frequency is None:
        return None, high
    return exact_count(timing.frequency * factor / (timing.period_max or timing.period)), high

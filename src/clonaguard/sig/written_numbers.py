"""Numbers as sigs write them: decimals (point or comma), fractions, words, ranges, roman counts.

Decimals are read by `clonaguard.numbers.parse_decimal`, the project's one decimal reader. Amounts of drug
are exact `clonaguard.units.Mass` values; `exact_count` is for counts and rates only.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from clonaguard.errors import InvalidInputError
from clonaguard.numbers import parse_decimal

_WORDS = {
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "eleven": 11.0,
    "twelve": 12.0,
    "fourteen": 14.0,
    "fifteen": 15.0,
    "twenty": 20.0,
    "thirty": 30.0,
    "sixty": 60.0,
    "ninety": 90.0,
    "single": 1.0,
}
_HALVES = {"half": 0.5, "a half": 0.5, "one half": 0.5, "half a": 0.5, "quarter": 0.25, "a quarter": 0.25}
ROMAN = {"i": 1.0, "ii": 2.0, "iii": 3.0, "iv": 4.0}

# Digits only: number words are written as digits by `normalise`. No nested quantifiers, so every
# piece matches in linear time, whatever the input.
NUMBER = r"(?:\d+ \d+/[24](?![\d/])|\d+/[24](?![\d/])|(?<![\d.,])(?:\d+(?:[.,]\d+)*|[.,]\d+)(?![.,]?\d))"
RANGE_SEPARATOR = r"(?: ?(?:-|to|or) ?)"
# A number, or a range of two: "1-2", "1 to 2", "1 or 2".
QUANTITY = r"(?P<low>" + NUMBER + r")(?:" + RANGE_SEPARATOR + r"(?P<high>" + NUMBER + r"))?"

_MIXED = re.compile(r"(\d+) (\d+)/(\d+)")
_FRACTION = re.compile(r"(\d+)/(\d+)")
_AND_HALF = re.compile(r"(.+) and (?:a|one) half")


# No dose, count, interval or duration comes near it; beyond it, a product of amounts could overflow a float.
LARGEST = 10.0**12


@lru_cache(maxsize=1024)
def number_value(text: str) -> float:
    """The value of one number as NUMBER matched it; InvalidInputError when it is not a number."""
    try:
        value = _value(text.strip())
    except OverflowError:
        value = math.inf
    if value > LARGEST:
        raise InvalidInputError(f"sig: {text.strip()[:40]!r} is too large to be a dose, count or duration")
    return value


def _value(text: str) -> float:
    if text in _WORDS:
        return _WORDS[text]
    if text in _HALVES:
        return _HALVES[text]
    if text in ROMAN:
        return ROMAN[text]
    match = _AND_HALF.fullmatch(text)
    if match:
        return _value(match.group(1)) + 0.5
    match = _MIXED.fullmatch(text)
    if match:
        whole, numerator, denominator = (int(part) for part in match.groups())
        return whole + numerator / denominator
    match = _FRACTION.fullmatch(text)
    if match:
        numerator, denominator = (int(part) for part in match.groups())
        if denominator == 0:
            raise InvalidInputError(f"sig: {text!r} divides by zero")
        if numerator >= denominator:
            whole, rest = divmod(numerator, denominator)
            mixed = f"{whole} {rest}/{denominator}" if rest else str(whole)
            raise InvalidInputError(
                f"sig: {text!r} is an improper fraction, often a typo (write {mixed} or {numerator / denominator:g})"
            )
        return numerator / denominator
    return parse_decimal(text, "sig")


def exact_count(value: float) -> float:
    """A count or a rate without binary noise (24 / 7 hours a day): nine decimals. Masses are `units.Mass`."""
    return round(value, 9)

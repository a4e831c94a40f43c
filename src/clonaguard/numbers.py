"""Reading decimal numbers as people write them, without ever guessing."""

from __future__ import annotations

import re

from clonaguard.errors import InvalidInputError

_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_DECIMAL_COMMA = re.compile(r"0,\d+|\d+,\d{1,2}|\d+,\d{4,}")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")


def parse_decimal(text: str, field: str | None = None) -> float:
    """Read "0.5", "0,5" (decimal comma) or "1,000" (thousands) exactly; refuse anything else.

    A comma followed by exactly three digits is a thousands separator ("1,000" is one thousand),
    as it is in prescriptions; "0,5", "0,500" and "1,25" are decimal commas.
    """
    value = text.strip()
    if _PLAIN.fullmatch(value):
        return float(value)
    if _DECIMAL_COMMA.fullmatch(value):
        return float(value.replace(",", "."))
    if _THOUSANDS.fullmatch(value):
        return float(value.replace(",", ""))
    problem = f"{text!r} is not a number (write it like 0.5 or 0,5)"
    raise InvalidInputError(f"{field}: {problem}" if field else problem)

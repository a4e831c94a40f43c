"""Reading decimal numbers as people write them, without ever guessing.

The whole project reads numbers with `parse_decimal`; amounts are compared in `clonaguard.units`.
"""

from __future__ import annotations

import re

from clonaguard.errors import InvalidInputError

_PLAIN = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?|\.\d+")
_DECIMAL_COMMA = re.compile(r"(?:0|[1-9]\d*),\d+|,\d+")
# "1,000" and "2.500": thousands in one convention, decimals in the other. Only "0,500" and "0.500" are clear.
_EITHER_WAY = re.compile(r"[1-9]\d*[.,]\d{3}")


def parse_decimal(text: str, field: str | None = None) -> float:
    """Read "0.5" or "0,5" (decimal comma) exactly; refuse anything that could be read two ways.

    "1,000" and "2.500" are refused: a comma or point before exactly three digits is a thousands
    separator in one convention and a decimal mark in the other. "0,125", "0,500" and "1,25" are decimals.
    A leading zero before a digit ("05") is refused: 0.5 or 5?
    """
    value = text.strip()
    if _EITHER_WAY.fullmatch(value):
        whole, decimals = re.split(r"[.,]", value)
        decimal = f"{whole}.{decimals}".rstrip("0").rstrip(".")
        problem = (
            f"{text!r} could be {whole}{decimals} or {decimal} (a comma or point before three digits separates "
            f"thousands in one convention and decimals in the other); write {whole}{decimals} or {decimal}"
        )
    elif _PLAIN.fullmatch(value):
        return float(value)
    elif _DECIMAL_COMMA.fullmatch(value):
        return float(value.replace(",", "."))
    elif re.fullmatch(r"0\d+(?:[.,]\d+)?", value):
        problem = f"{text!r} has a leading zero (write 0.{value[1:]} or {value.lstrip('0')})"
    else:
        problem = f"{text!r} is not a number (write it like 0.5 or 0,5)"
    raise InvalidInputError(f"{field}: {problem}" if field else problem)

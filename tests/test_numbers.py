"""Decimal numbers as people write them; anything unclear is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clonaguard.errors import InvalidInputError
from clonaguard.numbers import parse_decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.5", 0.5),
        ("0,5", 0.5),
        (".5", 0.5),
        ("2", 2.0),
        ("1,25", 1.25),
        ("0,500", 0.5),
        ("0.500", 0.5),
        ("0,125", 0.125),
        ("1000", 1000.0),
        (" 3 ", 3.0),
        ("0,0625", 0.0625),
    ],
)
def test_reads(text: str, value: float) -> None:
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    "text", ["", "abc", "1.2.3", "1,2,3", "0,5,0", "-1", "1e3", "½", "1 000", "1,00,000", "nan", "05", "1,000.5"]
)
def test_refuses(text: str) -> None:
    with pytest.raises(InvalidInputError, match="dose_mg"):
        parse_decimal(text, "dose_mg")


@pytest.mark.parametrize("text", ["1,000", "2.500", "1.000", "12,500", "1,250"])
def test_refuses_a_mark_before_three_digits_saying_how_to_write_it(text: str) -> None:
    """Thousands in one convention, decimals in the other: never guessed."""
    whole, decimals = text.replace(".", ",").split(",")
    with pytest.raises(InvalidInputError, match=f"write {whole}{decimals} or"):
        parse_decimal(text)


@given(st.integers(0, 999), st.text("0123456789", min_size=1, max_size=6))
def test_decimal_comma_equals_decimal_point(whole: int, fraction: str) -> None:
    """Except "N,ddd" and "N.ddd" with N > 0, which are refused either way."""
    point, comma = f"{whole}.{fraction}", f"{whole},{fraction}"
    if whole > 0 and len(fraction) == 3:
        for text in (point, comma):
            with pytest.raises(InvalidInputError):
                parse_decimal(text)
    else:
        assert parse_decimal(comma) == parse_decimal(point) == float(point)

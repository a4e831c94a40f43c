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
        ("1,000", 1000.0),
        ("12,500", 12500.0),
        ("1,000.5", 1000.5),
        (" 3 ", 3.0),
        ("0,0625", 0.0625),
    ],
)
def test_reads(text: str, value: float) -> None:
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,2,3", "0,5,0", "-1", "1e3", "½", "1 000", "1,00,000", "nan"])
def test_refuses(text: str) -> None:
    with pytest.raises(InvalidInputError, match="dose_mg"):
        parse_decimal(text, "dose_mg")


@given(st.integers(0, 999), st.text("0123456789", min_size=1, max_size=6))
def test_decimal_comma_equals_decimal_point(whole: int, fraction: str) -> None:
    """Except "N,ddd" with N > 0, which is a thousands separator as in "1,000 mg"."""
    if whole > 0 and len(fraction) == 3:
        assert parse_decimal(f"{whole},{fraction}") == whole * 1000 + int(fraction)
    else:
        point = f"{whole}.{fraction}"
        assert parse_decimal(f"{whole},{fraction}") == parse_decimal(point) == float(point)

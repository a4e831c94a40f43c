"""Daily maximums."""

from __future__ import annotations

import pytest

from clonaguard.sig import parse_sig


@pytest.mark.parametrize(
    ("sig", "value", "unit"),
    [
        ("1 tab q8h prn, max 3/day", 3, "dose"),
        ("1 tab prn, max 3 tablets per day", 3, "tablet"),
        ("1 tab prn, max 3 tabs/day", 3, "tablet"),
        ("1 tab prn, not to exceed 2 tablets in 24 hours", 2, "tablet"),
        ("0.5 mg prn, maximum 2 mg per day", 2, "mg"),
        ("0.5 mg prn, max 500 mcg per day", 0.5, "mg"),
        ("1 tab prn, no more than 3 doses a day", 3, "dose"),
        ("1 tab prn max 3 in 24 hours", 3, "dose"),
    ],
)
def test_maximums(sig: str, value: float, unit: str) -> None:
    maximum = parse_sig(sig).max_per_day
    assert maximum is not None and (maximum.value, maximum.unit) == (value, unit)


def test_up_to_times_a_day_is_a_frequency_not_a_maximum() -> None:
    parsed = parse_sig("1 mg up to 3 times a day")
    assert parsed.max_per_day is None
    assert parsed.timing is not None and parsed.timing.frequency_max == 3


def test_two_maximums_are_an_error() -> None:
    parsed = parse_sig("0.5 mg tid max 2 mg/day max 3 mg/day")
    assert parsed.max_per_day is None and parsed.errors

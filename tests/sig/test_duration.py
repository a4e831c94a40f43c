"""Duration: "for 3 months", "x 10 days", UK "for 2/52"."""

from __future__ import annotations

import pytest

from clonaguard.sig import parse_sig


@pytest.mark.parametrize(
    ("sig", "value", "unit"),
    [
        ("0.5 mg tid for 3 months", 3, "mo"),
        ("0.5 mg tid x 10 days", 10, "d"),
        ("0.5 mg tid x10d", 10, "d"),
        ("0.5 mg tid for 2 weeks", 2, "wk"),
        ("0.5 mg tid for a month", 1, "mo"),
        ("0.5 mg tid for one week", 1, "wk"),
        ("0.5 mg tid for 2/52", 2, "wk"),
        ("0.5 mg tid x 5/7", 5, "d"),
        ("0.5 mg tid for 3/12", 3, "mo"),
        ("0.5 mg tid 14 days", 14, "d"),
        ("0.5 mg tid x 1 yr", 1, "a"),
    ],
)
def test_durations(sig: str, value: float, unit: str) -> None:
    duration = parse_sig(sig).duration
    assert duration is not None and (duration.value, duration.unit) == (value, unit)


def test_every_three_days_is_a_frequency_not_a_duration() -> None:
    parsed = parse_sig("0.5 mg every 3 days")
    assert parsed.duration is None
    assert parsed.timing is not None and parsed.timing.period == 3


@pytest.mark.parametrize("sig", ["0.5 mg tid for 2-3 months", "0.5 mg tid for 3 days for 5 days"])
def test_uncertain_durations(sig: str) -> None:
    parsed = parse_sig(sig)
    assert parsed.duration is None
    assert parsed.errors

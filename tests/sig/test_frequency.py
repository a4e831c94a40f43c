"""Frequency and interval with FHIR Timing semantics, and administrations per day."""

from __future__ import annotations

import pytest

from clonaguard.sig import parse_sig
from tests.sig.helpers import per_day, timing

DAILY = (1, None, 1.0, None, "d")


@pytest.mark.parametrize(
    ("sig", "frequency"),
    [
        ("0.5 mg qd", 1), ("0.5 mg od", 1), ("0.5 mg daily", 1), ("0.5 mg once daily", 1), ("0.5 mg every day", 1),
        ("0.5 mg bid", 2), ("0.5 mg b.i.d.", 2), ("0.5 mg bd", 2), ("0.5 mg twice a day", 2),
        ("0.5 mg tid", 3), ("0.5 mg t.i.d.", 3), ("0.5 mg tds", 3), ("0.5 mg three times a day", 3),
        ("0.5 mg 3 times daily", 3), ("0.5 mg 3x daily", 3), ("0.5 mg 3 x a day", 3), ("0.5 mg x3/day", 3),
        ("0.5 mg qid", 4), ("0.5 mg qds", 4), ("0.5 mg four times a day", 4),
    ],
)  # fmt: skip
def test_times_a_day(sig: str, frequency: int) -> None:
    assert timing(sig) == (frequency, None, 1.0, None, "d")
    assert per_day(parse_sig(sig)) == (frequency, frequency)


@pytest.mark.parametrize(
    ("sig", "expected", "per_day_range"),
    [
        ("0.5 mg q8h", (1, None, 8.0, None, "h"), (3.0, 3.0)),
        ("0.5 mg q 12 h", (1, None, 12.0, None, "h"), (2.0, 2.0)),
        ("0.5 mg every 6 hours", (1, None, 6.0, None, "h"), (4.0, 4.0)),
        ("0.5 mg 8 hourly", (1, None, 8.0, None, "h"), (3.0, 3.0)),
        ("0.5 mg q4-6h prn", (1, None, 4.0, 6.0, "h"), (4.0, 6.0)),
        ("0.5 mg every other day", (1, None, 2.0, None, "d"), (0.5, 0.5)),
        ("0.5 mg qod", (1, None, 2.0, None, "d"), (0.5, 0.5)),
        ("0.5 mg every 3 days", (1, None, 3.0, None, "d"), (0.333333333, 0.333333333)),
        ("0.5 mg weekly", (1, None, 1.0, None, "wk"), (0.142857143, 0.142857143)),
        ("0.5 mg 1-2 times a day", (1, 2, 1.0, None, "d"), (1.0, 2.0)),
        ("0.5 mg up to 3 times a day", (None, 3, 1.0, None, "d"), (None, 3.0)),
        ("0.5mg prn max tds", (None, 3, 1.0, None, "d"), (None, 3.0)),
    ],
)
def test_intervals(sig: str, expected: tuple[object, ...], per_day_range: tuple[float | None, float]) -> None:
    assert timing(sig) == expected
    assert per_day(parse_sig(sig)) == per_day_range


@pytest.mark.parametrize(
    ("sig", "when"),
    [
        ("0.5 mg qhs", ("HS",)),
        ("0.5 mg at bedtime", ("HS",)),
        ("0.5 mg nocte", ("NIGHT",)),
        ("0.5 mg ON", ("NIGHT",)),
        ("0.5 mg mane", ("MORN",)),
        ("0.5 mg qam", ("MORN",)),
        ("0.5 mg in the evening", ("EVE",)),
        ("0.5 mg daily at bedtime", ("HS",)),
    ],
)
def test_once_at_a_time_of_day(sig: str, when: tuple[str, ...]) -> None:
    parsed = parse_sig(sig)
    assert timing(sig) == DAILY
    assert parsed.timing is not None and parsed.timing.when == when


@pytest.mark.parametrize(
    ("sig", "count", "when"),
    [
        ("0.5 mg morning and night", 2, ("MORN", "NIGHT")),
        ("0.5 mg mane and nocte", 2, ("MORN", "NIGHT")),
        ("0.5 mg morning, noon and evening", 3, ("MORN", "NOON", "EVE")),
        ("0.5 mg twice daily morning and night", 2, ("MORN", "NIGHT")),
        ("Rivotril 0,5 mg 1-0-1", 2, ("MORN", "EVE")),
        ("Rivotril 0,5 mg 1-1-1", 3, ("MORN", "NOON", "EVE")),
        ("Rivotril 0,5 mg 0-0-0-1", 1, ("NIGHT",)),
    ],
)
def test_times_of_day_and_schemas(sig: str, count: int, when: tuple[str, ...]) -> None:
    parsed = parse_sig(sig)
    assert timing(sig) == (count, None, 1.0, None, "d")
    assert parsed.timing is not None and parsed.timing.when == when


def test_a_schema_counts_tablets_of_the_strength() -> None:
    parsed = parse_sig("Rivotril 2 mg 1/2-0-1/2")
    assert parsed.strength_mg == 2
    assert parsed.dose_mg is not None and parsed.dose_mg.max == 1


@pytest.mark.parametrize(
    "sig",
    [
        "0.5 mg bid tid",  # two frequencies
        "0.5 mg three times daily at bedtime",  # a count and times of day that disagree
        "0.5 mg q8h at bedtime",  # an interval and a time of day
        "Rivotril 0,5 mg 1-0-2",  # different doses at different times
        "0.5 mg q0h",
        "0.5 mg 0 times a day",
        "0.5 mg 1.5 times a day",
    ],
)
def test_contradictory_or_impossible_frequencies_are_not_read(sig: str) -> None:
    parsed = parse_sig(sig)
    assert parsed.times_per_day is None
    assert parsed.errors


def test_the_english_word_on_is_not_at_night() -> None:
    parsed = parse_sig("0.5 mg on an empty stomach bid")
    assert timing("0.5 mg on an empty stomach bid") == (2, None, 1.0, None, "d")
    assert parsed.instructions == ("on an empty stomach",)

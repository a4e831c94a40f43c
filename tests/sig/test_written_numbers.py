"""Numbers in sigs: decimal point or comma, thousands, fractions, words, ranges, roman counts."""

from __future__ import annotations

import pytest

from clonaguard.errors import InvalidInputError
from clonaguard.sig import SigError, parse_sig, sig_orders, uncertainties
from clonaguard.sig.text import normalise
from clonaguard.sig.written_numbers import LARGEST, number_value
from tests.dates import TODAY
from tests.sig.helpers import dose


@pytest.mark.parametrize(
    ("written", "value"),
    [("0.5", 0.5), ("0,5", 0.5), (".5", 0.5), ("1,25", 1.25), ("1/2", 0.5), ("3/4", 0.75),
     ("1 1/2", 1.5), ("2", 2.0)],
)  # fmt: skip
def test_number_values(written: str, value: float) -> None:
    assert number_value(written) == value


@pytest.mark.parametrize("written", ["1.2.3", "1,2,3", "abc", "", "1,000", "2.500", "05", "21/2", "3/2", "4/4"])
def test_not_numbers_raise_the_projects_error(written: str) -> None:
    with pytest.raises(InvalidInputError):
        number_value(written)


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("Take ONE tablet", "take 1 tablet"),
        ("one and a half tablets", "1 1/2 tablets"),
        ("2 and a half tablets", "2 1/2 tablets"),
        ("half a tablet", "1/2 tablet"),
        ("one-half tablet", "1/2 tablet"),
        ("a quarter tablet", "1/4 tablet"),
        ("1½ tablets", "1 1/2 tablets"),
        ("½ tablet", "1/2 tablet"),
        ("T.I.D.  p.o.", "tid po"),
        ("500 µg", "500 mcg"),
        ("someone often", "someone often"),
    ],
)
def test_normalise_writes_one_spelling(written: str, normal: str) -> None:
    assert normalise(written) == normal


@pytest.mark.parametrize(
    ("sig", "expected"),
    [
        ("0,5 mg tid", (0.5, 0.5, "mg")),
        ("one and a half tablets tid", (1.5, 1.5, "tablet")),
        ("1 1/2 tabs tid", (1.5, 1.5, "tablet")),
        ("1-2 tabs tid", (1.0, 2.0, "tablet")),
        ("1 or 2 tablets tid", (1.0, 2.0, "tablet")),
        ("1 to 2 tablets tid", (1.0, 2.0, "tablet")),
        ("tab ii tid", (2.0, 2.0, "tablet")),
        ("iii tabs at night", (3.0, 3.0, "tablet")),
    ],
)
def test_numbers_in_doses(sig: str, expected: tuple[float, float, str]) -> None:
    assert dose(sig) == expected


def test_a_range_from_high_to_low_is_not_read() -> None:
    assert dose("2-1 mg tid") is None


@pytest.mark.parametrize(
    "sig",
    [
        "1" + "0" * 400 + " mg bid",  # read as an infinite dose before
        "0.5 mg bid, max 1" + "0" * 400 + " mg per day",  # an overflow while the maximum was checked before
        "1" + "0" * 13 + " mcg bid",
        "1" + "0" * 400 + " 1/2 tabs of 0.5 mg bid",
    ],
)
def test_a_number_too_large_for_any_dose_is_refused_not_read(sig: str) -> None:
    parsed = parse_sig(sig)
    problems = uncertainties(parsed)
    assert any("too large to be a dose, count or duration" in problem for problem in problems)
    with pytest.raises(SigError):
        sig_orders(parsed, TODAY)


def test_the_largest_number_read_is_still_read() -> None:
    assert number_value("1" + "0" * 12) == LARGEST
    with pytest.raises(InvalidInputError, match="too large"):
        number_value("1" + "0" * 12 + "1")


def test_an_amount_below_a_nanogram_is_refused_not_read_as_zero() -> None:
    parsed = parse_sig("0.0000001 mg bid")
    assert parsed.dose_mg is None
    assert any("less than a nanogram" in problem for problem in uncertainties(parsed))

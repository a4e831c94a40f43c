"""Strength and dose: mg, mcg and g exactly; tablets through the stated strength; doubts reported."""

from __future__ import annotations

import pytest

from clonaguard.sig import parse_sig
from tests.sig.helpers import dose, dose_mg


@pytest.mark.parametrize(
    ("sig", "mg"),
    [
        ("0.5 mg tid", 0.5),
        ("500 mcg tid", 0.5),
        ("500 micrograms tid", 0.5),
        ("125 mcg bid", 0.125),
        ("250 µg bid", 0.25),
        ("1 g qds", 1000.0),
        ("2mg tid", 2.0),
        ("0.1 mg bid", 0.1),
    ],
)
def test_amounts_convert_to_mg_exactly(sig: str, mg: float) -> None:
    assert dose_mg(sig) == mg


@pytest.mark.parametrize(
    ("sig", "strength", "count", "mg"),
    [
        ("Klonopin 0,5 mg 1 tab po tid", 0.5, 1.0, 0.5),
        ("clonazepam 1mg: take 1/2 tablet twice daily", 1.0, 0.5, 0.5),
        ("clonazepam 2 mg tablets: 1 1/2 tablets tid", 2.0, 1.5, 3.0),
        ("take two 0.5 mg tablets at bedtime", 0.5, 2.0, 1.0),
        ("take 2 x 0.5 mg tablets twice daily", 0.5, 2.0, 1.0),
        ("Rivotril 2mg tab ii tds", 2.0, 2.0, 4.0),
        ("clonazepam 0.5 mg 1 po tid", 0.5, 1.0, 0.5),
        ("clonazepam 0.5 mg 1 tab (0.5 mg) tid", 0.5, 1.0, 0.5),
        ("take 2 tabs (1 mg) twice a day", 0.5, 2.0, 1.0),
        ("clonazepam 0.1 mg tabs: 3 tabs tid", 0.1, 3.0, 0.3),
        ("take 2 of the 0.5 mg tablets tid", 0.5, 2.0, 1.0),
        ("take 1 klonopin 1 mg tablet three times a day", 1.0, 1.0, 1.0),
    ],
)
def test_tablets_become_mg_through_the_strength(sig: str, strength: float, count: float, mg: float) -> None:
    parsed = parse_sig(sig)
    assert parsed.strength_mg == strength
    assert dose(sig) == (count, count, "tablet")
    assert dose_mg(sig) == mg


def test_a_tablet_count_without_a_strength_has_no_mg() -> None:
    parsed = parse_sig("1 tab po tid")
    assert parsed.dose is not None and parsed.dose.unit == "tablet"
    assert parsed.dose_mg is None


@pytest.mark.parametrize(
    "sig",
    [
        "clonazepam 0.5 mg tid and lorazepam 1 mg tid",  # two amounts, which is the dose?
        "take 1 tablet tid and 2 tablets at bedtime",  # two doses in one step
        "1.5 mg per day in 3 divided doses",  # a daily total
        "klonopin 3 mg a day",  # a daily total
        "clonazepam 0.1 mg/kg/day",  # per body weight
        "Rivotril 2 mg 1 comprimé 3 fois par jour",  # a number nobody read beside the amount
        "take 2 of these 0.5 mg tablets tid",
        "clonazepam 0 mg tid",
        "1 tid",  # a count with no unit and no strength
    ],
)
def test_doubtful_doses_stay_empty_and_say_why(sig: str) -> None:
    parsed = parse_sig(sig)
    assert parsed.dose is None or parsed.dose_mg is None
    assert parsed.errors or parsed.unparsed


def test_forms_and_units() -> None:
    assert dose("1 cap bid") == (1.0, 1.0, "capsule")
    assert dose("5 ml tid") == (5.0, 5.0, "ml")
    assert dose("10 drops at night") == (10.0, 10.0, "drop")
    assert dose("clonazepam ODT 0.25 mg, 1 ODT bid") == (1.0, 1.0, "tablet")
    assert dose("take a tablet at night") == (1.0, 1.0, "tablet")


def test_a_strength_named_as_directed_is_not_a_dose() -> None:
    parsed = parse_sig("clonazepam 0.5 mg take as directed")
    assert parsed.dose is None
    assert parsed.strength_mg == 0.5
    assert parsed.as_directed

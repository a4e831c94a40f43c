"""The one amount type: exact in nanograms, so sums, products and shares need no tolerance."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clonaguard.units import DAYS_PER_UNIT, Mass, daily_mg, exact_mg, mass_unit, ng_of_mg, same_mg

_MICROGRAMS = st.integers(min_value=1, max_value=1_000_000)  # 0.001 mg to 1000 mg, the accepted doses


@pytest.mark.parametrize(
    ("value", "unit", "ng"),
    [
        (0.5, "mg", 500_000),
        ("500", "mcg", 500_000),
        (Decimal("0.125"), "mg", 125_000),
        (Fraction(1, 8), "milligrams", 125_000),
        (2, "ug", 2_000),
        (0.001, "g", 1_000_000),
        (250, "µg", 250_000),
    ],
)
def test_reads_each_unit_exactly(value: float | str | Decimal | Fraction, unit: str, ng: int) -> None:
    assert Mass.of(value, unit).ng == ng


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(KeyError):
        mass_unit("ml")


def test_binary_noise_rounds_away() -> None:
    assert exact_mg(0.1 * 3) == 0.3
    assert daily_mg(0.1, 3) == 0.3
    assert same_mg(0.1 * 3, 0.3)
    assert not same_mg(0.3, 0.300001)


def test_a_share_is_exact_or_none() -> None:
    assert Mass.of(0.75).share(3) == Mass.of(0.25)
    assert Mass.of(1).share(3) is None
    assert Mass.of(0.25).count_of(Mass.of(0.125)) == 2


def test_time_units_are_exact_days() -> None:
    assert DAYS_PER_UNIT["h"] * 24 == 1
    assert DAYS_PER_UNIT["wk"] == 7


@given(_MICROGRAMS)
def test_mg_round_trips_through_its_written_form(micrograms: int) -> None:
    """The float a report prints reads back as the same mass, and is the float the decimal text gives."""
    mass = Mass.of(micrograms, "ug")
    assert Mass.of(mass.mg) == mass
    assert mass.mg == float(Decimal(micrograms) / 1000)


@given(_MICROGRAMS, st.integers(min_value=1, max_value=12))
def test_a_day_of_doses_divides_back_into_its_dose(micrograms: int, times: int) -> None:
    dose = Mass.of(micrograms, "ug")
    assert (dose * times).share(times) == dose
    assert daily_mg(dose.mg, times) == (dose * times).mg


@given(st.floats(0.001, 1000), st.integers(1, 24))
def test_same_mg_ignores_binary_noise_only(value: float, times: int) -> None:
    assert same_mg(value * times / times, value)
    assert not same_mg(value, value + 0.001)


@given(st.floats(min_value=0.0, max_value=1000.0))
def test_of_mg_is_of_without_the_unit_lookup(mg: float) -> None:
    assert Mass.of_mg(mg) == Mass.of(mg, "mg")


@given(st.one_of(st.floats(min_value=0.0, max_value=1000.0), st.integers(min_value=0, max_value=1000)))
def test_the_shortcuts_give_what_mass_gives(mg: float) -> None:
    """The conversions that skip building a `Mass` are the same arithmetic, to the nanogram and the float."""
    assert ng_of_mg(mg) == Mass.of(mg).ng
    assert exact_mg(mg) == Mass.of(mg).mg
    assert daily_mg(mg, 3) == (Mass.of(mg) * 3).mg
    assert same_mg(mg, Mass.of(mg).mg)

"""Amounts of drug and spans of time: the project's one exact amount type and its one table of units.

A mass is a whole number of nanograms (`Mass`), so sums, products and comparisons are exact with no
tolerance anywhere: 0.125 mg twice is 0.25 mg and 0.1 mg three times is 0.3 mg. The finest amount the
project accepts is 0.001 mg, a million times a nanogram, so reading a written value in nanograms loses
nothing, and the binary noise of a float product ("0.30000000000000004") rounds away. Reports and JSON
keep milligrams as floats: `Mass.mg` gives the float nearest the exact value, the same as writing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

NG_PER_MG = 1_000_000

NG_PER_UNIT: dict[str, int] = {"ng": 1, "ug": 1_000, "mg": NG_PER_MG, "g": 1_000 * NG_PER_MG}
"""Nanograms per mass unit, keyed by UCUM code."""

MASS_SPELLINGS: dict[str, str] = {
    **dict.fromkeys(("mg", "mgs", "milligram", "milligrams", "milligramme", "milligrammes"), "mg"),
    **dict.fromkeys(("mcg", "mcgs", "ug", "µg", "μg", "microgram", "micrograms"), "ug"),
    **dict.fromkeys(("g", "gm", "gram", "grams"), "g"),
    **dict.fromkeys(("ng", "nanogram", "nanograms"), "ng"),
}
"""How sigs and FHIR quantities write each mass unit, lower case, to its UCUM code."""

DAYS_PER_UNIT: dict[str, Fraction] = {
    "s": Fraction(1, 86_400),
    "min": Fraction(1, 1_440),
    "h": Fraction(1, 24),
    "d": Fraction(1),
    "wk": Fraction(7),
    "mo": Fraction(1461, 48),  # a mean calendar month, 30.4375 days
    "a": Fraction(1461, 4),  # a mean calendar year, 365.25 days
}
"""Days per UCUM unit of time (FHIR Timing's `periodUnit` and `durationUnit` use the same codes)."""

TIME_UNIT_WORDS: dict[str, str] = {
    "s": "second",
    "min": "minute",
    "h": "hour",
    "d": "day",
    "wk": "week",
    "mo": "month",
    "a": "year",
}


def mass_unit(spelling: str) -> str:
    """The UCUM code of a written mass unit ("mcg" is "ug"); KeyError when it is not a mass unit."""
    return MASS_SPELLINGS[spelling.strip().lower()]


@dataclass(frozen=True, order=True, slots=True)
class Mass:
    """An exact mass in whole nanograms; build one with `Mass.of`, read it in mg with `.mg`."""

    ng: int

    @classmethod
    def of(cls, value: float | int | str | Decimal | Fraction, unit: str = "mg") -> Mass:
        """`value` in `unit` (a UCUM code or a spelling), to the nearest nanogram."""
        per_unit = NG_PER_MG if unit == "mg" else NG_PER_UNIT[mass_unit(unit)]
        if isinstance(value, float):
            return cls(round(value * per_unit))
        return cls(round(Fraction(value) * per_unit))

    @classmethod
    def of_mg(cls, mg: float) -> Mass:
        """`Mass.of(mg)` for a milligram float, without looking a unit up (rules convert doses in loops)."""
        return cls(round(mg * NG_PER_MG))

    @property
    def mg(self) -> float:
        """The float nearest the exact mass in mg: 300,000 ng is the float that "0.3" gives."""
        return self.ng / NG_PER_MG

    def __add__(self, other: Mass) -> Mass:
        return Mass(self.ng + other.ng)

    def __sub__(self, other: Mass) -> Mass:
        return Mass(self.ng - other.ng)

    def __mul__(self, count: int) -> Mass:
        return Mass(self.ng * count)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.ng != 0

    def share(self, parts: int) -> Mass | None:
        """One of `parts` equal shares, or None when the mass does not divide exactly."""
        whole, rest = divmod(self.ng, parts)
        return None if rest else Mass(whole)

    def count_of(self, piece: Mass) -> Fraction:
        """How many `piece`s make this mass, exactly (2 for 0.25 mg of 0.125 mg)."""
        return Fraction(self.ng, piece.ng)


def ng_of_mg(mg: float) -> int:
    """`Mass.of(mg).ng` without building a `Mass`: the whole nanograms of a milligram number (the rules and the
    model convert every dose of every check, where building the object costs more than the arithmetic)."""
    return round(mg * NG_PER_MG) if isinstance(mg, float) else Mass.of(mg).ng


def exact_mg(value: float) -> float:
    """A mg float without binary noise (0.1 * 3 is 0.3): the value `Mass.of(value).mg` gives."""
    return ng_of_mg(value) / NG_PER_MG


def daily_mg(dose_mg: float, times_per_day: int) -> float:
    """A day's total of equal doses, exactly."""
    return ng_of_mg(dose_mg) * times_per_day / NG_PER_MG


def same_mg(first: float, second: float) -> bool:
    """Two mg floats are the same amount when they are the same number of nanograms."""
    return ng_of_mg(first) == ng_of_mg(second)

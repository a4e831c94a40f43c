"""Real tablets: the strengths the label lists, the fewest pieces that make a dose, and a day split into doses.

Doses are counted as exact masses (`clonaguard.units.Mass`) so that 0.125 + 0.125 is exactly 0.25: a dose either is
a sum of real tablets (halves only of scored ones) or it is not, and then the nearest lower one is offered.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from functools import lru_cache

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.plan.models import Form, TabletCount, TimedDose
from clonaguard.regimens import format_mg
from clonaguard.units import Mass, exact_mg

_FORM_WORDS = {"tablet": "tablets", "odt": "orally disintegrating tablets"}


@dataclass(frozen=True, slots=True)
class _Piece:
    value: Mass
    strength_mg: float
    halves: int  # 2 for a whole tablet, 1 for half of a scored one


class TabletSet:
    """The pieces one form offers and, for each multiple of their common quantum, the fewest that make it."""

    def __init__(self, form: Form, strengths_mg: Sequence[float], scored_mg: Sequence[float]) -> None:
        if not strengths_mg:
            raise InvalidInputError(f"form: the label lists no {_FORM_WORDS[form]}; choose another form")
        self.form: Form = form
        self.strengths_mg = tuple(sorted(strengths_mg))
        self.scored_mg = tuple(sorted(scored_mg))
        pieces = [_Piece(Mass.of(s), s, 2) for s in self.strengths_mg]
        # Half a scored tablet is exact: the label's schema refuses a strength that does not halve to whole ng.
        pieces += [_Piece(Mass(Mass.of(s).ng // 2), s, 1) for s in self.scored_mg]
        # Largest first, so that among equally few pieces the larger tablets win.
        self._pieces = tuple(sorted(pieces, key=lambda piece: (-piece.value.ng, -piece.halves)))
        self.quantum = Mass(math.gcd(*(piece.value.ng for piece in self._pieces)))
        self._units = tuple(int(piece.value.count_of(self.quantum)) for piece in self._pieces)
        # _best[u]: (pieces, halves used, index of the last piece) for u quanta, None when impossible.
        self._best: list[tuple[int, int, int] | None] = [(0, 0, -1)]
        self._made: dict[int, tuple[TabletCount, ...] | None] = {}
        self._lock = threading.Lock()  # sets are shared (cached per label), and the table grows on demand

    @property
    def quantum_mg(self) -> float:
        """The smallest dose step these tablets give (a half 0.5 mg tablet: 0.25 mg)."""
        return self.quantum.mg

    def describe(self) -> str:
        """ "0.5 mg (scored), 1 mg and 2 mg tablets"."""
        names = [f"{format_mg(s)} mg" + (" (scored)" if s in self.scored_mg else "") for s in self.strengths_mg]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{listed} {_FORM_WORDS[self.form]}"

    def whole_units(self, mg: float, *, up: bool = False) -> int:
        """A dose in whole quanta, rounded down (or up) from the exact count."""
        count = Mass.of(mg).count_of(self.quantum)
        return math.ceil(count) if up else math.floor(count)

    def exact_units(self, mass: Mass) -> int | None:
        """A mass in whole quanta, or None when these tablets cannot give it exactly."""
        count = mass.count_of(self.quantum)
        return int(count) if count.denominator == 1 else None

    def mass_of(self, units: int) -> Mass:
        """The dose `units` quanta make."""
        return self.quantum * units

    def _extend(self, units: int) -> None:
        best = self._best
        for target in range(len(best), units + 1):
            chosen: tuple[int, int, int] | None = None
            for index, size in enumerate(self._units):
                if size > target:
                    continue
                before = best[target - size]
                if before is None:
                    continue
                candidate = (before[0] + 1, before[1] + (self._pieces[index].halves == 1), index)
                if chosen is None or candidate[:2] < chosen[:2]:
                    chosen = candidate
            best.append(chosen)

    def combine(self, units: int) -> tuple[TabletCount, ...] | None:
        """The fewest real tablets giving exactly `units` quanta, largest strength first; None if none do."""
        if units in self._made:
            return self._made[units]
        if units <= 0:
            return None
        with self._lock:
            return self._combine(units)

    def _combine(self, units: int) -> tuple[TabletCount, ...] | None:
        self._extend(units)
        halves: dict[float, int] = {}
        left = units
        while left:
            entry = self._best[left]
            if entry is None:
                self._made[units] = None
                return None
            piece = self._pieces[entry[2]]
            halves[piece.strength_mg] = halves.get(piece.strength_mg, 0) + piece.halves
            left -= self._units[entry[2]]
        made = tuple(
            TabletCount(strength, self.form, count) for strength, count in sorted(halves.items(), reverse=True)
        )
        self._made[units] = made
        return made


@lru_cache(maxsize=32)
def _tablet_set(form: Form, strengths: tuple[float, ...], scored: tuple[float, ...]) -> TabletSet:
    return TabletSet(form, strengths, scored)


def tablet_set(label: Label, form: Form) -> TabletSet:
    """The tablets of one form that the label's `identity.products` lists."""
    products = label.identity.products
    if form == "odt":
        return _tablet_set(form, tuple(products.odt_mg), ())
    return _tablet_set(form, tuple(products.tablet_mg), tuple(products.scored_tablet_mg))


@dataclass(frozen=True, slots=True)
class TabletChoice:
    """A dose in real tablets: the requested one, or the nearest lower one real tablets give (0 when none)."""

    requested_mg: float
    dose_mg: float
    tablets: tuple[TabletCount, ...]
    products: str

    @property
    def exact(self) -> bool:
        return self.dose_mg == self.requested_mg

    @property
    def tablets_text(self) -> str:
        return " + ".join(tablet.text for tablet in self.tablets)

    @property
    def message(self) -> str | None:
        """Why the dose differs from the request, in words; None when it does not."""
        if self.exact:
            return None
        head = f"No combination of {self.products} gives {format_mg(self.requested_mg)} mg"
        if not self.tablets:
            return f"{head}; it is below the smallest dose they give."
        return f"{head}; the nearest lower dose is {format_mg(self.dose_mg)} mg ({self.tablets_text})."


def tablets_for(dose_mg: float, label: Label, form: Form = "tablet") -> TabletChoice:
    """One dose in real tablets, or the nearest lower dose that real tablets give."""
    tablets = tablet_set(label, form)
    requested = exact_mg(dose_mg)
    units = tablets.whole_units(dose_mg)
    while units > 0:
        made = tablets.combine(units)
        if made is not None:
            return TabletChoice(requested, tablets.mass_of(units).mg, made, tablets.describe())
        units -= 1
    return TabletChoice(requested, 0.0, (), tablets.describe())


def day_times(count: int) -> tuple[time, ...]:
    """Default times of day: one dose in the evening, or doses spread evenly from 08:00 to 20:00."""
    if count == 1:
        return (time(20, 0),)
    minutes = [8 * 60 + round(index * 12 * 60 / (count - 1)) for index in range(count)]
    return tuple(time(minute // 60, minute % 60) for minute in minutes)


def _spread(chosen: int, available: int) -> list[int]:
    """Which of `available` times to use for fewer doses: first and last, evenly between; one dose: the last."""
    if chosen == 1:
        return [available - 1]
    return [round(index * (available - 1) / (chosen - 1)) for index in range(chosen)]


def split_daily(
    tablets: TabletSet, daily_units: int, times: Sequence[time], min_administrations: int
) -> tuple[TimedDose, ...] | None:
    """A daily dose over the times of day: equal where possible, otherwise the larger doses last (evening).

    A daily dose too small for one real dose at every time uses fewer times (at least `min_administrations`);
    None when real tablets cannot give it that way.
    """
    count = min(len(times), daily_units)
    if count < min_administrations or count < 1:
        return None
    base, extra = divmod(daily_units, count)
    sizes = [base] * (count - extra) + [base + 1] * extra
    slots = range(count) if count == len(times) else _spread(count, len(times))
    administrations = []
    for slot, size in zip(slots, sizes, strict=True):
        made = tablets.combine(size)
        if made is None:
            return None
        administrations.append(TimedDose(times[slot], tablets.mass_of(size).mg, made))
    return tuple(administrations)

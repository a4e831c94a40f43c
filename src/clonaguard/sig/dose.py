"""Strength and dose: "0.5 mg", "500 mcg", "1/2 tablet", "ii tabs", "one 0.5 mg tablet".

An amount in mg right before a tablet word ("0.5 mg tablets") or before a count of tablets
("Klonopin 0,5 mg 1 tab") is the strength; a count of tablets is the dose; an amount in mg with
no count is the dose. Anything else with two candidate amounts is reported, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from clonaguard.errors import InvalidInputError
from clonaguard.sig.phrases import PhrasePattern, pattern
from clonaguard.sig.plausible import part_of_a_tablet
from clonaguard.sig.reading import Amount, StepReading
from clonaguard.sig.written_numbers import NUMBER, RANGE_SEPARATOR, ROMAN, exact_count, number_value
from clonaguard.units import Mass, exact_mg

MASS_UNIT = r"(?:mg|mgs|milligrams?|milligrammes?|mcg|micrograms?|ug|gm|grams?|g)"
FORM = (
    r"(?:orally disintegrating tablets?|odts?|wafers?|tablett(?:e|en)|tablets?|tabs?|tbl|pills?|capsules?|caps?|mls?"
    r"|millilit(?:er|re)s?|drops?|gtts?)"
)
_SOLID = r"(?:orally disintegrating tablets?|odts?|wafers?|tablett(?:e|en)|tablets?|tabs?|tbl|pills?|capsules?|caps?)"
_SOLID_WORDS = (
    "orally odt odts wafer wafers tablette tabletten tablet tablets tab tabs tbl pill pills capsule capsules cap caps"
)
_ROMAN = r"(?:iii|ii|iv|i)"
_HOURS_24 = r"24 ?h(?:rs?|ours)?"
_PER_DAY = (
    r"(?P<perday> ?(?:/ ?(?:day|d|" + _HOURS_24 + r")|per (?:day|" + _HOURS_24 + r")|a day|in " + _HOURS_24 + r"))?"
)
_START = r"(?<![\w.,/-])"
_NOT_A_COUNT_AFTER = r"(?![\w.,/%]| ?-| ?(?:" + MASS_UNIT + r"|x|times)\b)"


def _quantity(prefix: str) -> str:
    return rf"(?P<{prefix}low>{NUMBER})(?:{RANGE_SEPARATOR}(?P<{prefix}high>{NUMBER}))?"


@lru_cache(maxsize=1024)
def written_mass(value: float, unit: str) -> Mass:
    """A written amount in any spelling MASS_UNIT matches, exactly (500 mcg is 0.5 mg); never zero."""
    amount = Mass.of(value, unit)
    if value > 0 and not amount:
        raise InvalidInputError(f"{value:g} {unit} is less than a nanogram: not a dose")
    return amount


def form_unit(form: str) -> str:
    if form.startswith("cap"):
        return "capsule"
    if form.startswith(("ml", "millil")):
        return "ml"
    if form.startswith(("drop", "gtt")):
        return "drop"
    return "tablet"


def _range(match: re.Match[str], prefix: str) -> tuple[float, float]:
    low = number_value(match.group(f"{prefix}low"))
    high_text = match.group(f"{prefix}high")
    high = number_value(high_text) if high_text else low
    if high < low:
        raise InvalidInputError(f"{match.group().strip()!r} is a range from high to low")
    if low <= 0:
        raise InvalidInputError(f"{match.group().strip()!r}: an amount must be more than zero")
    return low, high


def _group(match: re.Match[str], name: str) -> str | None:
    """A named group that only some of the patterns have (without building the whole groupdict)."""
    return match.group(name) if name in match.re.groupindex else None


def _count(match: re.Match[str]) -> tuple[float, float]:
    roman = _group(match, "croman")
    if roman:
        value = ROMAN[roman]
        return value, value
    if _group(match, "one"):
        return 1.0, 1.0
    return _range(match, "c")


def _add_strength(match: re.Match[str], reading: StepReading) -> bool:
    if match.group("shigh"):
        reading.errors.append(f"{match.group().strip()!r}: a strength cannot be a range")
        reading.unparsed.append(match.group().strip())
        return False
    value = written_mass(number_value(match.group("slow")), match.group("sunit")).mg
    if value <= 0:
        raise InvalidInputError(f"{match.group().strip()!r}: a strength must be more than zero")
    amount = Amount(value, value, "mg", match.start(), match.group().strip(), True)
    (reading.per_day if match.group("perday") else reading.masses).append(amount)
    return True


def _add_count(match: re.Match[str], reading: StepReading, unit: str) -> None:
    low, high = _count(match)
    amount = Amount(low, high, unit, match.start(), match.group().strip())
    (reading.per_day if _group(match, "perday") else reading.counts).append(amount)


def _count_strength(match: re.Match[str], reading: StepReading) -> None:
    if _group(match, "name"):
        reading.names_clonazepam = True
    if _add_strength(match, reading):
        _add_count(match, reading, form_unit(match.group("form")))


def _strength_form(match: re.Match[str], reading: StepReading) -> None:
    _add_strength(match, reading)


def _count_form(match: re.Match[str], reading: StepReading) -> None:
    _add_count(match, reading, form_unit(match.group("form")))


def _mass(match: re.Match[str], reading: StepReading) -> None:
    low, high = _range(match, "m")
    unit = match.group("munit")
    low_mg = written_mass(low, unit).mg
    amount = Amount(low_mg, low_mg if high == low else written_mass(high, unit).mg, "mg", match.start(), match.group())
    (reading.per_day if match.group("perday") else reading.masses).append(amount)


def _mass_sum(match: re.Match[str], reading: StepReading) -> None:
    """ "0.25 mg + 0.25 mg": one dose, the sum (written as a sum, never merged as a repeat)."""
    first = written_mass(number_value(match.group("a")), match.group("aunit"))
    second = written_mass(number_value(match.group("b")), match.group("bunit"))
    total = (first + second).mg
    reading.masses.append(Amount(total, total, "mg", match.start(), match.group().strip()))


def _count_sum(match: re.Match[str], reading: StepReading) -> None:
    total = exact_count(number_value(match.group("a")) + number_value(match.group("b")))
    reading.counts.append(Amount(total, total, form_unit(match.group("form")), match.start(), match.group().strip()))


def _bare(match: re.Match[str], reading: StepReading) -> None:
    _add_count(match, reading, "bare")


def _change(match: re.Match[str], reading: StepReading) -> None:
    text = match.group().strip()
    reading.unparsed.append(text)
    reading.errors.append(f"{text!r} changes the dose over time; write each step with its dose and duration")


def _refused(match: re.Match[str], reading: StepReading) -> None:
    reading.unparsed.append(match.group().strip())
    reading.errors.append(f"{match.group().strip()!r} is a dose per body weight or a concentration, not read")


_COUNT_PREFIX = r"(?:" + _quantity("c") + r"|(?P<croman>\b" + _ROMAN + r")|(?P<one>\ban?))"
_FORMS = ("ta", "tbl", "pill", "cap", "odt", "wafer", "ml", "millil", "drop", "gtt")
REFUSED = pattern(
    _START + NUMBER + r" ?" + MASS_UNIT + r" ?(?:/ ?(?:kg|ml|m2|l)\b|%)|" + _START + NUMBER + r" ?%",
    "#",
    _refused,
    ("/", "%"),
)
_PLUS = r" ?(?:\+|plus) ?"
PATTERNS: tuple[PhrasePattern, ...] = (
    pattern(
        _START + rf"(?P<a>{NUMBER}) ?(?P<aunit>{MASS_UNIT})\b{_PLUS}(?P<b>{NUMBER}) ?(?P<bunit>{MASS_UNIT})\b",
        "#",
        _mass_sum,
        ("+", "plus"),
    ),
    pattern(
        _START + rf"(?P<a>{NUMBER}) ?(?:{_SOLID})?\b{_PLUS}(?P<b>{NUMBER}) ?(?P<form>{_SOLID})\b",
        "#",
        _count_sum,
        ("+", "plus"),
    ),
    pattern(
        _START
        + _COUNT_PREFIX
        + r" ?(?:x |of (?:an? |the )?)?(?P<name>(?:clonazepam|klonopin|rivotril) )?\(?"
        + _quantity("s")
        + r" ?(?P<sunit>"
        + MASS_UNIT
        + r")\b\)? ?(?:oral )?(?P<form>"
        + _SOLID
        + r")\b"
        + _PER_DAY,
        "# a an i ii iii iv",
        _count_strength,
        _FORMS,
    ),
    pattern(
        _START
        + _quantity("s")
        + r" ?(?P<sunit>"
        + MASS_UNIT
        + r")\b ?(?P<form>"
        + _SOLID
        + r") (?:#|no\.? )?(?:"
        + _quantity("c")
        + r"|(?P<croman>"
        + _ROMAN
        + r"))"
        + _NOT_A_COUNT_AFTER
        + r"(?P<perday>)",
        "#",
        _count_strength,
        _FORMS,
    ),
    pattern(
        _START + _quantity("s") + r" ?(?P<sunit>" + MASS_UNIT + r")\b ?(?:oral |odt |orally disintegrating )?"
        r"(?P<form>" + _SOLID + r")\b" + _PER_DAY,
        "#",
        _strength_form,
        _FORMS,
    ),
    pattern(
        _START + _COUNT_PREFIX + r" ?(?P<form>" + FORM + r")\b" + _PER_DAY, "# a an i ii iii iv", _count_form, _FORMS
    ),
    pattern(
        r"\b(?P<form>"
        + _SOLID
        + r") (?:#|no\.? )?(?:"
        + _quantity("c")
        + r"|(?P<croman>"
        + _ROMAN
        + r"))"
        + _NOT_A_COUNT_AFTER,
        _SOLID_WORDS,
        _count_form,
    ),
    pattern(_START + _quantity("m") + r" ?(?P<munit>" + MASS_UNIT + r")\b" + _PER_DAY, "#", _mass, ("g",)),
)
# A count without a unit, read only when nothing else claimed the number and only before a route or a
# frequency ("0.5 mg 1 po tid", "i nocte", "one to be taken"); it is a tablet count only with a strength.
BARE = pattern(
    _START + r"(?:" + _quantity("c") + r"|(?P<croman>\b" + _ROMAN + r")) (?=(?:po|by mouth|orally|sl|sublingually"
    r"|to be taken|nocte|mane|od|bd|tds|qds|tid|bid|qid|qd|qhs|hs|daily|nightly|at night|at bedtime|in the morning"
    r"|in the evening|morning|evening|night|noon|midday)\b)",
    "# i ii iii iv",
    _bare,
)
# "Reduce by 0.5 mg every 3 days": a rule for changing the dose, never read as a fixed dose.
CHANGE = pattern(
    r"\b(?:reduce|decrease|increase|taper|titrate|wean|cut down|go up|go down)\b.*",
    "reduce decrease increase taper titrate wean cut go",
    _change,
)


@dataclass
class DoseDecision:
    """The dose of one step ("bare" unit: a count whose unit the sig's strength decides), its strength,
    whether "1 tablet a day" implied once a day, whether the dose is an amount in mg, and any doubt."""

    dose: dict[str, Any] | None = None
    strength_mg: float | None = None
    once_a_day: bool = False
    from_mass: bool = False
    source: str = ""
    errors: list[str] = field(default_factory=list)


def _tied_to_slots(amounts: list[Amount], marks: list[tuple[int, str]]) -> bool:
    """Each amount is followed, before the next amount, by a time of the day of its own ("1 mane 1 nocte")."""
    ordered = sorted(amounts, key=lambda amount: amount.start)
    ends = [amount.start for amount in ordered[1:]] + [1 << 30]
    seen: set[str] = set()
    for amount, end in zip(ordered, ends, strict=True):
        own = {slot for position, slot in marks if amount.start < position < end}
        if not own or own & seen:
            return False
        seen |= own
    return True


def _same_counts(counts: list[Amount], marks: list[tuple[int, str]]) -> list[Amount]:
    """ "1 mane 1 nocte": the same count written for each time of the day is one dose (never a repeat)."""
    if len(counts) < 2:
        return counts
    units = {count.unit for count in counts} - {"bare"}
    distinct = {(count.low, count.high) for count in counts}
    if len(distinct) == 1 and len(units) <= 1 and _tied_to_slots(counts, marks):
        first = counts[0]
        return [first._replace(unit=units.pop() if units else first.unit)]
    return counts


def _same_masses(masses: list[Amount], marks: list[tuple[int, str]], text: str) -> list[Amount]:
    """ "0.5 mg in the morning and 0.5 mg at night", or a strength repeated as the dose, is one amount."""
    if len(masses) > 1 and len({(mass.low, mass.high) for mass in masses}) == 1:
        pair = len(masses) == 2
        strength_and_dose = pair and sum(mass.with_form for mass in masses) == 1
        # "take 0.25 mg (0.25 mg total)": the amount restated in brackets right after it.
        restated = (
            pair
            and text[masses[0].start + len(masses[0].text) :].startswith((" (", "("))
            and not any(mass.with_form for mass in masses)
        )
        if strength_and_dose or restated or _tied_to_slots(masses, marks):
            return [masses[0]._replace(with_form=any(mass.with_form for mass in masses))]
    return masses


def _after_take(text: str, first: Amount, mass: Amount) -> bool:
    """ "clonazepam 1 mg, take 0.5 mg", "Klonopin 0.5 mg: 0.25 mg": a product line, then the dose."""
    product_line = text[first.start + len(first.text) :].startswith(":")
    return product_line or text[: mass.start].rstrip(" ,:").endswith(("take", "give", "takes"))


def decide(reading: StepReading) -> DoseDecision:
    """Which amount is the dose and which the strength; an error instead of a guess."""
    decision = DoseDecision()
    marks = reading.slot_marks
    counts = _same_counts(list(reading.counts), marks)
    # Beside a count, each amount in mg is a strength or the count's total, checked against each other.
    masses = list(reading.masses) if counts else _same_masses(list(reading.masses), marks, reading.text)
    for amount in reading.per_day:
        if amount.unit not in {"mg", "bare"} and amount.low == amount.high == 1 and not counts and not masses:
            counts.append(amount)
            decision.once_a_day = True
        else:
            reading.unparsed.append(amount.text)
            decision.errors.append(f"{amount.text!r} is a daily total; the dose for each administration is not given")
    if decision.errors:
        return decision
    if len(counts) > 1:
        decision.errors.append("several doses in one step: " + ", ".join(repr(c.text) for c in counts))
        return decision
    if counts:
        _decide_count(decision, counts[0], masses, reading.text)
    elif reading.schema_seen:
        if len(masses) == 1 and masses[0].low == masses[0].high:
            decision.strength_mg = masses[0].high
    elif len(masses) == 1:
        _mass_dose(decision, masses[0])
        decision.strength_mg = masses[0].high if masses[0].with_form else None
    elif len(masses) == 2 and sum(m.with_form for m in masses) == 1:
        strength, dose = (masses[0], masses[1]) if masses[0].with_form else (masses[1], masses[0])
        _strength_and_mass_dose(decision, strength, dose)
    elif len(masses) == 2 and _after_take(reading.text, *masses) and masses[0].low == masses[0].high:
        _strength_and_mass_dose(decision, masses[0], masses[1])
    elif masses:
        decision.errors.append("several amounts in mg: " + ", ".join(repr(m.text) for m in masses) + " (which one?)")
    return decision


def _strength_and_mass_dose(decision: DoseDecision, strength: Amount, dose: Amount) -> None:
    """A product strength and a dose in mg: the dose must be whole or half tablets of that product."""
    decision.strength_mg = strength.high
    if not all(value is None or part_of_a_tablet(value, strength.high) for value in (dose.low, dose.high)):
        decision.errors.append(
            f"{dose.text!r} is not whole or half tablets of the {strength.text!r} product: which is meant?"
        )
        return
    _mass_dose(decision, dose)


def _mass_dose(decision: DoseDecision, mass: Amount) -> None:
    decision.dose = {"min": mass.low, "max": mass.high, "unit": "mg"}
    decision.from_mass = True
    decision.source = mass.text


def _decide_count(decision: DoseDecision, count: Amount, masses: list[Amount], text: str) -> None:
    strengths = set()
    for mass in masses:
        if mass.low != mass.high:
            decision.errors.append(f"{mass.text!r}: a strength cannot be a range")
            return
        if mass.with_form or mass.start < count.start or count.high == count.low == 1:
            strengths.add(mass.high)
        elif count.low == count.high and text[count.start + len(count.text) :].startswith((" (", "(")):
            # "2 tabs (1 mg)": the amount in brackets is what the count of tablets gives.
            strengths.add(exact_mg(mass.high / count.high))
        else:
            decision.errors.append(f"{mass.text!r} after {count.text!r}: the strength or the dose? Not read")
            return
    if len(strengths) > 1:
        decision.errors.append("two strengths are written: " + ", ".join(repr(m.text) for m in masses))
        return
    decision.strength_mg = strengths.pop() if strengths else None
    decision.dose = {"min": count.low, "max": count.high, "unit": count.unit}


def dose_in_mg(dose: dict[str, Any] | None, strength_mg: float | None) -> dict[str, Any] | None:
    """The dose in mg: as written, or the tablet count times the stated strength."""
    if dose is None:
        return None
    if dose["unit"] == "mg":
        return {"min": dose["min"], "max": dose["max"]}
    if dose["unit"] in {"tablet", "capsule"} and strength_mg is not None:
        low = None if dose["min"] is None else exact_mg(dose["min"] * strength_mg)
        high = exact_mg(dose["max"] * strength_mg)
        return None if high == 0 or low == 0 else {"min": low, "max": high}
    return None

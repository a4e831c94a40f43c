"""parse_sig: scan each step of one normalised sig word by word, letting the components' patterns read it.

At each word the phrase patterns that can start there are tried in priority order (daily maximums before
doses, "for 3 days" before frequencies, and so on); the first match reads those words. Words no
pattern read are the indication (after "for" or "prn"), fillers ("take", "by"), or `unparsed`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from clonaguard.errors import InvalidInputError
from clonaguard.sig import as_needed, dose, drug, duration, food, frequency, maximum, plausible, route, steps
from clonaguard.sig.model import Dose, Duration, MaxPerDay, MgRange, ParsedSig, PerDay, SigStep, Timing, trusted
from clonaguard.sig.phrases import NUMERIC, Handler, PhrasePattern, mentions
from clonaguard.sig.reading import StepReading, TimingSpec
from clonaguard.sig.text import MAX_SIG_LENGTH, normalise, words

_PRIORITY: tuple[PhrasePattern, ...] = (
    dose.CHANGE,
    dose.REFUSED,
    frequency.SCHEMA,
    *frequency.UP_TO,
    *maximum.PATTERNS,
    *duration.PREFIXED,
    *dose.PATTERNS,
    *frequency.PATTERNS,
    duration.BARE,
    dose.BARE,
    *as_needed.PATTERNS,
    *route.PATTERNS,
    *food.PATTERNS,
    *drug.PATTERNS,
    frequency.END_SLOT,
)


_Try = tuple[Callable[[str, int], re.Match[str] | None], tuple[str, ...], Handler]


def _dispatch() -> dict[str, tuple[_Try, ...]]:
    """Each first word's patterns, in priority order, as plain (match, requires, handle) tuples, which the scan
    unpacks without attribute look-ups."""
    table: dict[str, list[_Try]] = {}
    for item in _PRIORITY:
        for start in item.starts:
            table.setdefault(start, []).append((item.regex.match, item.requires, item.handle))
    return {start: tuple(tries) for start, tries in table.items()}


_DISPATCH = _dispatch()
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[.,]\d+|[a-z]+(?:'[a-z]+)?|\S")
# Words that carry no instruction of their own once the patterns have read a step.
_FILLERS = words(
    "take takes taking give use administer and & a an the of by at in on to each dose doses sig rx please pt patient "
    "tablet tablets tab tabs pill pills capsule capsules cap caps it with et orally then medication medicine strength "
    "is be are"
)
# Signs that join amounts: never passed over as punctuation.
_OPERATORS = frozenset("+&/=*<>")
_INDICATION_STOP = frozenset({"for", "and", "or", "with", "to", "at", "in", "on"})


def parse_sig(text: str) -> ParsedSig:
    """Read a free-text sig. Never guesses: what is not understood is in `unparsed`, doubts in `errors`.

    Raises `InvalidInputError` only for input that is not text or is longer than 2000 characters.
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"sig: must be text (got {type(text).__name__})")
    if len(text) > MAX_SIG_LENGTH:
        raise InvalidInputError(f"sig: longer than {MAX_SIG_LENGTH} characters")
    return _reading(text)


def _read(text: str, validate: bool = False) -> ParsedSig:
    """The reading of one sig; `validate` builds it through pydantic's validation (tests compare the two)."""
    normal = normalise(text)
    if not normal:
        return ParsedSig(text=text, errors=("the sig is empty",))
    readings: list[StepReading | None] = []
    empty_steps = 0
    for step_text in steps.split(normal):
        step_text = step_text.strip(" ,;:.")
        if not step_text:
            empty_steps += 1
            continue
        if steps.is_stop(step_text):
            readings.append(None)
            continue
        readings.append(_read_step(step_text))
    if not readings:
        return ParsedSig(text=text, errors=("the sig gives no step to read",))
    parsed = _assemble(text, readings, validate)
    if empty_steps:
        return parsed.model_copy(update={"errors": (*parsed.errors, "a step between two 'then' is empty")})
    return parsed


# Kept for the next occurrence of the same text: a ParsedSig is immutable.
_reading = lru_cache(maxsize=4096)(_read)


def clear_cache() -> None:
    """Forget every cached reading, part and daily count (benches measure reading unique sigs with it)."""
    _reading.cache_clear()
    _part.cache_clear()
    frequency.times_per_day.cache_clear()


def _read_step(text: str) -> StepReading:
    """One step; "0.5 mg bid and 0.5 mg daily prn" as a scheduled part with an extra as-needed part."""
    parts = as_needed.split_extra(text)
    if parts is not None:
        scheduled, extra = StepReading(parts[0], whole_text=text), StepReading(parts[1])
        _scan(scheduled)
        if (scheduled.counts or scheduled.masses) and (scheduled.timings or scheduled.slots):
            _scan(extra)
            scheduled.extra = extra
            return scheduled
    reading = StepReading(text)
    _scan(reading)
    return reading


def _scan(reading: StepReading) -> None:
    text = reading.text
    end = 0
    run = 0
    leftovers: list[tuple[int, str, int]] = []
    candidates = _DISPATCH.get
    present: dict[tuple[str, ...], bool] = {}  # each pattern's `requires`, checked once per step
    for token in _TOKEN.finditer(text):
        start = token.start()
        if start < end:
            if token.end() > end:
                leftovers.append((end, text[end : token.end()], run))
            continue
        word = token[0]
        first = word[0]
        tries = candidates(NUMERIC if first.isdigit() or (first in ".," and len(word) > 1) else word)
        if tries is None:
            leftovers.append((start, word, run))
            continue
        for match_at, requires, handle in tries:
            if requires:
                ok = present.get(requires)
                if ok is None:
                    ok = present[requires] = mentions(text, requires)
                if not ok:
                    continue
            match = match_at(text, start)
            if match is not None and match.end() > start:
                try:
                    handle(match, reading)
                except InvalidInputError as exc:
                    reading.errors.append(str(exc))
                    reading.unparsed.append(match.group().strip())
                end = match.end()
                run += 1
                break
        else:
            leftovers.append((start, word, run))
    _read_leftovers(reading, leftovers)


def _read_leftovers(reading: StepReading, leftovers: list[tuple[int, str, int]]) -> None:
    """An indication after "for" or "prn", fillers, and the rest as unparsed fragments."""
    if not leftovers:
        return
    text = reading.text
    fragment: list[str] = []
    previous_run = -1
    index = 0
    while index < len(leftovers):
        position, word, run = leftovers[index]
        if run != previous_run and fragment:
            reading.unparsed.append(" ".join(fragment))
            fragment = []
        previous_run = run
        prn_end = reading.as_needed_end
        after_prn = prn_end is not None and position >= prn_end and not text[prn_end:position].strip(" :")
        if (word == "for" or after_prn) and reading.indication is None:
            first = index + 1 if word == "for" else index
            taken = _indication(leftovers, first, text)
            if taken > first:
                reading.indication = " ".join(w for _, w, _ in leftovers[first:taken])
                index = taken
                continue
        if word[0].isdigit():
            reading.stray_numbers.append(word)
        if word in _OPERATORS:
            reading.errors.append(
                f"{word!r} between amounts is not read (write a sum with '+' between two amounts with their units)"
            )
            fragment.append(word)
        elif word in _FILLERS or not any(c.isalnum() for c in word):
            if fragment:
                reading.unparsed.append(" ".join(fragment))
                fragment = []
        else:
            fragment.append(word)
        index += 1
    if fragment:
        reading.unparsed.append(" ".join(fragment))


def _indication(leftovers: list[tuple[int, str, int]], first: int, text: str) -> int:
    """The end index of up to four plain words, side by side, that name what the medicine is for."""
    taken = first
    while taken < len(leftovers) and taken - first < 4:
        position, word, run = leftovers[taken]
        if not word.isalpha() or (taken == first and word in _INDICATION_STOP):
            break
        if taken > first:
            before, previous_word, previous_run = leftovers[taken - 1]
            if run != previous_run or text[before + len(previous_word) : position].strip():
                break
        taken += 1
    while taken > first and leftovers[taken - 1][1] in _INDICATION_STOP:
        taken -= 1
    return taken


def _leading_drug(reading: StepReading) -> None:
    """ "Lamotrigine 25 mg ...": an unknown first word before a number names another drug."""
    match = drug.LEADING_NAME.match(reading.text)
    if match and match.group(1) not in drug.NOT_NAMES and match.group(1) in reading.unparsed:
        reading.unparsed.remove(match.group(1))
        reading.other_drugs.append(match.group(1))


def _across_steps(
    readings: list[StepReading | None],
) -> tuple[list[str], bool, list[dose.DoseDecision | None], set[float]]:
    """The other drugs named, whether clonazepam is named, each step's dose and the strengths: one loop over the
    steps (deciding a dose reads and writes neither the drug names nor another step)."""
    others: list[str] = []
    names_clonazepam = False
    decisions: list[dose.DoseDecision | None] = []
    strengths: set[float] = set()
    for reading in readings:
        if reading is None:
            decisions.append(None)
            continue
        for name in reading.other_drugs:
            if name not in others:
                others.append(name)
        names_clonazepam = names_clonazepam or reading.names_clonazepam
        decided = _decide_dose(reading)
        decisions.append(decided)
        if decided.strength_mg is not None:
            strengths.add(decided.strength_mg)
    return others, names_clonazepam, decisions, strengths


def _assemble(text: str, readings: list[StepReading | None], validate: bool = False) -> ParsedSig:
    errors: list[str] = []
    unparsed: list[str] = []
    first = readings[0]
    if first is not None and not first.names_clonazepam and not first.other_drugs:
        _leading_drug(first)
    others, names_clonazepam, decisions, strengths = _across_steps(readings)
    if others:
        errors.append(f"{', '.join(others)}: not covered (clonaguard reads clonazepam sigs only)")
    if len(strengths) > 1:
        errors.append("different tablet strengths are written in different steps")
    strength = strengths.pop() if len(strengths) == 1 else None
    unknown_strength = None if strength is None else plausible.strength_problem(strength)
    if unknown_strength:
        errors.append(unknown_strength)
    multi = len(readings) > 1 or readings[0] is None
    built: list[dict[str, Any]] = []
    previous: tuple[dict[str, Any] | None, TimingSpec | None] | None = None
    indication: str | None = None
    for reading, decision in zip(readings, decisions, strict=True):
        if reading is None or decision is None:
            built.append({"text": "stop", "stop": True})
            continue
        step, spec = _build_step(reading, decision, strength, previous if multi else None)
        errors.extend(decision.errors)
        errors.extend(reading.errors)
        unparsed.extend(reading.unparsed)
        if reading.extra is not None:
            step["as_needed_extra"] = _extra_step(reading.extra, strength, errors, unparsed)
        if reading.indication and reading.as_needed_end is None and indication is None:
            indication = reading.indication
        built.append(step)
        previous = (step["dose"], spec)
    for step in built:
        _share_parts(step, validate)
    if readings[0] is None:
        errors.append("the sig starts with a stop and gives no dose")
    data: dict[str, Any] = {
        "text": text,
        "drug": others[0] if others else (drug.CLONAZEPAM if names_clonazepam else None),
        "strength_mg": strength,
        "indication": indication,
        "unparsed": tuple(dict.fromkeys(unparsed)),
        "errors": tuple(dict.fromkeys(errors)),
    }
    if multi:
        data["steps"] = built if validate else tuple(trusted(SigStep, step) for step in built)
    else:
        only = built[0]
        del only["text"]
        data.update(only)
    if validate or type(text) is not str or not (strength is None or type(strength) is float):
        return ParsedSig.model_validate(data)  # a str subclass becomes a str, an int strength a float
    return trusted(ParsedSig, data)


_PARTS = {
    "dose": Dose,
    "dose_mg": MgRange,
    "timing": Timing,
    "times_per_day": PerDay,
    "duration": Duration,
    "max_per_day": MaxPerDay,
}


def _share_parts(step: dict[str, Any], validate: bool) -> None:
    """A step's doses, timings and durations as shared instances (validating nested values is most of a
    ParsedSig's cost, and they repeat from sig to sig; frozen, so one instance serves every reading); its extra
    as-needed part as a SigStep unless `validate` leaves it to pydantic."""
    for key, kind in _PARTS.items():
        value = step.get(key)
        if value is not None:
            step[key] = _part(kind, tuple(value.items()))
    extra = step.get("as_needed_extra")
    if extra is not None:
        _share_parts(extra, validate)
        if not validate:
            step["as_needed_extra"] = trusted(SigStep, extra)


@lru_cache(maxsize=1024)
def _part(
    kind: type[Dose | MgRange | Timing | PerDay | Duration | MaxPerDay], items: tuple[tuple[str, Any], ...]
) -> Any:
    """One validated part. Keys that compare equal validate alike (1 and 1.0 are both 1.0 in a float field, 3
    and 3.0 both 3 in an int one); a value that fails validation is not kept and fails again the next time."""
    return kind.model_validate(dict(items))


def _extra_step(extra: StepReading, strength: float | None, errors: list[str], unparsed: list[str]) -> dict[str, Any]:
    """The extra as-needed part of a step, read with the step's strength."""
    decision = _decide_dose(extra)
    if decision.strength_mg is not None and strength is not None and decision.strength_mg != strength:
        errors.append("the extra as-needed part names another tablet strength")
    step, _ = _build_step(extra, decision, strength if strength is not None else decision.strength_mg, None)
    if step["dose"] is None:
        errors.append(f"the extra as-needed part ({extra.text!r}) gives no amount")
    if not step["as_needed"]:
        errors.append(f"{extra.text!r}: read as an extra part, but it is not as needed")
    errors.extend(decision.errors)
    errors.extend(extra.errors)
    unparsed.extend(extra.unparsed)
    return step


def _decide_dose(reading: StepReading) -> dose.DoseDecision:
    """The step's dose; "clonazepam 0.5 mg, take as directed" names the strength, not a dose."""
    decision = dose.decide(reading)
    if reading.stray_numbers:
        # Every number has exactly one role: "2 mg 1 comprimé", "0.5 mg bid, room 12": a number nobody read may
        # be the real dose, the real frequency or a typo.
        numbers = ", ".join(repr(number) for number in reading.stray_numbers)
        decision.errors.append(
            f"{numbers}: a number with no role in the sig (not read as a dose, a frequency, "
            "a duration or a maximum), so the reading is not certain"
        )
        decision.dose = None
        return decision
    if reading.as_directed and decision.from_mass and not reading.timings and not reading.slots:
        assert decision.dose is not None
        if decision.dose["min"] == decision.dose["max"]:
            decision.strength_mg = decision.dose["max"]
        decision.dose = None
    return decision


def _timing(spec: TimingSpec | None) -> dict[str, Any] | None:
    if spec is None:
        return None
    return {
        "frequency": spec.frequency,
        "frequency_max": spec.frequency_max,
        "period": spec.period,
        "period_max": spec.period_max,
        "period_unit": spec.period_unit,
        "when": spec.when,
    }


def _build_step(
    reading: StepReading,
    decision: dose.DoseDecision,
    strength: float | None,
    previous: tuple[dict[str, Any] | None, TimingSpec | None] | None,
) -> tuple[dict[str, Any], TimingSpec | None]:
    """A step; in a taper a step without a dose or without a frequency keeps the one before it."""
    the_dose = decision.dose
    if the_dose is not None and the_dose["unit"] == "bare":
        if the_dose["max"] > 1:
            decision.errors.append(f"{the_dose['max']:g} with no unit: write '{the_dose['max']:g} tablets' or the mg")
            the_dose = None
        elif strength is None:
            decision.errors.append(
                f"the dose in mg is unknown ({the_dose['max']:g} with no unit and no tablet strength)"
            )
            the_dose = None
        else:
            the_dose = {**the_dose, "unit": "tablet"}
    decision.errors.extend(plausible.dose_problems(the_dose, strength))
    # A number with no role puts the step's frequency in doubt too: reported empty, never wrong.
    spec = None if reading.stray_numbers else frequency.decide(reading, reading.food_when, decision.once_a_day)
    if previous is not None:
        if the_dose is None and not decision.errors and spec is not None:
            the_dose = previous[0]
        if spec is None and the_dose is not None and decision.dose is not None:
            spec = previous[1]
    durations = set(reading.durations)
    if len(durations) > 1:
        reading.errors.append("two different durations are written")
    per_day = frequency.times_per_day(spec)
    maximum_ = maximum.decide(reading)
    as_needed_ = reading.as_needed_end is not None
    step: dict[str, Any] = {
        "text": reading.whole_text or reading.text,
        "dose": the_dose,
        "dose_mg": dose.dose_in_mg(the_dose, strength),
        "timing": _timing(spec),
        "times_per_day": None if per_day is None else {"min": per_day[0], "max": per_day[1]},
        "as_needed": as_needed_,
        "as_needed_for": reading.indication if as_needed_ else None,
        "as_directed": reading.as_directed,
        "route": route.decide(reading),
        "duration": None,
        "max_per_day": None if maximum_ is None else {"value": maximum_[0], "unit": maximum_[1]},
        "instructions": tuple(reading.instructions),
    }
    if len(durations) == 1:
        value, unit = durations.pop()
        too_long = plausible.duration_problem(value, unit)
        if too_long:
            reading.errors.append(too_long)
        else:
            step["duration"] = {"value": value, "unit": unit}
    return step, spec

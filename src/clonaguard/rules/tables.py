"""What every check reads from a label, worked out once per label object instead of once per check.

The numbers the rules compare against (as exact `Mass` where a rule does arithmetic), the texts that depend
only on the label (the minimal dose in words, the most a setting allows), and the whole-tablet regimens the
safer-regimen search walks. Keyed on the label object itself: a copy of a label (which is validated afresh)
gets tables of its own, and the tables go when their label goes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clonaguard.labels.schema import AgeBand, DailyLimit, Label
from clonaguard.regimens import describe, format_mg, largest_dose_within, smallest_dose_from
from clonaguard.units import Mass, ng_of_mg

SETTINGS = ("outpatient", "inpatient")


@dataclass(frozen=True, slots=True)
class Regimen:
    """A whole-tablet regimen: `dose_mg` `times_per_day` times a day, `daily` in all."""

    dose_mg: float
    times_per_day: int
    daily: Mass


@dataclass(frozen=True, slots=True)
class TaperLimits:
    """The taper in force: the daily dose at most `step` less per step, steps at least `interval_days` apart."""

    step: Mass
    interval_days: int
    final: Mass
    from_case: bool


@dataclass(frozen=True, slots=True)
class BandTexts:
    """A pediatric band, its numbers flat, with the words of its findings, which depend only on the band and the label.

    The numbers are the band's own, kept here since reading a field of a label model costs as much as a call, and a
    check of a child reads four.
    """

    min_age_years: float
    max_age_years: float  # exclusive
    daily_min_mg: float
    daily_max_mg: float
    source: str
    text: str  # "1.5–3 mg a day for children aged 1 to 5"
    below: dict[int, str]  # times a day -> the suggestion for a dose below the band, when there is one
    above: dict[int, str]  # times a day -> the suggestion for a dose above it, when there is one


@dataclass(frozen=True, slots=True)
class Threshold:
    """A daily dose above which an adult's dose draws a finding, with the words that finding says."""

    daily_mg: float
    code: str
    rest: str  # the message after "Daily dose X mg "
    source: str


@dataclass(frozen=True, slots=True)
class Contraindication:
    """A patient fact that rules clonazepam out, with its finding's words and citation."""

    fact: str  # the `Patient` field
    code: str
    finding: str
    source: str
    suggestion: str


@dataclass(eq=False, slots=True)
class RuleTables:
    """One label's numbers and label-only texts, flat, for the rules; compared by identity.

    Every text here depends only on the label, so a rule builds only the words that depend on the case, and only
    once it has a finding; each source is the label's own sentence, which the finding cites.
    """

    adult_from_age_years: float
    start_daily_mg: float
    start_daily_ng: int
    start_text: str  # the minimal dose in words
    start_source: str
    start_suggestion: str  # "Start at 0.5 mg three times a day and raise it every 3–5 days."
    below_minimum_suggestion: str  # "The minimal dose is 0.5 mg three times a day."
    start_indications: tuple[str, ...] | None  # the indications the starting dose is given for; None: every one
    start_indications_text: str  # those indications in words, "epilepsy"
    minimal_text: str  # "1.5 mg a day"
    standard_min_mg: float
    standard_max_mg: float
    standard_source: str
    above_standard: Threshold
    hospital_only: Threshold  # above it: hospital only
    overdose: Threshold  # above it: an overdose
    divided_into: int  # the parts a standard daily dose is given in
    times_min: float  # the administrations a day the label allows
    times_max: float
    increment: Mass  # the smallest dose step whole tablets give
    titration_step: Mass  # the largest raise of an adult's daily dose
    pediatric_titration_step: Mass  # the largest raise of a child's
    taper: TaperLimits  # the label's taper policy
    interval_text: str  # the titration interval, "3–5"
    titration_interval_min: float  # the fewest days between two raises
    titration_source: str
    titration_policy_source: str
    taper_source: str
    times_text: str  # the administrations a day the label allows, "1–4"
    administration_source: str
    contraindications: tuple[Contraindication, ...]
    course_days_within: int  # a course no longer than this many days is surely within the limit in months
    bands: tuple[BandTexts, ...]
    within_ceiling: dict[tuple[str, bool], str | None]  # (setting, acute) -> the most allowed, in words
    regimens: tuple[Regimen, ...]
    selections: dict[Any, tuple[Callable[..., Any], ...]] = field(default_factory=dict)

    def band_for_age(self, age_years: float) -> BandTexts | None:
        """The pediatric band of an age with its texts, or None for an adult."""
        if age_years >= self.adult_from_age_years:
            return None
        for entry in self.bands:  # a loop, not next() of a generator: every check of a child runs it
            if entry.min_age_years <= age_years < entry.max_age_years:  # AgeBand.contains_age, on the flat ages
                return entry
        return None

    def times_for_suggestion(self, times_per_day: int) -> int:
        """The ordered administrations a day, brought within the label's range (compared, not min() and max():
        every check of a child's dose outside its band asks)."""
        if times_per_day < self.times_min:
            return int(self.times_min)
        if times_per_day > self.times_max:
            return int(self.times_max)
        return times_per_day


_TABLES: dict[int, tuple[weakref.ref[Label], RuleTables]] = {}
_last: tuple[Label, RuleTables] | None = None  # the label of the last check: nearly always the next one's too


def tables_for(label: Label) -> RuleTables:
    """The label's tables, built on its first check."""
    global _last
    last = _last
    if last is not None and last[0] is label:
        return last[1]
    entry = _TABLES.get(id(label))
    tables = entry[1] if entry is not None and entry[0]() is label else _remember(label, _build(label))
    _last = (label, tables)
    return tables


def _remember(label: Label, tables: RuleTables) -> RuleTables:
    key = id(label)

    def forget(ref: weakref.ref[Label]) -> None:
        if _TABLES.get(key, (None,))[0] is ref:
            del _TABLES[key]

    _TABLES[key] = (weakref.ref(label, forget), tables)
    return tables


def _build(label: Label) -> RuleTables:
    dosing = label.adult_dosing
    allowed = label.administration.times_per_day
    times = range(int(allowed.min), int(allowed.max) + 1)
    interval = dosing.titration.interval_days
    start, standard = dosing.start, dosing.standard
    start_text = describe(start.dose_mg, start.times_per_day)
    interval_text = f"{format_mg(interval.min)}–{format_mg(interval.max)}"
    return RuleTables(
        adult_from_age_years=label.pediatric.adult_from_age_years,
        start_daily_mg=start.daily_mg,
        start_daily_ng=ng_of_mg(start.dose_mg) * start.times_per_day,
        start_text=start_text,
        start_source=start.source,
        start_suggestion=f"Start at {start_text} and raise it every {interval_text} days.",
        below_minimum_suggestion=f"The minimal dose is {start_text}.",
        start_indications=start.indications,
        start_indications_text=" or ".join(indication_words(indication) for indication in start.indications or ()),
        minimal_text=f"{format_mg(start.daily_mg)} mg a day",
        standard_min_mg=standard.daily_mg.min,
        standard_max_mg=standard.daily_mg.max,
        standard_source=standard.source,
        above_standard=Threshold(
            standard.daily_mg.max,
            "DOSE_ABOVE_STANDARD",
            f"is above the standard {format_mg(standard.daily_mg.min)}–{format_mg(standard.daily_mg.max)} mg a day.",
            standard.source,
        ),
        hospital_only=_threshold(
            dosing.hospital_only_above, "DOSE_REQUIRES_HOSPITAL", "the leaflet allows only in hospital"
        ),
        overdose=_threshold(dosing.overdose_above, "DOSE_ABOVE_MAXIMUM", "may cause an overdose"),
        divided_into=dosing.standard.divided_into,
        times_min=allowed.min,
        times_max=allowed.max,
        increment=Mass.of(label.identity.products.smallest_step_mg),
        titration_step=Mass.of(label.titration_policy.step_daily_mg.max),
        pediatric_titration_step=Mass.of(label.titration_policy.pediatric_step_daily_mg.max),
        taper=_taper(label),
        interval_text=interval_text,
        titration_interval_min=interval.min,
        titration_source=dosing.titration.source,
        titration_policy_source=label.titration_policy.source,
        taper_source=label.taper_policy.source,
        times_text=f"{format_mg(allowed.min)}–{format_mg(allowed.max)}",
        administration_source=label.administration.source,
        contraindications=_contraindications(label),
        # any calendar month lasts at least 28 days
        course_days_within=28 * label.recommendations.course_limit.max_months,
        bands=tuple(_band_texts(label, band, times) for band in label.pediatric.bands),
        within_ceiling={
            (setting, acute): _within_ceiling(label, label.limits.ceiling_mg(setting, acute))
            for setting in SETTINGS
            for acute in (False, True)
        },
        regimens=_regimens(label, times),
    )


def _taper(label: Label) -> TaperLimits:
    policy = label.taper_policy
    return TaperLimits(
        Mass.of(policy.step_daily_mg), policy.interval_days, Mass.of(policy.final_daily_mg), from_case=False
    )


def _threshold(limit: DailyLimit, code: str, which: str) -> Threshold:
    """A daily limit of the label with its finding's words: "is above 20 mg a day, which may cause an overdose."."""
    return Threshold(
        limit.daily_mg, code, f"is above {format_mg(limit.daily_mg)} mg a day, which {which}.", limit.source
    )


def indication_words(indication: str) -> str:
    """An indication's id as words: "muscle_relaxation" is "muscle relaxation"."""
    return indication.replace("_", " ")


def _contraindications(label: Label) -> tuple[Contraindication, ...]:
    advice = label.recommendations
    facts = (
        ("pregnant", "PREGNANCY", advice.pregnancy),
        ("breastfeeding", "BREASTFEEDING", advice.breastfeeding),
        ("alcohol_use", "ALCOHOL_USE", advice.alcohol),
    )
    return tuple(Contraindication(fact, code, e.finding, e.source, e.suggestion) for fact, code, e in facts)


def _band_texts(label: Label, band: AgeBand, times: range) -> BandTexts:
    low, high = band.daily_mg.min, band.daily_mg.max
    below: dict[int, str] = {}
    above: dict[int, str] = {}
    for count in times:
        lowest = smallest_dose_from(label, low, high, count)
        if lowest is not None:
            below[count] = f"The lowest dose in the band with whole tablets is {describe(lowest, count)}."
        most = largest_dose_within(label, high, count)
        if most is not None:
            above[count] = f"At most {describe(most, count)} ({format_mg((Mass.of(most) * count).mg)} mg a day)."
    text = f"{format_mg(low)}–{format_mg(high)} mg a day for {band.description}"
    return BandTexts(band.min_age_years, band.max_age_years, low, high, band.source, text, below, above)


def _within_ceiling(label: Label, ceiling_mg: float) -> str | None:
    """The largest regimen in whole tablets within a ceiling, given as often a day as the standard dose."""
    times = label.adult_dosing.standard.divided_into
    dose = largest_dose_within(label, ceiling_mg, times)
    if dose is None:
        return None
    return f"At most {describe(dose, times)} ({format_mg((Mass.of(dose) * times).mg)} mg a day) in this setting."


def _regimens(label: Label, times: range) -> tuple[Regimen, ...]:
    """Whole-tablet doses, as often a day as the label allows, up to the label's overdose threshold."""
    step = Mass.of(label.identity.products.smallest_step_mg)
    ceiling = Mass.of(label.adult_dosing.overdose_above.daily_mg)
    regimens = []
    for count in times:
        steps = 1
        while step * steps * count <= ceiling:
            regimens.append(Regimen((step * steps).mg, count, step * steps * count))
            steps += 1
    return tuple(regimens)

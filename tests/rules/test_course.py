"""Course rules over an orders history: titration pace, duration, tolerance, abrupt stop, taper pace."""

from __future__ import annotations

import json
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from clonaguard.check import check, parse_case
from clonaguard.cli import app
from clonaguard.errors import InvalidInputError
from clonaguard.model import Case, Finding, Severity
from clonaguard.rules.timeline import add_months
from tests.cases import PACKAGED_LEAFLET, codes
from tests.dates import TODAY

LEAFLET = PACKAGED_LEAFLET.read_text(encoding="utf-8")
COURSE_CODES = {
    "TITRATION_TOO_FAST",
    "TITRATION_STEP_TOO_LARGE",
    "DURATION_EXCEEDED",
    "TOLERANCE_DOSE_INCREASE",
    "ABRUPT_DISCONTINUATION",
    "TAPER_STEP_TOO_LARGE",
}
DAY0 = date(2026, 1, 1)


def day(offset: int) -> date:
    return DAY0 + timedelta(days=offset)


def history_data(
    *orders: tuple[int | date, float, int], age_years: float = 34, patient: dict[str, Any] | None = None, **case: Any
) -> dict[str, Any]:
    """A case from (start as a day offset or date, dose per administration, times a day) triples."""
    data: dict[str, Any] = {
        "today": str(day(0)),
        "patient": {"age_years": age_years, **(patient or {})},
        "orders": [
            {"start": str(day(start) if isinstance(start, int) else start), "dose_mg": dose, "times_per_day": times}
            for start, dose, times in orders
        ],
    }
    for key, value in case.items():
        data[key] = str(day(value)) if key in {"stop", "today"} and isinstance(value, int) else value
    return data


def history(*orders: tuple[int | date, float, int], **kwargs: Any) -> Case:
    return parse_case(history_data(*orders, **kwargs), today=TODAY)


def found(case: Case, code: str) -> list[Finding]:
    return [finding for finding in check(case).findings if finding.code == code]


# --- TITRATION_TOO_FAST ---------------------------------------------------------------------------


@pytest.mark.parametrize(("gap", "fires"), [(1, True), (2, True), (3, False), (5, False), (30, False)])
def test_raise_sooner_than_three_days_after_the_course_start(gap: int, fires: bool) -> None:
    case = history((0, 0.5, 3), (gap, 1, 3))
    findings = found(case, "TITRATION_TOO_FAST")
    assert bool(findings) is fires
    if fires:
        (finding,) = findings
        assert finding.severity is Severity.WARNING and finding.order_index == 1
        assert f"{day(1 if gap == 1 else gap)}" in finding.message
        assert finding.suggestion == f"Raise it on {day(3)} at the earliest."


def test_raise_counts_from_the_last_change_not_from_a_renewal() -> None:
    # 1.5 mg a day from day 0, the same daily dose re-ordered on day 2 (twice a day), raised on day 3.
    assert not found(history((0, 0.5, 3), (2, 0.75, 2), (3, 1, 3)), "TITRATION_TOO_FAST")
    # A reduction is a change: raising 2 days after it is too fast.
    assert found(history((0, 1, 3), (5, 0.5, 3), (7, 1, 3)), "TITRATION_TOO_FAST")


def test_every_early_raise_is_reported_with_its_order() -> None:
    case = history((0, 0.5, 3), (1, 1, 3), (2, 1.5, 3), (5, 2, 3))
    assert [finding.order_index for finding in found(case, "TITRATION_TOO_FAST")] == [1, 2]


def test_orders_on_the_same_day_the_last_applies() -> None:
    # A same-day correction is not a raise after 0 days: 1.5 -> 3 mg happens on day 3.
    assert not found(history((0, 0.5, 3), (3, 2, 3), (3, 1, 3)), "TITRATION_TOO_FAST")


# --- TITRATION_STEP_TOO_LARGE ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "raised_to", "fires"),
    [
        (34, 2.49, False),  # 1.5 mg a day raised by just under the adult step of 1 mg
        (34, 2.5, False),  # exactly the step
        (34, 2.51, True),  # just over it
        (15.9, 1.99, False),  # a child: the step is 0.5 mg
        (15.9, 2.0, False),
        (15.9, 2.01, True),
        (16, 2.01, False),  # 16 is the first adult age: the adult step applies
    ],
)
def test_a_raise_larger_than_the_titration_step(age: float, raised_to: float, fires: bool) -> None:
    case = history((0, 1.5, 1), (5, raised_to, 1), age_years=age, continuing=True)
    findings = found(case, "TITRATION_STEP_TOO_LARGE")
    assert bool(findings) is fires
    if fires:
        (finding,) = findings
        assert finding.severity is Severity.WARNING and finding.order_index == 1
        assert finding.source.startswith("The daily dose is increased gradually")


def test_a_titration_step_finding_says_how_far_to_raise() -> None:
    (finding,) = found(history((0, 0.5, 3), (5, 1.5, 3)), "TITRATION_STEP_TOO_LARGE")
    assert finding.message == (
        f"The daily dose rises from 1.5 to 4.5 mg on {day(5)}, 3 mg at once; the titration policy raises it by "
        "at most 1 mg."
    )
    assert finding.suggestion == "Raise it to 2.5 mg a day at most, then by at most 1 mg every 3–5 days."
    assert not found(history((0, 0.5, 3), (5, 2.5, 1), (10, 1, 3)), "TITRATION_STEP_TOO_LARGE")  # 1.5, 2.5, 3


# --- DURATION_EXCEEDED ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 1), 3, date(2026, 4, 1)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
        (date(2026, 12, 15), 14, date(2028, 2, 15)),
    ],
)
def test_add_months_by_calendar(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("stop", "fires"), [(date(2026, 4, 1), False), (date(2026, 4, 2), True)])
def test_course_of_exactly_three_months_and_one_day_more(stop: date, fires: bool) -> None:
    case = history((0, 0.25, 1), stop=str(stop), continuing=True)  # no reduction: no taper time to leave out
    findings = found(case, "DURATION_EXCEEDED")
    assert bool(findings) is fires
    if fires:
        (finding,) = findings
        assert finding.severity is Severity.WARNING
        assert "reached on 2026-04-01" in finding.message and "stops on 2026-04-02" in finding.message


@pytest.mark.parametrize(("stop", "fires"), [(date(2026, 5, 1), False), (date(2026, 5, 2), True)])
def test_the_shortest_three_calendar_months(stop: date, fires: bool) -> None:
    """February to April is 89 days: no quick bound on a course's length in days may let one of 90 pass."""
    case = history((date(2026, 2, 1), 0.25, 1), stop=str(stop), continuing=True)
    assert bool(found(case, "DURATION_EXCEEDED")) is fires


def test_three_months_from_the_end_of_a_month_is_clipped() -> None:
    start = date(2025, 11, 30)
    ok = history((start, 0.5, 3), today=str(date(2026, 2, 28)))
    late = history((start, 0.5, 3), today=str(date(2026, 3, 1)))
    assert not found(ok, "DURATION_EXCEEDED")
    (finding,) = found(late, "DURATION_EXCEEDED")
    assert "still running on 2026-03-01" in finding.message and "reached on 2026-02-28" in finding.message
    assert finding.suggestion is not None and finding.suggestion.startswith("Begin a gradual stop now")


def ending(end: date, *orders: tuple[int | date, float, int]) -> Case:
    """A course whose last order carries an `end` (as a sig's own duration gives it) and no `stop`."""
    data = history_data(*(orders or ((0, 0.5, 3), (10, 1, 3))))
    data["orders"][-1]["end"] = str(end)
    return parse_case(data, today=TODAY)


@pytest.mark.parametrize(("end", "fires"), [(date(2026, 3, 31), False), (date(2026, 4, 1), False)])
def test_an_end_within_three_months(end: date, fires: bool) -> None:
    assert bool(found(ending(end), "DURATION_EXCEEDED")) is fires


def test_the_last_orders_end_counts_when_there_is_no_stop() -> None:
    (finding,) = found(ending(date(2026, 4, 2)), "DURATION_EXCEEDED")
    assert "last order ends on 2026-04-02" in finding.message
    assert (
        finding.suggestion == "Begin a gradual stop by 2026-04-01, then replace the medicine, as the leaflet advises."
    )


def test_an_end_is_not_a_stop() -> None:
    """ "for 30 days" is a supply: 6 mg a day ending on a date draws no stop finding of any kind."""
    case = ending(day(30), (0, 2, 3))
    assert case.stop is None
    assert not {"ABRUPT_DISCONTINUATION", "TAPER_STEP_TOO_LARGE"} & set(codes(check(case).findings))
    assert found(parse_case({**history_data((0, 2, 3)), "stop": str(day(31))}, today=TODAY), "ABRUPT_DISCONTINUATION")


def tapered(taper_day: date, hold: int, first_hold: int | None = None) -> Case:
    """1.5 mg a day from 2026-01-01, lowered by 0.25 mg a day from `taper_day`, each dose held `hold` days
    (the first `first_hold`), down to 0.25 mg a day, then stopped."""
    holds = [first_hold or hold] + [hold] * 4
    orders: list[tuple[int | date, float, int]] = [(0, 1.5, 1)]
    start = taper_day
    for k, held in enumerate(holds):
        orders.append((start, 1.25 - 0.25 * k, 1))
        start += timedelta(days=held)
    return history(*orders, stop=str(start))


def test_tapering_time_is_not_counted() -> None:
    # 1.5 mg a day from 2026-01-01, coming down by 0.25 mg every 3 days from `taper_day`, then stopping.
    def course(taper_day: date) -> Case:
        steps = [(0, 0.5, 3)] + [(taper_day + timedelta(days=3 * k), (1.5 - 0.25 * (k + 1)) / 2, 2) for k in range(5)]
        return history(*steps, stop=str(taper_day + timedelta(days=15)))

    assert not found(course(date(2026, 4, 1)), "DURATION_EXCEEDED")
    (finding,) = found(course(date(2026, 4, 2)), "DURATION_EXCEEDED")
    assert "taper begins on 2026-04-02" in finding.message


@pytest.mark.parametrize(("hold", "fires"), [(27, False), (28, False), (29, True)])
def test_tapering_time_is_excused_only_while_each_dose_is_held_at_most_28_days(hold: int, fires: bool) -> None:
    # The taper begins on 2026-03-01, within the 3 months; it proceeds only if no dose is held past the bound.
    findings = found(tapered(date(2026, 3, 1), hold), "DURATION_EXCEEDED")
    assert bool(findings) is fires
    if fires:
        (finding,) = findings
        assert f"it stops on {date(2026, 3, 1) + timedelta(days=5 * hold)}" in finding.message


@pytest.mark.parametrize(("first_hold", "fires"), [(31, False), (60, True)])
def test_a_long_hold_ends_the_taper_and_the_time_before_it_counts(first_hold: int, fires: bool) -> None:
    # 1.25 mg a day held from 2026-03-01 for `first_hold` days is a pause; the taper then runs in 3-day steps,
    # and counts from the pause's end: 2026-04-01 (day 31, the limit) or 2026-04-30.
    findings = found(tapered(date(2026, 3, 1), 3, first_hold=first_hold), "DURATION_EXCEEDED")
    assert bool(findings) is fires
    if fires:
        (finding,) = findings
        assert "taper begins on 2026-04-30" in finding.message


def test_a_continuing_course_started_no_later_than_its_first_order() -> None:
    (finding,) = found(history((0, 1, 3), today=str(date(2026, 5, 1)), continuing=True), "DURATION_EXCEEDED")
    assert finding.message.startswith("The course started on or before 2026-01-01 ")


# --- TOLERANCE_DOSE_INCREASE ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "age", "reported", "fires"),
    [
        (2, 2.5, 34, True, True),  # 6 -> 7.5 mg a day from a standard dose
        (8 / 3, 3, 34, True, True),  # 8 -> 9 mg a day: 8 is still standard
        (4 / 3, 1.5, 34, True, True),  # 4 -> 4.5 mg a day: 4 is standard
        (1, 1.5, 34, True, False),  # 3 -> 4.5 mg a day: still titrating
        (3, 3.5, 34, True, False),  # 9 -> 10.5 mg a day: not from a standard dose
        (2, 2.5, 34, False, False),  # no reduced efficacy reported
        (2.5, 2, 34, True, False),  # a reduction
        (1.5, 1.75, 12, True, False),  # a child: the standard dose is the adult one
    ],
)
def test_tolerance_dose_increase(before: float, after: float, age: float, reported: bool, fires: bool) -> None:
    case = history(
        (0, before, 3), (5, after, 3), age_years=age, patient={"reduced_efficacy_reported": reported}, continuing=True
    )
    findings = found(case, "TOLERANCE_DOSE_INCREASE")
    assert bool(findings) is fires
    if fires:
        assert findings[0].severity is Severity.WARNING and findings[0].order_index == 1


def test_tolerance_applies_to_the_checked_order_only() -> None:
    case = history((0, 2, 3), (5, 2.5, 3), (10, 2, 3), patient={"reduced_efficacy_reported": True}, continuing=True)
    assert not found(case, "TOLERANCE_DOSE_INCREASE")


# --- ABRUPT_DISCONTINUATION -----------------------------------------------------------------------


@pytest.mark.parametrize(("dose", "times", "fires"), [(0.125, 2, False), (0.25, 1, False), (0.25, 2, True)])
def test_stop_from_a_quarter_milligram_a_day_or_from_half(dose: float, times: int, fires: bool) -> None:
    case = history((0, dose, times), stop=10, continuing=True)
    findings = found(case, "ABRUPT_DISCONTINUATION")
    assert bool(findings) is fires
    if fires:
        (finding,) = findings
        assert finding.severity is Severity.CRITICAL
        # 0.5 mg a day: down to 0.25 mg after 3 days, held 3 days, then stopped.
        assert finding.suggestion is not None and "at least 6 days from 0.5 mg a day" in finding.suggestion


def test_no_stop_no_abrupt_discontinuation() -> None:
    assert not found(history((0, 2, 3), continuing=True), "ABRUPT_DISCONTINUATION")


def test_the_stop_flag_reaches_the_rules_from_the_command_line() -> None:
    args = ["check", "--dose-mg", "2", "--times-per-day", "3", "--age", "34", "--continuing", "--json"]
    result = CliRunner().invoke(app, [*args, "--today", "2026-12-01", "--stop", "2026-12-10"])
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["ABRUPT_DISCONTINUATION"]
    bad = CliRunner().invoke(app, [*args, "--today", "2026-12-01", "--stop", "2026-12-01"])
    assert bad.exit_code == 2 and "--stop" in bad.stderr and "after the last order's start" in bad.stderr


# --- TAPER_STEP_TOO_LARGE -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lowered_to", "gap", "fires"),
    [
        (1.25, 3, False),  # exactly the policy: 0.25 mg a day less after 3 days
        (1.25, 10, False),
        (1.0, 3, True),  # 0.5 mg less
        (1.25, 2, True),  # sooner than the interval
    ],
)
def test_reduction_of_exactly_the_policy_step_or_more_or_sooner(lowered_to: float, gap: int, fires: bool) -> None:
    case = history((0, 0.5, 3), (gap, lowered_to, 1), continuing=True)
    findings = found(case, "TAPER_STEP_TOO_LARGE")
    assert bool(findings) is fires
    if fires:
        (finding,) = findings
        assert finding.severity is Severity.INFO and finding.order_index == 1  # no stop: lowered for a while
        assert finding.message.endswith("than the taper policy allows.")
        when = f"on {day(3)} at the earliest" if gap < 3 else f"on {day(gap)}"
        assert finding.suggestion == (
            f"The taper policy lowers the daily dose by at most 0.25 mg every 3 days: lower 1.5 mg a day to "
            f"1.25 mg a day {when}."
        )


@pytest.mark.parametrize(("stop", "severity"), [(None, Severity.INFO), (30, Severity.WARNING)])
def test_a_large_reduction_is_a_warning_only_in_a_course_that_stops(stop: int | None, severity: Severity) -> None:
    extra = {} if stop is None else {"stop": stop}
    (finding,) = found(history((0, 0.5, 3), (3, 0.25, 1), continuing=True, **extra), "TAPER_STEP_TOO_LARGE")
    assert finding.severity is severity


@pytest.mark.parametrize(("held", "fires"), [(2, True), (3, False)])
def test_the_last_step_is_held_for_the_interval_before_the_stop(held: int, fires: bool) -> None:
    case = history((0, 0.25, 2), (3, 0.25, 1), stop=3 + held, continuing=True)
    assert bool(found(case, "TAPER_STEP_TOO_LARGE")) is fires
    assert not found(case, "ABRUPT_DISCONTINUATION")


def test_the_case_can_tighten_the_taper() -> None:
    taper = {"step_daily_mg": "0,125", "interval_days": 5}
    assert not found(history((0, 1, 3), (5, 2.875, 1), continuing=True, taper=taper), "TAPER_STEP_TOO_LARGE")
    (soon,) = found(history((0, 1, 3), (4, 2.875, 1), continuing=True, taper=taper), "TAPER_STEP_TOO_LARGE")
    assert soon.message == (
        f"Daily dose lowered from 3 to 2.875 mg on {day(4)}, 4 days after the last change: "
        "sooner than this case's taper allows."
    )
    assert soon.suggestion is not None and "at most 0.125 mg every 5 days" in soon.suggestion
    # The label's policy allows 0.25 mg every 3 days; this case's stricter taper does not.
    assert found(history((0, 1, 3), (5, 2.75, 1), continuing=True, taper=taper), "TAPER_STEP_TOO_LARGE")
    assert not found(history((0, 1, 3), (5, 2.75, 1), continuing=True), "TAPER_STEP_TOO_LARGE")


def test_the_case_cannot_loosen_the_taper() -> None:
    looser = {"step_daily_mg": 1, "interval_days": 1}
    assert found(history((0, 1, 3), (5, 2.5, 1), continuing=True, taper=looser), "TAPER_STEP_TOO_LARGE")
    assert found(history((0, 1, 3), (2, 2.75, 1), continuing=True, taper=looser), "TAPER_STEP_TOO_LARGE")


@pytest.mark.parametrize(
    ("taper", "field"),
    [
        ({"step_daily_mg": 0, "interval_days": 3}, "taper.step_daily_mg"),
        ({"step_daily_mg": 0.25, "interval_days": 0}, "taper.interval_days"),
        ({"step_daily_mg": 0.25}, "taper.interval_days"),
        ({"step_daily_mg": 0.25, "interval_days": 3, "final_daily_mg": 1}, "taper.final_daily_mg"),
    ],
)
def test_a_bad_taper_names_its_field(taper: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError, match=field.replace(".", r"\.")):
        history((0, 1, 3), taper=taper)


# --- the dose rules during a course ---------------------------------------------------------------


def test_no_dose_below_minimum_while_tapering() -> None:
    tapering = history((0, 0.5, 3), (3, 0.625, 2), continuing=True)  # 1.5 -> 1.25 mg a day
    assert "DOSE_BELOW_MINIMUM" not in codes(check(tapering).findings)
    raised = history((0, 0.25, 2), (3, 0.5, 2), continuing=True)  # 0.5 -> 1 mg a day: still below
    assert codes(check(raised).findings).get("DOSE_BELOW_MINIMUM") == "info"


def test_no_pediatric_below_range_while_tapering() -> None:
    tapering = history((0, 0.5, 3), (3, 0.5, 2), age_years=8, continuing=True)  # 1.5 -> 1 mg a day, band 3-6
    assert "PEDIATRIC_DOSE_BELOW_RANGE" not in codes(check(tapering).findings)
    assert "PEDIATRIC_DOSE_BELOW_RANGE" in codes(check(history((0, 0.5, 2), age_years=8)).findings)


@pytest.mark.parametrize(("continuing", "fires"), [(False, True), (True, False)])
def test_a_history_that_starts_above_the_minimum(continuing: bool, fires: bool) -> None:
    case = history((0, 2, 3), (3, 1.75, 3), continuing=continuing)
    findings = found(case, "START_DOSE_ABOVE_MINIMUM")
    assert bool(findings) is fires
    if fires:
        assert findings[0].order_index == 0


# --- the case's dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"orders": [{"start": "2026-01-05", "end": "2026-01-04", "dose_mg": 1, "times_per_day": 3}]}, "orders[0]"),
        ({"stop": "2026-01-01"}, "stop"),
        ({"stop": "2025-12-31"}, "stop"),
    ],
)
def test_dates_that_cannot_be(change: dict[str, Any], field: str) -> None:
    data = {**history_data((0, 1, 3)), **change}
    with pytest.raises(InvalidInputError) as error:
        parse_case(data, today=TODAY)
    assert str(error.value).startswith(f"{field}:")


def test_a_gap_between_orders_is_refused_not_bridged() -> None:
    data = history_data((0, 1, 3), (10, 1.5, 3))
    data["orders"][0]["end"] = str(day(8))
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.end .* leaves a gap"):
        parse_case(data, today=TODAY)
    data["orders"][0]["end"] = str(day(9))  # the day before the next start: continuous
    parse_case(data, today=TODAY)
    data["orders"][1]["end"] = str(day(12))
    with pytest.raises(InvalidInputError, match=r"^stop: leaves a gap after the last order's end"):
        parse_case({**data, "stop": str(day(14))}, today=TODAY)
    parse_case({**data, "stop": str(day(13))}, today=TODAY)


def test_a_case_file_with_a_history_end_to_end(tmp_path: Path) -> None:
    runner = CliRunner()
    plan = history_data((0, 0.5, 3), (3, 0.75, 3), (6, 1, 3))  # 1.5, 2.25, 3 mg a day
    good = tmp_path / "good.json"
    good.write_text(json.dumps(plan), encoding="utf-8")
    result = runner.invoke(app, ["check", "--case", str(good), "--json"])
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["daily_dose_mg"] == 3
    plan["orders"][2]["start"] = str(day(4))
    plan["stop"] = str(day(8))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(plan), encoding="utf-8")
    result = runner.invoke(app, ["check", "--case", str(bad), "--json"])
    assert result.exit_code == 1
    assert {f["code"]: f["order_index"] for f in json.loads(result.stdout)["findings"]} == {
        "ABRUPT_DISCONTINUATION": 2,
        "TITRATION_TOO_FAST": 2,
    }
    refused = runner.invoke(app, ["check", "--case", str(bad), "--stop", "2026-02-01"])
    assert refused.exit_code == 2 and "--stop" in refused.stderr


# --- properties ----------------------------------------------------------------------------------

daily_steps = st.integers(min_value=1, max_value=80).map(lambda quarters: quarters * 0.25)  # 0.25 to 20 mg a day


any_dose = st.floats(min_value=0.001, max_value=1000, allow_nan=False).map(lambda mg: round(mg, 3))


@st.composite
def histories(draw: st.DrawFn, wide: bool = False) -> dict[str, Any]:
    """Any history of daily doses on any dates, with or without a stop, taper override or reduced efficacy.

    `wide` draws any accepted dose and frequency, not only quarter-milligram daily doses once a day.
    """
    doses = st.tuples(any_dose, st.integers(1, 24)) if wide else st.tuples(daily_steps, st.just(1))
    regimens = draw(st.lists(doses, min_size=1, max_size=12))
    gaps = draw(st.lists(st.integers(0, 400 if wide else 40), min_size=len(regimens), max_size=len(regimens)))
    start = 0
    orders: list[tuple[int | date, float, int]] = []
    for (dose, times), gap in zip(regimens, gaps, strict=True):
        start += gap
        orders.append((start, dose, times))
    extra: dict[str, Any] = {"continuing": draw(st.booleans()), "today": draw(st.integers(0, start + 200))}
    if draw(st.booleans()):
        extra["stop"] = start + draw(st.integers(1, 200))
    if draw(st.booleans()):
        extra["taper"] = {"step_daily_mg": draw(daily_steps), "interval_days": draw(st.integers(1, 10))}
    patient = {"reduced_efficacy_reported": draw(st.booleans())}
    return history_data(*orders, age_years=draw(st.sampled_from([0.5, 4, 10, 34, 80])), patient=patient, **extra)


@settings(max_examples=200, deadline=None)
@given(st.one_of(histories(), histories(wide=True)))
def test_every_course_finding_is_cited_short_and_points_at_an_order(data: dict[str, Any]) -> None:
    case = parse_case(data, today=TODAY)
    for finding in check(case).findings:
        assert finding.source in LEAFLET
        assert len(finding.message) < 140 and finding.message.endswith(".")
        assert finding.order_index is not None and 0 <= finding.order_index < len(case.orders)
        if finding.code == "ABRUPT_DISCONTINUATION":
            assert finding.severity is Severity.CRITICAL
        elif finding.code == "TAPER_STEP_TOO_LARGE":
            assert finding.severity is (Severity.INFO if case.stop is None else Severity.WARNING)
        elif finding.code in COURSE_CODES:
            assert finding.severity is Severity.WARNING


@settings(max_examples=150, deadline=None)
@given(histories())
def test_abrupt_discontinuation_exactly_when_stopping_above_the_final_step(data: dict[str, Any]) -> None:
    case = parse_case(data, today=TODAY)
    stops_high = case.stop is not None and case.checked_order.daily_dose_mg > 0.25
    assert bool(found(case, "ABRUPT_DISCONTINUATION")) is stops_high


@settings(max_examples=150, deadline=None)
@given(histories(), st.lists(st.integers(0, 10), min_size=12, max_size=12))
def test_spreading_the_same_changes_over_longer_intervals_never_adds_titration_too_fast(
    data: dict[str, Any], extra_days: list[int]
) -> None:
    starts = [order["start"] for order in data["orders"]]
    assume(len(set(starts)) == len(starts))  # same-day orders replace each other; spreading would split them
    before = {f.order_index for f in found(parse_case(data, today=TODAY), "TITRATION_TOO_FAST")}
    shift = 0
    for order, more in zip(data["orders"], extra_days, strict=False):
        shift += more
        order["start"] = str(date.fromisoformat(order["start"]) + timedelta(days=shift))
    data.pop("stop", None)
    after = {f.order_index for f in found(parse_case(data, today=TODAY), "TITRATION_TOO_FAST")}
    assert after <= before


@settings(max_examples=150, deadline=None)
@given(st.one_of(histories(), histories(wide=True)), st.data())
def test_an_end_draws_no_stop_finding_and_counts_as_the_course_end(data: dict[str, Any], draw: st.DataObject) -> None:
    data.pop("stop", None)
    last = data["orders"][-1]
    end = date.fromisoformat(last["start"]) + timedelta(days=draw.draw(st.integers(0, 200)))
    with_end = {**data, "orders": [*data["orders"][:-1], {**last, "end": str(end)}]}
    case = parse_case(with_end, today=TODAY)
    found_codes = set(codes(check(case).findings))
    assert "ABRUPT_DISCONTINUATION" not in found_codes
    assert ("DURATION_EXCEEDED" in found_codes) is (end > add_months(case.steps[0].start, 3))
    without = set(codes(check(parse_case(data, today=TODAY)).findings)) - {"DURATION_EXCEEDED"}
    assert found_codes - {"DURATION_EXCEEDED"} == without  # the end changes nothing else


@settings(max_examples=150, deadline=None)
@given(st.one_of(histories(), histories(wide=True)))
def test_tapering_excuses_at_most_28_days_per_reduction(data: dict[str, Any]) -> None:
    case = parse_case(data, today=TODAY)
    assume(case.stop is not None)
    assert case.stop is not None
    course = case.steps
    reductions = sum(after.daily_mg < before.daily_mg for before, after in pairwise(course))
    if not found(case, "DURATION_EXCEEDED"):
        assert case.stop <= add_months(course[0].start, 3) + timedelta(days=28 * reductions)


@settings(max_examples=150, deadline=None)
@given(histories(), st.sampled_from([4, 10, 34]))
def test_every_raise_above_the_titration_step_is_flagged_and_no_other(data: dict[str, Any], age: float) -> None:
    starts = [order["start"] for order in data["orders"]]
    assume(len(set(starts)) == len(starts))  # once a day, one order a day: each order is a step
    data["patient"]["age_years"] = age
    step = 1 if age >= 16 else 0.5
    doses = [order["dose_mg"] for order in data["orders"]]
    expected = {index for index in range(1, len(doses)) if doses[index] - doses[index - 1] > step}
    assert {f.order_index for f in found(parse_case(data, today=TODAY), "TITRATION_STEP_TOO_LARGE")} == expected


@st.composite
def compliant_courses(draw: st.DrawFn) -> dict[str, Any]:
    """Titrate from the minimal dose at the leaflet's pace, hold, then taper within the policy and stop."""
    stricter = st.fixed_dictionaries({"step_daily_mg": st.just(0.25), "interval_days": st.integers(3, 10)})
    taper = draw(st.one_of(st.none(), stricter))  # a case may only tighten the label's 0.25 mg every 3 days
    quarters = 1  # the step, in 0.25 mg
    interval = 3 if taper is None else int(taper["interval_days"])
    orders: list[tuple[int | date, float, int]] = [(0, 0.5, 3)]
    start, daily = 0, 1.5
    for _ in range(draw(st.integers(0, 6))):  # raises 3 to 12 days apart: with the hold, within 3 months
        start += draw(st.integers(3, 12))
        daily += draw(st.sampled_from([0.25, 0.5, 0.75, 1]))  # at most the titration policy's 1 mg
        orders.append((start, daily, 1))
    start += max(interval, 3) + draw(st.integers(0, 5))
    while daily > 0.25:  # reductions of at most the step, at least the interval apart, down to 0.25 mg a day
        daily = max(daily - 0.25 * draw(st.integers(1, quarters)), 0.25)
        orders.append((start, daily, 1))
        start += interval + draw(st.integers(0, 3))
    return history_data(*orders, stop=start, taper=taper, today=0)


@settings(max_examples=150, deadline=None)
@given(compliant_courses())
def test_a_course_within_the_rules_draws_no_course_finding(data: dict[str, Any]) -> None:
    found_codes = set(codes(check(parse_case(data, today=TODAY)).findings))
    assert not found_codes & COURSE_CODES


@settings(max_examples=100, deadline=None)
@given(histories(), st.sampled_from([date(1, 1, 1), date(2024, 2, 29), date(9999, 7, 1), date(9999, 12, 1)]))
def test_moving_a_course_in_time_changes_only_its_calendar_months(data: dict[str, Any], base: date) -> None:
    """Day counts do not depend on the date, up to the calendar's ends; only months differ in length."""
    before = [
        (f.code, f.order_index) for f in check(parse_case(data, today=TODAY)).findings if f.code != "DURATION_EXCEEDED"
    ]
    dates = [data["today"], data.get("stop") or data["today"], *(order["start"] for order in data["orders"])]
    shift = min(base - DAY0, date.max - max(date.fromisoformat(text) for text in dates))
    for order in data["orders"]:
        order["start"] = str(date.fromisoformat(order["start"]) + shift)
    for key in ("today", "stop"):
        if key in data:
            data[key] = str(date.fromisoformat(data[key]) + shift)
    after = [
        (f.code, f.order_index) for f in check(parse_case(data, today=TODAY)).findings if f.code != "DURATION_EXCEEDED"
    ]
    assert after == before


def test_three_months_past_the_calendars_end_is_its_last_day() -> None:
    assert add_months(date(9999, 11, 15), 3) == date.max
    (finding,) = found(history((date(9999, 1, 1), 1, 3), today="9999-12-31", continuing=True), "DURATION_EXCEEDED")
    assert "reached on 9999-04-01" in finding.message


def test_a_suggested_date_past_the_calendars_end_does_not_fail() -> None:
    case = history((date(9999, 12, 30), 0.5, 3), (date(9999, 12, 31), 1, 3), today="9999-12-31")
    (finding,) = found(case, "TITRATION_TOO_FAST")
    assert finding.suggestion == "Raise it on 9999-12-31 at the earliest."

"""Exports read back with their own parsers: iCalendar with `icalendar`, CSV with `csv`, JSON with `json`."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from clonaguard.errors import InvalidInputError
from clonaguard.labels.schema import Label
from clonaguard.plan import Plan, to_csv, to_ics, to_json
from clonaguard.plan.export import CSV_COLUMNS
from clonaguard.units import Mass
from tests.plan.plans import taper, titration

STAMP = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def events(data: bytes) -> list[object]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def occurrences(data: bytes) -> Counter[tuple[datetime, str]]:
    """(date and time, tablets text) of every dose the calendar shows, each daily series expanded."""
    found: Counter[tuple[datetime, str]] = Counter()
    for event in events(data):
        rule = event["rrule"]  # type: ignore[index]
        assert rule["FREQ"] == ["DAILY"]
        start = event.decoded("dtstart")  # type: ignore[attr-defined]
        text = str(event["summary"]).split(": ", 1)[1]  # type: ignore[index]
        for day in range(rule["COUNT"][0]):
            found[(start + timedelta(days=day), text)] += 1
    return found


def expected_doses(plan: Plan) -> Counter[tuple[datetime, str]]:
    """(date and time, tablets text) of every administration the plan gives."""
    found: Counter[tuple[datetime, str]] = Counter()
    for step in plan.steps:
        for offset in range(step.days):
            day = step.start + timedelta(days=offset)
            for dose in step.administrations:
                found[(datetime.combine(day, dose.time), dose.tablets_text)] += 1
    return found


@pytest.mark.parametrize("kind", ["titration", "taper"])
def test_one_daily_series_per_administration_of_each_step_with_tablets_in_the_title(label: Label, kind: str) -> None:
    plan = titration(label, age=8, target=4) if kind == "titration" else taper(label, dose_mg=1, times_per_day=2)
    data = to_ics(plan, label, stamp=STAMP)
    parsed = events(data)
    assert len(parsed) == sum(len(s.administrations) for s in plan.steps)
    assert occurrences(data).total() == plan.administrations
    for event in parsed:
        start = event.decoded("dtstart")  # type: ignore[attr-defined]
        summary = str(event["summary"])  # type: ignore[index]
        assert summary.startswith("Clonazepam ")
        assert label.administration.instructions in str(event["description"])  # type: ignore[index]
        assert event.decoded("dtend") - start == timedelta(minutes=15)  # type: ignore[attr-defined]
        assert event.decoded("dtstamp") == STAMP  # type: ignore[attr-defined]
    assert occurrences(data) == expected_doses(plan)
    uids = [str(event["uid"]) for event in parsed]  # type: ignore[index]
    assert len(set(uids)) == len(uids)


def test_calendar_has_the_properties_calendar_apps_require(label: Label) -> None:
    calendar = Calendar.from_ical(to_ics(titration(label), label, stamp=STAMP))
    assert str(calendar["version"]) == "2.0"
    assert "clonaguard" in str(calendar["prodid"])
    for event in calendar.walk("VEVENT"):
        for required in ("uid", "dtstamp", "dtstart", "summary"):
            assert required in event
        alarms = event.walk("VALARM")
        assert alarms and str(alarms[0]["action"]) == "DISPLAY"


def test_floating_times_without_a_zone_and_vtimezone_with_one(label: Label) -> None:
    plan = titration(label)
    floating = events(to_ics(plan, label, stamp=STAMP))[0]
    assert floating.decoded("dtstart").tzinfo is None  # type: ignore[attr-defined]
    zoned = Calendar.from_ical(to_ics(plan, label, tz="America/New_York", stamp=STAMP))
    assert [str(tz["tzid"]) for tz in zoned.walk("VTIMEZONE")] == ["America/New_York"]
    first = zoned.walk("VEVENT")[0]
    start = first.decoded("dtstart")
    assert start.hour == plan.steps[0].administrations[0].time.hour
    assert start.utcoffset() == timedelta(hours=-5)  # December in New York


def test_a_bad_zone_is_refused(label: Label) -> None:
    with pytest.raises(InvalidInputError, match=r"^tz: .*accepted: an IANA name"):
        to_ics(titration(label), label, tz="Mars/Olympus")


def test_uids_are_stable_so_a_reimport_updates(label: Label) -> None:
    plan = titration(label)
    first = [str(e["uid"]) for e in events(to_ics(plan, label, stamp=STAMP))]  # type: ignore[index]
    later = [str(e["uid"]) for e in events(to_ics(plan, label))]  # type: ignore[index]
    assert first == later


def test_the_last_taper_event_says_when_the_course_stops(label: Label) -> None:
    plan = taper(label, dose_mg=0.5, times_per_day=2)
    last = events(to_ics(plan, label, stamp=STAMP))[-1]
    assert f"the course stops on {plan.stop}" in str(last["description"])  # type: ignore[index]


def test_csv_has_one_row_per_administration_and_adds_up(label: Label) -> None:
    plan = titration(label, target=5)
    rows = list(csv.DictReader(io.StringIO(to_csv(plan))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == sum(len(step.administrations) for step in plan.steps)
    per_step: dict[str, Mass] = {}
    for row in rows:
        per_step[row["step"]] = per_step.get(row["step"], Mass(0)) + Mass.of(row["dose_mg"])
    for step in plan.steps:
        assert per_step[str(step.number)] == Mass.of(step.daily_mg)
    assert rows[-1]["kind"] == "maintenance"


def test_json_carries_the_whole_structure(label: Label) -> None:
    plan = taper(label)
    data = json.loads(to_json(plan))
    assert data["kind"] == "taper"
    assert data["stop"] == plan.stop.isoformat()  # type: ignore[union-attr]
    assert data["current"]["daily_mg"] == 6
    assert data["instructions"] == label.administration.instructions
    assert len(data["steps"]) == len(plan.steps)
    for step, raw in zip(plan.steps, data["steps"], strict=True):
        assert raw["daily_mg"] == step.daily_mg
        assert sum((Mass.of(d["dose_mg"]) for d in raw["administrations"]), Mass(0)) == Mass.of(step.daily_mg)
        for dose in raw["administrations"]:
            tablets = sum((Mass.of(t["strength_mg"]) * int(t["count"] * 2) for t in dose["tablets"]), Mass(0))
            assert tablets == Mass.of(dose["dose_mg"]) * 2
    assert data["notes"] == list(plan.notes)


@settings(max_examples=25, deadline=None)
@given(
    daily_eighths=st.integers(2, 16),
    times_per_day=st.integers(2, 3),
    form=st.sampled_from(["tablet", "odt"]),
    interval=st.integers(3, 5),
)
def test_calendar_matches_the_plan_for_any_small_taper(
    label: Label, daily_eighths: int, times_per_day: int, form: str, interval: int
) -> None:
    plan = taper(
        label, dose_mg=daily_eighths / 8 / times_per_day, times_per_day=times_per_day, form=form, interval_days=interval
    )
    assert occurrences(to_ics(plan, label, stamp=STAMP)) == expected_doses(plan)


def test_a_plan_of_decades_is_refused_before_any_export_is_made(label: Label) -> None:
    plan = taper(label, dose_mg=2, times_per_day=3, interval_days=365)
    with pytest.raises(InvalidInputError, match=r"interval_days: the plan would last \d+ days; accepted: at most 3653"):
        to_ics(plan, label, stamp=STAMP)


def test_a_long_plan_within_the_bound_exports_in_one_series_per_step(label: Label) -> None:
    plan = taper(label, dose_mg=2, times_per_day=3, interval_days=60)
    data = to_ics(plan, label, stamp=STAMP)
    assert len(events(data)) == sum(len(s.administrations) for s in plan.steps)
    assert len(data) < 100_000 and occurrences(data) == expected_doses(plan)

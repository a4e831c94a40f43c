"""`clonaguard plan`: exit 0 with a plan, exit 2 naming the option and its accepted range on bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from clonaguard.cli import app

runner = CliRunner()
TITRATE = ["plan", "titrate", "--age", "34", "--target-mg", "6", "--start", "2026-12-01"]
TAPER = ["plan", "taper", "--from", "2 mg tid", "--start", "2026-12-01"]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_titrate_prints_a_table_and_a_chart() -> None:
    code, out, _ = run(*TITRATE)
    assert code == 0
    assert "Titration from 1.5 to 6 mg a day" in out
    assert "1 × 2 mg" in out
    assert "Daily dose over time" in out and "█" in out
    assert "between meals, with water only" in out


def test_taper_prints_the_stop() -> None:
    code, out, _ = run(*TAPER)
    assert code == 0
    assert "Taper from 2 mg three times a day (6 mg a day)" in out
    assert "(stop)" in out


def test_json_and_csv_outputs() -> None:
    code, out, _ = run(*TITRATE, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "titration" and data["steps"][-1]["daily_mg"] == 6
    code, out, _ = run(*TAPER, "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and rows[0]["daily_mg"] == "5.75"


def test_ics_file_is_written_and_parses(tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    code, out, _ = run(*TITRATE, "--ics", str(target), "--tz", "Europe/Berlin", "--json")
    assert code == 0
    plan = json.loads(out)
    calendar = Calendar.from_ical(target.read_bytes())
    series = calendar.walk("VEVENT")
    assert sum(event["rrule"]["COUNT"][0] for event in series) == plan["administrations"]  # type: ignore[index,misc]


def test_ics_to_standard_output() -> None:
    code, out, _ = run(*TAPER, "--ics", "-")
    assert code == 0
    assert out.startswith("BEGIN:VCALENDAR")


def test_the_sub_app_has_help_with_examples() -> None:
    code, out, _ = run("plan", "titrate", "--help")
    assert code == 0
    assert "Examples" in out and "--target-mg" in out


@pytest.mark.parametrize(
    ("args", "option", "accepted"),
    [
        (["--target-mg", "25"], "--target-mg", "1.5 to 20 mg a day"),
        (["--age", "3", "--target-mg", "4"], "--target-mg", "to 3 mg a day for children aged 1 to 5"),
        (["--start", "2026-12-32"], "--start", ""),
        (["--start", "next monday"], "--start", ""),
        (["--step-mg", "0"], "--step-mg", "above 0"),
        (["--step-mg", "-0.5"], "--step-mg", "above 0"),
        (["--step-mg", "2"], "--step-mg", "at most 1 mg a day"),
        (["--interval-days", "1"], "--interval-days", "3 to 5 days"),
        (["--times", "8am,2pm,8pm"], "--times", "HH:MM"),
        (["--times", "08:00"], "--times", "2 to 3 times of day"),
        (["--form", "capsule"], "--form", "'tablet' or 'odt'"),
        (["--age", "200"], "--age", "at most 120"),
        (["--tz", "Nowhere/Else"], "--tz", "IANA"),
    ],
)
def test_titrate_bad_input_exits_2_naming_the_option(args: list[str], option: str, accepted: str) -> None:
    base = dict(zip(TITRATE[2::2], TITRATE[3::2], strict=True))
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    code, out, err = run("plan", "titrate", *[part for pair in base.items() for part in pair])
    assert code == 2, out
    assert err.startswith(f"Error: {option}: "), err
    assert accepted in err


@pytest.mark.parametrize(
    ("args", "option", "accepted"),
    [
        (["--from", "two pills sometimes"], "--from", "accepted: one fixed regimen"),
        (["--from", "2 mg"], "--from", "accepted: one fixed regimen"),
        (["--from", "8 mg tid"], "--from", "up to 20 mg a day"),
        (["--step-mg", "0.5"], "--step-mg", "at most 0.25 mg a day"),
        (["--step-mg", "0"], "--step-mg", "above 0"),
        (["--interval-days", "2"], "--interval-days", "at least 3 days"),
        (["--start", "1/12/2026"], "--start", "YYYY-MM-DD"),
    ],
)
def test_taper_bad_input_exits_2_naming_the_option(args: list[str], option: str, accepted: str) -> None:
    base = dict(zip(TAPER[2::2], TAPER[3::2], strict=True))
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    code, out, err = run("plan", "taper", *[part for pair in base.items() for part in pair])
    assert code == 2, out
    assert err.startswith(f"Error: {option}: "), err
    assert accepted in err


def test_json_and_csv_together_are_refused() -> None:
    code, _, err = run(*TITRATE, "--json", "--csv")
    assert code == 2
    assert "--json and --csv" in err

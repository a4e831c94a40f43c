"""The adversarial and EHR-style sets: every sig read as a careful pharmacist reads it, or refused; and the
behaviours those sets are about, one example each."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clonaguard.check import check, parse_case
from clonaguard.cli import app
from clonaguard.errors import InvalidInputError
from clonaguard.sig import parse_sig, sig_orders, uncertainties
from clonaguard.sig.accuracy import load_corpus, order_reading, verdicts
from tests.dates import TODAY

HERE = Path(__file__).parent


@pytest.mark.parametrize(("name", "size", "least_read"), [("adversarial", 300, 120), ("ehr", 150, 100)])
def test_no_sig_is_read_silently_wrong(name: str, size: int, least_read: int) -> None:
    records = load_corpus(HERE / f"{name}.jsonl")
    assert len(records) >= size
    assert len({record["sig"] for record in records}) == len(records), "each sig once"
    result = verdicts(records)
    assert result.wrong == result.crashed == 0, "\n".join(m for m in result.misses if not m.startswith("refused"))
    assert result.read >= least_read


def _problems(sig: str) -> str:
    return "; ".join(uncertainties(parse_sig(sig)))


@pytest.mark.parametrize(
    ("sig", "reading"),
    [
        ("0.25 mg + 0.25 mg bid", (0.5, 2, "scheduled")),
        ("clonazepam 0.5 mg tablets: 1 mane 1 nocte", (0.5, 2, "scheduled")),
        ("0.5 mg bid and 0.5 mg once daily prn anxiety", (0.5, 3, "scheduled_plus_as_needed")),
        ("1 mg bid; may take an additional 1 mg prn, max 3 mg/day", (1, 3, "scheduled_plus_as_needed")),
        ("0.5 mg q4h prn, max 1.5 mg/day", (0.5, 3, "as_needed_maximum")),
        ("clonazepam 0,125 mg bid", (0.125, 2, "scheduled")),
        ("Rivotril 2 mg tablet: take 1/2 tablet (1 mg total) by mouth in the morning", (1, 1, "scheduled")),
        ("Klonopin 0.5 mg: 0.25 mg at night", (0.25, 1, "scheduled")),
        ("clonazepam 0.5 mg tablet: take 1 tablet by mouth 4 (four) times daily", (0.5, 4, "scheduled")),
        ("clonazepam 1 mg tablet: 1 tab PO QHS PRN", (1, 1, "as_needed_maximum")),
        ("clonazepam 0.5 mg tablet ½-½-½", (0.25, 3, "scheduled")),
    ],
)
def test_reads(sig: str, reading: tuple[float, int, str]) -> None:
    dose, times, basis = reading
    assert order_reading(sig) == {"orders": [{"dose_mg": dose, "times_per_day": times}], "dose_basis": basis}


@pytest.mark.parametrize(
    ("sig", "reason"),
    [
        ("0.5 mg 0.5 mg bid", "several"),
        ("0.5 mg and 0.25 mg tid", "several amounts"),
        ("0.5 mg + tid", "'+'"),
        ("clonazepam 1 mg 1 tab q12h and 1 tab prn anxiety", "neither how often nor a daily maximum"),
        ("0.5 mg tid and prn", "gives no amount"),
        ("0.5 mg bid + 0.25 mg daily prn", "differs from the scheduled dose"),
        ("1 mg q4h prn, max 1.5 mg/day", "max 1.5 mg/day is not a whole number of doses"),
        ("2 mg tid, maximum 4 mg per day", "the scheduled 6 mg a day is above the written maximum (max 4 mg/day)"),
        ("clonazepam 0.5 mg tablets: 21/2 tabs bid", "write 10 1/2 or 10.5"),
        ("clonazepam 0.75 mg tablets: 1 tab bid", "no clonazepam tablet of 0.75 mg"),
        ("clonazepam 0.5 mg tablets: 10 tabs tid", "more than the 4 per administration"),
        ("clonazepam 1,000 mg tid", "write 1000 or 1"),
        ("clonazepam 2.500 mg tid", "write 2500 or 2.5"),
        ("clonazepam 0.5 mg oral drops: 5 drops tid", "oral drops: not among the label's products"),
        ("clonazepam 0.5 mg bid x 9999999 days", "longer than the 3653 days"),
        ("clonazepam 0.5 mg bid for 9999 years", "longer than the 3653 days"),
        ("Rivotril 2 mg tablet: take 1 tablet (1 mg total) by mouth", "two strengths"),
        ("Klonopin 2 mg: 0.25 mg at night", "not whole or half tablets"),
        ("clonazepam 0.5 mg tablet 1/2-0-1", "different doses"),
        ("0.5 mg bid, room 12", "'12': a number with no role"),
    ],
)
def test_refuses_naming_the_reason(sig: str, reason: str) -> None:
    assert order_reading(sig) is None
    assert reason in _problems(sig)


def test_a_field_beside_an_error_is_empty_never_wrong() -> None:
    parsed = parse_sig("0.5 mg 2 (three) times daily")
    assert uncertainties(parsed)
    assert parsed.times_per_day is None and parsed.timing is None


def test_a_duration_on_the_last_step_is_the_orders_end_not_a_stop() -> None:
    orders, stop = sig_orders("clonazepam 0.5 mg tid for 30 days", date(2026, 1, 1))
    assert stop is None and orders[-1].end == date(2026, 1, 30)
    orders, stop = sig_orders("0.5 mg bid x 3 days then 1 mg tid x 3 months", date(2026, 1, 1))
    assert stop is None and orders[0].end is None and orders[-1].start == date(2026, 1, 4)
    assert orders[-1].end == date(2026, 4, 3)
    case = parse_case(
        {"today": "2026-01-01", "patient": {"age_years": 40}, "orders": [{"sig": "0.5 mg tid for 4 months"}]},
        today=TODAY,
    )
    assert case.stop is None and case.checked_order.end == date(2026, 4, 30)


def test_the_check_evaluates_the_most_the_order_allows_and_says_on_what_basis() -> None:
    sig = "clonazepam 2 mg tablets: 1 tab tid and 1 tab q6h prn, max 6 tabs/day"
    case = parse_case({"patient": {"age_years": 40}, "orders": [{"sig": sig}]}, today=TODAY)
    report = check(case)
    assert report.to_dict()["daily_dose_mg"] == 12.0
    assert report.to_dict()["dose_basis"] == "scheduled_plus_as_needed"
    assert "DOSE_REQUIRES_HOSPITAL" in {finding.code for finding in report.findings}


@pytest.mark.parametrize("dose_mg", ["1,000", "1.000", "3,000"])
def test_a_case_dose_that_could_be_read_two_ways_is_refused(dose_mg: str) -> None:
    order = {"sig": "clonazepam 1 mg tid", "dose_mg": dose_mg, "times_per_day": 3}
    with pytest.raises(InvalidInputError, match="does not agree"):
        parse_case({"patient": {"age_years": 40}, "orders": [order]}, today=TODAY)


def test_parse_carries_the_doubt_into_json_fhir_and_the_exit_status(tmp_path: Path) -> None:
    runner = CliRunner()
    doubtful = "0.5 mg 2 (three) times daily"
    printed = runner.invoke(app, ["parse", doubtful, "--json"])
    assert printed.exit_code == 1
    reading = json.loads(printed.stdout)
    assert reading["checkable"] is False and reading["uncertainties"]
    printed = runner.invoke(app, ["parse", doubtful, "--fhir"])
    assert printed.exit_code == 1
    outcome = json.loads(printed.stdout)
    assert outcome["resourceType"] == "OperationOutcome"
    assert [issue["diagnostics"] for issue in outcome["issue"]] == reading["uncertainties"]
    sigs = tmp_path / "sigs.txt"
    sigs.write_text("clonazepam 0.5 mg tid\n" + doubtful + "\n", encoding="utf-8")
    printed = runner.invoke(app, ["parse", "--jsonl", str(sigs), "--fhir"])
    assert printed.exit_code == 1
    first, second = (json.loads(line) for line in printed.stdout.splitlines())
    assert "doseAndRate" in first and second["resourceType"] == "OperationOutcome"
    printed = runner.invoke(app, ["parse", "--jsonl", str(sigs)])
    assert [json.loads(line)["checkable"] for line in printed.stdout.splitlines()] == [True, False]
    sigs.write_text("clonazepam 0.5 mg tid\n", encoding="utf-8")
    assert runner.invoke(app, ["parse", "--jsonl", str(sigs)]).exit_code == 0


def test_an_extra_as_needed_part_is_a_second_fhir_dosage_applying_together() -> None:
    printed = CliRunner().invoke(app, ["parse", "0.5 mg bid and 0.5 mg once daily prn anxiety", "--fhir"])
    assert printed.exit_code == 0
    scheduled, extra = json.loads(printed.stdout)
    assert scheduled["sequence"] == extra["sequence"] == 1
    assert "asNeededBoolean" not in scheduled and "asNeededCodeableConcept" not in scheduled
    assert extra["asNeededCodeableConcept"] == {"text": "anxiety"}
    assert scheduled["timing"]["repeat"]["frequency"] == 2 and extra["timing"]["repeat"]["frequency"] == 1

"""Invariants of the order rules over generated cases."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from clonaguard.check import check, parse_case
from clonaguard.cli import app
from clonaguard.model import FINDING_CODES, Report, Severity
from tests.cases import PACKAGED_LEAFLET, make_case
from tests.dates import TODAY

LEAFLET = PACKAGED_LEAFLET.read_text(encoding="utf-8")
ADULT_BANDS = {"DOSE_BELOW_MINIMUM", "DOSE_ABOVE_STANDARD", "DOSE_REQUIRES_HOSPITAL", "DOSE_ABOVE_MAXIMUM"}

doses = st.integers(min_value=1, max_value=400).map(lambda steps: steps * 0.125)


@st.composite
def cases(draw: st.DrawFn, dose: float | None = None) -> dict[str, Any]:
    return {
        "today": "2026-03-01",
        "patient": {
            "age_years": draw(st.one_of(st.integers(0, 120), st.floats(0, 120, allow_nan=False))),
            "pregnant": draw(st.booleans()),
            "breastfeeding": draw(st.booleans()),
            "alcohol_use": draw(st.booleans()),
        },
        "setting": draw(st.sampled_from(["outpatient", "inpatient"])),
        "acute": draw(st.booleans()),
        "continuing": draw(st.booleans()),
        "orders": [{"dose_mg": draw(doses) if dose is None else dose, "times_per_day": draw(st.integers(1, 6))}],
    }


def worst_above_low_dose(report: Report) -> int:
    """The most severe finding that is not a low-dose (LD) one; -1 when there is none."""
    ranks = [f.severity.rank for f in report.findings if f.dur_code != "LD"]
    return max(ranks, default=-1)


@settings(max_examples=300, deadline=None)
@given(cases(), doses, doses)
def test_raising_the_dose_never_lowers_the_most_severe_finding(data: dict[str, Any], a: float, b: float) -> None:
    low, high = sorted((a, b))
    data["orders"][0]["dose_mg"] = low
    low_report = check(parse_case(data, today=TODAY))
    data["orders"][0]["dose_mg"] = high
    high_report = check(parse_case(data, today=TODAY))
    assert worst_above_low_dose(high_report) >= worst_above_low_dose(low_report)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_contraindications_are_always_critical(data: dict[str, Any]) -> None:
    report = check(parse_case(data, today=TODAY))
    by_code = {f.code: f for f in report.findings}
    for flag, code in (("pregnant", "PREGNANCY"), ("breastfeeding", "BREASTFEEDING"), ("alcohol_use", "ALCOHOL_USE")):
        assert (code in by_code) is data["patient"][flag]
        if code in by_code:
            assert by_code[code].severity is Severity.CRITICAL


@settings(max_examples=300, deadline=None)
@given(cases())
def test_every_finding_is_cited_short_and_coded(data: dict[str, Any]) -> None:
    report = check(parse_case(data, today=TODAY))
    for finding in report.findings:
        assert finding.source in LEAFLET
        assert len(finding.message) < 140 and finding.message.endswith(".")
        assert finding.code in FINDING_CODES
        assert finding.order_index == 0


@settings(max_examples=300, deadline=None)
@given(cases())
def test_at_most_one_adult_band_most_severe_first(data: dict[str, Any]) -> None:
    report = check(parse_case(data, today=TODAY))
    assert len([f for f in report.findings if f.code in ADULT_BANDS]) <= 1
    ranks = [f.severity.rank for f in report.findings]
    assert ranks == sorted(ranks, reverse=True)


@settings(max_examples=60, deadline=None)
@given(cases())
def test_the_check_commands_exit_status_follows_the_reported_severities(data: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["check", "--case", "-", "--json"], input=json.dumps(data))
    severities = {finding["severity"] for finding in json.loads(result.stdout)["findings"]}
    assert result.exit_code == (1 if severities & {"warning", "critical"} else 0)


@pytest.mark.parametrize(
    ("dose_mg", "patient", "attention"),
    [
        (0.5, {}, False),  # the minimal dose: no finding
        (0.25, {}, False),  # below the minimal dose: an info finding only
        (3, {}, True),  # 9 mg a day: above the standard, a warning
        (0.5, {"pregnant": True}, True),  # critical whatever the dose
    ],
)
def test_only_a_warning_or_critical_finding_needs_attention(
    dose_mg: float, patient: dict[str, Any], attention: bool
) -> None:
    report = check(make_case(dose_mg, 3, patient=patient))
    assert report.needs_attention is attention
    assert bool(report.findings) is (dose_mg != 0.5 or bool(patient))


def test_a_copy_with_an_update_recomputes_derived_values() -> None:
    case = parse_case({"patient": {"age_years": 40}, "orders": [{"dose_mg": 1, "times_per_day": 3}]}, today=TODAY)
    assert case.orders[0].daily_dose_mg == 3 and case.steps[0].daily_mg == 3
    order = case.orders[0].model_copy(update={"dose_mg": 2})
    assert order.daily_dose_mg == 6
    assert case.model_copy(update={"orders": [order]}).steps[0].daily_mg == 6

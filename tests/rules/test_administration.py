"""ADMINISTRATION_NOT_BETWEEN_MEALS: food or drink instructions against "between meals and with water only"."""

from __future__ import annotations

import pytest

from clonaguard.check import check, parse_case
from clonaguard.labels.schema import Label
from tests.cases import codes
from tests.dates import TODAY


def sig_case(sig: str) -> object:
    return parse_case({"today": "2026-03-01", "patient": {"age_years": 34}, "orders": [{"sig": sig}]}, today=TODAY)


@pytest.mark.parametrize(
    ("sig", "fires"),
    [
        ("clonazepam 0.5 mg tid with meals", True),
        ("clonazepam 0.5 mg tid with food", True),
        ("clonazepam 0.5 mg tid after meals", True),
        ("clonazepam 0.5 mg tid pc", True),
        ("clonazepam 0.5 mg tid with milk", True),
        ("clonazepam 0.5 mg tid with orange juice", True),
        ("clonazepam 0.5 mg tid between meals", False),
        ("clonazepam 0.5 mg tid with water", False),
        ("clonazepam 0.5 mg tid before meals", False),
        ("clonazepam 0.5 mg tid, do not take with milk", False),
        ("clonazepam 0.5 mg tid", False),
    ],
)
def test_food_and_drink_instructions(sig: str, fires: bool) -> None:
    found = codes(check(sig_case(sig)).findings)  # type: ignore[arg-type]
    assert ("ADMINISTRATION_NOT_BETWEEN_MEALS" in found) is fires
    if fires:
        assert found["ADMINISTRATION_NOT_BETWEEN_MEALS"] == "info"


def test_the_finding_cites_the_leaflet_and_says_what_to_do(label: Label) -> None:
    (finding,) = check(sig_case("clonazepam 0.5 mg tid with milk")).findings  # type: ignore[arg-type]
    assert finding.source == label.administration.instructions_source
    assert finding.message == (
        "The instructions say “with milk”; the leaflet says to take the pills between meals, with water only."
    )
    assert finding.suggestion == "Take the pills between meals, with water only."
    assert finding.order_index == 0


def test_a_structured_order_can_carry_the_instruction_too() -> None:
    case = parse_case(
        {"patient": {"age_years": 34}, "orders": [{"dose_mg": 0.5, "times_per_day": 3, "food_drink": ["with food"]}]},
        today=TODAY,
    )
    assert "ADMINISTRATION_NOT_BETWEEN_MEALS" in codes(check(case).findings)

"""Food and drink instructions, with negations, and which contradict "between meals, with water only"."""

from __future__ import annotations

import pytest

from clonaguard.rules.administration import takes_food_or_drink
from clonaguard.sig import parse_sig


@pytest.mark.parametrize(
    ("sig", "instructions", "conflicts"),
    [
        ("1 tab tid between meals", ("between meals",), False),
        ("1 tab tid with water", ("with water",), False),
        ("1 tab tid with a full glass of water", ("with water",), False),
        ("1 tab tid on an empty stomach", ("on an empty stomach",), False),
        ("1 tab tid before meals", ("before food",), False),
        ("1 tab tid ac", ("before food",), False),
        ("1 tab tid with meals", ("with food",), True),
        ("1 tab tid with food", ("with food",), True),
        ("1 tab tid after food", ("after food",), True),
        ("1 tab tid pc", ("after food",), True),
        ("1 tab tid 30 minutes after meals", ("30 minutes after food",), True),
        ("1 tab tid with milk", ("with milk",), True),
        ("1 tab tid with orange juice", ("with orange juice",), True),
        ("1 tab tid, do not take with milk", ("not with milk",), False),
        ("1 tab tid, avoid grapefruit juice", ("not with grapefruit juice",), False),
        ("1 tab tid without food", ("without food",), False),
    ],
)
def test_instructions(sig: str, instructions: tuple[str, ...], conflicts: bool) -> None:
    parsed = parse_sig(sig)
    assert parsed.instructions == instructions
    assert any(takes_food_or_drink(i) for i in parsed.instructions) is conflicts


def test_meal_timing_codes() -> None:
    parsed = parse_sig("1 tab daily with breakfast")
    assert parsed.timing is not None and "CM" in parsed.timing.when
    parsed = parse_sig("1 tab tid pc")
    assert parsed.timing is not None and "PC" in parsed.timing.when

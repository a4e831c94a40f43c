"""The regimen a taper starts from: one fixed regimen read by the sig parser, anything else refused."""

from __future__ import annotations

from datetime import date

import pytest

from clonaguard.errors import InvalidInputError
from clonaguard.plan.current import read_current

DAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2 mg tid", (2.0, 3)), ("0,5 mg twice a day", (0.5, 2)), ("clonazepam 1 mg po three times daily", (1.0, 3))],
)
def test_one_fixed_regimen(text: str, expected: tuple[float, int]) -> None:
    assert read_current(text, DAY) == expected


@pytest.mark.parametrize(
    "text",
    ["2 mg", "tid", "1 tablet tid", "2 mg tid prn anxiety", "1-2 mg tid", "2 mg tid x 3 days then 1 mg bid", ""],
)
def test_anything_else_is_refused_naming_the_option(text: str) -> None:
    with pytest.raises(InvalidInputError, match=r"^from: .*accepted: one fixed regimen"):
        read_current(text, DAY)

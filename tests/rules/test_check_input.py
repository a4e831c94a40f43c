"""`parse_case` reads JSON text with pydantic's fast reader and falls back to `json` for what that refuses."""

from __future__ import annotations

import json

import pytest

from clonaguard.check import parse_case
from clonaguard.errors import InvalidInputError

CASE = {"today": "2026-03-01", "patient": {"age_years": 40}, "orders": [{"dose_mg": 0.5, "times_per_day": 3}]}


@pytest.mark.parametrize(
    "text",
    [json.dumps(CASE), json.dumps(CASE).encode(), ("\ufeff" + json.dumps(CASE)).encode()],  # bytes may open with a BOM
)
def test_json_text_reads_as_the_parsed_object(text: str | bytes) -> None:
    assert parse_case(text) == parse_case(CASE)


def test_a_lone_surrogate_is_read_as_json_reads_it() -> None:
    text = json.dumps({**CASE, "indication": "\ud800"})
    with pytest.raises(InvalidInputError, match="indication"):
        parse_case(text)


@pytest.mark.parametrize("text", ["{", '{"today": "2026-03-01",}', "", "[1, 2]", "\ufeff" + json.dumps(CASE)])
def test_invalid_json_is_refused_as_before(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_case(text)

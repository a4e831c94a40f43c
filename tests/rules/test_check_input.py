"""`parse_case` reads JSON text with pydantic's fast reader and falls back to `json` for what that refuses."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Mostly values the model accepts, so both outcomes (a case, an error) come up often.
_ODD = st.one_of(st.none(), st.sampled_from(["", "yes", "3", "0,5", "1,000", "NaN", 1e-4, 3.5, -1, True]))


def _mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`valid` nine times in ten, an odd value the tenth."""
    return st.integers(0, 9).flatmap(lambda draw: _ODD if draw == 0 else valid)


_DOSE = _mostly(st.sampled_from([0.5, 1, 2, 3.0, 0.125, "0,5", "2"]))
_COUNT = _mostly(st.one_of(st.integers(1, 4), st.sampled_from([3.0, "3"])))
_AGE = _mostly(st.sampled_from([0.5, 4, 40, 70.5, "40"]))
_FLAG = _mostly(st.one_of(st.booleans(), st.sampled_from([0, 1, "true", "no", 1.0])))
_DATE = _mostly(st.sampled_from(["2026-01-10", "2026-02-01", "2026-03-01", "2026-03-05"]))
_ORDER = st.fixed_dictionaries(
    {"dose_mg": _DOSE, "times_per_day": _COUNT},
    optional={
        "start": _DATE,
        "end": _DATE,
        "food_drink": _mostly(st.lists(st.sampled_from(["with food", "with water"]), max_size=2)),
        "dose_basis": _mostly(st.sampled_from(["scheduled", "as_needed_maximum"])),
    },
)
_PATIENT = st.fixed_dictionaries(
    {"age_years": _AGE},
    optional={"pregnant": _FLAG, "breastfeeding": _FLAG, "alcohol_use": _FLAG, "weight_kg": _AGE},
)
_REQUIRED: dict[str, st.SearchStrategy[Any]] = {"patient": _PATIENT, "orders": st.lists(_ORDER, min_size=1, max_size=3)}
_CASE = st.fixed_dictionaries(
    _REQUIRED,
    optional={
        "today": _DATE,
        "stop": _DATE,
        "setting": _mostly(st.sampled_from(["outpatient", "inpatient"])),
        "acute": _FLAG,
        "continuing": _FLAG,
        "indication": _mostly(st.sampled_from(["epilepsy", "panic", "insomnia", "today"])),
        "taper": _mostly(st.fixed_dictionaries({"step_daily_mg": _DOSE, "interval_days": _COUNT})),
    },
)


def _outcome(data: str | bytes | dict[str, Any], today: date | None) -> object:
    try:
        return parse_case(data, today=today)
    except InvalidInputError as exc:
        return str(exc)


@settings(max_examples=300, deadline=None)
@given(_CASE, st.sampled_from([None, date(2026, 3, 1)]))
def test_a_text_without_sigs_reads_as_its_parsed_object(case: dict[str, Any], today: date | None) -> None:
    """Such a text goes straight to the model (JSON mode); the case or the error is the one the object gives."""
    text = json.dumps(case)
    expected = _outcome(json.loads(text), today)
    assert _outcome(text, today) == expected
    assert _outcome(text.encode(), today) == expected


@pytest.mark.parametrize("encode", [False, True])
def test_a_sig_key_written_with_escapes_is_still_read_as_a_sig(encode: bool) -> None:
    """`\\u0073ig` is `sig`: the sig must agree with the dose given beside it, as when the key is written plainly."""
    order = '{"\\u0073ig": "2 mg three times a day", "dose_mg": 0.5, "times_per_day": 3}'
    text = f'{{"today": "2026-03-01", "patient": {{"age_years": 40}}, "orders": [{order}]}}'
    with pytest.raises(InvalidInputError, match=r"orders\[0\]\.sig: does not agree"):
        parse_case(text.encode() if encode else text)

"""The reader builds its ParsedSig and SigStep models without validating them again (`model.trusted`): for every
sig, that reading must be the one pydantic's validation builds from the same data, to the exact type of every
value (an int where a float belongs would print "1" for "1.0"), the fields given, the repr and the JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from clonaguard.sig.model import ParsedSig, SigStep, trusted
from clonaguard.sig.parser import _read

HERE = Path(__file__).parent
_SIGS = [
    json.loads(line)["sig"]
    for name in ("corpus", "adversarial", "ehr")
    for line in (HERE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
_PIECES = [
    "0.5 mg", "1 tab", "1/2 tablet", "tid", "bid", "q8h", "prn", "x 3 days", "then", "then stop", "and", "0.5 mg prn",
    "; may take an additional 0.5 mg prn", "max 3/day", "Klonopin 2 mg", "lorazepam", "1-0-1", "with milk", "po",
]  # fmt: skip
_TEXTS = st.one_of(
    st.sampled_from(_SIGS),
    st.lists(st.sampled_from(_SIGS), min_size=2, max_size=3).map(" then ".join),
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=10).map(" ".join),
)


def _shape(value: Any) -> Any:
    """The exact type of every value in a model tree, and the fields each model was given."""
    if isinstance(value, BaseModel):
        fields = {name: _shape(getattr(value, name)) for name in type(value).model_fields}
        return type(value), sorted(value.model_fields_set), fields
    if isinstance(value, tuple):
        return tuple, [_shape(item) for item in value]
    return type(value)


def _same(fast: ParsedSig, validated: ParsedSig) -> None:
    assert fast == validated
    assert fast.model_dump_json() == validated.model_dump_json()
    assert repr(fast) == repr(validated)
    assert _shape(fast) == _shape(validated)
    assert list(fast.__dict__) == list(validated.__dict__)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_a_trusted_reading_is_the_validated_one(text: str) -> None:
    _same(_read(text), _read(text, validate=True))


def test_every_labelled_sig_reads_alike_trusted_and_validated() -> None:
    for text in _SIGS:
        _same(_read(text), _read(text, validate=True))


def test_a_str_subclass_is_validated_into_a_str() -> None:
    """A text the caller built (a str subclass) is left to validation, which makes it a str."""

    class Text(str):
        pass

    reading = _read(Text("clonazepam 0.5 mg bid"))
    assert type(reading.text) is str
    assert reading == _read("clonazepam 0.5 mg bid")


def test_trusted_keeps_defaults_and_the_fields_given() -> None:
    step = trusted(SigStep, {"text": "stop", "stop": True})
    assert step == SigStep.model_validate({"text": "stop", "stop": True})
    assert step.model_fields_set == {"text", "stop"}
    assert step.model_dump_json() == SigStep(text="stop", stop=True).model_dump_json()

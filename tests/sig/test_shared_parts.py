"""Readings share their validated parts (a dose of 0.5 mg, three times a day) between sigs: a reading must be
the same, to the byte, whichever sigs were read before it."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from clonaguard.sig import parse_sig
from clonaguard.sig.parser import clear_cache

CORPUS = Path(__file__).parent / "corpus.jsonl"
SIGS = [json.loads(line)["sig"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
# The same parts written as ints and as floats, from different patterns: "daily" is 1 a day, "every 1 day" 1.0.
SAME_VALUES = ["0.5 mg daily", "0.5 mg every 1 day", "1 tablet of 0.5 mg bid", "0.5 mg q12h", "0.5 mg twice a day"]


def _fresh(sig: str) -> str:
    clear_cache()
    return parse_sig(sig).model_dump_json()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SIGS + SAME_VALUES), min_size=2, max_size=12))
def test_a_reading_does_not_depend_on_the_sigs_read_before_it(batch: list[str]) -> None:
    expected = [_fresh(sig) for sig in batch]
    clear_cache()
    assert [parse_sig(sig).model_dump_json() for sig in batch] == expected


def test_ints_and_floats_of_the_same_value_read_alike_in_either_order() -> None:
    fresh = [_fresh(sig) for sig in SAME_VALUES]
    clear_cache()
    assert [parse_sig(sig).model_dump_json() for sig in reversed(SAME_VALUES)] == fresh[::-1]

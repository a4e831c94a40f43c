"""Sigs written from a known structured order in many phrasings, with distractor clauses: the reader
returns that order or refuses it, never another."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from clonaguard.labels.load import load_label
from clonaguard.sig.accuracy import order_reading

_PRODUCTS = load_label().identity.products
_STRENGTHS = sorted({*_PRODUCTS.tablet_mg, *_PRODUCTS.odt_mg})
_COUNTS = {
    0.5: ["1/2 tablet", "half a tablet", "0.5 tablets", "½ tab"],
    1.0: ["1 tablet", "1 tab", "one tablet", "1 (one) tablet"],
    1.5: ["1 1/2 tablets", "1.5 tabs", "one and a half tablets"],
    2.0: ["2 tablets", "2 tabs", "two tablets", "2 (two) tablets"],
}
_FREQUENCIES = {
    1: ["daily", "once a day", "once daily", "qd", "every 24 hours"],
    2: ["bid", "twice daily", "2 times a day", "2 (two) times daily", "every 12 hours", "q12h"],
    3: ["tid", "three times daily", "3 (three) times daily", "every 8 (eight) hours", "q8h", "3x daily"],
    4: ["qid", "4 times a day", "every 6 hours", "4 (four) times daily"],
}
_PRODUCT_LINES = ["clonazepam {s} mg tablets: take", "Klonopin {s} mg tab", "Rivotril {s} mg tablet: take"]
_AS_NEEDED = ["prn", "as needed", "as needed for anxiety", "when required", "prn panic"]
_DISTRACTORS = [
    "",
    " between meals",
    " with water only",
    " by mouth",
    " po",
    ". Do not drive.",
    " for 30 days",
    " x 2 weeks",
    " for epilepsy",
]


@st.composite
def written_orders(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    strength = draw(st.sampled_from(_STRENGTHS))
    count = draw(st.sampled_from(sorted(_COUNTS)))
    times = draw(st.sampled_from(sorted(_FREQUENCIES)))
    as_needed = draw(st.booleans())
    in_mg = draw(st.booleans())
    dose_mg = round(strength * count, 9)
    if in_mg:
        sig = f"clonazepam {dose_mg:g} mg"
    else:
        line = draw(st.sampled_from(_PRODUCT_LINES)).format(s=f"{strength:g}")
        sig = f"{line} {draw(st.sampled_from(_COUNTS[count]))}"
    sig += f" {draw(st.sampled_from(_FREQUENCIES[times]))}"
    if as_needed:
        sig += f" {draw(st.sampled_from(_AS_NEEDED))}"
    for distractor in draw(st.lists(st.sampled_from(_DISTRACTORS), max_size=2, unique=True)):
        sig += distractor
    basis = "as_needed_maximum" if as_needed else "scheduled"
    return sig, {"orders": [{"dose_mg": dose_mg, "times_per_day": times}], "dose_basis": basis}


@settings(max_examples=400, deadline=None)
@given(written_orders())
def test_the_reader_returns_the_written_order_or_refuses(written: tuple[str, dict[str, object]]) -> None:
    sig, order = written
    reading = order_reading(sig)
    assert reading is None or reading == order, sig


def test_most_phrasings_are_read() -> None:
    """Refusing everything would pass the test above; each ordinary phrasing, with each order, must mostly be read."""
    written = 0
    unread = []
    for strength, count, times, as_needed in product(_STRENGTHS, _COUNTS, _FREQUENCIES, (False, True)):
        for phrasing in _FREQUENCIES[times]:
            sig = f"clonazepam {strength:g} mg tablets: take {_COUNTS[count][0]} {phrasing}" + " prn" * as_needed
            basis = "as_needed_maximum" if as_needed else "scheduled"
            expected = {
                "orders": [{"dose_mg": round(strength * count, 9), "times_per_day": times}],
                "dose_basis": basis,
            }
            written += 1
            if order_reading(sig) != expected:
                unread.append(sig)
    assert len(unread) <= written // 10, unread[:20]

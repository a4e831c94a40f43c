"""The cheap tests the reader makes before a regex (a substring every match contains) never skip a match.

Each prefilter is a second path beside its regex: wherever the regex matches, the prefilter must say "worth
trying", or a phrase would silently go unread. Texts are drawn from the labelled sigs, cut and recombined.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from clonaguard.sig import as_needed, dose, text
from clonaguard.sig.parser import _PRIORITY
from clonaguard.sig.phrases import mentions

HERE = Path(__file__).parent
_RAW = [
    json.loads(line)["sig"].lower()
    for name in ("corpus", "adversarial", "ehr")
    for line in (HERE / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
_SIGS = [text.normalise(sig) for sig in _RAW]
# Words as written, before normalising: "b.i.d.", "p.o", "0.5mg".
_RAW_WORDS = sorted({word for sig in _RAW for word in sig.split()})
_WORDS = sorted({word for sig in _SIGS for word in sig.split()})
# The as-needed phrases as written (the alternatives of `as_needed._PHRASE`), to write into sigs.
_PHRASES = (
    "prn", "pro re nata", "as needed", "as required", "when required", "when needed", "if needed", "if required",
    "as necessary", "when necessary", "if necessary", "as and when", "on demand", "sos",
)  # fmt: skip
_PATTERNS = [item for item in _PRIORITY if item.requires]
# Recombined sigs, plus the phrases themselves written into them, plus characters around the required parts.
_TEXTS = st.one_of(
    st.sampled_from(_SIGS),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=10).map(" ".join),
    st.text(alphabet="abcdefghilmnopqrstuvwxy0123456789 .,/-+%", max_size=30),
    st.tuples(st.sampled_from(_SIGS), st.sampled_from(_SIGS), st.integers(0, 60)).map(lambda t: t[0][: t[2]] + t[1]),
    st.tuples(st.sampled_from(_SIGS), st.sampled_from(_PHRASES)).map(" ".join),
)
_FUZZ = settings(max_examples=400, deadline=None)


@_FUZZ
@given(_TEXTS)
def test_a_pattern_matches_only_where_its_required_parts_are(sample: str) -> None:
    for item in _PATTERNS:
        for start in range(len(sample)):
            match = item.regex.match(sample, start)
            if match is not None and match.end() > start:
                assert mentions(sample, item.requires), (item.regex.pattern[:60], sample)
                break


@_FUZZ
@given(_TEXTS)
def test_an_as_needed_phrase_always_contains_one_of_its_parts(sample: str) -> None:
    if as_needed._HAS_PHRASE.search(sample):
        assert mentions(sample, as_needed._PHRASE_PARTS)


@_FUZZ
@given(st.one_of(_TEXTS, st.lists(st.sampled_from(_RAW_WORDS), min_size=1, max_size=8).map(" ".join)))
@example("0.5 mg p.o bid")  # a dotted pair with no final dot
@example("1 tab b.i.d")
def test_dotted_abbreviations_are_rewritten_only_where_a_letter_dot_letter_is(sample: str) -> None:
    if text._DOTTED.search(sample):
        assert text._LETTER_DOT_LETTER.search(sample)


def test_the_plain_mass_pattern_requires_its_unit_letter() -> None:
    """The boundary of one prefilter: "0.5 mg" is tried, "0.5 m" is not (no mass unit without a "g")."""
    mass = dose.PATTERNS[-1]
    assert mass.requires == ("g",)
    assert mentions("0.5 mg bid", mass.requires)
    assert not mentions("0.5 m bid", mass.requires)
    assert mass.regex.match("0.5 m bid") is None

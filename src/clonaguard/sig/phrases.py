"""A phrase pattern: a regex for one kind of phrase, the first words it can start with, what to record.

Each component (dose, frequency, duration, ...) lists its phrase patterns; the parser scans a step word by
word and at each word tries only the patterns that can start there, in priority order, so the cost grows
with the length of the sig, not with the number of patterns. `requires` lists substrings of which the step
must contain one for the pattern to be worth trying. (Not to be confused with the label rules of
`clonaguard.rules`, which judge a structured order.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from clonaguard.sig.reading import StepReading

NUMERIC = "#"  # the start key of every number token ("0,5", "12", ".5")

Handler = Callable[[re.Match[str], StepReading], None]


@dataclass(frozen=True, slots=True)
class PhrasePattern:
    regex: re.Pattern[str]
    starts: frozenset[str]
    handle: Handler
    requires: tuple[str, ...] = ()


def pattern(regex: str, starts: str, handle: Handler, requires: tuple[str, ...] = ()) -> PhrasePattern:
    """`starts` is a space-separated list of first words; "#" stands for any number."""
    return PhrasePattern(re.compile(regex), frozenset(starts.split()), handle, requires)


def mentions(text: str, parts: tuple[str, ...]) -> bool:
    """Whether `text` contains one of `parts`: a plain loop of substring tests, about twice as fast as one
    regex of the alternatives (and three times `any()` of a generator) on the few parts a pattern requires."""
    for part in parts:  # noqa: SIM110 - any() of a generator is the slower form
        if part in text:
            return True
    return False

"""A component rule: a pattern, the first words it can start with, and what to record when it matches.

The parser scans a step word by word; at each word it tries only the rules that can start there, in
priority order, so the cost grows with the length of the sig, not with the number of patterns.
`requires` lists substrings of which the step must contain one for the rule to be worth trying.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from clonaguard.sig.reading import StepReading

NUMERIC = "#"  # the start key of every number token ("0,5", "12", ".5")

Handler = Callable[[re.Match[str], StepReading], None]


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: re.Pattern[str]
    starts: frozenset[str]
    handle: Handler
    requires: re.Pattern[str] | None = None


def rule(pattern: str, starts: str, handle: Handler, requires: tuple[str, ...] = ()) -> Rule:
    """`starts` is a space-separated list of first words; "#" stands for any number."""
    needed = re.compile("|".join(re.escape(part) for part in requires)) if requires else None
    return Rule(re.compile(pattern), frozenset(starts.split()), handle, needed)

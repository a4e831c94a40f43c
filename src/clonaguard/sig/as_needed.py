"""As needed ("prn", "when required") and as directed ("as directed", "ud", "mdu")."""

from __future__ import annotations

import re

from clonaguard.sig.phrases import PhrasePattern, mentions, pattern
from clonaguard.sig.reading import StepReading


def _as_needed(match: re.Match[str], reading: StepReading) -> None:
    reading.as_needed_end = match.end()


def _as_directed(match: re.Match[str], reading: StepReading) -> None:
    reading.as_directed = True


_PHRASE = (
    r"\b(?:prn|pro re nata|as needed|as required|when required|when needed|if needed|if required|as necessary"
    r"|when necessary|if necessary|as and when(?: required| needed)?|on demand|sos)\b"
)
_HAS_PHRASE = re.compile(_PHRASE)
# Every phrase above contains one of these: a sig with none of them has no as-needed phrase (cheaper than a search).
_PHRASE_PARTS = ("prn", "pro re nata", "as ", "when ", "if ", "on demand", "sos")
# "0.5 mg bid and 0.5 mg daily prn", "1 mg bid; may take an additional 1 mg prn": a scheduled part, then an extra.
_EXTRA = re.compile(
    r"(?P<scheduled>.+?)(?: ?[,;] ?(?:and |plus |\+ )?| (?:and|plus|\+) )(?:(?:you )?may (?:also )?take |take )?"
    r"(?:an? )?(?:extra |additional |further )?(?P<extra>.+)"
)


def split_extra(text: str) -> tuple[str, str] | None:
    """The scheduled part and the extra as-needed part of a step, when it has that shape (else None)."""
    if "prn" not in text and (not mentions(text, _PHRASE_PARTS) or _HAS_PHRASE.search(text) is None):
        return None
    match = _EXTRA.fullmatch(text)
    if match is None or _HAS_PHRASE.search(match.group("scheduled")) or not any(c.isdigit() for c in text):
        return None
    return match.group("scheduled"), match.group("extra")


PATTERNS: tuple[PhrasePattern, ...] = (
    pattern(
        r"\b(?:prn|pro re nata|as needed|as required|when required|when needed|if needed|if required|as necessary"
        r"|when necessary|if necessary|as and when(?: required| needed)?|on demand|sos)\b",
        "prn pro as when if on sos",
        _as_needed,
    ),
    pattern(
        r"\b(?:(?:use |take )?as directed(?: by (?:your|the) (?:doctor|physician|prescriber))?|ud|utd|mdu"
        r"|as instructed|as advised|as per (?:doctor|physician|prescriber)(?:'?s)?(?: instructions| directions)?)\b",
        "use take as ud utd mdu",
        _as_directed,
    ),
)

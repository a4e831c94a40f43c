"""As needed ("prn", "when required") and as directed ("as directed", "ud", "mdu")."""

from __future__ import annotations

import re

from clonaguard.sig.reading import StepReading
from clonaguard.sig.rules import Rule, rule


def _as_needed(match: re.Match[str], reading: StepReading) -> None:
    reading.as_needed_end = match.end()


def _as_directed(match: re.Match[str], reading: StepReading) -> None:
    reading.as_directed = True


RULES: tuple[Rule, ...] = (
    rule(
        r"\b(?:prn|pro re nata|as needed|as required|when required|when needed|if needed|if required|as necessary"
        r"|when necessary|if necessary|as and when(?: required| needed)?|on demand|sos)\b",
        "prn pro as when if on sos",
        _as_needed,
    ),
    rule(
        r"\b(?:(?:use |take )?as directed(?: by (?:your|the) (?:doctor|physician|prescriber))?|ud|utd|mdu"
        r"|as instructed|as advised|as per (?:doctor|physician|prescriber)(?:'?s)?(?: instructions| directions)?)\b",
        "use take as ud utd mdu",
        _as_directed,
    ),
)

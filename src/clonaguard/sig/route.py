"""Route of administration: by mouth or under the tongue."""

from __future__ import annotations

from clonaguard.sig.phrases import PhrasePattern, pattern
from clonaguard.sig.reading import StepReading

PATTERNS: tuple[PhrasePattern, ...] = (
    pattern(
        r"\b(?:sl|sublingual(?:ly)?|under (?:the|your) tongue)\b",
        "sl sublingual sublingually under",
        lambda m, r: r.routes.append("sublingual"),
    ),
    pattern(
        r"\b(?:po|per os|by mouth|orally|oral|swallow(?:ed)?(?: whole)?|(?:dissolve|let dissolve|place) "
        r"on (?:the|your) tongue|on (?:the|your) tongue)\b",
        "po per by orally oral swallow swallowed dissolve let place on",
        lambda m, r: r.routes.append("oral"),
    ),
)


def decide(reading: StepReading) -> str | None:
    """The route, or None with an error when two different routes are written."""
    found = set(reading.routes)
    if len(found) > 1:
        reading.errors.append(f"two routes are written ({', '.join(sorted(found))})")
        return None
    return found.pop() if found else None

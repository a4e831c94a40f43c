"""Multi-step sigs: "0.5 mg bid x 3 days then 0.25 mg bid x 3 days then stop" as a sequence of steps."""

from __future__ import annotations

import re

_SEPARATOR = re.compile(r" ?[,;.]? ?\b(?:and then|then|followed by|thereafter|after that|afterwards)\b[,:]? ?")
_STOP = re.compile(
    r"(?:and )?(?:stop|stop taking|discontinue|d/?c|cease|off|finish|none)(?: (?:it|taking|treatment))?\.?"
)
_FINAL_STOP = re.compile(r" ?[,;.]? ?\b(?:and )?(?:stop|discontinue)\.?$")


def split(text: str) -> list[str]:
    """The step texts, in order; a trailing "..., and stop" becomes its own "stop" step."""
    parts = _SEPARATOR.split(text) if "then" in text or "follow" in text or "after" in text else [text]
    if len(parts) == 1 and ("stop" in text or "discontinue" in text) and _FINAL_STOP.search(text) and not is_stop(text):
        return [_FINAL_STOP.sub("", text), "stop"]
    return parts


def is_stop(text: str) -> bool:
    return _STOP.fullmatch(text.strip(" ,;.")) is not None

"""The regimen a taper starts from, read from a sig ("2 mg tid") as a dose per administration and times a day.

The sig parser (`clonaguard.sig`) reads it; only one fixed regimen is accepted (not as needed, not several
steps, nothing the parser is unsure of). Anything else is an error, never a guess.
"""

from __future__ import annotations

from datetime import date

from clonaguard.errors import InvalidInputError
from clonaguard.sig import parse_sig, sig_orders

ACCEPTED = 'one fixed regimen in mg, such as "2 mg tid" or "0.5 mg twice a day"'


def read_current(text: str, start: date) -> tuple[float, int]:
    """(dose per administration in mg, administrations per day) of one fixed regimen, or InvalidInputError."""
    try:
        parsed = parse_sig(text)
        if any(step.as_needed for step in parsed.dosing_steps()):
            raise InvalidInputError(f"from: {text!r} is taken as needed; accepted: {ACCEPTED}")
        orders, stop = sig_orders(parsed, start)
    except InvalidInputError as exc:
        if str(exc).startswith("from: "):
            raise
        raise InvalidInputError(f"from: {text!r} does not read with certainty ({exc}); accepted: {ACCEPTED}") from exc
    if len(orders) != 1 or stop is not None:
        raise InvalidInputError(f"from: {text!r} is not one regimen; accepted: {ACCEPTED}")
    return float(orders[0].dose_mg), int(orders[0].times_per_day)

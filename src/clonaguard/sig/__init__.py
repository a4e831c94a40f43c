"""Free-text prescriptions ("sigs") read into structured, checkable form.

The public surface is small and stable:

- `parse_sig(text) -> ParsedSig`: read a sig; never guesses, lists what it did not understand.
- `to_fhir_dosage(parsed) -> list[Dosage]`: FHIR R4 Dosage (`fhir.resources.R4B`), one per step.
- `sig_orders(parsed_or_text, start) -> (orders, stop)`: the structured orders of a sig that can be read
  with certainty, dated from the step durations; raises `SigError` (an `InvalidInputError`) otherwise.
- `uncertainties(parsed) -> list[str]`: every reason a sig cannot be evaluated without a guess.

Every component has its own small module (written_numbers, dose, frequency, as_needed, route, food,
duration, maximum, drug, steps); `parser` scans each step once and lets their phrase patterns (`phrases`)
read it. The names are loaded on first use, so importing one component stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clonaguard.lazy import lazy_exports

if TYPE_CHECKING:
    from clonaguard.sig.fhir import to_fhir_dosage
    from clonaguard.sig.model import Dose, Duration, MaxPerDay, MgRange, ParsedSig, PerDay, SigStep, Timing
    from clonaguard.sig.orders import SigError, SigOrder, sig_orders, uncertainties
    from clonaguard.sig.parser import parse_sig

_HOMES = {
    "to_fhir_dosage": "fhir",
    **dict.fromkeys(("Dose", "Duration", "MaxPerDay", "MgRange", "ParsedSig", "PerDay", "SigStep", "Timing"), "model"),
    **dict.fromkeys(("SigError", "SigOrder", "sig_orders", "uncertainties"), "orders"),
    "parse_sig": "parser",
}


__getattr__ = lazy_exports(__name__, _HOMES)


__all__ = [
    "Dose",
    "Duration",
    "MaxPerDay",
    "MgRange",
    "ParsedSig",
    "PerDay",
    "SigError",
    "SigOrder",
    "SigStep",
    "Timing",
    "parse_sig",
    "sig_orders",
    "to_fhir_dosage",
    "uncertainties",
]
